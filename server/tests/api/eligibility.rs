//! The instansi's eligibility over HTTP: the facts an administrator records
//! per year (audited, shown as text), the thresholds kept with the rubric
//! version, the checklist on the proposal form, the tick a proposal needs when
//! the checklist is not met, the WBK history WBBM needs, and afirmasi in
//! PortalRB's list.

use reqwest::StatusCode;
use serde_json::Value;

use crate::db_test;
use crate::helpers::{current_year, Client, Reply, TestApp};

const HOSTILE: &str = "LHP BPK \"></title><script>alert('x')</script> &amp; sumber";

async fn save_facts(client: &Client, year: i64, fields: &[(&str, &str)]) -> Reply {
    let year = year.to_string();
    let mut form = vec![("year", year.as_str())];
    form.extend_from_slice(fields);
    client.call("eligibility/facts/save", &form).await
}

async fn checklist(client: &Client, assessment: &str) -> Value {
    let reply = client
        .call("eligibility/check", &[("assessment", assessment)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

fn criterion<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["criterion"] == name))
        .unwrap_or_else(|| panic!("{name} in {list}"))
}

/// Finalizes the demo's Balai Diklat Medan (submitted, `tpi` leads its team).
async fn finalized_medan(app: &TestApp) -> String {
    let id = app.assessment_of("BDK-MDN").await;
    let tpi = app.signed_in("tpi").await;
    let first = tpi.call("review/finalize", &[("assessment", &id)]).await;
    if first.status == StatusCode::OK {
        return id;
    }
    let unreviewed = first.json()["unreviewed"].to_string();
    let done = tpi
        .call(
            "review/finalize",
            &[
                ("assessment", &id),
                ("confirm", "yes"),
                ("unreviewed", &unreviewed),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{done}");
    id
}

async fn proposal_count(app: &TestApp, id: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.propose' AND entity_id = $1",
        &[id],
    )
    .await
}

db_test!(
    the_facts_of_a_year_are_saved_audited_and_shown_as_text,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let saved = save_facts(
            &admin,
            2031,
            &[
                ("bpk", "WTP"),
                ("sakip", "bb"),
                ("rb_index", "B"),
                ("spip", "3"),
                ("follow_up", "87,45"),
                ("surveys", "yes"),
                ("note", HOSTILE),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        assert_eq!(app.audit_rows("instansi_facts", "2031").await, 1);

        let view = admin.call("eligibility/view", &[]).await;
        assert_eq!(view.status, StatusCode::OK, "{view}");
        let view = view.json();
        let year = view["facts"]
            .as_array()
            .and_then(|f| f.iter().find(|y| y["year"] == 2031))
            .unwrap_or_else(|| panic!("2031 in {view}"));
        assert_eq!(year["facts"]["bpk"], "WTP");
        assert_eq!(year["facts"]["sakip"], "BB");
        assert_eq!(year["facts"]["spip"], 3);
        assert_eq!(year["facts"]["follow_up"], 8745);
        assert_eq!(year["facts"]["surveys"], true);
        assert_eq!(year["facts"]["note"], HOSTILE);

        // The page holds the note as text, never as markup.
        let page = admin.get("/admin/eligibility").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("<script>alert('x')"),
            "the note is escaped"
        );
        assert!(page.body.contains("87,45"), "the follow-up as written here");

        // Refused values name their field and change nothing.
        for (field, value) in [
            ("bpk", "bagus"),
            ("sakip", "E"),
            ("spip", "7"),
            ("follow_up", "100,5"),
            ("surveys", "mungkin"),
        ] {
            let refused = save_facts(&admin, 2031, &[(field, value)]).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}={value}: {refused}"
            );
            assert_eq!(refused.field(), field, "{refused}");
        }
        let long = "x".repeat(2001);
        let refused = save_facts(&admin, 2031, &[("note", &long)]).await;
        assert_eq!(refused.field(), "note", "{refused}");
        let refused = save_facts(&admin, 1999, &[("bpk", "WTP")]).await;
        assert_eq!(refused.field(), "year", "{refused}");
        assert_eq!(app.audit_rows("instansi_facts", "2031").await, 1);

        // A second save replaces the year and is audited with what it replaced.
        let again = save_facts(&admin, 2031, &[("bpk", "WDP")]).await;
        assert_eq!(again.status, StatusCode::OK, "{again}");
        assert_eq!(app.audit_rows("instansi_facts", "2031").await, 2);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'instansi_facts' AND entity_id = $1 \
                 AND before_json LIKE '%WTP%' AND after_json LIKE '%WDP%'",
                &["2031"]
            )
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM instansi_facts WHERE year = 2031", &[])
                .await,
            1
        );

        // Only administrators.
        for who in ["unit", "tpi", "pimpinan"] {
            let client = app.signed_in(who).await;
            let refused = save_facts(&client, 2032, &[("bpk", "WTP")]).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}: {refused}");
            let view = client.call("eligibility/view", &[]).await;
            assert_eq!(view.status, StatusCode::FORBIDDEN, "{who}: {view}");
            let page = client.get("/admin/eligibility").await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
        }
        let anonymous = save_facts(&app.client(), 2032, &[("bpk", "WTP")]).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM instansi_facts WHERE year = 2032", &[])
                .await,
            0
        );
    }
);

