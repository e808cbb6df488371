//! The evaluator's queue: the assessments waiting for their review.

use crate::api::review::review_queue;
use crate::components::error::ErrorAlert;
use crate::components::labels::{state_label, target_label};
use crate::components::score::percent;
use crate::domain::period::Window;
use crate::i18n::*;
use leptos::prelude::*;

/// The evaluator's queue on the home page.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| review_queue());
    view! {
        <Suspense fallback=|| ()>
            {move || list.get().map(|result| match result {
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, review.queue_none)}</p> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="queue">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, review.unit)}</th>
                                    <th scope="col">{t!(i18n, common.status)}</th>
                                    <th scope="col" class="num">{t!(i18n, score.completeness)}</th>
                                    <th scope="col" class="num">{t!(i18n, review.reviewed)}</th>
                                    <th scope="col">{t!(i18n, review.window)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|entry| {
                                    let state = entry.summary.state;
                                    let window = match entry.review_window {
                                        Window::Open { days_left } => t_string!(i18n, review.days_left, days = days_left).to_string(),
                                        Window::NotYetOpen { opens_in_days } => t_string!(i18n, review.opens_in, days = opens_in_days).to_string(),
                                        Window::Closed { .. } => t_string!(i18n, review.closed).to_string(),
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                <a href=format!("/review/{}", entry.summary.id)>
                                                    {entry.summary.unit_name.clone()} " · " {entry.summary.year.value()} " · " {target_label(entry.summary.target)}
                                                </a>
                                                {entry.lead.then(|| view! { " " <span class="badge">{t!(i18n, review.lead)}</span> })}
                                            </th>
                                            <td>{move || state_label(i18n, state)}</td>
                                            <td class="num">{percent(entry.completeness.ratio())}</td>
                                            <td class="num">{format!("{}/{}", entry.reviewed, entry.total)}</td>
                                            <td>{window}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
