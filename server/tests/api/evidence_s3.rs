//! Evidence in an S3-compatible bucket: a real S3 server (moto on loopback,
//! `TEST_S3_ENDPOINT`, started by `scripts/test`), never a mock. What the user
//! and the operator notice: files land in the bucket under their hash and come
//! back byte for byte, the same file is stored once, the ZIP and the sweep
//! work from the bucket, and a store out of reach is a 503 the user can read
//! while their answers stay saved.

use crate::assessments::{pdf, post_area_with_file, scanned_pdf, upload};
use crate::db_test;
use crate::helpers::{closed_port_url, s3_at, with_s3, TestApp};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::io::Read;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn izin(app: &TestApp) -> String {
    app.assessment_of("DIT-IZIN").await
}

db_test!(
    an_upload_lands_in_the_bucket_under_its_hash_once_and_comes_back_whole,
    settings = with_s3,
    |app| async move {
        let Some(bucket) = app.s3_bucket(module_path!()).await else {
            return;
        };
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let scan = scanned_pdf(8);
        let hash = sha256(&scan);

        let first = upload(&unit, &id, "P.MP.i.a", "SK pindaian.pdf", scan.clone()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{first}");
        let key = bucket.key_of(&hash);
        assert_eq!(
            bucket.keys().await,
            std::slice::from_ref(&key),
            "the bucket holds the file under its hash"
        );
        assert!(
            bucket.object(&key).await.as_deref() == Some(scan.as_slice()),
            "the object is the uploaded file byte for byte"
        );
        assert!(
            !app.settings
                .data_dir
                .join("evidence")
                .join(&hash[..2])
                .exists(),
            "nothing is kept on the local disk"
        );

        // The same file again, for another question: stored once.
        let second = upload(&unit, &id, "P.MP.i.b", "SK salinan.pdf", scan.clone()).await;
        assert_eq!(second.status, StatusCode::CREATED, "{second}");
        assert_eq!(
            bucket.keys().await,
            std::slice::from_ref(&key),
            "stored once"
        );
        let temporaries = std::fs::read_dir(app.settings.data_dir.join("evidence").join("tmp"))
            .expect("the staging folder")
            .count();
        assert_eq!(temporaries, 0, "no temporary file is left behind");

        for reply in [&first, &second] {
            let file = reply.json()["id"]
                .as_str()
                .expect("the file's id")
                .to_owned();
            let (status, headers, body) = unit.get_bytes(&format!("/evidence/{file}")).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers["content-length"], scan.len().to_string().as_str());
            assert!(body == scan, "the download is the upload byte for byte");
        }

        // The ZIP of the assessment streams from the bucket too.
        let small = upload(&unit, &id, "P.MP.ii.a", "Notulen.pdf", pdf("notulen")).await;
        assert_eq!(small.status, StatusCode::CREATED, "{small}");
        let (status, _, zip_bytes) = unit
            .get_bytes(&format!("/assessments/{id}/evidence.zip"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("a valid ZIP");
        let mut found = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).expect("an entry");
            let name = entry.name().expect("a name").into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("the entry reads");
            if name.ends_with("SK pindaian.pdf") || name.ends_with("SK salinan.pdf") {
                assert!(bytes == scan, "{name} is the scan byte for byte");
                found.push(name);
            } else if name.ends_with("Notulen.pdf") {
                assert_eq!(bytes, pdf("notulen"));
                found.push(name);
            }
        }
        assert_eq!(found.len(), 3, "every file is in the ZIP: {found:?}");
    }
);

