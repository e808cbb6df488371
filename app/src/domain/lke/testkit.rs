//! Shared helpers for the domain's tests.

use super::answer_type::{Answer, AnswerType, PercentFormula};
use super::answers::Answers;
use super::builtin::builtin_90_2021_ref;
use super::codes::QuestionCode;
use super::values::{InputValue, SurveyIndex};

/// Sets the inputs of a % question so that it computes 100 %.
pub fn set_percent_full(a: &mut Answers, code: QuestionCode) {
    let r = builtin_90_2021_ref();
    let q = r.question(code).expect("question exists");
    for i in &q.inputs {
        // derived rows refuse input; that is fine
        let _ = a.set_input(r, i.code, InputValue::new(1.0).ok());
    }
    let (input, v) = match &q.answer_type {
        AnswerType::Percent(PercentFormula::CappedRatio { numerator, .. }) => (*numerator, 100.0),
        AnswerType::Percent(PercentFormula::Decrease { current, .. }) => (*current, 0.0),
        other => panic!("not a % question: {other:?}"),
    };
    a.set_input(r, input, InputValue::new(v).ok())
        .expect("entered input");
}

/// Best answer everywhere: scores 100.
pub fn full_marks() -> Answers {
    let r = builtin_90_2021_ref();
    let mut a = Answers::new();
    for q in r.questions() {
        match q.answer_type.best() {
            Some(best) => {
                a.set_choice(r, q.code, Some(best)).expect("valid");
            }
            None => set_percent_full(&mut a, q.code),
        }
    }
    a.set_ipak(SurveyIndex::new(4.0).ok());
    a.set_ipkp(SurveyIndex::new(4.0).ok());
    a.set_capaian(Some(Answer::A)).expect("valid");
    a
}

/// Every choice answered with its second-worst option, % inputs 1 of 2, Hasil modest.
pub fn mediocre() -> Answers {
    let r = builtin_90_2021_ref();
    let mut a = Answers::new();
    for q in r.questions() {
        let opts = q.answer_type.options();
        if let Some(x) = opts.get(opts.len().saturating_sub(2)) {
            a.set_choice(r, q.code, Some(*x)).expect("valid");
        }
        for (n, i) in q.inputs.iter().enumerate() {
            let v = if n == 0 { 2.0 } else { 1.0 };
            let _ = a.set_input(r, i.code, InputValue::new(v).ok());
        }
    }
    a.set_ipak(SurveyIndex::new(3.0).ok());
    a.set_ipkp(SurveyIndex::new(3.0).ok());
    a.set_capaian(Some(Answer::D)).expect("valid");
    a
}
