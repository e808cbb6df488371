//! The area page's browser half: uploads of several files with a progress bar each, and saving what was
//! changed before the page became interactive.

use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{
    DragEvent, Event, EventInit, File, FileList, FormData, HtmlFormElement, HtmlInputElement,
    HtmlTextAreaElement, ProgressEvent, XmlHttpRequest,
};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::evidence::Sending;
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

/// The form an event happened on.
pub fn form_of(ev: &Event) -> Option<HtmlFormElement> {
    ev.current_target()?.dyn_into::<HtmlFormElement>().ok()
}

/// The files chosen in an upload form's file field.
pub fn chosen_files(form: &HtmlFormElement) -> Vec<File> {
    form.query_selector("input[type=file]")
        .ok()
        .flatten()
        .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .map(|list| files_of(&list))
        .unwrap_or_default()
}

/// The files dropped on an upload form.
pub fn dropped_files(ev: &DragEvent) -> Vec<File> {
    ev.data_transfer()
        .and_then(|transfer| transfer.files())
        .map(|list| files_of(&list))
        .unwrap_or_default()
}

/// A file's size in bytes.
pub fn size_of(file: &File) -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bytes = file.size() as u64;
    bytes
}

fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|n| list.get(n)).collect()
}

/// Sends the files one after another, each as the form with that one file,
/// then calls `on_done`.
pub fn send_all(
    form: HtmlFormElement,
    queue: VecDeque<(File, Sending)>,
    on_sent: impl Fn(EvidenceView) + 'static,
    on_done: impl Fn() + 'static,
) {
    send_next(
        form,
        Rc::new(RefCell::new(queue)),
        Rc::new(on_sent),
        Rc::new(on_done),
    );
}

fn send_next(
    form: HtmlFormElement,
    queue: Rc<RefCell<VecDeque<(File, Sending)>>>,
    on_sent: Rc<dyn Fn(EvidenceView)>,
    on_done: Rc<dyn Fn()>,
) {
    let Some((file, row)) = queue.borrow_mut().pop_front() else {
        return on_done();
    };
    row.progress.set(Some(0.0));
    let progress = row.progress;
    send(&form, &file, progress, {
        let form = form.clone();
        move |result| {
            row.progress.set(None);
            match result {
                Ok(view) => {
                    on_sent(view);
                    row.outcome.set(Some(Ok(())));
                }
                Err(err) => row.outcome.set(Some(Err(err))),
            }
            send_next(
                form.clone(),
                queue.clone(),
                on_sent.clone(),
                on_done.clone(),
            );
        }
    });
}

/// Posts the form with this one file through XMLHttpRequest, the one browser
/// API that reports upload progress.
fn send(
    form: &HtmlFormElement,
    file: &File,
    progress: RwSignal<Option<f64>>,
    done: impl Fn(Result<EvidenceView, AppError>) + 'static,
) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return done(Err(AppError::Network));
    };
    let Ok(data) = FormData::new_with_form(form) else {
        return done(Err(AppError::BadRequest));
    };
    if data
        .set_with_blob_and_filename("file", file, &file.name())
        .is_err()
        || xhr.open("POST", &form.action()).is_err()
    {
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
    let done = Rc::new(done);
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
    let failed = {
        let done = done.clone();
        Closure::<dyn Fn()>::new(move || done(Err(AppError::Network)))
    };
    xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
    failed.forget();
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        done(Err(AppError::Network));
    }
}
