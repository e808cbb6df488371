//! Reads the evaluation sheet into a small sparse grid (columns A–Z only), streaming
//! the worksheet XML so that memory stays bounded whatever the sheet's dimensions,
//! and finds its answer, note and evidence columns from the header row.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::error::{ImportError, Problem, ProblemKind};
use super::guard::{check_container, Limits};
use crate::model::{SheetSeen, WorkbookLane, WorkbookLayout};

/// Official name of the evaluation sheet (PermenPANRB 90/2021 layout).
pub const SHEET_NAME: &str = "LKE ZI";
/// Official name of the evaluation sheet in the PortalRB 2026 layout.
pub const SHEET_NAME_2026: &str = "Jawaban";
/// Columns A..=Z.
pub const COLUMNS: usize = 26;

/// A cell's value (the cached result for formula cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellValue {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Error(String),
}

impl CellValue {
    /// Trimmed text, or "" for non-text cells.
    pub fn text(&self) -> &str {
        match self {
            CellValue::Text(s) => s.trim(),
            _ => "",
        }
    }
    pub fn number(&self) -> Option<f64> {
        match self {
            CellValue::Number(x) => Some(*x),
            _ => None,
        }
    }
    /// Empty, or text made only of blanks.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One row of the sheet, columns A–Z.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// 1-based row number.
    pub number: u32,
    values: [CellValue; COLUMNS],
    formulas: [Option<String>; COLUMNS],
}

/// Zero-based index of a column letter A..=Z.
pub fn column_index(col: char) -> Option<usize> {
    let i = (col as usize).checked_sub('A' as usize)?;
    (i < COLUMNS).then_some(i)
}

impl Row {
    pub fn new(number: u32) -> Row {
        Row {
            number,
            ..Row::default()
        }
    }
    pub fn value(&self, col: char) -> &CellValue {
        const EMPTY: CellValue = CellValue::Empty;
        column_index(col).map_or(&EMPTY, |i| &self.values[i])
    }
    /// Trimmed text of a cell ("" if not text).
    pub fn text(&self, col: char) -> &str {
        self.value(col).text()
    }
    /// Formula text without the leading `=`.
    pub fn formula(&self, col: char) -> Option<&str> {
        column_index(col)
            .and_then(|i| self.formulas[i].as_deref())
            .map(|f| f.strip_prefix('=').unwrap_or(f))
    }
    pub fn set(&mut self, col: char, value: CellValue, formula: Option<String>) {
        if let Some(i) = column_index(col) {
            self.values[i] = value;
            self.formulas[i] = formula;
        }
    }
}

/// The rows of one sheet that have content, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetGrid {
    pub name: String,
    pub rows: Vec<Row>,
}

/// Opens untrusted bytes, finds the evaluation sheet and reads it.
/// Returns the grid and sheet-level problems (e.g. a renamed sheet).
pub fn read_lke_sheet(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(SheetGrid, Vec<Problem>), ImportError> {
    check_container(bytes, limits)?;
    guarded(|| read_lke_sheet_unchecked(bytes, limits))
}

/// Runs third-party parsing so that a panic inside it becomes an error, not a crash.
fn guarded<T>(f: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ImportError::Corrupt {
            message: "the workbook parser failed".into(),
        })
    })
}

