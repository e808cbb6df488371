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

pub async fn read_form(
    data: MultipartData,
    file_field: &str,
    max_file: usize,
) -> Result<UploadedForm, AppError> {
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
        let limit = if is_file { max_file } else { MAX_TEXT_FIELD };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
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
    Ok(form)
}
