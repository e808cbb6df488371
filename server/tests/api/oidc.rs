//! Single sign-on through a real OpenID provider: npm's oidc-provider on
//! loopback (`end2end/oidc/provider.mjs`, `TEST_OIDC_ISSUER`, started by
//! `scripts/test`), never a mock. A visitor's cookie-keeping client follows
//! the redirects as a browser would and fills the provider's sign-in form;
//! the provider's login decides the e-mail claims (see provider.mjs).
//! What a user notices: the right account is signed in, nobody is signed in
//! (and no account is made) for an unknown, unverified, missing or
//! deactivated address, a forged or replayed answer signs nobody in, and a
//! second factor is still asked for.

use crate::db_test;
use crate::helpers::*;
use crate::totp::enrol;
use reqwest::StatusCode;

/// Where a chain of redirects ended: the URL of the last answer and the answer.
struct Landed {
    url: reqwest::Url,
    reply: Reply,
}

impl Landed {
    /// The path and query of the URL, e.g. `/login?sso=no_account`.
    fn local(&self) -> String {
        match self.url.query() {
            Some(query) => format!("{}?{query}", self.url.path()),
            None => self.url.path().to_owned(),
        }
    }
}

/// Sends `request`, then follows redirects with GETs as a browser does, until
/// an answer that is not a redirect, or, with `stop_before`, until the next
/// URL's path would be that one (the redirect is then what is returned).
async fn follow(
    client: &Client,
    request: reqwest::RequestBuilder,
    stop_before: Option<&str>,
) -> Landed {
    let mut request = request;
    for _ in 0..20 {
        let response = request.send().await.expect("the request is answered");
        let url = response.url().clone();
        let reply = Reply::read(response).await;
        if !reply.status.is_redirection() {
            return Landed { url, reply };
        }
        let location = reply
            .header("location")
            .unwrap_or_else(|| panic!("a redirect names its target: {reply}"));
        let next = url.join(location).expect("a URL");
        if stop_before.is_some_and(|path| next.path() == path) {
            return Landed { url: next, reply };
        }
        request = client.http.get(next);
    }
    panic!("more than 20 redirects");
}

