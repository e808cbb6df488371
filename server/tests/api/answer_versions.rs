//! Versions on the unit's own answers: two members of one unit never
//! overwrite each other without seeing it. A save names the version each item
//! was loaded at; a save from an older version is refused (409) with what the
//! other member saved, who and when, and stores nothing of that item.

use crate::db_test;
use crate::helpers::{Client, Reply, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const RINA: &str = "Rina Anggota Unit";
const ANI: &str = "Ani Anggota Kedua";

/// A second member of Direktorat Pelayanan Perizinan, beside the demo's `unit` (Rina).
async fn second_member(app: &TestApp) -> Client {
    let admin = app.signed_in("admin").await;
    let unit = app.unit_id("DIT-IZIN").await;
    let created = admin
        .call(
            "users/create",
            &[
                ("username", "ani"),
                ("email", ""),
                ("full_name", ANI),
                ("password", "ani-password-1"),
                ("confirm", "ani-password-1"),
                ("role", "unit_member"),
                ("unit", unit.as_str()),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{created}");
    app.signed_in_with("ani", "ani-password-1").await
}

async fn save(client: &Client, id: &str, pairs: &[(&str, &str)]) -> Reply {
    let mut form = vec![("assessment", id)];
    form.extend_from_slice(pairs);
    client.call("assessments/answers", &form).await
}

async fn load(client: &Client, id: &str) -> Value {
    let reply = client.call("assessments/get", &[("id", id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

async fn audit_lines(app: &TestApp, id: &str, item: &str) -> i64 {
    app.audit_rows("answer", &format!("{id}/{item}")).await
}

db_test!(
    two_members_saving_one_item_at_once_get_one_save_and_one_conflict,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let rina = app.signed_in("unit").await;
        let ani = second_member(&app).await;
        for round in 0..40 {
            let version = round.to_string();
            let send = |client: &Client, note: String| {
                let (client, id, version) = (client.clone(), id.clone(), version.clone());
                async move {
                    let reply = save(
                        &client,
                        &id,
                        &[
                            ("note[P.MP.i.b]", note.as_str()),
                            ("version[P.MP.i.b]", version.as_str()),
                        ],
                    )
                    .await;
                    (note, reply)
                }
            };
            let (a, b) = tokio::join!(
                send(&rina, format!("Rina, putaran {round}")),
                send(&ani, format!("Ani, putaran {round}"))
            );
            let mut statuses = [a.1.status, b.1.status];
            statuses.sort();
            assert_eq!(
                statuses,
                [StatusCode::OK, StatusCode::CONFLICT],
                "round {round}: {} / {}",
                a.1,
                b.1
            );
            let ((won, saved), (_, refused)) = if a.1.status == StatusCode::OK {
                (a, b)
            } else {
                (b, a)
            };
            assert_eq!(saved.json()["versions"]["P.MP.i.b"], round + 1, "{saved}");
            let conflict = &refused.json()["conflicts"][0];
            assert_eq!(conflict["item"], "P.MP.i.b", "{refused}");
            assert_eq!(
                conflict["note"],
                won.as_str(),
                "the other's note: {refused}"
            );
            assert_eq!(conflict["version"], round + 1);
            let stored = load(&rina, &id).await;
            assert_eq!(stored["notes"]["P.MP.i.b"], won.as_str(), "round {round}");
            assert_eq!(stored["versions"]["P.MP.i.b"], round + 1);
        }
        assert_eq!(
            audit_lines(&app, &id, "P.MP.i.b").await,
            40,
            "one audit line per round: the refused saves wrote none"
        );
    }
);

db_test!(
    a_stale_save_gets_the_others_value_and_changes_nothing,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let rina = app.signed_in("unit").await;
        let ani = second_member(&app).await;
        // Both opened the page with P.MP.i.a unanswered (version 0).
        let loaded = load(&ani, &id).await;
        assert!(loaded["versions"]["P.MP.i.a"].is_null(), "no row yet: 0");

        let first = save(
            &rina,
            &id,
            &[
                ("value[P.MP.i.a]", "Ya"),
                ("note[P.MP.i.a]", "SK tim ZI sudah ada"),
                ("version[P.MP.i.a]", "0"),
            ],
        )
        .await;
        assert_eq!(first.status, StatusCode::OK, "{first}");
        assert_eq!(first.json()["versions"]["P.MP.i.a"], 1);
        let rows = app.table_counts().await;
        let lines = audit_lines(&app, &id, "P.MP.i.a").await;

        let stale = save(
            &ani,
            &id,
            &[
                ("value[P.MP.i.a]", "Tidak"),
                ("note[P.MP.i.a]", "Belum ada SK"),
                ("version[P.MP.i.a]", "0"),
            ],
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{stale}");
        let body = stale.json();
        assert_eq!(body["error"], "conflict");
        assert_eq!(body["saved"], 0);
        let conflict = &body["conflicts"][0];
        assert_eq!(conflict["item"], "P.MP.i.a");
        assert_eq!(conflict["value"], "Ya", "Rina's value");
        assert_eq!(conflict["note"], "SK tim ZI sudah ada");
        assert_eq!(conflict["by"], RINA);
        assert_eq!(conflict["version"], 1);
        assert!(conflict["at"].as_i64().is_some_and(|at| at > 0), "{body}");
        assert_eq!(conflict["mine"]["value"], "Tidak", "what Ani sent");
        assert_eq!(conflict["mine"]["note"], "Belum ada SK");

        let stored = load(&rina, &id).await;
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Ya");
        assert_eq!(stored["notes"]["P.MP.i.a"], "SK tim ZI sudah ada");
        assert_eq!(stored["versions"]["P.MP.i.a"], 1);
        assert_eq!(
            audit_lines(&app, &id, "P.MP.i.a").await,
            lines,
            "no audit line"
        );
        assert_eq!(app.table_counts().await, rows, "nothing written anywhere");

        // A page as old as version 0 stays refused however often it tries.
        let again = save(
            &ani,
            &id,
            &[("value[P.MP.i.a]", "Tidak"), ("version[P.MP.i.a]", "0")],
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{again}");

        // Having seen Rina's answer, Ani keeps her own: a save from version 1.
        let kept = save(
            &ani,
            &id,
            &[
                ("value[P.MP.i.a]", "Tidak"),
                ("note[P.MP.i.a]", "Belum ada SK"),
                ("version[P.MP.i.a]", "1"),
            ],
        )
        .await;
        assert_eq!(kept.status, StatusCode::OK, "{kept}");
        assert_eq!(kept.json()["versions"]["P.MP.i.a"], 2);
        let stored = load(&rina, &id).await;
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Tidak");
        assert_eq!(audit_lines(&app, &id, "P.MP.i.a").await, lines + 1);

        // Saving what is already stored changes nothing and is never a conflict.
        let same = save(
            &rina,
            &id,
            &[("value[P.MP.i.a]", "Tidak"), ("version[P.MP.i.a]", "1")],
        )
        .await;
        assert_eq!(same.status, StatusCode::OK, "{same}");
        assert_eq!(same.json()["changed"], 0);
        assert_eq!(same.json()["versions"]["P.MP.i.a"], 2);

        // A version that is not a number is a bad request, and writes nothing.
        let garbled = save(
            &rina,
            &id,
            &[("value[P.MP.i.a]", "Ya"), ("version[P.MP.i.a]", "satu")],
        )
        .await;
        assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "{garbled}");
        assert_eq!(audit_lines(&app, &id, "P.MP.i.a").await, lines + 1);
    }
);

db_test!(
    save_all_without_javascript_saves_what_is_not_stale_and_shows_the_conflict_at_its_item,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let rina = app.signed_in("unit").await;
        let ani = second_member(&app).await;
        let page = app.url(&format!("/assessments/{id}/pemenuhan/1"));
        // Ani's page carries a hidden version per item, all at 0.
        let opened = ani.get(&format!("/assessments/{id}/pemenuhan/1")).await;
        assert_eq!(opened.status, StatusCode::OK, "{opened}");
        assert!(
            opened
                .body
                .contains(r#"name="version[P.MP.i.a]" form="answers" value="0""#),
            "a hidden version per item: {opened}"
        );

        let first = save(
            &rina,
            &id,
            &[("value[P.MP.i.a]", "Ya"), ("version[P.MP.i.a]", "0")],
        )
        .await;
        assert_eq!(first.status, StatusCode::OK, "{first}");

        // Ani presses Save without JavaScript: P.MP.i.a is stale, P.MP.i.b is not.
        let response = ani
            .http
            .post(app.url("/api/assessments/answers"))
            .header("accept", "text/html")
            .header("origin", app.address.as_str())
            .header("referer", page.as_str())
            .form(&[
                ("assessment", id.as_str()),
                ("value[P.MP.i.a]", "Tidak"),
                ("note[P.MP.i.a]", "Belum ada SK"),
                ("version[P.MP.i.a]", "0"),
                ("value[P.MP.i.b]", "b"),
                ("note[P.MP.i.b]", "Rencana kerja ditandatangani"),
                ("version[P.MP.i.b]", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let back = Reply::read(ani.http.get(&location).send().await.unwrap()).await;
        assert_eq!(back.status, StatusCode::OK, "{back}");

        // Nothing lost: the item that was not stale is saved …
        let stored = load(&rina, &id).await;
        assert_eq!(stored["answers"]["choices"]["P.MP.i.b"], "B");
        assert_eq!(stored["notes"]["P.MP.i.b"], "Rencana kerja ditandatangani");
        assert_eq!(stored["versions"]["P.MP.i.b"], 1);
        // … and the stale one keeps Rina's answer.
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Ya");
        assert_eq!(stored["versions"]["P.MP.i.a"], 1);
        assert_eq!(audit_lines(&app, &id, "P.MP.i.a").await, 1);

        // The page says so in the save bar and shows both inputs at the item.
        assert!(
            back.body
                .contains("1 butir tidak disimpan karena sudah diubah orang lain"),
            "the save bar names the refused item: {back}"
        );
        assert!(
            back.body.contains("1 butir lain sudah tersimpan."),
            "{back}"
        );
        let at = back
            .body
            .find(r#"data-testid="conflict-P.MP.i.a""#)
            .unwrap_or_else(|| panic!("no conflict at the item: {back}"));
        let notice = &back.body[at..];
        let notice = &notice[..notice.find("</form>").expect("the keep-mine form")];
        // Text without the renderer's hydration markers.
        let notice = notice.replace("<!>", "");
        assert!(notice.contains(RINA), "who: {notice}");
        assert!(notice.contains("WIB"), "when: {notice}");
        assert!(
            notice.contains(r#"data-testid="theirs">Jawaban: Ya; Catatan: kosong<"#),
            "her input: {notice}"
        );
        assert!(
            notice.contains(r#"data-testid="mine">Jawaban: Tidak; Catatan: Belum ada SK<"#),
            "Ani's own: {notice}"
        );
        assert!(notice.contains("Pakai isian mereka"), "{notice}");
        assert!(notice.contains("Simpan isian saya"), "{notice}");
        assert!(
            notice.contains(r#"name="version[P.MP.i.a]" value="1""#),
            "keeping hers saves from the version now stored: {notice}"
        );
        assert!(
            !back.body.contains(r#"data-testid="conflict-P.MP.i.b""#),
            "only the stale item"
        );
        // The page itself now carries the new versions.
        assert!(
            back.body
                .contains(r#"name="version[P.MP.i.a]" form="answers" value="1""#),
            "{back}"
        );

        // "Simpan isian saya" posts her own input from version 1.
        let kept = save(
            &ani,
            &id,
            &[
                ("value[P.MP.i.a]", "Tidak"),
                ("note[P.MP.i.a]", "Belum ada SK"),
                ("version[P.MP.i.a]", "1"),
            ],
        )
        .await;
        assert_eq!(kept.status, StatusCode::OK, "{kept}");
        assert_eq!(
            load(&rina, &id).await["answers"]["choices"]["P.MP.i.a"],
            "Tidak"
        );
    }
);

db_test!(
    a_workbook_import_overwrites_on_purpose_and_bumps_every_version,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let rina = app.signed_in("unit").await;
        let ani = second_member(&app).await;
        let first = save(
            &ani,
            &id,
            &[("value[P.MP.i.a]", "Tidak"), ("version[P.MP.i.a]", "0")],
        )
        .await;
        assert_eq!(first.status, StatusCode::OK, "{first}");

        // Rina's page is older than Ani's save; the import does not check.
        let workbook = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../app/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
        ))
        .expect("the reference workbook");
        let imported = rina
            .call_multipart(
                "assessments/import",
                &[("assessment", &id), ("confirm", "yes")],
                ("lke.xlsx", workbook),
            )
            .await;
        assert_eq!(imported.status, StatusCode::OK, "{imported}");
        let stored = load(&rina, &id).await;
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Ya");
        assert_eq!(stored["versions"]["P.MP.i.a"], 2, "bumped over Ani's save");
        let versions = stored["versions"].as_object().expect("versions");
        assert!(
            versions.len() > 100 && versions.values().all(|v| v.as_i64() >= Some(1)),
            "every imported row has a version"
        );

        // Ani's page, loaded before the import, is now stale.
        let stale = save(
            &ani,
            &id,
            &[("value[P.MP.i.a]", "Tidak"), ("version[P.MP.i.a]", "1")],
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{stale}");
        assert_eq!(stale.json()["conflicts"][0]["value"], "Ya");
        assert_eq!(stale.json()["conflicts"][0]["by"], RINA);
    }
);
