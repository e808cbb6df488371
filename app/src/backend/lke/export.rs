//! Exports an assessment to an `.xlsx` in the official layout (sheet `LKE ZI`,
//! columns A–O, same outline) with live formulas and their cached results, so that a
//! spreadsheet program shows — and on recalculation reproduces — the engine's scores.
//!
//! The formulas follow the official sheet, with three deliberate differences that keep
//! a partial assessment computable exactly like [`crate::domain::lke::score`] does:
//! * an indicator with nothing answered is 0 (`IFERROR(AVERAGE(…),0)`), not `#DIV/0!`;
//! * a % with a zero denominator is 0 (the engine flags it as a formula error);
//! * an empty Hasil item scores 0, not `#VALUE!`.
//!
//! Reform 5.iii averages both LHKPN and LHKASN (correcting the reference copy's slip).

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Formula, Workbook, Worksheet,
};

use crate::domain::lke::scoring::{HasilItemScore, ScoreSheet};
use crate::domain::lke::{
    score, AnswerType, Answers, HasilItemId, Indicator, InputKind, ItemCode, NumericInput,
    PercentFormula, Question, QuestionValue, RubricVersion,
};

use super::error::ExportError;
use super::grid::SHEET_NAME;
use super::import::{sheet_type_of, Notes};
use super::outline::SheetType;

const MAX_ROWS: u32 = 100_000;

/// Column indices.
mod col {
    pub const A: u16 = 0;
    pub const B: u16 = 1;
    pub const C: u16 = 2;
    pub const D: u16 = 3;
    pub const E: u16 = 4;
    pub const F: u16 = 5;
    pub const G: u16 = 6;
    pub const H: u16 = 7;
    pub const I: u16 = 8;
    pub const J: u16 = 9;
    pub const K: u16 = 10;
    pub const L: u16 = 11;
    pub const M: u16 = 12;
    pub const O: u16 = 14;
    pub const P: u16 = 15;
}

/// Another lane's answers, written as plain values in column P beside the
/// scored ones (e.g. the unit's self-assessment beside the evaluators').
pub struct Beside<'a> {
    pub header: &'a str,
    pub answers: &'a Answers,
}

/// Writes the workbook to memory.
pub fn export_workbook(
    rubric: &RubricVersion,
    answers: &Answers,
    notes: &Notes,
) -> Result<Vec<u8>, ExportError> {
    export_workbook_beside(rubric, answers, notes, None)
}

