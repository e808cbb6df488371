use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The database identity of a unit kerja.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(String);

impl UnitId {
    pub fn new(id: impl Into<String>) -> Self {
        UnitId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitFieldError {
    #[error("the code must be 2 to 32 letters, digits, dots, dashes or underscores")]
    BadCode,
    #[error("the name must be 2 to 200 characters")]
    BadName,
    #[error("unknown unit kind")]
    BadKind,
    #[error("a unit cannot be moved under itself or one of its sub-units")]
    Cycle,
}

/// A unique, human-chosen code such as `ITJEN` or `BPSDM-01`; stored upper-case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(raw: &str) -> Result<Self, UnitFieldError> {
        let code = raw.trim().to_uppercase();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if (2..=32).contains(&code.len()) && code.chars().all(allowed) {
            Ok(UnitCode(code))
        } else {
            Err(UnitFieldError::BadCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitCode {
    type Error = UnitFieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        UnitCode::parse(&value)
    }
}

impl From<UnitCode> for String {
    fn from(code: UnitCode) -> Self {
        code.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(raw: &str) -> Result<Self, UnitFieldError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if (2..=200).contains(&name.chars().count()) {
            Ok(UnitName(name))
        } else {
            Err(UnitFieldError::BadName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitName {
    type Error = UnitFieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        UnitName::parse(&value)
    }
}

impl From<UnitName> for String {
    fn from(name: UnitName) -> Self {
        name.0
    }
}

/// The place of a unit in the bureaucracy, as the LKE and KemenPANRB speak of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Instansi,
    EselonI,
    #[serde(rename = "eselon_ii")]
    EselonII,
    Direktorat,
    Biro,
    KantorWilayah,
    Upt,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        UnitKind::Instansi,
        UnitKind::EselonI,
        UnitKind::EselonII,
        UnitKind::Direktorat,
        UnitKind::Biro,
        UnitKind::KantorWilayah,
        UnitKind::Upt,
        UnitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Instansi => "instansi",
            UnitKind::EselonI => "eselon_i",
            UnitKind::EselonII => "eselon_ii",
            UnitKind::Direktorat => "direktorat",
            UnitKind::Biro => "biro",
            UnitKind::KantorWilayah => "kantor_wilayah",
            UnitKind::Upt => "upt",
            UnitKind::Other => "other",
        }
    }
}

impl FromStr for UnitKind {
    type Err = UnitFieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or(UnitFieldError::BadKind)
    }
}

/// A unit together with the chain of its ancestors, root first: what the
/// policy needs to decide whether a subtree grant covers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPath {
    pub unit: UnitId,
    pub ancestors: Vec<UnitId>,
}

impl UnitPath {
    pub fn root(unit: UnitId) -> Self {
        UnitPath {
            unit,
            ancestors: Vec::new(),
        }
    }

    pub fn child(&self, unit: UnitId) -> Self {
        let mut ancestors = self.ancestors.clone();
        ancestors.push(self.unit.clone());
        UnitPath { unit, ancestors }
    }

    /// True when `root` is this unit or one of its ancestors.
    pub fn is_within(&self, root: &UnitId) -> bool {
        &self.unit == root || self.ancestors.contains(root)
    }
}

/// Refuses a move of `unit` under `new_parent` when the parent lies inside the unit's own subtree.
pub fn check_move(unit: &UnitId, new_parent: Option<&UnitPath>) -> Result<(), UnitFieldError> {
    match new_parent {
        Some(parent) if parent.is_within(unit) => Err(UnitFieldError::Cycle),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_trimmed_upper_cased_and_restricted() {
        assert_eq!(UnitCode::parse(" itjen ").unwrap().as_str(), "ITJEN");
        assert_eq!(UnitCode::parse("BPSDM-01").unwrap().as_str(), "BPSDM-01");
        for bad in ["", "A", "has space", "a/b", &"X".repeat(33), "ünï"] {
            assert_eq!(UnitCode::parse(bad), Err(UnitFieldError::BadCode), "{bad}");
        }
    }

    #[test]
    fn names_collapse_whitespace_and_need_two_characters() {
        assert_eq!(
            UnitName::parse("  Inspektorat   Jenderal ")
                .unwrap()
                .as_str(),
            "Inspektorat Jenderal"
        );
        assert_eq!(UnitName::parse(" x "), Err(UnitFieldError::BadName));
        assert_eq!(
            UnitName::parse(&"n".repeat(201)),
            Err(UnitFieldError::BadName)
        );
    }

    #[test]
    fn kinds_round_trip() {
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>(), Ok(kind));
        }
        assert_eq!("kanwil".parse::<UnitKind>(), Err(UnitFieldError::BadKind));
    }

    #[test]
    fn a_unit_cannot_move_into_its_own_subtree() {
        let root = UnitPath::root(UnitId::new("root"));
        let a = root.child(UnitId::new("a"));
        let a1 = a.child(UnitId::new("a1"));
        let b = root.child(UnitId::new("b"));
        assert_eq!(check_move(&a.unit, Some(&a1)), Err(UnitFieldError::Cycle));
        assert_eq!(check_move(&a.unit, Some(&a)), Err(UnitFieldError::Cycle));
        assert_eq!(check_move(&a.unit, Some(&b)), Ok(()));
        assert_eq!(check_move(&a.unit, None), Ok(()));
    }
}
