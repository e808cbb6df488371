//! Accounts as an administrator manages them.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

struct NewUser<'a> {
    username: &'a str,
    email: &'a str,
    password: &'a str,
    confirm: &'a str,
    role: &'a str,
    unit: &'a str,
}

impl Default for NewUser<'_> {
    fn default() -> Self {
        NewUser {
            username: "budi.santoso",
            email: "",
            password: "budi-password-1",
            confirm: "budi-password-1",
            role: "evaluator",
            unit: "",
        }
    }
}

async fn create(admin: &Client, user: NewUser<'_>) -> Reply {
    admin
        .call(
            "users/create",
            &[
                ("username", user.username),
                ("email", user.email),
                ("full_name", "Budi Santoso"),
                ("password", user.password),
                ("confirm", user.confirm),
                ("role", user.role),
                ("unit", user.unit),
            ],
        )
        .await
}

async fn get(admin: &Client, id: &str) -> Value {
    let reply = admin.call("users/get", &[("id", id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

fn roles(user: &Value) -> Vec<String> {
    let mut roles: Vec<String> = user["grants"]
        .as_array()
        .expect("grants")
        .iter()
        .map(|g| g["role"].as_str().unwrap_or_default().to_owned())
        .collect();
    roles.sort();
    roles
}

db_test!(
    an_admin_creates_a_unit_member_who_can_then_sign_in,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let aduan = app.unit_id("DIT-ADUAN").await;

        let reply = create(
            &admin,
            NewUser {
                username: "Budi.Santoso",
                email: "Budi@Kemen.go.id",
                role: "unit_member",
                unit: &aduan,
                ..NewUser::default()
            },
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let id = reply.json().as_str().expect("the new id").to_owned();

        let user = get(&admin, &id).await;
        assert_eq!(
            user["username"], "budi.santoso",
            "usernames are lower-cased"
        );
        assert_eq!(user["email"], "budi@kemen.go.id");
        assert_eq!(user["active"], true);
        assert_eq!(user["grants"][0]["role"], "unit_member");
        assert_eq!(user["grants"][0]["unit"], aduan.as_str());
        assert_eq!(
            user["grants"][0]["unit_name"],
            "Direktorat Pengaduan Masyarakat"
        );

        let list = admin.call("users/list", &[]).await.json();
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|u| u["id"] == id.as_str()),
            "listed"
        );
        assert_eq!(app.audit_rows("user", &id).await, 1);

        let budi = app.signed_in_with("budi.santoso", "budi-password-1").await;
        let me = budi.me().await.expect("signed in");
        assert_eq!(me["actor"]["grants"][0]["role"], "unit_member");
        assert_eq!(me["actor"]["grants"][0]["unit"], aduan.as_str());
        // A member is no administrator.
        let reply = budi.call("users/list", &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{reply}");
    }
);

db_test!(
    a_taken_username_or_email_is_409_on_its_field,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let reply = create(
            &admin,
            NewUser {
                email: "budi@kemen.go.id",
                ..NewUser::default()
            },
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let before = app.table_counts().await;

        let reply = create(
            &admin,
            NewUser {
                username: " ADMIN ",
                ..NewUser::default()
            },
        )
        .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{reply}");
        assert_eq!(reply.field(), "username", "{reply}");
        assert_eq!(reply.json()["problem"]["problem"], "taken");

        let reply = create(
            &admin,
            NewUser {
                username: "budi.lain",
                email: "BUDI@kemen.go.id",
                ..NewUser::default()
            },
        )
        .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{reply}");
        assert_eq!(reply.field(), "email", "{reply}");
        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);

db_test!(
    invalid_account_fields_are_422_on_their_field,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let before = app.table_counts().await;
        let cases = [
            (
                NewUser {
                    password: "short",
                    confirm: "short",
                    ..NewUser::default()
                },
                "password",
                serde_json::json!({"problem": "account", "detail": "weak_password"}),
            ),
            (
                NewUser {
                    password: "          ",
                    confirm: "          ",
                    ..NewUser::default()
                },
                "password",
                serde_json::json!({"problem": "account", "detail": "weak_password"}),
            ),
            (
                NewUser {
                    confirm: "budi-password-2",
                    ..NewUser::default()
                },
                "password",
                serde_json::json!({"problem": "account", "detail": "password_mismatch"}),
            ),
            (
                NewUser {
                    username: "no spaces",
                    ..NewUser::default()
                },
                "username",
                serde_json::json!({"problem": "account", "detail": "bad_username"}),
            ),
            (
                NewUser {
                    email: "budi@localhost",
                    ..NewUser::default()
                },
                "email",
                serde_json::json!({"problem": "account", "detail": "bad_email"}),
            ),
            (
                NewUser {
                    role: "superuser",
                    ..NewUser::default()
                },
                "role",
                serde_json::json!({"problem": "unknown_reference"}),
            ),
            (
                NewUser {
                    role: "unit_member",
                    unit: "",
                    ..NewUser::default()
                },
                "unit",
                Value::Null,
            ),
            (
                NewUser {
                    role: "unit_member",
                    unit: "00000000-0000-0000-0000-000000000000",
                    ..NewUser::default()
                },
                "unit",
                serde_json::json!({"problem": "unknown_reference"}),
            ),
        ];
        for (user, field, problem) in cases {
            let what = format!(
                "{}/{}/{}/{}",
                user.username, user.email, user.role, user.unit
            );
            let reply = create(&admin, user).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what}: {reply}"
            );
            assert_eq!(reply.field(), field, "{what}: {reply}");
            if !problem.is_null() {
                assert_eq!(reply.json()["problem"], problem, "{what}: {reply}");
            }
        }
        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);

db_test!(
    a_password_reset_by_an_admin_ends_the_users_sessions,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let member = app.signed_in("unit").await;
        let id = app.user_id("unit").await;
        let new = "reset-by-admin-1";

        let reply = admin
            .call(
                "users/password",
                &[("id", &id), ("password", "short"), ("confirm", "short")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(
            member.whoami().await.as_deref(),
            Some("unit"),
            "a refused reset changes nothing"
        );

        let reply = admin
            .call(
                "users/password",
                &[("id", &id), ("password", new), ("confirm", new)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(member.me().await, None, "the user's session ended");
        assert_eq!(
            admin.whoami().await.as_deref(),
            Some("admin"),
            "the admin's did not"
        );
        assert_eq!(app.audit_rows("user", &id).await, 2, "create + reset");

        let reply = app.client().login("unit", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "old password: {reply}"
        );
        let reply = app.client().login("unit", new).await;
        assert_eq!(reply.status, StatusCode::OK, "new password: {reply}");

        let reply = admin
            .call(
                "users/password",
                &[("id", "no-such-user"), ("password", new), ("confirm", new)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
    }
);

db_test!(
    granted_and_revoked_roles_take_effect_on_the_next_request,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let evaluator = app.signed_in("tpi").await;
        let id = app.user_id("tpi").await;
        let djpp = app.unit_id("DJPP").await;
        assert_eq!(
            evaluator.call("units/list", &[]).await.status,
            StatusCode::FORBIDDEN
        );

        let reply = admin
            .call(
                "users/grant",
                &[("id", &id), ("role", "admin"), ("unit", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let reply = admin
            .call(
                "users/grant",
                &[("id", &id), ("role", "leadership"), ("unit", &djpp)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let user = get(&admin, &id).await;
        assert_eq!(roles(&user), ["admin", "evaluator", "leadership"]);
        let reply = evaluator.call("units/list", &[]).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "the open session is an admin now: {reply}"
        );

        // Granting a role the user holds changes nothing and writes no audit row.
        let audit = app.audit_rows("user", &id).await;
        let reply = admin
            .call(
                "users/grant",
                &[("id", &id), ("role", "admin"), ("unit", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            roles(&get(&admin, &id).await),
            ["admin", "evaluator", "leadership"]
        );
        assert_eq!(app.audit_rows("user", &id).await, audit);

        let admin_grant = user["grants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["role"] == "admin")
            .and_then(|g| g["id"].as_str())
            .expect("the admin grant")
            .to_owned();
        let reply = admin
            .call("users/revoke", &[("id", &id), ("grant", &admin_grant)])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(roles(&get(&admin, &id).await), ["evaluator", "leadership"]);
        let reply = evaluator.call("units/list", &[]).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "revoked at once: {reply}"
        );
        assert_eq!(app.audit_rows("user", &id).await, audit + 1);

        let reply = admin
            .call("users/revoke", &[("id", &id), ("grant", &admin_grant)])
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "already revoked: {reply}"
        );
        let reply = admin
            .call(
                "users/grant",
                &[("id", &id), ("role", "unit_member"), ("unit", "")],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a member needs a unit: {reply}"
        );
        let reply = admin
            .call(
                "users/grant",
                &[("id", "no-such-user"), ("role", "evaluator"), ("unit", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
    }
);

db_test!(
    an_admin_cannot_deactivate_themself_or_drop_their_own_admin_role,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let id = app.user_id("admin").await;
        let before = app.table_counts().await;

        let reply = admin
            .call("users/active", &[("id", &id), ("active", "false")])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{reply}");
        assert_eq!(reply.error(), "forbidden");

        let grant = get(&admin, &id).await["grants"][0]["id"]
            .as_str()
            .expect("grant id")
            .to_owned();
        let reply = admin
            .call("users/revoke", &[("id", &id), ("grant", &grant)])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{reply}");

        assert_eq!(app.table_counts().await, before, "nothing written");
        assert_eq!(admin.whoami().await.as_deref(), Some("admin"));
        assert_eq!(admin.call("users/list", &[]).await.status, StatusCode::OK);
    }
);

db_test!(an_unknown_user_id_is_404, |app| async move {
    let admin = app.signed_in("admin").await;
    for (endpoint, form) in [
        ("users/get", vec![("id", "no-such-user")]),
        (
            "users/active",
            vec![("id", "no-such-user"), ("active", "false")],
        ),
    ] {
        let reply = admin.call(endpoint, &form).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{endpoint}: {reply}");
        assert_eq!(reply.error(), "not_found");
    }
});
