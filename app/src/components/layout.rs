use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::auth::Logout;
use crate::app::{reload_user_after, use_current_user};
use crate::domain::policy::{allows, Action};
use crate::i18n::*;
use crate::model::SessionUser;
use leptos_i18n::Locale as _;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">{t!(i18n, app.name)}</A>
            <Transition fallback=|| ()>
                {move || {
                    use_current_user()
                        .get()
                        .flatten()
                        .map(|user| view! { <Navigation user /> })
                }}
            </Transition>
            <LanguageSwitch />
        </header>
        <main id="main" class="page">{children()}</main>
    }
}

#[component]
fn Navigation(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let actor = Some(&user.actor);
    let admin_units = allows(actor, Action::AdministerUnits);
    let admin_users = allows(actor, Action::AdministerUsers);
    let admin_rubrics = allows(actor, Action::AdministerPeriods);
    let admin_integration = allows(actor, Action::AdministerIntegration);
    let admin_eligibility = allows(actor, Action::AdministerEligibility);
    let dashboard = allows(actor, Action::ViewDashboard);
    let logout = ServerAction::<Logout>::new();
    reload_user_after(logout);
    view! {
        <nav class="nav" aria-label=move || t_string!(i18n, nav.label)>
            <ul>
                <li><A href="/">{t!(i18n, nav.home)}</A></li>
                {dashboard.then(|| view! { <li><A href="/dashboard">{t!(i18n, nav.dashboard)}</A></li> })}
                {admin_units.then(|| view! { <li><A href="/admin/units">{t!(i18n, nav.units)}</A></li> })}
                {admin_users.then(|| view! { <li><A href="/admin/users">{t!(i18n, nav.users)}</A></li> })}
                {admin_rubrics.then(|| view! { <li><A href="/admin/rubrics">{t!(i18n, nav.rubrics)}</A></li> })}
                {admin_rubrics.then(|| view! { <li><A href="/admin/periods">{t!(i18n, nav.periods)}</A></li> })}
                {admin_integration.then(|| view! { <li><A href="/admin/portalrb">{t!(i18n, portalrb.nav)}</A></li> })}
                {admin_eligibility.then(|| view! { <li><A href="/admin/eligibility">{t!(i18n, eligibility.nav)}</A></li> })}
                <li><A href="/account/password">{t!(i18n, nav.password)}</A></li>
                <li><A href="/account/two-factor">{t!(i18n, nav.two_factor)}</A></li>
            </ul>
        </nav>
        <div class="user-menu">
            <span class="user-name">{user.full_name.clone()}</span>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button">{t!(i18n, nav.logout)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::id => Locale::en,
        Locale::en => Locale::id,
    };
    view! {
        // A plain form on purpose: the whole page reloads in the chosen language.
        <form method="post" action="/api/language" class="inline-form lang-switch">
            <input type="hidden" name="locale" value=move || other().as_str() />
            <button
                type="submit"
                class="link-button"
                lang=move || other().as_str()
                aria-label=move || t_string!(i18n, nav.switch_language)
            >
                {t!(i18n, nav.other_language)}
            </button>
        </form>
    }
}
