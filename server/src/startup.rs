use app::app::{shell, App};
use app::backend::blobs::{BlobStore, LocalStore, S3Store};
use app::backend::db::{self, Db, DbError};
use app::backend::session_store::DbSessionStore;
use app::backend::state::{AppConfig, AppState, LoginThrottle, PortalSettings};
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::nonce::provide_nonce;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Settings;
use crate::health;
use crate::layers;
use app::domain::evidence::MaxFileSize;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot use the S3 evidence store: {0}")]
    S3(std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot store the built-in rubric: {0}")]
    Rubric(#[from] db::rubrics::RubricWriteError),
    #[error("cannot set up single sign-on: {0}")]
    Oidc(#[from] app::backend::oidc::OidcSettingsError),
    #[error("cannot set up the identity provider's HTTP client")]
    OidcClient,
    #[error("cannot store the scores of older assessments: {0}")]
    Scores(#[source] app::error::AppError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Stack of each runtime thread. Rendering a large page (the review overview
/// of 113 items) goes deep; 2 MiB, tokio's default, overflowed in debug builds
/// under concurrent renders. It is address space, not memory, until used.
const THREAD_STACK: usize = 8 * 1024 * 1024;

/// The runtime `zi` and the integration tests run on.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
}

/// Like [`runtime`] with `workers` threads, as the tests use it.
pub fn runtime_with_workers(workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(workers)
        .thread_stack_size(THREAD_STACK)
        .build()
}

/// A 20 MB workbook plus the form fields around it.
const WORKBOOK_UPLOAD_LIMIT: usize = 20 * 1024 * 1024 + 64 * 1024;

/// The server, bound to its port and ready to run: `main`, the integration
/// tests and the end-to-end runner all start it the same way.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// Opens the database of the settings (creating the SQLite data directory) and migrates it.
pub async fn open_database(settings: &Settings) -> Result<Db, StartupError> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| StartupError::DataDir {
            path: settings.data_dir.display().to_string(),
            source,
        })?;
    }
    let db = db::connect(&url, settings.db_pool.max(1)).await?;
    db::migrate(&db).await?;
    db::rubrics::ensure_builtin(&db).await?;
    app::backend::scores::backfill(&db)
        .await
        .map_err(StartupError::Scores)?;
    Ok(db)
}

/// The evidence store: the S3 bucket when `ZI_S3_BUCKET` is set, otherwise
/// the data directory's `evidence/`. Uploads arrive in `evidence/tmp` either way.
pub async fn open_store(settings: &Settings) -> Result<Arc<dyn BlobStore>, StartupError> {
    let evidence_dir = settings.data_dir.join("evidence");
    let dir_error = |source| StartupError::DataDir {
        path: evidence_dir.display().to_string(),
        source,
    };
    match settings.s3_config() {
        Some(config) => {
            let staging = evidence_dir.join("tmp");
            std::fs::create_dir_all(&staging).map_err(dir_error)?;
            let store = S3Store::new(&config, staging)
                .await
                .map_err(StartupError::S3)?;
            Ok(Arc::new(store))
        }
        None => Ok(Arc::new(
            LocalStore::new(&evidence_dir).await.map_err(dir_error)?,
        )),
    }
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let db = open_database(settings).await?;
        Self::with_database(settings, db).await
    }

    pub async fn with_database(settings: &Settings, db: Db) -> Result<Self, StartupError> {
        let listener =
            TcpListener::bind(settings.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.bind,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;
        let oidc = match settings.oidc_config()? {
            Some(oidc) => Some(Arc::new(
                app::backend::oidc::Oidc::new(oidc).map_err(|_| StartupError::OidcClient)?,
            )),
            None => None,
        };
        let blobs = open_store(settings).await?;
        // Uploads cut off by a crash; a younger one may be another node's, still arriving.
        match blobs.sweep_temporaries(Duration::from_secs(3600)).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed unfinished uploads"),
            Err(err) => tracing::warn!(%err, "could not sweep unfinished uploads"),
        }
        let state = AppState {
            db,
            blobs,
            leptos_options: leptos_options(settings, addr),
            config: Arc::new(AppConfig {
                login_throttle: LoginThrottle {
                    per_account_and_address: settings.login_max_failures,
                    per_account: settings.login_max_failures_account,
                    per_address: settings.login_max_failures_address,
                    window: settings.login_window(),
                },
                trusted_proxies: settings.trusted_proxies.clone(),
                require_totp_for: settings.require_totp_for.clone(),
                max_file: max_file_size(settings),
                portalrb: PortalSettings {
                    public_url: settings.public_url.clone(),
                    rate_per_minute: settings.portalrb_rate_limit,
                    link_days: settings.evidence_link_days,
                },
                oidc,
            }),
        };
        let router = router(settings, state.clone());
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

fn max_file_size(settings: &Settings) -> MaxFileSize {
    MaxFileSize::from_mb(u32::try_from(settings.upload_limit_mb).unwrap_or(u32::MAX))
}

fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(bundle_name(&settings.site_root).unwrap_or_else(|| "zi".to_owned()))
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// The browser bundle's name, which carries its content hash
/// (`pkg/zi-<hash>.js`, `…_bg.wasm`, `….css`), as `scripts/lib.sh` wrote it.
fn bundle_name(site_root: &str) -> Option<String> {
    std::fs::read_to_string(format!("{site_root}/pkg/bundle-name"))
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
}

/// A named bundle never changes, so browsers keep it for a year; an unnamed
/// one (a development build) is checked on every use.
fn bundle_caching(name: &str) -> HeaderValue {
    if name == "zi" {
        HeaderValue::from_static("no-cache")
    } else {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    }
}

fn router(settings: &Settings, state: AppState) -> Router {
    let max_file = state.config.max_file;
    let evidence_limit = usize::try_from(max_file.bytes()).unwrap_or(usize::MAX) + 64 * 1024;
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("zi_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies())
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            i64::try_from(settings.session_idle().as_secs()).unwrap_or(3600),
        )));
    let options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            leptos::prelude::provide_context(state.clone());
            provide_nonce();
        }
    };
    let app = Router::new()
        .leptos_routes_with_context(&state, route_list(), context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(app::backend::routes())
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(from_fn(layers::server_fn_status))
        .layer(from_fn(layers::plain_form_done))
        .layer(from_fn(app::backend::auth::RequestUser::layer))
        .layer(sessions)
        .layer(from_fn_with_state(
            layers::PublicOrigin::of_url(settings.public_url.as_deref()),
            layers::same_origin,
        ))
        .with_state(state.clone());
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let body_limit = settings.body_limit_kb * 1024;
    let routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .with_state(state)
        .nest_service(
            "/pkg",
            SetResponseHeader::overriding(
                ServeDir::new(pkg_dir)
                    .precompressed_br()
                    .precompressed_gzip(),
                header::CACHE_CONTROL,
                bundle_caching(&options.output_name),
            ),
        )
        .merge(app)
        .layer(from_fn_with_state(
            layers::BodyLimits {
                default: body_limit,
                upload: WORKBOOK_UPLOAD_LIMIT,
                evidence: evidence_limit,
                max_file,
            },
            layers::limit_body,
        ));
    layers::with_security_headers(routes)
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => tracing::error!(%err, "cannot listen for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}

/// The app's routes, listed once per process. Listing them runs the app with
/// resource loading switched off process-wide (leptos_server's
/// `SuppressResourceLoad`): a page of another server in the same process whose
/// resource first polls in that window never finishes (leptos#4773), which
/// every test that starts its own server used to risk.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
