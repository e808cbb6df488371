use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{login_sso, Login as LoginAction};
use crate::app::{reload_user_after, use_current_user};
use crate::components::form::{FormStatus, TextField};
use crate::domain::sso::SsoRefusal;
use crate::i18n::*;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<LoginAction>::new();
    reload_user_after(login);
    // Signed in (just now, or already): go home. On the server this is a 302,
    // which is also how a login without JavaScript ends.
    let signed_in = move || {
        use_current_user()
            .get()
            .flatten()
            .map(|_| view! { <Redirect path="/" /> })
    };
    // Back from the identity provider without an account: why, in words.
    let query = use_query_map();
    let refusal = move || {
        query
            .read()
            .get("sso")
            .and_then(|word| SsoRefusal::parse(&word))
            .map(|refusal| {
                let text = match refusal {
                    SsoRefusal::NoEmail => t_string!(i18n, login.sso_no_email).to_string(),
                    SsoRefusal::Unverified => t_string!(i18n, login.sso_unverified).to_string(),
                    SsoRefusal::NoAccount => t_string!(i18n, login.sso_no_account).to_string(),
                    SsoRefusal::Inactive => t_string!(i18n, login.sso_inactive).to_string(),
                    SsoRefusal::ProviderRefused => {
                        t_string!(i18n, login.sso_provider_refused).to_string()
                    }
                };
                view! {
                    <p class="alert alert-error" role="alert" data-testid="sso-refused">
                        {text}
                    </p>
                }
            })
    };
    // Single sign-on, when a provider is configured: a plain link.
    let offer = Resource::new(|| (), |_| login_sso());
    let sso = move || {
        offer
            .get()
            .and_then(|loaded| loaded.ok().flatten())
            .map(|offer| {
                let label = offer
                    .label
                    .unwrap_or_else(|| t_string!(i18n, login.sso_button).to_string());
                view! {
                    <p class="muted">{t!(i18n, login.sso_or)}</p>
                    <a class="button" href="/login/oidc" rel="external" data-testid="sso-link">
                        {label}
                    </a>
                }
            })
    };
    view! {
        <Title text=t_string!(i18n, login.title).to_string() />
        <Suspense fallback=|| ()>{signed_in}</Suspense>
        <section class="card narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="muted">{t!(i18n, login.intro)}</p>
            {refusal}
            <FormStatus outcome=login.value() success=Signal::derive(String::new) />
            <ActionForm action=login>
                <TextField
                    id="identifier"
                    name="identifier"
                    label=Signal::derive(move || t_string!(i18n, login.identifier).to_string())
                    required=true
                    autocomplete="username"
                />
                <TextField
                    id="password"
                    name="password"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, login.password).to_string())
                    required=true
                    autocomplete="current-password"
                />
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {t!(i18n, login.submit)}
                </button>
            </ActionForm>
            <Suspense fallback=|| ()>{sso}</Suspense>
        </section>
    }
}
