//! Periods and their assessments, for the administrator: open a year (or copy
//! last year's), change its dates, create assessments one by one or for a
//! whole subtree, and extend one unit's self-assessment window.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::periods::{
    list_period_assessments, list_periods, CopyPeriod, CreateAssessments, CreatePeriod,
    ExtendWindow, UpdatePeriod,
};
use crate::api::rubrics::list_rubrics;
use crate::api::units::list_units;
use crate::components::error::{ErrorAlert, PageError};
use crate::components::form::{field_error, FormStatus, TextField};
use crate::components::labels::{state_label, target_label};
use crate::domain::period::PeriodDates;
use crate::error::Field;
use crate::i18n::*;
use crate::model::{tree_order, PeriodView, UnitSummary};

#[component]
pub fn AdminPeriods() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePeriod>::new();
    let copy = ServerAction::<CopyPeriod>::new();
    let update = ServerAction::<UpdatePeriod>::new();
    let assess = ServerAction::<CreateAssessments>::new();
    let periods = Resource::new(
        move || {
            (
                create.version().get(),
                copy.version().get(),
                update.version().get(),
                assess.version().get(),
            )
        },
        |_| list_periods(),
    );
    let units = Resource::new(|| (), |_| list_units());
    view! {
        <Title text=t_string!(i18n, periods.title).to_string() />
        <h1>{t!(i18n, periods.title)}</h1>
        <p class="muted">{t!(i18n, periods.intro)}</p>
        <FormStatus outcome=copy.value() success=Signal::derive(move || t_string!(i18n, periods.copied).to_string()) done=CopyPeriod::PATH />
        <FormStatus outcome=update.value() success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=UpdatePeriod::PATH />
        <FormStatus outcome=assess.value() success=Signal::derive(move || t_string!(i18n, periods.assessments_created).to_string()) done=CreateAssessments::PATH />
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || match (periods.get(), units.get()) {
                (Some(Err(error)), _) | (_, Some(Err(error))) => Some(view! { <ErrorAlert error /> }.into_any()),
                (Some(Ok(list)), Some(Ok(units))) => {
                    let units = StoredValue::new(units);
                    Some(list.into_iter().map(|period| view! {
                        <PeriodCard period units copy update assess />
                    }).collect_view().into_any())
                }
                _ => None,
            }}
        </Transition>
        <CreatePeriodForm create />
    }
}

#[component]
fn CreatePeriodForm(create: ServerAction<CreatePeriod>) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = create.value();
    let rubrics = Resource::new(|| (), |_| list_rubrics());
    let label = |text: &'static str| Signal::derive(move || text.to_owned());
    view! {
        <section class="card" aria-labelledby="period-create">
            <h2 id="period-create">{t!(i18n, periods.create_title)}</h2>
            <p class="hint">{t!(i18n, periods.dates_help)}</p>
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, periods.created).to_string()) done=CreatePeriod::PATH />
            <ActionForm action=create attr:class="grid-form">
                <TextField id="period-year" name="year" kind="number" required=true
                    label=label(t_string!(i18n, periods.year)) error=field_error(outcome, Field::Year) />
                <div class="field">
                    <label for="period-rubric">{t!(i18n, periods.rubric)}</label>
                    <select id="period-rubric" name="rubric_key">
                        <Suspense fallback=|| ()>
                            {move || rubrics.get().and_then(Result::ok).map(|list| list.into_iter().map(|r| view! {
                                <option value=r.key.clone()>{r.title.clone()}</option>
                            }).collect_view())}
                        </Suspense>
                    </select>
                    <p class="field-error" aria-live="polite">{move || field_error(outcome, Field::Key).get()}</p>
                </div>
                <DateFields dates=None outcome_errors=DateErrors::of(outcome) />
                <button type="submit" class="button primary">{t!(i18n, periods.create)}</button>
            </ActionForm>
        </section>
    }
}

/// The field errors of the five date inputs of one form.
#[derive(Clone, Copy)]
struct DateErrors([Signal<Option<String>>; 5]);

impl DateErrors {
    fn of<T: Send + Sync + 'static>(outcome: crate::components::form::Outcome<T>) -> Self {
        DateErrors([
            field_error(outcome, Field::SelfStart),
            field_error(outcome, Field::SelfEnd),
            field_error(outcome, Field::ReviewStart),
            field_error(outcome, Field::ReviewEnd),
            field_error(outcome, Field::ProposalDeadline),
        ])
    }
}

