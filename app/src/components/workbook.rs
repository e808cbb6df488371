//! What an imported workbook could not fully understand, by sheet, row and column.

use leptos::prelude::*;

use crate::i18n::*;
use crate::model::SheetNote;

#[component]
pub fn SheetNotes(notes: Vec<SheetNote>) -> impl IntoView {
    let i18n = use_i18n();
    (!notes.is_empty()).then(|| {
        view! {
            <p>{t!(i18n, rubrics.notes)}</p>
            <ul class="notes">
                {notes.into_iter().map(|note| {
                    let place = match (note.row, note.column) {
                        (Some(row), Some(col)) => format!("{}!{col}{row}", note.sheet),
                        (Some(row), None) => format!("{} {row}", note.sheet),
                        _ => note.sheet.clone(),
                    };
                    view! { <li><code>{place}</code> " " {note.kind.replace('_', " ")}</li> }
                }).collect_view()}
            </ul>
        }
    })
}
