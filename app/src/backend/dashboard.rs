//! The leadership dashboard of a period: every unit in the caller's scope
//! with its scores and readiness, the funnel, and the chosen subtree, state,
//! readiness and search. Read from each assessment's scores, stored when it
//! was written (`backend::scores`), once per view: the computed view (all its rows) is kept a few seconds in a small
//! cache shared by everyone who asks for the same view (see `VIEWS`), and the
//! page, the charts and the downloads are cut from it.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use super::assessments::{rubric, today};
use super::db::{self, national::Decisions, Db};
use super::view_cache::ViewCache;
use crate::domain::dashboard::{
    evaluator_progress, funnel, mean_per_area, DashboardRow, Filter, PageWindow, Readiness,
    ReadinessFilter, SortKey, StoredScore, PAGE_SIZE,
};
use crate::domain::lke::{evaluate, score, Answers, GateSet, GateTarget, Predicate, RubricVersion};
use crate::domain::national::furthest_step;
use crate::domain::period::current_year;
use crate::domain::policy::{can, Action, DashboardScope};
use crate::domain::unit::UnitId;
use crate::error::AppError;
use crate::model::{
    subtree, AssessmentSummary, DashboardView, PeriodView, SessionUser, UnitSummary,
};

/// What the caller asked for: a period (the newest when absent), a subtree
/// within their scope, the table's filter, and the page of the table
/// (1-based; only the page view reads it).
pub struct DashboardQuery {
    pub period: Option<String>,
    pub subtree: Option<String>,
    pub filter: Filter,
    pub page: usize,
}

/// Reads the dashboard's query parameters; an unknown value means "any".
pub fn query(
    period: &str,
    subtree: &str,
    state: &str,
    readiness: &str,
    search: &str,
    sort: &str,
) -> DashboardQuery {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    DashboardQuery {
        period: some(period),
        subtree: some(subtree),
        filter: Filter {
            state: state.parse().ok(),
            readiness: match readiness {
                "ready" => Some(ReadinessFilter::Ready),
                "not_ready" => Some(ReadinessFilter::NotReady),
                _ => None,
            },
            query: search.trim().to_owned(),
            sort: SortKey::parse(sort),
        },
        page: 1,
    }
}

/// The units the caller may see on the dashboard, in tree order.
fn scope<'a>(user: &SessionUser, units: &'a [UnitSummary]) -> Vec<&'a UnitSummary> {
    match user.actor.dashboard_scope() {
        DashboardScope::All => crate::model::tree_order(units)
            .into_iter()
            .map(|(_, u)| u)
            .collect(),
        DashboardScope::Below(roots) => {
            let mut seen = HashSet::new();
            roots
                .iter()
                .flat_map(|root| subtree(units, root))
                .filter(|u| seen.insert(u.id.clone()))
                .collect()
        }
    }
}

/// How long a computed view is kept. A write through `db::begin_write`
/// makes every kept view stale at once; this bounds only a write that lands
/// while a view is being computed.
pub const VIEW_LIFETIME: Duration = Duration::from_secs(10);

/// What one computed view is kept under: the database, the caller's scope,
/// and what they asked for (except the page).
#[derive(PartialEq)]
struct ViewKey {
    database: String,
    scope: DashboardScope,
    period: Option<String>,
    subtree: Option<String>,
    filter: Filter,
}

/// The computed views: a few, kept [`VIEW_LIFETIME`], two computed at a time.
static VIEWS: LazyLock<ViewCache<ViewKey, DashboardView>> =
    LazyLock::new(|| ViewCache::new(VIEW_LIFETIME, 8, 2));

