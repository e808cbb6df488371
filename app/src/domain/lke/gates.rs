//! WBK / WBBM gates as data, and their evaluation against a [`ScoreSheet`].
//!
//! The defaults for PermenPANRB 90/2021 ship as data
//! ([`super::builtin::builtin_gates_90_2021`]); an administrator may store corrected
//! sets per rubric version. All gates of a predicate are conjunctive.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::codes::{AreaId, Part};
use super::scoring::{ScoreSheet, Subtotal};

/// Scores this close below a threshold still pass (binary floating point noise).
pub const PASS_TOLERANCE: f64 = 1e-9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// Menuju Wilayah Bebas dari Korupsi.
    Wbk,
    /// Menuju Wilayah Birokrasi Bersih dan Melayani.
    Wbbm,
}

/// What a gate rule looks at. `EachArea` expands to one gate per area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GateScope {
    Total,
    Pengungkit,
    Part {
        part: Part,
    },
    /// Every area; `part: None` = Pemenuhan + Reform of the area.
    EachArea {
        part: Option<Part>,
    },
    Area {
        part: Option<Part>,
        area: AreaId,
    },
    Hasil,
    /// Birokrasi yang bersih dan akuntabel (IPAK + capaian kinerja).
    HasilBersih,
    /// Pelayanan publik yang prima (IPKP).
    HasilPrima,
    Ipak,
    Capaian,
    Ipkp,
}

/// The score a gate result is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GateTarget {
    Total,
    Pengungkit,
    Part {
        part: Part,
    },
    /// `part: None` = Pemenuhan + Reform of the area.
    Area {
        part: Option<Part>,
        area: AreaId,
    },
    Hasil,
    HasilBersih,
    HasilPrima,
    Ipak,
    Capaian,
    Ipkp,
}

/// Minimum a target must reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Threshold {
    /// At least this many points.
    AtLeast(f64),
    /// At least this share (0–1) of the target's weight.
    AtLeastShareOfWeight(f64),
}

impl Threshold {
    /// The threshold in points for a target of the given weight.
    pub fn points(self, weight: f64) -> f64 {
        match self {
            Threshold::AtLeast(p) => p,
            Threshold::AtLeastShareOfWeight(s) => s * weight,
        }
    }

    /// The number an administrator edits: points, or a share as a percentage.
    pub fn display_value(self) -> f64 {
        match self {
            Threshold::AtLeast(p) => p,
            Threshold::AtLeastShareOfWeight(s) => s * 100.0,
        }
    }

    /// The same kind of threshold with an edited display value.
    pub fn with_display_value(self, value: f64) -> Threshold {
        match self {
            Threshold::AtLeast(_) => Threshold::AtLeast(value),
            Threshold::AtLeastShareOfWeight(_) => Threshold::AtLeastShareOfWeight(value / 100.0),
        }
    }
}

/// Non-numeric condition of a predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precondition {
    /// The unit already holds the WBK predicate.
    HoldsWbk,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GateRule {
    pub scope: GateScope,
    pub threshold: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredicateRules {
    pub gates: Vec<GateRule>,
    #[serde(default)]
    pub preconditions: Vec<Precondition>,
}

/// Why gate data was refused.
#[derive(Debug, Clone, Copy, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum GateError {
    #[error("threshold {0} is not a finite, non-negative number")]
    InvalidPoints(f64),
    #[error("share {0} is not within 0..=1")]
    InvalidShare(f64),
    #[error("expected {expected} thresholds, got {found}")]
    RuleCount { expected: usize, found: usize },
}

/// Unvalidated form of a [`GateSet`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateSetData {
    pub rubric_key: String,
    pub wbk: PredicateRules,
    pub wbbm: PredicateRules,
}

/// The WBK and WBBM rules of one rubric version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GateSetData", into = "GateSetData")]
pub struct GateSet {
    pub rubric_key: String,
    wbk: PredicateRules,
    wbbm: PredicateRules,
}

impl GateSet {
    pub fn new(data: GateSetData) -> Result<Self, GateError> {
        for rule in data.wbk.gates.iter().chain(&data.wbbm.gates) {
            match rule.threshold {
                Threshold::AtLeast(p) if !p.is_finite() || p < 0.0 => {
                    return Err(GateError::InvalidPoints(p))
                }
                Threshold::AtLeastShareOfWeight(s) if !(0.0..=1.0).contains(&s) => {
                    return Err(GateError::InvalidShare(s))
                }
                _ => {}
            }
        }
        Ok(GateSet {
            rubric_key: data.rubric_key,
            wbk: data.wbk,
            wbbm: data.wbbm,
        })
    }

