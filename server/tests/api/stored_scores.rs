//! Each assessment's scores are stored when it is written (issue 16), and the
//! dashboard reads them: after every kind of write the stored row equals
//! scoring the assessment's rows from scratch, and the dashboard shows it.

use crate::db_test;
use crate::helpers::{Client, TestApp};
use app::backend::db;
use app::domain::dashboard::{Readiness, StoredScore};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

/// Every assessment: its stored row equals scoring its rows now, and the
/// dashboard row shows exactly the stored numbers. `after` names the step.
async fn stored_equals_scratch(app: &TestApp, admin: &Client, after: &str) {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM assessments ORDER BY id")
        .fetch_all(&app.db)
        .await
        .expect("assessments");
    let view = admin.call("dashboard/get", &[]).await;
    assert_eq!(view.status, StatusCode::OK, "{after}: {view}");
    let view = view.json();
    let rows = view["rows"].as_array().expect("rows");
    for id in &ids {
        let mut conn = app.db.acquire().await.expect("connection");
        let stored = db::scores::get(&mut conn, id)
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("{after}: no stored score for {id}"));
        let scratch = app::backend::scores::compute(&mut conn, id)
            .await
            .expect("scored");
        assert_eq!(
            stored, scratch,
            "{after}: the stored score of {id} is stale"
        );
        if let Some(row) = rows.iter().find(|r| r["assessment_id"] == id.as_str()) {
            shows(app, row, &stored, after).await;
        }
    }
}

macro_rules! json {
    ($value:expr) => {
        serde_json::to_value(&$value).expect("json")
    };
}

/// The dashboard row carries the stored numbers.
async fn shows(app: &TestApp, row: &Value, stored: &StoredScore, after: &str) {
    assert_eq!(
        row["self_total"].as_f64(),
        Some(stored.unit.total),
        "{after}: {row}"
    );
    assert_eq!(
        row["tpi_total"].as_f64(),
        stored.tpi.as_ref().map(|t| t.total),
        "{after}: {row}"
    );
    assert_eq!(
        row["completeness"],
        json!(stored.unit.completeness),
        "{after}"
    );
    assert_eq!(row["coverage"], json!(stored.coverage), "{after}");
    assert_eq!(row["reviewed"], stored.reviewed, "{after}");
    let state: app::domain::lke::AssessmentState =
        serde_json::from_value(row["state"].clone()).expect("state");
    let counted = stored.counted(state);
    assert_eq!(row["areas"], json!(counted.areas), "{after}: {row}");
    let unit = row["unit_id"].as_str().expect("unit");
    let holds_wbk = app
        .count(
            "SELECT COUNT(*) FROM national_stages n JOIN assessments a \
             ON a.id = n.assessment_id WHERE a.unit_id = $1 AND n.stage = 'final_result' \
             AND n.outcome = 'wbk'",
            &[unit],
        )
        .await
        > 0;
    let readiness = Readiness::with_coverage(counted.readiness(holds_wbk), stored.coverage);
    assert_eq!(row["readiness"], json!(readiness), "{after}: {row}");
}

fn reference_workbook() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    ))
    .expect("the reference workbook")
}

fn thresholds(total: &str) -> Vec<(String, String)> {
    let values = [total, "45,5", "65", "18.25", "15,75", "2,5", "14"];
    let mut form = vec![("key".to_owned(), "permenpanrb-90-2021".to_owned())];
    for predicate in ["wbk", "wbbm"] {
        for (i, v) in values.iter().enumerate() {
            form.push((format!("{predicate}[{i}]"), (*v).to_owned()));
        }
    }
    form
}