db_test!(
    the_sweep_removes_an_orphan_object_and_keeps_what_evidence_names,
    settings = with_s3,
    |app| async move {
        let Some(bucket) = app.s3_bucket(module_path!()).await else {
            return;
        };
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let kept = pdf("SK Tim ZI");
        let reply = upload(&unit, &id, "P.MP.i.b", "sk.pdf", kept.clone()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply}");
        // As a crash between storing and recording would leave it; and
        // something else in the bucket that is not ours to judge.
        let orphan = pdf("tidak tercatat");
        bucket
            .put(&bucket.key_of(&sha256(&orphan)), orphan.clone())
            .await;
        bucket
            .put("evidence/README.txt", b"not a hash".to_vec())
            .await;

        let sweep = |delete: bool| {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_zi"));
            command
                .args(["evidence", "sweep", "--min-age-minutes", "0"])
                .env_clear()
                .env("ZI_DATABASE_URL", app.settings.database_url())
                .env("ZI_DATA_DIR", &app.settings.data_dir)
                .env(
                    "ZI_S3_BUCKET",
                    app.settings.s3_bucket.clone().unwrap_or_default(),
                )
                .env(
                    "ZI_S3_ENDPOINT",
                    app.settings.s3_endpoint.clone().unwrap_or_default(),
                )
                .env("ZI_S3_ACCESS_KEY_ID", "zi-test")
                .env("ZI_S3_SECRET_ACCESS_KEY", "zi-test-secret")
                .env("ZI_S3_PREFIX", &app.settings.s3_prefix);
            if delete {
                command.arg("--delete");
            }
            let output = command.output().expect("zi evidence sweep runs");
            assert!(output.status.success(), "{output:?}");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        let listed = sweep(false);
        assert!(listed.contains(&sha256(&orphan)), "{listed}");
        assert!(listed.contains("1 files no evidence names"), "{listed}");
        assert_eq!(bucket.keys().await.len(), 3, "listing removes nothing");

        let removed = sweep(true);
        assert!(removed.contains("Removed 1 files"), "{removed}");
        let mut keys = bucket.keys().await;
        keys.sort();
        assert_eq!(
            keys,
            [
                "evidence/README.txt".to_owned(),
                bucket.key_of(&sha256(&kept))
            ],
            "the orphan went; the named file and the foreign object stayed"
        );
        let again = sweep(false);
        assert!(again.contains("0 files no evidence names"), "{again}");
        let file = reply.json()["id"].as_str().expect("an id").to_owned();
        let (status, _, body) = unit.get_bytes(&format!("/evidence/{file}")).await;
        assert_eq!((status, body), (StatusCode::OK, kept));
    }
);

db_test!(
    readyz_reports_a_bucket_that_does_not_exist_until_it_does,
    settings = with_s3,
    |app| async move {
        if crate::helpers::s3_endpoint(module_path!()).is_none() {
            return;
        }
        let client = app.client();
        let reply = client.get("/readyz").await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{reply}");
        assert_eq!(reply.body, "evidence store unavailable");
        let Some(_bucket) = app.s3_bucket(module_path!()).await else {
            return;
        };
        let reply = client.get("/readyz").await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
    }
);

db_test!(
    a_store_out_of_reach_refuses_uploads_with_a_503_in_indonesian_and_keeps_the_answers,
    settings = |s| s3_at(s, &closed_port_url()),
    |app| async move {
        let client = app.client();
        let ready = client.get("/readyz").await;
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{ready}");
        assert_eq!(ready.body, "evidence store unavailable");
        assert_eq!(client.get("/healthz").await.status, StatusCode::OK);

        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let saved = unit
            .call(
                "assessments/answers",
                &[("assessment", id.as_str()), ("value[P.MP.i.b]", "b")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");

        let started = std::time::Instant::now();
        let refused = upload(&unit, &id, "P.MP.i.a", "SK.pdf", scanned_pdf(2)).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
        assert_eq!(refused.json()["problem"], "store_unavailable", "{refused}");
        assert!(refused.header("retry-after").is_some(), "{refused}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the refusal comes within seconds, not after minutes of retries: {:?}",
            started.elapsed()
        );

        // Without JavaScript: the answers typed with the file are saved, and
        // the page says in Indonesian why the file is not.
        let typed = [("value[P.MP.i.a]", "Ya"), ("version[P.MP.i.a]", "0")];
        let response = post_area_with_file(&unit, &id, &typed, ("SK.pdf", pdf("sk"))).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"]
            .to_str()
            .expect("a location")
            .to_owned();
        assert!(location.contains("evidence_error="), "{location}");
        let page = unit.get(&location).await;
        assert!(
            page.body
                .contains("Tempat penyimpanan berkas sedang tidak dapat dihubungi"),
            "the page says it in Indonesian: {page}"
        );

        let stored = unit
            .call("assessments/get", &[("id", id.as_str())])
            .await
            .json();
        assert_eq!(stored["answers"]["choices"]["P.MP.i.b"], "B", "{stored}");
        assert_eq!(stored["answers"]["choices"]["P.MP.i.a"], "Ya", "{stored}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM evidence WHERE assessment_id = $1",
                &[&id]
            )
            .await,
            0,
            "no evidence row names a file the store does not have"
        );
        let temporaries = std::fs::read_dir(app.settings.data_dir.join("evidence").join("tmp"))
            .expect("the staging folder")
            .count();
        assert_eq!(temporaries, 0, "the refused files left no temporary");
    }
);

db_test!(
    a_30_mb_file_goes_to_the_bucket_without_30_mb_of_memory,
    settings = with_s3,
    |app| async move {
        let Some(bucket) = app.s3_bucket(module_path!()).await else {
            return;
        };
        // Its own process: the memory read is the server's alone.
        let name = app.settings.s3_bucket.clone().unwrap_or_default();
        let endpoint = app.settings.s3_endpoint.clone().unwrap_or_default();
        let server = app.serve_process(&[
            ("ZI_UPLOAD_LIMIT_MB", "40"),
            ("ZI_S3_BUCKET", &name),
            ("ZI_S3_ENDPOINT", &endpoint),
            ("ZI_S3_ACCESS_KEY_ID", "zi-test"),
            ("ZI_S3_SECRET_ACCESS_KEY", "zi-test-secret"),
            ("ZI_S3_PREFIX", "evidence"),
        ]);
        let unit = server.client();
        let login = unit.login("unit", crate::helpers::PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{login}");
        let id = izin(&app).await;
        // Warm up with a small file (one PUT): the connection pools and the
        // like are in place; the multipart buffers are not.
        let warm = upload(&unit, &id, "P.MP.i.b", "kecil.pdf", pdf("kecil")).await;
        assert_eq!(warm.status, StatusCode::CREATED, "{warm}");
        let before = server.peak_resident_bytes();

        let scan = scanned_pdf(30);
        let reply = upload(&unit, &id, "P.MP.i.a", "SK 30 MB.pdf", scan.clone()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{reply}");
        let file = reply.json()["id"].as_str().expect("an id").to_owned();
        let (status, _, body) = unit.get_bytes(&format!("/evidence/{file}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body == scan, "the 30 MB file comes back byte for byte");
        assert!(bucket.keys().await.contains(&bucket.key_of(&sha256(&scan))));

        let grown = server.peak_resident_bytes().saturating_sub(before);
        eprintln!(
            "30 MB upload and download through S3: peak resident memory grew by {:.1} MiB",
            grown as f64 / (1024.0 * 1024.0)
        );
        if before > 0 {
            assert!(
                grown < 30 * 1024 * 1024,
                "the server's peak memory grew by {} MiB for a 30 MB file",
                grown / (1024 * 1024)
            );
        }
    }
);

db_test!(
    a_backup_copies_the_bucket_and_restores_into_a_new_bucket,
    settings = with_s3,
    |app| async move {
        let Some(_bucket) = app.s3_bucket(module_path!()).await else {
            return;
        };
        let unit = app.signed_in("unit").await;
        let id = izin(&app).await;
        let files = [pdf("SK Tim ZI"), scanned_pdf(6)];
        for (n, bytes) in files.iter().enumerate() {
            let reply = upload(
                &unit,
                &id,
                "P.MP.i.b",
                &format!("bukti-{n}.pdf"),
                bytes.clone(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{reply}");
        }
        let dir = std::env::temp_dir().join(format!("zi_backup_{}", uuid::Uuid::new_v4().simple()));
        let summary = zi::cli::backup::backup(&app.db, app.state.blobs.as_ref(), &dir)
            .await
            .expect("the backup of a bucket");
        assert_eq!(summary.files, 2);
        for bytes in &files {
            let hash = sha256(bytes);
            let copied = std::fs::read(dir.join("evidence").join(&hash[..2]).join(&hash))
                .expect("the backup holds the file");
            assert!(&copied == bytes, "copied byte for byte");
        }

        // Restored as `zi restore` does it: a fresh database, the store of the settings.
        let Some(target) = crate::helpers::TestDatabase::create(app.backend, "s3-restore").await
        else {
            return;
        };
        let mut settings = app.settings.clone();
        settings.database_url = Some(target.url.clone());
        settings.data_dir = dir.with_extension("restored");
        settings.s3_bucket = Some(format!("zi-test-{}", uuid::Uuid::new_v4().simple()));
        let endpoint = settings.s3_endpoint.clone().expect("an endpoint");
        let restored_bucket = crate::helpers::S3Bucket::create(
            &endpoint,
            settings.s3_bucket.as_deref().unwrap_or_default(),
            &settings.s3_prefix,
        )
        .await;
        let db = zi::startup::open_database(&settings)
            .await
            .expect("the target");
        let store = zi::startup::open_store(&settings)
            .await
            .expect("the S3 store");
        let restored = zi::cli::backup::restore(&db, store.as_ref(), &dir)
            .await
            .expect("the restore into a bucket");
        assert_eq!(restored.files, 2);
        for bytes in &files {
            let key = restored_bucket.key_of(&sha256(bytes));
            assert!(
                restored_bucket.object(&key).await.as_ref() == Some(bytes),
                "{key} is in the new bucket byte for byte"
            );
        }
        db.close().await;
        target.remove().await;
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&settings.data_dir);
    }
);
