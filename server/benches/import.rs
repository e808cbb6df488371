//! Importing the reference workbook (target: < 50 ms).

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;

use app::backend::lke::{read_answers, Limits};
use app::domain::lke::builtin_90_2021_ref;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    ))
    .expect("fixture");
    let r = builtin_90_2021_ref();
    let limits = Limits::default();
    let mut g = c.benchmark_group("import");
    g.sample_size(30);
    g.bench_function("read_answers(reference workbook)", |b| {
        b.iter(|| black_box(read_answers(black_box(&bytes), r, &limits).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
