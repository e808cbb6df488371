use leptos::prelude::*;

use crate::domain::lke::GateSet;
use crate::error::AppError;
use crate::model::RubricSummary;

#[server(endpoint = "rubrics/list")]
pub async fn list_rubrics() -> Result<Vec<RubricSummary>, AppError> {
    use crate::domain::policy::Action;
    use crate::server::{auth, db, request};
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    Ok(db::rubrics::list(&state.db).await?)
}

#[server(endpoint = "rubrics/gates")]
pub async fn get_gates(key: String) -> Result<GateSet, AppError> {
    use crate::domain::policy::Action;
    use crate::server::{auth, db, request};
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let (_, gates) = db::rubrics::get(&state.db, &key)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(gates)
}

/// Replaces the thresholds of a version's WBK and WBBM gates (points, or
/// percent of the weight for per-area rules); `3,5` and `3.5` both read as 3.5.
#[server(endpoint = "rubrics/gates/update")]
pub async fn update_gates(
    key: String,
    wbk: Vec<String>,
    wbbm: Vec<String>,
) -> Result<(), AppError> {
    use crate::domain::lke::parse_decimal;
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};
    use crate::server::db::{audit, rubrics};
    use crate::server::{auth, request};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let parse = |raw: &[String]| -> Result<Vec<f64>, AppError> {
        raw.iter()
            .map(|v| {
                parse_decimal(v).map_err(|_| AppError::field(Field::Threshold, Problem::Number))
            })
            .collect()
    };
    let (wbk, wbbm) = (parse(&wbk)?, parse(&wbbm)?);
    let (_, before) = rubrics::get(&state.db, &key)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = before
        .with_thresholds(&wbk, &wbbm)
        .map_err(|_| AppError::field(Field::Threshold, Problem::Number))?;
    let mut tx = state.db.begin().await?;
    rubrics::set_gates(&mut tx, &key, &after)
        .await
        .map_err(|err| {
            tracing::error!(%err, "storing gates failed");
            AppError::Internal
        })?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "rubric.gates",
            entity: "rubric_version",
            entity_id: &key,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
