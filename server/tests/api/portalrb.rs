//! PortalRB played as the national portal does: a token made on the
//! "Integrasi PortalRB" page, the proposal lists, every soal of a unit's
//! answers, the evidence link opened without an account, and every refusal
//! as the guide's error JSON, each call logged.

use reqwest::StatusCode;
use serde_json::Value;

use crate::db_test;
use crate::helpers::{Client, TestApp};

/// The demo's proposed unit (Balai Diklat Surabaya, both lanes, evidence).
async fn with_proposal(app: &TestApp) {
    zi::demo::seed_proposed(
        &app.db,
        app.state.blobs.as_ref(),
        crate::helpers::current_year(),
    )
    .await
    .expect("the proposed demo unit");
}

/// Makes a token as an administrator would and reads its secret, shown once.
pub(crate) async fn token(app: &TestApp, name: &str) -> String {
    let admin = app.signed_in("admin").await;
    let made = admin
        .call("portalrb/tokens/create", &[("name", name)])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{made}");
    assert!(
        !made.body.contains("zi_"),
        "the secret is not in the answer: {made}"
    );
    let page = admin.call("portalrb/view", &[]).await;
    let secret = page.json()["new_secret"]
        .as_str()
        .expect("the new secret")
        .to_owned();
    let again = admin.call("portalrb/view", &[]).await;
    assert!(again.json()["new_secret"].is_null(), "shown once");
    secret
}

pub(crate) async fn pull(
    client: &Client,
    token: Option<&str>,
    path: &str,
) -> crate::helpers::Reply {
    let mut request = client.http.get(client.url(path));
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    crate::helpers::Reply::read(request.send().await.expect("a reply")).await
}

fn assert_guide_error(reply: &crate::helpers::Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{reply}");
    let body = reply.json();
    assert_eq!(body["error"], true, "{reply}");
    assert_eq!(body["code"], code, "{reply}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{reply}"
    );
}

