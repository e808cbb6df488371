//! The national stages after the proposal: the line the unit pages show
//! (where the assessment stands), and the administrator's section with the
//! recorded history and one form for the next stage (works without JavaScript).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::form::{field_error, FormStatus};
use super::labels::{date_label, moment_label, target_label, Lang};
use crate::api::national::RecordNationalStage;
use crate::domain::assessment::Target;
use crate::domain::lke::{AssessmentState, Predicate};
use crate::domain::national::{
    next, Ending, Next, SanggahOutcome, SelectionOutcome, Stage, StageKind, StageProblem,
    StageRefusal,
};
use crate::error::Field;
use crate::i18n::*;
use crate::model::RecordedStage;
use leptos_i18n::I18nContext;

pub fn stage_label(i18n: impl Lang, kind: StageKind) -> &'static str {
    let locale = i18n.locale();
    match kind {
        StageKind::AdministrativeSelection => {
            td_string!(locale, national.stage_administrative_selection)
        }
        StageKind::Sanggah => td_string!(locale, national.stage_sanggah),
        StageKind::DocumentReview => td_string!(locale, national.stage_document_review),
        StageKind::Interview => td_string!(locale, national.stage_interview),
        StageKind::FieldVerification => td_string!(locale, national.stage_field_verification),
        StageKind::Panel => td_string!(locale, national.stage_panel),
        StageKind::FinalResult => td_string!(locale, national.stage_final_result),
    }
}

fn selection_label(i18n: impl Lang, outcome: SelectionOutcome) -> &'static str {
    let locale = i18n.locale();
    match outcome {
        SelectionOutcome::Lulus => td_string!(locale, national.outcome_lulus),
        SelectionOutcome::LulusDenganCatatan => {
            td_string!(locale, national.outcome_lulus_dengan_catatan)
        }
        SelectionOutcome::TidakLulus => td_string!(locale, national.outcome_tidak_lulus),
    }
}

fn sanggah_label(i18n: impl Lang, outcome: SanggahOutcome) -> &'static str {
    match outcome {
        SanggahOutcome::Diterima => td_string!(i18n.locale(), national.outcome_diterima),
        SanggahOutcome::Ditolak => td_string!(i18n.locale(), national.outcome_ditolak),
    }
}

fn predicate_name(predicate: Predicate) -> &'static str {
    match predicate {
        Predicate::Wbk => target_label(Target::Wbk),
        Predicate::Wbbm => target_label(Target::Wbbm),
    }
}

/// Why a stage was refused, as a sentence.
pub fn refusal_text(i18n: I18nContext<Locale>, reason: StageRefusal) -> String {
    let text = match reason {
        StageRefusal::NotProposed => t_string!(i18n, national.refusal_not_proposed),
        StageRefusal::Ended {
            ending: Ending::Decided,
        } => t_string!(i18n, national.refusal_decided),
        StageRefusal::Ended {
            ending: Ending::Failed,
        } => t_string!(i18n, national.refusal_failed),
        StageRefusal::OutOfOrder { expected } => {
            return t_string!(
                i18n,
                national.refusal_out_of_order,
                expected = stage_label(i18n, expected)
            )
            .to_string()
        }
        StageRefusal::SanggahWithoutFailure => {
            t_string!(i18n, national.refusal_sanggah_without_failure)
        }
        StageRefusal::SanggahTwice => t_string!(i18n, national.refusal_sanggah_twice),
        StageRefusal::SanggahOutsideWindow => t_string!(i18n, national.refusal_outside_window),
        StageRefusal::WindowBeforeSelection => {
            t_string!(i18n, national.refusal_window_before_selection)
        }
        StageRefusal::FiledInFuture => t_string!(i18n, national.refusal_filed_in_future),
        StageRefusal::BeforePrevious { previous } => {
            return t_string!(
                i18n,
                national.refusal_before_previous,
                previous = date_label(i18n, previous)
            )
            .to_string()
        }
        StageRefusal::PredicateNotTarget => t_string!(i18n, national.refusal_predicate_not_target),
    };
    text.to_string()
}

/// What is wrong with a field of the stage form (problems the other forms share are theirs).
pub fn problem_text(i18n: I18nContext<Locale>, problem: StageProblem) -> &'static str {
    match problem {
        StageProblem::OneLine => t_string!(i18n, national.problem_one_line),
        StageProblem::Link => t_string!(i18n, national.problem_link),
        StageProblem::TooMany => t_string!(i18n, national.problem_too_many),
        StageProblem::WindowOrder => t_string!(i18n, national.problem_window_order),
        StageProblem::Unknown => t_string!(i18n, national.problem_unknown),
        StageProblem::Required => t_string!(i18n, errors.required),
        StageProblem::Date => t_string!(i18n, errors.date),
        StageProblem::TooLong => t_string!(i18n, errors.too_long),
    }
}

