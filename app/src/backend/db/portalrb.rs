//! What PortalRB did (its calls) and the evidence links handed to it.

use sqlx::{AnyConnection, Row};

use super::periods::decode;
use super::{new_id, now_ms};
use crate::domain::period::Day;
use crate::model::{PortalCall, PortalFetch};

pub struct NewCall<'a> {
    pub token: Option<&'a str>,
    pub endpoint: &'a str,
    pub unit_code: Option<&'a str>,
    pub assessment: Option<&'a str>,
    pub status: u16,
    /// Soal answered by the unit, by the evaluators, and with an evidence link.
    pub counts: Option<[i64; 3]>,
}

pub async fn record_call(conn: &mut AnyConnection, call: &NewCall<'_>) -> Result<(), sqlx::Error> {
    let [unit, tpi, evidence] = call.counts.map_or([None; 3], |c| c.map(Some));
    sqlx::query(
        "INSERT INTO portalrb_calls (id, at, token_id, endpoint, unit_code, assessment_id, status, \
         answered_unit, answered_tpi, with_evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(call.token.map(str::to_owned))
    .bind(call.endpoint)
    .bind(call.unit_code.map(str::to_owned))
    .bind(call.assessment.map(str::to_owned))
    .bind(i64::from(call.status))
    .bind(unit)
    .bind(tpi)
    .bind(evidence)
    .execute(conn)
    .await?;
    Ok(())
}

/// Calls made with a token since `since` (ms), for its rate limit.
pub async fn calls_since(
    conn: &mut AnyConnection,
    token: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM portalrb_calls WHERE token_id = $1 AND at >= $2")
        .bind(token)
        .bind(since)
        .fetch_one(conn)
        .await
}

/// The last successful fetch of an assessment's answers.
pub async fn last_fetch(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Option<PortalFetch>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT at, status, answered_unit, answered_tpi, with_evidence FROM portalrb_calls \
         WHERE assessment_id = $1 AND answered_unit IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(assessment)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(PortalFetch {
            at: row.try_get("at")?,
            status: u16::try_from(row.try_get::<i64, _>("status")?).unwrap_or(0),
            answered_unit: row.try_get("answered_unit")?,
            answered_tpi: row.try_get("answered_tpi")?,
            with_evidence: row.try_get("with_evidence")?,
        })
    })
    .transpose()
}

pub async fn recent_calls(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<PortalCall>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.at, t.name, c.endpoint, c.unit_code, c.status FROM portalrb_calls c \
         LEFT JOIN api_tokens t ON t.id = c.token_id ORDER BY c.at DESC, c.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PortalCall {
                at: row.try_get("at")?,
                token_name: row.try_get("name")?,
                endpoint: row.try_get("endpoint")?,
                unit_code: row.try_get("unit_code")?,
                status: u16::try_from(row.try_get::<i64, _>("status")?).unwrap_or(0),
            })
        })
        .collect()
}

/// An evidence link that has not been revoked.
pub struct Share {
    pub id: String,
    pub assessment: String,
    pub secret: String,
    pub valid_until: Day,
}

fn share_of(row: &sqlx::any::AnyRow) -> Result<Share, sqlx::Error> {
    Ok(Share {
        id: row.try_get("id")?,
        assessment: row.try_get("assessment_id")?,
        secret: row.try_get("secret")?,
        valid_until: decode(row.try_get::<String, _>("valid_until")?.parse::<Day>())?,
    })
}

const SHARE_COLUMNS: &str = "id, assessment_id, secret, valid_until";

pub async fn live_share(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Option<Share>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {SHARE_COLUMNS} FROM evidence_shares \
         WHERE assessment_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(assessment)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(share_of).transpose()
}

pub async fn share_by_secret(
    conn: &mut AnyConnection,
    secret: &str,
) -> Result<Option<Share>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {SHARE_COLUMNS} FROM evidence_shares WHERE secret = $1 AND revoked_at IS NULL"
    ))
    .bind(secret)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(share_of).transpose()
}

pub async fn insert_share(
    conn: &mut AnyConnection,
    assessment: &str,
    secret: &str,
    valid_until: Day,
) -> Result<Share, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO evidence_shares (id, assessment_id, secret, valid_until, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(assessment)
    .bind(secret)
    .bind(valid_until.to_string())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(Share {
        id,
        assessment: assessment.to_owned(),
        secret: secret.to_owned(),
        valid_until,
    })
}

/// Revokes every live link of an assessment; how many there were.
pub async fn revoke_shares(
    conn: &mut AnyConnection,
    assessment: &str,
    by: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE evidence_shares SET revoked_at = $1, revoked_by = $2 \
         WHERE assessment_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(by.map(str::to_owned))
    .bind(assessment)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
