//! What an imported workbook could not fully understand, by sheet, row and
//! column, in the user's language.

use leptos::prelude::*;

use super::labels::Lang;
use crate::i18n::*;
use crate::model::{NoteKind, SheetNote};

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
                    view! { <li><code>{place}</code> " " {move || note_text(i18n, note.kind)}</li> }
                }).collect_view()}
            </ul>
        }
    })
}

/// One importer note as a sentence.
pub fn note_text(i18n: impl Lang, kind: NoteKind) -> &'static str {
    let locale = i18n.locale();
    match kind {
        NoteKind::SheetRenamed => td_string!(locale, sheet_notes.sheet_renamed),
        NoteKind::ColumnsAssumed => td_string!(locale, sheet_notes.columns_assumed),
        NoteKind::UnknownArea => td_string!(locale, sheet_notes.unknown_area),
        NoteKind::MissingArea => td_string!(locale, sheet_notes.missing_area),
        NoteKind::UnknownIndicator => td_string!(locale, sheet_notes.unknown_indicator),
        NoteKind::MissingIndicator => td_string!(locale, sheet_notes.missing_indicator),
        NoteKind::UnexpectedQuestion => td_string!(locale, sheet_notes.unexpected_question),
        NoteKind::MissingQuestion => td_string!(locale, sheet_notes.missing_question),
        NoteKind::LabelOutOfOrder => td_string!(locale, sheet_notes.label_out_of_order),
        NoteKind::MissingHasilItem => td_string!(locale, sheet_notes.missing_hasil_item),
        NoteKind::UnexpectedInput => td_string!(locale, sheet_notes.unexpected_input),
        NoteKind::MissingInput => td_string!(locale, sheet_notes.missing_input),
        NoteKind::UnknownAnswerType => td_string!(locale, sheet_notes.unknown_answer_type),
        NoteKind::AnswerTypeMismatch => td_string!(locale, sheet_notes.answer_type_mismatch),
        NoteKind::InvalidAnswer => td_string!(locale, sheet_notes.invalid_answer),
        NoteKind::NotANumber => td_string!(locale, sheet_notes.not_a_number),
        NoteKind::NegativeNumber => td_string!(locale, sheet_notes.negative_number),
        NoteKind::OutOfRange => td_string!(locale, sheet_notes.out_of_range),
        NoteKind::CellError => td_string!(locale, sheet_notes.cell_error),
        NoteKind::WeightMismatch => td_string!(locale, sheet_notes.weight_mismatch),
        NoteKind::MissingWeight => td_string!(locale, sheet_notes.missing_weight),
        NoteKind::CachedValueMismatch => td_string!(locale, sheet_notes.cached_value_mismatch),
        NoteKind::UnparsableFormula => td_string!(locale, sheet_notes.unparsable_formula),
        NoteKind::AssumedYaTidak => td_string!(locale, sheet_notes.assumed_ya_tidak),
        NoteKind::AssumedIndicatorByPosition => {
            td_string!(locale, sheet_notes.assumed_indicator_by_position)
        }
        NoteKind::AssumedRatio => td_string!(locale, sheet_notes.assumed_ratio),
        NoteKind::Other => td_string!(locale, sheet_notes.other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_notes_read_in_the_users_language() {
        assert_eq!(
            note_text(Locale::id, NoteKind::UnknownAnswerType),
            "Jenis jawaban di kolom J tidak dikenal."
        );
        assert_eq!(
            note_text(Locale::en, NoteKind::LabelOutOfOrder),
            "Question labels are out of order; the items were matched by position."
        );
        let unknown: NoteKind = serde_json::from_str("\"something_new\"").unwrap();
        assert_eq!(unknown, NoteKind::Other);
        assert!(!note_text(Locale::id, NoteKind::AssumedYaTidak).contains("assumed"));
    }
}
