//! Reading a multipart form: small text fields and one file, with a hard cap
//! on the file so an upload never grows past what the caller allows.

use leptos::server_fn::codec::MultipartData;
use std::collections::HashMap;

use crate::error::{AppError, Field, Problem, WorkbookProblem};

pub struct UploadedForm {
    pub fields: HashMap<String, String>,
    pub file: Option<Vec<u8>>,
}

const MAX_TEXT_FIELD: usize = 4 * 1024;

/// Reads the form. `before_file` sees the text fields sent before the file (or
/// all of them, when there is no file) and may refuse: the file's bytes are
/// read only once it agrees, so nobody uploads megabytes they may not send.
pub async fn read_form(
    data: MultipartData,
    file_field: &str,
    max_file: usize,
    before_file: impl AsyncFnOnce(&HashMap<String, String>) -> Result<(), AppError>,
) -> Result<UploadedForm, AppError> {
    let mut check = Some(before_file);
    let mut multipart = data.into_inner().ok_or(AppError::BadRequest)?;
    let mut form = UploadedForm {
        fields: HashMap::new(),
        file: None,
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest)?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = name == file_field;
        if is_file {
            if let Some(check) = check.take() {
                check(&form.fields).await?;
            }
        }
        let limit = if is_file { max_file } else { MAX_TEXT_FIELD };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > limit {
                return Err(if is_file {
                    AppError::field(Field::File, Problem::Workbook(WorkbookProblem::TooLarge))
                } else {
                    AppError::BadRequest
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            form.file = (!bytes.is_empty()).then_some(bytes);
        } else {
            let text = String::from_utf8(bytes).map_err(|_| AppError::BadRequest)?;
            form.fields.insert(name, text);
        }
    }
    if let Some(check) = check.take() {
        check(&form.fields).await?;
    }
    Ok(form)
}

/// A body cut off at the server's size limit is a file too large, not a malformed request.
fn multipart_error(err: impl std::fmt::Display) -> AppError {
    // The body limit's `LengthLimitError` reaches us only as the multipart reader's message.
    let too_large = err.to_string().contains("length limit exceeded");
    if too_large {
        AppError::field(Field::File, Problem::Workbook(WorkbookProblem::TooLarge))
    } else {
        AppError::BadRequest
    }
}
