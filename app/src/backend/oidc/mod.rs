//! Single sign-on with an OpenID Connect provider (`ZI_OIDC_*`): the
//! authorization code flow with PKCE, a nonce and a state, kept in the
//! visitor's session until the provider sends them back; the ID token
//! verified (issuer, audience, signature, expiry, nonce) by `openidconnect`;
//! its verified e-mail address mapped to an existing active account. No
//! account is ever created here. A mapped user's session starts exactly as
//! after a right password (`auth::begin_session`), the code step included.
//!
//! The provider's metadata and keys are fetched on first use, not at startup
//! (a provider that is down must not keep password sign-in from starting),
//! and kept for [`METADATA_TTL`]; while it cannot be reached the SSO routes
//! answer 503 and password sign-in works as ever.

pub mod routes;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    reqwest, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, TokenResponse as _,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::{Duration, Instant};
use tower_sessions::Session;

use super::auth::{begin_session, SignIn};
use super::db::{self, audit, Db};
use super::state::AppConfig;
use crate::domain::account::{LoginIdentifier, UserId};
use crate::domain::sso::{verified_email, SsoRefusal};
use crate::error::AppError;
use crate::model::SsoOffer;

/// How long fetched provider metadata (endpoints and signing keys) is used
/// before it is fetched again, so a provider's new keys are picked up.
const METADATA_TTL: Duration = Duration::from_secs(15 * 60);
/// How long one request to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a sign-in may stay at the provider before its state expires.
const PENDING_MS: i64 = 10 * 60 * 1000;
/// The session key of a sign-in sent to the provider and not back yet.
const PENDING_KEY: &str = "oidc.pending";

/// The provider as `ZI_OIDC_*` configure it, parsed once at startup.
#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: IssuerUrl,
    pub client_id: ClientId,
    pub client_secret: ClientSecret,
    /// `{ZI_PUBLIC_URL}/login/oidc/callback`, as registered at the provider.
    pub redirect: RedirectUrl,
    /// The login page's button text (`ZI_OIDC_LABEL`).
    pub label: Option<String>,
}

/// Why the `ZI_OIDC_*` settings cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcSettingsError {
    #[error("ZI_OIDC_ISSUER is set, but {0} is not: single sign-on needs it")]
    Missing(&'static str),
    #[error("{0} is not a URL")]
    NotAUrl(&'static str),
}

impl OidcSettings {
    /// The settings of a provider: the issuer, the client's id and secret as
    /// registered there, and the public URL the callback lives under.
    pub fn parse(
        issuer: &str,
        client_id: Option<&str>,
        client_secret: Option<&str>,
        public_url: Option<&str>,
        label: Option<&str>,
    ) -> Result<Self, OidcSettingsError> {
        let set = |value: Option<&str>, name| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .ok_or(OidcSettingsError::Missing(name))
        };
        let client_id = set(client_id, "ZI_OIDC_CLIENT_ID")?;
        let client_secret = set(client_secret, "ZI_OIDC_CLIENT_SECRET")?;
        let public_url = set(public_url, "ZI_PUBLIC_URL")?;
        let issuer = IssuerUrl::new(issuer.trim().to_owned())
            .map_err(|_| OidcSettingsError::NotAUrl("ZI_OIDC_ISSUER"))?;
        let redirect = RedirectUrl::new(format!(
            "{}/login/oidc/callback",
            public_url.trim_end_matches('/')
        ))
        .map_err(|_| OidcSettingsError::NotAUrl("ZI_PUBLIC_URL"))?;
        Ok(OidcSettings {
            issuer,
            client_id: ClientId::new(client_id),
            client_secret: ClientSecret::new(client_secret),
            redirect,
            label: label
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        })
    }
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .field("client_secret", &"***")
            .field("redirect", &self.redirect.as_str())
            .field("label", &self.label)
            .finish()
    }
}

/// The configured provider at run time: its settings, the HTTP client that
/// talks to it, and its metadata once fetched.
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// A client of the provider built from its metadata (token endpoint and
/// user info endpoint as the metadata has them).
type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A sign-in sent to the provider: what must come back with it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PendingOidc {
    state: String,
    nonce: String,
    verifier: String,
    since_ms: i64,
}

/// What the provider sent back to the callback.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    /// The provider that answers (RFC 9207), when it says.
    pub iss: Option<String>,
}

/// How a sign-in through the provider ended, when the flow itself held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    SignedIn(SignIn),
    Refused(SsoRefusal),
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(%err, "session store failed");
    AppError::Internal
}

