//! The history of one LKE item: every change of its answer, note and evidence,
//! from the append-only audit log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::item_history;
use crate::components::error::ErrorAlert;
use crate::domain::period::Day;
use crate::i18n::*;
use crate::model::HistoryLine;

#[component]
pub fn ItemHistory() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("id").unwrap_or_default(),
                p.get("item").unwrap_or_default(),
            )
        })
    };
    let lines = Resource::new(key, |(id, item)| item_history(id, item));
    view! {
        <Title text=move || t_string!(i18n, history.title).to_string() />
        <p class="breadcrumb"><a href=move || format!("/assessments/{}", key().0)>{t!(i18n, history.back)}</a></p>
        <h1>{t!(i18n, history.title)} " " <code>{move || key().1}</code></h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || lines.get().map(|result| match result {
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
                Ok(lines) if lines.is_empty() => view! { <p class="muted">{t!(i18n, history.empty)}</p> }.into_any(),
                Ok(lines) => view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, history.when)}</th>
                                    <th scope="col">{t!(i18n, history.who)}</th>
                                    <th scope="col">{t!(i18n, history.what)}</th>
                                    <th scope="col">{t!(i18n, history.before)}</th>
                                    <th scope="col">{t!(i18n, history.after)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {lines.into_iter().map(|line| view! { <Line line /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Line(line: HistoryLine) -> impl IntoView {
    view! {
        <tr>
            <td>{Day::from_unix_ms(line.at).to_string()}</td>
            <td>{line.actor.unwrap_or_default()}</td>
            <td><code>{line.action}</code></td>
            <td class="json">{line.before.unwrap_or_default()}</td>
            <td class="json">{line.after.unwrap_or_default()}</td>
        </tr>
    }
}
