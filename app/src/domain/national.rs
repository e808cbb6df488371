//! The national stages after a proposal (PortalRB, PermenPANRB 90/2021
//! Lampiran II): administrative selection, the one-time sanggah, document
//! review, interview, field verification, the panel, and the final result.
//! Each stage recorded for an assessment is kept (append-only); the current
//! stage is the latest. Pure: the server stores the stages and asks
//! [`admit`] before it writes one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::assessment::Target;
use super::lke::{AssessmentState, Predicate};
use super::period::Day;

/// The longest note on a stage.
pub const MAX_NOTES_CHARS: usize = 4000;
/// The longest decree number.
pub const MAX_DECREE_CHARS: usize = 200;
/// The longest evidence link a sanggah cites, and how many it may cite.
pub const MAX_LINK_CHARS: usize = 500;
pub const MAX_LINKS: usize = 20;

/// The kinds of stage, in the order the national evaluation runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    AdministrativeSelection,
    Sanggah,
    DocumentReview,
    Interview,
    FieldVerification,
    Panel,
    FinalResult,
}

impl StageKind {
    pub const ALL: [StageKind; 7] = [
        StageKind::AdministrativeSelection,
        StageKind::Sanggah,
        StageKind::DocumentReview,
        StageKind::Interview,
        StageKind::FieldVerification,
        StageKind::Panel,
        StageKind::FinalResult,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::AdministrativeSelection => "administrative_selection",
            StageKind::Sanggah => "sanggah",
            StageKind::DocumentReview => "document_review",
            StageKind::Interview => "interview",
            StageKind::FieldVerification => "field_verification",
            StageKind::Panel => "panel",
            StageKind::FinalResult => "final_result",
        }
    }
}

/// Not one of the names of [`StageKind`], [`SelectionOutcome`] or [`SanggahOutcome`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown name")]
pub struct UnknownName;

impl FromStr for StageKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        StageKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(UnknownName)
    }
}

impl fmt::Display for StageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the administrative selection decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionOutcome {
    Lulus,
    LulusDenganCatatan,
    TidakLulus,
}

impl SelectionOutcome {
    pub const ALL: [SelectionOutcome; 3] = [
        SelectionOutcome::Lulus,
        SelectionOutcome::LulusDenganCatatan,
        SelectionOutcome::TidakLulus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SelectionOutcome::Lulus => "lulus",
            SelectionOutcome::LulusDenganCatatan => "lulus_dengan_catatan",
            SelectionOutcome::TidakLulus => "tidak_lulus",
        }
    }

    pub fn passed(self) -> bool {
        self != SelectionOutcome::TidakLulus
    }
}

impl FromStr for SelectionOutcome {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        SelectionOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or(UnknownName)
    }
}

/// What the national team decided on a sanggah.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanggahOutcome {
    /// Accepted: the unit goes on as if it had passed the selection.
    Diterima,
    /// Refused: the unit's national path ends.
    Ditolak,
}

impl SanggahOutcome {
    pub const ALL: [SanggahOutcome; 2] = [SanggahOutcome::Diterima, SanggahOutcome::Ditolak];

    pub fn as_str(self) -> &'static str {
        match self {
            SanggahOutcome::Diterima => "diterima",
            SanggahOutcome::Ditolak => "ditolak",
        }
    }
}

impl FromStr for SanggahOutcome {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        SanggahOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or(UnknownName)
    }
}

/// Free text on a stage: trimmed, at most [`MAX_NOTES_CHARS`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Notes(String);

impl Notes {
    pub fn parse(raw: &str) -> Result<Notes, StageProblem> {
        let text = raw.trim();
        if text.chars().count() > MAX_NOTES_CHARS {
            return Err(StageProblem::TooLong);
        }
        Ok(Notes(text.to_owned()))
    }

