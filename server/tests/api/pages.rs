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
