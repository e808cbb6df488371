//! Parses the sheet's outline (columns B–F) into parts, areas, indicators, questions,
//! input rows and Hasil items, without any rubric: the importers then match it by
//! outline position (never by row number).
//!
//! Tolerated quirks: labels with or without a trailing dot (`d`, `a.`), `-` as the label
//! of single questions and input rows, sub-headings inside an indicator (the LHKPN /
//! LHKASN blocks of Reform 5.iii), blank rows, duplicate or missing row numbers in
//! column A (column A is never read).

use crate::domain::lke::{codes, number::parse_decimal, AreaId, Part};

use super::error::{Problem, ProblemKind};
use super::grid::{CellValue, LaneColumns, Layout, Row, SheetGrid};

/// Answer type as written in column J.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetType {
    YaTidak,
    Abc,
    Abcd,
    Abcde,
    Percent,
    Jumlah,
    Rupiah,
    /// Survey index `Nilai (0-4)`.
    Nilai,
    Empty,
    Unknown(String),
}

impl SheetType {
    pub fn parse(label: &str) -> SheetType {
        let t: String = label
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        match t.as_str() {
            "" => SheetType::Empty,
            "ya/tidak" => SheetType::YaTidak,
            "a/b/c" => SheetType::Abc,
            "a/b/c/d" => SheetType::Abcd,
            "a/b/c/d/e" => SheetType::Abcde,
            "%" => SheetType::Percent,
            "jumlah" => SheetType::Jumlah,
            "rupiah" => SheetType::Rupiah,
            s if s.starts_with("nilai") => SheetType::Nilai,
            _ => SheetType::Unknown(label.trim().to_owned()),
        }
    }

    /// Spelling in the official sheet (also used by the exporter).
    pub fn label(&self) -> &str {
        match self {
            SheetType::YaTidak => "Ya/Tidak",
            SheetType::Abc => "A/B/C",
            SheetType::Abcd => "A/B/C/D",
            SheetType::Abcde => "A/B/C/D/E",
            SheetType::Percent => "%",
            SheetType::Jumlah => "Jumlah",
            SheetType::Rupiah => "Rupiah",
            SheetType::Nilai => "Nilai\n(0-4)",
            SheetType::Empty => "",
            SheetType::Unknown(s) => s,
        }
    }

