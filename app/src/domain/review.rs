//! The internal evaluators' side (TPI): the status of a reviewed item, the
//! evaluator's lane over the unit's answers, where the two lanes disagree, who
//! on a team decides, and the decisions themselves.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::assessment::{apply, parse_item_value, scored_items, ItemValue};
use super::lke::{
    evaluate, transition, Answers, AssessmentState, GateSet, HasilItemId, ItemCode, Predicate,
    QuestionCode, RefusalReason, RubricVersion, ScoreSheet, WorkflowEvent,
};

/// The longest note or return summary an evaluator can write.
pub const MAX_REVIEW_TEXT_CHARS: usize = 4000;

/// The evaluator's finding on one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Sesuai,
    PerluPerbaikan,
    TidakSesuai,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("not a review status")]
pub struct BadStatus;

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [
        ReviewStatus::Sesuai,
        ReviewStatus::PerluPerbaikan,
        ReviewStatus::TidakSesuai,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Sesuai => "sesuai",
            ReviewStatus::PerluPerbaikan => "perlu_perbaikan",
            ReviewStatus::TidakSesuai => "tidak_sesuai",
        }
    }

    /// Whether the unit is asked to change the item.
    pub fn asks_for_change(self) -> bool {
        self != ReviewStatus::Sesuai
    }
}

impl FromStr for ReviewStatus {
    type Err = BadStatus;
    fn from_str(s: &str) -> Result<Self, BadStatus> {
        ReviewStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s.trim())
            .ok_or(BadStatus)
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An evaluator's place on an assessment's team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub lead: bool,
}

/// Returning and finalizing belong to the team lead; a team without a lead
/// decides through any of its members.
pub fn may_decide(me: Assignment, team_has_lead: bool) -> bool {
    me.lead || !team_has_lead
}

/// Evaluators score only while the assessment is with them.
pub fn review_open(state: AssessmentState) -> bool {
    state == AssessmentState::Submitted
}

/// The unit reads the evaluators' notes once they have sent it back, or once
/// the score is final.
pub fn unit_sees_review(state: AssessmentState, ever_returned: bool) -> bool {
    ever_returned
        || matches!(
            state,
            AssessmentState::Finalized
                | AssessmentState::Proposed
                | AssessmentState::Awarded
                | AssessmentState::NotAwarded
        )
}

/// The evaluator's lane: the unit's answers, with every reviewed item's value
/// (or its absence) put over them.
pub fn evaluator_lane(
    rubric: &RubricVersion,
    unit: &Answers,
    reviewed: impl IntoIterator<Item = (ItemCode, Option<ItemValue>)>,
) -> Answers {
    let mut lane = unit.clone();
    for (item, value) in reviewed {
        apply(&mut lane, rubric, item, value);
    }
    lane
}

/// The evaluator's lane from stored rows: a row without a value clears the
/// unit's answer. A computed question's row carries only the note and status,
/// and a value the rubric no longer accepts is ignored.
pub fn lane_from_stored<'a>(
    rubric: &RubricVersion,
    unit: &Answers,
    rows: impl IntoIterator<Item = (ItemCode, Option<&'a str>)>,
) -> Answers {
    let reviewed = rows.into_iter().filter_map(|(item, raw)| {
        parse_item_value(rubric, item, raw.unwrap_or(""))
            .ok()
            .map(|value| (item, value))
    });
    evaluator_lane(rubric, unit, reviewed)
}

/// One item where the two lanes differ, with what the difference is worth.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub item: ItemCode,
    /// The item's value in each lane: 0–1 for questions and capaian, the index for IPAK/IPKP.
    pub unit: Option<f64>,
    pub evaluator: Option<f64>,
    /// Points of the total that separate the lanes on this item, counting an
    /// unanswered item as 0 (as the conservative score does).
    pub points: f64,
}

/// Every item where the lanes differ, the largest difference in points first.
pub fn disagreements(
    rubric: &RubricVersion,
    unit: &ScoreSheet,
    evaluator: &ScoreSheet,
) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = rubric
        .indicators()
        .flat_map(|indicator| {
            let share = indicator.weight.value() / indicator.questions.len().max(1) as f64;
            indicator.questions.iter().map(move |q| (q.code, share))
        })
        .filter_map(|(code, share)| {
            let u = question_number(unit, code);
            let e = question_number(evaluator, code);
            differ(u, e).then(|| Disagreement {
                item: ItemCode::Question(code),
                unit: u,
                evaluator: e,
                points: (u.unwrap_or(0.0) - e.unwrap_or(0.0)).abs() * share,
            })
        })
        .chain(HasilItemId::ALL.into_iter().filter_map(|id| {
            let (u, e) = (unit.hasil.item(id), evaluator.hasil.item(id));
            differ(u.value, e.value).then(|| Disagreement {
                item: ItemCode::Hasil(id),
                unit: u.value,
                evaluator: e.value,
                points: (u.score - e.score).abs(),
            })
        }))
        .collect();
    out.sort_by(|a, b| b.points.total_cmp(&a.points));
    out
}

