//! The leadership dashboard over HTTP: scope by role and subtree, filters,
//! the funnel, the CSV and Excel downloads, and the charts as SVG and PNG.

use crate::db_test;
use crate::helpers::{Client, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

async fn dashboard(client: &Client, params: &[(&str, &str)]) -> Value {
    let reply = client.call("dashboard/get", params).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

fn codes(view: &Value) -> Vec<String> {
    view["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r["unit_code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A leadership account over Badan Pengembangan SDM (the Balai Diklat subtree).
async fn bpsdm_leader(app: &TestApp, admin: &Client) -> Client {
    let bpsdm = app.unit_id("BPSDM").await;
    let created = admin
        .call(
            "users/create",
            &[
                ("username", "kepala.bpsdm"),
                ("email", ""),
                ("full_name", "Kepala Badan SDM"),
                ("password", "kepala-bpsdm-1"),
                ("confirm", "kepala-bpsdm-1"),
                ("role", "leadership"),
                ("unit", &bpsdm),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{created}");
    app.signed_in_with("kepala.bpsdm", "kepala-bpsdm-1").await
}

db_test!(
    leadership_sees_its_scope_with_filters_and_the_funnel,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let all = dashboard(&admin, &[]).await;
        assert_eq!(codes(&all), ["BDK-MDN", "DIT-ADUAN", "DIT-IZIN", "DJPP"]);
        assert_eq!(all["funnel"]["building"], 4);
        assert_eq!(all["funnel"]["self_complete"], 1, "Medan is submitted");
        assert_eq!(all["funnel"]["tpi_finalized"], 0);
        let medan = &all["rows"][0];
        assert!(
            medan["self_total"].as_f64().unwrap_or_default() > 75.0,
            "{medan}"
        );
        assert!(medan["tpi_total"].is_null(), "no evaluator has scored yet");
        assert_eq!(
            medan["completeness"]["answered"],
            medan["completeness"]["total"]
        );
        let draft = &all["rows"][2];
        assert_eq!(draft["readiness"]["kind"], "short");
        assert_eq!(draft["readiness"]["target"]["kind"], "total");

        let leader = app.signed_in("pimpinan").await;
        assert_eq!(codes(&dashboard(&leader, &[]).await).len(), 4);
        let djpp = app.unit_id("DJPP").await;
        let subtree = dashboard(&leader, &[("subtree", &djpp)]).await;
        assert_eq!(codes(&subtree), ["DIT-ADUAN", "DIT-IZIN", "DJPP"]);
        assert_eq!(subtree["funnel"]["building"], 3);

        let submitted = dashboard(&admin, &[("state", "submitted")]).await;
        assert_eq!(codes(&submitted), ["BDK-MDN"]);
        let found = dashboard(&admin, &[("q", "perizinan")]).await;
        assert_eq!(codes(&found), ["DIT-IZIN"]);
        let by_score = dashboard(&admin, &[("sort", "self")]).await;
        assert_eq!(codes(&by_score)[0], "BDK-MDN");
        // Medan's scores reach its target, but not one of its items has evidence.
        assert_eq!(medan["readiness"]["kind"], "missing_evidence", "{medan}");
        assert_eq!(medan["readiness"]["scores_meet"], "wbk", "{medan}");
        assert_eq!(medan["readiness"]["items"], 113, "{medan}");
        let ready = dashboard(&admin, &[("readiness", "ready")]).await;
        assert!(
            codes(&ready).is_empty(),
            "no unit is ready without evidence: {ready}"
        );
        let not_ready = dashboard(&admin, &[("readiness", "not_ready")]).await;
        assert_eq!(codes(&not_ready).len(), 4);
    }
);

db_test!(
    a_subtree_leader_sees_nothing_of_another_subtree,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let leader = bpsdm_leader(&app, &admin).await;
        let own = dashboard(&leader, &[]).await;
        assert_eq!(codes(&own), ["BDK-MDN"]);
        let units: Vec<&str> = own["units"]
            .as_array()
            .expect("units")
            .iter()
            .filter_map(|u| u["code"].as_str())
            .collect();
        assert!(
            !units.contains(&"DJPP"),
            "the subtree list stays in scope: {units:?}"
        );
        let djpp = app.unit_id("DJPP").await;
        let other = dashboard(&leader, &[("subtree", &djpp)]).await;
        assert!(codes(&other).is_empty(), "another subtree shows nothing");

        let izin = app.assessment_of("DIT-IZIN").await;
        let page = leader.call("assessments/get", &[("id", &izin)]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{page}");
        let (status, _, csv) = leader.get_bytes("/dashboard.csv").await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).expect("utf-8");
        assert_eq!(csv.lines().count(), 2, "a header and Medan: {csv}");
        assert!(csv.contains("BDK-MDN") && !csv.contains("DIT-IZIN"));

        for who in ["unit", "tpi"] {
            let client = app.signed_in(who).await;
            let reply = client.call("dashboard/get", &[]).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who}: {reply}");
            let (status, _, _) = client.get_bytes("/dashboard.csv").await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: CSV");
        }
        let (status, _, _) = app
            .client()
            .get_bytes("/dashboard/charts/distribution.svg")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

db_test!(
    the_csv_and_the_chart_carry_the_numbers_on_screen,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let view = dashboard(&admin, &[]).await;
        let (status, headers, csv) = admin.get_bytes("/dashboard.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv"));
        let csv = String::from_utf8(csv).expect("utf-8");
        let csv = csv
            .strip_prefix('\u{feff}')
            .expect("a byte order mark for Excel");
        let mut lines = csv.lines();
        let header = lines.next().expect("header");
        assert!(
            header.starts_with("kode_unit;nama_unit;target;status;"),
            "Indonesian Excel splits on semicolons: {header}"
        );
        let medan = lines.next().expect("Medan first");
        let fields: Vec<&str> = medan.split(';').collect();
        assert_eq!(fields[0], "BDK-MDN");
        assert_eq!(fields[3], "Dikirim ke TPI", "labels, not codes: {medan}");
        let shown = view["rows"][0]["self_total"].as_f64().expect("total");
        let column = header
            .split(';')
            .position(|h| h == "nilai_mandiri")
            .expect("column");
        let written: f64 = fields[column]
            .replace(',', ".")
            .parse()
            .expect("a number with a decimal comma");
        assert!(fields[column].contains(','), "{}", fields[column]);
        assert!((written - shown).abs() < 0.005, "{written} vs {shown}");

        let (status, _, xlsx) = admin.get_bytes("/dashboard.xlsx").await;
        assert_eq!(status, StatusCode::OK);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an xlsx is a zip");
        let part = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut text)
                .expect("utf-8");
            text
        };
        assert!(part(&mut zip, "xl/sharedStrings.xml").contains("BDK-MDN"));
        let cells = part(&mut zip, "xl/worksheets/sheet1.xml");
        let numbers: Vec<f64> = cells
            .split("<v>")
            .skip(1)
            .filter_map(|rest| rest.split("</v>").next()?.parse().ok())
            .collect();
        assert!(
            numbers.iter().any(|n| (n - shown).abs() < 1e-9),
            "the workbook holds the total shown, unrounded"
        );

        let (status, headers, svg) = admin.get_bytes("/dashboard/charts/distribution.svg").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[reqwest::header::CONTENT_TYPE], "image/svg+xml");
        let svg = String::from_utf8(svg).expect("utf-8");
        assert!(svg.contains("<title>"), "accessible title");
        assert!(
            svg.contains("WBK 75") && svg.contains("WBBM 85"),
            "threshold lines"
        );

        let medan = view["rows"][0]["assessment_id"]
            .as_str()
            .expect("id")
            .to_owned();
        let (status, _, areas) = admin
            .get_bytes(&format!("/assessments/{medan}/charts/areas.svg"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let areas = String::from_utf8(areas).expect("utf-8");
        assert!(areas.contains("Balai Diklat Medan"), "titled with the unit");
        assert!(
            areas.contains("WBK 60 %") && areas.contains("WBBM 75 %"),
            "per-area lines"
        );
        let member = app.signed_in("unit").await;
        let (status, _, _) = member
            .get_bytes(&format!("/assessments/{medan}/charts/areas.svg"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another unit's chart");
    }
);

db_test!(
    scores_are_kept_daily_and_at_every_state_change,
    |app| async move {
        let medan = app.assessment_of("BDK-MDN").await;
        let snapshots = |id: String| {
            let app = &app;
            async move {
                app.count(
                    "SELECT COUNT(*) FROM score_snapshots WHERE assessment_id = $1",
                    &[&id],
                )
                .await
            }
        };
        assert_eq!(
            snapshots(medan.clone()).await,
            1,
            "taken at the demo's submission"
        );

        let tpi = app.signed_in("tpi").await;
        let returned = tpi
            .call(
                "review/return",
                &[("assessment", &medan), ("summary", "Lengkapi SK")],
            )
            .await;
        assert_eq!(returned.status, StatusCode::OK, "{returned}");
        let leader = app.signed_in("pimpinan").await;
        let data = leader
            .call("assessments/get", &[("id", &medan)])
            .await
            .json();
        let trend = data["trend"].as_array().expect("trend");
        assert_eq!(trend.len(), 1, "one point a day, the latest wins");
        assert_eq!(trend[0]["state"], "returned");
        assert!(trend[0]["self_total"].as_f64().unwrap_or_default() > 75.0);

        let taken = app::backend::snapshots::take_all(&app.db)
            .await
            .expect("daily snapshots");
        assert_eq!(taken, 4, "every assessment of the period");
        let izin = app.assessment_of("DIT-IZIN").await;
        assert_eq!(snapshots(izin).await, 1);

        let (status, headers, svg) = leader
            .get_bytes(&format!("/assessments/{medan}/charts/trend.svg"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[reqwest::header::CONTENT_TYPE], "image/svg+xml");
        let svg = String::from_utf8(svg).expect("utf-8");
        assert!(svg.contains("<title>") && svg.contains("Balai Diklat Medan"));
    }
);

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

db_test!(
    every_chart_downloads_as_svg_and_png_within_the_callers_scope,
    |app| async move {
        let admin = app.signed_in("admin").await;
        let view = dashboard(&admin, &[]).await;
        let evaluators = view["evaluators"].as_array().expect("evaluators");
        assert_eq!(evaluators.len(), 1, "{evaluators:?}");
        assert_eq!(evaluators[0]["name"], "Budi Penilai TPI");
        assert_eq!(evaluators[0]["assessments"], 1, "the submitted Medan");
        assert_eq!(evaluators[0]["reviewed"], 0);

        for chart in ["distribution", "heatmap", "completeness", "evaluators"] {
            let (status, headers, svg) = admin
                .get_bytes(&format!("/dashboard/charts/{chart}.svg"))
                .await;
            assert_eq!(status, StatusCode::OK, "{chart}.svg");
            assert_eq!(headers[reqwest::header::CONTENT_TYPE], "image/svg+xml");
            assert!(String::from_utf8(svg).expect("utf-8").contains("<title>"));
            let (status, headers, png) = admin
                .get_bytes(&format!("/dashboard/charts/{chart}.png"))
                .await;
            assert_eq!(status, StatusCode::OK, "{chart}.png");
            assert_eq!(headers[reqwest::header::CONTENT_TYPE], "image/png");
            assert!(png.starts_with(PNG_SIGNATURE), "{chart}.png is a PNG");
        }
        let (_, _, heatmap) = admin.get_bytes("/dashboard/charts/heatmap.svg").await;
        let heatmap = String::from_utf8(heatmap).expect("utf-8");
        assert!(
            heatmap.contains("Balai Diklat Medan")
                && heatmap.contains("Direktorat Pelayanan Perizinan")
        );
        let (_, _, narrowed) = admin
            .get_bytes("/dashboard/charts/heatmap.svg?q=perizinan")
            .await;
        let narrowed = String::from_utf8(narrowed).expect("utf-8");
        assert!(
            narrowed.contains("Direktorat Pelayanan Perizinan")
                && !narrowed.contains("Balai Diklat Medan"),
            "the heatmap follows the table's filters: {narrowed}"
        );

        let medan = app.assessment_of("BDK-MDN").await;
        let (status, _, parts) = admin
            .get_bytes(&format!("/assessments/{medan}/charts/parts.svg"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let parts = String::from_utf8(parts).expect("utf-8");
        assert!(
            parts.contains("Pemenuhan") && parts.contains("Reform"),
            "a legend per part"
        );
        let (status, _, png) = admin
            .get_bytes(&format!("/assessments/{medan}/charts/parts.png"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(png.starts_with(PNG_SIGNATURE));
        for unknown in ["radar.svg", "parts.gif", "parts"] {
            let (status, _, _) = admin
                .get_bytes(&format!("/assessments/{medan}/charts/{unknown}"))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
        }

        let leader = bpsdm_leader(&app, &admin).await;
        let (status, _, own) = leader.get_bytes("/dashboard/charts/heatmap.svg").await;
        assert_eq!(status, StatusCode::OK);
        let own = String::from_utf8(own).expect("utf-8");
        assert!(own.contains("Balai Diklat Medan"));
        assert!(
            !own.contains("Direktorat Pelayanan Perizinan"),
            "another subtree's units stay out of the chart"
        );
        let izin = app.assessment_of("DIT-IZIN").await;
        let (status, _, _) = leader
            .get_bytes(&format!("/assessments/{izin}/charts/parts.png"))
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "another subtree's unit chart"
        );
        let (status, _, _) = app
            .client()
            .get_bytes("/dashboard/charts/heatmap.png")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

db_test!(
    the_funnel_follows_the_filters_and_an_empty_search_says_so,
    |app| async move {
        let leader = app.signed_in("pimpinan").await;
        let all = leader.call("dashboard/get", &[]).await.json();
        assert!(
            all["funnel"]["building"].as_u64().unwrap_or_default() > 1,
            "{all}"
        );
        let none = leader
            .call("dashboard/get", &[("q", "tidak-ada-unit-seperti-ini")])
            .await
            .json();
        assert_eq!(none["rows"].as_array().map(Vec::len), Some(0));
        assert_eq!(
            none["funnel"]["building"], 0,
            "the funnel counts what the table shows"
        );
        let page = leader.get("/dashboard?q=tidak-ada-unit-seperti-ini").await;
        assert!(
            page.body.contains("Tidak ada unit kerja yang cocok"),
            "{page}"
        );
    }
);

/// The load units of `zi demo seed --units`: `count` units below one parent,
/// each with an assessment of the current period.
async fn load_units(app: &TestApp, count: usize) {
    zi::demo::seed_load(&app.db, crate::helpers::current_year(), count, false)
        .await
        .expect("load units");
}

fn number(view: &Value, key: &str) -> u64 {
    view["page"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key}: {}", view["page"]))
}

/// The page's text without the markers hydration puts between text nodes.
fn text(html: &str) -> String {
    html.replace("<!>", "")
}

/// `href`s of the page's table rows (one per unit shown).
fn table_rows(html: &str) -> usize {
    html.matches(r#"<th scope="row"><a href="/dashboard/"#)
        .count()
}

db_test!(
    hundreds_of_units_page_through_the_table_with_the_filters_kept,
    |app| async move {
        load_units(&app, 300).await;
        let admin = app.signed_in("admin").await;
        let first = dashboard(&admin, &[("q", "muatan")]).await;
        let total = number(&first, "total");
        assert!(total > 300, "every load unit matches: {}", first["page"]);
        assert_eq!(codes(&first).len(), 50, "one page of rows");
        assert_eq!(number(&first, "pages"), total.div_ceil(50));
        assert_eq!(codes(&first)[0], "MUATAN");
        let second = dashboard(&admin, &[("q", "muatan"), ("page", "2")]).await;
        assert_eq!(number(&second, "number"), 2);
        assert_eq!(codes(&second)[0], "MUATAN-0050", "the 51st row");
        assert!(codes(&second).iter().all(|c| c.starts_with("MUATAN-")));
        assert!(
            codes(&first).last() < codes(&second).first(),
            "in table order"
        );

        // Past the last page: the last page (clamped), not an error.
        let past = dashboard(&admin, &[("q", "muatan"), ("page", "999")]).await;
        assert_eq!(number(&past, "number"), number(&past, "pages"));
        let last = usize::try_from(total - (total - 1) / 50 * 50).expect("rows");
        assert_eq!(codes(&past).len(), last);
        assert_eq!(codes(&past).last().map(String::as_str), Some("MUATAN-0300"));
        let nonsense = dashboard(&admin, &[("q", "muatan"), ("page", "dua")]).await;
        assert_eq!(
            codes(&nonsense),
            codes(&first),
            "not a number: the first page"
        );

        // Without JavaScript: the server-rendered page holds one page of rows
        // and links to the next one with the search kept.
        let html = admin.get("/dashboard?q=muatan").await;
        assert_eq!(html.status, StatusCode::OK, "{html}");
        assert_eq!(table_rows(&html.body), 50);
        assert!(
            text(&html.body).contains(&format!("Unit kerja ({total})")),
            "the header counts every row"
        );
        assert!(text(&html.body).contains(&format!("Baris 1–50 dari {total}")));
        assert!(
            html.body.len() < 200_000,
            "the page stays small: {} bytes",
            html.body.len()
        );
        let next = r#"href="/dashboard?q=muatan&amp;page=2#units""#;
        assert!(html.body.contains(next), "a plain link to page 2");
        let html = admin.get("/dashboard?q=muatan&page=2").await;
        assert_eq!(table_rows(&html.body), 50);
        assert!(html.body.contains("MUATAN-0050") && !html.body.contains("MUATAN-0049<"));
        assert!(text(&html.body).contains(&format!("Baris 51–100 dari {total}")));
        assert!(html
            .body
            .contains(r#"href="/dashboard?q=muatan&amp;page=1#units""#));

        // The downloads carry every row of the view, not the page.
        let (status, _, csv) = admin.get_bytes("/dashboard.csv?q=muatan&page=2").await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).expect("utf-8");
        assert_eq!(
            csv.lines().count() as u64,
            total + 1,
            "a header and every row"
        );
        let all = dashboard(&admin, &[]).await;
        assert_eq!(number(&all, "total"), total + 4, "and the four demo units");
        let (_, _, csv) = admin.get_bytes("/dashboard.csv").await;
        assert_eq!(
            csv.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() as u64,
            total + 5
        );
    }
);

db_test!(
    the_charts_count_the_rows_of_the_page_and_a_saved_answer_shows_at_once,
    |app| async move {
        load_units(&app, 120).await;
        let admin = app.signed_in("admin").await;
        let view = dashboard(&admin, &[("sort", "self")]).await;
        let total = number(&view, "total");
        assert!(total > 120);
        for chart in ["heatmap.svg", "heatmap.png", "distribution.svg"] {
            let (status, _, _) = admin
                .get_bytes(&format!("/dashboard/charts/{chart}?sort=self"))
                .await;
            assert_eq!(status, StatusCode::OK, "{chart}");
        }
        let (_, _, svg) = admin
            .get_bytes("/dashboard/charts/heatmap.svg?sort=self")
            .await;
        let svg = String::from_utf8(svg).expect("utf-8");
        assert!(
            svg.contains(&format!("50 dari {total} unit")),
            "the chart counts the table's rows"
        );
        let (_, _, svg) = admin
            .get_bytes("/dashboard/charts/heatmap.svg?state=submitted")
            .await;
        let submitted = dashboard(&admin, &[("state", "submitted")]).await;
        assert_eq!(number(&submitted, "total"), 1, "Medan");
        assert!(String::from_utf8(svg)
            .expect("utf-8")
            .contains("1 dari 1 unit"));

        let izin = || async { dashboard(&admin, &[("q", "dit-izin")]).await["rows"][0].clone() };
        let before = izin().await;
        let unit = app.signed_in("unit").await;
        let id = app.assessment_of("DIT-IZIN").await;
        let saved = unit
            .call(
                "assessments/answers",
                &[("assessment", &id), ("value[P.MP.i.b]", "A")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
        let after = izin().await;
        assert!(
            after["self_total"].as_f64() > before["self_total"].as_f64(),
            "the saved answer counts at once: {before} → {after}"
        );
        assert!(
            after["completeness"]["answered"].as_u64()
                > before["completeness"]["answered"].as_u64()
        );
    }
);

db_test!(
    a_snapshot_without_the_evaluators_total_does_not_break_later_ones_on_its_connection,
    |app| async move {
        use app::domain::lke::AssessmentState;
        use app::domain::period::Day;
        use app::model::ScorePoint;
        // PostgreSQL keeps a statement's parameter types from its first use on
        // a connection: a NULL bound first must not make a later number fail.
        let medan = app.assessment_of("BDK-MDN").await;
        let mut conn = app.db.acquire().await.expect("a connection");
        let days = [
            Day::new(2026, 1, 5).expect("a day"),
            Day::new(2026, 1, 6).expect("a day"),
        ];
        for (day, tpi) in [
            (days[0], None),
            (days[0], Some(81.25)),
            (days[1], None),
            (days[1], Some(70.5)),
            (days[1], None),
        ] {
            let point = ScorePoint {
                day,
                state: AssessmentState::Submitted,
                self_total: 80.0,
                tpi_total: tpi,
            };
            app::backend::db::snapshots::record(&mut conn, &medan, &point)
                .await
                .unwrap_or_else(|e| panic!("snapshot of {day} with {tpi:?}: {e}"));
            let stored: Option<f64> = sqlx::query_scalar(
                "SELECT tpi_total FROM score_snapshots WHERE assessment_id = $1 AND day = $2",
            )
            .bind(&medan)
            .bind(day.to_string())
            .fetch_one(&mut *conn)
            .await
            .expect("the snapshot");
            assert_eq!(stored, tpi, "{day}");
        }
    }
);
