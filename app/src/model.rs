//! Plain data that crosses the wire between server functions and pages.

use serde::{Deserialize, Serialize};

use crate::domain::account::UserId;
use crate::domain::policy::Actor;
use crate::domain::role::Role;
use crate::domain::unit::{UnitId, UnitKind};

/// The signed-in person as the interface sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub actor: Actor,
    pub username: String,
    pub full_name: String,
    /// The same grants as the actor's, with unit names for display.
    pub grants: Vec<GrantView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub id: UnitId,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: String,
    pub role: Role,
    pub unit: Option<UnitId>,
    pub unit_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub full_name: String,
    pub active: bool,
    pub grants: Vec<GrantView>,
}

/// A stored rubric version, as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricSummary {
    pub key: String,
    pub title: String,
    pub legal_basis: String,
    pub scored_items: usize,
    pub builtin: bool,
    /// Periods that score against this version (it can no longer change).
    pub periods: i64,
}

/// A line the importer could not fully understand, by sheet, row and column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetNote {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<char>,
    /// The importer's own code for the problem, e.g. `label_out_of_order`.
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricImported {
    pub key: String,
    pub notes: Vec<SheetNote>,
}

/// Orders units depth-first under their parents, each with its depth, for an indented tree.
/// Units whose parent is missing from the list are shown as roots.
pub fn tree_order(units: &[UnitSummary]) -> Vec<(usize, &UnitSummary)> {
    let known = |id: &UnitId| units.iter().any(|u| &u.id == id);
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(usize, &UnitSummary)> = units
        .iter()
        .filter(|u| u.parent.as_ref().is_none_or(|p| !known(p)))
        .rev()
        .map(|u| (0, u))
        .collect();
    while let Some((depth, unit)) = stack.pop() {
        out.push((depth, unit));
        let children = units
            .iter()
            .filter(|u| u.parent.as_ref() == Some(&unit.id))
            .rev()
            .map(|u| (depth + 1, u));
        stack.extend(children);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, parent: Option<&str>) -> UnitSummary {
        UnitSummary {
            id: UnitId::new(id),
            code: id.to_uppercase(),
            name: id.into(),
            kind: UnitKind::Other,
            parent: parent.map(UnitId::new),
            active: true,
        }
    }

    #[test]
    fn tree_order_puts_children_under_their_parent_in_list_order() {
        let units = vec![
            unit("b", Some("root")),
            unit("root", None),
            unit("a1", Some("a")),
            unit("a", Some("root")),
            unit("orphan", Some("gone")),
        ];
        let order: Vec<(usize, &str)> = tree_order(&units)
            .into_iter()
            .map(|(d, u)| (d, u.id.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(0, "root"), (1, "b"), (1, "a"), (2, "a1"), (0, "orphan")]
        );
    }
}
