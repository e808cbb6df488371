//! The harness: every test gets its own database (a temporary SQLite file or a
//! fresh PostgreSQL database), the demo data, and the real server on a random
//! port; it talks to it over HTTP like any client would.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use app::backend::db::Db;
use app::backend::state::AppState;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;
use zi::config::Settings;
use zi::startup::{open_database, Application};

/// The password of every demo user.
pub const PASSWORD: &str = zi::demo::DEMO_PASSWORD;
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "zi_session";

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Generates one test per database backend, so a failure names its backend:
/// `db_test!(name, |app| async move { … })` gives `name::sqlite` and `name::postgres`.
/// `db_test!(name, settings = |s| { … }, |app| async move { … })` adjusts the server settings first.
#[macro_export]
// Multi-threaded like `zi serve` itself, so the server is exercised the way it runs.
macro_rules! db_test {
    ($name:ident, settings = $configure:expr, $body:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                $crate::helpers::block_on($crate::helpers::run(
                    $crate::helpers::Backend::Sqlite,
                    module_path!(),
                    $configure,
                    $body,
                ));
            }

            #[test]
            fn postgres() {
                $crate::helpers::block_on($crate::helpers::run(
                    $crate::helpers::Backend::Postgres,
                    module_path!(),
                    $configure,
                    $body,
                ));
            }
        }
    };
    ($name:ident, $body:expr $(,)?) => {
        $crate::db_test!($name, settings = |_| {}, $body);
    };
}

/// Runs a test on the runtime `zi serve` uses, with two workers.
pub fn block_on<F: Future>(test: F) -> F::Output {
    zi::startup::runtime_with_workers(2)
        .expect("a runtime")
        .block_on(test)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Sets up a database and a server for `backend`, runs `body` against it, and
/// removes the database afterwards, whether or not `body` panicked.
pub async fn run<C, F, Fut>(backend: Backend, test: &str, configure: C, body: F)
where
    C: FnOnce(&mut Settings),
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(database) = TestDatabase::create(backend, test).await else {
        return;
    };
    let (app, server) = TestApp::spawn(backend, &database.url, configure).await;
    let db = app.db.clone();
    let outcome = tokio::spawn(body(app)).await;
    server.abort();
    db.close().await;
    database.remove().await;
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => panic!("{test}: the test task did not finish: {err}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Databases

/// A fresh, empty database of one backend, removed by [`TestDatabase::remove`].
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    Postgres { server_url: String, name: String },
}

impl TestDatabase {
    /// `None` when PostgreSQL is unreachable outside CI (the test is skipped, loudly).
    pub async fn create(backend: Backend, test: &str) -> Option<Self> {
        sqlx::any::install_default_drivers();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("zi_test_{}.db", unique()));
                Some(TestDatabase {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::SqliteFile(path),
                })
            }
            Backend::Postgres => {
                let server_url = std::env::var("TEST_DATABASE_URL")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
                let mut conn = match postgres_admin(&server_url).await {
                    Ok(conn) => conn,
                    Err(err) => {
                        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
                        if in_ci {
                            panic!(
                                "PostgreSQL at {server_url} is unreachable ({err}) and CI=true: \
                                 the PostgreSQL variant of every API test must run in CI"
                            );
                        }
                        skip_notice(test, &server_url, &err);
                        return None;
                    }
                };
                sweep_old_databases(&mut conn).await;
                let name = format!("zi_test_{}_{}", unix_seconds(), unique());
                let mut attempts = 0;
                loop {
                    // Two CREATE DATABASE at once can collide on the template; retry briefly.
                    match sqlx::query(&format!(r#"CREATE DATABASE "{name}""#))
                        .execute(&mut conn)
                        .await
                    {
                        Ok(_) => break,
                        Err(err) if attempts < 5 => {
                            attempts += 1;
                            eprintln!("CREATE DATABASE {name} failed ({err}); retrying");
                            tokio::time::sleep(Duration::from_millis(200 * attempts)).await;
                        }
                        Err(err) => panic!("cannot create the test database {name}: {err}"),
                    }
                }
                let _ = conn.close().await;
                Some(TestDatabase {
                    url: with_database_name(&server_url, &name),
                    cleanup: Cleanup::Postgres { server_url, name },
                })
            }
        }
    }

    /// Best effort: a database left behind is swept by a later run.
    pub async fn remove(self) {
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { server_url, name } => {
                if let Ok(mut conn) = postgres_admin(&server_url).await {
                    let dropped =
                        sqlx::query(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                            .execute(&mut conn)
                            .await;
                    if let Err(err) = dropped {
                        eprintln!("could not drop the test database {name}: {err}");
                    }
                    let _ = conn.close().await;
                }
            }
        }
    }
}

