//! The instansi's eligibility in words: the checklist of a proposal (what
//! each criterion asks, what is recorded, met or not), and the sentences of
//! the refusals that carry it.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::error::ErrorAlert;
use super::labels::target_label;
use crate::api::eligibility::assessment_eligibility;
use crate::domain::assessment::Target;
use crate::domain::eligibility::{
    Check, Checklist, Criterion, Found, InputProblem, Outcome, Required,
};
use crate::domain::lke::format_id;
use crate::i18n::*;

pub fn criterion_label(i18n: I18nContext<Locale>, criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Bpk => t_string!(i18n, eligibility.bpk),
        Criterion::Sakip => t_string!(i18n, eligibility.sakip),
        Criterion::RbIndex => t_string!(i18n, eligibility.rb_index),
        Criterion::Spip => t_string!(i18n, eligibility.spip),
        Criterion::FollowUp => t_string!(i18n, eligibility.follow_up),
        Criterion::Surveys => t_string!(i18n, eligibility.surveys),
        Criterion::WbkHistory => t_string!(i18n, eligibility.wbk_history),
    }
}

pub fn outcome_label(i18n: I18nContext<Locale>, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Met => t_string!(i18n, eligibility.met),
        Outcome::Unmet => t_string!(i18n, eligibility.unmet),
        Outcome::Unknown => t_string!(i18n, eligibility.unknown),
        Outcome::NotRequired => t_string!(i18n, eligibility.not_required),
    }
}

pub fn input_problem_text(i18n: I18nContext<Locale>, problem: InputProblem) -> &'static str {
    match problem {
        InputProblem::NotAChoice => t_string!(i18n, eligibility.not_a_choice),
        InputProblem::NotANumber => t_string!(i18n, errors.number),
        InputProblem::OutOfRange => t_string!(i18n, eligibility.out_of_range),
        InputProblem::TooLong => t_string!(i18n, errors.too_long),
    }
}

/// A percentage as people write it here: "87,45 %".
pub fn percent_text(percent: crate::domain::eligibility::Percent) -> String {
    format!("{} %", format_id(percent.value(), 2))
}

fn required_text(i18n: I18nContext<Locale>, required: Option<Required>) -> String {
    match required {
        None => t_string!(i18n, eligibility.not_required).to_string(),
        Some(Required::Bpk { least, years: 1 }) => {
            t_string!(i18n, eligibility.required_bpk_one, least = least.as_str()).to_string()
        }
        Some(Required::Bpk { least, years }) => t_string!(
            i18n,
            eligibility.required_bpk,
            least = least.as_str(),
            years = years
        )
        .to_string(),
        Some(Required::Grade(grade)) => {
            t_string!(i18n, eligibility.required_grade, grade = grade.as_str()).to_string()
        }
        Some(Required::Spip(level)) => {
            t_string!(i18n, eligibility.required_spip, level = level.value()).to_string()
        }
        Some(Required::Percent(percent)) => t_string!(
            i18n,
            eligibility.required_percent,
            percent = percent_text(percent)
        )
        .to_string(),
        Some(Required::Present) => t_string!(i18n, eligibility.required_present).to_string(),
        Some(Required::WbkYears(years)) => {
            t_string!(i18n, eligibility.required_wbk_years, years = years).to_string()
        }
    }
}

fn found_text(i18n: I18nContext<Locale>, found: &Found) -> String {
    let none = || t_string!(i18n, eligibility.not_recorded).to_string();
    match found {
        Found::Bpk(years) => years
            .iter()
            .map(|y| {
                let opinion = y.opinion.map_or_else(none, |o| o.as_str().to_owned());
                format!("{}: {opinion}", y.year.value())
            })
            .collect::<Vec<_>>()
            .join(", "),
        Found::Grade(grade) => grade.map_or_else(none, |g| g.as_str().to_owned()),
        Found::Spip(level) => level.map_or_else(none, |l| {
            t_string!(i18n, eligibility.level, level = l.value()).to_string()
        }),
        Found::Percent(percent) => percent.map_or_else(none, percent_text),
        Found::Surveys(None) => none(),
        Found::Surveys(Some(true)) => t_string!(i18n, eligibility.present).to_string(),
        Found::Surveys(Some(false)) => t_string!(i18n, eligibility.absent).to_string(),
        Found::WbkSince(None) => t_string!(i18n, eligibility.no_wbk).to_string(),
        Found::WbkSince(Some(year)) => {
            t_string!(i18n, eligibility.wbk_since, year = year.value()).to_string()
        }
    }
}

