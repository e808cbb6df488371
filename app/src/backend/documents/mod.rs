//! Documents generated from the data: an assessment's filled LKE workbook in
//! the official layout, its evaluation report (LHE) as DOCX and its charts, and
//! the dashboard's table as CSV and XLSX with its charts. Each is authorized
//! like the page it comes from.

pub mod routes;

use super::assessments::{data, open, today};
use super::charts::{
    render, ChartText, Distribution, Heatmap, ImageFormat, Plot, ShareBars, Trend,
};
use super::dashboard::area_thresholds;
use super::dashboard::{self, DashboardQuery};
use super::db::Db;
use super::docx::to_docx;
use super::lhe;
use super::lke::export::{export_workbook_beside, Beside};
use super::lke::export_2026::{export_workbook_2026, LaneData, Workbook2026};
use super::lke::Notes;
use super::portalrb::{EvidenceLinks, PortalError};
use super::state::PortalSettings;
use crate::components::labels::{
    gate_target_label, part_label, readiness_label, state_label, target_label,
};
use crate::domain::dashboard::{area_shares, mean_per_area, part_shares, Readiness, HEATMAP_ROWS};
use crate::domain::lke::ItemCode;
use crate::domain::lke::{AreaId, AssessmentState, Part, Predicate};
use crate::domain::portalrb::{soal_2026, soal_answers, Lane};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AssessmentData, DashboardView, ReportDoc, SessionUser};
use std::collections::BTreeMap;

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

