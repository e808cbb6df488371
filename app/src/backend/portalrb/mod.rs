//! PortalRB integration: the API tokens (made, revoked, audited), what the
//! pull API answers, every call it logs, and the evidence links it hands to
//! national evaluators (opened without an account, each opening audited).

pub mod routes;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

use super::assessments::{self as assessment_data, today};
use super::db::assessments::{self, Assessment};
use super::db::{answers, api_tokens, audit, evidence, periods, portalrb, reviews, Db};
use super::permit::{AdministerIntegration, Permit};
use super::state::PortalSettings;
use crate::domain::account::UserId;
use crate::domain::assessment::Target;
use crate::domain::lke::ItemCode;
use crate::domain::period::{current_year, Year};
use crate::domain::portalrb::{
    kategori, soal_answers, Lane, SoalAnswer, TokenName, TokenScope, TokenSecret,
};
use crate::domain::review::lane_from_stored;
use crate::error::AppError;
use crate::model::{ApiTokenCreated, ApiTokenView, EvidenceView, PortalProposal, PortalView};

/// Why the API refused a call, as the integration guide names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    #[error("missing, unknown or revoked token")]
    Unauthorized,
    #[error("the token's scope does not cover this API")]
    Forbidden,
    #[error("no such proposal")]
    NotFound,
    #[error("too many calls with this token")]
    RateLimited,
    #[error("the database is busy")]
    Busy,
    #[error("internal error")]
    Internal,
}

impl From<sqlx::Error> for PortalError {
    fn from(err: sqlx::Error) -> Self {
        match AppError::from(err) {
            AppError::Busy => PortalError::Busy,
            _ => PortalError::Internal,
        }
    }
}

/// Where the links this instance hands out start: `ZI_PUBLIC_URL`, or the
/// host the caller used (an administrator behind TLS should set the former).
pub fn public_base(settings: &PortalSettings, host: Option<&str>) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = host
        .filter(|h| !h.is_empty())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The token a call was made with, once it passed.
pub struct Caller {
    pub token_id: String,
}

/// Checks the `Authorization` header: a live token of the PortalRB scope,
/// within its rate; records its use.
pub async fn authenticate(
    db: &Db,
    settings: &PortalSettings,
    authorization: Option<&str>,
) -> Result<Caller, PortalError> {
    let secret = authorization
        .and_then(TokenSecret::from_authorization)
        .ok_or(PortalError::Unauthorized)?;
    let mut conn = db.acquire().await?;
    let token = api_tokens::by_secret(&mut conn, &secret_hash(secret.expose()))
        .await?
        .filter(|t| t.revoked_at.is_none())
        .ok_or(PortalError::Unauthorized)?;
    if TokenScope::parse(&token.scope) != Some(TokenScope::Portalrb) {
        return Err(PortalError::Forbidden);
    }
    let now = super::db::now_ms();
    let recent = portalrb::calls_since(&mut conn, &token.id, now - 60_000).await?;
    if recent >= i64::from(settings.rate_per_minute) {
        return Err(PortalError::RateLimited);
    }
    api_tokens::touch(&mut conn, &token.id, now).await?;
    Ok(Caller { token_id: token.id })
}

/// `GET /pengusulan/unit-wbk` and `unit-wbbm`.
#[derive(Debug, Serialize)]
pub struct ProposalList {
    pub tahun: i32,
    pub units: Vec<ProposedUnit>,
}

#[derive(Debug, Serialize)]
pub struct ProposedUnit {
    pub id: String,
    pub nama: String,
    pub kategori: &'static str,
    pub afirmasi: bool,
}

/// The units proposed for `target` in the current period.
pub async fn proposals(db: &Db, target: Target) -> Result<ProposalList, PortalError> {
    let mut conn = db.acquire().await?;
    let year = proposal_year(&mut conn).await?;
    let units = assessments::list_proposed(&mut conn, year, target)
        .await?
        .into_iter()
        .map(|a| ProposedUnit {
            id: a.summary.unit_code,
            nama: a.summary.unit_name,
            kategori: kategori(target.predicate(), a.afirmasi),
            afirmasi: a.afirmasi,
        })
        .collect();
    Ok(ProposalList {
        tahun: year.value(),
        units,
    })
}

/// The evaluation year PortalRB pulls: the current period's.
async fn proposal_year(conn: &mut AnyConnection) -> Result<Year, PortalError> {
    current_year(periods::years(conn).await?, today()).ok_or(PortalError::NotFound)
}