/// One criterion that holds a proposal back, in words.
fn reason_text(i18n: I18nContext<Locale>, check: &Check) -> String {
    format!(
        "{} ({}; {}: {})",
        criterion_label(i18n, check.criterion),
        outcome_label(i18n, check.outcome).to_lowercase(),
        required_text(i18n, check.required),
        found_text(i18n, &check.found)
    )
}

/// Why a proposal was refused on eligibility: each open criterion.
pub fn ineligible_text(i18n: I18nContext<Locale>, checks: &[Check]) -> String {
    let reasons = checks
        .iter()
        .map(|check| reason_text(i18n, check))
        .collect::<Vec<_>>()
        .join("; ");
    t_string!(i18n, eligibility.ineligible, reasons = reasons).to_string()
}

/// The checklist of a proposal: one row per criterion.
#[component]
pub fn EligibilityChecklist(checklist: Checklist) -> impl IntoView {
    let i18n = use_i18n();
    let caption = t_string!(
        i18n,
        eligibility.checklist_title,
        target = target_label(checklist.target),
        year = checklist.year.value()
    )
    .to_string();
    let rows = checklist
        .checks
        .iter()
        .map(|check| {
            let badge = match check.outcome {
                Outcome::Met => "badge badge-pass",
                Outcome::Unmet => "badge badge-fail",
                Outcome::Unknown => "badge badge-changed",
                Outcome::NotRequired => "badge off",
            };
            let criterion = serde_json::to_value(check.criterion)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let outcome = serde_json::to_value(check.outcome)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            view! {
                <tr data-criterion=criterion data-outcome=outcome>
                    <th scope="row">{criterion_label(i18n, check.criterion)}</th>
                    <td>{required_text(i18n, check.required)}</td>
                    <td>{found_text(i18n, &check.found)}</td>
                    <td><span class=badge>{outcome_label(i18n, check.outcome)}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table data-testid="eligibility">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, eligibility.criterion)}</th>
                    <th scope="col">{t!(i18n, eligibility.required)}</th>
                    <th scope="col">{t!(i18n, eligibility.found)}</th>
                    <th scope="col">{t!(i18n, eligibility.status)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The eligibility part of the proposal form: the checklist of the
/// assessment's year and target, and when it is not met a warning with the
/// tick to propose anyway; for WBK, the afirmasi category. Its inputs
/// (`eligible_anyway`, `afirmasi`) post with the form it sits in.
#[component]
pub fn ProposalEligibility(assessment: String, target: Target) -> impl IntoView {
    let i18n = use_i18n();
    let checklist = Resource::new(move || assessment.clone(), assessment_eligibility);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || checklist.get().map(|loaded| match loaded {
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
                Ok(checklist) => view! { <ProposalChecklist checklist /> }.into_any(),
            })}
        </Suspense>
        {(target == Target::Wbk).then(|| view! {
            <div class="field checkbox">
                <input id="afirmasi" type="checkbox" name="afirmasi" value="yes" />
                <label for="afirmasi">{t!(i18n, eligibility.afirmasi)}</label>
            </div>
        })}
    }
}

#[component]
fn ProposalChecklist(checklist: Checklist) -> impl IntoView {
    let i18n = use_i18n();
    let met = checklist.met();
    view! {
        {if met {
            view! { <p class="alert alert-success" data-testid="eligibility-met">{t!(i18n, eligibility.all_met)}</p> }.into_any()
        } else {
            view! { <p class="alert alert-warning" data-testid="eligibility-warning">{t!(i18n, eligibility.not_met_warning)}</p> }.into_any()
        }}
        <EligibilityChecklist checklist />
        <p><a href="/admin/eligibility">{t!(i18n, eligibility.edit_facts)}</a></p>
        {(!met).then(|| view! {
            <div class="field checkbox">
                <input id="eligible-anyway" type="checkbox" name="eligible_anyway" value="yes" />
                <label for="eligible-anyway">{t!(i18n, eligibility.confirm_anyway)}</label>
            </div>
        })}
    }
}
