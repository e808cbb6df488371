//! Exports an assessment in PortalRB's 2026 layout: sheet `Jawaban` with the
//! header texts of the 2026 workbook (first question on row 6, every soal on
//! the row `master-soal-lkezi-2026.json` names), the lanes side by side, and
//! the summary sheets `Unit`, `TPI Unit` and `TPI Itjen` as live formulas over
//! `Jawaban`, laid out like the 2026 template's three summary sheets.
//!
//! Columns of `Jawaban`, as the master names them: K the unit's answer, L its
//! note, M the evidence link, N the evaluators' answer, O its value, P its %,
//! Q the evaluators' note; R and S hold the unit lane's value and %, which the
//! official sheet leaves to the portal. T to W hold a second evaluators' lane,
//! the Inspektorat Jenderal's (answer, value, %, note), which `TPI Itjen`
//! sums: the 2026 template's ministry copy keeps that lane as a second
//! "Jawaban TPI …" column after the first, and our importer reads it as the
//! `tpi2` lane. Every formula carries its cached
//! result, the engine's score of that lane, so a viewer that does not
//! recalculate shows the same numbers. The value formulas are those of the
//! 2021 export ([`super::export`]), read from the lane's own answer column.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Formula, Url, Workbook, Worksheet,
};

use crate::domain::lke::scoring::ScoreSheet;
use crate::domain::lke::{
    score, AnswerType, Answers, AreaId, HasilItemId, Indicator, InputKind, ItemCode, Part,
    Question, QuestionValue, RubricVersion,
};

use super::error::ExportError;
use super::export::{
    percent_formula, r1, row_of, summed_input, value_formula_of, Cached, NOT_FILLED,
};
use super::grid::SHEET_NAME_2026;
use super::import::{sheet_type_of, Notes};
use super::outline::SheetType;

/// The summary sheet of the unit's lane.
pub const SUMMARY_UNIT: &str = "Unit";
/// The summary sheet of the evaluators' lane.
pub const SUMMARY_TPI: &str = "TPI Unit";
/// The summary sheet of the second evaluators' lane (the Inspektorat Jenderal's).
pub const SUMMARY_ITJEN: &str = "TPI Itjen";

/// One lane: its answers and notes.
pub struct LaneData<'a> {
    pub answers: &'a Answers,
    pub notes: &'a Notes,
}

/// What the 2026 workbook is made of.
pub struct Workbook2026<'a> {
    pub rubric: &'a RubricVersion,
    pub unit_name: &'a str,
    /// `WBK` or `WBBM`, as the summary sheets' gate formulas test it.
    pub predicate: &'a str,
    pub unit: LaneData<'a>,
    /// The evaluators' lane; `None` leaves its columns empty.
    pub evaluators: Option<LaneData<'a>>,
    /// The Inspektorat Jenderal's lane (a second TPI); `None` leaves its
    /// inputs empty while its formulas and its summary sheet stay live.
    pub itjen: Option<LaneData<'a>>,
    /// The evidence link of each soal's item (PortalRB's `bukti_dukung_unit`).
    pub links: &'a BTreeMap<ItemCode, String>,
}

/// The columns of one lane in `Jawaban`.
#[derive(Clone, Copy)]
struct LaneCols {
    answer: char,
    note: char,
    value: char,
    percent: char,
}

const UNIT: LaneCols = LaneCols {
    answer: 'K',
    note: 'L',
    value: 'R',
    percent: 'S',
};
const TPI: LaneCols = LaneCols {
    answer: 'N',
    note: 'Q',
    value: 'O',
    percent: 'P',
};
const ITJEN: LaneCols = LaneCols {
    answer: 'T',
    note: 'W',
    value: 'U',
    percent: 'V',
};
const EVIDENCE: char = 'M';

/// Row 1 of `Jawaban`: the 2026 workbook's labels, which the importer and
/// PortalRB's tooling find the columns by.
const HEADER: [(char, &str); 18] = [
    ('A', "ID"),
    ('B', "Penilaian"),
    ('H', "Bobot"),
    ('I', "Kriteria Nilai"),
    ('J', "Pilihan Jawaban"),
    ('K', "Jawaban Unit"),
    ('L', "Catatan/Keterangan/Penjelasan (Unit)"),
    ('M', "Daftar Bukti Dukung (Unit)"),
    ('N', "Jawaban TPI"),
    ('O', "Nilai"),
    ('P', " %"),
    ('Q', "Catatan/Keterangan/Penjelasan (TPI Unit)"),
    ('R', "Nilai (Unit)"),
    ('S', " % (Unit)"),
    ('T', "Jawaban TPI Itjen"),
    ('U', "Nilai (TPI Itjen)"),
    ('V', " % (TPI Itjen)"),
    ('W', "Catatan/Keterangan/Penjelasan (TPI Itjen)"),
];

fn c(col: char) -> u16 {
    (col as u16).saturating_sub('A' as u16)
}

/// Where the summary sheets find a lane's scores in `Jawaban`.
#[derive(Default)]
struct Rows {
    /// (part, area) → row of the area.
    areas: BTreeMap<(u8, AreaId), u32>,
    ipak: u32,
    capaian: u32,
    ipkp: u32,
}

