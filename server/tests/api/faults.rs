//! Faults: `zi serve` killed (SIGKILL, as a power cut) in the middle of a
//! stream of saves and of an upload, then started again on the same database
//! and files. Every acknowledged write is there with its audit line, the
//! database is intact, and after `zi evidence sweep --delete` no file is left
//! that no row names.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::assessments::scanned_pdf;
use crate::db_test;
use crate::helpers::{stream_of, Backend, Client, ServerProcess, TestApp, PASSWORD};
use app::domain::lke::builtin::builtin_90_2021_ref;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

/// What the server acknowledged: (item, note).
type Acknowledged = Arc<Mutex<Vec<(String, String)>>>;

/// Saves that run until the server dies: four writers, each giving its own
/// questions a note, one save after another; each acknowledged save is noted.
fn stream_of_saves(
    client: &Client,
    assessment: &str,
    acknowledged: &Acknowledged,
) -> Vec<tokio::task::JoinHandle<()>> {
    let codes: Vec<String> = builtin_90_2021_ref()
        .questions()
        .map(|question| question.code.to_string())
        .collect();
    (0..4)
        .map(|writer| {
            let (client, assessment) = (client.clone(), assessment.to_owned());
            let acknowledged = acknowledged.clone();
            let codes: Vec<String> = codes.iter().skip(writer).step_by(4).cloned().collect();
            tokio::spawn(async move {
                for code in codes {
                    let note = format!("sebelum mati {code}");
                    let sent = client
                        .http
                        .post(client.url("/api/assessments/answers"))
                        .form(&[
                            ("assessment", assessment.as_str()),
                            (&format!("note[{code}]"), note.as_str()),
                        ])
                        .send()
                        .await;
                    match sent {
                        Ok(reply) if reply.status() == StatusCode::OK => {
                            acknowledged.lock().expect("the list").push((code, note));
                        }
                        Ok(reply) => panic!("a save before the kill got {}", reply.status()),
                        // The server is gone: nothing was acknowledged.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect()
}

async fn signed_in(server: &ServerProcess) -> Client {
    let client = server.client();
    let reply = client.login("unit", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    client
}

/// An upload whose body arrives slowly and never ends: it is in flight when
/// the server dies.
async fn upload_in_flight(
    client: &Client,
    assessment: &str,
) -> tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let boundary = "zi-fault";
    let request = client
        .http
        .post(client.url(&format!("/assessments/{assessment}/evidence")))
        .header("accept", "application/json")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(reqwest::Body::wrap_stream(stream_of(receiver)))
        .send();
    tokio::spawn(request);
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\nP.MP.i.b\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"terpotong.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    );
    sender.send(Ok(head.into_bytes())).await.expect("head");
    let scan = scanned_pdf(2);
    sender
        .send(Ok(scan))
        .await
        .expect("the first two megabytes");
    sender
}

db_test!(
    a_server_killed_mid_work_keeps_every_acknowledged_write_and_leaves_no_orphan,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let server = app.serve_process(&[]);
        let unit = signed_in(&server).await;

        // One upload acknowledged before the crash.
        let kept = scanned_pdf(3);
        let stored = unit
            .post_multipart(
                &format!("/assessments/{id}/evidence"),
                &[("item", "P.MP.i.a")],
                Some(("SK sebelum mati.pdf", kept.clone())),
                true,
            )
            .await;
        assert_eq!(stored.status, StatusCode::CREATED, "{stored}");
        let kept_id = stored.json()["id"].as_str().expect("id").to_owned();

        // Another upload half sent, and saves streaming, when the power goes.
        let _unfinished = upload_in_flight(&unit, &id).await;
        let uploads = app.settings.data_dir.join("evidence").join("tmp");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while std::fs::read_dir(&uploads).map_or(0, Iterator::count) == 0 {
            assert!(tokio::time::Instant::now() < deadline, "the upload began");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let acknowledged = Acknowledged::default();
        let writers = stream_of_saves(&unit, &id, &acknowledged);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().expect("the list").len() < 20 {
            assert!(tokio::time::Instant::now() < deadline, "saves went through");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill();
        for writer in writers {
            writer.await.expect("a writer ends without panicking");
        }
        let acknowledged = acknowledged.lock().expect("the list").clone();
        let all = builtin_90_2021_ref().questions().count();
        assert!(
            acknowledged.len() < all,
            "the kill came while saves were still streaming ({} of {all})",
            acknowledged.len()
        );

        // Started again on the same database and files.
        let server = app.serve_process(&[]);
        let unit = signed_in(&server).await;
        for (code, note) in &acknowledged {
            let stored: Option<String> = sqlx::query_scalar(
                "SELECT note FROM answers WHERE assessment_id = $1 AND item_code = $2",
            )
            .bind(&id)
            .bind(code)
            .fetch_optional(&app.db)
            .await
            .expect("query answers");
            assert_eq!(
                stored.as_deref(),
                Some(note.as_str()),
                "{code} was acknowledged"
            );
            let audited = app
                .count(
                    "SELECT COUNT(*) FROM audit_log WHERE entity = 'answer' AND entity_id = $1",
                    &[&format!("{id}/{code}")],
                )
                .await;
            assert_eq!(audited, 1, "{code} has its audit line");
        }
        if app.backend == Backend::Sqlite {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&app.db)
                .await
                .expect("integrity check");
            assert_eq!(check, "ok");
        }
        let (status, _, body) = unit.get_bytes(&format!("/evidence/{kept_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body == kept,
            "the acknowledged upload reads back byte for byte"
        );

        // The sweep removes what the cut upload left, and then finds nothing.
        let swept = sweep(&app, &["--delete", "--min-age-minutes", "0"]);
        assert!(
            swept.starts_with("Removed 0 files no evidence names")
                && swept.ends_with("and 1 unfinished uploads."),
            "{swept}"
        );
        let after = sweep(&app, &["--min-age-minutes", "0"]);
        assert!(after.starts_with("0 files no evidence names"), "{after}");
        let left = std::fs::read_dir(&uploads)
            .expect("the upload folder")
            .count();
        assert_eq!(left, 0, "no unfinished upload is left");
        let evidence_dir = app.settings.data_dir.join("evidence");
        let blobs: Vec<String> = sqlx::query_scalar("SELECT sha256 FROM blobs")
            .fetch_all(&app.db)
            .await
            .expect("blobs");
        for sha256 in blobs {
            let file = std::fs::read(evidence_dir.join(&sha256[..2]).join(&sha256))
                .unwrap_or_else(|err| panic!("blob {sha256}: {err}"));
            let hash: String = Sha256::digest(&file)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(hash, sha256, "a stored file matches its name");
        }
        drop(server);
    }
);

/// `zi evidence sweep ARGS` on this test's database and files; its output.
fn sweep(app: &TestApp, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zi"))
        .args(["evidence", "sweep"])
        .args(args)
        .env_clear()
        .env(
            "ZI_DATABASE_URL",
            app.settings
                .database_url
                .as_deref()
                .expect("a database url"),
        )
        .env("ZI_DATA_DIR", &app.settings.data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("zi evidence sweep runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
