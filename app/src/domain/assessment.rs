//! One unit's assessment in one period: what it aims for, how a typed answer
//! becomes a checked value, and what submission requires.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use super::lke::{
    is_locked_for_unit, parse_decimal, scoring::question_value, transition, Answer, AnswerError,
    Answers, AssessmentState, HasilItemId, InputValue, ItemCode, Predicate, RefusalReason,
    RubricVersion, SurveyIndex, WorkflowEvent,
};
use super::period::Window;

/// The predicate an assessment aims for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Wbk,
    Wbbm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("the target is WBK or WBBM")]
pub struct BadTarget;

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Wbk => "wbk",
            Target::Wbbm => "wbbm",
        }
    }

    pub fn predicate(self) -> Predicate {
        match self {
            Target::Wbk => Predicate::Wbk,
            Target::Wbbm => Predicate::Wbbm,
        }
    }
}

impl FromStr for Target {
    type Err = BadTarget;
    fn from_str(s: &str) -> Result<Target, BadTarget> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wbk" => Ok(Target::Wbk),
            "wbbm" => Ok(Target::Wbbm),
            _ => Err(BadTarget),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checked value for one LKE item, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ItemValue {
    Choice(Answer),
    Number(InputValue),
    Index(SurveyIndex),
}

impl ItemValue {
    /// The stored spelling: the sheet's letter, or a number with a decimal point.
    pub fn to_stored(self) -> String {
        match self {
            ItemValue::Choice(answer) => answer.as_str().to_owned(),
            ItemValue::Number(n) => n.value().to_string(),
            ItemValue::Index(i) => i.value().to_string(),
        }
    }
}

/// Why a typed answer was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueProblem {
    #[error("not an item of this LKE")]
    UnknownItem,
    #[error("not one of the question's options")]
    NotAnOption,
    #[error("not a number")]
    NotANumber,
    #[error("outside the allowed range")]
    OutOfRange,
    /// A count (`Jumlah`) with a fraction: people and documents come whole.
    #[error("a count is a whole number")]
    NotWhole,
    #[error("computed from its inputs")]
    Computed,
}

/// Parses what a user typed or picked for `item`; an empty string clears it.
/// Every `Jumlah` input counts people, documents or complaints, so a typed
/// count must be whole (stored values of earlier versions still load).
pub fn parse_item_value(
    rubric: &RubricVersion,
    item: ItemCode,
    raw: &str,
) -> Result<Option<ItemValue>, ValueProblem> {
    let value = parse_into(&mut Answers::new(), rubric, item, raw)?;
    match value {
        Some(ItemValue::Number(n)) if n.value().fract() != 0.0 => Err(ValueProblem::NotWhole),
        other => Ok(other),
    }
}

