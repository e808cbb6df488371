//! Plain data that crosses the wire between server functions and pages.

use serde::{Deserialize, Serialize};

use crate::domain::account::UserId;
use crate::domain::assessment::Target;
use crate::domain::lke::{
    builtin_90_2021_ref, Answers, AssessmentState, Completeness, GateSet, ItemCode, Predicate,
    RubricVersion,
};
use crate::domain::period::{Day, PeriodDates, Window, Year};
use crate::domain::policy::Actor;
use crate::domain::review::{Assignment, FinalVerdict, ReviewStatus};
use crate::domain::role::Role;
use crate::domain::unit::{UnitId, UnitKind};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The single sign-on button of the login page, when an identity provider is
/// configured: its text (`ZI_OIDC_LABEL`), or the locale's own when unset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoOffer {
    pub label: Option<String>,
}

/// The signed-in person as the interface sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub actor: Actor,
    pub username: String,
    pub full_name: String,
    /// The same grants as the actor's, with unit names for display.
    pub grants: Vec<GrantView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: String,
    pub role: Role,
    pub unit: Option<UnitId>,
    pub unit_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub full_name: String,
    pub active: bool,
    /// A second factor (TOTP) is switched on.
    #[serde(default)]
    pub two_factor: bool,
    pub grants: Vec<GrantView>,
}

/// The account's second factor, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enabled: bool,
    pub recovery_codes_left: u32,
    /// Started and not yet confirmed with a code.
    pub enrolment: Option<TwoFactorEnrolment>,
    /// The recovery codes made just now, shown this once.
    pub new_recovery_codes: Vec<String>,
}

/// What the authenticator app needs: the QR code, and the same secret as text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorEnrolment {
    /// The secret in base32, in groups of four, for typing by hand.
    pub secret: String,
    pub uri: String,
    /// An SVG drawing of the QR code of `uri`, made on the server.
    pub qr_svg: String,
}

/// A stored rubric version, as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricSummary {
    pub key: String,
    pub title: String,
    pub legal_basis: String,
    pub scored_items: usize,
    pub builtin: bool,
    /// Periods that score against this version (it can no longer change).
    pub periods: i64,
}

/// A line the importer could not fully understand, by sheet, row and column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetNote {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<char>,
    pub kind: NoteKind,
}

/// What the importer did not fully understand in one place; the pages say
/// it in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    SheetRenamed,
    UnknownArea,
    MissingArea,
    UnknownIndicator,
    MissingIndicator,
    UnexpectedQuestion,
    MissingQuestion,
    LabelOutOfOrder,
    MissingHasilItem,
    UnexpectedInput,
    MissingInput,
    UnknownAnswerType,
    AnswerTypeMismatch,
    InvalidAnswer,
    NotANumber,
    NegativeNumber,
    OutOfRange,
    CellError,
    WeightMismatch,
    MissingWeight,
    CachedValueMismatch,
    UnparsableFormula,
    /// Column J held `Ya`-like text, read as Ya/Tidak.
    AssumedYaTidak,
    /// An indicator label out of sequence, numbered by its position.
    AssumedIndicatorByPosition,
    /// An unreadable % formula, taken as the last count over the first.
    AssumedRatio,
    /// No header row named the columns; the official letters were read.
    ColumnsAssumed,
    /// Sent by a newer server than this page knows.
    #[serde(other)]
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricImported {
    pub key: String,
    pub notes: Vec<SheetNote>,
}

/// The leadership dashboard of one period, as the caller may see it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub periods: Vec<PeriodView>,
    /// Absent when no period is open yet.
    pub period: Option<PeriodView>,
    /// The units in the caller's scope, for the subtree filter.
    pub units: Vec<UnitSummary>,
    pub subtree: Option<String>,
    pub filter: crate::domain::dashboard::Filter,
    /// The rows of the page asked for (every row of the view in
    /// `backend::dashboard::load_all`).
    pub rows: Vec<crate::domain::dashboard::DashboardRow>,
    /// Over the chosen subtree, before the state, readiness and search filters.
    pub funnel: crate::domain::dashboard::Funnel,
    /// The total each predicate needs (the lines on the distribution chart).
    pub thresholds: Vec<(Predicate, f64)>,
    /// Review progress per evaluator over the rows of the view (all pages).
    pub evaluators: Vec<crate::domain::dashboard::EvaluatorProgress>,
    /// The rows shown (`rows`) of all the rows of the view.
    pub page: crate::domain::dashboard::PageWindow,
    /// Per area, the mean share of questions answered over all the rows.
    pub completeness: Vec<f64>,
}

