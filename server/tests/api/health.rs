//! Liveness and readiness, as a load balancer or orchestrator sees them.

use crate::db_test;
use reqwest::StatusCode;

db_test!(healthz_answers_ok, |app| async move {
    let reply = app.client().get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    assert_eq!(reply.body, "ok");
});

db_test!(
    readyz_is_ok_while_the_database_answers_and_503_once_the_pool_is_closed,
    |app| async move {
        let client = app.client();
        let reply = client.get("/readyz").await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");

        app.state.db.close().await;
        let reply = client.get("/readyz").await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{reply}");
        // the process itself is still alive
        assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    }
);