    /// The same rules for another rubric version (a new version starts from the built-in gates).
    pub fn for_rubric(&self, rubric_key: &str) -> GateSet {
        GateSet {
            rubric_key: rubric_key.to_owned(),
            ..self.clone()
        }
    }

    /// The same rules with new thresholds (display values, in rule order);
    /// refused when a count differs or a value is out of range.
    pub fn with_thresholds(&self, wbk: &[f64], wbbm: &[f64]) -> Result<GateSet, GateError> {
        let edit = |rules: &PredicateRules, values: &[f64]| -> Result<PredicateRules, GateError> {
            if rules.gates.len() != values.len() {
                return Err(GateError::RuleCount {
                    expected: rules.gates.len(),
                    found: values.len(),
                });
            }
            let gates = rules
                .gates
                .iter()
                .zip(values)
                .map(|(rule, value)| GateRule {
                    scope: rule.scope,
                    threshold: rule.threshold.with_display_value(*value),
                })
                .collect();
            Ok(PredicateRules {
                gates,
                preconditions: rules.preconditions.clone(),
            })
        };
        GateSet::new(GateSetData {
            rubric_key: self.rubric_key.clone(),
            wbk: edit(&self.wbk, wbk)?,
            wbbm: edit(&self.wbbm, wbbm)?,
        })
    }

    pub fn rules(&self, predicate: Predicate) -> &PredicateRules {
        match predicate {
            Predicate::Wbk => &self.wbk,
            Predicate::Wbbm => &self.wbbm,
        }
    }
}

impl TryFrom<GateSetData> for GateSet {
    type Error = GateError;
    fn try_from(d: GateSetData) -> Result<Self, Self::Error> {
        GateSet::new(d)
    }
}

impl From<GateSet> for GateSetData {
    fn from(g: GateSet) -> Self {
        GateSetData {
            rubric_key: g.rubric_key,
            wbk: g.wbk,
            wbbm: g.wbbm,
        }
    }
}

