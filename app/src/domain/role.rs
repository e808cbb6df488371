use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::unit::UnitId;

/// What a person may do in the instansi. A user holds any combination of grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    UnitMember,
    Evaluator,
    Leadership,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::UnitMember,
        Role::Evaluator,
        Role::Leadership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::UnitMember => "unit_member",
            Role::Evaluator => "evaluator",
            Role::Leadership => "leadership",
        }
    }

    /// Whether a grant of this role names a unit: required for members,
    /// optional for leadership (a subtree), absent for the others.
    pub fn scope_rule(self) -> ScopeRule {
        match self {
            Role::UnitMember => ScopeRule::Required,
            Role::Leadership => ScopeRule::Optional,
            Role::Admin | Role::Evaluator => ScopeRule::None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeRule {
    Required,
    Optional,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or(UnknownRole)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role held by a user, with the unit it applies to where the role has one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub unit: Option<UnitId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantError {
    #[error("this role needs a unit")]
    UnitRequired,
    #[error("this role applies to the whole instansi and takes no unit")]
    UnitNotAllowed,
}

impl Grant {
    pub fn new(role: Role, unit: Option<UnitId>) -> Result<Self, GrantError> {
        match (role.scope_rule(), &unit) {
            (ScopeRule::Required, None) => Err(GrantError::UnitRequired),
            (ScopeRule::None, Some(_)) => Err(GrantError::UnitNotAllowed),
            _ => Ok(Grant { role, unit }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("root".parse::<Role>(), Err(UnknownRole));
    }

    #[test]
    fn a_member_grant_needs_a_unit_and_an_admin_grant_refuses_one() {
        let unit = UnitId::new("u1");
        assert_eq!(
            Grant::new(Role::UnitMember, None),
            Err(GrantError::UnitRequired)
        );
        assert_eq!(
            Grant::new(Role::Admin, Some(unit.clone())),
            Err(GrantError::UnitNotAllowed)
        );
        assert!(Grant::new(Role::Leadership, None).is_ok());
        assert!(Grant::new(Role::Leadership, Some(unit)).is_ok());
    }
}
