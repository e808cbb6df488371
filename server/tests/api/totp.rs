//! Two-step sign-in with an authenticator app (TOTP, RFC 6238): enrolment on
//! the account page, the code step of a sign-in, recovery codes, and the
//! administrator's reset. Codes are computed here, with `totp-rs`, from the
//! key the page shows, as a user's app would.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The user's authenticator app: the key read off the page, and the newest
/// time step it has given a code for (each code is accepted once).
pub(crate) struct Authenticator {
    totp: totp_rs::Totp,
    last_step: Option<u64>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

impl Authenticator {
    /// From the enrolment page, as a user types the key shown beside the QR code.
    fn from_page(html: &str) -> Self {
        let key = text_of(html, r#"data-testid="totp-secret""#, "</code>")
            .unwrap_or_else(|| panic!("the page shows the key: {html}"));
        let compact: String = key.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.len() >= 32, "a 160-bit key in base32: {key}");
        let secret = totp_rs::Secret::try_from_base32(&compact).expect("the key is base32");
        let totp = totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(30)
            .with_secret(secret.as_bytes().to_vec())
            .build()
            .expect("a TOTP");
        Authenticator {
            totp,
            last_step: None,
        }
    }

    fn code_at_step(&self, step: u64) -> String {
        self.totp.generate(step * 30).to_string()
    }

    /// A code the server has not seen yet and still accepts (now, or one
    /// step before or after): waits for the next step when they are used up.
    pub(crate) async fn next_code(&mut self) -> String {
        let now_step = unix_now() / 30;
        let step = match self.last_step {
            Some(last) => (last + 1).max(now_step.saturating_sub(1)),
            None => now_step,
        };
        if step > now_step + 1 {
            // Its step starts in at most 30 seconds; a step later it is accepted.
            let wait = (step - 1) * 30 - unix_now().min((step - 1) * 30);
            tokio::time::sleep(Duration::from_secs(wait + 1)).await;
        }
        self.last_step = Some(step);
        self.code_at_step(step)
    }

    /// The code the app showed last (for a replay).
    fn last_code(&self) -> String {
        self.code_at_step(self.last_step.expect("a code was given"))
    }