    /// Notes read back from storage, parsed when they were written.
    pub fn stored(text: String) -> Notes {
        Notes(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The number of the decree that records the final result: one line, not
/// empty, at most [`MAX_DECREE_CHARS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Decree(String);

impl Decree {
    pub fn parse(raw: &str) -> Result<Decree, StageProblem> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(StageProblem::Required);
        }
        if text.chars().count() > MAX_DECREE_CHARS {
            return Err(StageProblem::TooLong);
        }
        if text.chars().any(char::is_control) {
            return Err(StageProblem::OneLine);
        }
        Ok(Decree(text.to_owned()))
    }

    /// A decree read back from storage (a result recorded before the stages
    /// existed may have none).
    pub fn stored(text: String) -> Decree {
        Decree(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A link to evidence that a sanggah cites: `http://` or `https://`, with a
/// host, no blanks, quotes or angle brackets, at most [`MAX_LINK_CHARS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EvidenceLink(String);

impl EvidenceLink {
    pub fn parse(raw: &str) -> Result<EvidenceLink, StageProblem> {
        let text = raw.trim();
        if text.chars().count() > MAX_LINK_CHARS {
            return Err(StageProblem::TooLong);
        }
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or(StageProblem::Link)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let odd = |c: char| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c);
        if host.is_empty() || text.chars().any(odd) {
            return Err(StageProblem::Link);
        }
        Ok(EvidenceLink(text.to_owned()))
    }

    pub fn stored(text: String) -> EvidenceLink {
        EvidenceLink(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The links of a sanggah, one per line (blank lines ignored): at least one,
/// at most [`MAX_LINKS`].
pub fn parse_links(raw: &str) -> Result<Vec<EvidenceLink>, StageProblem> {
    let links = raw
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(EvidenceLink::parse)
        .collect::<Result<Vec<_>, _>>()?;
    match links.len() {
        0 => Err(StageProblem::Required),
        n if n > MAX_LINKS => Err(StageProblem::TooMany),
        _ => Ok(links),
    }
}

/// A range of calendar days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub start: Day,
    pub end: Day,
}

impl DayRange {
    pub fn new(start: Day, end: Day) -> Option<DayRange> {
        (start <= end).then_some(DayRange { start, end })
    }

    pub fn contains(self, day: Day) -> bool {
        self.start <= day && day <= self.end
    }
}

/// One recorded stage of the national evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stage {
    AdministrativeSelection {
        outcome: SelectionOutcome,
        on: Day,
        notes: Notes,
    },
    /// The one objection a unit may file against a failed selection, within
    /// the window the national team opened, citing its evidence.
    Sanggah {
        window: DayRange,
        filed_on: Day,
        links: Vec<EvidenceLink>,
        outcome: SanggahOutcome,
        notes: Notes,
    },
    DocumentReview {
        on: Day,
        notes: Notes,
    },
    Interview {
        on: Day,
        notes: Notes,
    },
    FieldVerification {
        on: Day,
        notes: Notes,
    },
    Panel {
        on: Day,
        notes: Notes,
    },
    /// The predicate awarded (or none) and the decree that says so.
    FinalResult {
        predicate: Option<Predicate>,
        decree: Decree,
        on: Day,
    },
}

impl Stage {
    pub fn kind(&self) -> StageKind {
        match self {
            Stage::AdministrativeSelection { .. } => StageKind::AdministrativeSelection,
            Stage::Sanggah { .. } => StageKind::Sanggah,
            Stage::DocumentReview { .. } => StageKind::DocumentReview,
            Stage::Interview { .. } => StageKind::Interview,
            Stage::FieldVerification { .. } => StageKind::FieldVerification,
            Stage::Panel { .. } => StageKind::Panel,
            Stage::FinalResult { .. } => StageKind::FinalResult,
        }
    }

    /// The day the stage happened: the announcement, the filing of the
    /// sanggah, the meeting or visit, the decree.
    pub fn day(&self) -> Day {
        match self {
            Stage::AdministrativeSelection { on, .. }
            | Stage::DocumentReview { on, .. }
            | Stage::Interview { on, .. }
            | Stage::FieldVerification { on, .. }
            | Stage::Panel { on, .. }
            | Stage::FinalResult { on, .. } => *on,
            Stage::Sanggah { filed_on, .. } => *filed_on,
        }
    }

    /// The notes written on the stage (a final result has none).
    pub fn notes(&self) -> Option<&Notes> {
        match self {
            Stage::AdministrativeSelection { notes, .. }
            | Stage::Sanggah { notes, .. }
            | Stage::DocumentReview { notes, .. }
            | Stage::Interview { notes, .. }
            | Stage::FieldVerification { notes, .. }
            | Stage::Panel { notes, .. } => Some(notes),
            Stage::FinalResult { .. } => None,
        }
    }

    /// How far this stage takes a unit on the dashboard's funnel.
    pub fn step(&self) -> Option<NationalStep> {
        match self {
            Stage::AdministrativeSelection { outcome, .. } => {
                outcome.passed().then_some(NationalStep::SelectionPassed)
            }
            Stage::Sanggah { outcome, .. } => {
                (*outcome == SanggahOutcome::Diterima).then_some(NationalStep::SelectionPassed)
            }
            Stage::DocumentReview { .. } => Some(NationalStep::DocumentReview),
            Stage::Interview { .. } => Some(NationalStep::Interview),
            Stage::FieldVerification { .. } => Some(NationalStep::FieldVerification),
            Stage::Panel { .. } => Some(NationalStep::Panel),
            Stage::FinalResult { predicate, .. } => {
                predicate.is_some().then_some(NationalStep::Predicate)
            }
        }
    }
}

/// The steps of the dashboard's funnel after the proposal, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalStep {
    SelectionPassed,
    DocumentReview,
    Interview,
    FieldVerification,
    Panel,
    Predicate,
}

/// The furthest step of the funnel an assessment's stages reached.
pub fn furthest_step<'a>(history: impl IntoIterator<Item = &'a Stage>) -> Option<NationalStep> {
    history.into_iter().filter_map(Stage::step).max()
}

/// Why a national path is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The final result is recorded.
    Decided,
    /// The selection failed and the sanggah was refused.
    Failed,
}

/// What may be recorded next on an assessment's national path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "next", content = "stage", rename_all = "snake_case")]
pub enum Next {
    Stage(StageKind),
    Ended(Ending),
}

/// The stage that follows `history` (oldest first): the selection first; a
/// failed selection only a sanggah; an accepted sanggah or a passed
/// selection the document review, then the interview, the field
/// verification, the panel and the final result. After a refused sanggah or
/// a final result nothing follows.
pub fn next(history: &[Stage]) -> Next {
    let Some(last) = history.last() else {
        return Next::Stage(StageKind::AdministrativeSelection);
    };
    let kind = match last {
        Stage::AdministrativeSelection { outcome, .. } if !outcome.passed() => StageKind::Sanggah,
        Stage::AdministrativeSelection { .. } => StageKind::DocumentReview,
        Stage::Sanggah {
            outcome: SanggahOutcome::Ditolak,
            ..
        } => return Next::Ended(Ending::Failed),
        Stage::Sanggah { .. } => StageKind::DocumentReview,
        Stage::DocumentReview { .. } => StageKind::Interview,
        Stage::Interview { .. } => StageKind::FieldVerification,
        Stage::FieldVerification { .. } => StageKind::Panel,
        Stage::Panel { .. } => StageKind::FinalResult,
        Stage::FinalResult { .. } => return Next::Ended(Ending::Decided),
    };
    Next::Stage(kind)
}

/// Why a stage cannot be recorded now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum StageRefusal {
    #[error("the assessment has not been proposed to the national team")]
    NotProposed,
    #[error("the national path has ended ({ending:?})")]
    Ended { ending: Ending },
    #[error("out of order: {expected} comes next")]
    OutOfOrder { expected: StageKind },
    #[error("a sanggah answers only a failed administrative selection")]
    SanggahWithoutFailure,
    #[error("a sanggah can be filed only once")]
    SanggahTwice,
    #[error("the sanggah was not filed within its window")]
    SanggahOutsideWindow,
    #[error("the sanggah window opens before the selection was announced")]
    WindowBeforeSelection,
    #[error("the sanggah cannot be filed in the future")]
    FiledInFuture,
    #[error("the stage's day is before the previous stage's ({previous})")]
    BeforePrevious { previous: Day },
    #[error("the predicate is not the one the unit was proposed for")]
    PredicateNotTarget,
}

