//! Reads a unit's answers from a workbook in the official layout, for a given rubric.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::lke::number::parse_decimal;
use crate::domain::lke::scoring::question_value;
use crate::domain::lke::{
    Answer, AnswerType, Answers, AreaRubric, HasilItemId, Indicator, InputKind, InputValue,
    ItemCode, Part, Question, RubricVersion, SurveyIndex,
};

use super::error::{ImportError, Problem, ProblemKind};
use super::grid::{read_lke_sheet, CellValue, Layout};
use super::guard::{read_file, Limits};
use super::outline::{
    parse_outline_with, OutlineArea, OutlineColumns, OutlineHasilItem, OutlineIndicator,
    OutlineQuestion, SheetType,
};
use crate::model::{WorkbookLane, WorkbookRead};

/// Notes (column O of the 2021 layout, L of the 2026 one) per item.
pub type Notes = BTreeMap<ItemCode, String>;

/// Answers read from a workbook, with its notes and every problem met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedAnswers {
    /// Name of the sheet read.
    pub sheet: String,
    /// The layout, sheet and columns read.
    pub read: WorkbookRead,
    pub answers: Answers,
    pub notes: Notes,
    pub problems: Vec<Problem>,
}

/// Reads answers from a workbook file.
pub fn read_answers_from_path(
    path: &Path,
    rubric: &RubricVersion,
    limits: &Limits,
) -> Result<ImportedAnswers, ImportError> {
    let bytes = read_file(path, limits)?;
    read_answers(&bytes, rubric, limits)
}

/// Reads the unit's answers from workbook bytes (untrusted).
pub fn read_answers(
    bytes: &[u8],
    rubric: &RubricVersion,
    limits: &Limits,
) -> Result<ImportedAnswers, ImportError> {
    read_answers_lane(bytes, rubric, limits, WorkbookLane::Unit)
}

/// Reads one lane's answers (the unit's, the evaluators' …) from workbook bytes.
pub fn read_answers_lane(
    bytes: &[u8],
    rubric: &RubricVersion,
    limits: &Limits,
    lane: WorkbookLane,
) -> Result<ImportedAnswers, ImportError> {
    let (grid, mut problems) = read_lke_sheet(bytes, limits)?;
    let (layout, assumed) = Layout::detect(&grid);
    let columns = layout.lane(lane).ok_or_else(|| ImportError::LaneMissing {
        lane,
        available: layout.lanes(),
    })?;
    problems.extend(assumed);
    let outline = parse_outline_with(&grid, OutlineColumns::of(&layout, columns));
    problems.extend(outline.problems.iter().cloned());
    let mut ctx = Ctx {
        rubric,
        sheet: &grid.name,
        answer: columns.answer,
        answers: Answers::new(),
        notes: Notes::new(),
        problems,
    };
    for (part, part_rubric) in rubric.parts() {
        match outline.part(part) {
            Some(p) => ctx.areas(part, &part_rubric.areas, &p.areas),
            None => {
                for a in &part_rubric.areas {
                    ctx.missing(ProblemKind::MissingArea { part, area: a.area });
                }
            }
        }
    }
    ctx.hasil(&outline.hasil);
    Ok(ImportedAnswers {
        sheet: grid.name.clone(),
        read: WorkbookRead {
            layout: layout.kind,
            sheet: grid.name.clone(),
            lane,
            answer_column: columns.answer,
            note_column: columns.note,
            header_row: layout.header_row,
            lanes: layout.lanes(),
        },
        answers: ctx.answers,
        notes: ctx.notes,
        problems: ctx.problems,
    })
}

struct Ctx<'a> {
    rubric: &'a RubricVersion,
    sheet: &'a str,
    /// Column of the lane's answers.
    answer: char,
    answers: Answers,
    notes: Notes,
    problems: Vec<Problem>,
}

/// The sheet's spelling of a rubric answer type.
pub fn sheet_type_of(t: &AnswerType) -> SheetType {
    match t {
        AnswerType::YaTidak => SheetType::YaTidak,
        AnswerType::Abc => SheetType::Abc,
        AnswerType::Abcd => SheetType::Abcd,
        AnswerType::Abcde => SheetType::Abcde,
        AnswerType::Percent(_) => SheetType::Percent,
    }
}

