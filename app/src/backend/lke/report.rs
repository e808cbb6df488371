//! `score_workbook`: import, score and gate a workbook into a stable JSON report.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::lke::{
    builtin_90_2021_ref, builtin_gates_90_2021, evaluate, score, Answer, AreaId, GateSet,
    GateTarget, IndicatorCode, Part, Precondition, PredicateVerdict, RubricVersion, ScoreSheet,
    Verdicts,
};

use super::error::{ImportError, Problem};
use super::guard::{read_file, Limits};
use super::import::read_answers_lane;
use crate::model::{WorkbookLane, WorkbookRead};

/// Stable JSON contract of a scored workbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// Rubric version key.
    pub rubric: String,
    pub total: f64,
    pub pengungkit: f64,
    pub pemenuhan: f64,
    pub reform: f64,
    pub hasil: f64,
    pub areas: Vec<AreaReport>,
    pub indicators: Vec<IndicatorReport>,
    pub hasil_items: HasilItemsReport,
    pub gates: GatesReport,
    pub completeness: CompletenessReport,
    /// Total counting unanswered questions as 0.
    pub conservative_total: f64,
    /// Problems met while reading the workbook.
    pub problems: Vec<Problem>,
    /// The layout (2021/2026), sheet, lane and columns read.
    pub workbook: WorkbookRead,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaReport {
    /// `"pemenuhan"` or `"reform"`.
    pub part: Part,
    /// 1–6.
    pub area: AreaId,
    pub name: String,
    pub score: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub code: IndicatorCode,
    pub score: f64,
    pub weight: f64,
    /// Answered questions.
    pub answered: u32,
    /// Scored questions.
    pub questions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HasilItemReport {
    /// Survey index (IPAK, IPKP) or option value 0–1 (capaian); null if not filled.
    pub value: Option<f64>,
    /// The capaian answer; null for the survey items.
    pub answer: Option<Answer>,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HasilItemsReport {
    pub ipak: HasilItemReport,
    pub capaian: HasilItemReport,
    pub ipkp: HasilItemReport,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateReport {
    pub target: GateTarget,
    pub value: f64,
    pub threshold: f64,
    pub margin: f64,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreconditionReport {
    pub precondition: Precondition,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredicateReport {
    pub pass: bool,
    pub gates: Vec<GateReport>,
    pub preconditions: Vec<PreconditionReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatesReport {
    pub wbk: PredicateReport,
    pub wbbm: PredicateReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletenessReport {
    pub answered: u32,
    pub total: u32,
}

/// What to score a workbook against.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOptions<'a> {
    pub rubric: &'a RubricVersion,
    pub gates: &'a GateSet,
    /// Answers the WBBM precondition.
    pub holds_wbk: bool,
    pub limits: Limits,
    /// Which answer column is scored.
    pub lane: WorkbookLane,
}

/// Scores a workbook file with the built-in PermenPANRB 90/2021 rubric and its default
/// gates (the unit is assumed not to hold WBK yet).
pub fn score_workbook(path: impl AsRef<Path>) -> Result<ScoreReport, ImportError> {
    score_workbook_lane(path, WorkbookLane::Unit)
}

/// As [`score_workbook`], scoring one lane of the workbook (the unit's, the evaluators' …).
pub fn score_workbook_lane(
    path: impl AsRef<Path>,
    lane: WorkbookLane,
) -> Result<ScoreReport, ImportError> {
    let gates = builtin_gates_90_2021();
    let options = ScoreOptions {
        rubric: builtin_90_2021_ref(),
        gates: &gates,
        holds_wbk: false,
        limits: Limits::default(),
        lane,
    };
    let bytes = read_file(path.as_ref(), &options.limits)?;
    score_workbook_bytes(&bytes, &options)
}

/// Scores workbook bytes (untrusted).
pub fn score_workbook_bytes(
    bytes: &[u8],
    options: &ScoreOptions<'_>,
) -> Result<ScoreReport, ImportError> {
    let imported = read_answers_lane(bytes, options.rubric, &options.limits, options.lane)?;
    let sheet = score(options.rubric, &imported.answers);
    let verdicts = evaluate(&sheet, options.gates, options.holds_wbk);
    Ok(ScoreReport::new(
        options.rubric,
        &sheet,
        &verdicts,
        imported.problems,
        imported.read,
    ))
}

impl ScoreReport {
    pub fn new(
        rubric: &RubricVersion,
        sheet: &ScoreSheet,
        verdicts: &Verdicts,
        problems: Vec<Problem>,
        workbook: WorkbookRead,
    ) -> ScoreReport {
        let areas = sheet
            .areas
            .iter()
            .map(|a| AreaReport {
                part: a.part,
                area: a.area,
                name: rubric.area(a.part, a.area).name.clone(),
                score: a.score,
                weight: a.weight,
            })
            .collect();
        let indicators = sheet
            .indicators
            .iter()
            .map(|i| IndicatorReport {
                code: i.code,
                score: i.score,
                weight: i.weight,
                answered: i.completeness.answered,
                questions: i.completeness.total,
            })
            .collect();
        let item = |x: &crate::domain::lke::scoring::HasilItemScore| HasilItemReport {
            value: x.value,
            answer: x.answer,
            score: x.score,
        };
        ScoreReport {
            rubric: sheet.rubric_key.clone(),
            total: sheet.total.score,
            pengungkit: sheet.pengungkit.score,
            pemenuhan: sheet.pemenuhan.score,
            reform: sheet.reform.score,
            hasil: sheet.hasil.total.score,
            areas,
            indicators,
            hasil_items: HasilItemsReport {
                ipak: item(&sheet.hasil.ipak),
                capaian: item(&sheet.hasil.capaian),
                ipkp: item(&sheet.hasil.ipkp),
            },
            gates: GatesReport {
                wbk: predicate(&verdicts.wbk),
                wbbm: predicate(&verdicts.wbbm),
            },
            completeness: CompletenessReport {
                answered: sheet.total.completeness.answered,
                total: sheet.total.completeness.total,
            },
            conservative_total: sheet.total.conservative,
            problems,
            workbook,
        }
    }
}

fn predicate(v: &PredicateVerdict) -> PredicateReport {
    PredicateReport {
        pass: v.pass,
        gates: v
            .gates
            .iter()
            .map(|g| GateReport {
                target: g.target,
                value: g.value,
                threshold: g.threshold,
                margin: g.margin,
                pass: g.pass,
            })
            .collect(),
        preconditions: v
            .preconditions
            .iter()
            .map(|p| PreconditionReport {
                precondition: p.precondition,
                pass: p.pass,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
    );

    #[test]
    fn report_json_contract() {
        let report = score_workbook(FIXTURE).unwrap();
        let v = serde_json::to_value(&report).unwrap();
        for key in [
            "total",
            "pengungkit",
            "pemenuhan",
            "reform",
            "hasil",
            "areas",
            "indicators",
            "hasil_items",
            "gates",
            "completeness",
            "conservative_total",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert!((v["total"].as_f64().unwrap() - 95.7095238095238).abs() < 1e-9);
        let area = &v["areas"][10];
        assert_eq!(area["part"], "reform");
        assert_eq!(area["area"], 5);
        assert_eq!(area["name"], "Penguatan Pengawasan");
        assert_eq!(area["weight"], 7.5);
        assert_eq!(v["areas"].as_array().unwrap().len(), 12);
        let ind = &v["indicators"][0];
        assert_eq!(ind["code"], "P.MP.i");
        assert_eq!(
            (ind["answered"].as_u64(), ind["questions"].as_u64()),
            (Some(2), Some(2))
        );
        assert_eq!(v["hasil_items"]["ipak"]["value"], 4.0);
        assert_eq!(v["hasil_items"]["capaian"]["answer"], "A");
        assert_eq!(v["hasil_items"]["ipkp"]["score"], 17.5);
        assert_eq!(v["gates"]["wbk"]["pass"], true);
        assert_eq!(v["gates"]["wbbm"]["pass"], false, "WBK not held");
        let gate = &v["gates"]["wbk"]["gates"][0];
        assert_eq!(gate["target"]["kind"], "total");
        assert_eq!(gate["threshold"], 75.0);
        assert_eq!(v["completeness"]["answered"], 113);
        assert_eq!(v["completeness"]["total"], 113);
        let back: ScoreReport = serde_json::from_value(v).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn wbbm_passes_for_a_unit_holding_wbk() {
        let gates = builtin_gates_90_2021();
        let options = ScoreOptions {
            rubric: builtin_90_2021_ref(),
            gates: &gates,
            holds_wbk: true,
            limits: Limits::default(),
            lane: WorkbookLane::Unit,
        };
        let bytes = std::fs::read(FIXTURE).unwrap();
        let report = score_workbook_bytes(&bytes, &options).unwrap();
        // Reform PW is 4.87 of 7.5, but the area gate looks at Pemenuhan + Reform
        // (7.5 + 4.87 of 15 = 82 % ≥ 75 %).
        assert!(report.gates.wbbm.pass);
    }
}
