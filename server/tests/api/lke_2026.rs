//! The LKE download in PortalRB's 2026 layout (`/assessments/{id}/lke-2026.xlsx`):
//! both lanes on every soal's row, the evidence links of PortalRB's API in
//! column M, summary sheets (`Unit`, `TPI Unit`, `TPI Itjen`) whose cached
//! (and recalculated) results are the engine's scores, and the file read back
//! by our own importer.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use app::backend::lke::{export_workbook_2026, LaneData, Workbook2026};
use app::domain::lke::{builtin_90_2021_ref, score, Answer, Answers, ItemCode};
use app::domain::portalrb::{soal_2026, soal_answers, Lane};
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::Value;

use crate::db_test;
use crate::helpers::{Client, TestApp};

const TPI_NOTE: &str = "SK belum ditandatangani pimpinan";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../app/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("a fixture")
}

/// The master's row of every soal, in its order.
fn master_rows() -> Vec<u32> {
    fn walk(node: &Value, out: &mut Vec<u32>) {
        for soal in node["soals"].as_array().into_iter().flatten() {
            let row = soal["excel_baris"].as_u64().expect("excel_baris");
            out.push(u32::try_from(row).expect("a row"));
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let master: Value =
        serde_json::from_slice(&fixture("master-soal-lkezi-2026.json")).expect("the master");
    let mut rows = Vec::new();
    for top in master["data"].as_array().expect("data") {
        walk(top, &mut rows);
    }
    rows
}

async fn load(client: &Client, id: &str) -> Value {
    let reply = client.call("assessments/get", &[("id", id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{reply}");
    reply.json()
}

fn answers_of(data: &Value) -> Answers {
    serde_json::from_value(data["answers"].clone()).expect("answers")
}

fn notes_of(data: &Value) -> BTreeMap<ItemCode, String> {
    data["notes"]
        .as_object()
        .expect("notes")
        .iter()
        .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?.to_owned())))
        .filter(|(_, n): &(ItemCode, String)| !n.is_empty())
        .collect()
}

/// Direktorat Pelayanan Perizinan: the whole LKE filled from the reference
/// workbook (answers and notes), evidence on two soal, submitted; `tpi` leads
/// its review and changes two answers, one with a note.
struct Reviewed {
    id: String,
    unit: Answers,
    unit_notes: BTreeMap<ItemCode, String>,
    tpi: Answers,
    tpi_notes: BTreeMap<ItemCode, String>,
}

async fn reviewed(app: &TestApp) -> Reviewed {
    let unit = app.signed_in("unit").await;
    let id = app.assessment_of("DIT-IZIN").await;
    let imported = unit
        .call_multipart(
            "assessments/import",
            &[("assessment", &id), ("confirm", "yes")],
            ("lke.xlsx", fixture("lke-zi-90-2021-filled-example.xlsx")),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{imported}");
    for (item, name) in [
        ("P.MP.i.a", "SK Tim ZI.pdf"),
        ("R.MP.i.a", "Daftar Agen Perubahan.pdf"),
    ] {
        let uploaded = unit
            .post_multipart(
                &format!("/assessments/{id}/evidence"),
                &[("item", item)],
                Some((name, crate::assessments::pdf(name))),
                true,
            )
            .await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{uploaded}");
    }
    let submitted = unit
        .call(
            "assessments/submit",
            &[("assessment", &id), ("confirm", "yes")],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{submitted}");
    let admin = app.signed_in("admin").await;
    crate::review::assign(&admin, app, &id, "tpi", true).await;
    let tpi = app.signed_in("tpi").await;
    for (item, extra) in [
        (
            "P.MP.i.b",
            vec![("value[P.MP.i.b]", "C"), ("note", TPI_NOTE)],
        ),
        ("H.I.b", vec![("value[H.I.b]", "E")]),
    ] {
        let mut form = vec![
            ("assessment", id.as_str()),
            ("item", item),
            ("version", "0"),
        ];
        form.extend(extra);
        let saved = tpi.call("review/save", &form).await;
        assert_eq!(saved.status, StatusCode::OK, "{saved}");
    }
    let data = load(&unit, &id).await;
    let (answers, unit_notes) = (answers_of(&data), notes_of(&data));
    assert!(!unit_notes.is_empty(), "the reference workbook has notes");
    let rubric = builtin_90_2021_ref();
    let mut lane = answers.clone();
    let b = "P.MP.i.b".parse().expect("code");
    lane.set_choice(rubric, b, Some(Answer::C)).expect("C");
    lane.set_capaian(Some(Answer::E)).expect("E");
    assert_ne!(lane, answers, "the evaluators changed something");
    Reviewed {
        id,
        unit: answers,
        unit_notes,
        tpi: lane,
        tpi_notes: [(ItemCode::Question(b), TPI_NOTE.to_owned())].into(),
    }
}

fn text(cell: Option<&Data>) -> Option<String> {
    match cell? {
        Data::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Data::Float(x) => {
            let t = format!("{x:.4}");
            Some(t.trim_end_matches('0').trim_end_matches('.').to_owned())
        }
        Data::Int(i) => Some(i.to_string()),
        Data::Empty => None,
        other => Some(other.to_string()),
    }
}

fn number(xlsx: &mut Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str, cell: (u32, u32)) -> f64 {
    let range = xlsx.worksheet_range(sheet).expect("the sheet");
    match range.get_value(cell) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("{sheet} {cell:?} holds {other:?}"),
    }
}

/// Unit / TPI Unit / TPI Itjen: (row, column) of the Pengungkit total, the Hasil total
/// and the final score (K12, K20, K22), and Manajemen Perubahan's Pemenuhan (I6).
const SUMMARY_CELLS: [(u32, u32); 4] = [(11, 10), (19, 10), (21, 10), (5, 8)];

fn engine_values(answers: &Answers) -> [f64; 4] {
    let s = score(builtin_90_2021_ref(), answers);
    let mp = s
        .area(
            app::domain::lke::Part::Pemenuhan,
            app::domain::lke::AreaId::ManajemenPerubahan,
        )
        .expect("MP")
        .score;
    [s.pengungkit.score, s.hasil.total.score, s.total.score, mp]
}

/// Each summary sheet holds the engine's score of its lane: the unit's, the
/// evaluators', and the Inspektorat Jenderal's (`itjen`; the download keeps
/// none, so its sheet sums empty inputs to the engine's score of nothing).
fn assert_summaries(bytes: Vec<u8>, lanes: [&Answers; 3], what: &str) {
    let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
    let sheets = ["Unit", "TPI Unit", "TPI Itjen"];
    for (sheet, lane) in sheets.into_iter().zip(lanes) {
        for (cell, expected) in SUMMARY_CELLS.into_iter().zip(engine_values(lane)) {
            let found = number(&mut xlsx, sheet, cell);
            assert!(
                (found - expected).abs() < 1e-9,
                "{what}: {sheet} {cell:?} is {found}, the engine says {expected}"
            );
        }
    }
}

db_test!(
    the_2026_download_holds_both_lanes_the_evidence_links_and_the_engines_scores,
    |app| async move {
        let r = reviewed(&app).await;
        let id = &r.id;
        let tpi = app.signed_in("tpi").await;
        let (status, headers, bytes) = tpi
            .get_bytes(&format!("/assessments/{id}/lke-2026.xlsx"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers[reqwest::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap_or_default();
        assert!(disposition.contains("LKE-2026-DIT-IZIN-"), "{disposition}");
        let page = tpi.get(&format!("/review/{id}")).await;
        assert!(
            page.body
                .contains(&format!(r#"href="/assessments/{id}/lke-2026.xlsx""#)),
            "the review page links the download: {page}"
        );

        // Every soal's row holds both lanes' answers and notes, as the API gives them.
        let unit_lane = Lane {
            answers: &r.unit,
            notes: &r.unit_notes,
        };
        let tpi_lane = Lane {
            answers: &r.tpi,
            notes: &r.tpi_notes,
        };
        let expected = soal_answers(&unit_lane, Some(&tpi_lane), |_| None);
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("an xlsx");
        let sheet = xlsx.worksheet_range("Jawaban").expect("sheet Jawaban");
        let header: Vec<Option<String>> = (0..23).map(|c| text(sheet.get_value((0, c)))).collect();
        assert_eq!(header[10].as_deref(), Some("Jawaban Unit"));
        assert_eq!(header[12].as_deref(), Some("Daftar Bukti Dukung (Unit)"));
        assert_eq!(header[13].as_deref(), Some("Jawaban TPI"));
        assert_eq!(
            header[16].as_deref(),
            Some("Catatan/Keterangan/Penjelasan (TPI Unit)")
        );
        let rows = master_rows();
        assert_eq!(rows.len(), 127);
        assert_eq!(rows[0], 6, "the first question on row 6");
        let mut links = BTreeMap::new();
        for ((want, row), (_, item)) in expected.iter().zip(&rows).zip(soal_2026()) {
            let at = |col: u32| text(sheet.get_value((row - 1, col)));
            let soal = want.soal_id;
            assert_eq!(
                at(10),
                want.jawaban_unit,
                "soal {soal} unit answer (K{row})"
            );
            assert!(want.jawaban_unit.is_some(), "soal {soal} is answered");
            assert_eq!(at(11), want.catatan_unit, "soal {soal} unit note (L{row})");
            assert_eq!(at(13), want.jawaban_tpi, "soal {soal} TPI answer (N{row})");
            assert_eq!(at(16), want.catatan_tpi, "soal {soal} TPI note (Q{row})");
            assert_eq!(
                at(19),
                None,
                "soal {soal}: no Itjen answer is kept (T{row})"
            );
            if let Some(link) = at(12) {
                links.insert(item, link);
            }
        }
        assert_eq!(
            expected.iter().filter(|w| w.catatan_unit.is_some()).count(),
            r.unit_notes
                .keys()
                .filter(|i| soal_2026().any(|(_, s)| s == **i))
                .count()
        );
        let row7 = |col: u32| text(sheet.get_value((6, col)));
        assert_eq!((row7(10), row7(13)), (Some("A".into()), Some("C".into())));
        assert_eq!(row7(16).as_deref(), Some(TPI_NOTE));

        // Column M: PortalRB's links, on the soal with files only; each opens without a session.
        let linked: Vec<String> = links.keys().map(ToString::to_string).collect();
        assert_eq!(
            linked,
            ["P.MP.i.a", "R.MP.i.a.1", "R.MP.i.a.2"],
            "{links:?}"
        );
        let stranger = app.client();
        for (item, link) in &links {
            assert!(link.starts_with(&app.address), "{link}");
            let path = link.strip_prefix(&app.address).expect("a local link");
            assert!(path.starts_with("/bukti/zi_"), "{path}");
            let page = stranger.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{item}: {page}");
            let file = if item.to_string().starts_with("P.") {
                "SK Tim ZI.pdf"
            } else {
                "Daftar Agen Perubahan.pdf"
            };
            assert!(page.body.contains(file), "{item}: {page}");
        }
        let (_, _, again) = tpi
            .get_bytes(&format!("/assessments/{id}/lke-2026.xlsx"))
            .await;
        let mut again: Xlsx<_> = Xlsx::new(std::io::Cursor::new(again)).expect("an xlsx");
        let m6 = text(
            again
                .worksheet_range("Jawaban")
                .expect("Jawaban")
                .get_value((5, 12)),
        );
        assert_eq!(
            m6.as_ref(),
            links.values().next(),
            "the same link each time"
        );

        // The summary sheets' cached results are the engine's scores of each lane.
        let nothing = Answers::new();
        assert_summaries(bytes.clone(), [&r.unit, &r.tpi, &nothing], "cached");
        for (sheet, value) in [("Unit", "R"), ("TPI Unit", "O"), ("TPI Itjen", "U")] {
            let formulas = xlsx.worksheet_formula(sheet).expect("formulas");
            assert_eq!(
                formulas.get_value((5, 8)).map(String::as_str),
                Some(format!("Jawaban!{value}4").as_str()),
                "{sheet} sums its lane"
            );
        }
        assert_eq!(header[19].as_deref(), Some("Jawaban TPI Itjen"));
        assert_eq!(
            header[22].as_deref(),
            Some("Catatan/Keterangan/Penjelasan (TPI Itjen)")
        );
        let formulas = xlsx.worksheet_formula("Unit").expect("formulas");
        assert_eq!(
            formulas.get_value((21, 10)).map(String::as_str),
            Some("SUM(K12,K20)")
        );

        // Read back: into another unit's draft, its own lane, then the evaluators'.
        let aduan = app.signed_in("aduan").await;
        let target = app.assessment_of("DIT-ADUAN").await;
        for (lane, answers, notes) in [
            ("unit", &r.unit, &r.unit_notes),
            ("tpi", &r.tpi, &r.tpi_notes),
        ] {
            let imported = aduan
                .call_multipart(
                    "assessments/import",
                    &[("assessment", &target), ("confirm", "yes"), ("lane", lane)],
                    ("lke.xlsx", bytes.clone()),
                )
                .await;
            assert_eq!(imported.status, StatusCode::OK, "{lane}: {imported}");
            assert_eq!(imported.json()["read"]["layout"], "2026");
            let data = load(&aduan, &target).await;
            let back = answers_of(&data);
            assert_eq!(&back, answers, "{lane}: the same answers");
            assert_eq!(
                engine_values(&back),
                engine_values(answers),
                "{lane}: the same score"
            );
            assert_eq!(&notes_of(&data), notes, "{lane}: the same notes");
        }
    }
);

db_test!(
    only_who_may_see_the_assessment_downloads_its_2026_workbook,
    |app| async move {
        let id = app.assessment_of("DIT-IZIN").await;
        let path = format!("/assessments/{id}/lke-2026.xlsx");
        let (status, _, _) = app.client().get_bytes(&path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let aduan = app.signed_in("aduan").await;
        let (status, _, bytes) = aduan.get_bytes(&path).await;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{status}"
        );
        assert!(!bytes.starts_with(b"PK"), "no workbook");
        let (status, _, _) = aduan
            .get_bytes("/assessments/no-such-assessment/lke-2026.xlsx")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        for user in ["unit", "admin", "pimpinan"] {
            let (status, _, bytes) = app.signed_in(user).await.get_bytes(&path).await;
            assert_eq!(status, StatusCode::OK, "{user}");
            assert!(bytes.starts_with(b"PK"), "{user}: a workbook");
        }
        // The link sits beside the 2021 one on the assessment and the dashboard's unit page.
        for (user, page) in [
            ("unit", format!("/assessments/{id}")),
            ("pimpinan", format!("/dashboard/{id}")),
        ] {
            let page = app.signed_in(user).await.get(&page).await;
            assert_eq!(page.status, StatusCode::OK, "{page}");
            assert!(
                page.body.contains(&format!(r#"href="{path}""#)),
                "{user}: {page}"
            );
            assert!(
                page.body.contains("Unduh LKE (format 2026)"),
                "{user}: {page}"
            );
            assert!(page.body.contains(&format!("/assessments/{id}/lke.xlsx")));
        }
        // Nothing is evidenced yet: no evidence link was made for it.
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM evidence_shares WHERE assessment_id = $1",
                &[&id]
            )
            .await,
            0
        );
    }
);

/// `soffice`, when installed.
fn soffice() -> Option<&'static str> {
    ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

/// The workbook without any cached formula result, so whatever LibreOffice
/// shows, it computed.
fn without_cached_results(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut removed = 0;
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().expect("an entry name").to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("the entry");
        if name.starts_with("xl/worksheets/") {
            let mut xml = String::from_utf8(content).expect("utf-8");
            let mut stripped = String::with_capacity(xml.len());
            let formulas = xml.matches("</f>").count();
            assert_eq!(xml.matches("</f><v>").count(), formulas, "{name}");
            removed += formulas;
            while let Some(at) = xml.find("</f><v>") {
                let end = xml[at..].find("</v>").expect("a closing v") + at;
                stripped.push_str(&xml[..at + 4]);
                xml = xml[end + 4..].to_owned();
            }
            stripped.push_str(&xml);
            assert!(!stripped.contains("</f><v>"));
            content = stripped.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        out.write_all(&content).expect("written");
    }
    assert!(
        removed > 500,
        "every formula had a cached result: {removed}"
    );
    out.finish().expect("a zip").into_inner()
}

/// A fresh LibreOffice profile that recalculates every OOXML file it loads.
fn recalculating_profile(dir: &std::path::Path) -> String {
    let user = dir.join("profile/user");
    std::fs::create_dir_all(&user).expect("a profile");
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .expect("the profile's settings");
    format!("file://{}", dir.join("profile").display())
}

db_test!(
    libreoffice_recalculates_the_2026_download_to_the_engines_scores,
    |app| async move {
        let Some(soffice) = soffice() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "soffice is missing; CI requires it (apt-get install libreoffice-calc-nogui)"
            );
            eprintln!("WARNING: soffice is missing; the LibreOffice recalculation test is skipped");
            return;
        };
        let r = reviewed(&app).await;
        let tpi = app.signed_in("tpi").await;
        let (status, _, bytes) = tpi
            .get_bytes(&format!("/assessments/{}/lke-2026.xlsx", r.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        // The same lanes with an Inspektorat Jenderal lane filled too (the
        // download keeps none), so `TPI Itjen`'s formulas meet real answers.
        let itjen = itjen_lane(&r.tpi);
        let itjen_note = [(
            ItemCode::Question(P_MP_I_A.parse().expect("code")),
            "Itjen".to_owned(),
        )]
        .into_iter()
        .collect();
        let with_itjen = export_workbook_2026(&Workbook2026 {
            rubric: builtin_90_2021_ref(),
            unit_name: "Direktorat Pelayanan Perizinan",
            predicate: "WBK",
            unit: LaneData {
                answers: &r.unit,
                notes: &r.unit_notes,
            },
            evaluators: Some(LaneData {
                answers: &r.tpi,
                notes: &r.tpi_notes,
            }),
            itjen: Some(LaneData {
                answers: &itjen,
                notes: &itjen_note,
            }),
            links: &BTreeMap::new(),
        })
        .expect("a workbook");
        let dir = tempfile::tempdir().expect("a directory");
        let inputs = [
            ("lke-2026.xlsx", bytes),
            ("lke-2026-itjen.xlsx", with_itjen),
        ];
        std::fs::create_dir_all(dir.path().join("in")).expect("in/");
        for (name, bytes) in &inputs {
            std::fs::write(
                dir.path().join("in").join(name),
                without_cached_results(bytes),
            )
            .expect("written");
        }
        let out = dir.path().join("out");
        let profile = recalculating_profile(dir.path());
        let converted = std::process::Command::new(soffice)
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--convert-to", "xlsx", "--outdir"])
            .arg(&out)
            .args(
                inputs
                    .iter()
                    .map(|(name, _)| dir.path().join("in").join(name)),
            )
            .output()
            .expect("soffice runs");
        assert!(
            converted.status.success(),
            "soffice failed: {}",
            String::from_utf8_lossy(&converted.stderr)
        );
        let recalculated = |name: &str| {
            std::fs::read(out.join(name)).unwrap_or_else(|_| {
                panic!(
                    "soffice wrote no {name}: {} {}",
                    String::from_utf8_lossy(&converted.stdout),
                    String::from_utf8_lossy(&converted.stderr)
                )
            })
        };
        let nothing = Answers::new();
        assert_summaries(
            recalculated("lke-2026.xlsx"),
            [&r.unit, &r.tpi, &nothing],
            "the download recalculated by LibreOffice",
        );
        assert_summaries(
            recalculated("lke-2026-itjen.xlsx"),
            [&r.unit, &r.tpi, &itjen],
            "with an Itjen lane, recalculated by LibreOffice",
        );
    }
);

const P_MP_I_A: &str = "P.MP.i.a";

/// The evaluators' lane with one more answer changed, as an Inspektorat
/// Jenderal might score it; its total is below the evaluators'.
fn itjen_lane(tpi: &Answers) -> Answers {
    let rubric = builtin_90_2021_ref();
    let mut itjen = tpi.clone();
    let a = P_MP_I_A.parse().expect("code");
    itjen
        .set_choice(rubric, a, Some(Answer::Tidak))
        .expect("Tidak");
    assert!(score(rubric, &itjen).total.score < score(rubric, tpi).total.score);
    itjen
}
