//! Server functions: thin, each one authenticates, parses, authorizes (or
//! hands the signed-in user to a backend function that asks the policy), then
//! makes one backend call; never SQL. They are the app's public HTTP API under `/api`.

pub mod assessments;
pub mod auth;
pub mod dashboard;
pub mod eligibility;
pub mod evidence;
pub mod national;
pub mod periods;
pub mod portalrb;
pub mod review;
pub mod rubrics;
pub mod units;
pub mod users;
