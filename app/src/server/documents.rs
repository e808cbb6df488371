//! Documents generated from an assessment: the filled LKE workbook in the
//! official layout, and the evaluation report (LHE) as DOCX. Each is
//! authorized like the assessment pages.

use super::assessments::{data, open, today};
use super::charts::{area_bars_svg, distribution_svg as distribution, ChartText};
use super::dashboard::area_thresholds;
use super::dashboard::{self, DashboardQuery};
use super::db::Db;
use super::docx::to_docx;
use super::lhe;
use super::lke::export::{export_workbook_beside, Beside};
use super::lke::Notes;
use crate::components::labels::gate_target_label;
use crate::domain::dashboard::{area_shares, Readiness};
use crate::domain::lke::AreaId;
use crate::domain::lke::{AssessmentState, Predicate};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AssessmentData, DashboardView, ReportDoc, SessionUser};

pub struct Document {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

async fn load(db: &Db, user: &SessionUser, id: &str) -> Result<AssessmentData, AppError> {
    let mut conn = db.acquire().await?;
    let access = open(&mut conn, user, id).await?;
    drop(conn);
    data(db, user, access).await
}

fn base_name(data: &AssessmentData, what: &str) -> String {
    let summary = &data.header.summary;
    format!("{what}-{}-{}", summary.unit_code, summary.year.value())
}

/// The filled LKE. Once the evaluators have the assessment (and for whoever
/// may see their work), the answers are the evaluators' lane with their notes,
/// and column P holds the unit's own answers; before that, the unit's lane.
pub async fn lke_workbook(db: &Db, user: &SessionUser, id: &str) -> Result<Document, AppError> {
    let data = load(db, user, id).await?;
    let rubric = data.rubric();
    let reviewed = data
        .review
        .as_ref()
        .filter(|_| data.header.summary.state != AssessmentState::Draft);
    let bytes = match reviewed {
        Some(review) => {
            let lane = data.evaluator_answers(&rubric);
            let notes: Notes = review
                .entries
                .iter()
                .filter(|(_, e)| !e.note.is_empty())
                .map(|(item, e)| (*item, e.note.clone()))
                .collect();
            export_workbook_beside(
                &rubric,
                &lane,
                &notes,
                Some(Beside {
                    header: td_string!(Locale::id, review.unit_answer),
                    answers: &data.answers,
                }),
            )
        }
        None => export_workbook_beside(&rubric, &data.answers, &data.notes, None),
    }
    .map_err(|err| {
        tracing::error!(%err, "LKE export failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{}.xlsx", base_name(&data, "LKE")),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    })
}

/// A cell of the dashboard table in a download.
enum Cell {
    Text(String),
    /// A number and the decimals it is written with.
    Number(f64, usize),
    Empty,
}

const TABLE_HEADER: [&str; 18] = [
    "kode_unit",
    "nama_unit",
    "target",
    "status",
    "kelengkapan_persen",
    "butir_berdata_dukung",
    "nilai_mandiri",
    "nilai_tpi",
    "kesiapan",
    "kurang_poin",
    "kurang_pada",
    "hari_ke_batas_usulan",
    "area_mp",
    "area_tt",
    "area_sdm",
    "area_ak",
    "area_pw",
    "area_pp",
];

/// The rows of the dashboard as the downloads write them: the same rows and
/// order as on screen.
fn table(view: &DashboardView) -> Vec<Vec<Cell>> {
    let text = |s: &str| Cell::Text(s.to_owned());
    view.rows
        .iter()
        .map(|row| {
            let (readiness, short_points, short_on) = match row.readiness {
                Readiness::ReadyWbbm => ("siap_wbbm", Cell::Empty, Cell::Empty),
                Readiness::ReadyWbk => ("siap_wbk", Cell::Empty, Cell::Empty),
                Readiness::NeedsWbkFirst => ("perlu_wbk", Cell::Empty, Cell::Empty),
                Readiness::Short { target, points } => (
                    "kurang",
                    Cell::Number(points, 2),
                    Cell::Text(gate_target_label(Locale::id, target)),
                ),
            };
            let mut cells = vec![
                text(&row.unit_code),
                text(&row.unit_name),
                text(row.target.as_str()),
                text(row.state.as_str()),
                Cell::Number(row.completeness.ratio() * 100.0, 1),
                Cell::Text(format!(
                    "{}/{}",
                    row.coverage.with_evidence, row.coverage.total
                )),
                Cell::Number(row.self_total, 2),
                row.tpi_total.map_or(Cell::Empty, |t| Cell::Number(t, 2)),
                text(readiness),
                short_points,
                short_on,
                Cell::Number(row.days_to_deadline as f64, 0),
            ];
            cells.extend(row.areas.iter().map(|share| Cell::Number(share * 100.0, 1)));
            cells
        })
        .collect()
}

fn table_name(view: &DashboardView, extension: &str) -> String {
    let year = view
        .period
        .as_ref()
        .map(|p| p.year.value())
        .unwrap_or_default();
    format!("dasbor-zi-{year}.{extension}")
}

/// The dashboard table as CSV (comma-separated, decimal points, UTF-8), for
/// other tools.
pub async fn dashboard_csv(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<Document, AppError> {
    let view = dashboard::load(db, user, query).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(TABLE_HEADER).map_err(csv_failed)?;
    for row in table(&view) {
        let record = row.iter().map(|cell| match cell {
            Cell::Text(s) => s.clone(),
            Cell::Number(n, decimals) => format!("{n:.decimals$}"),
            Cell::Empty => String::new(),
        });
        out.write_record(record).map_err(csv_failed)?;
    }
    let bytes = out.into_inner().map_err(|err| csv_failed(err.error()))?;
    Ok(Document {
        file_name: table_name(&view, "csv"),
        content_type: "text/csv; charset=utf-8",
        bytes,
    })
}

/// The dashboard table as an Excel workbook, numbers as numbers.
pub async fn dashboard_xlsx(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<Document, AppError> {
    let view = dashboard::load(db, user, query).await?;
    let bytes = write_xlsx(&table(&view)).map_err(|err| {
        tracing::error!(%err, "dashboard workbook failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: table_name(&view, "xlsx"),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    })
}

fn write_xlsx(rows: &[Vec<Cell>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Dasbor")?;
    let bold = Format::new().set_bold();
    let formats = [
        Format::new().set_num_format("0"),
        Format::new().set_num_format("0.0"),
        Format::new().set_num_format("0.00"),
    ];
    for (col, title) in (0_u16..).zip(TABLE_HEADER) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    for (r, row) in (1_u32..).zip(rows) {
        for (col, cell) in (0_u16..).zip(row) {
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, col, s)?;
                }
                Cell::Number(n, decimals) => {
                    sheet.write_number_with_format(r, col, *n, &formats[(*decimals).min(2)])?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

fn csv_failed(err: impl std::fmt::Display) -> AppError {
    tracing::error!(%err, "CSV export failed");
    AppError::Internal
}

/// The distribution of the counted totals with the WBK and WBBM lines.
pub async fn distribution_svg(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<Document, AppError> {
    let view = dashboard::load(db, user, query).await?;
    let totals: Vec<f64> = view.rows.iter().map(|r| r.counted_total()).collect();
    let lines: Vec<(&str, f64)> = view
        .thresholds
        .iter()
        .map(|(p, at)| (predicate_name(*p), *at))
        .collect();
    let svg = distribution(
        &totals,
        &lines,
        &ChartText {
            title: td_string!(Locale::id, dashboard.distribution),
            x: td_string!(Locale::id, dashboard.chart_x),
            y: td_string!(Locale::id, dashboard.chart_y),
        },
    )
    .map_err(|err| {
        tracing::error!(%err, "chart failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: "distribusi-nilai.svg".to_owned(),
        content_type: "image/svg+xml",
        bytes: svg.into_bytes(),
    })
}

/// A unit's areas against their weights, on the lane that counts (the TPI's
/// once final), with the gates' per-area lines.
pub async fn area_chart(db: &Db, user: &SessionUser, id: &str) -> Result<Document, AppError> {
    let data = load(db, user, id).await?;
    let rubric = data.rubric();
    let counted = if data.header.summary.state.is_final() {
        data.evaluator_answers(&rubric)
    } else {
        data.answers.clone()
    };
    let sheet = crate::domain::lke::score(&rubric, &counted);
    let areas: Vec<(String, f64)> = AreaId::ALL
        .into_iter()
        .zip(area_shares(&sheet))
        .map(|(area, share)| (area.abbreviation().to_owned(), share))
        .collect();
    let lines: Vec<(&str, f64)> = area_thresholds(&rubric, &data.gates)
        .into_iter()
        .map(|(p, share)| (predicate_name(p), share))
        .collect();
    let title = format!(
        "{} · {}",
        td_string!(Locale::id, unit_report.areas),
        data.header.summary.unit_name
    );
    let svg = area_bars_svg(
        &areas,
        &lines,
        &ChartText {
            title: &title,
            x: td_string!(Locale::id, assessment.area),
            y: td_string!(Locale::id, unit_report.share),
        },
    )
    .map_err(|err| {
        tracing::error!(%err, "chart failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{}.svg", base_name(&data, "area")),
        content_type: "image/svg+xml",
        bytes: svg.into_bytes(),
    })
}

/// A unit's total score over time, across its assessments.
pub async fn trend_chart(db: &Db, user: &SessionUser, id: &str) -> Result<Document, AppError> {
    let data = load(db, user, id).await?;
    let rubric = data.rubric();
    let points: Vec<(String, f64, Option<f64>)> = data
        .trend
        .iter()
        .map(|p| (p.day.to_string(), p.self_total, p.tpi_total))
        .collect();
    let lines: Vec<(&str, f64)> = super::dashboard::total_thresholds(&rubric, &data.gates)
        .into_iter()
        .map(|(p, at)| (predicate_name(p), at))
        .collect();
    let title = format!(
        "{} · {}",
        td_string!(Locale::id, unit_report.trend),
        data.header.summary.unit_name
    );
    let svg = super::charts::trend_svg(
        &points,
        &lines,
        &ChartText {
            title: &title,
            x: td_string!(Locale::id, unit_report.day),
            y: td_string!(Locale::id, dashboard.chart_x),
        },
    )
    .map_err(|err| {
        tracing::error!(%err, "chart failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{}.svg", base_name(&data, "tren")),
        content_type: "image/svg+xml",
        bytes: svg.into_bytes(),
    })
}

fn predicate_name(predicate: Predicate) -> &'static str {
    match predicate {
        Predicate::Wbk => "WBK",
        Predicate::Wbbm => "WBBM",
    }
}

/// The LHE draft, for whoever may see the evaluators' work.
pub async fn lhe_report(db: &Db, user: &SessionUser, id: &str) -> Result<ReportDoc, AppError> {
    Ok(lhe_with_data(db, user, id).await?.1)
}

async fn lhe_with_data(
    db: &Db,
    user: &SessionUser,
    id: &str,
) -> Result<(AssessmentData, ReportDoc), AppError> {
    let data = load(db, user, id).await?;
    if data.review.is_none() {
        return Err(AppError::Forbidden);
    }
    let report = lhe::build(&data, today());
    Ok((data, report))
}

pub async fn lhe_docx(db: &Db, user: &SessionUser, id: &str) -> Result<Document, AppError> {
    let (data, report) = lhe_with_data(db, user, id).await?;
    let bytes = to_docx(&report).map_err(|err| {
        tracing::error!(%err, "LHE export failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{}.docx", base_name(&data, "LHE")),
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        bytes,
    })
}
