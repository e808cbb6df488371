//! What-if: for a failing gate, a greedy plan of the cheapest answer improvements
//! that would close it.
//!
//! Each step moves one item by one step and the plan always takes the step that gains
//! the most points for the gate's target (ties: sheet order), until the gap is closed
//! or nothing can improve any more. Steps are:
//!
//! * a choice question one option up its ladder (`C → B`, `Tidak → Ya`); an unanswered
//!   question is one step to its best option (answering it);
//! * a computed-% question to 100 % (its inputs are facts, so the step names the target);
//! * capaian kinerja one option up;
//! * a survey index (IPAK, IPKP) straight to the value that closes the gap (rounded up to
//!   two decimals, at most 4). Survey indices are measured externally, so they are only
//!   levers for Hasil gates, never for Total, Pengungkit or areas.
//!
//! Gains follow the sheet's semantics (average over answered questions).

use serde::{Deserialize, Serialize};

use super::answer_type::{Answer, AnswerType};
use super::answers::Answers;
use super::codes::{HasilItemId, ItemCode, Part};
use super::gates::{GateResult, GateTarget, PredicateVerdict, PASS_TOLERANCE};
use super::rubric::RubricVersion;
use super::scoring::question_value;

const MAX_STEPS: usize = 1_000;
const MIN_GAIN: f64 = 1e-12;

/// State of an item before or after a step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum StepValue {
    NotFilled,
    Answer(Answer),
    /// A computed percentage, 0–1.
    Percent(f64),
    /// A survey index, 0–4.
    Index(f64),
}

/// One improvement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub item: ItemCode,
    pub from: StepValue,
    pub to: StepValue,
    /// Points the gate's target gains with this step.
    pub points: f64,
}

/// Plan for one failing gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatePlan {
    pub target: GateTarget,
    /// Points missing before the plan.
    pub gap: f64,
    pub steps: Vec<Step>,
    /// Whether applying all steps closes the gap.
    pub closes_gap: bool,
    /// Points still missing after all steps (0 when closed).
    pub remaining_gap: f64,
}

/// Plans for every failing gate of a verdict, in gate order.
pub fn plan_improvements(
    rubric: &RubricVersion,
    answers: &Answers,
    verdict: &PredicateVerdict,
) -> Vec<GatePlan> {
    verdict
        .failing_gates()
        .map(|g| plan_for_gate(rubric, answers, g))
        .collect()
}

/// Greedy plan closing one gate (an empty plan if it already passes).
pub fn plan_for_gate(rubric: &RubricVersion, answers: &Answers, gate: &GateResult) -> GatePlan {
    let gap = (gate.threshold - gate.value).max(0.0);
    let mut model = Model::new(rubric, answers, gate.target);
    let mut remaining = gap;
    let mut steps = Vec::new();
    while remaining > PASS_TOLERANCE && steps.len() < MAX_STEPS {
        let Some((lever, to, points)) = model.best_step(remaining) else {
            break;
        };
        steps.push(model.apply(lever, to, points));
        remaining -= points;
    }
    let closes_gap = remaining <= PASS_TOLERANCE;
    GatePlan {
        target: gate.target,
        gap,
        steps,
        closes_gap,
        remaining_gap: if closes_gap { 0.0 } else { remaining },
    }
}

#[derive(Debug, Clone)]
enum LeverKind {
    Choice {
        answer_type: AnswerType,
        current: Option<Answer>,
    },
    Percent {
        current: Option<f64>,
    },
    Capaian {
        current: Option<Answer>,
        weight: f64,
    },
    Survey {
        current: Option<f64>,
        weight: f64,
    },
}

#[derive(Debug, Clone)]
struct Lever {
    item: ItemCode,
    kind: LeverKind,
    /// (indicator slot, question position) for Pengungkit questions.
    at: Option<(usize, usize)>,
}

struct IndicatorState {
    weight: f64,
    values: Vec<Option<f64>>,
}