/// Where the assessment stands on its national path, in one line: for the
/// unit pages. Nothing before the proposal.
#[component]
pub fn NationalStanding(stages: Vec<RecordedStage>, state: AssessmentState) -> impl IntoView {
    let i18n = use_i18n();
    let proposed = matches!(
        state,
        AssessmentState::Proposed | AssessmentState::Awarded | AssessmentState::NotAwarded
    );
    let history: Vec<Stage> = stages.into_iter().map(|r| r.stage).collect();
    let line = match (history.last(), next(&history)) {
        (_, Next::Ended(Ending::Failed)) => t_string!(i18n, national.ended_failed).to_string(),
        (
            Some(Stage::AdministrativeSelection {
                outcome: SelectionOutcome::TidakLulus,
                ..
            }),
            _,
        ) => t_string!(i18n, national.awaiting_sanggah).to_string(),
        (Some(last), _) => t_string!(
            i18n,
            national.current,
            stage = stage_label(i18n, last.kind()),
            date = date_label(i18n, last.day())
        )
        .to_string(),
        (None, _) => t_string!(i18n, national.waiting).to_string(),
    };
    (proposed || !history.is_empty()).then(|| {
        view! { <p class="alert alert-info" data-testid="national-standing">{line}</p> }
    })
}

/// One recorded stage: what it decided, when, its notes, and who recorded it.
#[component]
fn StageItem(recorded: RecordedStage) -> impl IntoView {
    let i18n = use_i18n();
    let stage = recorded.stage;
    let kind = stage.kind();
    let detail = match &stage {
        Stage::AdministrativeSelection { outcome, .. } => {
            Some(selection_label(i18n, *outcome).to_owned())
        }
        Stage::Sanggah {
            window,
            filed_on,
            outcome,
            ..
        } => Some(format!(
            "{} · {}",
            sanggah_label(i18n, *outcome),
            t_string!(
                i18n,
                national.sanggah_line,
                start = date_label(i18n, window.start),
                end = date_label(i18n, window.end),
                filed = date_label(i18n, *filed_on)
            )
        )),
        Stage::FinalResult {
            predicate: Some(p),
            decree,
            ..
        } => Some(
            t_string!(
                i18n,
                national.awarded_line,
                predicate = predicate_name(*p),
                decree = decree.as_str().to_owned()
            )
            .to_string(),
        ),
        Stage::FinalResult {
            predicate: None,
            decree,
            ..
        } => Some(
            t_string!(
                i18n,
                national.not_awarded_line,
                decree = decree.as_str().to_owned()
            )
            .to_string(),
        ),
        _ => None,
    };
    let links = match &stage {
        Stage::Sanggah { links, .. } => links
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let notes = stage
        .notes()
        .filter(|n| !n.is_empty())
        .map(|n| n.as_str().to_owned());
    let by = recorded.recorded_by.unwrap_or_default();
    let at = moment_label(i18n, recorded.recorded_at);
    view! {
        <li data-stage=kind.as_str()>
            <strong>{stage_label(i18n, kind)}</strong>
            " · " {date_label(i18n, stage.day())}
            {detail.map(|d| view! { " · " <span>{d}</span> })}
            {(!links.is_empty()).then(|| view! {
                <ul class="links">
                    {links.into_iter().map(|href| view! {
                        <li><a href=href.clone() rel="noopener noreferrer nofollow">{href.clone()}</a></li>
                    }).collect_view()}
                </ul>
            })}
            {notes.map(|n| view! { <p class="pre-line">{n}</p> })}
            <p class="muted">{t_string!(i18n, national.recorded_by, name = by, at = at).to_string()}</p>
        </li>
    }
}

/// The administrator's section: the stages recorded so far and one form for
/// the next stage (while the assessment is proposed and its path goes on).
#[component]
pub fn NationalStages(
    assessment: String,
    state: AssessmentState,
    target: Target,
    stages: Vec<RecordedStage>,
    action: ServerAction<RecordNationalStage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let history: Vec<Stage> = stages.iter().map(|r| r.stage.clone()).collect();
    let seq = stages.len() + 1;
    let form = match (state, next(&history)) {
        (AssessmentState::Proposed, Next::Stage(kind)) => {
            Some(view! { <NextStageForm assessment kind seq target action /> })
        }
        _ => None,
    };
    let items = stages
        .into_iter()
        .map(|recorded| view! { <StageItem recorded /> })
        .collect_view();
    let empty = history.is_empty();
    view! {
        <section class="card" aria-labelledby="national-title" data-testid="national">
            <h2 id="national-title">{t!(i18n, national.title)}</h2>
            <p class="hint">{t!(i18n, national.intro)}</p>
            <FormStatus outcome=action.value() success=Signal::derive(move || t_string!(i18n, national.recorded).to_string()) done=RecordNationalStage::PATH />
            {if empty {
                view! { <p class="muted">{t!(i18n, national.none_yet)}</p> }.into_any()
            } else {
                view! { <ol class="national-stages" data-testid="national-history">{items}</ol> }.into_any()
            }}
            {form}
        </section>
    }
}

/// A field's error under it.
fn error_of(action: ServerAction<RecordNationalStage>, field: Field) -> Signal<Option<String>> {
    field_error(action.value(), field)
}

#[component]
fn DayField(
    id: &'static str,
    name: &'static str,
    label: Signal<String>,
    action: ServerAction<RecordNationalStage>,
    field: Field,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="date" name=name required aria-describedby=error_id.clone() />
            <p class="field-error" id=error_id aria-live="polite">{move || error_of(action, field).get()}</p>
        </div>
    }
}

