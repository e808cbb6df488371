//! Renders a [`ReportDoc`] as a DOCX file (A4 portrait, 2 cm margins, Arial).
//!
//! The same [`ReportDoc`] is rendered as HTML elsewhere; this module only knows
//! how to lay it out for Word/LibreOffice via `docx-rs`. Everything is built in
//! memory and returned as bytes, ready to be sent as a download.

use std::io::Cursor;

use crate::model::{Block, ReportDoc};
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts,
    Shading, ShdType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableRow, WidthType,
};

/// Failure to produce the DOCX package.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("failed to write DOCX package: {0}")]
    Pack(String),
}

// Lengths are in twips (1/20 pt); 1 cm = 567 twips.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
const MARGIN: i32 = 1_134;
const CONTENT_WIDTH: usize = (A4_WIDTH as usize) - 2 * (MARGIN as usize);

// Font sizes are in half-points.
const TITLE_SIZE: usize = 28;
const HEADING_SIZE: usize = 24;
const BODY_SIZE: usize = 22;
const TABLE_SIZE: usize = 20;

const FONT: &str = "Arial";
const HEADER_FILL: &str = "D9D9D9";

/// Renders `doc` to the bytes of a `.docx` file.
pub fn to_docx(doc: &ReportDoc) -> Result<Vec<u8>, DocxError> {
    let mut docx = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(709)
                .footer(709),
        )
        .default_fonts(fonts())
        .default_size(BODY_SIZE);

    docx = docx.add_paragraph(
        text_paragraph(&doc.title, TITLE_SIZE, true)
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, if doc.subtitle.is_empty() { 240 } else { 60 })),
    );
    if !doc.subtitle.is_empty() {
        docx = docx.add_paragraph(
            text_paragraph(&doc.subtitle, BODY_SIZE, false)
                .align(AlignmentType::Center)
                .line_spacing(spacing(0, 240)),
        );
    }

    for block in &doc.blocks {
        docx = match block {
            Block::Heading { text } => docx.add_paragraph(
                text_paragraph(text, HEADING_SIZE, true)
                    .line_spacing(spacing(240, 120))
                    .keep_next(true),
            ),
            Block::Paragraph { text } => docx.add_paragraph(
                text_paragraph(text, BODY_SIZE, false).line_spacing(spacing(0, 120)),
            ),
            Block::Table {
                header,
                rows,
                numeric,
            } => match table(header, rows, numeric) {
                // A table needs at least one cell to be valid OOXML; with no
                // columns at all there is nothing to show.
                None => docx,
                // The spacer paragraph keeps consecutive tables from merging
                // into one when Word opens the file.
                Some(t) => docx
                    .add_table(t)
                    .add_paragraph(Paragraph::new().line_spacing(spacing(0, 0)).size(BODY_SIZE)),
            },
            Block::Signature {
                place_date,
                role,
                name,
            } => {
                let mut lines = Run::new().size(BODY_SIZE).fonts(fonts());
                lines = add_text(lines, role);
                // Role line + three empty lines, then the name.
                for _ in 0..4 {
                    lines = lines.add_break(BreakType::TextWrapping);
                }
                lines = add_text(lines, name);
                docx.add_paragraph(
                    text_paragraph(place_date, BODY_SIZE, false)
                        .align(AlignmentType::Right)
                        .line_spacing(spacing(360, 0))
                        .keep_next(true),
                )
                .add_paragraph(
                    Paragraph::new()
                        .add_run(lines)
                        .align(AlignmentType::Right)
                        .line_spacing(spacing(0, 120))
                        .keep_lines(true),
                )
            }
        };
    }

    let mut buf = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut buf)
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    Ok(buf.into_inner())
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

/// A paragraph holding `text` as one run; the paragraph mark gets the same
/// size so empty paragraphs keep the expected line height.
fn text_paragraph(text: &str, size: usize, bold: bool) -> Paragraph {
    let mut run = Run::new().size(size).fonts(fonts());
    let mut para = Paragraph::new().size(size).fonts(fonts());
    if bold {
        run = run.bold();
        para = para.bold();
    }
    para.add_run(add_text(run, text))
}

/// Appends `text`, turning `\n` into line breaks and `\t` into tabs.
///
/// docx-rs writes `\n` verbatim into `<w:t>` (Word shows it as a space) and
/// does not filter control characters, which would make the XML invalid.
fn add_text(mut run: Run, text: &str) -> Run {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            let clean: String = piece.chars().filter(|c| is_xml_text(*c)).collect();
            if !clean.is_empty() {
                run = run.add_text(clean);
            }
        }
    }
    run
}

