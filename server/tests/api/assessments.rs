//! The unit's self-assessment over HTTP: answers, evidence files, the ZIP,
//! submission and its lock, and who may do which of these.

use crate::db_test;
use crate::helpers::{Client, TestApp};
use reqwest::StatusCode;
use std::io::Read;

/// A small but real PDF header: the type is sniffed from these bytes.
pub(crate) fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n% {text}\n%%EOF\n").into_bytes()
}

/// The demo's draft WBK assessment of Direktorat Pelayanan Perizinan (member: `unit`).
async fn izin(app: &TestApp) -> String {
    app.assessment_of("DIT-IZIN").await
}

async fn save(client: &Client, id: &str, pairs: &[(&str, &str)]) -> crate::helpers::Reply {
    let mut form = vec![("assessment", id)];
    form.extend_from_slice(pairs);
    client.call("assessments/answers", &form).await
}

pub(crate) async fn upload(
    client: &Client,
    id: &str,
    item: &str,
    name: &str,
    bytes: Vec<u8>,
) -> crate::helpers::Reply {
    client
        .post_multipart(
            &format!("/assessments/{id}/evidence"),
            &[("item", item)],
            Some((name, bytes)),
            true,
        )
        .await
}

db_test!(
    a_count_with_a_fraction_is_refused_at_its_field_without_javascript,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let saved = save(&unit, &id, &[("value[R.MP.i.a.1]", "12")]).await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        let refused = save(&unit, &id, &[("value[R.MP.i.a.1]", "3,5")]).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused}"
        );
        assert_eq!(refused.json()["problem"], "not_whole", "{refused}");

        // The Save button without JavaScript: back on the page, the sentence
        // stands at the count that was refused (and in the save bar), not
        // under every question.
        let page = app.url(&format!("/assessments/{id}/reform/1"));
        let response = unit
            .http
            .post(app.url("/api/assessments/answers"))
            .header("accept", "text/html")
            .header("origin", app.address.as_str())
            .header("referer", page.as_str())
            .form(&[("assessment", id.as_str()), ("value[R.MP.i.a.1]", "3,5")])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let back =
            crate::helpers::Reply::read(unit.http.get(&location).send().await.unwrap()).await;
        assert_eq!(back.status, StatusCode::OK, "{back}");
        let sentence = "Jumlah diisi bilangan bulat";
        let field = back
            .body
            .find(r#"id="R.MP.i.a.1-error" class="field-error">"#)
            .unwrap_or_else(|| panic!("no error at the field: {back}"));
        assert!(
            back.body[field..].find(sentence).is_some_and(|at| at < 60),
            "the sentence at its field: {back}"
        );
        assert_eq!(back.body.matches(r#"aria-invalid="true""#).count(), 1);
        assert_eq!(
            back.body.matches(sentence).count(),
            2,
            "field and save bar only"
        );
        let data = unit.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(
            data["answers"]["inputs"]["R.MP.i.a.1"], 12.0,
            "the old count kept"
        );
    }
);

db_test!(
    answers_are_saved_scored_and_logged_and_bad_ones_change_nothing,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let saved = save(
            &unit,
            &id,
            &[
                ("value[P.MP.i.a]", "Ya"),
                ("value[P.MP.i.b]", "b"),
                ("value[R.MP.i.a.1]", "12"),
                ("value[R.MP.i.a.2]", "10"),
                ("value[H.I.a]", "3,45"),
                ("note[P.MP.i.b]", "SK tim ditandatangani Maret"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        assert_eq!(
            saved.json()["changed"],
            5,
            "five items changed (the note rides with P.MP.i.b)"
        );
        assert_eq!(saved.json()["versions"]["P.MP.i.b"], 1, "{saved}");

        let data = unit.call("assessments/get", &[("id", &id)]).await;
        assert_eq!(data.status, StatusCode::OK, "{data}");
        let data = data.json();
        assert_eq!(data["answers"]["choices"]["P.MP.i.b"], "B");
        assert_eq!(data["answers"]["inputs"]["R.MP.i.a.1"], 12.0);
        assert_eq!(data["answers"]["hasil"]["ipak"], 3.45);
        assert_eq!(data["notes"]["P.MP.i.b"], "SK tim ditandatangani Maret");
        assert!(
            data["rubric"].is_null(),
            "the built-in rubric is not shipped again"
        );

        let audited = app
            .count(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'answer' AND entity_id = $1",
                &[&format!("{id}/P.MP.i.b")],
            )
            .await;
        assert_eq!(audited, 1);

        // Saving the same values again changes nothing and logs nothing.
        let again = save(&unit, &id, &[("value[P.MP.i.b]", "B")]).await;
        assert_eq!(again.json()["changed"], 0, "{again}");

        // One bad value refuses the whole save: the good one beside it is not written.
        for (field, value) in [
            ("value[P.MP.i.b]", "D"),
            ("value[H.I.a]", "4,5"),
            ("value[R.MP.i.a.1]", "dua belas"),
            ("value[R.MP.i.a.1]", "3,5"),
            ("value[X.Y.z]", "A"),
        ] {
            let refused = save(&unit, &id, &[("value[P.MP.ii.b]", "A"), (field, value)]).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}={value}: {refused}"
            );
            assert_eq!(refused.error(), "answer");
        }
        let data = unit.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(data["answers"]["choices"]["P.MP.i.b"], "B");
        assert!(data["answers"]["choices"]["P.MP.ii.b"].is_null());

        let history = unit
            .call(
                "assessments/history",
                &[("assessment", &id), ("item", "P.MP.i.b")],
            )
            .await
            .json();
        assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
        assert_eq!(history[0]["actor"], "Rina Anggota Unit");
    }
);

db_test!(
    evidence_is_sniffed_stored_once_downloaded_with_its_name_and_zipped,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let first = upload(&unit, &id, "P.MP.i.b", "SK Tim ZI.pdf", pdf("sk")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{first}");
        let file = first.json();
        assert_eq!(file["mime"], "application/pdf");
        assert_eq!(file["name"], "SK Tim ZI.pdf");
        let file_id = file["id"].as_str().expect("id").to_owned();

        let twice = upload(&unit, &id, "P.MP.ii.b", "salinan.pdf", pdf("sk")).await;
        assert_eq!(twice.status, StatusCode::CREATED, "{twice}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM blobs", &[]).await,
            1,
            "same bytes, one blob"
        );

        let disguised = upload(
            &unit,
            &id,
            "P.MP.i.b",
            "laporan.pdf",
            b"<html><script>alert(1)</script></html>".to_vec(),
        )
        .await;
        assert_eq!(
            disguised.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{disguised}"
        );
        let no_item = upload(&unit, &id, "Z.Z.z", "a.pdf", pdf("x")).await;
        assert_eq!(
            no_item.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{no_item}"
        );

        let (status, headers, body) = unit.get_bytes(&format!("/evidence/{file_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, pdf("sk"));
        let disposition = headers["content-disposition"].to_str().unwrap_or_default();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains("SK%20Tim%20ZI.pdf"),
            "{disposition}"
        );
        let (_, inline, _) = unit
            .get_bytes(&format!("/evidence/{file_id}?inline=1"))
            .await;
        assert!(inline["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("inline;"));

        // Link the same file to a third question, then replace it: the old version stays in the history.
        let linked = unit
            .call("evidence/link", &[("id", &file_id), ("item", "P.MP.ii.a")])
            .await;
        assert_eq!(linked.status, StatusCode::OK, "{linked}");
        // A code that is no item of the LKE is named as such; an empty one asks for one.
        for (code, error) in [
            ("P.ZZ.ix.z", "answer"),
            ("P.MP.ix.a", "answer"),
            ("  ", "evidence"),
        ] {
            let refused = unit
                .call("evidence/link", &[("id", &file_id), ("item", code)])
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{code}: {refused}"
            );
            assert_eq!(refused.error(), error, "{code}: {refused}");
        }
        let page = unit.get(&format!("/assessments/{id}/pemenuhan/1")).await;
        assert!(
            page.body.contains("<datalist id=\"lke-items\">")
                && page.body.contains("<option value=\"P.MP.ii.a\">"),
            "the link field offers every item: {page}"
        );
        let replaced = unit
            .post_multipart(
                &format!("/assessments/{id}/evidence"),
                &[("replaces", &file_id)],
                Some(("SK Tim ZI revisi.pdf", pdf("sk revisi"))),
                true,
            )
            .await;
        assert_eq!(replaced.status, StatusCode::CREATED, "{replaced}");
        let items = replaced.json()["items"].clone();
        assert_eq!(items, serde_json::json!(["P.MP.i.b", "P.MP.ii.a"]));
        let (old_status, _, old_body) = unit.get_bytes(&format!("/evidence/{file_id}")).await;
        assert_eq!((old_status, old_body), (StatusCode::OK, pdf("sk")));

        let (status, headers, zip_bytes) = unit
            .get_bytes(&format!("/assessments/{id}/evidence.zip"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "application/zip");
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("a valid ZIP");
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|name| name.ok().map(|n| n.into_owned()))
            .collect();
        assert!(names.contains(&"index.csv".to_owned()), "{names:?}");
        let revised = names
            .iter()
            .find(|n| n.ends_with("P.MP.i/P.MP.i.b/SK Tim ZI revisi.pdf"))
            .unwrap_or_else(|| panic!("arranged by area, indicator, question: {names:?}"))
            .clone();
        assert!(revised.starts_with("1 "), "{revised}");
        assert!(
            names
                .iter()
                .any(|n| n.ends_with("P.MP.ii.a/SK Tim ZI revisi.pdf")),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|n| n.ends_with("/SK Tim ZI.pdf")),
            "the replaced version is not current: {names:?}"
        );
        let mut content = Vec::new();
        archive
            .by_name(&revised)
            .expect("entry")
            .read_to_end(&mut content)
            .expect("read");
        assert_eq!(content, pdf("sk revisi"));
        let mut index = String::new();
        archive
            .by_name("index.csv")
            .expect("index")
            .read_to_string(&mut index)
            .expect("read");
        assert!(
            index.contains("salinan.pdf") && index.contains("P.MP.ii.b"),
            "{index}"
        );
    }
);

db_test!(
    an_upload_over_the_limit_is_refused_and_stores_nothing,
    settings = |s| s.upload_limit_mb = 1,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let mut big = pdf("big");
        big.resize(1024 * 1024 + 10, b' ');
        let refused = upload(&unit, &id, "P.MP.i.b", "besar.pdf", big).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{refused}");
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence", &[]).await, 0);
        let form = unit
            .post_multipart(
                &format!("/assessments/{id}/evidence"),
                &[("return_to", "/x"), ("item", "P.MP.i.b")],
                Some(("a.txt", b"hello".to_vec())),
                false,
            )
            .await;
        assert_eq!(
            form.status,
            StatusCode::SEE_OTHER,
            "a plain form goes back to its page"
        );
        let location = form.header("location").unwrap_or_default();
        assert!(location.starts_with("/x?evidence_error="), "{location}");
    }
);

