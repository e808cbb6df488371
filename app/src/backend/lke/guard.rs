//! Checks on untrusted files before any parsing: size, container type, zip bombs.

use std::io::{Cursor, Read};
use std::path::Path;

use super::error::{ImportError, ZipBombKind};

/// Resource limits for reading untrusted workbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file.
    pub max_file_bytes: u64,
    /// Most entries in the zip container.
    pub max_entries: u64,
    /// Largest sum of declared uncompressed entry sizes.
    pub max_uncompressed_bytes: u64,
    /// Highest uncompressed/compressed ratio of an entry larger than `ratio_floor_bytes`.
    pub max_ratio: u64,
    pub ratio_floor_bytes: u64,
    /// Most non-empty rows read from a sheet.
    pub max_rows: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_entries: 10_000,
            max_uncompressed_bytes: 200 * 1024 * 1024,
            max_ratio: 200,
            ratio_floor_bytes: 1024 * 1024,
            max_rows: 10_000,
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a file, refusing it before reading when it is larger than the limit.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ImportError> {
    let io = |e: std::io::Error| ImportError::Io {
        message: e.kind().to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            size,
            limit: limits.max_file_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` bounds memory even if the file grows while we read it.
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    check_size(bytes.len() as u64, limits)?;
    Ok(bytes)
}

fn check_size(size: u64, limits: &Limits) -> Result<(), ImportError> {
    if size > limits.max_file_bytes {
        Err(ImportError::TooLarge {
            size,
            limit: limits.max_file_bytes,
        })
    } else {
        Ok(())
    }
}

/// Refuses anything that is not a reasonable .xlsx container.
pub fn check_container(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    check_size(bytes.len() as u64, limits)?;
    if bytes.starts_with(CFB_MAGIC) {
        return Err(if contains_utf16(bytes, "EncryptedPackage") {
            ImportError::Encrypted
        } else {
            ImportError::LegacyXls
        });
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(ImportError::NotXlsx);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::NotXlsx)?;
    let count = zip.len() as u64;
    if count > limits.max_entries {
        return Err(bomb(ZipBombKind::TooManyEntries {
            count,
            limit: limits.max_entries,
        }));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(corrupt)?;
        if entry.encrypted() {
            return Err(ImportError::Encrypted);
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > limits.ratio_floor_bytes && size / packed.max(1) > limits.max_ratio {
            return Err(bomb(ZipBombKind::RatioTooHigh {
                entry: entry_name(&entry),
                ratio: size / packed.max(1),
                limit: limits.max_ratio,
            }));
        }
    }
    if total > limits.max_uncompressed_bytes {
        return Err(bomb(ZipBombKind::UncompressedTooLarge {
            size: total,
            limit: limits.max_uncompressed_bytes,
        }));
    }
    verify_declared_sizes(&mut zip)
}

/// Inflates every entry into a sink, refusing any that produces more than it declares
/// (headers can lie; the parser would otherwise trust them).
fn verify_declared_sizes(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ImportError> {
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(corrupt)?;
        let declared = entry.size();
        let name = entry_name(&entry);
        let produced = std::io::copy(
            &mut entry.take(declared.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| ImportError::Corrupt {
            message: e.to_string(),
        })?;
        if produced > declared {
            return Err(bomb(ZipBombKind::SizeMismatch {
                entry: name,
                declared,
            }));
        }
    }
    Ok(())
}

fn entry_name<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> String {
    entry.name().map(|n| n.into_owned()).unwrap_or_default()
}

fn bomb(kind: ZipBombKind) -> ImportError {
    ImportError::ZipBomb(kind)
}

fn corrupt(e: zip::result::ZipError) -> ImportError {
    ImportError::Corrupt {
        message: e.to_string(),
    }
}

fn contains_utf16(haystack: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    haystack.windows(pattern.len()).any(|w| w == pattern)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn refuses_non_zip_and_ole() {
        let l = Limits::default();
        assert_eq!(
            check_container(b"hello, world", &l),
            Err(ImportError::NotXlsx)
        );
        assert_eq!(check_container(b"", &l), Err(ImportError::NotXlsx));
        let mut ole = CFB_MAGIC.to_vec();
        ole.extend(vec![0u8; 600]);
        assert_eq!(check_container(&ole, &l), Err(ImportError::LegacyXls));
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(check_container(&ole, &l), Err(ImportError::Encrypted));
        let mut truncated = ZIP_MAGIC.to_vec();
        truncated.extend(b"garbage");
        assert_eq!(check_container(&truncated, &l), Err(ImportError::NotXlsx));
    }

    #[test]
    fn refuses_oversized_files() {
        let l = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            check_container(&[0u8; 11], &l),
            Err(ImportError::TooLarge {
                size: 11,
                limit: 10
            })
        ));
    }

    #[test]
    fn refuses_high_ratio_and_huge_totals() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let bytes = zip_with(&[("xl/sharedStrings.xml", &zeros)]);
        assert!(matches!(
            check_container(&bytes, &Limits::default()),
            Err(ImportError::ZipBomb(ZipBombKind::RatioTooHigh { .. }))
        ));
        let l = Limits {
            max_uncompressed_bytes: 1000,
            ..Limits::default()
        };
        let bytes = zip_with(&[("a.xml", &[b'x'; 600]), ("b.xml", &[b'y'; 600])]);
        assert!(matches!(
            check_container(&bytes, &l),
            Err(ImportError::ZipBomb(ZipBombKind::UncompressedTooLarge {
                size: 1200,
                ..
            }))
        ));
        let l = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        assert!(matches!(
            check_container(&bytes, &l),
            Err(ImportError::ZipBomb(ZipBombKind::TooManyEntries {
                count: 2,
                ..
            }))
        ));
    }

    #[test]
    fn refuses_entries_that_lie_about_their_size() {
        let data = vec![b'a'; 5000];
        let mut bytes = zip_with(&[("x.xml", &data)]);
        // Patch the declared uncompressed size (local header offset 22, central
        // directory entry offset 24) down to 10 bytes.
        let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[22..26].copy_from_slice(&10u32.to_le_bytes());
        bytes[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        let r = check_container(&bytes, &Limits::default());
        assert!(
            matches!(
                r,
                Err(ImportError::ZipBomb(ZipBombKind::SizeMismatch { .. }))
                    | Err(ImportError::Corrupt { .. })
            ),
            "{r:?}"
        );
    }

    #[test]
    fn accepts_the_reference_workbook() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/lke-zi-90-2021-filled-example.xlsx"
        ))
        .unwrap();
        assert_eq!(check_container(&bytes, &Limits::default()), Ok(()));
    }
}