/// Parses `raw` for `item` and, when it is a value, puts it into `probe`
/// (which checks it against the rubric on the way).
fn parse_into(
    probe: &mut Answers,
    rubric: &RubricVersion,
    item: ItemCode,
    raw: &str,
) -> Result<Option<ItemValue>, ValueProblem> {
    let raw = raw.trim();
    match item {
        ItemCode::Question(code) => {
            let question = rubric.question(code).ok_or(ValueProblem::UnknownItem)?;
            if !question.answer_type.is_choice() {
                return Err(ValueProblem::Computed);
            }
            if raw.is_empty() {
                return Ok(None);
            }
            let answer = Answer::parse_lenient(raw).ok_or(ValueProblem::NotAnOption)?;
            probe
                .set_choice(rubric, code, Some(answer))
                .map_err(answer_problem)?;
            Ok(Some(ItemValue::Choice(answer)))
        }
        ItemCode::Input(code) => {
            if raw.is_empty() {
                probe
                    .set_input(rubric, code, None)
                    .map_err(answer_problem)?;
                return Ok(None);
            }
            let number = parse_decimal(raw).map_err(|_| ValueProblem::NotANumber)?;
            let value = InputValue::new(number).map_err(|_| ValueProblem::OutOfRange)?;
            probe
                .set_input(rubric, code, Some(value))
                .map_err(answer_problem)?;
            Ok(Some(ItemValue::Number(value)))
        }
        ItemCode::Hasil(HasilItemId::Capaian) => {
            if raw.is_empty() {
                return Ok(None);
            }
            let answer = Answer::parse_lenient(raw).ok_or(ValueProblem::NotAnOption)?;
            probe
                .set_capaian(Some(answer))
                .map_err(|_| ValueProblem::NotAnOption)?;
            Ok(Some(ItemValue::Choice(answer)))
        }
        ItemCode::Hasil(HasilItemId::Ipak | HasilItemId::Ipkp) => {
            if raw.is_empty() {
                return Ok(None);
            }
            let number = parse_decimal(raw).map_err(|_| ValueProblem::NotANumber)?;
            let index = SurveyIndex::new(number).map_err(|_| ValueProblem::OutOfRange)?;
            if item == ItemCode::Hasil(HasilItemId::Ipak) {
                probe.set_ipak(Some(index));
            } else {
                probe.set_ipkp(Some(index));
            }
            Ok(Some(ItemValue::Index(index)))
        }
    }
}

fn answer_problem(err: AnswerError) -> ValueProblem {
    match err {
        AnswerError::UnknownQuestion(_) | AnswerError::UnknownInput(_) => ValueProblem::UnknownItem,
        AnswerError::ComputedQuestion(_) | AnswerError::DerivedInput(_) => ValueProblem::Computed,
        AnswerError::NotAnOption { .. } | AnswerError::InvalidCapaian(_) => {
            ValueProblem::NotAnOption
        }
    }
}

/// Puts a checked value (or its absence) into the answers the engine scores.
pub fn apply(
    answers: &mut Answers,
    rubric: &RubricVersion,
    item: ItemCode,
    value: Option<ItemValue>,
) {
    let ignored = match (item, value) {
        (ItemCode::Question(code), Some(ItemValue::Choice(a))) => {
            answers.set_choice(rubric, code, Some(a)).err()
        }
        (ItemCode::Question(code), None) => answers.set_choice(rubric, code, None).err(),
        (ItemCode::Input(code), Some(ItemValue::Number(n))) => {
            answers.set_input(rubric, code, Some(n)).err()
        }
        (ItemCode::Input(code), None) => answers.set_input(rubric, code, None).err(),
        (ItemCode::Hasil(HasilItemId::Capaian), Some(ItemValue::Choice(a))) => {
            answers.set_capaian(Some(a)).err()
        }
        (ItemCode::Hasil(HasilItemId::Capaian), None) => answers.set_capaian(None).err(),
        (ItemCode::Hasil(HasilItemId::Ipak), Some(ItemValue::Index(i))) => {
            answers.set_ipak(Some(i));
            None
        }
        (ItemCode::Hasil(HasilItemId::Ipak), None) => {
            answers.set_ipak(None);
            None
        }
        (ItemCode::Hasil(HasilItemId::Ipkp), Some(ItemValue::Index(i))) => {
            answers.set_ipkp(Some(i));
            None
        }
        (ItemCode::Hasil(HasilItemId::Ipkp), None) => {
            answers.set_ipkp(None);
            None
        }
        _ => None,
    };
    debug_assert!(
        ignored.is_none(),
        "apply got an unchecked value: {ignored:?}"
    );
}

/// Rebuilds the answers from stored `(item, value)` pairs; a value the rubric
/// no longer accepts counts as not filled, as in the sheet.
pub fn answers_from_stored<'a>(
    rubric: &RubricVersion,
    stored: impl IntoIterator<Item = (ItemCode, &'a str)>,
) -> Answers {
    let mut answers = Answers::new();
    for (item, raw) in stored {
        // Parsed straight into the answers: no value is checked twice.
        parse_into(&mut answers, rubric, item, raw).ok();
    }
    answers
}

