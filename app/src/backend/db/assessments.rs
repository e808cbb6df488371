use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::periods::{dates, decode};
use super::{is_unique_violation, new_id, now_ms, Db};
use crate::domain::assessment::Target;
use crate::domain::lke::AssessmentState;
use crate::domain::period::{Day, PeriodDates, Year};
use crate::domain::review::FinalVerdict;
use crate::domain::unit::UnitId;
use crate::model::AssessmentSummary;

/// An assessment with its period, as the server functions work with it.
#[derive(Clone, Debug)]
pub struct Assessment {
    pub summary: AssessmentSummary,
    pub period_id: String,
    pub rubric_key: String,
    pub dates: PeriodDates,
    pub self_end_extended: Option<Day>,
    pub returned_at: Option<i64>,
    pub return_summary: String,
    pub final_verdict: Option<FinalVerdict>,
    /// Proposed in PortalRB's "WBK-AFIRMASI" category.
    pub afirmasi: bool,
}

impl Assessment {
    pub fn id(&self) -> &str {
        &self.summary.id
    }

    pub fn state(&self) -> AssessmentState {
        self.summary.state
    }

    /// The close of the self-assessment window for this unit.
    pub fn self_end(&self) -> Day {
        self.self_end_extended
            .map_or(self.dates.self_end, |extended| {
                extended.max(self.dates.self_end)
            })
    }
}

const SELECT: &str = "SELECT a.id, a.unit_id, u.code AS unit_code, u.name AS unit_name, a.target, \
    a.state, a.period_id, a.self_end_extended, a.returned_at, a.return_summary, a.final_verdict, a.afirmasi, p.year, p.rubric_key, p.self_start, p.self_end, \
    p.review_start, p.review_end, p.proposal_deadline \
    FROM assessments a JOIN units u ON u.id = a.unit_id JOIN periods p ON p.id = a.period_id";

fn parse_state(name: &str) -> Result<AssessmentState, sqlx::Error> {
    decode(name.parse::<AssessmentState>())
}

fn from_row(row: &AnyRow) -> Result<Assessment, sqlx::Error> {
    Ok(Assessment {
        summary: AssessmentSummary {
            id: row.try_get("id")?,
            unit_id: UnitId::new(row.try_get::<String, _>("unit_id")?),
            unit_code: row.try_get("unit_code")?,
            unit_name: row.try_get("unit_name")?,
            year: decode(Year::new(row.try_get("year")?))?,
            target: decode(row.try_get::<String, _>("target")?.parse::<Target>())?,
            state: parse_state(&row.try_get::<String, _>("state")?)?,
        },
        period_id: row.try_get("period_id")?,
        rubric_key: row.try_get("rubric_key")?,
        dates: dates(row)?,
        self_end_extended: row
            .try_get::<Option<String>, _>("self_end_extended")?
            .map(|s| decode(s.parse::<Day>()))
            .transpose()?,
        returned_at: row.try_get("returned_at")?,
        return_summary: row.try_get("return_summary")?,
        final_verdict: row
            .try_get::<Option<String>, _>("final_verdict")?
            .map(|json| decode(serde_json::from_str::<FinalVerdict>(&json)))
            .transpose()?,
        afirmasi: super::get_bool(row, "afirmasi")?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum AssessmentWriteError {
    #[error("this unit already has an assessment in the period")]
    Exists,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates a draft assessment; a second one for the same unit and period is refused.
pub async fn create(
    conn: &mut AnyConnection,
    period_id: &str,
    unit: &UnitId,
    target: Target,
) -> Result<String, AssessmentWriteError> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO assessments (id, unit_id, period_id, target, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(unit.as_str())
    .bind(period_id)
    .bind(target.as_str())
    .bind(AssessmentState::Draft.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            AssessmentWriteError::Exists
        } else {
            err.into()
        }
    })?;
    Ok(id)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Assessment>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list_for_period(
    conn: &mut AnyConnection,
    period_id: &str,
) -> Result<Vec<AssessmentSummary>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE a.period_id = $1 ORDER BY u.code"))
        .bind(period_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| from_row(row).map(|a| a.summary))
        .collect()
}

/// The assessments of a year proposed to the national team for `target`
/// (those with its result too), by unit code.
pub async fn list_proposed(
    conn: &mut AnyConnection,
    year: Year,
    target: Target,
) -> Result<Vec<Assessment>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE p.year = $1 AND a.target = $2 AND a.state IN ($3, $4, $5) ORDER BY u.code"
    ))
    .bind(i64::from(year.value()))
    .bind(target.as_str())
    .bind(AssessmentState::Proposed.as_str())
    .bind(AssessmentState::Awarded.as_str())
    .bind(AssessmentState::NotAwarded.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The assessments of some units, newest period first.
pub async fn list_for_units(db: &Db, units: &[UnitId]) -> Result<Vec<Assessment>, sqlx::Error> {
    let mut out = Vec::new();
    for unit in units {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE a.unit_id = $1 ORDER BY p.year DESC"
        ))
        .bind(unit.as_str())
        .fetch_all(db)
        .await?;
        for row in &rows {
            out.push(from_row(row)?);
        }
    }
    Ok(out)
}

pub async fn set_state(
    conn: &mut AnyConnection,
    id: &str,
    state: AssessmentState,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state.as_str())
        .bind(now_ms())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sends the assessment back to the unit, keeping when and why.
pub async fn record_return(
    conn: &mut AnyConnection,
    id: &str,
    summary: &str,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "UPDATE assessments SET state = $1, returned_at = $2, return_summary = $3, \
         updated_at = $2 WHERE id = $4",
    )
    .bind(AssessmentState::Returned.as_str())
    .bind(now)
    .bind(summary)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finalizes the assessment with the verdict of the evaluators' lane.
pub async fn record_final(
    conn: &mut AnyConnection,
    id: &str,
    verdict: &FinalVerdict,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "UPDATE assessments SET state = $1, finalized_at = $2, final_verdict = $3, \
         updated_at = $2 WHERE id = $4",
    )
    .bind(AssessmentState::Finalized.as_str())
    .bind(now)
    .bind(decode(serde_json::to_string(verdict))?)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The assessments with these ids, in unit order.
pub async fn list_by_ids(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<Assessment>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(found) = get(&mut *conn, id).await? {
            out.push(found);
        }
    }
    out.sort_by(|a, b| a.summary.unit_code.cmp(&b.summary.unit_code));
    Ok(out)
}

pub async fn extend(conn: &mut AnyConnection, id: &str, until: Day) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET self_end_extended = $1, updated_at = $2 WHERE id = $3")
        .bind(until.to_string())
        .bind(now_ms())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts a proposal in (or out of) PortalRB's afirmasi category.
pub async fn set_afirmasi(
    conn: &mut AnyConnection,
    id: &str,
    afirmasi: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET afirmasi = $1 WHERE id = $2")
        .bind(i64::from(afirmasi))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks the assessment row for the rest of the transaction (PostgreSQL; SQLite
/// serialises writers anyway), so a state change and an answer cannot interleave.
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