impl IndicatorState {
    fn score_with(&self, pos: usize, value: f64) -> f64 {
        let (mut sum, mut n) = (0.0, 0u32);
        for (i, v) in self.values.iter().enumerate() {
            let v = if i == pos { Some(value) } else { *v };
            if let Some(x) = v {
                sum += x;
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            sum / f64::from(n) * self.weight
        }
    }
    fn score(&self) -> f64 {
        let (sum, n) = self
            .values
            .iter()
            .flatten()
            .fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
        if n == 0 {
            0.0
        } else {
            sum / f64::from(n) * self.weight
        }
    }
}

struct Model {
    indicators: Vec<IndicatorState>,
    levers: Vec<Lever>,
}

fn in_target(target: GateTarget, part: Part, area: super::codes::AreaId) -> bool {
    match target {
        GateTarget::Total | GateTarget::Pengungkit => true,
        GateTarget::Part { part: p } => p == part,
        GateTarget::Area { part: p, area: a } => a == area && p.is_none_or(|p| p == part),
        _ => false,
    }
}

fn hasil_levers(target: GateTarget) -> &'static [HasilItemId] {
    match target {
        GateTarget::Total => &[HasilItemId::Capaian],
        GateTarget::Hasil => &[HasilItemId::Ipak, HasilItemId::Capaian, HasilItemId::Ipkp],
        GateTarget::HasilBersih => &[HasilItemId::Ipak, HasilItemId::Capaian],
        GateTarget::HasilPrima | GateTarget::Ipkp => &[HasilItemId::Ipkp],
        GateTarget::Ipak => &[HasilItemId::Ipak],
        GateTarget::Capaian => &[HasilItemId::Capaian],
        _ => &[],
    }
}

impl Model {
    fn new(rubric: &RubricVersion, answers: &Answers, target: GateTarget) -> Model {
        let mut indicators = Vec::new();
        let mut levers = Vec::new();
        for ind in rubric.indicators() {
            if !in_target(target, ind.code.part(), ind.code.area()) {
                continue;
            }
            let slot = indicators.len();
            let mut values = Vec::with_capacity(ind.questions.len());
            for (pos, q) in ind.questions.iter().enumerate() {
                let value = question_value(q, answers).numeric();
                values.push(value);
                let kind = match &q.answer_type {
                    AnswerType::Percent(_) => LeverKind::Percent { current: value },
                    t => LeverKind::Choice {
                        answer_type: t.clone(),
                        current: answers.choice(q.code).filter(|a| t.accepts(*a)),
                    },
                };
                levers.push(Lever {
                    item: ItemCode::Question(q.code),
                    kind,
                    at: Some((slot, pos)),
                });
            }
            indicators.push(IndicatorState {
                weight: ind.weight.value(),
                values,
            });
        }
        let h = answers.hasil();
        for id in hasil_levers(target) {
            let weight = rubric.hasil().item(*id).weight.value();
            let kind = match id {
                HasilItemId::Ipak => LeverKind::Survey {
                    current: h.ipak.map(|s| s.value()),
                    weight,
                },
                HasilItemId::Ipkp => LeverKind::Survey {
                    current: h.ipkp.map(|s| s.value()),
                    weight,
                },
                HasilItemId::Capaian => LeverKind::Capaian {
                    current: h.capaian.filter(|a| AnswerType::Abcde.accepts(*a)),
                    weight,
                },
            };
            levers.push(Lever {
                item: ItemCode::Hasil(*id),
                kind,
                at: None,
            });
        }
        Model { indicators, levers }
    }

    /// Candidate step of one lever: (to, points).
    fn candidate(&self, lever: &Lever, remaining: f64) -> Option<(StepValue, f64)> {
        match &lever.kind {
            LeverKind::Choice {
                answer_type,
                current,
            } => {
                let to = match current {
                    None => answer_type.best()?,
                    Some(a) => answer_type.next_better(*a)?,
                };
                let value = answer_type.value_of(to)?;
                let (slot, pos) = lever.at?;
                let ind = &self.indicators[slot];
                Some((
                    StepValue::Answer(to),
                    ind.score_with(pos, value) - ind.score(),
                ))
            }
            LeverKind::Percent { current } => {
                if current.is_some_and(|v| v >= 1.0) {
                    return None;
                }
                let (slot, pos) = lever.at?;
                let ind = &self.indicators[slot];
                Some((
                    StepValue::Percent(1.0),
                    ind.score_with(pos, 1.0) - ind.score(),
                ))
            }
            LeverKind::Capaian { current, weight } => {
                let to = match current {
                    None => Answer::A,
                    Some(a) => AnswerType::Abcde.next_better(*a)?,
                };
                let old = current
                    .and_then(|a| AnswerType::Abcde.value_of(a))
                    .unwrap_or(0.0);
                let new = AnswerType::Abcde.value_of(to)?;
                Some((StepValue::Answer(to), (new - old) * weight))
            }
            LeverKind::Survey { current, weight } => {
                let cur = current.unwrap_or(0.0);
                if cur >= 4.0 {
                    return None;
                }
                let needed = cur + remaining * 4.0 / weight;
                let to = ((needed * 100.0 - 1e-9).ceil() / 100.0).min(4.0);
                Some((StepValue::Index(to), (to - cur) / 4.0 * weight))
            }
        }
    }