db_test!(
    portalrb_pulls_the_proposed_units_and_every_soal_of_their_answers,
    |app| async move {
        with_proposal(&app).await;
        let secret = token(&app, "PortalRB 2026").await;
        let portal = app.client();

        let wbk = pull(&portal, Some(&secret), "/portalrb/pengusulan/unit-wbk").await;
        assert_eq!(wbk.status, StatusCode::OK, "{wbk}");
        let wbk = wbk.json();
        assert_eq!(wbk["tahun"], crate::helpers::current_year());
        let units = wbk["units"].as_array().expect("units");
        assert_eq!(units.len(), 1, "only the proposed unit: {wbk}");
        assert_eq!(units[0]["id"], "BDK-SBY");
        assert_eq!(units[0]["nama"], "Balai Diklat Surabaya");
        assert_eq!(units[0]["kategori"], "WBK");
        assert_eq!(units[0]["afirmasi"], false);
        let wbbm = pull(&portal, Some(&secret), "/portalrb/pengusulan/unit-wbbm").await;
        assert_eq!(wbbm.status, StatusCode::OK, "{wbbm}");
        assert_eq!(wbbm.json()["units"], Value::Array(vec![]));

        let answers = pull(&portal, Some(&secret), "/portalrb/lke/jawaban-unit/BDK-SBY").await;
        assert_eq!(answers.status, StatusCode::OK, "{answers}");
        let answers = answers.json();
        assert_eq!(answers["unit_id"], "BDK-SBY");
        assert_eq!(answers["nama_unit"], "Balai Diklat Surabaya");
        let rows = answers["answers"].as_array().expect("answers");
        let ids: Vec<u64> = rows.iter().filter_map(|r| r["soal_id"].as_u64()).collect();
        assert_eq!(
            ids,
            (1..=127).collect::<Vec<u64>>(),
            "every soal of the master, in order"
        );
        for key in [
            "jawaban_unit",
            "jawaban_tpi",
            "catatan_unit",
            "bukti_dukung_unit",
            "catatan_tpi",
        ] {
            assert!(
                rows.iter().all(|r| r.get(key).is_some()),
                "{key} on every soal"
            );
        }
        // Soal 1 is Ya/Tidak, soal 2 A/B/C, soal 102 a count, soal 125 the IPAK index.
        assert_eq!(rows[0]["jawaban_unit"], "Ya");
        assert_eq!(rows[0]["jawaban_tpi"], "Ya");
        assert_eq!(rows[1]["jawaban_unit"], "A");
        assert_eq!(rows[101]["jawaban_unit"], "10");
        assert_eq!(rows[124]["jawaban_unit"], "3.62");
        assert_eq!(rows[125]["jawaban_unit"], "B");

        // The evidence link opens without an account and shows the item's file.
        let link = rows[0]["bukti_dukung_unit"]
            .as_str()
            .expect("a link on soal 1");
        assert!(link.starts_with(&app.address), "{link}");
        assert!(
            rows[2]["bukti_dukung_unit"].is_string(),
            "soal 3 has a file too"
        );
        assert!(rows[10]["bukti_dukung_unit"].is_null(), "no file, no link");
        let path = link.strip_prefix(&app.address).expect("a local link");
        let stranger = app.client();
        let page = stranger.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        assert!(page.body.contains("SK Tim Pembangunan ZI.pdf"), "{page}");
        let href = page
            .body
            .split("href=\"")
            .filter_map(|rest| rest.split('"').next())
            .find(|href| href.starts_with("/bukti/") && href.matches('/').count() == 4)
            .expect("a download link");
        let (status, headers, bytes) = stranger.get_bytes(href).await;
        assert_eq!(status, StatusCode::OK);
        assert!(bytes.starts_with(b"%PDF"), "the file itself");
        assert_eq!(headers["content-type"], "application/pdf");
        let assessment = app.assessment_of("BDK-SBY").await;
        let opened = app
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action IN \
                 ('evidence_share.open', 'evidence_share.download')",
                &[&assessment],
            )
            .await;
        assert_eq!(opened, 2, "every opening is audited");

        // The same link on the next fetch; the page shows what PortalRB got.
        let again = pull(&portal, Some(&secret), "/portalrb/lke/jawaban-unit/BDK-SBY").await;
        assert_eq!(again.json()["answers"][0]["bukti_dukung_unit"], link);
        let admin = app.signed_in("admin").await;
        let view = admin.call("portalrb/view", &[]).await.json();
        let proposal = &view["proposals"][0];
        assert_eq!(proposal["unit_code"], "BDK-SBY");
        let answered = rows.iter().filter(|r| !r["jawaban_unit"].is_null()).count();
        assert_eq!(proposal["last_fetch"]["answered_unit"], answered);
        assert_eq!(proposal["last_fetch"]["with_evidence"], 4);
        assert_eq!(view["tokens"][0]["name"], "PortalRB 2026");
        assert!(view["tokens"][0]["last_used_at"].is_i64());
        let calls = app.count("SELECT COUNT(*) FROM portalrb_calls", &[]).await;
        assert_eq!(calls, 4, "every call is logged");
    }
);

