//! What leadership reads across units: one row per assessment with its
//! scores, readiness and deadline, the filters and sort of the table, and the
//! readiness funnel of the cycle. Pure: the server fills the rows.

use serde::{Deserialize, Serialize};

use super::assessment::{Coverage, Target};
use super::lke::{
    evaluate, score, Answers, AreaId, AssessmentState, Completeness, GateSet, GateTarget, Part,
    PredicateVerdict, RubricVersion, ScoreSheet,
};
use super::national::NationalStep;

/// Where a unit stands against the gates, on the lane that counts (the TPI's
/// once finalized, the unit's before).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Readiness {
    ReadyWbbm,
    ReadyWbk,
    /// The largest shortfall of the target's gates: points missing on a score.
    Short {
        target: GateTarget,
        points: f64,
    },
    /// Only the precondition (already holding WBK) is missing.
    NeedsWbkFirst,
    /// The scores reach `scores_meet`, but `items` items have no evidence
    /// file yet: a unit is ready to propose only with evidence for every item.
    MissingEvidence {
        scores_meet: Target,
        items: u32,
    },
}

impl Readiness {
    /// The verdict on the counted lane, withheld while any item of the LKE
    /// (`coverage`) lacks an evidence file.
    pub fn of(
        sheet: &ScoreSheet,
        gates: &GateSet,
        target: Target,
        holds_wbk: bool,
        coverage: Coverage,
    ) -> Readiness {
        Readiness::with_coverage(
            Readiness::on_scores(sheet, gates, target, holds_wbk),
            coverage,
        )
    }

    /// The verdict of the counted lane's scores (see [`LaneFigures::readiness`])
    /// withheld while any item lacks an evidence file: [`Readiness::of`]
    /// without the score sheet.
    pub fn with_coverage(on_scores: Readiness, coverage: Coverage) -> Readiness {
        let missing = coverage.missing();
        let reached = match on_scores {
            Readiness::ReadyWbbm => Target::Wbbm,
            Readiness::ReadyWbk => Target::Wbk,
            other => return other,
        };
        if missing == 0 {
            on_scores
        } else {
            Readiness::MissingEvidence {
                scores_meet: reached,
                items: missing,
            }
        }
    }

    /// The verdict of the scores alone.
    fn on_scores(
        sheet: &ScoreSheet,
        gates: &GateSet,
        target: Target,
        holds_wbk: bool,
    ) -> Readiness {
        let verdicts = evaluate(sheet, gates, holds_wbk);
        if verdicts.wbbm.pass {
            return Readiness::ReadyWbbm;
        }
        if verdicts.wbk.pass && target == Target::Wbk {
            return Readiness::ReadyWbk;
        }
        let verdict = match target {
            Target::Wbk => &verdicts.wbk,
            Target::Wbbm => &verdicts.wbbm,
        };
        shortfall(verdict).map_or(Readiness::NeedsWbkFirst, |(target, points)| {
            Readiness::Short { target, points }
        })
    }

    pub fn is_ready(self) -> bool {
        matches!(self, Readiness::ReadyWbk | Readiness::ReadyWbbm)
    }
}

fn shortfall(verdict: &PredicateVerdict) -> Option<(GateTarget, f64)> {
    verdict
        .failing_gates()
        .map(|g| (g.target, -g.margin))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// One assessment in the leadership table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub assessment_id: String,
    pub unit_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub target: Target,
    pub state: AssessmentState,
    pub completeness: Completeness,
    pub coverage: Coverage,
    pub self_total: f64,
    /// The evaluators' lane, once they have reviewed anything.
    pub tpi_total: Option<f64>,
    pub readiness: Readiness,
    /// Per area (Pemenuhan + Reform), the share of its weight reached, in LKE order.
    pub areas: Vec<f64>,
    /// Per area, the share of its questions the unit has answered, in LKE order.
    pub area_completeness: Vec<f64>,
    /// Items the evaluators have given a status.
    pub reviewed: u32,
    /// Days to the proposal deadline (negative: passed).
    pub days_to_deadline: i64,
    pub awarded: bool,
    /// The furthest step of the national stages it reached (`None`: none yet,
    /// or not proposed).
    #[serde(default)]
    pub national: Option<NationalStep>,
}

