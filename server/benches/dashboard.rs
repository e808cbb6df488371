//! The leadership dashboard at 1,000, 3,000 and 10,000 complete units
//! (target: the page in < 300 ms of server time at 10,000 units on
//! PostgreSQL, cost linear in units), and each chart (target: < 20 ms).
//!
//! `compute` is the whole view from the database (what the first viewer of a
//! view waits for): each assessment's stored scores, no answer read; `page`
//! is what every further request of the view costs within the cache's
//! lifetime (the page's rows cut from the shared view). Before them, the real
//! server answers `GET /dashboard` five times with the view not cached; the
//! bench prints those times and the page's HTML size. Seeding is bulk
//! inserts (`zi demo seed --units N --complete`).
//! SQLite runs at 1,000 units; PostgreSQL at all three sizes.
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); it is skipped when unreachable.
//! `ZI_BENCH_SIZES=1000,3000` runs fewer sizes.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use app::backend::charts::{render, ChartText, Distribution, Heatmap, ImageFormat, ShareBars};
use app::backend::dashboard::{compute, load, load_all, DashboardQuery};
use app::backend::db::{self, Db};
use app::domain::dashboard::Filter;
use app::domain::dashboard::HEATMAP_ROWS;
use app::model::SessionUser;
use criterion::{criterion_group, criterion_main, Criterion};
use sqlx::Connection;