/// One day's scores of an assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorePoint {
    pub day: Day,
    pub state: AssessmentState,
    pub self_total: f64,
    pub tpi_total: Option<f64>,
}

/// What a save of answers did: how many items changed, and the version each
/// item it named is at now (the page saves its next change from it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswersSaved {
    pub changed: u32,
    pub versions: BTreeMap<String, i64>,
}

/// What importing a workbook into an assessment did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkbookImported {
    /// Items whose value or note changed.
    pub changed: u32,
    pub notes: Vec<SheetNote>,
    /// Which layout, sheet and columns were read.
    pub read: WorkbookRead,
}

/// Which answer column of a workbook is read: the unit's (default), the
/// evaluators' (`Jawaban TPI`) or a second evaluators' lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkbookLane {
    #[default]
    Unit,
    Tpi,
    Tpi2,
}

impl WorkbookLane {
    pub const ALL: [WorkbookLane; 3] = [WorkbookLane::Unit, WorkbookLane::Tpi, WorkbookLane::Tpi2];

    /// `unit`, `tpi`, `tpi2` (as the form and `--lane` spell it).
    pub fn parse(s: &str) -> Option<WorkbookLane> {
        WorkbookLane::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WorkbookLane::Unit => "unit",
            WorkbookLane::Tpi => "tpi",
            WorkbookLane::Tpi2 => "tpi2",
        }
    }
}

/// The two workbook layouts: PermenPANRB 90/2021 (sheet `LKE ZI`) and
/// PortalRB 2026 (sheet `Jawaban`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkbookLayout {
    #[serde(rename = "2021")]
    Lke2021,
    #[serde(rename = "2026")]
    Lke2026,
}

impl WorkbookLayout {
    pub fn year(self) -> u16 {
        match self {
            WorkbookLayout::Lke2021 => 2021,
            WorkbookLayout::Lke2026 => 2026,
        }
    }
}

/// What an import read: the layout, the sheet and the columns of the lane.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkbookRead {
    pub layout: WorkbookLayout,
    pub sheet: String,
    pub lane: WorkbookLane,
    /// Column letter of the answers read.
    pub answer_column: char,
    /// Column letter of the notes read, if the sheet has one for this lane.
    pub note_column: Option<char>,
    /// The row whose labels named the columns; `None` when the official
    /// letters were assumed.
    pub header_row: Option<u32>,
    /// The answer lanes this workbook has.
    pub lanes: Vec<WorkbookLane>,
}

/// One sheet of a workbook that is not an LKE ZI, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetSeen {
    pub sheet: String,
    /// The first labels of its first filled row (empty: an empty sheet).
    pub labels: Vec<String>,
}

/// A period as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodView {
    pub id: String,
    pub year: Year,
    pub rubric_key: String,
    pub rubric_title: String,
    pub dates: PeriodDates,
    pub assessments: i64,
}

/// One assessment in a list (admin, home).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    pub id: String,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub year: Year,
    pub target: Target,
    pub state: AssessmentState,
}

/// One of a member's assessments on their home page: where it stands today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyAssessment {
    pub summary: AssessmentSummary,
    pub standing: crate::domain::assessment::Standing,
    pub progress: crate::domain::assessment::Progress,
    pub next: crate::domain::assessment::NextStep,
    pub self_window: Window,
    pub self_start: Day,
}

/// Everything about an assessment except its answers and files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentHeader {
    pub summary: AssessmentSummary,
    pub rubric_key: String,
    pub dates: PeriodDates,
    /// The end of this unit's self-assessment window, after any extension.
    pub self_end: Day,
    pub self_window: Window,
    pub today: Day,
}

pub use crate::domain::policy::Rights;

/// The evaluators' lane for one item, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub item: ItemCode,
    pub value: Option<String>,
    pub note: String,
    pub status: Option<ReviewStatus>,
    /// Grows by one on every save; a save must name the version it started from.
    pub version: i64,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

/// One evaluator on an assessment's team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: UserId,
    pub username: String,
    pub full_name: String,
    pub lead: bool,
}

/// The review as the pages show it: the evaluators' lane, the team, the last
/// return and what the unit changed since, and the verdict kept at finalization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub entries: BTreeMap<ItemCode, ReviewEntry>,
    pub team: Vec<TeamMember>,
    /// The caller's own place on the team.
    pub me: Option<Assignment>,
    pub returned_at: Option<i64>,
    pub return_summary: String,
    /// Items whose answer or files the unit changed after the last return.
    pub changed_since_return: BTreeSet<ItemCode>,
    pub final_verdict: Option<FinalVerdict>,
}