impl DashboardRow {
    /// The total that counts: the TPI's once final, the unit's before.
    pub fn counted_total(&self) -> f64 {
        match self.tpi_total {
            Some(tpi) if self.state.is_final() => tpi,
            _ => self.self_total,
        }
    }

    /// Items reviewed of the items to review, once the assessment has reached
    /// the evaluators; a final assessment is reviewed in full.
    pub fn review_progress(&self) -> Option<(u32, u32)> {
        let total = self.coverage.total;
        match self.state {
            AssessmentState::Draft => None,
            AssessmentState::Submitted | AssessmentState::Returned => {
                Some((self.reviewed.min(total), total))
            }
            _ => Some((total, total)),
        }
    }
}

/// What the dashboard shows of one lane of an assessment, taken from its
/// score sheet when the lane changes and stored, so a view reads these
/// instead of every answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneFigures {
    pub total: f64,
    pub completeness: Completeness,
    /// [`area_shares`] of the lane.
    pub areas: Vec<f64>,
    /// [`area_completeness`] of the lane.
    pub area_completeness: Vec<f64>,
    /// The gates' verdict on these scores for the assessment's target, for a
    /// unit that does not yet hold WBK and for one that does (the WBBM
    /// precondition is decided elsewhere, so both are kept).
    pub readiness: [Readiness; 2],
}

impl LaneFigures {
    pub fn of(sheet: &ScoreSheet, gates: &GateSet, target: Target) -> LaneFigures {
        LaneFigures {
            total: sheet.total.score,
            completeness: sheet.total.completeness,
            areas: area_shares(sheet),
            area_completeness: area_completeness(sheet),
            readiness: [false, true].map(|holds| Readiness::on_scores(sheet, gates, target, holds)),
        }
    }

    pub fn readiness(&self, holds_wbk: bool) -> Readiness {
        self.readiness[usize::from(holds_wbk)]
    }
}

/// Everything the dashboard needs of one assessment that only changes when
/// it is written to: both lanes' figures, the evidence coverage and the
/// evaluators' progress, and the rubric version they were scored on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredScore {
    pub rubric_key: String,
    pub unit: LaneFigures,
    /// The evaluators' lane, once they have reviewed anything.
    pub tpi: Option<LaneFigures>,
    pub coverage: Coverage,
    /// Items the evaluators have given a status.
    pub reviewed: u32,
}

impl StoredScore {
    /// Scores both lanes of the unit's answers and the evaluators' rows.
    /// `tpi` is `None` while the evaluators have no row.
    pub fn of(
        rubric: &RubricVersion,
        gates: &GateSet,
        target: Target,
        unit: &Answers,
        tpi: Option<&Answers>,
        coverage: Coverage,
        reviewed: u32,
    ) -> StoredScore {
        StoredScore {
            rubric_key: rubric.key().to_owned(),
            unit: LaneFigures::of(&score(rubric, unit), gates, target),
            tpi: tpi.map(|lane| LaneFigures::of(&score(rubric, lane), gates, target)),
            coverage,
            reviewed,
        }
    }

    /// The lane that counts: the evaluators' once final, the unit's before.
    pub fn counted(&self, state: AssessmentState) -> &LaneFigures {
        match &self.tpi {
            Some(tpi) if state.is_final() => tpi,
            _ => &self.unit,
        }
    }
}

/// The share of each area's questions answered.
pub fn area_completeness(sheet: &ScoreSheet) -> Vec<f64> {
    AreaId::ALL
        .into_iter()
        .map(|area| sheet.area_combined(area).completeness.ratio())
        .collect()
}

/// The mean of each area's share over the rows (e.g. completeness per area
/// across an instansi); zeros when there are no rows.
pub fn mean_per_area(rows: &[DashboardRow], per_row: impl Fn(&DashboardRow) -> &[f64]) -> Vec<f64> {
    let mut sums = vec![0.0; AreaId::ALL.len()];
    for row in rows {
        for (sum, value) in sums.iter_mut().zip(per_row(row)) {
            *sum += value;
        }
    }
    let n = rows.len().max(1) as f64;
    sums.into_iter().map(|sum| sum / n).collect()
}