    /// A six-digit code that is none of the codes accepted now.
    fn wrong_code(&self) -> String {
        let now_step = unix_now() / 30;
        let valid: Vec<String> = (now_step - 2..=now_step + 2)
            .map(|step| self.code_at_step(step))
            .collect();
        (0..1000)
            .map(|n| format!("{:06}", 123_457 + n * 7919))
            .find(|code| !valid.contains(code))
            .expect("a wrong code")
    }
}

/// The content of the element whose tag holds `marker` (e.g. its
/// `data-testid`), up to `end`, without comment markers.
fn text_of(html: &str, marker: &str, end: &str) -> Option<String> {
    let tag = html.find(marker)?;
    let from = tag + html[tag..].find('>')? + 1;
    let to = from + html[from..].find(end)?;
    Some(strip_comments(&html[from..to]))
}

fn strip_comments(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<!") {
        out.push_str(&rest[..at]);
        match rest[at..].find('>') {
            Some(close) => rest = &rest[at + close + 1..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The recovery codes the page shows right after enrolment.
fn recovery_codes(html: &str) -> Vec<String> {
    let Some(list) = text_of(html, r#"data-testid="recovery-codes""#, "</ul>") else {
        return Vec::new();
    };
    list.split("<code>")
        .skip(1)
        .filter_map(|part| part.split("</code>").next())
        .map(str::to_owned)
        .collect()
}

/// Enrols `client`'s account as a user does on the account page; the app
/// and the recovery codes the page showed.
pub(crate) async fn enrol(app: &TestApp, client: &Client) -> (Authenticator, Vec<String>) {
    let reply = client.call("account/two-factor/start", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    let page = client.get("/account/two-factor").await;
    assert_eq!(page.status, StatusCode::OK, "{page}");
    assert!(page.body.contains("<svg"), "a QR code drawn on the page");
    assert!(
        page.body.contains("otpauth://totp/ZI%20Tracker:"),
        "the QR code's URI is also a link"
    );
    let mut authenticator = Authenticator::from_page(&page.body);

    // A wrong code does not switch it on.
    let wrong = authenticator.wrong_code();
    let reply = client
        .call("account/two-factor/confirm", &[("code", &wrong)])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert_eq!(reply.json()["field"], "code", "{reply}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_totp", &[]).await,
        0,
        "still off"
    );

    let code = authenticator.next_code().await;
    let reply = client
        .call("account/two-factor/confirm", &[("code", &code)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    let page = client.get("/account/two-factor").await;
    let codes = recovery_codes(&page.body);
    assert_eq!(codes.len(), 10, "ten recovery codes: {}", page.body);
    assert!(page.body.contains(r#"data-testid="two-factor-state""#));
    // Shown once: the next visit has none.
    let again = client.get("/account/two-factor").await;
    assert!(recovery_codes(&again.body).is_empty(), "shown only once");
    assert!(!again.body.contains(&codes[0]), "shown only once");
    (authenticator, codes)
}

/// Signs in with the password only: the session waits for the code.
async fn password_step(app: &TestApp, username: &str) -> Client {
    let client = app.client();
    let reply = client.login(username, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply.header("location"),
        Some("/login/code"),
        "the sign-in goes on at the code step: {reply}"
    );
    assert_eq!(client.me().await, None, "no session with rights yet");
    client
}

async fn audit_lines(app: &TestApp, action: &str, user: &str) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity = 'user' AND entity_id = $2",
        &[action, user],
    )
    .await
}

db_test!(
    an_enrolled_account_signs_in_with_its_code_and_a_wrong_or_replayed_code_is_refused,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let unit_id = app.user_id("unit").await;
        let (mut authenticator, _) = enrol(&app, &unit).await;
        assert_eq!(audit_lines(&app, "totp.enable", &unit_id).await, 1);
        // Enrolling did not end the session it was done in.
        assert_eq!(unit.whoami().await.as_deref(), Some("unit"));
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1",
                &[&unit_id]
            )
            .await,
            10,
            "kept as hashes"
        );

        // The password alone no longer signs in.
        let client = password_step(&app, "unit").await;
        let page = client.get("/login/code").await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        let reply = client
            .call("login/code", &[("code", &authenticator.wrong_code())])
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        assert_eq!(reply.json()["error"], "invalid_code", "{reply}");
        assert_eq!(client.me().await, None);

        let before = client.session_cookie();
        let code = authenticator.next_code().await;
        let reply = client.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("unit"));
        assert_ne!(client.session_cookie(), before, "a new session id");
        let izin = app.assessment_of("DIT-IZIN").await;
        let page = client.get(&format!("/assessments/{izin}")).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");

        // The same code again, within its window: refused.
        let replay = password_step(&app, "unit").await;
        let reply = replay
            .call("login/code", &[("code", &authenticator.last_code())])
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "a replay: {reply}");
        assert_eq!(replay.me().await, None);
        // The next code works.
        let code = authenticator.next_code().await;
        let reply = replay.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(replay.whoami().await.as_deref(), Some("unit"));

        // Without a right password first there is no code step.
        let stranger = app.client();
        let code = authenticator.code_at_step(unix_now() / 30 + 1);
        let reply = stranger.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        assert_eq!(stranger.me().await, None);
    }
);

db_test!(
    a_recovery_code_signs_in_once_and_is_audited,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let unit_id = app.user_id("unit").await;
        let (_, codes) = enrol(&app, &unit).await;

        let client = password_step(&app, "unit").await;
        // Typed as people do: upper case, a space instead of the dash.
        let typed = codes[3].to_uppercase().replace('-', " ");
        let reply = client.call("login/code", &[("code", &typed)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("unit"));
        assert_eq!(
            audit_lines(&app, "totp.recovery_code_used", &unit_id).await,
            1
        );
        let page = client.get("/account/two-factor").await;
        assert!(
            strip_comments(&page.body).contains("yang belum dipakai: 9."),
            "nine recovery codes left: {}",
            page.body
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                &[&unit_id]
            )
            .await,
            9
        );

        let again = password_step(&app, "unit").await;
        let reply = again.call("login/code", &[("code", &codes[3])]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "used up: {reply}");
        assert_eq!(again.me().await, None);
        assert_eq!(
            audit_lines(&app, "totp.recovery_code_used", &unit_id).await,
            1
        );
        // Another one still works.
        let reply = again.call("login/code", &[("code", &codes[4])]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
    }
);

db_test!(
    between_the_password_and_the_code_nothing_can_be_read_or_done,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let admin_id = app.user_id("admin").await;
        let (_, _) = enrol(&app, &admin).await;

        let pending = password_step(&app, "admin").await;
        let anonymous = app.client();
        let izin = app.assessment_of("DIT-IZIN").await;
        let unit_id = app.user_id("unit").await;
        // Pages: the same answer an anonymous visitor gets, and nothing of the admin's.
        for path in [
            "/".to_owned(),
            "/admin/users".to_owned(),
            format!("/admin/users/{unit_id}"),
            "/dashboard".to_owned(),
            format!("/assessments/{izin}"),
            "/account/two-factor".to_owned(),
        ] {
            let seen = pending.get(&path).await;
            let stranger = anonymous.get(&path).await;
            assert_eq!(seen.status, stranger.status, "{path}: {seen}");
            assert!(
                !seen.body.contains("Administrator Instansi")
                    && !seen.body.contains("Direktorat Pelayanan Perizinan"),
                "{path} shows nothing of the data: {seen}"
            );
        }
        // Server functions and routes: 401, and nothing written.
        let before = app.table_counts().await;
        for (endpoint, form) in [
            ("users/list", vec![]),
            ("users/get", vec![("id", unit_id.as_str())]),
            ("users/two-factor/reset", vec![("id", admin_id.as_str())]),
            ("units/list", vec![]),
            ("account/two-factor", vec![]),
            ("account/two-factor/disable", vec![("current", PASSWORD)]),
            (
                "account/password",
                vec![
                    ("current", PASSWORD),
                    ("password", "a-new-password-1"),
                    ("confirm", "a-new-password-1"),
                ],
            ),
        ] {
            let reply = pending.call(endpoint, &form).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{endpoint}: {reply}"
            );
        }
        let (status, _, _) = pending.get_bytes("/dashboard.csv").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "/dashboard.csv");
        assert_eq!(pending.me().await, None);
        assert_eq!(app.table_counts().await, before, "nothing written");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM user_totp", &[]).await,
            1,
            "still on"
        );
    }
);

