//! The administrator's page for one assessment: its evaluation team, the
//! proposal to the national team (TPN), and the national stages up to the
//! final result (`components::national`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::load_assessment;
use crate::api::national::RecordNationalStage;
use crate::api::review::{list_evaluators, AssignEvaluator, ProposeAssessment, UnassignEvaluator};
use crate::components::assessment::{AssessmentHeading, PredicateHistory};
use crate::components::eligibility::ProposalEligibility;
use crate::components::error::{ErrorAlert, PageError};
use crate::components::form::{field_error, FormStatus};
use crate::components::labels::target_label;
use crate::components::national::NationalStages;
use crate::domain::lke::{format_id, AssessmentState};
use crate::error::Field;
use crate::i18n::*;
use crate::model::AssessmentData;

#[component]
pub fn AdminReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let assign = ServerAction::<AssignEvaluator>::new();
    let unassign = ServerAction::<UnassignEvaluator>::new();
    let propose = ServerAction::<ProposeAssessment>::new();
    let stage = ServerAction::<RecordNationalStage>::new();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                assign.version().get()
                    + unassign.version().get()
                    + propose.version().get()
                    + stage.version().get(),
            )
        },
        |(id, _)| load_assessment(id),
    );
    let actions = Actions {
        assign,
        unassign,
        propose,
        stage,
    };
    view! {
        <Title text=t_string!(i18n, decisions.title).to_string() />
        // Outside the data: the forms go away once the state moves on, the outcome stays.
        <FormStatus outcome=propose.value() success=Signal::derive(move || t_string!(i18n, decisions.proposed).to_string()) done=ProposeAssessment::PATH />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|loaded| match loaded {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) if !data.rights.administer => view! { <ErrorAlert error=crate::error::AppError::Forbidden /> }.into_any(),
                Ok(data) => view! { <Manage data actions /> }.into_any(),
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    assign: ServerAction<AssignEvaluator>,
    unassign: ServerAction<UnassignEvaluator>,
    propose: ServerAction<ProposeAssessment>,
    stage: ServerAction<RecordNationalStage>,
}

#[component]
fn Manage(data: AssessmentData, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let id = data.header.summary.id.clone();
    let state = data.header.summary.state;
    let target = data.header.summary.target;
    let review = data.review.clone().unwrap_or_default();
    let evaluators = Resource::new(|| (), |_| list_evaluators());
    let team = review
        .team
        .iter()
        .map(|member| {
            let (assessment, user) = (id.clone(), member.user_id.as_str().to_owned());
            view! {
                <li>
                    {member.full_name.clone()} " (" {member.username.clone()} ")"
                    {member.lead.then(|| view! { " " <span class="badge">{t!(i18n, review.lead)}</span> })}
                    <ActionForm action=actions.unassign attr:class="inline-form">
                        <input type="hidden" name="assessment" value=assessment />
                        <input type="hidden" name="evaluator" value=user />
                        <button type="submit" class="link-button danger">{t!(i18n, decisions.remove)}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let verdict = review.final_verdict;
    let (propose_id, stage_id) = (id.clone(), id.clone());
    view! {
        <AssessmentHeading header=data.header.clone() />
        <p><a href=format!("/review/{id}")>{t!(i18n, review.title)}</a></p>
        <section class="card" aria-labelledby="team-title">
            <h2 id="team-title">{t!(i18n, review.team)}</h2>
            {if review.team.is_empty() {
                view! { <p class="muted">{t!(i18n, decisions.no_team)}</p> }.into_any()
            } else {
                view! { <ul data-testid="team">{team}</ul> }.into_any()
            }}
            <FormStatus outcome=actions.assign.value() success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=AssignEvaluator::PATH />
            <ActionForm action=actions.assign attr:class="grid-form">
                <input type="hidden" name="assessment" value=id.clone() />
                <div class="field">
                    <label for="evaluator">{t!(i18n, decisions.evaluator)}</label>
                    <select id="evaluator" name="evaluator" aria-describedby="evaluator-error">
                        <Suspense fallback=|| ()>
                            {move || evaluators.get().map(|list| {
                                list.unwrap_or_default().into_iter().map(|u| view! {
                                    <option value=u.id.as_str().to_owned()>{u.full_name.clone()} " (" {u.username.clone()} ")"</option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <p class="field-error" id="evaluator-error" aria-live="polite">{move || field_error(actions.assign.value(), Field::Evaluator).get()}</p>
                </div>
                <div class="field checkbox">
                    <input id="lead" type="checkbox" name="lead" value="yes" />
                    <label for="lead">{t!(i18n, decisions.make_lead)}</label>
                </div>
                <button type="submit" class="button">{t!(i18n, decisions.add)}</button>
            </ActionForm>
        </section>
        {(state == AssessmentState::Finalized).then(|| {
            let passes = verdict.is_some_and(|v| v.passes(target.predicate()));
            let total = verdict.map_or_else(String::new, |v| format_id(v.total, 2));
            view! {
                <section class="card" aria-labelledby="propose-title">
                    <h2 id="propose-title">{t!(i18n, decisions.propose_title)}</h2>
                    {if passes {
                        view! { <p class="alert alert-success" data-testid="verdict">{t!(i18n, decisions.passes, target = target_label(target), total = total.clone())}</p> }.into_any()
                    } else {
                        view! { <p class="alert alert-warning" data-testid="verdict">{t!(i18n, decisions.fails, target = target_label(target), total = total.clone())}</p> }.into_any()
                    }}
                    <ActionForm action=actions.propose>
                        <input type="hidden" name="assessment" value=propose_id.clone() />
                        <ProposalEligibility assessment=propose_id.clone() target />
                        {(!passes).then(|| view! {
                            <div class="field checkbox">
                                <input id="confirm" type="checkbox" name="confirm" value="yes" />
                                <label for="confirm">{t!(i18n, decisions.confirm_fail)}</label>
                            </div>
                        })}
                        <button type="submit" class="button primary">{t!(i18n, decisions.propose_button)}</button>
                    </ActionForm>
                </section>
            }
        })}
        <NationalStages
            assessment=stage_id
            state
            target
            stages=data.national.clone()
            action=actions.stage
        />
        <PredicateHistory predicates=data.predicates.clone() />
    }
}
