//! What every page about one assessment shows: its heading (unit, year, target,
//! state, window) and the unit's predicate history.

use crate::components::labels::{state_label, target_label};
use crate::domain::lke::{Part, Predicate};
use crate::domain::period::Window;
use crate::i18n::*;
use crate::model::{AssessmentHeader, PredicateRecord};
use leptos::prelude::*;

#[component]
pub fn AssessmentHeading(header: AssessmentHeader) -> impl IntoView {
    let i18n = use_i18n();
    let summary = header.summary.clone();
    let state = summary.state;
    view! {
        <p class="breadcrumb"><a href=format!("/assessments/{}", summary.id)>{summary.unit_name.clone()}</a></p>
        <h1>
            {t!(i18n, assessment.heading)} " " {summary.year.value()} " · " {summary.unit_name.clone()}
        </h1>
        <p class="roles">
            <span class="badge">{t!(i18n, assessment.target)} " " {target_label(summary.target)}</span>
            " "
            <span class="badge" data-testid="state">{move || state_label(i18n, state)}</span>
            " "
            <WindowNote window=header.self_window end=header.self_end.to_string() />
        </p>
    }
}

#[component]
fn WindowNote(window: Window, end: String) -> impl IntoView {
    let i18n = use_i18n();
    match window {
        Window::Open { days_left } => view! {
            <span class="muted">{t!(i18n, assessment.days_left, days = days_left, end = end.clone())}</span>
        }
        .into_any(),
        Window::NotYetOpen { opens_in_days } => view! {
            <span class="muted">{t!(i18n, assessment.opens_in, days = opens_in_days)}</span>
        }
        .into_any(),
        Window::Closed { .. } => view! {
            <span class="muted">{t!(i18n, assessment.window_closed, end = end.clone())}</span>
        }
        .into_any(),
    }
}

/// The unit's predicate history: what the national team decided, and when.
#[component]
pub fn PredicateHistory(predicates: Vec<PredicateRecord>) -> impl IntoView {
    let i18n = use_i18n();
    (!predicates.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="predicates-title" data-testid="predicates">
                <h2 id="predicates-title">{t!(i18n, review.predicates_title)}</h2>
                <ul>
                    {predicates.into_iter().map(|p| {
                        let name = match p.predicate {
                            Predicate::Wbk => "WBK",
                            Predicate::Wbbm => "WBBM",
                        };
                        let (year, date, decree) = (p.year.value(), p.decided_on.to_string(), p.decree.clone());
                        if p.awarded {
                            view! { <li>{t!(i18n, review.predicate_awarded, predicate = name, year = year, date = date.clone(), decree = decree.clone())}</li> }.into_any()
                        } else {
                            view! { <li>{t!(i18n, review.predicate_not, predicate = name, year = year, date = date.clone())}</li> }.into_any()
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

pub fn part_slug(part: Part) -> &'static str {
    match part {
        Part::Pemenuhan => "pemenuhan",
        Part::Reform => "reform",
    }
}