/// A decision of the national team (TPN) on a unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredicateRecord {
    pub predicate: Predicate,
    pub awarded: bool,
    pub decided_on: Day,
    pub decree: String,
    pub year: Year,
}

/// One stage of the national evaluation as recorded: its place in the
/// assessment's history, the stage, and who recorded it when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedStage {
    pub seq: i64,
    pub stage: crate::domain::national::Stage,
    /// Milliseconds since the epoch.
    pub recorded_at: i64,
    /// The recorder's full name.
    pub recorded_by: Option<String>,
}

/// One assessment in an evaluator's queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub summary: AssessmentSummary,
    pub lead: bool,
    pub completeness: Completeness,
    pub review_window: Window,
    /// Items the team has given a status, of all scored items.
    pub reviewed: u32,
    pub total: u32,
}

/// One stored answer row, for the history and the "last changed" line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredAnswer {
    pub item: ItemCode,
    pub value: Option<String>,
    pub note: String,
    pub updated_at: i64,
    /// Grows by one on every write of the row; a save names the version it started from.
    pub version: i64,
    /// The full name of who wrote it last.
    pub updated_by: Option<String>,
}

/// An evidence file as the unit sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: String,
    pub name: String,
    pub size: i64,
    pub mime: String,
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: i64,
    pub items: Vec<ItemCode>,
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    pub deleted: bool,
}

impl EvidenceView {
    pub fn is_current(&self) -> bool {
        !self.deleted && self.replaced_by.is_none()
    }

    /// PDFs and images open in the page.
    pub fn previewable(&self) -> bool {
        self.mime == "application/pdf" || self.mime.starts_with("image/")
    }
}

/// What the assessment pages need: the rubric (absent when it is the built-in
/// one the browser already has), gates, answers, notes and evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentData {
    pub header: AssessmentHeader,
    pub rights: Rights,
    pub rubric: Option<RubricVersion>,
    pub gates: GateSet,
    pub answers: Answers,
    pub notes: BTreeMap<ItemCode, String>,
    /// The version of each stored answer row (an item without a row is at 0).
    pub versions: BTreeMap<ItemCode, i64>,
    pub evidence: Vec<EvidenceView>,
    /// Absent while the caller may not see the evaluators' work.
    pub review: Option<ReviewView>,
    /// The unit's predicate history, newest first.
    pub predicates: Vec<PredicateRecord>,
    /// The national stages recorded for this assessment, oldest first.
    pub national: Vec<RecordedStage>,
    /// The unit's score history across its assessments, oldest first.
    pub trend: Vec<ScorePoint>,
    /// The largest evidence file the server takes, checked before sending.
    pub max_file: crate::domain::evidence::MaxFileSize,
}

impl AssessmentData {
    pub fn rubric(&self) -> RubricVersion {
        self.rubric
            .clone()
            .unwrap_or_else(|| builtin_90_2021_ref().clone())
    }

    pub fn evidenced(&self) -> BTreeSet<ItemCode> {
        evidenced(&self.evidence)
    }

    /// Items of the LKE without a current evidence file.
    pub fn without_evidence(&self, rubric: &RubricVersion) -> u32 {
        use crate::domain::assessment::{coverage, scored_items};
        coverage(scored_items(rubric), &self.evidenced()).missing()
    }

    /// Whether the unit already holds WBK (the WBBM precondition).
    pub fn holds_wbk(&self) -> bool {
        holds_wbk(&self.predicates)
    }

    /// The evaluators' lane: the unit's answers with the reviewed values over them.
    pub fn evaluator_answers(&self, rubric: &RubricVersion) -> Answers {
        let rows = self.review.iter().flat_map(|review| {
            review
                .entries
                .values()
                .map(|entry| (entry.item, entry.value.as_deref()))
        });
        crate::domain::review::lane_from_stored(rubric, &self.answers, rows)
    }

    /// The lane that counts: the evaluators' once final, the unit's before.
    pub fn counted_answers(&self, rubric: &RubricVersion) -> Answers {
        if self.header.summary.state.is_final() {
            self.evaluator_answers(rubric)
        } else {
            self.answers.clone()
        }
    }
}

pub fn holds_wbk(predicates: &[PredicateRecord]) -> bool {
    predicates
        .iter()
        .any(|p| p.awarded && p.predicate == Predicate::Wbk)
}

/// The items with at least one current evidence file.
pub fn evidenced(files: &[EvidenceView]) -> BTreeSet<ItemCode> {
    files
        .iter()
        .filter(|e| e.is_current())
        .flat_map(|e| e.items.iter().copied())
        .collect()
}