/// Writes the workbook to memory, with another lane in column P.
pub fn export_workbook_beside(
    rubric: &RubricVersion,
    answers: &Answers,
    notes: &Notes,
    beside: Option<Beside<'_>>,
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let sheet = score(rubric, answers);
    {
        let ws = workbook.add_worksheet();
        ws.set_name(SHEET_NAME)?;
        let mut w = Writer::new(ws, rubric, answers, notes, &sheet);
        w.beside = beside;
        w.layout()?;
        w.write_all()?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Writes the workbook to a file.
pub fn export_workbook_to_path(
    path: &std::path::Path,
    rubric: &RubricVersion,
    answers: &Answers,
    notes: &Notes,
) -> Result<(), ExportError> {
    let bytes = export_workbook(rubric, answers, notes)?;
    std::fs::write(path, bytes).map_err(|e| ExportError::Io(e.kind().to_string()))
}

/// A cached formula result.
pub(super) enum Cached {
    Num(f64),
    Text(&'static str),
}

impl Cached {
    pub(super) fn render(&self) -> String {
        match self {
            Cached::Num(x) => format!("{x}"),
            Cached::Text(s) => (*s).to_owned(),
        }
    }
}

pub(super) const NOT_FILLED: &str = "Blm Diisi";

struct Formats {
    bold: Format,
    wrap: Format,
    percent: Format,
}

struct Writer<'a> {
    ws: &'a mut Worksheet,
    rubric: &'a RubricVersion,
    answers: &'a Answers,
    notes: &'a Notes,
    sheet: &'a ScoreSheet,
    row: u32,
    fmt: Formats,
    beside: Option<Beside<'a>>,
}

/// 1-based row reference for formulas.
pub(super) fn r1(row: u32) -> u32 {
    row + 1
}

fn sum_of(rows: &[u32]) -> String {
    let refs: Vec<String> = rows.iter().map(|r| format!("L{}", r1(*r))).collect();
    format!("=SUM({})", refs.join(","))
}

/// The official value formula of column L (one nested IF for every answer type).
fn value_formula(row: u32) -> String {
    value_formula_of(row, 'K')
}

/// The official value formula, reading the answer from column `answer`.
pub(super) fn value_formula_of(row: u32, answer: char) -> String {
    let (j, k) = (format!("J{}", r1(row)), format!("{answer}{}", r1(row)));
    format!(
        "=IF({j}=\"Ya/Tidak\",IF({k}=\"Ya\",1,IF({k}=\"Tidak\",0,\"Blm Diisi\")),\
IF({j}=\"A/B/C\",IF({k}=\"A\",1,IF({k}=\"B\",0.5,IF({k}=\"C\",0,\"Blm Diisi\"))),\
IF({j}=\"A/B/C/D\",IF({k}=\"A\",1,IF({k}=\"B\",0.67,IF({k}=\"C\",0.33,IF({k}=\"D\",0,\"Blm Diisi\")))),\
IF({j}=\"A/B/C/D/E\",IF({k}=\"A\",1,IF({k}=\"B\",0.75,IF({k}=\"C\",0.5,IF({k}=\"D\",0.25,IF({k}=\"E\",0,\"Blm Diisi\"))))),\
IF({j}=\"%\",IF({k}=\"\",\"Blm Diisi\",{k}),\
IF({j}=\"Jumlah\",IF({k}=\"\",\"Blm Diisi\",\"\"),\
IF({j}=\"Rupiah\",IF({k}=\"\",\"Blm Diisi\",\"\"),IF({j}=\"\",\"\",\"-\"))))))))"
    )
}

impl<'a> Writer<'a> {
    fn new(
        ws: &'a mut Worksheet,
        rubric: &'a RubricVersion,
        answers: &'a Answers,
        notes: &'a Notes,
        sheet: &'a ScoreSheet,
    ) -> Self {
        Writer {
            ws,
            rubric,
            answers,
            notes,
            sheet,
            row: 0,
            beside: None,
            fmt: Formats {
                bold: Format::new().set_bold(),
                wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
                percent: Format::new().set_num_format("0.00%"),
            },
        }
    }

    fn layout(&mut self) -> Result<(), ExportError> {
        let widths = [
            (col::A, 6.0),
            (col::B, 4.0),
            (col::C, 5.3),
            (col::D, 3.5),
            (col::E, 4.5),
            (col::F, 3.5),
            (col::G, 52.0),
            (col::H, 10.0),
            (col::I, 62.0),
            (col::J, 12.0),
            (col::K, 12.0),
            (col::L, 14.0),
            (col::M, 10.0),
            (col::O, 60.0),
            (col::P, 16.0),
        ];
        for (c, w) in widths {
            self.ws.set_column_width(c, w)?;
        }
        Ok(())
    }

    fn next_row(&mut self) -> Result<u32, ExportError> {
        let r = self.row;
        if r >= MAX_ROWS {
            return Err(ExportError::TooManyRows(MAX_ROWS));
        }
        self.row += 1;
        Ok(r)
    }

    fn text(&mut self, row: u32, c: u16, s: &str) -> Result<(), ExportError> {
        if !s.is_empty() {
            self.ws.write_string(row, c, s)?;
        }
        Ok(())
    }

    fn bold(&mut self, row: u32, c: u16, s: &str) -> Result<(), ExportError> {
        self.ws
            .write_string_with_format(row, c, s, &self.fmt.bold)?;
        Ok(())
    }

    fn wrapped(&mut self, row: u32, c: u16, s: &str) -> Result<(), ExportError> {
        if !s.is_empty() {
            self.ws
                .write_string_with_format(row, c, s, &self.fmt.wrap)?;
        }
        Ok(())
    }

    fn formula(&mut self, row: u32, c: u16, f: &str, cached: Cached) -> Result<(), ExportError> {
        self.ws
            .write_formula(row, c, Formula::new(f).set_result(cached.render()))?;
        Ok(())
    }

    /// L = formula, M = L/H.
    fn score_cells(
        &mut self,
        row: u32,
        f: &str,
        score: f64,
        weight: f64,
    ) -> Result<(), ExportError> {
        self.ws.write_number(row, col::H, weight)?;
        self.formula(row, col::L, f, Cached::Num(score))?;
        let m = format!("=L{0}/H{0}", r1(row));
        self.ws.write_formula_with_format(
            row,
            col::M,
            Formula::new(m).set_result(Cached::Num(score / weight).render()),
            &self.fmt.percent,
        )?;
        Ok(())
    }

    /// Column O's note and, when exporting two lanes, column P's other answer.
    fn note(&mut self, row: u32, item: ItemCode) -> Result<(), ExportError> {
        if let Some(n) = self.notes.get(&item) {
            let n = n.clone();
            self.wrapped(row, col::O, &n)?;
        }
        let Some(beside) = &self.beside else {
            return Ok(());
        };
        let other = beside.answers;
        let letter = |a: Option<crate::domain::lke::Answer>| a.map(|a| a.as_str().to_owned());
        match item {
            ItemCode::Question(code) => {
                if let Some(a) = letter(other.choice(code)) {
                    self.ws.write_string(row, col::P, a)?;
                }
            }
            ItemCode::Input(code) => {
                if let Some(v) = other.input(code) {
                    self.ws.write_number(row, col::P, v.value())?;
                }
            }
            ItemCode::Hasil(HasilItemId::Capaian) => {
                if let Some(a) = letter(other.hasil().capaian) {
                    self.ws.write_string(row, col::P, a)?;
                }
            }
            ItemCode::Hasil(id) => {
                let hasil = other.hasil();
                let index = if id == HasilItemId::Ipak {
                    hasil.ipak
                } else {
                    hasil.ipkp
                };
                if let Some(v) = index {
                    self.ws.write_number(row, col::P, v.value())?;
                }
            }
        }
        Ok(())
    }

    fn write_all(&mut self) -> Result<(), ExportError> {
        self.header()?;
        let peng_row = self.next_row()?;
        let mut part_rows = Vec::new();
        for (part, _) in self.rubric.parts() {
            part_rows.push(self.part(part)?);
        }
        let total_peng = self.next_row()?;
        self.bold(total_peng, col::B, "TOTAL PENGUNGKIT")?;
        let peng = self.sheet.pengungkit;
        self.formula(
            total_peng,
            col::L,
            &sum_of(&part_rows),
            Cached::Num(peng.score),
        )?;
        self.bold(peng_row, col::B, "A.")?;
        self.bold(peng_row, col::C, "PENGUNGKIT")?;
        self.score_cells(peng_row, &sum_of(&part_rows), peng.score, peng.weight)?;
        self.next_row()?;
        let total_hasil = self.hasil()?;
        self.next_row()?;
        let total = self.next_row()?;
        self.bold(total, col::B, "NILAI EVALUASI ZONA INTEGRITAS")?;
        let f = sum_of(&[total_peng, total_hasil]);
        self.formula(total, col::L, &f, Cached::Num(self.sheet.total.score))?;
        self.ws.set_freeze_panes(2, 0)?;
        Ok(())
    }

    fn header(&mut self) -> Result<(), ExportError> {
        let r = self.next_row()?;
        let title = format!("{}\n{}", self.rubric.title(), self.rubric.legal_basis());
        self.ws
            .merge_range(r, col::B, r, col::O, &title, &self.fmt.wrap)?;
        self.ws.set_row_height(r, 48)?;
        let r = self.next_row()?;
        for (c, s) in [
            (col::A, "No"),
            (col::B, "Penilaian"),
            (col::H, "Bobot"),
            (col::I, "Penjelasan"),
            (col::J, "Pilihan Jawaban"),
            (col::K, "Jawaban"),
            (col::L, "Nilai"),
            (col::M, "%"),
            (col::O, "Catatan/Keterangan/Penjelasan"),
        ] {
            self.bold(r, c, s)?;
        }
        if let Some(header) = self.beside.as_ref().map(|b| b.header.to_owned()) {
            self.bold(r, col::P, &header)?;
        }
        self.next_row()?;
        Ok(())
    }

    fn part(&mut self, part: crate::domain::lke::Part) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let p = self.rubric.part(part);
        let label = match part {
            crate::domain::lke::Part::Pemenuhan => "I.",
            crate::domain::lke::Part::Reform => "II.",
        };
        self.bold(row, col::C, label)?;
        self.bold(row, col::D, &p.name.to_uppercase())?;
        let mut area_rows = Vec::new();
        for area in &p.areas {
            let ar = self.next_row()?;
            self.bold(ar, col::D, &format!("{}.", area.area.number()))?;
            self.bold(ar, col::E, &area.name.to_uppercase())?;
            let mut ind_rows = Vec::new();
            for ind in &area.indicators {
                ind_rows.push(self.indicator(ind)?);
            }
            let s = self
                .sheet
                .area(part, area.area)
                .map(|a| a.subtotal())
                .unwrap_or_default();
            self.score_cells(ar, &sum_of(&ind_rows), s.score, s.weight)?;
            area_rows.push(ar);
        }
        let s = *self.sheet.part(part);
        self.score_cells(row, &sum_of(&area_rows), s.score, s.weight)?;
        Ok(row)
    }

    fn indicator(&mut self, ind: &Indicator) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let roman = crate::domain::lke::codes::roman(ind.code.number()).unwrap_or("?");
        self.text(row, col::E, &format!("{roman}."))?;
        self.text(row, col::F, &ind.name)?;
        let first = self.row;
        for q in &ind.questions {
            self.question(q)?;
        }
        let last = self.row.saturating_sub(1).max(first);
        let s = self.sheet.indicator(ind.code).copied();
        let (score, weight) = s.map_or((0.0, ind.weight.value()), |s| (s.score, s.weight));
        let f = format!(
            "=IFERROR(AVERAGE(L{}:L{}),0)*H{}",
            r1(first),
            r1(last),
            r1(row)
        );
        self.score_cells(row, &f, score, weight)?;
        Ok(row)
    }

    fn question(&mut self, q: &Question) -> Result<(), ExportError> {
        let row = self.next_row()?;
        let letter = crate::domain::lke::codes::letter(q.code.number()).unwrap_or('?');
        self.text(row, col::F, &format!("{letter}."))?;
        self.wrapped(row, col::G, &q.text)?;
        self.wrapped(row, col::I, &q.criteria)?;
        self.text(row, col::J, sheet_type_of(&q.answer_type).label())?;
        self.note(row, ItemCode::Question(q.code))?;
        let value = self
            .sheet
            .question(q.code)
            .map_or(QuestionValue::NotFilled, |s| s.value);
        let cached = match value {
            QuestionValue::Value(v) => Cached::Num(v),
            QuestionValue::Error(_) => Cached::Num(0.0),
            QuestionValue::NotFilled => Cached::Text(NOT_FILLED),
        };
        match &q.answer_type {
            AnswerType::Percent(formula) => {
                let input_rows: Vec<u32> =
                    (0..q.inputs.len() as u32).map(|i| row + 1 + i).collect();
                let k = percent_formula(q, formula, &input_rows, 'K');
                let k_cached = match value {
                    QuestionValue::Value(v) => Cached::Num(v),
                    QuestionValue::Error(_) => Cached::Num(0.0),
                    QuestionValue::NotFilled => Cached::Text(NOT_FILLED),
                };
                self.formula(row, col::K, &k, k_cached)?;
                self.formula(row, col::L, &value_formula(row), cached)?;
                for input in &q.inputs {
                    self.input(q, input, &input_rows)?;
                }
            }
            t => {
                if let Some(a) = self.answers.choice(q.code).filter(|a| t.accepts(*a)) {
                    self.ws.write_string(row, col::K, a.as_str())?;
                }
                let options: Vec<&str> = t.options().iter().map(|a| a.as_str()).collect();
                let dv = DataValidation::new().allow_list_strings(&options)?;
                self.ws.add_data_validation(row, col::K, row, col::K, &dv)?;
                self.formula(row, col::L, &value_formula(row), cached)?;
            }
        }
        Ok(())
    }

    fn input(
        &mut self,
        q: &Question,
        input: &NumericInput,
        rows: &[u32],
    ) -> Result<(), ExportError> {
        let row = self.next_row()?;
        self.wrapped(row, col::G, &format!("- {}", input.text))?;
        self.text(row, col::J, SheetType::Jumlah.label())?;
        self.note(row, ItemCode::Input(input.code))?;
        match &input.kind {
            InputKind::Entered => {
                let v = self.answers.input(input.code).map(|v| v.value());
                if let Some(x) = v {
                    self.ws.write_number(row, col::K, x)?;
                }
                let dv = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0));
                self.ws.add_data_validation(row, col::K, row, col::K, &dv)?;
            }
            InputKind::Sum { of } => {
                let cells = of.iter().map(|c| format!("K{}", r1(row_of(q, *c, rows))));
                let (f, cached) = summed_input(cells, of, self.answers);
                self.formula(row, col::K, &f, cached)?;
            }
        }
        // Column L of input rows is left empty: the official formula yields "" or
        // "Blm Diisi" there (both ignored by AVERAGE), and an empty-string result
        // cannot be cached in the file.
        Ok(())
    }

    fn hasil(&mut self) -> Result<u32, ExportError> {
        let h = self.rubric.hasil();
        let hs = self.sheet.hasil;
        let head = self.next_row()?;
        self.bold(head, col::B, "B.")?;
        self.bold(head, col::C, "HASIL")?;
        let bersih = self.next_row()?;
        self.bold(bersih, col::C, "I.")?;
        self.bold(bersih, col::D, &h.bersih_name.to_uppercase())?;
        let ipak = self.hasil_item(HasilItemId::Ipak, "a", &hs.ipak)?;
        let capaian = self.hasil_item(HasilItemId::Capaian, "b", &hs.capaian)?;
        self.score_cells(
            bersih,
            &sum_of(&[ipak, capaian]),
            hs.bersih.score,
            hs.bersih.weight,
        )?;
        let prima = self.next_row()?;
        self.bold(prima, col::C, "II.")?;
        self.bold(prima, col::D, &h.prima_name.to_uppercase())?;
        let ipkp = self.hasil_item(HasilItemId::Ipkp, "a", &hs.ipkp)?;
        self.score_cells(prima, &sum_of(&[ipkp]), hs.prima.score, hs.prima.weight)?;
        self.score_cells(
            head,
            &sum_of(&[bersih, prima]),
            hs.total.score,
            hs.total.weight,
        )?;
        let total = self.next_row()?;
        self.bold(total, col::B, "TOTAL HASIL")?;
        self.formula(
            total,
            col::L,
            &sum_of(&[bersih, prima]),
            Cached::Num(hs.total.score),
        )?;
        Ok(total)
    }

    fn hasil_item(
        &mut self,
        id: HasilItemId,
        label: &str,
        s: &HasilItemScore,
    ) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let item = self.rubric.hasil().item(id);
        self.text(row, col::D, label)?;
        self.wrapped(row, col::E, &item.text)?;
        self.wrapped(row, col::I, &item.criteria)?;
        self.ws.write_number(row, col::H, item.weight.value())?;
        self.note(row, ItemCode::Hasil(id))?;
        let (k, h) = (format!("K{}", r1(row)), format!("H{}", r1(row)));
        let f = if id == HasilItemId::Capaian {
            self.text(row, col::J, SheetType::Abcde.label())?;
            if let Some(a) = s.answer {
                self.ws.write_string(row, col::K, a.as_str())?;
            }
            let dv = DataValidation::new().allow_list_strings(&["A", "B", "C", "D", "E"])?;
            self.ws.add_data_validation(row, col::K, row, col::K, &dv)?;
            format!(
                "=IF({k}=\"A\",1,IF({k}=\"B\",0.75,IF({k}=\"C\",0.5,IF({k}=\"D\",0.25,0))))*{h}"
            )
        } else {
            self.text(row, col::J, SheetType::Nilai.label())?;
            if let Some(v) = s.value {
                self.ws.write_number(row, col::K, v)?;
            }
            let dv =
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 4.0));
            self.ws.add_data_validation(row, col::K, row, col::K, &dv)?;
            format!("=IF({k}=\"\",0,{k}/4*{h})")
        };
        self.formula(row, col::L, &f, Cached::Num(s.score))?;
        Ok(row)
    }
}

