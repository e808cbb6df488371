use leptos::prelude::*;
use leptos_meta::Title;

use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};

use crate::api::rubrics::{get_gates, import_rubric, list_rubrics, ImportRubric, UpdateGates};
use crate::components::error::ErrorAlert;
use crate::components::form::{cleared_on_success, field_error, FormStatus, TextField};
use crate::components::labels::gate_scope_label;
use crate::components::workbook::SheetNotes;
use crate::domain::lke::{format_id, GateSet, Predicate, Threshold};
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::model::{RubricImported, RubricSummary};

#[component]
pub fn AdminRubrics() -> impl IntoView {
    let i18n = use_i18n();
    let import: ImportAction =
        Action::new_local(|data: &FormData| import_rubric(data.clone().into()));
    let rubrics = Resource::new(move || import.version().get(), |_| list_rubrics());
    view! {
        <Title text=t_string!(i18n, rubrics.title).to_string() />
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
        <ImportForm import />
    }
}

type ImportAction = Action<FormData, Result<RubricImported, AppError>>;

/// The error a failed upload without JavaScript brings back in the URL.
fn error_from_url() -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|error| error.path() == ImportRubric::PATH)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

#[component]
fn ImportForm(import: ImportAction) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = import.value();
    let form = cleared_on_success(outcome);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let data = ev
            .target()
            .map(|target| target.unchecked_into::<HtmlFormElement>())
            .and_then(|form| FormData::new_with_form(&form).ok());
        if let Some(data) = data {
            import.dispatch_local(data);
        }
    };
    let label = |text: &'static str| Signal::derive(move || text.to_owned());
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">{t!(i18n, rubrics.import_title)}</h2>
            <p class="hint">{t!(i18n, rubrics.import_help)}</p>
            {error_from_url().map(|error| view! { <ErrorAlert error /> })}
            <FormStatus outcome success=Signal::derive(move || t_string!(i18n, rubrics.imported).to_string()) done=ImportRubric::PATH />
            <form
                node_ref=form
                method="post"
                action=ImportRubric::url()
                enctype="multipart/form-data"
                class="grid-form"
                on:submit=submit
            >
                <TextField id="import-key" name="key" required=true
                    label=label(t_string!(i18n, rubrics.key)) error=field_error(outcome, Field::Key) />
                <TextField id="import-title-field" name="title" required=true
                    label=label(t_string!(i18n, rubrics.version_title)) error=field_error(outcome, Field::Title) />
                <TextField id="import-legal-basis" name="legal_basis" required=true
                    value="PermenPANRB Nomor 90 Tahun 2021".to_owned()
                    label=label(t_string!(i18n, rubrics.legal_basis)) />
                <TextField id="import-year" name="from_year" kind="number" required=true
                    label=label(t_string!(i18n, rubrics.from_year)) error=field_error(outcome, Field::Year) />
                <div class="field">
                    <label for="import-file">{t!(i18n, rubrics.file)}</label>
                    <input id="import-file" name="file" type="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        aria-describedby="import-file-error" />
                    <p class="field-error" id="import-file-error" aria-live="polite">{move || field_error(outcome, Field::File).get()}</p>
                </div>
                <button type="submit" class="button primary" disabled=move || import.pending().get()>
                    {move || if import.pending().get() { t_string!(i18n, rubrics.importing) } else { t_string!(i18n, rubrics.import) }}
                </button>
            </form>
            {move || outcome.with(|latest| match latest {
                Some(Ok(imported)) => Some(view! { <SheetNotes notes=imported.notes.clone() /> }),
                _ => None,
            })}
        </section>
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
        <FormStatus outcome success=Signal::derive(move || t_string!(i18n, common.saved).to_string()) done=UpdateGates::PATH />
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