/// The transition rule: whether `stage` may be recorded on an assessment in
/// `state`, proposed for `target`, after `history` (oldest first), on `today`.
pub fn admit(
    state: AssessmentState,
    target: Target,
    history: &[Stage],
    stage: &Stage,
    today: Day,
) -> Result<(), StageRefusal> {
    match state {
        AssessmentState::Proposed => {}
        AssessmentState::Awarded | AssessmentState::NotAwarded => {
            return Err(StageRefusal::Ended {
                ending: Ending::Decided,
            })
        }
        _ => return Err(StageRefusal::NotProposed),
    }
    let expected = match next(history) {
        Next::Ended(ending) => return Err(StageRefusal::Ended { ending }),
        Next::Stage(kind) => kind,
    };
    if stage.kind() != expected {
        return Err(match stage.kind() {
            StageKind::Sanggah if history.iter().any(|s| s.kind() == StageKind::Sanggah) => {
                StageRefusal::SanggahTwice
            }
            StageKind::Sanggah => StageRefusal::SanggahWithoutFailure,
            _ => StageRefusal::OutOfOrder { expected },
        });
    }
    if let Some(previous) = history.last().map(Stage::day) {
        if stage.day() < previous {
            return Err(StageRefusal::BeforePrevious { previous });
        }
    }
    match stage {
        Stage::Sanggah {
            window, filed_on, ..
        } => {
            let announced = history.last().map(Stage::day);
            if announced.is_some_and(|day| window.start < day) {
                return Err(StageRefusal::WindowBeforeSelection);
            }
            if !window.contains(*filed_on) {
                return Err(StageRefusal::SanggahOutsideWindow);
            }
            if *filed_on > today {
                return Err(StageRefusal::FiledInFuture);
            }
        }
        Stage::FinalResult {
            predicate: Some(predicate),
            ..
        } if *predicate != target.predicate() => return Err(StageRefusal::PredicateNotTarget),
        _ => {}
    }
    Ok(())
}

