//! The self-assessment on the server: who may see and change an assessment,
//! loading it for the pages, saving answers and submitting, each change with
//! its audit line in the same transaction.

use serde_json::json;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

use super::db::assessments::{self, Assessment};
use super::db::{
    answers, assignments, audit, evidence, national, now_ms, reviews, rubrics, snapshots, units, Db,
};
use super::lke::{read_answers_lane, sheet_notes, ImportError, Limits};
use crate::domain::assessment::{
    self as rules, answers_from_stored, parse_item_value, unit_may_edit, EditBlock, SubmitRefusal,
    MAX_NOTE_CHARS,
};
use crate::domain::lke::{
    builtin_90_2021_ref, Answers, AssessmentState, GateSet, ItemCode, RubricVersion, KEY_90_2021,
};
use crate::domain::period::{Day, Window};
use crate::domain::policy::{assessment_rights, AssessmentFacts};
use crate::domain::review::{unit_sees_review, ReviewStatus};
use crate::domain::versions::{self, RowSave};
use crate::error::{AppError, Field, ItemConflict, MineRefused, Problem, Refusal};
use crate::model::{
    evidenced, AnswersSaved, AssessmentData, AssessmentHeader, EvidenceView, HistoryLine,
    MyAssessment, ReviewView, Rights, SessionUser, StoredAnswer, TeamMember, WorkbookImported,
    WorkbookLane,
};

/// An assessment the caller may at least read, with what else they may do.
pub struct Access {
    pub assessment: Assessment,
    pub unit_active: bool,
    pub rights: Rights,
    pub team: Vec<TeamMember>,
}

