//! The `zi` server: configuration, telemetry, the HTTP stack around the Leptos
//! app, and the command-line tasks (migrate, users, demo data).

pub mod cli;
pub mod config;
pub mod demo;
pub mod documents;
pub mod evidence;
pub mod layers;
pub mod routes;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod zip_export;
