//! The pure domain: no IO, no framework, compiled for the server and for wasm.

pub mod account;
pub mod lke;
pub mod policy;
pub mod role;
pub mod unit;
