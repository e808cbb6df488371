//! The rubric model: a version of the LKE with its parts, areas, indicators,
//! questions, numeric inputs and Hasil items.
//!
//! A [`RubricVersion`] can only be obtained through validation
//! ([`RubricVersion::new`] or deserialization), so every version in memory has
//! codes matching their outline position, consistent formulas and weights that
//! sum to 100.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::answer_type::{Answer, AnswerType, PercentFormula};
use super::codes::{AreaId, HasilItemId, IndicatorCode, InputCode, ItemCode, Part, QuestionCode};
use super::values::Weight;

/// Total of all weights of a version (Pengungkit 60 + Hasil 40).
pub const TOTAL_WEIGHT: f64 = 100.0;
const WEIGHT_TOLERANCE: f64 = 1e-9;

/// Why rubric data was refused.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum RubricError {
    #[error("version key `{0}` must be non-empty lower-case ASCII letters, digits and dashes")]
    InvalidKey(String),
    #[error("year range {from}..{to} is reversed")]
    InvalidYears { from: u16, to: u16 },
    #[error("{part:?} must list the six areas in order; position {position} holds {found:?}")]
    AreaOutOfOrder {
        part: Part,
        position: usize,
        found: Option<AreaId>,
    },
    #[error("area {part:?} {area:?} has no indicators")]
    EmptyArea { part: Part, area: AreaId },
    /// `expected: None`: more indicators than codes can number.
    #[error("indicator {found} is at the position of {expected:?}")]
    IndicatorCodeMismatch {
        expected: Option<IndicatorCode>,
        found: IndicatorCode,
    },
    #[error("indicator {0} has no questions")]
    EmptyIndicator(IndicatorCode),
    #[error("question {found} is at the position of {expected:?}")]
    QuestionCodeMismatch {
        expected: Option<QuestionCode>,
        found: QuestionCode,
    },
    #[error("input {found} is at the position of {expected:?}")]
    InputCodeMismatch {
        expected: Option<InputCode>,
        found: InputCode,
    },
    #[error("question {0} has numeric inputs but is not a % question")]
    InputsOnChoiceQuestion(QuestionCode),
    #[error("formula of {question} references {input}, which is not one of its inputs")]
    UnknownFormulaInput {
        question: QuestionCode,
        input: InputCode,
    },
    #[error("derived input {input} must sum entered inputs of the same question")]
    InvalidSum { input: InputCode },
    #[error("option {answer:?} of {question} is not an option of its answer type")]
    InvalidOption {
        question: QuestionCode,
        answer: Answer,
    },
    #[error("Hasil item {0} has the wrong code")]
    HasilCodeMismatch(HasilItemId),
    #[error("option {answer:?} is not valid for Hasil item {item}")]
    InvalidHasilOption { item: HasilItemId, answer: Answer },
    #[error("weights sum to {0}, expected 100")]
    TotalWeight(f64),
}

/// Evaluation years a version applies to (`to = None`: still in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRange {
    pub from: u16,
    pub to: Option<u16>,
}

impl YearRange {
    pub fn contains(&self, year: u16) -> bool {
        year >= self.from && self.to.is_none_or(|t| year <= t)
    }
}

/// Criterion text of one answer option (column I, split per option).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionCriterion {
    pub answer: Answer,
    pub text: String,
}

/// Splits a criteria text (column I) into per-option texts, best first.
///
/// Ya/Tidak: the whole text is the criterion for `Ya`. Letter types: a line starting
/// with the next expected letter (`a.`, `b)`, `C.`…) opens that option; other lines
/// continue the current one; text before the first option is not an option.
pub fn split_options(answer_type: &AnswerType, criteria: &str) -> Vec<OptionCriterion> {
    let criteria = criteria.trim();
    if criteria.is_empty() || !answer_type.is_choice() {
        return Vec::new();
    }
    if *answer_type == AnswerType::YaTidak {
        return vec![OptionCriterion {
            answer: Answer::Ya,
            text: criteria.to_owned(),
        }];
    }
    let options = answer_type.options();
    let mut out: Vec<OptionCriterion> = Vec::new();
    for line in criteria.split('\n') {
        let expected = options.get(out.len()).copied();
        match (option_start(line), expected) {
            (Some((answer, rest)), Some(e)) if answer == e => out.push(OptionCriterion {
                answer,
                text: rest.to_owned(),
            }),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.text.push('\n');
                    last.text.push_str(line);
                }
            }
        }
    }
    for o in &mut out {
        o.text = o.text.trim().to_owned();
    }
    out
}

