//! `zi lke score` and `zi lke import`: the workbook in and out of the command line.

use app::backend::db::{rubrics, Db};
use app::domain::lke::{builtin_gates_90_2021, format_id, GateTarget, Precondition};
use std::path::Path;

use app::backend::lke::rubric_import::{read_rubric_from_path, RubricMeta};
use app::backend::lke::{score_workbook_lane, Limits, Problem, ScoreReport};
use app::model::WorkbookLane;

#[derive(Debug, thiserror::Error)]
pub enum LkeCliError {
    #[error("{0}")]
    Import(#[from] app::backend::lke::ImportError),
    #[error("{0}")]
    Store(#[from] rubrics::RubricWriteError),
    #[error("cannot print JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Scores a filled workbook against the built-in rubric; touches no database.
pub fn score(path: &Path, json: bool, lane: WorkbookLane) -> Result<String, LkeCliError> {
    let report = score_workbook_lane(path, lane)?;
    if json {
        return Ok(serde_json::to_string_pretty(&report)?);
    }
    Ok(human_report(&report))
}

fn human_report(report: &ScoreReport) -> String {
    let n = |v: f64| format_id(v, 2);
    let read = &report.workbook;
    let note = read
        .note_column
        .map_or_else(String::new, |c| format!(", catatan {c}"));
    let mut out = vec![
        format!("Rubric      {}", report.rubric),
        format!(
            "Workbook    layout {}, lembar \"{}\", lajur {} (jawaban {}{note})",
            read.layout.year(),
            read.sheet,
            read.lane.as_str(),
            read.answer_column
        ),
        format!(
            "Total       {}  (conservative {})",
            n(report.total),
            n(report.conservative_total)
        ),
        format!(
            "Pengungkit  {}  = Pemenuhan {} + Reform {}",
            n(report.pengungkit),
            n(report.pemenuhan),
            n(report.reform)
        ),
        format!("Hasil       {}", n(report.hasil)),
        String::new(),
    ];
    for area in &report.areas {
        out.push(format!(
            "{:<10} {} {:<45} {:>6} / {}",
            format!("{:?}", area.part).to_lowercase(),
            area.area.number(),
            area.name,
            n(area.score),
            n(area.weight)
        ));
    }
    out.push(String::new());
    for (name, verdict) in [("WBK", &report.gates.wbk), ("WBBM", &report.gates.wbbm)] {
        out.push(format!(
            "{name:<5} {}",
            if verdict.pass {
                "memenuhi"
            } else {
                "belum memenuhi"
            }
        ));
        for gate in verdict.gates.iter().filter(|g| !g.pass) {
            out.push(format!(
                "      kurang {} poin pada {} ({} dari minimum {})",
                n(-gate.margin),
                target_name(report, gate.target),
                n(gate.value),
                n(gate.threshold)
            ));
        }
        for precondition in verdict.preconditions.iter().filter(|p| !p.pass) {
            let text = match precondition.precondition {
                Precondition::HoldsWbk => "unit sudah berpredikat WBK",
            };
            out.push(format!("      syarat belum terpenuhi: {text}"));
        }
    }
    out.extend(report.problems.iter().map(problem_line));
    out.join("\n")
}

/// A gate's target as the LKE names it.
fn target_name(report: &ScoreReport, target: GateTarget) -> String {
    match target {
        GateTarget::Total => "nilai total".to_owned(),
        GateTarget::Pengungkit => "komponen pengungkit".to_owned(),
        GateTarget::Part { part } => format!("{part:?}").to_lowercase(),
        GateTarget::Area { part, area } => {
            let name = report
                .areas
                .iter()
                .find(|a| a.area == area)
                .map_or_else(|| format!("area {}", area.number()), |a| a.name.clone());
            match part {
                Some(part) => format!("{name} ({})", format!("{part:?}").to_lowercase()),
                None => name,
            }
        }
        GateTarget::Hasil => "komponen hasil".to_owned(),
        GateTarget::HasilBersih => "birokrasi yang bersih dan akuntabel".to_owned(),
        GateTarget::HasilPrima => "pelayanan publik yang prima".to_owned(),
        GateTarget::Ipak => "nilai IPAK".to_owned(),
        GateTarget::Capaian => "capaian kinerja".to_owned(),
        GateTarget::Ipkp => "nilai IPKP".to_owned(),
    }
}

pub fn problem_line(problem: &Problem) -> String {
    let place = match (problem.row, problem.column) {
        (Some(row), Some(col)) => format!("{}!{col}{row}", problem.sheet),
        (Some(row), None) => format!("{} row {row}", problem.sheet),
        _ => problem.sheet.clone(),
    };
    let kind = serde_json::to_string(&problem.kind).unwrap_or_default();
    format!("problem at {place}: {kind}")
}

/// Reads a workbook in the official layout as a new rubric version and stores
/// it with the gates of the built-in version, all or nothing.
pub async fn import_rubric(
    db: &Db,
    path: &Path,
    meta: RubricMeta,
) -> Result<Vec<String>, LkeCliError> {
    let imported = read_rubric_from_path(path, &meta, &Limits::default())?;
    let gates = builtin_gates_90_2021().for_rubric(&meta.key);
    let mut tx = app::backend::db::begin_write(db)
        .await
        .map_err(rubrics::RubricWriteError::from)?;
    rubrics::insert(&mut tx, &imported.rubric, &gates, false).await?;
    tx.commit().await.map_err(rubrics::RubricWriteError::from)?;
    Ok(imported.problems.iter().map(problem_line).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/tests/fixtures/");

    fn json(file: &str, lane: WorkbookLane) -> Result<serde_json::Value, LkeCliError> {
        let out = score(&Path::new(FIXTURES).join(file), true, lane)?;
        Ok(serde_json::from_str(&out)?)
    }

    #[test]
    fn score_says_which_layout_sheet_and_columns_it_read() {
        let v = json("lke-zi-90-2021-filled-example.xlsx", WorkbookLane::Unit).unwrap();
        assert_eq!(v["workbook"]["layout"], "2021");
        assert_eq!(v["workbook"]["sheet"], "LKE ZI");
        assert_eq!(v["workbook"]["answer_column"], "K");
        assert_eq!(v["workbook"]["note_column"], "O");
        assert!((v["total"].as_f64().unwrap() - 95.7095238095238).abs() < 1e-9);
        // The 2021 sheet has no evaluators' column: the lane is refused.
        let err = json("lke-zi-90-2021-filled-example.xlsx", WorkbookLane::Tpi).unwrap_err();
        assert!(
            err.to_string()
                .contains("no answer column for lane `tpi`; its lanes: unit"),
            "{err}"
        );
        // The 2026 template: its second TPI lane is in S.
        let v = json("lke-zi-2026-jawaban-template.xlsx", WorkbookLane::Tpi2).unwrap();
        assert_eq!(v["workbook"]["layout"], "2026");
        assert_eq!(v["workbook"]["sheet"], "Jawaban");
        assert_eq!(v["workbook"]["lane"], "tpi2");
        assert_eq!(v["workbook"]["answer_column"], "S");
        assert_eq!(v["workbook"]["note_column"], "V");
        let human = score(
            &Path::new(FIXTURES).join("lke-zi-2026-jawaban-template.xlsx"),
            false,
            WorkbookLane::Tpi,
        )
        .unwrap();
        assert!(
            human.contains("layout 2026, lembar \"Jawaban\", lajur tpi (jawaban O, catatan R)"),
            "{human}"
        );
    }
}
