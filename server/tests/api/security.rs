//! What a browser is told to enforce, and what the server refuses from other sites.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;

fn assert_common_headers(what: &str, reply: &Reply) {
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        reply.header("referrer-policy"),
        Some("same-origin"),
        "{what}"
    );
    let csp = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no content-security-policy"));
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP lacks {directive}: {csp}"
        );
    }
    assert!(!csp.contains("'unsafe-inline'"), "{what}: {csp}");
}

db_test!(
    every_response_carries_the_security_headers,
    |app| async move {
        let client = app.client();
        assert_common_headers("GET /healthz", &client.get("/healthz").await);
        assert_common_headers("POST /api/me", &client.call("me", &[]).await);
        let refused = client.call("users/list", &[]).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_common_headers("refused POST /api/users/list", &refused);
        assert_common_headers("GET /no-such-page", &client.get("/no-such-page").await);
    }
);

db_test!(
    an_html_page_gets_a_fresh_script_nonce_in_its_policy,
    |app| async move {
        let nonce_of = |reply: &Reply| {
            let csp = reply
                .header("content-security-policy")
                .expect("CSP")
                .to_owned();
            let start = csp
                .find("'nonce-")
                .unwrap_or_else(|| panic!("no nonce in {csp}"))
                + 7;
            let end = start + csp[start..].find('\'').expect("closing quote");
            csp[start..end].to_owned()
        };
        // The login page loads no app (its resources' data, inline and
        // nonce-signed, are the renderer's own).
        let login = app.client().get("/login").await;
        assert_eq!(login.status, StatusCode::OK, "{login}");
        assert!(login
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/html"));
        assert_common_headers("GET /login", &login);
        assert!(!login.body.contains("modulepreload"), "{login}");
        assert!(!login.body.contains(".wasm"), "{login}");

        // The area page hydrates: its inline script carries the header's nonce.
        let id = app.assessment_of("DIT-IZIN").await;
        let unit = app.signed_in("unit").await;
        let area = format!("/assessments/{id}/pemenuhan/1");
        let page = unit.get(&area).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        assert_common_headers(&format!("GET {area}"), &page);
        let nonce = nonce_of(&page);
        assert!(nonce.len() >= 16, "a nonce worth the name: {nonce}");
        assert!(
            page.body.contains(&format!("nonce=\"{nonce}\"")),
            "the page's scripts carry the nonce of its header"
        );

        let again = unit.get(&area).await;
        assert_ne!(nonce_of(&again), nonce, "every page gets its own nonce");
    }
);

db_test!(
    the_session_cookie_is_http_only_and_same_site_lax,
    |app| async move {
        let reply = app.client().login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let cookie = reply.set_cookie(SESSION_COOKIE).expect("a session cookie");
        let attributes: Vec<String> = cookie
            .split(';')
            .skip(1)
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        assert!(attributes.iter().any(|a| a == "httponly"), "{cookie}");
        assert!(attributes.iter().any(|a| a == "samesite=lax"), "{cookie}");
        assert!(attributes.iter().any(|a| a == "path=/"), "{cookie}");
        assert!(
            !attributes.iter().any(|a| a == "secure"),
            "no Secure without an https public URL: {cookie}"
        );
    }
);

db_test!(
    the_session_cookie_is_secure_when_the_public_url_is_https,
    settings = |s| {
        s.public_url = Some("https://zi.example.go.id".to_owned());
    },
    |app| async move {
        let reply = app.client().login("admin", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{reply}");
        let cookie = reply.set_cookie(SESSION_COOKIE).expect("a session cookie");
        let lower = cookie.to_ascii_lowercase();
        assert!(lower.split(';').any(|a| a.trim() == "secure"), "{cookie}");
        assert!(lower.contains("httponly"), "{cookie}");
        assert!(lower.contains("samesite=lax"), "{cookie}");
    }
);

db_test!(
    a_post_from_another_site_is_refused_with_403,
    |app| async move {
        let client = app.client();
        let before = app.table_counts().await;
        let login = [("identifier", "admin"), ("password", PASSWORD)];
        for (header, value) in [
            ("origin", "https://evil.example"),
            ("origin", "null"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let response = client
                .http
                .post(app.url("/api/login"))
                .header(header, value)
                .form(&login)
                .send()
                .await
                .expect("POST");
            let status = response.status();
            let cookies = response.headers().get_all("set-cookie").iter().count();
            assert_eq!(status, StatusCode::FORBIDDEN, "{header}: {value}");
            assert_eq!(cookies, 0, "{header}: {value}: no session handed out");
        }
        assert_eq!(client.me().await, None, "nobody signed in");

        // Also with a session: a cross-site form cannot act for a signed-in admin.
        let admin = app.signed_in("admin").await;
        let response = admin
            .http
            .post(app.url("/api/units/create"))
            .header("origin", "https://evil.example")
            .form(&[
                ("code", "JAHAT"),
                ("name", "Unit Jahat"),
                ("kind", "other"),
                ("parent", ""),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.table_counts().await, before, "nothing written");
    }
);

db_test!(a_post_from_the_same_origin_passes, |app| async move {
    let client = app.client();
    let response = client
        .http
        .post(app.url("/api/login"))
        .header("origin", app.address.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(&[("identifier", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(client.whoami().await.as_deref(), Some("admin"));
});

db_test!(
    a_no_js_form_login_redirects_home_or_back_with_the_error,
    |app| async move {
        let client = app.client();
        let referer = app.url("/login");
        let form_post = |password: &'static str| {
            client
                .http
                .post(app.url("/api/login"))
                .header("accept", "text/html,application/xhtml+xml")
                .header("origin", app.address.as_str())
                .header("referer", referer.as_str())
                .form(&[("identifier", "admin"), ("password", password)])
                .send()
        };

        let response = form_post("wrong-password").await.expect("POST");
        let status = response.status();
        assert!(
            status == StatusCode::FOUND || status == StatusCode::SEE_OTHER,
            "a failed form login redirects: {status}"
        );
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&referer),
            "back to the form: {location}"
        );
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let err = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("__err="))
            .unwrap_or_else(|| panic!("the error is in the URL: {location}"));
        let json = base64_url_decode(&percent_decode(err)).expect("base64");
        let error: serde_json::Value = serde_json::from_slice(&json).expect("JSON error");
        assert_eq!(error["error"], "invalid_credentials", "{location}");
        assert_eq!(client.me().await, None);

        let response = form_post(PASSWORD).await.expect("POST");
        assert!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap_or_default().starts_with("zi_session=")),
            "signed in"
        );
        // The browser follows the redirect(s) and lands on the home page.
        let mut response = response;
        let mut hops = Vec::new();
        loop {
            let status = response.status();
            assert!(
                status == StatusCode::FOUND || status == StatusCode::SEE_OTHER,
                "a successful form login redirects until home, got {status} after {hops:?}"
            );
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            hops.push(location.clone());
            if location == "/" || location == app.url("/") {
                break;
            }
            assert!(
                hops.len() < 3 && !location.contains("__err="),
                "not sent home: {hops:?}"
            );
            let next = if location.starts_with('/') {
                app.url(&location)
            } else {
                location
            };
            response = client
                .http
                .get(next)
                .header("accept", "text/html")
                .send()
                .await
                .expect("GET");
        }
        assert_eq!(client.whoami().await.as_deref(), Some("admin"));
    }
);

/// Text that tries to leave its element on every page that shows it.
const HOSTILE: &str = "</textarea><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"><script>alert(1)</script>&amp;";

db_test!(
    hostile_notes_are_shown_as_text_on_every_page_that_holds_them,
    |app| async move {
        let id = app.assessment_of("BDK-MDN").await;
        let medan = app.signed_in("medan").await;
        let tpi = app.signed_in("tpi").await;
        let note_field = "note[P.MP.i.a]";
        // Medan is submitted: the unit's note goes in directly, as an old save would have.
        sqlx::query(
            "UPDATE answers SET note = $1 WHERE assessment_id = $2 AND item_code = 'P.MP.i.a'",
        )
        .bind(HOSTILE)
        .bind(&id)
        .execute(&app.db)
        .await
        .expect("plant the unit's note");
        let saved = tpi
            .call(
                "review/save",
                &[
                    ("assessment", id.as_str()),
                    ("item", "P.MP.i.a"),
                    ("version", "0"),
                    ("note", HOSTILE),
                ],
            )
            .await;
        assert_eq!(saved.status, reqwest::StatusCode::OK, "{saved}");
        let unit = app.signed_in("unit").await;
        let draft = app.assessment_of("DIT-IZIN").await;
        let own = unit
            .call(
                "assessments/answers",
                &[("assessment", draft.as_str()), (note_field, HOSTILE)],
            )
            .await;
        assert_eq!(own.status, reqwest::StatusCode::OK, "{own}");

        let admin = app.signed_in("admin").await;
        let pages = [
            (&unit, format!("/assessments/{draft}/pemenuhan/1")),
            (&tpi, format!("/review/{id}/pemenuhan/1")),
            (&tpi, format!("/review/{id}")),
            (&tpi, format!("/review/{id}/report")),
            (&medan, format!("/assessments/{id}/pemenuhan/1")),
            (&admin, format!("/assessments/{id}/pemenuhan/1")),
            (&admin, format!("/dashboard/{id}")),
        ];
        for (client, path) in pages {
            let page = client.get(&path).await;
            assert_eq!(page.status, reqwest::StatusCode::OK, "{path}: {page}");
            assert!(
                !page.body.contains("<meta http-equiv=\"refresh\""),
                "{path} lets a note out of its element"
            );
            assert!(
                !page.body.contains("<script>alert(1)"),
                "{path} runs a note"
            );
        }
        let area = unit.get(&format!("/assessments/{draft}/pemenuhan/1")).await;
        assert!(
            area.body.contains("&lt;/textarea&gt;&lt;meta http-equiv="),
            "the note is in its field, as text"
        );
    }
);