/// The login page's SSO button, when a provider is configured.
pub fn offer(config: &AppConfig) -> Option<SsoOffer> {
    config.oidc.as_ref().map(|oidc| SsoOffer {
        label: oidc.settings.label.clone(),
    })
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> Result<Self, AppError> {
        let http = reqwest::Client::builder()
            // Following redirects would let the provider's answers point us anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|err| {
                tracing::error!(%err, "cannot build the HTTP client of the identity provider");
                AppError::Internal
            })?;
        Ok(Oidc {
            settings,
            http,
            metadata: tokio::sync::Mutex::new(None),
        })
    }

    /// The provider's metadata and keys: fetched on first use and again
    /// after [`METADATA_TTL`]; `Network` (503) while it cannot be reached.
    async fn metadata(&self) -> Result<CoreProviderMetadata, AppError> {
        let mut cached = self.metadata.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if at.elapsed() < METADATA_TTL {
                return Ok(metadata.clone());
            }
        }
        let discovered =
            CoreProviderMetadata::discover_async(self.settings.issuer.clone(), &self.http).await;
        match discovered {
            Ok(metadata) => {
                *cached = Some((Instant::now(), metadata.clone()));
                Ok(metadata)
            }
            Err(err) => {
                tracing::warn!(issuer = self.settings.issuer.as_str(), err = %error_chain(&err),
                    "the identity provider cannot be reached");
                Err(AppError::Network)
            }
        }
    }

    async fn client(&self) -> Result<ProviderClient, AppError> {
        let metadata = self.metadata().await?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.settings.client_id.clone(),
            Some(self.settings.client_secret.clone()),
        )
        .set_redirect_uri(self.settings.redirect.clone()))
    }

    /// Sends the visitor to the provider: a new state, nonce and PKCE
    /// verifier kept in the session, and the provider's URL that carries them.
    pub async fn begin(&self, session: &Session) -> Result<String, AppError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = PendingOidc {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            since_ms: db::now_ms(),
        };
        session
            .insert(PENDING_KEY, pending)
            .await
            .map_err(session_error)?;
        Ok(url.to_string())
    }

    /// The provider's answer: the state must be this session's (once), the
    /// code is exchanged with the PKCE verifier, and the ID token verified
    /// against the nonce. Anything forged or replayed is `BadRequest`.
    pub async fn finish(
        &self,
        db: &Db,
        config: &AppConfig,
        session: &Session,
        callback: Callback,
    ) -> Result<Outcome, AppError> {
        let pending = take_pending(session).await?;
        if !same_secret(callback.state.as_deref().unwrap_or(""), &pending.state) {
            tracing::warn!("single sign-on callback with a state this session did not send");
            return Err(AppError::BadRequest);
        }
        if callback
            .iss
            .as_deref()
            .is_some_and(|iss| iss != self.settings.issuer.as_str())
        {
            tracing::warn!("single sign-on callback from another issuer");
            return Err(AppError::BadRequest);
        }
        if let Some(error) = callback.error {
            tracing::info!(
                error = error.as_str(),
                "the identity provider ended the sign-in"
            );
            return Ok(Outcome::Refused(SsoRefusal::ProviderRefused));
        }
        let code = callback.code.ok_or(AppError::BadRequest)?;
        let identity = self.identity(code, &pending).await?;
        sign_in(db, config, session, &self.settings.issuer, identity).await
    }

    /// Exchanges the code and verifies the ID token it brings.
    async fn identity(&self, code: String, pending: &PendingOidc) -> Result<Identity, AppError> {
        let client = self.client().await?;
        let request = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|err| {
                tracing::error!(%err, "the identity provider names no token endpoint");
                AppError::Network
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()));
        let tokens = request
            .request_async(&self.http)
            .await
            .map_err(|err| match err {
                RequestTokenError::ServerResponse(refused) => {
                    tracing::warn!(error = %refused, "the identity provider refused the code");
                    AppError::BadRequest
                }
                other => {
                    tracing::warn!(err = %error_chain(&other), "the code could not be exchanged");
                    AppError::Network
                }
            })?;
        let id_token = tokens.id_token().ok_or_else(|| {
            tracing::warn!("the identity provider sent no ID token");
            AppError::BadRequest
        })?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|err| {
                tracing::warn!(err = %error_chain(&err), "ID token refused");
                AppError::BadRequest
            })?;
        Ok(Identity {
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified(),
        })
    }
}

/// What a verified ID token says about its user.
struct Identity {
    subject: String,
    email: Option<String>,
    email_verified: Option<bool>,
}

