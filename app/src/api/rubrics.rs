use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::domain::lke::GateSet;
use crate::error::AppError;
use crate::model::{RubricImported, RubricSummary};

#[server(endpoint = "rubrics/list")]
pub async fn list_rubrics() -> Result<Vec<RubricSummary>, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    Ok(db::rubrics::list(&state.db).await?)
}

#[server(endpoint = "rubrics/gates")]
pub async fn get_gates(key: String) -> Result<GateSet, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let (_, gates) = db::rubrics::get(&mut *state.db.acquire().await?, &key)
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
    use crate::backend::db::{audit, rubrics};
    use crate::backend::{auth, request};
    use crate::domain::lke::parse_decimal;
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

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
    let (_, before) = rubrics::get(&mut *state.db.acquire().await?, &key)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = before
        .with_thresholds(&wbk, &wbbm)
        .map_err(|_| AppError::field(Field::Threshold, Problem::Number))?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    rubrics::set_gates(&mut tx, &key, &after).await?;
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

/// Reads an uploaded workbook in the official layout as a new rubric version
/// (structure, weights, texts, answer types), with the built-in thresholds;
/// all or nothing. Plain multipart form post without JavaScript.
#[server(input = MultipartFormData, endpoint = "rubrics/import")]
pub async fn import_rubric(data: MultipartData) -> Result<RubricImported, AppError> {
    use crate::backend::db::{audit, rubrics};
    use crate::backend::lke::rubric_import::{read_rubric, RubricMeta};
    use crate::backend::lke::{sheet_notes, Limits};
    use crate::backend::{auth, request, upload};
    use crate::domain::lke::{builtin_gates_90_2021, YearRange};
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let limits = Limits::default();
    let max_file = usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX);
    let form = upload::read_form(data, "file", max_file, async |_| Ok(())).await?;
    let text = |name: &str, field: Field| -> Result<String, AppError> {
        let value = form.fields.get(name).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            Err(AppError::field(field, Problem::Required))
        } else {
            Ok(value.to_owned())
        }
    };
    let key = text("key", Field::Key)?;
    let key_ok = (3..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !key_ok {
        return Err(AppError::field(Field::Key, Problem::BadKey));
    }
    let meta = RubricMeta {
        key: key.clone(),
        title: text("title", Field::Title)?,
        legal_basis: text("legal_basis", Field::Title)?,
        years: YearRange {
            from: text("from_year", Field::Year)?
                .parse::<u16>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or(AppError::field(Field::Year, Problem::Number))?,
            to: None,
        },
    };
    let bytes = form
        .file
        .ok_or(AppError::field(Field::File, Problem::Required))?;
    let imported = tokio::task::spawn_blocking(move || read_rubric(&bytes, &meta, &limits))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|err| {
            tracing::info!(%err, "rubric workbook refused");
            AppError::field(Field::File, Problem::Workbook(err.workbook_problem()))
        })?;
    let gates = builtin_gates_90_2021().for_rubric(&key);
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    rubrics::insert(&mut tx, &imported.rubric, &gates, false).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "rubric.import",
            entity: "rubric_version",
            entity_id: &key,
            before: None,
            after: Some(serde_json::json!({ "title": imported.rubric.title(), "problems": imported.problems.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(RubricImported {
        key,
        notes: sheet_notes(&imported.problems),
    })
}
