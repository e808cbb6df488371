//! The `zi` server: configuration, telemetry, the HTTP stack around the Leptos
//! app, and the command-line tasks (migrate, users, demo data).

pub mod background;
pub mod cli;
pub mod config;
pub mod demo;
pub mod health;
pub mod layers;
pub mod startup;
pub mod telemetry;
