//! The second factor: time-based one-time codes (RFC 6238, as authenticator
//! apps make them: SHA-1, six digits, 30-second steps) and single-use
//! recovery codes. Pure: the caller supplies the time, the randomness and the
//! last step already accepted.

use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::policy::Actor;
use super::role::Role;

/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits of a code.
pub const DIGITS: u8 = 6;
/// Bytes of a new shared secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes behind one recovery code (10 base32 characters, 50 bits used).
pub const RECOVERY_CODE_BYTES: usize = 7;
/// The name authenticator apps show above the account.
pub const ISSUER: &str = "ZI Tracker";

/// A shared secret between the server and the user's authenticator app.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    pub fn from_bytes(bytes: [u8; SECRET_BYTES]) -> Self {
        TotpSecret(bytes.to_vec())
    }

    /// From its base32 text (as stored, or as typed: spaces and case ignored).
    pub fn parse(text: &str) -> Option<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = Secret::try_from_base32(compact).ok()?.as_bytes().to_vec();
        (bytes.len() >= 16).then_some(TotpSecret(bytes))
    }

    /// Base32 without padding, as stored and as apps take it.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0.clone()).to_base32()
    }

    /// Base32 in groups of four, for reading and typing by hand.
    pub fn grouped(&self) -> String {
        let text = self.to_base32();
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn totp(&self, account: Option<&str>) -> Option<Totp> {
        let builder = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_skew(1)
            .with_step_duration(STEP_SECONDS)
            .with_secret(self.0.clone());
        let builder = match account {
            Some(account) => builder.with_account_name(account).with_issuer(Some(ISSUER)),
            None => builder,
        };
        builder.build().ok()
    }

    /// The `otpauth://totp/…` URI the QR code carries.
    pub fn otpauth_uri(&self, account: &str) -> Option<String> {
        self.totp(Some(account))?.to_url().ok()
    }

    /// The code for `unix_seconds` (what the app shows then).
    pub fn code_at(&self, unix_seconds: u64) -> Option<String> {
        Some(self.totp(None)?.generate(unix_seconds).to_string())
    }
}

/// What a typed code turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// Valid for this time step (now, or one step before or after), which was
    /// not used before: the caller records it as the last accepted step.
    Accepted {
        step: u64,
    },
    /// Valid, but its step (or a later one) was already accepted: a replay.
    Replayed,
    Wrong,
}

/// Whether `typed` (spaces ignored) is the code of `secret` at `unix_seconds`
/// ± one step, and not of a step at or before `last_step`.
pub fn check_code(
    secret: &TotpSecret,
    typed: &str,
    unix_seconds: u64,
    last_step: Option<u64>,
) -> CodeCheck {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if !looks_like_code(&typed) {
        return CodeCheck::Wrong;
    }
    let Some(totp) = secret.totp(None) else {
        return CodeCheck::Wrong;
    };
    match totp.check(&typed, unix_seconds) {
        None => CodeCheck::Wrong,
        Some(step) if last_step.is_some_and(|last| step <= last) => CodeCheck::Replayed,
        Some(step) => CodeCheck::Accepted { step },
    }
}

/// Six digits (spaces ignored): a code from the app; anything else typed at
/// the code step is taken for a recovery code.
pub fn looks_like_code(typed: &str) -> bool {
    let digits: Vec<char> = typed.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == usize::from(DIGITS) && digits.iter().all(char::is_ascii_digit)
}

/// Whether `actor` must sign in with a second factor: they hold one of the
/// roles the instance requires it for (`ZI_REQUIRE_TOTP_FOR`).
pub fn required_for(actor: &Actor, roles: &[Role]) -> bool {
    roles.iter().any(|role| actor.has_role(*role))
}

/// A recovery code from random bytes: ten base32 characters as `abcde-fghij`.
pub fn recovery_code(random: [u8; RECOVERY_CODE_BYTES]) -> String {
    let text = Secret::from(random.to_vec())
        .to_base32()
        .to_ascii_lowercase();
    let text: String = text.chars().take(10).collect();
    let (first, second) = text.split_at(text.len().min(5));
    format!("{first}-{second}")
}

