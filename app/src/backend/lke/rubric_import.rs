//! Reads a workbook in the official layout as a new rubric version: structure,
//! weights, texts, answer types and the % formulas of column K.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::lke::rubric::split_options;
use crate::domain::lke::{
    AnswerType, AreaRubric, HasilItem, HasilItemId, HasilRubric, Indicator, IndicatorCode,
    InputCode, InputKind, NumericInput, Part, PartRubric, PercentFormula, Question, QuestionCode,
    RubricVersion, RubricVersionData, Weight, YearRange,
};

use super::error::{Assumption, ImportError, Problem, ProblemKind};
use super::grid::read_lke_sheet;
use super::guard::{read_file, Limits};
use super::outline::{
    parse_outline, Outline, OutlineArea, OutlineHasilItem, OutlineIndicator, OutlineQuestion,
    SheetType,
};

/// Identity of the version being imported (not in the sheet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricMeta {
    pub key: String,
    pub title: String,
    pub legal_basis: String,
    pub years: YearRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedRubric {
    pub rubric: RubricVersion,
    pub problems: Vec<Problem>,
}

pub fn read_rubric_from_path(
    path: &Path,
    meta: &RubricMeta,
    limits: &Limits,
) -> Result<ImportedRubric, ImportError> {
    let bytes = read_file(path, limits)?;
    read_rubric(&bytes, meta, limits)
}

/// Reads a rubric version from workbook bytes (untrusted).
pub fn read_rubric(
    bytes: &[u8],
    meta: &RubricMeta,
    limits: &Limits,
) -> Result<ImportedRubric, ImportError> {
    let (grid, mut problems) = read_lke_sheet(bytes, limits)?;
    let outline = parse_outline(&grid);
    problems.extend(outline.problems.iter().cloned());
    let mut b = Builder {
        sheet: &grid.name,
        problems,
    };
    let data = RubricVersionData {
        key: meta.key.clone(),
        title: meta.title.clone(),
        legal_basis: meta.legal_basis.clone(),
        years: meta.years,
        pemenuhan: b.part(&outline, Part::Pemenuhan),
        reform: b.part(&outline, Part::Reform),
        hasil: b.hasil(&outline)?,
    };
    match RubricVersion::new(data) {
        Ok(rubric) => Ok(ImportedRubric {
            rubric,
            problems: b.problems,
        }),
        Err(error) => Err(ImportError::InvalidRubric {
            error,
            problems: b.problems,
        }),
    }
}

struct Builder<'a> {
    sheet: &'a str,
    problems: Vec<Problem>,
}