fn read_lke_sheet_unchecked(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(SheetGrid, Vec<Problem>), ImportError> {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = xlsx.sheet_names();
    let exact = |n: &String| n == SHEET_NAME || n == SHEET_NAME_2026;
    let official = |n: &String| {
        [SHEET_NAME, SHEET_NAME_2026]
            .iter()
            .any(|o| normalize(n) == normalize(o))
    };
    // Official names first, then any sheet; each must hold an LKE outline.
    let mut order: Vec<&String> = names.iter().filter(|n| exact(n)).collect();
    order.extend(names.iter().filter(|n| !exact(n) && official(n)));
    order.extend(names.iter().filter(|n| !official(n)));
    let mut seen = Vec::new();
    for n in order {
        let grid = read_grid(&mut xlsx, n, limits)?;
        if looks_like_lke(&grid) {
            let problems = if exact(n) {
                Vec::new()
            } else {
                vec![Problem {
                    sheet: n.clone(),
                    row: None,
                    column: None,
                    kind: ProblemKind::SheetRenamed { found: n.clone() },
                }]
            };
            return Ok((grid, problems));
        }
        seen.push(sheet_seen(&grid));
    }
    // In the workbook's own order.
    seen.sort_by_key(|s| names.iter().position(|n| *n == s.sheet));
    Err(ImportError::NotAnLke { sheets: seen })
}

/// What a sheet holds, as a refusal names it: the labels of its first filled row.
pub fn sheet_seen(grid: &SheetGrid) -> SheetSeen {
    const LABELS: usize = 6;
    const CHARS: usize = 40;
    let labels = grid
        .rows
        .iter()
        .map(|r| {
            r.values
                .iter()
                .map(|v| match v {
                    CellValue::Number(x) => x.to_string(),
                    other => other
                        .text()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .filter(|t| !t.is_empty())
                .map(|t| t.chars().take(CHARS).collect::<String>())
                .take(LABELS)
                .collect::<Vec<_>>()
        })
        .find(|labels| !labels.is_empty())
        .unwrap_or_default();
    SheetSeen {
        sheet: grid.name.clone(),
        labels,
    }
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn looks_like_lke(grid: &SheetGrid) -> bool {
    let has = |word: &str| {
        grid.rows.iter().take(40).any(|r| {
            ['B', 'C', 'D']
                .iter()
                .any(|c| r.text(*c).to_uppercase().contains(word))
        })
    };
    let has_question = || {
        grid.rows.iter().any(|r| {
            use super::outline::SheetType as T;
            matches!(
                T::parse(r.text('J')),
                T::YaTidak | T::Abc | T::Abcd | T::Abcde
            )
        })
    };
    has("PENGUNGKIT") && has("PEMENUHAN") && has_question()
}

/// The answer and note columns of one lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneColumns {
    pub answer: char,
    pub note: Option<char>,
}

/// Where a sheet keeps what the importer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub kind: WorkbookLayout,
    /// The row whose labels named the columns; `None`: official letters assumed.
    pub header_row: Option<u32>,
    pub unit: LaneColumns,
    pub tpi: Option<LaneColumns>,
    pub tpi2: Option<LaneColumns>,
    /// The unit's evidence list.
    pub evidence: Option<char>,
    /// Cached value of the unit's lane (`Nilai`), where the sheet has one.
    pub value: Option<char>,
}

impl Layout {
    /// The official letters of a layout, for a sheet without a usable header row.
    pub fn official(kind: WorkbookLayout) -> Layout {
        match kind {
            WorkbookLayout::Lke2021 => Layout {
                kind,
                header_row: None,
                unit: LaneColumns {
                    answer: 'K',
                    note: Some('O'),
                },
                tpi: None,
                tpi2: None,
                evidence: Some('P'),
                value: Some('L'),
            },
            // As master-soal-lkezi-2026.json names the columns.
            WorkbookLayout::Lke2026 => Layout {
                kind,
                header_row: None,
                unit: LaneColumns {
                    answer: 'K',
                    note: Some('L'),
                },
                tpi: Some(LaneColumns {
                    answer: 'N',
                    note: Some('Q'),
                }),
                tpi2: None,
                evidence: Some('M'),
                value: None,
            },
        }
    }

    /// Finds the columns from the header row's labels; falls back to the
    /// official letters (and says so) when no row names an answer column.
    pub fn detect(grid: &SheetGrid) -> (Layout, Option<Problem>) {
        const HEADER_ROWS: usize = 12;
        let named_2026 = normalize(&grid.name) == normalize(SHEET_NAME_2026);
        let found = grid
            .rows
            .iter()
            .take(HEADER_ROWS)
            .find_map(|row| from_header(row, named_2026));
        match found {
            Some(layout) => (layout, None),
            None => {
                let kind = if named_2026 {
                    WorkbookLayout::Lke2026
                } else {
                    WorkbookLayout::Lke2021
                };
                let problem = Problem {
                    sheet: grid.name.clone(),
                    row: None,
                    column: None,
                    kind: ProblemKind::ColumnsAssumed { layout: kind },
                };
                (Layout::official(kind), Some(problem))
            }
        }
    }

    /// The lanes this sheet has.
    pub fn lanes(&self) -> Vec<WorkbookLane> {
        let mut lanes = vec![WorkbookLane::Unit];
        lanes.extend(self.tpi.map(|_| WorkbookLane::Tpi));
        lanes.extend(self.tpi2.map(|_| WorkbookLane::Tpi2));
        lanes
    }

    pub fn lane(&self, lane: WorkbookLane) -> Option<LaneColumns> {
        match lane {
            WorkbookLane::Unit => Some(self.unit),
            WorkbookLane::Tpi => self.tpi,
            WorkbookLane::Tpi2 => self.tpi2,
        }
    }
}

/// What a header label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Answer,
    TpiAnswer,
    Note,
    TpiNote,
    Evidence,
    Value,
    Other,
}

/// A header label, lower-case with its blanks and line breaks folded.
fn header_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches([':', '.', '*'])
        .trim()
        .to_owned()
}

