//! What an assessment still lacks, item by item: an answer, evidence, or the
//! correction the evaluators asked for; filtered by a link, so it works
//! without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeSet;

use crate::api::assessments::load_assessment;
use crate::components::assessment::AssessmentHeading;
use crate::components::error::PageError;
use crate::components::labels::Lang;
use crate::components::section::Section;
use crate::domain::assessment::{missing, Lacks, MissingFilter};
use crate::domain::lke::ItemCode;
use crate::i18n::*;
use crate::model::AssessmentData;

#[component]
pub fn MissingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        load_assessment,
    );
    let filter = move || query.with(|q| MissingFilter::parse(&q.get("show").unwrap_or_default()));
    view! {
        <Title text=t_string!(i18n, missing.title).to_string() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <MissingList data filter=filter() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MissingList(data: AssessmentData, filter: MissingFilter) -> impl IntoView {
    let i18n = use_i18n();
    let rubric = data.rubric();
    let to_mend: BTreeSet<ItemCode> = data
        .review
        .iter()
        .flat_map(|review| review.entries.values())
        .filter(|entry| entry.status.is_some_and(|s| s.asks_for_change()))
        .map(|entry| entry.item)
        .collect();
    let all = missing(&rubric, &data.answers, &data.evidenced(), &to_mend);
    let id = data.header.summary.id.clone();
    let filters = MissingFilter::ALL
        .into_iter()
        .map(|each| {
            let count = all.iter().filter(|(_, lacks)| lacks.shown_by(each)).count();
            let href = format!("/assessments/{id}/missing?show={}", each.as_str());
            let current = (each == filter).then_some("page");
            view! {
                <li>
                    <a href=href aria-current=current>
                        {filter_label(i18n, each)} " (" {count} ")"
                    </a>
                </li>
            }
        })
        .collect_view();
    let rows: Vec<_> = all
        .into_iter()
        .filter(|(_, lacks)| lacks.shown_by(filter))
        .map(|(item, lacks)| {
            let text = rubric.item_text(item).unwrap_or_default().to_owned();
            let section = Section::of(item);
            let href = format!("/assessments/{id}/{}#{item}", section.path());
            view! {
                <tr>
                    <th scope="row"><a href=href>{item.to_string()}</a></th>
                    <td>{text}</td>
                    <td>{section.label(i18n)}</td>
                    <td>{lacks_badges(i18n, lacks)}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <AssessmentHeading header=data.header.clone() />
        <h2>{t!(i18n, missing.title)}</h2>
        <nav aria-label=move || t_string!(i18n, missing.filters)>
            <ul class="filter-links">{filters}</ul>
        </nav>
        {if rows.is_empty() {
            view! { <p class="alert alert-info" data-testid="nothing-missing">{t!(i18n, missing.none)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table" data-testid="missing">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, missing.item)}</th>
                                <th scope="col">{t!(i18n, missing.question)}</th>
                                <th scope="col">{t!(i18n, assessment.area)}</th>
                                <th scope="col">{t!(i18n, missing.lacks)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p><a href=format!("/assessments/{id}")>{t!(i18n, history.back)}</a></p>
    }
}

fn filter_label(i18n: impl Lang, filter: MissingFilter) -> &'static str {
    match filter {
        MissingFilter::All => td_string!(i18n.locale(), missing.all),
        MissingFilter::Unanswered => td_string!(i18n.locale(), missing.unanswered),
        MissingFilter::NoEvidence => td_string!(i18n.locale(), missing.no_evidence),
        MissingFilter::ToMend => td_string!(i18n.locale(), missing.to_mend),
    }
}

fn lacks_badges(i18n: impl Lang, lacks: Lacks) -> impl IntoView {
    [
        (lacks.answer, MissingFilter::Unanswered),
        (lacks.evidence, MissingFilter::NoEvidence),
        (lacks.correction, MissingFilter::ToMend),
    ]
    .into_iter()
    .filter(|(lacking, _)| *lacking)
    .map(|(_, kind)| view! { <span class="badge">{filter_label(i18n, kind)}</span> " " })
    .collect_view()
}