db_test!(
    submitting_warns_about_gaps_then_locks_the_unit_out,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        assert_eq!(
            save(&unit, &id, &[("value[P.MP.i.b]", "A")]).await.status,
            StatusCode::OK
        );
        let file = upload(&unit, &id, "P.MP.i.b", "sk.pdf", pdf("sk"))
            .await
            .json();
        let file_id = file["id"].as_str().expect("id").to_owned();

        let unconfirmed = unit
            .call("assessments/submit", &[("assessment", &id)])
            .await;
        assert_eq!(unconfirmed.status, StatusCode::CONFLICT, "{unconfirmed}");
        assert_eq!(unconfirmed.json()["refusal"], "unconfirmed");
        assert!(unconfirmed.json()["unanswered"].as_u64().unwrap_or(0) > 100);

        let submitted = unit
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{submitted}");
        assert_eq!(submitted.json(), "submitted");
        assert_eq!(
            app.audit_rows("assessment", &id).await,
            2,
            "created by the demo, then submitted"
        );

        let locked = save(&unit, &id, &[("value[P.MP.i.b]", "B")]).await;
        assert_eq!(locked.status, StatusCode::CONFLICT, "{locked}");
        assert_eq!(locked.json()["refusal"], "locked");
        let upload_locked = upload(&unit, &id, "P.MP.i.b", "late.pdf", pdf("late")).await;
        assert_eq!(
            upload_locked.status,
            StatusCode::CONFLICT,
            "{upload_locked}"
        );
        let delete_locked = unit.call("evidence/delete", &[("id", &file_id)]).await;
        assert_eq!(
            delete_locked.status,
            StatusCode::CONFLICT,
            "{delete_locked}"
        );
        let again = unit
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let data = unit.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(
            data["answers"]["choices"]["P.MP.i.b"], "A",
            "the saved answer survived every refusal"
        );
    }
);

