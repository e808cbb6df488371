//! The load script: simulated users against the release build of the whole
//! server, in this process, on a fresh database (SQLite by default,
//! PostgreSQL with `--postgres`, from `TEST_DATABASE_URL`).
//!
//! ```text
//! cargo bench -p zi --bench load -- [--users 200] [--seconds 60] [--postgres]
//! cargo bench -p zi --bench load -- --throughput [--connections 64] [--seconds 10] [--postgres] [--only area,save]
//! ```
//!
//! Users: each user signs in (the sign-ins spread over the first ten seconds,
//! as a morning does), then until the time is up: opens the home page, the
//! assessment and an area page, saves an answer, and every tenth round
//! uploads a 200 KB file; one user in ten is leadership and opens the
//! dashboard instead.
//!
//! Throughput (`--throughput`): a bare axum server in the same process serves
//! a static 10 KB page, then each server-rendered page and the answer save
//! get `--connections` keep-alive connections (each its own signed-in
//! client) for `--seconds`, one target after the other; the table gives each
//! page's requests per second as a share of the bare server's.
//!
//! Both print requests, errors and p50/p90/p99 per kind, and fail when any
//! request failed.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::backend::permit::Permit;
use app::backend::users::{self, NewAccount};
use app::domain::account::{FullName, NewPassword, Username};
use app::domain::role::{Grant, Role};
use zi::config::Settings;
use zi::startup::{open_database, Application};

const PASSWORD: &str = "beban-kata-sandi";

struct Options {
    users: usize,
    seconds: u64,
    postgres: bool,
    throughput: Option<usize>,
    /// The throughput targets to run (all when empty); the bare page always runs.
    only: Vec<String>,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: u64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let throughput = args.iter().any(|a| a == "--throughput");
    Options {
        users: usize::try_from(value("--users", 200)).unwrap_or(200),
        seconds: value("--seconds", if throughput { 10 } else { 60 }),
        postgres: args.iter().any(|a| a == "--postgres"),
        throughput: throughput.then(|| usize::try_from(value("--connections", 64)).unwrap_or(64)),
        only: args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1))
            .map(|kinds| kinds.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    }
}

#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, Vec<String>>,
    /// Requests per second of each kind run on its own (throughput only).
    rates: BTreeMap<&'static str, f64>,
    /// How long the users ran (users only).
    elapsed: Option<Duration>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, took: Duration, failure: Option<String>) {
        self.latencies.entry(kind).or_default().push(took);
        if let Some(failure) = failure {
            self.errors.entry(kind).or_default().push(failure);
        }
    }

    /// Takes in the tally of one kind that ran alone for `seconds`.
    fn merge(&mut self, other: Tally, seconds: u64) {
        for (kind, latencies) in other.latencies {
            self.rates
                .insert(kind, latencies.len() as f64 / seconds.max(1) as f64);
            self.latencies.entry(kind).or_default().extend(latencies);
        }
        for (kind, errors) in other.errors {
            self.errors.entry(kind).or_default().extend(errors);
        }
    }
}

async fn timed(
    tally: &Mutex<Tally>,
    kind: &'static str,
    request: reqwest::RequestBuilder,
) -> Option<reqwest::Response> {
    let started = Instant::now();
    let outcome = request.send().await;
    let took = started.elapsed();
    let (failure, response) = match outcome {
        Ok(response) if response.status().is_success() || response.status().is_redirection() => {
            (None, Some(response))
        }
        Ok(response) => (Some(format!("HTTP {}", response.status())), None),
        Err(err) => (Some(err.to_string()), None),
    };
    tally.lock().unwrap().record(kind, took, failure);
    response
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let options = options();
    let runtime = zi::startup::runtime().expect("a runtime");
    let failed = runtime.block_on(async {
        let fixture = Fixture::start(&options).await;
        let tally = match options.throughput {
            Some(connections) => throughput(&fixture, connections, &options).await,
            None => users(&fixture, &options).await,
        };
        fixture.stop().await;
        report(&tally)
    });
    if failed {
        std::process::exit(1);
    }
}

