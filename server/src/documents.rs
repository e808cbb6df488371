//! Documents generated from an assessment: the filled LKE workbook and the
//! evaluation report (LHE) as DOCX. The app authorizes and builds them; this
//! module only carries them over HTTP.

use app::error::AppError;
use app::server::dashboard::{query, DashboardQuery};
use app::server::documents::{
    area_chart, dashboard_csv, distribution_svg, lhe_docx, lke_workbook, Document,
};
use app::server::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_sessions::Session;

use crate::evidence::content_disposition;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessments/{id}/lke.xlsx", get(workbook))
        .route("/assessments/{id}/lhe.docx", get(report))
        .route("/assessments/{id}/areas.svg", get(areas))
        .route("/dashboard.csv", get(table))
        .route("/dashboard/distribution.svg", get(chart))
}

/// The dashboard's own query parameters, as its filter form sends them.
#[derive(Default, Deserialize)]
#[serde(default)]
struct DashboardParams {
    period: String,
    subtree: String,
    state: String,
    readiness: String,
    q: String,
    sort: String,
}

impl DashboardParams {
    fn query(&self) -> DashboardQuery {
        query(
            &self.period,
            &self.subtree,
            &self.state,
            &self.readiness,
            &self.q,
            &self.sort,
        )
    }
}

async fn areas(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    respond(
        async {
            let user = app::server::auth::require_user(&state.db, &session).await?;
            area_chart(&state.db, &user, &id).await
        }
        .await,
    )
}

async fn table(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<DashboardParams>,
) -> Response {
    respond(
        async {
            let user = app::server::auth::require_user(&state.db, &session).await?;
            dashboard_csv(&state.db, &user, params.query()).await
        }
        .await,
    )
}

async fn chart(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<DashboardParams>,
) -> Response {
    respond(
        async {
            let user = app::server::auth::require_user(&state.db, &session).await?;
            distribution_svg(&state.db, &user, params.query()).await
        }
        .await,
    )
}

async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    respond(
        async {
            let user = app::server::auth::require_user(&state.db, &session).await?;
            lke_workbook(&state.db, &user, &id).await
        }
        .await,
    )
}

async fn report(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    respond(
        async {
            let user = app::server::auth::require_user(&state.db, &session).await?;
            lhe_docx(&state.db, &user, &id).await
        }
        .await,
    )
}

fn respond(result: Result<Document, AppError>) -> Response {
    match result {
        Ok(doc) => (
            [
                (header::CONTENT_TYPE, doc.content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    content_disposition(&doc.file_name, false),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            doc.bytes,
        )
            .into_response(),
        Err(err) => {
            let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(err)).into_response()
        }
    }
}
