//! The national stages after the proposal over HTTP: the whole path to the
//! predicate, each stage in its place (out of order, before the proposal,
//! a second sanggah: refused in Indonesian, nothing written), two
//! administrators at once, hostile notes on every page that shows them, who
//! may record, the audit lines, and the dashboard's funnel.

use reqwest::StatusCode;
use serde_json::Value;

use crate::db_test;
use crate::helpers::{current_year, Client, Reply, TestApp};

/// The demo's proposed unit (Balai Diklat Surabaya, WBK); returns its assessment.
pub(crate) async fn proposed(app: &TestApp) -> String {
    zi::demo::seed_proposed(&app.db, app.state.blobs.as_ref(), current_year())
        .await
        .expect("the proposed demo unit");
    app.assessment_of("BDK-SBY").await
}

/// A day of last year, so that every date lies in the past.
fn day(month_day: &str) -> String {
    format!("{}-{month_day}", current_year() - 1)
}

pub(crate) async fn record(
    client: &Client,
    id: &str,
    stage: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let mut form = vec![("assessment", id), ("stage", stage)];
    form.extend_from_slice(fields);
    client.call("national/record", &form).await
}

/// Records the selection (lulus), the document review, the interview, the
/// field verification and the panel, each answered 200.
pub(crate) async fn to_panel(admin: &Client, id: &str) {
    let selection = record(
        admin,
        id,
        "administrative_selection",
        &[("outcome", "lulus"), ("day", &day("08-20"))],
    )
    .await;
    assert_eq!(selection.status, StatusCode::OK, "{selection}");
    for (stage, when) in [
        ("document_review", "09-10"),
        ("interview", "09-20"),
        ("field_verification", "10-05"),
        ("panel", "11-01"),
    ] {
        let reply = record(admin, id, stage, &[("day", &day(when))]).await;
        assert_eq!(reply.status, StatusCode::OK, "{stage}: {reply}");
    }
}

async fn stages(app: &TestApp, id: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM national_stages WHERE assessment_id = $1",
        &[id],
    )
    .await
}

async fn stage_audits(app: &TestApp, id: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'national.stage' AND entity_id = $1",
        &[id],
    )
    .await
}

fn reason(reply: &Reply) -> Value {
    assert_eq!(reply.status, StatusCode::CONFLICT, "{reply}");
    let json = reply.json();
    assert_eq!(json["refusal"], "national", "{reply}");
    json["reason"].clone()
}