/// One line of an item's history, from the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A printable report: the same blocks render as HTML on a page and as DOCX.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDoc {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A table with a header row; `numeric[i]` right-aligns column i.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// Place and date, the signer's role, a blank space to sign, the signer's name.
    Signature {
        place_date: String,
        role: String,
        name: String,
    },
}

/// Orders units depth-first under their parents, each with its depth, for an indented tree.
/// Units whose parent is missing from the list are shown as roots.
pub fn tree_order(units: &[UnitSummary]) -> Vec<(usize, &UnitSummary)> {
    let known: HashSet<&UnitId> = units.iter().map(|u| &u.id).collect();
    let mut children: HashMap<&UnitId, Vec<&UnitSummary>> = HashMap::new();
    let mut roots = Vec::new();
    for unit in units {
        match &unit.parent {
            Some(parent) if known.contains(parent) => {
                children.entry(parent).or_default().push(unit)
            }
            _ => roots.push(unit),
        }
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(usize, &UnitSummary)> = roots.into_iter().rev().map(|u| (0, u)).collect();
    while let Some((depth, unit)) = stack.pop() {
        out.push((depth, unit));
        if let Some(below) = children.get(&unit.id) {
            stack.extend(below.iter().rev().map(|u| (depth + 1, *u)));
        }
    }
    out
}

/// A unit and every unit below it, in tree order.
pub fn subtree<'a>(units: &'a [UnitSummary], root: &UnitId) -> Vec<&'a UnitSummary> {
    let mut inside: HashSet<&UnitId> = HashSet::from([root]);
    let mut out = Vec::new();
    for (_, unit) in tree_order(units) {
        let within = &unit.id == root || unit.parent.as_ref().is_some_and(|p| inside.contains(p));
        if within {
            inside.insert(&unit.id);
            out.push(unit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, parent: Option<&str>) -> UnitSummary {
        UnitSummary {
            id: UnitId::new(id),
            code: id.to_uppercase(),
            name: id.into(),
            kind: UnitKind::Other,
            parent: parent.map(UnitId::new),
            active: true,
        }
    }

    #[test]
    fn tree_order_puts_children_under_their_parent_in_list_order() {
        let units = vec![
            unit("b", Some("root")),
            unit("root", None),
            unit("a1", Some("a")),
            unit("a", Some("root")),
            unit("orphan", Some("gone")),
        ];
        let order: Vec<(usize, &str)> = tree_order(&units)
            .into_iter()
            .map(|(d, u)| (d, u.id.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(0, "root"), (1, "b"), (1, "a"), (2, "a1"), (0, "orphan")]
        );
        let below_a: Vec<&str> = subtree(&units, &UnitId::new("a"))
            .into_iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(below_a, vec!["a", "a1"]);
        assert_eq!(subtree(&units, &UnitId::new("root")).len(), 4);
    }
}

/// An API token as the "Integrasi PortalRB" page lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A token just made: its secret is shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiTokenCreated {
    pub token: ApiTokenView,
    pub secret: String,
}

/// One proposed unit as PortalRB sees it: what it last fetched and what it got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalProposal {
    pub assessment_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub target: Target,
    pub state: AssessmentState,
    pub last_fetch: Option<PortalFetch>,
    /// The evidence link handed to PortalRB, while it is valid.
    pub link_valid_until: Option<Day>,
}

/// PortalRB's last fetch of one unit's answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalFetch {
    pub at: i64,
    pub status: u16,
    pub answered_unit: i64,
    pub answered_tpi: i64,
    pub with_evidence: i64,
}

/// The "Integrasi PortalRB" page: the tokens, the proposals of the current
/// period and the last calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalView {
    /// The base URL to register in PortalRB.
    pub base_url: String,
    pub year: Option<Year>,
    pub tokens: Vec<ApiTokenView>,
    pub proposals: Vec<PortalProposal>,
    pub calls: Vec<PortalCall>,
    /// The secret of the token this administrator just made, shown once.
    pub new_secret: Option<String>,
}

/// One logged call of the PortalRB API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalCall {
    pub at: i64,
    pub token_name: Option<String>,
    pub endpoint: String,
    pub unit_code: Option<String>,
    pub status: u16,
}

/// The "Kelayakan instansi" page: the instansi's facts per evaluation year
/// (newest first) and the eligibility thresholds of every rubric version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EligibilityAdmin {
    pub facts: Vec<crate::domain::eligibility::YearFacts>,
    pub thresholds: Vec<RubricThresholds>,
    /// The year a new row starts at (today's, in WIB).
    pub this_year: Year,
}

/// One rubric version's eligibility thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricThresholds {
    pub key: String,
    pub title: String,
    pub thresholds: crate::domain::eligibility::EligibilityThresholds,
}