/// One evaluator's progress over the assessments of their teams that have
/// reached the evaluators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatorProgress {
    pub name: String,
    pub assessments: u32,
    pub finalized: u32,
    pub reviewed: u32,
    pub items: u32,
}

impl EvaluatorProgress {
    pub fn share(&self) -> f64 {
        if self.items == 0 {
            0.0
        } else {
            f64::from(self.reviewed) / f64::from(self.items)
        }
    }
}

/// A place on a review team, as the progress needs it.
pub struct TeamSeat {
    pub assessment_id: String,
    pub user_id: String,
    pub name: String,
}

/// Each evaluator's progress over the rows' assessments, by name.
pub fn evaluator_progress(rows: &[DashboardRow], seats: &[TeamSeat]) -> Vec<EvaluatorProgress> {
    let by_id: std::collections::HashMap<&str, &DashboardRow> = rows
        .iter()
        .map(|row| (row.assessment_id.as_str(), row))
        .collect();
    let mut out: std::collections::BTreeMap<&str, EvaluatorProgress> = Default::default();
    for seat in seats {
        let Some(row) = by_id.get(seat.assessment_id.as_str()) else {
            continue;
        };
        let Some((done, total)) = row.review_progress() else {
            continue;
        };
        let entry = out
            .entry(seat.user_id.as_str())
            .or_insert_with(|| EvaluatorProgress {
                name: seat.name.clone(),
                assessments: 0,
                finalized: 0,
                reviewed: 0,
                items: 0,
            });
        entry.assessments += 1;
        entry.finalized += u32::from(row.state.is_final());
        entry.reviewed += done;
        entry.items += total;
    }
    let mut list: Vec<EvaluatorProgress> = out.into_values().collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

/// The share of each area's weight reached (Pemenuhan + Reform together).
pub fn area_shares(sheet: &ScoreSheet) -> Vec<f64> {
    AreaId::ALL
        .into_iter()
        .map(|area| {
            let s = sheet.area_combined(area);
            share(s.score, s.weight)
        })
        .collect()
}

/// The share of each area's weight reached within one part (Pemenuhan or Reform).
pub fn part_shares(sheet: &ScoreSheet, part: Part) -> Vec<f64> {
    AreaId::ALL
        .into_iter()
        .map(|area| {
            sheet
                .area(part, area)
                .map_or(0.0, |s| share(s.score, s.weight))
        })
        .collect()
}

fn share(score: f64, weight: f64) -> f64 {
    if weight > 0.0 {
        score / weight
    } else {
        0.0
    }
}

/// The heatmap of units × areas draws at most this many units (the first
/// rows of the table as sorted), so it stays readable on a phone.
pub const HEATMAP_ROWS: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessFilter {
    Ready,
    NotReady,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Unit,
    SelfScore,
    TpiScore,
    Completeness,
    Deadline,
}

impl SortKey {
    pub fn parse(raw: &str) -> SortKey {
        match raw {
            "self" => SortKey::SelfScore,
            "tpi" => SortKey::TpiScore,
            "completeness" => SortKey::Completeness,
            "deadline" => SortKey::Deadline,
            _ => SortKey::Unit,
        }
    }
}

/// What the table shows: rows of a subtree (already chosen by the server),
/// narrowed by state, readiness and a search on the unit's name or code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub state: Option<AssessmentState>,
    pub readiness: Option<ReadinessFilter>,
    pub query: String,
    pub sort: SortKey,
}