/// Outcome of one gate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub target: GateTarget,
    pub rule: Threshold,
    /// The target's score.
    pub value: f64,
    /// The target's weight.
    pub weight: f64,
    /// The threshold in points.
    pub threshold: f64,
    /// `value - threshold` (negative: points missing).
    pub margin: f64,
    pub pass: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreconditionResult {
    pub precondition: Precondition,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredicateVerdict {
    pub predicate: Predicate,
    /// Every gate and precondition passes.
    pub pass: bool,
    pub gates: Vec<GateResult>,
    pub preconditions: Vec<PreconditionResult>,
}

impl PredicateVerdict {
    pub fn failing_gates(&self) -> impl Iterator<Item = &GateResult> + '_ {
        self.gates.iter().filter(|g| !g.pass)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdicts {
    pub wbk: PredicateVerdict,
    pub wbbm: PredicateVerdict,
}

/// Evaluates the WBK and WBBM rules. `holds_wbk` answers the WBBM precondition.
pub fn evaluate(sheet: &ScoreSheet, gates: &GateSet, holds_wbk: bool) -> Verdicts {
    Verdicts {
        wbk: evaluate_predicate(sheet, gates, Predicate::Wbk, holds_wbk),
        wbbm: evaluate_predicate(sheet, gates, Predicate::Wbbm, holds_wbk),
    }
}

pub fn evaluate_predicate(
    sheet: &ScoreSheet,
    gates: &GateSet,
    predicate: Predicate,
    holds_wbk: bool,
) -> PredicateVerdict {
    let rules = gates.rules(predicate);
    let gates: Vec<GateResult> = rules
        .gates
        .iter()
        .flat_map(|rule| {
            expand(rule.scope)
                .into_iter()
                .map(move |t| gate_result(sheet, t, rule.threshold))
        })
        .collect();
    let preconditions: Vec<PreconditionResult> = rules
        .preconditions
        .iter()
        .map(|p| PreconditionResult {
            precondition: *p,
            pass: match p {
                Precondition::HoldsWbk => holds_wbk,
            },
        })
        .collect();
    PredicateVerdict {
        predicate,
        pass: gates.iter().all(|g| g.pass) && preconditions.iter().all(|p| p.pass),
        gates,
        preconditions,
    }
}

fn expand(scope: GateScope) -> Vec<GateTarget> {
    match scope {
        GateScope::Total => vec![GateTarget::Total],
        GateScope::Pengungkit => vec![GateTarget::Pengungkit],
        GateScope::Part { part } => vec![GateTarget::Part { part }],
        GateScope::EachArea { part } => AreaId::ALL
            .into_iter()
            .map(|area| GateTarget::Area { part, area })
            .collect(),
        GateScope::Area { part, area } => vec![GateTarget::Area { part, area }],
        GateScope::Hasil => vec![GateTarget::Hasil],
        GateScope::HasilBersih => vec![GateTarget::HasilBersih],
        GateScope::HasilPrima => vec![GateTarget::HasilPrima],
        GateScope::Ipak => vec![GateTarget::Ipak],
        GateScope::Capaian => vec![GateTarget::Capaian],
        GateScope::Ipkp => vec![GateTarget::Ipkp],
    }
}

/// Score and weight of a target.
pub fn target_value(sheet: &ScoreSheet, target: GateTarget) -> (f64, f64) {
    let s = |x: &Subtotal| (x.score, x.weight);
    let item = |x: &super::scoring::HasilItemScore| (x.score, x.weight);
    match target {
        GateTarget::Total => s(&sheet.total),
        GateTarget::Pengungkit => s(&sheet.pengungkit),
        GateTarget::Part { part } => s(sheet.part(part)),
        GateTarget::Area { part: None, area } => s(&sheet.area_combined(area)),
        GateTarget::Area {
            part: Some(p),
            area,
        } => sheet
            .area(p, area)
            .map_or((0.0, 0.0), |a| (a.score, a.weight)),
        GateTarget::Hasil => s(&sheet.hasil.total),
        GateTarget::HasilBersih => s(&sheet.hasil.bersih),
        GateTarget::HasilPrima => s(&sheet.hasil.prima),
        GateTarget::Ipak => item(&sheet.hasil.ipak),
        GateTarget::Capaian => item(&sheet.hasil.capaian),
        GateTarget::Ipkp => item(&sheet.hasil.ipkp),
    }
}

fn gate_result(sheet: &ScoreSheet, target: GateTarget, rule: Threshold) -> GateResult {
    let (value, weight) = target_value(sheet, target);
    let threshold = rule.points(weight);
    GateResult {
        target,
        rule,
        value,
        weight,
        threshold,
        margin: value - threshold,
        pass: value + PASS_TOLERANCE >= threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::super::answers::Answers;
    use super::super::builtin::{builtin_90_2021_ref, builtin_gates_90_2021};
    use super::super::scoring::score;
    use super::super::testkit::full_marks;
    use super::*;

    #[test]
    fn default_gates_have_the_documented_thresholds() {
        let g = builtin_gates_90_2021();
        let v = evaluate(&score(builtin_90_2021_ref(), &Answers::new()), &g, false);
        let thresholds = |pv: &PredicateVerdict| -> Vec<(GateTarget, f64)> {
            pv.gates.iter().map(|r| (r.target, r.threshold)).collect()
        };
        let wbk = thresholds(&v.wbk);
        assert!(wbk.contains(&(GateTarget::Total, 75.0)));
        assert!(wbk.contains(&(GateTarget::Pengungkit, 40.0)));
        assert!(wbk.contains(&(GateTarget::HasilBersih, 18.25)));
        assert!(wbk.contains(&(GateTarget::Ipak, 15.75)));
        assert!(wbk.contains(&(GateTarget::Capaian, 2.5)));
        assert!(wbk.contains(&(GateTarget::Ipkp, 14.0)));
        let pw = GateTarget::Area {
            part: None,
            area: AreaId::PenguatanPengawasan,
        };
        assert!(wbk
            .iter()
            .any(|(t, th)| *t == pw && (th - 9.0).abs() < 1e-12));
        assert_eq!(v.wbk.gates.len(), 12);
        let wbbm = thresholds(&v.wbbm);
        assert!(wbbm.contains(&(GateTarget::Total, 85.0)));
        assert!(wbbm.contains(&(GateTarget::Pengungkit, 48.0)));
        assert!(wbbm.contains(&(GateTarget::HasilBersih, 19.5)));
        assert!(wbbm.contains(&(GateTarget::Capaian, 3.75)));
        assert!(wbbm.contains(&(GateTarget::Ipkp, 15.75)));
        assert!(wbbm
            .iter()
            .any(|(t, th)| *t == pw && (th - 11.25).abs() < 1e-12));
        assert_eq!(v.wbbm.preconditions.len(), 1);
    }

    #[test]
    fn full_marks_pass_wbk_and_wbbm_only_with_wbk_held() {
        let g = builtin_gates_90_2021();
        let s = score(builtin_90_2021_ref(), &full_marks());
        assert!((s.total.score - 100.0).abs() < 1e-9);
        let v = evaluate(&s, &g, false);
        assert!(v.wbk.pass);
        assert!(v.wbbm.gates.iter().all(|r| r.pass));
        assert!(!v.wbbm.pass, "WBBM requires holding WBK");
        assert!(evaluate(&s, &g, true).wbbm.pass);
    }

    #[test]
    fn empty_assessment_fails_with_negative_margins() {
        let g = builtin_gates_90_2021();
        let v = evaluate(&score(builtin_90_2021_ref(), &Answers::new()), &g, true);
        assert!(!v.wbk.pass);
        assert!(v.wbk.gates.iter().all(|r| !r.pass && r.margin < 0.0));
        assert_eq!(v.wbk.failing_gates().count(), 12);
    }

    #[test]
    fn gate_data_is_validated() {
        let bad = r#"{"rubric_key":"x","wbk":{"gates":[{"scope":{"kind":"total"},"threshold":{"kind":"at_least_share_of_weight","value":1.5}}]},"wbbm":{"gates":[]}}"#;
        assert!(serde_json::from_str::<GateSet>(bad).is_err());
        let json = serde_json::to_string(&builtin_gates_90_2021()).unwrap();
        assert_eq!(
            serde_json::from_str::<GateSet>(&json).unwrap(),
            builtin_gates_90_2021()
        );
    }

    #[test]
    fn tolerance_absorbs_float_noise() {
        let rule = Threshold::AtLeast(75.0);
        let mut s = score(builtin_90_2021_ref(), &Answers::new());
        s.total.score = 75.0 - 1e-12;
        assert!(gate_result(&s, GateTarget::Total, rule).pass);
        s.total.score = 75.0 - 1e-6;
        assert!(!gate_result(&s, GateTarget::Total, rule).pass);
    }

    #[test]
    fn an_administrator_can_make_the_gates_stricter_but_not_invalid() {
        let gates = crate::domain::lke::builtin_gates_90_2021();
        let wbk: Vec<f64> = gates
            .rules(Predicate::Wbk)
            .gates
            .iter()
            .map(|g| g.threshold.display_value())
            .collect();
        let wbbm: Vec<f64> = gates
            .rules(Predicate::Wbbm)
            .gates
            .iter()
            .map(|g| g.threshold.display_value())
            .collect();
        assert_eq!(gates.with_thresholds(&wbk, &wbbm).unwrap(), gates);

        let stricter: Vec<f64> = wbk.iter().map(|v| v + 1.0).collect();
        let edited = gates.with_thresholds(&stricter, &wbbm).unwrap();
        let area_rule = edited
            .rules(Predicate::Wbk)
            .gates
            .iter()
            .find(|g| matches!(g.scope, GateScope::EachArea { .. }))
            .unwrap();
        assert_eq!(area_rule.threshold, Threshold::AtLeastShareOfWeight(0.61));

        let mut too_much = wbk.clone();
        let share_index = gates
            .rules(Predicate::Wbk)
            .gates
            .iter()
            .position(|g| matches!(g.threshold, Threshold::AtLeastShareOfWeight(_)))
            .unwrap();
        too_much[share_index] = 150.0;
        assert!(matches!(
            gates.with_thresholds(&too_much, &wbbm),
            Err(GateError::InvalidShare(_))
        ));
        assert!(matches!(
            gates.with_thresholds(&wbk[1..], &wbbm),
            Err(GateError::RuleCount { .. })
        ));
    }
}
