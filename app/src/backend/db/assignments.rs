use sqlx::{AnyConnection, Row};

use super::{get_bool, now_ms};
use crate::domain::account::UserId;
use crate::domain::dashboard::TeamSeat;
use crate::domain::review::Assignment;
use crate::model::TeamMember;

pub async fn team(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<TeamMember>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.user_id, a.lead, u.username, u.full_name FROM assignments a \
         JOIN users u ON u.id = a.user_id WHERE a.assessment_id = $1 \
         ORDER BY a.lead DESC, u.full_name",
    )
    .bind(assessment)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TeamMember {
                user_id: UserId::new(row.try_get::<String, _>("user_id")?),
                username: row.try_get("username")?,
                full_name: row.try_get("full_name")?,
                lead: get_bool(row, "lead")?,
            })
        })
        .collect()
}

/// Every seat on the review teams of a period's assessments.
pub async fn for_period(db: &super::Db, period: &str) -> Result<Vec<TeamSeat>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.assessment_id, a.user_id, u.full_name FROM assignments a \
         JOIN users u ON u.id = a.user_id JOIN assessments s ON s.id = a.assessment_id \
         WHERE s.period_id = $1",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TeamSeat {
                assessment_id: row.try_get("assessment_id")?,
                user_id: row.try_get("user_id")?,
                name: row.try_get("full_name")?,
            })
        })
        .collect()
}

/// The caller's place on a team, from the team list.
pub fn place_of(team: &[TeamMember], user: &UserId) -> Option<Assignment> {
    team.iter()
        .find(|member| &member.user_id == user)
        .map(|member| Assignment { lead: member.lead })
}

/// Puts an evaluator on the team (or changes their lead flag). A new lead
/// replaces the old one: a team has at most one.
pub async fn assign(
    conn: &mut AnyConnection,
    assessment: &str,
    user: &UserId,
    lead: bool,
) -> Result<(), sqlx::Error> {
    if lead {
        sqlx::query("UPDATE assignments SET lead = 0 WHERE assessment_id = $1")
            .bind(assessment)
            .execute(&mut *conn)
            .await?;
    }
    let updated =
        sqlx::query("UPDATE assignments SET lead = $1 WHERE assessment_id = $2 AND user_id = $3")
            .bind(i64::from(lead))
            .bind(assessment)
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO assignments (assessment_id, user_id, lead, assigned_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(assessment)
        .bind(user.as_str())
        .bind(i64::from(lead))
        .bind(now_ms())
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Takes an evaluator off the team; false when they were not on it.
pub async fn unassign(
    conn: &mut AnyConnection,
    assessment: &str,
    user: &UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM assignments WHERE assessment_id = $1 AND user_id = $2")
        .bind(assessment)
        .bind(user.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The assessments an evaluator is assigned to, with their lead flag.
pub async fn of_user(
    conn: &mut AnyConnection,
    user: &UserId,
) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows = sqlx::query("SELECT assessment_id, lead FROM assignments WHERE user_id = $1")
        .bind(user.as_str())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("assessment_id")?, get_bool(row, "lead")?)))
        .collect()
}
