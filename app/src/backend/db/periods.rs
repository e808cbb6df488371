use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{is_unique_violation, new_id, now_ms, Db};
use crate::domain::period::{Day, PeriodDates, Year};
use crate::model::PeriodView;

/// A period as the other queries need it.
#[derive(Clone, Debug)]
pub struct Period {
    pub id: String,
    pub year: Year,
    pub rubric_key: String,
    pub dates: PeriodDates,
}

#[derive(Debug, thiserror::Error)]
pub enum PeriodWriteError {
    #[error("a period for this year exists")]
    YearTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const COLUMNS: &str =
    "p.id, p.year, p.rubric_key, p.self_start, p.self_end, p.review_start, p.review_end, p.proposal_deadline";

pub fn decode<T, E: std::error::Error + Send + Sync + 'static>(
    value: Result<T, E>,
) -> Result<T, sqlx::Error> {
    value.map_err(|err| sqlx::Error::Decode(Box::new(err)))
}

fn day(row: &AnyRow, column: &str) -> Result<Day, sqlx::Error> {
    decode(row.try_get::<String, _>(column)?.parse::<Day>())
}

/// The five date columns of a period, as any query that selects them returns them.
pub fn dates(row: &AnyRow) -> Result<PeriodDates, sqlx::Error> {
    Ok(PeriodDates {
        self_start: day(row, "self_start")?,
        self_end: day(row, "self_end")?,
        review_start: day(row, "review_start")?,
        review_end: day(row, "review_end")?,
        proposal_deadline: day(row, "proposal_deadline")?,
    })
}

fn from_row(row: &AnyRow) -> Result<Period, sqlx::Error> {
    Ok(Period {
        id: row.try_get("id")?,
        year: decode(Year::new(row.try_get("year")?))?,
        rubric_key: row.try_get("rubric_key")?,
        dates: dates(row)?,
    })
}

pub async fn create(
    conn: &mut AnyConnection,
    year: Year,
    rubric_key: &str,
    dates: &PeriodDates,
) -> Result<String, PeriodWriteError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO periods (id, year, rubric_key, created_at, self_start, self_end, review_start, \
         review_end, proposal_deadline) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(i64::from(year))
    .bind(rubric_key)
    .bind(now_ms())
    .bind(dates.self_start.to_string())
    .bind(dates.self_end.to_string())
    .bind(dates.review_start.to_string())
    .bind(dates.review_end.to_string())
    .bind(dates.proposal_deadline.to_string())
    .execute(conn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            PeriodWriteError::YearTaken
        } else {
            err.into()
        }
    })?;
    Ok(id)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Period>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM periods p WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_year(conn: &mut AnyConnection, year: Year) -> Result<Option<Period>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM periods p WHERE p.year = $1"
    ))
    .bind(i64::from(year))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(db: &Db) -> Result<Vec<PeriodView>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, r.title AS rubric_title, \
         (SELECT COUNT(*) FROM assessments a WHERE a.period_id = p.id) AS assessments \
         FROM periods p JOIN rubric_versions r ON r.key = p.rubric_key ORDER BY p.year DESC"
    ))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let period = from_row(row)?;
            Ok(PeriodView {
                id: period.id,
                year: period.year,
                rubric_key: period.rubric_key,
                rubric_title: row.try_get("rubric_title")?,
                dates: period.dates,
                assessments: row.try_get("assessments")?,
            })
        })
        .collect()
}

pub async fn update_dates(
    conn: &mut AnyConnection,
    id: &str,
    dates: &PeriodDates,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE periods SET self_start = $1, self_end = $2, review_start = $3, review_end = $4, \
         proposal_deadline = $5 WHERE id = $6",
    )
    .bind(dates.self_start.to_string())
    .bind(dates.self_end.to_string())
    .bind(dates.review_start.to_string())
    .bind(dates.review_end.to_string())
    .bind(dates.proposal_deadline.to_string())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The years that have a period.
pub async fn years(conn: &mut AnyConnection) -> Result<Vec<Year>, sqlx::Error> {
    let years: Vec<i64> = sqlx::query_scalar("SELECT year FROM periods ORDER BY year")
        .fetch_all(conn)
        .await?;
    years.into_iter().map(|y| decode(Year::new(y))).collect()
}
