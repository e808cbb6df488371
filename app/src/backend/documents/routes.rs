//! The downloads of `backend::documents` (LKE workbook, LHE, the dashboard's
//! CSV and XLSX, charts), which authorizes and builds them; these routes only
//! carry them over HTTP.

use crate::backend::dashboard::{query, DashboardQuery};
use crate::backend::documents::{
    chart_file, dashboard_chart, dashboard_csv, dashboard_xlsx, lhe_docx, lke_workbook,
    lke_workbook_2026, unit_chart, DashboardChart, Document, UnitChart,
};
use crate::backend::portalrb::public_base;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::SessionUser;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_sessions::Session;

use crate::backend::evidence::routes::content_disposition;

http_routes! {
    GET "/assessments/{id}/lke.xlsx" => get(workbook),
    GET "/assessments/{id}/lke-2026.xlsx" => get(workbook_2026),
    GET "/assessments/{id}/lhe.docx" => get(report),
    GET "/assessments/{id}/charts/{file}" => get(unit_image),
    GET "/dashboard.csv" => get(table),
    GET "/dashboard.xlsx" => get(workbook_table),
    GET "/dashboard/charts/{file}" => get(dashboard_image),
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

/// The signed-in user; without one the request ends with 401.
struct SignedIn(SessionUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        crate::backend::auth::require_user(&state.db, &session)
            .await
            .map(SignedIn)
            .map_err(IntoResponse::into_response)
    }
}

async fn unit_image(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let Some((chart, format)) =
        chart_file(&file).and_then(|(name, f)| Some((UnitChart::from_name(name)?, f)))
    else {
        return AppError::NotFound.into_response();
    };
    respond(unit_chart(&s.db, &user, &id, chart, format).await)
}

async fn dashboard_image(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Path(file): Path<String>,
    Query(p): Query<DashboardParams>,
) -> Response {
    let Some((chart, format)) =
        chart_file(&file).and_then(|(name, f)| Some((DashboardChart::from_name(name)?, f)))
    else {
        return AppError::NotFound.into_response();
    };
    respond(dashboard_chart(&s.db, &user, p.query(), chart, format).await)
}

async fn table(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Query(p): Query<DashboardParams>,
) -> Response {
    respond(dashboard_csv(&s.db, &user, p.query()).await)
}

async fn workbook_table(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Query(p): Query<DashboardParams>,
) -> Response {
    respond(dashboard_xlsx(&s.db, &user, p.query()).await)
}

async fn workbook(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Response {
    respond(lke_workbook(&s.db, &user, &id).await)
}

async fn workbook_2026(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let settings = &s.config.portalrb;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let base_url = public_base(settings, host);
    respond(lke_workbook_2026(&s.db, settings, &base_url, &user, &id).await)
}

async fn report(
    State(s): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Response {
    respond(lhe_docx(&s.db, &user, &id).await)
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
        Err(err) => err.into_response(),
    }
}