/// The page the dashboard shows: the aggregates over every row of the view,
/// and the rows of the asked page only.
pub async fn load(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<DashboardView, AppError> {
    let page = query.page;
    let all = load_all(db, user, query).await?;
    let window = PageWindow::of(all.rows.len(), page, PAGE_SIZE);
    Ok(DashboardView {
        periods: all.periods.clone(),
        period: all.period.clone(),
        units: all.units.clone(),
        subtree: all.subtree.clone(),
        filter: all.filter.clone(),
        rows: all.rows[window.start..window.end].to_vec(),
        page: window,
        funnel: all.funnel,
        thresholds: all.thresholds.clone(),
        evaluators: all.evaluators.clone(),
        completeness: all.completeness.clone(),
    })
}

/// The whole view, every row: what the charts and the downloads draw from,
/// computed once for everyone who asks for it within its lifetime.
pub async fn load_all(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<Arc<DashboardView>, AppError> {
    can(Some(&user.actor), Action::ViewDashboard)?;
    let generation = db::writes();
    let key = ViewKey {
        database: db.connect_options().database_url.to_string(),
        scope: user.actor.dashboard_scope(),
        period: query.period.clone(),
        subtree: query.subtree.clone(),
        filter: query.filter.clone(),
    };
    VIEWS
        .get(key, generation, || compute(db, user, query))
        .await
}

/// The view computed from the database, without the cache.
pub async fn compute(
    db: &Db,
    user: &SessionUser,
    query: DashboardQuery,
) -> Result<DashboardView, AppError> {
    can(Some(&user.actor), Action::ViewDashboard)?;
    let periods = db::periods::list(db).await?;
    let period = match &query.period {
        Some(id) => periods.iter().find(|p| &p.id == id),
        None => current_year(periods.iter().map(|p| p.year), today())
            .and_then(|year| periods.iter().find(|p| p.year == year)),
    };
    let all_units = db::units::list(&mut *db.acquire().await?).await?;
    let visible = scope(user, &all_units);
    let mut view = DashboardView {
        periods: periods.clone(),
        units: subtree_choices(&visible, query.subtree.as_deref()),
        ..DashboardView::default()
    };
    let Some(period) = period else {
        return Ok(view);
    };
    view.period = Some(period.clone());
    let chosen: HashSet<&UnitId> = match query.subtree.as_deref().filter(|s| !s.is_empty()) {
        Some(root) => {
            let root = UnitId::new(root);
            let inside: HashSet<&UnitId> = visible.iter().map(|u| &u.id).collect();
            subtree(&all_units, &root)
                .into_iter()
                .map(|u| &u.id)
                .filter(|id| inside.contains(id))
                .collect()
        }
        None => visible.iter().map(|u| &u.id).collect(),
    };
    let (rubric, gates) = rubric(&mut *db.acquire().await?, &period.rubric_key).await?;
    view.thresholds = total_thresholds(&rubric, &gates);
    let mut rows = period_rows(db, period, |a| chosen.contains(&a.unit_id)).await?;
    query.filter.apply(&mut rows);
    view.funnel = funnel(&rows);
    let seats = db::assignments::for_period(db, &period.id).await?;
    view.evaluators = evaluator_progress(&rows, &seats);
    view.completeness = mean_per_area(&rows, |r| &r.area_completeness);
    view.page = PageWindow::of(rows.len(), 1, rows.len());
    view.rows = rows;
    view.subtree = query.subtree.filter(|s| !s.is_empty());
    view.filter = query.filter;
    Ok(view)
}

/// The units the subtree filter offers: those with units below them (a
/// single unit is found with the search), and the chosen one. At national
/// scale this keeps thousands of work units out of the page.
fn subtree_choices(visible: &[&UnitSummary], chosen: Option<&str>) -> Vec<UnitSummary> {
    let parents: HashSet<&UnitId> = visible.iter().filter_map(|u| u.parent.as_ref()).collect();
    visible
        .iter()
        .filter(|u| parents.contains(&u.id) || Some(u.id.as_str()) == chosen)
        .map(|u| (*u).clone())
        .collect()
}

/// The rows of a period's assessments that `keep` selects, from each
/// assessment's stored scores (`backend::scores`): one row read per
/// assessment, no answer read. An assessment whose stored row is missing or
/// was scored on another rubric version is scored from its rows instead (and
/// logged: every write keeps the rows current, so that is a bug).
pub async fn period_rows(
    db: &Db,
    period: &PeriodView,
    keep: impl Fn(&AssessmentSummary) -> bool,
) -> Result<Vec<DashboardRow>, AppError> {
    let listed = async {
        let mut conn = db.acquire().await?;
        db::assessments::list_for_period(&mut conn, &period.id).await
    };
    let (mut stored, decisions, mut stages, listed) = tokio::try_join!(
        db::scores::for_period(db, &period.id),
        db::national::decisions(db),
        db::national::for_period(db, &period.id),
        listed
    )?;
    let days = today().days_until(period.dates.proposal_deadline);
    let mut rows = Vec::with_capacity(listed.len());
    for summary in listed.into_iter().filter(|a| keep(a)) {
        let score = match stored.remove(&summary.id) {
            Some(score) if score.rubric_key == period.rubric_key => score,
            _ => {
                tracing::warn!(
                    assessment = summary.id,
                    "no current stored score; scoring from the answers"
                );
                super::scores::compute(&mut *db.acquire().await?, &summary.id).await?
            }
        };
        let national = stages
            .remove(&summary.id)
            .and_then(|history| furthest_step(&history));
        rows.push(DashboardRow {
            national,
            ..row(&decisions, summary, &score, days)
        });
    }
    Ok(rows)
}

/// The first gate of each predicate that `pick` selects, as the threshold
/// in points and the weight it applies to.
fn gate_thresholds(
    rubric: &RubricVersion,
    gates: &GateSet,
    pick: impl Fn(GateTarget) -> bool,
) -> Vec<(Predicate, f64, f64)> {
    let verdicts = evaluate(&score(rubric, &Answers::new()), gates, false);
    [verdicts.wbk, verdicts.wbbm]
        .into_iter()
        .filter_map(|v| {
            let gate = v.gates.iter().find(|g| pick(g.target))?;
            Some((v.predicate, gate.threshold, gate.weight))
        })
        .collect()
}

/// The total score each predicate's gates ask for.
pub fn total_thresholds(rubric: &RubricVersion, gates: &GateSet) -> Vec<(Predicate, f64)> {
    gate_thresholds(rubric, gates, |t| t == GateTarget::Total)
        .into_iter()
        .map(|(p, threshold, _)| (p, threshold))
        .collect()
}

/// The share of each area's weight the predicates' per-area gates ask for.
pub fn area_thresholds(rubric: &RubricVersion, gates: &GateSet) -> Vec<(Predicate, f64)> {
    gate_thresholds(rubric, gates, |t| {
        matches!(t, GateTarget::Area { part: None, .. })
    })
    .into_iter()
    .filter(|(_, _, weight)| *weight > 0.0)
    .map(|(p, threshold, weight)| (p, threshold / weight))
    .collect()
}

fn row(
    decisions: &Decisions,
    summary: AssessmentSummary,
    score: &StoredScore,
    days_to_deadline: i64,
) -> DashboardRow {
    let holds_wbk = decisions.wbk_units.contains(summary.unit_id.as_str());
    let counted = score.counted(summary.state);
    DashboardRow {
        awarded: decisions.awarded.contains(&summary.id),
        assessment_id: summary.id,
        unit_id: summary.unit_id.as_str().to_owned(),
        unit_code: summary.unit_code,
        unit_name: summary.unit_name,
        target: summary.target,
        state: summary.state,
        completeness: score.unit.completeness,
        coverage: score.coverage,
        self_total: score.unit.total,
        tpi_total: score.tpi.as_ref().map(|s| s.total),
        readiness: Readiness::with_coverage(counted.readiness(holds_wbk), score.coverage),
        areas: counted.areas.clone(),
        area_completeness: score.unit.area_completeness.clone(),
        reviewed: score.reviewed,
        days_to_deadline,
        national: None,
    }
}
