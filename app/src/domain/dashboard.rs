//! What leadership reads across units: one row per assessment with its
//! scores, readiness and deadline, the filters and sort of the table, and the
//! readiness funnel of the cycle. Pure: the server fills the rows.

use serde::{Deserialize, Serialize};

use super::assessment::{Coverage, Target};
use super::lke::{
    evaluate, AreaId, AssessmentState, Completeness, GateSet, GateTarget, PredicateVerdict,
    ScoreSheet,
};

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
}

impl Readiness {
    pub fn of(sheet: &ScoreSheet, gates: &GateSet, target: Target, holds_wbk: bool) -> Readiness {
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
    /// Days to the proposal deadline (negative: passed).
    pub days_to_deadline: i64,
    pub awarded: bool,
}

impl DashboardRow {
    /// The total that counts: the TPI's once final, the unit's before.
    pub fn counted_total(&self) -> f64 {
        match self.tpi_total {
            Some(tpi) if self.state.is_final() => tpi,
            _ => self.self_total,
        }
    }
}

/// The share of each area's weight reached (Pemenuhan + Reform together).
pub fn area_shares(sheet: &ScoreSheet) -> Vec<f64> {
    AreaId::ALL
        .into_iter()
        .map(|area| {
            let s = sheet.area_combined(area);
            if s.weight > 0.0 {
                s.score / s.weight
            } else {
                0.0
            }
        })
        .collect()
}

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

/// How many units reached each step of the cycle (each step counts the units
/// that reached it or any later one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    pub building: u32,
    pub self_complete: u32,
    pub tpi_finalized: u32,
    pub passing: u32,
    pub proposed: u32,
    pub awarded: u32,
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
            days_to_deadline: 10,
            awarded: state == AssessmentState::Awarded,
        }
    }

    #[test]
    fn readiness_names_the_largest_shortfall_or_the_predicate_reached() {
        let rubric = builtin_90_2021_ref();
        let gates = builtin_gates_90_2021();
        let full = score(rubric, &full_marks());
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbk, false),
            Readiness::ReadyWbk
        );
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbbm, true),
            Readiness::ReadyWbbm
        );
        assert_eq!(
            Readiness::of(&full, &gates, Target::Wbbm, false),
            Readiness::NeedsWbkFirst
        );
        let empty = score(rubric, &Answers::new());
        match Readiness::of(&empty, &gates, Target::Wbk, false) {
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
        assert!(!Readiness::of(&middling, &gates, Target::Wbk, false).is_ready());
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
    fn the_funnel_counts_each_step_and_every_later_one() {
        use AssessmentState as S;
        let short = Readiness::Short {
            target: GateTarget::Total,
            points: 3.0,
        };
        let mut draft = row("A", S::Draft, 10.0, short);
        draft.completeness.answered = 3;
        let rows = vec![
            draft,
            row("B", S::Submitted, 70.0, short),
            row("C", S::Finalized, 70.0, short),
            row("D", S::Finalized, 80.0, Readiness::ReadyWbk),
            row("E", S::Proposed, 80.0, Readiness::ReadyWbk),
            row("F", S::Awarded, 90.0, Readiness::ReadyWbk),
        ];
        assert_eq!(
            funnel(&rows),
            Funnel {
                building: 6,
                self_complete: 5,
                tpi_finalized: 4,
                passing: 3,
                proposed: 2,
                awarded: 1,
            }
        );
    }
}
