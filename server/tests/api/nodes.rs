//! Two app nodes on one database: a session started on one works on the
//! other, so does what is saved, and the background tasks run on one node.

use crate::db_test;
use reqwest::StatusCode;
use zi::background::{tick, Runs};
use zi::startup::{open_database, Application};

db_test!(
    two_nodes_on_one_database_share_sessions_work_and_one_runs_the_background,
    |app| async move {
        let db = open_database(&app.settings)
            .await
            .expect("the second node's pool");
        let second = Application::with_database(&app.settings, db.clone())
            .await
            .expect("the second node starts");
        let other = format!("http://127.0.0.1:{}", second.port());
        let node = tokio::spawn(second.run_until_stopped());

        // Signed in on the first node; cookies go by host, so the same client
        // carries the session to the second.
        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        let saved = unit
            .http
            .post(format!("{other}/api/assessments/answers"))
            .form(&[("assessment", id.as_str()), ("value[P.MP.i.b]", "b")])
            .send()
            .await
            .expect("a save on the second node");
        assert_eq!(saved.status(), StatusCode::OK);
        let loaded = unit.call("assessments/get", &[("id", &id)]).await;
        assert_eq!(loaded.status, StatusCode::OK, "{loaded}");
        let answer = loaded.json()["answers"].to_string();
        assert!(
            answer.contains("P.MP.i.b"),
            "the first node sees it: {answer}"
        );

        // Signing out on the second node ends the session on the first.
        let out = unit
            .http
            .post(format!("{other}/api/logout"))
            .send()
            .await
            .expect("logout");
        assert!(out.status().is_success() || out.status().is_redirection());
        assert_eq!(unit.me().await, None, "signed out everywhere");

        // One node holds the background lease; the other takes over once it lapses.
        let now = app::backend::db::now_ms();
        let (mut first, mut second_runs) = (Runs::default(), Runs::default());
        assert!(tick(&app.db, "node-a", now, &mut first).await);
        assert!(!tick(&db, "node-b", now + 1000, &mut second_runs).await);
        assert!(
            tick(&app.db, "node-a", now + 60_000, &mut first).await,
            "renewed"
        );
        let lapsed = now + 60_000 + 181_000;
        assert!(
            tick(&db, "node-b", lapsed, &mut second_runs).await,
            "taken over"
        );
        assert!(!tick(&app.db, "node-a", lapsed + 1000, &mut first).await);

        node.abort();
        db.close().await;
    }
);