db_test!(
    submission_outside_the_window_is_refused_until_an_admin_extends_it,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let year = crate::helpers::current_year() - 1;
        let period: String = sqlx::query_scalar("SELECT period_id FROM assessments WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .expect("period");
        let closed = admin
            .call(
                "periods/update",
                &[
                    ("id", &period),
                    ("self_start", &format!("{year}-01-01")),
                    ("self_end", &format!("{year}-03-31")),
                    ("review_start", &format!("{year}-04-01")),
                    ("review_end", &format!("{year}-05-15")),
                    ("proposal_deadline", &format!("{year}-05-31")),
                ],
            )
            .await;
        assert_eq!(closed.status, StatusCode::OK, "{closed}");
        let refused = unit
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused.json()["refusal"], "window_closed");

        let bad = admin
            .call(
                "assessments/extend",
                &[("assessment", &id), ("until", "31-12-2099")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.field(), "until");
        let later = crate::helpers::current_year() + 1;
        let extended = admin
            .call(
                "assessments/extend",
                &[("assessment", &id), ("until", &format!("{later}-01-31"))],
            )
            .await;
        assert_eq!(extended.status, StatusCode::OK, "{extended}");
        let submitted = unit
            .call(
                "assessments/submit",
                &[("assessment", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{submitted}");
    }
);

db_test!(
    administrators_open_periods_and_create_assessments_for_a_subtree,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let next_year = (crate::helpers::current_year() + 1).to_string();
        let next = copy_demo_period(&admin, &next_year).await;
        let current = admin.call("periods/list", &[]).await.json()[0]["id"]
            .as_str()
            .expect("the demo period")
            .to_owned();
        let again = admin
            .call("periods/copy", &[("from", &current), ("year", &next_year)])
            .await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "one period per year: {again}"
        );

        let bpsdm = app.unit_id("BPSDM").await;
        let created = admin
            .call(
                "periods/assessments/create",
                &[
                    ("period", &next),
                    ("unit", &bpsdm),
                    ("target", "wbbm"),
                    ("subtree", "yes"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        assert_eq!(created.body, "4", "BPSDM and its three balai");
        let single = admin
            .call(
                "periods/assessments/create",
                &[("period", &next), ("unit", &bpsdm), ("target", "wbk")],
            )
            .await;
        assert_eq!(single.status, StatusCode::CONFLICT, "{single}");
        let bad_target = admin
            .call(
                "periods/assessments/create",
                &[("period", &next), ("unit", &bpsdm), ("target", "wbx")],
            )
            .await;
        assert_eq!(bad_target.status, StatusCode::UNPROCESSABLE_ENTITY);
        let listed = admin
            .call("periods/assessments", &[("period", &next)])
            .await
            .json();
        assert_eq!(listed.as_array().map(Vec::len), Some(4));
        assert_eq!(listed[0]["target"], "wbbm");

        let bad_dates = admin
            .call(
                "periods/create",
                &[
                    ("year", "2031"),
                    ("rubric_key", "permenpanrb-90-2021"),
                    ("self_start", "2031-03-01"),
                    ("self_end", "2031-02-01"),
                    ("review_start", ""),
                    ("review_end", ""),
                    ("proposal_deadline", ""),
                ],
            )
            .await;
        assert_eq!(
            bad_dates.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad_dates}"
        );
        assert_eq!(bad_dates.field(), "self_end");
    }
);

db_test!(
    each_role_gets_the_right_answer_on_every_assessment_route,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let file = upload(&unit, &id, "P.MP.i.b", "sk.pdf", pdf("sk"))
            .await
            .json();
        let file_id = file["id"].as_str().expect("id").to_owned();

        let admin = app.signed_in("admin").await;
        let aduan = app.unit_id("DIT-ADUAN").await;
        let created = admin
            .call(
                "users/create",
                &[
                    ("username", "anggota.aduan"),
                    ("email", ""),
                    ("full_name", "Anggota Aduan"),
                    ("password", "aduan-password"),
                    ("confirm", "aduan-password"),
                    ("role", "unit_member"),
                    ("unit", &aduan),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        let other = app.signed_in_with("anggota.aduan", "aduan-password").await;
        let tpi = app.signed_in("tpi").await;
        let leader = app.signed_in("pimpinan").await;
        let anonymous = app.client();

        // (who, may read, expected status for writes)
        let cases: [(&str, &Client, StatusCode, StatusCode); 5] = [
            (
                "member of another unit",
                &other,
                StatusCode::FORBIDDEN,
                StatusCode::FORBIDDEN,
            ),
            (
                "evaluator (not assigned)",
                &tpi,
                StatusCode::FORBIDDEN,
                StatusCode::FORBIDDEN,
            ),
            (
                "leadership (read only)",
                &leader,
                StatusCode::OK,
                StatusCode::FORBIDDEN,
            ),
            (
                "administrator (read only)",
                &admin,
                StatusCode::OK,
                StatusCode::FORBIDDEN,
            ),
            (
                "anonymous",
                &anonymous,
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
            ),
        ];
        for (who, client, read, write) in cases {
            let load = client.call("assessments/get", &[("id", &id)]).await;
            assert_eq!(load.status, read, "{who}: load");
            let (download, _, _) = client.get_bytes(&format!("/evidence/{file_id}")).await;
            assert_eq!(download, read, "{who}: download a guessed file id");
            let (zip, _, _) = client
                .get_bytes(&format!("/assessments/{id}/evidence.zip"))
                .await;
            assert_eq!(zip, read, "{who}: ZIP");
            let history = client
                .call(
                    "assessments/history",
                    &[("assessment", &id), ("item", "P.MP.i.b")],
                )
                .await;
            assert_eq!(history.status, read, "{who}: history");

            assert_eq!(
                save(client, &id, &[("value[P.MP.i.b]", "A")]).await.status,
                write,
                "{who}: answer"
            );
            assert_eq!(
                upload(client, &id, "P.MP.i.b", "x.pdf", pdf("x"))
                    .await
                    .status,
                write,
                "{who}: upload"
            );
            assert_eq!(
                client
                    .call("evidence/delete", &[("id", &file_id)])
                    .await
                    .status,
                write,
                "{who}: delete"
            );
            assert_eq!(
                client
                    .call(
                        "assessments/submit",
                        &[("assessment", &id), ("confirm", "yes")]
                    )
                    .await
                    .status,
                write,
                "{who}: submit"
            );
        }
        let mine = other.call("assessments/mine", &[]).await.json();
        let units: Vec<&str> = mine
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|a| a["summary"]["unit_code"].as_str())
            .collect();
        assert_eq!(
            units,
            ["DIT-ADUAN"],
            "a member sees only their own unit's assessments"
        );
        let missing = unit.call("assessments/get", &[("id", "0190-nope")]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM evidence", &[]).await,
            1,
            "no refused upload left a record"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM answers WHERE assessment_id = $1",
                &[&id]
            )
            .await,
            0,
            "no refused save left an answer"
        );
    }
);

async fn answer_rows(app: &TestApp, id: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM answers WHERE assessment_id = $1",
        &[id],
    )
    .await
}

/// Copies the demo's period to `year` as an administrator; returns the new period's id.
async fn copy_demo_period(admin: &Client, year: &str) -> String {
    let periods = admin.call("periods/list", &[]).await.json();
    let current = periods[0]["id"]
        .as_str()
        .expect("the demo period")
        .to_owned();
    let copied = admin
        .call("periods/copy", &[("from", &current), ("year", year)])
        .await;
    assert_eq!(copied.status, StatusCode::OK, "{copied}");
    serde_json::from_str(&copied.body).expect("id")
}

fn reference_workbook() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    ))
    .expect("the reference workbook")
}

