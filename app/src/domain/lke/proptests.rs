//! Property tests of the scoring core (built-in PermenPANRB 90/2021 rubric).

use proptest::prelude::*;

use super::answer_type::{Answer, AnswerType};
use super::answers::Answers;
use super::builtin::{builtin_90_2021_ref, builtin_gates_90_2021};
use super::codes::{InputCode, QuestionCode};
use super::gates::evaluate;
use super::rubric::{InputKind, RubricError, RubricVersion};
use super::scoring::{score, QuestionValue, ScoreSheet, Subtotal};
use super::values::{InputValue, SurveyIndex, Weight};

const EPS: f64 = 1e-9;
const CAPAIAN: [Answer; 5] = [Answer::A, Answer::B, Answer::C, Answer::D, Answer::E];

fn choice_questions() -> Vec<(QuestionCode, &'static [Answer])> {
    builtin_90_2021_ref()
        .questions()
        .filter(|q| q.answer_type.is_choice())
        .map(|q| (q.code, q.answer_type.options()))
        .collect()
}

fn entered_inputs() -> Vec<InputCode> {
    builtin_90_2021_ref()
        .questions()
        .flat_map(|q| q.inputs.iter())
        .filter(|i| matches!(i.kind, InputKind::Entered))
        .map(|i| i.code)
        .collect()
}

/// Arbitrary (possibly partial) answers; inputs include zeros to hit `#DIV/0!`.
fn arb_answers() -> impl Strategy<Value = Answers> {
    let n_choice = choice_questions().len();
    let n_inputs = entered_inputs().len();
    (
        prop::collection::vec(prop::option::weighted(0.8, 0usize..5), n_choice),
        prop::collection::vec(prop::option::weighted(0.8, 0u32..12), n_inputs),
        prop::option::of(0.0f64..=4.0),
        prop::option::of(0usize..5),
        prop::option::of(0.0f64..=4.0),
    )
        .prop_map(|(choices, inputs, ipak, capaian, ipkp)| {
            let r = builtin_90_2021_ref();
            let mut a = Answers::new();
            for ((code, opts), pick) in choice_questions().into_iter().zip(choices) {
                let answer = pick.map(|i| opts[i % opts.len()]);
                a.set_choice(r, code, answer).expect("valid option");
            }
            for (code, v) in entered_inputs().into_iter().zip(inputs) {
                let value = v.and_then(|x| InputValue::new(f64::from(x)).ok());
                a.set_input(r, code, value).expect("entered input");
            }
            a.set_ipak(ipak.and_then(|x| SurveyIndex::new(x).ok()));
            a.set_ipkp(ipkp.and_then(|x| SurveyIndex::new(x).ok()));
            a.set_capaian(capaian.map(|i| CAPAIAN[i])).expect("A–E");
            a
        })
}

fn within(s: &Subtotal) -> bool {
    s.score >= -EPS
        && s.score <= s.weight + EPS
        && s.conservative >= -EPS
        && s.conservative <= s.score + EPS
}

/// Every score of `b` is at least the corresponding score of `a`.
fn dominates(b: &ScoreSheet, a: &ScoreSheet) -> bool {
    let ge = |x: f64, y: f64| x + EPS >= y;
    let qs = a.questions.iter().zip(&b.questions).all(|(qa, qb)| {
        match (qa.value.numeric(), qb.value.numeric()) {
            (Some(x), Some(y)) => ge(y, x),
            (None, _) => true,
            (Some(_), None) => false,
        }
    });
    let inds = a
        .indicators
        .iter()
        .zip(&b.indicators)
        .all(|(x, y)| ge(y.score, x.score) && ge(y.conservative, x.conservative));
    let areas = a
        .areas
        .iter()
        .zip(&b.areas)
        .all(|(x, y)| ge(y.score, x.score) && ge(y.conservative, x.conservative));
    let subs = [
        (&a.pemenuhan, &b.pemenuhan),
        (&a.reform, &b.reform),
        (&a.pengungkit, &b.pengungkit),
        (&a.hasil.bersih, &b.hasil.bersih),
        (&a.hasil.prima, &b.hasil.prima),
        (&a.hasil.total, &b.hasil.total),
        (&a.total, &b.total),
    ]
    .iter()
    .all(|(x, y)| ge(y.score, x.score) && ge(y.conservative, x.conservative));
    qs && inds && areas && subs
}

