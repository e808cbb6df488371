//! One area of the LKE (or the Hasil items): every question in the LKE's order
//! with its criteria, the unit's answer, a note and the evidence files. Answers
//! save as the user goes (with JavaScript) or with the Save button (without);
//! the score beside them is recomputed in the browser by the same engine.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use std::collections::BTreeMap;

use crate::api::assessments::{load_assessment, SaveAnswers};
use crate::api::evidence::{DeleteEvidence, LinkEvidence, RestoreEvidence};
use crate::components::error::{error_text, value_problem_text, ErrorAlert, PageError};
use crate::components::form::textarea_html;
use crate::components::labels::{area_label, part_label};
use crate::components::score::{percent, ScorePanel};
use crate::domain::assessment::{apply, parse_item_value};
use crate::domain::evidence::MaxFileSize;
use crate::domain::lke::{
    format_id, score, Answer, Answers, AreaId, HasilItemId, InputKind, ItemCode, NumericInput,
    Part, QuestionValue, RubricVersion,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AssessmentData, EvidenceView, ReviewEntry};
use crate::pages::assessment::AssessmentHeading;
use crate::pages::review_area::ReviewNote;

const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.mp4";

#[derive(Clone, Copy, PartialEq)]
pub enum Section {
    Area(Part, AreaId),
    Hasil,
}

pub(crate) fn section(part: &str, area: &str) -> Option<Section> {
    let area = area.parse::<u8>().ok();
    match part {
        "hasil" => Some(Section::Hasil),
        "pemenuhan" => Some(Section::Area(Part::Pemenuhan, AreaId::from_number(area?)?)),
        "reform" => Some(Section::Area(Part::Reform, AreaId::from_number(area?)?)),
        _ => None,
    }
}

#[component]
pub fn AreaPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SectionPage
            title=move || t_string!(i18n, area.title).to_string()
            walk=|data, section| view! { <AreaWalk data section /> }
        />
    }
}

/// An assessment's part and area from the route (`/…/{id}/{part}/{area}`),
/// loaded and shown by `walk`; an unknown part or area is "not found".
#[component]
pub fn SectionPage<W, V>(#[prop(into)] title: Signal<String>, walk: W) -> impl IntoView
where
    W: Fn(AssessmentData, Section) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        load_assessment,
    );
    let place = move || {
        params.with(|p| {
            section(
                &p.get("part").unwrap_or_default(),
                &p.get("area").unwrap_or_default(),
            )
        })
    };
    view! {
        <Title text=move || title.get() />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match (result, place()) {
                (Err(error), _) => view! { <PageError error /> }.into_any(),
                (Ok(_), None) => view! { <PageError error=AppError::NotFound /> }.into_any(),
                (Ok(data), Some(section)) => walk(data, section).into_any(),
            })}
        </Suspense>
    }
}

/// One answerable item as the page shows it.
#[derive(Clone)]
pub(crate) struct ItemSpec {
    pub item: ItemCode,
    pub text: String,
    pub kind: SpecKind,
}

#[derive(Clone)]
pub(crate) enum SpecKind {
    Choice(Vec<(Answer, String)>),
    Percent(Vec<NumericInput>),
    Index,
}

pub(crate) fn specs(rubric: &RubricVersion, section: Section) -> Vec<(String, Vec<ItemSpec>)> {
    match section {
        Section::Area(part, area) => rubric
            .area(part, area)
            .indicators
            .iter()
            .map(|indicator| {
                let items = indicator
                    .questions
                    .iter()
                    .map(|q| ItemSpec {
                        item: ItemCode::Question(q.code),
                        text: q.text.clone(),
                        kind: if q.answer_type.is_choice() {
                            SpecKind::Choice(
                                q.answer_type
                                    .options()
                                    .iter()
                                    .map(|a| (*a, criterion(&q.options, *a)))
                                    .collect(),
                            )
                        } else {
                            SpecKind::Percent(q.inputs.clone())
                        },
                    })
                    .collect();
                (format!("{} {}", indicator.code, indicator.name), items)
            })
            .collect(),
        Section::Hasil => {
            let hasil = rubric.hasil();
            let items = [&hasil.ipak, &hasil.capaian, &hasil.ipkp]
                .into_iter()
                .map(|h| ItemSpec {
                    item: ItemCode::Hasil(h.code),
                    text: h.text.clone(),
                    kind: match h.code {
                        HasilItemId::Capaian => SpecKind::Choice(
                            [Answer::A, Answer::B, Answer::C, Answer::D, Answer::E]
                                .into_iter()
                                .map(|a| (a, criterion(&h.options, a)))
                                .collect(),
                        ),
                        HasilItemId::Ipak | HasilItemId::Ipkp => SpecKind::Index,
                    },
                })
                .collect();
            vec![(String::new(), items)]
        }
    }
}

