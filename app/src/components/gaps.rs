//! The items where the unit's score and the evaluators' differ most.

use crate::components::score::percent;
use crate::components::section::Section;
use crate::domain::lke::{format_id, HasilItemId, ItemCode, RubricVersion, ScoreSheet};
use crate::domain::review::disagreements;
use crate::i18n::*;
use leptos::prelude::*;

/// How many disagreements the overview lists.
const GAPS_SHOWN: usize = 10;

/// Where an item is reviewed: its area page, at its card.
pub fn item_href(assessment: &str, item: ItemCode) -> String {
    format!("/review/{assessment}/{}#{item}", Section::of(item).path())
}

/// The items where the unit's lane and the evaluators' differ most, in points.
#[component]
pub fn GapsTable(
    rubric: RubricVersion,
    id: String,
    unit: ScoreSheet,
    tpi: ScoreSheet,
) -> impl IntoView {
    let i18n = use_i18n();
    let gaps = disagreements(&rubric, &unit, &tpi);
    if gaps.is_empty() {
        return view! { <p class="muted">{t!(i18n, review.gaps_none)}</p> }.into_any();
    }
    let rows = gaps
        .iter()
        .take(GAPS_SHOWN)
        .map(|gap| {
            let show = |v: Option<f64>| match (gap.item, v) {
                (_, None) => t_string!(i18n, area.not_answered).to_string(),
                (ItemCode::Hasil(h), Some(v)) if h != HasilItemId::Capaian => format_id(v, 2),
                (_, Some(v)) => percent(v),
            };
            view! {
                <tr>
                    <th scope="row"><a href=item_href(&id, gap.item)><code>{gap.item.to_string()}</code></a></th>
                    <td class="num">{show(gap.unit)}</td>
                    <td class="num">{show(gap.evaluator)}</td>
                    <td class="num">{format_id(gap.points, 2)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="gaps">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, review.item)}</th>
                        <th scope="col" class="num">{t!(i18n, review.unit_lane)}</th>
                        <th scope="col" class="num">{t!(i18n, review.tpi_lane)}</th>
                        <th scope="col" class="num">{t!(i18n, review.points)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
