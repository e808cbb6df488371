//! The second step of a sign-in for an account with a second factor: the
//! code from the authenticator app, or a recovery code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};

use crate::api::auth::{login_enrolment, LoginCode as LoginCodeAction};
use crate::app::{reload_user_after, use_current_user};
use crate::components::form::{FormStatus, TextField};
use crate::components::two_factor::AppKey;
use crate::i18n::*;

#[component]
pub fn LoginCode() -> impl IntoView {
    let i18n = use_i18n();
    let step = ServerAction::<LoginCodeAction>::new();
    reload_user_after(step);
    // Signed in (the code was right): go home, as after a password alone.
    let signed_in = move || {
        use_current_user()
            .get()
            .flatten()
            .map(|_| view! { <Redirect path="/" /> })
    };
    // A role that requires a second factor, and none yet: enrol an app first.
    let enrolment = Resource::new(|| (), |_| login_enrolment());
    let enrol = move || {
        enrolment.get().map(|loaded| match loaded.ok().flatten() {
            Some(enrolment) => view! {
                <p>{t!(i18n, login_code.enrol_intro)}</p>
                <ol class="steps"><AppKey enrolment /></ol>
            }
            .into_any(),
            None => view! { <p class="muted">{t!(i18n, login_code.intro)}</p> }.into_any(),
        })
    };
    view! {
        <Title text=t_string!(i18n, login_code.title).to_string() />
        <Suspense fallback=|| ()>{signed_in}</Suspense>
        <section class="card narrow">
            <h1>{t!(i18n, login_code.title)}</h1>
            <Suspense fallback=|| ()>{enrol}</Suspense>
            <FormStatus outcome=step.value() success=Signal::derive(String::new) />
            <ActionForm action=step>
                <TextField
                    id="code"
                    name="code"
                    label=Signal::derive(move || t_string!(i18n, login_code.code).to_string())
                    required=true
                    autocomplete="one-time-code"
                />
                <button type="submit" class="button primary" disabled=move || step.pending().get()>
                    {t!(i18n, login_code.submit)}
                </button>
            </ActionForm>
            <p class="muted">{t!(i18n, login_code.recovery_hint)}</p>
            <p><A href="/login">{t!(i18n, login_code.back)}</A></p>
        </section>
    }
}
