//! One LKE item on the unit's area page: its criteria, the answer widget, the
//! note and the evidence list.

use crate::api::assessments::SaveAnswers;
use crate::components::error::{error_text, value_problem_text};
use crate::components::form::textarea_html;
use crate::components::labels::moment_label;
use crate::components::review_note::ReviewNote;
use crate::components::score::percent;
use crate::components::section::{number_text, ItemSpec, SpecKind};
use crate::domain::assessment::{apply, parse_item_value, ValueProblem};
use crate::domain::lke::{format_id, score, HasilItemId, InputKind, ItemCode, QuestionValue};
use crate::error::{AppError, ItemConflict, MineRefused};
use crate::i18n::*;
use crate::model::AnswersSaved;
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
    let saves = Saves::new(walk, &spec, save);
    let on_value = move |raw: String| autosave(walk, saves, field_errors, item, raw, None);
    let on_note = move |note: String| {
        autosave(walk, saves, field_errors, item, String::new(), Some(note));
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
                                            autosave(walk, saves, field_errors, ItemCode::Input(input_code), raw, None);
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
            // Shown with both inputs by the conflict notice.
            Some(Err(AppError::Conflict { .. })) => ().into_any(),
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
            {saves.version_inputs().into_any()}
            {move || saves.conflicts().into_iter().map(|conflict| view! { <ConflictNotice conflict walk save /> }).collect_view().into_any()}
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

/// A change waiting for the save before it: its values and notes by code.
type Pending = (BTreeMap<String, String>, BTreeMap<String, String>);

/// Raises the page's versions to those a save reports.
pub(super) fn take_versions(walk: Walk, saved: &AnswersSaved) {
    walk.versions.update(|known| {
        for (code, version) in &saved.versions {
            let at = known.entry(code.clone()).or_insert(0);
            *at = (*at).max(*version);
        }
    });
}

/// The saves of one item block: the version each of its rows was loaded at
/// (raised by every save of this page), sent with each save; one save at a
/// time, so two quick changes never meet each other as a conflict.
#[derive(Clone, Copy)]
struct Saves {
    action: ServerAction<SaveAnswers>,
    codes: StoredValue<Vec<ItemCode>>,
    versions: RwSignal<BTreeMap<String, i64>>,
    in_flight: StoredValue<bool>,
    queued: StoredValue<Vec<Pending>>,
}

impl Saves {
    fn new(walk: Walk, spec: &ItemSpec, action: ServerAction<SaveAnswers>) -> Self {
        let mut codes = vec![spec.item];
        if let SpecKind::Percent(inputs) = &spec.kind {
            codes.extend(
                inputs
                    .iter()
                    .filter(|i| matches!(i.kind, InputKind::Entered))
                    .map(|i| ItemCode::Input(i.code)),
            );
        }
        let saves = Saves {
            action,
            codes: StoredValue::new(codes),
            versions: walk.versions,
            in_flight: StoredValue::new(false),
            queued: StoredValue::new(Vec::new()),
        };
        // Each answer takes the versions it reports, then the next queued save goes.
        // The first run only subscribes: what the page loaded with (a refusal
        // carried in the URL) is no answer to a save of this page.
        Effect::new(move |ran: Option<()>| {
            action.value().with(|latest| {
                if let (Some(()), Some(Ok(saved))) = (ran, latest) {
                    take_versions(walk, saved);
                }
            });
            if ran.is_none() {
                return;
            }
            saves.in_flight.set_value(false);
            let next = saves
                .queued
                .try_update_value(|queue| (!queue.is_empty()).then(|| queue.remove(0)))
                .flatten();
            if let Some((value, note)) = next {
                saves.send(walk, value, note);
            }
        });
        saves
    }

    fn send(self, walk: Walk, value: BTreeMap<String, String>, note: BTreeMap<String, String>) {
        if self.in_flight.get_value() {
            self.queued.update_value(|queue| queue.push((value, note)));
            return;
        }
        self.in_flight.set_value(true);
        let version = self.versions.with_untracked(|known| {
            value
                .keys()
                .chain(note.keys())
                .map(|code| {
                    let at = known.get(code).copied().unwrap_or(0);
                    (code.clone(), at.to_string())
                })
                .collect()
        });
        self.action.dispatch(SaveAnswers {
            assessment: walk.assessment.get_value(),
            value,
            note,
            version,
        });
    }

    /// A hidden `version[CODE]` per row, for the Save button without JavaScript.
    fn version_inputs(self) -> impl IntoView {
        self.codes
            .get_value()
            .into_iter()
            .map(|code| {
                let key = code.to_string();
                let current = move || {
                    self.versions
                        .with(|v| v.get(&key).copied().unwrap_or(0))
                        .to_string()
                };
                view! { <input type="hidden" name=format!("version[{code}]") form="answers" value=current /> }
            })
            .collect_view()
    }

    /// The conflicts of the latest save that name this item or one of its counts.
    fn conflicts(self) -> Vec<ItemConflict> {
        let codes: Vec<String> = self
            .codes
            .with_value(|c| c.iter().map(ToString::to_string).collect());
        self.action.value().with(|latest| match latest {
            Some(Err(AppError::Conflict { conflicts, .. })) => conflicts
                .iter()
                .filter(|c| codes.contains(&c.item) && c.mine.is_some())
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    }
}

/// Someone else saved this item after the page was loaded: their input and
/// the member's, to take theirs (the page again, as stored) or keep one's own
/// (a save from the version now stored).
#[component]
fn ConflictNotice(
    conflict: ItemConflict,
    walk: Walk,
    save: ServerAction<SaveAnswers>,
) -> impl IntoView {
    let i18n = use_i18n();
    let by = conflict
        .by
        .clone()
        .unwrap_or_else(|| t_string!(i18n, errors.someone_else).to_string());
    let mine = conflict.mine.clone().unwrap_or(MineRefused {
        value: None,
        note: String::new(),
    });
    let shown = move |text: &Option<String>| {
        text.clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| t_string!(i18n, area.empty).to_string())
    };
    let takes_note = !matches!(conflict.item.parse::<ItemCode>(), Ok(ItemCode::Input(_)));
    let code = conflict.item.clone();
    // A URL of its own, so the browser loads the page afresh rather than only
    // scrolling to the item.
    let take_theirs = format!(
        "{}?theirs={code}@{}#{code}",
        walk.return_to.get_value(),
        conflict.version
    );
    let value_field = (mine.value != conflict.value)
        .then(|| view! { <input type="hidden" name=format!("value[{code}]") value=mine.value.clone().unwrap_or_default() /> });
    let note_field = (takes_note && mine.note != conflict.note).then(
        || view! { <input type="hidden" name=format!("note[{code}]") value=mine.note.clone() /> },
    );
    let (by_name, item_code) = (by.clone(), code.clone());
    let version_name = format!("version[{code}]");
    let assessment = walk.assessment.get_value();
    let at = moment_label(i18n, conflict.at);
    view! {
        <div class="alert alert-warning conflict" role="alert" data-testid=format!("conflict-{code}")>
            <p>{t!(i18n, area.conflict, by = by_name, item = item_code, at = at)}</p>
            <dl>
                <dt>{t!(i18n, area.theirs, by = by)}</dt>
                <dd data-testid="theirs">{t!(i18n, area.answer)} ": " {shown(&conflict.value)}
                    {takes_note.then(|| view! { "; " {t!(i18n, area.note)} ": " {shown(&Some(conflict.note.clone()))} })}</dd>
                <dt>{t!(i18n, area.mine)}</dt>
                <dd data-testid="mine">{t!(i18n, area.answer)} ": " {shown(&mine.value)}
                    {takes_note.then(|| view! { "; " {t!(i18n, area.note)} ": " {shown(&Some(mine.note.clone()))} })}</dd>
            </dl>
            <div class="conflict-actions">
                <a class="button" href=take_theirs rel="external">{t!(i18n, area.take_theirs)}</a>
                <ActionForm action=save attr:class="inline-form">
                    <input type="hidden" name="assessment" value=assessment />
                    <input type="hidden" name=version_name value=conflict.version.to_string() />
                    {value_field}
                    {note_field}
                    <button type="submit" class="button primary">{t!(i18n, area.keep_mine)}</button>
                </ActionForm>
            </div>
        </div>
    }
    .into_any()
}

/// Checks what the user typed and saves it for one item; a refused value
/// stays out of the local score and is shown at its field.
fn autosave(
    walk: Walk,
    saves: Saves,
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
    saves.send(walk, value, notes);
}