/// The filled LKE in PortalRB's 2026 layout: the unit's lane, the
/// evaluators' lane beside it (for whoever may see their work, once they
/// reviewed), and in column M the signed evidence link PortalRB's API hands
/// out for the same soal. Authorized exactly like [`lke_workbook`].
pub async fn lke_workbook_2026(
    db: &Db,
    settings: &PortalSettings,
    base_url: &str,
    user: &SessionUser,
    id: &str,
) -> Result<Document, AppError> {
    let mut conn = db.acquire().await?;
    let access = open(&mut conn, user, id).await?;
    drop(conn);
    let assessment = access.assessment.clone();
    let data = data(db, user, access).await?;
    let rubric = data.rubric();
    let links = EvidenceLinks::made(db, settings, base_url, &assessment, data.evidenced(), false)
        .await
        .map_err(|err| match err {
            PortalError::Busy => AppError::Busy,
            _ => AppError::Internal,
        })?;
    let unit = Lane {
        answers: &data.answers,
        notes: &data.notes,
    };
    let soal_links: BTreeMap<ItemCode, String> = soal_2026()
        .zip(soal_answers(&unit, None, |item| links.link(item)))
        .filter_map(|((_, item), row)| Some((item, row.bukti_dukung_unit?)))
        .collect();
    let reviewed = data.review.as_ref().filter(|r| !r.entries.is_empty());
    let evaluator_answers = data.evaluator_answers(&rubric);
    let evaluator_notes: Notes = reviewed
        .iter()
        .flat_map(|r| r.entries.iter())
        .filter(|(_, e)| !e.note.trim().is_empty())
        .map(|(item, e)| (*item, e.note.clone()))
        .collect();
    let predicate = match data.header.summary.target.predicate() {
        Predicate::Wbk => "WBK",
        Predicate::Wbbm => "WBBM",
    };
    let bytes = export_workbook_2026(&Workbook2026 {
        rubric: &rubric,
        unit_name: &data.header.summary.unit_name,
        predicate,
        unit: LaneData {
            answers: &data.answers,
            notes: &data.notes,
        },
        evaluators: reviewed.map(|_| LaneData {
            answers: &evaluator_answers,
            notes: &evaluator_notes,
        }),
        // No Inspektorat Jenderal lane is kept yet: `TPI Itjen` sums empty inputs.
        itjen: None,
        links: &soal_links,
    })
    .map_err(|err| {
        tracing::error!(%err, "LKE 2026 export failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{}.xlsx", base_name(&data, "LKE-2026")),
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
            let (short_points, short_on) = match row.readiness {
                Readiness::Short { target, points } => (
                    Cell::Number(points, 2),
                    Cell::Text(gate_target_label(Locale::id, target)),
                ),
                _ => (Cell::Empty, Cell::Empty),
            };
            let mut cells = vec![
                text(&row.unit_code),
                text(&row.unit_name),
                text(target_label(row.target)),
                text(state_label(Locale::id, row.state)),
                Cell::Number(row.completeness.ratio() * 100.0, 1),
                Cell::Text(format!(
                    "{}/{}",
                    row.coverage.with_evidence, row.coverage.total
                )),
                Cell::Number(row.self_total, 2),
                row.tpi_total.map_or(Cell::Empty, |t| Cell::Number(t, 2)),
                Cell::Text(readiness_label(Locale::id, row.readiness)),
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

/// The dashboard table as CSV the way Excel in Indonesian reads it: fields
/// separated by `;`, decimal commas, Indonesian labels, UTF-8 with a byte
/// order mark (without it Excel guesses another encoding).
pub async fn dashboard_csv(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<Document, AppError> {
    let view = dashboard::load_all(db, user, query).await?;
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(UTF8_BOM.to_vec());
    out.write_record(TABLE_HEADER).map_err(csv_failed)?;
    for row in table(&view) {
        let record = row.iter().map(|cell| match cell {
            Cell::Text(s) => inert(s),
            Cell::Number(n, decimals) => decimal_comma(*n, *decimals),
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
    let view = dashboard::load_all(db, user, query).await?;
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

/// Text a spreadsheet opening the CSV would read as a formula (`=`, `+`,
/// `-`, `@`) gets a leading apostrophe, so it stays text.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `1234.5` as `1234,5`: a decimal comma and no thousands separator.
fn decimal_comma(n: f64, decimals: usize) -> String {
    format!("{n:.decimals$}").replace('.', ",")
}

pub fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_failed(err: impl std::fmt::Display) -> AppError {
    tracing::error!(%err, "CSV export failed");
    AppError::Internal
}

/// The charts of the dashboard; each downloads as SVG or PNG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DashboardChart {
    Distribution,
    Heatmap,
    Completeness,
    Evaluators,
}

impl DashboardChart {
    pub fn from_name(name: &str) -> Option<DashboardChart> {
        match name {
            "distribution" => Some(DashboardChart::Distribution),
            "heatmap" => Some(DashboardChart::Heatmap),
            "completeness" => Some(DashboardChart::Completeness),
            "evaluators" => Some(DashboardChart::Evaluators),
            _ => None,
        }
    }

    fn file_stem(self) -> &'static str {
        match self {
            DashboardChart::Distribution => "distribusi-nilai",
            DashboardChart::Heatmap => "peta-nilai-area",
            DashboardChart::Completeness => "kelengkapan-area",
            DashboardChart::Evaluators => "kemajuan-evaluator",
        }
    }
}

/// The charts of a unit's page; each downloads as SVG or PNG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitChart {
    Areas,
    Parts,
    Trend,
}

impl UnitChart {
    pub fn from_name(name: &str) -> Option<UnitChart> {
        match name {
            "areas" => Some(UnitChart::Areas),
            "parts" => Some(UnitChart::Parts),
            "trend" => Some(UnitChart::Trend),
            _ => None,
        }
    }

    fn file_stem(self) -> &'static str {
        match self {
            UnitChart::Areas => "area",
            UnitChart::Parts => "pemenuhan-reform",
            UnitChart::Trend => "tren",
        }
    }
}

/// A chart's file name split into the chart and the format (`areas.png`).
pub fn chart_file(file: &str) -> Option<(&str, ImageFormat)> {
    let (name, extension) = file.rsplit_once('.')?;
    Some((name, ImageFormat::from_extension(extension)?))
}

fn image(plot: &impl Plot, format: ImageFormat, file_stem: String) -> Result<Document, AppError> {
    let bytes = render(plot, format).map_err(|err| {
        tracing::error!(%err, "chart failed");
        AppError::Internal
    })?;
    Ok(Document {
        file_name: format!("{file_stem}.{}", format.extension()),
        content_type: format.content_type(),
        bytes,
    })
}

fn area_columns() -> Vec<String> {
    AreaId::ALL
        .into_iter()
        .map(|area| area.abbreviation().to_owned())
        .collect()
}

/// A chart over the dashboard's rows, as filtered and sorted on screen.
pub async fn dashboard_chart(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
    chart: DashboardChart,
    format: ImageFormat,
) -> Result<Document, AppError> {
    let view = dashboard::load_all(db, user, query).await?;
    let stem = chart.file_stem().to_owned();
    let locale = Locale::id;
    match chart {
        DashboardChart::Distribution => {
            let totals: Vec<f64> = view.rows.iter().map(|r| r.counted_total()).collect();
            let lines = named_lines(&view.thresholds);
            let plot = Distribution {
                totals: &totals,
                lines: &lines,
                text: ChartText {
                    title: td_string!(locale, dashboard.distribution),
                    x: td_string!(locale, dashboard.chart_x),
                    y: td_string!(locale, dashboard.chart_y),
                },
            };
            image(&plot, format, stem)
        }
        DashboardChart::Heatmap => {
            let shown = view.rows.len().min(HEATMAP_ROWS);
            let title = format!(
                "{} · {}",
                td_string!(locale, dashboard.heatmap),
                td_string!(
                    locale,
                    dashboard.heatmap_count,
                    shown = shown,
                    count = view.rows.len()
                )
            );
            let plot = Heatmap {
                rows: view.rows[..shown]
                    .iter()
                    .map(|r| (r.unit_name.clone(), r.areas.clone()))
                    .collect(),
                columns: area_columns(),
                text: ChartText {
                    title: &title,
                    x: td_string!(locale, assessment.area),
                    y: td_string!(locale, review.unit),
                },
            };
            image(&plot, format, stem)
        }
        DashboardChart::Completeness => {
            let plot = ShareBars {
                labels: area_columns(),
                series: vec![(
                    td_string!(locale, score.completeness),
                    mean_per_area(&view.rows, |r| &r.area_completeness),
                )],
                lines: &[],
                text: ChartText {
                    title: td_string!(locale, dashboard.completeness),
                    x: td_string!(locale, assessment.area),
                    y: td_string!(locale, dashboard.completeness_y),
                },
            };
            image(&plot, format, stem)
        }
        DashboardChart::Evaluators => {
            let plot = ShareBars {
                labels: view.evaluators.iter().map(|e| e.name.clone()).collect(),
                series: vec![(
                    td_string!(locale, dashboard.evaluators),
                    view.evaluators.iter().map(|e| e.share()).collect(),
                )],
                lines: &[],
                text: ChartText {
                    title: td_string!(locale, dashboard.evaluators),
                    x: td_string!(locale, dashboard.evaluator),
                    y: td_string!(locale, dashboard.evaluators_y),
                },
            };
            image(&plot, format, stem)
        }
    }
}

/// A chart of one unit: its areas (on the lane that counts: the TPI's once
/// final), Pemenuhan against Reform per area, or its total over time.
pub async fn unit_chart(
    db: &Db,
    user: &SessionUser,
    id: &str,
    chart: UnitChart,
    format: ImageFormat,
) -> Result<Document, AppError> {
    let data = load(db, user, id).await?;
    let rubric = data.rubric();
    let stem = base_name(&data, chart.file_stem());
    let unit = &data.header.summary.unit_name;
    let locale = Locale::id;
    match chart {
        UnitChart::Areas | UnitChart::Parts => {
            let sheet = crate::domain::lke::score(&rubric, &data.counted_answers(&rubric));
            let (heading, series) = if chart == UnitChart::Areas {
                (
                    td_string!(locale, unit_report.areas),
                    vec![(td_string!(locale, unit_report.share), area_shares(&sheet))],
                )
            } else {
                (
                    td_string!(locale, unit_report.parts),
                    Part::ALL
                        .into_iter()
                        .map(|part| (part_label(locale, part), part_shares(&sheet, part)))
                        .collect(),
                )
            };
            let title = format!("{heading} · {unit}");
            let lines = named_lines(&area_thresholds(&rubric, &data.gates));
            let plot = ShareBars {
                labels: area_columns(),
                series,
                lines: &lines,
                text: ChartText {
                    title: &title,
                    x: td_string!(locale, assessment.area),
                    y: td_string!(locale, unit_report.share),
                },
            };
            image(&plot, format, stem)
        }
        UnitChart::Trend => {
            let title = format!("{} · {unit}", td_string!(locale, unit_report.trend));
            let points: Vec<(String, f64, Option<f64>)> = data
                .trend
                .iter()
                .map(|p| (p.day.to_string(), p.self_total, p.tpi_total))
                .collect();
            let lines = named_lines(&super::dashboard::total_thresholds(&rubric, &data.gates));
            let plot = Trend {
                points: &points,
                lines: &lines,
                text: ChartText {
                    title: &title,
                    x: td_string!(locale, unit_report.day),
                    y: td_string!(locale, dashboard.chart_x),
                },
            };
            image(&plot, format, stem)
        }
    }
}

fn named_lines(thresholds: &[(Predicate, f64)]) -> Vec<(&'static str, f64)> {
    thresholds
        .iter()
        .map(|(p, at)| (predicate_name(*p), *at))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn csv_text_that_looks_like_a_formula_stays_text() {
        assert_eq!(
            inert("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("Balai Diklat Medan"), "Balai Diklat Medan");
        assert_eq!(inert("BDK-MDN"), "BDK-MDN");
    }
}