#[component]
fn DateFields(dates: Option<PeriodDates>, outcome_errors: DateErrors) -> impl IntoView {
    let i18n = use_i18n();
    let value = move |pick: fn(&PeriodDates) -> String| dates.as_ref().map(pick);
    let prefix = dates.map_or_else(|| "new".to_owned(), |d| d.self_start.to_string());
    let fields: [(&str, String, Option<String>); 5] = [
        (
            "self_start",
            t_string!(i18n, periods.self_start).to_owned(),
            value(|d| d.self_start.to_string()),
        ),
        (
            "self_end",
            t_string!(i18n, periods.self_end).to_owned(),
            value(|d| d.self_end.to_string()),
        ),
        (
            "review_start",
            t_string!(i18n, periods.review_start).to_owned(),
            value(|d| d.review_start.to_string()),
        ),
        (
            "review_end",
            t_string!(i18n, periods.review_end).to_owned(),
            value(|d| d.review_end.to_string()),
        ),
        (
            "proposal_deadline",
            t_string!(i18n, periods.proposal_deadline).to_owned(),
            value(|d| d.proposal_deadline.to_string()),
        ),
    ];
    fields
        .into_iter()
        .zip(outcome_errors.0)
        .map(|((name, label, value), error)| {
            let id = format!("{prefix}-{name}");
            view! {
                <TextField id name kind="date" label=Signal::derive(move || label.clone()) error value=value.unwrap_or_default() />
            }
        })
        .collect_view()
}

#[component]
fn PeriodCard(
    period: PeriodView,
    units: StoredValue<Vec<UnitSummary>>,
    copy: ServerAction<CopyPeriod>,
    update: ServerAction<UpdatePeriod>,
    assess: ServerAction<CreateAssessments>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = period.id.clone();
    let year = period.year.value();
    let heading = format!("period-{year}");
    let labelledby = heading.clone();
    let extend = ServerAction::<ExtendWindow>::new();
    let list = Resource::new(
        {
            let id = id.clone();
            move || (id.clone(), assess.version().get(), extend.version().get())
        },
        |(id, _, _)| list_period_assessments(id),
    );
    let unit_options = units.with_value(|all| {
        tree_order(all)
            .into_iter()
            .filter(|(_, u)| u.active)
            .map(|(depth, u)| {
                let label = format!("{}{} ({})", "— ".repeat(depth), u.name, u.code);
                view! { <option value=u.id.as_str().to_owned()>{label}</option> }
            })
            .collect_view()
    });
    let (update_id, copy_id, assess_id) = (id.clone(), id.clone(), id);
    view! {
        <section class="card" aria-labelledby=labelledby>
            <h2 id=heading>{t!(i18n, periods.period)} " " {year}</h2>
            <p class="muted">{period.rubric_title.clone()} " · " {period.assessments} " " {t!(i18n, periods.assessments)}</p>
            <details>
                <summary>{t!(i18n, periods.edit_dates)}</summary>
                <ActionForm action=update attr:class="grid-form">
                    <input type="hidden" name="id" value=update_id />
                    <DateFields dates=Some(period.dates) outcome_errors=DateErrors::of(update.value()) />
                    <button type="submit" class="button">{t!(i18n, common.save)}</button>
                </ActionForm>
            </details>
            <ActionForm action=copy attr:class="inline-form">
                <input type="hidden" name="from" value=copy_id />
                <input type="hidden" name="year" value=(year + 1).to_string() />
                <button type="submit" class="button">{t!(i18n, periods.copy, year = year + 1)}</button>
            </ActionForm>
            <h3>{t!(i18n, periods.new_assessments)}</h3>
            <ActionForm action=assess attr:class="grid-form">
                <input type="hidden" name="period" value=assess_id />
                <div class="field">
                    <label for=format!("assess-unit-{year}")>{t!(i18n, users.unit)}</label>
                    <select id=format!("assess-unit-{year}") name="unit">{unit_options}</select>
                </div>
                <div class="field">
                    <label for=format!("assess-target-{year}")>{t!(i18n, assessment.target)}</label>
                    <select id=format!("assess-target-{year}") name="target">
                        <option value="wbk">"WBK"</option>
                        <option value="wbbm">"WBBM"</option>
                    </select>
                </div>
                <div class="field checkbox">
                    <input id=format!("assess-subtree-{year}") type="checkbox" name="subtree" value="yes" />
                    <label for=format!("assess-subtree-{year}")>{t!(i18n, periods.subtree)}</label>
                </div>
                <button type="submit" class="button primary">{t!(i18n, periods.create_assessments)}</button>
            </ActionForm>
            <Transition fallback=|| ()>
                {move || list.get().map(|result| match result {
                    Err(error) => view! { <PageError error /> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, units.name)}</th>
                                        <th scope="col">{t!(i18n, assessment.target)}</th>
                                        <th scope="col">{t!(i18n, common.status)}</th>
                                        <th scope="col">{t!(i18n, periods.extend)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|a| {
                                        let state = a.state;
                                        view! {
                                            <tr>
                                                <th scope="row"><a href=format!("/assessments/{}", a.id)>{a.unit_name.clone()}</a></th>
                                                <td>{target_label(a.target)}</td>
                                                <td>
                                                    {move || state_label(i18n, state)}
                                                    " · " <a href=format!("/admin/assessments/{}", a.id)>{t!(i18n, decisions.manage)}</a>
                                                </td>
                                                <td>
                                                    <ActionForm action=extend attr:class="inline-form">
                                                        <input type="hidden" name="assessment" value=a.id.clone() />
                                                        <label class="visually-hidden" for=format!("extend-{}", a.id)>{t!(i18n, periods.extend)}</label>
                                                        <input id=format!("extend-{}", a.id) type="date" name="until" required />
                                                        <button type="submit" class="link-button">{t!(i18n, periods.extend_button)}</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
