//! The one error type of the app. It crosses the wire as itself (JSON), the
//! server maps it once to an HTTP status, and the interface turns it into a
//! sentence in the user's language (`components::error`).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::account::AccountFieldError;
use crate::domain::assessment::ValueProblem;
use crate::domain::eligibility::{Check, Input, InputError, InputProblem, ProposalRefusal};
use crate::domain::lke::RefusalReason;
use crate::domain::national::{StageField, StageFieldError, StageProblem, StageRefusal};
use crate::domain::period::DatesError;
use crate::domain::policy::Denied;
use crate::domain::role::GrantError;
use crate::domain::unit::UnitFieldError;

/// The form field an error belongs to, so the page can show it beside the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Username,
    Email,
    FullName,
    Password,
    CurrentPassword,
    Code,
    Name,
    Kind,
    Parent,
    Role,
    Unit,
    Threshold,
    Key,
    Title,
    Year,
    File,
    Target,
    Period,
    SelfStart,
    SelfEnd,
    ReviewStart,
    ReviewEnd,
    ProposalDeadline,
    Until,
    Note,
    Summary,
    Status,
    Evaluator,
    DecidedOn,
    Decree,
    /// The tick that confirms an irreversible step.
    Confirm,
    /// The national stage form (`domain::national`): which stage, its
    /// decision, its day, the sanggah's window, filing day and links, the
    /// predicate of the final result.
    Stage,
    Outcome,
    Day,
    WindowStart,
    WindowEnd,
    FiledOn,
    Links,
    Predicate,
    /// The instansi's eligibility facts and thresholds.
    Bpk,
    BpkYears,
    Sakip,
    RbIndex,
    Spip,
    FollowUp,
    Surveys,
    WbkYears,
    /// A WBK proposal in PortalRB's afirmasi category.
    Afirmasi,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem", content = "detail")]
pub enum Problem {
    Account(AccountFieldError),
    Unit(UnitFieldError),
    Grant(GrantError),
    Taken,
    UnknownReference,
    WrongPassword,
    /// Not the current code of the authenticator app (or a used one).
    WrongCode,
    /// Not a number in range (decimal comma or point).
    Number,
    Required,
    /// A key is 3 to 64 lower-case letters, digits and dashes.
    BadKey,
    Workbook(WorkbookProblem),
    /// Not a date (`YYYY-MM-DD`).
    Date,
    Dates(DatesError),
    /// Not WBK or WBBM.
    Target,
    TooLong,
    /// A problem only the national stage form has (a link, the window's order …).
    Stage(StageProblem),
    /// An eligibility fact or threshold that does not parse.
    Eligibility(InputProblem),
    /// Afirmasi is a category of WBK proposals only.
    AfirmasiWbkOnly,
}

/// Why an uploaded LKE workbook could not be read at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkbookProblem {
    TooLarge,
    NotXlsx,
    Encrypted,
    LegacyXls,
    ZipBomb,
    Damaged,
    SheetMissing,
    TooManyRows,
    NotARubric,
    /// The workbook has no answer column for the lane chosen.
    LaneMissing,
}

/// Why a change was refused although the request itself was well formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum Refusal {
    /// Submitted (or further): the unit can no longer change it.
    Locked,
    /// The unit was deactivated: its assessment is read-only.
    UnitInactive,
    /// Before the self-assessment window opens.
    WindowNotOpen { opens: crate::domain::period::Day },
    /// After the self-assessment window (and any extension) closed.
    WindowClosed,
    /// Gaps remain and the unit did not confirm the submission.
    Unconfirmed {
        unanswered: u32,
        without_evidence: u32,
    },
    /// The workflow does not allow this step now.
    Workflow { reason: RefusalReason },
    /// Already exists (e.g. an assessment of this unit in this period).
    Duplicate,
    /// Not open for the evaluators' scores in this state.
    ReviewClosed,
    /// Does not pass the gates of its target, and nobody confirmed the proposal.
    FailsGates,
    /// Finalizing was not confirmed for this many unreviewed items.
    FinalizeUnconfirmed { unreviewed: u32 },
    /// The national stage cannot be recorded now (`domain::national::admit`).
    National { reason: StageRefusal },
    /// Someone recorded a national stage since the form was loaded.
    StageRecordedMeanwhile,
}

/// Why an uploaded evidence file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceProblem {
    /// Larger than the configured maximum (in MB).
    TooLarge {
        max_mb: u32,
    },
    /// The content is not one of the allowed types, whatever its name says.
    TypeNotAllowed,
    Empty,
    /// No item of the LKE was named.
    NoItem,
    /// More than one file in one upload: each is sent on its own.
    OneFileAtATime,
    /// The evidence store (disk or S3 bucket) cannot take or give files now;
    /// answers saved before, and those the same post carried, are kept.
    StoreUnavailable,
}