db_test!(a_workbook_fills_the_lke_all_or_nothing, |app| async move {
    let unit = app.signed_in("unit").await;
    let id = izin(&app).await;

    let refused = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", b"not a workbook".to_vec()),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{refused}"
    );
    assert_eq!(refused.field(), "file");
    assert_eq!(answer_rows(&app, &id).await, 0, "nothing stored");

    // Replacing every answer and note needs the tick.
    let unconfirmed = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id)],
            ("lke.xlsx", reference_workbook()),
        )
        .await;
    assert_eq!(
        unconfirmed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{unconfirmed}"
    );
    assert_eq!(unconfirmed.field(), "confirm");
    assert_eq!(answer_rows(&app, &id).await, 0, "nothing stored");

    let imported = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", reference_workbook()),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{imported}");
    let changed = imported.json()["changed"].as_i64().unwrap_or_default();
    assert!(changed > 100, "the whole LKE is filled: {imported}");
    assert_eq!(answer_rows(&app, &id).await, changed);
    let data = unit.call("assessments/get", &[("id", &id)]).await.json();
    assert_eq!(data["answers"]["choices"]["P.MP.i.a"], "Ya");
    assert_eq!(data["answers"]["hasil"]["capaian"], "A");
    let audited = app
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'answer' AND entity_id LIKE $1",
            &[&format!("{id}/%")],
        )
        .await;
    assert_eq!(audited, changed, "every imported item is in the audit log");

    // The exported workbook reads back as the same answers: nothing changes.
    let (status, _, exported) = unit.get_bytes(&format!("/assessments/{id}/lke.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    let again = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", exported),
        )
        .await;
    assert_eq!(again.json()["changed"], 0, "{again}");

    let tpi = app.signed_in("tpi").await;
    let stranger = tpi
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", reference_workbook()),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{stranger}");
    let submitted = unit
        .call(
            "assessments/submit",
            &[("assessment", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{submitted}");
    let locked = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", reference_workbook()),
        )
        .await;
    assert_eq!(locked.status, StatusCode::CONFLICT, "{locked}");
});

/// A scanned document of `mb` megabytes: a PDF header, then noise.
pub(crate) fn scanned_pdf(mb: usize) -> Vec<u8> {
    let mut bytes = pdf("pindaian SK");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15 ^ mb as u64;
    while bytes.len() < mb * 1024 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes
}

db_test!(
    scanned_documents_up_to_the_limit_go_through_and_larger_ones_get_a_clear_refusal,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        for mb in [3, 10, 24] {
            let file = scanned_pdf(mb);
            let stored = upload(
                &unit,
                &id,
                "P.MP.i.a",
                &format!("SK {mb} MB.pdf"),
                file.clone(),
            )
            .await;
            assert_eq!(stored.status, StatusCode::CREATED, "{mb} MB: {stored}");
            let evidence = stored.json()["id"].as_str().unwrap_or_default().to_owned();
            let (status, _, body) = unit.get_bytes(&format!("/evidence/{evidence}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body == file, "the {mb} MB file comes back byte for byte");
        }

        let too_big = upload(&unit, &id, "P.MP.i.a", "SK 26 MB.pdf", scanned_pdf(26)).await;
        assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{too_big}");
        assert_eq!(
            too_big.json()["problem"]["too_large"]["max_mb"],
            25,
            "{too_big}"
        );

        // A plain form (no JavaScript) lands back on its page, which says why.
        let area = format!("/assessments/{id}/pemenuhan/1");
        let mut form = reqwest::multipart::Form::new().text("item", "P.MP.i.a");
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(scanned_pdf(26)).file_name("SK 26 MB.pdf"),
        );
        let plain = unit
            .http
            .post(unit.url(&format!("/assessments/{id}/evidence")))
            .header("referer", app.url(&area))
            .multipart(form)
            .send()
            .await
            .expect("plain upload");
        assert_eq!(plain.status(), StatusCode::SEE_OTHER);
        let location = plain
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            location.starts_with(&format!("{area}?evidence_error=")),
            "{location}"
        );
        let page = unit.get(&location).await;
        assert!(
            page.body
                .contains("Berkas terlalu besar (maksimal 25 MB per berkas)"),
            "the area page says it in Indonesian: {page}"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM evidence WHERE assessment_id = $1",
                &[&id]
            )
            .await,
            3,
            "only the three files within the limit were kept"
        );
    }
);

