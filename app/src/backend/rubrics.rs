//! Rubric versions: the list, their gates, and the two writes (new thresholds,
//! a version read from a workbook), each with its audit line.

use serde_json::json;

use super::db::{audit, rubrics, Db};
use super::lke::rubric_import::{read_rubric, RubricMeta};
use super::lke::{sheet_notes, Limits};
use super::permit::{AdministerPeriods, Permit};
use crate::domain::account::UserId;
use crate::domain::lke::{builtin_gates_90_2021, GateSet};
use crate::error::{AppError, Field, Problem};
use crate::model::{RubricImported, RubricSummary};

pub async fn list(db: &Db, _: &Permit<AdministerPeriods>) -> Result<Vec<RubricSummary>, AppError> {
    Ok(rubrics::list(db).await?)
}

pub async fn gates(db: &Db, _: &Permit<AdministerPeriods>, key: &str) -> Result<GateSet, AppError> {
    let (_, gates) = rubrics::get(&mut *db.acquire().await?, key)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(gates)
}

/// Replaces the thresholds of a version's WBK and WBBM gates, in the gates' order.
pub async fn set_thresholds(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    key: &str,
    wbk: &[f64],
    wbbm: &[f64],
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    let (_, before) = rubrics::get(&mut tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = before
        .with_thresholds(wbk, wbbm)
        .map_err(|_| AppError::field(Field::Threshold, Problem::Number))?;
    rubrics::set_gates(&mut tx, key, &after).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "rubric.gates",
            entity: "rubric_version",
            entity_id: key,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    super::scores::refresh_rubric(&mut tx, key).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads a workbook in the official layout as a new version with the built-in
/// thresholds; all or nothing.
pub async fn import(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    meta: RubricMeta,
    workbook: Vec<u8>,
    limits: Limits,
) -> Result<RubricImported, AppError> {
    let key = meta.key.clone();
    let imported = tokio::task::spawn_blocking(move || read_rubric(&workbook, &meta, &limits))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|err| {
            tracing::info!(%err, "rubric workbook refused");
            AppError::field(Field::File, Problem::Workbook(err.workbook_problem()))
        })?;
    let gates = builtin_gates_90_2021().for_rubric(&key);
    let mut tx = super::db::begin_write(db).await?;
    rubrics::insert(&mut tx, &imported.rubric, &gates, false).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "rubric.import",
            entity: "rubric_version",
            entity_id: &key,
            before: None,
            after: Some(
                json!({ "title": imported.rubric.title(), "problems": imported.problems.len() }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(RubricImported {
        key,
        notes: sheet_notes(&imported.problems),
    })
}
