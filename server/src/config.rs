use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// ZI Tracker: self-assessment, review and dashboards for Zona Integritas (WBK/WBBM).
#[derive(Debug, Parser)]
#[command(name = "zi", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Seed demo data (an instansi, units, one user per role, a period) into an empty database.
    Demo(DemoArgs),
    /// Write a consistent copy of the database and the evidence into a new
    /// folder, while the server runs.
    Backup {
        /// The folder to write (new, or empty).
        dir: PathBuf,
    },
    /// Restore a backup into an empty database and evidence store (stop the server first).
    Restore {
        /// The folder `zi backup` wrote.
        dir: PathBuf,
    },
    /// Look after the evidence store.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Work with LKE workbooks (.xlsx in the official PermenPANRB 90/2021 layout).
    #[command(subcommand)]
    Lke(LkeCommand),
    /// Manage API tokens (PortalRB pulls proposals and answers with one).
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; prints its secret once, as the last word of the output.
    Create {
        /// How administrators tell this token apart (e.g. "PortalRB 2026").
        #[arg(long)]
        name: String,
        /// What the token may call: portalrb.
        #[arg(long)]
        scope: String,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(subcommand)]
    pub action: Option<DemoCommand>,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Add many units with assessments in this year's period, for measuring (not for real data).
    Seed {
        /// How many units.
        #[arg(long, default_value_t = 1000)]
        units: usize,
        /// Answer every LKE item and spread the assessments over the workflow.
        #[arg(long)]
        complete: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// List stored files no evidence row names (left by a crash or a refused
    /// upload), and temporaries of unfinished uploads; `--delete` removes them.
    Sweep {
        /// Remove what was found (without it, only report).
        #[arg(long)]
        delete: bool,
        /// Leave alone anything younger than this many minutes: it may belong
        /// to an upload still in progress.
        #[arg(long, default_value_t = 60)]
        min_age_minutes: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum LkeCommand {
    /// Score a filled workbook against the built-in rubric, without touching the database.
    Score {
        file: PathBuf,
        /// Print the JSON contract documented in the README instead of a summary.
        #[arg(long)]
        json: bool,
        /// Which answer column to score: `unit` (the unit's, default), `tpi`
        /// (the evaluators'), `tpi2` (a second evaluators' lane, where the sheet has one).
        #[arg(long, default_value = "unit", value_parser = parse_lane)]
        lane: app::model::WorkbookLane,
    },
    /// Import a workbook's structure (weights, texts, answer types) as a new rubric version.
    Import {
        file: PathBuf,
        /// Key of the new version, e.g. `permenpanrb-90-2021-instansi`.
        #[arg(long)]
        key: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "PermenPANRB Nomor 90 Tahun 2021")]
        legal_basis: String,
        /// First year the version applies to.
        #[arg(long)]
        from_year: u16,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create(CreateUser),
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    pub username: String,
    /// Read the password from standard input (required; passwords never go on the command line).
    #[arg(long, required = true)]
    pub password_stdin: bool,
    /// Full name shown in the interface (defaults to the username).
    #[arg(long)]
    pub full_name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// Make the user an administrator of the instansi.
    #[arg(long)]
    pub admin: bool,
    /// Grant ROLE (admin, unit_member, evaluator, leadership), with --unit for a unit-scoped role.
    #[arg(long)]
    pub role: Option<String>,
    /// The code of the unit the role applies to.
    #[arg(long)]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

/// Every setting has a working default; each can be set by flag or environment variable.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "ZI_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,
    /// Database URL: `sqlite://PATH` (default, under the data directory) or `postgres://…`.
    #[arg(long, env = "ZI_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and stored evidence files.
    #[arg(long, env = "ZI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Largest evidence upload accepted, in megabytes.
    #[arg(long, env = "ZI_UPLOAD_LIMIT_MB", default_value_t = 25, global = true)]
    pub upload_limit_mb: u64,
    /// Largest form or API request body, in kilobytes.
    #[arg(long, env = "ZI_BODY_LIMIT_KB", default_value_t = 256, global = true)]
    pub body_limit_kb: usize,
    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "ZI_SESSION_IDLE_MINUTES",
        default_value_t = 60,
        global = true
    )]
    pub session_idle_minutes: u64,
    /// Public base URL (e.g. `https://zi.example.go.id`); `https` makes session cookies Secure.
    #[arg(long, env = "ZI_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Directory of the built front-end (`target/site`, written by `scripts/run`).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,
    /// Log format.
    #[arg(
        long,
        env = "ZI_LOG_FORMAT",
        value_enum,
        default_value = "human",
        global = true
    )]
    pub log_format: LogFormat,
    /// Calls per minute one PortalRB token may make; beyond it the API answers 429.
    #[arg(
        long,
        env = "ZI_PORTALRB_RATE_LIMIT",
        default_value_t = 120,
        global = true
    )]
    pub portalrb_rate_limit: u32,
    /// Days after the proposal deadline that an evidence link given to PortalRB stays valid.
    #[arg(
        long,
        env = "ZI_EVIDENCE_LINK_DAYS",
        default_value_t = 180,
        global = true
    )]
    pub evidence_link_days: u32,
    /// Failed sign-ins for one account from one address that pause it there.
    #[arg(
        long,
        env = "ZI_LOGIN_MAX_FAILURES",
        default_value_t = 5,
        global = true
    )]
    pub login_max_failures: u32,
    /// Failed sign-ins for one account from all addresses that pause it everywhere.
    #[arg(
        long,
        env = "ZI_LOGIN_MAX_FAILURES_ACCOUNT",
        default_value_t = 50,
        global = true
    )]
    pub login_max_failures_account: u32,
    /// Failed sign-ins from one address across accounts that pause the address
    /// (an office behind one NAT address shares it).
    #[arg(
        long,
        env = "ZI_LOGIN_MAX_FAILURES_ADDRESS",
        default_value_t = 50,
        global = true
    )]
    pub login_max_failures_address: u32,
    /// Roles (comma-separated: admin, evaluator, leadership, unit_member) whose
    /// holders must use a second factor: one without it enrols at sign-in.
    #[arg(
        long,
        env = "ZI_REQUIRE_TOTP_FOR",
        value_delimiter = ',',
        global = true
    )]
    pub require_totp_for: Vec<app::domain::role::Role>,
    /// Reverse proxies (comma-separated IP addresses) whose `X-Forwarded-For`
    /// header names the client; from anyone else the header is ignored.
    #[arg(long, env = "ZI_TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Length of that pause and of the window failures are counted in, in minutes.
    #[arg(
        long,
        env = "ZI_LOGIN_WINDOW_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub login_window_minutes: u64,
    /// Database connections the server keeps open at most.
    #[arg(long, env = "ZI_DB_POOL", default_value_t = 10, global = true)]
    pub db_pool: u32,
    /// Keep evidence in this S3 bucket instead of `<data dir>/evidence`.
    #[arg(long, env = "ZI_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,
    /// The S3-compatible service (`https://s3.example.go.id`, `http://minio:9000`);
    /// unset: AWS S3 of the region.
    #[arg(long, env = "ZI_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,
    /// The bucket's region (MinIO and most others accept the default).
    #[arg(long, env = "ZI_S3_REGION", default_value = "us-east-1", global = true)]
    pub s3_region: String,
    /// Access key of the S3 credentials.
    #[arg(long, env = "ZI_S3_ACCESS_KEY_ID", global = true)]
    pub s3_access_key_id: Option<String>,
    /// Secret of the S3 credentials (set it in the environment, not as a flag).
    #[arg(
        long,
        env = "ZI_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        global = true
    )]
    pub s3_secret_access_key: Option<Secret>,
    /// Keys start with this prefix (e.g. `evidence`); empty: the bucket's root.
    #[arg(long, env = "ZI_S3_PREFIX", default_value = "", global = true)]
    pub s3_prefix: String,
    /// `true`: `endpoint/bucket/key` (MinIO, Ceph, most S3-compatible services);
    /// `false`: `bucket.endpoint/key` (the endpoint then names the bucket's host).
    #[arg(
        long,
        env = "ZI_S3_PATH_STYLE",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub s3_path_style: bool,
    /// Single sign-on: the OpenID Connect provider's issuer URL (its discovery
    /// document is `{issuer}/.well-known/openid-configuration`). Unset: no SSO.
    #[arg(long, env = "ZI_OIDC_ISSUER", global = true)]
    pub oidc_issuer: Option<String>,
    /// The client id ZI Tracker is registered under at the provider.
    #[arg(long, env = "ZI_OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,
    /// The client secret (set it in the environment, not as a flag).
    #[arg(
        long,
        env = "ZI_OIDC_CLIENT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub oidc_client_secret: Option<Secret>,
    /// The text of the login page's SSO button (e.g. "Masuk dengan SSO Kementerian").
    #[arg(long, env = "ZI_OIDC_LABEL", global = true)]
    pub oidc_label: Option<String>,
}