/// Sheet row of an input of `q`, given the rows of its inputs in order.
pub(super) fn row_of(q: &Question, code: crate::domain::lke::InputCode, rows: &[u32]) -> u32 {
    let pos = q.inputs.iter().position(|i| i.code == code).unwrap_or(0);
    rows.get(pos).copied().unwrap_or(0)
}

/// The answer column's formula of a % question (column K in the 2021 layout).
pub(super) fn percent_formula(
    q: &Question,
    formula: &PercentFormula,
    rows: &[u32],
    column: char,
) -> String {
    let k = |c: &crate::domain::lke::InputCode| format!("{column}{}", r1(row_of(q, *c, rows)));
    // Guard on the entered inputs (a derived total is checked through its parts, so the
    // ratio never meets its "Blm Diisi" text).
    let guard: Vec<String> = formula
        .referenced_inputs()
        .iter()
        .flat_map(|c| match q.input(*c).map(|i| &i.kind) {
            Some(InputKind::Sum { of }) => of.clone(),
            _ => vec![*c],
        })
        .map(|c| format!("{}=\"\"", k(&c)))
        .collect();
    let guard = guard.join(",");
    match formula {
        PercentFormula::CappedRatio {
            numerator,
            denominator,
            ..
        } => {
            let (n, d) = (k(numerator), k(denominator));
            format!("=IF(OR({guard}),\"Blm Diisi\",IF({d}=0,0,IF({n}/{d}>1,1,{n}/{d})))")
        }
        PercentFormula::Decrease {
            previous, current, ..
        } => {
            let (p, c) = (k(previous), k(current));
            format!(
                "=IF(OR({guard}),\"Blm Diisi\",IF(AND({p}=0,{c}=0),1,IF({p}=0,0,IF(({p}-{c})/{p}<0,0,({p}-{c})/{p}))))"
            )
        }
    }
}