fn criterion(options: &[crate::domain::lke::OptionCriterion], answer: Answer) -> String {
    options
        .iter()
        .find(|o| o.answer == answer)
        .map(|o| o.text.clone())
        .unwrap_or_default()
}

/// What the page shares with every question block.
#[derive(Clone, Copy)]
struct Walk {
    assessment: StoredValue<String>,
    rubric: StoredValue<RubricVersion>,
    answers: RwSignal<Answers>,
    evidence: RwSignal<Vec<EvidenceView>>,
    notes: StoredValue<BTreeMap<ItemCode, String>>,
    editable: bool,
    return_to: StoredValue<String>,
    review: StoredValue<BTreeMap<ItemCode, ReviewEntry>>,
    max_file: MaxFileSize,
}

#[component]
fn AreaWalk(data: AssessmentData, section: Section) -> impl IntoView {
    let i18n = use_i18n();
    let rubric = data.rubric();
    let groups = specs(&rubric, section);
    let id = data.header.summary.id.clone();
    let location = use_location();
    let walk = Walk {
        assessment: StoredValue::new(id.clone()),
        rubric: StoredValue::new(rubric.clone()),
        answers: RwSignal::new(data.answers.clone()),
        evidence: RwSignal::new(data.evidence.clone()),
        notes: StoredValue::new(data.notes.clone()),
        editable: data.rights.edit,
        return_to: StoredValue::new(location.pathname.get_untracked()),
        review: StoredValue::new(
            data.review
                .as_ref()
                .map(|r| r.entries.clone())
                .unwrap_or_default(),
        ),
        max_file: data.max_file,
    };
    // Until the browser code runs, a choice is only in the page: say so, and
    // save what was changed meanwhile as soon as it does.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| {
        if walk.editable {
            #[cfg(feature = "hydrate")]
            browser::save_changes_made_while_loading();
        }
        interactive.set(true);
    });
    let heading = move || match section {
        Section::Area(part, area) => {
            format!("{} · {}", area_label(i18n, area), part_label(i18n, part))
        }
        Section::Hasil => t_string!(i18n, gates.hasil).to_string(),
    };
    let save_all = ServerAction::<SaveAnswers>::new();
    let holds_wbk = data.holds_wbk();
    let upload_error = move || {
        use_query_map()
            .with(|q| q.get("evidence_error"))
            .and_then(|raw| serde_json::from_str::<AppError>(&raw).ok())
    };
    let blocks = groups
        .into_iter()
        .map(|(title, items)| {
            view! {
                {(!title.is_empty()).then(|| view! { <h2 class="indicator">{title.clone()}</h2> })}
                {items.into_iter().map(|spec| view! { <ItemBlock spec walk /> }).collect_view()}
            }
        })
        .collect_view();
    view! {
        <AssessmentHeading header=data.header.clone() />
        <h2>{heading}</h2>
        {upload_error().map(|error| view! { <ErrorAlert error /> })}
        {(!walk.editable).then(|| view! { <p class="alert alert-info" data-testid="read-only">{t!(i18n, area.read_only)}</p> })}
        {move || (walk.editable && !interactive.get()).then(|| view! {
            <p class="alert alert-info loading-notice" role="status" data-testid="still-loading">{t!(i18n, area.still_loading)}</p>
        })}
        <div class="assessment-layout">
            <div>
                {blocks}
                {walk.editable.then(|| view! {
                    <ActionForm action=save_all attr:id="answers" attr:class="save-bar">
                        <input type="hidden" name="assessment" value=id.clone() />
                        <button type="submit" class="button primary">{t!(i18n, common.save)}</button>
                        {move || save_all.value().with(|latest| match latest {
                            Some(Ok(_)) => Some(view! { <span role="status">{t!(i18n, common.saved)}</span> }.into_any()),
                            Some(Err(err)) => Some(view! { <span class="field-error" role="alert">{error_text(i18n, err)}</span> }.into_any()),
                            None => None,
                        })}
                    </ActionForm>
                })}
            </div>
            <ScorePanel
                rubric=walk.rubric
                gates=StoredValue::new(data.gates.clone())
                target=data.header.summary.target
                answers=walk.answers.into()
                holds_wbk
            />
        </div>
    }
}

