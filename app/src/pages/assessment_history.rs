//! The history of one LKE item: every change of its answer, note and evidence,
//! from the append-only audit log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::item_history;
use crate::components::error::PageError;
use crate::components::labels::moment_label;
use crate::i18n::*;
use crate::model::HistoryLine;

#[component]
pub fn ItemHistory() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("id").unwrap_or_default(),
                p.get("item").unwrap_or_default(),
            )
        })
    };
    let lines = Resource::new(key, |(id, item)| item_history(id, item));
    view! {
        <Title text=t_string!(i18n, history.title).to_string() />
        <p class="breadcrumb"><a href=move || format!("/assessments/{}", key().0)>{t!(i18n, history.back)}</a></p>
        <h1>{t!(i18n, history.title)} " " <code>{move || key().1}</code></h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || lines.get().map(|result| match result {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(lines) if lines.is_empty() => view! { <p class="muted">{t!(i18n, history.empty)}</p> }.into_any(),
                Ok(lines) => view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, history.when)}</th>
                                    <th scope="col">{t!(i18n, history.who)}</th>
                                    <th scope="col">{t!(i18n, history.what)}</th>
                                    <th scope="col">{t!(i18n, history.before)}</th>
                                    <th scope="col">{t!(i18n, history.after)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {lines.into_iter().map(|line| view! { <Line line /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Line(line: HistoryLine) -> impl IntoView {
    let i18n = use_i18n();
    let when = moment_label(i18n, line.at);
    let what = action_label(i18n, &line.action);
    let before = line
        .before
        .as_deref()
        .map(|s| describe(i18n, s))
        .unwrap_or_default();
    let after = line
        .after
        .as_deref()
        .map(|s| describe(i18n, s))
        .unwrap_or_default();
    view! {
        <tr>
            <td>{when}</td>
            <td>{line.actor.unwrap_or_default()}</td>
            <td>{what}</td>
            <td class="pre-line">{before}</td>
            <td class="pre-line">{after}</td>
        </tr>
    }
}

/// What happened, in words.
fn action_label(i18n: leptos_i18n::I18nContext<Locale>, action: &str) -> String {
    let label = match action {
        "answer.save" => t_string!(i18n, history.answer_save),
        "review.save" => t_string!(i18n, history.review_save),
        "evidence.upload" => t_string!(i18n, history.evidence_upload),
        "evidence.replace" => t_string!(i18n, history.evidence_replace),
        "evidence.delete" => t_string!(i18n, history.evidence_delete),
        "evidence.restore" => t_string!(i18n, history.evidence_restore),
        "evidence.link" => t_string!(i18n, history.evidence_link),
        "evidence.unlink" => t_string!(i18n, history.evidence_unlink),
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// A stored state (the audit log keeps JSON) as lines a person reads: the
/// answer, the note, the file and its items; hashes and ids are left out.
fn describe(i18n: leptos_i18n::I18nContext<Locale>, json: &str) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(json)
    else {
        return String::new();
    };
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    let mut lines = Vec::new();
    for (key, value) in &fields {
        let label = match key.as_str() {
            "value" => t_string!(i18n, history.field_value),
            "note" if value.as_str().is_some_and(str::is_empty) => continue,
            "note" => t_string!(i18n, history.field_note),
            "status" => t_string!(i18n, history.field_status),
            "name" => t_string!(i18n, history.field_file),
            "items" => t_string!(i18n, history.field_items),
            "deleted" if value.as_bool() == Some(true) => {
                lines.push(t_string!(i18n, history.field_deleted).to_owned());
                continue;
            }
            _ => continue,
        };
        lines.push(format!("{label}: {}", text(value)));
    }
    lines.join("\n")
}
