//! The workbook reader on the 2026 layout: columns found from the header row,
//! the lanes, and workbooks that are not an LKE ZI.

use rust_xlsxwriter::Workbook;

use super::error::{ImportError, ProblemKind};
use super::export::export_workbook;
use super::grid::{read_lke_sheet, CellValue, LaneColumns, Layout, SheetGrid};
use super::guard::Limits;
use super::import::{read_answers, read_answers_lane, ImportedAnswers};
use super::outline::SheetType;
use crate::domain::lke::{builtin_90_2021_ref, score};
use crate::model::{SheetSeen, WorkbookLane, WorkbookLayout};

const TEMPLATE_2026: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lke-zi-2026-jawaban-template.xlsx"
);
const FIXTURE_2021: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
);

fn template() -> SheetGrid {
    let bytes = std::fs::read(TEMPLATE_2026).unwrap();
    let (grid, problems) = read_lke_sheet(&bytes, &Limits::default()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    grid
}

/// Where a filled copy of the template puts its lanes, and its header labels.
struct Copy {
    header: Vec<(char, &'static str)>,
    unit: (char, char),
    tpi: (char, char),
    tpi2: Option<(char, char)>,
    /// Write the header row at all.
    with_header: bool,
}

/// The ministry's template as it is: K unit, L note, O TPI, R TPI note, S a second TPI.
fn ministry() -> Copy {
    Copy {
        header: Vec::new(),
        unit: ('K', 'L'),
        tpi: ('O', 'R'),
        tpi2: Some(('S', 'V')),
        with_header: true,
    }
}

/// The official file's letters (master-soal-lkezi-2026.json): TPI answer in N,
/// its note in Q; header labels spelled loosely.
fn official() -> Copy {
    Copy {
        header: vec![
            ('K', "JAWABAN\nUNIT"),
            ('L', " catatan  unit "),
            ('M', "Bukti Dukung"),
            ('N', "Jawaban  TPI"),
            ('O', "Nilai"),
            ('P', "%"),
            ('Q', "Catatan\r\nTPI"),
        ],
        unit: ('K', 'L'),
        tpi: ('N', 'Q'),
        tpi2: None,
        with_header: true,
    }
}

fn col(c: char) -> u16 {
    c as u16 - 'A' as u16
}

/// An answer of the given type, different per lane and row.
fn answer(t: &SheetType, lane: usize, row: u32) -> Option<CellValue> {
    let pick = |options: &[&str]| {
        let i = (row as usize + lane) % options.len();
        Some(CellValue::Text(options[i].to_owned()))
    };
    match t {
        SheetType::YaTidak => pick(&["Ya", "Tidak"]),
        SheetType::Abc => pick(&["A", "B", "C"]),
        SheetType::Abcd => pick(&["A", "B", "C", "D"]),
        SheetType::Abcde => pick(&["A", "B", "C", "D", "E"]),
        SheetType::Jumlah | SheetType::Rupiah => Some(CellValue::Number(f64::from(
            10 + (row + lane as u32 * 3) % 7,
        ))),
        SheetType::Nilai => Some(CellValue::Number(3.0 - lane as f64 * 0.5)),
        _ => None,
    }
}

fn write(ws: &mut rust_xlsxwriter::Worksheet, row: u32, c: char, value: &CellValue) {
    match value {
        CellValue::Text(s) => {
            ws.write_string(row - 1, col(c), s).unwrap();
        }
        CellValue::Number(x) => {
            ws.write_number(row - 1, col(c), *x).unwrap();
        }
        _ => {}
    }
}

/// A filled copy of the 2026 template: the outline (A–J) as it is, every
/// question answered in each lane.
fn filled(copy: &Copy) -> Vec<u8> {
    let grid = template();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Jawaban").unwrap();
    let lanes: Vec<(char, char)> = [Some(copy.unit), Some(copy.tpi), copy.tpi2]
        .into_iter()
        .flatten()
        .collect();
    for row in &grid.rows {
        let header = row.number == 1;
        if header && !copy.with_header {
            continue;
        }
        for c in 'A'..='J' {
            write(ws, row.number, c, row.value(c));
        }
        if header {
            let labels: Vec<(char, &str)> = if copy.header.is_empty() {
                ('K'..='Z').map(|c| (c, row.text(c))).collect()
            } else {
                copy.header.clone()
            };
            for (c, label) in labels {
                write(ws, 1, c, &CellValue::Text(label.to_owned()));
            }
            continue;
        }
        let t = SheetType::parse(row.text('J'));
        for (lane, (answer_col, note_col)) in lanes.iter().enumerate() {
            if let Some(value) = answer(&t, lane, row.number) {
                write(ws, row.number, *answer_col, &value);
                let note = CellValue::Text(format!("catatan lajur {lane} baris {}", row.number));
                write(ws, row.number, *note_col, &note);
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn read(bytes: &[u8], lane: WorkbookLane) -> ImportedAnswers {
    read_answers_lane(bytes, builtin_90_2021_ref(), &Limits::default(), lane).unwrap()
}

#[test]
fn the_2026_template_names_its_columns_in_its_header_row() {
    let grid = template();
    assert_eq!(grid.name, "Jawaban");
    let (layout, assumed) = Layout::detect(&grid);
    assert_eq!(assumed, None);
    let lane = |answer, note| LaneColumns {
        answer,
        note: Some(note),
    };
    assert_eq!(layout.kind, WorkbookLayout::Lke2026);
    assert_eq!(layout.header_row, Some(1));
    assert_eq!(layout.unit, lane('K', 'L'));
    assert_eq!(layout.evidence, Some('M'));
    assert_eq!(layout.tpi, Some(lane('O', 'R')));
    assert_eq!(layout.tpi2, Some(lane('S', 'V')));
    // The unfilled template reads as an empty LKE, with nothing assumed.
    let bytes = std::fs::read(TEMPLATE_2026).unwrap();
    let empty = read_answers(&bytes, builtin_90_2021_ref(), &Limits::default()).unwrap();
    assert_eq!(empty.answers.choices().len(), 0);
    assert_eq!(empty.read.layout, WorkbookLayout::Lke2026);
    assert!(!empty.problems.iter().any(|p| matches!(
        p.kind,
        ProblemKind::ColumnsAssumed { .. } | ProblemKind::SheetRenamed { .. }
    )));
}

#[test]
fn the_2021_sheet_names_its_columns_too() {
    let bytes = std::fs::read(FIXTURE_2021).unwrap();
    let (grid, _) = read_lke_sheet(&bytes, &Limits::default()).unwrap();
    let (layout, assumed) = Layout::detect(&grid);
    assert_eq!(assumed, None);
    assert_eq!(layout.kind, WorkbookLayout::Lke2021);
    assert_eq!(layout.header_row, Some(2));
    assert_eq!(
        layout.unit,
        LaneColumns {
            answer: 'K',
            note: Some('O')
        }
    );
    assert_eq!(layout.value, Some('L'));
    assert_eq!(layout.lanes(), vec![WorkbookLane::Unit]);
}

#[test]
fn a_moved_tpi_column_reads_the_same_answers() {
    let (ministry, official) = (filled(&ministry()), filled(&official()));
    let rubric = builtin_90_2021_ref();
    for lane in [WorkbookLane::Unit, WorkbookLane::Tpi] {
        let (a, b) = (read(&ministry, lane), read(&official, lane));
        assert_eq!(a.answers, b.answers, "{lane:?}");
        assert_eq!(a.notes, b.notes, "{lane:?}");
        let sheet = score(rubric, &a.answers);
        assert_eq!(
            sheet.total.completeness.answered, sheet.total.completeness.total,
            "every question read in lane {lane:?}"
        );
        assert!(a.notes.len() > 100, "{lane:?}: {} notes", a.notes.len());
    }
    let (unit, tpi) = (
        read(&ministry, WorkbookLane::Unit),
        read(&ministry, WorkbookLane::Tpi),
    );
    assert_ne!(unit.answers, tpi.answers, "the lanes are read apart");
    assert_ne!(
        score(rubric, &unit.answers).total.score,
        score(rubric, &tpi.answers).total.score
    );
    assert_eq!(tpi.read.answer_column, 'O');
    assert_eq!(tpi.read.note_column, Some('R'));
    let moved = read(&official, WorkbookLane::Tpi);
    assert_eq!(moved.read.answer_column, 'N');
    assert_eq!(moved.read.note_column, Some('Q'));
    assert_eq!(moved.read.header_row, Some(1));
    // The ministry's copy has a second TPI lane; the official file does not.
    let second = read(&ministry, WorkbookLane::Tpi2);
    assert_eq!(second.read.answer_column, 'S');
    assert_ne!(second.answers, tpi.answers);
    assert_eq!(
        read_answers_lane(&official, rubric, &Limits::default(), WorkbookLane::Tpi2).unwrap_err(),
        ImportError::LaneMissing {
            lane: WorkbookLane::Tpi2,
            available: vec![WorkbookLane::Unit, WorkbookLane::Tpi]
        }
    );
}

#[test]
fn without_a_header_row_the_official_letters_are_read_and_said() {
    let with = filled(&official());
    let without = filled(&Copy {
        with_header: false,
        ..official()
    });
    for lane in [WorkbookLane::Unit, WorkbookLane::Tpi] {
        let (a, b) = (read(&with, lane), read(&without, lane));
        assert_eq!(a.answers, b.answers);
        assert_eq!(a.notes, b.notes);
        assert_eq!(b.read.header_row, None);
        assert!(b.problems.iter().any(|p| p.kind
            == ProblemKind::ColumnsAssumed {
                layout: WorkbookLayout::Lke2026
            }));
    }
}

#[test]
fn a_2026_workbook_scores_as_the_same_answers_in_the_2021_layout() {
    let rubric = builtin_90_2021_ref();
    let read26 = read(&filled(&ministry()), WorkbookLane::Unit);
    let exported = export_workbook(rubric, &read26.answers, &read26.notes).unwrap();
    let read21 = read_answers(&exported, rubric, &Limits::default()).unwrap();
    assert_eq!(read21.read.layout, WorkbookLayout::Lke2021);
    assert_eq!(read21.answers, read26.answers);
    assert_eq!(read21.notes, read26.notes);
    let (s26, s21) = (
        score(rubric, &read26.answers),
        score(rubric, &read21.answers),
    );
    assert!((s26.total.score - s21.total.score).abs() < 1e-12);
    assert!(s26.total.score > 10.0, "{}", s26.total.score);
}

/// A SAKIP evaluation worksheet ("LKE AKIP"): LKE-like, but no ZI.
fn sakip() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("LKE AKIP").unwrap();
    let rows: [[&str; 6]; 6] = [
        [
            "No",
            "Komponen/Sub Komponen",
            "Bobot",
            "Kriteria",
            "Jawaban",
            "Catatan",
        ],
        ["1", "Perencanaan Kinerja", "30", "", "", ""],
        ["a", "Keberadaan", "6", "Renstra telah disusun", "Ya", ""],
        [
            "b",
            "Kualitas",
            "9",
            "Tujuan berorientasi hasil",
            "A/B/C",
            "",
        ],
        ["2", "Pengukuran Kinerja", "30", "", "", ""],
        ["3", "Pelaporan Kinerja", "15", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    wb.add_worksheet().set_name("Rekap").unwrap();
    wb.save_to_buffer().unwrap()
}

/// A table of survey values under the official sheet name.
fn survey() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("LKE ZI").unwrap();
    for (c, text) in ["Unit", "IPAK", "IPKP", "Responden"].iter().enumerate() {
        ws.write_string(0, c as u16, *text).unwrap();
    }
    for r in 1..40u32 {
        ws.write_string(r, 0, format!("Unit {r}")).unwrap();
        ws.write_number(r, 1, 3.5).unwrap();
        ws.write_number(r, 2, 3.6).unwrap();
        ws.write_number(r, 3, f64::from(100 + r)).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn an_lke_like_workbook_that_is_no_lke_zi_is_refused_by_sheet() {
    let refused =
        |bytes: &[u8]| read_answers(bytes, builtin_90_2021_ref(), &Limits::default()).unwrap_err();
    let seen = |sheet: &str, labels: &[&str]| SheetSeen {
        sheet: sheet.to_owned(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
    };
    assert_eq!(
        refused(&sakip()),
        ImportError::NotAnLke {
            sheets: vec![
                seen(
                    "LKE AKIP",
                    &[
                        "No",
                        "Komponen/Sub Komponen",
                        "Bobot",
                        "Kriteria",
                        "Jawaban",
                        "Catatan"
                    ]
                ),
                seen("Rekap", &[]),
            ]
        }
    );
    assert_eq!(
        refused(&survey()),
        ImportError::NotAnLke {
            sheets: vec![seen("LKE ZI", &["Unit", "IPAK", "IPKP", "Responden"])]
        }
    );
}
