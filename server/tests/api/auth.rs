//! Signing in and out, sessions, throttling, deactivation and own passwords.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;

db_test!(
    signing_in_by_username_starts_a_session_that_me_reports,
    |app| async move {
        let client = app.client();
        assert_eq!(client.me().await, None, "nobody is signed in yet");

        let reply = client.login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");

        let me = client.me().await.expect("signed in");
        assert_eq!(me["username"], "admin");
        assert_eq!(me["full_name"], "Administrator Instansi");
        assert_eq!(me["actor"]["user_id"], app.user_id("admin").await.as_str());
        assert_eq!(me["grants"][0]["role"], "admin");
    }
);

db_test!(
    signing_in_by_email_works_whatever_the_case,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let reply = admin
            .call(
                "users/create",
                &[
                    ("username", "ani"),
                    ("email", "ani@kemen.go.id"),
                    ("full_name", "Ani Wijaya"),
                    ("password", "ani-password-1"),
                    ("confirm", "ani-password-1"),
                    ("role", "evaluator"),
                    ("unit", ""),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");

        let client = app.client();
        let reply = client.login(" Ani@Kemen.go.id ", "ani-password-1").await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.whoami().await.as_deref(), Some("ani"));
    }
);

db_test!(
    a_wrong_password_and_an_unknown_user_get_the_same_401,
    |app| async move {
        let client = app.client();
        let wrong_password = client.login("admin", "not-the-password").await;
        let unknown_user = client.login("nobody-here", PASSWORD).await;
        let unknown_email = client.login("nobody@kemen.go.id", PASSWORD).await;

        for reply in [&wrong_password, &unknown_user, &unknown_email] {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
            assert_eq!(reply.error(), "invalid_credentials", "{reply}");
        }
        assert_eq!(wrong_password.body, unknown_user.body);
        assert_eq!(wrong_password.body, unknown_email.body);
        assert!(wrong_password.set_cookie(SESSION_COOKIE).is_none());
        assert_eq!(client.me().await, None);
    }
);