    pub fn is_input(&self) -> bool {
        matches!(self, SheetType::Jumlah | SheetType::Rupiah)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineInput {
    pub row: u32,
    pub label: String,
    pub text: String,
    pub sheet_type: SheetType,
    pub value: CellValue,
    pub formula: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineQuestion {
    pub row: u32,
    /// Raw label of column F (`a.`, `d`, `-`, …).
    pub label: String,
    pub text: String,
    pub criteria: String,
    pub sheet_type: SheetType,
    pub value: CellValue,
    pub formula: Option<String>,
    pub note: Option<String>,
    pub inputs: Vec<OutlineInput>,
    /// Cached value of column L.
    pub cached: CellValue,
}

impl OutlineQuestion {
    /// Question number from the label (`a.` → 1); `None` for `-`, blank or garbage.
    pub fn number(&self) -> Option<u8> {
        label_letter(&self.label)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineIndicator {
    pub row: u32,
    pub label: String,
    pub number: Option<u8>,
    pub name: String,
    pub weight: Option<f64>,
    /// Cached value of column L.
    pub cached: Option<f64>,
    pub questions: Vec<OutlineQuestion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineArea {
    pub row: u32,
    pub label: String,
    pub area: Option<AreaId>,
    pub name: String,
    pub weight: Option<f64>,
    /// Cached value of column L.
    pub cached: Option<f64>,
    pub indicators: Vec<OutlineIndicator>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlinePart {
    pub row: u32,
    pub name: String,
    pub weight: Option<f64>,
    /// Cached value of column L.
    pub cached: Option<f64>,
    pub areas: Vec<OutlineArea>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineHasilGroup {
    pub row: u32,
    /// 1 = birokrasi bersih & akuntabel, 2 = pelayanan prima.
    pub number: u8,
    pub name: String,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineHasilItem {
    pub row: u32,
    pub group: u8,
    pub label: String,
    pub text: String,
    pub criteria: String,
    pub sheet_type: SheetType,
    pub weight: Option<f64>,
    /// Cached value of column L.
    pub cached: Option<f64>,
    pub value: CellValue,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outline {
    pub sheet: String,
    pub pemenuhan: Option<OutlinePart>,
    pub reform: Option<OutlinePart>,
    pub hasil_groups: Vec<OutlineHasilGroup>,
    pub hasil: Vec<OutlineHasilItem>,
    pub problems: Vec<Problem>,
}

impl Outline {
    pub fn part(&self, part: Part) -> Option<&OutlinePart> {
        match part {
            Part::Pemenuhan => self.pemenuhan.as_ref(),
            Part::Reform => self.reform.as_ref(),
        }
    }
}

/// `a.`, `a`, `A.`, `a)` → 1.
pub fn label_letter(label: &str) -> Option<u8> {
    let t = label.trim().trim_end_matches(['.', ')']).trim();
    codes::parse_letter(t)
}

fn label_roman(label: &str) -> Option<u8> {
    let t = label.trim().trim_end_matches('.').trim();
    codes::parse_roman(t)
}

fn label_number(label: &str) -> Option<u8> {
    label.trim().trim_end_matches('.').trim().parse().ok()
}

/// A weight in column H (number or decimal text).
pub fn weight_of(row: &Row) -> Option<f64> {
    match row.value('H') {
        CellValue::Number(x) => Some(*x),
        CellValue::Text(s) => parse_decimal(s).ok(),
        _ => None,
    }
}

/// The columns the outline reads its values from (one lane of the sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutlineColumns {
    /// Answers and `Jumlah` inputs.
    pub answer: char,
    pub note: Option<char>,
    /// Cached values of computed rows (`Nilai`).
    pub value: Option<char>,
}

impl OutlineColumns {
    /// A lane of a sheet's layout.
    pub fn of(layout: &Layout, lane: LaneColumns) -> OutlineColumns {
        OutlineColumns {
            answer: lane.answer,
            note: lane.note,
            value: layout.value,
        }
    }

    fn note(&self, row: &Row) -> Option<String> {
        let t = row.text(self.note?);
        (!t.is_empty()).then(|| t.to_owned())
    }

    fn cached(&self, row: &Row) -> Option<f64> {
        row.value(self.value?).number()
    }

    fn cached_value(&self, row: &Row) -> CellValue {
        self.value
            .map_or(CellValue::Empty, |c| row.value(c).clone())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Pengungkit,
    Hasil,
}

enum RowKind {
    Skip,
    Pengungkit,
    Hasil,
    Part(Part),
    Area,
    Indicator,
    Question,
    Input,
    HasilGroup(u8),
    HasilItem,
}

fn classify(row: &Row, section: Section) -> RowKind {
    let up = |c: char| row.text(c).to_uppercase();
    let (b, c, d) = (up('B'), up('C'), up('D'));
    if b.starts_with("TOTAL") || b.starts_with("NILAI") {
        return RowKind::Skip;
    }
    if b == "A." || c == "PENGUNGKIT" {
        return RowKind::Pengungkit;
    }
    if b == "B." || c == "HASIL" {
        return RowKind::Hasil;
    }
    let (e, f, g) = (row.text('E'), row.text('F'), row.text('G'));
    let sheet_type = SheetType::parse(row.text('J'));
    match section {
        Section::Preamble => RowKind::Skip,
        Section::Pengungkit => {
            if c.trim_end_matches('.') == "I" || (c.is_empty() && d.contains("PEMENUHAN")) {
                RowKind::Part(Part::Pemenuhan)
            } else if c.trim_end_matches('.') == "II" || (c.is_empty() && d.contains("REFORM")) {
                RowKind::Part(Part::Reform)
            } else if !d.is_empty() && label_number(&d).is_some() && !e.is_empty() {
                RowKind::Area
            } else if label_roman(e).is_some() && !f.is_empty() {
                // (G may repeat F: hidden content under the merged F:G cells)
                RowKind::Indicator
            } else if sheet_type.is_input() {
                RowKind::Input
            } else if !g.is_empty() || (label_letter(f).is_some() && sheet_type != SheetType::Empty)
            {
                RowKind::Question
            } else {
                RowKind::Skip
            }
        }
        Section::Hasil => match c.trim_end_matches('.') {
            "I" => RowKind::HasilGroup(1),
            "II" => RowKind::HasilGroup(2),
            _ if !e.is_empty() && sheet_type != SheetType::Empty => RowKind::HasilItem,
            _ => RowKind::Skip,
        },
    }
}

struct Parser<'a> {
    sheet: &'a str,
    cols: OutlineColumns,
    section: Section,
    part: Option<Part>,
    hasil_group: u8,
    out: Outline,
}

impl Parser<'_> {
    fn problem(&mut self, row: u32, column: char, kind: ProblemKind) {
        self.out
            .problems
            .push(Problem::at(self.sheet, row, column, kind));
    }

    fn current_part(&mut self) -> Option<&mut OutlinePart> {
        match self.part? {
            Part::Pemenuhan => self.out.pemenuhan.as_mut(),
            Part::Reform => self.out.reform.as_mut(),
        }
    }

    fn current_area(&mut self) -> Option<&mut OutlineArea> {
        self.current_part()?.areas.last_mut()
    }

    fn current_indicator(&mut self) -> Option<&mut OutlineIndicator> {
        self.current_area()?.indicators.last_mut()
    }

    fn row(&mut self, row: &Row) {
        match classify(row, self.section) {
            RowKind::Skip => {}
            RowKind::Pengungkit => self.section = Section::Pengungkit,
            RowKind::Hasil => self.section = Section::Hasil,
            RowKind::Part(p) => self.start_part(row, p),
            RowKind::Area => self.start_area(row),
            RowKind::Indicator => self.start_indicator(row),
            RowKind::Question => self.question(row),
            RowKind::Input => self.input(row),
            RowKind::HasilGroup(n) => self.hasil_group(row, n),
            RowKind::HasilItem => self.hasil_item(row),
        }
    }

    fn start_part(&mut self, row: &Row, part: Part) {
        self.part = Some(part);
        let p = OutlinePart {
            row: row.number,
            name: row.text('D').to_owned(),
            weight: weight_of(row),
            cached: self.cols.cached(row),
            areas: Vec::new(),
        };
        match part {
            Part::Pemenuhan => self.out.pemenuhan = Some(p),
            Part::Reform => self.out.reform = Some(p),
        }
    }

    fn start_area(&mut self, row: &Row) {
        let label = row.text('D').to_owned();
        let area = label_number(&label).and_then(AreaId::from_number);
        if area.is_none() {
            self.problem(
                row.number,
                'D',
                ProblemKind::UnknownArea {
                    found: label.clone(),
                },
            );
        }
        let a = OutlineArea {
            row: row.number,
            label,
            area,
            name: row.text('E').to_owned(),
            weight: weight_of(row),
            cached: self.cols.cached(row),
            indicators: Vec::new(),
        };
        match self.current_part() {
            Some(p) => p.areas.push(a),
            None => self.problem(row.number, 'D', ProblemKind::UnknownArea { found: a.label }),
        }
    }

    fn start_indicator(&mut self, row: &Row) {
        let label = row.text('E').to_owned();
        let number = label_roman(&label);
        let cached = self.cols.cached(row);
        let Some(area) = self.current_area() else {
            self.problem(
                row.number,
                'E',
                ProblemKind::UnknownIndicator { found: label },
            );
            return;
        };
        // A roman label that does not advance (e.g. the LHKPN block `i.` inside
        // indicator iii) is a sub-heading of the current indicator.
        let last = area.indicators.last().and_then(|i| i.number);
        if matches!((last, number), (Some(l), Some(n)) if n <= l) {
            return;
        }
        area.indicators.push(OutlineIndicator {
            row: row.number,
            label,
            number,
            name: row.text('F').to_owned(),
            weight: weight_of(row),
            cached,
            questions: Vec::new(),
        });
    }

    fn question(&mut self, row: &Row) {
        let q = OutlineQuestion {
            row: row.number,
            label: row.text('F').to_owned(),
            text: row.text('G').to_owned(),
            criteria: row.text('I').to_owned(),
            sheet_type: SheetType::parse(row.text('J')),
            value: row.value(self.cols.answer).clone(),
            formula: row.formula(self.cols.answer).map(str::to_owned),
            note: self.cols.note(row),
            inputs: Vec::new(),
            cached: self.cols.cached_value(row),
        };
        match self.current_indicator() {
            Some(ind) => ind.questions.push(q),
            None => self.problem(
                row.number,
                'F',
                ProblemKind::UnexpectedQuestion { label: q.label },
            ),
        }
    }

    fn input(&mut self, row: &Row) {
        let text = strip_dash(row.text('G'));
        let input = OutlineInput {
            row: row.number,
            label: row.text('F').to_owned(),
            text: text.clone(),
            sheet_type: SheetType::parse(row.text('J')),
            value: row.value(self.cols.answer).clone(),
            formula: row.formula(self.cols.answer).map(str::to_owned),
            note: self.cols.note(row),
        };
        let target = self
            .current_indicator()
            .and_then(|i| i.questions.last_mut())
            .filter(|q| q.sheet_type == SheetType::Percent);
        match target {
            Some(q) => q.inputs.push(input),
            None => self.problem(row.number, 'G', ProblemKind::UnexpectedInput { text }),
        }
    }

    fn hasil_group(&mut self, row: &Row, number: u8) {
        self.hasil_group = number;
        self.out.hasil_groups.push(OutlineHasilGroup {
            row: row.number,
            number,
            name: row.text('D').to_owned(),
            weight: weight_of(row),
        });
    }

    fn hasil_item(&mut self, row: &Row) {
        self.out.hasil.push(OutlineHasilItem {
            row: row.number,
            group: self.hasil_group,
            label: row.text('D').to_owned(),
            text: row.text('E').to_owned(),
            criteria: row.text('I').to_owned(),
            sheet_type: SheetType::parse(row.text('J')),
            weight: weight_of(row),
            cached: self.cols.cached(row),
            value: row.value(self.cols.answer).clone(),
            note: self.cols.note(row),
        });
    }
}

/// `- Jumlah Agen Perubahan` → `Jumlah Agen Perubahan`.
pub fn strip_dash(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('-').unwrap_or(t).trim().to_owned()
}

/// Parses the outline of a sheet, reading the unit's lane of the columns its
/// header row names (the official letters without one).
pub fn parse_outline(grid: &SheetGrid) -> Outline {
    let (layout, problem) = Layout::detect(grid);
    let mut outline = parse_outline_with(grid, OutlineColumns::of(&layout, layout.unit));
    outline.problems.splice(0..0, problem);
    outline
}

/// Parses the outline of a sheet reading values from the given columns.
pub fn parse_outline_with(grid: &SheetGrid, cols: OutlineColumns) -> Outline {
    let mut p = Parser {
        sheet: &grid.name,
        cols,
        section: Section::Preamble,
        part: None,
        hasil_group: 1,
        out: Outline {
            sheet: grid.name.clone(),
            ..Outline::default()
        },
    };
    for row in &grid.rows {
        p.row(row);
    }
    p.out
}

#[cfg(test)]
mod tests {
    use super::super::grid::read_lke_sheet;
    use super::super::guard::Limits;
    use super::*;

    fn reference() -> Outline {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
        ))
        .unwrap();
        let (grid, _) = read_lke_sheet(&bytes, &Limits::default()).unwrap();
        parse_outline(&grid)
    }

    #[test]
    fn reference_outline_has_the_expected_shape() {
        let o = reference();
        assert!(o.problems.is_empty(), "{:?}", o.problems);
        let count = |p: &OutlinePart| -> (usize, usize) {
            let inds = p.areas.iter().map(|a| a.indicators.len()).sum();
            let qs = p
                .areas
                .iter()
                .flat_map(|a| &a.indicators)
                .map(|i| i.questions.len())
                .sum();
            (inds, qs)
        };
        assert_eq!(count(o.pemenuhan.as_ref().unwrap()), (25, 87));
        assert_eq!(count(o.reform.as_ref().unwrap()), (17, 23));
        assert_eq!(o.hasil.len(), 3);
        assert_eq!(o.hasil_groups.len(), 2);
        let pw = &o.reform.as_ref().unwrap().areas[4];
        let lhk = &pw.indicators[2];
        assert_eq!(lhk.weight, Some(2.0));
        assert_eq!(lhk.questions.len(), 2);
        assert_eq!(lhk.questions[0].inputs.len(), 5);
        assert_eq!(lhk.questions[1].inputs.len(), 5);
    }

    #[test]
    fn labels() {
        assert_eq!(label_letter("a."), Some(1));
        assert_eq!(label_letter("d"), Some(4));
        assert_eq!(label_letter("c. "), Some(3));
        assert_eq!(label_letter("-"), None);
        assert_eq!(label_roman("iv."), Some(4));
        assert_eq!(SheetType::parse("Nilai\n(0-4)"), SheetType::Nilai);
        assert_eq!(SheetType::parse(" a/b/c "), SheetType::Abc);
        assert_eq!(SheetType::parse("Ya"), SheetType::Unknown("Ya".into()));
    }
}
