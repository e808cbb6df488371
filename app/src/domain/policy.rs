//! The one place that decides who may do what: `can` for the rights a role
//! gives everywhere, `assessment_rights` for the rights on one assessment,
//! which also follow its state, its window and its team. The server asks
//! before it answers; the navigation asks the same questions, so the
//! interface never offers what the server would refuse.

use serde::{Deserialize, Serialize};

use super::account::UserId;
use super::assessment::unit_may_edit;
use super::lke::AssessmentState;
use super::period::Window;
use super::review::{may_decide, review_open, Assignment};
use super::role::{Grant, Role};
use super::unit::{UnitId, UnitPath};

/// A signed-in person and the roles they hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|grant| grant.role == role)
    }

    /// The units this person works in as a member.
    pub fn member_units(&self) -> impl Iterator<Item = &UnitId> {
        self.scopes(Role::UnitMember)
    }

    fn scopes(&self, role: Role) -> impl Iterator<Item = &UnitId> {
        self.grants
            .iter()
            .filter(move |grant| grant.role == role)
            .filter_map(|grant| grant.unit.as_ref())
    }

    /// The units whose dashboard rows this person may see.
    pub fn dashboard_scope(&self) -> DashboardScope {
        let mut roots = Vec::new();
        for grant in &self.grants {
            match (grant.role, &grant.unit) {
                (Role::Admin, _) | (Role::Leadership, None) => return DashboardScope::All,
                (Role::Leadership, Some(unit)) => roots.push(unit.clone()),
                _ => {}
            }
        }
        DashboardScope::Below(roots)
    }

    fn leads(&self, unit: &UnitPath) -> bool {
        self.grants.iter().any(|grant| {
            grant.role == Role::Leadership
                && grant.unit.as_ref().is_none_or(|root| unit.is_within(root))
        })
    }

    fn is_member_of(&self, unit: &UnitPath) -> bool {
        self.member_units().any(|member_of| member_of == &unit.unit)
    }
}