impl EvidenceProblem {
    fn status(self) -> u16 {
        match self {
            EvidenceProblem::TooLarge { .. } => 413,
            EvidenceProblem::TypeNotAllowed => 415,
            EvidenceProblem::Empty | EvidenceProblem::NoItem | EvidenceProblem::OneFileAtATime => {
                422
            }
            EvidenceProblem::StoreUnavailable => 503,
        }
    }
}

/// What someone else saved for one item since the caller loaded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemConflict {
    pub item: String,
    /// Their value and note, as stored now.
    pub value: Option<String>,
    pub note: String,
    /// Their name.
    pub by: Option<String>,
    /// When they saved (ms since the epoch).
    pub at: i64,
    /// The version stored now: a save from it keeps one's own after all.
    pub version: i64,
    /// What the refused save would have stored (the unit's lane), so the
    /// page can offer it again.
    #[serde(default)]
    pub mine: Option<MineRefused>,
}

/// The value and note a refused save carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MineRefused {
    pub value: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum AppError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong username or password")]
    InvalidCredentials,
    /// The second step of a sign-in: not a valid code nor an unused recovery code.
    #[error("wrong sign-in code")]
    InvalidCode,
    #[error("too many failed sign-ins")]
    TooManyAttempts { retry_after_minutes: u32 },
    #[error("invalid field {field:?}: {problem:?}")]
    Invalid { field: Field, problem: Problem },
    #[error("answer to {item} refused: {problem:?}")]
    Answer { item: String, problem: ValueProblem },
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("evidence file refused: {problem:?}")]
    Evidence { problem: EvidenceProblem },
    /// Someone else saved these items since the caller loaded them; nothing
    /// of them was written. `saved` other items of the same post were saved
    /// (the unit's Save button saves what is not stale).
    #[error("{} item(s) changed by someone else", conflicts.len())]
    Conflict {
        conflicts: Vec<ItemConflict>,
        saved: u32,
    },
    /// The uploaded workbook is not an LKE ZI; what each of its sheets holds.
    #[error("not an LKE ZI workbook")]
    NotAnLke {
        sheets: Vec<crate::model::SheetSeen>,
    },
    /// The instansi does not meet (or has not recorded) these eligibility
    /// criteria, and the administrator did not tick "propose anyway".
    #[error("{} eligibility criteria not met", checks.len())]
    Ineligible { checks: Vec<Check> },
    #[error("malformed request")]
    BadRequest,
    #[error("the server could not be reached")]
    Network,
    /// Too many requests at once (password checks, a busy database): try again shortly.
    #[error("the server is busy")]
    Busy,
    #[error("internal error")]
    Internal,
}

