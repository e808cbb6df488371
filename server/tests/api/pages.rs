//! Server-rendered pages: the language they speak and the pages that do not exist.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;

async fn login_page(app: &TestApp, cookie: Option<&str>) -> Reply {
    let mut request = app
        .client()
        .http
        .get(app.url("/login"))
        .header("accept", "text/html")
        .header("accept-language", "en-US,en;q=0.9");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("GET /login");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    Reply {
        status,
        headers,
        body,
    }
}

db_test!(
    the_login_page_is_indonesian_even_for_an_english_browser,
    |app| async move {
        let page = login_page(&app, None).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        assert!(page.body.contains("Masuk"), "Indonesian: {page}");
        assert!(!page.body.contains("Sign in"), "not English: {page}");
        assert!(page.body.contains("lang=\"id\"") || page.body.contains("Kata sandi"));
    }
);

db_test!(
    the_login_page_is_english_once_english_was_chosen,
    |app| async move {
        let page = login_page(&app, Some("i18n_pref_locale=en")).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        assert!(page.body.contains("Sign in"), "English: {page}");
        assert!(!page.body.contains("Masuk"), "not Indonesian: {page}");
    }
);

db_test!(
    choosing_a_language_remembers_it_and_returns_to_the_page,
    |app| async move {
        let client = app.client();
        let response = client
            .http
            .post(app.url("/api/language"))
            .header("referer", app.url("/login?next=1"))
            .form(&[("locale", "en")])
            .send()
            .await
            .expect("POST /api/language");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["location"], "/login?next=1");
        let page = client.get("/login").await;
        assert!(page.body.contains("Sign in"), "English from now on: {page}");
        assert_eq!(client.cookie("i18n_pref_locale").as_deref(), Some("en"));

        let reply = client.call("language", &[("locale", "klingon")]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{reply}");
        assert_eq!(client.cookie("i18n_pref_locale").as_deref(), Some("en"));
    }
);

db_test!(an_unknown_page_is_404, |app| async move {
    let page = app.client().get("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{page}");
    assert!(page
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/html"));
});

db_test!(
    a_page_that_says_not_found_or_not_allowed_answers_with_that_status,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let medan = app.assessment_of("BDK-MDN").await;
        let missing = unit
            .get("/assessments/00000000-0000-0000-0000-000000000000")
            .await;
        assert_eq!(missing.status, reqwest::StatusCode::NOT_FOUND, "{missing}");
        let unknown_area = unit
            .get(&format!(
                "/assessments/{}/pemenuhan/9",
                app.assessment_of("DIT-IZIN").await
            ))
            .await;
        assert_eq!(unknown_area.status, reqwest::StatusCode::NOT_FOUND);
        for path in [
            format!("/assessments/{medan}"),
            format!("/review/{medan}"),
            format!("/admin/assessments/{medan}"),
            format!("/dashboard/{medan}"),
        ] {
            let page = unit.get(&path).await;
            assert_eq!(
                page.status,
                reqwest::StatusCode::FORBIDDEN,
                "{path}: {page}"
            );
            assert!(
                page.body.contains("Anda tidak berwenang"),
                "{path} says why"
            );
        }
    }
);