/// `"  b. text"` → (B, "text").
fn option_start(line: &str) -> Option<(Answer, &str)> {
    let t = line.trim_start();
    let mut chars = t.char_indices();
    let (_, letter) = chars.next()?;
    let answer = match letter.to_ascii_lowercase() {
        'a' => Answer::A,
        'b' => Answer::B,
        'c' => Answer::C,
        'd' => Answer::D,
        'e' => Answer::E,
        _ => return None,
    };
    let rest = t[letter.len_utf8()..].trim_start();
    let rest = rest.strip_prefix(['.', ')'])?;
    Some((answer, rest.trim_start()))
}

/// How a numeric input row gets its number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InputKind {
    /// Typed by the unit.
    Entered,
    /// Computed in the sheet as the sum of other inputs of the same question
    /// (blank while any of them is blank).
    Sum { of: Vec<InputCode> },
}

/// A `Jumlah` row feeding a computed-% question. Not scored itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericInput {
    pub code: InputCode,
    pub text: String,
    pub kind: InputKind,
}

/// A scored question of Pengungkit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: QuestionCode,
    /// Question text (column G).
    pub text: String,
    pub answer_type: AnswerType,
    /// Full criteria text (column I, "Penjelasan").
    pub criteria: String,
    /// Criteria split per option, best first (may be incomplete when the text is).
    #[serde(default)]
    pub options: Vec<OptionCriterion>,
    /// Evidence (data dukung) the rubric expects, where it names one.
    #[serde(default)]
    pub expected_evidence: Option<String>,
    /// Numeric input rows of a % question, in sheet order.
    #[serde(default)]
    pub inputs: Vec<NumericInput>,
}

impl Question {
    pub fn input(&self, code: InputCode) -> Option<&NumericInput> {
        self.inputs.iter().find(|i| i.code == code)
    }
}

/// An indicator (sub-pilar): weight × average of its questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: IndicatorCode,
    pub name: String,
    pub weight: Weight,
    pub questions: Vec<Question>,
}

/// One area (pilar) within Pemenuhan or Reform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaRubric {
    pub area: AreaId,
    pub name: String,
    pub indicators: Vec<Indicator>,
}

impl AreaRubric {
    /// Weight of the area: sum of its indicators' weights.
    pub fn weight(&self) -> f64 {
        self.indicators.iter().map(|i| i.weight.value()).sum()
    }
}

/// Pemenuhan or Reform: six areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartRubric {
    pub name: String,
    pub areas: Vec<AreaRubric>,
}

impl PartRubric {
    pub fn weight(&self) -> f64 {
        self.areas.iter().map(AreaRubric::weight).sum()
    }
}

/// One Hasil item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HasilItem {
    pub code: HasilItemId,
    pub text: String,
    pub criteria: String,
    pub weight: Weight,
    #[serde(default)]
    pub options: Vec<OptionCriterion>,
}

/// Hasil: IPAK and capaian kinerja (birokrasi bersih & akuntabel), IPKP (pelayanan prima).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HasilRubric {
    pub bersih_name: String,
    pub prima_name: String,
    /// Survey index 0–4; score = index / 4 × weight.
    pub ipak: HasilItem,
    /// A–E (values as `A/B/C/D/E`); score = value × weight.
    pub capaian: HasilItem,
    /// Survey index 0–4; score = index / 4 × weight.
    pub ipkp: HasilItem,
}

impl HasilRubric {
    pub fn item(&self, id: HasilItemId) -> &HasilItem {
        match id {
            HasilItemId::Ipak => &self.ipak,
            HasilItemId::Capaian => &self.capaian,
            HasilItemId::Ipkp => &self.ipkp,
        }
    }
    pub fn bersih_weight(&self) -> f64 {
        self.ipak.weight.value() + self.capaian.weight.value()
    }
    pub fn prima_weight(&self) -> f64 {
        self.ipkp.weight.value()
    }
    pub fn weight(&self) -> f64 {
        self.bersih_weight() + self.prima_weight()
    }
}

