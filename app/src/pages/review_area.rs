//! One area as the evaluators review it: for every question, the unit's answer,
//! note and evidence beside the evaluators' own answer (prefilled with the
//! unit's), a note to the unit and a status. Each question saves on its own
//! form, with the version it was loaded at, so two evaluators never overwrite
//! each other silently.

use leptos::prelude::*;

use crate::api::review::SaveReview;
use crate::components::assessment::AssessmentHeading;
use crate::components::error::error_text;
use crate::components::form::textarea_html;
use crate::components::labels::{area_label, part_label, review_status_label};
use crate::components::review_note::ReviewNote;
use crate::components::score::percent;
use crate::components::section::{
    number_text, size_text, specs, ItemSpec, Section, SectionPage, SpecKind,
};
use crate::domain::lke::{
    format_id, score, Answer, Answers, HasilItemId, InputKind, ItemCode, QuestionValue, ScoreSheet,
};
use crate::domain::review::ReviewStatus;
use crate::i18n::*;
use crate::model::{AssessmentData, EvidenceView, ReviewEntry};

#[component]
pub fn ReviewAreaPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SectionPage
            title=t_string!(i18n, review.title).to_string()
            walk=|data, section| view! { <ReviewWalk data section /> }
        />
    }
}

/// What every question card of the page shares.
#[derive(Clone, Copy)]
struct Lanes {
    assessment: StoredValue<String>,
    unit: StoredValue<(Answers, ScoreSheet)>,
    tpi: StoredValue<(Answers, ScoreSheet)>,
    data: StoredValue<AssessmentData>,
    editable: bool,
}

#[component]
fn ReviewWalk(data: AssessmentData, section: Section) -> impl IntoView {
    let i18n = use_i18n();
    let rubric = data.rubric();
    let tpi = data.evaluator_answers(&rubric);
    let lanes = Lanes {
        assessment: StoredValue::new(data.header.summary.id.clone()),
        unit: StoredValue::new((data.answers.clone(), score(&rubric, &data.answers))),
        tpi: StoredValue::new((tpi.clone(), score(&rubric, &tpi))),
        editable: data.rights.review,
        data: StoredValue::new(data.clone()),
    };
    let heading = move || match section {
        Section::Area(part, area) => {
            format!("{} · {}", area_label(i18n, area), part_label(i18n, part))
        }
        Section::Hasil => t_string!(i18n, gates.hasil).to_string(),
    };
    let blocks = specs(&rubric, section)
        .into_iter()
        .map(|(title, items)| {
            view! {
                {(!title.is_empty()).then(|| view! { <h2 class="indicator">{title.clone()}</h2> })}
                {items.into_iter().map(|spec| view! { <ReviewBlock spec lanes /> }).collect_view()}
            }
        })
        .collect_view();
    let id = data.header.summary.id.clone();
    view! {
        <AssessmentHeading header=data.header.clone() />
        <p class="breadcrumb"><a href=format!("/review/{id}")>{t!(i18n, review.title)}</a></p>
        <h2>{heading}</h2>
        {(!lanes.editable).then(|| view! { <p class="alert alert-info" data-testid="read-only">{t!(i18n, review.read_only)}</p> })}
        {blocks}
    }
}

/// An item's value as text: the option letter, a computed %, or an index.
fn value_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    (answers, sheet): &(Answers, ScoreSheet),
    item: ItemCode,
) -> String {
    let text = match item {
        ItemCode::Question(code) => match (answers.choice(code), sheet.question(code)) {
            (Some(answer), _) => Some(answer.as_str().to_owned()),
            (None, Some(q)) => match q.value {
                QuestionValue::Value(v) => Some(percent(v)),
                QuestionValue::Error(_) => Some(t_string!(i18n, area.formula_error).to_string()),
                QuestionValue::NotFilled => None,
            },
            (None, None) => None,
        },
        ItemCode::Hasil(HasilItemId::Capaian) => {
            answers.hasil().capaian.map(|a| a.as_str().to_owned())
        }
        ItemCode::Hasil(HasilItemId::Ipak) => answers.hasil().ipak.map(|v| format_id(v.value(), 2)),
        ItemCode::Hasil(HasilItemId::Ipkp) => answers.hasil().ipkp.map(|v| format_id(v.value(), 2)),
        ItemCode::Input(code) => answers.input(code).map(|v| number_text(v.value())),
    };
    text.unwrap_or_else(|| t_string!(i18n, area.not_answered).to_string())
}

#[component]
fn ReviewBlock(spec: ItemSpec, lanes: Lanes) -> impl IntoView {
    let i18n = use_i18n();
    let item = spec.item;
    let code = item.to_string();
    let (entry, changed, unit_note, files) = lanes.data.with_value(|data| {
        let review = data.review.as_ref();
        (
            review.and_then(|r| r.entries.get(&item).cloned()),
            review.is_some_and(|r| r.changed_since_return.contains(&item)),
            data.notes.get(&item).cloned().unwrap_or_default(),
            data.evidence
                .iter()
                .filter(|e| e.is_current() && e.items.contains(&item))
                .cloned()
                .collect::<Vec<_>>(),
        )
    });
    let unit_value = lanes.unit.with_value(|lane| value_text(i18n, lane, item));
    let tpi_value = lanes.tpi.with_value(|lane| value_text(i18n, lane, item));
    view! {
        <article class="card question review" id=code.clone()>
            <h3><code>{code.clone()}</code> " " {spec.text.clone()}</h3>
            {changed.then(|| view! { <p><span class="badge badge-changed" data-testid=format!("changed-{code}")>{t!(i18n, review.changed_badge)}</span></p> })}
            <div class="lanes">
                <div class="lane">
                    <h4>{t!(i18n, review.unit_answer)}</h4>
                    <p><strong data-testid=format!("unit-{code}")>{unit_value}</strong></p>
                    {(!unit_note.is_empty()).then(|| view! { <p class="pre-line">{unit_note}</p> })}
                    <EvidenceLinks files />
                </div>
                <div class="lane lane-tpi">
                    <h4>{t!(i18n, review.tpi_answer)}</h4>
                    {if lanes.editable {
                        view! { <ReviewForm spec entry lanes /> }.into_any()
                    } else {
                        view! {
                            <p><strong data-testid=format!("tpi-{code}")>{tpi_value}</strong></p>
                            <ReviewNote entry />
                        }.into_any()
                    }}
                </div>
            </div>
        </article>
    }
}

