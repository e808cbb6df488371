//! A unit's answers to one rubric version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::answer_type::Answer;
use super::codes::{InputCode, QuestionCode};
use super::rubric::{InputKind, RubricVersion};
use super::values::{InputValue, SurveyIndex};

/// Why an answer was refused by a checked setter.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AnswerError {
    #[error("question {0} is not in the rubric")]
    UnknownQuestion(QuestionCode),
    #[error("question {question} does not take answer {answer:?}")]
    NotAnOption {
        question: QuestionCode,
        answer: Answer,
    },
    #[error("question {0} is computed from numeric inputs")]
    ComputedQuestion(QuestionCode),
    #[error("input {0} is not in the rubric")]
    UnknownInput(InputCode),
    #[error("input {0} is computed by the sheet")]
    DerivedInput(InputCode),
    #[error("capaian kinerja takes A–E, not {0:?}")]
    InvalidCapaian(Answer),
}

/// Answers to the Hasil items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HasilAnswers {
    pub ipak: Option<SurveyIndex>,
    pub capaian: Option<Answer>,
    pub ipkp: Option<SurveyIndex>,
}

/// Answers of one assessment: choice answers, numeric inputs and Hasil.
/// Anything absent is "not filled" (Blm Diisi).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    #[serde(default)]
    choices: BTreeMap<QuestionCode, Answer>,
    #[serde(default)]
    inputs: BTreeMap<InputCode, InputValue>,
    #[serde(default)]
    hasil: HasilAnswers,
}

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn choice(&self, code: QuestionCode) -> Option<Answer> {
        self.choices.get(&code).copied()
    }
    pub fn input(&self, code: InputCode) -> Option<InputValue> {
        self.inputs.get(&code).copied()
    }
    pub fn hasil(&self) -> &HasilAnswers {
        &self.hasil
    }
    pub fn choices(&self) -> &BTreeMap<QuestionCode, Answer> {
        &self.choices
    }
    pub fn inputs(&self) -> &BTreeMap<InputCode, InputValue> {
        &self.inputs
    }

    /// Sets (or with `None` clears) the answer of a choice question, checking it against
    /// the rubric. Returns the previous answer.
    pub fn set_choice(
        &mut self,
        rubric: &RubricVersion,
        code: QuestionCode,
        answer: Option<Answer>,
    ) -> Result<Option<Answer>, AnswerError> {
        let q = rubric
            .question(code)
            .ok_or(AnswerError::UnknownQuestion(code))?;
        if !q.answer_type.is_choice() {
            return Err(AnswerError::ComputedQuestion(code));
        }
        match answer {
            Some(a) if !q.answer_type.accepts(a) => Err(AnswerError::NotAnOption {
                question: code,
                answer: a,
            }),
            Some(a) => Ok(self.choices.insert(code, a)),
            None => Ok(self.choices.remove(&code)),
        }
    }

    /// Sets (or clears) an entered numeric input. Returns the previous value.
    pub fn set_input(
        &mut self,
        rubric: &RubricVersion,
        code: InputCode,
        value: Option<InputValue>,
    ) -> Result<Option<InputValue>, AnswerError> {
        let input = rubric.input(code).ok_or(AnswerError::UnknownInput(code))?;
        if !matches!(input.kind, InputKind::Entered) {
            return Err(AnswerError::DerivedInput(code));
        }
        Ok(match value {
            Some(v) => self.inputs.insert(code, v),
            None => self.inputs.remove(&code),
        })
    }

    pub fn set_ipak(&mut self, value: Option<SurveyIndex>) {
        self.hasil.ipak = value;
    }
    pub fn set_ipkp(&mut self, value: Option<SurveyIndex>) {
        self.hasil.ipkp = value;
    }

    /// Sets the capaian kinerja answer (A–E).
    pub fn set_capaian(&mut self, answer: Option<Answer>) -> Result<(), AnswerError> {
        if let Some(a) = answer {
            if matches!(a, Answer::Ya | Answer::Tidak) {
                return Err(AnswerError::InvalidCapaian(a));
            }
        }
        self.hasil.capaian = answer;
        Ok(())
    }

    /// Every stored answer that the rubric would not accept (unknown code, wrong
    /// option, input of a derived row). Scoring treats these as not filled, like the sheet.
    pub fn issues(&self, rubric: &RubricVersion) -> Vec<AnswerError> {
        let mut out = Vec::new();
        for (code, answer) in &self.choices {
            match rubric.question(*code) {
                None => out.push(AnswerError::UnknownQuestion(*code)),
                Some(q) if !q.answer_type.is_choice() => {
                    out.push(AnswerError::ComputedQuestion(*code))
                }
                Some(q) if !q.answer_type.accepts(*answer) => out.push(AnswerError::NotAnOption {
                    question: *code,
                    answer: *answer,
                }),
                Some(_) => {}
            }
        }
        for code in self.inputs.keys() {
            match rubric.input(*code) {
                None => out.push(AnswerError::UnknownInput(*code)),
                Some(i) if !matches!(i.kind, InputKind::Entered) => {
                    out.push(AnswerError::DerivedInput(*code))
                }
                Some(_) => {}
            }
        }
        if let Some(a @ (Answer::Ya | Answer::Tidak)) = self.hasil.capaian {
            out.push(AnswerError::InvalidCapaian(a));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin::builtin_90_2021_ref;
    use super::*;

    #[test]
    fn checked_setters() {
        let r = builtin_90_2021_ref();
        let mut a = Answers::new();
        let q: QuestionCode = "P.MP.i.b".parse().unwrap();
        assert_eq!(a.set_choice(r, q, Some(Answer::B)), Ok(None));
        assert_eq!(a.set_choice(r, q, Some(Answer::A)), Ok(Some(Answer::B)));
        assert!(matches!(
            a.set_choice(r, q, Some(Answer::D)),
            Err(AnswerError::NotAnOption { .. })
        ));
        let pct: QuestionCode = "R.MP.i.a".parse().unwrap();
        assert_eq!(
            a.set_choice(r, pct, Some(Answer::A)),
            Err(AnswerError::ComputedQuestion(pct))
        );
        let derived: InputCode = "R.PW.iii.a.1".parse().unwrap();
        assert_eq!(
            a.set_input(r, derived, InputValue::new(3.0).ok()),
            Err(AnswerError::DerivedInput(derived))
        );
        assert!(a.set_capaian(Some(Answer::Ya)).is_err());
        assert!(a.set_capaian(Some(Answer::C)).is_ok());
        assert!(a.issues(r).is_empty());
    }

    #[test]
    fn serde_round_trip_and_issues() {
        let json = r#"{"choices":{"P.MP.i.a":"Ya","P.MP.i.b":"Ya"},"inputs":{"R.MP.i.a.1":7},"hasil":{"ipak":3.5,"capaian":"B","ipkp":null}}"#;
        let a: Answers = serde_json::from_str(json).unwrap();
        assert_eq!(a.hasil().ipak.map(SurveyIndex::value), Some(3.5));
        let issues = a.issues(builtin_90_2021_ref());
        assert_eq!(issues.len(), 1, "{issues:?}");
        let back: Answers = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
        assert!(serde_json::from_str::<Answers>(r#"{"hasil":{"ipak":7}}"#).is_err());
        assert!(serde_json::from_str::<Answers>(r#"{"inputs":{"R.MP.i.a.1":-1}}"#).is_err());
    }
}
