//! "Kelayakan instansi" (`/admin/eligibility`): the instansi's facts per
//! evaluation year (BPK opinion, SAKIP, RB index, SPIP, audit follow-up,
//! survey reports) and the eligibility thresholds of each rubric version.
//! Every form posts without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::eligibility::{load_eligibility, SaveFacts, UpdateEligibilityThresholds};
use crate::components::eligibility::percent_text;
use crate::components::error::{error_text, PageError};
use crate::components::form::FormStatus;
use crate::domain::eligibility::{
    BpkOpinion, Grade, InstansiFacts, TargetThresholds, YearFacts, MAX_NOTE_CHARS,
};
use crate::domain::lke::format_id;
use crate::i18n::*;
use crate::model::{EligibilityAdmin, RubricThresholds};

#[component]
pub fn AdminEligibility() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveFacts>::new();
    let update = ServerAction::<UpdateEligibilityThresholds>::new();
    let data = Resource::new(
        move || save.version().get() + update.version().get(),
        |_| load_eligibility(),
    );
    view! {
        <Title text=t_string!(i18n, eligibility.title).to_string() />
        <h1>{t!(i18n, eligibility.title)}</h1>
        <p class="muted">{t!(i18n, eligibility.intro)}</p>
        <FormStatus outcome=save.value() success=Signal::derive(move || t_string!(i18n, eligibility.facts_saved).to_string()) done=SaveFacts::PATH />
        <FormStatus outcome=update.value() success=Signal::derive(move || t_string!(i18n, eligibility.thresholds_saved).to_string()) done=UpdateEligibilityThresholds::PATH />
        <FieldErrors save update />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || data.get().map(|loaded| match loaded {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <Eligibility data save update /> }.into_any(),
            })}
        </Suspense>
    }
}

/// A refused input, named once above the forms (they share their input names).
#[component]
fn FieldErrors(
    save: ServerAction<SaveFacts>,
    update: ServerAction<UpdateEligibilityThresholds>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refused = move || {
        let of = |err: &crate::error::AppError| err.field_of().map(|_| error_text(i18n, err));
        save.value()
            .with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(of))
            .or_else(|| {
                update
                    .value()
                    .with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(of))
            })
    };
    move || {
        refused().map(|text| {
            view! { <p class="alert alert-error" role="alert" data-testid="field-error">{text}</p> }
        })
    }
}

#[component]
fn Eligibility(
    data: EligibilityAdmin,
    save: ServerAction<SaveFacts>,
    update: ServerAction<UpdateEligibilityThresholds>,
) -> impl IntoView {
    let i18n = use_i18n();
    let EligibilityAdmin {
        facts,
        thresholds,
        this_year,
    } = data;
    let next_year = if facts.iter().any(|f| f.year == this_year) {
        this_year.value() + 1
    } else {
        this_year.value()
    };
    let years = facts
        .into_iter()
        .map(|year| view! { <FactsForm year save /> })
        .collect_view();
    let rubrics = thresholds
        .into_iter()
        .map(|rubric| view! { <ThresholdsForm rubric update /> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">{t!(i18n, eligibility.facts_title)}</h2>
            <p class="hint">{t!(i18n, eligibility.facts_help)}</p>
            {years}
            <h3>{t!(i18n, eligibility.new_year)}</h3>
            <FactsFields prefix="new".to_owned() year=None new_year=next_year facts=InstansiFacts::default() save />
        </section>
        <section class="card" aria-labelledby="thresholds-title">
            <h2 id="thresholds-title">{t!(i18n, eligibility.thresholds_title)}</h2>
            <p class="hint">{t!(i18n, eligibility.thresholds_help)}</p>
            {rubrics}
        </section>
    }
}

#[component]
fn FactsForm(year: YearFacts, save: ServerAction<SaveFacts>) -> impl IntoView {
    let value = year.year.value();
    view! {
        <h3>{value}</h3>
        <FactsFields prefix=value.to_string() year=Some(value) new_year=value facts=year.facts save />
    }
}

/// `(value, label)` choices of a select, with the empty choice first.
type Choices = Vec<(String, String)>;

fn bpk_choices() -> Choices {
    BpkOpinion::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), o.as_str().to_owned()))
        .collect()
}