fn head_of(label: &str) -> Head {
    let k = header_key(label);
    let tpi = ["tpi", "evaluator", "penilai"];
    let names_tpi = |rest: &str| tpi.iter().any(|t| rest.contains(t));
    if let Some(rest) = k.strip_prefix("jawaban") {
        return match rest.trim() {
            "" | "unit" | "unit kerja" | "sendiri" | "mandiri" => Head::Answer,
            r if names_tpi(r) => Head::TpiAnswer,
            _ => Head::Other,
        };
    }
    if k.starts_with("catatan") || k.starts_with("keterangan") {
        return if names_tpi(&k) {
            Head::TpiNote
        } else {
            Head::Note
        };
    }
    if k.contains("bukti dukung") || k.contains("data dukung") {
        return Head::Evidence;
    }
    if k == "nilai" {
        return Head::Value;
    }
    Head::Other
}

/// The layout a header row describes, if it names an answer column.
fn from_header(row: &Row, named_2026: bool) -> Option<Layout> {
    let heads: Vec<(char, Head, &str)> = ('A'..='Z')
        .map(|c| (c, head_of(row.text(c)), row.text(c)))
        .collect();
    let (answer, _, label) = heads.iter().find(|(_, h, _)| *h == Head::Answer)?;
    let kind = if named_2026 || header_key(label) == "jawaban unit" {
        WorkbookLayout::Lke2026
    } else {
        WorkbookLayout::Lke2021
    };
    let mut lanes = vec![LaneColumns {
        answer: *answer,
        note: None,
    }];
    let (mut evidence, mut value) = (None, None);
    for (c, head, _) in heads.iter().filter(|(c, _, _)| c > answer) {
        let current = lanes.len() - 1;
        match head {
            Head::TpiAnswer => lanes.push(LaneColumns {
                answer: *c,
                note: None,
            }),
            Head::Note if lanes[current].note.is_none() => lanes[current].note = Some(*c),
            Head::TpiNote => {
                if let Some(lane) = lanes.iter_mut().skip(1).find(|l| l.note.is_none()) {
                    lane.note = Some(*c);
                }
            }
            Head::Evidence if current == 0 && evidence.is_none() => evidence = Some(*c),
            Head::Value if value.is_none() => value = Some(*c),
            _ => {}
        }
    }
    Some(Layout {
        kind,
        header_row: Some(row.number),
        unit: lanes[0],
        tpi: lanes.get(1).copied(),
        tpi2: lanes.get(2).copied(),
        evidence,
        value,
    })
}

fn xlsx_error(e: XlsxError) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Encrypted,
        XlsxError::Zip(_) => ImportError::NotXlsx,
        other => ImportError::Corrupt {
            message: other.to_string(),
        },
    }
}

fn convert(value: DataRef<'_>) -> CellValue {
    match value {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => CellValue::Number(i as f64),
        DataRef::Float(f) => CellValue::Number(f),
        DataRef::Bool(b) => CellValue::Bool(b),
        DataRef::SharedString(s) => CellValue::Text(s.replace("\r\n", "\n")),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            CellValue::Text(s.replace("\r\n", "\n"))
        }
        DataRef::DateTime(d) => CellValue::Number(d.as_f64()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}

fn read_grid<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut Xlsx<RS>,
    name: &str,
    limits: &Limits,
) -> Result<SheetGrid, ImportError> {
    let mut reader = xlsx.worksheet_cells_reader(name).map_err(xlsx_error)?;
    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    while let Some(cell) = reader.next_cell_with_formula().map_err(xlsx_error)? {
        let (r, c) = cell.pos;
        let Some(col) = usize::try_from(c).ok().filter(|c| *c < COLUMNS) else {
            continue;
        };
        let value = convert(cell.value);
        if value == CellValue::Empty && cell.formula.is_none() {
            continue;
        }
        if rows.len() >= limits.max_rows as usize && !rows.contains_key(&r) {
            return Err(ImportError::TooManyRows {
                limit: limits.max_rows,
            });
        }
        let row = rows.entry(r).or_insert_with(|| Row::new(r + 1));
        row.values[col] = value;
        row.formulas[col] = cell.formula;
    }
    Ok(SheetGrid {
        name: name.to_owned(),
        rows: rows.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_reference_sheet() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
        ))
        .unwrap();
        let (grid, problems) = read_lke_sheet(&bytes, &Limits::default()).unwrap();
        assert!(problems.is_empty());
        assert_eq!(grid.name, SHEET_NAME);
        let r8 = grid.rows.iter().find(|r| r.number == 8).unwrap();
        assert_eq!(r8.text('F'), "a.");
        assert_eq!(r8.text('J'), "Ya");
        assert_eq!(r8.text('K'), "Ya");
        assert!(r8.formula('L').unwrap().starts_with("IF(J8=\"Ya/Tidak\""));
        let r128 = grid.rows.iter().find(|r| r.number == 128).unwrap();
        assert_eq!(
            r128.formula('K'),
            Some("IF(OR(K129=\"\",K130=\"\"),\"Blm Diisi\",IF(K130/K129>1,1,K130/K129))")
        );
        assert_eq!(r128.value('K').number(), Some(1.0));
    }
}
