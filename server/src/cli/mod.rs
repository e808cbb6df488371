//! The `zi` subcommands other than `serve`.

pub mod backup;
pub mod lke;
pub mod user;

pub use user::{create_token, create_user, read_password, CliError};