fn grade_choices() -> Choices {
    Grade::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), g.as_str().to_owned()))
        .collect()
}

fn level_choices() -> Choices {
    (1..=5).map(|l| (l.to_string(), l.to_string())).collect()
}

#[component]
fn Choice(
    id: String,
    name: String,
    label: String,
    empty: String,
    choices: Choices,
    selected: Option<String>,
) -> impl IntoView {
    let options = choices
        .into_iter()
        .map(|(value, text)| {
            let is = selected.as_deref() == Some(value.as_str());
            view! { <option value=value selected=is>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{empty}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
fn FactsFields(
    prefix: String,
    /// The year of an existing row (a hidden input); `None` asks for it.
    year: Option<i32>,
    new_year: i32,
    facts: InstansiFacts,
    save: ServerAction<SaveFacts>,
) -> impl IntoView {
    let i18n = use_i18n();
    let testid = format!("facts-{prefix}");
    let id = move |name: &str| format!("facts-{prefix}-{name}");
    let unknown = t_string!(i18n, eligibility.not_recorded).to_string();
    let label = |text: &str| text.to_owned();
    let surveys = vec![
        (
            "yes".to_owned(),
            t_string!(i18n, eligibility.present).to_string(),
        ),
        (
            "no".to_owned(),
            t_string!(i18n, eligibility.absent).to_string(),
        ),
    ];
    let surveys_now = facts
        .surveys
        .map(|s| if s { "yes" } else { "no" }.to_owned());
    let follow_up = facts
        .follow_up
        .map(|p| format_id(p.value(), 2))
        .unwrap_or_default();
    let year_field = match year {
        Some(year) => view! { <input type="hidden" name="year" value=year.to_string() /> }.into_any(),
        None => view! {
            <div class="field">
                <label for=id("year")>{t!(i18n, eligibility.year)}</label>
                <input id=id("year") name="year" inputmode="numeric" required value=new_year.to_string() />
            </div>
        }
        .into_any(),
    };
    view! {
        <ActionForm action=save attr:class="grid-form" attr:data-testid=testid>
            {year_field}
            <Choice id=id("bpk") name="bpk".into() label=label(t_string!(i18n, eligibility.bpk)) empty=unknown.clone() choices=bpk_choices() selected=facts.bpk.map(|o| o.as_str().to_owned()) />
            <Choice id=id("sakip") name="sakip".into() label=label(t_string!(i18n, eligibility.sakip)) empty=unknown.clone() choices=grade_choices() selected=facts.sakip.map(|g| g.as_str().to_owned()) />
            <Choice id=id("rb") name="rb_index".into() label=label(t_string!(i18n, eligibility.rb_index)) empty=unknown.clone() choices=grade_choices() selected=facts.rb_index.map(|g| g.as_str().to_owned()) />
            <Choice id=id("spip") name="spip".into() label=label(t_string!(i18n, eligibility.spip)) empty=unknown.clone() choices=level_choices() selected=facts.spip.map(|l| l.value().to_string()) />
            <div class="field">
                <label for=id("follow-up")>{t!(i18n, eligibility.follow_up)}</label>
                <input id=id("follow-up") name="follow_up" inputmode="decimal" value=follow_up />
            </div>
            <Choice id=id("surveys") name="surveys".into() label=label(t_string!(i18n, eligibility.surveys)) empty=unknown choices=surveys selected=surveys_now />
            <div class="field">
                <label for=id("note")>{t!(i18n, eligibility.note)}</label>
                <input id=id("note") name="note" maxlength=MAX_NOTE_CHARS.to_string() value=facts.note.clone() />
            </div>
            <button type="submit" class="button primary">{t!(i18n, common.save)}</button>
        </ActionForm>
    }
}

#[component]
fn ThresholdsForm(
    rubric: RubricThresholds,
    update: ServerAction<UpdateEligibilityThresholds>,
) -> impl IntoView {
    let heading = format!("eligibility-{}", rubric.key);
    let labelledby = heading.clone();
    let testid = format!("thresholds-{}", rubric.key);
    view! {
        <section aria-labelledby=labelledby>
            <h3 id=heading>{rubric.title.clone()} " " <code>{rubric.key.clone()}</code></h3>
            <ActionForm action=update attr:class="gates-form" attr:data-testid=testid>
                <input type="hidden" name="key" value=rubric.key.clone() />
                <div class="gates-columns">
                    <TargetColumn name="wbk" title="WBK" rubric_key=rubric.key.clone() rule=rubric.thresholds.wbk />
                    <TargetColumn name="wbbm" title="WBBM" rubric_key=rubric.key.clone() rule=rubric.thresholds.wbbm />
                </div>
                <SaveButton />
            </ActionForm>
        </section>
    }
}

#[component]
fn SaveButton() -> impl IntoView {
    let i18n = use_i18n();
    view! { <button type="submit" class="button primary">{t!(i18n, common.save)}</button> }
}

#[component]
fn TargetColumn(
    name: &'static str,
    title: &'static str,
    rubric_key: String,
    rule: TargetThresholds,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = |input: &str| format!("el-{rubric_key}-{name}-{input}");
    let field = |input: &str| format!("{name}[{input}]");
    let none = t_string!(i18n, eligibility.not_required).to_string();
    let follow_up = rule
        .follow_up
        .map(|p| format_id(p.value(), 2))
        .unwrap_or_default();
    let follow_up_hint = rule.follow_up.map(percent_text);
    let wbk_years = (name == "wbbm").then(|| {
        view! {
            <div class="field">
                <label for=id("wbk-years")>{t!(i18n, eligibility.wbk_years)}</label>
                <input id=id("wbk-years") name=field("wbk_years") inputmode="numeric" value=rule.wbk_years.to_string() />
            </div>
        }
    });
    view! {
        <fieldset class="gate-column">
            <legend>{title}</legend>
            <Choice id=id("bpk") name=field("bpk") label=t_string!(i18n, eligibility.bpk_least).to_string() empty=none.clone() choices=bpk_choices() selected=rule.bpk.map(|o| o.as_str().to_owned()) />
            <div class="field">
                <label for=id("bpk-years")>{t!(i18n, eligibility.bpk_years)}</label>
                <input id=id("bpk-years") name=field("bpk_years") inputmode="numeric" value=rule.bpk_years.to_string() />
            </div>
            <Choice id=id("sakip") name=field("sakip") label=t_string!(i18n, eligibility.sakip_least).to_string() empty=none.clone() choices=grade_choices() selected=rule.sakip.map(|g| g.as_str().to_owned()) />
            <Choice id=id("rb") name=field("rb_index") label=t_string!(i18n, eligibility.rb_least).to_string() empty=none.clone() choices=grade_choices() selected=rule.rb_index.map(|g| g.as_str().to_owned()) />
            <Choice id=id("spip") name=field("spip") label=t_string!(i18n, eligibility.spip_least).to_string() empty=none choices=level_choices() selected=rule.spip.map(|l| l.value().to_string()) />
            <div class="field">
                <label for=id("follow-up")>{t!(i18n, eligibility.follow_up_least)}</label>
                <input id=id("follow-up") name=field("follow_up") inputmode="decimal" value=follow_up title=follow_up_hint />
            </div>
            <div class="field checkbox">
                <input id=id("surveys") type="checkbox" name=field("surveys") value="yes" checked=rule.surveys />
                <label for=id("surveys")>{t!(i18n, eligibility.surveys_required)}</label>
            </div>
            {wbk_years}
        </fieldset>
    }
}
