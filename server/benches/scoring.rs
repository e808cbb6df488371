//! Scoring 10,000 complete assessments (target: < 1 s on one core).

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;

use app::domain::lke::{
    builtin_90_2021_ref, score, AnswerType, Answers, InputKind, InputValue, PercentFormula,
    SurveyIndex,
};
use criterion::{criterion_group, criterion_main, Criterion};

/// Deterministic pseudo-random complete assessments.
fn assessments(n: usize) -> Vec<Answers> {
    let r = builtin_90_2021_ref();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    (0..n)
        .map(|_| {
            let mut a = Answers::new();
            for q in r.questions() {
                let opts = q.answer_type.options();
                if !opts.is_empty() {
                    a.set_choice(r, q.code, Some(opts[next(opts.len())]))
                        .unwrap();
                }
                for i in q
                    .inputs
                    .iter()
                    .filter(|i| matches!(i.kind, InputKind::Entered))
                {
                    let v = 1 + next(20);
                    a.set_input(r, i.code, InputValue::new(v as f64).ok())
                        .unwrap();
                }
                if let AnswerType::Percent(PercentFormula::Decrease { previous, .. }) =
                    &q.answer_type
                {
                    a.set_input(r, *previous, InputValue::new(25.0).ok())
                        .unwrap();
                }
            }
            a.set_ipak(SurveyIndex::new(next(401) as f64 / 100.0).ok());
            a.set_ipkp(SurveyIndex::new(next(401) as f64 / 100.0).ok());
            let grades = AnswerType::Abcde.options();
            a.set_capaian(Some(grades[next(5)])).unwrap();
            a
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let r = builtin_90_2021_ref();
    let all = assessments(10_000);
    assert!(all
        .iter()
        .all(|a| score(r, a).total.completeness.answered == 113));
    let mut g = c.benchmark_group("scoring");
    g.sample_size(10);
    g.bench_function("score 10k complete assessments", |b| {
        b.iter(|| {
            for a in &all {
                black_box(score(r, black_box(a)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