/// `GET /lke/jawaban-unit/{unit_id}`.
#[derive(Debug, Serialize)]
pub struct UnitAnswers {
    pub unit_id: String,
    pub nama_unit: String,
    pub tahun: i32,
    pub answers: Vec<SoalAnswer>,
}

/// What a fetch of one unit handed out, for the log.
pub struct Fetched {
    pub assessment: String,
    pub counts: [i64; 3],
}

/// One proposed unit's answers in both lanes, every soal of the master, with
/// a link to each item's evidence (made on the first fetch, then the same).
pub async fn unit_answers(
    db: &Db,
    settings: &PortalSettings,
    base_url: &str,
    unit_code: &str,
) -> Result<(UnitAnswers, Fetched), PortalError> {
    let mut conn = db.acquire().await?;
    let year = proposal_year(&mut conn).await?;
    let assessment = proposed_of(&mut conn, year, unit_code).await?;
    let (rubric, _) = assessment_data::rubric(&mut conn, &assessment.rubric_key)
        .await
        .map_err(|_| PortalError::Internal)?;
    let stored = answers::list(&mut conn, assessment.id()).await?;
    let unit = assessment_data::stored_answers(&rubric, &stored);
    let unit_notes: BTreeMap<ItemCode, String> =
        stored.iter().map(|s| (s.item, s.note.clone())).collect();
    let review_rows = reviews::list(&mut conn, assessment.id()).await?;
    let evaluators = lane_from_stored(
        &rubric,
        &unit,
        review_rows.iter().map(|r| (r.item, r.value.as_deref())),
    );
    let evaluator_notes: BTreeMap<ItemCode, String> = review_rows
        .iter()
        .map(|r| (r.item, r.note.clone()))
        .collect();
    let files = evidence::list(&mut conn, assessment.id()).await?;
    let evidenced = crate::model::evidenced(&files);
    drop(conn);
    let links = EvidenceLinks::made(db, settings, base_url, &assessment, evidenced, true).await?;
    let link = |item: ItemCode| links.link(item);
    let unit_lane = Lane {
        answers: &unit,
        notes: &unit_notes,
    };
    let evaluator_lane = Lane {
        answers: &evaluators,
        notes: &evaluator_notes,
    };
    let reviewed = !review_rows.is_empty();
    let rows = soal_answers(&unit_lane, reviewed.then_some(&evaluator_lane), link);
    let count = |f: fn(&SoalAnswer) -> bool| {
        i64::try_from(rows.iter().filter(|r| f(r)).count()).unwrap_or(i64::MAX)
    };
    let counts = [
        count(|r| r.jawaban_unit.is_some()),
        count(|r| r.jawaban_tpi.is_some()),
        count(|r| r.bukti_dukung_unit.is_some()),
    ];
    Ok((
        UnitAnswers {
            unit_id: assessment.summary.unit_code.clone(),
            nama_unit: assessment.summary.unit_name.clone(),
            tahun: year.value(),
            answers: rows,
        },
        Fetched {
            assessment: assessment.id().to_owned(),
            counts,
        },
    ))
}

/// The links to each evidenced item of one assessment, under its live
/// evidence link: what `bukti_dukung_unit` holds and the 2026 workbook's
/// column M.
pub struct EvidenceLinks {
    base_url: String,
    secret: Option<String>,
    evidenced: BTreeSet<ItemCode>,
}

impl EvidenceLinks {
    /// Makes the assessment's evidence link when it has none or its own ran
    /// out (the first fetch does); `always` makes one even when no item has
    /// a file, as the API always did.
    pub async fn made(
        db: &Db,
        settings: &PortalSettings,
        base_url: &str,
        assessment: &Assessment,
        evidenced: BTreeSet<ItemCode>,
        always: bool,
    ) -> Result<EvidenceLinks, PortalError> {
        let secret = if always || !evidenced.is_empty() {
            Some(live_share(db, settings, assessment).await?.secret)
        } else {
            None
        };
        Ok(EvidenceLinks {
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret,
            evidenced,
        })
    }

    /// The page of an item's files, when it has any.
    pub fn link(&self, item: ItemCode) -> Option<String> {
        let secret = self.secret.as_ref()?;
        self.evidenced
            .contains(&item)
            .then(|| format!("{}/bukti/{secret}/{item}", self.base_url))
    }
}

