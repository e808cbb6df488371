//! Passwords, sign-in with throttling, and the signed-in user of a request.

use argon2::password_hash::{
    self, rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::OnceLock;
use tower_sessions::Session;

use super::db::{self, Db};
use super::permit::{Permit, Right};
use super::session_store::{PENDING_SIGN_IN_KEY as PENDING_KEY, USER_ID_KEY};
use super::state::AppConfig;
use crate::domain::account::{LoginIdentifier, UserId};
use crate::domain::policy::can;
use crate::error::AppError;
use crate::model::SessionUser;

type PasswordJob = Box<dyn FnOnce() + Send>;

/// How many password checks may wait for a worker before the next is told to come back.
const PASSWORD_QUEUE: usize = 64;

/// Password hashing is deliberately costly: about 19 MiB of memory and tens of
/// milliseconds each. It runs on a few dedicated threads, one per core, so at
/// most that many hashes hold memory at once (each thread keeps and reuses its
/// own, see `argon2_into`), and
/// a burst of sign-ins waits in a short queue or is answered "busy" at once,
/// whoever sends it.
fn password_workers() -> &'static std::sync::mpsc::SyncSender<PasswordJob> {
    static WORKERS: OnceLock<std::sync::mpsc::SyncSender<PasswordJob>> = OnceLock::new();
    WORKERS.get_or_init(|| {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<PasswordJob>(PASSWORD_QUEUE);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        for n in 0..workers {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(%err, "cannot start a password worker");
            }
        }
        jobs
    })
}

/// Sign-ins between their first database step and their password check.
static SIGN_INS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A place among the sign-ins in progress, given up when dropped. Beyond what
/// the password queue can hold, a sign-in is answered "busy" before it costs
/// the database anything.
struct SignInSlot;

impl SignInSlot {
    fn take() -> Result<Self, AppError> {
        use std::sync::atomic::Ordering;
        if SIGN_INS.fetch_add(1, Ordering::SeqCst) >= PASSWORD_QUEUE {
            SIGN_INS.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!("too many sign-ins in progress; refused for now");
            return Err(AppError::Busy);
        }
        Ok(SignInSlot)
    }
}

impl Drop for SignInSlot {
    fn drop(&mut self) {
        SIGN_INS.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Whether a password job may wait for room in the queue: a signed-in
/// administrator or the command line waits; an anonymous sign-in does not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WhenBusy {
    Wait,
    Refuse,
}

/// Runs `work` on a password worker.
async fn on_password_worker<T: Send + 'static>(
    when_busy: WhenBusy,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: PasswordJob = Box::new(move || {
        let _ = done.send(work());
    });
    let workers = password_workers();
    match when_busy {
        WhenBusy::Refuse => workers.try_send(job).map_err(|err| match err {
            std::sync::mpsc::TrySendError::Full(_) => {
                tracing::warn!("password workers busy; sign-in refused for now");
                AppError::Busy
            }
            std::sync::mpsc::TrySendError::Disconnected(_) => AppError::Internal,
        })?,
        WhenBusy::Wait => tokio::task::spawn_blocking(move || workers.send(job))
            .await
            .map_err(|_| AppError::Internal)?
            .map_err(|_| AppError::Internal)?,
    }
    result.await.map_err(|_| AppError::Internal)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    on_password_worker(WhenBusy::Wait, move || new_hash(password.as_bytes()))
        .await?
        .map_err(|err| {
            tracing::error!(%err, "password hashing failed");
            AppError::Internal
        })
}

/// Whether `password` matches `hash` (`None`: no user, checked against a decoy
/// so that both cases cost the same). Refused as busy when the queue is full.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, AppError> {
    on_password_worker(WhenBusy::Refuse, move || {
        let stored: &str = match &hash {
            Some(hash) => hash,
            None => decoy_hash(),
        };
        matches(stored, password.as_bytes())
    })
    .await
}

/// A hash to verify against when the user is unknown, so both paths cost the same.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| new_hash(b"zi-tracker-decoy-password").unwrap_or_default())
}

thread_local! {
    /// This thread's Argon2 memory, kept from one hash to the next: a fresh
    /// 19 MiB for every check fragments the allocator's heap, and a process
    /// that had checked forty passwords held 400 MiB more.
    static ARGON2_MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into `out`, in this thread's kept memory.
fn argon2_into(
    argon2: &Argon2,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    ARGON2_MEMORY.with_borrow_mut(|blocks| {
        blocks.resize(argon2.params().block_count(), Block::new());
        argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
    })
}

/// A new salted hash of `password` in the PHC string format, with the default
/// parameters (Argon2id, 19 MiB, two passes).
fn new_hash(password: &[u8]) -> password_hash::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let hash = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(argon2_into(&argon2, password, salt_bytes, out)?)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    }
    .to_string())
}