/// The unvalidated, serializable form of a [`RubricVersion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricVersionData {
    pub key: String,
    pub title: String,
    pub legal_basis: String,
    pub years: YearRange,
    pub pemenuhan: PartRubric,
    pub reform: PartRubric,
    pub hasil: HasilRubric,
}

/// A validated rubric version (e.g. `permenpanrb-90-2021`). Every page and
/// every score reads one, so copies share the data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RubricVersionData")]
pub struct RubricVersion {
    data: Arc<RubricVersionData>,
}

impl Serialize for RubricVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl TryFrom<RubricVersionData> for RubricVersion {
    type Error = RubricError;
    fn try_from(data: RubricVersionData) -> Result<Self, Self::Error> {
        RubricVersion::new(data)
    }
}

impl RubricVersion {
    /// Validates rubric data.
    pub fn new(data: RubricVersionData) -> Result<Self, RubricError> {
        validate_key(&data.key)?;
        if let Some(to) = data.years.to {
            if to < data.years.from {
                return Err(RubricError::InvalidYears {
                    from: data.years.from,
                    to,
                });
            }
        }
        validate_part(Part::Pemenuhan, &data.pemenuhan)?;
        validate_part(Part::Reform, &data.reform)?;
        validate_hasil(&data.hasil)?;
        let total = data.pemenuhan.weight() + data.reform.weight() + data.hasil.weight();
        if (total - TOTAL_WEIGHT).abs() > WEIGHT_TOLERANCE {
            return Err(RubricError::TotalWeight(total));
        }
        Ok(RubricVersion {
            data: Arc::new(data),
        })
    }

    pub fn key(&self) -> &str {
        &self.data.key
    }
    pub fn title(&self) -> &str {
        &self.data.title
    }
    pub fn legal_basis(&self) -> &str {
        &self.data.legal_basis
    }
    pub fn years(&self) -> YearRange {
        self.data.years
    }
    pub fn hasil(&self) -> &HasilRubric {
        &self.data.hasil
    }
    pub fn data(&self) -> &RubricVersionData {
        &self.data
    }

    pub fn part(&self, part: Part) -> &PartRubric {
        match part {
            Part::Pemenuhan => &self.data.pemenuhan,
            Part::Reform => &self.data.reform,
        }
    }

    /// Both parts in order, with their identity.
    pub fn parts(&self) -> [(Part, &PartRubric); 2] {
        [
            (Part::Pemenuhan, &self.data.pemenuhan),
            (Part::Reform, &self.data.reform),
        ]
    }

    pub fn area(&self, part: Part, area: AreaId) -> &AreaRubric {
        // Validation guarantees six areas in order.
        &self.part(part).areas[area.index()]
    }

    /// All indicators in sheet order.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> + '_ {
        self.parts()
            .into_iter()
            .flat_map(|(_, p)| p.areas.iter())
            .flat_map(|a| a.indicators.iter())
    }

    /// All scored Pengungkit questions in sheet order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> + '_ {
        self.indicators().flat_map(|i| i.questions.iter())
    }

    pub fn indicator(&self, code: IndicatorCode) -> Option<&Indicator> {
        self.area(code.part(), code.area())
            .indicators
            .get(usize::from(code.number()) - 1)
    }

    pub fn question(&self, code: QuestionCode) -> Option<&Question> {
        self.indicator(code.indicator())?
            .questions
            .get(usize::from(code.number()) - 1)
    }

    pub fn input(&self, code: InputCode) -> Option<&NumericInput> {
        self.question(code.question())?.input(code)
    }

    /// The text of any item: a question, a numeric input or a Hasil item.
    pub fn item_text(&self, item: ItemCode) -> Option<&str> {
        match item {
            ItemCode::Question(code) => self.question(code).map(|q| q.text.as_str()),
            ItemCode::Input(code) => self.input(code).map(|i| i.text.as_str()),
            ItemCode::Hasil(id) => Some(self.hasil().item(id).text.as_str()),
        }
    }

    /// Number of scored items: Pengungkit questions plus the three Hasil items.
    pub fn scored_item_count(&self) -> usize {
        self.questions().count() + HasilItemId::ALL.len()
    }

    /// Sum of all weights (100 for every valid version).
    pub fn total_weight(&self) -> f64 {
        self.data.pemenuhan.weight() + self.data.reform.weight() + self.data.hasil.weight()
    }
}