/// The unit's proposed assessment of `year`, for either predicate.
async fn proposed_of(
    conn: &mut AnyConnection,
    year: Year,
    unit_code: &str,
) -> Result<Assessment, PortalError> {
    for target in [Target::Wbk, Target::Wbbm] {
        let found = assessments::list_proposed(conn, year, target).await?;
        if let Some(a) = found.into_iter().find(|a| a.summary.unit_code == unit_code) {
            return Ok(a);
        }
    }
    Err(PortalError::NotFound)
}

/// The assessment's live evidence link, made when it has none or its own ran out.
async fn live_share(
    db: &Db,
    settings: &PortalSettings,
    assessment: &Assessment,
) -> Result<portalrb::Share, PortalError> {
    let mut tx = super::db::begin_write(db).await?;
    let today = today();
    if let Some(share) = portalrb::live_share(&mut tx, assessment.id()).await? {
        if share.valid_until >= today {
            tx.commit().await?;
            return Ok(share);
        }
    }
    let from = assessment.dates.proposal_deadline.max(today);
    let valid_until = from.plus_days(i64::from(settings.link_days));
    let share =
        portalrb::insert_share(&mut tx, assessment.id(), &random_secret(), valid_until).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: None,
            action: "evidence_share.create",
            entity: "assessment",
            entity_id: assessment.id(),
            before: None,
            after: Some(json!({ "share": share.id, "valid_until": valid_until })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(share)
}

/// Writes one line of the call log; a failure to log is logged, not answered.
pub async fn log_call(db: &Db, call: portalrb::NewCall<'_>) {
    let logged = match db.acquire().await {
        Ok(mut conn) => portalrb::record_call(&mut conn, &call).await,
        Err(err) => Err(err),
    };
    if let Err(err) = logged {
        tracing::error!(%err, endpoint = call.endpoint, "logging a PortalRB call failed");
    }
}

fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    TokenSecret::from_random(bytes).expose().to_owned()
}

/// The "Integrasi PortalRB" page.
pub async fn view(
    db: &Db,
    _: &Permit<AdministerIntegration>,
    base_url: String,
) -> Result<PortalView, AppError> {
    let mut conn = db.acquire().await?;
    let tokens = api_tokens::list(&mut conn).await?;
    let year = current_year(periods::years(&mut conn).await?, today());
    let mut proposals = Vec::new();
    if let Some(year) = year {
        for target in [Target::Wbk, Target::Wbbm] {
            for a in assessments::list_proposed(&mut conn, year, target).await? {
                let last_fetch = portalrb::last_fetch(&mut conn, a.id()).await?;
                let link_valid_until = portalrb::live_share(&mut conn, a.id())
                    .await?
                    .map(|s| s.valid_until)
                    .filter(|until| *until >= today());
                proposals.push(PortalProposal {
                    assessment_id: a.id().to_owned(),
                    unit_code: a.summary.unit_code,
                    unit_name: a.summary.unit_name,
                    target,
                    state: a.summary.state,
                    last_fetch,
                    link_valid_until,
                });
            }
        }
    }
    let calls = portalrb::recent_calls(&mut conn, 50).await?;
    Ok(PortalView {
        base_url: format!("{base_url}/portalrb"),
        year,
        tokens,
        proposals,
        calls,
        new_secret: None,
    })
}

/// Makes a token; its secret is returned this once and only its hash is kept.
pub async fn create_token(
    db: &Db,
    permit: &Permit<AdministerIntegration>,
    name: &TokenName,
    scope: TokenScope,
) -> Result<ApiTokenCreated, AppError> {
    let secret = random_secret();
    let mut tx = super::db::begin_write(db).await?;
    let id = api_tokens::insert(
        &mut tx,
        &api_tokens::NewToken {
            name,
            scope: scope.as_str(),
            secret_sha256: &secret_hash(&secret),
            created_by: permit.actor().map(UserId::as_str),
        },
    )
    .await?;
    let token = api_tokens::get(&mut tx, &id)
        .await?
        .ok_or(AppError::Internal)?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "api_token.create",
            entity: "api_token",
            entity_id: &id,
            before: None,
            after: Some(json!({ "name": token.name, "scope": token.scope })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ApiTokenCreated { token, secret })
}

