//! Answer types of the LKE and the value of each answer, exactly as the sheet's
//! value formula (column L) computes them.

use serde::{Deserialize, Serialize};

use super::codes::InputCode;

/// One answer to a choice question. Spelled as in the sheet (`Ya`, `Tidak`, `A`…`E`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Answer {
    Ya,
    Tidak,
    A,
    B,
    C,
    D,
    E,
}

impl Answer {
    /// The sheet's spelling of the answer.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Ya => "Ya",
            Answer::Tidak => "Tidak",
            Answer::A => "A",
            Answer::B => "B",
            Answer::C => "C",
            Answer::D => "D",
            Answer::E => "E",
        }
    }

    /// Parses the sheet spelling, ignoring case, surrounding blanks and a trailing dot.
    pub fn parse_lenient(s: &str) -> Option<Answer> {
        let t = s.trim();
        let t = t.strip_suffix('.').unwrap_or(t).trim();
        match t.to_ascii_lowercase().as_str() {
            "ya" => Some(Answer::Ya),
            "tidak" => Some(Answer::Tidak),
            "a" => Some(Answer::A),
            "b" => Some(Answer::B),
            "c" => Some(Answer::C),
            "d" => Some(Answer::D),
            "e" => Some(Answer::E),
            _ => None,
        }
    }
}

/// How a computed-% question derives its value from its numeric inputs.
///
/// Both variants reproduce the sheet: the question is "not filled" while any
/// `required` input is blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentFormula {
    /// `IF(OR(blank…),"Blm Diisi",IF(num/den>1,1,num/den))`.
    /// A zero denominator is `#DIV/0!` in the sheet ([`super::scoring::FormulaError`]).
    CappedRatio {
        numerator: InputCode,
        denominator: InputCode,
        /// Inputs that must be filled although the formula does not use them.
        #[serde(default)]
        also_required: Vec<InputCode>,
    },
    /// Fall in disciplinary violations:
    /// `IF(AND(prev=0,cur=0),1,IF((prev-cur)/prev<0,0,(prev-cur)/prev))`.
    /// `prev = 0, cur > 0` is `#DIV/0!` in the sheet.
    Decrease {
        previous: InputCode,
        current: InputCode,
        #[serde(default)]
        also_required: Vec<InputCode>,
    },
}

impl PercentFormula {
    /// Every input the formula reads or requires, in a stable order.
    pub fn referenced_inputs(&self) -> Vec<InputCode> {
        let (a, b, rest) = match self {
            PercentFormula::CappedRatio {
                numerator,
                denominator,
                also_required,
            } => (numerator, denominator, also_required),
            PercentFormula::Decrease {
                previous,
                current,
                also_required,
            } => (previous, current, also_required),
        };
        let mut v = vec![*a, *b];
        v.extend(rest.iter().copied());
        v
    }
}

/// Answer type of a scored question (column J of the sheet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "formula", rename_all = "snake_case")]
pub enum AnswerType {
    YaTidak,
    Abc,
    Abcd,
    Abcde,
    /// Computed from the question's numeric inputs, capped at 1.
    Percent(PercentFormula),
}

const YA_TIDAK: [Answer; 2] = [Answer::Ya, Answer::Tidak];
const ABC: [Answer; 3] = [Answer::A, Answer::B, Answer::C];
const ABCD: [Answer; 4] = [Answer::A, Answer::B, Answer::C, Answer::D];
const ABCDE: [Answer; 5] = [Answer::A, Answer::B, Answer::C, Answer::D, Answer::E];

impl AnswerType {
    /// The options of a choice type, best first; empty for `Percent`.
    pub fn options(&self) -> &'static [Answer] {
        match self {
            AnswerType::YaTidak => &YA_TIDAK,
            AnswerType::Abc => &ABC,
            AnswerType::Abcd => &ABCD,
            AnswerType::Abcde => &ABCDE,
            AnswerType::Percent(_) => &[],
        }
    }

    pub fn is_choice(&self) -> bool {
        !matches!(self, AnswerType::Percent(_))
    }

    pub fn accepts(&self, answer: Answer) -> bool {
        self.options().contains(&answer)
    }

    /// Value of an answer as the sheet computes it; `None` when the sheet says "Blm Diisi"
    /// (the answer is not an option of this type).
    ///
    /// `A/B/C/D` uses the sheet's literal constants 0.67 and 0.33, not 2/3 and 1/3.
    pub fn value_of(&self, answer: Answer) -> Option<f64> {
        choice_value(self, answer)
    }

    /// The next better option (one step up the ladder), if any.
    pub fn next_better(&self, answer: Answer) -> Option<Answer> {
        let opts = self.options();
        let pos = opts.iter().position(|a| *a == answer)?;
        pos.checked_sub(1).map(|p| opts[p])
    }

    /// The best option of a choice type.
    pub fn best(&self) -> Option<Answer> {
        self.options().first().copied()
    }
}

