use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::components::Redirect;

use crate::api::auth::Login as LoginAction;
use crate::app::{reload_user_after, use_current_user};
use crate::components::form::{FormStatus, TextField};
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
    view! {
        <Title text=t_string!(i18n, login.title).to_string() />
        <Suspense fallback=|| ()>{signed_in}</Suspense>
        <section class="card narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="muted">{t!(i18n, login.intro)}</p>
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
        </section>
    }
}