/// Raises one answered choice question (index `k` among the answered, wrapping) to a
/// strictly better option, or the Hasil items when `k` selects them.
fn raise(answers: &Answers, k: usize, steps: usize) -> Answers {
    let r = builtin_90_2021_ref();
    let mut b = answers.clone();
    let answered: Vec<(QuestionCode, Answer, AnswerType)> = r
        .questions()
        .filter_map(|q| {
            let a = answers.choice(q.code)?;
            Some((q.code, a, q.answer_type.clone()))
        })
        .collect();
    if k % 4 == 3 || answered.is_empty() {
        let h = *answers.hasil();
        b.set_ipak(
            h.ipak
                .and_then(|x| SurveyIndex::new((x.value() + 0.3).min(4.0)).ok()),
        );
        let better = h
            .capaian
            .and_then(|a| AnswerType::Abcde.next_better(a))
            .or(h.capaian);
        b.set_capaian(better).expect("A–E");
        return b;
    }
    let (code, mut a, t) = answered[k % answered.len()].clone();
    for _ in 0..steps.max(1) {
        a = t.next_better(a).unwrap_or(a);
    }
    b.set_choice(r, code, Some(a)).expect("valid");
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_score_is_within_zero_and_its_weight(answers in arb_answers()) {
        let s = score(builtin_90_2021_ref(), &answers);
        for q in &s.questions {
            if let QuestionValue::Value(v) = q.value {
                prop_assert!((0.0..=1.0).contains(&v), "{} = {v}", q.code);
            }
        }
        for i in &s.indicators {
            prop_assert!(i.score >= 0.0 && i.score <= i.weight + EPS, "{}", i.code);
            prop_assert!(i.conservative >= 0.0 && i.conservative <= i.score + EPS);
        }
        for a in &s.areas {
            prop_assert!(within(&a.subtotal()));
        }
        for sub in [&s.pemenuhan, &s.reform, &s.pengungkit, &s.hasil.bersih, &s.hasil.prima,
                    &s.hasil.total, &s.total] {
            prop_assert!(within(sub));
        }
        for item in [&s.hasil.ipak, &s.hasil.capaian, &s.hasil.ipkp] {
            prop_assert!(item.score >= 0.0 && item.score <= item.weight + EPS);
        }
    }

    #[test]
    fn every_total_is_the_sum_of_its_parts(answers in arb_answers()) {
        let s = score(builtin_90_2021_ref(), &answers);
        for area in &s.areas {
            let sum = s.indicators.iter()
                .filter(|i| i.code.part() == area.part && i.code.area() == area.area)
                .fold(0.0, |acc, i| acc + i.score);
            prop_assert_eq!(area.score, sum);
        }
        for (part, sub) in [(super::codes::Part::Pemenuhan, &s.pemenuhan),
                            (super::codes::Part::Reform, &s.reform)] {
            let sum = s.areas.iter().filter(|a| a.part == part).fold(0.0, |acc, a| acc + a.score);
            prop_assert_eq!(sub.score, sum);
        }
        prop_assert_eq!(s.pengungkit.score, s.pemenuhan.score + s.reform.score);
        prop_assert_eq!(s.hasil.bersih.score, s.hasil.ipak.score + s.hasil.capaian.score);
        prop_assert_eq!(s.hasil.prima.score, s.hasil.ipkp.score);
        prop_assert_eq!(s.hasil.total.score, s.hasil.bersih.score + s.hasil.prima.score);
        prop_assert_eq!(s.total.score, s.pengungkit.score + s.hasil.total.score);
        prop_assert_eq!(s.total.completeness.total, 113);
        let answered: u32 = s.indicators.iter().map(|i| i.completeness.answered).sum::<u32>()
            + s.hasil.total.completeness.answered;
        prop_assert_eq!(s.total.completeness.answered, answered);
    }

    #[test]
    fn raising_an_answer_never_lowers_any_score(answers in arb_answers(), k in 0usize..200,
                                                 steps in 1usize..4) {
        let r = builtin_90_2021_ref();
        let before = score(r, &answers);
        let after = score(r, &raise(&answers, k, steps));
        prop_assert!(dominates(&after, &before));
    }

    #[test]
    fn answering_never_lowers_the_conservative_score(answers in arb_answers(), k in 0usize..200) {
        let r = builtin_90_2021_ref();
        let unanswered: Vec<_> = r.questions()
            .filter(|q| q.answer_type.is_choice() && answers.choice(q.code).is_none())
            .map(|q| (q.code, q.answer_type.options()))
            .collect();
        prop_assume!(!unanswered.is_empty());
        let (code, opts) = unanswered[k % unanswered.len()];
        let mut b = answers.clone();
        b.set_choice(r, code, Some(opts[k % opts.len()])).expect("valid");
        let (s0, s1) = (score(r, &answers), score(r, &b));
        prop_assert!(s1.total.conservative + EPS >= s0.total.conservative);
        prop_assert_eq!(s1.total.completeness.answered, s0.total.completeness.answered + 1);
    }

    #[test]
    fn gates_are_monotone(answers in arb_answers(), k in 0usize..200, steps in 1usize..4,
                          holds_wbk: bool) {
        let r = builtin_90_2021_ref();
        let gates = builtin_gates_90_2021();
        let before = evaluate(&score(r, &answers), &gates, holds_wbk);
        let after = evaluate(&score(r, &raise(&answers, k, steps)), &gates, holds_wbk);
        for (b, a) in [(&before.wbk, &after.wbk), (&before.wbbm, &after.wbbm)] {
            for (g0, g1) in b.gates.iter().zip(&a.gates) {
                prop_assert_eq!(g0.target, g1.target);
                prop_assert!(!g0.pass || g1.pass, "{:?} passed before, fails after", g0.target);
            }
            prop_assert!(!b.pass || a.pass);
        }
        // WBBM's gates are at least as strict as WBK's
        prop_assert!(!after.wbbm.pass || after.wbk.pass);
    }

    #[test]
    fn valid_versions_always_weigh_100(raw in prop::collection::vec(1u32..1000, 42),
                                       scale_ok: bool) {
        // Redistribute Pengungkit's 60 points over the 42 indicators at random.
        let total: f64 = raw.iter().map(|x| f64::from(*x)).sum();
        let factor = if scale_ok { 60.0 / total } else { 61.0 / total };
        let mut data = builtin_90_2021_ref().data().clone();
        let mut it = raw.iter();
        for part in [&mut data.pemenuhan, &mut data.reform] {
            for area in &mut part.areas {
                for ind in &mut area.indicators {
                    let x = f64::from(*it.next().expect("42 weights"));
                    ind.weight = Weight::new(x * factor).expect("positive");
                }
            }
        }
        match RubricVersion::new(data) {
            Ok(v) => {
                prop_assert!(scale_ok);
                prop_assert!((v.total_weight() - 100.0).abs() < 1e-9);
                let s = score(&v, &Answers::new());
                prop_assert!((s.total.weight - 100.0).abs() < 1e-9);
            }
            Err(e) => {
                prop_assert!(!scale_ok || matches!(e, RubricError::TotalWeight(_)));
                prop_assert!(matches!(e, RubricError::TotalWeight(_)));
            }
        }
    }
}

#[test]
fn builtin_weights_sum_to_100() {
    let r = builtin_90_2021_ref();
    assert!((r.total_weight() - 100.0).abs() < 1e-12);
}
