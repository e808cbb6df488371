//! The load script: simulated users against the release build of the whole
//! server, in this process, on a fresh database (SQLite by default,
//! PostgreSQL with `--postgres`, from `TEST_DATABASE_URL`).
//!
//! ```text
//! cargo bench -p zi --bench load -- [--users 200] [--seconds 60] [--postgres]
//! ```
//!
//! Each user signs in (the sign-ins spread over the first ten seconds, as a
//! morning does), then until the time is up: opens the home page, the
//! assessment and an area page, saves an answer, and every tenth round
//! uploads a 200 KB file; one user in ten is leadership and opens the
//! dashboard instead. It prints requests, errors and p50/p90/p99 per kind,
//! and fails when any request failed.

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
    Options {
        users: usize::try_from(value("--users", 200)).unwrap_or(200),
        seconds: value("--seconds", 60),
        postgres: args.iter().any(|a| a == "--postgres"),
    }
}

#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, took: Duration, failure: Option<String>) {
        self.latencies.entry(kind).or_default().push(took);
        if let Some(failure) = failure {
            self.errors.entry(kind).or_default().push(failure);
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
    let failed = runtime.block_on(run(options));
    if failed {
        std::process::exit(1);
    }
}

async fn run(options: Options) -> bool {
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
    let members = options.users - options.users / 10;
    zi::demo::seed_load(&db, year, members, false)
        .await
        .expect("units");
    let assessments: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.unit_id FROM assessments a JOIN units u ON u.id = a.unit_id \
         WHERE u.code LIKE 'MUATAN-%' ORDER BY u.code",
    )
    .fetch_all(&db)
    .await
    .expect("the assessments");
    println!("setting up {} accounts …", options.users);
    let mut logins = Vec::new();
    for n in 0..options.users {
        let username = format!("beban{n:04}");
        let grant = match assessments.get(n) {
            Some((_, unit)) if n < members => Grant::new(
                Role::UnitMember,
                Some(app::domain::unit::UnitId::new(unit.clone())),
            ),
            _ => Grant::new(Role::Leadership, None),
        }
        .expect("a grant");
        let account = NewAccount {
            username: Username::parse(&username).expect("a username"),
            email: None,
            full_name: FullName::parse("Pengguna Beban").expect("a name"),
            password: NewPassword::parse(PASSWORD, PASSWORD).expect("a password"),
            grants: vec![grant],
        };
        users::create(&db, &Permit::operator(), account)
            .await
            .expect("an account");
        logins.push((
            username,
            assessments
                .get(n)
                .filter(|_| n < members)
                .map(|(id, _)| id.clone()),
        ));
    }

    let application = Application::with_database(&settings, db.clone())
        .await
        .expect("the server");
    let base = format!("http://127.0.0.1:{}", application.port());
    let server = tokio::spawn(application.run_until_stopped());
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
        if options.postgres {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, (username, assessment)) in logins.into_iter().enumerate() {
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
                let value = ["a", "b", "c"][round as usize % 3];
                let save = client
                    .post(format!("{base}/api/assessments/answers"))
                    .form(&[("assessment", id.as_str()), ("value[P.MP.i.b]", value)]);
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
    let elapsed = started.elapsed();
    server.abort();
    db.close().await;
    if let Some((admin, name)) = postgres {
        let _ = sqlx::query(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
            .execute(&admin)
            .await;
    }
    let _ = std::fs::remove_dir_all(&dir);

    let tally = tally.lock().unwrap();
    let mut total = 0;
    let mut errors = 0;
    println!(
        "\n{:<11} {:>8} {:>7} {:>9} {:>9} {:>9}",
        "kind", "requests", "errors", "p50", "p90", "p99"
    );
    for (kind, latencies) in &tally.latencies {
        let mut sorted = latencies.clone();
        sorted.sort();
        let failed = tally.errors.get(kind).map_or(0, Vec::len);
        total += sorted.len();
        errors += failed;
        println!(
            "{kind:<11} {:>8} {failed:>7} {:>7.0}ms {:>7.0}ms {:>7.0}ms",
            sorted.len(),
            percentile(&sorted, 0.5).as_secs_f64() * 1000.0,
            percentile(&sorted, 0.9).as_secs_f64() * 1000.0,
            percentile(&sorted, 0.99).as_secs_f64() * 1000.0,
        );
    }
    let mut all: Vec<Duration> = tally.latencies.values().flatten().copied().collect();
    all.sort();
    println!(
        "{:<11} {total:>8} {errors:>7} {:>7.0}ms {:>7.0}ms {:>7.0}ms   ({:.0} requests/s over {:.0} s)",
        "all",
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.9).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    for (kind, failures) in &tally.errors {
        println!(
            "{kind}: first failures: {:?}",
            &failures[..failures.len().min(5)]
        );
    }
    errors > 0
}