    fn best_step(&self, remaining: f64) -> Option<(usize, StepValue, f64)> {
        let mut best: Option<(usize, StepValue, f64)> = None;
        for (i, lever) in self.levers.iter().enumerate() {
            if let Some((to, points)) = self.candidate(lever, remaining) {
                if points > MIN_GAIN && best.is_none_or(|(_, _, p)| points > p + MIN_GAIN) {
                    best = Some((i, to, points));
                }
            }
        }
        best
    }

    fn apply(&mut self, index: usize, to: StepValue, points: f64) -> Step {
        let lever = &mut self.levers[index];
        let from = match &lever.kind {
            LeverKind::Choice { current, .. } | LeverKind::Capaian { current, .. } => {
                current.map_or(StepValue::NotFilled, StepValue::Answer)
            }
            LeverKind::Percent { current } => {
                current.map_or(StepValue::NotFilled, StepValue::Percent)
            }
            LeverKind::Survey { current, .. } => {
                current.map_or(StepValue::NotFilled, StepValue::Index)
            }
        };
        let new_value = match (&mut lever.kind, to) {
            (
                LeverKind::Choice {
                    answer_type,
                    current,
                },
                StepValue::Answer(a),
            ) => {
                *current = Some(a);
                answer_type.value_of(a)
            }
            (LeverKind::Capaian { current, .. }, StepValue::Answer(a)) => {
                *current = Some(a);
                None
            }
            (LeverKind::Percent { current }, StepValue::Percent(p)) => {
                *current = Some(p);
                Some(p)
            }
            (LeverKind::Survey { current, .. }, StepValue::Index(x)) => {
                *current = Some(x);
                None
            }
            _ => None,
        };
        if let (Some((slot, pos)), Some(v)) = (lever.at, new_value) {
            self.indicators[slot].values[pos] = Some(v);
        }
        Step {
            item: lever.item,
            from,
            to,
            points,
        }
    }
}

/// The first `per_gate` steps of each plan as one list for people: an item
/// that several gates ask for appears once, with the largest gain any of them
/// names, the biggest gains first.
pub fn combined_steps(plans: &[GatePlan], per_gate: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for step in plans
        .iter()
        .flat_map(|plan| plan.steps.iter().take(per_gate))
    {
        match steps.iter_mut().find(|s| s.item == step.item) {
            Some(kept) if kept.points < step.points => *kept = *step,
            Some(_) => {}
            None => steps.push(*step),
        }
    }
    steps.sort_by(|a, b| b.points.total_cmp(&a.points));
    steps
}

#[cfg(test)]
mod tests {
    use super::super::builtin::{builtin_90_2021_ref, builtin_gates_90_2021};
    use super::super::codes::{AreaId, QuestionCode};
    use super::super::gates::{evaluate, evaluate_predicate, Predicate};
    use super::super::scoring::score;
    use super::super::testkit::{mediocre, set_percent_full};
    use super::super::values::SurveyIndex;
    use super::*;

    fn apply(answers: &Answers, plan: &GatePlan) -> Answers {
        let r = builtin_90_2021_ref();
        let mut a = answers.clone();
        for s in &plan.steps {
            match (s.item, s.to) {
                (ItemCode::Question(q), StepValue::Answer(x)) => {
                    a.set_choice(r, q, Some(x)).unwrap();
                }
                (ItemCode::Question(q), StepValue::Percent(_)) => set_percent_full(&mut a, q),
                (ItemCode::Hasil(HasilItemId::Capaian), StepValue::Answer(x)) => {
                    a.set_capaian(Some(x)).unwrap();
                }
                (ItemCode::Hasil(HasilItemId::Ipak), StepValue::Index(x)) => {
                    a.set_ipak(SurveyIndex::new(x).ok())
                }
                (ItemCode::Hasil(HasilItemId::Ipkp), StepValue::Index(x)) => {
                    a.set_ipkp(SurveyIndex::new(x).ok())
                }
                other => panic!("unexpected step {other:?}"),
            }
        }
        a
    }

