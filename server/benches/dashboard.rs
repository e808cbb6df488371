//! The leadership dashboard over 1,000 complete units (target: < 150 ms
//! server time, on SQLite and on PostgreSQL), and each chart (target: < 20 ms).
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); it is skipped when unreachable.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;

use app::backend::charts::{render, ChartText, Distribution, Heatmap, ImageFormat, ShareBars};
use app::backend::dashboard::{load, DashboardQuery};
use app::backend::db::{self, Db};
use app::domain::dashboard::Filter;
use app::domain::dashboard::HEATMAP_ROWS;
use app::model::SessionUser;
use criterion::{criterion_group, criterion_main, Criterion};
use sqlx::Connection;

const UNITS: usize = 1_000;

async fn seeded(db: &Db) -> SessionUser {
    db::migrate(db).await.expect("migrations");
    db::rubrics::ensure_builtin(db)
        .await
        .expect("the built-in rubric");
    let year = i64::from(time::OffsetDateTime::now_utc().year());
    zi::demo::seed(db, year).await.expect("demo data");
    zi::demo::seed_load(db, year, UNITS, true)
        .await
        .expect("load data");
    let admin: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(db)
        .await
        .expect("admin");
    db::users::session_user(db, &app::domain::account::UserId::new(admin))
        .await
        .expect("query")
        .expect("admin session")
}

fn query() -> DashboardQuery {
    DashboardQuery {
        period: None,
        subtree: None,
        filter: Filter::default(),
    }
}

async fn postgres() -> Option<Db> {
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&url).await.ok()?;
    let name = "zi_bench_dashboard";
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

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = runtime
        .block_on(db::connect(
            &format!("sqlite://{}/bench.db", dir.path().display()),
            5,
        ))
        .expect("sqlite");
    let user = runtime.block_on(seeded(&sqlite));
    let view = runtime
        .block_on(load(&sqlite, &user, query()))
        .expect("dashboard");
    assert!(view.rows.len() > UNITS, "the load data is there");

    let mut g = c.benchmark_group("dashboard");
    g.sample_size(20);
    g.bench_function("1,000 units, SQLite", |b| {
        b.iter(|| {
            black_box(
                runtime
                    .block_on(load(&sqlite, &user, query()))
                    .expect("load"),
            )
        })
    });
    if let Some(pg) = runtime.block_on(postgres()) {
        let user = runtime.block_on(seeded(&pg));
        g.bench_function("1,000 units, PostgreSQL", |b| {
            b.iter(|| black_box(runtime.block_on(load(&pg, &user, query())).expect("load")))
        });
    } else {
        eprintln!("PostgreSQL unreachable: its dashboard benchmark is skipped");
    }
    g.finish();

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
        g.bench_function(format!("distribution of 1,000 totals ({ext})"), |b| {
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

criterion_group!(benches, bench);
criterion_main!(benches);
