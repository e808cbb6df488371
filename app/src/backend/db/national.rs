//! The national stages of each assessment (`national_stages`): appended,
//! never changed; the final result is also the unit's predicate history.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

use super::periods::decode;
use super::{new_id, now_ms, Db};
use crate::domain::assessment::Target;
use crate::domain::lke::Predicate;
use crate::domain::national::{
    Decree, EvidenceLink, Notes, SanggahOutcome, SelectionOutcome, Stage, StageKind,
};
use crate::domain::period::{Day, Year};
use crate::domain::unit::UnitId;
use crate::model::{PredicateRecord, RecordedStage};

const COLUMNS: &str = "n.seq, n.stage, n.outcome, n.held_on, n.notes, n.window_start, \
    n.window_end, n.links, n.decree, n.recorded_at";

fn day(raw: &str) -> Result<Day, sqlx::Error> {
    decode(raw.parse::<Day>())
}

fn predicate_name(predicate: Predicate) -> &'static str {
    match predicate {
        Predicate::Wbk => Target::Wbk.as_str(),
        Predicate::Wbbm => Target::Wbbm.as_str(),
    }
}

/// The outcome column of a stage: its decision, where it has one.
fn outcome_of(stage: &Stage) -> Option<&'static str> {
    match stage {
        Stage::AdministrativeSelection { outcome, .. } => Some(outcome.as_str()),
        Stage::Sanggah { outcome, .. } => Some(outcome.as_str()),
        Stage::FinalResult { predicate, .. } => Some(predicate.map_or("none", predicate_name)),
        _ => None,
    }
}

fn outcome<T: std::str::FromStr>(row: &AnyRow) -> Result<T, sqlx::Error>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let raw: Option<String> = row.try_get("outcome")?;
    decode(raw.unwrap_or_default().parse::<T>())
}

fn stage_of(row: &AnyRow) -> Result<Stage, sqlx::Error> {
    let kind: StageKind = decode(row.try_get::<String, _>("stage")?.parse())?;
    let on = day(&row.try_get::<String, _>("held_on")?)?;
    let notes = Notes::stored(row.try_get("notes")?);
    Ok(match kind {
        StageKind::AdministrativeSelection => Stage::AdministrativeSelection {
            outcome: outcome::<SelectionOutcome>(row)?,
            on,
            notes,
        },
        StageKind::Sanggah => {
            let start = day(&row
                .try_get::<Option<String>, _>("window_start")?
                .unwrap_or_default())?;
            let end = day(&row
                .try_get::<Option<String>, _>("window_end")?
                .unwrap_or_default())?;
            let links: String = row.try_get("links")?;
            Stage::Sanggah {
                window: crate::domain::national::DayRange { start, end },
                filed_on: on,
                links: links
                    .lines()
                    .map(|l| EvidenceLink::stored(l.to_owned()))
                    .collect(),
                outcome: outcome::<SanggahOutcome>(row)?,
                notes,
            }
        }
        StageKind::DocumentReview => Stage::DocumentReview { on, notes },
        StageKind::Interview => Stage::Interview { on, notes },
        StageKind::FieldVerification => Stage::FieldVerification { on, notes },
        StageKind::Panel => Stage::Panel { on, notes },
        StageKind::FinalResult => {
            let raw: Option<String> = row.try_get("outcome")?;
            let predicate = match raw.as_deref() {
                None | Some("none") => None,
                Some(name) => Some(decode(name.parse::<Target>())?.predicate()),
            };
            Stage::FinalResult {
                predicate,
                decree: Decree::stored(row.try_get("decree")?),
                on,
            }
        }
    })
}

/// An assessment's stages, oldest first.
pub async fn list(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<RecordedStage>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, u.full_name FROM national_stages n \
         LEFT JOIN users u ON u.id = n.recorded_by \
         WHERE n.assessment_id = $1 ORDER BY n.seq"
    ))
    .bind(assessment)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RecordedStage {
                seq: row.try_get("seq")?,
                stage: stage_of(row)?,
                recorded_at: row.try_get("recorded_at")?,
                recorded_by: row.try_get("full_name")?,
            })
        })
        .collect()
}