db_test!(
    logging_out_ends_the_session_and_the_old_cookie_stops_working,
    |app| async move {
        let client = app.signed_in("unit").await;
        let cookie = client.session_cookie().expect("a session cookie");
        assert_eq!(
            app.whoami_with_cookie(&cookie).await.as_deref(),
            Some("unit"),
            "the cookie works before logout"
        );

        let reply = client.logout().await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(client.me().await, None, "signed out");
        assert_eq!(client.session_cookie(), None, "the cookie was removed");
        assert_eq!(
            app.whoami_with_cookie(&cookie).await,
            None,
            "a copy of the old cookie is worthless after logout"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions", &[]).await, 0);
    }
);

db_test!(
    signing_in_issues_a_new_session_id_and_the_old_one_dies,
    |app| async move {
        // A session the visitor already had (signed in as someone else) …
        let client = app.signed_in("tpi").await;
        let before = client.session_cookie().expect("session cookie before");

        // … is replaced, not reused, when they sign in again.
        let reply = client.login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let after = client.session_cookie().expect("session cookie after");
        assert_ne!(before, after, "login must issue a fresh session id");
        assert_eq!(client.whoami().await.as_deref(), Some("admin"));

        assert_eq!(
            app.whoami_with_cookie(&before).await,
            None,
            "the pre-login session id is no longer valid"
        );
        assert_eq!(
            app.whoami_with_cookie(&after).await.as_deref(),
            Some("admin")
        );

        // A session id planted by someone else is not adopted either.
        let planted = "AAAAAAAAAAAAAAAAAAAAAA";
        let reply = app
            .client()
            .http
            .post(app.url("/api/login"))
            .header("cookie", format!("{SESSION_COOKIE}={planted}"))
            .form(&[("identifier", "unit"), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        assert_eq!(reply.status(), StatusCode::OK);
        let issued = reply
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{SESSION_COOKIE}=")))
            .expect("a session cookie is set at login")
            .to_owned();
        assert!(
            !issued.starts_with(&format!("{SESSION_COOKIE}={planted};")),
            "planted id adopted: {issued}"
        );
        assert_eq!(app.whoami_with_cookie(planted).await, None);
    }
);

db_test!(
    a_session_that_expired_from_inactivity_is_anonymous,
    |app| async move {
        let client = app.signed_in("pimpinan").await;
        assert_eq!(client.whoami().await.as_deref(), Some("pimpinan"));

        // The idle limit is in minutes; move the expiry into the past instead of waiting.
        let past = app::backend::db::now_ms() - 1_000;
        sqlx::query("UPDATE sessions SET expires_at = $1")
            .bind(past)
            .execute(&app.db)
            .await
            .expect("expire sessions");

        assert_eq!(
            client.me().await,
            None,
            "an expired session signs nobody in"
        );
        let reply = client.call("users/list", &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
    }
);

db_test!(
    an_active_session_is_extended_without_a_write_per_request,
    |app| async move {
        let client = app.signed_in("unit").await;
        let expiry = || async {
            sqlx::query_scalar::<_, i64>("SELECT MAX(expires_at) FROM sessions")
                .fetch_one(&app.db)
                .await
                .expect("expiry")
        };
        let first = expiry().await;
        let idle_ms = i64::try_from(app.settings.session_idle_minutes).unwrap() * 60_000;
        let now = app::backend::db::now_ms();
        assert!(
            first > now + idle_ms - 60_000 && first <= now + idle_ms + 1_000,
            "the session lasts the idle time: expires in {} ms",
            first - now
        );
        for _ in 0..3 {
            client.me().await.expect("still signed in");
        }
        assert_eq!(
            expiry().await,
            first,
            "requests within the minute store nothing"
        );

        // As if the last stored activity were two minutes old.
        sqlx::query("UPDATE sessions SET expires_at = expires_at - 120000")
            .execute(&app.db)
            .await
            .expect("age the session");
        client.me().await.expect("still signed in");
        assert!(
            expiry().await > first - 60_000,
            "activity pushes an older expiry back"
        );
    }
);

db_test!(
    five_failures_for_one_account_from_one_address_pause_it_there,
    |app| async move {
        let guesser = app.client_from(11);
        for attempt in 1..=5 {
            let reply = guesser.login("admin", "wrong-password").await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "attempt {attempt}: {reply}"
            );
        }
        let client = app.client_from(11);
        let reply = client.login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
        assert_eq!(reply.header("retry-after"), Some("900"), "15 minutes");
        let body = reply.json();
        assert_eq!(body["error"], "too_many_attempts", "{reply}");
        assert_eq!(body["retry_after_minutes"], 15, "{reply}");
        assert!(reply.set_cookie(SESSION_COOKIE).is_none());
        assert_eq!(client.me().await, None, "not signed in");
        // Upper case names the same account.
        let reply = app.client_from(11).login("ADMIN", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");

        if distinct_addresses() {
            // The real administrator, elsewhere, is not locked out by the guesser.
            let reply = app.client_from(12).login("admin", PASSWORD).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
            // Nor are colleagues at the guesser's address.
            let reply = app.client_from(11).login("tpi", PASSWORD).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
    }
);

db_test!(
    failures_for_one_account_from_many_addresses_pause_it_everywhere,
    settings = |s| s.login_max_failures_account = 6,
    |app| async move {
        if !distinct_addresses() {
            return;
        }
        for n in 40..46 {
            let reply = app.client_from(n).login("admin", "wrong-password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "from .{n}: {reply}");
        }
        let reply = app.client_from(46).login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
        let reply = app.client_from(46).login("tpi", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "other accounts: {reply}");
    }
);

db_test!(
    failures_from_one_address_across_accounts_also_pause_sign_in,
    settings = |s| s.login_max_failures_address = 5,
    |app| async move {
        let client = app.client_from(30);
        for account in ["unit", "tpi", "pimpinan", "ghost", "ghost@kemen.go.id"] {
            let reply = client.login(account, "wrong-password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{account}: {reply}");
        }
        // `admin` never failed, but the address did five times.
        let reply = app.client_from(30).login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
        assert_eq!(reply.error(), "too_many_attempts");
        assert!(reply.header("retry-after").is_some());

        if distinct_addresses() {
            // From elsewhere the same accounts still sign in.
            let reply = app.client_from(31).login("admin", PASSWORD).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
            let reply = app.client_from(31).login("unit", PASSWORD).await;
            assert_eq!(reply.status, StatusCode::OK, "{reply}");
        }
    }
);

db_test!(
    simultaneous_guesses_are_counted_before_any_password_is_checked,
    settings = |s| s.login_max_failures_address = 12,
    |app| async move {
        // Forty at once at one account: five are checked, the rest paused.
        let guesses = (0..40).map(|_| {
            let client = app.client_from(60);
            async move { client.login("unit", "wrong-password").await.status }
        });
        let statuses = futures_util::future::join_all(guesses).await;
        let count = |status: StatusCode| statuses.iter().filter(|s| **s == status).count();
        // The password queue is the whole test process's: under a full parallel
        // run some guesses find it full and are turned away (503) before they
        // are counted. Of the rest, five are checked and the others paused.
        let busy = count(StatusCode::SERVICE_UNAVAILABLE);
        let reached = statuses.len() - busy;
        assert_eq!(
            (
                count(StatusCode::UNAUTHORIZED),
                count(StatusCode::TOO_MANY_REQUESTS)
            ),
            (reached.min(5), reached.saturating_sub(5)),
            "{statuses:?}"
        );

        // Forty at once across accounts from another address: twelve are checked.
        let guesses = (0..40).map(|n| {
            let client = app.client_from(61);
            async move {
                client
                    .login(&format!("tebakan-{n}"), "wrong-password")
                    .await
                    .status
            }
        });
        let statuses = futures_util::future::join_all(guesses).await;
        let count = |status: StatusCode| statuses.iter().filter(|s| **s == status).count();
        let reached = statuses.len() - count(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            count(StatusCode::UNAUTHORIZED),
            reached.min(if distinct_addresses() { 12 } else { 7 }),
            "{statuses:?}"
        );
    }
);

/// Signs in through a reverse proxy that names the client in `X-Forwarded-For`.
async fn login_forwarded(
    client: &Client,
    forwarded_for: &str,
    username: &str,
    password: &str,
) -> Reply {
    let response = client
        .http
        .post(client.url("/api/login"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("identifier", username), ("password", password)])
        .send()
        .await
        .expect("the login request");
    Reply::read(response).await
}

db_test!(
    behind_a_trusted_proxy_the_forwarded_address_is_throttled_and_from_others_ignored,
    settings = |s| s.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")],
    |app| async move {
        if !distinct_addresses() {
            return;
        }
        let proxy = app.client_from(1);
        for _ in 0..5 {
            let reply = login_forwarded(&proxy, "198.51.100.7", "unit", "wrong-password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        }
        let reply = login_forwarded(&proxy, "198.51.100.7", "unit", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the guesser: {reply}"
        );
        // Another client behind the same proxy is somebody else.
        let reply = login_forwarded(&app.client_from(1), "198.51.100.8", "unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "another client: {reply}");
        // A client that is not the proxy cannot borrow an address with the header.
        let direct = app.client_from(50);
        for _ in 0..5 {
            let reply = login_forwarded(&direct, "198.51.100.9", "tpi", "wrong-password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        }
        let reply = login_forwarded(&app.client_from(1), "198.51.100.9", "tpi", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "the failures were counted for 127.0.0.50, not the address it claimed: {reply}"
        );
    }
);

db_test!(
    a_successful_sign_in_forgets_earlier_failures_of_the_account,
    |app| async move {
        let client = app.client();
        for _ in 0..4 {
            let reply = client.login("tpi", "wrong-password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        }
        let reply = client.login("tpi", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "the 5th attempt is still allowed: {reply}"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1",
                &["account:tpi"]
            )
            .await,
            0
        );
    }
);

db_test!(
    deactivating_a_user_ends_their_session_and_bars_sign_in,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let member = app.signed_in("unit").await;
        assert_eq!(member.whoami().await.as_deref(), Some("unit"));
        let id = app.user_id("unit").await;

        let reply = admin
            .call("users/active", &[("id", &id), ("active", "false")])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");

        assert_eq!(member.me().await, None, "the open session ended at once");
        let reply = member.call("account/password", &[]).await;
        assert!(reply.status.is_client_error(), "{reply}");
        let reply = app.client().login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{reply}");
        assert_eq!(
            reply.error(),
            "invalid_credentials",
            "a deactivated account looks like a wrong password"
        );

        // Reactivated, the account works again.
        let reply = admin
            .call("users/active", &[("id", &id), ("active", "true")])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let reply = app.client().login("unit", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
    }
);

db_test!(
    changing_ones_password_requires_the_current_one,
    |app| async move {
        let client = app.signed_in("tpi").await;
        let new = "a-new-long-password";

        let reply = client
            .call(
                "account/password",
                &[
                    ("current", "not-my-password"),
                    ("password", new),
                    ("confirm", new),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "current_password", "{reply}");
        assert_eq!(
            reply.json()["problem"]["problem"],
            "wrong_password",
            "{reply}"
        );

        let reply = client
            .call(
                "account/password",
                &[
                    ("current", PASSWORD),
                    ("password", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(reply.field(), "password", "{reply}");

        let reply = client
            .call(
                "account/password",
                &[("current", PASSWORD), ("password", new), ("confirm", new)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            client.whoami().await.as_deref(),
            Some("tpi"),
            "still signed in"
        );
        let id = app.user_id("tpi").await;
        assert_eq!(
            app.audit_rows("user", &id).await,
            2,
            "create + password change"
        );

        let reply = app.client().login("tpi", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "old password: {reply}"
        );
        let reply = app.client().login("tpi", new).await;
        assert_eq!(reply.status, StatusCode::OK, "new password: {reply}");
    }
);

db_test!(
    changing_ones_password_ends_the_other_sessions_but_not_this_one,
    |app| async move {
        let here = app.signed_in("tpi").await;
        let elsewhere = app.signed_in("tpi").await;
        let before = here.session_cookie();
        let new = "a-new-long-password";
        let reply = here
            .call(
                "account/password",
                &[("current", PASSWORD), ("password", new), ("confirm", new)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        assert_eq!(
            here.whoami().await.as_deref(),
            Some("tpi"),
            "this session goes on"
        );
        assert_ne!(here.session_cookie(), before, "under a new session id");
        assert_eq!(elsewhere.whoami().await, None, "the other session ended");
    }
);