/// Every item a user can fill, with its value in the stored spelling (`None`
/// when empty): choice questions, entered counts of % questions, and the
/// Hasil items. The inverse of [`answers_from_stored`].
pub fn stored_values(
    rubric: &RubricVersion,
    answers: &Answers,
) -> std::collections::BTreeMap<ItemCode, Option<String>> {
    let mut out = std::collections::BTreeMap::new();
    for question in rubric.questions() {
        if question.answer_type.is_choice() {
            let value = answers.choice(question.code).map(ItemValue::Choice);
            out.insert(ItemCode::Question(question.code), value);
        }
        for input in &question.inputs {
            if matches!(input.kind, super::lke::InputKind::Entered) {
                let value = answers.input(input.code).map(ItemValue::Number);
                out.insert(ItemCode::Input(input.code), value);
            }
        }
    }
    let hasil = answers.hasil();
    out.insert(
        ItemCode::Hasil(HasilItemId::Ipak),
        hasil.ipak.map(ItemValue::Index),
    );
    out.insert(
        ItemCode::Hasil(HasilItemId::Capaian),
        hasil.capaian.map(ItemValue::Choice),
    );
    out.insert(
        ItemCode::Hasil(HasilItemId::Ipkp),
        hasil.ipkp.map(ItemValue::Index),
    );
    out.into_iter()
        .map(|(item, value)| (item, value.map(ItemValue::to_stored)))
        .collect()
}

/// The items a submission is judged on: every question and the Hasil items.
pub fn scored_items(rubric: &RubricVersion) -> impl Iterator<Item = ItemCode> + '_ {
    rubric
        .questions()
        .map(|q| ItemCode::Question(q.code))
        .chain(HasilItemId::ALL.into_iter().map(ItemCode::Hasil))
}

fn is_answered(rubric: &RubricVersion, answers: &Answers, item: ItemCode) -> bool {
    match item {
        ItemCode::Question(code) => rubric
            .question(code)
            .is_some_and(|q| question_value(q, answers).is_answered()),
        ItemCode::Input(code) => answers.input(code).is_some(),
        ItemCode::Hasil(HasilItemId::Ipak) => answers.hasil().ipak.is_some(),
        ItemCode::Hasil(HasilItemId::Capaian) => answers.hasil().capaian.is_some(),
        ItemCode::Hasil(HasilItemId::Ipkp) => answers.hasil().ipkp.is_some(),
    }
}

/// What is still missing before a submission, in LKE order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gaps {
    pub unanswered: Vec<ItemCode>,
    pub without_evidence: Vec<ItemCode>,
}

impl Gaps {
    pub fn is_empty(&self) -> bool {
        self.unanswered.is_empty() && self.without_evidence.is_empty()
    }
}

pub fn gaps(rubric: &RubricVersion, answers: &Answers, evidenced: &BTreeSet<ItemCode>) -> Gaps {
    let mut gaps = Gaps::default();
    for item in scored_items(rubric) {
        if !is_answered(rubric, answers, item) {
            gaps.unanswered.push(item);
        }
        if !evidenced.contains(&item) {
            gaps.without_evidence.push(item);
        }
    }
    gaps
}

/// Share of scored items with at least one evidence file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub with_evidence: u32,
    pub total: u32,
}

impl Coverage {
    /// Items without an evidence file.
    pub fn missing(self) -> u32 {
        self.total.saturating_sub(self.with_evidence)
    }
}

pub fn coverage(
    items: impl IntoIterator<Item = ItemCode>,
    evidenced: &BTreeSet<ItemCode>,
) -> Coverage {
    let mut out = Coverage {
        with_evidence: 0,
        total: 0,
    };
    for item in items {
        out.total += 1;
        if evidenced.contains(&item) {
            out.with_evidence += 1;
        }
    }
    out
}