/// Writes the workbook to memory.
pub fn export_workbook_2026(input: &Workbook2026<'_>) -> Result<Vec<u8>, ExportError> {
    let empty = Answers::new();
    let (tpi_answers, tpi_notes) = lane_or_empty(&input.evaluators, &empty);
    let (itjen_answers, itjen_notes) = lane_or_empty(&input.itjen, &empty);
    let unit_sheet = score(input.rubric, input.unit.answers);
    let tpi_sheet = score(input.rubric, tpi_answers);
    let itjen_sheet = score(input.rubric, itjen_answers);
    let mut workbook = Workbook::new();
    for name in [SUMMARY_UNIT, SUMMARY_TPI, SUMMARY_ITJEN] {
        workbook.add_worksheet().set_name(name)?;
    }
    let rows = {
        let ws = workbook.add_worksheet();
        ws.set_name(SHEET_NAME_2026)?;
        let mut w = Writer {
            ws,
            input,
            lanes: [
                (UNIT, input.unit.answers, input.unit.notes, &unit_sheet),
                (TPI, tpi_answers, tpi_notes, &tpi_sheet),
                (ITJEN, itjen_answers, itjen_notes, &itjen_sheet),
            ],
            row: 0,
            rows: Rows::default(),
            fmt: Formats::new(),
        };
        w.write_all()?;
        w.rows
    };
    let summaries = [
        (SUMMARY_UNIT, UNIT, &unit_sheet),
        (SUMMARY_TPI, TPI, &tpi_sheet),
        (SUMMARY_ITJEN, ITJEN, &itjen_sheet),
    ];
    for (name, cols, sheet) in summaries {
        let ws = workbook.worksheet_from_name(name)?;
        summary(ws, input, &rows, cols.value, sheet)?;
    }
    Ok(workbook.save_to_buffer()?)
}

static NO_NOTES: Notes = Notes::new();

/// A lane's answers and notes; an absent lane has none.
fn lane_or_empty<'a>(lane: &Option<LaneData<'a>>, empty: &'a Answers) -> (&'a Answers, &'a Notes) {
    lane.as_ref()
        .map_or((empty, &NO_NOTES), |l| (l.answers, l.notes))
}

struct Formats {
    bold: Format,
    wrap: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            percent: Format::new().set_num_format("0.00%"),
        }
    }
}

type Lane<'a> = (LaneCols, &'a Answers, &'a Notes, &'a ScoreSheet);

struct Writer<'a> {
    ws: &'a mut Worksheet,
    input: &'a Workbook2026<'a>,
    lanes: [Lane<'a>; 3],
    row: u32,
    rows: Rows,
    fmt: Formats,
}

const MAX_ROWS: u32 = 10_000;

fn sum_of(col: char, rows: &[u32]) -> String {
    let refs: Vec<String> = rows.iter().map(|r| format!("{col}{}", r1(*r))).collect();
    format!("=SUM({})", refs.join(","))
}

fn part_index(part: Part) -> u8 {
    match part {
        Part::Pemenuhan => 0,
        Part::Reform => 1,
    }
}

