use leptos::prelude::*;

use crate::domain::account::AccountFieldError;
use crate::domain::role::GrantError;
use crate::domain::unit::UnitFieldError;
use crate::error::{AppError, Problem, WorkbookProblem};
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// The sentence a user reads for an error, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, err: &AppError) -> String {
    let text = match err {
        AppError::Unauthenticated => t_string!(i18n, errors.unauthenticated),
        AppError::Forbidden => t_string!(i18n, errors.forbidden),
        AppError::NotFound => t_string!(i18n, errors.not_found),
        AppError::InvalidCredentials => t_string!(i18n, errors.invalid_credentials),
        AppError::TooManyAttempts { .. } => t_string!(i18n, errors.too_many_attempts),
        AppError::BadRequest => t_string!(i18n, errors.bad_request),
        AppError::Network => t_string!(i18n, errors.network),
        AppError::Internal => t_string!(i18n, errors.internal),
        AppError::Invalid { problem, .. } => problem_text(i18n, problem),
    };
    text.to_string()
}

fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> &'static str {
    match problem {
        Problem::Taken => t_string!(i18n, errors.taken),
        Problem::UnknownReference => t_string!(i18n, errors.unknown_reference),
        Problem::WrongPassword => t_string!(i18n, errors.wrong_password),
        Problem::Number => t_string!(i18n, errors.number),
        Problem::Required => t_string!(i18n, errors.required),
        Problem::BadKey => t_string!(i18n, errors.bad_key),
        Problem::Workbook(problem) => workbook_text(i18n, *problem),
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
    }
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