impl Filter {
    pub fn apply(&self, rows: &mut Vec<DashboardRow>) {
        let query = self.query.trim().to_lowercase();
        rows.retain(|row| {
            self.state.is_none_or(|s| row.state == s)
                && self.readiness.is_none_or(|r| match r {
                    ReadinessFilter::Ready => row.readiness.is_ready(),
                    ReadinessFilter::NotReady => !row.readiness.is_ready(),
                })
                && (query.is_empty()
                    || row.unit_name.to_lowercase().contains(&query)
                    || row.unit_code.to_lowercase().contains(&query))
        });
        let key = self.sort;
        rows.sort_by(|a, b| match key {
            SortKey::Unit => a.unit_code.cmp(&b.unit_code),
            SortKey::SelfScore => b.self_total.total_cmp(&a.self_total),
            SortKey::TpiScore => b
                .tpi_total
                .unwrap_or(-1.0)
                .total_cmp(&a.tpi_total.unwrap_or(-1.0)),
            SortKey::Completeness => b.completeness.ratio().total_cmp(&a.completeness.ratio()),
            SortKey::Deadline => a.days_to_deadline.cmp(&b.days_to_deadline),
        });
    }
}

/// Rows of the leadership table per page: small enough that the page (and
/// its hydration data) stays small at thousands of units.
pub const PAGE_SIZE: usize = 50;

/// The page of the table the caller asked for (`?page=N`, 1-based); anything
/// that is not a positive number is the first page.
pub fn requested_page(raw: &str) -> usize {
    raw.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

/// Which rows of the filtered, sorted table one page shows. A page past the
/// last is clamped to the last (and the first when there are no rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageWindow {
    /// The page shown, 1-based.
    pub number: usize,
    /// How many pages the table has (at least one).
    pub pages: usize,
    /// The rows of the whole table, after the filters.
    pub total: usize,
    /// The rows shown: `start..end`, 0-based.
    pub start: usize,
    pub end: usize,
}

impl Default for PageWindow {
    fn default() -> Self {
        PageWindow::of(0, 1, PAGE_SIZE)
    }
}

impl PageWindow {
    pub fn of(total: usize, requested: usize, size: usize) -> PageWindow {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let number = requested.clamp(1, pages);
        let start = ((number - 1) * size).min(total);
        let end = (start + size).min(total);
        PageWindow {
            number,
            pages,
            total,
            start,
            end,
        }
    }

    /// The rows shown as people count them: the first and the last, 1-based
    /// (`(0, 0)` when there are none).
    pub fn shown(&self) -> (usize, usize) {
        if self.end == self.start {
            (0, 0)
        } else {
            (self.start + 1, self.end)
        }
    }

    pub fn previous(&self) -> Option<usize> {
        (self.number > 1).then(|| self.number - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.number < self.pages).then(|| self.number + 1)
    }
}

/// How many units reached each step of the cycle (each step counts the units
/// that reached it or any later one): building, the self-assessment, the
/// TPI, the proposal, then the national stages recorded for them, up to the
/// predicate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub building: u32,
    pub self_complete: u32,
    pub tpi_finalized: u32,
    pub passing: u32,
    pub proposed: u32,
    pub selection_passed: u32,
    pub document_review: u32,
    pub interview: u32,
    pub field_verification: u32,
    pub panel: u32,
    pub awarded: u32,
}

fn reached(row: &DashboardRow, step: NationalStep) -> bool {
    row.awarded || row.national.is_some_and(|reached| reached >= step)
}

