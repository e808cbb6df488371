//! One section of the LKE (an area of a part, or the results), walked item by
//! item: shared by the unit's answer pages and the evaluators' review pages.

use crate::api::assessments::load_assessment;
use crate::components::assessment::part_slug;
use crate::components::error::PageError;
use crate::components::labels::{area_label, part_label, Lang};
use crate::domain::lke::{
    format_id, Answer, AreaId, HasilItemId, ItemCode, NumericInput, Part, RubricVersion,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::AssessmentData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Section {
    Area(Part, AreaId),
    Hasil,
}

impl Section {
    /// Every section in the LKE's order: Pemenuhan 1–6, Reform 1–6, Hasil.
    pub fn all() -> impl Iterator<Item = Section> {
        Part::ALL
            .into_iter()
            .flat_map(|part| {
                AreaId::ALL
                    .into_iter()
                    .map(move |area| Section::Area(part, area))
            })
            .chain(std::iter::once(Section::Hasil))
    }

    /// The section an item is answered in.
    pub fn of(item: ItemCode) -> Section {
        match item {
            ItemCode::Question(code) => {
                let indicator = code.indicator();
                Section::Area(indicator.part(), indicator.area())
            }
            ItemCode::Input(code) => Section::of(ItemCode::Question(code.question())),
            ItemCode::Hasil(_) => Section::Hasil,
        }
    }

    /// The sections just before and just after this one.
    pub fn neighbours(self) -> (Option<Section>, Option<Section>) {
        let all: Vec<Section> = Section::all().collect();
        let at = all.iter().position(|s| *s == self).unwrap_or_default();
        (
            at.checked_sub(1).and_then(|i| all.get(i).copied()),
            all.get(at + 1).copied(),
        )
    }

    /// The route segment after the assessment's id (`pemenuhan/1`, `hasil/0`).
    pub fn path(self) -> String {
        match self {
            Section::Area(part, area) => format!("{}/{}", part_slug(part), area.number()),
            Section::Hasil => "hasil/0".to_owned(),
        }
    }

    pub fn label(self, i18n: impl Lang) -> String {
        match self {
            Section::Area(part, area) => {
                format!("{} · {}", area_label(i18n, area), part_label(i18n, part))
            }
            Section::Hasil => td_string!(i18n.locale(), gates.hasil).to_string(),
        }
    }
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
                (Ok(data), Some(section)) => view! {
                    {walk(data, section)}
                    <SectionNav section />
                }
                .into_any(),
            })}
        </Suspense>
    }
}

/// Links to the previous and the next section, on the same kind of page
/// (the unit's answers or the evaluators' review).
#[component]
fn SectionNav(section: Section) -> impl IntoView {
    let i18n = use_i18n();
    let path = use_location().pathname.get_untracked();
    let base = path.rsplitn(3, '/').nth(2).unwrap_or_default().to_owned();
    let (previous, next) = section.neighbours();
    let link = move |target: Option<Section>, rel: &'static str| {
        target.map(|target| {
            let text = target.label(i18n);
            view! {
                <a class=format!("section-{rel}") rel=rel href=format!("{base}/{}", target.path())>
                    {if rel == "prev" { format!("← {text}") } else { format!("{text} →") }}
                </a>
            }
        })
    };
    view! {
        <nav class="section-nav" aria-label=move || t_string!(i18n, area.sections)>
            {link(previous, "prev")}
            {link(next, "next")}
        </nav>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sections_run_from_pemenuhan_through_reform_to_hasil() {
        let all: Vec<Section> = Section::all().collect();
        assert_eq!(all.len(), 13);
        let first = Section::Area(Part::Pemenuhan, AreaId::ManajemenPerubahan);
        assert_eq!(
            first.neighbours(),
            (
                None,
                Some(Section::Area(
                    Part::Pemenuhan,
                    AreaId::from_number(2).expect("area 2")
                ))
            )
        );
        let last_pemenuhan =
            Section::Area(Part::Pemenuhan, AreaId::from_number(6).expect("area 6"));
        assert_eq!(
            last_pemenuhan.neighbours().1,
            Some(Section::Area(Part::Reform, AreaId::ManajemenPerubahan))
        );
        assert_eq!(
            Section::Hasil.neighbours(),
            (
                Some(Section::Area(
                    Part::Reform,
                    AreaId::from_number(6).expect("area 6")
                )),
                None
            )
        );
        for section in all {
            let (part, area) = section
                .path()
                .split_once('/')
                .map(|(p, a)| (p.to_owned(), a.to_owned()))
                .expect("part/area");
            assert_eq!(
                super::section(&part, &area),
                Some(section),
                "{part}/{area} leads back"
            );
        }
    }
}