/// `PEMENUHAN` → `Pemenuhan`.
fn capitalize(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Builder<'_> {
    fn at(&mut self, row: u32, column: char, kind: ProblemKind) {
        self.problems
            .push(Problem::at(self.sheet, row, column, kind));
    }

    fn weight(&mut self, row: u32, w: Option<f64>) -> Option<Weight> {
        let weight = w.and_then(|w| Weight::new(w).ok());
        if weight.is_none() {
            self.at(row, 'H', ProblemKind::MissingWeight);
        }
        weight
    }

    fn part(&mut self, outline: &Outline, part: Part) -> PartRubric {
        let Some(p) = outline.part(part) else {
            return PartRubric {
                name: String::new(),
                areas: Vec::new(),
            };
        };
        let areas = p
            .areas
            .iter()
            .filter_map(|a| Some((a.area?, a)))
            .map(|(id, a)| AreaRubric {
                area: id,
                name: a.name.clone(),
                indicators: self.indicators(part, id, a),
            })
            .collect();
        PartRubric {
            name: capitalize(&p.name),
            areas,
        }
    }

    fn indicators(
        &mut self,
        part: Part,
        area: crate::domain::lke::AreaId,
        a: &OutlineArea,
    ) -> Vec<Indicator> {
        let mut out: Vec<Indicator> = Vec::new();
        for oind in &a.indicators {
            let Some(weight) = self.weight(oind.row, oind.weight) else {
                continue;
            };
            let number = u8::try_from(out.len() + 1).unwrap_or(u8::MAX);
            let Ok(code) = IndicatorCode::new(part, area, number) else {
                let found = oind.label.clone();
                self.at(oind.row, 'E', ProblemKind::UnknownIndicator { found });
                continue;
            };
            if oind.number != Some(number) {
                let assumption = Assumption::IndicatorByPosition {
                    label: oind.label.clone(),
                    code,
                };
                self.at(oind.row, 'E', ProblemKind::Assumed { assumption });
            }
            let questions = self.questions(code, oind);
            out.push(Indicator {
                code,
                name: oind.name.clone(),
                weight,
                questions,
            });
        }
        let sum: f64 = out.iter().map(|i| i.weight.value()).sum();
        if let Some(stated) = a.weight {
            if (stated - sum).abs() > 1e-9 {
                self.at(
                    a.row,
                    'H',
                    ProblemKind::WeightMismatch {
                        expected: sum,
                        found: stated,
                    },
                );
            }
        }
        out
    }

    fn questions(&mut self, ind: IndicatorCode, oind: &OutlineIndicator) -> Vec<Question> {
        let mut out: Vec<Question> = Vec::new();
        for oq in &oind.questions {
            let number = u8::try_from(out.len() + 1).unwrap_or(u8::MAX);
            let Ok(code) = QuestionCode::new(ind, number) else {
                let label = oq.label.clone();
                self.at(oq.row, 'F', ProblemKind::UnexpectedQuestion { label });
                continue;
            };
            if oq.number().is_some_and(|n| n != number) {
                let found = oq.label.clone();
                self.at(
                    oq.row,
                    'F',
                    ProblemKind::LabelOutOfOrder {
                        found,
                        matched: code,
                    },
                );
            }
            if let Some(q) = self.question(code, oq) {
                out.push(q);
            }
        }
        out
    }

    fn question(&mut self, code: QuestionCode, oq: &OutlineQuestion) -> Option<Question> {
        let (answer_type, inputs) = match &oq.sheet_type {
            SheetType::YaTidak => (AnswerType::YaTidak, Vec::new()),
            SheetType::Abc => (AnswerType::Abc, Vec::new()),
            SheetType::Abcd => (AnswerType::Abcd, Vec::new()),
            SheetType::Abcde => (AnswerType::Abcde, Vec::new()),
            SheetType::Percent => self.percent(code, oq)?,
            SheetType::Unknown(found) if found.to_lowercase().starts_with("ya") => {
                let assumption = Assumption::YaTidak {
                    found: found.clone(),
                };
                self.at(oq.row, 'J', ProblemKind::Assumed { assumption });
                (AnswerType::YaTidak, Vec::new())
            }
            other => {
                let found = other.label().to_owned();
                self.at(oq.row, 'J', ProblemKind::UnknownAnswerType { found });
                let label = oq.label.clone();
                self.at(oq.row, 'F', ProblemKind::UnexpectedQuestion { label });
                return None;
            }
        };
        Some(Question {
            code,
            text: oq.text.clone(),
            options: split_options(&answer_type, &oq.criteria),
            answer_type,
            criteria: oq.criteria.clone(),
            expected_evidence: None,
            inputs,
        })
    }

    fn percent(
        &mut self,
        code: QuestionCode,
        oq: &OutlineQuestion,
    ) -> Option<(AnswerType, Vec<NumericInput>)> {
        let mut by_row: BTreeMap<u32, InputCode> = BTreeMap::new();
        for (pos, oi) in oq.inputs.iter().enumerate() {
            if let Some(c) = u8::try_from(pos + 1)
                .ok()
                .and_then(|n| InputCode::new(code, n).ok())
            {
                by_row.insert(oi.row, c);
            }
        }
        let inputs: Vec<NumericInput> = oq
            .inputs
            .iter()
            .filter_map(|oi| {
                let c = *by_row.get(&oi.row)?;
                let kind = oi
                    .formula
                    .as_deref()
                    .and_then(|f| parse_sum(f, &by_row))
                    .filter(|of| !of.contains(&c))
                    .map_or(InputKind::Entered, |of| InputKind::Sum { of });
                Some(NumericInput {
                    code: c,
                    text: oi.text.clone(),
                    kind,
                })
            })
            .collect();
        let formula = oq
            .formula
            .as_deref()
            .and_then(|f| parse_percent_formula(f, &by_row));
        let formula = match formula {
            Some(f) => f,
            None => {
                let formula = oq.formula.clone().unwrap_or_default();
                self.at(oq.row, 'K', ProblemKind::UnparsableFormula { formula });
                match default_formula(&inputs) {
                    Some(f) => {
                        let assumption = Assumption::RatioOfLastToFirstInput { question: code };
                        self.at(oq.row, 'K', ProblemKind::Assumed { assumption });
                        f
                    }
                    None => {
                        let label = oq.label.clone();
                        self.at(oq.row, 'F', ProblemKind::UnexpectedQuestion { label });
                        return None;
                    }
                }
            }
        };
        Some((AnswerType::Percent(formula), inputs))
    }

    fn hasil(&mut self, outline: &Outline) -> Result<HasilRubric, ImportError> {
        let mut items: BTreeMap<HasilItemId, &OutlineHasilItem> = BTreeMap::new();
        for item in &outline.hasil {
            let id = match (item.group, &item.sheet_type) {
                (1, SheetType::Abcde) => HasilItemId::Capaian,
                (1, _) if !items.contains_key(&HasilItemId::Ipak) => HasilItemId::Ipak,
                (1, _) => HasilItemId::Capaian,
                _ => HasilItemId::Ipkp,
            };
            items.entry(id).or_insert(item);
        }
        let mut build = |id: HasilItemId| -> Option<HasilItem> {
            let item = items.get(&id)?;
            let weight = self.weight(item.row, item.weight)?;
            let options = if id == HasilItemId::Capaian {
                split_options(&AnswerType::Abcde, &item.criteria)
            } else {
                Vec::new()
            };
            Some(HasilItem {
                code: id,
                text: item.text.clone(),
                criteria: item.criteria.clone(),
                weight,
                options,
            })
        };
        let (ipak, capaian, ipkp) = (
            build(HasilItemId::Ipak),
            build(HasilItemId::Capaian),
            build(HasilItemId::Ipkp),
        );
        let group = |n: u8| {
            outline
                .hasil_groups
                .iter()
                .find(|g| g.number == n)
                .map(|g| capitalize(&g.name))
                .unwrap_or_default()
        };
        match (ipak, capaian, ipkp) {
            (Some(ipak), Some(capaian), Some(ipkp)) => Ok(HasilRubric {
                bersih_name: group(1),
                prima_name: group(2),
                ipak,
                capaian,
                ipkp,
            }),
            _ => {
                let missing = HasilItemId::ALL
                    .into_iter()
                    .filter(|id| !items.contains_key(id))
                    .map(|item| Problem {
                        sheet: self.sheet.to_owned(),
                        row: None,
                        column: None,
                        kind: ProblemKind::MissingHasilItem { item },
                    });
                self.problems.extend(missing);
                Err(ImportError::IncompleteRubric {
                    problems: std::mem::take(&mut self.problems),
                })
            }
        }
    }
}

