use leptos::prelude::*;
use leptos_i18n::context::UseLocalesOptions;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

use crate::api::auth::me;
use crate::components::layout::Layout;
use crate::components::section::section;
use crate::i18n::*;
use crate::model::SessionUser;
use crate::pages;

/// The HTML document the server renders around the app. Only the pages that
/// need the browser app load it ([`is_interactive`]); every other page is
/// complete as HTML, its forms post without JavaScript, and it loads one small
/// script for the print buttons.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    crate::backend::csp::send_policy_header();
    let interactive = use_context::<axum::http::request::Parts>()
        .is_some_and(|request| is_interactive(request.uri.path()));
    let enhancements = format!(
        "/{}/{}-enhance.js",
        options.site_pkg_dir, options.output_name
    );
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href=stylesheet_href(&options) />
                {if interactive {
                    view! {
                        <AutoReload options=options.clone() />
                        <HydrationScripts options />
                    }
                    .into_any()
                } else {
                    view! { <script type="module" src=enhancements></script> }.into_any()
                }}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet of this build (its name carries the bundle's content hash).
#[cfg(feature = "ssr")]
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

/// The pages whose work needs the browser app: a unit's area (live score,
/// autosave, uploads with progress), an evaluator's area, and the two pages
/// that import a workbook and show what was read from it (an assessment's
/// overview, the rubrics). The browser build routes only these; following a
/// link to any other page loads it whole.
pub fn is_interactive(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["assessments" | "review", _, part, area] => section(part, area).is_some(),
        ["assessments", _] | ["admin", "rubrics"] => true,
        _ => false,
    }
}

/// The signed-in user, shared through context and reloaded whenever the
/// session changes (login or logout) without a full page load.
pub type CurrentUser = Resource<Option<SessionUser>>;

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// Bumped whenever a login or logout completes, so the current user reloads.
#[derive(Clone, Copy)]
struct SessionChanges(RwSignal<u32>);

/// Reloads the current user each time `action` completes (in the browser;
/// without JavaScript every action ends in a full page load anyway).
pub fn reload_user_after<S>(action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let changes = expect_context::<SessionChanges>().0;
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changes.update(|n| *n += 1);
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <I18nContextProvider ssr_lang_header_getter=indonesian_unless_chosen()>
            <AppTitle />
            <Router>
                <SessionProvider>
                <Layout>
                    <Pages />
                </Layout>
                </SessionProvider>
            </Router>
        </I18nContextProvider>
    }
}

/// Every page, as the server renders them. Async: every page arrives
/// complete, so it reads and works without JavaScript.
#[cfg(feature = "ssr")]
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=pages::not_found::NotFound>
            <Route path=path!("/") ssr=SsrMode::Async view=pages::home::Home />
            <Route path=path!("/login") ssr=SsrMode::Async view=pages::login::Login />
            <Route path=path!("/login/code") ssr=SsrMode::Async view=pages::login_code::LoginCode />
            <Route path=path!("/account/password") ssr=SsrMode::Async view=pages::account_password::ChangePassword />
            <Route path=path!("/account/two-factor") ssr=SsrMode::Async view=pages::account_two_factor::TwoFactor />
            <Route path=path!("/admin/units") ssr=SsrMode::Async view=pages::admin_units::AdminUnits />
            <Route path=path!("/admin/users") ssr=SsrMode::Async view=pages::admin_users::AdminUsers />
            <Route path=path!("/admin/users/:id") ssr=SsrMode::Async view=pages::admin_users::AdminUser />
            <Route path=path!("/admin/rubrics") ssr=SsrMode::Async view=pages::admin_rubrics::AdminRubrics />
            <Route path=path!("/admin/periods") ssr=SsrMode::Async view=pages::admin_periods::AdminPeriods />
            <Route path=path!("/admin/portalrb") ssr=SsrMode::Async view=pages::admin_portalrb::AdminPortalRb />
            <Route path=path!("/admin/eligibility") ssr=SsrMode::Async view=pages::admin_eligibility::AdminEligibility />
            <Route path=path!("/assessments/:id") ssr=SsrMode::Async view=pages::assessment::AssessmentPage />
            <Route path=path!("/assessments/:id/missing") ssr=SsrMode::Async view=pages::assessment_missing::MissingPage />
            <Route path=path!("/assessments/:id/history/:item") ssr=SsrMode::Async view=pages::assessment_history::ItemHistory />
            <Route path=path!("/assessments/:id/:part/:area") ssr=SsrMode::Async view=pages::assessment_area::AreaPage />
            <Route path=path!("/dashboard") ssr=SsrMode::Async view=pages::dashboard::DashboardPage />
            <Route path=path!("/dashboard/:id") ssr=SsrMode::Async view=pages::dashboard_unit::UnitReportPage />
            <Route path=path!("/review/:id") ssr=SsrMode::Async view=pages::review::ReviewPage />
            <Route path=path!("/review/:id/report") ssr=SsrMode::Async view=pages::review_report::ReportPage />
            <Route path=path!("/review/:id/:part/:area") ssr=SsrMode::Async view=pages::review_area::ReviewAreaPage />
            <Route path=path!("/admin/assessments/:id") ssr=SsrMode::Async view=pages::admin_assessment::AdminReviewPage />
        </Routes>
    }
}