async fn load(client: &Client, id: &str) -> Value {
    let reply = client.call("assessments/get", &[("id", id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

const HOSTILE: &str = "Lengkapi SK</textarea><script>alert('zi')</script><b>tebal</b>";

db_test!(
    the_whole_national_path_is_recorded_in_order_up_to_the_predicate,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        let selection = record(
            &admin,
            &id,
            "administrative_selection",
            &[
                ("outcome", "lulus_dengan_catatan"),
                ("day", &day("08-20")),
                ("note", HOSTILE),
                ("seq", "1"),
            ],
        )
        .await;
        assert_eq!(selection.status, StatusCode::OK, "{selection}");
        let history = selection.json();
        assert_eq!(history[0]["stage"]["kind"], "administrative_selection");
        assert_eq!(history[0]["stage"]["outcome"], "lulus_dengan_catatan");
        assert_eq!(history[0]["stage"]["notes"], HOSTILE, "kept as typed");
        assert_eq!(history[0]["recorded_by"], "Administrator Instansi");

        for (seq, (stage, when)) in [
            ("document_review", "09-10"),
            ("interview", "09-20"),
            ("field_verification", "10-05"),
            ("panel", "11-01"),
        ]
        .into_iter()
        .enumerate()
        {
            let seq = (seq + 2).to_string();
            let reply = record(&admin, &id, stage, &[("day", &day(when)), ("seq", &seq)]).await;
            assert_eq!(reply.status, StatusCode::OK, "{stage}: {reply}");
        }
        // The unit's page shows where it stands.
        let page = admin.get(&format!("/assessments/{id}")).await;
        assert!(
            page.body.contains("Tahap nasional: Rapat panel"),
            "{}",
            page.body
        );

        let result = record(
            &admin,
            &id,
            "final_result",
            &[
                ("predicate", "wbk"),
                ("day", &day("12-01")),
                ("decree", "SK MENPANRB 123/2026"),
                ("confirm", "yes"),
                ("seq", "6"),
            ],
        )
        .await;
        assert_eq!(result.status, StatusCode::OK, "{result}");
        assert_eq!(result.json().as_array().map(Vec::len), Some(6));
        let data = load(&admin, &id).await;
        assert_eq!(data["header"]["summary"]["state"], "awarded");
        assert_eq!(data["predicates"][0]["predicate"], "wbk");
        assert_eq!(data["predicates"][0]["awarded"], true);
        assert_eq!(data["predicates"][0]["decree"], "SK MENPANRB 123/2026");
        assert_eq!(data["national"].as_array().map(Vec::len), Some(6));
        assert_eq!(stages(&app, &id).await, 6);
        assert_eq!(stage_audits(&app, &id).await, 6, "one audit line per stage");
        let last = app
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'national.stage' AND entity_id = $1 \
                 AND after_json LIKE '%awarded%' AND after_json LIKE '%SK MENPANRB 123/2026%'",
                &[&id],
            )
            .await;
        assert_eq!(
            last, 1,
            "the result's audit line names the state and the decree"
        );

        // After the result nothing more.
        let late = record(&admin, &id, "panel", &[("day", &day("12-02"))]).await;
        assert_eq!(reason(&late)["reason"], "ended");
        assert_eq!(stages(&app, &id).await, 6);

        // The administrator's page lists every stage, the hostile note as text.
        let page = admin.get(&format!("/admin/assessments/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("data-testid=\"national-history\""),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("<script>alert('zi')"),
            "the note is not markup"
        );
        assert!(
            !page.body.contains("<b>tebal</b>"),
            "the note is not markup"
        );
        assert!(
            page.body.contains("&lt;script&gt;alert(") || page.body.contains("&lt;script>alert("),
            "the note is shown as text"
        );
        assert!(page.body.contains("SK MENPANRB 123/2026"));
        assert!(
            !page.body.contains("data-testid=\"national-form\""),
            "no form once decided"
        );
    }
);

db_test!(
    a_stage_out_of_order_or_before_the_proposal_is_refused_and_writes_nothing,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        let early = record(&admin, &id, "interview", &[("day", &day("09-20"))]).await;
        let why = reason(&early);
        assert_eq!(why["reason"], "out_of_order");
        assert_eq!(why["expected"], "administrative_selection");
        let result = record(
            &admin,
            &id,
            "final_result",
            &[
                ("predicate", "wbk"),
                ("day", &day("12-01")),
                ("decree", "SK 1"),
                ("confirm", "yes"),
            ],
        )
        .await;
        assert_eq!(reason(&result)["reason"], "out_of_order");
        assert_eq!(stages(&app, &id).await, 0);
        assert_eq!(stage_audits(&app, &id).await, 0);
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "proposed"
        );

        // Without JavaScript the refusal comes back on the page, in Indonesian.
        let page = app.url(&format!("/admin/assessments/{id}"));
        let posted = admin
            .http
            .post(app.url("/api/national/record"))
            .header("accept", "text/html")
            .header("referer", &page)
            .form(&[
                ("assessment", id.as_str()),
                ("stage", "panel"),
                ("day", &day("11-01")),
            ])
            .send()
            .await
            .expect("POST national/record");
        assert_eq!(posted.status(), StatusCode::FOUND);
        let back = posted.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(back.contains("__err="), "{back}");
        let shown = admin.get(back.trim_start_matches(&app.address)).await;
        assert!(
            shown.body.contains(
                "Tahap ini tidak dapat dicatat sekarang: tahap berikutnya adalah Seleksi administrasi."
            ),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("data-testid=\"national-form\""));
        assert_eq!(stages(&app, &id).await, 0);

        // Bad fields are 422 on their field.
        for (fields, field) in [
            (
                vec![("outcome", "lolos".to_owned()), ("day", day("08-20"))],
                "outcome",
            ),
            (
                vec![
                    ("outcome", "lulus".to_owned()),
                    ("day", "20/08/2026".to_owned()),
                ],
                "day",
            ),
            (
                vec![("outcome", "tidak_lulus".to_owned()), ("day", day("08-20"))],
                "note",
            ),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let bad = record(&admin, &id, "administrative_selection", &fields).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert_eq!(bad.field(), field, "{bad}");
        }
        let unknown = record(&admin, &id, "banding", &[("day", &day("08-20"))]).await;
        assert_eq!(unknown.field(), "stage", "{unknown}");
        assert_eq!(stages(&app, &id).await, 0);

        // An assessment nobody proposed takes no stage.
        let draft = app.assessment_of("DIT-IZIN").await;
        let refused = record(
            &admin,
            &draft,
            "administrative_selection",
            &[("outcome", "lulus"), ("day", &day("08-20"))],
        )
        .await;
        assert_eq!(reason(&refused)["reason"], "not_proposed");
        assert_eq!(stages(&app, &draft).await, 0);
    }
);

