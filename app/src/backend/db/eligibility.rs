//! The instansi's facts per year (`instansi_facts`) and the eligibility
//! thresholds kept with each rubric version (`rubric_versions.eligibility`).

use sqlx::{AnyConnection, Row};

use super::now_ms;
use super::periods::decode;
use crate::domain::eligibility::{EligibilityThresholds, InstansiFacts, YearFacts};
use crate::domain::period::Year;

/// Every year's facts, newest first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<YearFacts>, sqlx::Error> {
    let rows = sqlx::query("SELECT year, facts FROM instansi_facts ORDER BY year DESC")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(YearFacts {
                year: decode(Year::new(row.try_get("year")?))?,
                facts: decode(serde_json::from_str::<InstansiFacts>(
                    &row.try_get::<String, _>("facts")?,
                ))?,
            })
        })
        .collect()
}

pub async fn get(
    conn: &mut AnyConnection,
    year: Year,
) -> Result<Option<InstansiFacts>, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT facts FROM instansi_facts WHERE year = $1")
            .bind(i64::from(year.value()))
            .fetch_optional(conn)
            .await?;
    found
        .map(|json| decode(serde_json::from_str::<InstansiFacts>(&json)))
        .transpose()
}

/// Inserts or replaces the facts of one year.
pub async fn put(
    conn: &mut AnyConnection,
    year: Year,
    facts: &InstansiFacts,
    by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instansi_facts (year, facts, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (year) DO UPDATE SET facts = $2, updated_at = $3, updated_by = $4",
    )
    .bind(i64::from(year.value()))
    .bind(decode(serde_json::to_string(facts))?)
    .bind(now_ms())
    .bind(by.map(str::to_owned))
    .execute(conn)
    .await?;
    Ok(())
}

/// A rubric version's thresholds (the defaults where none were stored);
/// `None` for an unknown version.
pub async fn thresholds(
    conn: &mut AnyConnection,
    rubric_key: &str,
) -> Result<Option<EligibilityThresholds>, sqlx::Error> {
    let row = sqlx::query("SELECT eligibility FROM rubric_versions WHERE key = $1")
        .bind(rubric_key)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    match row.try_get::<Option<String>, _>("eligibility")? {
        None => Ok(Some(EligibilityThresholds::default())),
        Some(json) => decode(serde_json::from_str(&json)).map(Some),
    }
}

/// Every rubric version's key, title and thresholds, oldest first.
pub async fn all_thresholds(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String, EligibilityThresholds)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT key, title, eligibility FROM rubric_versions ORDER BY created_at")
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|row| {
            let thresholds = match row.try_get::<Option<String>, _>("eligibility")? {
                None => EligibilityThresholds::default(),
                Some(json) => decode(serde_json::from_str(&json))?,
            };
            Ok((row.try_get("key")?, row.try_get("title")?, thresholds))
        })
        .collect()
}

pub async fn set_thresholds(
    conn: &mut AnyConnection,
    rubric_key: &str,
    thresholds: &EligibilityThresholds,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rubric_versions SET eligibility = $1 WHERE key = $2")
        .bind(decode(serde_json::to_string(thresholds))?)
        .bind(rubric_key)
        .execute(conn)
        .await?;
    Ok(())
}