/// A setting that is never printed (`Debug` shows it as `***`).
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("zi.db").display()))
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(self.session_idle_minutes * 60)
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.login_window_minutes * 60)
    }

    /// The S3 store's settings, when a bucket is set (otherwise: the local store).
    pub fn s3_config(&self) -> Option<app::backend::blobs::S3Config> {
        let bucket = self.s3_bucket.as_deref().map(str::trim)?;
        if bucket.is_empty() {
            return None;
        }
        let set = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Some(app::backend::blobs::S3Config {
            endpoint: set(&self.s3_endpoint),
            bucket: bucket.to_owned(),
            region: self.s3_region.clone(),
            access_key_id: set(&self.s3_access_key_id),
            secret_access_key: set(&self.s3_secret_access_key.as_ref().map(|s| s.0.clone())),
            prefix: self.s3_prefix.clone(),
            path_style: self.s3_path_style,
        })
    }

    /// The identity provider's settings when `ZI_OIDC_ISSUER` is set (the
    /// callback is `{ZI_PUBLIC_URL}/login/oidc/callback`); an error when the
    /// rest of what it needs is missing.
    pub fn oidc_config(
        &self,
    ) -> Result<Option<app::backend::oidc::OidcSettings>, app::backend::oidc::OidcSettingsError>
    {
        let Some(issuer) = self
            .oidc_issuer
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        else {
            return Ok(None);
        };
        app::backend::oidc::OidcSettings::parse(
            issuer,
            self.oidc_client_id.as_deref(),
            self.oidc_client_secret.as_ref().map(|s| s.0.as_str()),
            self.public_url.as_deref(),
            self.oidc_label.as_deref(),
        )
        .map(Some)
    }

    /// The defaults, as `zi` with no flags and no environment would use them.
    pub fn defaults() -> Self {
        Cli::parse_from(["zi"]).settings
    }
}