/// The characters XML 1.0 allows in text, less the control characters
/// (`U+FFFF` or a lone `U+FFFE` in a note would make the document unreadable).
fn is_xml_text(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn table(header: &[String], rows: &[Vec<String>], numeric: &[bool]) -> Option<Table> {
    let ncols = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    if ncols == 0 {
        return None;
    }
    let widths = column_widths(header, rows, ncols);
    let is_numeric = |i: usize| numeric.get(i).copied().unwrap_or(false);

    let cell = |text: &str, i: usize, is_header: bool| {
        let mut run = Run::new().size(TABLE_SIZE).fonts(fonts());
        let mut para = Paragraph::new()
            .size(TABLE_SIZE)
            .fonts(fonts())
            .line_spacing(spacing(0, 0));
        if is_header {
            run = run.bold();
            para = para.bold();
        }
        if is_numeric(i) {
            para = para.align(AlignmentType::Right);
        }
        let mut c = TableCell::new()
            .width(widths[i], WidthType::Dxa)
            .add_paragraph(para.add_run(add_text(run, text)));
        if is_header {
            c = c.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color("auto")
                    .fill(HEADER_FILL),
            );
        }
        c
    };
    let row = |texts: &[String], is_header: bool| {
        let cells = (0..ncols)
            .map(|i| cell(texts.get(i).map_or("", String::as_str), i, is_header))
            .collect();
        TableRow::new(cells).cant_split()
    };

    let mut table_rows = Vec::with_capacity(rows.len() + 1);
    table_rows.push(row(header, true));
    table_rows.extend(rows.iter().map(|r| row(r, false)));

    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, pos| {
        b.set(
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000"),
        )
    });

    Some(
        Table::new(table_rows)
            .set_grid(widths)
            .width(CONTENT_WIDTH, WidthType::Dxa)
            .margins(TableCellMargins::new().margin(40, 100, 40, 100))
            .set_borders(borders),
    )
}

/// Splits the content width between columns roughly by their longest text,
/// clamped so that short columns stay readable and long ones don't dominate.
fn column_widths(header: &[String], rows: &[Vec<String>], ncols: usize) -> Vec<usize> {
    let longest = |texts: &[String], i: usize| {
        texts.get(i).map_or(0, |t| {
            t.split('\n').map(|l| l.chars().count()).max().unwrap_or(0)
        })
    };
    let weights: Vec<usize> = (0..ncols)
        .map(|i| {
            let w = rows
                .iter()
                .map(|r| longest(r, i))
                .fold(longest(header, i), usize::max);
            w.clamp(4, 40)
        })
        .collect();
    let total: usize = weights.iter().sum();
    let mut widths: Vec<usize> = weights.iter().map(|w| CONTENT_WIDTH * w / total).collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += CONTENT_WIDTH - used;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("valid zip");
        let mut file = zip
            .by_name("word/document.xml")
            .expect("document.xml present");
        let mut xml = String::new();
        file.read_to_string(&mut xml).expect("utf-8 xml");
        xml
    }

    fn sample() -> ReportDoc {
        ReportDoc {
            title: "Laporan Hasil Evaluasi".into(),
            subtitle: "Periode Januari–Maret 2026".into(),
            blocks: vec![
                Block::Heading {
                    text: "1. Nilai per komponen".into(),
                },
                Block::Paragraph {
                    text: "Baris pertama & <khusus>\nBaris kedua: nilai 75,50 — selesai.".into(),
                },
                Block::Table {
                    header: vec!["No".into(), "Komponen".into(), "Nilai".into()],
                    rows: vec![
                        vec!["1".into(), "Manajemen Perubahan".into(), "6,75".into()],
                        vec!["2".into(), "Penataan Tatalaksana".into()],
                        vec![],
                    ],
                    numeric: vec![true, false, true],
                },
                Block::Signature {
                    place_date: "Jakarta, 24 November 2026".into(),
                    role: "Ketua Tim Penilai Internal".into(),
                    name: "Siti Nurhaliza, S.E.".into(),
                },
            ],
        }
    }

    #[test]
    fn renders_every_block_kind() {
        let bytes = to_docx(&sample()).expect("docx");
        let xml = document_xml(&bytes);
        assert!(xml.contains("Laporan Hasil Evaluasi"));
        assert!(xml.contains("Manajemen Perubahan"));
        assert!(xml.contains("Siti Nurhaliza, S.E."));
        assert!(xml.contains("Baris pertama &amp; &lt;khusus&gt;"));
        assert!(xml.contains("Januari–Maret"));
        assert!(xml.contains(r#"<w:br w:type="textWrapping" />"#));
        assert!(xml.contains(HEADER_FILL));
        assert!(
            !xml.contains("&#xA;"),
            "newlines must become breaks, not text"
        );
        // 4 rows x 3 cells: the short and empty rows are padded.
        assert_eq!(xml.matches("<w:tc>").count(), 12);
    }

    #[test]
    fn characters_xml_cannot_hold_are_left_out() {
        let doc = ReportDoc {
            title: "Catatan\u{FFFF}\u{FFFE}\u{1}\u{B} TPI".into(),
            subtitle: String::new(),
            blocks: vec![],
        };
        let xml = document_xml(&to_docx(&doc).expect("docx"));
        assert!(xml.contains("Catatan TPI"), "{xml}");
        assert!(!xml.contains('\u{FFFF}') && !xml.contains('\u{FFFE}'));
    }

    #[test]
    fn empty_table_renders_header_only() {
        let doc = ReportDoc {
            title: "Kosong".into(),
            subtitle: String::new(),
            blocks: vec![Block::Table {
                header: vec!["Nama".into(), "Nilai".into()],
                rows: vec![],
                numeric: vec![],
            }],
        };
        let xml = document_xml(&to_docx(&doc).expect("docx"));
        assert!(xml.contains("Nama"));
        assert_eq!(xml.matches("<w:tr>").count(), 1);
        assert_eq!(xml.matches("<w:tc>").count(), 2);
    }

    #[test]
    fn columnless_table_and_empty_doc_still_pack() {
        let doc = ReportDoc {
            title: String::new(),
            subtitle: String::new(),
            blocks: vec![Block::Table {
                header: vec![],
                rows: vec![vec![]],
                numeric: vec![],
            }],
        };
        let xml = document_xml(&to_docx(&doc).expect("docx"));
        assert!(!xml.contains("<w:tbl>"));
    }
}