    #[test]
    fn plans_close_every_failing_wbk_gate() {
        let r = builtin_90_2021_ref();
        let g = builtin_gates_90_2021();
        let a = mediocre();
        let v = evaluate(&score(r, &a), &g, false);
        assert!(!v.wbk.pass);
        let plans = plan_improvements(r, &a, &v.wbk);
        assert_eq!(plans.len(), v.wbk.failing_gates().count());
        for plan in &plans {
            assert!(plan.closes_gap, "{:?}", plan.target);
            assert!(plan.steps.iter().all(|s| s.points > 0.0));
            let gained: f64 = plan.steps.iter().map(|s| s.points).sum();
            assert!(gained + 1e-9 >= plan.gap);
            // applying the plan makes that gate pass
            let after = evaluate_predicate(&score(r, &apply(&a, plan)), &g, Predicate::Wbk, false);
            let gate = after
                .gates
                .iter()
                .find(|x| x.target == plan.target)
                .unwrap();
            assert!(gate.pass, "{:?} margin {}", plan.target, gate.margin);
        }
    }

    #[test]
    fn greedy_takes_largest_gain_first_and_steps_one_option() {
        let r = builtin_90_2021_ref();
        let g = builtin_gates_90_2021();
        let a = mediocre();
        let v = evaluate(&score(r, &a), &g, false);
        let area = GateTarget::Area {
            part: None,
            area: AreaId::ManajemenPerubahan,
        };
        let gate = v.wbk.gates.iter().find(|x| x.target == area).unwrap();
        let plan = plan_for_gate(r, &a, gate);
        assert!(plan.closes_gap && !plan.steps.is_empty());
        // The first step is the best single step: brute force every one-step raise.
        let area_score = |ans: &Answers| {
            score(r, ans)
                .area_combined(AreaId::ManajemenPerubahan)
                .score
        };
        let base = area_score(&a);
        let mut best = 0.0f64;
        for q in r
            .questions()
            .filter(|q| q.code.indicator().area() == AreaId::ManajemenPerubahan)
        {
            let mut b = a.clone();
            match (q.answer_type.is_choice(), a.choice(q.code)) {
                (true, Some(cur)) => match q.answer_type.next_better(cur) {
                    Some(next) => {
                        b.set_choice(r, q.code, Some(next)).unwrap();
                    }
                    None => continue,
                },
                (true, None) => {
                    b.set_choice(r, q.code, q.answer_type.best()).unwrap();
                }
                (false, _) => set_percent_full(&mut b, q.code),
            }
            best = best.max(area_score(&b) - base);
        }
        assert!(
            (plan.steps[0].points - best).abs() < 1e-12,
            "{} vs {best}",
            plan.steps[0].points
        );
        // and it reports the true gain of that step
        let gained: f64 = plan.steps.iter().map(|s| s.points).sum();
        assert!(gained + 1e-9 >= plan.gap);
        for s in &plan.steps {
            if let (StepValue::Answer(from), StepValue::Answer(to), ItemCode::Question(q)) =
                (s.from, s.to, s.item)
            {
                let t = &r.question(q).unwrap().answer_type;
                assert_eq!(t.next_better(from), Some(to));
            }
        }
    }

    #[test]
    fn survey_gate_plan_names_the_needed_index() {
        let r = builtin_90_2021_ref();
        let g = builtin_gates_90_2021();
        let a = mediocre();
        let v = evaluate(&score(r, &a), &g, false);
        let gate = v
            .wbk
            .gates
            .iter()
            .find(|x| x.target == GateTarget::Ipak)
            .unwrap();
        let plan = plan_for_gate(r, &a, gate);
        assert_eq!(plan.steps.len(), 1);
        assert_eq!(plan.steps[0].to, StepValue::Index(3.6));
        assert_eq!(plan.steps[0].from, StepValue::Index(3.0));
    }

    #[test]
    fn impossible_gap_is_reported() {
        let r = builtin_90_2021_ref();
        let a = mediocre();
        let gate = GateResult {
            target: GateTarget::Part { part: Part::Reform },
            rule: super::super::gates::Threshold::AtLeast(31.0),
            value: 10.0,
            weight: 30.0,
            threshold: 31.0,
            margin: -21.0,
            pass: false,
        };
        let plan = plan_for_gate(r, &a, &gate);
        assert!(!plan.closes_gap);
        assert!(plan.remaining_gap > 0.9);
        let q: QuestionCode = "R.MP.i.a".parse().unwrap();
        assert!(plan.steps.iter().any(|s| s.item == ItemCode::Question(q)));
    }
}