fn validate_key(key: &str) -> Result<(), RubricError> {
    let ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(RubricError::InvalidKey(key.to_owned()))
    }
}

fn validate_part(part: Part, p: &PartRubric) -> Result<(), RubricError> {
    for (pos, expected) in AreaId::ALL.into_iter().enumerate() {
        let found = p.areas.get(pos).map(|a| a.area);
        if found != Some(expected) {
            return Err(RubricError::AreaOutOfOrder {
                part,
                position: pos,
                found,
            });
        }
    }
    if p.areas.len() != AreaId::ALL.len() {
        return Err(RubricError::AreaOutOfOrder {
            part,
            position: AreaId::ALL.len(),
            found: p.areas.get(AreaId::ALL.len()).map(|a| a.area),
        });
    }
    for a in &p.areas {
        validate_area(part, a)?;
    }
    Ok(())
}

fn validate_area(part: Part, a: &AreaRubric) -> Result<(), RubricError> {
    if a.indicators.is_empty() {
        return Err(RubricError::EmptyArea { part, area: a.area });
    }
    for (pos, ind) in a.indicators.iter().enumerate() {
        let expected = u8::try_from(pos + 1)
            .ok()
            .and_then(|n| IndicatorCode::new(part, a.area, n).ok());
        if expected != Some(ind.code) {
            return Err(RubricError::IndicatorCodeMismatch {
                expected,
                found: ind.code,
            });
        }
        validate_indicator(ind)?;
    }
    Ok(())
}

fn validate_indicator(ind: &Indicator) -> Result<(), RubricError> {
    if ind.questions.is_empty() {
        return Err(RubricError::EmptyIndicator(ind.code));
    }
    for (pos, q) in ind.questions.iter().enumerate() {
        let expected = u8::try_from(pos + 1)
            .ok()
            .and_then(|n| QuestionCode::new(ind.code, n).ok());
        if expected != Some(q.code) {
            return Err(RubricError::QuestionCodeMismatch {
                expected,
                found: q.code,
            });
        }
        validate_question(q)?;
    }
    Ok(())
}

fn validate_question(q: &Question) -> Result<(), RubricError> {
    for (pos, input) in q.inputs.iter().enumerate() {
        let expected = u8::try_from(pos + 1)
            .ok()
            .and_then(|n| InputCode::new(q.code, n).ok());
        if expected != Some(input.code) {
            return Err(RubricError::InputCodeMismatch {
                expected,
                found: input.code,
            });
        }
    }
    for o in &q.options {
        if !q.answer_type.accepts(o.answer) {
            return Err(RubricError::InvalidOption {
                question: q.code,
                answer: o.answer,
            });
        }
    }
    match &q.answer_type {
        AnswerType::Percent(formula) => validate_formula(q, formula),
        _ if !q.inputs.is_empty() => Err(RubricError::InputsOnChoiceQuestion(q.code)),
        _ => Ok(()),
    }
}

fn validate_formula(q: &Question, formula: &PercentFormula) -> Result<(), RubricError> {
    let own: BTreeSet<InputCode> = q.inputs.iter().map(|i| i.code).collect();
    for input in formula.referenced_inputs() {
        if !own.contains(&input) {
            return Err(RubricError::UnknownFormulaInput {
                question: q.code,
                input,
            });
        }
    }
    for input in &q.inputs {
        if let InputKind::Sum { of } = &input.kind {
            let entered = |c: &InputCode| {
                q.input(*c)
                    .is_some_and(|i| matches!(i.kind, InputKind::Entered))
            };
            if of.is_empty() || !of.iter().all(entered) {
                return Err(RubricError::InvalidSum { input: input.code });
            }
        }
    }
    Ok(())
}

