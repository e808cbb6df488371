use leptos::prelude::*;
use leptos_i18n::context::UseLocalesOptions;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

use crate::api::auth::me;
use crate::components::layout::Layout;
use crate::i18n::*;
use crate::model::SessionUser;
use crate::pages;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::csp::send_policy_header();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
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
            <Stylesheet id="leptos" href="/pkg/zi.css" />
            <AppTitle />
            <Router>
                <SessionProvider>
                <Layout>
                    // Async: every page arrives complete, so it reads and works without JavaScript.
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
                </Layout>
                </SessionProvider>
            </Router>
        </I18nContextProvider>
    }
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