pub async fn revoke_token(
    db: &Db,
    permit: &Permit<AdministerIntegration>,
    id: &str,
) -> Result<ApiTokenView, AppError> {
    let mut tx = super::db::begin_write(db).await?;
    api_tokens::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if api_tokens::revoke(&mut tx, id).await? {
        audit::record(
            &mut tx,
            audit::AuditEntry {
                actor: permit.actor().map(UserId::as_str),
                action: "api_token.revoke",
                entity: "api_token",
                entity_id: id,
                before: Some(json!({ "revoked": false })),
                after: Some(json!({ "revoked": true })),
            },
        )
        .await?;
    }
    let token = api_tokens::get(&mut tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(token)
}

/// Ends every evidence link of an assessment; PortalRB's next fetch gets a new one.
pub async fn revoke_links(
    db: &Db,
    permit: &Permit<AdministerIntegration>,
    assessment: &str,
) -> Result<u64, AppError> {
    let mut tx = super::db::begin_write(db).await?;
    assessments::get(&mut tx, assessment)
        .await?
        .ok_or(AppError::NotFound)?;
    let revoked =
        portalrb::revoke_shares(&mut tx, assessment, permit.actor().map(UserId::as_str)).await?;
    if revoked > 0 {
        audit::record(
            &mut tx,
            audit::AuditEntry {
                actor: permit.actor().map(UserId::as_str),
                action: "evidence_share.revoke",
                entity: "assessment",
                entity_id: assessment,
                before: None,
                after: Some(json!({ "revoked": revoked })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

/// An item's current files behind a live, unexpired evidence link.
pub struct SharedItem {
    pub assessment: Assessment,
    pub item: ItemCode,
    pub text: String,
    pub files: Vec<EvidenceView>,
}

/// Opens an evidence link (404 for a forged, revoked or expired one, or an
/// item the rubric does not have); the opening is audited.
pub async fn open_share(db: &Db, secret: &str, item: &str) -> Result<SharedItem, AppError> {
    let item: ItemCode = item.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = super::db::begin_write(db).await?;
    let share = portalrb::share_by_secret(&mut tx, secret)
        .await?
        .filter(|s| s.valid_until >= today())
        .ok_or(AppError::NotFound)?;
    let assessment = assessments::get(&mut tx, &share.assessment)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rubric, _) = assessment_data::rubric(&mut tx, &assessment.rubric_key).await?;
    let text = rubric.item_text(item).ok_or(AppError::NotFound)?.to_owned();
    let files: Vec<EvidenceView> = evidence::list(&mut tx, assessment.id())
        .await?
        .into_iter()
        .filter(|f| f.is_current() && f.items.contains(&item))
        .collect();
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: None,
            action: "evidence_share.open",
            entity: "assessment",
            entity_id: assessment.id(),
            before: None,
            after: Some(json!({ "share": share.id, "item": item })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SharedItem {
        assessment,
        item,
        text,
        files,
    })
}

/// One file of an opened link: it must be current and prove that item.
pub async fn shared_file(
    db: &Db,
    secret: &str,
    item: &str,
    file: &str,
) -> Result<EvidenceView, AppError> {
    let item: ItemCode = item.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = super::db::begin_write(db).await?;
    let share = portalrb::share_by_secret(&mut tx, secret)
        .await?
        .filter(|s| s.valid_until >= today())
        .ok_or(AppError::NotFound)?;
    let (owner, view) = evidence::get(&mut tx, file)
        .await?
        .ok_or(AppError::NotFound)?;
    if owner != share.assessment || !view.is_current() || !view.items.contains(&item) {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: None,
            action: "evidence_share.download",
            entity: "assessment",
            entity_id: &share.assessment,
            before: None,
            after: Some(json!({ "share": share.id, "item": item, "evidence": view.id })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(view)
}

const NEW_SECRET_KEY: &str = "portalrb.new_secret";

/// Keeps a new token's secret for the page to show once, also after a plain
/// form post's redirect.
pub async fn remember_secret(session: &tower_sessions::Session, secret: &str) {
    if let Err(err) = session.insert(NEW_SECRET_KEY, secret).await {
        tracing::error!(%err, "keeping a new token's secret for its page failed");
    }
}

/// The secret kept by [`remember_secret`], removed as it is read.
pub async fn take_secret(session: &tower_sessions::Session) -> Option<String> {
    session
        .remove::<String>(NEW_SECRET_KEY)
        .await
        .ok()
        .flatten()
}
