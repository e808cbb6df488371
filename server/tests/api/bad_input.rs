//! Requests no form would send: refused cleanly, with nothing written.

use crate::db_test;
use reqwest::StatusCode;

db_test!(
    a_body_missing_a_field_is_400_and_writes_nothing,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let before = app.table_counts().await;

        let reply = admin
            .call(
                "units/create",
                &[("code", "SETENGAH"), ("name", "Unit Setengah")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(reply.error(), "bad_request", "{reply}");

        let reply = admin
            .call("users/active", &[("id", "x"), ("active", "maybe")])
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "not a boolean: {reply}"
        );

        let reply = admin.call("login", &[("identifier", "admin")]).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "login without a password: {reply}"
        );

        assert_eq!(app.table_counts().await, before, "nothing written");
        assert_eq!(admin.whoami().await.as_deref(), Some("admin"));
    }
);

db_test!(
    a_body_that_is_not_utf8_is_400_and_writes_nothing,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let before = app.table_counts().await;

        let mut body = b"code=RUSAK&name=Unit+".to_vec();
        body.extend_from_slice(&[0xff, 0xfe, 0xfd]);
        body.extend_from_slice(b"&kind=other&parent=");
        let reply = admin.call_raw("units/create", body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(reply.error(), "bad_request", "{reply}");

        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);

db_test!(
    a_body_over_the_limit_is_413_and_writes_nothing,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let limit = app.settings.body_limit_kb * 1024;
        assert_eq!(limit, 256 * 1024, "the default limit");
        // A valid form with an extra field the server function ignores, padded to `size`.
        let form = |code: &str, size: usize| {
            let mut body = format!("code={code}&name=Unit+Besar&kind=other&parent=&pad=");
            let pad = size - body.len();
            body.push_str(&"x".repeat(pad));
            body.into_bytes()
        };
        let before = app.table_counts().await;

        let reply = admin
            .call_raw("units/create", form("TERLALU-BESAR", limit + 1))
            .await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{reply}");
        assert_eq!(app.table_counts().await, before, "nothing written");

        // Just under the limit the same form goes through, so the 413 above came from the size.
        let reply = admin
            .call_raw("units/create", form("CUKUP-BESAR", limit - 1))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM units WHERE code = 'CUKUP-BESAR'", &[])
                .await,
            1
        );
    }
);