fn choice_value(t: &AnswerType, answer: Answer) -> Option<f64> {
    use Answer::*;
    match (t, answer) {
        (AnswerType::YaTidak, Ya) => Some(1.0),
        (AnswerType::YaTidak, Tidak) => Some(0.0),
        (AnswerType::Abc, A) => Some(1.0),
        (AnswerType::Abc, B) => Some(0.5),
        (AnswerType::Abc, C) => Some(0.0),
        (AnswerType::Abcd, A) => Some(1.0),
        (AnswerType::Abcd, B) => Some(0.67),
        (AnswerType::Abcd, C) => Some(0.33),
        (AnswerType::Abcd, D) => Some(0.0),
        (AnswerType::Abcde, A) => Some(1.0),
        (AnswerType::Abcde, B) => Some(0.75),
        (AnswerType::Abcde, C) => Some(0.5),
        (AnswerType::Abcde, D) => Some(0.25),
        (AnswerType::Abcde, E) => Some(0.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ya_tidak_values() {
        let t = AnswerType::YaTidak;
        assert_eq!(t.value_of(Answer::Ya), Some(1.0));
        assert_eq!(t.value_of(Answer::Tidak), Some(0.0));
        assert_eq!(t.value_of(Answer::A), None);
    }

    #[test]
    fn abc_values() {
        let t = AnswerType::Abc;
        let v: Vec<_> = t.options().iter().map(|a| t.value_of(*a)).collect();
        assert_eq!(v, [Some(1.0), Some(0.5), Some(0.0)]);
        assert_eq!(t.value_of(Answer::D), None);
    }

    #[test]
    fn abcd_uses_literal_constants() {
        let t = AnswerType::Abcd;
        let v: Vec<_> = t.options().iter().map(|a| t.value_of(*a)).collect();
        assert_eq!(v, [Some(1.0), Some(0.67), Some(0.33), Some(0.0)]);
        assert_ne!(t.value_of(Answer::B), Some(2.0 / 3.0));
        assert_eq!(t.value_of(Answer::E), None);
    }

    #[test]
    fn abcde_values() {
        let t = AnswerType::Abcde;
        let v: Vec<_> = t.options().iter().map(|a| t.value_of(*a)).collect();
        assert_eq!(v, [Some(1.0), Some(0.75), Some(0.5), Some(0.25), Some(0.0)]);
        assert_eq!(t.value_of(Answer::Ya), None);
    }

    #[test]
    fn ladder_steps() {
        assert_eq!(AnswerType::Abcd.next_better(Answer::D), Some(Answer::C));
        assert_eq!(AnswerType::Abcd.next_better(Answer::A), None);
        assert_eq!(
            AnswerType::YaTidak.next_better(Answer::Tidak),
            Some(Answer::Ya)
        );
        assert_eq!(AnswerType::Abc.next_better(Answer::E), None);
    }

    #[test]
    fn lenient_parsing() {
        assert_eq!(Answer::parse_lenient(" ya "), Some(Answer::Ya));
        assert_eq!(Answer::parse_lenient("b."), Some(Answer::B));
        assert_eq!(Answer::parse_lenient("TIDAK"), Some(Answer::Tidak));
        assert_eq!(Answer::parse_lenient("F"), None);
        assert_eq!(Answer::parse_lenient(""), None);
    }

    #[test]
    fn serde_shape() {
        let t = AnswerType::Abcd;
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"kind":"abcd"}"#);
        let json = r#"{"kind":"percent","formula":{"capped_ratio":{"numerator":"R.MP.i.a.2","denominator":"R.MP.i.a.1"}}}"#;
        let p: AnswerType = serde_json::from_str(json).unwrap();
        assert!(matches!(
            p,
            AnswerType::Percent(PercentFormula::CappedRatio { .. })
        ));
        assert_eq!(serde_json::to_string(&Answer::Tidak).unwrap(), "\"Tidak\"");
    }
}