/// Whether `password` hashes to the PHC string `stored`, under its own
/// parameters; the comparison takes the same time wherever they differ.
fn matches(stored: &str, password: &[u8]) -> bool {
    let recomputed = || -> password_hash::Result<bool> {
        let stored = PasswordHash::new(stored)?;
        let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
            return Ok(false);
        };
        let version = stored
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let argon2 = Argon2::new(
            Algorithm::try_from(stored.algorithm)?,
            version,
            Params::try_from(&stored)?,
        );
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let hash = Output::init_with(expected.len(), |out| {
            Ok(argon2_into(&argon2, password, salt_bytes, out)?)
        })?;
        Ok(hash == expected)
    };
    recomputed().unwrap_or(false)
}

/// What sign-in failures are counted under, each with its own limit: one
/// account from one address (someone guessing), one account from anywhere (a
/// spread-out attack; higher, so nobody locks an account cheaply), and one
/// address across accounts (spraying; higher, so one office behind NAT is
/// not locked out by a few typos).
struct ThrottleKeys {
    pair: String,
    account: String,
    address: Option<String>,
}

impl ThrottleKeys {
    fn of(identifier: &LoginIdentifier, client: Option<&str>) -> Self {
        let account = identifier.as_str();
        Self {
            pair: format!("pair:{account}|{}", client.unwrap_or("-")),
            account: format!("account:{account}"),
            address: client.map(|client| format!("address:{client}")),
        }
    }

    fn limits(&self, config: &AppConfig) -> Vec<(&str, u32)> {
        let throttle = &config.login_throttle;
        let mut limits = vec![
            (self.pair.as_str(), throttle.per_account_and_address),
            (self.account.as_str(), throttle.per_account),
        ];
        if let Some(address) = &self.address {
            limits.push((address.as_str(), throttle.per_address));
        }
        limits
    }
}

/// Where a sign-in stands after a correct password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the session holds the user.
    Done(UserId),
    /// The account has a second factor: the session holds only a pending
    /// sign-in, which grants nothing until [`second_step`] takes its code.
    CodeNeeded,
    /// The account's role requires a second factor it does not have yet: as
    /// `CodeNeeded`, and the code step enrols the app first.
    EnrolmentNeeded,
}

/// How the code step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondStep {
    SignedIn,
    /// Signed in after switching the second factor on: the recovery codes wait
    /// on the account page.
    Enrolled,
}

/// A sign-in whose password was right and whose code is still to come. It
/// lives in the session under its own key, never the user's id, so every
/// check of the signed-in user (`current_user`) sees an anonymous visitor.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct PendingSignIn {
    user: String,
    /// What was typed at the password step, for the same throttling keys.
    identifier: String,
    since_ms: i64,
    /// The code step enrols an app first (the role requires a second factor).
    #[serde(default)]
    enrol: bool,
}

/// How long the code step waits for its code.
const PENDING_MS: i64 = 5 * 60 * 1000;

/// Counts one attempt against the throttling limits (before any check), or
/// refuses it with 429 when a limit is reached.
async fn reserve_attempt(
    db: &Db,
    config: &AppConfig,
    keys: &ThrottleKeys,
) -> Result<String, AppError> {
    let now = db::now_ms();
    let window = config.login_throttle.window;
    let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
    db::login_failures::reserve(db, &keys.limits(config), now, now - window_ms)
        .await?
        .ok_or(AppError::TooManyAttempts {
            retry_after_minutes: u32::try_from(window.as_secs() / 60).unwrap_or(15),
        })
}

