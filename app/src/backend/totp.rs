//! The second factor of an account (TOTP): enrolment on the account page,
//! switching it off, the administrator's reset, and checking the code of a
//! sign-in's second step. Each change and each recovery code used writes its
//! audit line in the same transaction.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use super::auth::verify_password;
use super::db::{self, audit, totp as stored, users, Db};
use super::permit::{AdministerUsers, ChangeOwnPassword, Permit};
use crate::domain::account::UserId;
use crate::domain::totp::{
    check_code, looks_like_code, normalize_recovery_code, recovery_code, CodeCheck, TotpSecret,
    RECOVERY_CODES, RECOVERY_CODE_BYTES, SECRET_BYTES,
};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::model::{TwoFactorEnrolment, TwoFactorView};

/// The secret of an enrolment begun and not yet confirmed (base32).
const PENDING_SECRET_KEY: &str = "totp.pending_secret";

/// The key being enrolled, kept in the session until a code confirms it.
async fn pending_secret(session: &Session) -> Result<Option<TotpSecret>, AppError> {
    Ok(session
        .get::<String>(PENDING_SECRET_KEY)
        .await
        .map_err(session_error)?
        .and_then(|text| TotpSecret::parse(&text)))
}

/// A new random key, kept in the session for the enrolment to confirm.
async fn new_pending_secret(session: &Session) -> Result<TotpSecret, AppError> {
    let mut bytes = [0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    let secret = TotpSecret::from_bytes(bytes);
    session
        .insert(PENDING_SECRET_KEY, secret.to_base32())
        .await
        .map_err(session_error)?;
    Ok(secret)
}
/// The recovery codes made at enrolment, until the page has shown them once.
const NEW_CODES_KEY: &str = "totp.new_recovery_codes";

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(%err, "session store failed");
    AppError::Internal
}

fn unix_seconds() -> u64 {
    u64::try_from(db::now_ms() / 1000).unwrap_or(0)
}

