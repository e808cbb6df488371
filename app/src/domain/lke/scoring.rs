//! Scoring, exactly as the `LKE ZI` sheet computes it (full f64 precision).
//!
//! * question value: [`AnswerType::value_of`] or the % formula of its inputs;
//! * indicator = AVERAGE(values of the *answered* questions) × weight (Excel's AVERAGE
//!   skips "Blm Diisi"); an indicator with nothing answered scores 0 (the sheet shows
//!   `#DIV/0!` there);
//! * area = Σ indicators; Pemenuhan / Reform = Σ areas; Pengungkit = Pemenuhan + Reform;
//! * Hasil = IPAK/4 × w + capaian value × w + IPKP/4 × w; total = Pengungkit + Hasil.
//!
//! Alongside, every level reports its completeness and a *conservative* score that
//! counts unanswered questions as 0.
//!
//! A % question whose formula divides by zero is `#DIV/0!` in the sheet, and the error
//! propagates to every sum above it. Here it is reported in
//! [`ScoreSheet::formula_errors`] and counts as an answered question of value 0, so all
//! numbers stay finite.

use serde::{Deserialize, Serialize};

use super::answer_type::{Answer, AnswerType, PercentFormula};
use super::answers::Answers;
use super::codes::{AreaId, HasilItemId, IndicatorCode, InputCode, Part, QuestionCode};
use super::rubric::{Indicator, InputKind, Question, RubricVersion};

/// An error value the sheet's formula would produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormulaError {
    /// `#DIV/0!`: a zero denominator (or a fall from zero violations).
    DivisionByZero,
}

/// Value of one question (column L of the sheet).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", content = "value", rename_all = "snake_case")]
pub enum QuestionValue {
    /// "Blm Diisi": no (valid) answer yet.
    NotFilled,
    /// A value in [0, 1].
    Value(f64),
    /// The sheet would show an error here.
    Error(FormulaError),
}

impl QuestionValue {
    pub fn is_answered(self) -> bool {
        !matches!(self, QuestionValue::NotFilled)
    }
    /// The value used in averages: errors count as 0, not-filled as `None`.
    pub fn numeric(self) -> Option<f64> {
        match self {
            QuestionValue::NotFilled => None,
            QuestionValue::Value(v) => Some(v),
            QuestionValue::Error(_) => Some(0.0),
        }
    }
}

/// Answered / total scored items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    pub answered: u32,
    pub total: u32,
}

impl Completeness {
    pub fn is_complete(self) -> bool {
        self.answered == self.total
    }
    /// Share answered in [0, 1] (1 for an empty set).
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            f64::from(self.answered) / f64::from(self.total)
        }
    }
}

impl std::ops::Add for Completeness {
    type Output = Completeness;
    fn add(self, o: Completeness) -> Completeness {
        Completeness {
            answered: self.answered + o.answered,
            total: self.total + o.total,
        }
    }
}

/// Score and completeness of an aggregate (part, Pengungkit, Hasil, total…).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Subtotal {
    pub weight: f64,
    pub score: f64,
    /// Score counting unanswered questions as 0.
    pub conservative: f64,
    pub completeness: Completeness,
}