/// The units a dashboard shows: all of them, or the subtrees below some units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DashboardScope {
    All,
    Below(Vec<UnitId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// Create, rename, move, deactivate units.
    AdministerUnits,
    /// Create users, reset passwords, deactivate, grant and revoke roles.
    AdministerUsers,
    /// Open periods and manage rubric versions.
    AdministerPeriods,
    /// Connect the instance to PortalRB: API tokens, the evidence links handed out.
    AdministerIntegration,
    /// Record the instansi's eligibility facts per year and the thresholds.
    AdministerEligibility,
    /// Read a unit's pages, scores and evidence.
    ViewUnit(&'a UnitPath),
    /// Answer the LKE and upload evidence for a unit.
    WorkOnUnit(&'a UnitPath),
    /// Open the evaluator's queue; each assessment checks its own assignment.
    OpenReviewQueue,
    /// Read an assessment and score it in the evaluator's lane: evaluators on its team.
    Review(Option<Assignment>),
    /// Return or finalize: the team lead, or any member of a team without one.
    DecideReview {
        me: Option<Assignment>,
        team_has_lead: bool,
    },
    /// Assign evaluators and propose to the national team.
    AdministerReview,
    /// Record a stage of the national evaluation after the proposal
    /// (selection, sanggah, reviews, panel, final result).
    RecordNationalStage,
    /// The leadership dashboard (limited to the subtree of the grant).
    ViewDashboard,
    ChangeOwnPassword,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Denied {
    #[error("sign in first")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
}

pub fn can(actor: Option<&Actor>, action: Action<'_>) -> Result<(), Denied> {
    let actor = actor.ok_or(Denied::Unauthenticated)?;
    let admin = actor.has_role(Role::Admin);
    let allowed = match action {
        Action::AdministerUnits
        | Action::AdministerUsers
        | Action::AdministerPeriods
        | Action::AdministerIntegration
        | Action::AdministerEligibility
        | Action::AdministerReview
        | Action::RecordNationalStage => admin,
        Action::ViewUnit(unit) => admin || actor.leads(unit) || actor.is_member_of(unit),
        Action::WorkOnUnit(unit) => actor.is_member_of(unit),
        Action::OpenReviewQueue => actor.has_role(Role::Evaluator),
        Action::Review(me) => actor.has_role(Role::Evaluator) && me.is_some(),
        Action::DecideReview { me, team_has_lead } => {
            actor.has_role(Role::Evaluator) && me.is_some_and(|me| may_decide(me, team_has_lead))
        }
        Action::ViewDashboard => admin || actor.has_role(Role::Leadership),
        Action::ChangeOwnPassword => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Sugar for the interface: whether to show what `action` leads to.
pub fn allows(actor: Option<&Actor>, action: Action<'_>) -> bool {
    can(actor, action).is_ok()
}

/// What decides a caller's rights on one assessment besides their roles.
#[derive(Clone, Copy, Debug)]
pub struct AssessmentFacts<'a> {
    pub unit: &'a UnitPath,
    /// A deactivated unit's assessment is read-only for everyone.
    pub unit_active: bool,
    pub state: AssessmentState,
    /// The unit's self-assessment window today.
    pub window: Window,
    /// The caller's seat on the assessment's evaluator team, if any.
    pub me: Option<Assignment>,
    pub team_has_lead: bool,
}

/// The caller's rights on an assessment, decided by the server's policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rights {
    /// May answer, upload and submit now (member of the unit, and not locked).
    pub edit: bool,
    /// A member of the unit (sees the submit form even while locked).
    pub member: bool,
    pub administer: bool,
    /// An evaluator on the assessment's team.
    pub evaluator: bool,
    /// May write the evaluator's lane now (on the team, and the assessment is submitted).
    pub review: bool,
    /// May return or finalize now.
    pub decide: bool,
}

/// Every right on one assessment, in one place: reading needs the unit's
/// pages or a seat on the team; the rest depends on the state and the window.
pub fn assessment_rights(
    actor: Option<&Actor>,
    facts: AssessmentFacts<'_>,
) -> Result<Rights, Denied> {
    let evaluator = allows(actor, Action::Review(facts.me));
    if !evaluator {
        can(actor, Action::ViewUnit(facts.unit))?;
    }
    let member = allows(actor, Action::WorkOnUnit(facts.unit));
    let open_for_review = review_open(facts.state);
    Ok(Rights {
        member,
        edit: member && facts.unit_active && unit_may_edit(facts.state, facts.window).is_ok(),
        administer: allows(actor, Action::AdministerReview),
        evaluator,
        review: evaluator && open_for_review,
        decide: open_for_review
            && allows(
                actor,
                Action::DecideReview {
                    me: facts.me,
                    team_has_lead: facts.team_has_lead,
                },
            ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tree {
        root: UnitPath,
        a: UnitPath,
        a1: UnitPath,
        b: UnitPath,
    }

    fn tree() -> Tree {
        let root = UnitPath::root(UnitId::new("root"));
        let a = root.child(UnitId::new("a"));
        let a1 = a.child(UnitId::new("a1"));
        let b = root.child(UnitId::new("b"));
        Tree { root, a, a1, b }
    }

    fn actor(grants: &[(Role, Option<&str>)]) -> Actor {
        Actor {
            user_id: UserId::new("u"),
            grants: grants
                .iter()
                .map(|(role, unit)| Grant {
                    role: *role,
                    unit: unit.map(UnitId::new),
                })
                .collect(),
        }
    }

    #[test]
    fn every_role_gets_exactly_its_actions() {
        let t = tree();
        let admin = actor(&[(Role::Admin, None)]);
        let member_a = actor(&[(Role::UnitMember, Some("a"))]);
        let evaluator = actor(&[(Role::Evaluator, None)]);
        let leader_all = actor(&[(Role::Leadership, None)]);
        let leader_a = actor(&[(Role::Leadership, Some("a"))]);
        let nobody = actor(&[]);

        use Action::*;
        let actions: Vec<(&str, Action)> = vec![
            ("units", AdministerUnits),
            ("users", AdministerUsers),
            ("periods", AdministerPeriods),
            ("integration", AdministerIntegration),
            ("view root", ViewUnit(&t.root)),
            ("view a", ViewUnit(&t.a)),
            ("view a1", ViewUnit(&t.a1)),
            ("view b", ViewUnit(&t.b)),
            ("work a", WorkOnUnit(&t.a)),
            ("work a1", WorkOnUnit(&t.a1)),
            ("work b", WorkOnUnit(&t.b)),
            ("review", OpenReviewQueue),
            ("dashboard", ViewDashboard),
            ("password", ChangeOwnPassword),
            ("national stage", RecordNationalStage),
            ("eligibility", AdministerEligibility),
        ];
        // One row per actor, one column per action above: true = allowed.
        let expected: Vec<(&str, Option<&Actor>, [bool; 15])> = vec![
            ("anonymous", None, [false; 15]),
            (
                "no role",
                Some(&nobody),
                [
                    false, false, false, false, false, false, false, false, false, false, false,
                    false, false, true, false,
                ],
            ),
            (
                "admin",
                Some(&admin),
                [
                    true, true, true, true, true, true, true, true, false, false, false, false,
                    true, true, true,
                ],
            ),
            (
                "member of a",
                Some(&member_a),
                [
                    false, false, false, false, false, true, false, false, true, false, false,
                    false, false, true, false,
                ],
            ),
            (
                "evaluator",
                Some(&evaluator),
                [
                    false, false, false, false, false, false, false, false, false, false, false,
                    true, false, true, false,
                ],
            ),
            (
                "leadership, all",
                Some(&leader_all),
                [
                    false, false, false, false, true, true, true, true, false, false, false, false,
                    true, true, false,
                ],
            ),
            (
                "leadership of a",
                Some(&leader_a),
                [
                    false, false, false, false, false, true, true, false, false, false, false,
                    false, true, true, false,
                ],
            ),
        ];
        for (who, actor, row) in expected {
            for ((what, action), allowed) in actions.iter().zip(row) {
                assert_eq!(
                    allows(actor, *action),
                    allowed,
                    "{who} / {what}: expected {}",
                    if allowed { "allowed" } else { "refused" }
                );
            }
        }
    }

    #[test]
    fn anonymous_is_told_to_sign_in_and_others_are_forbidden() {
        let t = tree();
        assert_eq!(
            can(None, Action::ViewUnit(&t.a)),
            Err(Denied::Unauthenticated)
        );
        let member_a = actor(&[(Role::UnitMember, Some("a"))]);
        assert_eq!(
            can(Some(&member_a), Action::WorkOnUnit(&t.b)),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn only_evaluators_on_the_team_review_and_the_lead_decides() {
        let evaluator = actor(&[(Role::Evaluator, None)]);
        let admin = actor(&[(Role::Admin, None)]);
        let member = Assignment { lead: false };
        let lead = Assignment { lead: true };
        assert!(allows(Some(&evaluator), Action::Review(Some(member))));
        assert!(!allows(Some(&evaluator), Action::Review(None)));
        assert!(
            !allows(Some(&admin), Action::Review(Some(lead))),
            "an assignment row alone is not the evaluator role"
        );
        let decide = |me, team_has_lead| Action::DecideReview { me, team_has_lead };
        assert!(allows(Some(&evaluator), decide(Some(lead), true)));
        assert!(!allows(Some(&evaluator), decide(Some(member), true)));
        assert!(allows(Some(&evaluator), decide(Some(member), false)));
        assert!(!allows(Some(&evaluator), decide(None, false)));
        assert!(allows(Some(&admin), Action::AdministerReview));
        assert!(!allows(Some(&evaluator), Action::AdministerReview));
    }

    #[test]
    fn the_dashboard_shows_all_units_or_the_subtrees_led() {
        let scope = |grants: &[(Role, Option<&str>)]| actor(grants).dashboard_scope();
        assert_eq!(scope(&[(Role::Admin, None)]), DashboardScope::All);
        assert_eq!(scope(&[(Role::Leadership, None)]), DashboardScope::All);
        assert_eq!(
            scope(&[(Role::Leadership, Some("a")), (Role::UnitMember, Some("b"))]),
            DashboardScope::Below(vec![UnitId::new("a")])
        );
        assert_eq!(
            scope(&[(Role::Evaluator, None)]),
            DashboardScope::Below(vec![])
        );
    }

    #[test]
    fn roles_combine() {
        let t = tree();
        let both = actor(&[(Role::UnitMember, Some("b")), (Role::Evaluator, None)]);
        assert!(allows(Some(&both), Action::WorkOnUnit(&t.b)));
        assert!(allows(Some(&both), Action::OpenReviewQueue));
        assert!(!allows(Some(&both), Action::WorkOnUnit(&t.a)));
    }

    /// One row per caller and state: what the assessment page lets them do.
    #[test]
    fn rights_on_an_assessment_follow_the_caller_the_state_and_the_window() {
        use AssessmentState::*;
        let t = tree();
        let open = Window::Open { days_left: 10 };
        let closed = Window::Closed { closed_days_ago: 3 };
        let early = Window::NotYetOpen { opens_in_days: 30 };
        let member = actor(&[(Role::UnitMember, Some("a"))]);
        let evaluator = actor(&[(Role::Evaluator, None)]);
        let admin = actor(&[(Role::Admin, None)]);
        let leader = actor(&[(Role::Leadership, Some("root"))]);
        let seat = Some(Assignment { lead: false });
        let lead = Some(Assignment { lead: true });
        let rights = |actor: &Actor, state, window, me, team_has_lead| {
            let facts = AssessmentFacts {
                unit: &t.a,
                unit_active: true,
                state,
                window,
                me,
                team_has_lead,
            };
            assessment_rights(Some(actor), facts)
        };
        // (edit, member, administer, evaluator, review, decide)
        let r = |edit, member, administer, evaluator, review, decide| {
            Ok(Rights {
                edit,
                member,
                administer,
                evaluator,
                review,
                decide,
            })
        };
        let f = false;
        let draft = AssessmentFacts {
            unit: &t.a,
            unit_active: true,
            state: Draft,
            window: open,
            me: None,
            team_has_lead: f,
        };
        let cases = [
            (
                "member, draft, open",
                rights(&member, Draft, open, None, f),
                r(true, true, f, f, f, f),
            ),
            (
                "member, draft, before the window",
                rights(&member, Draft, early, None, f),
                r(f, true, f, f, f, f),
            ),
            (
                "member, draft, after the window",
                rights(&member, Draft, closed, None, f),
                r(f, true, f, f, f, f),
            ),
            (
                "member, returned, after the window",
                rights(&member, Returned, closed, None, f),
                r(true, true, f, f, f, f),
            ),
            (
                "member, submitted",
                rights(&member, Submitted, open, None, f),
                r(f, true, f, f, f, f),
            ),
            (
                "member, finalized",
                rights(&member, Finalized, open, None, f),
                r(f, true, f, f, f, f),
            ),
            (
                "seat, submitted, team has a lead",
                rights(&evaluator, Submitted, open, seat, true),
                r(f, f, f, true, true, f),
            ),
            (
                "seat, submitted, team without a lead",
                rights(&evaluator, Submitted, open, seat, f),
                r(f, f, f, true, true, true),
            ),
            (
                "lead, submitted",
                rights(&evaluator, Submitted, open, lead, true),
                r(f, f, f, true, true, true),
            ),
            (
                "lead, draft",
                rights(&evaluator, Draft, open, lead, true),
                r(f, f, f, true, f, f),
            ),
            (
                "lead, returned",
                rights(&evaluator, Returned, open, lead, true),
                r(f, f, f, true, f, f),
            ),
            (
                "lead, finalized",
                rights(&evaluator, Finalized, open, lead, true),
                r(f, f, f, true, f, f),
            ),
            (
                "evaluator off the team",
                rights(&evaluator, Submitted, open, None, true),
                Err(Denied::Forbidden),
            ),
            (
                "admin, submitted",
                rights(&admin, Submitted, open, None, true),
                r(f, f, true, f, f, f),
            ),
            (
                "leadership above, submitted",
                rights(&leader, Submitted, open, None, true),
                r(f, f, f, f, f, f),
            ),
            (
                "member of another unit",
                assessment_rights(Some(&actor(&[(Role::UnitMember, Some("b"))])), draft),
                Err(Denied::Forbidden),
            ),
            (
                "anonymous",
                assessment_rights(None, draft),
                Err(Denied::Unauthenticated),
            ),
        ];
        for (case, got, expected) in cases {
            assert_eq!(got, expected, "{case}");
        }
        let retired = AssessmentFacts {
            unit_active: false,
            ..draft
        };
        assert_eq!(
            assessment_rights(Some(&member), retired),
            r(f, true, f, f, f, f),
            "a deactivated unit's member reads but does not edit"
        );
    }
}
