use sqlx::{AnyConnection, Row};

use super::periods::decode;
use super::{get_bool, new_id, now_ms};
use crate::domain::assessment::Target;
use crate::domain::lke::Predicate;
use crate::domain::period::{Day, Year};
use crate::domain::unit::UnitId;
use crate::model::PredicateRecord;

fn predicate_name(predicate: Predicate) -> &'static str {
    match predicate {
        Predicate::Wbk => Target::Wbk.as_str(),
        Predicate::Wbbm => Target::Wbbm.as_str(),
    }
}

fn parse_predicate(name: &str) -> Result<Predicate, sqlx::Error> {
    decode(name.parse::<Target>()).map(Target::predicate)
}

/// A unit's predicate history, newest decision first.
pub async fn of_unit(
    conn: &mut AnyConnection,
    unit: &UnitId,
) -> Result<Vec<PredicateRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.predicate, d.awarded, d.decided_on, d.decree, p.year FROM predicates d \
         JOIN assessments a ON a.id = d.assessment_id JOIN periods p ON p.id = a.period_id \
         WHERE d.unit_id = $1 ORDER BY d.decided_on DESC, d.recorded_at DESC",
    )
    .bind(unit.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PredicateRecord {
                predicate: parse_predicate(&row.try_get::<String, _>("predicate")?)?,
                awarded: get_bool(row, "awarded")?,
                decided_on: decode(row.try_get::<String, _>("decided_on")?.parse::<Day>())?,
                decree: row.try_get("decree")?,
                year: decode(Year::new(row.try_get("year")?))?,
            })
        })
        .collect()
}

pub struct NewPredicate<'a> {
    pub unit: &'a UnitId,
    pub assessment: &'a str,
    pub predicate: Predicate,
    pub awarded: bool,
    pub decided_on: Day,
    pub decree: &'a str,
    pub by: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewPredicate<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO predicates (id, unit_id, assessment_id, predicate, awarded, decided_on, \
         decree, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(new.unit.as_str())
    .bind(new.assessment)
    .bind(predicate_name(new.predicate))
    .bind(i64::from(new.awarded))
    .bind(new.decided_on.to_string())
    .bind(new.decree)
    .bind(now_ms())
    .bind(new.by)
    .execute(conn)
    .await?;
    Ok(())
}
