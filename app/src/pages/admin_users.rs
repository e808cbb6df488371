use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::units::list_units;
use crate::api::users::{
    get_user, list_users, CreateUser, GrantRole, ResetPassword, ResetTwoFactor, RevokeRole,
    SetUserActive,
};
use crate::components::error::ErrorAlert;
use crate::components::form::{cleared_on_success, field_error, FormStatus, TextField};
use crate::components::labels::role_label;
use crate::domain::role::Role;
use crate::error::Field;
use crate::i18n::*;
use crate::model::{tree_order, GrantView, UnitSummary, UserSummary};
use leptos_i18n::I18nContext;

#[component]
pub fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let users = Resource::new(move || create.version().get(), |_| list_users());
    let units = Resource::new(|| (), |_| list_units());
    view! {
        <Title text=t_string!(i18n, users.title).to_string() />
        <h1>{t!(i18n, users.title)}</h1>
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                users
                    .get()
                    .map(|result| match result {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(users) => view! { <UserTable users /> }.into_any(),
                    })
            }}
            {move || {
                units
                    .get()
                    .and_then(Result::ok)
                    .map(|units| view! { <CreateUserForm units create /> })
            }}
        </Transition>
    }
}

fn grant_text(i18n: I18nContext<Locale>, grant: &GrantView) -> String {
    match &grant.unit_name {
        Some(unit) => format!("{} · {unit}", role_label(i18n, grant.role)),
        None => role_label(i18n, grant.role).to_owned(),
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, users.title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, users.username)}</th>
                        <th scope="col">{t!(i18n, users.full_name)}</th>
                        <th scope="col">{t!(i18n, users.roles)}</th>
                        <th scope="col">{t!(i18n, common.status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|user| {
                            let grants = user.grants.clone();
                            view! {
                                <tr class:inactive=!user.active>
                                    <th scope="row">
                                        <A href=format!("/admin/users/{}", user.id)>{user.username.clone()}</A>
                                    </th>
                                    <td>{user.full_name.clone()}</td>
                                    <td>
                                        {move || grants.iter().map(|g| grant_text(i18n, g)).collect::<Vec<_>>().join(", ")}
                                    </td>
                                    <td>
                                        {if user.active {
                                            view! { <span class="badge ok">{t!(i18n, common.active)}</span> }.into_any()
                                        } else {
                                            view! { <span class="badge off">{t!(i18n, common.inactive)}</span> }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CreateUserForm(units: Vec<UnitSummary>, create: ServerAction<CreateUser>) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = create.value();
    let form = cleared_on_success(outcome);
    view! {
        <section class="card" aria-labelledby="new-user">
            <h2 id="new-user">{t!(i18n, users.create_title)}</h2>
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, users.created).to_string()) done=CreateUser::PATH />
            <ActionForm action=create node_ref=form attr:class="grid-form">
                <TextField id="user-username" name="username" required=true
                    label=Signal::derive(move || t_string!(i18n, users.username).to_string())
                    error=field_error(outcome, Field::Username) />
                <TextField id="user-full-name" name="full_name" required=true
                    label=Signal::derive(move || t_string!(i18n, users.full_name).to_string())
                    error=field_error(outcome, Field::FullName) />
                <TextField id="user-email" name="email" kind="email"
                    label=Signal::derive(move || t_string!(i18n, users.email).to_string())
                    error=field_error(outcome, Field::Email) />
                <TextField id="user-password" name="password" kind="password" required=true autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, users.password).to_string())
                    error=field_error(outcome, Field::Password) />
                <TextField id="user-confirm" name="confirm" kind="password" required=true autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, users.confirm).to_string()) />
                <GrantFields prefix="user" units outcome_error=field_error(outcome, Field::Unit) optional_role=true />
                <button type="submit" class="button primary">{t!(i18n, users.create)}</button>
            </ActionForm>
        </section>
    }
}