#[component]
fn EvidenceLinks(files: Vec<EvidenceView>) -> impl IntoView {
    let i18n = use_i18n();
    if files.is_empty() {
        return view! { <p class="muted">{t!(i18n, evidence.none)}</p> }.into_any();
    }
    view! {
        <ul class="files">
            {files.into_iter().map(|file| {
                let id = file.id.clone();
                view! {
                    <li class="file">
                        <a href=format!("/evidence/{id}") download>{file.name.clone()}</a>
                        " " <span class="muted">{size_text(file.size)}</span>
                        {file.previewable().then(|| view! {
                            " " <a href=format!("/evidence/{id}?inline=1") target="_blank" rel="noopener">{t!(i18n, evidence.preview)}</a>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ReviewForm(spec: ItemSpec, entry: Option<ReviewEntry>, lanes: Lanes) -> impl IntoView {
    let i18n = use_i18n();
    let item = spec.item;
    let code = item.to_string();
    let save = ServerAction::<SaveReview>::new();
    let version = RwSignal::new(entry.as_ref().map_or(0, |e| e.version));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            version.set(saved);
        }
    });
    let form_id = format!("review-{code}");
    let tpi = lanes.tpi.with_value(|(answers, _)| answers.clone());
    let input = match spec.kind.clone() {
        SpecKind::Choice(options) => {
            let current: Option<Answer> = match item {
                ItemCode::Question(q) => tpi.choice(q),
                ItemCode::Hasil(HasilItemId::Capaian) => tpi.hasil().capaian,
                _ => None,
            };
            let name = format!("value[{code}]");
            view! {
                <fieldset class="options">
                    <legend class="visually-hidden">{t!(i18n, review.tpi_answer)}</legend>
                    {options.into_iter().map(|(answer, text)| {
                        let id = format!("tpi-{code}-{}", answer.as_str());
                        view! {
                            <div class="option">
                                <input type="radio" id=id.clone() name=name.clone() value=answer.as_str() checked=current == Some(answer) />
                                <label for=id><strong>{answer.as_str()}</strong> " " {text}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        SpecKind::Percent(inputs) => inputs
            .into_iter()
            .filter(|input| matches!(input.kind, InputKind::Entered))
            .map(|input| {
                let id = format!("tpi-{}", input.code);
                let current = tpi.input(input.code).map(|v| number_text(v.value()));
                view! {
                    <div class="field jumlah">
                        <label for=id.clone()><code>{input.code.to_string()}</code> " " {input.text.clone()}</label>
                        <input id=id name=format!("value[{}]", input.code) inputmode="decimal" value=current />
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        SpecKind::Index => {
            let current = match item {
                ItemCode::Hasil(HasilItemId::Ipak) => tpi.hasil().ipak,
                ItemCode::Hasil(HasilItemId::Ipkp) => tpi.hasil().ipkp,
                _ => None,
            };
            let id = format!("tpi-{code}-index");
            view! {
                <div class="field">
                    <label for=id.clone()>{t!(i18n, area.index)}</label>
                    <input id=id name=format!("value[{code}]") inputmode="decimal" value=current.map(|v| format_id(v.value(), 2)) />
                </div>
            }
            .into_any()
        }
    };
    let status = entry.as_ref().and_then(|e| e.status);
    let note = entry.as_ref().map(|e| e.note.clone()).unwrap_or_default();
    let note_id = format!("tpi-{code}-note");
    let status_id = format!("tpi-{code}-status");
    let outcome = move || {
        save.value().with(|latest| match latest {
            Some(Ok(_)) => Some(
                view! { <p class="save-ok" role="status">{t!(i18n, common.saved)}</p> }.into_any(),
            ),
            Some(Err(err)) => Some(
                view! { <p class="field-error" role="alert">{error_text(i18n, err)}</p> }
                    .into_any(),
            ),
            None => None,
        })
    };
    view! {
        <ActionForm action=save attr:id=form_id attr:class="review-form">
            <input type="hidden" name="assessment" value=lanes.assessment.get_value() />
            <input type="hidden" name="item" value=code.clone() />
            <input type="hidden" name="version" value=move || version.get().to_string() />
            {input}
            <div class="field">
                <label for=note_id.clone()>{t!(i18n, review.note_to_unit)}</label>
                <textarea id=note_id name="note" rows="2" inner_html=textarea_html(&note)></textarea>
            </div>
            <div class="field">
                <label for=status_id.clone()>{t!(i18n, common.status)}</label>
                <select id=status_id name="status">
                    <option value="" selected=status.is_none()>{t!(i18n, review.status_none)}</option>
                    {ReviewStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=status == Some(s)>{move || review_status_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, review.save)}</button>
            {outcome}
        </ActionForm>
    }
}
