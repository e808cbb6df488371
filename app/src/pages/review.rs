//! The evaluators' overview of one assessment: both lanes side by side at
//! every level, the biggest gaps between them, what the unit changed since
//! the last return, and the team's decisions (return, finalize).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::load_assessment;
use crate::api::review::{FinalizeAssessment, ReturnAssessment};
use crate::app::reload_user_after;
use crate::components::assessment::{part_slug, AssessmentHeading};
use crate::components::error::PageError;
use crate::components::form::{field_error, FormStatus};
use crate::components::gaps::{item_href, GapsTable};
use crate::components::labels::{area_label, part_label};
use crate::components::score::ScorePanel;
use crate::domain::lke::{format_id, score, RubricVersion, ScoreSheet, Subtotal};
use crate::domain::review::unreviewed_items;
use crate::error::Field;
use crate::i18n::*;
use crate::model::AssessmentData;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let give_back = ServerAction::<ReturnAssessment>::new();
    let finalize = ServerAction::<FinalizeAssessment>::new();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                give_back.version().get(),
                finalize.version().get(),
            )
        },
        |(id, _, _)| load_assessment(id),
    );
    view! {
        <Title text=t_string!(i18n, review.title).to_string() />
        // Outside the data: the forms go away once the state moves on, the outcome stays.
        <FormStatus outcome=give_back.value() success=Signal::derive(move || t_string!(i18n, review.returned).to_string()) done=ReturnAssessment::PATH />
        <FormStatus outcome=finalize.value() success=Signal::derive(move || t_string!(i18n, review.finalized).to_string()) done=FinalizeAssessment::PATH />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <ReviewOverview data give_back finalize /> }.into_any(),
            })}
        </Suspense>
    }
}

fn points(subtotal: &Subtotal) -> String {
    format_id(subtotal.score, 2)
}

#[component]
fn LaneRow(
    label: String,
    href: Option<String>,
    unit: Subtotal,
    tpi: Subtotal,
    #[prop(optional)] strong: bool,
) -> impl IntoView {
    let label = match href {
        Some(href) => view! { <a href=href>{label}</a> }.into_any(),
        None if strong => view! { <strong>{label}</strong> }.into_any(),
        None => view! { <span>{label}</span> }.into_any(),
    };
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td class="num">{points(&unit)}</td>
            <td class="num">{points(&tpi)}</td>
            <td class="num">{format_id(unit.weight, 2)}</td>
        </tr>
    }
}

fn lane_rows(
    i18n: leptos_i18n::I18nContext<Locale>,
    rubric: &RubricVersion,
    id: &str,
    unit: &ScoreSheet,
    tpi: &ScoreSheet,
) -> impl IntoView {
    let areas = rubric
        .parts()
        .into_iter()
        .flat_map(|(part, p)| p.areas.iter().map(move |a| (part, a.area)))
        .filter_map(|(part, area)| {
            let u = unit.area(part, area)?.subtotal();
            let t = tpi.area(part, area)?.subtotal();
            let label = format!("{} · {}", area_label(i18n, area), part_label(i18n, part));
            let href = format!("/review/{id}/{}/{}", part_slug(part), area.number());
            Some(view! { <LaneRow label href=Some(href) unit=u tpi=t /> })
        })
        .collect_view();
    view! {
        {areas}
        <LaneRow label=t_string!(i18n, gates.pengungkit).to_string() href=None unit=unit.pengungkit tpi=tpi.pengungkit strong=true />
        <LaneRow label=t_string!(i18n, gates.hasil).to_string() href=Some(format!("/review/{id}/hasil/0")) unit=unit.hasil.total tpi=tpi.hasil.total />
        <LaneRow label=t_string!(i18n, gates.total).to_string() href=None unit=unit.total tpi=tpi.total strong=true />
    }
}

