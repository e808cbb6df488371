use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::rubrics::{get_gates, list_rubrics, UpdateGates};
use crate::components::error::ErrorAlert;
use crate::components::form::{field_error, FormStatus};
use crate::components::labels::gate_scope_label;
use crate::domain::lke::{format_id, GateSet, Predicate, Threshold};
use crate::error::Field;
use crate::i18n::*;
use crate::model::RubricSummary;

#[component]
pub fn AdminRubrics() -> impl IntoView {
    let i18n = use_i18n();
    let rubrics = Resource::new(|| (), |_| list_rubrics());
    view! {
        <Title text=move || t_string!(i18n, rubrics.title).to_string() />
        <h1>{t!(i18n, rubrics.title)}</h1>
        <p class="muted">{t!(i18n, rubrics.intro)}</p>
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                rubrics
                    .get()
                    .map(|result| match result {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(list) => list
                            .into_iter()
                            .map(|rubric| view! { <RubricCard rubric /> })
                            .collect_view()
                            .into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn RubricCard(rubric: RubricSummary) -> impl IntoView {
    let i18n = use_i18n();
    let key = rubric.key.clone();
    let update = ServerAction::<UpdateGates>::new();
    let gates = Resource::new(
        move || (key.clone(), update.version().get()),
        |(key, _)| get_gates(key),
    );
    let heading = format!("rubric-{}", rubric.key);
    let labelledby = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelledby>
            <h2 id=heading>{rubric.title.clone()}</h2>
            <p class="muted">
                <code>{rubric.key.clone()}</code> " · " {rubric.legal_basis.clone()} " · "
                {rubric.scored_items} " " {t!(i18n, rubrics.items)}
                {rubric.builtin.then(|| view! { " · " <span class="badge">{t!(i18n, rubrics.builtin)}</span> })}
            </p>
            <h3>{t!(i18n, rubrics.gates_title)}</h3>
            <p class="hint">{t!(i18n, rubrics.gates_help)}</p>
            <Transition fallback=|| ()>
                {
                    let rubric_key = rubric.key.clone();
                    move || {
                        gates
                            .get()
                            .map(|result| match result {
                                Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                                Ok(gates) => view! { <GatesForm rubric_key=rubric_key.clone() gates update /> }.into_any(),
                            })
                    }
                }
            </Transition>
        </section>
    }
}

#[component]
fn GatesForm(
    rubric_key: String,
    gates: GateSet,
    update: ServerAction<UpdateGates>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = update.value();
    view! {
        <FormStatus outcome success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) />
        <p class="field-error" role="alert">{move || field_error(outcome, Field::Threshold).get()}</p>
        <ActionForm action=update attr:class="gates-form">
            <input type="hidden" name="key" value=rubric_key.clone() />
            <div class="gates-columns">
                <GateColumn predicate=Predicate::Wbk gates=gates.clone() rubric_key=rubric_key.clone() />
                <GateColumn predicate=Predicate::Wbbm gates rubric_key />
            </div>
            <button type="submit" class="button primary">{t!(i18n, common.save)}</button>
        </ActionForm>
    }
}

#[component]
fn GateColumn(predicate: Predicate, gates: GateSet, rubric_key: String) -> impl IntoView {
    let i18n = use_i18n();
    let (name, title) = match predicate {
        Predicate::Wbk => ("wbk", "WBK"),
        Predicate::Wbbm => ("wbbm", "WBBM"),
    };
    let rows = gates
        .rules(predicate)
        .gates
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            let id = format!("{rubric_key}-{name}-{index}");
            let scope = rule.scope;
            let unit = match rule.threshold {
                Threshold::AtLeast(_) => t_string!(i18n, rubrics.points),
                Threshold::AtLeastShareOfWeight(_) => t_string!(i18n, rubrics.percent),
            };
            view! {
                <div class="field gate-field">
                    <label for=id.clone()>{move || gate_scope_label(i18n, scope)}</label>
                    <span class="with-unit">
                        <input
                            id=id
                            name=format!("{name}[{index}]")
                            inputmode="decimal"
                            value=format_id(rule.threshold.display_value(), 2)
                            required=true
                        />
                        <span class="unit">{unit}</span>
                    </span>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="gate-column">
            <legend>{title}</legend>
            {rows}
        </fieldset>
    }
}
