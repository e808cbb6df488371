//! HTTP integration tests: the real server on a random port, over a fresh
//! SQLite file and a fresh PostgreSQL database per test (`db_test!` makes both).
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); when it is unreachable the
//! PostgreSQL variants are skipped with a notice, or fail when `CI=true`.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod helpers;

mod answer_versions;
mod assessments;
mod auth;
mod authorization;
mod backup;
mod bad_input;
mod concurrency;
mod dashboard;
mod eligibility;
mod evidence_s3;
mod faults;
mod health;
mod lke_2026;
mod national;
mod nodes;
mod oidc;
mod pages;
mod portalrb;
mod review;
mod rubrics;
mod security;
mod stored_scores;
mod totp;
mod units;
mod users;