/// The role and unit selects of the create and grant forms.
#[component]
fn GrantFields(
    prefix: &'static str,
    units: Vec<UnitSummary>,
    outcome_error: Signal<Option<String>>,
    optional_role: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let role_id = format!("{prefix}-role");
    let unit_id = format!("{prefix}-unit");
    let options: Vec<(String, String)> = tree_order(&units)
        .into_iter()
        .filter(|(_, u)| u.active)
        .map(|(depth, u)| {
            (
                u.id.as_str().to_owned(),
                format!("{}{}", "— ".repeat(depth), u.name),
            )
        })
        .collect();
    view! {
        <div class="field">
            <label for=role_id.clone()>{t!(i18n, users.role)}</label>
            <select id=role_id name="role">
                {optional_role.then(|| view! { <option value="">{t!(i18n, users.no_role)}</option> })}
                {Role::ALL
                    .into_iter()
                    .map(|role| view! { <option value=role.as_str()>{move || role_label(i18n, role)}</option> })
                    .collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=unit_id.clone()>{t!(i18n, users.unit)}</label>
            <select id=unit_id name="unit" aria-describedby=format!("{prefix}-unit-help")>
                <option value="">{t!(i18n, users.no_unit)}</option>
                {options
                    .into_iter()
                    .map(|(value, label)| view! { <option value=value>{label}</option> })
                    .collect_view()}
            </select>
            <p class="hint" id=format!("{prefix}-unit-help")>{t!(i18n, users.unit_help)}</p>
            <p class="field-error" aria-live="polite">{move || outcome_error.get()}</p>
        </div>
    }
}

#[component]
pub fn AdminUser() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reset = ServerAction::<ResetPassword>::new();
    let toggle = ServerAction::<SetUserActive>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let two_factor = ServerAction::<ResetTwoFactor>::new();
    let user = Resource::new(
        move || {
            (
                id(),
                toggle.version().get(),
                grant.version().get(),
                revoke.version().get(),
                two_factor.version().get(),
            )
        },
        |(id, ..)| get_user(id),
    );
    let units = Resource::new(|| (), |_| list_units());
    view! {
        <Title text=t_string!(i18n, users.detail_title).to_string() />
        <p><A href="/admin/users">{t!(i18n, users.back)}</A></p>
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                let units = units.get().and_then(Result::ok).unwrap_or_default();
                user.get()
                    .map(|result| match result.map(|user| (user.id.as_str().to_owned(), user.two_factor, user)) {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok((user_id, two_factor_on, user)) => view! {
                            <UserDetail user units reset toggle grant revoke />
                            <TwoFactorReset id=user_id enabled=two_factor_on action=two_factor />
                        }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn UserDetail(
    user: UserSummary,
    units: Vec<UnitSummary>,
    reset: ServerAction<ResetPassword>,
    toggle: ServerAction<SetUserActive>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.as_str().to_owned();
    let active = user.active;
    let reset_outcome = reset.value();
    let grant_outcome = grant.value();
    let (toggle_id, grant_id, reset_id) = (id.clone(), id.clone(), id.clone());
    let grant_items = user
        .grants
        .into_iter()
        .map(|g| {
            let label = {
                let g = g.clone();
                move || grant_text(i18n, &g)
            };
            let user_id = id.clone();
            view! {
                <li>
                    <span>{label}</span>
                    <ActionForm action=revoke attr:class="inline-form">
                        <input type="hidden" name="id" value=user_id />
                        <input type="hidden" name="grant" value=g.id />
                        <button type="submit" class="link-button">{t!(i18n, users.revoke)}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{user.full_name.clone()} " " <small class="muted">"@" {user.username.clone()}</small></h1>
        <p>{user.email.clone()}</p>
        <FormStatus outcome=toggle.value() success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=SetUserActive::PATH />
        <ActionForm action=toggle attr:class="inline-form">
            <input type="hidden" name="id" value=toggle_id />
            <input type="hidden" name="active" value=(!active).to_string() />
            <span class=if active { "badge ok" } else { "badge off" }>
                {if active { t!(i18n, common.active).into_any() } else { t!(i18n, common.inactive).into_any() }}
            </span>
            " "
            <button type="submit" class="button">
                {if active { t!(i18n, common.deactivate).into_any() } else { t!(i18n, common.activate).into_any() }}
            </button>
        </ActionForm>

        <section class="card" aria-labelledby="roles-title">
            <h2 id="roles-title">{t!(i18n, users.roles)}</h2>
            <FormStatus outcome=revoke.value() success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=RevokeRole::PATH />
            <ul class="grant-list">{grant_items}</ul>
            <FormStatus outcome=grant_outcome success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=GrantRole::PATH />
            <ActionForm action=grant attr:class="grid-form">
                <input type="hidden" name="id" value=grant_id />
                <GrantFields prefix="grant" units outcome_error=field_error(grant_outcome, Field::Unit) optional_role=false />
                <button type="submit" class="button">{t!(i18n, users.grant)}</button>
            </ActionForm>
        </section>

        <section class="card" aria-labelledby="reset-title">
            <h2 id="reset-title">{t!(i18n, users.reset_title)}</h2>
            <FormStatus outcome=reset_outcome success=Signal::derive(move || t_string!(i18n, users.reset_done).to_string()) done=ResetPassword::PATH />
            <ActionForm action=reset attr:class="grid-form">
                <input type="hidden" name="id" value=reset_id />
                <TextField id="reset-password" name="password" kind="password" required=true autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, users.password).to_string())
                    error=field_error(reset_outcome, Field::Password) />
                <TextField id="reset-confirm" name="confirm" kind="password" required=true autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, users.confirm).to_string()) />
                <button type="submit" class="button">{t!(i18n, users.reset)}</button>
            </ActionForm>
        </section>
    }
}

/// Whether the user has a second factor, and the reset for a lost phone.
#[component]
fn TwoFactorReset(
    id: String,
    enabled: bool,
    action: ServerAction<ResetTwoFactor>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{t!(i18n, two_factor.admin_title)}</h2>
            <FormStatus outcome=action.value() success=Signal::derive(move || t_string!(i18n, two_factor.admin_reset_done).to_string()) done=ResetTwoFactor::PATH />
            {if enabled {
                view! {
                    <p data-testid="two-factor-state"><span class="badge ok">{t!(i18n, two_factor.state_on)}</span></p>
                    <p class="muted">{t!(i18n, two_factor.admin_reset_hint)}</p>
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button">{t!(i18n, two_factor.admin_reset)}</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p data-testid="two-factor-state"><span class="badge off">{t!(i18n, two_factor.state_off)}</span></p>
                }.into_any()
            }}
        </section>
    }
}