fn validate_hasil(h: &HasilRubric) -> Result<(), RubricError> {
    for id in HasilItemId::ALL {
        if h.item(id).code != id {
            return Err(RubricError::HasilCodeMismatch(id));
        }
    }
    for (id, item) in [(HasilItemId::Ipak, &h.ipak), (HasilItemId::Ipkp, &h.ipkp)] {
        if let Some(o) = item.options.first() {
            return Err(RubricError::InvalidHasilOption {
                item: id,
                answer: o.answer,
            });
        }
    }
    match h
        .capaian
        .options
        .iter()
        .find(|o| !AnswerType::Abcde.accepts(o.answer))
    {
        Some(o) => Err(RubricError::InvalidHasilOption {
            item: HasilItemId::Capaian,
            answer: o.answer,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin::builtin_90_2021;
    use super::*;

    #[test]
    fn rejects_reordered_questions() {
        let mut data = builtin_90_2021().data().clone();
        data.pemenuhan.areas[0].indicators[0].questions.swap(0, 1);
        assert!(matches!(
            RubricVersion::new(data),
            Err(RubricError::QuestionCodeMismatch { .. })
        ));
    }

    #[test]
    fn rejects_weights_not_summing_to_100() {
        let mut data = builtin_90_2021().data().clone();
        data.reform.areas[2].indicators[0].weight = Weight::new(9.0).unwrap();
        assert!(matches!(
            RubricVersion::new(data),
            Err(RubricError::TotalWeight(_))
        ));
    }

    #[test]
    fn rejects_formula_with_foreign_input() {
        let mut data = builtin_90_2021().data().clone();
        let q = &mut data.reform.areas[0].indicators[0].questions[0];
        q.answer_type = AnswerType::Percent(PercentFormula::CappedRatio {
            numerator: "R.MP.i.b.1".parse().unwrap(),
            denominator: "R.MP.i.a.1".parse().unwrap(),
            also_required: vec![],
        });
        assert!(matches!(
            RubricVersion::new(data),
            Err(RubricError::UnknownFormulaInput { .. })
        ));
    }

    #[test]
    fn rejects_missing_area_and_bad_key() {
        let mut data = builtin_90_2021().data().clone();
        data.reform.areas.pop();
        assert!(matches!(
            RubricVersion::new(data),
            Err(RubricError::AreaOutOfOrder { .. })
        ));
        let mut data = builtin_90_2021().data().clone();
        data.key = "Bad Key".into();
        assert!(matches!(
            RubricVersion::new(data),
            Err(RubricError::InvalidKey(_))
        ));
    }

    #[test]
    fn deserialization_validates() {
        let mut v = serde_json::to_value(builtin_90_2021()).unwrap();
        v["pemenuhan"]["areas"][0]["indicators"][0]["code"] = "P.MP.ii".into();
        assert!(serde_json::from_value::<RubricVersion>(v).is_err());
    }

    #[test]
    fn splits_option_criteria() {
        let t = "a. Jika semua\nb.Jika sebagian\n  lanjutan\nc. Jika tidak.";
        let o = split_options(&AnswerType::Abc, t);
        assert_eq!(o.len(), 3);
        assert_eq!(o[1].answer, Answer::B);
        assert_eq!(o[1].text, "Jika sebagian\n  lanjutan");
        assert_eq!(o[2].text, "Jika tidak.");
        let y = split_options(&AnswerType::YaTidak, " Ya, jika ada ");
        assert_eq!(y[0].text, "Ya, jika ada");
        assert!(split_options(&AnswerType::Abcd, "").is_empty());
        // the built-in options were generated with the same rule
        for q in builtin_90_2021().questions() {
            assert_eq!(
                split_options(&q.answer_type, &q.criteria),
                q.options,
                "{}",
                q.code
            );
        }
    }

    #[test]
    fn lookups() {
        let r = builtin_90_2021();
        let q = r.question("P.PP.v.b".parse().unwrap()).unwrap();
        assert_eq!(q.answer_type, AnswerType::YaTidak);
        assert!(q.text.contains("database"));
        let i = r.input("R.PW.iii.a.1".parse().unwrap()).unwrap();
        assert!(matches!(i.kind, InputKind::Sum { .. }));
        assert!(r.question("P.MP.i.z".parse().unwrap()).is_none());
        assert!(r.years().contains(2024));
        assert!(!r.years().contains(2021));
    }
}