fn question_number(sheet: &ScoreSheet, code: QuestionCode) -> Option<f64> {
    sheet.question(code).and_then(|q| q.value.numeric())
}

fn differ(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1e-9,
        (None, None) => false,
        _ => true,
    }
}

/// Why a decision on an assessment is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "reason")]
pub enum DecisionRefusal {
    #[error("refused by the workflow: {0:?}")]
    Workflow(RefusalReason),
    #[error("a return needs a summary for the unit")]
    NoSummary,
    #[error("the assessment does not pass the gates of its target and nobody confirmed")]
    FailsGates,
    /// Finalizing needs a confirmation that names how many items nobody reviewed.
    #[error("finalizing with {unreviewed} items not reviewed needs a confirmation")]
    FinalizeUnconfirmed { unreviewed: u32 },
}

/// How many scored items have no status from the evaluators yet.
pub fn unreviewed_items(
    rubric: &RubricVersion,
    reviewed: &std::collections::BTreeSet<ItemCode>,
) -> u32 {
    let open = scored_items(rubric).filter(|item| !reviewed.contains(item));
    u32::try_from(open.count()).unwrap_or(u32::MAX)
}

/// What the deciding evaluator confirmed before finalizing: nothing, or the
/// number of items left unreviewed as the page showed it to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalizeConfirmation {
    None,
    Unreviewed(u32),
}

fn step(state: AssessmentState, event: WorkflowEvent) -> Result<AssessmentState, DecisionRefusal> {
    transition(state, event).map_err(|err| DecisionRefusal::Workflow(err.reason))
}

/// Sends the assessment back to the unit, with a summary of what to fix.
pub fn return_to_unit(
    state: AssessmentState,
    summary: &str,
) -> Result<AssessmentState, DecisionRefusal> {
    let next = step(state, WorkflowEvent::Return)?;
    if summary.trim().is_empty() {
        return Err(DecisionRefusal::NoSummary);
    }
    Ok(next)
}

/// Makes the evaluator's lane the official score. It is irreversible, so it
/// always needs a confirmation, and one that names exactly how many items are
/// still unreviewed (where the unit's own answer would count): a confirmation
/// given when fewer were open is not one for more.
pub fn finalize(
    state: AssessmentState,
    unreviewed: u32,
    confirmation: FinalizeConfirmation,
) -> Result<AssessmentState, DecisionRefusal> {
    let next = step(state, WorkflowEvent::Finalize)?;
    if confirmation != FinalizeConfirmation::Unreviewed(unreviewed) {
        return Err(DecisionRefusal::FinalizeUnconfirmed { unreviewed });
    }
    Ok(next)
}

/// Proposes a finalized assessment to the national team. One that does not
/// pass the gates of its target needs an explicit confirmation.
pub fn propose(
    state: AssessmentState,
    passes: bool,
    confirmed: bool,
) -> Result<AssessmentState, DecisionRefusal> {
    let next = step(state, WorkflowEvent::Propose)?;
    if !passes && !confirmed {
        return Err(DecisionRefusal::FailsGates);
    }
    Ok(next)
}

/// Records the national team's decision.
pub fn record_result(
    state: AssessmentState,
    awarded: bool,
) -> Result<AssessmentState, DecisionRefusal> {
    step(state, WorkflowEvent::RecordResult { awarded })
}

/// The gate verdict kept with a finalized assessment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinalVerdict {
    pub total: f64,
    pub pengungkit: f64,
    pub hasil: f64,
    pub wbk: bool,
    pub wbbm: bool,
}

impl FinalVerdict {
    pub fn of(sheet: &ScoreSheet, gates: &GateSet, holds_wbk: bool) -> FinalVerdict {
        let verdicts = evaluate(sheet, gates, holds_wbk);
        FinalVerdict {
            total: sheet.total.score,
            pengungkit: sheet.pengungkit.score,
            hasil: sheet.hasil.total.score,
            wbk: verdicts.wbk.pass,
            wbbm: verdicts.wbbm.pass,
        }
    }