/// Why the unit may not submit now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SubmitRefusal {
    #[error("the self-assessment window has not opened yet")]
    WindowNotOpen,
    #[error("the self-assessment window has closed")]
    WindowClosed,
    #[error("the LKE has gaps and the unit did not confirm")]
    Unconfirmed,
    #[error("refused by the workflow: {0:?}")]
    Workflow(RefusalReason),
}

/// Decides a submission: the state must allow it, the window must be open, and
/// gaps need the unit's explicit confirmation.
pub fn submit(
    state: AssessmentState,
    window: Window,
    gaps: &Gaps,
    confirmed: bool,
) -> Result<AssessmentState, SubmitRefusal> {
    let next = transition(state, WorkflowEvent::Submit)
        .map_err(|err| SubmitRefusal::Workflow(err.reason))?;
    match window {
        Window::NotYetOpen { .. } => return Err(SubmitRefusal::WindowNotOpen),
        Window::Closed { .. } => return Err(SubmitRefusal::WindowClosed),
        Window::Open { .. } => {}
    }
    if !gaps.is_empty() && !confirmed {
        return Err(SubmitRefusal::Unconfirmed);
    }
    Ok(next)
}

/// Why the unit may not change its answers and evidence now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditBlock {
    /// Submitted (or further along): only the evaluators act now.
    Locked,
    /// A draft whose self-assessment window has not opened yet.
    NotYetOpen,
    /// A draft whose self-assessment window (with any extension) has closed.
    WindowClosed,
}

/// Whether the unit may change answers and evidence: never once submitted, and
/// a draft only inside its self-assessment window. A returned assessment stays
/// open for the corrections the evaluators asked for, whatever the date.
pub fn unit_may_edit(state: AssessmentState, window: Window) -> Result<(), EditBlock> {
    if is_locked_for_unit(state) {
        return Err(EditBlock::Locked);
    }
    match (state, window) {
        (AssessmentState::Draft, Window::NotYetOpen { .. }) => Err(EditBlock::NotYetOpen),
        (AssessmentState::Draft, Window::Closed { .. }) => Err(EditBlock::WindowClosed),
        _ => Ok(()),
    }
}

/// Longest note the unit may write on one item.
pub const MAX_NOTE_CHARS: usize = 4000;

/// Where an assessment stands for its unit today, for the home page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// The unit can work on it now.
    Open,
    /// With the evaluators or further along, this year.
    InReview,
    /// Its window opens later (next year's draft).
    Upcoming,
    /// A closed draft, or an earlier year's.
    Past,
}

/// The standing of an assessment of `year` in `state`, whose self-assessment
/// window stands at `window`, in the year `this_year`.
pub fn standing(state: AssessmentState, window: Window, year: i32, this_year: i32) -> Standing {
    match unit_may_edit(state, window) {
        Ok(()) => Standing::Open,
        Err(EditBlock::NotYetOpen) => Standing::Upcoming,
        Err(EditBlock::Locked) if year >= this_year => Standing::InReview,
        Err(_) => Standing::Past,
    }
}

/// What one item still lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lacks {
    pub answer: bool,
    pub evidence: bool,
    /// The evaluators marked it for correction.
    pub correction: bool,
}

impl Lacks {
    pub fn shown_by(self, filter: MissingFilter) -> bool {
        match filter {
            MissingFilter::All => self.answer || self.evidence || self.correction,
            MissingFilter::Unanswered => self.answer,
            MissingFilter::NoEvidence => self.evidence,
            MissingFilter::ToMend => self.correction,
        }
    }
}

/// Which of the items that lack something a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingFilter {
    #[default]
    All,
    Unanswered,
    NoEvidence,
    ToMend,
}

impl MissingFilter {
    pub const ALL: [MissingFilter; 4] = [
        MissingFilter::All,
        MissingFilter::Unanswered,
        MissingFilter::NoEvidence,
        MissingFilter::ToMend,
    ];