pub fn funnel(rows: &[DashboardRow]) -> Funnel {
    use AssessmentState as S;
    let count = |f: &dyn Fn(&DashboardRow) -> bool| {
        u32::try_from(rows.iter().filter(|r| f(r)).count()).unwrap_or(u32::MAX)
    };
    let finalized = |r: &DashboardRow| r.state.is_final();
    Funnel {
        building: count(&|_| true),
        self_complete: count(&|r| r.completeness.is_complete() || r.state != S::Draft),
        tpi_finalized: count(&finalized),
        passing: count(&|r| finalized(r) && r.readiness.is_ready()),
        proposed: count(&|r| matches!(r.state, S::Proposed | S::Awarded | S::NotAwarded)),
        selection_passed: count(&|r| reached(r, NationalStep::SelectionPassed)),
        document_review: count(&|r| reached(r, NationalStep::DocumentReview)),
        interview: count(&|r| reached(r, NationalStep::Interview)),
        field_verification: count(&|r| reached(r, NationalStep::FieldVerification)),
        panel: count(&|r| reached(r, NationalStep::Panel)),
        awarded: count(&|r| r.awarded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lke::testkit::{full_marks, mediocre};
    use crate::domain::lke::{builtin_90_2021_ref, builtin_gates_90_2021, score, Answers};

    fn row(code: &str, state: AssessmentState, total: f64, readiness: Readiness) -> DashboardRow {
        DashboardRow {
            assessment_id: code.into(),
            unit_id: code.into(),
            unit_code: code.into(),
            unit_name: format!("Unit {code}"),
            target: Target::Wbk,
            state,
            completeness: Completeness {
                answered: 10,
                total: 10,
            },
            coverage: Coverage {
                with_evidence: 0,
                total: 10,
            },
            self_total: total,
            tpi_total: None,
            readiness,
            areas: vec![],
            area_completeness: vec![],
            reviewed: 0,
            days_to_deadline: 10,
            awarded: state == AssessmentState::Awarded,
            national: (state == AssessmentState::Awarded).then_some(NationalStep::Predicate),
        }
    }

    /// Every one of the LKE's 113 items with its evidence file.
    const EVIDENCED: Coverage = Coverage {
        with_evidence: 113,
        total: 113,
    };

    #[test]
    fn readiness_waits_for_evidence_on_every_item() {
        let rubric = builtin_90_2021_ref();
        let gates = builtin_gates_90_2021();
        let full = score(rubric, &full_marks());
        let five = Coverage {
            with_evidence: 5,
            total: 113,
        };
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbk, false, five),
            Readiness::MissingEvidence {
                scores_meet: Target::Wbk,
                items: 108
            }
        );
        let none = Coverage {
            with_evidence: 0,
            total: 113,
        };
        let medan = Readiness::of(&full, &gates, Target::Wbbm, true, none);
        assert_eq!(
            medan,
            Readiness::MissingEvidence {
                scores_meet: Target::Wbbm,
                items: 113
            }
        );
        assert!(!medan.is_ready(), "no evidence: not ready to propose");
        let one_missing = Coverage {
            with_evidence: 112,
            total: 113,
        };
        assert!(!Readiness::of(&full, &gates, Target::Wbk, false, one_missing).is_ready());
        // A shortfall on the scores stays the first thing to fix.
        let empty = score(rubric, &Answers::new());
        assert!(matches!(
            Readiness::of(&empty, &gates, Target::Wbk, false, none),
            Readiness::Short { .. }
        ));
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbbm, false, none),
            Readiness::NeedsWbkFirst
        );
    }

    #[test]
    fn readiness_names_the_largest_shortfall_or_the_predicate_reached() {
        let rubric = builtin_90_2021_ref();
        let gates = builtin_gates_90_2021();
        let full = score(rubric, &full_marks());
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbk, false, EVIDENCED),
            Readiness::ReadyWbk
        );
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbbm, true, EVIDENCED),
            Readiness::ReadyWbbm
        );
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbbm, false, EVIDENCED),
            Readiness::NeedsWbkFirst
        );
        let empty = score(rubric, &Answers::new());
        match Readiness::of(&empty, &gates, Target::Wbk, false, EVIDENCED) {
            Readiness::Short { target, points } => {
                assert_eq!(
                    target,
                    GateTarget::Total,
                    "the total misses the most: 75 points"
                );
                assert!((points - 75.0).abs() < 1e-9);
            }
            other => panic!("an empty LKE is short: {other:?}"),
        }
        let middling = score(rubric, &mediocre());
        assert!(!Readiness::of(&middling, &gates, Target::Wbk, false, EVIDENCED).is_ready());
    }

    #[test]
    fn filters_narrow_and_sort_orders() {
        use AssessmentState as S;
        let short = Readiness::Short {
            target: GateTarget::Total,
            points: 3.0,
        };
        let mut rows = vec![
            row("B", S::Draft, 40.0, short),
            row("A", S::Finalized, 80.0, Readiness::ReadyWbk),
            row("C", S::Submitted, 60.0, short),
        ];
        let mut all = rows.clone();
        Filter::default().apply(&mut all);
        let codes =
            |rows: &[DashboardRow]| rows.iter().map(|r| r.unit_code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&all), ["A", "B", "C"]);
        Filter {
            readiness: Some(ReadinessFilter::NotReady),
            sort: SortKey::SelfScore,
            ..Filter::default()
        }
        .apply(&mut rows);
        assert_eq!(codes(&rows), ["C", "B"]);
        let mut found = all.clone();
        Filter {
            query: "unit c".into(),
            ..Filter::default()
        }
        .apply(&mut found);
        assert_eq!(codes(&found), ["C"]);
        let mut drafts = all.clone();
        Filter {
            state: Some(S::Draft),
            ..Filter::default()
        }
        .apply(&mut drafts);
        assert_eq!(codes(&drafts), ["B"]);
    }

    #[test]
    fn pages_split_the_table_and_clamp_what_is_out_of_range() {
        assert_eq!(requested_page("2"), 2);
        for raw in ["", "0", "-3", "dua", "1.5"] {
            assert_eq!(requested_page(raw), 1, "{raw:?}");
        }
        let first = PageWindow::of(1_001, 1, PAGE_SIZE);
        assert_eq!((first.pages, first.start, first.end), (21, 0, 50));
        assert_eq!(first.shown(), (1, 50));
        assert_eq!((first.previous(), first.next()), (None, Some(2)));
        let second = PageWindow::of(1_001, 2, PAGE_SIZE);
        assert_eq!(second.shown(), (51, 100));
        assert_eq!((second.previous(), second.next()), (Some(1), Some(3)));
        let last = PageWindow::of(1_001, 21, PAGE_SIZE);
        assert_eq!(last.shown(), (1_001, 1_001), "one row on the last page");
        assert_eq!(last.next(), None);
        assert_eq!(
            PageWindow::of(1_001, 500, PAGE_SIZE),
            last,
            "past the end: the last page"
        );
        let exact = PageWindow::of(100, 3, PAGE_SIZE);
        assert_eq!((exact.number, exact.shown()), (2, (51, 100)));
        let empty = PageWindow::of(0, 4, PAGE_SIZE);
        assert_eq!((empty.number, empty.pages, empty.shown()), (1, 1, (0, 0)));
        assert_eq!((empty.previous(), empty.next()), (None, None));
    }

    #[test]
    fn the_funnel_counts_each_step_and_every_later_one() {
        use AssessmentState as S;
        let short = Readiness::Short {
            target: GateTarget::Total,
            points: 3.0,
        };
        let mut draft = row("A", S::Draft, 10.0, short);
        draft.completeness.answered = 3;
        let at = |code, step| DashboardRow {
            national: step,
            ..row(code, S::Proposed, 80.0, Readiness::ReadyWbk)
        };
        let rows = vec![
            draft,
            row("B", S::Submitted, 70.0, short),
            row("C", S::Finalized, 70.0, short),
            row("D", S::Finalized, 80.0, Readiness::ReadyWbk),
            row("E", S::Proposed, 80.0, Readiness::ReadyWbk),
            row("F", S::Awarded, 90.0, Readiness::ReadyWbk),
            // Failed the selection: proposed, and no further.
            at("G", None),
            at("H", Some(NationalStep::SelectionPassed)),
            at("I", Some(NationalStep::Interview)),
            at("J", Some(NationalStep::Panel)),
        ];
        assert_eq!(
            funnel(&rows),
            Funnel {
                building: 10,
                self_complete: 9,
                tpi_finalized: 8,
                passing: 7,
                proposed: 6,
                selection_passed: 4,
                document_review: 3,
                interview: 3,
                field_verification: 2,
                panel: 2,
                awarded: 1,
            }
        );
    }

    #[test]
    fn review_progress_starts_at_submission_and_is_full_once_final() {
        use AssessmentState as S;
        let short = Readiness::Short {
            target: GateTarget::Total,
            points: 3.0,
        };
        let mut submitted = row("A", S::Submitted, 50.0, short);
        submitted.reviewed = 4;
        assert_eq!(submitted.review_progress(), Some((4, 10)));
        submitted.reviewed = 12;
        assert_eq!(
            submitted.review_progress(),
            Some((10, 10)),
            "never above the total"
        );
        assert_eq!(row("B", S::Draft, 50.0, short).review_progress(), None);
        assert_eq!(
            row("C", S::Finalized, 50.0, short).review_progress(),
            Some((10, 10))
        );
    }

    #[test]
    fn evaluator_progress_sums_each_evaluators_teams_in_the_rows() {
        use AssessmentState as S;
        let short = Readiness::Short {
            target: GateTarget::Total,
            points: 3.0,
        };
        let mut a = row("A", S::Submitted, 50.0, short);
        a.reviewed = 5;
        let rows = vec![
            a,
            row("B", S::Finalized, 80.0, Readiness::ReadyWbk),
            row("C", S::Draft, 20.0, short),
        ];
        let seat = |assessment: &str, user: &str, name: &str| TeamSeat {
            assessment_id: assessment.into(),
            user_id: user.into(),
            name: name.into(),
        };
        let seats = [
            seat("A", "u1", "Sari"),
            seat("B", "u1", "Sari"),
            seat("C", "u1", "Sari"),
            seat("A", "u2", "Budi"),
            seat("Z", "u2", "Budi"),
        ];
        let progress = evaluator_progress(&rows, &seats);
        let names: Vec<&str> = progress.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Budi", "Sari"]);
        let sari = &progress[1];
        assert_eq!(
            (sari.assessments, sari.finalized),
            (2, 1),
            "the draft is not theirs yet"
        );
        assert_eq!((sari.reviewed, sari.items), (15, 20));
        assert!((sari.share() - 0.75).abs() < 1e-9);
        let budi = &progress[0];
        assert_eq!(
            (budi.assessments, budi.reviewed, budi.items),
            (1, 5, 10),
            "rows outside the view do not count"
        );
    }

    #[test]
    fn completeness_per_area_is_the_mean_over_the_rows() {
        let rubric = builtin_90_2021_ref();
        let full = area_completeness(&score(rubric, &full_marks()));
        let empty = area_completeness(&score(rubric, &Answers::new()));
        assert!(full.iter().all(|share| (share - 1.0).abs() < 1e-9));
        assert!(empty.iter().all(|share| *share == 0.0));
        let short = Readiness::ReadyWbk;
        let mut a = row("A", AssessmentState::Draft, 0.0, short);
        a.area_completeness = full;
        let mut b = row("B", AssessmentState::Draft, 0.0, short);
        b.area_completeness = empty;
        let mean = mean_per_area(&[a, b], |r| &r.area_completeness);
        assert_eq!(mean.len(), 6);
        assert!(mean.iter().all(|share| (share - 0.5).abs() < 1e-9));
        assert_eq!(mean_per_area(&[], |r| &r.areas), vec![0.0; 6]);
    }

    #[test]
    fn part_shares_split_each_area_into_pemenuhan_and_reform() {
        let rubric = builtin_90_2021_ref();
        let full = score(rubric, &full_marks());
        for part in Part::ALL {
            let shares = part_shares(&full, part);
            assert_eq!(shares.len(), 6);
            assert!(
                shares.iter().all(|s| (s - 1.0).abs() < 1e-9),
                "{part:?}: {shares:?}"
            );
        }
        let middling = score(rubric, &mediocre());
        let combined = area_shares(&middling);
        let pemenuhan = part_shares(&middling, Part::Pemenuhan);
        let reform = part_shares(&middling, Part::Reform);
        for (i, area) in AreaId::ALL.into_iter().enumerate() {
            let weight = |part| middling.area(part, area).map_or(0.0, |s| s.weight);
            let (wp, wr) = (weight(Part::Pemenuhan), weight(Part::Reform));
            let weighted = (pemenuhan[i] * wp + reform[i] * wr) / (wp + wr);
            assert!(
                (weighted - combined[i]).abs() < 1e-9,
                "the parts add up to the area"
            );
        }
    }
}
