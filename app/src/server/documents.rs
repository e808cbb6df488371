//! Documents generated from an assessment: the filled LKE workbook in the
//! official layout, and the evaluation report (LHE) as DOCX. Each is
//! authorized like the assessment pages.

use super::assessments::{data, open, today};
use super::db::Db;
use super::docx::to_docx;
use super::lhe;
use super::lke::export::{export_workbook_beside, Beside};
use super::lke::Notes;
use crate::domain::lke::AssessmentState;
use crate::error::AppError;
use crate::model::{AssessmentData, ReportDoc, SessionUser};

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
                    header: "Jawaban unit",
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
