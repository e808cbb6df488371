use leptos::prelude::*;

use crate::domain::account::AccountFieldError;
use crate::domain::assessment::ValueProblem;
use crate::domain::lke::RefusalReason;
use crate::domain::period::DatesError;
use crate::domain::role::GrantError;
use crate::domain::unit::UnitFieldError;
use crate::error::{AppError, EvidenceProblem, ItemConflict, Problem, Refusal, WorkbookProblem};
use crate::i18n::*;
use crate::model::SheetSeen;
use leptos_i18n::I18nContext;

use super::labels::{date_label, moment_label, Lang};

/// The sentence a user reads for an error, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, err: &AppError) -> String {
    let text = match err {
        AppError::Unauthenticated => t_string!(i18n, errors.unauthenticated),
        AppError::Forbidden => t_string!(i18n, errors.forbidden),
        AppError::NotFound => t_string!(i18n, errors.not_found),
        AppError::InvalidCredentials => t_string!(i18n, errors.invalid_credentials),
        AppError::InvalidCode => t_string!(i18n, errors.invalid_code),
        AppError::TooManyAttempts { .. } => t_string!(i18n, errors.too_many_attempts),
        AppError::NotAnLke { sheets } => return not_an_lke_text(i18n, sheets),
        AppError::Ineligible { checks } => {
            return super::eligibility::ineligible_text(i18n, checks)
        }
        AppError::BadRequest => t_string!(i18n, errors.bad_request),
        AppError::Network => t_string!(i18n, errors.network),
        AppError::Busy => t_string!(i18n, errors.busy),
        AppError::Internal => t_string!(i18n, errors.internal),
        AppError::Invalid { problem, .. } => problem_text(i18n, problem),
        AppError::Answer { item, problem } => {
            return format!("{item}: {}", value_problem_text(i18n, *problem));
        }
        AppError::Refused(refusal) => return refusal_text(i18n, *refusal),
        AppError::Evidence { problem } => return evidence_problem_text(i18n, *problem),
        AppError::Conflict { conflicts, saved } => {
            return conflict_text(i18n, conflicts, *saved);
        }
    };
    text.to_string()
}

/// One conflict in full (the evaluators' lane saves one item at a time), or
/// the items a Save-all post could not save and how many it saved.
fn conflict_text(i18n: I18nContext<Locale>, conflicts: &[ItemConflict], saved: u32) -> String {
    let mut text = match conflicts {
        // The evaluators' lane: one item, kept in its form.
        [one] if one.mine.is_none() => {
            let by = one
                .by
                .clone()
                .unwrap_or_else(|| t_string!(i18n, errors.someone).to_string());
            let value = one.value.clone().unwrap_or_else(|| "—".to_owned());
            t_string!(
                i18n,
                errors.conflict,
                by = by,
                at = moment_label(i18n, one.at),
                value = value,
                note = one.note.clone()
            )
            .to_string()
        }
        many => {
            let items = many
                .iter()
                .map(|c| c.item.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            t_string!(i18n, errors.conflicts, count = many.len(), items = items).to_string()
        }
    };
    if saved > 0 {
        text.push(' ');
        text.push_str(&t_string!(i18n, errors.conflicts_saved, count = saved).to_string());
    }
    text
}

pub fn value_problem_text(i18n: I18nContext<Locale>, problem: ValueProblem) -> &'static str {
    match problem {
        ValueProblem::UnknownItem => t_string!(i18n, errors.unknown_item),
        ValueProblem::NotAnOption => t_string!(i18n, errors.not_an_option),
        ValueProblem::NotANumber => t_string!(i18n, errors.number),
        ValueProblem::OutOfRange => t_string!(i18n, errors.out_of_range),
        ValueProblem::NotWhole => t_string!(i18n, errors.not_whole),
        ValueProblem::Computed => t_string!(i18n, errors.computed),
    }
}

