use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::units::{list_units, CreateUnit, SetUnitActive, UpdateUnit};
use crate::components::error::ErrorAlert;
use crate::components::form::{cleared_on_success, field_error, FormStatus, TextField};
use crate::components::labels::kind_label;
use crate::domain::unit::UnitKind;
use crate::error::Field;
use crate::i18n::*;
use crate::model::{tree_order, UnitSummary};

#[component]
pub fn AdminUnits() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUnit>::new();
    let update = ServerAction::<UpdateUnit>::new();
    let toggle = ServerAction::<SetUnitActive>::new();
    let units = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                toggle.version().get(),
            )
        },
        |_| list_units(),
    );
    view! {
        <Title text=t_string!(i18n, units.title).to_string() />
        <h1>{t!(i18n, units.title)}</h1>
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                units
                    .get()
                    .map(|result| match result {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(units) => {
                            let units = StoredValue::new(units);
                            view! {
                                <FormStatus outcome=update.value() success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=UpdateUnit::PATH />
                                <UnitTable units update toggle />
                                <CreateUnitForm units create />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn UnitTable(
    units: StoredValue<Vec<UnitSummary>>,
    update: ServerAction<UpdateUnit>,
    toggle: ServerAction<SetUnitActive>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = units.with_value(|all| {
        tree_order(all)
            .into_iter()
            .map(|(depth, unit)| (depth, unit.clone()))
            .collect::<Vec<_>>()
    });
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, units.title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, units.name)}</th>
                        <th scope="col">{t!(i18n, units.code)}</th>
                        <th scope="col">{t!(i18n, units.kind)}</th>
                        <th scope="col">{t!(i18n, common.status)}</th>
                        <th scope="col">{t!(i18n, common.actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(depth, unit)| view! { <UnitRow depth unit units update toggle /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UnitRow(
    depth: usize,
    unit: UnitSummary,
    units: StoredValue<Vec<UnitSummary>>,
    update: ServerAction<UpdateUnit>,
    toggle: ServerAction<SetUnitActive>,
) -> impl IntoView {
    let i18n = use_i18n();
    let indent = format!("indent-{}", depth.min(6));
    let active = unit.active;
    let id = unit.id.as_str().to_owned();
    let toggle_id = id.clone();
    let parent_id = unit.parent.as_ref().map(|p| p.as_str().to_owned());
    let edit_prefix = format!("edit-{}", unit.code);
    view! {
        <tr class:inactive=!active>
            <th scope="row" class=indent>{unit.name.clone()}</th>
            <td><code>{unit.code.clone()}</code></td>
            <td>{move || kind_label(i18n, unit.kind)}</td>
            <td>
                {if active {
                    view! { <span class="badge ok">{t!(i18n, common.active)}</span> }.into_any()
                } else {
                    view! { <span class="badge off">{t!(i18n, common.inactive)}</span> }.into_any()
                }}
            </td>
            <td class="actions">
                <details>
                    <summary>{t!(i18n, common.edit)}</summary>
                    <ActionForm action=update attr:class="stack">
                        <input type="hidden" name="id" value=id.clone() />
                        <TextField
                            id=format!("{edit_prefix}-name")
                            name="name"
                            value=unit.name.clone()
                            label=Signal::derive(move || t_string!(i18n, units.name).to_string())
                            required=true
                        />
                        <KindSelect id=format!("{edit_prefix}-kind") selected=unit.kind />
                        <ParentSelect id=format!("{edit_prefix}-parent") units selected=parent_id exclude=Some(id.clone()) />
                        <button type="submit" class="button">{t!(i18n, common.save)}</button>
                    </ActionForm>
                </details>
                <ActionForm action=toggle attr:class="inline-form">
                    <input type="hidden" name="id" value=toggle_id />
                    <input type="hidden" name="active" value=(!active).to_string() />
                    <button type="submit" class="link-button">
                        {if active {
                            t!(i18n, common.deactivate).into_any()
                        } else {
                            t!(i18n, common.activate).into_any()
                        }}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn CreateUnitForm(
    units: StoredValue<Vec<UnitSummary>>,
    create: ServerAction<CreateUnit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = create.value();
    let form = cleared_on_success(outcome);
    view! {
        <section class="card" aria-labelledby="new-unit">
            <h2 id="new-unit">{t!(i18n, units.create_title)}</h2>
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, units.created).to_string()) done=CreateUnit::PATH />
            <ActionForm action=create node_ref=form attr:class="grid-form">
                <TextField
                    id="unit-code"
                    name="code"
                    label=Signal::derive(move || t_string!(i18n, units.code).to_string())
                    error=field_error(outcome, Field::Code)
                    required=true
                />
                <TextField
                    id="unit-name"
                    name="name"
                    label=Signal::derive(move || t_string!(i18n, units.name).to_string())
                    error=field_error(outcome, Field::Name)
                    required=true
                />
                <KindSelect id="unit-kind".to_owned() selected=UnitKind::Upt />
                <ParentSelect id="unit-parent".to_owned() units selected=None exclude=None />
                <p class="field-error" aria-live="polite">{move || field_error(outcome, Field::Parent).get()}</p>
                <button type="submit" class="button primary">{t!(i18n, units.create)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn KindSelect(id: String, selected: UnitKind) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id.clone()>{t!(i18n, units.kind)}</label>
            <select id=id name="kind">
                {UnitKind::ALL
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <option value=kind.as_str() selected=kind == selected>
                                {move || kind_label(i18n, kind)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ParentSelect(
    id: String,
    units: StoredValue<Vec<UnitSummary>>,
    selected: Option<String>,
    exclude: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = units.with_value(|all| {
        tree_order(all)
            .into_iter()
            .filter(|(_, u)| Some(u.id.as_str()) != exclude.as_deref())
            .map(|(depth, u)| {
                (
                    u.id.as_str().to_owned(),
                    format!("{}{}", "— ".repeat(depth), u.name),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="field">
            <label for=id.clone()>{t!(i18n, units.parent)}</label>
            <select id=id name="parent">
                <option value="" selected=selected.is_none()>{t!(i18n, units.no_parent)}</option>
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