fn parse_lane(s: &str) -> Result<app::model::WorkbookLane, String> {
    app::model::WorkbookLane::parse(s)
        .ok_or_else(|| format!("`{s}` is not a lane: unit, tpi or tpi2"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sqlite_under_the_data_dir_is_the_default_database() {
        let settings = Cli::parse_from(["zi", "--data-dir", "/tmp/zi"]).settings;
        assert_eq!(settings.database_url(), "sqlite:///tmp/zi/zi.db");
        assert!(!settings.secure_cookies());
    }

    #[test]
    fn a_bucket_switches_to_s3_and_the_secret_is_never_printed() {
        let local = Cli::parse_from(["zi", "--s3-bucket", " "]).settings;
        assert!(local.s3_config().is_none());
        let settings = Cli::parse_from([
            "zi",
            "--s3-bucket",
            "zi-evidence",
            "--s3-endpoint",
            "http://127.0.0.1:9000",
            "--s3-secret-access-key",
            "hunter2",
            "--s3-path-style",
            "false",
        ])
        .settings;
        let config = settings.s3_config().expect("a bucket is set");
        assert_eq!(config.bucket, "zi-evidence");
        assert_eq!(config.region, "us-east-1");
        assert!(!config.path_style);
        assert_eq!(config.secret_access_key.as_deref(), Some("hunter2"));
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn single_sign_on_is_off_unless_an_issuer_is_set_and_needs_the_public_url() {
        assert!(Settings::defaults().oidc_config().expect("valid").is_none());
        let base = [
            "zi",
            "--oidc-issuer",
            "https://sso.example.go.id",
            "--oidc-client-id",
            "zi-tracker",
            "--oidc-client-secret",
            "hunter2",
        ];
        let without_url = Cli::parse_from(base).settings;
        assert!(without_url.oidc_config().is_err());
        let settings = Cli::parse_from(
            base.into_iter()
                .chain(["--public-url", "https://zi.example.go.id"]),
        )
        .settings;
        let oidc = settings.oidc_config().expect("valid").expect("configured");
        assert_eq!(
            oidc.redirect.as_str(),
            "https://zi.example.go.id/login/oidc/callback"
        );
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn an_https_public_url_makes_cookies_secure() {
        let settings = Cli::parse_from(["zi", "--public-url", "https://zi.example.go.id"]).settings;
        assert!(settings.secure_cookies());
    }
}