fn sizes() -> Vec<usize> {
    std::env::var("ZI_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 3_000, 10_000])
}

async fn seeded(db: &Db, units: usize) -> SessionUser {
    db::migrate(db).await.expect("migrations");
    db::rubrics::ensure_builtin(db)
        .await
        .expect("the built-in rubric");
    let year = i64::from(time::OffsetDateTime::now_utc().year());
    zi::demo::seed(db, year).await.expect("demo data");
    let started = Instant::now();
    zi::demo::seed_load(db, year, units, true)
        .await
        .expect("load data");
    println!("seeded {units} units in {:.0?}", started.elapsed());
    seeded_user(db).await
}

fn query(page: usize) -> DashboardQuery {
    DashboardQuery {
        period: None,
        subtree: None,
        filter: Filter::default(),
        page,
    }
}

async fn postgres(units: usize) -> Option<Db> {
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&url).await.ok()?;
    let name = format!("zi_bench_dashboard_{units}");
    sqlx::query(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
        .execute(&mut admin)
        .await
        .ok()?;
    sqlx::query(&format!(r#"CREATE DATABASE "{name}""#))
        .execute(&mut admin)
        .await
        .ok()?;
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    db::connect(&format!("{base}/{name}"), 5).await.ok()
}

/// The view's cost measured on one database: the whole computation, one
/// page from the shared view, and what the page carries.
fn bench_db(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    db: &Db,
    units: usize,
    name: &str,
) {
    let user = runtime.block_on(seeded(db, units));
    let all = runtime
        .block_on(compute(db, &user, query(1)))
        .expect("dashboard");
    assert!(all.rows.len() > units, "the load data is there");
    let page = runtime.block_on(load(db, &user, query(2))).expect("page");
    let page_json = serde_json::to_string(&page).expect("json").len();
    let all_json = serde_json::to_string(&all).expect("json").len();
    println!(
        "{units} units, {name}: the page's view is {page_json} bytes of JSON ({} rows), the whole view {all_json} bytes",
        page.rows.len()
    );
    let (times, html) = runtime.block_on(served_page(db));
    let mut sorted = times.clone();
    sorted.sort();
    println!(
        "{units} units, {name}: GET /dashboard with the view not cached took {:.1?} (median of {}; all: {times:.1?}), {html} bytes of HTML",
        sorted[sorted.len() / 2],
        sorted.len()
    );
    let mut g = c.benchmark_group(format!("dashboard {units} units"));
    g.sample_size(10);
    if units > 3_000 {
        g.measurement_time(Duration::from_secs(20));
    }
    g.bench_function(format!("compute, {name}"), |b| {
        b.iter(|| {
            black_box(
                runtime
                    .block_on(compute(db, &user, query(1)))
                    .expect("view"),
            )
        })
    });
    g.bench_function(format!("page from the shared view, {name}"), |b| {
        b.iter(|| black_box(runtime.block_on(load(db, &user, query(2))).expect("page")))
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = runtime
        .block_on(db::connect(
            &format!("sqlite://{}/bench.db", dir.path().display()),
            5,
        ))
        .expect("sqlite");
    let sizes = sizes();
    let first = sizes.first().copied().unwrap_or(1_000);
    bench_db(c, &runtime, &sqlite, first, "SQLite");
    for units in sizes {
        match runtime.block_on(postgres(units)) {
            Some(pg) => bench_db(c, &runtime, &pg, units, "PostgreSQL"),
            None => eprintln!("PostgreSQL unreachable: its dashboard benchmark is skipped"),
        }
    }

    let user = runtime.block_on(seeded_user(&sqlite));
    let view = runtime
        .block_on(load_all(&sqlite, &user, query(1)))
        .expect("dashboard");
    let totals: Vec<f64> = view.rows.iter().map(|r| r.counted_total()).collect();
    let text = || ChartText {
        title: "Sebaran nilai total",
        x: "Nilai total",
        y: "Jumlah unit",
    };
    let columns: Vec<String> = ["MP", "TT", "SDM", "AK", "PW", "PP"]
        .map(str::to_owned)
        .to_vec();
    let lines = [("WBK", 75.0), ("WBBM", 85.0)];
    let distribution = Distribution {
        totals: &totals,
        lines: &lines,
        text: text(),
    };
    let areas = ShareBars {
        labels: columns.clone(),
        series: vec![("% bobot", view.rows[0].areas.clone())],
        lines: &[("WBK", 0.6), ("WBBM", 0.75)],
        text: text(),
    };
    let heatmap = Heatmap {
        rows: view.rows[..HEATMAP_ROWS]
            .iter()
            .map(|r| (r.unit_name.clone(), r.areas.clone()))
            .collect(),
        columns,
        text: text(),
    };
    let mut g = c.benchmark_group("charts");
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        let ext = format.extension();
        g.bench_function(format!("distribution of {first} totals ({ext})"), |b| {
            b.iter(|| black_box(render(&distribution, format)))
        });
        g.bench_function(format!("areas of one unit ({ext})"), |b| {
            b.iter(|| black_box(render(&areas, format)))
        });
        g.bench_function(format!("heatmap of 50 units ({ext})"), |b| {
            b.iter(|| black_box(render(&heatmap, format)))
        });
    }
    g.finish();
}

/// The dashboard page served over HTTP by the real server on `db`, as the
/// administrator sees it, each time with its view not cached (a write
/// transaction makes every kept view stale): the time of each request and
/// the size of the page's HTML.
async fn served_page(db: &Db) -> (Vec<Duration>, usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = zi::config::Settings::defaults();
    settings.bind = "127.0.0.1:0".parse().expect("address");
    settings.data_dir = dir.path().to_owned();
    let application = zi::startup::Application::with_database(&settings, db.clone())
        .await
        .expect("the server starts");
    let base = format!("http://127.0.0.1:{}", application.port());
    let server = tokio::spawn(async move { application.run_until_stopped().await });
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login = http
        .post(format!("{base}/api/login"))
        .form(&[("identifier", "admin"), ("password", "zi-demo-2026")])
        .send()
        .await
        .expect("login");
    assert!(login.status().is_success(), "login: {}", login.status());
    let mut times = Vec::new();
    let mut html = 0;
    for _ in 0..5 {
        drop(db::begin_write(db).await.expect("a write transaction"));
        let started = Instant::now();
        let page = http
            .get(format!("{base}/dashboard"))
            .send()
            .await
            .expect("GET /dashboard");
        assert!(
            page.status().is_success(),
            "GET /dashboard: {}",
            page.status()
        );
        html = page.text().await.expect("the page").len();
        times.push(started.elapsed());
    }
    server.abort();
    (times, html)
}

/// The administrator of an already seeded database.
async fn seeded_user(db: &Db) -> SessionUser {
    let admin: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(db)
        .await
        .expect("admin");
    db::users::session_user(db, &app::domain::account::UserId::new(admin))
        .await
        .expect("query")
        .expect("admin session")
}

criterion_group!(benches, bench);
criterion_main!(benches);