db_test!(
    the_item_history_reads_as_sentences_with_the_time,
    |app| async move {
        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        let saved = unit
            .call(
                "assessments/answers",
                &[
                    ("assessment", id.as_str()),
                    ("value[P.MP.i.b]", "b"),
                    ("note[P.MP.i.b]", "SK ditandatangani"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        let page = unit
            .get(&format!("/assessments/{id}/history/P.MP.i.b"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Jawaban diubah"), "{page}");
        assert!(page.body.contains("Catatan: SK ditandatangani"), "{page}");
        assert!(page.body.contains(" WIB"), "the time of day is shown");
        let table = page
            .body
            .split_once("<tbody")
            .and_then(|(_, rest)| rest.split_once("</tbody>"))
            .map(|(rows, _)| rows)
            .unwrap_or_default();
        assert!(
            !table.contains("{&quot;value") && !table.contains("answer.save") && !table.is_empty(),
            "no raw audit data"
        );
    }
);

const BUNDLE: &str = "zi-0123456789abcdef";

/// A built site as `scripts/lib.sh` leaves it: a named bundle, precompressed.
fn named_bundle_site() -> String {
    let root = std::env::temp_dir().join(format!("zi_test_site_{}", unique()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site directory");
    std::fs::write(pkg.join("bundle-name"), format!("{BUNDLE}\n")).expect("bundle name");
    std::fs::write(pkg.join(format!("{BUNDLE}.css")), "body { margin: 0 }").expect("css");
    std::fs::write(pkg.join(format!("{BUNDLE}.css.br")), b"brotli bytes").expect("css.br");
    root.to_string_lossy().into_owned()
}

db_test!(
    only_the_interactive_pages_load_the_app_and_the_named_bundle_is_cached_for_a_year,
    settings = |s| s.site_root = named_bundle_site(),
    |app| async move {
        let login = app.client().get("/login").await;
        assert_eq!(login.status, StatusCode::OK, "{login}");
        assert!(
            login.body.contains(&format!("href=\"/pkg/{BUNDLE}.css\"")),
            "{login}"
        );
        assert!(
            login
                .body
                .contains(&format!("src=\"/pkg/{BUNDLE}-enhance.js\"")),
            "{login}"
        );
        assert!(!login.body.contains(".wasm"), "the login page loads no app");

        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        for page in [
            "/".to_owned(),
            format!("/assessments/{id}/missing"),
            "/account/password".to_owned(),
        ] {
            let reply = unit.get(&page).await;
            assert_eq!(reply.status, StatusCode::OK, "{page}: {reply}");
            assert!(!reply.body.contains(".wasm"), "{page} loads no app");
        }
        let area = unit.get(&format!("/assessments/{id}/pemenuhan/1")).await;
        assert_eq!(area.status, StatusCode::OK, "{area}");
        assert!(
            area.body.contains(&format!("/pkg/{BUNDLE}_bg.wasm")),
            "{area}"
        );
        assert!(area.body.contains(&format!("/pkg/{BUNDLE}.js")), "{area}");
        assert!(
            area.body.contains(&format!("href=\"/pkg/{BUNDLE}.css\"")),
            "{area}"
        );

        let css = unit
            .http
            .get(app.url(&format!("/pkg/{BUNDLE}.css")))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("GET the stylesheet");
        assert_eq!(css.status(), StatusCode::OK);
        let header = |name: &str| {
            css.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("content-encoding").as_deref(), Some("br"));
        assert_eq!(
            header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(css.bytes().await.expect("body").as_ref(), b"brotli bytes");
    }
);

db_test!(
    a_plain_form_post_comes_back_to_its_page_saying_what_was_done,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let page = app.url("/admin/units?view=all");
        let post = |code: &'static str| {
            admin
                .http
                .post(app.url("/api/units/create"))
                .header("accept", "text/html")
                .header("referer", &page)
                .form(&[
                    ("code", code),
                    ("name", "Unit Tanpa JavaScript"),
                    ("kind", "direktorat"),
                    ("parent", ""),
                ])
                .send()
        };
        let created = post("NOJS-1").await.expect("POST units/create");
        assert_eq!(created.status(), StatusCode::FOUND);
        let back = created.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert_eq!(back, format!("{page}&__done=/api/units/create"));
        let shown = admin.get(back.trim_start_matches(&app.address)).await;
        assert_eq!(shown.status, StatusCode::OK, "{shown}");
        assert!(shown.body.contains("Unit kerja ditambahkan."), "{shown}");

        // A refused post comes back with the error instead, and no success note.
        let refused = post("NOJS-1").await.expect("POST units/create again");
        let back = refused.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(
            back.contains("__err=") && !back.contains("__done="),
            "{back}"
        );
        let shown = admin.get(back.trim_start_matches(&app.address)).await;
        assert!(!shown.body.contains("Unit kerja ditambahkan."), "{shown}");
        assert!(shown.body.contains("Sudah dipakai."), "{shown}");
    }
);
