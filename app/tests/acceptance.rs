//! Acceptance: the reference workbook scored with the built-in rubric reproduces the
//! workbook's own cached values, except where the documented Reform 5.iii slip applies.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use app::backend::lke::grid::{read_lke_sheet, CellValue};
use app::backend::lke::outline::{parse_outline, Outline};
use app::backend::lke::{read_answers, Limits, ProblemKind, Severity};
use app::domain::lke::{builtin_90_2021_ref, score, AreaId, IndicatorCode, Part, QuestionValue};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
);
const TOL: f64 = 1e-9;

fn bytes() -> Vec<u8> {
    std::fs::read(FIXTURE).expect("fixture")
}

fn outline() -> Outline {
    let (grid, _) = read_lke_sheet(&bytes(), &Limits::default()).unwrap();
    parse_outline(&grid)
}

fn slip_indicator() -> IndicatorCode {
    "R.PW.iii".parse().unwrap()
}

#[test]
fn every_indicator_untouched_by_the_slip_matches_the_cached_value() {
    let rubric = builtin_90_2021_ref();
    let imported = read_answers(&bytes(), rubric, &Limits::default()).unwrap();
    let sheet = score(rubric, &imported.answers);
    let outline = outline();
    let mut compared = 0;
    for (part, _) in rubric.parts() {
        let op = outline.part(part).unwrap();
        for (area, oarea) in AreaId::ALL.into_iter().zip(&op.areas) {
            for oind in &oarea.indicators {
                let code = IndicatorCode::new(part, area, oind.number.unwrap()).unwrap();
                let ours = sheet.indicator(code).unwrap();
                let cached = oind.cached.expect("indicator L cached");
                if code == slip_indicator() {
                    assert!(
                        (cached - 1.7333333333333334).abs() < TOL,
                        "slip value {cached}"
                    );
                    continue;
                }
                assert!(
                    (ours.score - cached).abs() < TOL,
                    "{code}: {} vs {cached}",
                    ours.score
                );
                // column M = L / H
                assert!((ours.score / ours.weight - cached / oind.weight.unwrap()).abs() < TOL);
                compared += 1;
                // question values (column L) where the sheet has a number
                let qs = rubric.indicator(code).unwrap();
                for (q, oq) in qs.questions.iter().zip(&oind.questions) {
                    if let CellValue::Number(v) = oq.cached {
                        let QuestionValue::Value(mine) = sheet.question(q.code).unwrap().value
                        else {
                            panic!("{} not scored", q.code)
                        };
                        assert!((mine - v).abs() < TOL, "{}: {mine} vs {v}", q.code);
                    }
                }
            }
            let ours = sheet.area(part, area).unwrap().score;
            let cached = oarea.cached.unwrap();
            if part == Part::Reform && area == AreaId::PenguatanPengawasan {
                assert!((cached - 4.733333333333333).abs() < TOL);
            } else {
                assert!((ours - cached).abs() < TOL, "{part:?} {area:?}");
            }
        }
    }
    assert_eq!(compared, 41);
    assert!(
        (sheet.pemenuhan.score - outline.pemenuhan.as_ref().unwrap().cached.unwrap()).abs() < TOL
    );
    for item in &outline.hasil {
        let id = match (item.group, item.label.as_str()) {
            (1, "a") => sheet.hasil.ipak,
            (1, _) => sheet.hasil.capaian,
            _ => sheet.hasil.ipkp,
        };
        assert!((id.score - item.cached.unwrap()).abs() < TOL);
    }
}

#[test]
fn totals_with_the_slip_corrected() {
    let rubric = builtin_90_2021_ref();
    let imported = read_answers(&bytes(), rubric, &Limits::default()).unwrap();
    let s = score(rubric, &imported.answers);
    let pw = s.area(Part::Reform, AreaId::PenguatanPengawasan).unwrap();
    assert!((pw.score - 4.86666666666667).abs() < TOL, "{}", pw.score);
    assert!(
        (s.pengungkit.score - 55.7095238095238).abs() < TOL,
        "{}",
        s.pengungkit.score
    );
    assert!((s.hasil.total.score - 40.0).abs() < TOL);
    assert!(
        (s.total.score - 95.7095238095238).abs() < TOL,
        "{}",
        s.total.score
    );
    assert_eq!(s.total.completeness.answered, 113);
    assert!(s.formula_errors.is_empty());
    // the slip: the sheet's cached total is 0.1333… lower
    assert!((s.total.score - 95.5761904761905 - 0.4 / 3.0).abs() < TOL);
}

#[test]
fn reference_quirks_are_reported_not_fatal() {
    let rubric = builtin_90_2021_ref();
    let imported = read_answers(&bytes(), rubric, &Limits::default()).unwrap();
    let kinds: Vec<(Option<u32>, &ProblemKind)> =
        imported.problems.iter().map(|p| (p.row, &p.kind)).collect();
    // `Ya` instead of `Ya/Tidak` in J8
    assert!(kinds.iter().any(|(r, k)| *r == Some(8)
        && matches!(k, ProblemKind::UnknownAnswerType { found } if found == "Ya")));
    // `c. ` before `b.` in P.PP.v
    assert!(kinds.iter().any(|(r, k)| *r == Some(123)
        && matches!(k, ProblemKind::LabelOutOfOrder { matched, .. } if matched.to_string() == "P.PP.v.b")));
    assert!(kinds.iter().any(|(r, _)| *r == Some(124)));
    assert!(
        imported
            .problems
            .iter()
            .all(|p| p.severity() == Severity::Warning),
        "{:#?}",
        imported.problems
    );
    assert_eq!(imported.problems.len(), 3, "{:#?}", imported.problems);
    assert!(imported.answers.issues(rubric).is_empty());
    assert!(imported.notes.len() > 100);
}
