//! The unit tree as an administrator manages it.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

/// The unit with `id` as `units/list` shows it.
async fn listed(admin: &Client, id: &str) -> Value {
    let reply = admin.call("units/list", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .find(|unit| unit["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("unit {id} is not listed"))
}

async fn create(admin: &Client, code: &str, name: &str, kind: &str, parent: &str) -> Reply {
    admin
        .call(
            "units/create",
            &[
                ("code", code),
                ("name", name),
                ("kind", kind),
                ("parent", parent),
            ],
        )
        .await
}

async fn update(admin: &Client, id: &str, name: &str, kind: &str, parent: &str) -> Reply {
    admin
        .call(
            "units/update",
            &[
                ("id", id),
                ("name", name),
                ("kind", kind),
                ("parent", parent),
            ],
        )
        .await
}

db_test!(
    an_admin_creates_renames_moves_and_deactivates_a_unit_each_change_audited,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let admin_id = app.user_id("admin").await;
        let djpp = app.unit_id("DJPP").await;
        let itjen = app.unit_id("ITJEN").await;

        let reply = create(
            &admin,
            " dit-baru ",
            "Direktorat  Baru",
            "direktorat",
            &djpp,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let id = reply.json().as_str().expect("the new id").to_owned();
        let unit = listed(&admin, &id).await;
        assert_eq!(
            unit["code"], "DIT-BARU",
            "codes are trimmed and upper-cased"
        );
        assert_eq!(unit["name"], "Direktorat Baru", "names collapse whitespace");
        assert_eq!(unit["kind"], "direktorat");
        assert_eq!(unit["parent"], djpp.as_str());
        assert_eq!(unit["active"], true);
        assert_eq!(app.audit_rows("unit", &id).await, 1);

        let reply = update(&admin, &id, "Direktorat Layanan Baru", "eselon_ii", &itjen).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let unit = listed(&admin, &id).await;
        assert_eq!(unit["name"], "Direktorat Layanan Baru");
        assert_eq!(unit["kind"], "eselon_ii");
        assert_eq!(unit["parent"], itjen.as_str(), "moved under ITJEN");
        assert_eq!(unit["code"], "DIT-BARU", "the code stays");
        assert_eq!(app.audit_rows("unit", &id).await, 2);

        let reply = admin
            .call("units/active", &[("id", &id), ("active", "false")])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(listed(&admin, &id).await["active"], false);
        assert_eq!(app.audit_rows("unit", &id).await, 3);

        // Moved to the top of the tree (no parent).
        let reply = update(&admin, &id, "Direktorat Layanan Baru", "eselon_ii", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(listed(&admin, &id).await["parent"], Value::Null);
        assert_eq!(app.audit_rows("unit", &id).await, 4);

        let actions = sqlx::query_scalar::<_, String>(
            "SELECT action FROM audit_log WHERE entity = 'unit' AND entity_id = $1 AND actor_id = $2",
        )
        .bind(&id)
        .bind(&admin_id)
        .fetch_all(&app.db)
        .await
        .expect("audit rows");
        let mut actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        actions.sort_unstable();
        assert_eq!(
            actions,
            [
                "unit.create",
                "unit.deactivate",
                "unit.update",
                "unit.update"
            ],
            "each row names the admin as the actor"
        );
    }
);

db_test!(
    a_duplicate_code_is_409_on_the_code_field_and_writes_nothing,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let djpp = app.unit_id("DJPP").await;
        let before = app.table_counts().await;

        let reply = create(&admin, "dit-izin", "Direktorat Kembar", "direktorat", &djpp).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{reply}");
        assert_eq!(reply.error(), "invalid", "{reply}");
        assert_eq!(reply.field(), "code", "{reply}");
        assert_eq!(reply.json()["problem"]["problem"], "taken", "{reply}");
        assert_eq!(app.table_counts().await, before);
    }
);

db_test!(
    moving_a_unit_under_itself_or_its_descendant_is_a_422_cycle,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let djpp = app.unit_id("DJPP").await;
        let kemen = app.unit_id("KEMEN").await;
        let dit_izin = app.unit_id("DIT-IZIN").await;
        let before = app.table_counts().await;

        for (under, parent) in [("its child DIT-IZIN", &dit_izin), ("itself", &djpp)] {
            let reply = update(
                &admin,
                &djpp,
                "Direktorat Jenderal Pelayanan Publik",
                "eselon_i",
                parent,
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "DJPP under {under}: {reply}"
            );
            assert_eq!(reply.field(), "parent", "{reply}");
            assert_eq!(
                reply.json()["problem"],
                serde_json::json!({"problem": "unit", "detail": "cycle"}),
                "{reply}"
            );
        }
        // The root cannot go under a grandchild either.
        let reply = update(&admin, &kemen, "Kementerian Contoh", "instansi", &dit_izin).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");

        assert_eq!(app.table_counts().await, before, "nothing written");
        assert_eq!(listed(&admin, &djpp).await["parent"], kemen.as_str());
        assert_eq!(listed(&admin, &kemen).await["parent"], Value::Null);
    }
);

db_test!(
    an_unknown_parent_is_a_422_on_the_parent_field,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let djpp = app.unit_id("DJPP").await;
        let before = app.table_counts().await;
        let missing = "00000000-0000-0000-0000-000000000000";

        let reply = create(&admin, "YATIM", "Unit Yatim", "other", missing).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "parent", "{reply}");
        assert_eq!(reply.json()["problem"]["problem"], "unknown_reference");

        let reply = update(
            &admin,
            &djpp,
            "Direktorat Jenderal Pelayanan Publik",
            "eselon_i",
            missing,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "parent", "{reply}");
        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);

db_test!(
    invalid_unit_fields_are_422_on_their_field_and_unknown_units_404,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let djpp = app.unit_id("DJPP").await;
        let before = app.table_counts().await;

        for (code, name, kind, field) in [
            ("X", "Unit X", "other", "code"),
            ("BAD CODE", "Unit X", "other", "code"),
            ("OKAY", "x", "other", "name"),
            ("OKAY", "Unit Okay", "kanwil", "kind"),
        ] {
            let reply = create(&admin, code, name, kind, &djpp).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{code}/{name}/{kind}: {reply}"
            );
            assert_eq!(reply.field(), field, "{reply}");
        }

        let missing = "00000000-0000-0000-0000-000000000000";
        let reply = update(&admin, missing, "Tidak Ada", "other", "").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
        assert_eq!(reply.error(), "not_found");
        let reply = admin
            .call("units/active", &[("id", missing), ("active", "false")])
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);