/// Checks the credentials and, on success, starts a fresh session for the
/// user, or, when the account has a second factor, a pending sign-in that
/// waits for its code.
pub async fn sign_in(
    db: &Db,
    config: &AppConfig,
    session: &Session,
    client: Option<&str>,
    identifier: &str,
    password: String,
) -> Result<SignIn, AppError> {
    let _slot = SignInSlot::take()?;
    let identifier = LoginIdentifier::parse(identifier);
    let keys = ThrottleKeys::of(&identifier, client);
    let attempt = reserve_attempt(db, config, &keys).await?;
    let credentials = db::users::find_credentials(db, &identifier).await?;
    let (hash, user) = match credentials {
        Some(c) => (Some(c.password_hash), Some((c.id, c.active))),
        None => (None, None),
    };
    let password_ok = match verify_password(hash, password).await {
        Ok(matches) => matches,
        Err(err) => {
            // Never checked (the workers were busy): not a failure of the caller's.
            db::login_failures::forget_attempt(db, &attempt, &[]).await?;
            return Err(err);
        }
    };
    match user {
        Some((id, true)) if password_ok => {
            let step = begin_session(db, config, session, &id, &identifier).await?;
            // A pending code step is not a success yet: the earlier failures
            // stay counted until the code is right, so retyping the password
            // does not buy fresh guesses at the code.
            let cleared: &[&str] = match step {
                SignIn::Done(_) => &[&keys.pair, &keys.account],
                SignIn::CodeNeeded | SignIn::EnrolmentNeeded => &[],
            };
            db::login_failures::forget_attempt(db, &attempt, cleared).await?;
            Ok(step)
        }
        _ => {
            tracing::info!(identifier = identifier.as_str(), "sign-in refused");
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Starts the session of a user whose identity was just proven (a right
/// password, or the identity provider's word): a new session id, nothing
/// left of an earlier half-done sign-in, and the user, or, when the account
/// has a second factor or its role requires one, a pending sign-in that
/// waits for the code. `identifier` is what the code step's throttling counts under.
pub async fn begin_session(
    db: &Db,
    config: &AppConfig,
    session: &Session,
    id: &UserId,
    identifier: &LoginIdentifier,
) -> Result<SignIn, AppError> {
    session.cycle_id().await.map_err(session_error)?;
    // Whatever an earlier sign-in in this browser left half done goes.
    session
        .remove::<PendingSignIn>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    super::totp::forget_enrolment(session).await?;
    let has_code = super::totp::is_enabled(db, id).await?;
    let enrol = !has_code && must_enrol(db, config, id).await?;
    if has_code || enrol {
        session
            .remove::<String>(USER_ID_KEY)
            .await
            .map_err(session_error)?;
        let pending = PendingSignIn {
            user: id.as_str().to_owned(),
            identifier: identifier.as_str().to_owned(),
            since_ms: db::now_ms(),
            enrol,
        };
        session
            .insert(PENDING_KEY, pending)
            .await
            .map_err(session_error)?;
        tracing::info!(user = %id, enrol, "identity accepted; waiting for the second factor");
        return Ok(if enrol {
            SignIn::EnrolmentNeeded
        } else {
            SignIn::CodeNeeded
        });
    }
    session
        .insert(USER_ID_KEY, id.as_str())
        .await
        .map_err(session_error)?;
    tracing::info!(user = %id, "signed in");
    Ok(SignIn::Done(id.clone()))
}

/// Whether the user holds a role that `ZI_REQUIRE_TOTP_FOR` names.
async fn must_enrol(db: &Db, config: &AppConfig, id: &UserId) -> Result<bool, AppError> {
    if config.require_totp_for.is_empty() {
        return Ok(false);
    }
    let user = db::users::session_user(db, id).await?;
    Ok(user.is_some_and(|user| {
        crate::domain::totp::required_for(&user.actor, &config.require_totp_for)
    }))
}

/// For the code step's page: the app to enrol when this pending sign-in must
/// enrol one first; `None` otherwise (no pending sign-in, or one with a code).
pub async fn pending_enrolment(
    db: &Db,
    session: &Session,
) -> Result<Option<crate::model::TwoFactorEnrolment>, AppError> {
    match pending(session).await? {
        Some(pending) if pending.enrol => {
            let user = UserId::new(pending.user);
            Ok(Some(
                super::totp::enrolment_at_sign_in(db, &user, session).await?,
            ))
        }
        _ => Ok(None),
    }
}

async fn pending(session: &Session) -> Result<Option<PendingSignIn>, AppError> {
    let pending = session
        .get::<PendingSignIn>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    match pending {
        Some(pending) if db::now_ms() - pending.since_ms <= PENDING_MS => Ok(Some(pending)),
        Some(_) => {
            session
                .remove::<PendingSignIn>(PENDING_KEY)
                .await
                .map_err(session_error)?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// The second step of a sign-in: the code from the authenticator app or a
/// recovery code, counted by the same throttling as passwords. On success
/// the session (under a new id) holds the user; before it, nothing.
pub async fn second_step(
    db: &Db,
    config: &AppConfig,
    session: &Session,
    client: Option<&str>,
    code: &str,
) -> Result<SecondStep, AppError> {
    let Some(pending) = pending(session).await? else {
        return Err(AppError::Unauthenticated);
    };
    let identifier = LoginIdentifier::parse(&pending.identifier);
    let keys = ThrottleKeys::of(&identifier, client);
    let attempt = reserve_attempt(db, config, &keys).await?;
    let id = UserId::new(pending.user);
    let outcome = if pending.enrol {
        match super::totp::enable_with_code(db, &id, session, code).await {
            Ok(()) => SecondStep::Enrolled,
            Err(AppError::Invalid { .. }) => {
                tracing::info!(user = %id, "enrolment code refused at sign-in");
                return Err(AppError::InvalidCode);
            }
            Err(err) => return Err(err),
        }
    } else if super::totp::check_sign_in_code(db, &id, code).await? {
        SecondStep::SignedIn
    } else {
        tracing::info!(user = %id, "sign-in code refused");
        return Err(AppError::InvalidCode);
    };
    db::login_failures::forget_attempt(db, &attempt, &[&keys.pair, &keys.account]).await?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .remove::<PendingSignIn>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    session
        .insert(USER_ID_KEY, id.as_str())
        .await
        .map_err(session_error)?;
    tracing::info!(user = %id, "signed in with a second factor");
    Ok(outcome)
}

/// Gives the current session a new id and stores it again (after its rows were deleted).
pub async fn renew_session(session: &Session) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(%err, "session store failed");
    AppError::Internal
}

/// The signed-in user as one request found them: a page asks through
/// several server functions, and the user is looked up once for all of them.
/// The server puts a fresh one in every request's extensions
/// ([`RequestUser::layer`]); the server functions find it there.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::Mutex<Option<(String, SessionUser)>>>);

impl RequestUser {
    pub async fn layer(
        mut request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        request.extensions_mut().insert(RequestUser::default());
        next.run(request).await
    }

    fn of_this_request() -> Option<RequestUser> {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestUser>().cloned())
    }
}

/// The signed-in user of this request, if any. A session whose user was
/// deactivated or deleted is ended on the spot.
pub async fn current_user(db: &Db, session: &Session) -> Result<Option<SessionUser>, AppError> {
    let Some(id) = session
        .get::<String>(USER_ID_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let Some(memo) = RequestUser::of_this_request() else {
        return look_up(db, session, id).await;
    };
    let mut found = memo.0.lock().await;
    if let Some((known, user)) = found.as_ref() {
        if *known == id {
            return Ok(Some(user.clone()));
        }
    }
    let user = look_up(db, session, id.clone()).await?;
    *found = user.clone().map(|user| (id, user));
    Ok(user)
}

async fn look_up(db: &Db, session: &Session, id: String) -> Result<Option<SessionUser>, AppError> {
    let user = db::users::session_user(db, &UserId::new(id)).await?;
    if user.is_none() {
        sign_out(session).await?;
    }
    Ok(user)
}

/// The signed-in user, or `Unauthenticated`.
pub async fn require_user(db: &Db, session: &Session) -> Result<SessionUser, AppError> {
    current_user(db, session)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Checks the signed-in user against the policy for a role-wide right; the
/// permit is what the backend functions behind that right ask for.
pub async fn authorize<R: Right>(db: &Db, session: &Session) -> Result<Permit<R>, AppError> {
    let user = require_user(db, session).await?;
    can(Some(&user.actor), R::ACTION)?;
    Ok(Permit::granted(user.actor.user_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn a_hash_made_here_is_a_standard_argon2id_phc_string() {
        let hash = new_hash("rahasia-sekali-2026".as_bytes()).expect("a hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        let parsed = PasswordHash::new(&hash).expect("parses");
        assert!(Argon2::default()
            .verify_password(b"rahasia-sekali-2026", &parsed)
            .is_ok());
        assert!(matches(&hash, b"rahasia-sekali-2026"));
        assert!(!matches(&hash, b"rahasia-sekali-2027"));
    }

    #[test]
    fn a_hash_made_elsewhere_is_checked_under_its_own_parameters() {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::new(8 * 1024, 3, 1, None).expect("params");
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"kata sandi lama", &salt)
            .expect("a hash")
            .to_string();
        assert!(matches(&other, b"kata sandi lama"));
        assert!(!matches(&other, b"kata sandi baru"));
        // …and the kept memory, now smaller, still serves the default.
        let default = new_hash(b"kata sandi lama").expect("a hash");
        assert!(matches(&default, b"kata sandi lama"));
    }

    #[test]
    fn what_is_not_a_hash_never_matches() {
        for stored in [
            "",
            "$argon2id$",
            "plain",
            "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$",
        ] {
            assert!(!matches(stored, b""), "{stored}");
        }
    }
}
