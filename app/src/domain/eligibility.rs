//! The instansi's eligibility to propose units to the national team (TPN):
//! the facts an administrator records per evaluation year, the thresholds
//! each target asks for (stored with the rubric version), and the checklist
//! that sets one against the other.
//!
//! Decisions, documented in the README ("Connecting to PortalRB"):
//! - The facts of year Y are what is known when proposing in Y: the latest
//!   BPK opinion, SAKIP grade, RB index grade, SPIP maturity level, audit
//!   follow-up percentage, and whether the survey reports (IPAK/IKM) exist.
//! - The RB index is kept as its grade on the SAKIP scale (AA … D), as
//!   KemenPANRB publishes it with the index; thresholds speak in grades.
//! - A unit's WBK history is the national results recorded in the app: the
//!   first year (the period's year) the unit was awarded WBK. WBBM needs
//!   `wbk_years` whole years since: WBK of 2024 allows WBBM from 2026 with 2.
//! - A criterion with nothing recorded is "unknown"; unknown and unmet alike
//!   need the administrator's explicit tick to propose anyway.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::assessment::Target;
use super::lke::{parse_decimal, Predicate};
use super::period::Year;

/// The longest note on a year's facts, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The most consecutive years a BPK or WBK rule may ask for.
pub const MAX_RULE_YEARS: u8 = 10;

/// BPK's opinion on the instansi's financial statements, worst first (so a
/// better opinion compares greater): TMP, TW, WDP, WTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BpkOpinion {
    /// Tidak Menyatakan Pendapat (disclaimer).
    Tmp,
    /// Tidak Wajar (adverse).
    Tw,
    /// Wajar Dengan Pengecualian (qualified).
    Wdp,
    /// Wajar Tanpa Pengecualian (unqualified).
    Wtp,
}

impl BpkOpinion {
    pub const ALL: [BpkOpinion; 4] = [
        BpkOpinion::Wtp,
        BpkOpinion::Wdp,
        BpkOpinion::Tw,
        BpkOpinion::Tmp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BpkOpinion::Tmp => "TMP",
            BpkOpinion::Tw => "TW",
            BpkOpinion::Wdp => "WDP",
            BpkOpinion::Wtp => "WTP",
        }
    }
}

/// A SAKIP (or RB index) grade, worst first: D, C, CC, B, BB, A, AA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "D")]
    D,
    #[serde(rename = "C")]
    C,
    #[serde(rename = "CC")]
    Cc,
    #[serde(rename = "B")]
    B,
    #[serde(rename = "BB")]
    Bb,
    #[serde(rename = "A")]
    A,
    #[serde(rename = "AA")]
    Aa,
}

impl Grade {
    pub const ALL: [Grade; 7] = [
        Grade::Aa,
        Grade::A,
        Grade::Bb,
        Grade::B,
        Grade::Cc,
        Grade::C,
        Grade::D,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::D => "D",
            Grade::C => "C",
            Grade::Cc => "CC",
            Grade::B => "B",
            Grade::Bb => "BB",
            Grade::A => "A",
            Grade::Aa => "AA",
        }
    }
}

/// SPIP maturity level, 1 (rintisan) to 5 (optimum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SpipLevel(u8);