    /// From the list's address (`?show=…`); anything else shows everything.
    pub fn parse(raw: &str) -> Self {
        MissingFilter::ALL
            .into_iter()
            .find(|f| f.as_str() == raw)
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MissingFilter::All => "all",
            MissingFilter::Unanswered => "unanswered",
            MissingFilter::NoEvidence => "no_evidence",
            MissingFilter::ToMend => "to_mend",
        }
    }
}

/// Every item that lacks an answer, evidence or a correction, in LKE order.
pub fn missing(
    rubric: &RubricVersion,
    answers: &Answers,
    evidenced: &BTreeSet<ItemCode>,
    to_mend: &BTreeSet<ItemCode>,
) -> Vec<(ItemCode, Lacks)> {
    scored_items(rubric)
        .map(|item| {
            let lacks = Lacks {
                answer: !is_answered(rubric, answers, item),
                evidence: !evidenced.contains(&item),
                correction: to_mend.contains(&item),
            };
            (item, lacks)
        })
        .filter(|(_, lacks)| lacks.shown_by(MissingFilter::All))
        .collect()
}

/// How far a unit has come on an assessment, for its home page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub answered: u32,
    pub with_evidence: u32,
    pub total: u32,
    /// Items the evaluators marked for correction when they returned it.
    pub to_mend: u32,
}

impl Progress {
    pub fn of(gaps: &Gaps, total: u32, to_mend: u32) -> Self {
        let count = |items: &[ItemCode]| u32::try_from(items.len()).unwrap_or(u32::MAX);
        Progress {
            answered: total.saturating_sub(count(&gaps.unanswered)),
            with_evidence: total.saturating_sub(count(&gaps.without_evidence)),
            total,
            to_mend,
        }
    }
}

/// What the unit does next on an assessment, said on its home page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Returned by the evaluators: mend what they marked, then send it again.
    Mend { items: u32 },
    /// Answer the questions, from the first one still open.
    Answer { left: u32, first: ItemCode },
    /// Every question is answered; add evidence, from the first item without.
    AddEvidence { left: u32, first: ItemCode },
    /// Complete: send it to the evaluators.
    Submit,
    /// The window has not opened yet.
    WaitForWindow,
    /// With the evaluators, or further along: nothing for the unit to do.
    WaitForReview,
    /// The window closed before it was sent.
    Missed,
}

