//! The evaluators' note on one item, as the unit sees it.

use crate::components::labels::review_status_label;
use crate::i18n::*;
use crate::model::ReviewEntry;
use leptos::prelude::*;

/// The evaluators' status and note on an item, read-only (also on the unit's pages).
#[component]
pub fn ReviewNote(entry: Option<ReviewEntry>) -> impl IntoView {
    let i18n = use_i18n();
    entry
        .filter(|e| e.status.is_some() || !e.note.is_empty())
        .map(|e| {
            let status = e.status;
            view! {
                <div class="tpi-note" data-testid=format!("tpi-note-{}", e.item)>
                    {status.map(|s| view! { <span class="badge">{move || review_status_label(i18n, s)}</span> " " })}
                    <span class="pre-line">{e.note.clone()}</span>
                </div>
            }
        })
}