/// Ratio of the last input over the first (the usual LKE shape), used when the
/// formula cannot be read; `None` without two distinct inputs.
fn default_formula(inputs: &[NumericInput]) -> Option<PercentFormula> {
    let (first, last) = (inputs.first()?.code, inputs.last()?.code);
    (first != last).then(|| PercentFormula::CappedRatio {
        numerator: last,
        denominator: first,
        also_required: Vec::new(),
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ref(u32),
    Word(String),
    Ch(char),
}

/// Tokens of a formula: column-K references, words and single characters.
fn tokens(formula: &str) -> Vec<Tok> {
    let s: Vec<char> = formula
        .chars()
        .filter(|c| *c != '$' && !c.is_whitespace())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == '"' {
            // skip string literals
            i += 1;
            while i < s.len() && s[i] != '"' {
                i += 1;
            }
            i += 1;
            continue;
        }
        if s[i].is_ascii_alphabetic() {
            let start = i;
            while i < s.len() && s[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word: String = s[start..i].iter().collect::<String>().to_uppercase();
            let digits_start = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = s[digits_start..i].iter().collect();
            match (word.as_str(), digits.parse::<u32>()) {
                ("K", Ok(row)) => out.push(Tok::Ref(row)),
                _ => out.push(Tok::Word(word)),
            }
            continue;
        }
        out.push(Tok::Ch(s[i]));
        i += 1;
    }
    out
}

/// Rows referenced inside the first `OR(…)`.
fn guarded_rows(toks: &[Tok]) -> Vec<u32> {
    let Some(start) = toks
        .windows(2)
        .position(|w| w[0] == Tok::Word("OR".into()) && w[1] == Tok::Ch('('))
    else {
        return Vec::new();
    };
    let mut depth = 0;
    let mut rows = Vec::new();
    for t in &toks[start + 1..] {
        match t {
            Tok::Ch('(') => depth += 1,
            Tok::Ch(')') => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Tok::Ref(r) => rows.push(*r),
            _ => {}
        }
    }
    rows
}

/// Parses the % formula of a question row into a [`PercentFormula`].
pub fn parse_percent_formula(
    formula: &str,
    inputs_by_row: &BTreeMap<u32, InputCode>,
) -> Option<PercentFormula> {
    let toks = tokens(formula);
    let code = |r: u32| inputs_by_row.get(&r).copied();
    let required: Vec<InputCode> = guarded_rows(&toks)
        .into_iter()
        .map(code)
        .collect::<Option<_>>()?;
    let also = |a: InputCode, b: InputCode| -> Vec<InputCode> {
        required
            .iter()
            .copied()
            .filter(|c| *c != a && *c != b)
            .collect()
    };
    if toks.contains(&Tok::Word("AND".into())) {
        let (p, c) = toks.windows(7).find_map(|w| match w {
            [Tok::Ch('('), Tok::Ref(p), Tok::Ch('-'), Tok::Ref(c), Tok::Ch(')'), Tok::Ch('/'), Tok::Ref(p2)]
                if p == p2 =>
            {
                Some((*p, *c))
            }
            _ => None,
        })?;
        let (previous, current) = (code(p)?, code(c)?);
        return Some(PercentFormula::Decrease {
            previous,
            current,
            also_required: also(previous, current),
        });
    }
    let (n, d) = toks.windows(3).find_map(|w| match w {
        [Tok::Ref(n), Tok::Ch('/'), Tok::Ref(d)] => Some((*n, *d)),
        _ => None,
    })?;
    let (numerator, denominator) = (code(n)?, code(d)?);
    Some(PercentFormula::CappedRatio {
        numerator,
        denominator,
        also_required: also(numerator, denominator),
    })
}

/// `IF(OR(…),"Blm Diisi",K179+K180+K181)` or `K179+K180+K181` → the summed inputs.
pub fn parse_sum(
    formula: &str,
    inputs_by_row: &BTreeMap<u32, InputCode>,
) -> Option<Vec<InputCode>> {
    let toks = tokens(formula);
    let mut best: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Tok::Ref(r) = toks[i] {
            let mut run = vec![r];
            let mut j = i + 1;
            while let (Some(Tok::Ch('+')), Some(Tok::Ref(next))) = (toks.get(j), toks.get(j + 1)) {
                run.push(*next);
                j += 2;
            }
            if run.len() > best.len() {
                best = run;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if best.len() < 2 {
        return None;
    }
    best.into_iter()
        .map(|r| inputs_by_row.get(&r).copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lke::builtin_90_2021_ref;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    );

    fn meta() -> RubricMeta {
        let b = builtin_90_2021_ref();
        RubricMeta {
            key: b.key().to_owned(),
            title: b.title().to_owned(),
            legal_basis: b.legal_basis().to_owned(),
            years: b.years(),
        }
    }

    #[test]
    fn reference_workbook_reads_as_the_builtin_rubric() {
        let bytes = std::fs::read(FIXTURE).unwrap();
        let imported = read_rubric(&bytes, &meta(), &Limits::default()).unwrap();
        let mut data = imported.rubric.data().clone();
        // area names are title-cased in the built-in data
        let builtin = builtin_90_2021_ref().data();
        for (mine, theirs) in [
            (&mut data.pemenuhan, &builtin.pemenuhan),
            (&mut data.reform, &builtin.reform),
        ] {
            for (a, b) in mine.areas.iter_mut().zip(&theirs.areas) {
                assert_eq!(a.name.to_uppercase(), b.name.to_uppercase());
                a.name = b.name.clone();
            }
        }
        assert_eq!(&data, builtin);
        let kinds: Vec<_> = imported.problems.iter().map(|p| (p.row, &p.kind)).collect();
        assert!(kinds
            .iter()
            .any(|(r, k)| *r == Some(8) && matches!(k, ProblemKind::Assumed { .. })));
        assert_eq!(imported.problems.len(), 3, "{:#?}", imported.problems);
    }

    #[test]
    fn formula_parsing() {
        let q: QuestionCode = "R.SDM.iii.a".parse().unwrap();
        let c = |n| InputCode::new(q, n).unwrap();
        let rows: BTreeMap<u32, InputCode> = [(155, c(1)), (156, c(2)), (157, c(3))].into();
        let f = "IF(OR(K155=\"\",K156=\"\",K157=\"\"),\"Blm Diisi\",IF(AND(K155=0,K156=0),1,IF((K155-K156)/K155<0,0,(K155-K156)/K155)))";
        assert_eq!(
            parse_percent_formula(f, &rows),
            Some(PercentFormula::Decrease {
                previous: c(1),
                current: c(2),
                also_required: vec![c(3)]
            })
        );
        let f = "=IF(OR($K$155=\"\",K157=\"\"),\"Blm Diisi\",IF(K157/K155>1,1,K157/K155))";
        assert_eq!(
            parse_percent_formula(f, &rows),
            Some(PercentFormula::CappedRatio {
                numerator: c(3),
                denominator: c(1),
                also_required: vec![]
            })
        );
        assert_eq!(parse_percent_formula("K999/K155", &rows), None);
        assert_eq!(parse_percent_formula("SUM(A1)", &rows), None);
        assert_eq!(
            parse_sum("IF(OR(K155=\"\"),\"\",K155+K156+K157)", &rows),
            Some(vec![c(1), c(2), c(3)])
        );
        assert_eq!(parse_sum("K155", &rows), None);
    }
}