db_test!(
    every_refusal_is_the_guides_error_json,
    settings = |s| s.portalrb_rate_limit = 6,
    |app| async move {
        with_proposal(&app).await;
        let portal = app.client();
        let list = "/portalrb/pengusulan/unit-wbk";
        assert_guide_error(
            &pull(&portal, None, list).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        );
        let forged = format!("zi_{}", "ab".repeat(32));
        assert_guide_error(
            &pull(&portal, Some(&forged), list).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        );
        assert_guide_error(
            &pull(&portal, Some("not-a-token"), list).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        );

        let secret = token(&app, "PortalRB").await;
        let unproposed = pull(&portal, Some(&secret), "/portalrb/lke/jawaban-unit/BDK-MDN").await;
        assert_guide_error(&unproposed, StatusCode::NOT_FOUND, "DATA_NOT_FOUND");
        let unknown = pull(
            &portal,
            Some(&secret),
            "/portalrb/lke/jawaban-unit/%3Cscript%3E",
        )
        .await;
        assert_guide_error(&unknown, StatusCode::NOT_FOUND, "DATA_NOT_FOUND");
        for _ in 0..4 {
            assert_eq!(
                pull(&portal, Some(&secret), list).await.status,
                StatusCode::OK
            );
        }
        let limited = pull(&portal, Some(&secret), list).await;
        assert_guide_error(
            &limited,
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
        );
        assert!(limited.header("retry-after").is_some());

        // A token of another scope is known but not allowed here.
        let other = token(&app, "Laporan").await;
        sqlx::query("UPDATE api_tokens SET scope = 'reports' WHERE name = 'Laporan'")
            .execute(&app.db)
            .await
            .expect("another scope");
        assert_guide_error(
            &pull(&portal, Some(&other), list).await,
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
        );

        // Revoking needs the confirmation, then the token stops working.
        let admin = app.signed_in("admin").await;
        let id = admin.call("portalrb/view", &[]).await.json()["tokens"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["name"] == "PortalRB"))
            .and_then(|t| t["id"].as_str())
            .expect("the token")
            .to_owned();
        let unconfirmed = admin
            .call("portalrb/tokens/revoke", &[("token", &id)])
            .await;
        assert_eq!(
            unconfirmed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{unconfirmed}"
        );
        let revoked = admin
            .call(
                "portalrb/tokens/revoke",
                &[("token", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{revoked}");
        assert_guide_error(
            &pull(&portal, Some(&secret), list).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        );
        assert_eq!(
            app.audit_rows("api_token", &id).await,
            2,
            "made and revoked"
        );

        // Nobody else may see or make tokens.
        for user in ["tpi", "pimpinan", "surabaya"] {
            let client = app.signed_in(user).await;
            let made = client
                .call("portalrb/tokens/create", &[("name", "x")])
                .await;
            assert_eq!(made.status, StatusCode::FORBIDDEN, "{user}: {made}");
        }
        let calls = app.count("SELECT COUNT(*) FROM portalrb_calls", &[]).await;
        assert_eq!(calls, 12, "every call, refused or not, is logged");
    }
);

db_test!(
    an_evidence_link_ends_when_revoked_or_expired_and_escapes_what_it_shows,
    |app| async move {
        with_proposal(&app).await;
        let secret = token(&app, "PortalRB").await;
        let portal = app.client();
        let fetch = || pull(&portal, Some(&secret), "/portalrb/lke/jawaban-unit/BDK-SBY");
        let first = fetch().await.json()["answers"][0]["bukti_dukung_unit"]
            .as_str()
            .expect("a link")
            .strip_prefix(&app.address)
            .expect("local")
            .to_owned();
        let stranger = app.client();
        let hostile = "Balai <script>alert(1)</script> \"Surabaya\"";
        sqlx::query("UPDATE units SET name = $1 WHERE code = 'BDK-SBY'")
            .bind(hostile)
            .execute(&app.db)
            .await
            .expect("a hostile name");
        let page = stranger.get(&first).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<script>"), "{page}");
        assert!(page.body.contains("Balai &lt;script&gt;"), "{page}");

        let forged = first.replace("/bukti/zi_", "/bukti/zi_0");
        assert_eq!(stranger.get(&forged).await.status, StatusCode::NOT_FOUND);
        let other_item = format!("{}/P.XX.i.a", first.rsplit_once('/').expect("path").0);
        assert_eq!(
            stranger.get(&other_item).await.status,
            StatusCode::NOT_FOUND
        );

        let admin = app.signed_in("admin").await;
        let assessment = app.assessment_of("BDK-SBY").await;
        let unconfirmed = admin
            .call("portalrb/links/revoke", &[("assessment", &assessment)])
            .await;
        assert_eq!(
            unconfirmed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{unconfirmed}"
        );
        let revoked = admin
            .call(
                "portalrb/links/revoke",
                &[("assessment", &assessment), ("confirm", "yes")],
            )
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{revoked}");
        assert_eq!(
            stranger.get(&first).await.status,
            StatusCode::NOT_FOUND,
            "revoked"
        );
        let second = fetch().await.json()["answers"][0]["bukti_dukung_unit"]
            .as_str()
            .expect("a new link")
            .strip_prefix(&app.address)
            .expect("local")
            .to_owned();
        assert_ne!(second, first);
        assert_eq!(stranger.get(&second).await.status, StatusCode::OK);

        sqlx::query(
            "UPDATE evidence_shares SET valid_until = '2000-01-01' WHERE revoked_at IS NULL",
        )
        .execute(&app.db)
        .await
        .expect("an expired link");
        assert_eq!(
            stranger.get(&second).await.status,
            StatusCode::NOT_FOUND,
            "expired"
        );
    }
);