/// Tells the person running the tests, past libtest's output capture, that the
/// PostgreSQL half did not run: a banner once, then one line per skipped test.
fn skip_notice(test: &str, server_url: &str, err: &str) {
    use std::io::Write;
    static BANNER: AtomicBool = AtomicBool::new(false);
    let mut stderr = std::io::stderr().lock();
    if !BANNER.swap(true, Ordering::SeqCst) {
        let _ = writeln!(
            stderr,
            "\n{bar}\n!! PostgreSQL at {server_url} is unreachable ({err}).\n\
             !! The PostgreSQL variants of the API tests are SKIPPED (they pass without running).\n\
             !! Start PostgreSQL or set TEST_DATABASE_URL; with CI=true they fail instead.\n{bar}",
            bar = "!".repeat(78)
        );
    }
    let _ = writeln!(stderr, "!! SKIPPED {test}::postgres");
}

/// A connection to the server's own database. Once the server was found
/// unreachable, later tests do not wait for it again.
async fn postgres_admin(url: &str) -> Result<sqlx::PgConnection, String> {
    static UNREACHABLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(err) = UNREACHABLE.get() {
        return Err(err.clone());
    }
    let connect = tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(url));
    match connect.await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(sqlx::Error::Database(err))) => Err(err.to_string()),
        Ok(Err(err)) => Err(UNREACHABLE.get_or_init(|| err.to_string()).clone()),
        Err(_) => Err(UNREACHABLE
            .get_or_init(|| "no answer within 5 s".to_owned())
            .clone()),
    }
}

/// Drops the databases of earlier runs that were killed before they could clean
/// up: those named `zi_test_<unix seconds>_…` and older than an hour.
async fn sweep_old_databases(conn: &mut sqlx::PgConnection) {
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(names) = sqlx::query_scalar::<_, String>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'zi\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    else {
        return;
    };
    let cutoff = unix_seconds().saturating_sub(3600);
    for name in names {
        let created = name
            .strip_prefix("zi_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if created.is_some_and(|secs| secs < cutoff) {
            let _ = sqlx::query(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                .execute(&mut *conn)
                .await;
        }
    }
}

/// The same server URL with another database: `postgres://u@h:5432/test?x` → `…/name?x`.
fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// The current year in Indonesia: the demo period's windows are open all year.
pub fn current_year() -> i64 {
    let now = i64::try_from(unix_seconds() * 1000).unwrap_or(i64::MAX);
    i64::from(app::domain::period::Day::from_unix_ms(now).year())
}

pub fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

// ---------------------------------------------------------------------------
// The application under test

pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub backend: Backend,
    /// The server's own pool, for looking behind its back.
    pub db: Db,
    pub state: AppState,
    pub settings: Settings,
}

impl TestApp {
    async fn spawn(
        backend: Backend,
        database_url: &str,
        configure: impl FnOnce(&mut Settings),
    ) -> (TestApp, tokio::task::JoinHandle<()>) {
        let mut settings = Settings::defaults();
        // Pin what the tests rely on, whatever ZI_* variables the environment has.
        settings.bind = "127.0.0.1:0".parse().expect("bind address");
        settings.database_url = Some(database_url.to_owned());
        settings.public_url = None;
        settings.body_limit_kb = 256;
        settings.session_idle_minutes = 60;
        settings.login_max_failures = 5;
        settings.login_max_failures_account = 50;
        settings.login_max_failures_address = 50;
        settings.trusted_proxies = Vec::new();
        settings.require_totp_for = Vec::new();
        settings.login_window_minutes = 15;
        // The local store unless the test asks for a bucket (`with_s3`).
        settings.s3_bucket = None;
        settings.s3_endpoint = None;
        settings.s3_prefix = String::new();
        settings.s3_path_style = true;
        // No single sign-on unless the test asks for it (`with_oidc`).
        settings.oidc_issuer = None;
        settings.oidc_client_id = None;
        settings.oidc_client_secret = None;
        settings.oidc_label = None;

        settings.data_dir = std::env::temp_dir().join(format!("zi_test_data_{}", unique()));
        configure(&mut settings);

        // Connects and migrates exactly as `zi serve` does.
        let db = open_database(&settings)
            .await
            .unwrap_or_else(|err| panic!("{backend:?}: cannot open {database_url}: {err}"));
        zi::demo::seed(&db, current_year())
            .await
            .unwrap_or_else(|err| panic!("{backend:?}: demo seed failed: {err}"));

        let application = Application::with_database(&settings, db.clone())
            .await
            .expect("the server starts");
        let port = application.port();
        let state = application.state().clone();
        let server = tokio::spawn(async move {
            if let Err(err) = application.run_until_stopped().await {
                eprintln!("server stopped with an error: {err}");
            }
        });
        let app = TestApp {
            address: format!("http://127.0.0.1:{port}"),
            backend,
            db,
            state,
            settings,
        };
        (app, server)
    }

