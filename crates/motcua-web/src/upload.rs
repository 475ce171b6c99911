//! Multipart forms with files (the reception form, scan uploads): read whole, each file
//! bounded by the scan store's size limit while it streams in.
//!
//! A file over the limit is not kept in memory: its remaining bytes are read and dropped so
//! the browser receives the answer (a server that stops reading mid-upload makes browsers
//! show a broken connection instead of the message), and the form comes back with the
//! refusal. Nothing is written anywhere here; the caller decides after the whole form is in.

use std::collections::HashMap;

use axum::extract::Multipart;
use motcua_store::Files;

use crate::WebError;
use crate::view::size_text;

/// The most files one form may carry.
pub const MAX_FILES: usize = 12;

/// A file of the form.
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A form read whole: its text fields, its files, and the first file refused for its size.
#[derive(Default)]
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
    pub too_large: Option<WebError>,
    /// Every file refused for its size: its field and the message, for the form to show
    /// beside that field.
    pub oversized: Vec<(String, String)>,
}

impl UploadForm {
    /// A text field, `""` when absent.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The file sent in `field`, if one was chosen.
    pub fn file(&self, field: &str) -> Option<&Upload> {
        self.files.iter().find(|f| f.field == field)
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge(
            "dữ liệu gửi lên vượt giới hạn cho phép; hãy gửi ít tệp hơn hoặc tệp nhỏ hơn"
                .to_owned(),
        )
    } else {
        WebError::BadRequest(
            "biểu mẫu gửi lên không đọc được (dữ liệu multipart/form-data sai dạng)".to_owned(),
        )
    }
}

/// Reads a multipart form; files are bounded by `files`' size limit.
pub async fn read(mut multipart: Multipart, files: &Files) -> Result<UploadForm, WebError> {
    let mut form = UploadForm::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            None => {
                let text = field.text().await.map_err(multipart_error)?;
                if text.len() > 10_000 {
                    return Err(WebError::BadRequest(format!(
                        "trường «{name}» của biểu mẫu quá dài"
                    )));
                }
                form.fields.insert(name, text);
            }
            // A file input left empty sends an empty part without a name.
            Some(file_name) if file_name.is_empty() => {
                while field.chunk().await.map_err(multipart_error)?.is_some() {}
            }
            Some(file_name) => {
                if form.files.len() >= MAX_FILES {
                    return Err(WebError::BadRequest(format!(
                        "mỗi lần gửi được tối đa {MAX_FILES} tệp"
                    )));
                }
                let mut bytes = Vec::new();
                let mut size: u64 = 0;
                let mut refused = None;
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    size += chunk.len() as u64;
                    if refused.is_none() {
                        match files.check_size(&file_name, size) {
                            Ok(()) => bytes.extend_from_slice(&chunk),
                            Err(e) => {
                                refused = Some(e);
                                bytes = Vec::new();
                            }
                        }
                    }
                }
                match refused {
                    Some(_) => {
                        // The size reported is the whole file's, in KB or MB.
                        let message = format!(
                            "Tệp «{}» ({}) vượt giới hạn {} cho một tệp; quét lại với độ phân giải thấp hơn.",
                            motcua_core::details::clean_file_name(&file_name),
                            size_text(size),
                            size_text(files.max_bytes())
                        );
                        if form.too_large.is_none() {
                            form.too_large = Some(WebError::PayloadTooLarge(message.clone()));
                        }
                        form.oversized.push((name, message));
                    }
                    None => form.files.push(Upload {
                        field: name,
                        file_name,
                        bytes,
                    }),
                }
            }
        }
    }
    Ok(form)
}

/// The body limit of a route that takes files: every file at the limit, and the text.
pub fn body_limit(files: &Files) -> usize {
    let per_file = usize::try_from(files.max_bytes()).unwrap_or(usize::MAX / 2);
    per_file
        .saturating_mul(MAX_FILES)
        .saturating_add(1024 * 1024)
}