impl SpipLevel {
    pub fn new(level: u8) -> Result<SpipLevel, InputProblem> {
        if (1..=5).contains(&level) {
            Ok(SpipLevel(level))
        } else {
            Err(InputProblem::OutOfRange)
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for SpipLevel {
    type Error = InputProblem;
    fn try_from(level: u8) -> Result<SpipLevel, InputProblem> {
        SpipLevel::new(level)
    }
}

impl From<SpipLevel> for u8 {
    fn from(level: SpipLevel) -> u8 {
        level.0
    }
}

/// A percentage from 0 to 100, kept in hundredths (87,45 % is 8745).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Percent(u16);

impl Percent {
    pub fn from_hundredths(hundredths: u16) -> Result<Percent, InputProblem> {
        if hundredths <= 10_000 {
            Ok(Percent(hundredths))
        } else {
            Err(InputProblem::OutOfRange)
        }
    }

    /// `87,45`, `87.45` or `87`; at most two decimals count.
    pub fn parse(raw: &str) -> Result<Percent, InputProblem> {
        let raw = raw.trim().trim_end_matches('%').trim();
        let value = parse_decimal(raw).map_err(|_| InputProblem::NotANumber)?;
        if !(0.0..=100.0).contains(&value) {
            return Err(InputProblem::OutOfRange);
        }
        // In range, so the rounded hundredths fit a u16.
        let hundredths = (value * 100.0).round();
        Percent::from_hundredths(hundredths as u16)
    }

    pub fn value(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl TryFrom<u16> for Percent {
    type Error = InputProblem;
    fn try_from(hundredths: u16) -> Result<Percent, InputProblem> {
        Percent::from_hundredths(hundredths)
    }
}

impl From<Percent> for u16 {
    fn from(percent: Percent) -> u16 {
        percent.0
    }
}

/// Why one input of the facts or thresholds forms was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputProblem {
    #[error("not one of the offered choices")]
    NotAChoice,
    #[error("not a number")]
    NotANumber,
    #[error("out of range")]
    OutOfRange,
    #[error("too long")]
    TooLong,
}

/// Which input a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    Bpk,
    BpkYears,
    Sakip,
    RbIndex,
    Spip,
    FollowUp,
    Surveys,
    WbkYears,
    Note,
}

/// A refused input of the facts or thresholds forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{input:?}: {problem}")]
pub struct InputError {
    pub input: Input,
    pub problem: InputProblem,
}

fn on(input: Input) -> impl Fn(InputProblem) -> InputError {
    move |problem| InputError { input, problem }
}

/// An empty field is `None` (not recorded, or no rule); anything else must parse.
fn optional<T>(
    raw: &str,
    parse: impl Fn(&str) -> Result<T, InputProblem>,
) -> Result<Option<T>, InputProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

fn bpk_of(raw: &str) -> Result<BpkOpinion, InputProblem> {
    BpkOpinion::ALL
        .into_iter()
        .find(|o| o.as_str().eq_ignore_ascii_case(raw))
        .ok_or(InputProblem::NotAChoice)
}

fn grade_of(raw: &str) -> Result<Grade, InputProblem> {
    Grade::ALL
        .into_iter()
        .find(|g| g.as_str().eq_ignore_ascii_case(raw))
        .ok_or(InputProblem::NotAChoice)
}

fn spip_of(raw: &str) -> Result<SpipLevel, InputProblem> {
    let level: u8 = raw.parse().map_err(|_| InputProblem::NotANumber)?;
    SpipLevel::new(level)
}

fn yes_no(raw: &str) -> Result<bool, InputProblem> {
    match raw.to_ascii_lowercase().as_str() {
        "yes" | "ya" | "true" => Ok(true),
        "no" | "tidak" | "false" => Ok(false),
        _ => Err(InputProblem::NotAChoice),
    }
}

fn years_of(raw: &str, least: u8) -> Result<u8, InputProblem> {
    let years: u8 = raw.trim().parse().map_err(|_| InputProblem::NotANumber)?;
    if (least..=MAX_RULE_YEARS).contains(&years) {
        Ok(years)
    } else {
        Err(InputProblem::OutOfRange)
    }
}

/// What an administrator recorded about the instansi for one evaluation
/// year; `None` is "not recorded".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstansiFacts {
    pub bpk: Option<BpkOpinion>,
    pub sakip: Option<Grade>,
    pub rb_index: Option<Grade>,
    pub spip: Option<SpipLevel>,
    /// Share of audit findings followed up (tindak lanjut hasil pemeriksaan).
    pub follow_up: Option<Percent>,
    /// The survey reports (IPAK and IKM/IPKP) exist.
    pub surveys: Option<bool>,
    /// Where the figures come from, as the administrator wrote it.
    #[serde(default)]
    pub note: String,
}

/// The facts form as posted: every field text, empty for "not recorded".
#[derive(Clone, Copy, Debug, Default)]
pub struct FactsInput<'a> {
    pub bpk: &'a str,
    pub sakip: &'a str,
    pub rb_index: &'a str,
    pub spip: &'a str,
    pub follow_up: &'a str,
    pub surveys: &'a str,
    pub note: &'a str,
}

impl InstansiFacts {
    pub fn parse(input: FactsInput<'_>) -> Result<InstansiFacts, InputError> {
        let note = input.note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(InputError {
                input: Input::Note,
                problem: InputProblem::TooLong,
            });
        }
        Ok(InstansiFacts {
            bpk: optional(input.bpk, bpk_of).map_err(on(Input::Bpk))?,
            sakip: optional(input.sakip, grade_of).map_err(on(Input::Sakip))?,
            rb_index: optional(input.rb_index, grade_of).map_err(on(Input::RbIndex))?,
            spip: optional(input.spip, spip_of).map_err(on(Input::Spip))?,
            follow_up: optional(input.follow_up, Percent::parse).map_err(on(Input::FollowUp))?,
            surveys: optional(input.surveys, yes_no).map_err(on(Input::Surveys))?,
            note: note.to_owned(),
        })
    }
}