    /// `zi serve` as its own process on this test's database and data, with
    /// the same settings plus `env`: what it does to memory is measured apart
    /// from everything else the test process runs.
    pub fn serve_process(&self, env: &[(&str, &str)]) -> ServerProcess {
        ServerProcess::start(&self.settings, env)
    }

    /// A new client with its own, empty cookie jar: an anonymous visitor.
    pub fn client(&self) -> Client {
        Client::new(&self.address, None)
    }

    /// A new anonymous client whose connections come from loopback address
    /// `127.0.0.<n>`, so login throttling sees a different client address.
    /// Only Linux routes all of 127/8 to loopback; elsewhere this is `client()`
    /// and `distinct_addresses()` is false.
    pub fn client_from(&self, n: u8) -> Client {
        let address = distinct_addresses().then(|| std::net::IpAddr::from([127, 0, 0, n]));
        Client::new(&self.address, address)
    }

    /// A new client signed in as `username` with the demo password.
    pub async fn signed_in(&self, username: &str) -> Client {
        self.signed_in_with(username, PASSWORD).await
    }

    pub async fn signed_in_with(&self, identifier: &str, password: &str) -> Client {
        let client = self.client();
        let reply = client.login(identifier, password).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{:?}: login as {identifier} failed: {reply}",
            self.backend
        );
        client
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The username `me` reports to a request carrying only `zi_session=<cookie>`
    /// (a copied or planted cookie), from a client without a cookie jar.
    pub async fn whoami_with_cookie(&self, cookie: &str) -> Option<String> {
        let response = reqwest::Client::new()
            .post(self.url("/api/me"))
            .header("cookie", format!("{SESSION_COOKIE}={cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .expect("POST /api/me");
        let reply = Reply::read(response).await;
        assert_eq!(reply.status, StatusCode::OK, "me: {reply}");
        reply.json()["username"].as_str().map(str::to_owned)
    }

    pub async fn unit_id(&self, code: &str) -> String {
        sqlx::query_scalar::<_, String>("SELECT id FROM units WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.db)
            .await
            .expect("query units")
            .unwrap_or_else(|| panic!("no unit {code}"))
    }

    /// The id of the assessment of the unit with `code` (the demo has one per unit).
    pub async fn assessment_of(&self, code: &str) -> String {
        sqlx::query_scalar::<_, String>(
            "SELECT a.id FROM assessments a JOIN units u ON u.id = a.unit_id WHERE u.code = $1",
        )
        .bind(code)
        .fetch_one(&self.db)
        .await
        .unwrap_or_else(|err| panic!("no assessment for {code}: {err}"))
    }

    pub async fn user_id(&self, username: &str) -> String {
        sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.db)
            .await
            .expect("query users")
            .unwrap_or_else(|| panic!("no user {username}"))
    }

    /// `SELECT COUNT(*) …` with text parameters.
    pub async fn count(&self, sql: &str, params: &[&str]) -> i64 {
        let mut query = sqlx::query_scalar::<_, i64>(sql);
        for param in params {
            query = query.bind(param.to_string());
        }
        query
            .fetch_one(&self.db)
            .await
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    pub async fn audit_rows(&self, entity: &str, entity_id: &str) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2",
            &[entity, entity_id],
        )
        .await
    }

    /// Rows of every table a request could write to, to show a refused request wrote nothing.
    pub async fn table_counts(&self) -> Vec<(&'static str, i64)> {
        let mut counts = Vec::new();
        for table in app::backend::db::backup::TABLES.iter().copied() {
            let n = self
                .count(&format!("SELECT COUNT(*) FROM {table}"), &[])
                .await;
            counts.push((table, n));
        }
        counts
    }
}

// ---------------------------------------------------------------------------
// HTTP clients

/// Whether clients can connect from addresses other than 127.0.0.1.
pub fn distinct_addresses() -> bool {
    cfg!(target_os = "linux")
}

/// One browser-like visitor: its own cookies, redirects not followed.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

impl Client {
    fn new(base: &str, local_address: Option<std::net::IpAddr>) -> Self {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .local_address(local_address)
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            // A fresh connection per request: a browser retries a GET whose
            // idle connection the server closed at that instant; reqwest does
            // not, and under a full parallel run that race failed a test.
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client");
        Client {
            http,
            jar,
            base: base.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Calls the server function at `/api/<endpoint>` with a form body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let response = self
            .http
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|err| panic!("POST /api/{endpoint}: {}", chain(&err)));
        Reply::read(response).await
    }

