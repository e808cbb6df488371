//! One unit as leadership reads it: scores per area against their weights and
//! the gates' lines, the distance to each failing gate with the cheapest next
//! steps, and where the unit and the TPI disagree most. Printable on A4.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::load_assessment;
use crate::components::assessment::{AssessmentHeading, PredicateHistory};
use crate::components::chart::ChartFigure;
use crate::components::error::PageError;
use crate::components::gaps::GapsTable;
use crate::components::labels::{area_label, part_label, review_status_label, state_label};
use crate::components::national::NationalStanding;
use crate::components::score::{percent, ScorePanel};
use crate::domain::dashboard::{area_shares, part_shares};
use crate::domain::lke::{format_id, score, AreaId, Part};
use crate::i18n::*;
use crate::model::{AssessmentData, ReviewView};

#[component]
pub fn UnitReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        load_assessment,
    );
    view! {
        <Title text=t_string!(i18n, unit_report.title).to_string() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <UnitReport data /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn UnitReport(data: AssessmentData) -> impl IntoView {
    let i18n = use_i18n();
    let rubric = data.rubric();
    let id = data.header.summary.id.clone();
    let tpi_answers = data.evaluator_answers(&rubric);
    let finalized = data.header.summary.state.is_final();
    let counted = data.counted_answers(&rubric);
    let without_evidence = data.without_evidence(&rubric);
    let unit_sheet = score(&rubric, &data.answers);
    let tpi_sheet = score(&rubric, &tpi_answers);
    let counted_sheet = score(&rubric, &counted);
    let rows = AreaId::ALL
        .into_iter()
        .zip(area_shares(&counted_sheet))
        .map(|(area, share)| {
            let s = counted_sheet.area_combined(area);
            view! {
                <tr>
                    <th scope="row">{move || area_label(i18n, area)}</th>
                    <td class="num">{format_id(s.score, 2)}</td>
                    <td class="num">{format_id(s.weight, 2)}</td>
                    <td class="num">{percent(share)}</td>
                </tr>
            }
        })
        .collect_view();
    let pemenuhan = part_shares(&counted_sheet, Part::Pemenuhan);
    let reform = part_shares(&counted_sheet, Part::Reform);
    let part_rows = AreaId::ALL
        .into_iter()
        .zip(pemenuhan.into_iter().zip(reform))
        .map(|(area, (p, r))| {
            view! {
                <tr>
                    <th scope="row">{move || area_label(i18n, area)}</th>
                    <td class="num">{percent(p)}</td>
                    <td class="num">{percent(r)}</td>
                </tr>
            }
        })
        .collect_view();
    let lane = if finalized {
        t_string!(i18n, review.tpi_lane)
    } else {
        t_string!(i18n, review.unit_lane)
    };
    let holds_wbk = data.holds_wbk();
    let trend = data.trend.clone();
    view! {
        <AssessmentHeading header=data.header.clone() />
        <p class="no-print">
            <a href="/dashboard">{t!(i18n, dashboard.title)}</a>
            " · "
            <a class="button" href=format!("/assessments/{id}/lke.xlsx") download>{t!(i18n, review.export_lke)}</a>
            " "
            <a class="button" href=format!("/assessments/{id}/lke-2026.xlsx") download>{t!(i18n, review.export_lke_2026)}</a>
            " "
            <button type="button" class="button" data-print="">{t!(i18n, unit_report.print)}</button>
        </p>
        <NationalStanding stages=data.national.clone() state=data.header.summary.state />
        <PredicateHistory predicates=data.predicates.clone() />
        <div class="assessment-layout unit-report">
            <div>
                <section class="card" aria-labelledby="areas-title">
                    <h2 id="areas-title">{t!(i18n, unit_report.areas)} " (" {lane} ")"</h2>
                    <ChartFigure
                        src=format!("/assessments/{id}/charts/areas")
                        alt=move || t_string!(i18n, unit_report.areas_alt).to_string()
                        testid="areas-chart"
                    />
                    <div class="table-wrap">
                        <table class="table" data-testid="areas">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, assessment.area)}</th>
                                    <th scope="col" class="num">{t!(i18n, unit_report.score)}</th>
                                    <th scope="col" class="num">{t!(i18n, review.weight)}</th>
                                    <th scope="col" class="num">{t!(i18n, unit_report.share)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
                <section class="card" aria-labelledby="parts-title">
                    <h2 id="parts-title">{t!(i18n, unit_report.parts)} " (" {lane} ")"</h2>
                    <ChartFigure
                        src=format!("/assessments/{id}/charts/parts")
                        alt=move || t_string!(i18n, unit_report.parts_alt).to_string()
                        testid="parts-chart"
                    />
                    <div class="table-wrap">
                        <table class="table" data-testid="parts">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, assessment.area)}</th>
                                    {Part::ALL.into_iter().map(|part| view! {
                                        <th scope="col" class="num">{move || part_label(i18n, part)}</th>
                                    }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>{part_rows}</tbody>
                        </table>
                    </div>
                </section>
                <section class="card" aria-labelledby="trend-title">
                    <h2 id="trend-title">{t!(i18n, unit_report.trend)}</h2>
                    {if trend.is_empty() {
                        view! { <p class="muted">{t!(i18n, unit_report.no_trend)}</p> }.into_any()
                    } else {
                        view! {
                            <ChartFigure
                                src=format!("/assessments/{id}/charts/trend")
                                alt=move || t_string!(i18n, unit_report.trend_alt).to_string()
                                testid="trend-chart"
                            />
                            <details>
                                <summary>{t!(i18n, unit_report.trend_table)}</summary>
                                <table class="table" data-testid="trend">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, unit_report.day)}</th>
                                            <th scope="col">{t!(i18n, common.status)}</th>
                                            <th scope="col" class="num">{t!(i18n, review.unit_lane)}</th>
                                            <th scope="col" class="num">{t!(i18n, review.tpi_lane)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {trend.iter().map(|p| {
                                            let state = p.state;
                                            view! {
                                                <tr>
                                                    <th scope="row">{p.day.to_string()}</th>
                                                    <td>{move || state_label(i18n, state)}</td>
                                                    <td class="num">{format_id(p.self_total, 2)}</td>
                                                    <td class="num">{p.tpi_total.map(|t| format_id(t, 2)).unwrap_or_else(|| "—".to_owned())}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </details>
                        }.into_any()
                    }}
                </section>
                <section class="card" aria-labelledby="gaps-title">
                    <h2 id="gaps-title">{t!(i18n, review.gaps_title)}</h2>
                    <GapsTable rubric=rubric.clone() id=id.clone() unit=unit_sheet tpi=tpi_sheet />
                </section>
                <TpiNotes review=data.review.clone() />
            </div>
            <ScorePanel
                rubric=StoredValue::new(rubric.clone())
                gates=StoredValue::new(data.gates.clone())
                target=data.header.summary.target
                answers=Signal::derive(move || counted.clone())
                holds_wbk
                without_evidence
            />
        </div>
    }
}

/// The evaluators' notes to the unit, item by item, for the printed report.
#[component]
fn TpiNotes(review: Option<ReviewView>) -> impl IntoView {
    let i18n = use_i18n();
    let notes: Vec<_> = review
        .map(|r| {
            r.entries
                .into_values()
                .filter(|e| !e.note.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">{t!(i18n, unit_report.tpi_notes)}</h2>
            {if notes.is_empty() {
                view! { <p class="muted">{t!(i18n, unit_report.no_tpi_notes)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="tpi-notes">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, unit_report.item)}</th>
                                <th scope="col">{t!(i18n, common.status)}</th>
                                <th scope="col">{t!(i18n, unit_report.note)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {notes.into_iter().map(|entry| {
                                let status = entry.status;
                                view! {
                                    <tr>
                                        <th scope="row"><code>{entry.item.to_string()}</code></th>
                                        <td>{move || status.map(|s| review_status_label(i18n, s)).unwrap_or("—")}</td>
                                        <td>{entry.note}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
