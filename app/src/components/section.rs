//! One section of the LKE (an area of a part, or the results), walked item by
//! item: shared by the unit's answer pages and the evaluators' review pages.

use crate::api::assessments::load_assessment;
use crate::components::error::PageError;
use crate::domain::lke::{
    format_id, Answer, AreaId, HasilItemId, ItemCode, NumericInput, Part, RubricVersion,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::AssessmentData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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

/// An assessment's part and area from the route (`/…/{id}/{part}/{area}`),
/// loaded and shown by `walk`; an unknown part or area is "not found".
#[component]
pub fn SectionPage<W, V>(title: String, walk: W) -> impl IntoView
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
        <Title text=title />
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

pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format_id(value, 2)
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