/// Keeps what the user typed and saves it for one item, reporting how it went.
fn autosave(
    walk: Walk,
    action: ServerAction<SaveAnswers>,
    item: ItemCode,
    raw: String,
    note: Option<String>,
) -> Option<AppError> {
    if note.is_none() {
        let parsed = walk.rubric.with_value(|r| parse_item_value(r, item, &raw));
        match parsed {
            Ok(value) => walk
                .answers
                .update(|a| walk.rubric.with_value(|r| apply(a, r, item, value))),
            Err(problem) => {
                return Some(AppError::Answer {
                    item: item.to_string(),
                    problem,
                })
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
    None
}

pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format_id(value, 2)
    }
}

#[component]
fn ItemBlock(spec: ItemSpec, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let item = spec.item;
    let code = item.to_string();
    let save = ServerAction::<SaveAnswers>::new();
    let local_error = RwSignal::new(None::<AppError>);
    let on_value = move |raw: String| local_error.set(autosave(walk, save, item, raw, None));
    let on_note =
        move |note: String| local_error.set(autosave(walk, save, item, String::new(), Some(note)));
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
                                view! {
                                    <input id=id name=format!("value[{input_code}]") inputmode="decimal" form="answers"
                                        value=current disabled=disabled
                                        on:change=move |ev| {
                                            let raw = event_target_value(&ev);
                                            local_error.set(autosave(walk, save, ItemCode::Input(input_code), raw, None));
                                        } />
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
                </div>
            }
            .into_any()
        }
    };
    let status = move || {
        if let Some(err) = local_error.get() {
            return view! { <p class="field-error" role="alert">{local_text(i18n, &err)}</p> }
                .into_any();
        }
        if save.pending().get() {
            return view! { <p class="muted" role="status">{t!(i18n, area.saving)}</p> }.into_any();
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
}

fn local_text(i18n: leptos_i18n::I18nContext<Locale>, err: &AppError) -> String {
    match err {
        AppError::Answer { problem, .. } => value_problem_text(i18n, *problem).to_owned(),
        other => error_text(i18n, other),
    }
}

pub(crate) fn size_text(bytes: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let kb = bytes as f64 / 1024.0;
    if kb < 1024.0 {
        format!("{} KB", format_id(kb, 0))
    } else {
        format!("{} MB", format_id(kb / 1024.0, 1))
    }
}

#[component]
fn EvidenceList(item: ItemCode, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let files = move |current: bool| {
        walk.evidence.with(|all| {
            all.iter()
                .filter(|e| {
                    e.items.contains(&item) && e.replaced_by.is_none() && e.deleted != current
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let previous = move || {
        walk.evidence.with(|all| {
            all.iter()
                .filter(|e| e.items.contains(&item) && e.replaced_by.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="evidence">
            <h4>{t!(i18n, evidence.title)}</h4>
            {move || files(true).is_empty().then(|| view! { <p class="muted">{t!(i18n, evidence.none)}</p> })}
            // Keyed by file: an open "Ganti" panel stays with its own file when the list changes.
            <ul class="files">
                <For each=move || files(true) key=|file| file.id.clone() let:file>
                    <FileRow file walk />
                </For>
            </ul>
            {move || {
                let deleted = files(false);
                (!deleted.is_empty()).then(|| view! {
                    <details class="deleted">
                        <summary>{t!(i18n, evidence.deleted)} " (" {deleted.len()} ")"</summary>
                        <ul class="files">
                            {deleted.into_iter().map(|file| view! { <DeletedRow file walk /> }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            {move || {
                let old = previous();
                (!old.is_empty()).then(|| view! {
                    <details class="previous">
                        <summary>{t!(i18n, evidence.previous)} " (" {old.len()} ")"</summary>
                        <ul class="files">
                            {old.into_iter().map(|file| view! {
                                <li><a href=format!("/evidence/{}", file.id)>{file.name.clone()}</a> " " <span class="muted">{size_text(file.size)}</span></li>
                            }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            {walk.editable.then(|| view! { <UploadForm item walk replaces=None /> })}
        </div>
    }
}

#[component]
fn FileRow(file: EvidenceView, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteEvidence>::new();
    let id = file.id.clone();
    let deleted_id = id.clone();
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            walk.evidence.update(|all| {
                if let Some(f) = all.iter_mut().find(|f| f.id == deleted_id) {
                    f.deleted = true;
                }
            });
        }
    });
    let href = format!("/evidence/{id}");
    let preview = format!("/evidence/{id}?inline=1");
    let is_image = file.mime.starts_with("image/");
    // Loaded only when opened, so a page of many files stays light.
    let opened = RwSignal::new(false);
    view! {
        <li class="file">
            <a href=href.clone() download>{file.name.clone()}</a>
            " " <span class="muted">{size_text(file.size)} " · " {file.uploaded_by.clone().unwrap_or_default()}</span>
            {file.previewable().then(|| view! {
                <details class="preview" on:toggle=move |_| opened.set(true)>
                    <summary>{t!(i18n, evidence.preview)}</summary>
                    <a href=preview.clone() target="_blank" rel="noopener">{t!(i18n, evidence.open)}</a>
                    {
                        let (preview, name) = (preview.clone(), file.name.clone());
                        move || opened.get().then(|| if is_image {
                            view! { <img src=preview.clone() alt=name.clone() /> }.into_any()
                        } else {
                            view! { <iframe src=preview.clone() title=name.clone()></iframe> }.into_any()
                        })
                    }
                </details>
            })}
            {walk.editable.then(|| view! {
                <details class="replace">
                    <summary>{t!(i18n, evidence.replace)}</summary>
                    <UploadForm item=file.items.first().copied().unwrap_or(ItemCode::Hasil(HasilItemId::Ipak)) walk replaces=Some(id.clone()) />
                </details>
                <LinkForm id=id.clone() />
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="link-button danger">{t!(i18n, evidence.delete)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// Links a file to one more item (one SK often proves several), without storing it twice.
#[component]
fn LinkForm(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let link = ServerAction::<LinkEvidence>::new();
    let field = format!("link-{id}");
    view! {
        <details class="link">
            <summary>{t!(i18n, evidence.link)}</summary>
            <ActionForm action=link attr:class="inline-form">
                <input type="hidden" name="id" value=id.clone() />
                <label for=field.clone()>{t!(i18n, evidence.link_item)}</label>
                " "
                <input id=field name="item" required placeholder="P.MP.ii.a" size="10" />
                " "
                <button type="submit" class="button">{t!(i18n, evidence.link_button)}</button>
                {move || link.value().with(|latest| match latest {
                    Some(Ok(())) => Some(view! { <span role="status">{t!(i18n, common.saved)}</span> }.into_any()),
                    Some(Err(err)) => Some(view! { <span class="field-error" role="alert">{error_text(i18n, err)}</span> }.into_any()),
                    None => None,
                })}
            </ActionForm>
        </details>
    }
}

#[component]
fn DeletedRow(file: EvidenceView, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let restore = ServerAction::<RestoreEvidence>::new();
    let id = file.id.clone();
    let restored_id = id.clone();
    Effect::new(move |_| {
        if matches!(restore.value().get(), Some(Ok(()))) {
            walk.evidence.update(|all| {
                if let Some(f) = all.iter_mut().find(|f| f.id == restored_id) {
                    f.deleted = false;
                }
            });
        }
    });
    view! {
        <li class="file muted">
            {file.name.clone()}
            {walk.editable.then(|| view! {
                <ActionForm action=restore attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="link-button">{t!(i18n, evidence.restore)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// A plain multipart form (works without JavaScript); with JavaScript it
/// uploads in the background and shows a progress bar.
#[component]
fn UploadForm(item: ItemCode, walk: Walk, replaces: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let progress = RwSignal::new(None::<f64>);
    let failure = RwSignal::new(None::<AppError>);
    let action = format!("/assessments/{}/evidence", walk.assessment.get_value());
    let input_id = format!(
        "upload-{item}-{}",
        replaces.clone().unwrap_or_else(|| "new".to_owned())
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            ev.prevent_default();
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
            {
                if browser::chosen_file_size(&form).is_some_and(|size| size > walk.max_file.bytes())
                {
                    failure.set(Some(AppError::Evidence {
                        problem: crate::error::EvidenceProblem::TooLarge {
                            max_mb: walk.max_file.mb(),
                        },
                    }));
                    return;
                }
                failure.set(None);
                progress.set(Some(0.0));
                let sent = form.clone();
                browser::send(form, progress, move |result| {
                    progress.set(None);
                    match result {
                        Ok(view) => {
                            // A second click must not send the same file again.
                            sent.reset();
                            walk.evidence.update(|all| {
                                if let Some(old) = view.replaces.as_ref() {
                                    if let Some(f) = all.iter_mut().find(|f| &f.id == old) {
                                        f.replaced_by = Some(view.id.clone());
                                    }
                                }
                                all.retain(|f| f.id != view.id);
                                all.push(view);
                            });
                        }
                        Err(err) => failure.set(Some(err)),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <form class="upload-form" method="post" action=action enctype="multipart/form-data" on:submit=on_submit>
            <input type="hidden" name="return_to" value=format!("{}#{item}", walk.return_to.get_value()) />
            <input type="hidden" name="item" value=item.to_string() />
            {replaces.map(|id| view! { <input type="hidden" name="replaces" value=id /> })}
            <label for=input_id.clone() class="visually-hidden">{t!(i18n, evidence.file)}</label>
            <input id=input_id type="file" name="file" required accept=ACCEPT />
            <span class="muted upload-limit">{t!(i18n, evidence.limit, max_mb = walk.max_file.mb())}</span>
            <button type="submit" class="button" disabled=move || progress.get().is_some()>{t!(i18n, evidence.upload)}</button>
            {move || progress.get().map(|p| view! {
                <progress max="100" value=format!("{:.0}", p * 100.0) aria-label=move || t_string!(i18n, evidence.uploading)></progress>
            })}
            {move || failure.get().map(|err| view! { <p class="field-error" role="alert">{error_text(i18n, &err)}</p> })}
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{
        Event, EventInit, FormData, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
        ProgressEvent, XmlHttpRequest,
    };

    use crate::error::AppError;
    use crate::model::EvidenceView;

    /// Fires `change` on every answer or note that differs from what the
    /// server rendered (a choice made before the page became interactive), so
    /// it is saved like one made now. A radio that was only unchecked is left
    /// alone: the one now checked carries the choice.
    pub fn save_changes_made_while_loading() {
        let Some(form) = document()
            .get_element_by_id("answers")
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let controls = form.elements();
        let changed = (0..controls.length())
            .filter_map(|n| controls.item(n))
            .filter(|control| {
                if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
                    if input.type_() == "radio" {
                        input.checked() && !input.default_checked()
                    } else {
                        input.value() != input.default_value()
                    }
                } else if let Some(note) = control.dyn_ref::<HtmlTextAreaElement>() {
                    note.default_value()
                        .is_ok_and(|initial| note.value() != initial)
                } else {
                    false
                }
            })
            .collect::<Vec<_>>();
        let init = EventInit::new();
        init.set_bubbles(true);
        for control in changed {
            if let Ok(event) = Event::new_with_event_init_dict("change", &init) {
                let _ = control.dispatch_event(&event);
            }
        }
    }

    /// The size of the file chosen in an upload form, if any.
    pub fn chosen_file_size(form: &HtmlFormElement) -> Option<u64> {
        let input = form
            .query_selector("input[type=file]")
            .ok()
            .flatten()?
            .dyn_into::<HtmlInputElement>()
            .ok()?;
        let file = input.files()?.get(0)?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(file.size() as u64)
    }

    /// Posts the form with XMLHttpRequest, the one browser API that reports upload progress.
    pub fn send(
        form: HtmlFormElement,
        progress: RwSignal<Option<f64>>,
        done: impl Fn(Result<EvidenceView, AppError>) + 'static,
    ) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            return done(Err(AppError::Network));
        };
        let Ok(data) = FormData::new_with_form(&form) else {
            return done(Err(AppError::BadRequest));
        };
        if xhr.open("POST", &form.action()).is_err() {
            return done(Err(AppError::Network));
        }
        let _ = xhr.set_request_header("Accept", "application/json");
        if let Ok(upload) = xhr.upload() {
            let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |ev: ProgressEvent| {
                if ev.length_computable() && ev.total() > 0.0 {
                    progress.set(Some(ev.loaded() / ev.total()));
                }
            });
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let done = std::rc::Rc::new(done);
        let finished = {
            let xhr = xhr.clone();
            let done = done.clone();
            Closure::<dyn Fn()>::new(move || {
                let text = xhr.response_text().ok().flatten().unwrap_or_default();
                let status = xhr.status().unwrap_or(0);
                let result = if (200..300).contains(&status) {
                    serde_json::from_str::<EvidenceView>(&text).map_err(|_| AppError::Internal)
                } else {
                    Err(serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Network))
                };
                done(result);
            })
        };
        xhr.set_onload(Some(finished.as_ref().unchecked_ref()));
        finished.forget();
        let failed = Closure::<dyn Fn()>::new(move || done(Err(AppError::Network)));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        failed.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            progress.set(None);
        }
    }
}