/// A number from a cell: numbers as-is, text through [`parse_decimal`].
pub fn parse_number(value: &CellValue) -> Result<Option<f64>, ProblemKind> {
    match value {
        v if v.is_blank() => Ok(None),
        CellValue::Number(x) => Ok(Some(*x)),
        CellValue::Text(s) => parse_decimal(s)
            .map(Some)
            .map_err(|_| ProblemKind::NotANumber { found: s.clone() }),
        CellValue::Bool(b) => Err(ProblemKind::NotANumber {
            found: b.to_string().to_uppercase(),
        }),
        CellValue::Error(e) => Err(ProblemKind::CellError { error: e.clone() }),
        CellValue::Empty => Ok(None),
    }
}

fn cell_text(value: &CellValue) -> String {
    match value {
        CellValue::Empty => String::new(),
        CellValue::Text(s) => s.clone(),
        CellValue::Number(x) => x.to_string(),
        CellValue::Bool(b) => b.to_string().to_uppercase(),
        CellValue::Error(e) => e.clone(),
    }
}

impl Ctx<'_> {
    fn at(&mut self, row: u32, column: char, kind: ProblemKind) {
        self.problems
            .push(Problem::at(self.sheet, row, column, kind));
    }

    fn missing(&mut self, kind: ProblemKind) {
        self.problems.push(Problem {
            sheet: self.sheet.to_owned(),
            row: None,
            column: None,
            kind,
        });
    }

    fn note(&mut self, item: ItemCode, note: &Option<String>) {
        if let Some(n) = note {
            self.notes.insert(item, n.clone());
        }
    }

    fn check_weight(&mut self, row: u32, expected: f64, found: Option<f64>) {
        match found {
            Some(w) if (w - expected).abs() > 1e-9 => {
                self.at(row, 'H', ProblemKind::WeightMismatch { expected, found: w })
            }
            None => self.at(row, 'H', ProblemKind::MissingWeight),
            Some(_) => {}
        }
    }

    fn areas(&mut self, part: Part, rubric_areas: &[AreaRubric], sheet_areas: &[OutlineArea]) {
        let mut used = vec![false; sheet_areas.len()];
        for a in rubric_areas {
            let found = sheet_areas
                .iter()
                .enumerate()
                .find(|(i, s)| !used[*i] && s.area == Some(a.area));
            let Some((i, sheet_area)) = found else {
                self.missing(ProblemKind::MissingArea { part, area: a.area });
                continue;
            };
            used[i] = true;
            self.check_weight(sheet_area.row, a.weight(), sheet_area.weight);
            self.indicators(&a.indicators, sheet_area);
        }
        for (s, _) in sheet_areas.iter().zip(used).filter(|(_, u)| !u) {
            if s.area.is_some() {
                self.at(
                    s.row,
                    'D',
                    ProblemKind::UnknownArea {
                        found: s.label.clone(),
                    },
                );
            }
        }
    }

    fn indicators(&mut self, rubric_inds: &[Indicator], sheet_area: &OutlineArea) {
        let mut used = vec![false; sheet_area.indicators.len()];
        for ind in rubric_inds {
            let found = sheet_area
                .indicators
                .iter()
                .enumerate()
                .find(|(i, s)| !used[*i] && s.number == Some(ind.code.number()));
            let Some((i, sheet_ind)) = found else {
                self.at(
                    sheet_area.row,
                    'E',
                    ProblemKind::MissingIndicator { code: ind.code },
                );
                continue;
            };
            used[i] = true;
            self.check_weight(sheet_ind.row, ind.weight.value(), sheet_ind.weight);
            self.questions(ind, sheet_ind);
        }
        for (s, _) in sheet_area.indicators.iter().zip(used).filter(|(_, u)| !u) {
            self.at(
                s.row,
                'E',
                ProblemKind::UnknownIndicator {
                    found: s.label.clone(),
                },
            );
        }
    }

    /// Pairs rubric questions with sheet rows: by label when the labels run a, b, c…,
    /// otherwise by position when the counts agree, otherwise by whatever labels are usable.
    fn questions(&mut self, ind: &Indicator, sheet_ind: &OutlineIndicator) {
        for (q, sq) in self.match_questions(ind, sheet_ind) {
            self.question(q, sq);
        }
    }

    fn match_questions<'s>(
        &mut self,
        ind: &'s Indicator,
        sheet_ind: &'s OutlineIndicator,
    ) -> Vec<(&'s Question, &'s OutlineQuestion)> {
        let (qs, sqs) = (&ind.questions, &sheet_ind.questions);
        if qs.len() == sqs.len() {
            for (pos, (q, sq)) in qs.iter().zip(sqs).enumerate() {
                if sq.number().is_some_and(|n| usize::from(n) != pos + 1) {
                    self.at(
                        sq.row,
                        'F',
                        ProblemKind::LabelOutOfOrder {
                            found: sq.label.clone(),
                            matched: q.code,
                        },
                    );
                }
            }
            return qs.iter().zip(sqs).collect();
        }
        let mut used = vec![false; qs.len()];
        let mut pairs = Vec::new();
        for sq in sqs {
            let slot = sq
                .number()
                .map(|n| usize::from(n) - 1)
                .filter(|i| *i < qs.len() && !used[*i]);
            match slot {
                Some(i) => {
                    used[i] = true;
                    pairs.push((&qs[i], sq));
                }
                None => self.at(
                    sq.row,
                    'F',
                    ProblemKind::UnexpectedQuestion {
                        label: sq.label.clone(),
                    },
                ),
            }
        }
        for (q, _) in qs.iter().zip(used).filter(|(_, u)| !u) {
            self.at(
                sheet_ind.row,
                'F',
                ProblemKind::MissingQuestion { code: q.code },
            );
        }
        pairs
    }

    fn question(&mut self, q: &Question, sq: &OutlineQuestion) {
        self.note(ItemCode::Question(q.code), &sq.note);
        let expected = sheet_type_of(&q.answer_type);
        match &sq.sheet_type {
            SheetType::Unknown(found) => {
                let found = found.clone();
                self.at(sq.row, 'J', ProblemKind::UnknownAnswerType { found });
            }
            t if *t != expected => self.at(
                sq.row,
                'J',
                ProblemKind::AnswerTypeMismatch {
                    expected: expected.label().to_owned(),
                    found: t.label().to_owned(),
                },
            ),
            _ => {}
        }
        if q.answer_type.is_choice() {
            self.choice(q, sq);
        } else {
            self.inputs(q, sq);
        }
    }

    fn choice(&mut self, q: &Question, sq: &OutlineQuestion) {
        let answer = match &sq.value {
            v if v.is_blank() => return,
            CellValue::Text(s) => Answer::parse_lenient(s).filter(|a| q.answer_type.accepts(*a)),
            CellValue::Error(e) => {
                let error = e.clone();
                self.at(sq.row, self.answer, ProblemKind::CellError { error });
                return;
            }
            _ => None,
        };
        let set = answer.map(|a| self.answers.set_choice(self.rubric, q.code, Some(a)));
        if !matches!(set, Some(Ok(_))) {
            let found = cell_text(&sq.value);
            self.at(sq.row, self.answer, ProblemKind::InvalidAnswer { found });
        }
    }

    fn inputs(&mut self, q: &Question, sq: &OutlineQuestion) {
        for (pos, si) in sq.inputs.iter().enumerate() {
            let Some(input) = q.inputs.get(pos) else {
                let text = si.text.clone();
                self.at(si.row, 'G', ProblemKind::UnexpectedInput { text });
                continue;
            };
            self.note(ItemCode::Input(input.code), &si.note);
            if !matches!(input.kind, InputKind::Entered) {
                continue;
            }
            match parse_number(&si.value) {
                Ok(None) => {}
                Ok(Some(v)) => match InputValue::new(v) {
                    Ok(value) => {
                        let _ = self.answers.set_input(self.rubric, input.code, Some(value));
                    }
                    Err(_) if v.is_finite() => self.at(
                        si.row,
                        self.answer,
                        ProblemKind::NegativeNumber { value: v },
                    ),
                    Err(_) => self.at(
                        si.row,
                        self.answer,
                        ProblemKind::NotANumber {
                            found: v.to_string(),
                        },
                    ),
                },
                Err(kind) => self.at(si.row, self.answer, kind),
            }
        }
        for input in q.inputs.iter().skip(sq.inputs.len()) {
            self.at(sq.row, 'G', ProblemKind::MissingInput { code: input.code });
        }
        self.cross_check(q, sq);
    }

    /// Compares the sheet's cached % (and derived totals) with what the inputs give.
    fn cross_check(&mut self, q: &Question, sq: &OutlineQuestion) {
        // An erroring formula counts as 0, as in the engine and in exported workbooks.
        let computed = question_value(q, &self.answers).numeric();
        if let Some(cached) = sq.value.number() {
            if computed.is_none_or(|c| (c - cached).abs() > 1e-9) {
                self.at(
                    sq.row,
                    self.answer,
                    ProblemKind::CachedValueMismatch { computed, cached },
                );
            }
        }
        for (input, si) in q.inputs.iter().zip(&sq.inputs) {
            let InputKind::Sum { of } = &input.kind else {
                continue;
            };
            let Some(cached) = si.value.number() else {
                continue;
            };
            let computed: Option<f64> = of
                .iter()
                .map(|c| self.answers.input(*c).map(|v| v.value()))
                .sum();
            if computed.is_none_or(|c| (c - cached).abs() > 1e-9) {
                self.at(
                    si.row,
                    self.answer,
                    ProblemKind::CachedValueMismatch { computed, cached },
                );
            }
        }
    }

    fn hasil(&mut self, items: &[OutlineHasilItem]) {
        let mut seen: Vec<HasilItemId> = Vec::new();
        for item in items {
            let id = match (item.group, &item.sheet_type) {
                (1, SheetType::Abcde) => HasilItemId::Capaian,
                (1, SheetType::Nilai) => HasilItemId::Ipak,
                (1, _) if !seen.contains(&HasilItemId::Ipak) => HasilItemId::Ipak,
                (1, _) => HasilItemId::Capaian,
                _ => HasilItemId::Ipkp,
            };
            if seen.contains(&id) {
                let label = item.label.clone();
                self.at(item.row, 'D', ProblemKind::UnexpectedQuestion { label });
                continue;
            }
            seen.push(id);
            self.check_weight(
                item.row,
                self.rubric.hasil().item(id).weight.value(),
                item.weight,
            );
            self.note(ItemCode::Hasil(id), &item.note);
            self.hasil_value(id, item);
        }
        for item in HasilItemId::ALL.into_iter().filter(|id| !seen.contains(id)) {
            self.missing(ProblemKind::MissingHasilItem { item });
        }
    }

    fn hasil_value(&mut self, id: HasilItemId, item: &OutlineHasilItem) {
        if id == HasilItemId::Capaian {
            let answer = match &item.value {
                v if v.is_blank() => return,
                CellValue::Text(s) => {
                    Answer::parse_lenient(s).filter(|a| AnswerType::Abcde.accepts(*a))
                }
                _ => None,
            };
            match answer.map(|a| self.answers.set_capaian(Some(a))) {
                Some(Ok(())) => {}
                _ => {
                    let found = cell_text(&item.value);
                    self.at(item.row, self.answer, ProblemKind::InvalidAnswer { found });
                }
            }
            return;
        }
        match parse_number(&item.value) {
            Ok(None) => {}
            Ok(Some(v)) => match SurveyIndex::new(v) {
                Ok(index) if id == HasilItemId::Ipak => self.answers.set_ipak(Some(index)),
                Ok(index) => self.answers.set_ipkp(Some(index)),
                Err(_) => self.at(
                    item.row,
                    self.answer,
                    ProblemKind::OutOfRange {
                        value: v,
                        min: SurveyIndex::MIN,
                        max: SurveyIndex::MAX,
                    },
                ),
            },
            Err(kind) => self.at(item.row, self.answer, kind),
        }
    }
}