/// The next step of an assessment in `state`, its window standing at
/// `window`, with these gaps and `to_mend` items marked by the evaluators.
pub fn next_step(state: AssessmentState, window: Window, gaps: &Gaps, to_mend: u32) -> NextStep {
    let left = |items: &[ItemCode]| u32::try_from(items.len()).unwrap_or(u32::MAX);
    match unit_may_edit(state, window) {
        Err(EditBlock::Locked) => NextStep::WaitForReview,
        Err(EditBlock::NotYetOpen) => NextStep::WaitForWindow,
        Err(EditBlock::WindowClosed) => NextStep::Missed,
        Ok(()) if state == AssessmentState::Returned && to_mend > 0 => {
            NextStep::Mend { items: to_mend }
        }
        Ok(()) => match (gaps.unanswered.first(), gaps.without_evidence.first()) {
            (Some(first), _) => NextStep::Answer {
                left: left(&gaps.unanswered),
                first: *first,
            },
            (None, Some(first)) => NextStep::AddEvidence {
                left: left(&gaps.without_evidence),
                first: *first,
            },
            (None, None) => NextStep::Submit,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lke::builtin_90_2021_ref;
    use crate::domain::period::Day;

    fn item(code: &str) -> ItemCode {
        code.parse().unwrap()
    }

    #[test]
    fn stored_values_round_trip_through_answers_from_stored() {
        let rubric = builtin_90_2021_ref();
        for answers in [
            crate::domain::lke::testkit::full_marks(),
            crate::domain::lke::testkit::mediocre(),
            Answers::new(),
        ] {
            let stored = stored_values(rubric, &answers);
            let filled = stored
                .iter()
                .filter_map(|(item, value)| Some((*item, value.as_deref()?)));
            assert_eq!(answers_from_stored(rubric, filled), answers);
            assert!(
                stored
                    .keys()
                    .all(|item| parse_item_value(rubric, *item, "").is_ok()),
                "every listed item can be typed (no computed question)"
            );
        }
    }

    #[test]
    fn typed_answers_are_parsed_against_the_rubric() {
        let r = builtin_90_2021_ref();
        assert_eq!(
            parse_item_value(r, item("P.MP.i.b"), " b "),
            Ok(Some(ItemValue::Choice(Answer::B)))
        );
        assert_eq!(parse_item_value(r, item("P.MP.i.b"), ""), Ok(None));
        assert_eq!(
            parse_item_value(r, item("P.MP.i.b"), "Ya"),
            Err(ValueProblem::NotAnOption)
        );
        assert_eq!(
            parse_item_value(r, item("R.MP.i.a"), "A"),
            Err(ValueProblem::Computed)
        );
        assert_eq!(
            parse_item_value(r, item("R.MP.i.a.1"), "12")
                .unwrap()
                .map(ItemValue::to_stored),
            Some("12".to_owned())
        );
        for fraction in ["12,5", "3.5", "0,1"] {
            assert_eq!(
                parse_item_value(r, item("R.MP.i.a.1"), fraction),
                Err(ValueProblem::NotWhole),
                "{fraction}: a count of people is whole"
            );
        }
        assert_eq!(
            parse_item_value(r, item("R.MP.i.a.1"), "abc"),
            Err(ValueProblem::NotANumber)
        );
        assert_eq!(
            parse_item_value(r, item("R.MP.i.a.1"), "-1"),
            Err(ValueProblem::OutOfRange)
        );
        assert_eq!(
            parse_item_value(r, item("R.MP.i.a.1"), "dua"),
            Err(ValueProblem::NotANumber)
        );
        assert_eq!(
            parse_item_value(r, item("H.I.a"), "3,45")
                .unwrap()
                .map(ItemValue::to_stored),
            Some("3.45".to_owned())
        );
        assert_eq!(
            parse_item_value(r, item("H.I.a"), "4.5"),
            Err(ValueProblem::OutOfRange)
        );
        assert_eq!(
            parse_item_value(r, item("H.I.b"), "Ya"),
            Err(ValueProblem::NotAnOption)
        );
        assert_eq!(
            parse_item_value(r, item("P.MP.i.z"), "A"),
            Err(ValueProblem::UnknownItem)
        );
    }

    #[test]
    fn stored_answers_score_like_typed_ones() {
        let r = builtin_90_2021_ref();
        let answers = answers_from_stored(
            r,
            [
                (item("P.MP.i.b"), "A"),
                (item("H.I.a"), "3.5"),
                (item("H.I.b"), "B"),
                (item("R.MP.i.a"), "A"),
                (item("P.MP.i.c"), "Z"),
            ],
        );
        assert_eq!(answers.choice("P.MP.i.b".parse().unwrap()), Some(Answer::A));
        assert_eq!(answers.hasil().ipak.map(SurveyIndex::value), Some(3.5));
        assert_eq!(answers.hasil().capaian, Some(Answer::B));
        assert_eq!(answers.choices().len(), 1);
    }

    #[test]
    fn gaps_list_unanswered_and_unproven_items() {
        let r = builtin_90_2021_ref();
        let total = scored_items(r).count();
        assert_eq!(total, r.scored_item_count());
        let mut answers = Answers::new();
        let first = item("P.MP.i.b");
        apply(&mut answers, r, first, Some(ItemValue::Choice(Answer::A)));
        let evidenced = BTreeSet::from([first]);
        let gaps = gaps(r, &answers, &evidenced);
        assert_eq!(gaps.unanswered.len(), total - 1);
        assert!(!gaps.unanswered.contains(&first));
        assert_eq!(gaps.without_evidence.len(), total - 1);
        assert_eq!(
            coverage(scored_items(r), &evidenced),
            Coverage {
                with_evidence: 1,
                total: u32::try_from(total).unwrap()
            }
        );
    }

    #[test]
    fn submission_needs_an_open_window_and_confirmed_gaps() {
        let day = |s: &str| s.parse::<Day>().unwrap();
        let (start, end) = (day("2026-01-01"), day("2026-03-31"));
        let open = Window::at(day("2026-02-01"), start, end);
        let closed = Window::at(day("2026-04-01"), start, end);
        let gaps = Gaps {
            unanswered: vec![item("P.MP.i.b")],
            without_evidence: vec![],
        };
        let none = Gaps::default();
        use AssessmentState as S;
        assert_eq!(submit(S::Draft, open, &none, false), Ok(S::Submitted));
        assert_eq!(submit(S::Returned, open, &gaps, true), Ok(S::Submitted));
        assert_eq!(
            submit(S::Draft, open, &gaps, false),
            Err(SubmitRefusal::Unconfirmed)
        );
        assert_eq!(
            submit(S::Draft, closed, &none, true),
            Err(SubmitRefusal::WindowClosed)
        );
        assert_eq!(
            submit(S::Submitted, open, &none, true),
            Err(SubmitRefusal::Workflow(RefusalReason::AlreadySubmitted))
        );
        let early = Window::at(day("2025-11-01"), start, end);
        assert_eq!(
            submit(S::Draft, early, &none, true),
            Err(SubmitRefusal::WindowNotOpen)
        );
    }

    #[test]
    fn the_open_assessment_comes_before_next_years_and_last_years() {
        let day = |s: &str| s.parse::<Day>().unwrap();
        let today = day("2026-12-01");
        let window = |start: &str, end: &str| Window::at(today, day(start), day(end));
        use AssessmentState as S;
        let this_year = window("2026-01-01", "2026-12-31");
        let next_year = window("2028-01-01", "2028-03-31");
        let last_year = window("2025-01-01", "2025-03-31");
        let mut list = [
            standing(S::Draft, next_year, 2028, 2026),
            standing(S::Awarded, last_year, 2025, 2026),
            standing(S::Draft, this_year, 2026, 2026),
            standing(S::Submitted, this_year, 2026, 2026),
        ];
        list.sort();
        assert_eq!(
            list,
            [
                Standing::Open,
                Standing::InReview,
                Standing::Upcoming,
                Standing::Past
            ]
        );
    }

    #[test]
    fn a_draft_is_editable_only_inside_its_window_and_a_returned_one_always() {
        let day = |s: &str| s.parse::<Day>().unwrap();
        let (start, end) = (day("2027-01-01"), day("2027-03-31"));
        let at = |today: &str| Window::at(day(today), start, end);
        use AssessmentState as S;
        assert_eq!(unit_may_edit(S::Draft, at("2027-02-01")), Ok(()));
        assert_eq!(
            unit_may_edit(S::Draft, at("2026-12-01")),
            Err(EditBlock::NotYetOpen),
            "a future year's draft waits for its window"
        );
        assert_eq!(
            unit_may_edit(S::Draft, at("2027-04-01")),
            Err(EditBlock::WindowClosed)
        );
        assert_eq!(unit_may_edit(S::Returned, at("2027-05-01")), Ok(()));
        for locked in [S::Submitted, S::Finalized, S::Proposed, S::Awarded] {
            assert_eq!(
                unit_may_edit(locked, at("2027-02-01")),
                Err(EditBlock::Locked)
            );
        }
    }

    fn gaps_of(unanswered: &[&str], without_evidence: &[&str]) -> Gaps {
        let codes = |list: &[&str]| list.iter().map(|c| c.parse().expect("a code")).collect();
        Gaps {
            unanswered: codes(unanswered),
            without_evidence: codes(without_evidence),
        }
    }

    #[test]
    fn the_next_step_follows_the_state_the_window_and_the_gaps() {
        use AssessmentState::*;
        let open = Window::Open { days_left: 20 };
        let half = gaps_of(&["P.MP.i.b", "P.MP.ii.a"], &["P.MP.i.a", "P.MP.i.b"]);
        assert_eq!(
            next_step(Draft, open, &half, 0),
            NextStep::Answer {
                left: 2,
                first: "P.MP.i.b".parse().expect("code")
            }
        );
        let answered = gaps_of(&[], &["P.TT.i.a"]);
        assert_eq!(
            next_step(Draft, open, &answered, 0),
            NextStep::AddEvidence {
                left: 1,
                first: "P.TT.i.a".parse().expect("code")
            }
        );
        assert_eq!(
            next_step(Draft, open, &Gaps::default(), 0),
            NextStep::Submit
        );
        assert_eq!(
            next_step(Returned, Window::Closed { closed_days_ago: 3 }, &half, 4),
            NextStep::Mend { items: 4 },
            "a returned assessment is mended whatever the date"
        );
        assert_eq!(
            next_step(Returned, open, &Gaps::default(), 0),
            NextStep::Submit,
            "nothing marked: send it again"
        );
        assert_eq!(
            next_step(Draft, Window::NotYetOpen { opens_in_days: 30 }, &half, 0),
            NextStep::WaitForWindow
        );
        assert_eq!(
            next_step(Draft, Window::Closed { closed_days_ago: 1 }, &half, 0),
            NextStep::Missed
        );
        for state in [Submitted, Finalized, Proposed, Awarded, NotAwarded] {
            assert_eq!(
                next_step(state, open, &half, 0),
                NextStep::WaitForReview,
                "{state:?}"
            );
        }
    }

    #[test]
    fn progress_counts_what_is_done_of_every_item() {
        let progress = Progress::of(
            &gaps_of(&["P.MP.i.b"], &["P.MP.i.a", "P.MP.i.b", "P.TT.i.a"]),
            113,
            2,
        );
        assert_eq!(
            progress,
            Progress {
                answered: 112,
                with_evidence: 110,
                total: 113,
                to_mend: 2
            }
        );
    }

    #[test]
    fn the_missing_list_names_what_each_item_lacks_and_filters_by_it() {
        let rubric = builtin_90_2021_ref();
        let mut answers = Answers::new();
        let first: ItemCode = "P.MP.i.a".parse().expect("code");
        let ItemCode::Question(q) = first else {
            panic!("a question")
        };
        answers
            .set_choice(rubric, q, Some(Answer::Ya))
            .expect("Ya answers P.MP.i.a");
        let evidenced: BTreeSet<ItemCode> = [first].into();
        let to_mend: BTreeSet<ItemCode> = [first, "P.MP.i.b".parse().expect("code")].into();
        let list = missing(rubric, &answers, &evidenced, &to_mend);
        let total = scored_items(rubric).count();
        assert_eq!(
            list.len(),
            total,
            "the first lacks a correction, every other item more"
        );
        assert_eq!(
            list[0],
            (
                first,
                Lacks {
                    answer: false,
                    evidence: false,
                    correction: true
                }
            )
        );
        let count = |filter| list.iter().filter(|(_, l)| l.shown_by(filter)).count();
        assert_eq!(count(MissingFilter::ToMend), 2);
        assert_eq!(count(MissingFilter::Unanswered), total - 1);
        assert_eq!(count(MissingFilter::NoEvidence), total - 1);
        assert!(missing(
            rubric,
            &answers,
            &scored_items(rubric).collect(),
            &BTreeSet::new()
        )
        .iter()
        .all(|(_, l)| l.answer && !l.evidence));
        for filter in MissingFilter::ALL {
            assert_eq!(MissingFilter::parse(filter.as_str()), filter);
        }
        assert_eq!(MissingFilter::parse("<script>"), MissingFilter::All);
    }
}