/// The pages the browser app hydrates and routes ([`is_interactive`]).
#[cfg(not(feature = "ssr"))]
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=FullPageLoad>
            <Route path=path!("/admin/rubrics") ssr=SsrMode::Async view=pages::admin_rubrics::AdminRubrics />
            <Route path=path!("/assessments/:id") ssr=SsrMode::Async view=pages::assessment::AssessmentPage />
            <Route path=path!("/assessments/:id/history/:item") view=FullPageLoad />
            <Route path=path!("/assessments/:id/:part/:area") ssr=SsrMode::Async view=pages::assessment_area::AreaPage />
            <Route path=path!("/review/:id/:part/:area") ssr=SsrMode::Async view=pages::review_area::ReviewAreaPage />
        </Routes>
    }
}

/// A page the browser app does not carry: load it from the server.
#[cfg(not(feature = "ssr"))]
#[component]
fn FullPageLoad() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let href = format!(
            "{}{}{}",
            location.pathname.get(),
            location.search.get(),
            location.hash.get()
        );
        if let Err(err) = window().location().replace(&href) {
            leptos::logging::warn!("loading {href} failed: {err:?}");
        }
    });
}

/// Provides the current user, reloaded after every login and logout.
#[component]
fn SessionProvider(children: Children) -> impl IntoView {
    let changes = RwSignal::new(0_u32);
    provide_context(SessionChanges(changes));
    let user: CurrentUser = Resource::new(
        move || changes.get(),
        |_| async { me().await.ok().flatten() },
    );
    provide_context(user);
    children()
}

/// Bahasa Indonesia is the default for everyone; English is a choice the
/// user makes with the switch (kept in a cookie), not the browser's guess.
fn indonesian_unless_chosen() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=t_string!(i18n, app.name).to_string() /> }
}

#[cfg(test)]
mod tests {
    use super::is_interactive;

    #[test]
    fn only_the_areas_and_the_workbook_imports_load_the_app() {
        for path in [
            "/assessments/abc/pemenuhan/1",
            "/assessments/abc/reform/6",
            "/assessments/abc/hasil/0",
            "/review/abc/pemenuhan/3",
            "/assessments/abc",
            "/admin/rubrics",
        ] {
            assert!(is_interactive(path), "{path}");
        }
        for path in [
            "/",
            "/login",
            "/dashboard",
            "/review/abc",
            "/admin/units",
            "/assessments/abc/missing",
            "/assessments/abc/history/P.MP.i.a",
            "/assessments/abc/pemenuhan/9",
            "/review/abc/report",
            "/admin/assessments/abc",
            "/elsewhere/abc/pemenuhan/1",
        ] {
            assert!(!is_interactive(path), "{path}");
        }
    }
}
