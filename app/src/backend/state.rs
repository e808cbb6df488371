use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::blobs::BlobStore;
use crate::backend::db::Db;
use crate::error::AppError;

/// Settings the backend needs at request time; the binary builds them from its config.
#[derive(Clone, Debug)]
pub struct AppConfig {
    pub login_throttle: LoginThrottle,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Holders of these roles sign in only with a second factor (`ZI_REQUIRE_TOTP_FOR`).
    pub require_totp_for: Vec<crate::domain::role::Role>,
    /// The largest evidence file accepted.
    pub max_file: crate::domain::evidence::MaxFileSize,
    pub portalrb: PortalSettings,
    /// Single sign-on through an OpenID Connect provider (`ZI_OIDC_*`), when configured.
    pub oidc: Option<Arc<crate::backend::oidc::Oidc>>,
}

/// How the PortalRB API answers.
#[derive(Clone, Debug)]
pub struct PortalSettings {
    /// The base of the evidence links (`ZI_PUBLIC_URL`); without it, the
    /// `Host` the caller used.
    pub public_url: Option<String>,
    /// Calls per minute per token.
    pub rate_per_minute: u32,
    /// Days after the proposal deadline an evidence link stays valid.
    pub link_days: u32,
}

/// How many failed sign-ins, within `window`, pause sign-in.
#[derive(Clone, Debug)]
pub struct LoginThrottle {
    /// For one account from one address.
    pub per_account_and_address: u32,
    /// For one account from all addresses together.
    pub per_account: u32,
    /// From one address across all accounts.
    pub per_address: u32,
    pub window: Duration,
}

/// What every request handler shares: the database, the evidence store, the settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub blobs: Arc<dyn BlobStore>,
    pub leptos_options: LeptosOptions,
    pub config: Arc<AppConfig>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state leptos_axum provides to every server function and SSR route.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
