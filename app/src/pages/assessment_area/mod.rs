//! One area of the LKE (or the Hasil items): every question in the LKE's order
//! with its criteria, the unit's answer, a note and the evidence files. Answers
//! save as the user goes (with JavaScript) or with the Save button (without);
//! the score beside them is recomputed in the browser by the same engine.

#[cfg(feature = "hydrate")]
mod browser;
mod evidence;
mod item;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use std::collections::BTreeMap;

use crate::api::assessments::SaveAnswers;
use crate::components::assessment::AssessmentHeading;
use crate::components::error::{error_text, ErrorAlert};
use crate::components::labels::{area_label, part_label};
use crate::components::score::ScorePanel;
use crate::components::section::{specs, Section, SectionPage};
use crate::domain::evidence::MaxFileSize;
use crate::domain::lke::{Answers, ItemCode, RubricVersion};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AssessmentData, EvidenceView, ReviewEntry};
use evidence::ItemPicker;
use item::ItemBlock;

#[component]
pub fn AreaPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SectionPage
            title=t_string!(i18n, area.title).to_string()
            walk=|data, section| view! { <AreaWalk data section /> }
        />
    }
}

/// What the page shares with every question block.
#[derive(Clone, Copy)]
pub(super) struct Walk {
    pub(super) assessment: StoredValue<String>,
    pub(super) rubric: StoredValue<RubricVersion>,
    pub(super) answers: RwSignal<Answers>,
    pub(super) evidence: RwSignal<Vec<EvidenceView>>,
    pub(super) notes: StoredValue<BTreeMap<ItemCode, String>>,
    /// The version of each stored answer row by its code (no row: 0): loaded
    /// with the page, raised by each save this page makes, sent with each save.
    pub(super) versions: RwSignal<BTreeMap<String, i64>>,
    pub(super) editable: bool,
    pub(super) return_to: StoredValue<String>,
    pub(super) review: StoredValue<BTreeMap<ItemCode, ReviewEntry>>,
    pub(super) max_file: MaxFileSize,
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
        versions: RwSignal::new(
            data.versions
                .iter()
                .map(|(code, version)| (code.to_string(), *version))
                .collect(),
        ),
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
    // The Save button with JavaScript: later saves start from what it saved.
    Effect::new(move |_| {
        save_all.value().with(|latest| {
            if let Some(Ok(saved)) = latest {
                item::take_versions(walk, saved);
            }
        });
    });
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
                {walk.editable.then(|| view! { <ItemPicker walk /> })}
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
                without_evidence=data.without_evidence(&rubric)
            />
        </div>
    }
}