/// An Office Open XML or OpenDocument file with its entries in `order`, as
/// different programs write them.
fn office_file(entries: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, text) in entries {
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file(*name, options).expect("zip entry");
            zip.write_all(text.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip");
    }
    out.into_inner()
}

const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT: &str = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>SK Tim ZI</w:t></w:r></w:p></w:body></w:document>"#;
const CORE: &str = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>"#;

db_test!(
    documents_from_every_office_program_are_accepted_and_disguised_zips_are_not,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let word = office_file(&[
            ("[Content_Types].xml", DOCX_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", DOCUMENT),
            ("docProps/core.xml", CORE),
        ]);
        // python-docx, LibreOffice and Google Docs put the properties first.
        let properties_first = office_file(&[
            ("docProps/core.xml", CORE),
            ("docProps/app.xml", CORE),
            ("_rels/.rels", RELS),
            ("word/document.xml", DOCUMENT),
            ("[Content_Types].xml", DOCX_TYPES),
        ]);
        let generator = office_file(&[
            ("_rels/.rels", RELS),
            ("docProps/core.xml", CORE),
            ("[Content_Types].xml", &DOCX_TYPES.replace('"', "'")),
            ("word/document.xml", DOCUMENT),
        ]);
        let odt = office_file(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<office:document-content/>"),
            ("META-INF/manifest.xml", "<manifest:manifest/>"),
        ]);
        for (name, bytes, mime) in [
            ("word.docx", word, "wordprocessingml.document"),
            (
                "libreoffice.docx",
                properties_first,
                "wordprocessingml.document",
            ),
            ("generator.docx", generator, "wordprocessingml.document"),
            ("laporan.odt", odt, "opendocument.text"),
        ] {
            let stored = upload(&unit, &id, "P.MP.i.a", name, bytes).await;
            assert_eq!(stored.status, StatusCode::CREATED, "{name}: {stored}");
            assert!(
                stored.json()["mime"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with(mime),
                "{name}: {stored}"
            );
        }
        let jar = office_file(&[
            ("word/", ""),
            ("META-INF/MANIFEST.MF", "Main-Class: Setup"),
            ("Setup.class", "\u{1}"),
        ]);
        let carrier = office_file(&[
            ("[Content_Types].xml", DOCX_TYPES),
            ("word/document.xml", DOCUMENT),
            ("word/embeddings/setup.exe", "MZ"),
        ]);
        for (name, bytes) in [("sk.docx", jar), ("sk2.docx", carrier)] {
            let refused = upload(&unit, &id, "P.MP.i.a", name, bytes).await;
            assert_eq!(
                refused.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{name}: {refused}"
            );
        }
    }
);

/// The reference workbook grown to about 2 MB with an embedded picture, as
/// filled workbooks with logos, notes and evidence lists are.
fn two_megabyte_workbook() -> Vec<u8> {
    use std::io::{Read, Write};
    let mut source =
        zip::ZipArchive::new(std::io::Cursor::new(reference_workbook())).expect("xlsx");
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for n in 0..source.len() {
            let mut entry = source.by_index(n).expect("entry");
            let name = entry.name().expect("entry name").into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read entry");
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(&bytes).expect("write");
        }
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("xl/media/image1.png", stored)
            .expect("picture");
        zip.write_all(&scanned_pdf(2)).expect("write picture");
        zip.finish().expect("zip");
    }
    out.into_inner()
}

db_test!(
    a_real_sized_workbook_imports_and_a_stranger_cannot_make_the_server_read_it,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let workbook = two_megabyte_workbook();
        assert!(workbook.len() > 2 * 1024 * 1024);
        let imported = unit
            .call_multipart(
                "assessments/import",
                &[("assessment", &id), ("confirm", "yes")],
                ("lke.xlsx", workbook.clone()),
            )
            .await;
        assert_eq!(imported.status, StatusCode::OK, "{imported}");
        assert!(imported.json()["changed"].as_i64().unwrap_or_default() > 100);

        let tpi = app.signed_in("tpi").await;
        let stranger = tpi
            .call_multipart(
                "assessments/import",
                &[("assessment", &id), ("confirm", "yes")],
                ("lke.xlsx", workbook),
            )
            .await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{stranger}");
    }
);

db_test!(
    next_years_assessment_waits_for_its_window_and_this_years_comes_first,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let this_year = crate::helpers::current_year();
        let next_year = (this_year + 2).to_string();
        let next = copy_demo_period(&admin, &next_year).await;
        let unit_id = app.unit_id("DIT-IZIN").await;
        let created = admin
            .call(
                "periods/assessments/create",
                &[("period", &next), ("unit", &unit_id), ("target", "wbk")],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");

        let unit = app.signed_in("unit").await;
        let mine = unit.call("assessments/mine", &[]).await.json();
        assert_eq!(
            mine[0]["summary"]["year"], this_year,
            "this year's comes first: {mine}"
        );
        assert_eq!(mine[0]["standing"], "open");
        assert_eq!(mine[1]["summary"]["year"].as_i64(), Some(this_year + 2));
        assert_eq!(mine[1]["standing"], "upcoming");
        let future = mine[1]["summary"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        let early = save(&unit, &future, &[("value[P.MP.i.a]", "Ya")]).await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{early}");
        assert_eq!(early.json()["refusal"], "window_not_open", "{early}");
        assert_eq!(
            early.json()["opens"]
                .as_str()
                .map(|d| d.starts_with(&next_year)),
            Some(true),
            "the refusal says when it opens: {early}"
        );
        let file = upload(&unit, &future, "P.MP.i.a", "sk.pdf", pdf("awal")).await;
        assert_eq!(file.json()["refusal"], "window_not_open", "{file}");
        assert_eq!(
            answer_rows(&app, &future).await,
            0,
            "nothing was stored early"
        );
        let home = unit.get("/").await;
        assert!(
            home.body.contains("Belum dibuka · mulai 1 Januari"),
            "{home}"
        );

        let leader = app.signed_in("pimpinan").await;
        let dashboard = leader.call("dashboard/get", &[]).await.json();
        assert_eq!(
            dashboard["period"]["year"], this_year,
            "the dashboard opens on the current period"
        );
    }
);

db_test!(
    files_with_the_same_name_each_keep_their_extension_in_the_zip,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        for (name, text) in [
            ("dup.pdf", "satu"),
            ("dup.pdf", "dua"),
            ("dup (2).pdf", "tiga"),
        ] {
            let stored = upload(&unit, &id, "P.MP.i.a", name, pdf(text)).await;
            assert_eq!(stored.status, StatusCode::CREATED, "{stored}");
        }
        let (status, _, body) = unit
            .get_bytes(&format!("/assessments/{id}/evidence.zip"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a whole ZIP");
        let mut names: Vec<String> = (0..archive.len())
            .map(|n| {
                archive
                    .by_index(n)
                    .expect("entry")
                    .name()
                    .expect("name")
                    .into_owned()
            })
            .filter(|name| name.contains("P.MP.i.a/"))
            .collect();
        names.sort();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|n| n.ends_with(".pdf")), "{names:?}");
        let mut index = String::new();
        archive
            .by_name("index.csv")
            .expect("index")
            .read_to_string(&mut index)
            .expect("text");
        assert!(index.contains("dup (2) (2).pdf"), "{index}");
    }
);

