//! One LKE item on the unit's area page: its criteria, the answer widget, the
//! note and the evidence list.

use crate::api::assessments::SaveAnswers;
use crate::components::error::{error_text, value_problem_text};
use crate::components::form::textarea_html;
use crate::components::review_note::ReviewNote;
use crate::components::score::percent;
use crate::components::section::{number_text, ItemSpec, SpecKind};
use crate::domain::assessment::{apply, parse_item_value, ValueProblem};
use crate::domain::lke::{format_id, score, HasilItemId, InputKind, ItemCode, QuestionValue};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

use super::evidence::EvidenceList;
use super::Walk;

#[component]
pub(super) fn ItemBlock(spec: ItemSpec, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let item = spec.item;
    let code = item.to_string();
    let save = ServerAction::<SaveAnswers>::new();
    // What was refused, by the code of the field that holds it: typed here
    // (checked in the browser), or posted without JavaScript (from the URL).
    let field_errors = RwSignal::new(refused_here(&spec, save));
    let on_value = move |raw: String| autosave(walk, save, field_errors, item, raw, None);
    let on_note = move |note: String| {
        autosave(walk, save, field_errors, item, String::new(), Some(note));
    };
    let note = walk
        .notes
        .with_value(|n| n.get(&item).cloned())
        .unwrap_or_default();
    let disabled = !walk.editable;
    let answer_input = match spec.kind.clone() {
        SpecKind::Choice(options) => {
            let current = walk.answers.with_untracked(|a| match item {
                ItemCode::Question(q) => a.choice(q),
                ItemCode::Hasil(HasilItemId::Capaian) => a.hasil().capaian,
                _ => None,
            });
            let name = format!("value[{code}]");
            let radios = options
                .into_iter()
                .map(|(answer, text)| {
                    let id = format!("{code}-{}", answer.as_str());
                    view! {
                        <div class="option">
                            <input type="radio" id=id.clone() name=name.clone() value=answer.as_str() form="answers"
                                checked=current == Some(answer) disabled=disabled
                                on:change=move |_| on_value(answer.as_str().to_owned()) />
                            <label for=id><strong>{answer.as_str()}</strong> " " {text}</label>
                        </div>
                    }
                })
                .collect_view();
            let none_id = format!("{code}-none");
            view! {
                <fieldset class="options">
                    <legend class="visually-hidden">{t!(i18n, area.answer)}</legend>
                    {radios}
                    <div class="option muted">
                        <input type="radio" id=none_id.clone() name=name.clone() value="" form="answers"
                            checked=current.is_none() disabled=disabled
                            on:change=move |_| on_value(String::new()) />
                        <label for=none_id>{t!(i18n, area.not_answered)}</label>
                    </div>
                    <FieldError code=item.to_string() errors=field_errors />
                </fieldset>
            }
            .into_any()
        }
        SpecKind::Percent(inputs) => {
            let question = match item {
                ItemCode::Question(q) => Some(q),
                _ => None,
            };
            let computed = move || {
                if field_errors.with(|e| !e.is_empty()) {
                    return t_string!(i18n, area.computed_waits).to_string();
                }
                let value = walk.rubric.with_value(|r| {
                    walk.answers
                        .with(|a| question.and_then(|q| score(r, a).question(q).map(|s| s.value)))
                });
                match value {
                    Some(QuestionValue::Value(v)) => percent(v),
                    Some(QuestionValue::Error(_)) => {
                        t_string!(i18n, area.formula_error).to_string()
                    }
                    _ => t_string!(i18n, area.not_answered).to_string(),
                }
            };
            let rows = inputs
                .into_iter()
                .map(|input| {
                    let input_code = input.code;
                    let id = format!("{input_code}");
                    let entered = matches!(input.kind, InputKind::Entered);
                    let current = walk.answers.with_untracked(|a| a.input(input_code)).map(|v| number_text(v.value()));
                    view! {
                        <div class="field jumlah">
                            <label for=id.clone()><code>{input_code.to_string()}</code> " " {input.text.clone()}</label>
                            {if entered {
                                let field = input_code.to_string();
                                let invalid = move || field_errors.with(|e| e.contains_key(&field)).then_some("true");
                                view! {
                                    <input id=id.clone() name=format!("value[{input_code}]") inputmode="numeric" form="answers"
                                        value=current disabled=disabled
                                        aria-invalid=invalid aria-describedby=format!("{id}-error")
                                        on:change=move |ev| {
                                            let raw = event_target_value(&ev);
                                            autosave(walk, save, field_errors, ItemCode::Input(input_code), raw, None);
                                        } />
                                    <FieldError code=id errors=field_errors />
                                }.into_any()
                            } else {
                                view! { <span class="muted">{t!(i18n, area.summed)}</span> }.into_any()
                            }}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="jumlah-rows">{rows}</div>
                <p class="computed">{t!(i18n, area.computed)} ": " <strong data-testid=format!("computed-{code}")>{computed}</strong></p>
            }
            .into_any()
        }
        SpecKind::Index => {
            let current = walk.answers.with_untracked(|a| match item {
                ItemCode::Hasil(HasilItemId::Ipak) => a.hasil().ipak,
                ItemCode::Hasil(HasilItemId::Ipkp) => a.hasil().ipkp,
                _ => None,
            });
            let id = format!("{code}-index");
            view! {
                <div class="field">
                    <label for=id.clone()>{t!(i18n, area.index)}</label>
                    <input id=id name=format!("value[{code}]") inputmode="decimal" form="answers"
                        value=current.map(|v| format_id(v.value(), 2)) disabled=disabled
                        on:change=move |ev| on_value(event_target_value(&ev)) />
                    <FieldError code=code.clone() errors=field_errors />
                </div>
            }
            .into_any()
        }
    };
    let status = move || {
        if save.pending().get() {
            return view! { <p class="muted" role="status">{t!(i18n, area.saving)}</p> }.into_any();
        }
        // A refusal of the Save button (no JavaScript) is shown by the bar and
        // at its field, not on every question.
        if save.version().get() == 0 {
            return ().into_any();
        }
        save.value().with(|latest| match latest {
            Some(Ok(_)) => view! { <p class="save-ok" role="status">{t!(i18n, common.saved)}</p> }.into_any(),
            Some(Err(err)) => view! {
                <p class="field-error" role="alert">{error_text(i18n, err)} " " {t!(i18n, area.kept)}</p>
            }
            .into_any(),
            None => ().into_any(),
        })
    };
    let note_id = format!("{code}-note");
    let history = format!(
        "/assessments/{}/history/{code}",
        walk.assessment.get_value()
    );
    view! {
        <article class="card question" id=code.clone()>
            <h3><code>{code.clone()}</code> " " {spec.text.clone()}</h3>
            <ReviewNote entry=walk.review.with_value(|r| r.get(&item).cloned()) />
            {answer_input}
            <div class="field">
                <label for=note_id.clone()>{t!(i18n, area.note)}</label>
                <textarea id=note_id name=format!("note[{code}]") form="answers" rows="2" disabled=disabled
                    on:change=move |ev| on_note(event_target_value(&ev)) inner_html=textarea_html(&note)></textarea>
            </div>
            {status}
            <EvidenceList item walk />
            <p><a href=history class="muted">{t!(i18n, area.history)}</a></p>
        </article>
    }
    .into_any()
}

type FieldErrors = BTreeMap<String, ValueProblem>;

/// The refusal of a Save-button post (carried back in the URL) when it names
/// this item or one of its counts.
fn refused_here(spec: &ItemSpec, save: ServerAction<SaveAnswers>) -> FieldErrors {
    let mut codes = vec![spec.item.to_string()];
    if let SpecKind::Percent(inputs) = &spec.kind {
        codes.extend(inputs.iter().map(|i| i.code.to_string()));
    }
    save.value().with_untracked(|latest| match latest {
        Some(Err(AppError::Answer { item, problem })) if codes.contains(item) => {
            BTreeMap::from([(item.clone(), *problem)])
        }
        _ => BTreeMap::new(),
    })
}

/// The refusal of one field, next to it.
#[component]
fn FieldError(code: String, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{code}-error");
    move || {
        errors.with(|e| e.get(&code).copied()).map(|problem| {
            view! { <p class="field-error" role="alert" id=id.clone()>{value_problem_text(i18n, problem)}</p> }
        })
    }
}

/// Checks what the user typed and saves it for one item; a refused value
/// stays out of the local score and is shown at its field.
fn autosave(
    walk: Walk,
    action: ServerAction<SaveAnswers>,
    field_errors: RwSignal<FieldErrors>,
    item: ItemCode,
    raw: String,
    note: Option<String>,
) {
    if note.is_none() {
        let parsed = walk.rubric.with_value(|r| parse_item_value(r, item, &raw));
        let field = item.to_string();
        match parsed {
            Ok(value) => {
                field_errors.update(|e| {
                    e.remove(&field);
                });
                walk.answers
                    .update(|a| walk.rubric.with_value(|r| apply(a, r, item, value)));
            }
            Err(problem) => {
                field_errors.update(|e| {
                    e.insert(field, problem);
                });
                return;
            }
        }
    }
    let (value, notes) = match note {
        Some(note) => (BTreeMap::new(), BTreeMap::from([(item.to_string(), note)])),
        None => (BTreeMap::from([(item.to_string(), raw)]), BTreeMap::new()),
    };
    action.dispatch(SaveAnswers {
        assessment: walk.assessment.get_value(),
        value,
        note: notes,
    });
}
