//! Hostile and damaged input: every case ends in a typed error or a located problem,
//! never a panic.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;

use app::backend::lke::grid::{read_lke_sheet, CellValue, SheetGrid};
use app::backend::lke::{
    read_answers, read_answers_from_path, score_workbook, ImportError, Limits, ProblemKind,
    ZipBombKind,
};
use app::domain::lke::builtin_90_2021_ref;
use rust_xlsxwriter::{Formula, Workbook};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
);
const ENCRYPTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/encrypted-password-rahasia.xlsx"
);

fn reference_grid() -> SheetGrid {
    let bytes = std::fs::read(FIXTURE).unwrap();
    read_lke_sheet(&bytes, &Limits::default()).unwrap().0
}

/// Rewrites the reference sheet (cached values only) under `name`, letting `edit`
/// replace cells: `edit(row, column, value) -> value`.
fn rewrite(name: &str, edit: impl Fn(u32, char, &CellValue) -> CellValue) -> Vec<u8> {
    let grid = reference_grid();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    for row in &grid.rows {
        for (i, c) in ('A'..='Q').enumerate() {
            let (r, col) = (row.number - 1, i as u16);
            match edit(row.number, c, row.value(c)) {
                CellValue::Text(s) => {
                    ws.write_string(r, col, s).unwrap();
                }
                CellValue::Number(x) => {
                    ws.write_number(r, col, x).unwrap();
                }
                CellValue::Bool(b) => {
                    ws.write_boolean(r, col, b).unwrap();
                }
                CellValue::Error(e) => {
                    ws.write_formula(r, col, Formula::new("=1/0").set_result(e))
                        .unwrap();
                }
                CellValue::Empty => {}
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn answers(bytes: &[u8]) -> Result<app::backend::lke::ImportedAnswers, ImportError> {
    read_answers(bytes, builtin_90_2021_ref(), &Limits::default())
}

#[test]
fn not_an_xlsx() {
    for bytes in [&b""[..], b"hello", b"PK\x03\x04 truncated", &[0u8; 1000]] {
        assert_eq!(answers(bytes).unwrap_err(), ImportError::NotXlsx);
    }
    // a valid zip that is not a workbook
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"hi").unwrap();
        z.finish().unwrap();
    }
    assert!(matches!(
        answers(&buf.into_inner()),
        Err(ImportError::Corrupt { .. } | ImportError::NotXlsx)
    ));
}

#[test]
fn encrypted_workbook() {
    let bytes = std::fs::read(ENCRYPTED).unwrap();
    assert_eq!(answers(&bytes).unwrap_err(), ImportError::Encrypted);
}

#[test]
fn over_20_mb() {
    let big = vec![b'P'; 21 * 1024 * 1024];
    assert!(matches!(
        answers(&big),
        Err(ImportError::TooLarge { limit, .. }) if limit == 20 * 1024 * 1024
    ));
    // from a path: refused from the metadata, without reading the file
    let dir = std::env::temp_dir().join(format!("engine-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.xlsx");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(1024 * 1024 * 1024).unwrap(); // sparse 1 GiB
    let r = read_answers_from_path(&path, builtin_90_2021_ref(), &Limits::default());
    assert!(matches!(r, Err(ImportError::TooLarge { size, .. }) if size == 1024 * 1024 * 1024));
    assert!(matches!(
        score_workbook(&path),
        Err(ImportError::TooLarge { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(
        score_workbook("/nonexistent/lke.xlsx"),
        Err(ImportError::Io { .. })
    ));
}

#[test]
fn zip_bomb() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..64 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(
        bytes.len() < 1024 * 1024,
        "64 MiB packed into {} bytes",
        bytes.len()
    );
    assert!(matches!(
        answers(&bytes),
        Err(ImportError::ZipBomb(ZipBombKind::RatioTooHigh { .. }))
    ));
}

#[test]
fn sheet_missing() {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("Data")
        .unwrap()
        .write_string(0, 0, "x")
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(
        answers(&bytes).unwrap_err(),
        ImportError::NotAnLke {
            sheets: vec![app::model::SheetSeen {
                sheet: "Data".into(),
                labels: vec!["x".into()],
            }]
        }
    );
}

#[test]
fn sheet_renamed_is_found_and_reported() {
    for name in ["lke_zi", "Penilaian 2024"] {
        let bytes = rewrite(name, |_, _, v| v.clone());
        let imported = answers(&bytes).unwrap();
        assert_eq!(imported.sheet, name);
        assert!(matches!(
            &imported.problems[0].kind,
            ProblemKind::SheetRenamed { found } if found == name
        ));
        let s = app::domain::lke::score(builtin_90_2021_ref(), &imported.answers);
        assert!((s.total.score - 95.7095238095238).abs() < 1e-9);
    }
}

#[test]
fn text_where_a_number_belongs() {
    // K129 = Jumlah Agen Perubahan, K202 = IPAK, K205 = IPKP, K9 = A/B/C answer,
    // K161 = Jumlah Sasaran Kinerja, K155 = pelanggaran (error cell)
    let bytes = rewrite("LKE ZI", |row, col, v| match (row, col) {
        (129, 'K') => CellValue::Text("tujuh".into()),
        (130, 'K') => CellValue::Text("7,0".into()),
        (202, 'K') => CellValue::Text("empat".into()),
        (205, 'K') => CellValue::Number(4.5),
        (9, 'K') => CellValue::Text("Z".into()),
        (161, 'K') => CellValue::Number(-5.0),
        (155, 'K') => CellValue::Error("#DIV/0!".into()),
        _ => v.clone(),
    });
    let imported = answers(&bytes).unwrap();
    let at = |row: u32| -> Vec<&ProblemKind> {
        imported
            .problems
            .iter()
            .filter(|p| p.row == Some(row) && p.column == Some('K') && p.sheet == "LKE ZI")
            .map(|p| &p.kind)
            .collect()
    };
    assert!(matches!(at(129)[..], [ProblemKind::NotANumber { found }] if found == "tujuh"));
    assert!(at(130).is_empty(), "decimal comma text is a number");
    assert!(matches!(at(202)[..], [ProblemKind::NotANumber { .. }]));
    assert!(matches!(at(205)[..], [ProblemKind::OutOfRange { value, .. }] if *value == 4.5));
    assert!(matches!(at(9)[..], [ProblemKind::InvalidAnswer { found }] if found == "Z"));
    assert!(matches!(at(161)[..], [ProblemKind::NegativeNumber { value }] if *value == -5.0));
    assert!(matches!(at(155)[..], [ProblemKind::CellError { .. }]));
    // the refused cells are simply not filled
    let a = &imported.answers;
    assert!(a.hasil().ipak.is_none() && a.hasil().ipkp.is_none());
    assert!(a.choice("P.MP.i.b".parse().unwrap()).is_none());
    assert_eq!(
        a.input("R.MP.i.a.2".parse().unwrap()).map(|v| v.value()),
        Some(7.0)
    );
    // and the JSON of every problem carries sheet, row, column and kind
    let json = serde_json::to_value(&imported.problems).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p.get("sheet").is_some()
            && p.get("row").is_some()
            && p["kind"]["kind"].is_string()));
}

#[test]
fn too_many_rows_and_far_away_cells() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("LKE ZI").unwrap();
    for r in 0..200 {
        ws.write_string(r, 6, "x").unwrap();
    }
    // a cell at the very end of the sheet: the dense range would be 17 billion cells
    ws.write_string(1_048_575, 16_383, "far").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let limits = Limits {
        max_rows: 100,
        ..Limits::default()
    };
    assert_eq!(
        read_answers(&bytes, builtin_90_2021_ref(), &limits).unwrap_err(),
        ImportError::TooManyRows { limit: 100 }
    );
    // Within the limit, a sheet of "x" under the official name is no LKE ZI:
    // refused, naming what it holds.
    assert!(matches!(
        answers(&bytes).unwrap_err(),
        ImportError::NotAnLke { sheets } if sheets[0].sheet == "LKE ZI" && sheets[0].labels == ["x"]
    ));
}

#[test]
fn damaged_structure_is_reported() {
    // drop the Reform area 3 row and relabel an indicator
    let bytes = rewrite("LKE ZI", |row, col, v| match (row, col) {
        (148, 'D') => CellValue::Empty,
        (24, 'E') => CellValue::Text("ix.".into()),
        _ => v.clone(),
    });
    let imported = answers(&bytes).unwrap();
    let kinds: Vec<&ProblemKind> = imported.problems.iter().map(|p| &p.kind).collect();
    assert!(kinds.iter().any(
        |k| matches!(k, ProblemKind::MissingIndicator { code } if code.to_string() == "P.TT.i")
    ));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, ProblemKind::UnknownIndicator { found } if found == "ix.")));
    assert!(kinds.iter().any(|k| matches!(
        k,
        ProblemKind::MissingArea {
            part: app::domain::lke::Part::Reform,
            area: app::domain::lke::AreaId::PenataanSdm
        }
    )));
}