/// Loads an assessment for `user`: 404 when it does not exist, 403 when the
/// user may neither see its unit nor review it.
pub async fn open(
    conn: &mut AnyConnection,
    user: &SessionUser,
    id: &str,
) -> Result<Access, AppError> {
    let assessment = assessments::get(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (unit, path) = units::with_path(conn, &assessment.summary.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit_active = unit.active;
    let team = assignments::team(conn, id).await?;
    let facts = AssessmentFacts {
        unit: &path,
        unit_active,
        state: assessment.state(),
        window: self_window(&assessment, today()),
        me: assignments::place_of(&team, &user.actor.user_id),
        team_has_lead: team.iter().any(|m| m.lead),
    };
    let rights = assessment_rights(Some(&user.actor), facts)?;
    Ok(Access {
        assessment,
        unit_active,
        rights,
        team,
    })
}

/// Like [`open`], but the caller must be a member of the unit and the
/// assessment open for the unit's changes today; says why not otherwise.
pub async fn may_change(
    conn: &mut AnyConnection,
    user: &SessionUser,
    id: &str,
) -> Result<Access, AppError> {
    let access = open(conn, user, id).await?;
    if !access.rights.member {
        return Err(AppError::Forbidden);
    }
    let assessment = &access.assessment;
    if !access.unit_active {
        return Err(AppError::Refused(Refusal::UnitInactive));
    }
    unit_may_edit(assessment.state(), self_window(assessment, today())).map_err(|block| {
        AppError::Refused(match block {
            EditBlock::Locked => Refusal::Locked,
            EditBlock::NotYetOpen => Refusal::WindowNotOpen {
                opens: assessment.dates.self_start,
            },
            EditBlock::WindowClosed => Refusal::WindowClosed,
        })
    })?;
    Ok(access)
}

/// The assessment as its pages show it to `user`.
pub async fn load(db: &Db, user: &SessionUser, id: &str) -> Result<AssessmentData, AppError> {
    let access = open(&mut *db.acquire().await?, user, id).await?;
    data(db, user, access).await
}

/// [`may_change`] on its own connection, for a check before reading an upload.
pub async fn check_may_change(db: &Db, user: &SessionUser, id: &str) -> Result<(), AppError> {
    may_change(&mut *db.acquire().await?, user, id)
        .await
        .map(drop)
}

/// [`may_change`] inside a write transaction, holding the assessment's row.
pub async fn open_for_change(
    conn: &mut AnyConnection,
    user: &SessionUser,
    id: &str,
) -> Result<Access, AppError> {
    let access = may_change(conn, user, id).await?;
    assessments::lock(conn, id).await?;
    Ok(access)
}

/// The assessments of the units `user` works in, as their home page lists
/// them: the open one first, then this year's under review, next year's, and
/// the past; each with how far it has come and what to do next.
pub async fn mine(db: &Db, user: &SessionUser) -> Result<Vec<MyAssessment>, AppError> {
    let units: Vec<_> = user.actor.member_units().cloned().collect();
    let found = assessments::list_for_units(db, &units).await?;
    let today = today();
    let mut conn = db.acquire().await?;
    let mut list = Vec::with_capacity(found.len());
    for assessment in found {
        let self_window = self_window(&assessment, today);
        let (rubric, _) = rubric(&mut conn, &assessment.rubric_key).await?;
        let stored = answers::list(&mut conn, assessment.id()).await?;
        let files = evidence::list(&mut conn, assessment.id()).await?;
        let to_mend = if assessment.state() == AssessmentState::Returned {
            let marked = reviews::list(&mut conn, assessment.id())
                .await?
                .into_iter()
                .filter(|entry| entry.status.is_some_and(ReviewStatus::asks_for_change))
                .count();
            u32::try_from(marked).unwrap_or(u32::MAX)
        } else {
            0
        };
        let gaps = rules::gaps(
            &rubric,
            &stored_answers(&rubric, &stored),
            &evidenced(&files),
        );
        let total = u32::try_from(rules::scored_items(&rubric).count()).unwrap_or(u32::MAX);
        let year = assessment.summary.year.value();
        list.push(MyAssessment {
            standing: rules::standing(assessment.state(), self_window, year, today.year()),
            next: rules::next_step(assessment.state(), self_window, &gaps, to_mend),
            progress: rules::Progress::of(&gaps, total, to_mend),
            self_window,
            self_start: assessment.dates.self_start,
            summary: assessment.summary,
        });
    }
    list.sort_by_key(|a| (a.standing, std::cmp::Reverse(a.summary.year)));
    Ok(list)
}

/// Every change to one item: answers, notes and its evidence files.
pub async fn item_history(
    db: &Db,
    user: &SessionUser,
    id: &str,
    item: ItemCode,
) -> Result<Vec<HistoryLine>, AppError> {
    let mut conn = db.acquire().await?;
    open(&mut conn, user, id).await?;
    Ok(audit::item_history(&mut conn, id, item).await?)
}

pub fn today() -> Day {
    Day::from_unix_ms(now_ms())
}

pub fn self_window(assessment: &Assessment, today: Day) -> Window {
    Window::at(today, assessment.dates.self_start, assessment.self_end())
}

/// The rubric version and gates of an assessment, read on the caller's
/// connection (never a second one from the pool while a transaction is open).
pub async fn rubric(
    conn: &mut AnyConnection,
    key: &str,
) -> Result<(RubricVersion, GateSet), AppError> {
    rubrics::get(conn, key).await?.ok_or_else(|| {
        tracing::error!(key, "assessment refers to a missing rubric version");
        AppError::Internal
    })
}

pub async fn data(db: &Db, user: &SessionUser, access: Access) -> Result<AssessmentData, AppError> {
    let Access {
        assessment,
        rights,
        team,
        ..
    } = access;
    let mut conn = db.acquire().await?;
    let (rubric, gates) = rubric(&mut conn, &assessment.rubric_key).await?;
    let stored = answers::list(&mut conn, assessment.id()).await?;
    let files = evidence::list(&mut conn, assessment.id()).await?;
    let sees_review = rights.evaluator
        || !rights.member
        || unit_sees_review(assessment.state(), assessment.returned_at.is_some());
    let review = if sees_review {
        Some(ReviewView {
            entries: reviews::list(&mut conn, assessment.id())
                .await?
                .into_iter()
                .map(|entry| (entry.item, entry))
                .collect(),
            me: assignments::place_of(&team, &user.actor.user_id),
            team,
            returned_at: assessment.returned_at,
            return_summary: assessment.return_summary.clone(),
            changed_since_return: assessment
                .returned_at
                .map(|at| changed_since(at, &stored, &files))
                .unwrap_or_default(),
            final_verdict: assessment.final_verdict,
        })
    } else {
        None
    };
    let predicates = national::predicates_of_unit(&mut conn, &assessment.summary.unit_id).await?;
    let national = national::list(&mut conn, assessment.id()).await?;
    let trend = snapshots::of_unit(&mut conn, assessment.summary.unit_id.as_str()).await?;
    let answers = stored_answers(&rubric, &stored);
    let notes = stored
        .iter()
        .filter(|s| !s.note.is_empty())
        .map(|s| (s.item, s.note.clone()))
        .collect();
    let versions = stored.iter().map(|s| (s.item, s.version)).collect();
    let today = today();
    let shipped =
        (rubric.key() != KEY_90_2021 || &rubric != builtin_90_2021_ref()).then_some(rubric);
    Ok(AssessmentData {
        header: AssessmentHeader {
            self_end: assessment.self_end(),
            self_window: self_window(&assessment, today),
            today,
            rubric_key: assessment.rubric_key.clone(),
            dates: assessment.dates,
            summary: assessment.summary,
        },
        rights,
        rubric: shipped,
        gates,
        answers,
        notes,
        versions,
        evidence: files,
        review,
        predicates,
        national,
        trend,
        max_file: crate::domain::evidence::MaxFileSize::from_mb(
            crate::domain::evidence::MaxFileSize::DEFAULT_MB,
        ),
    })
}

/// The items whose answer, note or files changed after `at`; a numeric
/// input counts for its question.
fn changed_since(at: i64, stored: &[StoredAnswer], files: &[EvidenceView]) -> BTreeSet<ItemCode> {
    let question_of = |item: ItemCode| match item {
        ItemCode::Input(code) => ItemCode::Question(code.question()),
        other => other,
    };
    stored
        .iter()
        .filter(|s| s.updated_at > at)
        .map(|s| question_of(s.item))
        .chain(
            files
                .iter()
                .filter(|f| f.uploaded_at > at)
                .flat_map(|f| f.items.iter().copied().map(question_of)),
        )
        .collect()
}

pub fn stored_answers(rubric: &RubricVersion, stored: &[StoredAnswer]) -> Answers {
    answers_from_stored(
        rubric,
        stored
            .iter()
            .filter_map(|s| Some((s.item, s.value.as_deref()?))),
    )
}

/// What one save changes: values by item and notes by item, as typed, and
/// the version each item was loaded at. An item missing from `values` keeps
/// its value; an empty value clears it. An item without a version is
/// overwritten without a check (a workbook import does that on purpose).
pub struct Changes {
    pub values: BTreeMap<String, String>,
    pub notes: BTreeMap<String, String>,
    pub versions: BTreeMap<String, String>,
}

/// Saves the changed values and notes, each item from the version it was
/// loaded at. Nothing is written when any value is refused. An item someone
/// else saved since is not written: the items that are not stale are saved
/// (nothing the member typed elsewhere is lost), and the answer is
/// [`AppError::Conflict`] with what the other person saved, who and when,
/// and what this save carried, so the page can offer both.
pub async fn save(
    db: &Db,
    user: &SessionUser,
    id: &str,
    changes: Changes,
) -> Result<AnswersSaved, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open_for_change(&mut tx, user, id).await?;
    let (rubric, _) = rubric(&mut tx, &access.assessment.rubric_key).await?;
    let current: BTreeMap<ItemCode, StoredAnswer> = answers::list(&mut tx, id)
        .await?
        .into_iter()
        .map(|s| (s.item, s))
        .collect();
    let mut next: BTreeMap<ItemCode, (Option<String>, String)> = current
        .iter()
        .map(|(item, s)| (*item, (s.value.clone(), s.note.clone())))
        .collect();
    let mut named = BTreeSet::new();
    for (code, raw) in &changes.values {
        let item = parse_code(code)?;
        let value = parse_item_value(&rubric, item, raw).map_err(|problem| AppError::Answer {
            item: code.clone(),
            problem,
        })?;
        next.entry(item).or_insert_with(|| (None, String::new())).0 = value.map(|v| v.to_stored());
        named.insert(item);
    }
    for (code, note) in &changes.notes {
        let item = parse_code(code)?;
        let takes_note = match item {
            ItemCode::Question(code) => rubric.question(code).is_some(),
            ItemCode::Hasil(_) => true,
            ItemCode::Input(_) => false,
        };
        if !takes_note {
            return Err(AppError::Answer {
                item: code.clone(),
                problem: rules::ValueProblem::UnknownItem,
            });
        }
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::field(Field::Note, Problem::TooLong));
        }
        next.entry(item).or_insert_with(|| (None, String::new())).1 = note.to_owned();
        named.insert(item);
    }
    let mut started_from = BTreeMap::new();
    for (code, raw) in &changes.versions {
        let item = parse_code(code)?;
        let version: i64 = raw.trim().parse().map_err(|_| AppError::BadRequest)?;
        started_from.insert(item, version);
    }
    let by = user.actor.user_id.as_str();
    let mut saved = AnswersSaved::default();
    let mut conflicts = Vec::new();
    for (item, after) in &next {
        let before = current.get(item);
        let changed = match before {
            Some(b) => b.value != after.0 || b.note != after.1,
            None => after.0.is_some() || !after.1.is_empty(),
        };
        let version = before.map_or(0, |b| b.version);
        match versions::decide(changed, version, started_from.get(item).copied()) {
            RowSave::Unchanged => {
                if named.contains(item) {
                    saved.versions.insert(item.to_string(), version);
                }
            }
            RowSave::Stale => {
                conflicts.push(ItemConflict {
                    item: item.to_string(),
                    value: before.and_then(|b| b.value.clone()),
                    note: before.map(|b| b.note.clone()).unwrap_or_default(),
                    by: before.and_then(|b| b.updated_by.clone()),
                    at: before.map_or(0, |b| b.updated_at),
                    version,
                    mine: Some(MineRefused {
                        value: after.0.clone(),
                        note: after.1.clone(),
                    }),
                });
            }
            RowSave::Write { version } => {
                answers::upsert(
                    &mut tx,
                    id,
                    *item,
                    &answers::AnswerWrite {
                        value: after.0.as_deref(),
                        note: &after.1,
                        version,
                        by: Some(by),
                    },
                )
                .await?;
                audit::record(
                    &mut tx,
                    audit::AuditEntry {
                        actor: Some(by),
                        action: "answer.save",
                        entity: "answer",
                        entity_id: &audit::item_entity_id(id, *item),
                        before: before.map(|b| json!({ "value": b.value, "note": b.note })),
                        after: Some(
                            json!({ "value": after.0, "note": after.1, "version": version }),
                        ),
                    },
                )
                .await?;
                saved.changed += 1;
                saved.versions.insert(item.to_string(), version);
            }
        }
    }
    if saved.changed > 0 {
        super::scores::refresh(&mut tx, id).await?;
    }
    tx.commit().await?;
    if conflicts.is_empty() {
        Ok(saved)
    } else {
        Err(AppError::Conflict {
            conflicts,
            saved: saved.changed,
        })
    }
}

