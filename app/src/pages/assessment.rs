//! The unit's home for one assessment: the six areas with completeness,
//! evidence coverage and scores, the live verdict, the window, and submission.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};

use crate::api::assessments::{import_answers, load_assessment, ImportAnswers, SubmitAssessment};
use crate::app::reload_user_after;
use crate::components::assessment::{part_slug, AssessmentHeading, PredicateHistory};
use crate::components::error::{ErrorAlert, PageError};
use crate::components::form::FormStatus;
use crate::components::form::{cleared_on_success, field_error};
use crate::components::labels::{area_label, part_label};
use crate::components::national::NationalStanding;
use crate::components::score::{percent, ScorePanel};
use crate::components::workbook::SheetNotes;
use crate::domain::assessment::{coverage, gaps, scored_items, unit_may_edit, EditBlock};
use crate::domain::lke::{format_id, score, ItemCode};
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::model::{AssessmentData, WorkbookImported, WorkbookLane, WorkbookRead};
use leptos_i18n::I18nContext;

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let submit = ServerAction::<SubmitAssessment>::new();
    let import: ImportAction =
        Action::new_local(|data: &FormData| import_answers(data.clone().into()));
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                submit.version().get(),
                import.version().get(),
            )
        },
        |(id, _, _)| load_assessment(id),
    );
    view! {
        <Title text=t_string!(i18n, assessment.title).to_string() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <Overview data submit import /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Overview(
    data: AssessmentData,
    submit: ServerAction<SubmitAssessment>,
    import: ImportAction,
) -> impl IntoView {
    let i18n = use_i18n();
    reload_user_after(submit);
    let rubric = data.rubric();
    let sheet = score(&rubric, &data.answers);
    let evidenced = data.evidenced();
    let id = data.header.summary.id.clone();
    let rows = rubric
        .parts()
        .into_iter()
        .flat_map(|(part, part_rubric)| part_rubric.areas.iter().map(move |a| (part, a)))
        .map(|(part, area)| {
            let area_score = sheet.area(part, area.area).map(|s| s.subtotal());
            let items = area
                .indicators
                .iter()
                .flat_map(|i| i.questions.iter().map(|q| ItemCode::Question(q.code)));
            let cover = coverage(items, &evidenced);
            let href = format!(
                "/assessments/{id}/{}/{}",
                part_slug(part),
                area.area.number()
            );
            let (score_text, done) = area_score.map_or((String::new(), String::new()), |s| {
                (
                    format!("{} / {}", format_id(s.score, 2), format_id(s.weight, 2)),
                    format!("{}/{}", s.completeness.answered, s.completeness.total),
                )
            });
            let area_id = area.area;
            view! {
                <tr>
                    <th scope="row"><a href=href>{move || area_label(i18n, area_id)}</a></th>
                    <td>{move || part_label(i18n, part)}</td>
                    <td>{done}</td>
                    <td>{format!("{}/{}", cover.with_evidence, cover.total)}</td>
                    <td class="num">{score_text}</td>
                </tr>
            }
        })
        .collect_view();
    let hasil_cover = coverage(
        scored_items(&rubric).filter(|i| matches!(i, ItemCode::Hasil(_))),
        &evidenced,
    );
    let all_cover = coverage(scored_items(&rubric), &evidenced);
    let gaps = gaps(&rubric, &data.answers, &evidenced);
    let target = data.header.summary.target;
    let answers = Signal::derive({
        let answers = data.answers.clone();
        move || answers.clone()
    });
    let holds_wbk = data.holds_wbk();
    let may_submit = data.rights.member
        && unit_may_edit(data.header.summary.state, data.header.self_window)
            != Err(EditBlock::Locked);
    let outcome = submit.value();
    let review = data.review.clone();
    let return_summary = review
        .as_ref()
        .map(|r| r.return_summary.clone())
        .filter(|s| !s.is_empty() && data.rights.member);
    let final_total = review
        .as_ref()
        .and_then(|r| r.final_verdict)
        .map(|v| format_id(v.total, 2));
    let to_review = (data.rights.evaluator || data.rights.administer)
        .then(|| format!("/review/{}", data.header.summary.id));
    view! {
        <AssessmentHeading header=data.header.clone() />
        {to_review.map(|href| view! { <p><a class="button" href=href>{t!(i18n, review.open)}</a></p> })}
        {return_summary.map(|summary| view! {
            <section class="alert alert-warning" data-testid="return-summary">
                <h2>{t!(i18n, review.return_heading)}</h2>
                <p class="pre-line">{summary}</p>
                <p><a href=format!("/assessments/{id}/missing?show=to_mend")>{t!(i18n, missing.link)}</a></p>
            </section>
        })}
        {final_total.map(|total| view! {
            <p class="alert alert-info" data-testid="final-score">{t!(i18n, review.final_score, total = total)}</p>
        })}
        <NationalStanding stages=data.national.clone() state=data.header.summary.state />
        <PredicateHistory predicates=data.predicates.clone() />
        <div class="assessment-layout">
            <div>
                <section class="card" aria-labelledby="areas-title">
                    <h2 id="areas-title">{t!(i18n, assessment.areas)}</h2>
                    <p class="hint">
                        {t!(i18n, assessment.coverage)} ": " {format!("{}/{} ({})", all_cover.with_evidence, all_cover.total, percent(ratio(all_cover.with_evidence, all_cover.total)))}
                    </p>
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, assessment.area)}</th>
                                    <th scope="col">{t!(i18n, assessment.part)}</th>
                                    <th scope="col">{t!(i18n, assessment.answered)}</th>
                                    <th scope="col">{t!(i18n, assessment.with_evidence)}</th>
                                    <th scope="col" class="num">{t!(i18n, assessment.score_weight)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows}
                                <tr>
                                    <th scope="row"><a href=format!("/assessments/{}/hasil/0", data.header.summary.id)>{t!(i18n, gates.hasil)}</a></th>
                                    <td></td>
                                    <td>{format!("{}/{}", sheet.hasil.total.completeness.answered, sheet.hasil.total.completeness.total)}</td>
                                    <td>{format!("{}/{}", hasil_cover.with_evidence, hasil_cover.total)}</td>
                                    <td class="num">{format!("{} / {}", format_id(sheet.hasil.total.score, 2), format_id(sheet.hasil.total.weight, 2))}</td>
                                </tr>
                            </tbody>
                        </table>
                    </div>
                    <p>
                        <a class="button" href=format!("/assessments/{}/evidence.zip", data.header.summary.id) download>
                            {t!(i18n, assessment.download_all)}
                        </a>
                        " "
                        <a class="button" href=format!("/assessments/{}/lke.xlsx", data.header.summary.id) download>
                            {t!(i18n, review.export_lke)}
                        </a>
                        " "
                        <a class="button" href=format!("/assessments/{}/lke-2026.xlsx", data.header.summary.id) download>
                            {t!(i18n, review.export_lke_2026)}
                        </a>
                    </p>
                </section>
                {data.rights.edit.then(|| view! { <WorkbookImport id=data.header.summary.id.clone() import /> })}
                {data.rights.member.then(|| view! {
                    <section class="card" aria-labelledby="submit-title">
                        <h2 id="submit-title">{t!(i18n, assessment.submit_title)}</h2>
                        {if may_submit {
                            view! {
                                {(!gaps.unanswered.is_empty()).then(|| view! {
                                    <p class="alert alert-warning">{t!(i18n, assessment.unanswered, count = gaps.unanswered.len())}</p>
                                })}
                                {(!gaps.without_evidence.is_empty()).then(|| view! {
                                    <p class="alert alert-warning">{t!(i18n, assessment.without_evidence, count = gaps.without_evidence.len())}</p>
                                })}
                                {(!gaps.is_empty()).then(|| view! {
                                    <p><a href=format!("/assessments/{}/missing", data.header.summary.id)>{t!(i18n, missing.link)}</a></p>
                                })}
                                <FormStatus outcome success=Signal::derive(move || t_string!(i18n, assessment.submitted).to_string()) done=SubmitAssessment::PATH />
                                <ActionForm action=submit>
                                    <input type="hidden" name="assessment" value=data.header.summary.id.clone() />
                                    {(!gaps.is_empty()).then(|| view! {
                                        <div class="field checkbox">
                                            <input id="confirm" type="checkbox" name="confirm" value="yes" />
                                            <label for="confirm">{t!(i18n, assessment.confirm)}</label>
                                        </div>
                                    })}
                                    <button type="submit" class="button primary">{t!(i18n, assessment.submit)}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <p class="alert alert-info" data-testid="locked">{t!(i18n, assessment.locked)}</p> }.into_any()
                        }}
                    </section>
                })}
            </div>
            <ScorePanel
                rubric=StoredValue::new(rubric.clone())
                gates=StoredValue::new(data.gates.clone())
                target
                answers
                holds_wbk
                without_evidence=all_cover.missing()
            />
        </div>
    }
}