/// The form field a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageField {
    Stage,
    Outcome,
    Day,
    Notes,
    WindowStart,
    WindowEnd,
    FiledOn,
    Links,
    Predicate,
    Decree,
}

/// What is wrong with a field of the stage form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageProblem {
    Required,
    /// Not a date (`YYYY-MM-DD`).
    Date,
    TooLong,
    /// A decree number is one line.
    OneLine,
    /// Not an `http(s)://` link.
    Link,
    TooMany,
    /// The window ends before it starts.
    WindowOrder,
    /// Not one of the choices offered.
    Unknown,
}

/// A field of the stage form and what is wrong with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field:?}: {problem:?}")]
pub struct StageFieldError {
    pub field: StageField,
    pub problem: StageProblem,
}

/// The stage form's fields as posted; which of them are read depends on the stage.
#[derive(Clone, Copy, Debug, Default)]
pub struct StageForm<'a> {
    pub stage: &'a str,
    pub outcome: &'a str,
    pub day: &'a str,
    pub notes: &'a str,
    pub window_start: &'a str,
    pub window_end: &'a str,
    pub filed_on: &'a str,
    pub links: &'a str,
    /// `wbk`, `wbbm`, or `none` (no predicate awarded).
    pub predicate: &'a str,
    pub decree: &'a str,
}

fn at(field: StageField) -> impl Fn(StageProblem) -> StageFieldError {
    move |problem| StageFieldError { field, problem }
}

fn day_of(raw: &str, field: StageField) -> Result<Day, StageFieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(at(field)(StageProblem::Required));
    }
    raw.parse().map_err(|_| at(field)(StageProblem::Date))
}

fn choice<T: FromStr>(raw: &str, field: StageField) -> Result<T, StageFieldError> {
    if raw.trim().is_empty() {
        return Err(at(field)(StageProblem::Required));
    }
    raw.parse().map_err(|_| at(field)(StageProblem::Unknown))
}

fn notes_of(raw: &str) -> Result<Notes, StageFieldError> {
    Notes::parse(raw).map_err(at(StageField::Notes))
}

/// Parses the stage form into a [`Stage`]. A selection with notes (lulus
/// dengan catatan, tidak lulus) needs them.
pub fn parse_stage(form: &StageForm<'_>) -> Result<Stage, StageFieldError> {
    let kind: StageKind = choice(form.stage, StageField::Stage)?;
    let stage = match kind {
        StageKind::AdministrativeSelection => {
            let outcome: SelectionOutcome = choice(form.outcome, StageField::Outcome)?;
            let on = day_of(form.day, StageField::Day)?;
            let notes = notes_of(form.notes)?;
            if outcome != SelectionOutcome::Lulus && notes.is_empty() {
                return Err(at(StageField::Notes)(StageProblem::Required));
            }
            Stage::AdministrativeSelection { outcome, on, notes }
        }
        StageKind::Sanggah => {
            let start = day_of(form.window_start, StageField::WindowStart)?;
            let end = day_of(form.window_end, StageField::WindowEnd)?;
            let window = DayRange::new(start, end)
                .ok_or(at(StageField::WindowEnd)(StageProblem::WindowOrder))?;
            let filed_on = day_of(form.filed_on, StageField::FiledOn)?;
            let links = parse_links(form.links).map_err(at(StageField::Links))?;
            let outcome = choice(form.outcome, StageField::Outcome)?;
            let notes = notes_of(form.notes)?;
            Stage::Sanggah {
                window,
                filed_on,
                links,
                outcome,
                notes,
            }
        }
        StageKind::DocumentReview
        | StageKind::Interview
        | StageKind::FieldVerification
        | StageKind::Panel => {
            let on = day_of(form.day, StageField::Day)?;
            let notes = notes_of(form.notes)?;
            match kind {
                StageKind::DocumentReview => Stage::DocumentReview { on, notes },
                StageKind::Interview => Stage::Interview { on, notes },
                StageKind::FieldVerification => Stage::FieldVerification { on, notes },
                _ => Stage::Panel { on, notes },
            }
        }
        StageKind::FinalResult => {
            let predicate = match form.predicate.trim() {
                "" => return Err(at(StageField::Predicate)(StageProblem::Required)),
                "none" => None,
                raw => Some(
                    raw.parse::<Target>()
                        .map_err(|_| at(StageField::Predicate)(StageProblem::Unknown))?
                        .predicate(),
                ),
            };
            let on = day_of(form.day, StageField::Day)?;
            let decree = Decree::parse(form.decree).map_err(at(StageField::Decree))?;
            Stage::FinalResult {
                predicate,
                decree,
                on,
            }
        }
    };
    Ok(stage)
}

/// Where an assessment stands on its national path: its latest stage and
/// what may follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub latest: Option<Stage>,
    pub next: Next,
}