    pub fn passes(&self, predicate: Predicate) -> bool {
        match predicate {
            Predicate::Wbk => self.wbk,
            Predicate::Wbbm => self.wbbm,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lke::testkit::full_marks;
    use crate::domain::lke::{builtin_90_2021, builtin_gates_90_2021, score, Answer};
    use AssessmentState as S;

    fn item(code: &str) -> ItemCode {
        code.parse().unwrap()
    }

    fn value(rubric: &RubricVersion, code: &str, raw: &str) -> (ItemCode, Option<ItemValue>) {
        (
            item(code),
            parse_item_value(rubric, item(code), raw).unwrap(),
        )
    }

    #[test]
    fn statuses_round_trip_and_refuse_strangers() {
        for status in ReviewStatus::ALL {
            assert_eq!(status.as_str().parse::<ReviewStatus>(), Ok(status));
        }
        assert_eq!("selesai".parse::<ReviewStatus>(), Err(BadStatus));
    }

    #[test]
    fn the_lead_decides_or_anyone_on_a_team_without_one() {
        assert!(may_decide(Assignment { lead: true }, true));
        assert!(!may_decide(Assignment { lead: false }, true));
        assert!(may_decide(Assignment { lead: false }, false));
    }

    #[test]
    fn the_evaluator_lane_starts_as_the_unit_and_takes_reviewed_values() {
        let rubric = builtin_90_2021();
        let mut unit = Answers::new();
        for (code, raw) in [("P.MP.i.a", "Ya"), ("P.MP.i.b", "A"), ("H.I.a", "3,5")] {
            let (item, v) = value(&rubric, code, raw);
            apply(&mut unit, &rubric, item, v);
        }
        let same = evaluator_lane(&rubric, &unit, []);
        assert_eq!(same, unit);
        let lane = evaluator_lane(
            &rubric,
            &unit,
            [
                value(&rubric, "P.MP.i.b", "C"),
                value(&rubric, "H.I.a", "3.45"),
                value(&rubric, "P.MP.i.a", ""),
            ],
        );
        let code: QuestionCode = "P.MP.i.b".parse().unwrap();
        assert_eq!(lane.choice(code), Some(Answer::C));
        assert_eq!(lane.choice("P.MP.i.a".parse().unwrap()), None);
        assert_eq!(lane.hasil().ipak.map(|i| i.value()), Some(3.45));
        assert_eq!(
            unit.choice(code),
            Some(Answer::A),
            "the unit's lane is untouched"
        );
    }

    #[test]
    fn stored_rows_skip_computed_questions_and_stale_values() {
        let rubric = builtin_90_2021();
        let mut unit = Answers::new();
        let (i, v) = value(&rubric, "P.MP.i.a", "Ya");
        apply(&mut unit, &rubric, i, v);
        let percent = rubric
            .questions()
            .find(|q| !q.answer_type.is_choice())
            .unwrap()
            .code;
        let lane = lane_from_stored(
            &rubric,
            &unit,
            [
                (ItemCode::Question(percent), None),
                (item("P.MP.i.a"), Some("Z")),
                (item("H.II.a"), Some("3,25")),
            ],
        );
        assert_eq!(lane.choice("P.MP.i.a".parse().unwrap()), Some(Answer::Ya));
        assert_eq!(lane.hasil().ipkp.map(|i| i.value()), Some(3.25));
    }

    #[test]
    fn disagreements_are_worth_points_and_sorted_by_them() {
        let rubric = builtin_90_2021();
        let mut unit = Answers::new();
        for (code, raw) in [("P.MP.i.a", "Ya"), ("P.MP.i.b", "A"), ("H.I.a", "4")] {
            let (item, v) = value(&rubric, code, raw);
            apply(&mut unit, &rubric, item, v);
        }
        let lane = evaluator_lane(
            &rubric,
            &unit,
            [
                value(&rubric, "P.MP.i.b", "B"),
                value(&rubric, "H.I.a", "2"),
                value(&rubric, "P.MP.i.a", "Ya"),
            ],
        );
        let found = disagreements(&rubric, &score(&rubric, &unit), &score(&rubric, &lane));
        let codes: Vec<String> = found.iter().map(|d| d.item.to_string()).collect();
        assert_eq!(
            codes,
            ["H.I.a", "P.MP.i.b"],
            "equal answers are no disagreement"
        );
        // IPAK 4 → 2 halves its 17.5 points.
        assert!((found[0].points - 8.75).abs() < 1e-9);
        // A → B on a 0/0.5/1 question: half of its share of the indicator's weight.
        let indicator = rubric.indicator("P.MP.i".parse().unwrap()).unwrap();
        let share = indicator.weight.value() / indicator.questions.len() as f64;
        assert!((found[1].points - 0.5 * share).abs() < 1e-9);
        assert_eq!((found[1].unit, found[1].evaluator), (Some(1.0), Some(0.5)));
    }

    #[test]
    fn an_answer_the_evaluator_clears_counts_its_whole_share() {
        let rubric = builtin_90_2021();
        let mut unit = Answers::new();
        let (i, v) = value(&rubric, "P.MP.i.a", "Ya");
        apply(&mut unit, &rubric, i, v);
        let lane = evaluator_lane(&rubric, &unit, [value(&rubric, "P.MP.i.a", "")]);
        let found = disagreements(&rubric, &score(&rubric, &unit), &score(&rubric, &lane));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evaluator, None);
        assert!(found[0].points > 0.0);
    }

    #[test]
    fn decisions_follow_the_workflow_with_their_own_conditions() {
        assert_eq!(return_to_unit(S::Submitted, "Lengkapi SK"), Ok(S::Returned));
        assert_eq!(
            return_to_unit(S::Submitted, "  "),
            Err(DecisionRefusal::NoSummary)
        );
        assert_eq!(
            return_to_unit(S::Draft, "x"),
            Err(DecisionRefusal::Workflow(RefusalReason::NotSubmitted))
        );
        use FinalizeConfirmation as C;
        assert_eq!(
            finalize(S::Submitted, 0, C::Unreviewed(0)),
            Ok(S::Finalized)
        );
        assert_eq!(
            finalize(S::Submitted, 0, C::None),
            Err(DecisionRefusal::FinalizeUnconfirmed { unreviewed: 0 }),
            "an irreversible step is always confirmed"
        );
        assert_eq!(
            finalize(S::Submitted, 113, C::None),
            Err(DecisionRefusal::FinalizeUnconfirmed { unreviewed: 113 }),
            "nothing reviewed, one click: refused"
        );
        assert_eq!(
            finalize(S::Submitted, 5, C::Unreviewed(2)),
            Err(DecisionRefusal::FinalizeUnconfirmed { unreviewed: 5 }),
            "a confirmation for fewer open items is not one for more"
        );
        assert_eq!(
            finalize(S::Submitted, 5, C::Unreviewed(5)),
            Ok(S::Finalized)
        );
        assert_eq!(
            finalize(S::Draft, 0, C::Unreviewed(0)),
            Err(DecisionRefusal::Workflow(RefusalReason::NotSubmitted))
        );
        assert_eq!(propose(S::Finalized, true, false), Ok(S::Proposed));
        assert_eq!(
            propose(S::Finalized, false, false),
            Err(DecisionRefusal::FailsGates)
        );
        assert_eq!(propose(S::Finalized, false, true), Ok(S::Proposed));
        assert_eq!(
            propose(S::Submitted, true, true),
            Err(DecisionRefusal::Workflow(RefusalReason::NotFinalized))
        );
        assert_eq!(record_result(S::Proposed, true), Ok(S::Awarded));
        assert_eq!(record_result(S::Proposed, false), Ok(S::NotAwarded));
        assert_eq!(
            record_result(S::Finalized, true),
            Err(DecisionRefusal::Workflow(RefusalReason::NotProposed))
        );
    }

    #[test]
    fn review_is_open_only_while_submitted_and_the_unit_sees_it_after_a_return() {
        let open: Vec<_> = [
            S::Draft,
            S::Submitted,
            S::Returned,
            S::Finalized,
            S::Proposed,
        ]
        .into_iter()
        .filter(|s| review_open(*s))
        .collect();
        assert_eq!(open, [S::Submitted]);
        assert!(!unit_sees_review(S::Submitted, false));
        assert!(unit_sees_review(S::Submitted, true));
        assert!(unit_sees_review(S::Finalized, false));
        assert!(!unit_sees_review(S::Draft, false));
    }

    #[test]
    fn the_final_verdict_reads_the_gates_of_the_target() {
        let rubric = builtin_90_2021();
        let gates = builtin_gates_90_2021();
        let empty = FinalVerdict::of(&score(&rubric, &Answers::new()), &gates, false);
        assert!(!empty.passes(Predicate::Wbk));
        assert_eq!(empty.total, 0.0);
        let full = score(&rubric, &full_marks());
        let without_wbk = FinalVerdict::of(&full, &gates, false);
        assert!((without_wbk.total - 100.0).abs() < 1e-9);
        assert!(without_wbk.passes(Predicate::Wbk));
        assert!(!without_wbk.passes(Predicate::Wbbm), "WBBM needs WBK first");
        assert!(FinalVerdict::of(&full, &gates, true).passes(Predicate::Wbbm));
    }
}