async fn dashboard_row(admin: &Client, id: &str) -> Value {
    let view = admin.call("dashboard/get", &[]).await.json();
    view["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["assessment_id"] == id).cloned())
        .unwrap_or_else(|| panic!("no row for {id}: {view}"))
}

db_test!(
    after_every_kind_of_write_the_dashboard_shows_the_scores_of_the_answers,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let unit = app.signed_in("unit").await;
        let tpi = app.signed_in("tpi").await;
        let izin = app.assessment_of("DIT-IZIN").await;
        let medan = app.assessment_of("BDK-MDN").await;
        stored_equals_scratch(&app, &admin, "the demo data").await;

        // A typed answer and the Save-all of an area.
        let saved = unit
            .call(
                "assessments/answers",
                &[("assessment", izin.as_str()), ("value[P.MP.i.a]", "Ya")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        let saved = unit
            .call(
                "assessments/answers",
                &[
                    ("assessment", izin.as_str()),
                    ("value[P.MP.i.b]", "B"),
                    ("value[P.MP.ii.c]", "A"),
                    ("value[R.MP.i.a.1]", "12"),
                    ("value[H.I.a]", "3,5"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        stored_equals_scratch(&app, &admin, "answer saves").await;

        // The workbook import: the engine's documented score of that workbook.
        let imported = unit
            .call_multipart(
                "assessments/import",
                &[("assessment", &izin), ("confirm", "yes")],
                ("lke.xlsx", reference_workbook()),
            )
            .await;
        assert_eq!(imported.status, StatusCode::OK, "{imported}");
        stored_equals_scratch(&app, &admin, "the workbook import").await;
        let row = dashboard_row(&admin, &izin).await;
        let total = row["self_total"].as_f64().expect("total");
        assert!(
            (total - 95.709_523_809_523_8).abs() < 1e-9,
            "the reference workbook scores 95.7095238095238: {row}"
        );

        // Evidence counts towards readiness.
        let uploaded = unit
            .post_multipart(
                &format!("/assessments/{izin}/evidence"),
                &[("item", "P.MP.i.a")],
                Some(("sk.pdf", b"%PDF-1.4 sk tim".to_vec())),
                true,
            )
            .await;
        assert!(
            uploaded.status.is_success() || uploaded.status.is_redirection(),
            "{uploaded}"
        );
        stored_equals_scratch(&app, &admin, "an evidence upload").await;
        assert_eq!(
            dashboard_row(&admin, &izin).await["coverage"]["with_evidence"],
            1
        );

        // The evaluators' lane, then the finalization that makes it count.
        let reviewed = tpi
            .call(
                "review/save",
                &[
                    ("assessment", medan.as_str()),
                    ("item", "P.MP.i.b"),
                    ("version", "0"),
                    ("value[P.MP.i.b]", "C"),
                    ("status", "perlu_perbaikan"),
                ],
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::OK, "{reviewed}");
        stored_equals_scratch(&app, &admin, "an evaluator's score").await;
        let row = dashboard_row(&admin, &medan).await;
        assert!(row["tpi_total"].as_f64().is_some(), "{row}");
        assert_eq!(row["reviewed"], 1, "{row}");
        let first = tpi
            .call("review/finalize", &[("assessment", medan.as_str())])
            .await;
        let unreviewed = first.json()["unreviewed"].to_string();
        let finalized = tpi
            .call(
                "review/finalize",
                &[
                    ("assessment", medan.as_str()),
                    ("confirm", "yes"),
                    ("unreviewed", &unreviewed),
                ],
            )
            .await;
        assert_eq!(finalized.status, StatusCode::OK, "{finalized}");
        stored_equals_scratch(&app, &admin, "the finalization").await;
        let row = dashboard_row(&admin, &medan).await;
        assert_eq!(row["state"], "finalized", "{row}");

        // A threshold edit rescores every assessment on that rubric.
        let before = dashboard_row(&admin, &izin).await["readiness"].clone();
        let form = thresholds("99");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let edited = admin.call("rubrics/gates/update", &pairs).await;
        assert_eq!(edited.status, StatusCode::OK, "{edited}");
        stored_equals_scratch(&app, &admin, "a threshold edit").await;
        let after = dashboard_row(&admin, &izin).await["readiness"].clone();
        assert_ne!(before, after, "99 points is out of reach of 95.71");
        assert_eq!(after["kind"], "short", "{after}");
    }
);

db_test!(
    concurrent_saves_leave_the_stored_score_equal_to_scoring_from_scratch,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let id = app.assessment_of("DIT-IZIN").await;
        let members: Vec<Client> = join_all((0..4).map(|_| app.signed_in("unit"))).await;
        let items = [
            "P.MP.i.b",
            "P.MP.ii.b",
            "P.MP.ii.c",
            "P.MP.iii.a",
            "P.MP.iii.b",
            "P.MP.iii.c",
            "P.MP.iv.b",
            "P.MP.iv.c",
            "P.MP.iv.d",
            "P.TT.i.a",
            "P.TT.i.b",
            "P.TT.i.c",
        ];
        let saves = items.iter().enumerate().map(|(n, item)| {
            let (client, id) = (&members[n % members.len()], &id);
            let field = format!("value[{item}]");
            async move {
                let reply = client
                    .call("assessments/answers", &[("assessment", id), (&field, "A")])
                    .await;
                assert_eq!(reply.status, StatusCode::OK, "{item}: {reply}");
            }
        });
        join_all(saves).await;
        stored_equals_scratch(&app, &admin, "twelve concurrent saves").await;
        let row = dashboard_row(&admin, &id).await;
        let answered = row["completeness"]["answered"].as_u64().unwrap_or_default();
        assert!(
            answered >= items.len() as u64,
            "every concurrent save counts: {row}"
        );
    }
);

db_test!(
    startup_stores_the_scores_of_assessments_created_before,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let shown = admin.call("dashboard/get", &[]).await.json()["rows"].clone();
        let assessments = app.count("SELECT COUNT(*) FROM assessments", &[]).await;
        assert!(assessments >= 4);
        // As a database from before the stored scores looks.
        sqlx::query("DELETE FROM assessment_scores")
            .execute(&app.db)
            .await
            .expect("delete");
        let db = zi::startup::open_database(&app.settings)
            .await
            .expect("startup");
        db.close().await;
        let stored = app
            .count("SELECT COUNT(*) FROM assessment_scores", &[])
            .await;
        assert_eq!(stored, assessments, "one row per assessment");
        stored_equals_scratch(&app, &admin, "the backfill").await;
        let again = admin.call("dashboard/get", &[]).await.json()["rows"].clone();
        assert_eq!(shown, again, "the dashboard shows what it showed before");
    }
);