/// One evaluation year's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFacts {
    pub year: Year,
    pub facts: InstansiFacts,
}

/// What one target (WBK or WBBM) asks of the instansi and the unit; `None`
/// (or `false`, or 0 years) asks nothing of that criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetThresholds {
    /// The least BPK opinion, in each of `bpk_years` consecutive years
    /// ending with the assessment's year.
    pub bpk: Option<BpkOpinion>,
    pub bpk_years: u8,
    pub sakip: Option<Grade>,
    pub rb_index: Option<Grade>,
    pub spip: Option<SpipLevel>,
    pub follow_up: Option<Percent>,
    pub surveys: bool,
    /// Whole years the unit must have held WBK (WBBM only; 0 asks nothing).
    pub wbk_years: u8,
}

/// The thresholds form of one target as posted, by input name.
pub type ThresholdsInput = BTreeMap<String, String>;

impl TargetThresholds {
    /// The thresholds a form posted: an empty choice is "no rule"; the
    /// surveys rule is on when `surveys` is `yes`.
    pub fn parse(input: &ThresholdsInput, target: Target) -> Result<TargetThresholds, InputError> {
        let get = |name: &str| input.get(name).map_or("", String::as_str);
        let wbk_years = match target {
            Target::Wbk => 0,
            Target::Wbbm => optional(get("wbk_years"), |raw| years_of(raw, 0))
                .map_err(on(Input::WbkYears))?
                .unwrap_or(0),
        };
        Ok(TargetThresholds {
            bpk: optional(get("bpk"), bpk_of).map_err(on(Input::Bpk))?,
            bpk_years: optional(get("bpk_years"), |raw| years_of(raw, 1))
                .map_err(on(Input::BpkYears))?
                .unwrap_or(1),
            sakip: optional(get("sakip"), grade_of).map_err(on(Input::Sakip))?,
            rb_index: optional(get("rb_index"), grade_of).map_err(on(Input::RbIndex))?,
            spip: optional(get("spip"), spip_of).map_err(on(Input::Spip))?,
            follow_up: optional(get("follow_up"), Percent::parse).map_err(on(Input::FollowUp))?,
            surveys: optional(get("surveys"), yes_no)
                .map_err(on(Input::Surveys))?
                .unwrap_or(false),
            wbk_years,
        })
    }
}

/// The thresholds of both targets, stored with a rubric version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityThresholds {
    pub wbk: TargetThresholds,
    pub wbbm: TargetThresholds,
}

impl Default for EligibilityThresholds {
    /// From lke-rubric §4.3: a WTP opinion (WBBM: two consecutive years),
    /// SAKIP at least CC, and for WBBM the unit held WBK; the survey reports
    /// because the Hasil component is scored from them. Nothing is known of
    /// the RB index, SPIP and follow-up thresholds: they ask nothing until
    /// an administrator sets them.
    fn default() -> Self {
        let wbk = TargetThresholds {
            bpk: Some(BpkOpinion::Wtp),
            bpk_years: 1,
            sakip: Some(Grade::Cc),
            rb_index: None,
            spip: None,
            follow_up: None,
            surveys: true,
            wbk_years: 0,
        };
        EligibilityThresholds {
            wbk,
            wbbm: TargetThresholds {
                bpk_years: 2,
                wbk_years: 2,
                ..wbk
            },
        }
    }
}

impl EligibilityThresholds {
    pub fn of(&self, target: Target) -> &TargetThresholds {
        match target {
            Target::Wbk => &self.wbk,
            Target::Wbbm => &self.wbbm,
        }
    }
}

/// What a unit has held, from the national results recorded in the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitHistory {
    /// The first period year in which the unit was awarded WBK.
    pub wbk_since: Option<Year>,
}

