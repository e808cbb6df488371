//! The backend: the server-only half of the app. One module per resource holds
//! its writes and their audit lines; `db` holds the SQL; the evidence and
//! document routes sit beside the feature they serve.

/// Declares a feature's HTTP routes once: its router, and the list of
/// `(method, path)` that the authorization matrix test walks.
macro_rules! http_routes {
    ($($method:ident $path:literal => $handler:expr),* $(,)?) => {
        pub const PATHS: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        pub fn routes() -> axum::Router<crate::backend::state::AppState> {
            axum::Router::new()$(.route($path, $handler))*
        }
    };
}

pub mod assessments;
pub mod auth;
pub mod blobs;
pub mod charts;
pub mod csp;
pub mod dashboard;
pub mod db;
pub mod documents;
pub mod docx;
pub mod eligibility;
pub mod evidence;
pub mod forms;
pub mod lhe;
pub mod lke;
pub mod national;
pub mod oidc;
pub mod periods;
pub mod permit;
pub mod portalrb;
pub mod review;
pub mod rubrics;
pub mod scores;
pub mod session_store;
pub mod snapshots;
pub mod state;
pub mod totp;
pub mod units;
pub mod upload;
pub mod users;
pub mod view_cache;

use axum::extract::ConnectInfo;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

use crate::error::AppError;
use state::AppState;

/// Every HTTP route of the app besides the server functions and the pages.
pub fn routes() -> axum::Router<AppState> {
    evidence::routes::routes()
        .merge(documents::routes::routes())
        .merge(portalrb::routes::routes())
        .merge(oidc::routes::routes())
}

/// The `(method, path)` of every route [`routes`] serves.
pub fn route_paths() -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        evidence::routes::PATHS,
        documents::routes::PATHS,
        portalrb::routes::PATHS,
        oidc::routes::PATHS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// What every server function starts from: the shared state and the caller's session.
pub async fn request() -> Result<(AppState, Session), AppError> {
    let state = state::state()?;
    let session = leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(%err, "session layer missing");
        AppError::Internal
    })?;
    Ok((state, session))
}

/// The caller's address, for login throttling: the peer, or behind a trusted
/// reverse proxy the client its `X-Forwarded-For` names.
pub async fn client_address(trusted_proxies: &[IpAddr]) -> Option<String> {
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()?;
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    Some(client_ip(peer.ip(), &forwarded, trusted_proxies).to_string())
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) past the
/// trusted proxies; the first address that is not one is the client. A peer
/// that is not a trusted proxy is the client, whatever it claims.
fn client_ip(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    let mut hops = forwarded_for.rsplit(',').map(str::trim);
    while trusted.contains(&client) {
        match hops.next().and_then(|hop| hop.parse::<IpAddr>().ok()) {
            Some(hop) => client = hop,
            None => break,
        }
    }
    client
}

/// Keeps only the path and query of a Referer, so a redirect never leaves the site.
pub fn local_path(referer: &str) -> String {
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path.starts_with("//") {
        "/".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{client_ip, local_path};
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        // Straight from the client: the header is whatever it wants it to be.
        assert_eq!(
            client_ip(ip("203.0.113.9"), "1.2.3.4", &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the hop it appended is the client, not what the client prefixed.
        assert_eq!(
            client_ip(proxy, "1.2.3.4, 198.51.100.7", &trusted),
            ip("198.51.100.7")
        );
        // Two trusted proxies in a row, and no trusted proxies at all.
        assert_eq!(
            client_ip(proxy, "198.51.100.7, 10.0.0.3", &[proxy, ip("10.0.0.3")]),
            ip("198.51.100.7")
        );
        assert_eq!(client_ip(proxy, "198.51.100.7", &[]), proxy);
        // A proxy that sends nothing readable stays the client.
        assert_eq!(client_ip(proxy, "", &trusted), proxy);
        assert_eq!(client_ip(proxy, "not-an-address", &trusted), proxy);
    }

    #[test]
    fn a_referer_becomes_a_local_path() {
        assert_eq!(
            local_path("http://127.0.0.1:3000/admin/units?x=1"),
            "/admin/units?x=1"
        );
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("http://host//evil.example/x"), "/");
        assert_eq!(local_path("/login"), "/login");
    }
}
