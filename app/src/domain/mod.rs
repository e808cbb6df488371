//! The pure domain: no IO, no framework, compiled for the server and for wasm.

pub mod account;
pub mod assessment;
pub mod dashboard;
pub mod eligibility;
pub mod evidence;
pub mod lke;
pub mod national;
pub mod period;
pub mod policy;
pub mod portalrb;
pub mod review;
pub mod role;
pub mod sso;
pub mod totp;
pub mod unit;
pub mod versions;