/// Appends `stage` as the `seq`-th of the assessment. Returns false when that
/// place is taken (someone recorded a stage since the caller read the list).
pub async fn insert(
    conn: &mut AnyConnection,
    assessment: &str,
    seq: i64,
    stage: &Stage,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let (window_start, window_end, links) = match stage {
        Stage::Sanggah { window, links, .. } => (
            Some(window.start.to_string()),
            Some(window.end.to_string()),
            links
                .iter()
                .map(EvidenceLink::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => (None, None, String::new()),
    };
    let decree = match stage {
        Stage::FinalResult { decree, .. } => decree.as_str(),
        _ => "",
    };
    let inserted = sqlx::query(
        "INSERT INTO national_stages (id, assessment_id, seq, stage, outcome, held_on, notes, \
         window_start, window_end, links, decree, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(new_id())
    .bind(assessment)
    .bind(seq)
    .bind(stage.kind().as_str())
    .bind(outcome_of(stage))
    .bind(stage.day().to_string())
    .bind(stage.notes().map_or("", Notes::as_str))
    .bind(window_start)
    .bind(window_end)
    .bind(links)
    .bind(decree)
    .bind(now_ms())
    .bind(by)
    .execute(conn)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(err) if super::is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err),
    }
}

/// The stages of every assessment of a period, oldest first, by assessment.
pub async fn for_period(db: &Db, period: &str) -> Result<HashMap<String, Vec<Stage>>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT n.assessment_id, {COLUMNS} FROM national_stages n \
         JOIN assessments a ON a.id = n.assessment_id \
         WHERE a.period_id = $1 ORDER BY n.assessment_id, n.seq"
    ))
    .bind(period)
    .fetch_all(db)
    .await?;
    let mut out: HashMap<String, Vec<Stage>> = HashMap::new();
    for row in &rows {
        out.entry(row.try_get("assessment_id")?)
            .or_default()
            .push(stage_of(row)?);
    }
    Ok(out)
}

/// A unit's predicate history (its final results), newest decision first.
/// A result without a predicate is a decision not to award the target.
pub async fn predicates_of_unit(
    conn: &mut AnyConnection,
    unit: &UnitId,
) -> Result<Vec<PredicateRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.outcome, n.held_on, n.decree, a.target, p.year FROM national_stages n \
         JOIN assessments a ON a.id = n.assessment_id JOIN periods p ON p.id = a.period_id \
         WHERE a.unit_id = $1 AND n.stage = 'final_result' \
         ORDER BY n.held_on DESC, n.recorded_at DESC",
    )
    .bind(unit.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let target = decode(row.try_get::<String, _>("target")?.parse::<Target>())?;
            let outcome: Option<String> = row.try_get("outcome")?;
            let awarded = match outcome.as_deref() {
                None | Some("none") => None,
                Some(name) => Some(decode(name.parse::<Target>())?.predicate()),
            };
            Ok(PredicateRecord {
                predicate: awarded.unwrap_or(target.predicate()),
                awarded: awarded.is_some(),
                decided_on: day(&row.try_get::<String, _>("held_on")?)?,
                decree: row.try_get("decree")?,
                year: decode(Year::new(row.try_get("year")?))?,
            })
        })
        .collect()
}

/// What the leadership table needs of the national team's decisions.
#[derive(Default)]
pub struct Decisions {
    /// Units that hold WBK (the WBBM precondition).
    pub wbk_units: HashSet<String>,
    /// Assessments whose predicate was awarded.
    pub awarded: HashSet<String>,
}

/// The assessments whose predicate was awarded, and the units holding WBK.
pub async fn decisions(db: &Db) -> Result<Decisions, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.unit_id, n.assessment_id, n.outcome FROM national_stages n \
         JOIN assessments a ON a.id = n.assessment_id \
         WHERE n.stage = 'final_result' AND n.outcome IN ('wbk', 'wbbm')",
    )
    .fetch_all(db)
    .await?;
    let mut out = Decisions::default();
    for row in &rows {
        out.awarded.insert(row.try_get("assessment_id")?);
        if row.try_get::<Option<String>, _>("outcome")?.as_deref() == Some("wbk") {
            out.wbk_units.insert(row.try_get("unit_id")?);
        }
    }
    Ok(out)
}
