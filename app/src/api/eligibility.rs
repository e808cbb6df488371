//! The instansi's eligibility: its facts per year and the thresholds of each
//! rubric version (administrators), and the checklist of a proposal.

// The facts form posts its eight inputs as the server function's arguments;
// the browser build's generated caller repeats them, beyond an item-level allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use std::collections::BTreeMap;

use crate::domain::eligibility::Checklist;
use crate::error::AppError;
use crate::model::EligibilityAdmin;

#[server(endpoint = "eligibility/view")]
pub async fn load_eligibility() -> Result<EligibilityAdmin, AppError> {
    use crate::backend::permit::AdministerEligibility;
    use crate::backend::{auth, eligibility, request};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerEligibility>(&state.db, &session).await?;
    eligibility::overview(&state.db, &permit).await
}

/// Records the facts of one evaluation year: BPK opinion (`WTP`, `WDP`,
/// `TW`, `TMP`), SAKIP and RB index grades (`AA` … `D`), SPIP level (1–5),
/// audit follow-up (0–100, `87,45` or `87.45`), survey reports (`yes`/`no`)
/// and a note; an empty field is "not recorded".
#[server(endpoint = "eligibility/facts/save")]
pub async fn save_facts(
    year: String,
    #[server(default)] bpk: String,
    #[server(default)] sakip: String,
    #[server(default)] rb_index: String,
    #[server(default)] spip: String,
    #[server(default)] follow_up: String,
    #[server(default)] surveys: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::backend::permit::AdministerEligibility;
    use crate::backend::{auth, eligibility, request};
    use crate::domain::eligibility::{FactsInput, InstansiFacts};
    use crate::domain::period::Year;
    use crate::error::{Field, Problem};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerEligibility>(&state.db, &session).await?;
    let year = Year::parse(&year).map_err(|_| AppError::field(Field::Year, Problem::Number))?;
    let facts = InstansiFacts::parse(FactsInput {
        bpk: &bpk,
        sakip: &sakip,
        rb_index: &rb_index,
        spip: &spip,
        follow_up: &follow_up,
        surveys: &surveys,
        note: &note,
    })?;
    eligibility::save_facts(&state.db, &permit, year, &facts).await
}

/// Replaces a rubric version's eligibility thresholds: per target
/// (`wbk[…]`, `wbbm[…]`) `bpk`, `bpk_years`, `sakip`, `rb_index`, `spip`,
/// `follow_up`, `surveys` (`yes` to require the reports) and, for WBBM,
/// `wbk_years`; an empty choice asks nothing.
#[server(endpoint = "eligibility/thresholds/update")]
pub async fn update_eligibility_thresholds(
    key: String,
    #[server(default)] wbk: BTreeMap<String, String>,
    #[server(default)] wbbm: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::backend::permit::AdministerEligibility;
    use crate::backend::{auth, eligibility, request};
    use crate::domain::assessment::Target;
    use crate::domain::eligibility::{EligibilityThresholds, TargetThresholds};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerEligibility>(&state.db, &session).await?;
    use crate::error::{Field, Problem};
    // One message beside the form: the two columns share their input names.
    let on_form = |err: crate::domain::eligibility::InputError| {
        AppError::field(Field::Threshold, Problem::Eligibility(err.problem))
    };
    let thresholds = EligibilityThresholds {
        wbk: TargetThresholds::parse(&wbk, Target::Wbk).map_err(on_form)?,
        wbbm: TargetThresholds::parse(&wbbm, Target::Wbbm).map_err(on_form)?,
    };
    eligibility::set_thresholds(&state.db, &permit, &key, &thresholds).await
}

/// The eligibility checklist of an assessment's proposal (administrators).
#[server(endpoint = "eligibility/check")]
pub async fn assessment_eligibility(assessment: String) -> Result<Checklist, AppError> {
    use crate::backend::{auth, eligibility, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    eligibility::of_assessment(&state.db, &user, &assessment).await
}
