//! The account's second factor: enrol an authenticator app (QR code or the
//! key typed by hand, confirmed with a code), the recovery codes shown once,
//! and switching it off with the password. Plain forms throughout.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::auth::{two_factor, ConfirmTwoFactor, DisableTwoFactor, StartTwoFactor};
use crate::components::error::PageError;
use crate::components::form::{field_error, FormStatus, TextField};
use crate::components::two_factor::AppKey;
use crate::error::Field;
use crate::i18n::*;
use crate::model::{TwoFactorEnrolment, TwoFactorView};

#[derive(Clone, Copy)]
struct Actions {
    start: ServerAction<StartTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
}

#[component]
pub fn TwoFactor() -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions {
        start: ServerAction::new(),
        confirm: ServerAction::new(),
        disable: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            actions.start.version().get()
                + actions.confirm.version().get()
                + actions.disable.version().get()
        },
        |_| two_factor(),
    );
    view! {
        <Title text=t_string!(i18n, two_factor.title).to_string() />
        <section class="card narrow">
            <h1>{t!(i18n, two_factor.title)}</h1>
            <p class="muted">{t!(i18n, two_factor.intro)}</p>
            <FormStatus outcome=actions.start.value() success=Signal::derive(String::new) />
            <FormStatus outcome=actions.disable.value() success=Signal::derive(move || t_string!(i18n, two_factor.disabled).to_string()) done=DisableTwoFactor::PATH />
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || data.get().map(|loaded| match loaded {
                    Err(error) => view! { <PageError error /> }.into_any(),
                    Ok(view) => view! { <State view actions /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn State(view: TwoFactorView, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let TwoFactorView {
        enabled,
        recovery_codes_left,
        enrolment,
        new_recovery_codes,
    } = view;
    let codes = (!new_recovery_codes.is_empty())
        .then(|| view! { <RecoveryCodes codes=new_recovery_codes /> });
    let state = if enabled {
        view! { <Enabled left=recovery_codes_left disable=actions.disable /> }.into_any()
    } else if let Some(enrolment) = enrolment {
        view! { <Enrol enrolment confirm=actions.confirm /> }.into_any()
    } else {
        view! {
            <p data-testid="two-factor-state"><span class="badge off">{t!(i18n, two_factor.state_off)}</span></p>
            <ActionForm action=actions.start>
                <button type="submit" class="button primary">{t!(i18n, two_factor.start)}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! { {codes} {state} }
}

/// The recovery codes made at enrolment: shown this once.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let items = codes
        .into_iter()
        .map(|code| view! { <li><code>{code}</code></li> })
        .collect_view();
    view! {
        <div class="alert alert-success" role="status">
            <p><strong>{t!(i18n, two_factor.enabled)}</strong></p>
            <p>{t!(i18n, two_factor.codes_once)}</p>
            <ul class="recovery-codes" data-testid="recovery-codes">{items}</ul>
        </div>
    }
}

#[component]
fn Enabled(left: u32, disable: ServerAction<DisableTwoFactor>) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = disable.value();
    view! {
        <p data-testid="two-factor-state"><span class="badge ok">{t!(i18n, two_factor.state_on)}</span></p>
        <p>{t!(i18n, two_factor.codes_left, n = left)}</p>
        <h2>{t!(i18n, two_factor.disable_title)}</h2>
        <ActionForm action=disable>
            <TextField
                id="two-factor-current"
                name="current"
                kind="password"
                label=Signal::derive(move || t_string!(i18n, account.current).to_string())
                error=field_error(outcome, Field::CurrentPassword)
                required=true
                autocomplete="current-password"
            />
            <button type="submit" class="button">{t!(i18n, two_factor.disable)}</button>
        </ActionForm>
    }
}

#[component]
fn Enrol(enrolment: TwoFactorEnrolment, confirm: ServerAction<ConfirmTwoFactor>) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = confirm.value();
    view! {
        <ol class="steps">
            <AppKey enrolment />
            <li>
                <p>{t!(i18n, two_factor.confirm_intro)}</p>
                <ActionForm action=confirm>
                    <TextField
                        id="two-factor-code"
                        name="code"
                        label=Signal::derive(move || t_string!(i18n, two_factor.code).to_string())
                        error=field_error(outcome, Field::Code)
                        required=true
                        autocomplete="one-time-code"
                    />
                    <button type="submit" class="button primary">{t!(i18n, two_factor.confirm)}</button>
                </ActionForm>
            </li>
        </ol>
    }
}
