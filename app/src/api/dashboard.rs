//! The leadership dashboard.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::DashboardView;

/// The dashboard of a period (the newest when empty) for the caller's scope,
/// narrowed to a subtree, a state (`draft`, `submitted`, …), a readiness
/// (`ready`, `not_ready`) and a search, sorted by `sort` (`self`, `tpi`,
/// `completeness`, `deadline`; the unit code otherwise), one page of the
/// table (`page`, 1-based; past the last page: the last).
#[server(endpoint = "dashboard/get")]
pub async fn load_dashboard(
    #[server(default)] period: String,
    #[server(default)] subtree: String,
    #[server(default)] state: String,
    #[server(default)] readiness: String,
    #[server(default)] q: String,
    #[server(default)] sort: String,
    #[server(default)] page: String,
) -> Result<DashboardView, AppError> {
    use crate::backend::dashboard::{load, query, DashboardQuery};
    use crate::backend::{auth, request};
    use crate::domain::dashboard::requested_page;
    let (app, session) = request().await?;
    let user = auth::require_user(&app.db, &session).await?;
    let query = DashboardQuery {
        page: requested_page(&page),
        ..query(&period, &subtree, &state, &readiness, &q, &sort)
    };
    load(&app.db, &user, query).await
}