type ImportAction = Action<FormData, Result<WorkbookImported, AppError>>;

/// Fills the LKE from a workbook in the official layout (today's Excel),
/// replacing what is typed here. Works as a plain form post without JavaScript.
#[component]
fn WorkbookImport(id: String, import: ImportAction) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = import.value();
    let form = cleared_on_success(outcome);
    let from_url = use_context::<ServerActionError>()
        .filter(|error| error.path() == ImportAnswers::PATH)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let data = ev
            .target()
            .map(|target| target.unchecked_into::<HtmlFormElement>())
            .and_then(|form| FormData::new_with_form(&form).ok());
        if let Some(data) = data {
            import.dispatch_local(data);
        }
    };
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">{t!(i18n, assessment.import_title)}</h2>
            <p class="hint">{t!(i18n, assessment.import_help)}</p>
            {from_url.clone().filter(|e| !is_unconfirmed(e)).map(|error| view! { <ErrorAlert error /> })}
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, assessment.imported).to_string()) done=ImportAnswers::PATH />
            <form node_ref=form method="post" action=ImportAnswers::url() enctype="multipart/form-data"
                class="grid-form" on:submit=submit>
                <input type="hidden" name="assessment" value=id />
                <div class="field">
                    <label for="import-file">{t!(i18n, rubrics.file)}</label>
                    <input id="import-file" name="file" type="file" required
                        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                    <p class="field-error" aria-live="polite">{move || field_error(outcome, Field::File).get()}</p>
                </div>
                <div class="field">
                    <label for="import-lane">{t!(i18n, assessment.import_lane)}</label>
                    <select id="import-lane" name="lane">
                        {WorkbookLane::ALL.into_iter().map(|lane| view! {
                            <option value=lane.as_str() selected=lane == WorkbookLane::Unit>
                                {move || lane_label(i18n, lane)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field checkbox">
                    <input id="import-confirm" type="checkbox" name="confirm" value="yes" required
                        aria-describedby="import-confirm-error" />
                    <label for="import-confirm">{t!(i18n, assessment.import_confirm)}</label>
                </div>
                <p class="field-error" id="import-confirm-error" aria-live="polite">
                    {move || {
                        let now = outcome.with(|o| matches!(o, Some(Err(e)) if is_unconfirmed(e)));
                        let before = from_url.as_ref().is_some_and(is_unconfirmed);
                        (now || before).then_some(t_string!(i18n, assessment.import_confirm_missing))
                    }}
                </p>
                <button type="submit" class="button" disabled=move || import.pending().get()>
                    {t!(i18n, assessment.import)}
                </button>
            </form>
            {move || outcome.with(|latest| match latest {
                Some(Ok(imported)) => Some(view! {
                    <p class="import-read">{read_text(i18n, &imported.read)}</p>
                    <SheetNotes notes=imported.notes.clone() />
                }),
                _ => None,
            })}
        </section>
    }
}

fn lane_label(i18n: I18nContext<Locale>, lane: WorkbookLane) -> &'static str {
    match lane {
        WorkbookLane::Unit => t_string!(i18n, assessment.lane_unit),
        WorkbookLane::Tpi => t_string!(i18n, assessment.lane_tpi),
        WorkbookLane::Tpi2 => t_string!(i18n, assessment.lane_tpi2),
    }
}

/// Which layout, sheet and columns the import read, as a sentence.
fn read_text(i18n: I18nContext<Locale>, read: &WorkbookRead) -> String {
    let (layout, sheet, answer) = (read.layout.year(), read.sheet.clone(), read.answer_column);
    match read.note_column {
        Some(note) => t_string!(
            i18n,
            assessment.import_read,
            layout = layout,
            sheet = sheet,
            answer = answer,
            note = note
        )
        .to_string(),
        None => t_string!(
            i18n,
            assessment.import_read_no_note,
            layout = layout,
            sheet = sheet,
            answer = answer
        )
        .to_string(),
    }
}

/// The import was sent without the tick that every answer and note is replaced.
fn is_unconfirmed(error: &AppError) -> bool {
    error.field_of() == Some(Field::Confirm)
}

fn ratio(part: u32, total: u32) -> f64 {
    if total == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(total)
    }
}