db_test!(
    a_failed_selection_takes_one_sanggah_within_its_window,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        let failed = record(
            &admin,
            &id,
            "administrative_selection",
            &[
                ("outcome", "tidak_lulus"),
                ("day", &day("08-29")),
                ("note", "SPTJM belum diunggah"),
            ],
        )
        .await;
        assert_eq!(failed.status, StatusCode::OK, "{failed}");
        let page = admin.get(&format!("/dashboard/{id}")).await;
        assert!(
            page.body
                .contains("Tidak lulus seleksi administrasi; sanggah dapat diajukan"),
            "{}",
            page.body
        );
        let review = record(&admin, &id, "document_review", &[("day", &day("09-10"))]).await;
        assert_eq!(
            reason(&review)["expected"],
            "sanggah",
            "only a sanggah may follow"
        );

        let (start, end) = (day("08-30"), day("09-04"));
        let links =
            "https://zi.example.go.id/bukti/abc/P.MP.i.a\nhttps://drive.example.go.id/sptjm.pdf";
        let sanggah = |filed: String, links: &'static str| {
            let (admin, id, start, end) = (admin.clone(), id.clone(), start.clone(), end.clone());
            async move {
                record(
                    &admin,
                    &id,
                    "sanggah",
                    &[
                        ("window_start", &start),
                        ("window_end", &end),
                        ("filed_on", &filed),
                        ("links", links),
                        ("outcome", "diterima"),
                    ],
                )
                .await
            }
        };
        let late = sanggah(day("09-05"), links).await;
        assert_eq!(reason(&late)["reason"], "sanggah_outside_window");
        let bad_link = sanggah(day("09-01"), "javascript:alert(1)").await;
        assert_eq!(
            bad_link.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad_link}"
        );
        assert_eq!(bad_link.field(), "links");
        assert_eq!(
            stages(&app, &id).await,
            1,
            "nothing written by the refusals"
        );

        let accepted = sanggah(day("09-04"), links).await;
        assert_eq!(accepted.status, StatusCode::OK, "{accepted}");
        let history = accepted.json();
        assert_eq!(
            history[1]["stage"]["links"].as_array().map(Vec::len),
            Some(2)
        );
        let again = sanggah(day("09-04"), links).await;
        assert_eq!(reason(&again)["reason"], "sanggah_twice");
        assert_eq!(stages(&app, &id).await, 2);
        assert_eq!(stage_audits(&app, &id).await, 2);

        // An accepted sanggah goes on to the document review.
        let review = record(&admin, &id, "document_review", &[("day", &day("09-10"))]).await;
        assert_eq!(review.status, StatusCode::OK, "{review}");
        let page = admin.get(&format!("/admin/assessments/{id}")).await;
        assert!(page.body.contains("https://drive.example.go.id/sptjm.pdf"));
        assert!(
            page.body.contains("Catat tahap berikutnya: Wawancara"),
            "{}",
            page.body
        );
    }
);