fn code_hash(code: &str) -> String {
    Sha256::digest(normalize_recovery_code(code).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn me<R: super::permit::Right>(permit: &Permit<R>) -> Result<&UserId, AppError> {
    permit.actor().ok_or(AppError::Unauthenticated)
}

/// The account page's view: on or off, the enrolment in progress, and the
/// recovery codes made just now (handed out once: read, then forgotten).
pub async fn view(
    db: &Db,
    permit: &Permit<ChangeOwnPassword>,
    session: &Session,
) -> Result<TwoFactorView, AppError> {
    let id = me(permit)?;
    let enabled = stored::is_enabled(db, id.as_str()).await?;
    let recovery_codes_left = if enabled {
        u32::try_from(stored::recovery_codes_left(db, id.as_str()).await?).unwrap_or(0)
    } else {
        0
    };
    let pending = pending_secret(session).await?;
    let enrolment = match pending {
        Some(secret) if !enabled => {
            let username = users::session_user(db, id)
                .await?
                .map(|user| user.username)
                .ok_or(AppError::Unauthenticated)?;
            Some(enrolment_view(&secret, &username)?)
        }
        _ => None,
    };
    let new_recovery_codes = session
        .remove::<Vec<String>>(NEW_CODES_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default();
    Ok(TwoFactorView {
        enabled,
        recovery_codes_left,
        enrolment,
        new_recovery_codes,
    })
}

fn enrolment_view(secret: &TotpSecret, username: &str) -> Result<TwoFactorEnrolment, AppError> {
    let uri = secret.otpauth_uri(username).ok_or(AppError::Internal)?;
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|err| {
        tracing::error!(%err, "drawing the enrolment QR code failed");
        AppError::Internal
    })?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in the page: without the XML declaration a standalone file starts with.
    let qr_svg = match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    };
    Ok(TwoFactorEnrolment {
        secret: secret.grouped(),
        uri,
        qr_svg,
    })
}

/// Drops an enrolment begun in this session and not confirmed (a new
/// sign-in starts from nothing).
pub async fn forget_enrolment(session: &Session) -> Result<(), AppError> {
    session
        .remove::<String>(PENDING_SECRET_KEY)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Begins an enrolment: a new secret, kept in the session until a code confirms it.
pub async fn start(
    db: &Db,
    permit: &Permit<ChangeOwnPassword>,
    session: &Session,
) -> Result<(), AppError> {
    let id = me(permit)?;
    if stored::is_enabled(db, id.as_str()).await? {
        return Err(AppError::Refused(Refusal::Duplicate));
    }
    new_pending_secret(session).await.map(|_| ())
}

/// Switches the second factor on once `code` is a current code of the secret
/// being enrolled; makes the recovery codes, which the page shows once.
pub async fn confirm(
    db: &Db,
    permit: &Permit<ChangeOwnPassword>,
    session: &Session,
    code: &str,
) -> Result<(), AppError> {
    enable_with_code(db, me(permit)?, session, code).await
}

/// The enrolment a sign-in asks for (the user's role requires a second
/// factor): the secret kept in the session, made on the first call.
pub async fn enrolment_at_sign_in(
    db: &Db,
    user: &UserId,
    session: &Session,
) -> Result<TwoFactorEnrolment, AppError> {
    let kept = pending_secret(session).await?;
    let secret = match kept {
        Some(secret) => secret,
        None => new_pending_secret(session).await?,
    };
    let username = users::session_user(db, user)
        .await?
        .map(|user| user.username)
        .ok_or(AppError::Unauthenticated)?;
    enrolment_view(&secret, &username)
}

/// Switches `id`'s second factor on with the secret being enrolled in this
/// session, once `code` is one of its current codes.
pub async fn enable_with_code(
    db: &Db,
    id: &UserId,
    session: &Session,
    code: &str,
) -> Result<(), AppError> {
    let secret = pending_secret(session)
        .await?
        .ok_or(AppError::field(Field::Code, Problem::Required))?;
    let CodeCheck::Accepted { step } = check_code(&secret, code, unix_seconds(), None) else {
        return Err(AppError::field(Field::Code, Problem::WrongCode));
    };
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut random = [0u8; RECOVERY_CODE_BYTES];
            OsRng.fill_bytes(&mut random);
            recovery_code(random)
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|code| code_hash(code)).collect();
    let mut tx = db::begin_write(db).await?;
    let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
    let enabled = stored::enable(
        &mut tx,
        id.as_str(),
        &secret.to_base32(),
        step,
        db::now_ms(),
        &hashes,
    )
    .await?;
    if !enabled {
        return Err(AppError::Refused(Refusal::Duplicate));
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(id.as_str()),
            action: "totp.enable",
            entity: "user",
            entity_id: id.as_str(),
            before: Some(serde_json::json!({ "two_factor": false })),
            after: Some(
                serde_json::json!({ "two_factor": true, "recovery_codes": RECOVERY_CODES }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %id, "second factor switched on");
    session
        .remove::<String>(PENDING_SECRET_KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(NEW_CODES_KEY, codes)
        .await
        .map_err(session_error)
}

/// Switches one's own second factor off; needs the password.
pub async fn disable(
    db: &Db,
    permit: &Permit<ChangeOwnPassword>,
    password: String,
) -> Result<(), AppError> {
    let id = me(permit)?;
    let hash = users::password_hash(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !verify_password(Some(hash), password).await? {
        return Err(AppError::field(
            Field::CurrentPassword,
            Problem::WrongPassword,
        ));
    }
    switch_off(db, id, Some(id), "totp.disable").await
}

/// An administrator switches a user's second factor off (a lost phone and
/// lost recovery codes); the user can sign in with the password and enrol again.
pub async fn reset(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    user: &UserId,
) -> Result<(), AppError> {
    switch_off(db, user, permit.actor(), "totp.reset").await
}

async fn switch_off(
    db: &Db,
    user: &UserId,
    actor: Option<&UserId>,
    action: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(db).await?;
    if !stored::disable(&mut tx, user.as_str()).await? {
        // Not on: nothing changes, nothing to record.
        return Ok(());
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: actor.map(UserId::as_str),
            action,
            entity: "user",
            entity_id: user.as_str(),
            before: Some(serde_json::json!({ "two_factor": true })),
            after: Some(serde_json::json!({ "two_factor": false })),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %user, action, "second factor switched off");
    Ok(())
}

/// Whether the user's second factor is on (a sign-in then needs its code).
pub async fn is_enabled(db: &Db, user: &UserId) -> Result<bool, AppError> {
    Ok(stored::is_enabled(db, user.as_str()).await?)
}

/// The second step of a sign-in: a current code of the user's app, not used
/// before, or one of their unused recovery codes (used up here, audited).
pub async fn check_sign_in_code(db: &Db, user: &UserId, typed: &str) -> Result<bool, AppError> {
    let Some(totp) = stored::get(db, user.as_str()).await? else {
        return Ok(false);
    };
    if looks_like_code(typed) {
        let Some(secret) = TotpSecret::parse(&totp.secret) else {
            tracing::error!(user = %user, "a stored second-factor secret does not read");
            return Err(AppError::Internal);
        };
        let last = u64::try_from(totp.last_step).ok();
        return match check_code(&secret, typed, unix_seconds(), last) {
            CodeCheck::Accepted { step } => {
                let step = i64::try_from(step).map_err(|_| AppError::Internal)?;
                let mut tx = db::begin_write(db).await?;
                // Of two requests with one code, only one moves the step on.
                let fresh = stored::use_step(&mut tx, user.as_str(), step).await?;
                tx.commit().await?;
                Ok(fresh)
            }
            CodeCheck::Replayed => {
                tracing::warn!(user = %user, "a second-factor code was used again");
                Ok(false)
            }
            CodeCheck::Wrong => Ok(false),
        };
    }
    let mut tx = db::begin_write(db).await?;
    let used =
        stored::use_recovery_code(&mut tx, user.as_str(), &code_hash(typed), db::now_ms()).await?;
    if !used {
        return Ok(false);
    }
    let left = stored::recovery_codes_left_in(&mut tx, user.as_str()).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.as_str()),
            action: "totp.recovery_code_used",
            entity: "user",
            entity_id: user.as_str(),
            before: None,
            after: Some(serde_json::json!({ "recovery_codes_left": left })),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %user, left, "signed in with a recovery code");
    Ok(true)
}
