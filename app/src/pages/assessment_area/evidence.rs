//! The evidence files of one item: the list, replace, link to another item,
//! delete and restore, and the upload form.

use crate::api::evidence::{DeleteEvidence, LinkEvidence, RestoreEvidence};
use crate::components::error::error_text;
use crate::components::section::size_text;
use crate::domain::assessment::scored_items;
use crate::domain::lke::{HasilItemId, ItemCode};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::EvidenceView;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use super::browser;
use super::Walk;

const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.mp4";

#[component]
pub(super) fn EvidenceList(item: ItemCode, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let files = move |current: bool| {
        walk.evidence.with(|all| {
            all.iter()
                .filter(|e| {
                    e.items.contains(&item) && e.replaced_by.is_none() && e.deleted != current
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let previous = move || {
        walk.evidence.with(|all| {
            all.iter()
                .filter(|e| e.items.contains(&item) && e.replaced_by.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="evidence">
            <h4>{t!(i18n, evidence.title)}</h4>
            {move || files(true).is_empty().then(|| view! { <p class="muted">{t!(i18n, evidence.none)}</p> })}
            // Keyed by file: an open "Ganti" panel stays with its own file when the list changes.
            <ul class="files">
                <For each=move || files(true) key=|file| file.id.clone() let:file>
                    <FileRow file walk />
                </For>
            </ul>
            {move || {
                let deleted = files(false);
                (!deleted.is_empty()).then(|| view! {
                    <details class="deleted">
                        <summary>{t!(i18n, evidence.deleted)} " (" {deleted.len()} ")"</summary>
                        <ul class="files">
                            {deleted.into_iter().map(|file| view! { <DeletedRow file walk /> }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            {move || {
                let old = previous();
                (!old.is_empty()).then(|| view! {
                    <details class="previous">
                        <summary>{t!(i18n, evidence.previous)} " (" {old.len()} ")"</summary>
                        <ul class="files">
                            {old.into_iter().map(|file| view! {
                                <li><a href=format!("/evidence/{}", file.id)>{file.name.clone()}</a> " " <span class="muted">{size_text(file.size)}</span></li>
                            }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            {walk.editable.then(|| view! { <UploadForm item walk replaces=None /> })}
        </div>
    }
    .into_any()
}

#[component]
fn FileRow(file: EvidenceView, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteEvidence>::new();
    let id = file.id.clone();
    let deleted_id = id.clone();
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            walk.evidence.update(|all| {
                if let Some(f) = all.iter_mut().find(|f| f.id == deleted_id) {
                    f.deleted = true;
                }
            });
        }
    });
    let href = format!("/evidence/{id}");
    let preview = format!("/evidence/{id}?inline=1");
    let is_image = file.mime.starts_with("image/");
    // Loaded only when opened, so a page of many files stays light.
    let opened = RwSignal::new(false);
    view! {
        <li class="file">
            <a href=href.clone() download>{file.name.clone()}</a>
            " " <span class="muted">{size_text(file.size)} " · " {file.uploaded_by.clone().unwrap_or_default()}</span>
            {file.previewable().then(|| view! {
                <details class="preview" on:toggle=move |_| opened.set(true)>
                    <summary>{t!(i18n, evidence.preview)}</summary>
                    <a href=preview.clone() target="_blank" rel="noopener">{t!(i18n, evidence.open)}</a>
                    {
                        let (preview, name) = (preview.clone(), file.name.clone());
                        move || opened.get().then(|| if is_image {
                            view! { <img src=preview.clone() alt=name.clone() /> }.into_any()
                        } else {
                            view! { <iframe src=preview.clone() title=name.clone()></iframe> }.into_any()
                        })
                    }
                </details>
            })}
            {walk.editable.then(|| view! {
                <details class="replace">
                    <summary>{t!(i18n, evidence.replace)}</summary>
                    <UploadForm item=file.items.first().copied().unwrap_or(ItemCode::Hasil(HasilItemId::Ipak)) walk replaces=Some(id.clone()) />
                </details>
                <LinkForm id=id.clone() walk />
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="link-button danger">{t!(i18n, evidence.delete)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// Links a file to one more item (one SK often proves several), without
/// storing it twice. The field offers every item of the LKE by code and text
/// (a `<datalist>`, so the browser's own picker searches it, also without
/// JavaScript); the file shows under its new item at once.
#[component]
fn LinkForm(id: String, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let link = ServerAction::<LinkEvidence>::new();
    let field = format!("link-{id}");
    let linking = StoredValue::new(None::<ItemCode>);
    Effect::new(move |_| {
        if let Some(input) = link.input().get() {
            linking.set_value(input.item.trim().parse().ok());
        }
    });
    let file = id.clone();
    Effect::new(move |_| {
        if matches!(link.value().get(), Some(Ok(()))) {
            if let Some(item) = linking.get_value() {
                walk.evidence.update(|all| {
                    if let Some(f) = all.iter_mut().find(|f| f.id == file) {
                        if !f.items.contains(&item) {
                            f.items.push(item);
                        }
                    }
                });
            }
        }
    });
    view! {
        <details class="link">
            <summary>{t!(i18n, evidence.link)}</summary>
            <ActionForm action=link attr:class="inline-form">
                <input type="hidden" name="id" value=id.clone() />
                <label for=field.clone()>{t!(i18n, evidence.link_item)}</label>
                " "
                <input id=field name="item" required list=ITEM_PICKER autocomplete="off"
                    placeholder=move || t_string!(i18n, evidence.link_placeholder) size="28" />
                " "
                <button type="submit" class="button">{t!(i18n, evidence.link_button)}</button>
                {move || link.value().with(|latest| match latest {
                    Some(Ok(())) => Some(view! { <span role="status">{t!(i18n, common.saved)}</span> }.into_any()),
                    Some(Err(err)) => Some(view! { <span class="field-error" role="alert">{error_text(i18n, err)}</span> }.into_any()),
                    None => None,
                })}
            </ActionForm>
        </details>
    }
}

/// The id of the page's one list of LKE items that every link field offers.
const ITEM_PICKER: &str = "lke-items";

/// Every item of the LKE, by code with its text, for the link fields.
#[component]
pub(super) fn ItemPicker(walk: Walk) -> impl IntoView {
    let options = walk.rubric.with_value(|rubric| {
        scored_items(rubric)
            .map(|item| {
                let text: String = rubric
                    .item_text(item)
                    .unwrap_or_default()
                    .chars()
                    .take(90)
                    .collect();
                view! { <option value=item.to_string()>{format!("{item} · {text}")}</option> }
            })
            .collect_view()
    });
    view! { <datalist id=ITEM_PICKER>{options}</datalist> }
}

#[component]
fn DeletedRow(file: EvidenceView, walk: Walk) -> impl IntoView {
    let i18n = use_i18n();
    let restore = ServerAction::<RestoreEvidence>::new();
    let id = file.id.clone();
    let restored_id = id.clone();
    Effect::new(move |_| {
        if matches!(restore.value().get(), Some(Ok(()))) {
            walk.evidence.update(|all| {
                if let Some(f) = all.iter_mut().find(|f| f.id == restored_id) {
                    f.deleted = false;
                }
            });
        }
    });
    view! {
        <li class="file muted">
            {file.name.clone()}
            {walk.editable.then(|| view! {
                <ActionForm action=restore attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="link-button">{t!(i18n, evidence.restore)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// A plain multipart form (works without JavaScript); with JavaScript it
/// uploads in the background and shows a progress bar.
/// One file on its way to the server, as its row in the upload list shows it.
#[derive(Clone)]
pub(super) struct Sending {
    pub name: String,
    pub progress: RwSignal<Option<f64>>,
    pub outcome: RwSignal<Option<Result<(), AppError>>>,
}

/// The upload form. Without JavaScript it posts one file. With it, several
/// files can be chosen or dropped on the form; they go up one after another
/// (each gets the whole link), each with its own progress bar and outcome,
/// and one too large is refused before it is sent while the others go on.
#[component]
fn UploadForm(item: ItemCode, walk: Walk, replaces: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let replacing = replaces.is_some();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let sending = RwSignal::new(Vec::<Sending>::new());
    let busy = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let action = format!("/assessments/{}/evidence", walk.assessment.get_value());
    let return_to = format!("{}#{item}", walk.return_to.get_value());
    // Without JavaScript a new file's Unggah posts the whole area's form, so
    // answers typed since the last save go up with the file instead of being
    // lost; its item and way back ride in the address.
    let plain = move || !hydrated.get() && !replacing && walk.editable;
    let carrying_answers = format!(
        "{action}?{}",
        serde_urlencoded::to_string([("item", item.to_string()), ("return_to", return_to.clone())])
            .unwrap_or_default()
    );
    let input_id = format!(
        "upload-{item}-{}",
        replaces.clone().unwrap_or_else(|| "new".to_owned())
    );
    #[cfg(feature = "hydrate")]
    let start = move |form: leptos::web_sys::HtmlFormElement,
                      mut files: Vec<leptos::web_sys::File>| {
        if busy.get_untracked() || files.is_empty() {
            return;
        }
        if replacing {
            files.truncate(1);
        }
        let max = walk.max_file;
        let mut queue = std::collections::VecDeque::new();
        let rows = files
            .into_iter()
            .map(|file| {
                let row = Sending {
                    name: file.name(),
                    progress: RwSignal::new(None),
                    outcome: RwSignal::new(None),
                };
                if browser::size_of(&file) > max.bytes() {
                    row.outcome.set(Some(Err(AppError::Evidence {
                        problem: crate::error::EvidenceProblem::TooLarge { max_mb: max.mb() },
                    })));
                } else {
                    queue.push_back((file, row.clone()));
                }
                row
            })
            .collect();
        sending.set(rows);
        busy.set(true);
        let on_sent = move |view: EvidenceView| {
            walk.evidence.update(|all| {
                if let Some(old) = view.replaces.as_ref() {
                    if let Some(f) = all.iter_mut().find(|f| &f.id == old) {
                        f.replaced_by = Some(view.id.clone());
                    }
                }
                all.retain(|f| f.id != view.id);
                all.push(view);
            });
        };
        let sent_form = form.clone();
        // A second click must not send the same files again.
        let on_done = move || {
            sent_form.reset();
            busy.set(false);
        };
        browser::send_all(form, queue, on_sent, on_done);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if let Some(form) = browser::form_of(&ev) {
                let files = browser::chosen_files(&form);
                start(form, files);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if let Some(form) = browser::form_of(&ev) {
                start(form, browser::dropped_files(&ev));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_drag_over = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    view! {
        <form class="upload-form" class:dragging=move || dragging.get() method="post" action=action enctype="multipart/form-data"
            on:submit=on_submit on:drop=on_drop on:dragover=on_drag_over on:dragleave=move |_| dragging.set(false)>
            <input type="hidden" name="return_to" value=return_to />
            <input type="hidden" name="item" value=item.to_string() />
            {replaces.map(|id| view! { <input type="hidden" name="replaces" value=id /> })}
            <label for=input_id.clone() class="visually-hidden">{t!(i18n, evidence.file)}</label>
            // Several files only where the browser code sends them one by one.
            // In the area's form each question's file has its own name: the
            // Save button's plain post may not repeat a key.
            <input id=input_id type="file" accept=ACCEPT
                name=move || if plain() { format!("file[{item}]") } else { "file".to_owned() }
                required=move || !plain() multiple=move || hydrated.get() && !replacing
                form=move || plain().then_some("answers") />
            <span class="muted upload-limit">{t!(i18n, evidence.limit, max_mb = walk.max_file.mb())}</span>
            <button type="submit" class="button" disabled=move || busy.get()
                form=move || plain().then_some("answers")
                formaction=move || plain().then(|| carrying_answers.clone())
                formenctype=move || plain().then_some("multipart/form-data")
                formmethod=move || plain().then_some("post")>
                {t!(i18n, evidence.upload)}
            </button>
            {move || (hydrated.get() && !replacing).then(|| view! { <span class="muted drop-hint">{t!(i18n, evidence.drop)}</span> })}
            <ul class="upload-list">
                {move || sending.get().into_iter().map(|row| view! { <SendingRow row /> }).collect_view()}
            </ul>
        </form>
    }
    .into_any()
}

#[component]
fn SendingRow(row: Sending) -> impl IntoView {
    let i18n = use_i18n();
    let Sending {
        name,
        progress,
        outcome,
    } = row;
    view! {
        <li>
            <span class="upload-name">{name}</span> " "
            {move || match (outcome.get(), progress.get()) {
                (Some(Ok(())), _) => view! { <span class="save-ok" role="status">{t!(i18n, evidence.uploaded)}</span> }.into_any(),
                (Some(Err(err)), _) => view! { <span class="field-error" role="alert">{error_text(i18n, &err)}</span> }.into_any(),
                (None, Some(share)) => view! {
                    <progress max="100" value=format!("{:.0}", share * 100.0) aria-label=move || t_string!(i18n, evidence.uploading)></progress>
                }.into_any(),
                (None, None) => view! { <span class="muted">{t!(i18n, evidence.waiting)}</span> }.into_any(),
            }}
        </li>
    }
}