db_test!(
    the_thresholds_are_kept_with_the_rubric_version_and_audited,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let medan = app.assessment_of("BDK-MDN").await;
        // The demo's facts (SPIP level 3) meet the defaults, which ask no SPIP level.
        let before = checklist(&admin, &medan).await;
        assert_eq!(criterion(&before, "spip")["outcome"], "not_required");
        assert_eq!(criterion(&before, "bpk")["outcome"], "met");

        let update = |spip: &'static str| {
            let admin = &admin;
            async move {
                admin
                    .call(
                        "eligibility/thresholds/update",
                        &[
                            ("key", "permenpanrb-90-2021"),
                            ("wbk[bpk]", "WTP"),
                            ("wbk[bpk_years]", "1"),
                            ("wbk[sakip]", "CC"),
                            ("wbk[spip]", spip),
                            ("wbk[surveys]", "yes"),
                            ("wbbm[bpk]", "WTP"),
                            ("wbbm[bpk_years]", "2"),
                            ("wbbm[wbk_years]", "2"),
                        ],
                    )
                    .await
            }
        };
        let saved = update("4").await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'rubric.eligibility' AND entity_id = $1",
                &["permenpanrb-90-2021"]
            )
            .await,
            1
        );
        let after = checklist(&admin, &medan).await;
        let spip = criterion(&after, "spip");
        assert_eq!(spip["outcome"], "unmet", "{after}");
        assert_eq!(spip["found"]["value"], 3);
        assert_eq!(spip["required"]["value"], 4);
        let view = admin.call("eligibility/view", &[]).await.json();
        assert_eq!(view["thresholds"][0]["thresholds"]["wbk"]["spip"], 4);
        assert_eq!(
            view["thresholds"][0]["thresholds"]["wbbm"]["surveys"],
            false
        );

        let refused = update("enam").await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused}"
        );
        assert_eq!(refused.field(), "threshold");
        let unknown = admin
            .call(
                "eligibility/thresholds/update",
                &[("key", "tidak-ada"), ("wbk[bpk]", "WTP")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{unknown}");
        let member = app.signed_in("unit").await;
        let forbidden = member
            .call(
                "eligibility/thresholds/update",
                &[("key", "permenpanrb-90-2021"), ("wbk[spip]", "1")],
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'rubric.eligibility'",
                &[]
            )
            .await,
            1,
            "refused edits write nothing"
        );
    }
);