impl UnitHistory {
    /// From the unit's recorded national results: (predicate, awarded, period year).
    pub fn from_results(results: impl IntoIterator<Item = (Predicate, bool, Year)>) -> Self {
        UnitHistory {
            wbk_since: results
                .into_iter()
                .filter(|(predicate, awarded, _)| *awarded && *predicate == Predicate::Wbk)
                .map(|(_, _, year)| year)
                .min(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Bpk,
    Sakip,
    RbIndex,
    Spip,
    FollowUp,
    Surveys,
    WbkHistory,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    Unmet,
    /// Nothing recorded for a year the rule looks at.
    Unknown,
    /// The thresholds ask nothing of this criterion.
    NotRequired,
}

/// What a criterion asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Required {
    Bpk { least: BpkOpinion, years: u8 },
    Grade(Grade),
    Spip(SpipLevel),
    Percent(Percent),
    Present,
    WbkYears(u8),
}

/// BPK's opinion of one year, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearOpinion {
    pub year: Year,
    pub opinion: Option<BpkOpinion>,
}

/// What the records hold for a criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Found {
    /// Newest year first.
    Bpk(Vec<YearOpinion>),
    Grade(Option<Grade>),
    Spip(Option<SpipLevel>),
    Percent(Option<Percent>),
    Surveys(Option<bool>),
    WbkSince(Option<Year>),
}

/// One line of the checklist: the criterion, what it asks, what was found,
/// and whether that meets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub criterion: Criterion,
    pub outcome: Outcome,
    pub required: Option<Required>,
    pub found: Found,
}

impl Check {
    /// Met, or nothing asked.
    pub fn passes(&self) -> bool {
        matches!(self.outcome, Outcome::Met | Outcome::NotRequired)
    }
}

/// Every criterion of a target for one evaluation year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub year: Year,
    pub target: Target,
    pub checks: Vec<Check>,
}

impl Checklist {
    /// Every criterion is met or asks nothing.
    pub fn met(&self) -> bool {
        self.checks.iter().all(Check::passes)
    }

    /// The criteria that are unmet or unknown: the reasons a proposal needs the tick.
    pub fn open(&self) -> Vec<Check> {
        self.checks
            .iter()
            .filter(|c| !c.passes())
            .cloned()
            .collect()
    }
}

/// Why a proposal was refused on eligibility.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalRefusal {
    /// Some criteria are unmet or unknown, and nobody ticked "propose anyway".
    NotEligible(Vec<Check>),
    /// Afirmasi is a WBK category.
    AfirmasiNotWbk,
}

/// Whether an administrator may propose with this checklist: one that is not
/// met needs `anyway`; afirmasi only on WBK. Returns the afirmasi flag to store.
pub fn may_propose(
    checklist: &Checklist,
    anyway: bool,
    afirmasi: bool,
) -> Result<bool, ProposalRefusal> {
    if afirmasi && checklist.target != Target::Wbk {
        return Err(ProposalRefusal::AfirmasiNotWbk);
    }
    if !checklist.met() && !anyway {
        return Err(ProposalRefusal::NotEligible(checklist.open()));
    }
    Ok(afirmasi)
}

fn at_least<T: Ord + Copy>(found: Option<T>, least: Option<T>) -> Outcome {
    match (least, found) {
        (None, _) => Outcome::NotRequired,
        (Some(_), None) => Outcome::Unknown,
        (Some(least), Some(found)) if found >= least => Outcome::Met,
        _ => Outcome::Unmet,
    }
}

fn bpk_check(
    facts: &[YearFacts],
    rule: &TargetThresholds,
    year: Year,
) -> (Outcome, Vec<YearOpinion>) {
    let years = rule.bpk.map_or(1, |_| rule.bpk_years.max(1));
    let opinions: Vec<YearOpinion> = (0..i64::from(years))
        .filter_map(|back| Year::new(i64::from(year.value()) - back).ok())
        .map(|y| YearOpinion {
            year: y,
            opinion: of_year(facts, y).and_then(|f| f.bpk),
        })
        .collect();
    let Some(least) = rule.bpk else {
        return (Outcome::NotRequired, opinions);
    };
    let outcomes: Vec<Outcome> = opinions
        .iter()
        .map(|o| at_least(o.opinion, Some(least)))
        .collect();
    let outcome = if outcomes.contains(&Outcome::Unmet) {
        Outcome::Unmet
    } else if outcomes.contains(&Outcome::Unknown) || opinions.len() < usize::from(years) {
        Outcome::Unknown
    } else {
        Outcome::Met
    };
    (outcome, opinions)
}

fn of_year(facts: &[YearFacts], year: Year) -> Option<&InstansiFacts> {
    facts.iter().find(|f| f.year == year).map(|f| &f.facts)
}

