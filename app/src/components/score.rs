//! The live score of an assessment: the workbook's number, the conservative
//! number, completeness, the verdict for the predicate the unit aims for, and
//! the cheapest steps to close each failing gate. The same engine runs on the
//! server and, compiled to wasm, in the browser as answers change.

use leptos::prelude::*;

use super::labels::{gate_target_label, target_label};
use crate::domain::assessment::Target;
use crate::domain::lke::{
    combined_steps, evaluate, format_id, plan_improvements, score, Answers, GateSet, RubricVersion,
    ScoreSheet, StepValue,
};
use crate::i18n::*;

/// How many steps of a plan are shown per gate.
const STEPS_SHOWN: usize = 5;

pub fn percent(ratio: f64) -> String {
    format!("{} %", format_id(ratio * 100.0, 0))
}

#[component]
pub fn ScorePanel(
    rubric: StoredValue<RubricVersion>,
    gates: StoredValue<GateSet>,
    target: Target,
    answers: Signal<Answers>,
    /// Whether the unit already holds WBK (the WBBM precondition).
    #[prop(optional)]
    holds_wbk: bool,
    /// Items of the LKE without an evidence file, where the page knows them:
    /// passing scores are not yet ready to propose while any lack one.
    #[prop(optional)]
    without_evidence: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let sheet = Memo::new(move |_| rubric.with_value(|r| answers.with(|a| score(r, a))));
    let verdict = Memo::new(move |_| {
        let verdicts = sheet.with(|s| gates.with_value(|g| evaluate(s, g, holds_wbk)));
        match target {
            Target::Wbk => verdicts.wbk,
            Target::Wbbm => verdicts.wbbm,
        }
    });
    let plans = Memo::new(move |_| {
        verdict.with(|v| rubric.with_value(|r| answers.with(|a| plan_improvements(r, a, v))))
    });
    let total = move || sheet.with(|s: &ScoreSheet| s.total);
    view! {
        <section class="card score-panel" aria-labelledby="score-title" aria-live="polite">
            <h2 id="score-title">{t!(i18n, score.title)}</h2>
            <dl class="score-figures">
                <div>
                    <dt>{t!(i18n, score.workbook)}</dt>
                    <dd class="score-total" data-testid="score-total">{move || format_id(total().score, 2)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, score.conservative)}</dt>
                    <dd data-testid="score-conservative">{move || format_id(total().conservative, 2)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, score.completeness)}</dt>
                    <dd data-testid="score-completeness">
                        {move || {
                            let c = total().completeness;
                            format!("{}/{} ({})", c.answered, c.total, percent(c.ratio()))
                        }}
                    </dd>
                </div>
            </dl>
            <p class="hint">{t!(i18n, score.conservative_help)}</p>
            <h3>
                {t!(i18n, score.verdict)} " " {target_label(target)} ": "
                {move || if verdict.with(|v| v.pass) {
                    view! { <span class="badge badge-pass">{t!(i18n, score.passes)}</span> }.into_any()
                } else {
                    view! { <span class="badge badge-fail">{t!(i18n, score.fails)}</span> }.into_any()
                }}
            </h3>
            {move || (verdict.with(|v| v.pass) && without_evidence > 0).then(|| view! {
                <p class="gate-fail" data-testid="evidence-first">
                    {t!(i18n, score.evidence_first, items = without_evidence)}
                </p>
            })}
            <ul class="gate-list">
                {move || verdict.with(|v| v.failing_gates().map(|gate| {
                    let target_name = gate_target_label(i18n, gate.target);
                    let short = format_id(gate.threshold - gate.value, 2);
                    let line = t_string!(i18n, score.short_by, points = short, target = target_name.clone()).to_string();
                    let detail = format!(
                        "{} / {}",
                        format_id(gate.value, 2),
                        format_id(gate.threshold, 2)
                    );
                    view! { <li class="gate-fail">{line} <span class="muted">" (" {detail} ")"</span></li> }
                }).collect_view())}
            </ul>
            {move || plans.with(|plans| {
                let any = plans.iter().any(|p| !p.steps.is_empty());
                any.then(|| view! {
                    <h3>{t!(i18n, score.whatif)}</h3>
                    <ol class="whatif">
                        {combined_steps(plans, STEPS_SHOWN).into_iter().map(|step| {
                            let change = format!("{} → {}", step_value(i18n, step.from), step_value(i18n, step.to));
                            let gain = t_string!(i18n, score.gain, points = format_id(step.points, 2)).to_string();
                            view! { <li><code>{step.item.to_string()}</code> " " {change} " " <span class="muted">{gain}</span></li> }
                        }).collect_view()}
                    </ol>
                })
            })}
        </section>
    }
}

fn step_value(i18n: leptos_i18n::I18nContext<Locale>, value: StepValue) -> String {
    match value {
        StepValue::NotFilled => t_string!(i18n, score.not_filled).to_string(),
        StepValue::Answer(answer) => answer.as_str().to_owned(),
        StepValue::Percent(ratio) => percent(ratio),
        StepValue::Index(index) => format_id(index, 2),
    }
}