    /// Posts raw bytes as a form body.
    pub async fn call_raw(&self, endpoint: &str, body: Vec<u8>) -> Reply {
        let response = self
            .http
            .post(self.url(&format!("/api/{endpoint}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|err| panic!("POST /api/{endpoint}: {}", chain(&err)));
        Reply::read(response).await
    }

    /// Posts a multipart form: text fields and one file.
    pub async fn call_multipart(
        &self,
        endpoint: &str,
        fields: &[(&str, &str)],
        file: (&str, Vec<u8>),
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let (file_name, bytes) = file;
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
        let response = self
            .http
            .post(self.url(&format!("/api/{endpoint}")))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|err| panic!("POST /api/{endpoint}: {}", chain(&err)));
        Reply::read(response).await
    }

    /// Posts a multipart form to any path, as a script (`Accept: application/json`)
    /// or as a plain browser form.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, Vec<u8>)>,
        json: bool,
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        if let Some((file_name, bytes)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
            );
        }
        let mut request = self.http.post(self.url(path)).multipart(form);
        if json {
            request = request.header("accept", "application/json");
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|err| panic!("POST {path}: {}", chain(&err)));
        Reply::read(response).await
    }

    /// A GET whose body is binary (a download).
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self
            .http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|err| panic!("GET {path}: {}", chain(&err)));
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default();
        (status, headers, body)
    }

    pub async fn get(&self, path: &str) -> Reply {
        let response = self
            .http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|err| panic!("GET {path}: {}", chain(&err)));
        Reply::read(response).await
    }

    pub async fn login(&self, identifier: &str, password: &str) -> Reply {
        self.call(
            "login",
            &[("identifier", identifier), ("password", password)],
        )
        .await
    }

    pub async fn logout(&self) -> Reply {
        self.call("logout", &[]).await
    }

    /// The signed-in user as `me` reports it (`None` when anonymous).
    pub async fn me(&self) -> Option<Value> {
        let reply = self.call("me", &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "me: {reply}");
        match reply.json() {
            Value::Null => None,
            user => Some(user),
        }
    }

    /// The username `me` reports, if signed in.
    pub async fn whoami(&self) -> Option<String> {
        self.me()
            .await
            .map(|user| user["username"].as_str().unwrap_or_default().to_owned())
    }

    /// The value of the session cookie in this client's jar.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie(SESSION_COOKIE)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).expect("base url");
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }
}

/// A response read to the end, easy to assert on and to print.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|err| panic!("not JSON ({err}): {self}"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` line of the response.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }

    /// The `Set-Cookie` line that sets `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|line| line.starts_with(&format!("{name}=")))
    }

    /// The `error` tag of an `AppError` body (`invalid_credentials`, `forbidden`, …).
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// The `field` of an `AppError::Invalid` body.
    pub fn field(&self) -> String {
        self.json()["field"].as_str().unwrap_or_default().to_owned()
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 600;
        let body = if self.body.len() > SHOWN {
            let mut end = SHOWN;
            while !self.body.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}…", &self.body[..end])
        } else {
            self.body.clone()
        };
        write!(f, "HTTP {} {body}", self.status.as_u16())
    }
}

/// Decodes `%XX` escapes and `+` of a URL query value.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes URL-safe base64, with or without padding.
pub fn base64_url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for &c in text.trim_end_matches('=').as_bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// An error with its causes ("error sending request" alone does not say
/// whether the server closed the connection or the client timed out).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A `zi serve` child process, stopped when dropped.
pub struct ServerProcess {
    child: std::process::Child,
    pub address: String,
}

