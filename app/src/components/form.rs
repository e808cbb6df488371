use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::error::{error_text, ErrorAlert};
use crate::error::{AppError, Field};
use crate::i18n::*;

/// The latest result of a form's action, as the field helpers read it.
pub type Outcome<T> = MappedSignal<Option<Result<T, AppError>>>;

/// The error of `field` in the latest outcome, as a sentence.
pub fn field_error<T: Send + Sync + 'static>(
    outcome: Outcome<T>,
    field: Field,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        outcome.with(|latest| match latest {
            Some(Err(err)) if err.field_of() == Some(field) => Some(error_text(i18n, err)),
            _ => None,
        })
    })
}

/// The initial text of a `<textarea>`, as HTML. The renderer writes a
/// textarea's children unescaped (like `<script>`), so a note holding
/// `</textarea>` would end the element and inject what follows; the text goes
/// in escaped instead, which the browser reads back as exactly the text.
pub fn textarea_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

/// A labelled input with its error underneath, wired for screen readers.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
            />
            <p class="field-error" id=error_id aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The query parameter naming the server function whose plain form post (no
/// JavaScript) just succeeded; the server adds it to the redirect back.
pub const DONE_PARAM: &str = "__done";

/// An alert for an outcome's error that no field shows; a success note
/// otherwise: after the action completed in the browser, or, without
/// JavaScript, when the server names `done` (the action's server function) as
/// what the post back to this page did.
#[component]
pub fn FormStatus<T: Clone + Send + Sync + 'static>(
    outcome: Outcome<T>,
    #[prop(into)] success: Signal<String>,
    #[prop(optional)] done: Option<&'static str>,
) -> impl IntoView {
    let done_by_post = done.is_some_and(|path| {
        use_query_map().with_untracked(|query| query.get(DONE_PARAM).as_deref() == Some(path))
    });
    move || {
        outcome.with(|latest| {
            let succeeded = matches!(latest, Some(Ok(_))) || (latest.is_none() && done_by_post);
            match latest {
                Some(Err(err)) if err.field_of().is_none() => {
                    view! { <ErrorAlert error=err.clone() /> }.into_any()
                }
                _ if succeeded => view! {
                    <p class="alert alert-success" role="status">{success.get()}</p>
                }
                .into_any(),
                _ => ().into_any(),
            }
        })
    }
}

/// A form reference that empties the form after each successful submission,
/// so the next entry starts clean (with JavaScript; without it the page reloads).
pub fn cleared_on_success<T: Send + Sync + 'static>(
    outcome: Outcome<T>,
) -> NodeRef<leptos::html::Form> {
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if outcome.with(|latest| matches!(latest, Some(Ok(_)))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    form
}