fn wbk_check(rule: &TargetThresholds, year: Year, unit: &UnitHistory) -> Check {
    let outcome = match (rule.wbk_years, unit.wbk_since) {
        (0, _) => Outcome::NotRequired,
        (_, None) => Outcome::Unmet,
        (years, Some(since)) if year.value() - since.value() >= i32::from(years) => Outcome::Met,
        _ => Outcome::Unmet,
    };
    Check {
        criterion: Criterion::WbkHistory,
        outcome,
        required: (rule.wbk_years > 0).then_some(Required::WbkYears(rule.wbk_years)),
        found: Found::WbkSince(unit.wbk_since),
    }
}

/// The checklist of `target` for the evaluation `year`: every criterion
/// with what it asks, what the records hold, and the outcome. WBBM adds the
/// unit's WBK history.
pub fn check(
    facts: &[YearFacts],
    thresholds: &EligibilityThresholds,
    target: Target,
    year: Year,
    unit: &UnitHistory,
) -> Checklist {
    let rule = thresholds.of(target);
    let now = of_year(facts, year).cloned().unwrap_or_default();
    let (bpk_outcome, opinions) = bpk_check(facts, rule, year);
    let mut checks = vec![
        Check {
            criterion: Criterion::Bpk,
            outcome: bpk_outcome,
            required: rule.bpk.map(|least| Required::Bpk {
                least,
                years: rule.bpk_years.max(1),
            }),
            found: Found::Bpk(opinions),
        },
        Check {
            criterion: Criterion::Sakip,
            outcome: at_least(now.sakip, rule.sakip),
            required: rule.sakip.map(Required::Grade),
            found: Found::Grade(now.sakip),
        },
        Check {
            criterion: Criterion::RbIndex,
            outcome: at_least(now.rb_index, rule.rb_index),
            required: rule.rb_index.map(Required::Grade),
            found: Found::Grade(now.rb_index),
        },
        Check {
            criterion: Criterion::Spip,
            outcome: at_least(now.spip, rule.spip),
            required: rule.spip.map(Required::Spip),
            found: Found::Spip(now.spip),
        },
        Check {
            criterion: Criterion::FollowUp,
            outcome: at_least(now.follow_up, rule.follow_up),
            required: rule.follow_up.map(Required::Percent),
            found: Found::Percent(now.follow_up),
        },
        Check {
            criterion: Criterion::Surveys,
            outcome: at_least(now.surveys, rule.surveys.then_some(true)),
            required: rule.surveys.then_some(Required::Present),
            found: Found::Surveys(now.surveys),
        },
    ];
    if target == Target::Wbbm {
        checks.push(wbk_check(rule, year, unit));
    }
    Checklist {
        year,
        target,
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i64) -> Year {
        Year::new(y).expect("a year")
    }

    fn good() -> InstansiFacts {
        InstansiFacts {
            bpk: Some(BpkOpinion::Wtp),
            sakip: Some(Grade::Bb),
            rb_index: Some(Grade::B),
            spip: SpipLevel::new(3).ok(),
            follow_up: Percent::parse("85,5").ok(),
            surveys: Some(true),
            note: String::new(),
        }
    }

    fn on_years(list: &[(i64, InstansiFacts)]) -> Vec<YearFacts> {
        list.iter()
            .map(|(y, facts)| YearFacts {
                year: year(*y),
                facts: facts.clone(),
            })
            .collect()
    }

    fn outcome(list: &Checklist, criterion: Criterion) -> Outcome {
        list.checks
            .iter()
            .find(|c| c.criterion == criterion)
            .map(|c| c.outcome)
            .expect("the criterion is listed")
    }

    fn strict() -> EligibilityThresholds {
        let mut t = EligibilityThresholds::default();
        for rule in [&mut t.wbk, &mut t.wbbm] {
            rule.rb_index = Some(Grade::B);
            rule.spip = SpipLevel::new(3).ok();
            rule.follow_up = Percent::parse("80").ok();
        }
        t
    }

    #[test]
    fn opinions_and_grades_order_from_worst_to_best() {
        assert!(BpkOpinion::Wtp > BpkOpinion::Wdp);
        assert!(BpkOpinion::Wdp > BpkOpinion::Tw);
        assert!(BpkOpinion::Tw > BpkOpinion::Tmp);
        let ascending = [
            Grade::D,
            Grade::C,
            Grade::Cc,
            Grade::B,
            Grade::Bb,
            Grade::A,
            Grade::Aa,
        ];
        assert!(ascending.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            serde_json::to_string(&Grade::Cc).ok().as_deref(),
            Some("\"CC\"")
        );
        assert_eq!(
            serde_json::to_string(&BpkOpinion::Wdp).ok().as_deref(),
            Some("\"WDP\"")
        );
    }

    #[test]
    fn a_year_that_meets_every_default_of_wbk_is_eligible() {
        let facts = on_years(&[(2026, good())]);
        let list = check(
            &facts,
            &EligibilityThresholds::default(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        assert!(list.met(), "{list:?}");
        assert!(list.open().is_empty());
        assert_eq!(outcome(&list, Criterion::RbIndex), Outcome::NotRequired);
        assert!(
            list.checks
                .iter()
                .all(|c| c.criterion != Criterion::WbkHistory),
            "WBK asks nothing of the unit's history"
        );
    }

    #[test]
    fn each_criterion_below_its_threshold_is_unmet_with_what_was_found() {
        let thresholds = strict();
        type Worsen = fn(&mut InstansiFacts);
        let cases: [(Criterion, Worsen); 6] = [
            (Criterion::Bpk, |f| f.bpk = Some(BpkOpinion::Wdp)),
            (Criterion::Sakip, |f| f.sakip = Some(Grade::C)),
            (Criterion::RbIndex, |f| f.rb_index = Some(Grade::Cc)),
            (Criterion::Spip, |f| f.spip = SpipLevel::new(2).ok()),
            (Criterion::FollowUp, |f| {
                f.follow_up = Percent::parse("79,99").ok()
            }),
            (Criterion::Surveys, |f| f.surveys = Some(false)),
        ];
        for (criterion, worsen) in cases {
            let mut facts = good();
            facts.follow_up = Percent::parse("80").ok();
            worsen(&mut facts);
            let list = check(
                &on_years(&[(2026, facts)]),
                &thresholds,
                Target::Wbk,
                year(2026),
                &UnitHistory::default(),
            );
            let open = list.open();
            assert_eq!(open.len(), 1, "{criterion:?}: {open:?}");
            assert_eq!(open[0].criterion, criterion);
            assert_eq!(open[0].outcome, Outcome::Unmet);
            assert!(open[0].required.is_some());
        }
    }

    #[test]
    fn exactly_the_threshold_meets_it() {
        let mut facts = good();
        facts.sakip = Some(Grade::Cc);
        facts.spip = SpipLevel::new(3).ok();
        facts.follow_up = Percent::parse("80.00").ok();
        facts.rb_index = Some(Grade::B);
        let list = check(
            &on_years(&[(2026, facts)]),
            &strict(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        assert!(list.met(), "{list:?}");
    }

    #[test]
    fn nothing_recorded_is_unknown_not_met() {
        let list = check(
            &[],
            &EligibilityThresholds::default(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        assert!(!list.met());
        assert_eq!(outcome(&list, Criterion::Bpk), Outcome::Unknown);
        assert_eq!(outcome(&list, Criterion::Sakip), Outcome::Unknown);
        assert_eq!(outcome(&list, Criterion::Surveys), Outcome::Unknown);
        assert_eq!(outcome(&list, Criterion::Spip), Outcome::NotRequired);
        // Another year's facts do not stand in for this one's.
        let list = check(
            &on_years(&[(2025, good())]),
            &EligibilityThresholds::default(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        assert_eq!(outcome(&list, Criterion::Sakip), Outcome::Unknown);
    }

    #[test]
    fn wbbm_needs_wtp_in_two_consecutive_years() {
        let thresholds = EligibilityThresholds::default();
        let held = UnitHistory {
            wbk_since: Some(year(2023)),
        };
        let mut wdp = good();
        wdp.bpk = Some(BpkOpinion::Wdp);
        let both = check(
            &on_years(&[(2026, good()), (2025, good())]),
            &thresholds,
            Target::Wbbm,
            year(2026),
            &held,
        );
        assert!(both.met(), "{both:?}");
        let last_year_wdp = check(
            &on_years(&[(2026, good()), (2025, wdp)]),
            &thresholds,
            Target::Wbbm,
            year(2026),
            &held,
        );
        assert_eq!(outcome(&last_year_wdp, Criterion::Bpk), Outcome::Unmet);
        let last_year_missing = check(
            &on_years(&[(2026, good())]),
            &thresholds,
            Target::Wbbm,
            year(2026),
            &held,
        );
        assert_eq!(
            outcome(&last_year_missing, Criterion::Bpk),
            Outcome::Unknown
        );
        let Some(Check {
            found: Found::Bpk(opinions),
            ..
        }) = last_year_missing.checks.first()
        else {
            panic!("BPK first");
        };
        assert_eq!(
            opinions,
            &vec![
                YearOpinion {
                    year: year(2026),
                    opinion: Some(BpkOpinion::Wtp)
                },
                YearOpinion {
                    year: year(2025),
                    opinion: None
                },
            ]
        );
        // One year is enough for WBK.
        let wbk = check(
            &on_years(&[(2026, good())]),
            &thresholds,
            Target::Wbk,
            year(2026),
            &held,
        );
        assert_eq!(outcome(&wbk, Criterion::Bpk), Outcome::Met);
    }

    #[test]
    fn wbbm_needs_the_unit_to_have_held_wbk_for_two_years() {
        let facts = on_years(&[(2026, good()), (2025, good())]);
        let thresholds = EligibilityThresholds::default();
        let since = |y: Option<i64>| UnitHistory {
            wbk_since: y.map(year),
        };
        for (history, expected) in [
            (since(None), Outcome::Unmet),
            (since(Some(2025)), Outcome::Unmet),
            (since(Some(2024)), Outcome::Met),
            (since(Some(2020)), Outcome::Met),
        ] {
            let list = check(&facts, &thresholds, Target::Wbbm, year(2026), &history);
            assert_eq!(
                outcome(&list, Criterion::WbkHistory),
                expected,
                "{history:?}"
            );
        }
        let mut none = thresholds;
        none.wbbm.wbk_years = 0;
        let list = check(&facts, &none, Target::Wbbm, year(2026), &since(None));
        assert_eq!(outcome(&list, Criterion::WbkHistory), Outcome::NotRequired);
        assert!(list.met());
    }

    #[test]
    fn the_wbk_history_is_the_first_award_of_wbk() {
        let history = UnitHistory::from_results([
            (Predicate::Wbk, false, year(2022)),
            (Predicate::Wbk, true, year(2024)),
            (Predicate::Wbk, true, year(2023)),
            (Predicate::Wbbm, true, year(2021)),
        ]);
        assert_eq!(history.wbk_since, Some(year(2023)));
        let never = UnitHistory::from_results([(Predicate::Wbk, false, year(2024))]);
        assert_eq!(never.wbk_since, None);
    }

    #[test]
    fn an_unmet_checklist_needs_the_tick_and_afirmasi_is_for_wbk_only() {
        let open = check(
            &[],
            &EligibilityThresholds::default(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        match may_propose(&open, false, false) {
            Err(ProposalRefusal::NotEligible(reasons)) => {
                assert_eq!(reasons.len(), 3, "BPK, SAKIP, surveys: {reasons:?}")
            }
            other => panic!("refused with the reasons, got {other:?}"),
        }
        assert_eq!(may_propose(&open, true, true), Ok(true));
        let met = check(
            &on_years(&[(2026, good())]),
            &EligibilityThresholds::default(),
            Target::Wbk,
            year(2026),
            &UnitHistory::default(),
        );
        assert_eq!(may_propose(&met, false, false), Ok(false));
        let wbbm = Checklist {
            target: Target::Wbbm,
            ..met
        };
        assert_eq!(
            may_propose(&wbbm, true, true),
            Err(ProposalRefusal::AfirmasiNotWbk)
        );
    }

    #[test]
    fn the_facts_form_parses_every_field_or_names_the_one_it_refuses() {
        let input = FactsInput {
            bpk: "wtp",
            sakip: " BB ",
            rb_index: "cc",
            spip: "3",
            follow_up: "87,45 %",
            surveys: "yes",
            note: "  LHP BPK No. 12/2026 <script>alert(1)</script> ",
        };
        let facts = InstansiFacts::parse(input).expect("valid");
        assert_eq!(facts.bpk, Some(BpkOpinion::Wtp));
        assert_eq!(facts.sakip, Some(Grade::Bb));
        assert_eq!(facts.rb_index, Some(Grade::Cc));
        assert_eq!(facts.spip.map(SpipLevel::value), Some(3));
        assert_eq!(facts.follow_up.map(u16::from), Some(8745));
        assert_eq!(facts.surveys, Some(true));
        assert_eq!(facts.note, "LHP BPK No. 12/2026 <script>alert(1)</script>");
        assert_eq!(
            InstansiFacts::parse(FactsInput::default()),
            Ok(InstansiFacts::default()),
            "every field may stay empty"
        );
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let refused = [
            (
                FactsInput {
                    bpk: "baik",
                    ..input
                },
                Input::Bpk,
                InputProblem::NotAChoice,
            ),
            (
                FactsInput {
                    sakip: "AAA",
                    ..input
                },
                Input::Sakip,
                InputProblem::NotAChoice,
            ),
            (
                FactsInput {
                    rb_index: "E",
                    ..input
                },
                Input::RbIndex,
                InputProblem::NotAChoice,
            ),
            (
                FactsInput { spip: "6", ..input },
                Input::Spip,
                InputProblem::OutOfRange,
            ),
            (
                FactsInput {
                    spip: "tiga",
                    ..input
                },
                Input::Spip,
                InputProblem::NotANumber,
            ),
            (
                FactsInput {
                    follow_up: "100,01",
                    ..input
                },
                Input::FollowUp,
                InputProblem::OutOfRange,
            ),
            (
                FactsInput {
                    follow_up: "-1",
                    ..input
                },
                Input::FollowUp,
                InputProblem::OutOfRange,
            ),
            (
                FactsInput {
                    follow_up: "banyak",
                    ..input
                },
                Input::FollowUp,
                InputProblem::NotANumber,
            ),
            (
                FactsInput {
                    surveys: "mungkin",
                    ..input
                },
                Input::Surveys,
                InputProblem::NotAChoice,
            ),
            (
                FactsInput {
                    note: &long,
                    ..input
                },
                Input::Note,
                InputProblem::TooLong,
            ),
        ];
        for (input, field, problem) in refused {
            assert_eq!(
                InstansiFacts::parse(input),
                Err(InputError {
                    input: field,
                    problem
                }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn the_thresholds_form_reads_empty_as_no_rule() {
        let form = |pairs: &[(&str, &str)]| -> ThresholdsInput {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let wbbm = TargetThresholds::parse(
            &form(&[
                ("bpk", "WTP"),
                ("bpk_years", "2"),
                ("sakip", "B"),
                ("rb_index", ""),
                ("spip", "3"),
                ("follow_up", "75"),
                ("surveys", "yes"),
                ("wbk_years", "2"),
            ]),
            Target::Wbbm,
        )
        .expect("valid");
        assert_eq!(wbbm.bpk, Some(BpkOpinion::Wtp));
        assert_eq!(wbbm.bpk_years, 2);
        assert_eq!(wbbm.sakip, Some(Grade::B));
        assert_eq!(wbbm.rb_index, None);
        assert_eq!(wbbm.follow_up.map(Percent::value), Some(75.0));
        assert!(wbbm.surveys);
        assert_eq!(wbbm.wbk_years, 2);
        let nothing = TargetThresholds::parse(&form(&[]), Target::Wbk).expect("valid");
        assert_eq!(nothing.bpk, None);
        assert!(!nothing.surveys);
        let wbk =
            TargetThresholds::parse(&form(&[("wbk_years", "3")]), Target::Wbk).expect("valid");
        assert_eq!(wbk.wbk_years, 0, "WBK asks nothing of the unit's history");
        for (pairs, input) in [
            (vec![("bpk_years", "0")], Input::BpkYears),
            (vec![("bpk_years", "11")], Input::BpkYears),
            (vec![("sakip", "Z")], Input::Sakip),
            (vec![("wbk_years", "dua")], Input::WbkYears),
        ] {
            let refused = TargetThresholds::parse(&form(&pairs), Target::Wbbm);
            assert_eq!(refused.map_err(|e| e.input), Err(input), "{pairs:?}");
        }
    }

    #[test]
    fn thresholds_and_checklists_survive_json() {
        let thresholds = strict();
        let json = serde_json::to_string(&thresholds).expect("encodes");
        let back: EligibilityThresholds = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, thresholds);
        let list = check(
            &on_years(&[(2026, good())]),
            &thresholds,
            Target::Wbbm,
            year(2026),
            &UnitHistory::default(),
        );
        let json = serde_json::to_string(&list).expect("encodes");
        let back: Checklist = serde_json::from_str(&json).expect("decodes");
        assert_eq!(back, list);
        assert!(serde_json::from_str::<SpipLevel>("6").is_err());
        assert!(serde_json::from_str::<Percent>("10001").is_err());
    }
}