db_test!(
    a_stored_name_cannot_hide_its_type_and_one_upload_carries_one_file,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        // A PDF named to run as an HTML application, with a direction override.
        let reply = upload(&unit, &id, "P.MP.i.b", "surat\u{202E}fdp.hta", pdf("sk")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply}");
        assert_eq!(reply.json()["name"], "suratfdp.hta.pdf", "{reply}");

        // Two files in one form: refused whole, nothing stored or recorded.
        let before = app.count("SELECT COUNT(*) FROM evidence", &[]).await;
        let form = reqwest::multipart::Form::new()
            .text("item", "P.MP.i.b")
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf("a")).file_name("a.pdf"),
            )
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf("b")).file_name("b.pdf"),
            );
        let response = unit
            .http
            .post(unit.url(&format!("/assessments/{id}/evidence")))
            .header("accept", "application/json")
            .multipart(form)
            .send()
            .await
            .expect("the upload");
        let reply = crate::helpers::Reply::read(response).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.json()["problem"], "one_file_at_a_time", "{reply}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM evidence", &[]).await,
            before
        );
    }
);

db_test!(
    a_deactivated_units_assessment_is_read_only,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let unit_id = app.unit_id("DIT-IZIN").await;
        let reply = admin
            .call("units/active", &[("id", &unit_id), ("active", "false")])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");

        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let loaded = unit.call("assessments/get", &[("id", &id)]).await;
        assert_eq!(loaded.status, StatusCode::OK, "still readable: {loaded}");
        assert_eq!(loaded.json()["rights"]["edit"], false, "{loaded}");
        let saved = save(&unit, &id, &[("value[P.MP.i.b]", "a")]).await;
        assert_eq!(saved.status, StatusCode::CONFLICT, "{saved}");
        assert_eq!(saved.json()["refusal"], "unit_inactive", "{saved}");
        let uploaded = upload(&unit, &id, "P.MP.i.b", "sk.pdf", pdf("sk")).await;
        assert_eq!(uploaded.status, StatusCode::CONFLICT, "{uploaded}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM answers WHERE assessment_id = $1",
                &[&id]
            )
            .await,
            0
        );
    }
);

db_test!(
    a_refused_upload_stores_nothing_and_the_sweep_finds_what_no_row_names,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let kept = upload(&unit, &id, "P.MP.i.b", "sk.pdf", pdf("kept")).await;
        assert_eq!(kept.status, StatusCode::CREATED, "{kept}");
        let store = app.state.blobs.clone();
        let before = store.list().await.expect("the store lists").len();
        for (item, replaces) in [("Z.Z.z", ""), ("", ""), ("P.MP.i.b", "no-such-file")] {
            let reply = unit
                .post_multipart(
                    &format!("/assessments/{id}/evidence"),
                    &[("item", item), ("replaces", replaces)],
                    Some(("scan.pdf", scanned_pdf(1))),
                    true,
                )
                .await;
            assert!(reply.status.is_client_error(), "{item}/{replaces}: {reply}");
        }
        assert_eq!(
            store.list().await.expect("the store lists").len(),
            before,
            "refused uploads left no file"
        );

        // A file no row names (as a crash between storing and recording leaves it).
        let mut incoming = store.receive(1024).await.expect("receive");
        incoming.write(b"%PDF-1.4 orphan").await.expect("write");
        let orphan = incoming.finish().await.expect("finish");
        let orphan_hash = orphan.sha256.clone();
        store.keep(orphan).await.expect("keep");
        let found =
            app::backend::evidence::orphans(&app.db, store.as_ref(), std::time::Duration::ZERO)
                .await
                .expect("the sweep");
        assert_eq!(
            found.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>(),
            [orphan_hash.as_str()]
        );
        let young = app::backend::evidence::orphans(
            &app.db,
            store.as_ref(),
            std::time::Duration::from_secs(3600),
        )
        .await
        .expect("the sweep");
        assert!(
            young.is_empty(),
            "a young file may still be recorded: {young:?}"
        );

        // An upload cut off by kill -9 leaves a temporary; the sweep removes it.
        let tmp = app.settings.data_dir.join("evidence").join("tmp");
        std::fs::write(tmp.join("cut-off"), b"half a file").expect("a temporary");
        use app::backend::blobs::BlobStore as _;
        let local = app::backend::blobs::LocalStore::new(app.settings.data_dir.join("evidence"))
            .await
            .expect("the store");
        assert_eq!(
            local
                .sweep_temporaries(std::time::Duration::ZERO)
                .await
                .expect("sweep"),
            1
        );
        assert!(!tmp.join("cut-off").exists());
    }
);