/// The release server on a fresh database with the demo data and one unit
/// (with its member account) per simulated member.
struct Fixture {
    db: app::backend::db::Db,
    dir: std::path::PathBuf,
    postgres: Option<(app::backend::db::Db, String)>,
    base: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    /// (username, the member's assessment; none for leadership)
    logins: Vec<(String, Option<String>)>,
}

impl Fixture {
    async fn start(options: &Options) -> Self {
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!("zi_load_{}", uuid::Uuid::new_v4().simple()));
        let mut settings = Settings::defaults();
        settings.bind = "127.0.0.1:0".parse().unwrap();
        settings.data_dir = dir.clone();
        settings.login_max_failures_address = 1_000_000;
        let mut postgres = None;
        if options.postgres {
            let server = std::env::var("TEST_DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
            let name = format!("zi_load_{}", uuid::Uuid::new_v4().simple());
            let admin = app::backend::db::connect(&server, 1)
                .await
                .expect("PostgreSQL");
            sqlx::query(&format!(r#"CREATE DATABASE "{name}""#))
                .execute(&admin)
                .await
                .expect("a load database");
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
            settings.database_url = Some(format!("{base}/{name}"));
            postgres = Some((admin, name));
        }
        let db = open_database(&settings).await.expect("the database");
        let year = i64::from(time::OffsetDateTime::now_utc().year());
        zi::demo::seed(&db, year).await.expect("demo data");
        let people = options.throughput.map_or(options.users, |c| c + c / 10);
        let members = people - people / 10;
        zi::demo::seed_load(&db, year, members, false)
            .await
            .expect("units");
        let logins = accounts(&db, people, members).await;
        let application = Application::with_database(&settings, db.clone())
            .await
            .expect("the server");
        let base = format!("http://127.0.0.1:{}", application.port());
        let server = tokio::spawn(application.run_until_stopped());
        Fixture {
            db,
            dir,
            postgres,
            base,
            server,
            logins,
        }
    }

    async fn stop(self) {
        self.server.abort();
        self.db.close().await;
        if let Some((admin, name)) = self.postgres {
            let _ = sqlx::query(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                .execute(&admin)
                .await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// A client of its own (cookies, one keep-alive connection) signed in as `username`.
    async fn client(&self, username: &str, password: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let login = client
            .post(format!("{}/api/login", self.base))
            .form(&[("identifier", username), ("password", password)])
            .send()
            .await
            .expect("sign-in");
        assert!(login.status().is_success(), "{username} signs in");
        client
    }
}

/// One account per simulated user: the first `members` are members of one
/// `MUATAN-` unit each, the rest are leadership.
async fn accounts(
    db: &app::backend::db::Db,
    people: usize,
    members: usize,
) -> Vec<(String, Option<String>)> {
    let assessments: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.unit_id FROM assessments a JOIN units u ON u.id = a.unit_id \
         WHERE u.code LIKE 'MUATAN-%' ORDER BY u.code",
    )
    .fetch_all(db)
    .await
    .expect("the assessments");
    println!("setting up {people} accounts …");
    let mut logins = Vec::new();
    for n in 0..people {
        let username = format!("beban{n:04}");
        let member_of = assessments.get(n).filter(|_| n < members);
        let grant = match member_of {
            Some((_, unit)) => Grant::new(
                Role::UnitMember,
                Some(app::domain::unit::UnitId::new(unit.clone())),
            ),
            None => Grant::new(Role::Leadership, None),
        }
        .expect("a grant");
        let account = NewAccount {
            username: Username::parse(&username).expect("a username"),
            email: None,
            full_name: FullName::parse("Pengguna Beban").expect("a name"),
            password: NewPassword::parse(PASSWORD, PASSWORD).expect("a password"),
            grants: vec![grant],
        };
        users::create(db, &Permit::operator(), account)
            .await
            .expect("an account");
        logins.push((username, member_of.map(|(id, _)| id.clone())));
    }
    logins
}

fn save_form(assessment: &str, round: u32) -> [(&'static str, String); 2] {
    let value = ["a", "b", "c"][round as usize % 3];
    [
        ("assessment", assessment.to_owned()),
        ("value[P.MP.i.b]", value.to_owned()),
    ]
}

async fn users(fixture: &Fixture, options: &Options) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let pdf = {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(200 * 1024, b'x');
        bytes
    };
    println!(
        "{} users for {} s on {} …",
        options.users,
        options.seconds,
        database_name(options)
    );
    let base = fixture.base.clone();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, (username, assessment)) in fixture.logins.iter().cloned().enumerate() {
        let (tally, base, pdf) = (tally.clone(), base.clone(), pdf.clone());
        let stagger = Duration::from_millis(10_000 * n as u64 / options.users as u64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(stagger).await;
            let client = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            let login = client
                .post(format!("{base}/api/login"))
                .form(&[("identifier", username.as_str()), ("password", PASSWORD)]);
            if timed(&tally, "login", login).await.is_none() {
                return;
            }
            let mut round = 0u32;
            while Instant::now() < deadline {
                round += 1;
                timed(&tally, "home", client.get(format!("{base}/"))).await;
                let Some(id) = &assessment else {
                    timed(&tally, "dashboard", client.get(format!("{base}/dashboard"))).await;
                    continue;
                };
                timed(
                    &tally,
                    "assessment",
                    client.get(format!("{base}/assessments/{id}")),
                )
                .await;
                timed(
                    &tally,
                    "area",
                    client.get(format!("{base}/assessments/{id}/pemenuhan/1")),
                )
                .await;
                let save = client
                    .post(format!("{base}/api/assessments/answers"))
                    .form(&save_form(id, round));
                timed(&tally, "save", save).await;
                if round % 10 == 1 {
                    let mut file = pdf.clone();
                    file.extend_from_slice(format!("{username}-{round}").as_bytes());
                    let form = reqwest::multipart::Form::new()
                        .text("item", "P.MP.i.b")
                        .part(
                            "file",
                            reqwest::multipart::Part::bytes(file).file_name("sk.pdf"),
                        );
                    let upload = client
                        .post(format!("{base}/assessments/{id}/evidence"))
                        .header("accept", "application/json")
                        .multipart(form);
                    timed(&tally, "upload", upload).await;
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("a user finished");
    }
    let mut tally = Arc::try_unwrap(tally)
        .ok()
        .expect("every user finished")
        .into_inner()
        .unwrap();
    tally.elapsed = Some(started.elapsed());
    tally
}

fn database_name(options: &Options) -> &'static str {
    if options.postgres {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

/// A page the throughput run asks for: its kind, whose clients ask, and the path.
struct Target {
    kind: &'static str,
    who: Who,
    path: fn(&str) -> String,
}

#[derive(Clone, Copy)]
enum Who {
    Anonymous,
    Member,
    Leadership,
}

const TARGETS: &[Target] = &[
    Target {
        kind: "login",
        who: Who::Anonymous,
        path: |_| "/login".to_owned(),
    },
    Target {
        kind: "home",
        who: Who::Member,
        path: |_| "/".to_owned(),
    },
    Target {
        kind: "assessment",
        who: Who::Member,
        path: |id| format!("/assessments/{id}"),
    },
    Target {
        kind: "area",
        who: Who::Member,
        path: |id| format!("/assessments/{id}/pemenuhan/1"),
    },
    Target {
        kind: "dashboard",
        who: Who::Leadership,
        path: |_| "/dashboard".to_owned(),
    },
];

/// Each target in turn, `connections` clients asking as fast as answers come.
async fn throughput(fixture: &Fixture, connections: usize, options: &Options) -> Tally {
    let seconds = options.seconds;
    let chosen = |kind: &str| options.only.is_empty() || options.only.iter().any(|k| k == kind);
    let bare = bare_server().await;
    let members: Vec<(String, String)> = fixture
        .logins
        .iter()
        .filter_map(|(u, a)| a.clone().map(|a| (u.clone(), a)))
        .collect();
    let leaders: Vec<String> = fixture
        .logins
        .iter()
        .filter(|(_, a)| a.is_none())
        .map(|(u, _)| u.clone())
        .collect();
    println!("{connections} connections, {seconds} s per target …");
    let mut tally = Tally::default();
    let anonymous = || {
        reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    };
    let bare_clients = (0..connections)
        .map(|_| (anonymous(), format!("{bare}/")))
        .collect();
    hammer(&mut tally, "bare axum", bare_clients, seconds, None).await;
    for target in TARGETS.iter().filter(|t| chosen(t.kind)) {
        let mut clients = Vec::new();
        for n in 0..connections {
            let (member, assessment) = &members[n % members.len()];
            let client = match target.who {
                Who::Anonymous => anonymous(),
                Who::Member => fixture.client(member, PASSWORD).await,
                Who::Leadership => fixture.client(&leaders[n % leaders.len()], PASSWORD).await,
            };
            clients.push((
                client,
                format!("{}{}", fixture.base, (target.path)(assessment)),
            ));
        }
        hammer(&mut tally, target.kind, clients, seconds, None).await;
    }
    if !chosen("save") {
        return tally;
    }
    let mut savers = Vec::new();
    for (member, assessment) in members.iter().take(connections) {
        let client = fixture.client(member, PASSWORD).await;
        savers.push((client, assessment.clone()));
    }
    let save_url = format!("{}/api/assessments/answers", fixture.base);
    hammer(&mut tally, "save", savers, seconds, Some(save_url)).await;
    tally
}

/// Runs every client in a loop for `seconds`: a GET of its URL, or with
/// `save_to`, a save of its assessment's answer there.
async fn hammer(
    tally: &mut Tally,
    kind: &'static str,
    clients: Vec<(reqwest::Client, String)>,
    seconds: u64,
    save_to: Option<String>,
) {
    let shared = Arc::new(Mutex::new(Tally::default()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (client, target) in clients {
        let (shared, save_to) = (shared.clone(), save_to.clone());
        tasks.push(tokio::spawn(async move {
            let mut round = 0u32;
            while Instant::now() < deadline {
                round += 1;
                let request = match &save_to {
                    Some(url) => client.post(url).form(&save_form(&target, round)),
                    None => client.get(&target),
                };
                if let Some(response) = timed(&shared, kind, request).await {
                    // The whole body, as a browser would read it.
                    let _ = response.bytes().await;
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("a connection finished");
    }
    let shared = Arc::try_unwrap(shared)
        .ok()
        .expect("done")
        .into_inner()
        .unwrap();
    tally.merge(shared, seconds);
}

/// A bare axum server on loopback serving a static 10 KB page: the ceiling
/// the pages are measured against.
async fn bare_server() -> String {
    let page = format!(
        "<!doctype html><html><body>{}</body></html>",
        "<p>Zona Integritas</p>".repeat(460)
    );
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let page = page.clone();
            async move { axum::response::Html(page) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

fn report(tally: &Tally) -> bool {
    let bare = tally.rates.get("bare axum").copied();
    let mut total = 0;
    let mut errors = 0;
    println!(
        "\n{:<11} {:>8} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "kind", "requests", "errors", "p50", "p90", "p99", "req/s", "of bare"
    );
    for (kind, latencies) in &tally.latencies {
        let mut sorted = latencies.clone();
        sorted.sort();
        let failed = tally.errors.get(kind).map_or(0, Vec::len);
        total += sorted.len();
        errors += failed;
        let rate = tally.rates.get(kind).copied();
        let share = match (rate, bare) {
            (Some(rate), Some(bare)) if bare > 0.0 => format!("{:.1}%", 100.0 * rate / bare),
            _ => String::new(),
        };
        println!(
            "{kind:<11} {:>8} {failed:>7} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>9} {share:>7}",
            sorted.len(),
            percentile(&sorted, 0.5).as_secs_f64() * 1000.0,
            percentile(&sorted, 0.9).as_secs_f64() * 1000.0,
            percentile(&sorted, 0.99).as_secs_f64() * 1000.0,
            rate.map_or(String::new(), |r| format!("{r:.0}")),
        );
    }
    let mut all: Vec<Duration> = tally.latencies.values().flatten().copied().collect();
    all.sort();
    println!(
        "{:<11} {total:>8} {errors:>7} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>9}",
        "all",
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.9).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        tally.elapsed.map_or(String::new(), |e| format!(
            "{:.0}",
            total as f64 / e.as_secs_f64()
        )),
    );
    for (kind, failures) in &tally.errors {
        println!(
            "{kind}: first failures: {:?}",
            &failures[..failures.len().min(5)]
        );
    }
    errors > 0
}
