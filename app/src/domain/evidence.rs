//! What counts as acceptable evidence (data dukung): the file types allowed by
//! default, decided from the sniffed content type, and the size limit.

use serde::{Deserialize, Serialize};

/// The content types a unit may upload, by the type sniffed from the bytes.
pub const ALLOWED_TYPES: [&str; 11] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "video/mp4",
    "application/vnd.oasis.opendocument.presentation",
];

pub fn is_allowed(sniffed: &str) -> bool {
    ALLOWED_TYPES.contains(&sniffed)
}

/// Whether the browser may show the file inside the page rather than download it.
pub fn is_inline(mime: &str) -> bool {
    matches!(
        mime,
        "application/pdf" | "image/jpeg" | "image/png" | "image/webp"
    )
}

/// The largest evidence file accepted, in bytes (configurable; 25 MB by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxFileSize(u64);

impl MaxFileSize {
    pub const DEFAULT_MB: u32 = 25;

    pub fn from_mb(mb: u32) -> MaxFileSize {
        MaxFileSize(u64::from(mb.max(1)) * 1024 * 1024)
    }

    pub fn bytes(self) -> u64 {
        self.0
    }

    pub fn mb(self) -> u32 {
        u32::try_from(self.0 / (1024 * 1024)).unwrap_or(u32::MAX)
    }
}

/// A file name safe to show and to put in a download header or a ZIP: no
/// path, no control characters, at most 200 characters, never empty.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(200)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "berkas".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_types_pass() {
        assert!(is_allowed("application/pdf"));
        assert!(is_allowed("video/mp4"));
        assert!(!is_allowed("text/html"));
        assert!(!is_allowed("application/zip"));
        assert!(!is_allowed("application/x-msdownload"));
        assert!(is_inline("image/png") && !is_inline("video/mp4"));
    }

    #[test]
    fn names_lose_paths_and_dangerous_characters() {
        assert_eq!(clean_file_name("C:\\Users\\x\\SK Tim.pdf"), "SK Tim.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\"c.pdf"), "ab_c.pdf");
        assert_eq!(clean_file_name("..."), "berkas");
        assert_eq!(clean_file_name(&"x".repeat(500)).len(), 200);
    }

    #[test]
    fn size_limit_in_megabytes() {
        assert_eq!(MaxFileSize::from_mb(25).bytes(), 25 * 1024 * 1024);
        assert_eq!(MaxFileSize::from_mb(0).mb(), 1);
    }
}