impl ServerProcess {
    fn start(settings: &Settings, env: &[(&str, &str)]) -> Self {
        use std::io::BufRead;
        let database_url = settings.database_url.clone().expect("a database url");
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_zi"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .env("ZI_BIND", "127.0.0.1:0")
            .env("ZI_DATABASE_URL", database_url)
            .env("ZI_DATA_DIR", &settings.data_dir)
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let mut child = command.spawn().expect("zi serve starts");
        let stdout = child.stdout.take().expect("its standard output");
        let (sender, receiver) = std::sync::mpsc::channel();
        // Keeps reading, so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.split("running at ").nth(1) {
                    let _ = sender.send(rest.trim_end_matches('/').to_owned());
                }
            }
        });
        let address = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("zi serve says where it listens");
        ServerProcess { child, address }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.address, None)
    }

    /// Ends the process with SIGKILL, as a power cut would.
    pub fn kill(self) {
        drop(self);
    }

    /// The process's resident memory (0 where /proc is missing).
    pub fn resident_bytes(&self) -> u64 {
        self.status_bytes("VmRSS:")
    }

    /// The most resident memory the process has had so far (0 where /proc is missing).
    pub fn peak_resident_bytes(&self) -> u64 {
        self.status_bytes("VmHWM:")
    }

    fn status_bytes(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|kb| kb.trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request body that arrives as the test sends its pieces.
pub fn stream_of(
    mut receiver: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}

// ---------------------------------------------------------------------------
// The S3 server

/// The S3-compatible server the S3 tests use: moto on loopback, started by
/// `scripts/test`, found through `TEST_S3_ENDPOINT`. Unset: `None` with a
/// notice (the test is skipped), or a failure when `CI=true`.
pub fn s3_endpoint(test: &str) -> Option<String> {
    use std::io::Write;
    if let Some(endpoint) = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Some(endpoint.trim().trim_end_matches('/').to_owned());
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "TEST_S3_ENDPOINT is not set and CI=true: the S3 evidence tests must run in CI \
             (scripts/test starts moto and sets it)"
        );
    }
    static BANNER: AtomicBool = AtomicBool::new(false);
    let mut stderr = std::io::stderr().lock();
    if !BANNER.swap(true, Ordering::SeqCst) {
        let _ = writeln!(
            stderr,
            "\n{bar}\n!! TEST_S3_ENDPOINT is not set: the S3 evidence tests are SKIPPED.\n\
             !! scripts/test starts moto and sets it; with CI=true they fail instead.\n{bar}",
            bar = "!".repeat(78)
        );
    }
    let _ = writeln!(stderr, "!! SKIPPED {test} (no S3 server)");
    None
}

/// Settings for a server whose evidence lives in a new bucket of the test S3
/// server (the bucket is made by [`TestApp::s3_bucket`]). Without a server,
/// the local store stays and the test skips itself.
pub fn with_s3(settings: &mut Settings) {
    if let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") {
        s3_at(settings, endpoint.trim().trim_end_matches('/'));
    }
}

/// Settings for evidence in a bucket at `endpoint` (reachable or not).
pub fn s3_at(settings: &mut Settings, endpoint: &str) {
    settings.s3_endpoint = Some(endpoint.to_owned());
    settings.s3_bucket = Some(format!("zi-test-{}", unique()));
    settings.s3_region = "us-east-1".to_owned();
    settings.s3_access_key_id = Some("zi-test".to_owned());
    settings.s3_secret_access_key = Some(zi::config::Secret("zi-test-secret".to_owned()));
    settings.s3_prefix = "evidence".to_owned();
    settings.s3_path_style = true;
}

// ---------------------------------------------------------------------------
// The OpenID provider

/// The OpenID provider the single sign-on tests use: npm's oidc-provider on
/// loopback (`end2end/oidc/provider.mjs`), started by `scripts/test`, found
/// through `TEST_OIDC_ISSUER`. Unset: `None` with a notice (the test is
/// skipped), or a failure when `CI=true`.
pub fn oidc_issuer(test: &str) -> Option<String> {
    use std::io::Write;
    if let Some(issuer) = std::env::var("TEST_OIDC_ISSUER")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Some(issuer.trim().trim_end_matches('/').to_owned());
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "TEST_OIDC_ISSUER is not set and CI=true: the single sign-on tests must run in CI \
             (scripts/test starts oidc-provider and sets it)"
        );
    }
    static BANNER: AtomicBool = AtomicBool::new(false);
    let mut stderr = std::io::stderr().lock();
    if !BANNER.swap(true, Ordering::SeqCst) {
        let _ = writeln!(
            stderr,
            "\n{bar}\n!! TEST_OIDC_ISSUER is not set: the single sign-on tests are SKIPPED.\n\
             !! scripts/test starts oidc-provider and sets it; with CI=true they fail instead.\n{bar}",
            bar = "!".repeat(78)
        );
    }
    let _ = writeln!(stderr, "!! SKIPPED {test} (no OpenID provider)");
    None
}