#[component]
fn ReviewOverview(
    data: AssessmentData,
    give_back: ServerAction<ReturnAssessment>,
    finalize: ServerAction<FinalizeAssessment>,
) -> impl IntoView {
    let i18n = use_i18n();
    reload_user_after(finalize);
    let rubric = data.rubric();
    let id = data.header.summary.id.clone();
    let tpi_answers = data.evaluator_answers(&rubric);
    let unit_sheet = score(&rubric, &data.answers);
    let tpi_sheet = score(&rubric, &tpi_answers);
    let review = data.review.clone().unwrap_or_default();
    let changed = review.changed_since_return.clone();
    let team = review.team.clone();
    let has_lead = team.iter().any(|m| m.lead);
    let holds_wbk = data.holds_wbk();
    let reviewed = review
        .entries
        .values()
        .filter(|e| e.status.is_some())
        .map(|e| e.item)
        .collect();
    let unreviewed = unreviewed_items(&rubric, &reviewed);
    view! {
        <AssessmentHeading header=data.header.clone() />
        <p>
            <a class="button" href=format!("/review/{id}/report")>{t!(i18n, review.report)}</a>
            " "
            <a class="button" href=format!("/assessments/{id}/lke.xlsx") download>{t!(i18n, review.export_lke)}</a>
            " "
            <a class="button" href=format!("/assessments/{id}/lke-2026.xlsx") download>{t!(i18n, review.export_lke_2026)}</a>
            " "
            <a class="button" href=format!("/assessments/{id}/evidence.zip") download>{t!(i18n, assessment.download_all)}</a>
        </p>
        <div class="assessment-layout">
            <div>
                <section class="card" aria-labelledby="lanes-title">
                    <h2 id="lanes-title">{t!(i18n, review.lanes)}</h2>
                    <div class="table-wrap">
                        <table class="table" data-testid="lanes">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, assessment.area)}</th>
                                    <th scope="col" class="num">{t!(i18n, review.unit_lane)}</th>
                                    <th scope="col" class="num">{t!(i18n, review.tpi_lane)}</th>
                                    <th scope="col" class="num">{t!(i18n, review.weight)}</th>
                                </tr>
                            </thead>
                            <tbody>{lane_rows(i18n, &rubric, &id, &unit_sheet, &tpi_sheet)}</tbody>
                        </table>
                    </div>
                </section>
                {(!changed.is_empty()).then(|| view! {
                    <section class="card" aria-labelledby="changed-title" data-testid="changed">
                        <h2 id="changed-title">{t!(i18n, review.changed_title)}</h2>
                        <ul class="inline-list">
                            {changed.iter().map(|item| view! {
                                <li><a href=item_href(&id, *item)><code>{item.to_string()}</code></a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class="card" aria-labelledby="gaps-title">
                    <h2 id="gaps-title">{t!(i18n, review.gaps_title)}</h2>
                    <GapsTable rubric=rubric.clone() id=id.clone() unit=unit_sheet.clone() tpi=tpi_sheet.clone() />
                </section>
                <section class="card" aria-labelledby="team-title">
                    <h2 id="team-title">{t!(i18n, review.team)}</h2>
                    <ul>
                        {team.into_iter().map(|m| view! {
                            <li>{m.full_name.clone()} {m.lead.then(|| view! { " " <span class="badge">{t!(i18n, review.lead)}</span> })}</li>
                        }).collect_view()}
                    </ul>
                    {(!review.return_summary.is_empty()).then(|| view! {
                        <h3>{t!(i18n, review.last_return)}</h3>
                        <p class="pre-line">{review.return_summary.clone()}</p>
                    })}
                </section>
                {if data.rights.decide {
                    view! { <Decisions id=id.clone() give_back finalize unreviewed /> }.into_any()
                } else if data.rights.review && has_lead {
                    view! { <p class="alert alert-info">{t!(i18n, review.not_lead)}</p> }.into_any()
                } else {
                    ().into_any()
                }}
            </div>
            <div>
                <h2 class="panel-title">{t!(i18n, review.tpi_lane)}</h2>
                <ScorePanel
                    rubric=StoredValue::new(rubric.clone())
                    gates=StoredValue::new(data.gates.clone())
                    target=data.header.summary.target
                    answers=Signal::derive(move || tpi_answers.clone())
                    holds_wbk
                    without_evidence=data.without_evidence(&rubric)
                />
            </div>
        </div>
    }
}

#[component]
fn Decisions(
    id: String,
    give_back: ServerAction<ReturnAssessment>,
    finalize: ServerAction<FinalizeAssessment>,
    unreviewed: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let (return_id, finalize_id) = (id.clone(), id);
    view! {
        <section class="card" aria-labelledby="return-title">
            <h2 id="return-title">{t!(i18n, review.return_title)}</h2>
            <ActionForm action=give_back>
                <input type="hidden" name="assessment" value=return_id />
                <div class="field">
                    <label for="summary">{t!(i18n, review.summary)}</label>
                    <textarea id="summary" name="summary" rows="4" required aria-describedby="summary-error"></textarea>
                    <p class="field-error" id="summary-error" aria-live="polite">{move || field_error(give_back.value(), Field::Summary).get()}</p>
                </div>
                <button type="submit" class="button">{t!(i18n, review.return_button)}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="finalize-title">
            <h2 id="finalize-title">{t!(i18n, review.finalize_title)}</h2>
            <p class="muted">{t!(i18n, review.finalize_hint)}</p>
            {(unreviewed > 0).then(|| view! {
                <p class="alert alert-warning" data-testid="unreviewed">
                    {t!(i18n, review.unreviewed_warning, unreviewed = unreviewed)}
                </p>
            })}
            <ActionForm action=finalize>
                <input type="hidden" name="assessment" value=finalize_id />
                <input type="hidden" name="unreviewed" value=unreviewed.to_string() />
                <div class="field checkbox">
                    <input id="finalize-confirm" type="checkbox" name="confirm" value="yes" required />
                    <label for="finalize-confirm">
                        {if unreviewed > 0 {
                            t_string!(i18n, review.finalize_confirm_unreviewed, unreviewed = unreviewed).to_string()
                        } else {
                            t_string!(i18n, review.finalize_confirm).to_string()
                        }}
                    </label>
                </div>
                <button type="submit" class="button primary">{t!(i18n, review.finalize_button)}</button>
            </ActionForm>
        </section>
    }
}