db_test!(
    proposing_when_the_instansi_falls_short_needs_the_tick_and_names_the_reasons,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let year = current_year();
        // This year's opinion is WDP; SAKIP is no longer recorded.
        let saved = save_facts(
            &admin,
            year,
            &[("bpk", "WDP"), ("surveys", "yes"), ("note", HOSTILE)],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        let id = finalized_medan(&app).await;

        let page = admin.get(&format!("/admin/assessments/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("data-testid=\"eligibility\""),
            "the checklist"
        );
        assert!(page.body.contains("eligibility-warning"), "the warning");
        assert!(page.body.contains("name=\"eligible_anyway\""), "the tick");
        assert!(
            page.body.contains("name=\"afirmasi\""),
            "WBK offers afirmasi"
        );

        let refused = admin
            .call("review/propose", &[("assessment", &id), ("confirm", "yes")])
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused}"
        );
        assert_eq!(refused.error(), "ineligible");
        let reasons = refused.json();
        let named: Vec<(&str, &str)> = reasons["checks"]
            .as_array()
            .expect("the reasons")
            .iter()
            .map(|c| {
                (
                    c["criterion"].as_str().unwrap_or_default(),
                    c["outcome"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(named, vec![("bpk", "unmet"), ("sakip", "unknown")]);
        assert_eq!(proposal_count(&app, &id).await, 0, "nothing proposed");
        let state = admin.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(state["header"]["summary"]["state"], "finalized");

        let proposed = admin
            .call(
                "review/propose",
                &[
                    ("assessment", &id),
                    ("confirm", "yes"),
                    ("eligible_anyway", "yes"),
                ],
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{proposed}");
        assert_eq!(proposal_count(&app, &id).await, 1);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.propose' \
                 AND entity_id = $1 AND after_json LIKE '%\"anyway\":true%'",
                &[&id]
            )
            .await,
            1,
            "the audit line says the checklist was overridden"
        );
    }
);

db_test!(
    a_met_checklist_proposes_without_the_tick_and_afirmasi_reaches_portalrb,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let id = finalized_medan(&app).await;
        let list = checklist(&admin, &id).await;
        assert!(
            list["checks"].as_array().is_some_and(|c| c
                .iter()
                .all(|c| c["outcome"] != "unmet" && c["outcome"] != "unknown")),
            "the demo's facts meet WBK: {list}"
        );
        let page = admin.get(&format!("/admin/assessments/{id}")).await;
        assert!(page.body.contains("eligibility-met"));
        assert!(!page.body.contains("name=\"eligible_anyway\""));

        let proposed = admin
            .call(
                "review/propose",
                &[("assessment", &id), ("confirm", "yes"), ("afirmasi", "yes")],
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{proposed}");

        let secret = crate::portalrb::token(&app, "PortalRB afirmasi").await;
        let portal = app.client();
        let wbk =
            crate::portalrb::pull(&portal, Some(&secret), "/portalrb/pengusulan/unit-wbk").await;
        assert_eq!(wbk.status, StatusCode::OK, "{wbk}");
        let wbk = wbk.json();
        let medan = wbk["units"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["id"] == "BDK-MDN"))
            .unwrap_or_else(|| panic!("Medan proposed: {wbk}"));
        assert_eq!(medan["kategori"], "WBK-AFIRMASI");
        assert_eq!(medan["afirmasi"], true);
    }
);

db_test!(
    wbbm_needs_the_unit_to_have_held_wbk_for_two_years,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let year = current_year();
        let period = admin.call("periods/list", &[]).await.json()[0]["id"]
            .as_str()
            .expect("the demo period")
            .to_owned();
        let itjen = app.unit_id("ITJEN").await;
        let created = admin
            .call(
                "periods/assessments/create",
                &[("period", &period), ("unit", &itjen), ("target", "wbbm")],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        let wbbm = app.assessment_of("ITJEN").await;

        let list = checklist(&admin, &wbbm).await;
        let history = criterion(&list, "wbk_history");
        assert_eq!(history["outcome"], "unmet", "{list}");
        assert_eq!(history["found"]["value"], Value::Null);
        assert_eq!(history["required"]["value"], 2);
        // WBBM asks WTP in this year and the last: the demo recorded both.
        let bpk = criterion(&list, "bpk");
        assert_eq!(bpk["outcome"], "met", "{list}");
        assert_eq!(bpk["found"]["value"].as_array().map(Vec::len), Some(2));

        // A WBK award recorded last year is not yet two years.
        let award = |years_back: i64| {
            let (app, admin, period, itjen) = (&app, &admin, &period, &itjen);
            async move {
                let past = (year - years_back).to_string();
                let copied = admin
                    .call("periods/copy", &[("from", period), ("year", &past)])
                    .await;
                assert_eq!(copied.status, StatusCode::OK, "{copied}");
                let past_period = copied.json().as_str().expect("the new period").to_owned();
                let made = admin
                    .call(
                        "periods/assessments/create",
                        &[("period", &past_period), ("unit", itjen), ("target", "wbk")],
                    )
                    .await;
                assert_eq!(made.status, StatusCode::OK, "{made}");
                let past_assessment: String = sqlx::query_scalar(
                    "SELECT id FROM assessments WHERE unit_id = $1 AND period_id = $2",
                )
                .bind(itjen)
                .bind(&past_period)
                .fetch_one(&app.db)
                .await
                .expect("the past assessment");
                // The national team's final result of that year (as a stage).
                sqlx::query(
                    "INSERT INTO national_stages (id, assessment_id, seq, stage, outcome, held_on, \
                     notes, links, decree, recorded_at) \
                     VALUES ($1, $2, 1, 'final_result', 'wbk', $3, '', '', $4, 0)",
                )
                .bind(format!("award-{past}"))
                .bind(&past_assessment)
                .bind(format!("{past}-12-10"))
                .bind(format!("SK WBK {past}"))
                .execute(&app.db)
                .await
                .expect("the award");
            }
        };
        award(1).await;
        let list = checklist(&admin, &wbbm).await;
        let history = criterion(&list, "wbk_history");
        assert_eq!(history["outcome"], "unmet", "{list}");
        assert_eq!(history["found"]["value"], year - 1);

        award(2).await;
        let list = checklist(&admin, &wbbm).await;
        let history = criterion(&list, "wbk_history");
        assert_eq!(history["outcome"], "met", "{list}");
        assert_eq!(history["found"]["value"], year - 2);

        // A WBK assessment's checklist does not ask for the history at all.
        let medan = app.assessment_of("BDK-MDN").await;
        let list = checklist(&admin, &medan).await;
        assert!(list["checks"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| c["criterion"] != "wbk_history")));

        // Only administrators read a proposal's checklist.
        for who in ["unit", "tpi", "pimpinan"] {
            let reply = app
                .signed_in(who)
                .await
                .call("eligibility/check", &[("assessment", &wbbm)])
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}: {reply}");
        }
    }
);

