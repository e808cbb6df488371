//! Rubric versions: the workbook upload and the editable WBK/WBBM thresholds.

use crate::db_test;
use reqwest::StatusCode;

const WORKBOOK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
);

fn workbook() -> Vec<u8> {
    std::fs::read(WORKBOOK).expect("the reference workbook")
}

const META: [(&str, &str); 4] = [
    ("key", "instansi-2026"),
    ("title", "LKE instansi 2026"),
    ("legal_basis", "PermenPANRB 90/2021"),
    ("from_year", "2026"),
];

db_test!(
    an_admin_imports_a_workbook_as_a_new_rubric_version_with_notes_by_cell,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let reply = admin
            .call_multipart("rubrics/import", &META, ("lke.xlsx", workbook()))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let body = reply.json();
        assert_eq!(body["key"], "instansi-2026");
        let notes = body["notes"].as_array().expect("notes");
        assert!(
            notes.iter().any(|n| n["row"] == 123
                && n["column"] == "F"
                && n["kind"] == "label_out_of_order"),
            "the swapped b./c. labels are reported by cell: {body}"
        );
        let listed = admin.call("rubrics/list", &[]).await.json();
        let keys: Vec<&str> = listed
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|r| r["key"].as_str())
            .collect();
        assert_eq!(keys, ["permenpanrb-90-2021", "instansi-2026"]);
        assert_eq!(app.audit_rows("rubric_version", "instansi-2026").await, 1);

        let again = admin
            .call_multipart("rubrics/import", &META, ("lke.xlsx", workbook()))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{again}");
        assert_eq!(again.field(), "key", "{again}");
    }
);

db_test!(
    a_file_that_is_not_a_workbook_is_refused_with_a_reason_and_nothing_stored,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let reply = admin
            .call_multipart(
                "rubrics/import",
                &META,
                ("notes.xlsx", b"just text".to_vec()),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "file", "{reply}");
        assert_eq!(reply.json()["problem"]["detail"], "not_xlsx", "{reply}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM rubric_versions", &[]).await,
            1
        );
    }
);

db_test!(
    only_an_administrator_may_import_a_rubric,
    |app| async move {
        for who in ["unit", "tpi", "pimpinan"] {
            let client = app.signed_in(who).await;
            let reply = client
                .call_multipart("rubrics/import", &META, ("lke.xlsx", workbook()))
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}: {reply}");
        }
        let reply = app
            .client()
            .call_multipart("rubrics/import", &META, ("lke.xlsx", workbook()))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM rubric_versions", &[]).await,
            1
        );
    }
);

fn thresholds(values: &[&str]) -> Vec<(String, String)> {
    ["wbk", "wbbm"]
        .iter()
        .flat_map(|p| {
            values
                .iter()
                .enumerate()
                .map(move |(i, v)| (format!("{p}[{i}]"), v.to_string()))
        })
        .collect()
}

db_test!(
    an_admin_edits_the_thresholds_with_a_decimal_comma_or_point,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let mut form = vec![("key".to_owned(), "permenpanrb-90-2021".to_owned())];
        form.extend(thresholds(&[
            "80", "45,5", "65", "18.25", "15,75", "2,5", "14",
        ]));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let reply = admin.call("rubrics/gates/update", &pairs).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let gates = admin
            .call("rubrics/gates", &[("key", "permenpanrb-90-2021")])
            .await
            .json();
        let wbk = &gates["wbk"]["gates"];
        assert_eq!(wbk[0]["threshold"]["value"], 80.0, "{gates}");
        assert_eq!(wbk[1]["threshold"]["value"], 45.5, "{gates}");
        assert_eq!(
            wbk[2]["threshold"]["value"], 0.65,
            "per-area share: {gates}"
        );
        assert_eq!(
            app.audit_rows("rubric_version", "permenpanrb-90-2021")
                .await,
            1
        );

        let mut bad = vec![("key".to_owned(), "permenpanrb-90-2021".to_owned())];
        bad.extend(thresholds(&["80", "banyak", "65", "18", "15", "2", "14"]));
        let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let reply = admin.call("rubrics/gates/update", &pairs).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "threshold", "{reply}");

        let unit = app.signed_in("unit").await;
        let reply = unit.call("rubrics/gates/update", &pairs).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{reply}");
    }
);