impl Writer<'_> {
    fn next_row(&mut self) -> Result<u32, ExportError> {
        let r = self.row;
        if r >= MAX_ROWS {
            return Err(ExportError::TooManyRows(MAX_ROWS));
        }
        self.row += 1;
        if r > 0 {
            // Column A numbers the rows, as in the 2026 workbook.
            self.ws.write_number(r, 0, f64::from(r1(r)))?;
        }
        Ok(r)
    }

    fn text(&mut self, row: u32, col: char, s: &str) -> Result<(), ExportError> {
        if !s.is_empty() {
            self.ws.write_string(row, c(col), s)?;
        }
        Ok(())
    }

    fn bold(&mut self, row: u32, col: char, s: &str) -> Result<(), ExportError> {
        self.ws
            .write_string_with_format(row, c(col), s, &self.fmt.bold)?;
        Ok(())
    }

    fn wrapped(&mut self, row: u32, col: char, s: &str) -> Result<(), ExportError> {
        if !s.is_empty() {
            self.ws
                .write_string_with_format(row, c(col), s, &self.fmt.wrap)?;
        }
        Ok(())
    }

    fn formula(&mut self, row: u32, col: char, f: &str, cached: Cached) -> Result<(), ExportError> {
        self.ws
            .write_formula(row, c(col), Formula::new(f).set_result(cached.render()))?;
        Ok(())
    }

    /// Both lanes' value (a formula of `f(value column)`) and %.
    fn score_cells(
        &mut self,
        row: u32,
        weight: f64,
        f: impl Fn(char) -> String,
        score: impl Fn(&ScoreSheet) -> f64,
    ) -> Result<(), ExportError> {
        self.ws.write_number(row, c('H'), weight)?;
        for (cols, _, _, sheet) in self.lanes {
            let s = score(sheet);
            self.formula(row, cols.value, &f(cols.value), Cached::Num(s))?;
            let pct = format!("={}{1}/H{1}", cols.value, r1(row));
            self.ws.write_formula_with_format(
                row,
                c(cols.percent),
                Formula::new(pct).set_result(Cached::Num(s / weight).render()),
                &self.fmt.percent,
            )?;
        }
        Ok(())
    }

    fn layout(&mut self) -> Result<(), ExportError> {
        let widths = [
            ('A', 5.0),
            ('B', 4.0),
            ('C', 4.0),
            ('D', 4.0),
            ('E', 4.5),
            ('F', 4.0),
            ('G', 52.0),
            ('H', 8.0),
            ('I', 52.0),
            ('J', 12.0),
            ('K', 12.0),
            ('L', 40.0),
            ('M', 40.0),
            ('N', 12.0),
            ('O', 10.0),
            ('P', 10.0),
            ('Q', 40.0),
            ('R', 10.0),
            ('S', 10.0),
            ('T', 12.0),
            ('U', 10.0),
            ('V', 10.0),
            ('W', 40.0),
        ];
        for (col, w) in widths {
            self.ws.set_column_width(c(col), w)?;
        }
        Ok(())
    }

    fn write_all(&mut self) -> Result<(), ExportError> {
        self.layout()?;
        let header = self.next_row()?;
        for (col, label) in HEADER {
            self.bold(header, col, label)?;
        }
        let peng = self.next_row()?;
        let mut part_rows = Vec::new();
        for (part, _) in self.input.rubric.parts() {
            part_rows.push(self.part(part)?);
        }
        let total_peng = self.next_row()?;
        self.bold(total_peng, 'B', "TOTAL PENGUNGKIT")?;
        for (cols, _, _, sheet) in self.lanes {
            let f = sum_of(cols.value, &part_rows);
            self.formula(
                total_peng,
                cols.value,
                &f,
                Cached::Num(sheet.pengungkit.score),
            )?;
        }
        self.bold(peng, 'B', "A.")?;
        self.bold(peng, 'C', "PENGUNGKIT")?;
        let weight = self.input.rubric.part(Part::Pemenuhan).weight()
            + self.input.rubric.part(Part::Reform).weight();
        self.score_cells(
            peng,
            weight,
            |col| sum_of(col, &part_rows),
            |s| s.pengungkit.score,
        )?;
        self.next_row()?;
        let total_hasil = self.hasil()?;
        let total = self.next_row()?;
        self.bold(total, 'B', "NILAI HASIL EVALUASI ZONA INTEGRITAS")?;
        for (cols, _, _, sheet) in self.lanes {
            let f = sum_of(cols.value, &[total_peng, total_hasil]);
            self.formula(total, cols.value, &f, Cached::Num(sheet.total.score))?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn part(&mut self, part: Part) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let rubric = self.input.rubric;
        let p = rubric.part(part);
        let label = match part {
            Part::Pemenuhan => "I.",
            Part::Reform => "II.",
        };
        self.bold(row, 'C', label)?;
        self.bold(row, 'D', &p.name.to_uppercase())?;
        let mut area_rows = Vec::new();
        for area in &p.areas {
            let ar = self.next_row()?;
            self.rows.areas.insert((part_index(part), area.area), ar);
            self.bold(ar, 'D', &format!("{}.", area.area.number()))?;
            self.bold(ar, 'E', &area.name.to_uppercase())?;
            let mut ind_rows = Vec::new();
            for ind in &area.indicators {
                ind_rows.push(self.indicator(ind)?);
            }
            let id = area.area;
            self.score_cells(
                ar,
                area.weight(),
                |col| sum_of(col, &ind_rows),
                |s| s.area(part, id).map(|a| a.subtotal().score).unwrap_or(0.0),
            )?;
            area_rows.push(ar);
        }
        self.score_cells(
            row,
            p.weight(),
            |col| sum_of(col, &area_rows),
            |s| s.part(part).score,
        )?;
        Ok(row)
    }

    fn indicator(&mut self, ind: &Indicator) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let roman = crate::domain::lke::codes::roman(ind.code.number()).unwrap_or("?");
        self.text(row, 'E', &format!("{roman}."))?;
        self.text(row, 'F', &ind.name)?;
        let first = self.row;
        // The LHKPN / Non-LHKPN block: each question under its own sub-heading
        // row (label in E), as the 2026 workbook numbers its rows.
        let headed = ind.questions.len() > 1 && ind.questions.iter().any(has_sum_input);
        for (i, q) in ind.questions.iter().enumerate() {
            if headed {
                let r = self.next_row()?;
                let letter = crate::domain::lke::codes::letter(i as u8 + 1).unwrap_or('?');
                self.text(r, 'E', &format!("{letter}."))?;
                self.text(r, 'F', &sub_heading(&q.text))?;
            }
            self.question(q)?;
        }
        let last = self.row.saturating_sub(1).max(first);
        let code = ind.code;
        self.score_cells(
            row,
            ind.weight.value(),
            |col| {
                format!(
                    "=IFERROR(AVERAGE({col}{}:{col}{}),0)*H{}",
                    r1(first),
                    r1(last),
                    r1(row)
                )
            },
            |s| s.indicator(code).map_or(0.0, |i| i.score),
        )?;
        Ok(row)
    }

    fn link(&mut self, row: u32, item: ItemCode) -> Result<(), ExportError> {
        if let Some(url) = self.input.links.get(&item) {
            self.ws
                .write_url(row, c(EVIDENCE), Url::new(url.as_str()))?;
        }
        Ok(())
    }

    fn notes(&mut self, row: u32, item: ItemCode) -> Result<(), ExportError> {
        for (cols, _, notes, _) in self.lanes {
            if let Some(n) = notes.get(&item).filter(|n| !n.trim().is_empty()) {
                self.wrapped(row, cols.note, n)?;
            }
        }
        Ok(())
    }

    fn question(&mut self, q: &Question) -> Result<(), ExportError> {
        let row = self.next_row()?;
        let letter = crate::domain::lke::codes::letter(q.code.number()).unwrap_or('?');
        self.text(row, 'F', &format!("{letter}."))?;
        self.wrapped(row, 'G', &q.text)?;
        self.wrapped(row, 'I', &q.criteria)?;
        self.text(row, 'J', sheet_type_of(&q.answer_type).label())?;
        self.notes(row, ItemCode::Question(q.code))?;
        self.link(row, ItemCode::Question(q.code))?;
        let input_rows: Vec<u32> = (0..q.inputs.len() as u32).map(|i| row + 1 + i).collect();
        for (cols, answers, _, sheet) in self.lanes {
            let value = sheet
                .question(q.code)
                .map_or(QuestionValue::NotFilled, |s| s.value);
            let cached = || match value {
                QuestionValue::Value(v) => Cached::Num(v),
                QuestionValue::Error(_) => Cached::Num(0.0),
                QuestionValue::NotFilled => Cached::Text(NOT_FILLED),
            };
            match &q.answer_type {
                AnswerType::Percent(formula) => {
                    let k = percent_formula(q, formula, &input_rows, cols.answer);
                    self.formula(row, cols.answer, &k, cached())?;
                }
                t => {
                    if let Some(a) = answers.choice(q.code).filter(|a| t.accepts(*a)) {
                        self.ws.write_string(row, c(cols.answer), a.as_str())?;
                    }
                    let options: Vec<&str> = t.options().iter().map(|a| a.as_str()).collect();
                    let dv = DataValidation::new().allow_list_strings(&options)?;
                    self.ws
                        .add_data_validation(row, c(cols.answer), row, c(cols.answer), &dv)?;
                }
            }
            self.formula(
                row,
                cols.value,
                &value_formula_of(row, cols.answer),
                cached(),
            )?;
        }
        for input in &q.inputs {
            let r = self.next_row()?;
            self.wrapped(r, 'G', &format!("- {}", input.text))?;
            self.text(r, 'J', SheetType::Jumlah.label())?;
            self.notes(r, ItemCode::Input(input.code))?;
            self.link(r, ItemCode::Input(input.code))?;
            for (cols, answers, _, _) in self.lanes {
                match &input.kind {
                    InputKind::Entered => {
                        if let Some(v) = answers.input(input.code) {
                            self.ws.write_number(r, c(cols.answer), v.value())?;
                        }
                        let dv = DataValidation::new()
                            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0));
                        self.ws
                            .add_data_validation(r, c(cols.answer), r, c(cols.answer), &dv)?;
                    }
                    InputKind::Sum { of } => {
                        let cells = of.iter().map(|code| {
                            format!("{}{}", cols.answer, r1(row_of(q, *code, &input_rows)))
                        });
                        let (f, cached) = summed_input(cells, of, answers);
                        self.formula(r, cols.answer, &f, cached)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn hasil(&mut self) -> Result<u32, ExportError> {
        let h = self.input.rubric.hasil();
        let head = self.next_row()?;
        self.bold(head, 'B', "B.")?;
        self.bold(head, 'C', "HASIL")?;
        let bersih = self.next_row()?;
        self.bold(bersih, 'C', "I.")?;
        self.bold(bersih, 'D', &h.bersih_name.to_uppercase())?;
        let ipak = self.hasil_item(HasilItemId::Ipak, "a")?;
        let capaian = self.hasil_item(HasilItemId::Capaian, "b")?;
        self.score_cells(
            bersih,
            h.bersih_weight(),
            |col| sum_of(col, &[ipak, capaian]),
            |s| s.hasil.bersih.score,
        )?;
        let prima = self.next_row()?;
        self.bold(prima, 'C', "II.")?;
        self.bold(prima, 'D', &h.prima_name.to_uppercase())?;
        let ipkp = self.hasil_item(HasilItemId::Ipkp, "-")?;
        self.score_cells(
            prima,
            h.prima_weight(),
            |col| sum_of(col, &[ipkp]),
            |s| s.hasil.prima.score,
        )?;
        self.score_cells(
            head,
            h.weight(),
            |col| sum_of(col, &[bersih, prima]),
            |s| s.hasil.total.score,
        )?;
        self.rows.ipak = ipak;
        self.rows.capaian = capaian;
        self.rows.ipkp = ipkp;
        let total = self.next_row()?;
        self.bold(total, 'B', "TOTAL HASIL")?;
        for (cols, _, _, sheet) in self.lanes {
            let f = sum_of(cols.value, &[bersih, prima]);
            self.formula(total, cols.value, &f, Cached::Num(sheet.hasil.total.score))?;
        }
        Ok(total)
    }

    fn hasil_item(&mut self, id: HasilItemId, label: &str) -> Result<u32, ExportError> {
        let row = self.next_row()?;
        let item = self.input.rubric.hasil().item(id);
        self.text(row, 'D', label)?;
        self.wrapped(row, 'E', &item.text)?;
        self.wrapped(row, 'I', &item.criteria)?;
        self.ws.write_number(row, c('H'), item.weight.value())?;
        self.notes(row, ItemCode::Hasil(id))?;
        self.link(row, ItemCode::Hasil(id))?;
        let capaian = id == HasilItemId::Capaian;
        let kind = if capaian {
            SheetType::Abcde
        } else {
            SheetType::Nilai
        };
        self.text(row, 'J', kind.label())?;
        for (cols, _, _, sheet) in self.lanes {
            let s = sheet.hasil.item(id);
            let (k, h) = (
                format!("{}{}", cols.answer, r1(row)),
                format!("H{}", r1(row)),
            );
            let col = c(cols.answer);
            let f = if capaian {
                if let Some(a) = s.answer {
                    self.ws.write_string(row, col, a.as_str())?;
                }
                let dv = DataValidation::new().allow_list_strings(&["A", "B", "C", "D", "E"])?;
                self.ws.add_data_validation(row, col, row, col, &dv)?;
                format!(
                    "=IF({k}=\"A\",1,IF({k}=\"B\",0.75,IF({k}=\"C\",0.5,IF({k}=\"D\",0.25,0))))*{h}"
                )
            } else {
                if let Some(v) = s.value {
                    self.ws.write_number(row, col, v)?;
                }
                let dv = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(0.0, 4.0));
                self.ws.add_data_validation(row, col, row, col, &dv)?;
                format!("=IF({k}=\"\",0,{k}/4*{h})")
            };
            self.formula(row, cols.value, &f, Cached::Num(s.score))?;
        }
        Ok(row)
    }
}

fn has_sum_input(q: &Question) -> bool {
    q.inputs
        .iter()
        .any(|i| matches!(i.kind, InputKind::Sum { .. }))
}

/// "Persentase penyampaian LHKPN" → "Penyampaian LHKPN".
fn sub_heading(text: &str) -> String {
    let rest = text.strip_prefix("Persentase ").unwrap_or(text);
    let mut chars = rest.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A gate check as the 2026 workbook writes it, and its result for `value`.
fn gate(cell: &str, wbk: &str, wbbm: &str) -> String {
    format!(
        "=IF(AND($B$2=\"WBK\",{cell}>={wbk}),\"OK\",IF(AND($B$2=\"WBBM\",{cell}>={wbbm}),\"OK\",\"Tidak Lulus\"))"
    )
}

fn gate_result(predicate: &str, value: f64, wbk: f64, wbbm: f64) -> Cached {
    let passes = match predicate {
        "WBK" => value >= wbk,
        "WBBM" => value >= wbbm,
        _ => false,
    };
    Cached::Text(if passes { "OK" } else { "Tidak Lulus" })
}

/// A summary sheet (`Unit`, `TPI Unit`, `TPI Itjen`) laid out like the 2026 workbook's:
/// every area's Pemenuhan and Reform from `Jawaban`, the totals and the gate
/// checks, each formula with its cached result.
fn summary(
    ws: &mut Worksheet,
    input: &Workbook2026<'_>,
    rows: &Rows,
    value: char,
    sheet: &ScoreSheet,
) -> Result<(), ExportError> {
    let fmt = Formats::new();
    let predicate = input.predicate;
    let put = |ws: &mut Worksheet, r: u32, col: char, f: String, cached: Cached| {
        ws.write_formula(r, c(col), Formula::new(f).set_result(cached.render()))
            .map(|_| ())
    };
    let pct = |ws: &mut Worksheet, r: u32, f: String, x: f64| {
        ws.write_formula_with_format(
            r,
            c('L'),
            Formula::new(f).set_result(Cached::Num(x).render()),
            &fmt.percent,
        )
        .map(|_| ())
    };
    ws.set_column_width(c('E'), 48.0)?;
    ws.set_column_width(c('M'), 14.0)?;
    ws.write_string_with_format(0, c('B'), input.unit_name, &fmt.bold)?;
    ws.write_string_with_format(1, c('B'), predicate, &fmt.bold)?;
    for (col, label) in [
        ('B', "Area Perubahan"),
        ('H', "Bobot"),
        ('I', "Pemenuhan"),
        ('J', "Reform"),
        ('K', "Nilai"),
        ('L', " %"),
        ('M', "Pemenuhan Nilai Min"),
    ] {
        ws.write_string_with_format(3, c(col), label, &fmt.bold)?;
    }
    let rubric = input.rubric;
    ws.write_string_with_format(4, c('B'), "A.", &fmt.bold)?;
    ws.write_string_with_format(4, c('C'), "PENGUNGKIT", &fmt.bold)?;
    let peng_weight = rubric.part(Part::Pemenuhan).weight() + rubric.part(Part::Reform).weight();
    ws.write_number(4, c('H'), peng_weight)?;
    let areas = &rubric.part(Part::Pemenuhan).areas;
    let first = 5u32;
    for (i, area) in areas.iter().enumerate() {
        let r = first + i as u32;
        let id = area.area;
        let p = sheet.area(Part::Pemenuhan, id).map_or(0.0, |a| a.score);
        let rf = sheet.area(Part::Reform, id).map_or(0.0, |a| a.score);
        let weight = area.weight() + rubric.area(Part::Reform, id).weight();
        ws.write_number(r, c('D'), f64::from(id.number()))?;
        ws.write_string(r, c('E'), area.name.to_uppercase())?;
        ws.write_number(r, c('H'), weight)?;
        let at = |part: u8| rows.areas.get(&(part, id)).copied().map_or(0, r1);
        put(
            ws,
            r,
            'I',
            format!("=Jawaban!{value}{}", at(0)),
            Cached::Num(p),
        )?;
        put(
            ws,
            r,
            'J',
            format!("=Jawaban!{value}{}", at(1)),
            Cached::Num(rf),
        )?;
        let k = p + rf;
        put(
            ws,
            r,
            'K',
            format!("=SUM(I{0}:J{0})", r1(r)),
            Cached::Num(k),
        )?;
        pct(ws, r, format!("=K{0}/H{0}", r1(r)), k / weight)?;
        let l = format!("L{}", r1(r));
        put(
            ws,
            r,
            'M',
            gate(&l, "60%", "75%"),
            gate_result(predicate, k / weight, 0.6, 0.75),
        )?;
    }
    let last = first + areas.len() as u32 - 1;
    let total_peng = last + 1;
    ws.write_string_with_format(total_peng, c('B'), "TOTAL PENGUNGKIT", &fmt.bold)?;
    let peng = sheet.pengungkit.score;
    put(
        ws,
        total_peng,
        'K',
        format!("=SUM(K{}:K{})", r1(first), r1(last)),
        Cached::Num(peng),
    )?;
    pct(
        ws,
        total_peng,
        format!("=K{}/H{}", r1(total_peng), r1(4)),
        peng / peng_weight,
    )?;
    let k = format!("K{}", r1(total_peng));
    put(
        ws,
        total_peng,
        'M',
        gate(&k, "40", "48"),
        gate_result(predicate, peng, 40.0, 48.0),
    )?;

    let h = rubric.hasil();
    let hs = &sheet.hasil;
    let head = total_peng + 2;
    ws.write_string_with_format(head, c('B'), "B.", &fmt.bold)?;
    ws.write_string_with_format(head, c('C'), "HASIL", &fmt.bold)?;
    ws.write_number(head, c('H'), h.weight())?;
    let bersih = head + 1;
    let (ipak, capaian) = (bersih + 1, bersih + 2);
    let prima = bersih + 3;
    let ipkp = prima + 1;
    let total_hasil = ipkp + 1;
    let nilai = total_hasil + 2;
    ws.write_string(bersih, c('C'), "I.")?;
    ws.write_string(bersih, c('D'), h.bersih_name.to_uppercase())?;
    ws.write_number(bersih, c('H'), h.bersih_weight())?;
    ws.write_string(prima, c('C'), "II.")?;
    ws.write_string(prima, c('D'), h.prima_name.to_uppercase())?;
    ws.write_number(prima, c('H'), h.prima_weight())?;
    put(
        ws,
        bersih,
        'K',
        format!("=SUM(K{}:K{})", r1(ipak), r1(capaian)),
        Cached::Num(hs.bersih.score),
    )?;
    put(
        ws,
        prima,
        'K',
        format!("=SUM(K{})", r1(ipkp)),
        Cached::Num(hs.prima.score),
    )?;
    let items = [
        (ipak, "a", HasilItemId::Ipak, rows.ipak, 15.75, 15.75),
        (capaian, "b", HasilItemId::Capaian, rows.capaian, 2.5, 3.75),
        (ipkp, "-", HasilItemId::Ipkp, rows.ipkp, 14.0, 15.75),
    ];
    for (r, label, id, at, wbk, wbbm) in items {
        let item = h.item(id);
        let s = hs.item(id).score;
        ws.write_string(r, c('D'), label)?;
        ws.write_string(r, c('E'), &item.text)?;
        ws.write_number(r, c('H'), item.weight.value())?;
        put(
            ws,
            r,
            'K',
            format!("=Jawaban!{value}{}", r1(at)),
            Cached::Num(s),
        )?;
        let k = format!("K{}", r1(r));
        put(
            ws,
            r,
            'M',
            gate(&k, &wbk.to_string(), &wbbm.to_string()),
            gate_result(predicate, s, wbk, wbbm),
        )?;
    }
    let bersih_k = format!("K{}", r1(bersih));
    put(
        ws,
        bersih,
        'M',
        gate(&bersih_k, "18.25", "19.5"),
        gate_result(predicate, hs.bersih.score, 18.25, 19.5),
    )?;
    for (r, weight, x) in [
        (bersih, h.bersih_weight(), hs.bersih.score),
        (ipak, h.ipak.weight.value(), hs.ipak.score),
        (capaian, h.capaian.weight.value(), hs.capaian.score),
        (prima, h.prima_weight(), hs.prima.score),
        (ipkp, h.ipkp.weight.value(), hs.ipkp.score),
    ] {
        pct(ws, r, format!("=K{0}/H{0}", r1(r)), x / weight)?;
    }
    ws.write_string_with_format(total_hasil, c('B'), "TOTAL HASIL", &fmt.bold)?;
    put(
        ws,
        total_hasil,
        'K',
        format!("=SUM(K{},K{})", r1(bersih), r1(prima)),
        Cached::Num(hs.total.score),
    )?;
    pct(
        ws,
        total_hasil,
        format!("=K{}/H{}", r1(total_hasil), r1(head)),
        hs.total.score / h.weight(),
    )?;
    ws.write_string_with_format(
        nilai,
        c('B'),
        "NILAI EVALUASI REFORMASI BIROKRASI",
        &fmt.bold,
    )?;
    put(
        ws,
        nilai,
        'K',
        format!("=SUM(K{},K{})", r1(total_peng), r1(total_hasil)),
        Cached::Num(sheet.total.score),
    )?;
    let k = format!("K{}", r1(nilai));
    put(
        ws,
        nilai,
        'M',
        gate(&k, "75", "85"),
        gate_result(predicate, sheet.total.score, 75.0, 85.0),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::grid::{read_lke_sheet, LaneColumns, Layout};
    use super::super::guard::Limits;
    use super::super::import::{read_answers, read_answers_lane};
    use super::*;
    use crate::domain::lke::{builtin_90_2021_ref, Answer};
    use crate::domain::portalrb::soal_2026;
    use crate::model::{WorkbookLane, WorkbookLayout};

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    );
    const MASTER: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/master-soal-lkezi-2026.json"
    );

    /// (soal id, row, answer column, TPI column, note, evidence, TPI note) of the master.
    fn master_cells() -> Vec<(u64, u64, String, String, String, String, String)> {
        fn walk(node: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
            for soal in node["soals"].as_array().into_iter().flatten() {
                out.push(soal.clone());
            }
            for child in node["children"].as_array().into_iter().flatten() {
                walk(child, out);
            }
        }
        let master: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(MASTER).unwrap()).unwrap();
        let mut soals = Vec::new();
        for top in master["data"].as_array().unwrap() {
            walk(top, &mut soals);
        }
        let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        soals
            .iter()
            .map(|v| {
                (
                    v["id"].as_u64().unwrap(),
                    v["excel_baris"].as_u64().unwrap(),
                    s(v, "excel_kolom_jawaban_unit"),
                    s(v, "excel_kolom_jawaban_tpi"),
                    s(v, "excel_kolom_catatan_unit"),
                    s(v, "excel_kolom_bukti_dukung_unit"),
                    s(v, "excel_kolom_catatan_tpi"),
                )
            })
            .collect()
    }

    struct Lanes {
        unit: Answers,
        unit_notes: Notes,
        tpi: Answers,
        tpi_notes: Notes,
        itjen: Answers,
        itjen_notes: Notes,
        links: BTreeMap<ItemCode, String>,
    }

    const ITJEN_NOTE: &str = "Itjen: </t><script>alert(1)</script> & \"SK\" =SUM(A1)";

    fn lanes() -> Lanes {
        let r = builtin_90_2021_ref();
        let first = read_answers(&std::fs::read(FIXTURE).unwrap(), r, &Limits::default()).unwrap();
        let mut unit_notes = first.notes.clone();
        unit_notes.insert(ItemCode::Hasil(HasilItemId::Ipak), "survei 2026".into());
        let mut tpi = first.answers.clone();
        let code = "P.MP.i.b".parse().unwrap();
        tpi.set_choice(r, code, Some(Answer::C)).unwrap();
        tpi.set_capaian(Some(Answer::D)).unwrap();
        let mut tpi_notes = Notes::new();
        tpi_notes.insert(ItemCode::Question(code), "SK belum ditandatangani".into());
        // The Itjen's lane differs from the TPI's on two more items.
        let mut itjen = tpi.clone();
        let a = "P.MP.i.a".parse().unwrap();
        itjen.set_choice(r, a, Some(Answer::Tidak)).unwrap();
        itjen.set_capaian(Some(Answer::E)).unwrap();
        let mut itjen_notes = Notes::new();
        itjen_notes.insert(ItemCode::Question(a), ITJEN_NOTE.into());
        let links = soal_2026()
            .take(3)
            .map(|(id, item)| (item, format!("https://zi.example.go.id/bukti/zi_x/{id}")))
            .collect();
        Lanes {
            unit: first.answers,
            unit_notes,
            tpi,
            tpi_notes,
            itjen,
            itjen_notes,
            links,
        }
    }

    fn export(l: &Lanes) -> Vec<u8> {
        export_workbook_2026(&Workbook2026 {
            rubric: builtin_90_2021_ref(),
            unit_name: "Balai Diklat Medan",
            predicate: "WBK",
            unit: LaneData {
                answers: &l.unit,
                notes: &l.unit_notes,
            },
            evaluators: Some(LaneData {
                answers: &l.tpi,
                notes: &l.tpi_notes,
            }),
            itjen: Some(LaneData {
                answers: &l.itjen,
                notes: &l.itjen_notes,
            }),
            links: &l.links,
        })
        .unwrap()
    }

    #[test]
    fn every_soal_sits_on_the_row_and_in_the_columns_the_master_names() {
        let l = lanes();
        let bytes = export(&l);
        let (grid, problems) = read_lke_sheet(&bytes, &Limits::default()).unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(grid.name, "Jawaban");
        let (layout, assumed) = Layout::detect(&grid);
        assert!(assumed.is_none());
        assert_eq!(layout, {
            let mut official = Layout::official(WorkbookLayout::Lke2026);
            official.header_row = Some(1);
            official.value = Some('O');
            official.tpi2 = Some(LaneColumns {
                answer: 'T',
                note: Some('W'),
            });
            official
        });
        let cells = master_cells();
        assert_eq!(cells.len(), 127);
        let soals: Vec<_> = soal_2026().collect();
        for ((soal, item), (id, row, k, n, note, m, q)) in soals.iter().zip(&cells) {
            assert_eq!(u64::from(soal.value()), *id);
            assert_eq!(
                (
                    k.as_str(),
                    n.as_str(),
                    note.as_str(),
                    m.as_str(),
                    q.as_str()
                ),
                ("K", "N", "L", "M", "Q")
            );
            let r = grid
                .rows
                .iter()
                .find(|r| u64::from(r.number) == *row)
                .unwrap_or_else(|| panic!("row {row}"));
            assert!(
                !r.value('K').is_blank(),
                "soal {id} ({item}) answered on row {row}"
            );
            assert!(
                !r.value('N').is_blank(),
                "soal {id} ({item}) TPI on row {row}"
            );
        }
        let first = grid.rows.iter().find(|r| r.number == 6).unwrap();
        assert_eq!(first.text('K'), "Ya");
        assert_eq!(first.text('M'), "https://zi.example.go.id/bukti/zi_x/1");
        let b = grid.rows.iter().find(|r| r.number == 7).unwrap();
        assert_eq!((b.text('K'), b.text('N')), ("A", "C"));
        assert_eq!(b.text('Q'), "SK belum ditandatangani");
        let a = grid.rows.iter().find(|r| r.number == 6).unwrap();
        assert_eq!((a.text('N'), a.text('T')), ("Ya", "Tidak"));
        assert_eq!(a.text('W'), ITJEN_NOTE);
    }

    #[test]
    fn both_lanes_read_back_with_the_same_answers_notes_and_score() {
        let l = lanes();
        let r = builtin_90_2021_ref();
        let bytes = export(&l);
        let unit = read_answers_lane(&bytes, r, &Limits::default(), WorkbookLane::Unit).unwrap();
        assert!(unit.problems.is_empty(), "{:#?}", unit.problems);
        assert_eq!(unit.answers, l.unit);
        assert_eq!(unit.notes, l.unit_notes);
        let tpi = read_answers_lane(&bytes, r, &Limits::default(), WorkbookLane::Tpi).unwrap();
        assert!(tpi.problems.is_empty(), "{:#?}", tpi.problems);
        assert_eq!(tpi.answers, l.tpi);
        assert_eq!(tpi.notes, l.tpi_notes);
        assert_eq!(
            (tpi.read.answer_column, tpi.read.note_column),
            ('N', Some('Q'))
        );
        let itjen = read_answers_lane(&bytes, r, &Limits::default(), WorkbookLane::Tpi2).unwrap();
        assert!(itjen.problems.is_empty(), "{:#?}", itjen.problems);
        assert_eq!(itjen.answers, l.itjen);
        assert_eq!(itjen.notes, l.itjen_notes);
        assert_eq!(
            (itjen.read.answer_column, itjen.read.note_column),
            ('T', Some('W'))
        );
    }

    #[test]
    fn summary_sheets_cache_each_lanes_engine_score() {
        use calamine::{Data, Reader, Xlsx};
        let l = lanes();
        let r = builtin_90_2021_ref();
        let bytes = export(&l);
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names: Vec<String> = xlsx.sheet_names().to_vec();
        assert_eq!(names, [SUMMARY_UNIT, SUMMARY_TPI, SUMMARY_ITJEN, "Jawaban"]);
        for (sheet, answers, col) in [
            (SUMMARY_UNIT, &l.unit, 'R'),
            (SUMMARY_TPI, &l.tpi, 'O'),
            (SUMMARY_ITJEN, &l.itjen, 'U'),
        ] {
            let s = score(r, answers);
            let range = xlsx.worksheet_range(sheet).unwrap();
            let formulas = xlsx.worksheet_formula(sheet).unwrap();
            let num = |row: u32, col: u32| match range.get_value((row, col)) {
                Some(Data::Float(x)) => *x,
                other => panic!("{sheet} {row}/{col}: {other:?}"),
            };
            let f =
                |row: u32, col: u32| formulas.get_value((row, col)).cloned().unwrap_or_default();
            // K22: the total; K12 Pengungkit; K20 Hasil; I6/J6 Manajemen Perubahan.
            assert!((num(21, 10) - s.total.score).abs() < 1e-9, "{sheet}");
            assert_eq!(f(21, 10), "SUM(K12,K20)");
            assert!((num(11, 10) - s.pengungkit.score).abs() < 1e-9);
            assert!((num(19, 10) - s.hasil.total.score).abs() < 1e-9);
            let mp = s
                .area(Part::Pemenuhan, AreaId::ManajemenPerubahan)
                .unwrap()
                .score;
            assert!((num(5, 8) - mp).abs() < 1e-9);
            assert_eq!(f(5, 8), format!("Jawaban!{col}4"));
            assert_eq!(f(5, 9), format!("Jawaban!{col}123"));
            assert_eq!(f(15, 10), format!("Jawaban!{col}199"));
            assert_eq!(f(16, 10), format!("Jawaban!{col}200"));
            assert_eq!(f(18, 10), format!("Jawaban!{col}202"));
        }
        let unit_total = score(r, &l.unit).total.score;
        let tpi_total = score(r, &l.tpi).total.score;
        let itjen_total = score(r, &l.itjen).total.score;
        assert!(unit_total > tpi_total, "the lanes differ");
        assert!(tpi_total > itjen_total, "the Itjen's lane differs too");
    }
}