/// Signs in at the provider from the app's SSO link: every provider form on
/// the way (sign-in, then consent) is posted back as a user would. Stops at
/// the app's callback when `stop_at_callback`; otherwise lands where the app
/// sent the visitor.
async fn through_provider(
    app: &TestApp,
    client: &Client,
    login: &str,
    stop_at_callback: bool,
) -> Landed {
    let stop = stop_at_callback.then_some("/login/oidc/callback");
    let mut landed = follow(client, client.http.get(app.url("/login/oidc")), stop).await;
    for _ in 0..3 {
        if !landed.url.path().starts_with("/interaction/") {
            break;
        }
        assert_eq!(landed.reply.status, StatusCode::OK, "{}", landed.reply);
        let form: Vec<(&str, &str)> = if landed.reply.body.contains(r#"value="login""#) {
            vec![
                ("prompt", "login"),
                ("login", login),
                ("password", "kata-sandi-penyedia"),
            ]
        } else {
            assert!(
                landed.reply.body.contains(r#"value="consent""#),
                "the provider asks to sign in or to confirm: {}",
                landed.reply
            );
            vec![("prompt", "consent")]
        };
        let post = client.http.post(landed.url.clone()).form(&form);
        landed = follow(client, post, stop).await;
    }
    assert!(
        !landed.url.path().starts_with("/interaction/"),
        "the provider let the visitor go: {}",
        landed.reply
    );
    landed
}

/// Creates an account as the administrator does; its id.
async fn account(app: &TestApp, username: &str, email: &str) -> String {
    let admin = app.signed_in("admin").await;
    let unit = app.unit_id("DIT-IZIN").await;
    let password = "kata-sandi-akun-2026";
    let created = admin
        .call(
            "users/create",
            &[
                ("username", username),
                ("email", email),
                ("full_name", "Pengguna SSO"),
                ("password", password),
                ("confirm", password),
                ("role", "unit_member"),
                ("unit", &unit),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{created}");
    app.user_id(username).await
}

async fn oidc_sign_ins(app: &TestApp, user: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'user.sign_in_oidc' AND entity_id = $1",
        &[user],
    )
    .await
}

async fn sessions_of(app: &TestApp, user: &str) -> i64 {
    app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", &[user])
        .await
}

db_test!(
    a_verified_address_signs_in_its_own_account_in_a_new_session,
    settings = with_oidc,
    |app| async move {
        if oidc_issuer(module_path!()).is_none() {
            return;
        }
        let ani = account(&app, "ani.widya", "ani.widya@kemen.go.id").await;
        account(&app, "budi.sso", "budi@kemen.go.id").await;

        // The login page offers the provider under the configured label, as a plain link.
        let visitor = app.client();
        let login = visitor.get("/login").await;
        assert_eq!(login.status, StatusCode::OK, "{login}");
        assert!(
            login.body.contains(r#"href="/login/oidc""#)
                && login.body.contains("Masuk dengan SSO Kementerian"),
            "the SSO link: {login}"
        );

        // The provider sends the address in another case than it was stored.
        let cookies = app.count("SELECT COUNT(*) FROM sessions", &[]).await;
        let client = app.client();
        let landed = through_provider(&app, &client, "Ani.Widya@KEMEN.go.id", true).await;
        let before = client
            .session_cookie()
            .expect("the sign-in's state is in a session");
        assert!(
            app.count("SELECT COUNT(*) FROM sessions", &[]).await > cookies,
            "the state, nonce and verifier wait in the session"
        );
        let home = follow(&client, client.http.get(landed.url.clone()), None).await;
        assert_eq!(home.local(), "/", "home after the provider: {}", home.reply);
        assert_eq!(home.reply.status, StatusCode::OK, "{}", home.reply);
        assert_eq!(client.whoami().await.as_deref(), Some("ani.widya"));
        assert_ne!(
            client.session_cookie(),
            Some(before),
            "a new session id at sign-in"
        );
        assert_eq!(oidc_sign_ins(&app, &ani).await, 1, "audited");
        let audited = sqlx::query_scalar::<_, String>(
            "SELECT after_json FROM audit_log WHERE action = 'user.sign_in_oidc' AND entity_id = $1",
        )
        .bind(&ani)
        .fetch_one(&app.db)
        .await
        .expect("the audit line");
        assert!(
            audited.contains("Ani.Widya@KEMEN.go.id") && audited.contains(r#""code_step":false"#),
            "the provider's subject is on the audit line: {audited}"
        );
        // The session has the rights of the account: the unit's own assessment opens.
        let izin = app.assessment_of("DIT-IZIN").await;
        let page = client.get(&format!("/assessments/{izin}")).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");

        // Another visitor, another address, another account.
        let other = app.client();
        through_provider(&app, &other, "budi@kemen.go.id", false).await;
        assert_eq!(other.whoami().await.as_deref(), Some("budi.sso"));
        assert_eq!(client.whoami().await.as_deref(), Some("ani.widya"));
    }
);

db_test!(
    an_unknown_unverified_missing_or_deactivated_address_signs_nobody_in,
    settings = with_oidc,
    |app| async move {
        if oidc_issuer(module_path!()).is_none() {
            return;
        }
        account(&app, "ani.widya", "ani.widya@kemen.go.id").await;
        let dewi = account(&app, "dewi.nonaktif", "dewi@kemen.go.id").await;
        let admin = app.signed_in("admin").await;
        let off = admin
            .call("users/active", &[("id", &dewi), ("active", "false")])
            .await;
        assert_eq!(off.status, StatusCode::OK, "{off}");
        let users = app.count("SELECT COUNT(*) FROM users", &[]).await;

        for (login, reason, words) in [
            (
                "tamu@kemen.go.id",
                "no_account",
                "Tidak ada akun ZI Tracker",
            ),
            (
                "unverified:ani.widya@kemen.go.id",
                "unverified",
                "belum terverifikasi",
            ),
            ("tanpa-email", "no_email", "tidak memberikan alamat e-mail"),
            ("dewi@kemen.go.id", "inactive", "sudah dinonaktifkan"),
            (
                r#""><script>alert('sso')</script>@kemen.go.id"#,
                "no_account",
                "Tidak ada akun ZI Tracker",
            ),
        ] {
            let client = app.client();
            let landed = through_provider(&app, &client, login, false).await;
            assert_eq!(landed.local(), format!("/login?sso={reason}"), "{login}");
            assert_eq!(landed.reply.status, StatusCode::OK, "{}", landed.reply);
            assert!(
                landed.reply.body.contains(r#"data-testid="sso-refused""#)
                    && landed.reply.body.contains(words),
                "{login}: the login page says why: {}",
                landed.reply
            );
            assert!(
                !landed.reply.body.contains("<script>alert"),
                "nothing the provider sent is echoed"
            );
            assert_eq!(client.me().await, None, "{login}: nobody signed in");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users", &[]).await,
            users,
            "no account was made"
        );
        assert_eq!(sessions_of(&app, &dewi).await, 0);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'user.sign_in_oidc'",
                &[]
            )
            .await,
            0
        );
    }
);

db_test!(
    a_forged_foreign_or_replayed_answer_signs_nobody_in,
    settings = with_oidc,
    |app| async move {
        if oidc_issuer(module_path!()).is_none() {
            return;
        }
        let ani = account(&app, "ani.widya", "ani.widya@kemen.go.id").await;

        // The state changed on the way back: refused, and the sign-in is spent.
        let client = app.client();
        let answer = through_provider(&app, &client, "ani.widya@kemen.go.id", true).await;
        let mut forged = answer.url.clone();
        let pairs: Vec<(String, String)> = answer
            .url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" {
                    format!("{v}x")
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        let reply = Reply::read(client.http.get(forged).send().await.expect("sent")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert!(
            reply.body.contains(r#"data-testid="sso-failure""#),
            "a page says so: {reply}"
        );
        assert_eq!(client.me().await, None);
        let genuine = Reply::read(
            client
                .http
                .get(answer.url.clone())
                .send()
                .await
                .expect("sent"),
        )
        .await;
        assert_eq!(
            genuine.status,
            StatusCode::BAD_REQUEST,
            "a state is good once: {genuine}"
        );
        assert_eq!(client.me().await, None);
        assert_eq!(sessions_of(&app, &ani).await, 0, "no session");

        // An answer meant for another browser (a login forced on a victim):
        // the victim's session did not send that state.
        let attacker = app.client();
        let answer = through_provider(&app, &attacker, "ani.widya@kemen.go.id", true).await;
        let victim = app.client();
        let begun = victim.get("/login/oidc").await;
        assert_eq!(begun.status, StatusCode::SEE_OTHER, "{begun}");
        let reply = Reply::read(
            victim
                .http
                .get(answer.url.clone())
                .send()
                .await
                .expect("sent"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(victim.me().await, None);
        // Without any sign-in begun, or with no code: refused too.
        let stranger = app.client();
        let reply = stranger
            .get("/login/oidc/callback?code=abc&state=def")
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(sessions_of(&app, &ani).await, 0, "no session");

        // The genuine answer signs in once; sent again, it is refused.
        let landed = follow(&attacker, attacker.http.get(answer.url.clone()), None).await;
        assert_eq!(landed.local(), "/", "{}", landed.reply);
        assert_eq!(attacker.whoami().await.as_deref(), Some("ani.widya"));
        attacker.logout().await;
        let replay = Reply::read(
            attacker
                .http
                .get(answer.url.clone())
                .send()
                .await
                .expect("sent"),
        )
        .await;
        assert_eq!(replay.status, StatusCode::BAD_REQUEST, "{replay}");
        assert_eq!(attacker.me().await, None);
        assert_eq!(oidc_sign_ins(&app, &ani).await, 1);
    }
);

db_test!(
    an_account_with_a_second_factor_still_gives_its_code_after_the_provider,
    settings = |settings: &mut zi::config::Settings| {
        with_oidc(settings);
        // Evaluators must have a second factor; unit members may choose one.
        settings.require_totp_for = vec![app::domain::role::Role::Evaluator];
    },
    |app| async move {
        if oidc_issuer(module_path!()).is_none() {
            return;
        }
        let ani = account(&app, "ani.widya", "ani.widya@kemen.go.id").await;
        let ani_client = app
            .signed_in_with("ani.widya", "kata-sandi-akun-2026")
            .await;
        let (mut authenticator, _) = enrol(&app, &ani_client).await;

        let client = app.client();
        let landed = through_provider(&app, &client, "ani.widya@kemen.go.id", false).await;
        assert_eq!(landed.local(), "/login/code", "{}", landed.reply);
        assert_eq!(client.me().await, None, "nothing before the code");
        let code = authenticator.next_code().await;
        let reply = client.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("ani.widya"));
        assert_eq!(oidc_sign_ins(&app, &ani).await, 1);

        // A role that requires a second factor enrols one at the code step.
        let admin = app.signed_in("admin").await;
        let password = "kata-sandi-penilai-2026";
        let created = admin
            .call(
                "users/create",
                &[
                    ("username", "penilai.sso"),
                    ("email", "penilai@kemen.go.id"),
                    ("full_name", "Penilai SSO"),
                    ("password", password),
                    ("confirm", password),
                    ("role", "evaluator"),
                    ("unit", ""),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        let evaluator = app.client();
        let landed = through_provider(&app, &evaluator, "penilai@kemen.go.id", false).await;
        assert_eq!(landed.local(), "/login/code", "{}", landed.reply);
        assert!(
            landed.reply.body.contains(r#"data-testid="totp-secret""#),
            "the code step enrols an app first: {}",
            landed.reply
        );
        assert_eq!(evaluator.me().await, None);
    }
);

db_test!(
    without_a_provider_the_login_page_offers_no_sso_and_its_routes_are_404,
    |app| async move {
        let login = app.client().get("/login").await;
        assert_eq!(login.status, StatusCode::OK, "{login}");
        assert!(!login.body.contains("/login/oidc"), "no SSO link: {login}");
        let reply = app.client().get("/login/oidc").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
        let reply = app
            .client()
            .get("/login/oidc/callback?code=a&state=b")
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply}");
    }
);

db_test!(
    a_provider_out_of_reach_is_a_503_and_passwords_still_sign_in,
    settings = |settings: &mut zi::config::Settings| oidc_at(settings, &closed_port_url()),
    |app| async move {
        let login = app.client().get("/login").await;
        assert!(
            login.body.contains(r#"href="/login/oidc""#),
            "configured: {login}"
        );
        let reply = app.client().get("/login/oidc").await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{reply}");
        assert!(
            reply.body.contains("tidak dapat dihubungi") && reply.body.contains(r#"href="/login""#),
            "the page says so and leads back: {reply}"
        );
        let admin = app.signed_in("admin").await;
        assert_eq!(admin.whoami().await.as_deref(), Some("admin"));
    }
);