#[component]
fn NotesField(action: ServerAction<RecordNationalStage>, hint: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="national-note">{t!(i18n, national.note)}</label>
            {hint.then(|| view! { <p class="hint">{t!(i18n, national.note_hint)}</p> })}
            <textarea id="national-note" name="note" rows="3" aria-describedby="national-note-error"></textarea>
            <p class="field-error" id="national-note-error" aria-live="polite">{move || error_of(action, Field::Note).get()}</p>
        </div>
    }
}

#[component]
fn Options(
    legend: Signal<String>,
    choices: Vec<(&'static str, String)>,
    action: ServerAction<RecordNationalStage>,
    name: &'static str,
    field: Field,
) -> impl IntoView {
    view! {
        <fieldset class="options">
            <legend>{legend}</legend>
            {choices.into_iter().enumerate().map(|(n, (value, label))| {
                let id = format!("national-{name}-{value}");
                view! {
                    <div class="option">
                        <input type="radio" id=id.clone() name=name value=value required={n == 0} />
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" aria-live="polite">{move || error_of(action, field).get()}</p>
        </fieldset>
    }
}

/// The form for the one stage that may come next. Nothing is preselected.
#[component]
fn NextStageForm(
    assessment: String,
    kind: StageKind,
    seq: usize,
    target: Target,
    action: ServerAction<RecordNationalStage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = |text: &'static str| Signal::derive(move || text.to_owned());
    let day_label = Signal::derive(move || t_string!(i18n, national.day).to_string());
    let outcome_legend = Signal::derive(move || t_string!(i18n, national.outcome).to_string());
    let fields = match kind {
        StageKind::AdministrativeSelection => view! {
            <Options legend=outcome_legend action name="outcome" field=Field::Outcome
                choices=SelectionOutcome::ALL.into_iter().map(|o| (o.as_str(), selection_label(i18n, o).to_owned())).collect() />
            <DayField id="national-day" name="day" label=day_label action field=Field::Day />
            <NotesField action hint=true />
        }
        .into_any(),
        StageKind::Sanggah => view! {
            <DayField id="national-window-start" name="window_start" label=label(t_string!(i18n, national.window_start)) action field=Field::WindowStart />
            <DayField id="national-window-end" name="window_end" label=label(t_string!(i18n, national.window_end)) action field=Field::WindowEnd />
            <DayField id="national-filed-on" name="filed_on" label=label(t_string!(i18n, national.filed_on)) action field=Field::FiledOn />
            <div class="field">
                <label for="national-links">{t!(i18n, national.links)}</label>
                <textarea id="national-links" name="links" rows="3" required aria-describedby="national-links-error"></textarea>
                <p class="field-error" id="national-links-error" aria-live="polite">{move || error_of(action, Field::Links).get()}</p>
            </div>
            <Options legend=outcome_legend action name="outcome" field=Field::Outcome
                choices=SanggahOutcome::ALL.into_iter().map(|o| (o.as_str(), sanggah_label(i18n, o).to_owned())).collect() />
            <NotesField action hint=false />
        }
        .into_any(),
        StageKind::FinalResult => view! {
            <Options legend=Signal::derive(move || t_string!(i18n, national.predicate).to_string()) action name="predicate" field=Field::Predicate
                choices=vec![(target.as_str(), target_label(target).to_owned()), ("none", t_string!(i18n, national.predicate_none).to_owned())] />
            <DayField id="national-day" name="day" label=day_label action field=Field::Day />
            <div class="field">
                <label for="national-decree">{t!(i18n, national.decree)}</label>
                <input id="national-decree" name="decree" required maxlength="200" aria-describedby="national-decree-error" />
                <p class="field-error" id="national-decree-error" aria-live="polite">{move || error_of(action, Field::Decree).get()}</p>
            </div>
            <div class="field checkbox">
                <input id="national-confirm" type="checkbox" name="confirm" value="yes" required aria-describedby="national-confirm-error" />
                <label for="national-confirm">{t!(i18n, national.confirm)}</label>
                <p class="field-error" id="national-confirm-error" aria-live="polite">{move || error_of(action, Field::Confirm).get()}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <DayField id="national-day" name="day" label=day_label action field=Field::Day />
            <NotesField action hint=false />
        }
        .into_any(),
    };
    view! {
        <h3>{t_string!(i18n, national.next_title, stage = stage_label(i18n, kind)).to_string()}</h3>
        <ActionForm action attr:class="grid-form" attr:data-testid="national-form">
            <input type="hidden" name="assessment" value=assessment />
            <input type="hidden" name="stage" value=kind.as_str() />
            <input type="hidden" name="seq" value=seq.to_string() />
            {fields}
            <button type="submit" class="button primary">{t!(i18n, national.record)}</button>
        </ActionForm>
    }
}
