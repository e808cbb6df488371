use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::domain::lke::GateSet;
use crate::error::AppError;
use crate::model::{RubricImported, RubricSummary};

#[server(endpoint = "rubrics/list")]
pub async fn list_rubrics() -> Result<Vec<RubricSummary>, AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, request, rubrics};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    rubrics::list(&state.db, &permit).await
}

#[server(endpoint = "rubrics/gates")]
pub async fn get_gates(key: String) -> Result<GateSet, AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, request, rubrics};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    rubrics::gates(&state.db, &permit, &key).await
}

/// Replaces the thresholds of a version's WBK and WBBM gates (points, or
/// percent of the weight for per-area rules); `3,5` and `3.5` both read as 3.5.
#[server(endpoint = "rubrics/gates/update")]
pub async fn update_gates(
    key: String,
    wbk: Vec<String>,
    wbbm: Vec<String>,
) -> Result<(), AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, request, rubrics};
    use crate::domain::lke::parse_decimal;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    let parse = |raw: &[String]| -> Result<Vec<f64>, AppError> {
        raw.iter()
            .map(|v| {
                parse_decimal(v).map_err(|_| AppError::field(Field::Threshold, Problem::Number))
            })
            .collect()
    };
    let (wbk, wbbm) = (parse(&wbk)?, parse(&wbbm)?);
    rubrics::set_thresholds(&state.db, &permit, &key, &wbk, &wbbm).await
}

/// Reads an uploaded workbook in the official layout as a new rubric version
/// (structure, weights, texts, answer types), with the built-in thresholds;
/// all or nothing. Plain multipart form post without JavaScript.
#[server(input = MultipartFormData, endpoint = "rubrics/import")]
pub async fn import_rubric(data: MultipartData) -> Result<RubricImported, AppError> {
    use crate::backend::lke::rubric_import::RubricMeta;
    use crate::backend::lke::Limits;
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, request, rubrics, upload};
    use crate::domain::lke::YearRange;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
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
        key,
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
    rubrics::import(&state.db, &permit, meta, bytes, limits).await
}