fn refusal_text(i18n: I18nContext<Locale>, refusal: Refusal) -> String {
    match refusal {
        Refusal::Locked => t_string!(i18n, errors.locked).to_string(),
        Refusal::UnitInactive => t_string!(i18n, errors.unit_inactive).to_string(),
        Refusal::WindowNotOpen { opens } => t_string!(
            i18n,
            errors.window_not_open,
            opens = date_label(i18n, opens)
        )
        .to_string(),
        Refusal::WindowClosed => t_string!(i18n, errors.window_closed).to_string(),
        Refusal::Unconfirmed {
            unanswered,
            without_evidence,
        } => unconfirmed_text(i18n, unanswered, without_evidence),
        Refusal::Workflow { reason } => format!(
            "{} {}",
            t_string!(i18n, errors.workflow),
            reason_text(i18n, reason)
        ),
        Refusal::Duplicate => t_string!(i18n, errors.duplicate).to_string(),
        Refusal::ReviewClosed => t_string!(i18n, errors.review_closed).to_string(),
        Refusal::FailsGates => t_string!(i18n, errors.fails_gates).to_string(),
        Refusal::FinalizeUnconfirmed { unreviewed } => {
            t_string!(i18n, errors.finalize_unconfirmed, unreviewed = unreviewed).to_string()
        }
        Refusal::National { reason } => super::national::refusal_text(i18n, reason),
        Refusal::StageRecordedMeanwhile => t_string!(i18n, national.refusal_meanwhile).to_string(),
    }
}

/// Why a submission needs the tick, naming only the gaps there are.
pub fn unconfirmed_text(i18n: impl Lang, unanswered: u32, without_evidence: u32) -> String {
    let locale = i18n.locale();
    match (unanswered, without_evidence) {
        (0, count) => td_string!(locale, errors.unconfirmed_evidence, count = count).to_string(),
        (count, 0) => td_string!(locale, errors.unconfirmed_unanswered, count = count).to_string(),
        (unanswered, without_evidence) => td_string!(
            locale,
            errors.unconfirmed,
            unanswered = unanswered,
            without_evidence = without_evidence
        )
        .to_string(),
    }
}

fn reason_text(i18n: I18nContext<Locale>, reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::AlreadySubmitted => t_string!(i18n, errors.reason_already_submitted),
        RefusalReason::NotSubmitted => t_string!(i18n, errors.reason_not_submitted),
        RefusalReason::NotReturned => t_string!(i18n, errors.reason_not_returned),
        RefusalReason::AlreadyFinalized => t_string!(i18n, errors.reason_already_finalized),
        RefusalReason::NotFinalized => t_string!(i18n, errors.reason_not_finalized),
        RefusalReason::AlreadyProposed => t_string!(i18n, errors.reason_already_proposed),
        RefusalReason::NotProposed => t_string!(i18n, errors.reason_not_proposed),
        RefusalReason::Decided => t_string!(i18n, errors.reason_decided),
    }
}

fn evidence_problem_text(i18n: I18nContext<Locale>, problem: EvidenceProblem) -> String {
    match problem {
        EvidenceProblem::TooLarge { max_mb } => {
            t_string!(i18n, errors.file_too_large, max_mb = max_mb).to_string()
        }
        EvidenceProblem::TypeNotAllowed => t_string!(i18n, errors.file_type).to_string(),
        EvidenceProblem::Empty => t_string!(i18n, errors.file_empty).to_string(),
        EvidenceProblem::NoItem => t_string!(i18n, errors.file_no_item).to_string(),
        EvidenceProblem::OneFileAtATime => t_string!(i18n, errors.file_one_at_a_time).to_string(),
        EvidenceProblem::StoreUnavailable => {
            t_string!(i18n, errors.file_store_unavailable).to_string()
        }
    }
}

fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> &'static str {
    match problem {
        Problem::Taken => t_string!(i18n, errors.taken),
        Problem::UnknownReference => t_string!(i18n, errors.unknown_reference),
        Problem::WrongPassword => t_string!(i18n, errors.wrong_password),
        Problem::WrongCode => t_string!(i18n, errors.wrong_code),
        Problem::Number => t_string!(i18n, errors.number),
        Problem::Required => t_string!(i18n, errors.required),
        Problem::BadKey => t_string!(i18n, errors.bad_key),
        Problem::Date => t_string!(i18n, errors.date),
        Problem::Dates(DatesError::SelfWindow) => t_string!(i18n, errors.self_window),
        Problem::Dates(DatesError::ReviewWindow) => t_string!(i18n, errors.review_window),
        Problem::Dates(DatesError::Deadline) => t_string!(i18n, errors.deadline),
        Problem::Target => t_string!(i18n, errors.target),
        Problem::TooLong => t_string!(i18n, errors.too_long),
        Problem::Eligibility(problem) => super::eligibility::input_problem_text(i18n, *problem),
        Problem::AfirmasiWbkOnly => t_string!(i18n, eligibility.afirmasi_wbk_only),
        Problem::Workbook(problem) => workbook_text(i18n, *problem),
        Problem::Stage(problem) => super::national::problem_text(i18n, *problem),
        Problem::Account(AccountFieldError::BadUsername) => t_string!(i18n, errors.bad_username),
        Problem::Account(AccountFieldError::BadEmail) => t_string!(i18n, errors.bad_email),
        Problem::Account(AccountFieldError::BadFullName) => t_string!(i18n, errors.bad_full_name),
        Problem::Account(AccountFieldError::WeakPassword) => t_string!(i18n, errors.weak_password),
        Problem::Account(AccountFieldError::PasswordMismatch) => {
            t_string!(i18n, errors.password_mismatch)
        }
        Problem::Unit(UnitFieldError::BadCode) => t_string!(i18n, errors.bad_code),
        Problem::Unit(UnitFieldError::BadName) => t_string!(i18n, errors.bad_name),
        Problem::Unit(UnitFieldError::BadKind) => t_string!(i18n, errors.bad_kind),
        Problem::Unit(UnitFieldError::Cycle) => t_string!(i18n, errors.cycle),
        Problem::Grant(GrantError::UnitRequired) => t_string!(i18n, errors.unit_required),
        Problem::Grant(GrantError::UnitNotAllowed) => t_string!(i18n, errors.unit_not_allowed),
    }
}

fn workbook_text(i18n: I18nContext<Locale>, problem: WorkbookProblem) -> &'static str {
    match problem {
        WorkbookProblem::TooLarge => t_string!(i18n, workbook.too_large),
        WorkbookProblem::NotXlsx => t_string!(i18n, workbook.not_xlsx),
        WorkbookProblem::Encrypted => t_string!(i18n, workbook.encrypted),
        WorkbookProblem::LegacyXls => t_string!(i18n, workbook.legacy_xls),
        WorkbookProblem::ZipBomb => t_string!(i18n, workbook.zip_bomb),
        WorkbookProblem::Damaged => t_string!(i18n, workbook.damaged),
        WorkbookProblem::SheetMissing => t_string!(i18n, workbook.sheet_missing),
        WorkbookProblem::TooManyRows => t_string!(i18n, workbook.too_many_rows),
        WorkbookProblem::NotARubric => t_string!(i18n, workbook.not_a_rubric),
        WorkbookProblem::LaneMissing => t_string!(i18n, workbook.lane_missing),
    }
}

/// Why a workbook is not an LKE ZI: what was expected and, by sheet, what was found.
pub fn not_an_lke_text(i18n: impl Lang, sheets: &[SheetSeen]) -> String {
    let locale = i18n.locale();
    let found = sheets
        .iter()
        .map(|seen| {
            let sheet = seen.sheet.clone();
            if seen.labels.is_empty() {
                return td_string!(locale, workbook.sheet_empty, sheet = sheet).to_string();
            }
            let labels = seen
                .labels
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ");
            td_string!(locale, workbook.sheet_holds, sheet = sheet, labels = labels).to_string()
        })
        .collect::<Vec<_>>()
        .join("; ");
    td_string!(locale, workbook.not_an_lke, found = found).to_string()
}

/// A page-level alert for an error that belongs to no single field.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="alert alert-error" role="alert">
            {move || error_text(i18n, &error)}
        </p>
    }
}

/// The error that is the whole answer of a page (not found, not allowed …):
/// shown like [`ErrorAlert`], and the page's HTTP status says it too.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    view! { <ErrorAlert error /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_submit_refusal_names_only_the_gaps_there_are() {
        assert_eq!(
            unconfirmed_text(Locale::id, 0, 108),
            "Masih ada 108 butir tanpa data dukung. Centang konfirmasi untuk tetap mengirim."
        );
        assert_eq!(
            unconfirmed_text(Locale::id, 3, 0),
            "Masih ada 3 butir belum dijawab. Centang konfirmasi untuk tetap mengirim."
        );
        assert!(unconfirmed_text(Locale::id, 3, 108).contains("3 butir belum dijawab dan 108"));
        assert_eq!(
            unconfirmed_text(Locale::en, 0, 5),
            "5 items have no evidence. Tick the confirmation to submit anyway."
        );
    }
}