/// Replaces the answers and notes with those of a workbook in the official
/// layout; all or nothing, each changed item audited like a typed answer.
pub async fn import_workbook(
    db: &Db,
    user: &SessionUser,
    id: &str,
    bytes: Vec<u8>,
    lane: WorkbookLane,
) -> Result<WorkbookImported, AppError> {
    let rubric = {
        let mut conn = db.acquire().await?;
        let access = may_change(&mut conn, user, id).await?;
        rubric(&mut conn, &access.assessment.rubric_key).await?.0
    };
    let shared = rubric.clone();
    let imported = tokio::task::spawn_blocking(move || {
        read_answers_lane(&bytes, &shared, &Limits::default(), lane)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|err| {
        tracing::info!(%err, "answers workbook refused");
        match err {
            ImportError::NotAnLke { sheets } => AppError::NotAnLke { sheets },
            err => AppError::field(Field::File, Problem::Workbook(err.workbook_problem())),
        }
    })?;
    let values = rules::stored_values(&rubric, &imported.answers)
        .into_iter()
        .map(|(item, value)| (item.to_string(), value.unwrap_or_default()))
        .collect();
    let notes = rules::scored_items(&rubric)
        .map(|item| {
            let note = imported.notes.get(&item).cloned().unwrap_or_default();
            (item.to_string(), note)
        })
        .collect();
    // A deliberate overwrite: no versions named, every changed row bumped.
    let saved = save(
        db,
        user,
        id,
        Changes {
            values,
            notes,
            versions: BTreeMap::new(),
        },
    )
    .await?;
    Ok(WorkbookImported {
        changed: saved.changed,
        notes: sheet_notes(&imported.problems),
        read: imported.read,
    })
}

fn parse_code(code: &str) -> Result<ItemCode, AppError> {
    code.parse().map_err(|_| AppError::Answer {
        item: code.to_owned(),
        problem: rules::ValueProblem::UnknownItem,
    })
}

/// Submits the assessment to the evaluators.
pub async fn submit(
    db: &Db,
    user: &SessionUser,
    id: &str,
    confirmed: bool,
) -> Result<AssessmentState, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open(&mut tx, user, id).await?;
    if !access.rights.member {
        return Err(AppError::Forbidden);
    }
    assessments::lock(&mut tx, id).await?;
    let assessment = &access.assessment;
    let (rubric, _) = rubric(&mut tx, &assessment.rubric_key).await?;
    let stored = answers::list(&mut tx, id).await?;
    let answers = stored_answers(&rubric, &stored);
    let files = evidence::list(&mut tx, id).await?;
    let evidenced = crate::model::evidenced(&files);
    let gaps = rules::gaps(&rubric, &answers, &evidenced);
    let window = self_window(assessment, today());
    let next = rules::submit(assessment.state(), window, &gaps, confirmed).map_err(|refusal| {
        AppError::Refused(match refusal {
            SubmitRefusal::WindowNotOpen => Refusal::WindowNotOpen {
                opens: assessment.dates.self_start,
            },
            SubmitRefusal::WindowClosed => Refusal::WindowClosed,
            SubmitRefusal::Unconfirmed => Refusal::Unconfirmed {
                unanswered: count(gaps.unanswered.len()),
                without_evidence: count(gaps.without_evidence.len()),
            },
            SubmitRefusal::Workflow(reason) => Refusal::Workflow { reason },
        })
    })?;
    assessments::set_state(&mut tx, id, next).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: "assessment.submit",
            entity: "assessment",
            entity_id: id,
            before: Some(json!({ "state": assessment.state() })),
            after: Some(json!({
                "state": next,
                "unanswered": gaps.unanswered.len(),
                "without_evidence": gaps.without_evidence.len(),
            })),
        },
    )
    .await?;
    super::scores::refresh(&mut tx, id).await?;
    tx.commit().await?;
    super::snapshots::after_change(db, id).await;
    Ok(next)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
