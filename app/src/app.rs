use leptos::prelude::*;
use leptos_i18n::context::UseLocalesOptions;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::auth::me;
use crate::components::layout::Layout;
use crate::i18n::*;
use crate::model::SessionUser;
use crate::pages;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::csp::send_policy_header();
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

/// The signed-in user, loaded once per page and shared through context.
pub type CurrentUser = Resource<Option<SessionUser>>;

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user: CurrentUser = Resource::new(|| (), |_| async { me().await.ok().flatten() });
    provide_context(user);

    view! {
        <I18nContextProvider ssr_lang_header_getter=indonesian_unless_chosen()>
            <Stylesheet id="leptos" href="/pkg/zi.css" />
            <AppTitle />
            <Router>
                <Layout>
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::Home />
                        <Route path=path!("/login") view=pages::login::Login />
                        <Route path=path!("/account/password") view=pages::account::ChangePassword />
                        <Route path=path!("/admin/units") view=pages::admin_units::AdminUnits />
                        <Route path=path!("/admin/users") view=pages::admin_users::AdminUsers />
                        <Route path=path!("/admin/users/:id") view=pages::admin_users::AdminUser />
                        <Route path=path!("/admin/rubrics") view=pages::admin_rubrics::AdminRubrics />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// Bahasa Indonesia is the default for everyone; English is a choice the
/// user makes with the switch (kept in a cookie), not the browser's guess.
fn indonesian_unless_chosen() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || t_string!(i18n, app.name).to_string() /> }
}
