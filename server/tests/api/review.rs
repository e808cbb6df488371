//! Review by the internal evaluators (TPI) over HTTP: the evaluators' lane
//! beside the unit's, returns and resubmissions, finalization, the proposal to
//! the national team and its result, the documents, optimistic versions, and
//! who may do which of these.

use crate::db_test;
use crate::helpers::{Client, Reply, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::Read;

/// The demo's Balai Diklat Medan: submitted, with `tpi` as team lead.
async fn medan(app: &TestApp) -> String {
    app.assessment_of("BDK-MDN").await
}

/// Saves one item of the evaluators' lane.
async fn review(
    client: &Client,
    id: &str,
    item: &str,
    version: i64,
    extra: &[(&str, &str)],
) -> Reply {
    let version = version.to_string();
    let mut form = vec![("assessment", id), ("item", item), ("version", &version)];
    form.extend_from_slice(extra);
    client.call("review/save", &form).await
}

async fn load(client: &Client, id: &str) -> Value {
    let reply = client.call("assessments/get", &[("id", id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

/// Creates a second evaluator, `tpi2`, and returns a client signed in as them.
pub(crate) async fn second_evaluator(app: &TestApp, admin: &Client) -> Client {
    let created = admin
        .call(
            "users/create",
            &[
                ("username", "tpi2"),
                ("email", ""),
                ("full_name", "Tina Penilai Kedua"),
                ("password", "tpi2-password"),
                ("confirm", "tpi2-password"),
                ("role", "evaluator"),
                ("unit", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{created}");
    app.signed_in_with("tpi2", "tpi2-password").await
}

pub(crate) async fn assign(admin: &Client, app: &TestApp, id: &str, username: &str, lead: bool) {
    let user = app.user_id(username).await;
    let mut form = vec![("assessment", id), ("evaluator", user.as_str())];
    if lead {
        form.push(("lead", "yes"));
    }
    let reply = admin.call("review/assign", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "assign {username}: {reply}");
}

/// Finalizes as the deciding evaluator does on the page: the unconfirmed try is
/// refused and names how many items are unreviewed; the second confirms that number.
async fn finalize(client: &Client, id: &str) -> Reply {
    let first = client.call("review/finalize", &[("assessment", id)]).await;
    if first.status != StatusCode::CONFLICT || first.json()["refusal"] != "finalize_unconfirmed" {
        return first;
    }
    let unreviewed = first.json()["unreviewed"].to_string();
    client
        .call(
            "review/finalize",
            &[
                ("assessment", id),
                ("confirm", "yes"),
                ("unreviewed", &unreviewed),
            ],
        )
        .await
}

fn refusal(reply: &Reply) -> Value {
    assert_eq!(reply.status, StatusCode::CONFLICT, "{reply}");
    reply.json()
}

db_test!(
    an_assessment_goes_from_review_to_a_recorded_predicate,
    |app| async move {
        let id = medan(&app).await;
        let tpi = app.signed_in("tpi").await;
        let member = app.signed_in("medan").await;
        let admin = app.signed_in("admin").await;

        let queue = tpi.call("review/queue", &[]).await;
        assert_eq!(queue.status, StatusCode::OK, "{queue}");
        let queue = queue.json();
        let entry = queue
            .as_array()
            .and_then(|q| q.iter().find(|e| e["summary"]["id"] == id.as_str()))
            .expect("the assigned assessment is in the queue")
            .clone();
        assert_eq!(entry["lead"], true);
        assert_eq!(entry["reviewed"], 0);
        assert_eq!(entry["summary"]["state"], "submitted");

        // The unit does not see the evaluators' work before a return.
        assert!(load(&member, &id).await["review"].is_null());

        let before = load(&tpi, &id).await;
        assert_eq!(before["answers"]["choices"]["P.MP.i.b"], "A");
        let saved = review(
            &tpi,
            &id,
            "P.MP.i.b",
            0,
            &[
                ("value[P.MP.i.b]", "C"),
                ("note", "SK tim belum ditandatangani pimpinan"),
                ("status", "perlu_perbaikan"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        assert_eq!(saved.body, "1", "the first version");
        for (item, raw) in [("H.I.a", "3,82"), ("H.II.a", "3.9")] {
            let field = format!("value[{item}]");
            let saved = review(&tpi, &id, item, 0, &[(&field, raw), ("status", "sesuai")]).await;
            assert_eq!(saved.status, StatusCode::OK, "{item}: {saved}");
        }
        // Indices outside 0–4 or with a strange separator change nothing.
        for raw in ["4,5", "3;45", "tiga"] {
            let refused = review(&tpi, &id, "H.I.a", 1, &[("value[H.I.a]", raw)]).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{raw}: {refused}"
            );
            assert_eq!(refused.error(), "answer");
        }
        let data = load(&tpi, &id).await;
        let entries = &data["review"]["entries"];
        assert_eq!(entries["H.I.a"]["value"], "3.82");
        assert_eq!(entries["H.II.a"]["value"], "3.9");
        assert_eq!(entries["P.MP.i.b"]["status"], "perlu_perbaikan");
        assert_eq!(
            data["answers"]["choices"]["P.MP.i.b"], "A",
            "the unit's lane is untouched"
        );
        assert_eq!(app.audit_rows("review", &format!("{id}/P.MP.i.b")).await, 1);

        let no_summary = tpi
            .call("review/return", &[("assessment", &id), ("summary", "  ")])
            .await;
        assert_eq!(
            no_summary.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{no_summary}"
        );
        assert_eq!(no_summary.field(), "summary");
        let returned = tpi
            .call(
                "review/return",
                &[
                    ("assessment", &id),
                    ("summary", "Lengkapi SK tim pada P.MP.i.b"),
                ],
            )
            .await;
        assert_eq!(returned.status, StatusCode::OK, "{returned}");
        assert_eq!(returned.body, "\"returned\"");
        let closed = review(&tpi, &id, "P.MP.i.c", 0, &[("note", "x")]).await;
        assert_eq!(refusal(&closed)["refusal"], "review_closed");

        // The unit sees the notes and the summary, fixes one answer, resubmits.
        let seen = load(&member, &id).await;
        assert_eq!(
            seen["review"]["return_summary"],
            "Lengkapi SK tim pada P.MP.i.b"
        );
        assert_eq!(
            seen["review"]["entries"]["P.MP.i.b"]["note"],
            "SK tim belum ditandatangani pimpinan"
        );
        let fixed = member
            .call(
                "assessments/answers",
                &[("assessment", &id), ("value[P.MP.i.b]", "B")],
            )
            .await;
        assert_eq!(fixed.status, StatusCode::OK, "{fixed}");
        let resubmitted = member
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(resubmitted.status, StatusCode::OK, "{resubmitted}");

        let after = load(&tpi, &id).await;
        assert_eq!(
            after["review"]["changed_since_return"],
            serde_json::json!(["P.MP.i.b"]),
            "exactly the fixed answer is highlighted"
        );

        let finalized = finalize(&tpi, &id).await;
        assert_eq!(finalized.status, StatusCode::OK, "{finalized}");
        let verdict = load(&admin, &id).await["review"]["final_verdict"].clone();
        assert_eq!(verdict["wbk"], true, "the demo unit passes WBK: {verdict}");
        assert!(verdict["total"].as_f64().unwrap_or_default() > 75.0);
        let locked = review(&tpi, &id, "P.MP.i.b", 1, &[("note", "terlambat")]).await;
        assert_eq!(refusal(&locked)["refusal"], "review_closed");

        let proposed = admin.call("review/propose", &[("assessment", &id)]).await;
        assert_eq!(proposed.status, StatusCode::OK, "{proposed}");
        crate::national::to_panel(&admin, &id).await;
        let result = |day: String| {
            let (admin, id) = (admin.clone(), id.clone());
            async move {
                let form = [
                    ("confirm", "yes"),
                    ("predicate", "wbk"),
                    ("day", day.as_str()),
                    ("decree", "SK MENPANRB 123/2026"),
                ];
                crate::national::record(&admin, &id, "final_result", &form).await
            }
        };
        let bad_date = result("10/12/2026".to_owned()).await;
        assert_eq!(bad_date.field(), "day", "{bad_date}");
        let decided = format!("{}-12-10", crate::helpers::current_year() - 1);
        let recorded = result(decided).await;
        assert_eq!(recorded.status, StatusCode::OK, "{recorded}");
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "awarded"
        );
        let unit_view = load(&member, &id).await;
        let predicate = &unit_view["predicates"][0];
        assert_eq!(predicate["predicate"], "wbk");
        assert_eq!(predicate["awarded"], true);
        assert_eq!(predicate["decree"], "SK MENPANRB 123/2026");
        for action in [
            "assessment.return",
            "assessment.finalize",
            "assessment.propose",
        ] {
            let n = app
                .count(
                    "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2",
                    &[action, &id],
                )
                .await;
            assert_eq!(n, 1, "{action} is in the audit log once");
        }
    }
);

db_test!(
    two_evaluators_never_overwrite_each_other_silently,
    |app| async move {
        let id = medan(&app).await;
        let admin = app.signed_in("admin").await;
        let tpi = app.signed_in("tpi").await;
        let tpi2 = second_evaluator(&app, &admin).await;
        assign(&admin, &app, &id, "tpi2", false).await;

        // Both opened the question at version 0; the first save wins.
        let first = review(
            &tpi,
            &id,
            "P.MP.ii.a",
            0,
            &[
                ("value[P.MP.ii.a]", "Tidak"),
                ("note", "Tidak ada rencana kerja"),
            ],
        )
        .await;
        assert_eq!(first.status, StatusCode::OK, "{first}");
        let second = review(
            &tpi2,
            &id,
            "P.MP.ii.a",
            0,
            &[("value[P.MP.ii.a]", "Ya"), ("note", "Rencana kerja ada")],
        )
        .await;
        let conflict = refusal(&second);
        assert_eq!(conflict["error"], "conflict");
        assert_eq!(conflict["saved"], 0);
        let theirs = &conflict["conflicts"][0];
        assert_eq!(theirs["item"], "P.MP.ii.a");
        assert_eq!(theirs["value"], "Tidak", "the other's value is shown");
        assert_eq!(theirs["note"], "Tidak ada rencana kerja");
        assert_eq!(theirs["by"], "Budi Penilai TPI");
        assert_eq!(theirs["version"], 1);
        assert!(theirs["at"].as_i64().is_some_and(|at| at > 0), "{conflict}");
        let stored = load(&tpi2, &id).await;
        assert_eq!(stored["review"]["entries"]["P.MP.ii.a"]["value"], "Tidak");

        // Having seen it, the second evaluator saves on top of version 1.
        let retried = review(
            &tpi2,
            &id,
            "P.MP.ii.a",
            1,
            &[("value[P.MP.ii.a]", "Ya"), ("note", "Rencana kerja ada")],
        )
        .await;
        assert_eq!(retried.status, StatusCode::OK, "{retried}");
        assert_eq!(retried.body, "2");
    }
);

db_test!(
    every_review_route_checks_role_team_and_unit,
    |app| async move {
        let medan_id = medan(&app).await;
        let izin_id = app.assessment_of("DIT-IZIN").await;
        let admin = app.signed_in("admin").await;
        let tpi = app.signed_in("tpi").await;
        let member = app.signed_in("medan").await;
        let other_unit = app.signed_in("unit").await;
        let leader = app.signed_in("pimpinan").await;
        let anonymous = app.client();
        let tpi2 = second_evaluator(&app, &admin).await;
        assign(&admin, &app, &medan_id, "tpi2", false).await;
        let submitted = other_unit
            .call(
                "assessments/submit",
                &[("assessment", &izin_id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{submitted}");

        // Evaluator assigned to Medan acting on Perizinan (unit B): nothing at all.
        let save_b = review(
            &tpi,
            &izin_id,
            "P.MP.i.a",
            0,
            &[("value[P.MP.i.a]", "Tidak")],
        )
        .await;
        assert_eq!(save_b.status, StatusCode::FORBIDDEN, "{save_b}");
        for (endpoint, extra) in [
            ("assessments/get", vec![("id", izin_id.as_str())]),
            (
                "review/return",
                vec![("assessment", izin_id.as_str()), ("summary", "x")],
            ),
            ("review/finalize", vec![("assessment", izin_id.as_str())]),
            ("review/report", vec![("assessment", izin_id.as_str())]),
        ] {
            let reply = tpi.call(endpoint, &extra).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "tpi {endpoint} on B: {reply}"
            );
        }
        for path in ["lke.xlsx", "lhe.docx", "evidence.zip"] {
            let (status, _, _) = tpi
                .get_bytes(&format!("/assessments/{izin_id}/{path}"))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "tpi {path} on B");
        }

        // The unit's own member cannot write the evaluators' lane or decide.
        let own = review(
            &member,
            &medan_id,
            "P.MP.i.a",
            0,
            &[("value[P.MP.i.a]", "Ya")],
        )
        .await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "{own}");
        for endpoint in ["review/finalize", "review/propose"] {
            let reply = member.call(endpoint, &[("assessment", &medan_id)]).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "member {endpoint}: {reply}"
            );
        }
        let (status, _, _) = member
            .get_bytes(&format!("/assessments/{medan_id}/lhe.docx"))
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "no LHE for the unit before a return"
        );

        // The evaluator cannot edit the unit's answers or files.
        let answer = tpi
            .call(
                "assessments/answers",
                &[("assessment", &medan_id), ("value[P.MP.i.a]", "Tidak")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{answer}");
        let upload = tpi
            .post_multipart(
                &format!("/assessments/{medan_id}/evidence"),
                &[("item", "P.MP.i.a")],
                Some(("sk.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())),
                true,
            )
            .await;
        assert_eq!(upload.status, StatusCode::FORBIDDEN, "{upload}");

        // A team member who is not the lead scores, but does not decide.
        let scored = review(&tpi2, &medan_id, "P.MP.i.a", 0, &[("note", "cek")]).await;
        assert_eq!(scored.status, StatusCode::OK, "{scored}");
        for (endpoint, extra) in [
            (
                "review/return",
                vec![("assessment", medan_id.as_str()), ("summary", "x")],
            ),
            ("review/finalize", vec![("assessment", medan_id.as_str())]),
        ] {
            let reply = tpi2.call(endpoint, &extra).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "non-lead {endpoint}: {reply}"
            );
        }

        // Leadership reads everything, writes nothing; admins administer but do not score.
        let read = load(&leader, &medan_id).await;
        assert_eq!(read["review"]["entries"]["P.MP.i.a"]["note"], "cek");
        let lead_save = review(&leader, &medan_id, "P.MP.i.b", 0, &[("note", "x")]).await;
        assert_eq!(lead_save.status, StatusCode::FORBIDDEN, "{lead_save}");
        let admin_save = review(&admin, &medan_id, "P.MP.i.b", 0, &[("note", "x")]).await;
        assert_eq!(admin_save.status, StatusCode::FORBIDDEN, "{admin_save}");
        let tpi_user = app.user_id("tpi").await;
        for (who, client) in [("tpi", &tpi), ("member", &member), ("leader", &leader)] {
            let assign = client
                .call(
                    "review/assign",
                    &[("assessment", &izin_id), ("evaluator", &tpi_user)],
                )
                .await;
            assert_eq!(
                assign.status,
                StatusCode::FORBIDDEN,
                "{who} assigns: {assign}"
            );
            let propose = client
                .call("review/propose", &[("assessment", &medan_id)])
                .await;
            assert_eq!(
                propose.status,
                StatusCode::FORBIDDEN,
                "{who} proposes: {propose}"
            );
        }
        let not_evaluator = admin
            .call(
                "review/assign",
                &[
                    ("assessment", &izin_id),
                    ("evaluator", &app.user_id("unit").await),
                ],
            )
            .await;
        assert_eq!(not_evaluator.field(), "evaluator", "{not_evaluator}");

        for endpoint in [
            "review/queue",
            "review/finalize",
            "review/return",
            "review/save",
        ] {
            let reply = anonymous
                .call(
                    endpoint,
                    &[
                        ("assessment", medan_id.as_str()),
                        ("summary", "x"),
                        ("item", "P.MP.i.a"),
                        ("version", "0"),
                    ],
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "anonymous {endpoint}: {reply}"
            );
        }
        let queue = member.call("review/queue", &[]).await;
        assert_eq!(queue.status, StatusCode::FORBIDDEN, "{queue}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM reviews WHERE assessment_id = $1",
                &[&izin_id]
            )
            .await,
            0,
            "nothing refused was written"
        );
    }
);

db_test!(
    decisions_out_of_order_are_refused_with_their_reason,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let admin = app.signed_in("admin").await;
        let tpi = app.signed_in("tpi").await;
        let unit = app.signed_in("unit").await;
        assign(&admin, &app, &id, "tpi", true).await;

        let draft = tpi.call("review/finalize", &[("assessment", &id)]).await;
        let draft = refusal(&draft);
        assert_eq!(draft["refusal"], "workflow");
        assert_eq!(draft["reason"], "not_submitted");
        let early = admin.call("review/propose", &[("assessment", &id)]).await;
        assert_eq!(refusal(&early)["reason"], "not_finalized");

        let submitted = unit
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{submitted}");
        let result_early = crate::national::record(
            &admin,
            &id,
            "administrative_selection",
            &[("outcome", "lulus"), ("day", "2026-08-20")],
        )
        .await;
        assert_eq!(refusal(&result_early)["reason"]["reason"], "not_proposed");
        let finalized = finalize(&tpi, &id).await;
        assert_eq!(finalized.status, StatusCode::OK, "{finalized}");
        let again = tpi.call("review/finalize", &[("assessment", &id)]).await;
        assert_eq!(refusal(&again)["reason"], "already_finalized");

        // An empty LKE fails every gate: proposing it needs a confirmation.
        let failing = admin.call("review/propose", &[("assessment", &id)]).await;
        assert_eq!(refusal(&failing)["refusal"], "fails_gates");
        let confirmed = admin
            .call("review/propose", &[("assessment", &id), ("confirm", "yes")])
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{confirmed}");
        crate::national::to_panel(&admin, &id).await;
        let not_awarded = crate::national::record(
            &admin,
            &id,
            "final_result",
            &[
                ("confirm", "yes"),
                ("predicate", "none"),
                (
                    "day",
                    &format!("{}-12-01", crate::helpers::current_year() - 1),
                ),
                ("decree", "SK MENPANRB 7/2026"),
            ],
        )
        .await;
        assert_eq!(not_awarded.status, StatusCode::OK, "{not_awarded}");
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "not_awarded"
        );
        let decided = admin
            .call("review/propose", &[("assessment", &id), ("confirm", "yes")])
            .await;
        assert_eq!(refusal(&decided)["reason"], "decided");
    }
);

db_test!(the_lke_and_the_lhe_carry_both_lanes, |app| async move {
    let id = medan(&app).await;
    let tpi = app.signed_in("tpi").await;
    let saved = review(
        &tpi,
        &id,
        "P.MP.i.b",
        0,
        &[
            ("value[P.MP.i.b]", "C"),
            ("note", "SK belum ditandatangani"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{saved}");

    let (status, headers, bytes) = tpi.get_bytes(&format!("/assessments/{id}/lke.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[reqwest::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap_or_default()
        .contains("LKE-BDK-MDN-"));
    let rubric = app::domain::lke::builtin_90_2021();
    let read = app::backend::lke::read_answers(&bytes, &rubric, &Default::default())
        .expect("the export reads back");
    let code = "P.MP.i.b".parse().expect("code");
    assert_eq!(
        read.answers.choice(code).map(|a| a.as_str()),
        Some("C"),
        "the evaluators' lane is the workbook's answer"
    );
    assert_eq!(
        read.notes
            .get(&app::domain::lke::ItemCode::Question(code))
            .map(String::as_str),
        Some("SK belum ditandatangani")
    );

    let (status, _, docx) = tpi.get_bytes(&format!("/assessments/{id}/lhe.docx")).await;
    assert_eq!(status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a DOCX is a ZIP");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    for expected in [
        "Balai Diklat Medan",
        "P.MP.i.b",
        "SK belum ditandatangani",
        "Budi Penilai TPI",
    ] {
        assert!(xml.contains(expected), "the LHE mentions {expected}");
    }
    let report = tpi.call("review/report", &[("assessment", &id)]).await;
    assert_eq!(report.status, StatusCode::OK, "{report}");
    assert!(report.json()["title"]
        .as_str()
        .unwrap_or_default()
        .contains("LAPORAN HASIL EVALUASI"));
    let place_date = report.json()["blocks"]
        .as_array()
        .and_then(|blocks| blocks.iter().find(|b| b["kind"] == "signature"))
        .and_then(|b| b["place_date"].as_str())
        .unwrap_or_default()
        .to_owned();
    let year = crate::helpers::current_year().to_string();
    assert!(
        place_date.ends_with(&year) && !place_date.contains('-'),
        "the signature date is written out, as in an official letter: {place_date}"
    );
    assert!(
        [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember"
        ]
        .iter()
        .any(|month| place_date.contains(month)),
        "{place_date}"
    );
});

db_test!(
    finalizing_and_the_national_result_need_a_confirmation_that_names_what_is_left,
    |app| async move {
        let id = medan(&app).await;
        let tpi = app.signed_in("tpi").await;
        let admin = app.signed_in("admin").await;
        let one_click = tpi.call("review/finalize", &[("assessment", &id)]).await;
        let refused = refusal(&one_click);
        assert_eq!(refused["refusal"], "finalize_unconfirmed");
        let total = refused["unreviewed"].as_u64().expect("a count");
        assert!(total > 100, "nothing is reviewed yet: {refused}");

        let reviewed = review(&tpi, &id, "P.MP.i.a", 0, &[("status", "sesuai")]).await;
        assert_eq!(reviewed.status, StatusCode::OK, "{reviewed}");
        let stale = tpi
            .call(
                "review/finalize",
                &[
                    ("assessment", &id),
                    ("confirm", "yes"),
                    ("unreviewed", &(total + 1).to_string()),
                ],
            )
            .await;
        assert_eq!(
            refusal(&stale)["unreviewed"].as_u64(),
            Some(total - 1),
            "a confirmation of another count is no confirmation: {stale}"
        );
        let unticked = tpi
            .call(
                "review/finalize",
                &[
                    ("assessment", &id),
                    ("unreviewed", &(total - 1).to_string()),
                ],
            )
            .await;
        assert_eq!(refusal(&unticked)["refusal"], "finalize_unconfirmed");
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "submitted",
            "nothing was finalized"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.finalize' AND entity_id = $1",
                &[&id]
            )
            .await,
            0
        );

        let finalized = finalize(&tpi, &id).await;
        assert_eq!(finalized.status, StatusCode::OK, "{finalized}");
        let proposed = admin
            .call("review/propose", &[("assessment", &id), ("confirm", "yes")])
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{proposed}");
        crate::national::to_panel(&admin, &id).await;
        let decided = format!("{}-12-10", crate::helpers::current_year() - 1);
        let base = [("day", decided.as_str()), ("decree", "SK MENPANRB 9/2026")];
        let result = |extra: &[(&'static str, &'static str)]| {
            let form = [&base[..], extra].concat();
            let (admin, id) = (admin.clone(), id.clone());
            async move { crate::national::record(&admin, &id, "final_result", &form).await }
        };
        let unconfirmed = result(&[("predicate", "wbk")]).await;
        assert_eq!(
            unconfirmed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{unconfirmed}"
        );
        assert_eq!(unconfirmed.field(), "confirm");
        let no_choice = result(&[("confirm", "yes")]).await;
        assert_eq!(
            no_choice.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{no_choice}"
        );
        assert_eq!(no_choice.field(), "predicate", "nothing is preselected");
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "proposed",
            "no result was recorded"
        );
        let recorded = result(&[("predicate", "none"), ("confirm", "yes")]).await;
        assert_eq!(recorded.status, StatusCode::OK, "{recorded}");
        assert_eq!(
            load(&admin, &id).await["header"]["summary"]["state"],
            "not_awarded"
        );
    }
);

db_test!(
    a_returned_unit_finds_what_to_mend_in_the_missing_list_and_on_its_home,
    |app| async move {
        let id = medan(&app).await;
        let tpi = app.signed_in("tpi").await;
        let member = app.signed_in("medan").await;
        for (item, status) in [
            ("P.MP.i.b", "perlu_perbaikan"),
            ("P.TT.i.a", "tidak_sesuai"),
            ("P.MP.ii.a", "sesuai"),
        ] {
            let saved = review(
                &tpi,
                &id,
                item,
                0,
                &[("note", "<b>lengkapi</b>"), ("status", status)],
            )
            .await;
            assert_eq!(saved.status, StatusCode::OK, "{item}: {saved}");
        }
        let returned = tpi
            .call(
                "review/return",
                &[("assessment", &id), ("summary", "Perbaiki dua butir")],
            )
            .await;
        assert_eq!(returned.status, StatusCode::OK, "{returned}");

        let mine = member.call("assessments/mine", &[]).await.json();
        let this = mine
            .as_array()
            .and_then(|list| list.iter().find(|a| a["summary"]["id"] == id.as_str()))
            .expect("Medan's assessment")
            .clone();
        assert_eq!(this["next"]["mend"]["items"], 2, "{this}");
        assert_eq!(this["progress"]["to_mend"], 2, "{this}");
        let home = member.get("/").await;
        assert!(
            home.body
                .contains(&format!("href=\"/assessments/{id}/missing?show=to_mend\"")),
            "{home}"
        );

        let list = member
            .get(&format!("/assessments/{id}/missing?show=to_mend"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let table = list
            .body
            .split("data-testid=\"missing\"")
            .nth(1)
            .unwrap_or_default();
        for (item, listed) in [("P.MP.i.b", true), ("P.TT.i.a", true), ("P.MP.ii.a", false)] {
            assert_eq!(
                table.contains(&format!("#{item}\">{item}<")),
                listed,
                "{item} in {list}"
            );
        }
        assert!(
            list.body.contains("aria-current=\"page\""),
            "the chosen filter is marked"
        );

        // Every filter is a plain link; an unknown one shows everything.
        let everything = member
            .get(&format!("/assessments/{id}/missing?show=%3Cscript%3E"))
            .await;
        assert_eq!(everything.status, StatusCode::OK);
        assert!(
            everything.body.contains(&format!(
                "href=\"/assessments/{id}/missing?show=all\" aria-current=\"page\""
            )),
            "an unknown filter is read as all: {everything}"
        );
        let all = everything.body.matches("<tr>").count();
        assert!(
            all > 2,
            "the full list is longer than the two to mend: {all}"
        );

        // Nobody outside the unit or its evaluators reads it.
        let other = app.signed_in("unit").await;
        let refused = other.get(&format!("/assessments/{id}/missing")).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&refused.status),
            "{refused}"
        );
        assert!(!refused.body.contains("P.MP.i.b"), "{refused}");
    }
);
