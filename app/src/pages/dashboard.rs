//! The leadership dashboard: every unit of a period in the caller's scope,
//! with its scores, readiness and deadline, the readiness funnel, and a
//! distribution chart. The filters are a plain GET form, so the page works
//! (and can be bookmarked) without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::load_dashboard;
use crate::components::chart::ChartFigure;
use crate::components::error::PageError;
use crate::components::labels::{area_label, readiness_label, state_label, target_label};
use crate::components::score::percent;
use crate::domain::dashboard::{DashboardRow, EvaluatorProgress, Funnel, PageWindow, HEATMAP_ROWS};
use crate::domain::lke::{format_id, AreaId, AssessmentState};
use crate::i18n::*;
use crate::model::{tree_order, DashboardView};

/// The query parameters the page passes on (filters, CSV and chart links).
fn params_of(keys: &[&str]) -> Vec<(String, String)> {
    let query = use_query_map();
    query.with_untracked(|q| {
        keys.iter()
            .filter_map(|k| q.get(k).map(|v| ((*k).to_owned(), v)))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    })
}

fn encode(params: &[(String, String)]) -> String {
    serde_urlencoded::to_string(params).unwrap_or_default()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            query.with(|q| {
                [
                    "period",
                    "subtree",
                    "state",
                    "readiness",
                    "q",
                    "sort",
                    "page",
                ]
                .map(|k| q.get(k).unwrap_or_default())
            })
        },
        |[period, subtree, state, readiness, q, sort, page]| {
            load_dashboard(period, subtree, state, readiness, q, sort, page)
        },
    );
    view! {
        <Title text=t_string!(i18n, dashboard.title).to_string() />
        <h1>{t!(i18n, dashboard.title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(view) => view! { <Dashboard view /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(view: DashboardView) -> impl IntoView {
    let i18n = use_i18n();
    let Some(period) = view.period.clone() else {
        return view! { <p class="muted">{t!(i18n, dashboard.no_period)}</p> }.into_any();
    };
    let passed = encode(&params_of(&[
        "period",
        "subtree",
        "state",
        "readiness",
        "q",
        "sort",
    ]));
    let count = view.page.total;
    let completeness = view.completeness.clone();
    let shown = count.min(HEATMAP_ROWS);
    let window = view.page;
    view! {
        <Filters view=view.clone() />
        <FunnelView funnel=view.funnel />
        <div class="chart-grid">
            <section class="card" aria-labelledby="distribution-title">
                <h2 id="distribution-title">{t!(i18n, dashboard.distribution)}</h2>
                <ChartFigure
                    src="/dashboard/charts/distribution".to_owned()
                    query=passed.clone()
                    alt=move || t_string!(i18n, dashboard.distribution_alt).to_string()
                    caption=move || t_string!(i18n, dashboard.distribution_caption).to_string()
                    testid="distribution"
                />
            </section>
            <section class="card" aria-labelledby="completeness-title">
                <h2 id="completeness-title">{t!(i18n, dashboard.completeness)}</h2>
                <ChartFigure
                    src="/dashboard/charts/completeness".to_owned()
                    query=passed.clone()
                    alt=move || t_string!(i18n, dashboard.completeness_alt).to_string()
                    testid="completeness-chart"
                />
                <AreaShareTable shares=completeness testid="completeness" />
            </section>
            <section class="card" aria-labelledby="evaluators-title">
                <h2 id="evaluators-title">{t!(i18n, dashboard.evaluators)}</h2>
                <EvaluatorsView evaluators=view.evaluators.clone() query=passed.clone() />
            </section>
            <section class="card" aria-labelledby="heatmap-title">
                <h2 id="heatmap-title">{t!(i18n, dashboard.heatmap)}</h2>
                <ChartFigure
                    src="/dashboard/charts/heatmap".to_owned()
                    query=passed.clone()
                    alt=move || t_string!(i18n, dashboard.heatmap_alt).to_string()
                    caption=move || t_string!(i18n, dashboard.heatmap_rows, shown = shown, count = count).to_string()
                    testid="heatmap"
                />
            </section>
        </div>
        <section class="card" aria-labelledby="units-title" id="units">
            <h2 id="units-title">{t!(i18n, dashboard.units)} " (" {count} ")"</h2>
            {(count == 0).then(|| view! {
                <p class="alert alert-info" role="status" data-testid="no-units">{t!(i18n, dashboard.no_match)}</p>
            })}
            <p class="muted">{t!(i18n, dashboard.period_line, year = period.year.value(), deadline = period.dates.proposal_deadline.to_string())}</p>
            <Pages window passed=passed.clone() />
            <p>
                <a class="button" href=format!("/dashboard.xlsx?{passed}") download>{t!(i18n, dashboard.xlsx)}</a>
                " "
                <a class="button" href=format!("/dashboard.csv?{passed}") download>{t!(i18n, dashboard.csv)}</a>
            </p>
            <div class="table-wrap">
                <table class="table" data-testid="dashboard">
                    <caption class="visually-hidden">{t!(i18n, dashboard.units)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, review.unit)}</th>
                            <th scope="col">{t!(i18n, assessment.target)}</th>
                            <th scope="col">{t!(i18n, common.status)}</th>
                            <th scope="col" class="num">{t!(i18n, score.completeness)}</th>
                            <th scope="col" class="num">{t!(i18n, assessment.with_evidence)}</th>
                            <th scope="col" class="num">{t!(i18n, review.unit_lane)}</th>
                            <th scope="col" class="num">{t!(i18n, review.tpi_lane)}</th>
                            <th scope="col">{t!(i18n, dashboard.readiness)}</th>
                            <th scope="col" class="num">{t!(i18n, dashboard.deadline)}</th>
                            {AreaId::ALL.into_iter().map(|area| view! {
                                <th scope="col" class="num"><abbr title=move || area_label(i18n, area)>{area.abbreviation()}</abbr></th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {view.rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(window.pages > 1).then(|| view! { <Pages window passed=passed.clone() /> })}
        </section>
    }
    .into_any()
}

/// Which rows the table shows and plain links to the pages before and
/// after, with the filters kept: they work without JavaScript.
#[component]
fn Pages(window: PageWindow, passed: String) -> impl IntoView {
    let i18n = use_i18n();
    let (first, last) = window.shown();
    let link = move |page: usize| {
        let sep = if passed.is_empty() { "" } else { "&" };
        format!("/dashboard?{passed}{sep}page={page}#units")
    };
    view! {
        <nav class="pages" aria-label=move || t_string!(i18n, dashboard.pages).to_string() data-testid="pages">
            <span data-testid="rows-shown">{t!(i18n, dashboard.rows_shown, first = first, last = last, total = window.total, page = window.number, pages = window.pages)}</span>
            {window.previous().map(|page| view! {
                " " <a href=link(page) rel="prev" data-testid="previous-page">{t!(i18n, dashboard.previous_page)}</a>
            })}
            {window.next().map(|page| view! {
                " " <a href=link(page) rel="next" data-testid="next-page">{t!(i18n, dashboard.next_page)}</a>
            })}
        </nav>
    }
}

#[component]
fn Filters(view: DashboardView) -> impl IntoView {
    let i18n = use_i18n();
    let current = |key: &str| {
        params_of(&[key])
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default()
    };
    let (state, readiness, sort) = (current("state"), current("readiness"), current("sort"));
    let subtree = view.subtree.clone().unwrap_or_default();
    let period_id = view
        .period
        .as_ref()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let units = tree_order(&view.units)
        .into_iter()
        .map(|(depth, u)| {
            let id = u.id.as_str().to_owned();
            let selected = id == subtree;
            view! { <option value=id selected=selected>{format!("{}{}", "— ".repeat(depth), u.name)}</option> }
        })
        .collect_view();
    let option = |value: &'static str, label: String, current: &str| {
        view! { <option value=value selected=value == current>{label}</option> }
    };
    view! {
        <form method="get" action="/dashboard" class="grid-form filters card" role="search">
            <div class="field">
                <label for="period">{t!(i18n, dashboard.period)}</label>
                <select id="period" name="period">
                    {view.periods.iter().map(|p| {
                        let selected = p.id == period_id;
                        view! { <option value=p.id.clone() selected=selected>{p.year.value()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="subtree">{t!(i18n, dashboard.subtree)}</label>
                <select id="subtree" name="subtree">
                    <option value="">{t!(i18n, dashboard.all_units)}</option>
                    {units}
                </select>
            </div>
            <div class="field">
                <label for="state">{t!(i18n, common.status)}</label>
                <select id="state" name="state">
                    <option value="">{t!(i18n, dashboard.any)}</option>
                    {AssessmentState::ALL.into_iter().map(|s| {
                        let value = s.as_str();
                        view! { <option value=value selected=value == state>{state_label(i18n, s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="readiness">{t!(i18n, dashboard.readiness)}</label>
                <select id="readiness" name="readiness">
                    {option("", t_string!(i18n, dashboard.any).to_owned(), &readiness)}
                    {option("ready", t_string!(i18n, dashboard.ready).to_owned(), &readiness)}
                    {option("not_ready", t_string!(i18n, dashboard.not_ready).to_owned(), &readiness)}
                </select>
            </div>
            <div class="field">
                <label for="q">{t!(i18n, dashboard.search)}</label>
                <input id="q" name="q" type="search" value=current("q") />
            </div>
            <div class="field">
                <label for="sort">{t!(i18n, dashboard.sort)}</label>
                <select id="sort" name="sort">
                    {option("", t_string!(i18n, review.unit).to_owned(), &sort)}
                    {option("self", t_string!(i18n, review.unit_lane).to_owned(), &sort)}
                    {option("tpi", t_string!(i18n, review.tpi_lane).to_owned(), &sort)}
                    {option("completeness", t_string!(i18n, score.completeness).to_owned(), &sort)}
                    {option("deadline", t_string!(i18n, dashboard.deadline).to_owned(), &sort)}
                </select>
            </div>
            <button type="submit" class="button primary">{t!(i18n, dashboard.apply)}</button>
        </form>
    }
}

#[component]
fn FunnelView(funnel: Funnel) -> impl IntoView {
    let i18n = use_i18n();
    let steps = [
        (t_string!(i18n, dashboard.funnel_building), funnel.building),
        (t_string!(i18n, dashboard.funnel_self), funnel.self_complete),
        (t_string!(i18n, dashboard.funnel_tpi), funnel.tpi_finalized),
        (t_string!(i18n, dashboard.funnel_passing), funnel.passing),
        (t_string!(i18n, dashboard.funnel_proposed), funnel.proposed),
        (
            t_string!(i18n, national.funnel_selection),
            funnel.selection_passed,
        ),
        (
            t_string!(i18n, national.funnel_document_review),
            funnel.document_review,
        ),
        (t_string!(i18n, national.funnel_interview), funnel.interview),
        (
            t_string!(i18n, national.funnel_field_verification),
            funnel.field_verification,
        ),
        (t_string!(i18n, national.funnel_panel), funnel.panel),
        (t_string!(i18n, dashboard.funnel_awarded), funnel.awarded),
    ];
    let top = funnel.building.max(1);
    view! {
        <section class="card" aria-labelledby="funnel-title">
            <h2 id="funnel-title">{t!(i18n, dashboard.funnel)}</h2>
            <ol class="funnel" data-testid="funnel">
                {steps.into_iter().map(|(label, n)| view! {
                    <li>
                        <span class="funnel-label">{label}</span>
                        <meter min="0" max=top.to_string() value=n.to_string() aria-hidden="true"></meter>
                        <strong class="num">{n}</strong>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Row(row: DashboardRow) -> impl IntoView {
    let i18n = use_i18n();
    let state = row.state;
    let readiness = move || readiness_label(i18n, row.readiness);
    let ready = row.readiness.is_ready();
    view! {
        <tr>
            <th scope="row"><a href=format!("/dashboard/{}", row.assessment_id)>{row.unit_name.clone()}</a> " " <span class="muted">{row.unit_code.clone()}</span></th>
            <td>{target_label(row.target)}</td>
            <td>{move || state_label(i18n, state)}</td>
            <td class="num">{percent(row.completeness.ratio())}</td>
            <td class="num">{format!("{}/{}", row.coverage.with_evidence, row.coverage.total)}</td>
            <td class="num">{format_id(row.self_total, 2)}</td>
            <td class="num">{row.tpi_total.map(|t| format_id(t, 2)).unwrap_or_else(|| "—".to_owned())}</td>
            <td><span class=if ready { "badge badge-pass" } else { "badge badge-fail" }>{readiness}</span></td>
            <td class="num">{row.days_to_deadline}</td>
            {row.areas.iter().map(|share| view! { <td class="num">{percent(*share)}</td> }).collect_view()}
        </tr>
    }
}

/// Each area's share as a table: the alternative to an area chart.
#[component]
pub fn AreaShareTable(shares: Vec<f64>, #[prop(into)] testid: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details>
            <summary>{t!(i18n, dashboard.chart_table)}</summary>
            <table class="table" data-testid=testid>
                <tbody>
                    {AreaId::ALL.into_iter().zip(shares).map(|(area, share)| view! {
                        <tr>
                            <th scope="row">{move || area_label(i18n, area)}</th>
                            <td class="num">{percent(share)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[component]
fn EvaluatorsView(evaluators: Vec<EvaluatorProgress>, query: String) -> impl IntoView {
    let i18n = use_i18n();
    if evaluators.is_empty() {
        return view! { <p class="muted">{t!(i18n, dashboard.no_evaluators)}</p> }.into_any();
    }
    view! {
        <ChartFigure
            src="/dashboard/charts/evaluators".to_owned()
            query
            alt=move || t_string!(i18n, dashboard.evaluators_alt).to_string()
            testid="evaluators-chart"
        />
        <details>
            <summary>{t!(i18n, dashboard.chart_table)}</summary>
            <table class="table" data-testid="evaluators">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, dashboard.evaluator)}</th>
                        <th scope="col" class="num">{t!(i18n, dashboard.assessments)}</th>
                        <th scope="col" class="num">{t!(i18n, dashboard.funnel_tpi)}</th>
                        <th scope="col" class="num">{t!(i18n, dashboard.items_reviewed)}</th>
                        <th scope="col" class="num">{t!(i18n, dashboard.evaluators_y)}</th>
                    </tr>
                </thead>
                <tbody>
                    {evaluators.into_iter().map(|e| view! {
                        <tr>
                            <th scope="row">{e.name.clone()}</th>
                            <td class="num">{e.assessments}</td>
                            <td class="num">{e.finalized}</td>
                            <td class="num">{format!("{}/{}", e.reviewed, e.items)}</td>
                            <td class="num">{percent(e.share())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}