db_test!(
    the_home_page_says_how_far_each_assessment_is_and_what_to_do_next,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let before = unit.call("assessments/mine", &[]).await.json();
        let progress = &before[0]["progress"];
        let total = progress["total"].as_u64().expect("a total");
        assert!(total > 100, "every item of the LKE counts: {before}");
        let answered = progress["answered"].as_u64().expect("answered");
        let next = &before[0]["next"]["answer"];
        let first = next["first"]
            .as_str()
            .expect("the first open item")
            .to_owned();
        assert_eq!(next["left"].as_u64(), Some(total - answered), "{before}");

        // Nothing was returned, so nothing is to be mended.
        assert_eq!(progress["to_mend"].as_u64(), Some(0));
        let section = app::components::section::Section::of(first.parse().expect("a code"));

        let home = unit.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Lanjutkan mengisi ("), "{home}");
        assert!(
            home.body.contains(&format!(" dari {total} butir")),
            "{home}"
        );
        assert!(
            home.body.contains(&format!(
                "href=\"/assessments/{id}/{}#{first}\"",
                section.path()
            )),
            "the next step links to the first open item: {home}"
        );

        // Each area page leads on to the next one and back, without JavaScript.
        let area = unit.get(&format!("/assessments/{id}/pemenuhan/6")).await;
        for (rel, to) in [("prev", "pemenuhan/5"), ("next", "reform/1")] {
            let link = format!("rel=\"{rel}\" href=\"/assessments/{id}/{to}\"");
            assert!(area.body.contains(&link), "{link} in {area}");
        }
        let hasil = unit.get(&format!("/assessments/{id}/hasil/0")).await;
        assert!(
            !hasil.body.contains("rel=\"next\""),
            "Hasil is the last section"
        );

        let leader = app.signed_in("pimpinan").await;
        let home = leader.get("/").await;
        assert!(home.body.contains("href=\"/dashboard\""), "{home}");
        assert!(home.body.contains("Buka dasbor"), "{home}");
    }
);

/// A SAKIP evaluation worksheet ("LKE AKIP"): LKE-like, but not an LKE ZI.
fn sakip_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("LKE AKIP").expect("a sheet name");
    let rows: [[&str; 4]; 4] = [
        ["No", "Komponen/Sub Komponen", "Bobot", "Jawaban"],
        ["1", "Perencanaan Kinerja", "30", ""],
        ["a", "Keberadaan", "6", "Ya"],
        ["2", "Pengukuran Kinerja", "30", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text).expect("a cell");
        }
    }
    let survey = wb.add_worksheet();
    survey.set_name("Nilai Survei").expect("a sheet name");
    for (c, text) in ["Unit", "IPAK", "IPKP"].iter().enumerate() {
        survey.write_string(0, c as u16, *text).expect("a cell");
    }
    wb.save_to_buffer().expect("a workbook")
}

db_test!(
    a_workbook_that_is_no_lke_zi_is_refused_by_sheet_in_the_users_language,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let refused = unit
            .call_multipart(
                "assessments/import",
                &[("assessment", &id), ("confirm", "yes")],
                ("sakip.xlsx", sakip_workbook()),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{refused}"
        );
        let json = refused.json();
        assert_eq!(json["error"], "not_an_lke", "{refused}");
        assert_eq!(json["sheets"][0]["sheet"], "LKE AKIP");
        assert_eq!(json["sheets"][0]["labels"][1], "Komponen/Sub Komponen");
        assert_eq!(json["sheets"][1]["sheet"], "Nilai Survei");
        assert_eq!(answer_rows(&app, &id).await, 0, "nothing stored");

        // Without JavaScript: back on the page, a sentence that names what was
        // expected and what each sheet holds; no internal code.
        let page = app.url(&format!("/assessments/{id}"));
        let form = reqwest::multipart::Form::new()
            .text("assessment", id.clone())
            .text("confirm", "yes")
            .part(
                "file",
                reqwest::multipart::Part::bytes(sakip_workbook()).file_name("sakip.xlsx"),
            );
        let response = unit
            .http
            .post(app.url("/api/assessments/import"))
            .header("accept", "text/html")
            .header("origin", app.address.as_str())
            .header("referer", page.as_str())
            .multipart(form)
            .send()
            .await
            .expect("the form post");
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"]
            .to_str()
            .expect("a location")
            .to_owned();
        let back =
            crate::helpers::Reply::read(unit.http.get(&location).send().await.expect("the page"))
                .await;
        assert_eq!(back.status, StatusCode::OK, "{back}");
        for text in [
            "Berkas ini bukan LKE ZI",
            r#"lembar "LKE ZI" (PermenPANRB 90/2021) atau "Jawaban" (PortalRB 2026)"#,
            r#"lembar "LKE AKIP" berisi "No", "Komponen/Sub Komponen", "Bobot", "Jawaban""#,
            r#"lembar "Nilai Survei" berisi "Unit", "IPAK", "IPKP""#,
        ] {
            assert!(back.body.contains(text), "{text} missing: {back}");
        }
        for code in ["not_an_lke", "label_out_of_order", "sheet_renamed"] {
            assert!(!back.body.contains(code), "{code} shown: {back}");
        }
        assert_eq!(answer_rows(&app, &id).await, 0, "nothing stored");
    }
);

/// The 2026 template with the unit's answer in K and the evaluators' in O.
fn workbook_2026(unit_answer: &str, tpi_answer: &str) -> Vec<u8> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/fixtures/lke-zi-2026-jawaban-template.xlsx"
    ))
    .expect("the 2026 template");
    let (grid, _) =
        app::backend::lke::grid::read_lke_sheet(&bytes, &app::backend::lke::Limits::default())
            .expect("the template");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Jawaban").expect("a sheet name");
    for row in &grid.rows {
        for (i, c) in ('A'..='V').enumerate() {
            let text = row.text(c);
            if !text.is_empty() {
                ws.write_string(row.number - 1, i as u16, text)
                    .expect("a cell");
            } else if let Some(x) = row.value(c).number() {
                ws.write_number(row.number - 1, i as u16, x)
                    .expect("a cell");
            }
        }
        if row.text('J') == "Ya/Tidak" {
            ws.write_string(row.number - 1, 10, unit_answer).expect("K");
            ws.write_string(row.number - 1, 14, tpi_answer).expect("O");
        }
    }
    wb.save_to_buffer().expect("a workbook")
}