/// Settings for a server that signs in through the test OpenID provider.
/// Without one, single sign-on stays off and the test skips itself.
pub fn with_oidc(settings: &mut Settings) {
    if let Ok(issuer) = std::env::var("TEST_OIDC_ISSUER") {
        oidc_at(settings, issuer.trim().trim_end_matches('/'));
    }
}

/// Settings for single sign-on through the provider at `issuer` (reachable or
/// not), as the test provider registers its client. The callback URL is under
/// `ZI_PUBLIC_URL`, so the server listens on a port chosen here.
pub fn oidc_at(settings: &mut Settings, issuer: &str) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    settings.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    settings.public_url = Some(format!("http://127.0.0.1:{port}"));
    settings.oidc_issuer = Some(issuer.to_owned());
    settings.oidc_client_id = Some("zi-test".to_owned());
    settings.oidc_client_secret = Some(zi::config::Secret("zi-test-secret".to_owned()));
    settings.oidc_label = Some("Masuk dengan SSO Kementerian".to_owned());
}

/// An address on loopback where nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The test's bucket, looked at from outside the app (plain S3 requests).
pub struct S3Bucket {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/<bucket>`
    url: String,
    prefix: String,
}

impl TestApp {
    /// Creates the bucket of a server started `with_s3`; `None` when no S3
    /// server is configured (skipped locally, a failure under CI).
    pub async fn s3_bucket(&self, test: &str) -> Option<S3Bucket> {
        let endpoint = s3_endpoint(test)?;
        let name = self
            .settings
            .s3_bucket
            .clone()
            .expect("a server started with_s3");
        Some(S3Bucket::create(&endpoint, &name, &self.settings.s3_prefix).await)
    }
}

impl S3Bucket {
    /// Makes the bucket `name` at `endpoint` (moto takes unsigned requests;
    /// a real S3 would need the bucket made beforehand).
    pub async fn create(endpoint: &str, name: &str, prefix: &str) -> Self {
        // moto reads who asks from the Authorization header (objects the app
        // put are its key's, not anonymous) but does not check the signature.
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=zi-test/20261207/us-east-1/s3/aws4_request, \
                 SignedHeaders=host, Signature=0",
            ),
        );
        let bucket = S3Bucket {
            http: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .expect("an S3 client"),
            url: format!("{endpoint}/{name}"),
            prefix: prefix.to_owned(),
        };
        let made = bucket
            .http
            .put(&bucket.url)
            .send()
            .await
            .unwrap_or_else(|err| {
                panic!(
                    "the S3 server at {endpoint} does not answer: {}",
                    chain(&err)
                )
            });
        assert!(
            made.status().is_success(),
            "cannot create the bucket {name}: {made:?}"
        );
        bucket
    }

    /// Every key in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        let listing = self
            .http
            .get(format!("{}?list-type=2", self.url))
            .send()
            .await
            .expect("list the bucket")
            .text()
            .await
            .expect("the listing");
        listing
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    /// The key a file with this hash is stored under.
    pub fn key_of(&self, sha256: &str) -> String {
        format!("{}/{}/{sha256}", self.prefix, &sha256[..2])
    }

    /// The stored bytes of `key`, or `None`.
    pub async fn object(&self, key: &str) -> Option<Vec<u8>> {
        let response = self
            .http
            .get(format!("{}/{key}", self.url))
            .send()
            .await
            .expect("GET an object");
        if !response.status().is_success() {
            return None;
        }
        Some(response.bytes().await.expect("its bytes").to_vec())
    }

    /// Puts bytes under `key` behind the app's back.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) {
        let response = self
            .http
            .put(format!("{}/{key}", self.url))
            .body(bytes)
            .send()
            .await
            .expect("PUT an object");
        assert!(response.status().is_success(), "{response:?}");
    }
}
