use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

use super::{get_bool, is_unique_violation, new_id, now_ms, Db};
use crate::domain::account::{Email, FullName, LoginIdentifier, UserId, Username};
use crate::domain::policy::Actor;
use crate::domain::role::{Grant, Role};
use crate::domain::unit::UnitId;
use crate::model::{GrantView, SessionUser, UserSummary};

#[derive(Debug, thiserror::Error)]
pub enum UserWriteError {
    #[error("username already in use")]
    UsernameTaken,
    #[error("e-mail already in use")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    pub active: bool,
}

pub async fn find_credentials(
    db: &Db,
    identifier: &LoginIdentifier,
) -> Result<Option<Credentials>, sqlx::Error> {
    let column = match identifier {
        LoginIdentifier::Username(_) => "username",
        LoginIdentifier::Email(_) => "email",
    };
    let row = sqlx::query(&format!(
        "SELECT id, password_hash, active FROM users WHERE {column} = $1"
    ))
    .bind(identifier.as_str())
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(Credentials {
            id: UserId::new(row.try_get::<String, _>("id")?),
            password_hash: row.try_get("password_hash")?,
            active: get_bool(&row, "active")?,
        })
    })
    .transpose()
}

pub async fn password_hash(db: &Db, id: &UserId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(db)
        .await
}

/// The signed-in view of an active user; `None` for an unknown or deactivated one.
pub async fn session_user(db: &Db, id: &UserId) -> Result<Option<SessionUser>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let row = sqlx::query("SELECT username, full_name, active FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    if !get_bool(&row, "active")? {
        return Ok(None);
    }
    let views: Vec<GrantView> = grants_of(&mut conn, Some(id))
        .await?
        .into_iter()
        .map(|(_, grant)| grant)
        .collect();
    let grants = views
        .iter()
        .map(|grant| Grant {
            role: grant.role,
            unit: grant.unit.clone(),
        })
        .collect();
    Ok(Some(SessionUser {
        actor: Actor {
            user_id: id.clone(),
            grants,
        },
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        grants: views,
    }))
}

fn grant_from_row(row: &AnyRow) -> Result<(UserId, GrantView), sqlx::Error> {
    let role: String = row.try_get("role")?;
    let role = role
        .parse::<Role>()
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok((
        UserId::new(row.try_get::<String, _>("user_id")?),
        GrantView {
            id: row.try_get("id")?,
            role,
            unit: row
                .try_get::<Option<String>, _>("unit_id")?
                .map(UnitId::new),
            unit_name: row.try_get("unit_name")?,
        },
    ))
}

async fn grants_of(
    conn: &mut AnyConnection,
    user: Option<&UserId>,
) -> Result<Vec<(UserId, GrantView)>, sqlx::Error> {
    let sql = "SELECT r.id, r.user_id, r.role, r.unit_id, u.name AS unit_name \
               FROM user_roles r LEFT JOIN units u ON u.id = r.unit_id";
    let rows = match user {
        Some(user) => {
            sqlx::query(&format!(
                "{sql} WHERE r.user_id = $1 ORDER BY r.role, u.name"
            ))
            .bind(user.as_str())
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(&format!("{sql} ORDER BY r.role, u.name"))
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter().map(grant_from_row).collect()
}

pub async fn list(db: &Db) -> Result<Vec<UserSummary>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let mut grants: HashMap<UserId, Vec<GrantView>> = HashMap::new();
    for (user, grant) in grants_of(&mut conn, None).await? {
        grants.entry(user).or_default().push(grant);
    }
    let rows = sqlx::query(
        "SELECT id, username, email, full_name, active, \
             (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = users.id) AS two_factor \
             FROM users ORDER BY username",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id = UserId::new(row.try_get::<String, _>("id")?);
            Ok(UserSummary {
                grants: grants.remove(&id).unwrap_or_default(),
                id,
                username: row.try_get("username")?,
                email: row.try_get("email")?,
                full_name: row.try_get("full_name")?,
                active: get_bool(row, "active")?,
                two_factor: get_bool(row, "two_factor")?,
            })
        })
        .collect()
}

pub async fn get(
    conn: &mut AnyConnection,
    id: &UserId,
) -> Result<Option<UserSummary>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, username, email, full_name, active, \
         (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = users.id) AS two_factor \
         FROM users WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let grants = grants_of(conn, Some(id))
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    Ok(Some(UserSummary {
        id: id.clone(),
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        full_name: row.try_get("full_name")?,
        active: get_bool(&row, "active")?,
        two_factor: get_bool(&row, "two_factor")?,
        grants,
    }))
}

pub struct NewUser {
    pub username: Username,
    pub email: Option<Email>,
    pub full_name: FullName,
    pub password_hash: String,
}

pub async fn create(conn: &mut AnyConnection, user: &NewUser) -> Result<UserId, UserWriteError> {
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(user.username.as_str())
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return Err(UserWriteError::UsernameTaken);
    }
    if let Some(email) = &user.email {
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_one(&mut *conn)
            .await?;
        if taken > 0 {
            return Err(UserWriteError::EmailTaken);
        }
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, username, email, full_name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user.username.as_str())
    .bind(user.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(user.full_name.as_str())
    .bind(&user.password_hash)
    .bind(1_i64)
    .bind(now_ms())
    .execute(conn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            UserWriteError::UsernameTaken
        } else {
            UserWriteError::Db(err)
        }
    })?;
    Ok(UserId::new(id))
}

pub async fn set_password_hash(
    conn: &mut AnyConnection,
    id: &UserId,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_active(
    conn: &mut AnyConnection,
    id: &UserId,
    active: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_grant(
    conn: &mut AnyConnection,
    user: &UserId,
    grant: &Grant,
) -> Result<bool, sqlx::Error> {
    let unit = grant.unit.as_ref().map(|u| u.as_str().to_owned());
    let existing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = $2 \
         AND ((unit_id IS NULL AND $3 IS NULL) OR unit_id = $3)",
    )
    .bind(user.as_str())
    .bind(grant.role.as_str())
    .bind(unit.clone())
    .fetch_one(&mut *conn)
    .await?;
    if existing > 0 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO user_roles (id, user_id, role, unit_id) VALUES ($1, $2, $3, $4)")
        .bind(new_id())
        .bind(user.as_str())
        .bind(grant.role.as_str())
        .bind(unit)
        .execute(conn)
        .await?;
    Ok(true)
}

pub async fn remove_grant(
    conn: &mut AnyConnection,
    user: &UserId,
    grant_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM user_roles WHERE id = $1 AND user_id = $2")
        .bind(grant_id)
        .bind(user.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}