/// The one mapping of an error to an HTTP answer outside the server
/// functions (whose answers the error middleware maps the same way): its
/// status, a `Retry-After` where waiting helps, and the error as JSON.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let mut response = (self.status_code(), axum::Json(&self)).into_response();
        self.set_retry_after(response.headers_mut());
        response
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    pub fn status_code(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn set_retry_after(&self, headers: &mut axum::http::HeaderMap) {
        let seconds = match self {
            AppError::TooManyAttempts {
                retry_after_minutes,
            } => u64::from(*retry_after_minutes) * 60,
            AppError::Busy => 5,
            AppError::Evidence {
                problem: EvidenceProblem::StoreUnavailable,
            } => 30,
            _ => return,
        };
        headers.insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
}

impl AppError {
    pub fn field(field: Field, problem: Problem) -> Self {
        AppError::Invalid { field, problem }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials | AppError::InvalidCode => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid {
                problem: Problem::Taken,
                ..
            } => 409,
            AppError::Invalid { .. }
            | AppError::Answer { .. }
            | AppError::NotAnLke { .. }
            | AppError::Ineligible { .. } => 422,
            AppError::Refused(_) | AppError::Conflict { .. } => 409,
            AppError::Evidence { problem } => problem.status(),
            AppError::TooManyAttempts { .. } => 429,
            AppError::BadRequest => 400,
            AppError::Network | AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }

    /// The field this error belongs to, if it is a field error.
    pub fn field_of(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } => Some(*field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

impl From<StageFieldError> for AppError {
    fn from(err: StageFieldError) -> Self {
        let field = match err.field {
            StageField::Stage => Field::Stage,
            StageField::Outcome => Field::Outcome,
            StageField::Day => Field::Day,
            StageField::Notes => Field::Note,
            StageField::WindowStart => Field::WindowStart,
            StageField::WindowEnd => Field::WindowEnd,
            StageField::FiledOn => Field::FiledOn,
            StageField::Links => Field::Links,
            StageField::Predicate => Field::Predicate,
            StageField::Decree => Field::Decree,
        };
        let problem = match err.problem {
            StageProblem::Required => Problem::Required,
            StageProblem::Date => Problem::Date,
            StageProblem::TooLong => Problem::TooLong,
            other => Problem::Stage(other),
        };
        AppError::field(field, problem)
    }
}

impl From<StageRefusal> for AppError {
    fn from(reason: StageRefusal) -> Self {
        AppError::Refused(Refusal::National { reason })
    }
}

impl From<AccountFieldError> for Problem {
    fn from(err: AccountFieldError) -> Self {
        Problem::Account(err)
    }
}

impl From<UnitFieldError> for Problem {
    fn from(err: UnitFieldError) -> Self {
        Problem::Unit(err)
    }
}

impl From<GrantError> for Problem {
    fn from(err: GrantError) -> Self {
        Problem::Grant(err)
    }
}

/// Attaches a parse failure to the form field it came from.
pub trait OnField<T> {
    fn on(self, field: Field) -> Result<T, AppError>;
}

impl<T, E: Into<Problem>> OnField<T> for Result<T, E> {
    fn on(self, field: Field) -> Result<T, AppError> {
        self.map_err(|err| AppError::field(field, err.into()))
    }
}

impl From<DatesError> for Problem {
    fn from(err: DatesError) -> Self {
        Problem::Dates(err)
    }
}

impl From<InputError> for AppError {
    fn from(err: InputError) -> Self {
        let field = match err.input {
            Input::Bpk => Field::Bpk,
            Input::BpkYears => Field::BpkYears,
            Input::Sakip => Field::Sakip,
            Input::RbIndex => Field::RbIndex,
            Input::Spip => Field::Spip,
            Input::FollowUp => Field::FollowUp,
            Input::Surveys => Field::Surveys,
            Input::WbkYears => Field::WbkYears,
            Input::Note => Field::Note,
        };
        AppError::field(field, Problem::Eligibility(err.problem))
    }
}

impl From<ProposalRefusal> for AppError {
    fn from(refusal: ProposalRefusal) -> Self {
        match refusal {
            ProposalRefusal::NotEligible(checks) => AppError::Ineligible { checks },
            ProposalRefusal::AfirmasiNotWbk => {
                AppError::field(Field::Afirmasi, Problem::AfirmasiWbkOnly)
            }
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unauthenticated => AppError::Unauthenticated,
            Denied::Forbidden => AppError::Forbidden,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_survive_the_wire_as_json() {
        let errors = [
            AppError::TooManyAttempts {
                retry_after_minutes: 15,
            },
            AppError::field(Field::Code, Problem::Taken),
            AppError::field(
                Field::Password,
                Problem::Account(AccountFieldError::WeakPassword),
            ),
            AppError::Refused(Refusal::Unconfirmed {
                unanswered: 3,
                without_evidence: 4,
            }),
            AppError::Refused(Refusal::Workflow {
                reason: RefusalReason::AlreadySubmitted,
            }),
            AppError::Evidence {
                problem: EvidenceProblem::TooLarge { max_mb: 25 },
            },
            AppError::Answer {
                item: "P.MP.i.b".into(),
                problem: ValueProblem::NotAnOption,
            },
            AppError::Conflict {
                conflicts: vec![ItemConflict {
                    item: "ipak".into(),
                    value: Some("3.1".into()),
                    note: "Survei 2026".into(),
                    by: Some("Tina".into()),
                    at: 1_796_000_000_000,
                    version: 4,
                    mine: Some(MineRefused {
                        value: Some("3.4".into()),
                        note: String::new(),
                    }),
                }],
                saved: 2,
            },
            AppError::Refused(Refusal::FailsGates),
        ];
        for err in errors {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err);
        }
    }

    #[test]
    fn statuses_are_client_errors_for_what_the_client_can_fix() {
        assert_eq!(AppError::field(Field::Code, Problem::Taken).status(), 409);
        assert_eq!(
            AppError::field(Field::Name, Problem::Unit(UnitFieldError::BadName)).status(),
            422
        );
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into())).status(),
            400
        );
        assert_eq!(
            AppError::TooManyAttempts {
                retry_after_minutes: 15
            }
            .status(),
            429
        );
    }
}