db_test!(
    wrong_codes_are_throttled_like_wrong_passwords,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let (mut authenticator, _) = enrol(&app, &unit).await;
        let client = password_step(&app, "unit").await;
        let wrong = authenticator.wrong_code();
        for attempt in 1..=5 {
            let reply = client.call("login/code", &[("code", &wrong)]).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "attempt {attempt}: {reply}"
            );
        }
        // Now even the right code waits, as after five wrong passwords.
        let code = authenticator.next_code().await;
        let reply = client.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
        assert_eq!(reply.header("retry-after"), Some("900"), "{reply}");
        assert_eq!(client.me().await, None);
        // Typing the password again does not buy fresh guesses.
        let reply = app.client().login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
    }
);

db_test!(
    an_administrator_resets_a_lost_second_factor_and_it_is_audited,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let unit_id = app.user_id("unit").await;
        let admin_id = app.user_id("admin").await;
        enrol(&app, &unit).await;

        let admin = app.signed_in("admin").await;
        let page = admin.get(&format!("/admin/users/{unit_id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        let state = text_of(&page.body, r#"data-testid="two-factor-state""#, "</p>")
            .expect("the user page shows the second factor");
        assert!(
            state.contains("Aktif") && !state.contains("Tidak"),
            "{state}"
        );

        let member = app.signed_in("aduan").await;
        let reply = member
            .call("users/two-factor/reset", &[("id", &unit_id)])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{reply}");

        let reply = admin
            .call("users/two-factor/reset", &[("id", &unit_id)])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'totp.reset' \
                 AND entity_id = $1 AND actor_id = $2",
                &[&unit_id, &admin_id]
            )
            .await,
            1
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1",
                &[&unit_id]
            )
            .await,
            0,
            "the recovery codes went with it"
        );
        let page = admin.get(&format!("/admin/users/{unit_id}")).await;
        let state = text_of(&page.body, r#"data-testid="two-factor-state""#, "</p>")
            .expect("the user page shows the second factor");
        assert!(state.contains("Tidak aktif"), "{state}");

        // The password alone signs in again.
        let client = app.client();
        let reply = client.login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("unit"));
    }
);

db_test!(
    turning_the_second_factor_off_needs_the_password,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let unit_id = app.user_id("unit").await;
        enrol(&app, &unit).await;

        let reply = unit
            .call(
                "account/two-factor/disable",
                &[("current", "not-my-password")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.json()["field"], "current_password", "{reply}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM user_totp WHERE user_id = $1",
                &[&unit_id]
            )
            .await,
            1,
            "still on"
        );
        assert_eq!(audit_lines(&app, "totp.disable", &unit_id).await, 0);

        let reply = unit
            .call("account/two-factor/disable", &[("current", PASSWORD)])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(audit_lines(&app, "totp.disable", &unit_id).await, 1);
        let client = app.client();
        let reply = client.login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(reply.header("location"), None, "no code step: {reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("unit"));
    }
);