impl std::ops::Add for Subtotal {
    type Output = Subtotal;
    fn add(self, o: Subtotal) -> Subtotal {
        Subtotal {
            weight: self.weight + o.weight,
            score: self.score + o.score,
            conservative: self.conservative + o.conservative,
            completeness: self.completeness + o.completeness,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuestionScore {
    pub code: QuestionCode,
    pub value: QuestionValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub code: IndicatorCode,
    pub weight: f64,
    pub score: f64,
    pub conservative: f64,
    pub completeness: Completeness,
    /// Questions whose formula errors (see [`ScoreSheet::formula_errors`]).
    pub errors: u32,
}

impl IndicatorScore {
    fn subtotal(&self) -> Subtotal {
        Subtotal {
            weight: self.weight,
            score: self.score,
            conservative: self.conservative,
            completeness: self.completeness,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AreaScore {
    pub part: Part,
    pub area: AreaId,
    pub weight: f64,
    pub score: f64,
    pub conservative: f64,
    pub completeness: Completeness,
}

impl AreaScore {
    pub fn subtotal(&self) -> Subtotal {
        Subtotal {
            weight: self.weight,
            score: self.score,
            conservative: self.conservative,
            completeness: self.completeness,
        }
    }
}

/// Score of one Hasil item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HasilItemScore {
    pub item: HasilItemId,
    pub weight: f64,
    /// The survey index (IPAK, IPKP) or the option value 0–1 (capaian); `None` if not filled.
    pub value: Option<f64>,
    /// The capaian answer (A–E); `None` for the survey items.
    pub answer: Option<Answer>,
    pub score: f64,
}

impl HasilItemScore {
    fn subtotal(&self) -> Subtotal {
        Subtotal {
            weight: self.weight,
            score: self.score,
            conservative: self.score,
            completeness: Completeness {
                answered: u32::from(self.value.is_some()),
                total: 1,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HasilScore {
    pub ipak: HasilItemScore,
    pub capaian: HasilItemScore,
    pub ipkp: HasilItemScore,
    /// Birokrasi yang bersih dan akuntabel = IPAK + capaian.
    pub bersih: Subtotal,
    /// Pelayanan publik yang prima = IPKP.
    pub prima: Subtotal,
    pub total: Subtotal,
}

impl HasilScore {
    pub fn item(&self, id: HasilItemId) -> &HasilItemScore {
        match id {
            HasilItemId::Ipak => &self.ipak,
            HasilItemId::Capaian => &self.capaian,
            HasilItemId::Ipkp => &self.ipkp,
        }
    }
}

/// A question whose formula errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormulaErrorAt {
    pub code: QuestionCode,
    pub error: FormulaError,
}

/// Every number of an assessment, at every level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub rubric_key: String,
    /// Per question, in sheet order.
    pub questions: Vec<QuestionScore>,
    /// Per indicator, in sheet order.
    pub indicators: Vec<IndicatorScore>,
    /// Twelve entries: Pemenuhan areas 1–6, then Reform areas 1–6.
    pub areas: Vec<AreaScore>,
    pub pemenuhan: Subtotal,
    pub reform: Subtotal,
    pub pengungkit: Subtotal,
    pub hasil: HasilScore,
    pub total: Subtotal,
    pub formula_errors: Vec<FormulaErrorAt>,
}

impl ScoreSheet {
    pub fn part(&self, part: Part) -> &Subtotal {
        match part {
            Part::Pemenuhan => &self.pemenuhan,
            Part::Reform => &self.reform,
        }
    }

    /// Area score within one part.
    pub fn area(&self, part: Part, area: AreaId) -> Option<&AreaScore> {
        self.areas.iter().find(|a| a.part == part && a.area == area)
    }

    /// Pemenuhan + Reform of one area (the unit the WBK/WBBM area gates look at).
    pub fn area_combined(&self, area: AreaId) -> Subtotal {
        self.areas
            .iter()
            .filter(|a| a.area == area)
            .map(AreaScore::subtotal)
            .fold(Subtotal::default(), |acc, s| acc + s)
    }

    pub fn indicator(&self, code: IndicatorCode) -> Option<&IndicatorScore> {
        self.indicators.iter().find(|i| i.code == code)
    }

    pub fn question(&self, code: QuestionCode) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.code == code)
    }
}

/// Scores an assessment.
pub fn score(rubric: &RubricVersion, answers: &Answers) -> ScoreSheet {
    let mut questions = Vec::with_capacity(128);
    let mut indicators = Vec::with_capacity(48);
    let mut areas = Vec::with_capacity(12);
    let mut formula_errors = Vec::new();
    let mut parts = [Subtotal::default(); 2];

    for (slot, (part, part_rubric)) in parts.iter_mut().zip(rubric.parts()) {
        for area in &part_rubric.areas {
            let mut area_total = Subtotal::default();
            for ind in &area.indicators {
                let start = questions.len();
                questions.extend(ind.questions.iter().map(|q| QuestionScore {
                    code: q.code,
                    value: question_value(q, answers),
                }));
                let scored = &questions[start..];
                formula_errors.extend(scored.iter().filter_map(|q| match q.value {
                    QuestionValue::Error(error) => Some(FormulaErrorAt {
                        code: q.code,
                        error,
                    }),
                    _ => None,
                }));
                let s = indicator_score(ind, scored.iter().map(|q| q.value));
                area_total = area_total + s.subtotal();
                indicators.push(s);
            }
            areas.push(AreaScore {
                part,
                area: area.area,
                weight: area_total.weight,
                score: area_total.score,
                conservative: area_total.conservative,
                completeness: area_total.completeness,
            });
            *slot = *slot + area_total;
        }
    }
    let [pemenuhan, reform] = parts;
    let pengungkit = pemenuhan + reform;
    let hasil = hasil_score(rubric, answers);
    ScoreSheet {
        rubric_key: rubric.key().to_owned(),
        questions,
        indicators,
        areas,
        pemenuhan,
        reform,
        pengungkit,
        total: pengungkit + hasil.total,
        hasil,
        formula_errors,
    }
}

/// Value of one question given the answers (column L).
pub fn question_value(q: &Question, answers: &Answers) -> QuestionValue {
    match &q.answer_type {
        AnswerType::Percent(formula) => percent_value(q, formula, answers),
        choice => answers
            .choice(q.code)
            .and_then(|a| choice.value_of(a))
            .map_or(QuestionValue::NotFilled, QuestionValue::Value),
    }
}

/// AVERAGE of the answered values × weight, plus the conservative variant.
fn indicator_score(ind: &Indicator, values: impl Iterator<Item = QuestionValue>) -> IndicatorScore {
    let weight = ind.weight.value();
    let (mut sum, mut answered, mut total, mut errors) = (0.0, 0u32, 0u32, 0u32);
    for v in values {
        total += 1;
        if let QuestionValue::Error(_) = v {
            errors += 1;
        }
        if let Some(x) = v.numeric() {
            sum += x;
            answered += 1;
        }
    }
    let score = if answered == 0 {
        0.0
    } else {
        sum / f64::from(answered) * weight
    };
    IndicatorScore {
        code: ind.code,
        weight,
        score,
        conservative: sum / f64::from(total.max(1)) * weight,
        completeness: Completeness { answered, total },
        errors,
    }
}

/// Number of an input row: entered by the unit, or the sum the sheet computes.
fn input_number(q: &Question, code: InputCode, answers: &Answers) -> Option<f64> {
    match &q.input(code)?.kind {
        InputKind::Entered => answers.input(code).map(|v| v.value()),
        InputKind::Sum { of } => of
            .iter()
            .map(|c| answers.input(*c).map(|v| v.value()))
            .sum(),
    }
}

fn percent_value(q: &Question, formula: &PercentFormula, answers: &Answers) -> QuestionValue {
    let all_filled = formula
        .referenced_inputs()
        .into_iter()
        .all(|c| input_number(q, c, answers).is_some());
    if !all_filled {
        return QuestionValue::NotFilled;
    }
    let num = |c: &InputCode| input_number(q, *c, answers).unwrap_or(0.0);
    match formula {
        PercentFormula::CappedRatio {
            numerator,
            denominator,
            ..
        } => capped_ratio(num(numerator), num(denominator)),
        PercentFormula::Decrease {
            previous, current, ..
        } => decrease(num(previous), num(current)),
    }
}

/// `IF(n/d>1,1,n/d)`.
fn capped_ratio(n: f64, d: f64) -> QuestionValue {
    if d == 0.0 {
        return QuestionValue::Error(FormulaError::DivisionByZero);
    }
    let r = n / d;
    QuestionValue::Value(if r > 1.0 { 1.0 } else { r })
}

/// `IF(AND(p=0,c=0),1,IF((p-c)/p<0,0,(p-c)/p))`.
fn decrease(p: f64, c: f64) -> QuestionValue {
    if p == 0.0 && c == 0.0 {
        return QuestionValue::Value(1.0);
    }
    if p == 0.0 {
        return QuestionValue::Error(FormulaError::DivisionByZero);
    }
    let d = (p - c) / p;
    QuestionValue::Value(if d < 0.0 { 0.0 } else { d })
}

fn hasil_score(rubric: &RubricVersion, answers: &Answers) -> HasilScore {
    let h = rubric.hasil();
    let a = answers.hasil();
    let survey = |id: HasilItemId, index: Option<f64>| {
        let weight = h.item(id).weight.value();
        HasilItemScore {
            item: id,
            weight,
            value: index,
            answer: None,
            score: index.map_or(0.0, |x| x / 4.0 * weight),
        }
    };
    let ipak = survey(HasilItemId::Ipak, a.ipak.map(|s| s.value()));
    let ipkp = survey(HasilItemId::Ipkp, a.ipkp.map(|s| s.value()));
    let capaian_weight = h.capaian.weight.value();
    let capaian_value = a.capaian.and_then(|x| AnswerType::Abcde.value_of(x));
    let capaian = HasilItemScore {
        item: HasilItemId::Capaian,
        weight: capaian_weight,
        value: capaian_value,
        answer: a.capaian.filter(|_| capaian_value.is_some()),
        score: capaian_value.map_or(0.0, |v| v * capaian_weight),
    };
    let bersih = ipak.subtotal() + capaian.subtotal();
    let prima = ipkp.subtotal();
    HasilScore {
        ipak,
        capaian,
        ipkp,
        bersih,
        prima,
        total: bersih + prima,
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin::builtin_90_2021_ref;
    use super::super::values::{InputValue, SurveyIndex};
    use super::*;

    fn q(s: &str) -> QuestionCode {
        s.parse().unwrap()
    }
    fn i(s: &str) -> InputCode {
        s.parse().unwrap()
    }
    fn set(a: &mut Answers, code: &str, ans: Answer) {
        a.set_choice(builtin_90_2021_ref(), q(code), Some(ans))
            .unwrap();
    }
    fn input(a: &mut Answers, code: &str, v: f64) {
        a.set_input(builtin_90_2021_ref(), i(code), InputValue::new(v).ok())
            .unwrap();
    }

    #[test]
    fn empty_assessment_scores_zero() {
        let s = score(builtin_90_2021_ref(), &Answers::new());
        assert_eq!(s.total.score, 0.0);
        assert_eq!(
            s.total.completeness,
            Completeness {
                answered: 0,
                total: 113
            }
        );
        assert_eq!(s.areas.len(), 12);
        assert_eq!(s.indicators.len(), 42);
        assert!((s.total.weight - 100.0).abs() < 1e-12);
    }

    #[test]
    fn average_skips_unanswered_like_excel() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        // P.MP.ii (weight 1): a Ya/Tidak, b and c A/B/C. Only b answered with B.
        set(&mut a, "P.MP.ii.b", Answer::B);
        let s = score(r, &a);
        let ind = s.indicator("P.MP.ii".parse().unwrap()).unwrap();
        assert_eq!(ind.score, 0.5);
        assert!((ind.conservative - 0.5 / 3.0).abs() < 1e-15);
        assert_eq!(
            ind.completeness,
            Completeness {
                answered: 1,
                total: 3
            }
        );
    }

    #[test]
    fn each_choice_type_scores_its_constants() {
        let r = builtin_90_2021_ref();
        let cases = [
            ("P.MP.i.a", Answer::Tidak, 0.0),
            ("P.MP.i.a", Answer::Ya, 1.0),
            ("P.MP.i.b", Answer::B, 0.5),
            ("P.MP.iii.a", Answer::B, 0.67),
            ("P.MP.iii.a", Answer::C, 0.33),
            ("P.TT.i.b", Answer::B, 0.75),
            ("P.TT.i.b", Answer::D, 0.25),
            ("P.TT.i.b", Answer::E, 0.0),
        ];
        for (code, ans, expected) in cases {
            let mut a = Answers::new();
            set(&mut a, code, ans);
            let s = score(r, &a);
            assert_eq!(
                s.question(q(code)).unwrap().value,
                QuestionValue::Value(expected),
                "{code} {ans:?}"
            );
            let ind = s.indicator(q(code).indicator()).unwrap();
            assert_eq!(ind.score, expected * ind.weight);
        }
    }

    #[test]
    fn invalid_stored_answer_is_not_filled() {
        let r = builtin_90_2021_ref();
        let a: Answers = serde_json::from_str(r#"{"choices":{"P.MP.i.b":"D"}}"#).unwrap();
        let s = score(r, &a);
        assert_eq!(
            s.question(q("P.MP.i.b")).unwrap().value,
            QuestionValue::NotFilled
        );
    }

    #[test]
    fn capped_ratio_percent() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        input(&mut a, "R.MP.i.a.1", 7.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.MP.i.a")).unwrap().value,
            QuestionValue::NotFilled
        );
        input(&mut a, "R.MP.i.a.2", 9.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.MP.i.a")).unwrap().value,
            QuestionValue::Value(1.0)
        );
        input(&mut a, "R.MP.i.a.2", 1.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.MP.i.a")).unwrap().value,
            QuestionValue::Value(1.0 / 7.0)
        );
    }

    #[test]
    fn zero_denominator_is_div0_like_the_sheet() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        input(&mut a, "R.AK.i.a.1", 0.0);
        input(&mut a, "R.AK.i.a.2", 0.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.AK.i.a")).unwrap().value,
            QuestionValue::Error(FormulaError::DivisionByZero)
        );
        assert_eq!(s.formula_errors.len(), 1);
        let ind = s.indicator("R.AK.i".parse().unwrap()).unwrap();
        assert_eq!(
            (ind.score, ind.errors, ind.completeness.answered),
            (0.0, 1, 1)
        );
    }

    #[test]
    fn required_but_unused_input_must_be_filled() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        input(&mut a, "R.PW.ii.a.1", 6.0);
        input(&mut a, "R.PW.ii.a.3", 1.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.PW.ii.a")).unwrap().value,
            QuestionValue::NotFilled
        );
        input(&mut a, "R.PW.ii.a.2", 1.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.PW.ii.a")).unwrap().value,
            QuestionValue::Value(1.0 / 6.0)
        );
    }

    #[test]
    fn disciplinary_fall_special_cases() {
        let r = builtin_90_2021_ref();
        let value = |p: f64, c: f64| {
            let mut a = Answers::new();
            input(&mut a, "R.SDM.iii.a.1", p);
            input(&mut a, "R.SDM.iii.a.2", c);
            input(&mut a, "R.SDM.iii.a.3", 0.0);
            score(r, &a).question(q("R.SDM.iii.a")).unwrap().value
        };
        assert_eq!(value(0.0, 0.0), QuestionValue::Value(1.0));
        assert_eq!(
            value(0.0, 2.0),
            QuestionValue::Error(FormulaError::DivisionByZero)
        );
        assert_eq!(value(4.0, 1.0), QuestionValue::Value(0.75));
        assert_eq!(value(4.0, 6.0), QuestionValue::Value(0.0));
        assert_eq!(value(4.0, 4.0), QuestionValue::Value(0.0));
    }

    #[test]
    fn lhkpn_total_is_the_sum_of_its_rows() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        input(&mut a, "R.PW.iii.a.2", 1.0);
        input(&mut a, "R.PW.iii.a.3", 1.0);
        input(&mut a, "R.PW.iii.a.5", 13.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.PW.iii.a")).unwrap().value,
            QuestionValue::NotFilled
        );
        input(&mut a, "R.PW.iii.a.4", 13.0);
        let s = score(r, &a);
        assert_eq!(
            s.question(q("R.PW.iii.a")).unwrap().value,
            QuestionValue::Value(13.0 / 15.0)
        );
    }

    #[test]
    fn hasil_formulas() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        a.set_ipak(SurveyIndex::new(3.6).ok());
        a.set_capaian(Some(Answer::C)).unwrap();
        a.set_ipkp(SurveyIndex::new(3.2).ok());
        let s = score(r, &a);
        assert!((s.hasil.ipak.score - 15.75).abs() < 1e-12);
        assert_eq!(s.hasil.capaian.score, 2.5);
        assert!((s.hasil.ipkp.score - 14.0).abs() < 1e-12);
        assert!((s.hasil.bersih.score - 18.25).abs() < 1e-12);
        assert_eq!(
            s.hasil.total.score,
            s.hasil.bersih.score + s.hasil.prima.score
        );
        assert_eq!(s.total.score, s.pengungkit.score + s.hasil.total.score);
        assert_eq!(
            s.hasil.total.completeness,
            Completeness {
                answered: 3,
                total: 3
            }
        );
    }

    #[test]
    fn area_combined_sums_both_parts() {
        let r = builtin_90_2021_ref();
        let s = score(r, &Answers::new());
        let c = s.area_combined(AreaId::PenguatanPengawasan);
        assert_eq!(c.weight, 15.0);
        assert_eq!(c.completeness.total, 22);
    }
}