db_test!(
    two_administrators_recording_at_once_advance_once,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        let other = app.signed_in("admin").await;
        let fields = [
            ("outcome", "lulus".to_owned()),
            ("day", day("08-20")),
            ("seq", "1".to_owned()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (a, b) = tokio::join!(
            record(&admin, &id, "administrative_selection", &fields),
            record(&other, &id, "administrative_selection", &fields),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{a} / {b}"
        );
        let refused = if a.status == StatusCode::OK { &b } else { &a };
        assert_eq!(
            refused.json()["refusal"],
            "stage_recorded_meanwhile",
            "{refused}"
        );
        assert_eq!(stages(&app, &id).await, 1);
        assert_eq!(stage_audits(&app, &id).await, 1);

        // A form loaded before the last stage is stale, whatever it records.
        let stale = record(
            &other,
            &id,
            "document_review",
            &[("day", &day("09-10")), ("seq", "1")],
        )
        .await;
        assert_eq!(
            stale.json()["refusal"],
            "stage_recorded_meanwhile",
            "{stale}"
        );
        assert_eq!(stages(&app, &id).await, 1);
    }
);

db_test!(
    only_administrators_record_and_whoever_reads_the_unit_sees_the_stages,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        to_panel(&admin, &id).await;
        for who in ["unit", "tpi", "pimpinan", "medan"] {
            let client = app.signed_in(who).await;
            let refused = record(
                &client,
                &id,
                "final_result",
                &[
                    ("predicate", "wbk"),
                    ("day", &day("12-01")),
                    ("decree", "SK palsu"),
                    ("confirm", "yes"),
                ],
            )
            .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}: {refused}");
        }
        let anonymous = record(&app.client(), &id, "panel", &[("day", &day("11-02"))]).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(stages(&app, &id).await, 5);
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "proposed"
        );

        let leader = app.signed_in("pimpinan").await;
        let listed = leader.call("national/list", &[("assessment", &id)]).await;
        assert_eq!(listed.status, StatusCode::OK, "{listed}");
        assert_eq!(listed.json().as_array().map(Vec::len), Some(5));
        let page = leader.get(&format!("/dashboard/{id}")).await;
        assert!(
            page.body.contains("Tahap nasional: Rapat panel"),
            "{}",
            page.body
        );
        let stranger = app.signed_in("unit").await;
        let hidden = stranger.call("national/list", &[("assessment", &id)]).await;
        assert_eq!(hidden.status, StatusCode::FORBIDDEN, "{hidden}");

        // The final result needs its tick and a choice; nothing is preselected.
        let unticked = record(
            &admin,
            &id,
            "final_result",
            &[
                ("predicate", "none"),
                ("day", &day("12-01")),
                ("decree", "SK 9/2026"),
            ],
        )
        .await;
        assert_eq!(unticked.field(), "confirm", "{unticked}");
        let no_choice = record(
            &admin,
            &id,
            "final_result",
            &[
                ("day", &day("12-01")),
                ("decree", "SK 9/2026"),
                ("confirm", "yes"),
            ],
        )
        .await;
        assert_eq!(no_choice.field(), "predicate", "{no_choice}");
        let other_predicate = record(
            &admin,
            &id,
            "final_result",
            &[
                ("predicate", "wbbm"),
                ("day", &day("12-01")),
                ("decree", "SK 9/2026"),
                ("confirm", "yes"),
            ],
        )
        .await;
        assert_eq!(reason(&other_predicate)["reason"], "predicate_not_target");
        let none = record(
            &admin,
            &id,
            "final_result",
            &[
                ("predicate", "none"),
                ("day", &day("12-01")),
                ("decree", "SK 9/2026"),
                ("confirm", "yes"),
            ],
        )
        .await;
        assert_eq!(none.status, StatusCode::OK, "{none}");
        let data = load(&leader, &id).await;
        assert_eq!(data["header"]["summary"]["state"], "not_awarded");
        assert_eq!(data["predicates"][0]["awarded"], false);
    }
);

db_test!(
    the_dashboard_funnel_counts_the_national_stages,
    |app| async move {
        let id = proposed(&app).await;
        let admin = app.signed_in("admin").await;
        let funnel = |client: Client| async move {
            let reply = client.call("dashboard/get", &[]).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
            reply.json()["funnel"].clone()
        };
        let before = funnel(admin.clone()).await;
        assert_eq!(before["proposed"], 1, "{before}");
        assert_eq!(before["selection_passed"], 0, "{before}");
        for (stage, fields) in [
            (
                "administrative_selection",
                vec![("outcome", "lulus"), ("day", "08-20")],
            ),
            ("document_review", vec![("day", "09-10")]),
            ("interview", vec![("day", "09-20")]),
        ] {
            let fields: Vec<(&str, String)> = fields
                .into_iter()
                .map(|(k, v)| (k, if k == "day" { day(v) } else { v.to_owned() }))
                .collect();
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = record(&admin, &id, stage, &fields).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
        let after = funnel(admin.clone()).await;
        assert_eq!(after["proposed"], 1, "{after}");
        assert_eq!(after["selection_passed"], 1, "{after}");
        assert_eq!(after["document_review"], 1, "{after}");
        assert_eq!(after["interview"], 1, "{after}");
        assert_eq!(after["field_verification"], 0, "{after}");
        assert_eq!(after["awarded"], 0, "{after}");
        let page = admin.get("/dashboard").await;
        assert!(
            page.body.contains("Lulus seleksi administrasi"),
            "{}",
            page.body
        );
    }
);
