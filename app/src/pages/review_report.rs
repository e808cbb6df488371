//! The evaluation report (LHE) as a printable A4 page, the same document the
//! DOCX download carries.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::review::lhe_report;
use crate::components::error::PageError;
use crate::i18n::*;
use crate::model::{Block, ReportDoc};

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let report = Resource::new(id, lhe_report);
    view! {
        <Title text=t_string!(i18n, review.report).to_string() />
        <p class="no-print">
            <a href=move || format!("/review/{}", id())>{t!(i18n, review.title)}</a>
            " · "
            <a class="button" href=move || format!("/assessments/{}/lhe.docx", id()) download>{t!(i18n, lhe.docx)}</a>
            " "
            <span class="muted">{t!(i18n, lhe.official_language)}</span>
        </p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || report.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(doc) => view! { <ReportView doc /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(doc: ReportDoc) -> impl IntoView {
    let blocks = doc.blocks.into_iter().map(block).collect_view();
    view! {
        <article class="report" lang="id" data-testid="report">
            <h1>{doc.title}</h1>
            <p class="report-subtitle">{doc.subtitle}</p>
            {blocks}
        </article>
    }
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Heading { text } => view! { <h2>{text}</h2> }.into_any(),
        Block::Paragraph { text } => view! { <p class="pre-line">{text}</p> }.into_any(),
        Block::Table {
            header,
            rows,
            numeric,
        } => {
            let align = move |i: usize| numeric.get(i).copied().unwrap_or(false).then_some("num");
            let head = header
                .into_iter()
                .enumerate()
                .map(|(i, h)| view! { <th scope="col" class=align(i)>{h}</th> })
                .collect_view();
            let body = rows
                .into_iter()
                .map(|row| {
                    let cells = row
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| view! { <td class=align(i)>{c}</td> })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! {
                <table class="table report-table">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            }
            .into_any()
        }
        Block::Signature {
            place_date,
            role,
            name,
        } => view! {
            <div class="signature">
                <p>{place_date}</p>
                <p>{role}</p>
                <p class="signature-space"></p>
                <p><strong>{name}</strong></p>
            </div>
        }
        .into_any(),
    }
}
