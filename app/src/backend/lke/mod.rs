//! Server-side LKE workbook support: import answers or a rubric from an `.xlsx` in the
//! official layout, score a workbook, export an assessment with live formulas, and
//! refuse hostile files.

pub mod error;
pub mod grid;
pub mod guard;

pub use error::{
    Assumption, ExportError, ImportError, Problem, ProblemKind, Severity, ZipBombKind,
};
pub use guard::Limits;
pub mod import;
pub mod outline;

pub use import::{read_answers, read_answers_from_path, read_answers_lane, ImportedAnswers, Notes};
pub mod report;

pub use report::{
    score_workbook, score_workbook_bytes, score_workbook_lane, ScoreOptions, ScoreReport,
};
pub mod rubric_import;

pub use rubric_import::{read_rubric, read_rubric_from_path, ImportedRubric, RubricMeta};
pub mod export;

pub use export::{export_workbook, export_workbook_to_path};
pub mod export_2026;

pub use export_2026::{export_workbook_2026, LaneData, Workbook2026};

/// The importer's problems as the pages list them, by sheet, row and column.
pub fn sheet_notes(problems: &[error::Problem]) -> Vec<crate::model::SheetNote> {
    problems
        .iter()
        .map(|p| crate::model::SheetNote {
            sheet: p.sheet.clone(),
            row: p.row,
            column: p.column,
            kind: note_kind(&p.kind),
        })
        .collect()
}

fn note_kind(kind: &error::ProblemKind) -> crate::model::NoteKind {
    use crate::model::NoteKind as N;
    use error::{Assumption as A, ProblemKind as P};
    match kind {
        P::SheetRenamed { .. } => N::SheetRenamed,
        P::ColumnsAssumed { .. } => N::ColumnsAssumed,
        P::UnknownArea { .. } => N::UnknownArea,
        P::MissingArea { .. } => N::MissingArea,
        P::UnknownIndicator { .. } => N::UnknownIndicator,
        P::MissingIndicator { .. } => N::MissingIndicator,
        P::UnexpectedQuestion { .. } => N::UnexpectedQuestion,
        P::MissingQuestion { .. } => N::MissingQuestion,
        P::LabelOutOfOrder { .. } => N::LabelOutOfOrder,
        P::MissingHasilItem { .. } => N::MissingHasilItem,
        P::UnexpectedInput { .. } => N::UnexpectedInput,
        P::MissingInput { .. } => N::MissingInput,
        P::UnknownAnswerType { .. } => N::UnknownAnswerType,
        P::AnswerTypeMismatch { .. } => N::AnswerTypeMismatch,
        P::InvalidAnswer { .. } => N::InvalidAnswer,
        P::NotANumber { .. } => N::NotANumber,
        P::NegativeNumber { .. } => N::NegativeNumber,
        P::OutOfRange { .. } => N::OutOfRange,
        P::CellError { .. } => N::CellError,
        P::WeightMismatch { .. } => N::WeightMismatch,
        P::MissingWeight => N::MissingWeight,
        P::CachedValueMismatch { .. } => N::CachedValueMismatch,
        P::UnparsableFormula { .. } => N::UnparsableFormula,
        P::Assumed { assumption } => match assumption {
            A::YaTidak { .. } => N::AssumedYaTidak,
            A::IndicatorByPosition { .. } => N::AssumedIndicatorByPosition,
            A::RatioOfLastToFirstInput { .. } => N::AssumedRatio,
        },
    }
}

#[cfg(test)]
mod layout_tests;
