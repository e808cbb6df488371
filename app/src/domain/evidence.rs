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

/// What the inside of a ZIP-based document says about it.
#[derive(Debug, Default)]
pub struct Container<'a> {
    /// Every entry's name, in any order.
    pub entries: &'a [String],
    /// The text of `[Content_Types].xml` (Office Open XML), if present.
    pub content_types: Option<&'a str>,
    /// The text of the `mimetype` entry (OpenDocument), if present.
    pub mimetype: Option<&'a str>,
}

/// The main parts that make an Office Open XML package a document we accept.
const OOXML_MAIN_PARTS: [(&str, &str); 3] = [
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

/// What no document needs to carry: programs and macros.
const EXECUTABLE_ENDINGS: [&str; 14] = [
    ".exe",
    ".dll",
    ".com",
    ".scr",
    ".msi",
    ".bat",
    ".cmd",
    ".ps1",
    ".vbs",
    ".js",
    ".jar",
    ".class",
    ".hta",
    "vbaproject.bin",
];

/// The document type of a ZIP container, decided by what it declares (its
/// content types or its `mimetype`), whatever the order of its entries: Word,
/// LibreOffice, WPS and generators all order them differently. A ZIP that
/// declares nothing we accept, names a main part it does not hold, or carries
/// a program or macros is no document.
pub fn container_type(container: &Container<'_>) -> Option<&'static str> {
    let has = |name: &str| container.entries.iter().any(|e| e == name);
    let carries_code = container.entries.iter().any(|e| {
        let lower = e.to_ascii_lowercase();
        EXECUTABLE_ENDINGS.iter().any(|end| lower.ends_with(end))
    });
    if carries_code {
        return None;
    }
    if let Some(mimetype) = container.mimetype {
        let declared = mimetype.trim();
        return ALLOWED_TYPES
            .iter()
            .find(|t| t.starts_with("application/vnd.oasis.opendocument.") && **t == declared)
            .filter(|_| has("content.xml"))
            .copied();
    }
    let overrides = container.content_types?.split("<Override").skip(1);
    for element in overrides {
        let element = element.split('>').next().unwrap_or_default();
        let (Some(part), Some(kind)) = (
            attribute(element, "PartName"),
            attribute(element, "ContentType"),
        ) else {
            continue;
        };
        let Some((_, mime)) = OOXML_MAIN_PARTS.iter().find(|(main, _)| *main == kind) else {
            continue;
        };
        if has(part.trim_start_matches('/')) {
            return Some(mime);
        }
    }
    None
}

/// The value of `name="…"` (or `name='…'`) in the text of one XML start tag.
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let at = element.find(&format!("{name}="))? + name.len() + 1;
    let rest = &element[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    value.find(quote).map(|end| &value[..end])
}

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
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
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

/// Direction overrides and zero-width characters: `laporan\u{202E}fdp.exe`
/// would show as `laporanexe.pdf`.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The extensions a file of a sniffed type may carry; the first is the usual one.
fn extensions(mime: &str) -> &'static [&'static str] {
    match mime {
        "application/pdf" => &["pdf"],
        "image/jpeg" => &["jpg", "jpeg"],
        "image/png" => &["png"],
        "image/webp" => &["webp"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => &["docx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => &["xlsx"],
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => &["pptx"],
        "application/vnd.oasis.opendocument.text" => &["odt"],
        "application/vnd.oasis.opendocument.spreadsheet" => &["ods"],
        "application/vnd.oasis.opendocument.presentation" => &["odp"],
        "video/mp4" => &["mp4"],
        _ => &[],
    }
}

/// The name a file is stored and served under: cleaned, and ending in an
/// extension of the type its bytes are (`scan.hta` that is a PDF becomes
/// `scan.hta.pdf`), so whoever opens it gets what was checked.
pub fn stored_file_name(name: &str, sniffed: &str) -> String {
    let name = clean_file_name(name);
    let allowed = extensions(sniffed);
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match allowed.first() {
        Some(usual) if !allowed.contains(&extension.as_str()) => format!("{name}.{usual}"),
        _ => name,
    }
}

/// Names for files that share a folder, in order: each keeps its own name
/// unless an earlier one took it (case aside, as Windows sees it); then it
/// becomes `name (2).ext`, `name (3).ext` …, the extension staying last so
/// the file still opens.
pub fn unique_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let (stem, ext) = match name.rfind('.') {
                Some(dot) if dot > 0 => name.split_at(dot),
                _ => (name, ""),
            };
            let chosen = std::iter::once(name.to_owned())
                .chain((2..).map(|n| format!("{stem} ({n}){ext}")))
                .find(|candidate| !taken.contains(&candidate.to_lowercase()))
                .unwrap_or_else(|| name.to_owned());
            taken.insert(chosen.to_lowercase());
            chosen
        })
        .collect()
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

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const DOCX_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    #[test]
    fn office_documents_are_known_by_what_they_declare_in_any_order() {
        let word_first = names(&[
            "[Content_Types].xml",
            "word/document.xml",
            "docProps/core.xml",
        ]);
        let props_first = names(&[
            "docProps/app.xml",
            "docProps/core.xml",
            "_rels/.rels",
            "word/document.xml",
            "[Content_Types].xml",
        ]);
        for entries in [&word_first, &props_first] {
            let container = Container {
                entries,
                content_types: Some(DOCX_TYPES),
                mimetype: None,
            };
            assert_eq!(
                container_type(&container),
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            );
        }
        let single_quoted = DOCX_TYPES.replace('"', "'");
        let container = Container {
            entries: &props_first,
            content_types: Some(&single_quoted),
            mimetype: None,
        };
        assert!(container_type(&container).is_some(), "either quote is XML");
        let odt = names(&[
            "META-INF/manifest.xml",
            "content.xml",
            "styles.xml",
            "mimetype",
        ]);
        let container = Container {
            entries: &odt,
            content_types: None,
            mimetype: Some("application/vnd.oasis.opendocument.text"),
        };
        assert_eq!(
            container_type(&container),
            Some("application/vnd.oasis.opendocument.text")
        );
    }

    #[test]
    fn a_zip_that_only_looks_like_a_document_is_not_one() {
        let jar = names(&["word/", "META-INF/MANIFEST.MF", "Main.class"]);
        assert_eq!(
            container_type(&Container {
                entries: &jar,
                ..Container::default()
            }),
            None
        );
        let missing_part = names(&["[Content_Types].xml", "docProps/core.xml"]);
        let container = Container {
            entries: &missing_part,
            content_types: Some(DOCX_TYPES),
            mimetype: None,
        };
        assert_eq!(
            container_type(&container),
            None,
            "the main part must be there"
        );
        let with_program = names(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/embeddings/setup.exe",
        ]);
        let container = Container {
            entries: &with_program,
            content_types: Some(DOCX_TYPES),
            mimetype: None,
        };
        assert_eq!(container_type(&container), None);
        let macros = DOCX_TYPES.replace(
            "wordprocessingml.document.main+xml",
            "ms-word.document.macroEnabled.main+xml",
        );
        let container = Container {
            entries: &word_first_entries(),
            content_types: Some(&macros),
            mimetype: None,
        };
        assert_eq!(
            container_type(&container),
            None,
            "macro documents are not accepted"
        );
        let fake_odf = names(&["mimetype", "payload.bin"]);
        let container = Container {
            entries: &fake_odf,
            content_types: None,
            mimetype: Some("application/vnd.oasis.opendocument.text"),
        };
        assert_eq!(container_type(&container), None);
    }

    fn word_first_entries() -> Vec<String> {
        names(&["[Content_Types].xml", "word/document.xml"])
    }

    #[test]
    fn names_lose_paths_and_dangerous_characters() {
        assert_eq!(clean_file_name("C:\\Users\\x\\SK Tim.pdf"), "SK Tim.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\"c.pdf"), "ab_c.pdf");
        assert_eq!(clean_file_name("..."), "berkas");
        assert_eq!(clean_file_name(&"x".repeat(500)).len(), 200);
        assert_eq!(clean_file_name("laporan\u{202E}fdp.exe"), "laporanfdp.exe");
        assert_eq!(clean_file_name("sk\u{200B}\u{2066}.pdf"), "sk.pdf");
    }

    #[test]
    fn a_stored_name_ends_in_the_type_its_bytes_are() {
        let pdf = "application/pdf";
        assert_eq!(stored_file_name("SK Tim.pdf", pdf), "SK Tim.pdf");
        assert_eq!(stored_file_name("SK Tim.PDF", pdf), "SK Tim.PDF");
        assert_eq!(stored_file_name("scan.hta", pdf), "scan.hta.pdf");
        assert_eq!(stored_file_name("page.html", pdf), "page.html.pdf");
        assert_eq!(stored_file_name("foto", "image/jpeg"), "foto.jpg");
        assert_eq!(stored_file_name("foto.JPEG", "image/jpeg"), "foto.JPEG");
        assert_eq!(
            stored_file_name("laporan\u{202E}fdp.exe", pdf),
            "laporanfdp.exe.pdf"
        );
        for mime in ALLOWED_TYPES {
            assert!(!extensions(mime).is_empty(), "{mime} has an extension");
        }
    }

    #[test]
    fn files_of_one_folder_get_distinct_names_that_keep_their_extension() {
        assert_eq!(
            unique_names(["dup.pdf", "dup.pdf", "dup (2).pdf", "DUP.PDF", "catatan"]),
            [
                "dup.pdf",
                "dup (2).pdf",
                "dup (2) (2).pdf",
                "DUP (3).PDF",
                "catatan"
            ]
        );
        assert_eq!(unique_names([".env", ".env"]), [".env", ".env (2)"]);
    }

    #[test]
    fn size_limit_in_megabytes() {
        assert_eq!(MaxFileSize::from_mb(25).bytes(), 25 * 1024 * 1024);
        assert_eq!(MaxFileSize::from_mb(0).mb(), 1);
    }
}
