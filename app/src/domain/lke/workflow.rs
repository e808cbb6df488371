//! Assessment workflow (pure state machine).
//!
//! ```text
//! Draft ──Submit──▶ Submitted ──Finalize──▶ Finalized ──Propose──▶ Proposed ──RecordResult──▶ Awarded | NotAwarded
//!                     │    ▲
//!                 Return   Resubmit (or Submit)
//!                     ▼    │
//!                   Returned
//! ```

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentState {
    /// The unit fills in its self-assessment.
    Draft,
    /// Sent to the internal evaluator (TPI).
    Submitted,
    /// Sent back to the unit for corrections.
    Returned,
    /// The evaluator's score is final.
    Finalized,
    /// Proposed to the national evaluator (TPN).
    Proposed,
    Awarded,
    NotAwarded,
}

impl AssessmentState {
    pub const ALL: [AssessmentState; 7] = [
        AssessmentState::Draft,
        AssessmentState::Submitted,
        AssessmentState::Returned,
        AssessmentState::Finalized,
        AssessmentState::Proposed,
        AssessmentState::Awarded,
        AssessmentState::NotAwarded,
    ];

    /// The evaluators' score is official from here on.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AssessmentState::Finalized
                | AssessmentState::Proposed
                | AssessmentState::Awarded
                | AssessmentState::NotAwarded
        )
    }

    /// The name in storage, URLs and files (`draft`, `not_awarded`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentState::Draft => "draft",
            AssessmentState::Submitted => "submitted",
            AssessmentState::Returned => "returned",
            AssessmentState::Finalized => "finalized",
            AssessmentState::Proposed => "proposed",
            AssessmentState::Awarded => "awarded",
            AssessmentState::NotAwarded => "not_awarded",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("not an assessment state")]
pub struct UnknownState;

impl std::str::FromStr for AssessmentState {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, UnknownState> {
        AssessmentState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or(UnknownState)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkflowEvent {
    Submit,
    Return,
    /// Submit again after a return (same as `Submit` from `Returned`).
    Resubmit,
    Finalize,
    Propose,
    RecordResult {
        awarded: bool,
    },
}

/// Why an event is refused in a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Already submitted (or further along).
    AlreadySubmitted,
    /// Must be submitted first.
    NotSubmitted,
    /// `Resubmit` needs a returned assessment.
    NotReturned,
    /// Already finalized (or further along): can no longer be returned or finalized.
    AlreadyFinalized,
    /// Must be finalized first.
    NotFinalized,
    /// Already proposed (or decided).
    AlreadyProposed,
    /// Must be proposed first.
    NotProposed,
    /// The result is recorded; nothing can change any more.
    Decided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("event {event:?} refused in state {state:?}: {reason:?}")]
pub struct TransitionError {
    pub state: AssessmentState,
    pub event: WorkflowEvent,
    pub reason: RefusalReason,
}

/// Applies an event to a state.
pub fn transition(
    state: AssessmentState,
    event: WorkflowEvent,
) -> Result<AssessmentState, TransitionError> {
    use AssessmentState as S;
    use RefusalReason as R;
    use WorkflowEvent as E;
    let refuse = |reason| {
        Err(TransitionError {
            state,
            event,
            reason,
        })
    };
    if matches!(state, S::Awarded | S::NotAwarded) {
        return refuse(R::Decided);
    }
    match (event, state) {
        (E::Submit, S::Draft | S::Returned) => Ok(S::Submitted),
        (E::Submit, _) => refuse(R::AlreadySubmitted),

        (E::Resubmit, S::Returned) => Ok(S::Submitted),
        (E::Resubmit, _) => refuse(R::NotReturned),

        (E::Return, S::Submitted) => Ok(S::Returned),
        (E::Finalize, S::Submitted) => Ok(S::Finalized),
        (E::Return | E::Finalize, S::Draft | S::Returned) => refuse(R::NotSubmitted),
        (E::Return | E::Finalize, _) => refuse(R::AlreadyFinalized),

        (E::Propose, S::Finalized) => Ok(S::Proposed),
        (E::Propose, S::Proposed) => refuse(R::AlreadyProposed),
        (E::Propose, _) => refuse(R::NotFinalized),

        (E::RecordResult { awarded }, S::Proposed) => {
            Ok(if awarded { S::Awarded } else { S::NotAwarded })
        }
        (E::RecordResult { .. }, _) => refuse(R::NotProposed),
    }
}

/// Whether the unit may no longer edit its answers in this state.
pub fn is_locked_for_unit(state: AssessmentState) -> bool {
    !matches!(state, AssessmentState::Draft | AssessmentState::Returned)
}

#[cfg(test)]
mod tests {
    use super::AssessmentState as S;
    use super::WorkflowEvent as E;
    use super::*;

