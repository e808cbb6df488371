//! The area page's browser half: uploads with progress, and saving what was
//! changed before the page became interactive.

use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{
    Event, EventInit, FormData, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
    ProgressEvent, XmlHttpRequest,
};

use crate::error::AppError;
use crate::model::EvidenceView;

/// Fires `change` on every answer or note that differs from what the
/// server rendered (a choice made before the page became interactive), so
/// it is saved like one made now. A radio that was only unchecked is left
/// alone: the one now checked carries the choice.
pub fn save_changes_made_while_loading() {
    let Some(form) = document()
        .get_element_by_id("answers")
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let controls = form.elements();
    let changed = (0..controls.length())
        .filter_map(|n| controls.item(n))
        .filter(|control| {
            if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
                if input.type_() == "radio" {
                    input.checked() && !input.default_checked()
                } else {
                    input.value() != input.default_value()
                }
            } else if let Some(note) = control.dyn_ref::<HtmlTextAreaElement>() {
                note.default_value()
                    .is_ok_and(|initial| note.value() != initial)
            } else {
                false
            }
        })
        .collect::<Vec<_>>();
    let init = EventInit::new();
    init.set_bubbles(true);
    for control in changed {
        if let Ok(event) = Event::new_with_event_init_dict("change", &init) {
            let _ = control.dispatch_event(&event);
        }
    }
}

/// The size of the file chosen in an upload form, if any.
pub fn chosen_file_size(form: &HtmlFormElement) -> Option<u64> {
    let input = form
        .query_selector("input[type=file]")
        .ok()
        .flatten()?
        .dyn_into::<HtmlInputElement>()
        .ok()?;
    let file = input.files()?.get(0)?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(file.size() as u64)
}

/// Posts the form with XMLHttpRequest, the one browser API that reports upload progress.
pub fn send(
    form: HtmlFormElement,
    progress: RwSignal<Option<f64>>,
    done: impl Fn(Result<EvidenceView, AppError>) + 'static,
) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return done(Err(AppError::Network));
    };
    let Ok(data) = FormData::new_with_form(&form) else {
        return done(Err(AppError::BadRequest));
    };
    if xhr.open("POST", &form.action()).is_err() {
        return done(Err(AppError::Network));
    }
    let _ = xhr.set_request_header("Accept", "application/json");
    if let Ok(upload) = xhr.upload() {
        let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress.set(Some(ev.loaded() / ev.total()));
            }
        });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = std::rc::Rc::new(done);
    let finished = {
        let xhr = xhr.clone();
        let done = done.clone();
        Closure::<dyn Fn()>::new(move || {
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            let status = xhr.status().unwrap_or(0);
            let result = if (200..300).contains(&status) {
                serde_json::from_str::<EvidenceView>(&text).map_err(|_| AppError::Internal)
            } else {
                Err(serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Network))
            };
            done(result);
        })
    };
    xhr.set_onload(Some(finished.as_ref().unchecked_ref()));
    finished.forget();
    let failed = Closure::<dyn Fn()>::new(move || done(Err(AppError::Network)));
    xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
    failed.forget();
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        progress.set(None);
    }
}