db_test!(
    a_role_that_requires_a_second_factor_enrols_at_sign_in_before_any_right,
    settings = |s| s.require_totp_for = vec![app::domain::role::Role::Admin],
    |app| async move {
        let admin_id = app.user_id("admin").await;
        // A role without the requirement signs in as before.
        let unit = app.client();
        let reply = unit.login("unit", PASSWORD).await;
        assert_eq!(reply.header("location"), None, "{reply}");
        assert_eq!(unit.whoami().await.as_deref(), Some("unit"));

        let admin = password_step(&app, "admin").await;
        let reply = admin.call("users/list", &[]).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "no rights yet: {reply}"
        );
        let page = admin.get("/login/code").await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        assert!(page.body.contains("<svg"), "the QR code: {page}");
        let mut authenticator = Authenticator::from_page(&page.body);
        // The key stays the same while the page is opened again.
        let again = admin.get("/login/code").await;
        let key = |html: &str| text_of(html, r#"data-testid="totp-secret""#, "</code>");
        assert_eq!(key(&again.body), key(&page.body));

        let reply = admin
            .call("login/code", &[("code", &authenticator.wrong_code())])
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        assert_eq!(admin.me().await, None);
        assert_eq!(app.count("SELECT COUNT(*) FROM user_totp", &[]).await, 0);

        let code = authenticator.next_code().await;
        let reply = admin.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            reply.header("location"),
            Some("/account/two-factor"),
            "{reply}"
        );
        assert_eq!(admin.whoami().await.as_deref(), Some("admin"));
        assert_eq!(audit_lines(&app, "totp.enable", &admin_id).await, 1);
        let page = admin.get("/account/two-factor").await;
        assert_eq!(recovery_codes(&page.body).len(), 10, "{}", page.body);

        // From now on the administrator signs in with a code.
        let next = password_step(&app, "admin").await;
        let page = next.get("/login/code").await;
        assert!(!page.body.contains("totp-secret"), "no second enrolment");
        let code = authenticator.next_code().await;
        let reply = next.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(reply.header("location"), None, "{reply}");
        assert_eq!(next.whoami().await.as_deref(), Some("admin"));
    }
);

db_test!(
    a_password_reset_or_change_ends_a_sign_in_waiting_for_its_code,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let unit_id = app.user_id("unit").await;
        let (mut authenticator, _) = enrol(&app, &unit).await;

        // Someone has the password and waits at the code step; the
        // administrator resets the password: that sign-in is over.
        let waiting = password_step(&app, "unit").await;
        let admin = app.signed_in("admin").await;
        let reset = "setelan-ulang-2026";
        let reply = admin
            .call(
                "users/password",
                &[("id", &unit_id), ("password", reset), ("confirm", reset)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        // A code the app shows now: what is refused is the missing sign-in.
        let code = authenticator.code_at_step(unix_now() / 30 + 1);
        let reply = waiting.call("login/code", &[("code", &code)]).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "the pending sign-in ended with the reset: {reply}"
        );
        assert_eq!(reply.json()["error"], "unauthenticated", "{reply}");
        assert_eq!(waiting.me().await, None);

        // The user signs in with the new password and the code…
        let owner = app.client();
        let reply = owner.login("unit", reset).await;
        assert_eq!(reply.header("location"), Some("/login/code"), "{reply}");
        let code = authenticator.next_code().await;
        let reply = owner.call("login/code", &[("code", &code)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        // …someone else waits at the code step with that password…
        let waiting = app.client();
        let reply = waiting.login("unit", reset).await;
        assert_eq!(reply.header("location"), Some("/login/code"), "{reply}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
                &[&unit_id]
            )
            .await,
            2,
            "the signed-in session and the pending one are both the user's"
        );
        // …and the user changes it: the other sign-in ends, theirs goes on.
        let changed = "kata-sandi-baru-2026";
        let reply = owner
            .call(
                "account/password",
                &[
                    ("current", reset),
                    ("password", changed),
                    ("confirm", changed),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let code = authenticator.code_at_step(unix_now() / 30 + 1);
        let reply = waiting.call("login/code", &[("code", &code)]).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "the pending sign-in ended with the change: {reply}"
        );
        assert_eq!(reply.json()["error"], "unauthenticated", "{reply}");
        assert_eq!(waiting.me().await, None);
        assert_eq!(owner.whoami().await.as_deref(), Some("unit"));
    }
);