db_test!(
    the_facts_and_the_proposal_work_without_javascript,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let page = app.url("/admin/eligibility");
        let post = |endpoint: &'static str, referer: String, form: Vec<(&'static str, String)>| {
            admin
                .http
                .post(app.url(endpoint))
                .header("accept", "text/html")
                .header("referer", referer)
                .form(&form)
                .send()
        };
        let back_to = |reply: &reqwest::Response| {
            reply.headers()["location"]
                .to_str()
                .expect("location")
                .trim_start_matches(&app.address)
                .to_owned()
        };
        let saved = post(
            "/api/eligibility/facts/save",
            page.clone(),
            vec![
                ("year", "2033".to_owned()),
                ("bpk", "WTP".to_owned()),
                ("spip", "4".to_owned()),
                ("note", HOSTILE.to_owned()),
            ],
        )
        .await
        .expect("POST facts");
        assert_eq!(saved.status(), StatusCode::FOUND);
        let back = back_to(&saved);
        assert!(
            back.contains("__done=/api/eligibility/facts/save"),
            "{back}"
        );
        let shown = admin.get(&back).await;
        assert_eq!(shown.status, StatusCode::OK, "{shown}");
        assert!(shown.body.contains("Data instansi tersimpan."), "{shown}");
        assert!(shown.body.contains("data-testid=\"facts-2033\""), "{shown}");
        assert!(!shown.body.contains("<script>alert('x')"));

        let refused = post(
            "/api/eligibility/facts/save",
            page.clone(),
            vec![("year", "2033".to_owned()), ("spip", "9".to_owned())],
        )
        .await
        .expect("POST facts again");
        let back = back_to(&refused);
        assert!(
            back.contains("__err=") && !back.contains("__done="),
            "{back}"
        );
        let shown = admin.get(&back).await;
        assert!(shown.body.contains("level SPIP 1–5"), "{shown}");
        assert!(!shown.body.contains("Data instansi tersimpan."));

        // The proposal refused on eligibility comes back with its reasons in words.
        let year = current_year();
        let wdp = save_facts(
            &admin,
            year,
            &[("bpk", "WDP"), ("sakip", "B"), ("surveys", "yes")],
        )
        .await;
        assert_eq!(wdp.status, StatusCode::OK, "{wdp}");
        let id = finalized_medan(&app).await;
        let decisions = app.url(&format!("/admin/assessments/{id}"));
        let refused = post(
            "/api/review/propose",
            decisions.clone(),
            vec![("assessment", id.clone()), ("confirm", "yes".to_owned())],
        )
        .await
        .expect("POST propose");
        let back = back_to(&refused);
        let shown = admin.get(&back).await;
        assert!(
            shown
                .body
                .contains("Syarat instansi belum terpenuhi: Opini BPK (tidak terpenuhi"),
            "{shown}"
        );
        let proposed = post(
            "/api/review/propose",
            decisions,
            vec![
                ("assessment", id.clone()),
                ("confirm", "yes".to_owned()),
                ("eligible_anyway", "yes".to_owned()),
            ],
        )
        .await
        .expect("POST propose anyway");
        assert!(back_to(&proposed).contains("__done=/api/review/propose"));
        assert_eq!(proposal_count(&app, &id).await, 1);
    }
);
