use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::auth::ChangePassword as ChangePasswordAction;
use crate::components::form::{field_error, FormStatus, TextField};
use crate::error::Field;
use crate::i18n::*;

#[component]
pub fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePasswordAction>::new();
    let outcome = change.value();
    view! {
        <Title text=t_string!(i18n, account.title).to_string() />
        <section class="card narrow">
            <h1>{t!(i18n, account.title)}</h1>
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, account.changed).to_string()) done=ChangePasswordAction::PATH />
            <ActionForm action=change>
                <TextField
                    id="current"
                    name="current"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, account.current).to_string())
                    error=field_error(outcome, Field::CurrentPassword)
                    required=true
                    autocomplete="current-password"
                />
                <TextField
                    id="password"
                    name="password"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, account.new_password).to_string())
                    error=field_error(outcome, Field::Password)
                    required=true
                    autocomplete="new-password"
                />
                <TextField
                    id="confirm"
                    name="confirm"
                    kind="password"
                    label=Signal::derive(move || t_string!(i18n, account.confirm).to_string())
                    required=true
                    autocomplete="new-password"
                />
                <button type="submit" class="button primary">{t!(i18n, account.submit)}</button>
            </ActionForm>
        </section>
    }
}