pub fn standing(history: &[Stage]) -> Standing {
    Standing {
        latest: history.last().cloned(),
        next: next(history),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentState as S;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn notes(s: &str) -> Notes {
        Notes::parse(s).unwrap()
    }

    fn selection(outcome: SelectionOutcome, on: &str) -> Stage {
        Stage::AdministrativeSelection {
            outcome,
            on: day(on),
            notes: notes("catatan"),
        }
    }

    fn sanggah(outcome: SanggahOutcome, window: (&str, &str), filed: &str) -> Stage {
        Stage::Sanggah {
            window: DayRange::new(day(window.0), day(window.1)).unwrap(),
            filed_on: day(filed),
            links: vec![EvidenceLink::parse("https://zi.example.go.id/bukti/x").unwrap()],
            outcome,
            notes: Notes::default(),
        }
    }

    fn review(kind: StageKind, on: &str) -> Stage {
        let (on, notes) = (day(on), Notes::default());
        match kind {
            StageKind::DocumentReview => Stage::DocumentReview { on, notes },
            StageKind::Interview => Stage::Interview { on, notes },
            StageKind::FieldVerification => Stage::FieldVerification { on, notes },
            StageKind::Panel => Stage::Panel { on, notes },
            _ => unreachable!(),
        }
    }

    fn result(predicate: Option<Predicate>, on: &str) -> Stage {
        Stage::FinalResult {
            predicate,
            decree: Decree::parse("SK MENPANRB 1/2026").unwrap(),
            on: day(on),
        }
    }

    const TODAY: &str = "2026-12-07";

    /// Records `stages` one after the other on a proposed WBK assessment.
    fn walk(stages: &[Stage]) -> Result<Vec<Stage>, (usize, StageRefusal)> {
        let mut history = Vec::new();
        for (i, stage) in stages.iter().enumerate() {
            admit(S::Proposed, Target::Wbk, &history, stage, day(TODAY)).map_err(|e| (i, e))?;
            history.push(stage.clone());
        }
        Ok(history)
    }

    fn the_whole_path(selection_outcome: SelectionOutcome) -> Vec<Stage> {
        vec![
            selection(selection_outcome, "2026-08-20"),
            review(StageKind::DocumentReview, "2026-09-10"),
            review(StageKind::Interview, "2026-09-20"),
            review(StageKind::FieldVerification, "2026-10-05"),
            review(StageKind::Panel, "2026-11-01"),
            result(Some(Predicate::Wbk), "2026-12-01"),
        ]
    }

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for kind in StageKind::ALL {
            assert_eq!(kind.as_str().parse::<StageKind>(), Ok(kind));
        }
        for outcome in SelectionOutcome::ALL {
            assert_eq!(outcome.as_str().parse::<SelectionOutcome>(), Ok(outcome));
        }
        for outcome in SanggahOutcome::ALL {
            assert_eq!(outcome.as_str().parse::<SanggahOutcome>(), Ok(outcome));
        }
        assert_eq!("lolos".parse::<SelectionOutcome>(), Err(UnknownName));
        assert_eq!("panel'; DROP".parse::<StageKind>(), Err(UnknownName));
    }

    #[test]
    fn the_whole_path_is_recorded_in_order_and_then_ends() {
        let history = walk(&the_whole_path(SelectionOutcome::Lulus)).unwrap();
        assert_eq!(next(&history), Next::Ended(Ending::Decided));
        assert_eq!(furthest_step(&history), Some(NationalStep::Predicate));
        let with_notes = walk(&the_whole_path(SelectionOutcome::LulusDenganCatatan)).unwrap();
        assert_eq!(with_notes.len(), 6, "lulus dengan catatan goes on too");
        // Once the result is in, the assessment is decided: nothing more.
        assert_eq!(
            admit(
                S::Awarded,
                Target::Wbk,
                &history,
                &review(StageKind::Panel, "2026-12-02"),
                day(TODAY)
            ),
            Err(StageRefusal::Ended {
                ending: Ending::Decided
            })
        );
    }

    #[test]
    fn each_stage_names_its_successor() {
        let path = the_whole_path(SelectionOutcome::Lulus);
        let expected = [
            Next::Stage(StageKind::AdministrativeSelection),
            Next::Stage(StageKind::DocumentReview),
            Next::Stage(StageKind::Interview),
            Next::Stage(StageKind::FieldVerification),
            Next::Stage(StageKind::Panel),
            Next::Stage(StageKind::FinalResult),
            Next::Ended(Ending::Decided),
        ];
        for (n, want) in expected.into_iter().enumerate() {
            assert_eq!(next(&path[..n]), want, "after {n} stages");
        }
    }

    #[test]
    fn a_stage_out_of_order_is_refused_naming_the_next_one() {
        let empty: Vec<Stage> = vec![];
        let panel = review(StageKind::Panel, "2026-11-01");
        assert_eq!(
            admit(S::Proposed, Target::Wbk, &empty, &panel, day(TODAY)),
            Err(StageRefusal::OutOfOrder {
                expected: StageKind::AdministrativeSelection
            })
        );
        let history = walk(&the_whole_path(SelectionOutcome::Lulus)[..3]).unwrap();
        // Going back, repeating, or skipping ahead are all refused.
        for stage in [
            selection(SelectionOutcome::Lulus, "2026-10-01"),
            review(StageKind::Interview, "2026-10-01"),
            review(StageKind::Panel, "2026-10-01"),
            result(None, "2026-10-01"),
        ] {
            assert_eq!(
                admit(S::Proposed, Target::Wbk, &history, &stage, day(TODAY)),
                Err(StageRefusal::OutOfOrder {
                    expected: StageKind::FieldVerification
                }),
                "{:?}",
                stage.kind()
            );
        }
    }

    #[test]
    fn no_stage_before_the_proposal() {
        let first = selection(SelectionOutcome::Lulus, "2026-08-20");
        for state in [S::Draft, S::Submitted, S::Returned, S::Finalized] {
            assert_eq!(
                admit(state, Target::Wbk, &[], &first, day(TODAY)),
                Err(StageRefusal::NotProposed),
                "{state:?}"
            );
        }
        assert_eq!(
            admit(S::NotAwarded, Target::Wbk, &[], &first, day(TODAY)),
            Err(StageRefusal::Ended {
                ending: Ending::Decided
            })
        );
    }

    #[test]
    fn a_failed_selection_takes_one_sanggah_within_its_window() {
        let failed = walk(&[selection(SelectionOutcome::TidakLulus, "2026-08-29")]).unwrap();
        assert_eq!(next(&failed), Next::Stage(StageKind::Sanggah));
        assert_eq!(furthest_step(&failed), None);
        let admit_now = |stage: &Stage| admit(S::Proposed, Target::Wbk, &failed, stage, day(TODAY));
        // Only a sanggah may follow a failure.
        assert_eq!(
            admit_now(&review(StageKind::DocumentReview, "2026-09-10")),
            Err(StageRefusal::OutOfOrder {
                expected: StageKind::Sanggah
            })
        );
        let window = ("2026-08-30", "2026-09-04");
        assert_eq!(
            admit_now(&sanggah(SanggahOutcome::Diterima, window, "2026-09-05")),
            Err(StageRefusal::SanggahOutsideWindow),
            "a day after the window closed"
        );
        assert_eq!(
            admit_now(&sanggah(SanggahOutcome::Diterima, window, "2026-08-29")),
            Err(StageRefusal::SanggahOutsideWindow),
            "a day before the window opened"
        );
        assert_eq!(
            admit_now(&sanggah(
                SanggahOutcome::Diterima,
                ("2026-08-20", "2026-09-04"),
                "2026-09-01"
            )),
            Err(StageRefusal::WindowBeforeSelection)
        );
        assert_eq!(
            admit(
                S::Proposed,
                Target::Wbk,
                &failed,
                &sanggah(SanggahOutcome::Diterima, window, "2026-09-04"),
                day("2026-09-03")
            ),
            Err(StageRefusal::FiledInFuture)
        );
        // The window's last day counts.
        let accepted = sanggah(SanggahOutcome::Diterima, window, "2026-09-04");
        assert_eq!(admit_now(&accepted), Ok(()));
        let mut history = failed.clone();
        history.push(accepted);
        assert_eq!(furthest_step(&history), Some(NationalStep::SelectionPassed));
        assert_eq!(next(&history), Next::Stage(StageKind::DocumentReview));
        // Never a second one, even while the window is open.
        assert_eq!(
            admit(
                S::Proposed,
                Target::Wbk,
                &history,
                &sanggah(SanggahOutcome::Diterima, window, "2026-09-04"),
                day(TODAY)
            ),
            Err(StageRefusal::SanggahTwice)
        );
    }

    #[test]
    fn a_sanggah_after_a_passed_selection_is_refused() {
        let passed = walk(&[selection(SelectionOutcome::Lulus, "2026-08-29")]).unwrap();
        assert_eq!(
            admit(
                S::Proposed,
                Target::Wbk,
                &passed,
                &sanggah(
                    SanggahOutcome::Diterima,
                    ("2026-08-30", "2026-09-04"),
                    "2026-09-01"
                ),
                day(TODAY)
            ),
            Err(StageRefusal::SanggahWithoutFailure)
        );
    }

    #[test]
    fn a_refused_sanggah_ends_the_path() {
        let history = walk(&[
            selection(SelectionOutcome::TidakLulus, "2026-08-29"),
            sanggah(
                SanggahOutcome::Ditolak,
                ("2026-08-30", "2026-09-04"),
                "2026-09-02",
            ),
        ])
        .unwrap();
        assert_eq!(next(&history), Next::Ended(Ending::Failed));
        assert_eq!(
            admit(
                S::Proposed,
                Target::Wbk,
                &history,
                &review(StageKind::DocumentReview, "2026-09-10"),
                day(TODAY)
            ),
            Err(StageRefusal::Ended {
                ending: Ending::Failed
            })
        );
        assert_eq!(furthest_step(&history), None);
    }

    #[test]
    fn days_never_go_back_and_the_predicate_is_the_target() {
        let history = walk(&the_whole_path(SelectionOutcome::Lulus)[..2]).unwrap();
        assert_eq!(
            admit(
                S::Proposed,
                Target::Wbk,
                &history,
                &review(StageKind::Interview, "2026-09-09"),
                day(TODAY)
            ),
            Err(StageRefusal::BeforePrevious {
                previous: day("2026-09-10")
            })
        );
        let same_day = review(StageKind::Interview, "2026-09-10");
        assert_eq!(
            admit(S::Proposed, Target::Wbk, &history, &same_day, day(TODAY)),
            Ok(())
        );
        let to_panel = walk(&the_whole_path(SelectionOutcome::Lulus)[..5]).unwrap();
        let admit_result =
            |target, stage: &Stage| admit(S::Proposed, target, &to_panel, stage, day(TODAY));
        assert_eq!(
            admit_result(Target::Wbk, &result(Some(Predicate::Wbbm), "2026-12-01")),
            Err(StageRefusal::PredicateNotTarget)
        );
        assert_eq!(
            admit_result(Target::Wbbm, &result(Some(Predicate::Wbbm), "2026-12-01")),
            Ok(())
        );
        assert_eq!(
            admit_result(Target::Wbbm, &result(None, "2026-12-01")),
            Ok(()),
            "no predicate is a result too"
        );
        let mut decided = to_panel.clone();
        decided.push(result(None, "2026-12-01"));
        assert_eq!(furthest_step(&decided), Some(NationalStep::Panel));
    }

    fn form<'a>(stage: &'a str) -> StageForm<'a> {
        StageForm {
            stage,
            day: "2026-08-20",
            ..StageForm::default()
        }
    }

    fn problem(form: &StageForm<'_>) -> (StageField, StageProblem) {
        let err = parse_stage(form).unwrap_err();
        (err.field, err.problem)
    }

    #[test]
    fn the_selection_form_needs_an_outcome_a_date_and_notes_unless_lulus() {
        let base = StageForm {
            outcome: "lulus",
            ..form("administrative_selection")
        };
        assert_eq!(
            parse_stage(&base).unwrap(),
            Stage::AdministrativeSelection {
                outcome: SelectionOutcome::Lulus,
                on: day("2026-08-20"),
                notes: Notes::default()
            }
        );
        use StageField as F;
        use StageProblem as P;
        assert_eq!(
            problem(&StageForm { stage: "", ..base }),
            (F::Stage, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                stage: "banding",
                ..base
            }),
            (F::Stage, P::Unknown)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "",
                ..base
            }),
            (F::Outcome, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "lolos",
                ..base
            }),
            (F::Outcome, P::Unknown)
        );
        assert_eq!(
            problem(&StageForm { day: "", ..base }),
            (F::Day, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                day: "2026-02-30",
                ..base
            }),
            (F::Day, P::Date)
        );
        assert_eq!(
            problem(&StageForm {
                day: "20/08/2026",
                ..base
            }),
            (F::Day, P::Date)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "tidak_lulus",
                ..base
            }),
            (F::Notes, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "lulus_dengan_catatan",
                notes: "  ",
                ..base
            }),
            (F::Notes, P::Required)
        );
        let long = "x".repeat(MAX_NOTES_CHARS + 1);
        assert_eq!(
            problem(&StageForm {
                notes: &long,
                ..base
            }),
            (F::Notes, P::TooLong)
        );
        let hostile = "</textarea><script>alert(1)</script>";
        let parsed = parse_stage(&StageForm {
            outcome: "tidak_lulus",
            notes: hostile,
            ..base
        })
        .unwrap();
        assert_eq!(
            parsed.notes().map(Notes::as_str),
            Some(hostile),
            "kept as text"
        );
    }

    #[test]
    fn the_sanggah_form_needs_an_ordered_window_a_filing_day_and_links() {
        let base = StageForm {
            stage: "sanggah",
            window_start: "2026-08-30",
            window_end: "2026-09-04",
            filed_on: "2026-09-01",
            links: "https://zi.example.go.id/bukti/abc/P.MP.i.a\n\n  http://drive.example.go.id/x?id=1  ",
            outcome: "diterima",
            ..StageForm::default()
        };
        let Stage::Sanggah { window, links, .. } = parse_stage(&base).unwrap() else {
            panic!("a sanggah");
        };
        assert_eq!(window.start, day("2026-08-30"));
        assert_eq!(links.len(), 2, "blank lines are skipped");
        assert_eq!(links[1].as_str(), "http://drive.example.go.id/x?id=1");
        use StageField as F;
        use StageProblem as P;
        assert_eq!(
            problem(&StageForm {
                window_end: "2026-08-29",
                ..base
            }),
            (F::WindowEnd, P::WindowOrder)
        );
        assert_eq!(
            problem(&StageForm {
                window_start: "",
                ..base
            }),
            (F::WindowStart, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                filed_on: "kemarin",
                ..base
            }),
            (F::FiledOn, P::Date)
        );
        assert_eq!(
            problem(&StageForm {
                links: " \n ",
                ..base
            }),
            (F::Links, P::Required)
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://example.go.id/x",
            "https://",
            "https:// spasi.go.id",
            "zi.example.go.id/bukti",
            "https://a.go.id/\"><script>alert(1)</script>",
        ] {
            assert_eq!(
                problem(&StageForm { links: bad, ..base }),
                (F::Links, P::Link),
                "{bad}"
            );
        }
        let many = vec!["https://a.go.id/x"; MAX_LINKS + 1].join("\n");
        assert_eq!(
            problem(&StageForm {
                links: &many,
                ..base
            }),
            (F::Links, P::TooMany)
        );
        let long = format!("https://a.go.id/{}", "x".repeat(MAX_LINK_CHARS));
        assert_eq!(
            problem(&StageForm {
                links: &long,
                ..base
            }),
            (F::Links, P::TooLong)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "",
                ..base
            }),
            (F::Outcome, P::Required)
        );
        assert_eq!(
            problem(&StageForm {
                outcome: "lulus",
                ..base
            }),
            (F::Outcome, P::Unknown),
            "a selection outcome is not a sanggah outcome"
        );
    }

    #[test]
    fn the_review_stages_need_a_date() {
        for kind in [
            StageKind::DocumentReview,
            StageKind::Interview,
            StageKind::FieldVerification,
            StageKind::Panel,
        ] {
            let parsed = parse_stage(&form(kind.as_str())).unwrap();
            assert_eq!(parsed.kind(), kind);
            assert_eq!(parsed.day(), day("2026-08-20"));
            assert_eq!(
                problem(&StageForm {
                    day: "",
                    ..form(kind.as_str())
                }),
                (StageField::Day, StageProblem::Required)
            );
        }
    }

    #[test]
    fn the_final_result_needs_a_choice_a_date_and_a_decree_number() {
        let base = StageForm {
            predicate: "wbk",
            decree: "  SK MENPANRB 123/2026 ",
            ..form("final_result")
        };
        assert_eq!(
            parse_stage(&base).unwrap(),
            Stage::FinalResult {
                predicate: Some(Predicate::Wbk),
                decree: Decree::parse("SK MENPANRB 123/2026").unwrap(),
                on: day("2026-08-20")
            }
        );
        let none = parse_stage(&StageForm {
            predicate: "none",
            ..base
        })
        .unwrap();
        assert!(matches!(
            none,
            Stage::FinalResult {
                predicate: None,
                ..
            }
        ));
        use StageField as F;
        use StageProblem as P;
        assert_eq!(
            problem(&StageForm {
                predicate: "",
                ..base
            }),
            (F::Predicate, P::Required),
            "nothing is preselected"
        );
        assert_eq!(
            problem(&StageForm {
                predicate: "emas",
                ..base
            }),
            (F::Predicate, P::Unknown)
        );
        assert_eq!(
            problem(&StageForm {
                decree: "   ",
                ..base
            }),
            (F::Decree, P::Required)
        );
        let long = "9".repeat(MAX_DECREE_CHARS + 1);
        assert_eq!(
            problem(&StageForm {
                decree: &long,
                ..base
            }),
            (F::Decree, P::TooLong)
        );
        assert_eq!(
            problem(&StageForm {
                decree: "SK 1\nSK 2",
                ..base
            }),
            (F::Decree, P::OneLine)
        );
        assert_eq!(
            problem(&StageForm {
                day: "2026-13-01",
                ..base
            }),
            (F::Day, P::Date)
        );
    }

    #[test]
    fn standing_is_the_latest_stage_and_what_follows() {
        let path = the_whole_path(SelectionOutcome::Lulus);
        let s = standing(&path[..2]);
        assert_eq!(s.latest.map(|l| l.kind()), Some(StageKind::DocumentReview));
        assert_eq!(s.next, Next::Stage(StageKind::Interview));
        assert_eq!(standing(&[]).latest, None);
    }
}
