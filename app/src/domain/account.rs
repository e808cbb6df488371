use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    pub fn new(id: impl Into<String>) -> Self {
        UserId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountFieldError {
    #[error("a username is 3 to 40 lower-case letters, digits, dots, dashes or underscores")]
    BadUsername,
    #[error("not an e-mail address")]
    BadEmail,
    #[error("the full name must be 2 to 120 characters")]
    BadFullName,
    #[error("a password needs 10 to 128 characters, not only spaces or one repeated character")]
    WeakPassword,
    #[error("the two passwords differ")]
    PasswordMismatch,
}

macro_rules! text_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = AccountFieldError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, AccountFieldError> {
        let name = raw.trim().to_lowercase();
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
        if (3..=40).contains(&name.len()) && name.chars().all(allowed) {
            Ok(Username(name))
        } else {
            Err(AccountFieldError::BadUsername)
        }
    }
}
text_newtype!(Username);

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, AccountFieldError> {
        let email = raw.trim().to_lowercase();
        let well_formed = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if well_formed {
            Ok(Email(email))
        } else {
            Err(AccountFieldError::BadEmail)
        }
    }
}
text_newtype!(Email);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, AccountFieldError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if (2..=120).contains(&name.chars().count()) {
            Ok(FullName(name))
        } else {
            Err(AccountFieldError::BadFullName)
        }
    }
}
text_newtype!(FullName);

/// A new password that meets the policy; never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, confirmation: &str) -> Result<Self, AccountFieldError> {
        let mut distinct: Vec<char> = raw.chars().filter(|c| !c.is_whitespace()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        // Ten spaces, or one key held down, is no secret.
        if !(10..=128).contains(&raw.chars().count()) || distinct.len() < 2 {
            return Err(AccountFieldError::WeakPassword);
        }
        if raw != confirmation {
            return Err(AccountFieldError::PasswordMismatch);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// What a person types in the login box: a username or an e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginIdentifier {
    Username(String),
    Email(String),
}

impl LoginIdentifier {
    pub fn parse(raw: &str) -> Self {
        let text = raw.trim().to_lowercase();
        if text.contains('@') {
            LoginIdentifier::Email(text)
        } else {
            LoginIdentifier::Username(text)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            LoginIdentifier::Username(s) | LoginIdentifier::Email(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_restricted() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        for bad in ["ab", "with space", "a@b", &"x".repeat(41), "nama/unit"] {
            assert_eq!(Username::parse(bad), Err(AccountFieldError::BadUsername));
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(
            Email::parse("Ani@Kemen.go.id").unwrap().as_str(),
            "ani@kemen.go.id"
        );
        for bad in [
            "ani",
            "@kemen.go.id",
            "ani@localhost",
            "a@b@c.id",
            "a b@c.id",
            "a@.id",
        ] {
            assert_eq!(Email::parse(bad), Err(AccountFieldError::BadEmail), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_and_a_matching_confirmation() {
        for weak in ["short", "          ", "aaaaaaaaaaaa", " a a a a a a "] {
            assert_eq!(
                NewPassword::parse(weak, weak),
                Err(AccountFieldError::WeakPassword),
                "{weak:?}"
            );
        }
        assert!(NewPassword::parse("ab        ", "ab        ").is_ok());
        assert_eq!(
            NewPassword::parse("long enough pass", "long enough pasS"),
            Err(AccountFieldError::PasswordMismatch)
        );
        assert!(NewPassword::parse("long enough pass", "long enough pass").is_ok());
        assert_eq!(
            format!(
                "{:?}",
                NewPassword::parse("long enough pass", "long enough pass")
            ),
            "Ok(NewPassword(…))"
        );
    }

    #[test]
    fn a_login_identifier_with_an_at_sign_is_an_email() {
        assert_eq!(
            LoginIdentifier::parse(" Ani@Kemen.go.id"),
            LoginIdentifier::Email("ani@kemen.go.id".into())
        );
        assert_eq!(
            LoginIdentifier::parse("Admin"),
            LoginIdentifier::Username("admin".into())
        );
    }
}
