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

pub use import::{read_answers, read_answers_from_path, ImportedAnswers, Notes};
pub mod report;

pub use report::{score_workbook, score_workbook_bytes, ScoreOptions, ScoreReport};
pub mod rubric_import;

pub use rubric_import::{read_rubric, read_rubric_from_path, ImportedRubric, RubricMeta};
pub mod export;

pub use export::{export_workbook, export_workbook_to_path};

/// The importer's problems as the pages list them, by sheet, row and column.
pub fn sheet_notes(problems: &[error::Problem]) -> Vec<crate::model::SheetNote> {
    problems
        .iter()
        .map(|p| crate::model::SheetNote {
            sheet: p.sheet.clone(),
            row: p.row,
            column: p.column,
            kind: serde_json::to_value(&p.kind)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
                .unwrap_or_default(),
        })
        .collect()
}
