//! Fatal import errors and non-fatal, located problems.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::lke::{InputCode, QuestionCode, RubricError};

/// Why a zip container looks like a decompression bomb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZipBombKind {
    TooManyEntries {
        count: u64,
        limit: u64,
    },
    /// Sum of the declared uncompressed sizes.
    UncompressedTooLarge {
        size: u64,
        limit: u64,
    },
    /// Declared uncompressed / compressed size of one entry.
    RatioTooHigh {
        entry: String,
        ratio: u64,
        limit: u64,
    },
    /// An entry inflates to more than its header declares.
    SizeMismatch {
        entry: String,
        declared: u64,
    },
}

/// A workbook that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportError {
    #[error("cannot read the file: {message}")]
    Io { message: String },
    #[error("file is {size} bytes, the limit is {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("not an .xlsx workbook")]
    NotXlsx,
    #[error("the workbook is password-protected (encrypted OLE container)")]
    Encrypted,
    #[error("legacy .xls (OLE container) is not supported; save as .xlsx")]
    LegacyXls,
    #[error("refusing a zip bomb: {0:?}")]
    ZipBomb(ZipBombKind),
    #[error("the workbook is damaged: {message}")]
    Corrupt { message: String },
    /// No sheet holds an LKE ZI (sheet `LKE ZI` or `Jawaban` with the
    /// Pengungkit outline); what each sheet holds instead.
    #[error("not an LKE ZI workbook; sheets: {sheets:?}")]
    NotAnLke {
        sheets: Vec<crate::model::SheetSeen>,
    },
    /// The workbook has no answer column for the lane asked for.
    #[error(
        "the sheet has no answer column for lane `{}`; its lanes: {}",
        lane.as_str(),
        available.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
    )]
    LaneMissing {
        lane: crate::model::WorkbookLane,
        available: Vec<crate::model::WorkbookLane>,
    },
    #[error("sheet has more than {limit} rows")]
    TooManyRows { limit: u32 },
    #[error("the sheet lacks parts of a rubric (see problems)")]
    IncompleteRubric { problems: Vec<Problem> },
    #[error("the sheet does not describe a valid rubric: {error}")]
    InvalidRubric {
        error: RubricError,
        problems: Vec<Problem>,
    },
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Understood and handled; worth a look.
    Warning,
    /// Something in the sheet was ignored.
    Error,
}

/// What is wrong in a cell or row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// No header row named the columns: the official letters of the layout were read.
    ColumnsAssumed {
        layout: crate::model::WorkbookLayout,
    },
    /// The evaluation sheet was found under another name.
    SheetRenamed {
        found: String,
    },
    /// Area number in column D not understood.
    UnknownArea {
        found: String,
    },
    /// An area of the rubric is not in the sheet.
    MissingArea {
        part: crate::domain::lke::Part,
        area: crate::domain::lke::AreaId,
    },
    /// Indicator label in column E not understood or not in the rubric.
    UnknownIndicator {
        found: String,
    },
    /// An indicator of the rubric is not in the sheet.
    MissingIndicator {
        code: crate::domain::lke::IndicatorCode,
    },
    /// A question row that matches no rubric question.
    UnexpectedQuestion {
        label: String,
    },
    /// A rubric question not found in the sheet.
    MissingQuestion {
        code: QuestionCode,
    },
    /// Question labels (column F) out of sequence; questions were matched by position.
    LabelOutOfOrder {
        found: String,
        matched: QuestionCode,
    },
    /// A Hasil item of the rubric not found in the sheet.
    MissingHasilItem {
        item: crate::domain::lke::HasilItemId,
    },
    /// A `Jumlah` row that belongs to no % question, or one too many.
    UnexpectedInput {
        text: String,
    },
    /// A numeric input of the rubric not found in the sheet.
    MissingInput {
        code: InputCode,
    },
    /// Column J holds a type the LKE does not know.
    UnknownAnswerType {
        found: String,
    },
    /// Column J differs from the rubric's answer type (the rubric's type was used).
    AnswerTypeMismatch {
        expected: String,
        found: String,
    },
    /// An answer that is not an option of the question.
    InvalidAnswer {
        found: String,
    },
    /// Text where a number belongs.
    NotANumber {
        found: String,
    },
    NegativeNumber {
        value: f64,
    },
    OutOfRange {
        value: f64,
        min: f64,
        max: f64,
    },
    /// The cell holds a spreadsheet error such as `#DIV/0!`.
    CellError {
        error: String,
    },
    /// A weight in column H differs from the rubric (the rubric's weight was used).
    WeightMismatch {
        expected: f64,
        found: f64,
    },
    /// Column H has no usable weight.
    MissingWeight,
    /// The cached value of a computed cell differs from what its inputs give.
    CachedValueMismatch {
        computed: Option<f64>,
        cached: f64,
    },
    /// A % formula that could not be understood.
    UnparsableFormula {
        formula: String,
    },
    /// Something was inferred while reading a rubric.
    Assumed {
        assumption: Assumption,
    },
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::SheetRenamed { .. }
            | ProblemKind::ColumnsAssumed { .. }
            | ProblemKind::LabelOutOfOrder { .. }
            | ProblemKind::AnswerTypeMismatch { .. }
            | ProblemKind::UnknownAnswerType { .. }
            | ProblemKind::WeightMismatch { .. }
            | ProblemKind::CachedValueMismatch { .. }
            | ProblemKind::Assumed { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// What the rubric importer inferred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assumption {
    /// Column J holds `found` (e.g. `Ya`); read as Ya/Tidak.
    YaTidak { found: String },
    /// An indicator label that does not follow the sequence was numbered by position.
    IndicatorByPosition {
        label: String,
        code: crate::domain::lke::IndicatorCode,
    },
    /// An unreadable % formula was taken as last input / first input.
    RatioOfLastToFirstInput { question: QuestionCode },
}

/// A located problem: sheet, 1-based row and column letter where known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<char>,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn at(sheet: &str, row: u32, column: char, kind: ProblemKind) -> Problem {
        Problem {
            sheet: sheet.to_owned(),
            row: Some(row),
            column: Some(column),
            kind,
        }
    }
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

/// Why an export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("writing the workbook failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the file: {0}")]
    Io(String),
    #[error("the sheet would exceed {0} rows")]
    TooManyRows(u32),
}

impl ImportError {
    /// What the uploader is told; the detail goes to the log.
    pub fn workbook_problem(&self) -> crate::error::WorkbookProblem {
        use crate::error::WorkbookProblem as W;
        match self {
            ImportError::TooLarge { .. } => W::TooLarge,
            ImportError::NotXlsx => W::NotXlsx,
            ImportError::Encrypted => W::Encrypted,
            ImportError::LegacyXls => W::LegacyXls,
            ImportError::ZipBomb(_) => W::ZipBomb,
            ImportError::Io { .. } | ImportError::Corrupt { .. } => W::Damaged,
            ImportError::NotAnLke { .. } => W::SheetMissing,
            ImportError::LaneMissing { .. } => W::LaneMissing,
            ImportError::TooManyRows { .. } => W::TooManyRows,
            ImportError::IncompleteRubric { .. } | ImportError::InvalidRubric { .. } => {
                W::NotARubric
            }
        }
    }
}
