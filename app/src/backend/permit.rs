//! Proof that the policy allowed an action. Backend functions behind a
//! role-wide right ask for a [`Permit`] of that right; only
//! [`super::auth::authorize`] makes one for a request, so a server function
//! that forgets its check does not compile. (Rights on one assessment are
//! proved by the `Access` that `assessments::open` returns.)

use std::marker::PhantomData;

use crate::domain::account::UserId;
use crate::domain::policy::Action;

/// A right that does not depend on which unit or assessment it is used on.
pub trait Right {
    const ACTION: Action<'static>;
}

macro_rules! rights {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Right for $name {
            const ACTION: Action<'static> = Action::$name;
        }
    )*};
}

rights!(
    AdministerUnits,
    AdministerUsers,
    AdministerPeriods,
    AdministerIntegration,
    AdministerEligibility,
    AdministerReview,
    ViewDashboard,
    OpenReviewQueue,
    ChangeOwnPassword,
);

pub struct Permit<R: Right> {
    actor: Option<UserId>,
    right: PhantomData<R>,
}

impl<R: Right> Permit<R> {
    /// Made by `authorize` once the policy has said yes for `actor`.
    pub(super) fn granted(actor: UserId) -> Self {
        Self {
            actor: Some(actor),
            right: PhantomData,
        }
    }

    /// The machine's operator: the command line and the demo data, which run
    /// with the database's own rights and write audit lines without an actor.
    /// Never made from a request (the layer check refuses it in `api/`).
    pub fn operator() -> Self {
        Self {
            actor: None,
            right: PhantomData,
        }
    }

    /// Who acts, for the audit line; `None` for the operator.
    pub fn actor(&self) -> Option<&UserId> {
        self.actor.as_ref()
    }
}