db_test!(
    the_unit_imports_a_2026_workbook_from_the_column_it_chooses,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let workbook = workbook_2026("Ya", "Tidak");
        let import = |lane: &'static str| {
            let (unit, id, workbook) = (&unit, id.clone(), workbook.clone());
            async move {
                unit.call_multipart(
                    "assessments/import",
                    &[("assessment", &id), ("confirm", "yes"), ("lane", lane)],
                    ("lke.xlsx", workbook),
                )
                .await
            }
        };
        let own = import("unit").await;
        assert_eq!(own.status, StatusCode::OK, "{own}");
        let read = &own.json()["read"];
        assert_eq!(read["layout"], "2026", "{own}");
        assert_eq!(read["sheet"], "Jawaban");
        assert_eq!(read["answer_column"], "K");
        assert_eq!(read["note_column"], "L");
        let data = unit.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(data["answers"]["choices"]["P.MP.i.a"], "Ya");

        let itjen = import("tpi").await;
        assert_eq!(itjen.status, StatusCode::OK, "{itjen}");
        assert_eq!(itjen.json()["read"]["answer_column"], "O");
        assert_eq!(itjen.json()["read"]["lane"], "tpi");
        let own_changed = own.json()["changed"].as_i64().unwrap_or_default();
        assert!(own_changed > 10, "every Ya/Tidak question: {own}");
        assert_eq!(
            itjen.json()["changed"],
            own_changed,
            "every answered item changed: {itjen}"
        );
        let data = unit.call("assessments/get", &[("id", &id)]).await.json();
        assert_eq!(
            data["answers"]["choices"]["P.MP.i.a"], "Tidak",
            "the evaluators' column became the unit's answers"
        );
        let unknown = import("kepala").await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{unknown}");

        // The page offers the choice in a plain form.
        let page = unit.get(&format!("/assessments/{id}")).await;
        assert!(
            page.body
                .contains(r#"<select id="import-lane" name="lane">"#),
            "{page}"
        );
        assert!(page.body.contains(r#"value="tpi""#), "{page}");
    }
);

/// The area page without JavaScript, as the browser posts it when a new
/// file's Unggah is pressed: every answer, note and version of the area, the
/// other questions' empty file fields, and the chosen file.
pub(crate) async fn post_area_with_file(
    client: &Client,
    id: &str,
    answers: &[(&str, &str)],
    file: (&str, Vec<u8>),
) -> reqwest::Response {
    let query = format!("item=P.MP.i.a&return_to=/assessments/{id}/pemenuhan/1%23P.MP.i.a");
    let mut form = reqwest::multipart::Form::new().text("assessment", id.to_owned());
    for (name, value) in answers {
        form = form.text(name.to_string(), value.to_string());
    }
    let empty = || reqwest::multipart::Part::bytes(Vec::new()).file_name("");
    form = form
        .part("file[P.MP.i.b]", empty())
        .part(
            "file[P.MP.i.a]",
            reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_owned()),
        )
        .part("file[P.MP.ii.a]", empty());
    client
        .http
        .post(client.url(&format!("/assessments/{id}/evidence?{query}")))
        .multipart(form)
        .send()
        .await
        .expect("POST the area with a file")
}

db_test!(
    without_javascript_an_upload_keeps_the_answers_typed_since_the_last_save,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let typed = [
            ("value[P.MP.i.a]", "Ya"),
            ("note[P.MP.i.a]", "SK ditandatangani <b>Kepala</b>"),
            ("version[P.MP.i.a]", "0"),
            ("value[P.MP.i.b]", "b"),
            ("version[P.MP.i.b]", "0"),
        ];
        let files_before = unit
            .call("assessments/get", &[("id", id.as_str())])
            .await
            .json()["evidence"]
            .as_array()
            .map_or(0, Vec::len);
        let response = post_area_with_file(&unit, &id, &typed, ("SK Tim ZI.pdf", pdf("sk"))).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()["location"],
            format!("/assessments/{id}/pemenuhan/1#P.MP.i.a").as_str(),
            "back at the question"
        );
        let stored = unit
            .call("assessments/get", &[("id", id.as_str())])
            .await
            .json();
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Ya", "{stored}");
        assert_eq!(stored["answers"]["choices"]["P.MP.i.b"], "B", "{stored}");
        assert_eq!(
            stored["notes"]["P.MP.i.a"],
            "SK ditandatangani <b>Kepala</b>"
        );
        let files: Vec<&serde_json::Value> = stored["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .filter(|f| f["items"] == serde_json::json!(["P.MP.i.a"]))
            .collect();
        assert_eq!(files.len(), 1, "one file, under its question: {stored}");
        assert_eq!(files[0]["name"], "SK Tim ZI.pdf");
        assert_eq!(app.audit_rows("answer", &format!("{id}/P.MP.i.a")).await, 1);

        // A refused file still keeps what was typed; the page says why.
        let typed = [("value[P.MP.ii.a]", "Ya"), ("version[P.MP.ii.a]", "0")];
        let program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        let response = post_area_with_file(&unit, &id, &typed, ("setup.exe", program)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("/assessments/{id}/pemenuhan/1?evidence_error="))
                && location.ends_with("#P.MP.i.a"),
            "{location}"
        );
        let back = unit.get(&location).await;
        assert!(back.body.contains("Jenis berkas tidak diizinkan"), "{back}");
        let stored = unit
            .call("assessments/get", &[("id", id.as_str())])
            .await
            .json();
        assert_eq!(stored["answers"]["choices"]["P.MP.ii.a"], "Ya", "{stored}");
        assert_eq!(
            stored["evidence"].as_array().map(Vec::len),
            Some(files_before + 1),
            "the program is not kept: {stored}"
        );

        // The page without JavaScript wires the new file's Unggah to the area's form.
        let page = unit.get(&format!("/assessments/{id}/pemenuhan/1")).await;
        assert!(
            page.body.contains(r#"name="file[P.MP.i.a]""#)
                && page.body.contains(r#"form="answers""#)
                && page.body.contains("formenctype=\"multipart/form-data\""),
            "{page}"
        );
        // The Save button's plain post carries those file fields too, empty.
        let saved = save(
            &unit,
            &id,
            &[
                ("value[P.MP.ii.a]", "Tidak"),
                ("version[P.MP.ii.a]", "1"),
                ("file[P.MP.i.a]", ""),
                ("file[P.MP.ii.a]", ""),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
    }
);