/// A summed Jumlah input as the workbook computes it: "Blm Diisi" while any
/// of its cells is empty, else their sum; with that result, for the cache.
pub(super) fn summed_input(
    cells: impl Iterator<Item = String>,
    of: &[crate::domain::lke::InputCode],
    answers: &Answers,
) -> (String, Cached) {
    let refs: Vec<String> = cells.collect();
    let blank: Vec<String> = refs.iter().map(|r| format!("{r}=\"\"")).collect();
    let formula = format!(
        "=IF(OR({}),\"Blm Diisi\",{})",
        blank.join(","),
        refs.join("+")
    );
    let sum: Option<f64> = of
        .iter()
        .map(|c| answers.input(*c).map(|v| v.value()))
        .sum();
    (formula, sum.map_or(Cached::Text(NOT_FILLED), Cached::Num))
}

#[cfg(test)]
mod tests {
    use super::super::grid::read_lke_sheet;
    use super::super::guard::Limits;
    use super::super::import::read_answers;
    use super::super::outline::parse_outline;
    use super::*;
    use crate::domain::lke::builtin_90_2021_ref;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    );

    #[test]
    fn import_export_import_is_identical() {
        let r = builtin_90_2021_ref();
        let bytes = std::fs::read(FIXTURE).unwrap();
        let first = read_answers(&bytes, r, &Limits::default()).unwrap();
        let exported = export_workbook(r, &first.answers, &first.notes).unwrap();
        let second = read_answers(&exported, r, &Limits::default()).unwrap();
        assert_eq!(second.answers, first.answers);
        assert_eq!(second.notes, first.notes);
        assert!(second.problems.is_empty(), "{:#?}", second.problems);
    }

    #[test]
    fn exported_cached_values_match_the_engine() {
        let r = builtin_90_2021_ref();
        let bytes = std::fs::read(FIXTURE).unwrap();
        let first = read_answers(&bytes, r, &Limits::default()).unwrap();
        let exported = export_workbook(r, &first.answers, &first.notes).unwrap();
        let (grid, _) = read_lke_sheet(&exported, &Limits::default()).unwrap();
        let total = grid
            .rows
            .iter()
            .find(|row| row.text('B').starts_with("NILAI EVALUASI"))
            .and_then(|row| row.value('L').number())
            .unwrap();
        assert!((total - 95.7095238095238).abs() < 1e-9);
        let outline = parse_outline(&grid);
        let s = score(r, &first.answers);
        for (ind, oind) in r.indicators().zip(
            outline
                .pemenuhan
                .iter()
                .chain(&outline.reform)
                .flat_map(|p| &p.areas)
                .flat_map(|a| &a.indicators),
        ) {
            let ours = s.indicator(ind.code).unwrap().score;
            assert!((oind.cached.unwrap() - ours).abs() < 1e-12, "{}", ind.code);
        }
    }

    #[test]
    fn partial_assessment_round_trips() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        a.set_choice(
            r,
            "P.TT.ii.c".parse().unwrap(),
            Some(crate::domain::lke::Answer::B),
        )
        .unwrap();
        a.set_input(
            r,
            "R.PW.iii.a.2".parse().unwrap(),
            crate::domain::lke::InputValue::new(2.0).ok(),
        )
        .unwrap();
        a.set_input(
            r,
            "R.AK.i.a.1".parse().unwrap(),
            crate::domain::lke::InputValue::new(0.0).ok(),
        )
        .unwrap();
        a.set_input(
            r,
            "R.AK.i.a.2".parse().unwrap(),
            crate::domain::lke::InputValue::new(0.0).ok(),
        )
        .unwrap();
        a.set_capaian(Some(crate::domain::lke::Answer::D)).unwrap();
        let mut notes = Notes::new();
        notes.insert(ItemCode::Hasil(HasilItemId::Ipak), "belum survei".into());
        let bytes = export_workbook(r, &a, &notes).unwrap();
        let back = read_answers(&bytes, r, &Limits::default()).unwrap();
        assert_eq!(back.answers, a);
        assert_eq!(back.notes, notes);
        assert!(back.problems.is_empty(), "{:#?}", back.problems);
    }
}
