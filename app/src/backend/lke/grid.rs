//! Reads the evaluation sheet into a small sparse grid (columns A–Q only), streaming
//! the worksheet XML so that memory stays bounded whatever the sheet's dimensions.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::error::{ImportError, Problem, ProblemKind};
use super::guard::{check_container, Limits};

/// Official name of the evaluation sheet.
pub const SHEET_NAME: &str = "LKE ZI";
/// Columns A..=Q.
pub const COLUMNS: usize = 17;

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

/// One row of the sheet, columns A–Q.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// 1-based row number.
    pub number: u32,
    values: [CellValue; COLUMNS],
    formulas: [Option<String>; COLUMNS],
}

/// Zero-based index of a column letter A..=Q.
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
    if names.iter().any(|n| n == SHEET_NAME) {
        return Ok((read_grid(&mut xlsx, SHEET_NAME, limits)?, Vec::new()));
    }
    let renamed = |found: &str| {
        vec![Problem {
            sheet: found.to_owned(),
            row: None,
            column: None,
            kind: ProblemKind::SheetRenamed {
                found: found.to_owned(),
            },
        }]
    };
    if let Some(n) = names.iter().find(|n| normalize(n) == normalize(SHEET_NAME)) {
        return Ok((read_grid(&mut xlsx, n, limits)?, renamed(n)));
    }
    for n in &names {
        let grid = read_grid(&mut xlsx, n, limits)?;
        if looks_like_lke(&grid) {
            return Ok((grid, renamed(n)));
        }
    }
    Err(ImportError::SheetMissing { available: names })
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
    has("PENGUNGKIT") && has("PEMENUHAN")
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
