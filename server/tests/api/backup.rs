//! `zi backup` while people work, and `zi restore` into an empty database:
//! every row and every evidence file comes back, and every save acknowledged
//! before the backup began is in it.

use crate::assessments::{pdf, scanned_pdf};
use crate::db_test;
use crate::helpers::*;
use app::backend::blobs::{BlobStore, LocalStore};
use app::backend::db::backup::{dump_table, TABLES};
use reqwest::StatusCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use zi::cli::backup::{backup, restore, BackupFailure};

async fn rows(db: &app::backend::db::Db, table: &str) -> Vec<String> {
    let mut conn = db.acquire().await.expect("a connection");
    let mut out = Vec::new();
    dump_table(&mut conn, table, |row| {
        out.push(serde_json::Value::Object(row).to_string());
        Ok(())
    })
    .await
    .expect("the table reads");
    out.sort();
    out
}

async fn bytes_of(store: &dyn BlobStore, sha256: &str) -> Vec<u8> {
    let mut reader = store.open(sha256).await.expect("the file is stored");
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .await
        .expect("the file reads");
    bytes
}

db_test!(
    a_backup_taken_while_members_save_restores_every_row_and_file,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        for (n, bytes) in [pdf("sk tim"), scanned_pdf(3), scanned_pdf(2)]
            .into_iter()
            .enumerate()
        {
            let reply = unit
                .post_multipart(
                    &format!("/assessments/{id}/evidence"),
                    &[("item", "P.MP.i.b")],
                    Some((&format!("bukti-{n}.pdf"), bytes)),
                    true,
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{reply}");
        }

        // Members keep saving notes while the backup runs.
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let writer = {
            let (stop, acknowledged, unit, id) =
                (stop.clone(), acknowledged.clone(), unit.clone(), id.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let note = format!("catatan ke-{n}");
                    let reply = unit
                        .call(
                            "assessments/answers",
                            &[("assessment", &id), ("note[P.MP.i.b]", &note)],
                        )
                        .await;
                    assert_eq!(reply.status, StatusCode::OK, "save {n}: {reply}");
                    acknowledged.store(n, Ordering::SeqCst);
                }
            })
        };
        while acknowledged.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let saved_before = acknowledged.load(Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("zi_backup_{}", uuid::Uuid::new_v4().simple()));
        let summary = backup(&app.db, app.state.blobs.as_ref(), &dir)
            .await
            .expect("the backup");
        stop.store(true, Ordering::SeqCst);
        writer.await.expect("the writer saved without errors");
        assert_eq!(summary.files, 3, "{summary:?}");
        assert!(summary.bytes > 5 * 1024 * 1024, "{summary:?}");

        // A second backup into the same folder is refused; nothing is overwritten.
        let again = backup(&app.db, app.state.blobs.as_ref(), &dir).await;
        assert!(
            matches!(again, Err(BackupFailure::TargetNotEmpty(_))),
            "{again:?}"
        );

        let Some(target) = TestDatabase::create(app.backend, "backup-restore").await else {
            return;
        };
        let mut settings = app.settings.clone();
        settings.database_url = Some(target.url.clone());
        settings.data_dir = dir.with_extension("restored");
        let restored_db = zi::startup::open_database(&settings)
            .await
            .expect("the target opens");
        let restored_store = LocalStore::new(settings.data_dir.join("evidence"))
            .await
            .expect("the target store");
        let restored = restore(&restored_db, &restored_store, &dir)
            .await
            .expect("the restore");
        assert_eq!(restored, summary, "what was restored is what was backed up");

        // Every row, exactly as the backup holds it.
        for table in TABLES {
            let file = std::fs::read_to_string(dir.join("tables").join(format!("{table}.jsonl")))
                .expect("the table's file");
            let mut expected: Vec<String> = file
                .lines()
                .map(|line| {
                    serde_json::from_str::<serde_json::Value>(line)
                        .expect("a row")
                        .to_string()
                })
                .collect();
            expected.sort();
            assert_eq!(rows(&restored_db, table).await, expected, "{table}");
        }
        // Every evidence file, byte for byte.
        let blobs: Vec<String> = sqlx::query_scalar("SELECT sha256 FROM blobs")
            .fetch_all(&restored_db)
            .await
            .expect("the blobs");
        assert_eq!(blobs.len(), 3);
        for sha256 in &blobs {
            assert_eq!(
                bytes_of(&restored_store, sha256).await,
                bytes_of(app.state.blobs.as_ref(), sha256).await,
                "{sha256}"
            );
        }
        // Every save acknowledged before the backup began is in it.
        let saves: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'answer' AND entity_id LIKE $1",
        )
        .bind(format!("{id}%"))
        .fetch_one(&restored_db)
        .await
        .expect("the audit lines");
        assert!(
            saves >= i64::try_from(saved_before).unwrap_or(i64::MAX),
            "{saves} saves restored, {saved_before} acknowledged before the backup"
        );

        // Restoring over data is refused and changes nothing.
        let twice = restore(&restored_db, &restored_store, &dir).await;
        assert!(matches!(twice, Err(BackupFailure::Tables(_))), "{twice:?}");
        assert_eq!(
            rows(&restored_db, "units").await.len(),
            summary.rows["units"] as usize
        );

        restored_db.close().await;
        target.remove().await;
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&settings.data_dir);
    }
);

db_test!(
    a_backup_of_one_database_restores_into_the_other,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        let reply = unit
            .call(
                "assessments/answers",
                &[
                    ("assessment", &id),
                    ("value[P.MP.i.b]", "a"),
                    ("note[P.MP.i.b]", "SK Tim ZI, 12,5 %"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let dir = std::env::temp_dir().join(format!("zi_backup_{}", uuid::Uuid::new_v4().simple()));
        backup(&app.db, app.state.blobs.as_ref(), &dir)
            .await
            .expect("the backup");
        let other = match app.backend {
            Backend::Sqlite => Backend::Postgres,
            Backend::Postgres => Backend::Sqlite,
        };
        let Some(target) = TestDatabase::create(other, "backup-move").await else {
            return;
        };
        let mut settings = app.settings.clone();
        settings.database_url = Some(target.url.clone());
        settings.data_dir = dir.with_extension("moved");
        let moved = zi::startup::open_database(&settings)
            .await
            .expect("the target opens");
        let store = LocalStore::new(settings.data_dir.join("evidence"))
            .await
            .expect("the target store");
        restore(&moved, &store, &dir).await.expect("the restore");
        for table in TABLES {
            assert_eq!(
                rows(&moved, table).await,
                rows(&app.db, table).await,
                "{table}"
            );
        }
        moved.close().await;
        target.remove().await;
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&settings.data_dir);
    }
);
