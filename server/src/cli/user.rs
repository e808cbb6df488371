//! `zi user create`: the first administrator, or any account, from the shell.

use app::backend::db::{self, Db};
use app::backend::permit::Permit;
use app::backend::users::{self, NewAccount};
use app::domain::account::{Email, FullName, NewPassword, Username};
use app::domain::role::{Grant, Role};
use app::domain::unit::UnitCode;
use std::io::BufRead;

use crate::config::CreateUser;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Invalid(String),
    #[error("no unit with code {0}")]
    UnknownUnit(String),
    #[error("could not read the password from standard input: {0}")]
    Stdin(#[from] std::io::Error),
    #[error("{0}")]
    App(#[from] app::error::AppError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn invalid(what: &str, err: impl std::fmt::Display) -> CliError {
    CliError::Invalid(format!("{what}: {err}"))
}

pub fn read_password(input: impl BufRead) -> Result<String, CliError> {
    let line = input.lines().next().transpose()?.unwrap_or_default();
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn create_user(db: &Db, args: &CreateUser, password: &str) -> Result<String, CliError> {
    let username = Username::parse(&args.username).map_err(|e| invalid("username", e))?;
    let full_name = FullName::parse(args.full_name.as_deref().unwrap_or(&args.username))
        .map_err(|e| invalid("full name", e))?;
    let email = args
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(|e| invalid("e-mail", e))?;
    let password = NewPassword::parse(password, password).map_err(|e| invalid("password", e))?;
    let mut grants = Vec::new();
    if args.admin {
        grants.push(Grant {
            role: Role::Admin,
            unit: None,
        });
    }
    if let Some(role) = &args.role {
        let role: Role = role.parse().map_err(|e| invalid("role", e))?;
        let unit = match &args.unit {
            Some(code) => {
                let parsed = UnitCode::parse(code).map_err(|e| invalid("unit", e))?;
                let found = db::units::find_by_code(db, &parsed)
                    .await?
                    .ok_or_else(|| CliError::UnknownUnit(code.clone()))?;
                Some(found.id)
            }
            None => None,
        };
        grants.push(Grant::new(role, unit).map_err(|e| invalid("role", e))?);
    }
    let account = NewAccount {
        username,
        email,
        full_name,
        password,
        grants,
    };
    let id = users::create(db, &Permit::operator(), account).await?;
    Ok(id.to_string())
}

/// `zi token create`: a named token of a known scope.
pub async fn create_token(
    db: &Db,
    name: &str,
    scope: &str,
) -> Result<app::model::ApiTokenCreated, CliError> {
    use app::domain::portalrb::{TokenName, TokenScope};
    let name = TokenName::parse(name).ok_or_else(|| {
        CliError::Invalid(format!("name: 1 to {} characters", TokenName::MAX_CHARS))
    })?;
    let scope = TokenScope::parse(scope).ok_or_else(|| {
        let known: Vec<&str> = TokenScope::ALL.iter().map(|s| s.as_str()).collect();
        CliError::Invalid(format!("scope: one of {}", known.join(", ")))
    })?;
    Ok(app::backend::portalrb::create_token(db, &Permit::operator(), &name, scope).await?)
}