    const STATES: [S; 7] = [
        S::Draft,
        S::Submitted,
        S::Returned,
        S::Finalized,
        S::Proposed,
        S::Awarded,
        S::NotAwarded,
    ];
    const EVENTS: [E; 7] = [
        E::Submit,
        E::Return,
        E::Resubmit,
        E::Finalize,
        E::Propose,
        E::RecordResult { awarded: true },
        E::RecordResult { awarded: false },
    ];

    #[test]
    fn happy_path_with_a_return() {
        let mut s = S::Draft;
        for (e, expected) in [
            (E::Submit, S::Submitted),
            (E::Return, S::Returned),
            (E::Resubmit, S::Submitted),
            (E::Finalize, S::Finalized),
            (E::Propose, S::Proposed),
            (E::RecordResult { awarded: true }, S::Awarded),
        ] {
            s = transition(s, e).unwrap();
            assert_eq!(s, expected);
        }
    }

    #[test]
    fn submit_from_returned_equals_resubmit() {
        assert_eq!(transition(S::Returned, E::Submit), Ok(S::Submitted));
        assert_eq!(transition(S::Returned, E::Resubmit), Ok(S::Submitted));
    }

    #[test]
    fn refusals_carry_a_reason() {
        let reason = |s, e| transition(s, e).unwrap_err().reason;
        assert_eq!(reason(S::Draft, E::Finalize), RefusalReason::NotSubmitted);
        assert_eq!(reason(S::Draft, E::Resubmit), RefusalReason::NotReturned);
        assert_eq!(
            reason(S::Submitted, E::Submit),
            RefusalReason::AlreadySubmitted
        );
        assert_eq!(
            reason(S::Submitted, E::Propose),
            RefusalReason::NotFinalized
        );
        assert_eq!(
            reason(S::Finalized, E::Return),
            RefusalReason::AlreadyFinalized
        );
        assert_eq!(
            reason(S::Finalized, E::RecordResult { awarded: true }),
            RefusalReason::NotProposed
        );
        assert_eq!(
            reason(S::Proposed, E::Propose),
            RefusalReason::AlreadyProposed
        );
        assert_eq!(reason(S::Awarded, E::Submit), RefusalReason::Decided);
        assert_eq!(reason(S::NotAwarded, E::Propose), RefusalReason::Decided);
    }

    #[test]
    fn terminal_states_accept_nothing_and_only_draft_returned_are_editable() {
        for e in EVENTS {
            assert!(transition(S::Awarded, e).is_err());
            assert!(transition(S::NotAwarded, e).is_err());
        }
        let editable: Vec<_> = STATES
            .into_iter()
            .filter(|s| !is_locked_for_unit(*s))
            .collect();
        assert_eq!(editable, [S::Draft, S::Returned]);
    }

    #[test]
    fn state_names_match_the_serialized_ones_and_parse_back() {
        for state in STATES {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json.as_str(), Some(state.as_str()));
            assert_eq!(state.as_str().parse::<AssessmentState>(), Ok(state));
        }
        assert_eq!("selesai".parse::<AssessmentState>(), Err(UnknownState));
    }

    #[test]
    fn every_pair_is_decided_without_panic() {
        let ok = STATES
            .iter()
            .flat_map(|s| EVENTS.iter().map(move |e| transition(*s, *e)))
            .filter(Result::is_ok)
            .count();
        assert_eq!(ok, 8);
    }
}
