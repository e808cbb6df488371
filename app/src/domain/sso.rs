//! Single sign-on (OpenID Connect): which account a verified ID token names,
//! and why a sign-in through the provider was turned away. The provider's
//! token is checked elsewhere; here only its claims are read.

use crate::domain::account::Email;

/// Why a sign-in through the identity provider did not sign anyone in. Each
/// travels to the login page as a fixed word (`/login?sso=no_account`), so the
/// page says why without echoing anything the provider sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoRefusal {
    /// The ID token carries no usable e-mail address.
    NoEmail,
    /// The provider says the address is not verified.
    Unverified,
    /// No account has this e-mail address (none is created).
    NoAccount,
    /// The account with this address was deactivated.
    Inactive,
    /// The provider ended the sign-in itself (the user cancelled, or it refused).
    ProviderRefused,
}

impl SsoRefusal {
    pub const ALL: [SsoRefusal; 5] = [
        SsoRefusal::NoEmail,
        SsoRefusal::Unverified,
        SsoRefusal::NoAccount,
        SsoRefusal::Inactive,
        SsoRefusal::ProviderRefused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SsoRefusal::NoEmail => "no_email",
            SsoRefusal::Unverified => "unverified",
            SsoRefusal::NoAccount => "no_account",
            SsoRefusal::Inactive => "inactive",
            SsoRefusal::ProviderRefused => "provider_refused",
        }
    }

    /// The refusal a login page's `sso` parameter names; anything else is none.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// The e-mail address an ID token vouches for: present, well formed, and not
/// marked unverified (`email_verified: false`). A provider that sends no
/// `email_verified` claim at all vouches for its addresses by sending them.
pub fn verified_email(
    email: Option<&str>,
    email_verified: Option<bool>,
) -> Result<Email, SsoRefusal> {
    let email = email.ok_or(SsoRefusal::NoEmail)?;
    if email_verified == Some(false) {
        return Err(SsoRefusal::Unverified);
    }
    Email::parse(email).map_err(|_| SsoRefusal::NoEmail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verified_address_names_its_account_in_lower_case() {
        let email = verified_email(Some(" Ani@Kemen.GO.id "), Some(true)).expect("verified");
        assert_eq!(email.as_str(), "ani@kemen.go.id");
        assert!(verified_email(Some("ani@kemen.go.id"), None).is_ok());
    }

    #[test]
    fn an_unverified_missing_or_malformed_address_names_nobody() {
        assert_eq!(
            verified_email(Some("ani@kemen.go.id"), Some(false)),
            Err(SsoRefusal::Unverified)
        );
        assert_eq!(verified_email(None, Some(true)), Err(SsoRefusal::NoEmail));
        for bad in ["", "ani", "ani@localhost", "a b@kemen.go.id"] {
            assert_eq!(
                verified_email(Some(bad), Some(true)),
                Err(SsoRefusal::NoEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_refusal_survives_the_trip_through_the_login_url() {
        for refusal in SsoRefusal::ALL {
            assert_eq!(SsoRefusal::parse(refusal.as_str()), Some(refusal));
        }
        assert_eq!(SsoRefusal::parse("<script>"), None);
        assert_eq!(SsoRefusal::parse(""), None);
    }
}
