//! The "Integrasi PortalRB" page's server functions: administrators only.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ApiTokenView, PortalView};

#[server(endpoint = "portalrb/view")]
pub async fn load_portal() -> Result<PortalView, AppError> {
    use crate::backend::permit::AdministerIntegration;
    use crate::backend::{auth, portalrb, request};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerIntegration>(&state.db, &session).await?;
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok());
    let base = portalrb::public_base(&state.config.portalrb, host);
    let mut view = portalrb::view(&state.db, &permit, base).await?;
    view.new_secret = portalrb::take_secret(&session).await;
    Ok(view)
}

/// Makes a PortalRB token; the page shows its secret once.
#[server(endpoint = "portalrb/tokens/create")]
pub async fn create_api_token(name: String) -> Result<ApiTokenView, AppError> {
    use crate::backend::permit::AdministerIntegration;
    use crate::backend::{auth, portalrb, request};
    use crate::domain::portalrb::{TokenName, TokenScope};
    use crate::error::{Field, Problem};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerIntegration>(&state.db, &session).await?;
    let name = TokenName::parse(&name).ok_or(AppError::field(Field::Name, Problem::Required))?;
    let created = portalrb::create_token(&state.db, &permit, &name, TokenScope::Portalrb).await?;
    portalrb::remember_secret(&session, &created.secret).await;
    Ok(created.token)
}

/// Irreversible: `confirm` must be ticked.
#[server(endpoint = "portalrb/tokens/revoke")]
pub async fn revoke_api_token(
    token: String,
    #[server(default)] confirm: Option<String>,
) -> Result<ApiTokenView, AppError> {
    use crate::backend::permit::AdministerIntegration;
    use crate::backend::{auth, portalrb, request};
    use crate::error::{Field, Problem};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerIntegration>(&state.db, &session).await?;
    confirm.ok_or(AppError::field(Field::Confirm, Problem::Required))?;
    portalrb::revoke_token(&state.db, &permit, &token).await
}

/// Ends the evidence links of one assessment; `confirm` must be ticked.
#[server(endpoint = "portalrb/links/revoke")]
pub async fn revoke_evidence_links(
    assessment: String,
    #[server(default)] confirm: Option<String>,
) -> Result<u64, AppError> {
    use crate::backend::permit::AdministerIntegration;
    use crate::backend::{auth, portalrb, request};
    use crate::error::{Field, Problem};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerIntegration>(&state.db, &session).await?;
    confirm.ok_or(AppError::field(Field::Confirm, Problem::Required))?;
    portalrb::revoke_links(&state.db, &permit, &assessment).await
}