/// The pending sign-in of this session, taken out of it (a state is good
/// once); none, or one older than [`PENDING_MS`], is a `BadRequest`.
async fn take_pending(session: &Session) -> Result<PendingOidc, AppError> {
    let pending = session
        .remove::<PendingOidc>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    match pending {
        Some(pending) if db::now_ms() - pending.since_ms <= PENDING_MS => Ok(pending),
        Some(_) => {
            tracing::info!("single sign-on callback after its state expired");
            Err(AppError::BadRequest)
        }
        None => {
            tracing::info!("single sign-on callback without a sign-in begun in this session");
            Err(AppError::BadRequest)
        }
    }
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(given: &str, kept: &str) -> bool {
    given.len() == kept.len()
        && given
            .bytes()
            .zip(kept.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// Maps the verified identity to an active account and starts its session
/// (or its code step), with the audit line of the sign-in.
async fn sign_in(
    db: &Db,
    config: &AppConfig,
    session: &Session,
    issuer: &IssuerUrl,
    identity: Identity,
) -> Result<Outcome, AppError> {
    let email = match verified_email(identity.email.as_deref(), identity.email_verified) {
        Ok(email) => email,
        Err(refusal) => {
            tracing::info!(
                subject = identity.subject.as_str(),
                refusal = refusal.as_str(),
                "single sign-on refused"
            );
            return Ok(Outcome::Refused(refusal));
        }
    };
    let identifier = LoginIdentifier::parse(email.as_str());
    let account = db::users::find_credentials(db, &identifier).await?;
    let id = match account {
        Some(account) if account.active => account.id,
        found => {
            let refusal = if found.is_some() {
                SsoRefusal::Inactive
            } else {
                SsoRefusal::NoAccount
            };
            tracing::info!(
                email = email.as_str(),
                refusal = refusal.as_str(),
                "single sign-on refused"
            );
            return Ok(Outcome::Refused(refusal));
        }
    };
    let step = begin_session(db, config, session, &id, &identifier).await?;
    if let Err(err) = record_sign_in(db, &id, issuer, &identity.subject, &step).await {
        // No sign-in without its audit line.
        let _ = session.flush().await;
        return Err(err);
    }
    tracing::info!(user = %id, "signed in via OIDC");
    Ok(Outcome::SignedIn(step))
}

async fn record_sign_in(
    db: &Db,
    id: &UserId,
    issuer: &IssuerUrl,
    subject: &str,
    step: &SignIn,
) -> Result<(), AppError> {
    let code_step = !matches!(step, SignIn::Done(_));
    let mut tx = db::begin_write(db).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(id.as_str()),
            action: "user.sign_in_oidc",
            entity: "user",
            entity_id: id.as_str(),
            before: None,
            after: Some(json!({
                "issuer": issuer.as_str(),
                "subject": subject,
                "code_step": code_step,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An error and its causes, for the log.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_need_the_client_and_the_public_url_and_hide_the_secret() {
        let settings = OidcSettings::parse(
            "https://sso.example.go.id/realms/kementerian",
            Some("zi-tracker"),
            Some("rahasia-klien"),
            Some("https://zi.example.go.id/"),
            Some("  Masuk dengan SSO Kementerian "),
        )
        .expect("complete settings");
        assert_eq!(
            settings.redirect.as_str(),
            "https://zi.example.go.id/login/oidc/callback"
        );
        assert_eq!(
            settings.label.as_deref(),
            Some("Masuk dengan SSO Kementerian")
        );
        assert!(!format!("{settings:?}").contains("rahasia-klien"));

        let parse = |id, secret, public| {
            OidcSettings::parse("https://sso.example.go.id", id, secret, public, None).err()
        };
        assert_eq!(
            parse(None, Some("s"), Some("https://zi.example.go.id")),
            Some(OidcSettingsError::Missing("ZI_OIDC_CLIENT_ID"))
        );
        assert_eq!(
            parse(Some("zi"), Some(" "), Some("https://zi.example.go.id")),
            Some(OidcSettingsError::Missing("ZI_OIDC_CLIENT_SECRET"))
        );
        assert_eq!(
            parse(Some("zi"), Some("s"), None),
            Some(OidcSettingsError::Missing("ZI_PUBLIC_URL"))
        );
        assert_eq!(
            OidcSettings::parse(
                "bukan url",
                Some("zi"),
                Some("s"),
                Some("https://zi.id"),
                None
            )
            .err(),
            Some(OidcSettingsError::NotAUrl("ZI_OIDC_ISSUER"))
        );
    }

    #[test]
    fn secrets_match_only_in_full() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc124", "abc123"));
        assert!(!same_secret("abc12", "abc123"));
        assert!(!same_secret("", "abc123"));
    }
}
