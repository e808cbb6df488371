//! Plain axum routes beside the Leptos app.

use app::backend::db;
use app::backend::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers and the evidence store (the
/// directory, or the S3 bucket with its credentials) can be used.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if let Err(err) = db::ping(&state.db).await {
        tracing::error!(%err, "readiness check failed");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    if let Err(err) = state.blobs.check().await {
        tracing::error!(%err, "readiness check failed");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "evidence store unavailable",
        );
    }
    (StatusCode::OK, "ready")
}