/// A recovery code as typed, in the one form that is hashed and compared:
/// lower case, without spaces or dashes.
pub fn normalize_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> TotpSecret {
        // RFC 6238's SHA-1 test key "12345678901234567890".
        TotpSecret::from_bytes(*b"12345678901234567890")
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // Appendix B, SHA-1, truncated to six digits.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(secret().code_at(time).as_deref(), Some(code), "{time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_early_or_late_but_not_two() {
        let now = 1_234_567_890;
        let step = now / STEP_SECONDS;
        for (offset, accepted) in [
            (-2_i64, false),
            (-1, true),
            (0, true),
            (1, true),
            (2, false),
        ] {
            let then = now.saturating_add_signed(offset * 30);
            let code = secret().code_at(then).expect("a code");
            let result = check_code(&secret(), &code, now, None);
            if accepted {
                let expected = step.saturating_add_signed(offset);
                assert_eq!(result, CodeCheck::Accepted { step: expected }, "{offset}");
            } else {
                assert_eq!(result, CodeCheck::Wrong, "{offset}");
            }
        }
    }

    #[test]
    fn a_code_already_used_is_a_replay_within_its_window() {
        let now = 1_234_567_890;
        let code = secret().code_at(now).expect("a code");
        let CodeCheck::Accepted { step } = check_code(&secret(), &code, now, None) else {
            panic!("the current code is accepted");
        };
        assert_eq!(
            check_code(&secret(), &code, now, Some(step)),
            CodeCheck::Replayed
        );
        // …and still 30 seconds later, while it is inside the ±1 window.
        assert_eq!(
            check_code(&secret(), &code, now + 30, Some(step)),
            CodeCheck::Replayed
        );
        // An older code after a newer one was used is refused too.
        let previous = secret().code_at(now - 30).expect("a code");
        assert_eq!(
            check_code(&secret(), &previous, now, Some(step)),
            CodeCheck::Replayed
        );
        // The next step's code is fine.
        let next = secret().code_at(now + 30).expect("a code");
        assert_eq!(
            check_code(&secret(), &next, now + 30, Some(step)),
            CodeCheck::Accepted { step: step + 1 }
        );
    }

    #[test]
    fn typed_spaces_are_ignored_and_anything_else_is_wrong() {
        let now = 1_111_111_109;
        assert!(matches!(
            check_code(&secret(), " 081 804 ", now, None),
            CodeCheck::Accepted { .. }
        ));
        for typed in ["", "81804", "0818040", "08180a", "081805"] {
            assert_eq!(
                check_code(&secret(), typed, now, None),
                CodeCheck::Wrong,
                "{typed}"
            );
        }
    }

    #[test]
    fn the_secret_reads_back_from_its_text_as_shown_and_the_uri_names_the_account() {
        let shown = secret().grouped();
        assert_eq!(shown, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(TotpSecret::parse(&shown.to_lowercase()), Some(secret()));
        assert_eq!(TotpSecret::parse("GEZDGNBV"), None, "too short");
        let uri = secret().otpauth_uri("ani").expect("a uri");
        assert!(uri.starts_with("otpauth://totp/ZI%20Tracker:ani?"), "{uri}");
        assert!(
            uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
        assert!(uri.contains("issuer=ZI%20Tracker"), "{uri}");
    }

    #[test]
    fn a_second_factor_is_required_of_whoever_holds_a_listed_role() {
        use crate::domain::account::UserId;
        use crate::domain::role::Grant;
        let actor = |roles: &[Role]| Actor {
            user_id: UserId::new("u".to_owned()),
            grants: roles
                .iter()
                .map(|role| Grant {
                    role: *role,
                    unit: None,
                })
                .collect(),
        };
        let required = [Role::Admin, Role::Evaluator];
        assert!(required_for(&actor(&[Role::Admin]), &required));
        assert!(required_for(
            &actor(&[Role::Leadership, Role::Evaluator]),
            &required
        ));
        assert!(!required_for(&actor(&[Role::UnitMember]), &required));
        assert!(!required_for(&actor(&[]), &required));
        assert!(
            !required_for(&actor(&[Role::Admin]), &[]),
            "nothing required by default"
        );
    }

    #[test]
    fn recovery_codes_are_read_in_one_form_whatever_the_case_and_dashes() {
        let code = recovery_code([1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(code.len(), 11);
        assert_eq!(code.chars().nth(5), Some('-'));
        let typed = format!(" {} ", code.to_uppercase().replace('-', " "));
        assert_eq!(normalize_recovery_code(&typed), code.replace('-', ""));
        assert_ne!(code, recovery_code([9, 2, 3, 4, 5, 6, 7]));
    }
}
