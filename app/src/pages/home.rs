use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::assessments::my_assessments;
use crate::app::use_current_user;
use crate::components::error::ErrorAlert;
use crate::components::labels::{date_label, role_label, state_label, target_label};
use crate::components::review_queue::ReviewQueue;
use crate::components::section::Section;
use crate::domain::assessment::{NextStep, Standing};
use crate::domain::lke::ItemCode;
use crate::domain::period::Window;
use crate::domain::role::Role;
use crate::i18n::*;
use crate::model::SessionUser;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, home.title).to_string() />
        <Suspense fallback=|| ()>
            {move || {
                use_current_user()
                    .get()
                    .map(|user| match user {
                        Some(user) => view! { <Welcome user /> }.into_any(),
                        None => view! { <Redirect path="/login" /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Welcome(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let has = |role: Role| user.actor.has_role(role);
    let member_units: Vec<String> = user
        .grants
        .iter()
        .filter(|g| g.role == Role::UnitMember)
        .filter_map(|g| g.unit_name.clone())
        .collect();
    let led: Vec<String> = user
        .grants
        .iter()
        .filter(|g| g.role == Role::Leadership)
        .map(|g| g.unit_name.clone().unwrap_or_default())
        .collect();
    let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| has(*r)).collect();
    view! {
        <h1>{t!(i18n, home.greeting)} ", " {user.full_name.clone()}</h1>
        <p class="roles">
            {roles
                .into_iter()
                .map(|role| view! { <span class="badge">{move || role_label(i18n, role)}</span> })
                .collect_view()}
        </p>
        <div class="cards">
            {has(Role::Admin)
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="home-admin">
                            <h2 id="home-admin">{t!(i18n, home.admin_title)}</h2>
                            <p>{t!(i18n, home.admin_body)}</p>
                            <p>
                                <a class="button" href="/admin/units">{t!(i18n, nav.units)}</a>
                                " "
                                <a class="button" href="/admin/users">{t!(i18n, nav.users)}</a>
                                " "
                                <a class="button" href="/admin/rubrics">{t!(i18n, nav.rubrics)}</a>
                                " "
                                <a class="button" href="/admin/periods">{t!(i18n, nav.periods)}</a>
                            </p>
                        </section>
                    }
                })}
            {(!member_units.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="home-member">
                            <h2 id="home-member">{t!(i18n, home.member_title)}</h2>
                            <ul>
                                {member_units.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                            </ul>
                            <p class="muted">{t!(i18n, home.member_body)}</p>
                            <h3>{t!(i18n, assessment.mine)}</h3>
                            <MyAssessments />
                        </section>
                    }
                })}
            {has(Role::Evaluator)
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="home-evaluator">
                            <h2 id="home-evaluator">{t!(i18n, home.evaluator_title)}</h2>
                            <p class="muted">{t!(i18n, home.evaluator_body)}</p>
                            <ReviewQueue />
                        </section>
                    }
                })}
            {(!led.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="home-leadership">
                            <h2 id="home-leadership">{t!(i18n, home.leadership_title)}</h2>
                            <ul>
                                {led
                                    .into_iter()
                                    .map(|name| {
                                        if name.is_empty() {
                                            view! { <li>{t!(i18n, home.whole_instansi)}</li> }.into_any()
                                        } else {
                                            view! { <li>{name}</li> }.into_any()
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <p class="muted">{t!(i18n, home.leadership_body)}</p>
                            <p><a class="button primary" href="/dashboard">{t!(i18n, home.open_dashboard)}</a></p>
                        </section>
                    }
                })}
        </div>
    }
}

/// The unit member's assessments, the one open now first, each a link to its
/// walk with where it stands: open (days left), under review, or opening later.
#[component]
fn MyAssessments() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| my_assessments());
    view! {
        <Suspense fallback=|| ()>
            {move || list.get().map(|result| match result {
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>{t!(i18n, assessment.none)}</p> }.into_any(),
                Ok(list) => view! {
                    <ol class="assessment-list">
                        {list.into_iter().map(|mine| {
                            let a = mine.summary;
                            let state = a.state;
                            let open = mine.standing == Standing::Open;
                            let when = match (mine.standing, mine.self_window) {
                                (Standing::Open, Window::Open { days_left }) => {
                                    t_string!(i18n, home.open_now, days = days_left).to_string()
                                }
                                (Standing::Upcoming, _) => t_string!(
                                    i18n,
                                    home.opens_on,
                                    date = date_label(i18n, mine.self_start)
                                )
                                .to_string(),
                                _ => String::new(),
                            };
                            let progress = mine.progress;
                            view! {
                                <li class:current=open data-testid="my-assessment">
                                    <a href=format!("/assessments/{}", a.id)>
                                        {a.unit_name.clone()} " · " {a.year.value()} " · " {target_label(a.target)}
                                    </a>
                                    " " <span class="badge">{move || state_label(i18n, state)}</span>
                                    {(!when.is_empty()).then(|| view! { " " <span class="muted">{when.clone()}</span> })}
                                    <p class="progress-line" data-testid="progress">
                                        {t_string!(i18n, home.progress, answered = progress.answered, with_evidence = progress.with_evidence, total = progress.total).to_string()}
                                    </p>
                                    <NextStepLink id=a.id.clone() next=mine.next />
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The one thing to do next on an assessment, as a button where there is a
/// place to go, as a sentence where there is none.
#[component]
fn NextStepLink(id: String, next: NextStep) -> impl IntoView {
    let i18n = use_i18n();
    let at = |item: ItemCode| format!("/assessments/{id}/{}#{item}", Section::of(item).path());
    let (href, text) = match next {
        NextStep::Answer { left, first } => (
            Some(at(first)),
            t_string!(i18n, home.next_answer, count = left).to_string(),
        ),
        NextStep::AddEvidence { left, first } => (
            Some(at(first)),
            t_string!(i18n, home.next_evidence, count = left).to_string(),
        ),
        NextStep::Mend { items } => (
            Some(format!("/assessments/{id}/missing?show=to_mend")),
            t_string!(i18n, home.next_mend, count = items).to_string(),
        ),
        NextStep::Submit => (
            Some(format!("/assessments/{id}#submit-title")),
            t_string!(i18n, home.next_submit).to_string(),
        ),
        NextStep::WaitForWindow => (None, t_string!(i18n, home.next_wait_window).to_string()),
        NextStep::WaitForReview => (None, t_string!(i18n, home.next_wait_review).to_string()),
        NextStep::Missed => (None, t_string!(i18n, home.next_missed).to_string()),
    };
    view! {
        <p class="next-step" data-testid="next-step">
            {match href {
                Some(href) => view! { <a class="button primary" href=href>{text}</a> }.into_any(),
                None => view! { <span class="muted">{text}</span> }.into_any(),
            }}
        </p>
    }
}
