//! Charts rendered on the server with plotters, as SVG or as PNG. The PNG is
//! drawn with a font compiled into the binary (Noto Sans), so it looks the
//! same on every machine. Each SVG carries a `<title>` and an `aria-label`;
//! the page beside a chart has a table with the same numbers for screen
//! readers.

use std::sync::OnceLock;

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

#[derive(Debug, thiserror::Error)]
#[error("chart drawing failed: {0}")]
pub struct ChartError(String);

fn failed(err: impl std::fmt::Display) -> ChartError {
    ChartError(err.to_string())
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;
const BIN: f64 = 5.0;
const FONT: &str = "sans-serif";
const BLUE: RGBColor = RGBColor(31, 95, 168);
const ORANGE: RGBColor = RGBColor(230, 126, 34);
const RED: RGBColor = RGBColor(192, 57, 43);

/// Text of a chart, in the reader's language.
pub struct ChartText<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
}

/// The two image formats a chart downloads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Svg => "image/svg+xml",
            ImageFormat::Png => "image/png",
        }
    }

    pub fn from_extension(extension: &str) -> Option<ImageFormat> {
        match extension {
            "svg" => Some(ImageFormat::Svg),
            "png" => Some(ImageFormat::Png),
            _ => None,
        }
    }
}

/// A chart that can draw itself on any plotters backend.
pub trait Plot {
    fn text(&self) -> &ChartText<'_>;

    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Draws a chart in the format asked for.
pub fn render(plot: &impl Plot, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    embedded_font()?;
    let size = plot.size();
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                plot.draw(&root)?;
                root.present().map_err(failed)?;
            }
            Ok(accessible(svg, plot.text().title).into_bytes())
        }
        ImageFormat::Png => {
            let mut pixels = vec![0_u8; size.0 as usize * size.1 as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
                plot.draw(&root)?;
                root.present().map_err(failed)?;
            }
            encode_png(&pixels, size)
        }
    }
}

/// Text is measured (for both formats) and drawn (for PNG) with the font
/// compiled into the binary, never a system font.
fn embedded_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font(FONT, FontStyle::Normal, ttf_noto_sans::REGULAR).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError("the embedded font could not be read".to_owned()))
    }
}

fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(pixels))
        .map_err(failed)?;
    Ok(out)
}

/// How many totals fall in each 5-point bin from 0 to 100.
pub fn bins(totals: &[f64]) -> Vec<u32> {
    let count = (100.0 / BIN) as usize;
    let mut out = vec![0_u32; count];
    for total in totals {
        let index = ((total / BIN).floor().max(0.0) as usize).min(count - 1);
        out[index] += 1;
    }
    out
}

/// A white canvas with the chart's title, and room for the axis labels
/// below and to the left.
fn canvas<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    (below, left): (u32, u32),
) -> Result<ChartBuilder<'a, 'b, DB>, ChartError> {
    root.fill(&WHITE).map_err(failed)?;
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, (FONT, 18))
        .margin(12)
        .x_label_area_size(below)
        .y_label_area_size(left);
    Ok(builder)
}

/// A count on an axis: whole numbers only, so small counts do not repeat.
fn whole(v: f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

/// The distribution of total scores, with a labelled line at each threshold
/// (e.g. WBK 75, WBBM 85).
pub struct Distribution<'a> {
    pub totals: &'a [f64],
    pub lines: &'a [(&'a str, f64)],
    pub text: ChartText<'a>,
}

impl Plot for Distribution<'_> {
    fn text(&self) -> &ChartText<'_> {
        &self.text
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let counts = bins(self.totals);
        let top = f64::from(counts.iter().copied().max().unwrap_or(0).max(1)) * 1.15;
        let mut chart = canvas(root, self.text.title, (40, 48))?
            .build_cartesian_2d(0.0..100.0, 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .disable_x_mesh()
            .x_desc(self.text.x)
            .y_desc(self.text.y)
            .x_labels(11)
            .y_label_formatter(&|v| whole(*v))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(i, n)| {
                let x0 = i as f64 * BIN;
                Rectangle::new(
                    [(x0 + 0.4, 0.0), (x0 + BIN - 0.4, f64::from(*n))],
                    BLUE.filled(),
                )
            }))
            .map_err(failed)?;
        for (label, at) in self.lines {
            threshold_line(
                &mut chart,
                [(*at, 0.0), (*at, top)],
                format!("{label} {at:.0}"),
                (*at + 0.8, top * 0.95),
                2,
            )?;
        }
        Ok(())
    }
}

/// Shares (0 to 1) of something per label, drawn as bars in percent: one
/// series (areas against their weight, completeness per area, evaluator
/// progress) or several side by side with a legend (Pemenuhan vs Reform).
/// Lines mark thresholds such as the gates' 60 % and 75 %.
pub struct ShareBars<'a> {
    pub labels: Vec<String>,
    pub series: Vec<(&'a str, Vec<f64>)>,
    pub lines: &'a [(&'a str, f64)],
    pub text: ChartText<'a>,
}

type Bars<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<SegmentedCoord<RangedCoordi32>, RangedCoordf64>>;

impl Plot for ShareBars<'_> {
    fn text(&self) -> &ChartText<'_> {
        &self.text
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let n = i32::try_from(self.labels.len().max(1)).unwrap_or(i32::MAX);
        let mut chart: Bars<'_, DB> = canvas(root, self.text.title, (44, 56))?
            .build_cartesian_2d(segments(n), 0.0..108.0)
            .map_err(failed)?;
        let labels = &self.labels;
        chart
            .configure_mesh()
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .disable_x_mesh()
            .x_desc(self.text.x)
            .y_desc(self.text.y)
            .x_labels(labels.len())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| labels.get(i))
                    .cloned()
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            // Headroom above 100 % for the values written over the bars.
            .y_label_formatter(&|v| {
                if *v <= 100.0 {
                    format!("{v:.0} %")
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(failed)?;
        let segment = f64::from(chart.plotting_area().dim_in_pixel().0) / f64::from(n);
        let pad = segment * 0.15;
        let count = self.series.len().max(1) as f64;
        let width = (segment - 2.0 * pad) / count;
        let colours = [BLUE, ORANGE];
        for (k, (name, values)) in self.series.iter().enumerate() {
            let colour = colours[k % colours.len()];
            let left = (pad + k as f64 * width).round() as u32;
            let right = (pad + (count - 1.0 - k as f64) * width).round() as u32;
            let drawn = chart
                .draw_series(values.iter().zip(0..n).map(|(share, i)| {
                    let top = (share * 100.0).clamp(0.0, 100.0);
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), 0.0),
                            (SegmentValue::Exact(i + 1), top),
                        ],
                        colour.filled(),
                    );
                    bar.set_margin(0, 0, left, right);
                    bar
                }))
                .map_err(failed)?;
            if self.series.len() > 1 {
                drawn.label(*name).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
            }
        }
        if let [(_, values)] = self.series.as_slice() {
            // One series: each bar's value above it, so an empty bar still reads "0 %".
            let above = (FONT, 12)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            chart
                .draw_series(values.iter().zip(0..n).map(|(share, i)| {
                    let top = (share * 100.0).clamp(0.0, 100.0);
                    EmptyElement::at((SegmentValue::CenterOf(i), top))
                        + Text::new(format!("{top:.0} %"), (0, -3), above.clone())
                }))
                .map_err(failed)?;
        } else if self.series.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.3))
                .label_font((FONT, 13))
                .draw()
                .map_err(failed)?;
        }
        for (label, at) in self.lines {
            let y = at * 100.0;
            threshold_line(
                &mut chart,
                [(SegmentValue::Exact(0), y), (SegmentValue::Last, y)],
                format!("{label} {y:.0} %"),
                (SegmentValue::Exact(0), y + 2.5),
                2,
            )?;
        }
        Ok(())
    }
}

/// A unit's total over time: the self-assessment and, where there is one, the
/// TPI score, one point per snapshot, with the WBK and WBBM lines.
pub struct Trend<'a> {
    pub points: &'a [(String, f64, Option<f64>)],
    pub lines: &'a [(&'a str, f64)],
    pub text: ChartText<'a>,
}

impl Plot for Trend<'_> {
    fn text(&self) -> &ChartText<'_> {
        &self.text
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let points = self.points;
        let last = points.len().saturating_sub(1).max(1) as f64;
        let mut chart = canvas(root, self.text.title, (40, 48))?
            .build_cartesian_2d(0.0..last, 0.0..100.0)
            .map_err(failed)?;
        let days: Vec<&str> = points.iter().map(|(day, _, _)| day.as_str()).collect();
        chart
            .configure_mesh()
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .x_desc(self.text.x)
            .y_desc(self.text.y)
            .x_labels(points.len().clamp(2, 8))
            .x_label_formatter(&|x| {
                days.get(x.round() as usize)
                    .map(|d| (*d).to_owned())
                    .unwrap_or_default()
            })
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(LineSeries::new(
                points.iter().enumerate().map(|(i, p)| (i as f64, p.1)),
                BLUE.stroke_width(2),
            ))
            .map_err(failed)?;
        chart
            .draw_series(LineSeries::new(
                points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| Some((i as f64, p.2?))),
                ORANGE.stroke_width(2),
            ))
            .map_err(failed)?;
        // A mark on every snapshot: the first day of a unit has a point, not yet a line.
        chart
            .draw_series(
                points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| Circle::new((i as f64, p.1), 4, BLUE.filled())),
            )
            .map_err(failed)?;
        chart
            .draw_series(
                points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| Some(Circle::new((i as f64, p.2?), 4, ORANGE.filled()))),
            )
            .map_err(failed)?;
        for (label, at) in self.lines {
            threshold_line(
                &mut chart,
                [(0.0, *at), (last, *at)],
                format!("{label} {at:.0}"),
                (0.02 * last, at + 1.5),
                1,
            )?;
        }
        Ok(())
    }
}

/// Rows (units) by columns (areas), each cell the share of the column's
/// weight reached, darker for more, with the percentage written in the cell.
pub struct Heatmap<'a> {
    pub rows: Vec<(String, Vec<f64>)>,
    pub columns: Vec<String>,
    pub text: ChartText<'a>,
}

const HEAT_ROW: u32 = 20;

impl Plot for Heatmap<'_> {
    fn text(&self) -> &ChartText<'_> {
        &self.text
    }

    fn size(&self) -> (u32, u32) {
        let rows = u32::try_from(self.rows.len().max(1)).unwrap_or(u32::MAX);
        (WIDTH, 110 + rows.saturating_mul(HEAT_ROW))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let columns = i32::try_from(self.columns.len().max(1)).unwrap_or(i32::MAX);
        let rows = i32::try_from(self.rows.len().max(1)).unwrap_or(i32::MAX);
        let mut chart = canvas(root, self.text.title, (40, 220))?
            .build_cartesian_2d(segments(columns), segments(rows))
            .map_err(failed)?;
        chart
            .configure_mesh()
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .disable_mesh()
            .x_desc(self.text.x)
            .y_desc(self.text.y)
            .x_labels(self.columns.len())
            .y_labels(1)
            .y_label_formatter(&|_| String::new())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(c) | SegmentValue::Exact(c) => usize::try_from(*c)
                    .ok()
                    .and_then(|c| self.columns.get(c))
                    .cloned()
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .draw()
            .map_err(failed)?;
        // Row names are drawn here rather than by the mesh, which leaves a
        // single segment unlabelled.
        let label = (FONT, 13)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        chart
            .draw_series(self.rows.iter().zip(0..rows).map(|((name, _), r)| {
                EmptyElement::at((SegmentValue::Exact(0), SegmentValue::CenterOf(rows - 1 - r)))
                    + Text::new(shorten(name, 30), (-6, 0), label.clone())
            }))
            .map_err(failed)?;
        let cells = self.rows.iter().zip(0..rows).flat_map(|((_, shares), r)| {
            let y = rows - 1 - r;
            shares
                .iter()
                .zip(0..columns)
                .map(move |(share, c)| (c, y, *share))
        });
        let centred = Pos::new(HPos::Center, VPos::Center);
        for (c, y, share) in cells {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [
                        (SegmentValue::Exact(c), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(c + 1), SegmentValue::Exact(y + 1)),
                    ],
                    heat(share).filled(),
                )))
                .map_err(failed)?;
            let ink = if share > 0.55 { WHITE } else { BLACK };
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{:.0}", (share * 100.0).clamp(0.0, 100.0)),
                    (SegmentValue::CenterOf(c), SegmentValue::CenterOf(y)),
                    (FONT, 12).into_font().color(&ink).pos(centred),
                )))
                .map_err(failed)?;
        }
        Ok(())
    }
}

/// `n` (at least one) labelled segments, 0 to n - 1: plotters counts both
/// ends of an integer range.
/// `n` bands for bars or cells. A single band is drawn in a range of two: a
/// range of one value has no width, and a bar in it came out negative.
fn segments(n: i32) -> SegmentedCoord<RangedCoordi32> {
    (0..n.max(2) - 1).into_segmented()
}

/// One hue from pale (0 %) to dark (100 %), readable without colour vision.
fn heat(share: f64) -> RGBColor {
    let t = share.clamp(0.0, 1.0);
    let mix =
        |from: u8, to: u8| (f64::from(from) + (f64::from(to) - f64::from(from)) * t).round() as u8;
    RGBColor(mix(239, 8), mix(245, 48), mix(252, 107))
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let kept: String = name.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// A threshold (e.g. WBK 75) as a red line between two points, labelled at `label_at`.
fn threshold_line<DB, X>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    ends: [(X::ValueType, f64); 2],
    label: String,
    label_at: (X::ValueType, f64),
    width: u32,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    X: Ranged,
    X::ValueType: Clone + 'static,
{
    chart
        .draw_series(std::iter::once(PathElement::new(
            ends.to_vec(),
            RED.stroke_width(width),
        )))
        .map_err(failed)?;
    chart
        .draw_series(std::iter::once(Text::new(
            label,
            label_at,
            (FONT, 13).into_font().color(&RED),
        )))
        .map_err(failed)?;
    Ok(())
}

/// Gives the drawing a title screen readers and browsers announce.
fn accessible(svg: String, title: &str) -> String {
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => format!(
            "{} role=\"img\" aria-label=\"{escaped}\"><title>{escaped}</title>{}",
            &svg[..end],
            &svg[end + 1..]
        ),
        _ => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

    fn text(title: &str) -> ChartText<'_> {
        ChartText {
            title,
            x: "Nilai total",
            y: "Jumlah unit",
        }
    }

    fn svg(plot: &impl Plot) -> String {
        String::from_utf8(render(plot, ImageFormat::Svg).expect("drawn")).expect("utf-8")
    }

    /// The texts the SVG draws, trimmed.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
            .collect()
    }

    /// Width, height and whether any pixel is neither white nor black, read
    /// back from the PNG.
    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut pixels).expect("a frame");
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    /// The `width` of every `<rect>` of an SVG.
    fn rect_widths(svg: &str) -> Vec<f64> {
        svg.split("<rect")
            .skip(1)
            .filter_map(|r| r.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn one_evaluator_gets_a_visible_bar_inside_the_plot() {
        let svg = svg(&ShareBars {
            labels: vec!["Budi".to_owned()],
            series: vec![("Direviu", vec![0.4])],
            lines: &[],
            text: text("Kemajuan reviu"),
        });
        let widths = rect_widths(&svg);
        assert!(!widths.is_empty());
        assert!(
            widths.iter().all(|w| *w >= 0.0),
            "no negative bar: {widths:?}"
        );
        assert!(
            widths.iter().any(|w| *w > 20.0),
            "the bar is there: {widths:?}"
        );
    }

    #[test]
    fn a_single_snapshot_is_drawn_as_a_point() {
        let svg = svg(&Trend {
            points: &[("2026-12-02".to_owned(), 89.05, Some(89.55))],
            lines: &[("WBK", 75.0)],
            text: text("Tren"),
        });
        assert!(
            svg.matches("<circle").count() >= 2,
            "both totals are marked"
        );
    }

    #[test]
    fn totals_fall_in_five_point_bins_with_100_in_the_last() {
        let counts = bins(&[0.0, 4.99, 5.0, 74.9, 75.0, 100.0, 120.0]);
        assert_eq!(counts.len(), 20);
        assert_eq!(counts[0], 2);
        assert_eq!(counts[1], 1);
        assert_eq!(counts[14], 1);
        assert_eq!(counts[15], 1);
        assert_eq!(counts[19], 2);
    }

    #[test]
    fn the_distribution_is_an_accessible_svg_with_its_threshold_lines() {
        let svg = svg(&Distribution {
            totals: &[40.0, 76.5, 88.0, 90.0],
            lines: &[("WBK", 75.0), ("WBBM", 85.0)],
            text: text("Sebaran nilai <total>"),
        });
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title>Sebaran nilai &lt;total&gt;</title>"));
        assert!(svg.contains("WBK 75") && svg.contains("WBBM 85"));
        assert!(svg.contains("Jumlah unit"));
        assert!(svg.matches("<rect").count() >= 20, "a bar per bin");
    }

    #[test]
    fn a_png_is_drawn_with_the_embedded_font_at_the_charts_size() {
        let plot = Distribution {
            totals: &[40.0, 76.5],
            lines: &[("WBK", 75.0)],
            text: text("Sebaran nilai"),
        };
        let bytes = render(&plot, ImageFormat::Png).expect("drawn");
        assert!(bytes.starts_with(PNG_SIGNATURE));
        let (width, height, pixels) = decode(&bytes);
        assert_eq!((width, height), (WIDTH, HEIGHT));
        let red = pixels
            .chunks(3)
            .filter(|p| p[0] > 150 && p[1] < 90 && p[2] < 90)
            .count();
        assert!(red > 100, "the WBK line and its label are drawn in red");
        let title_band = &pixels[..(WIDTH * 30 * 3) as usize];
        assert!(
            title_band.chunks(3).any(|p| p[0] < 128),
            "the title is drawn as dark glyphs at the top"
        );
    }

    #[test]
    fn grouped_bars_carry_a_legend_per_series_and_the_gate_lines() {
        let svg = svg(&ShareBars {
            labels: ["MP", "TT"].map(str::to_owned).to_vec(),
            series: vec![("Pemenuhan", vec![0.5, 1.0]), ("Reform", vec![0.25, 0.0])],
            lines: &[("WBK", 0.6)],
            text: text("Pemenuhan dan Reform"),
        });
        let texts = texts(&svg);
        for text in ["Pemenuhan", "Reform", "MP", "TT", "WBK 60 %"] {
            assert!(texts.contains(&text), "{text} in {texts:?}");
        }
    }

    #[test]
    fn a_single_series_has_no_legend_but_a_value_on_each_bar() {
        let svg = svg(&ShareBars {
            labels: vec!["MP".to_owned()],
            series: vec![("Kelengkapan", vec![0.5])],
            lines: &[],
            text: text("Kelengkapan per area"),
        });
        let texts = texts(&svg);
        assert!(texts.contains(&"MP"));
        assert!(texts.contains(&"50 %"), "{texts:?}");
        assert!(!texts.contains(&"Kelengkapan"), "{texts:?}");
    }

    #[test]
    fn the_heatmap_writes_each_share_in_its_cell_and_grows_with_its_rows() {
        let plot = Heatmap {
            rows: vec![
                ("Balai Diklat Medan".to_owned(), vec![0.42, 1.0]),
                (
                    "Kantor Wilayah Sumatera Utara dan Sekitarnya Bagian Timur".to_owned(),
                    vec![0.0, 0.755],
                ),
            ],
            columns: vec!["MP".to_owned(), "TT".to_owned()],
            text: text("Peta nilai"),
        };
        let svg = svg(&plot);
        let texts = texts(&svg);
        for value in ["42", "100", "0", "76"] {
            assert!(texts.contains(&value), "{value} in a cell: {texts:?}");
        }
        assert!(texts.contains(&"Balai Diklat Medan"));
        assert!(
            texts.contains(&"Kantor Wilayah Sumatera Utara…"),
            "long names are cut: {texts:?}"
        );
        let more = Heatmap {
            rows: vec![("A".to_owned(), vec![0.5]); 10],
            columns: vec!["MP".to_owned()],
            text: text("Peta nilai"),
        };
        assert!(more.size().1 > plot.size().1);
    }

    #[test]
    fn darker_cells_mean_more_of_the_weight() {
        let light = heat(0.1);
        let dark = heat(0.9);
        assert!(
            u16::from(dark.0) + u16::from(dark.1) + u16::from(dark.2)
                < u16::from(light.0) + u16::from(light.1) + u16::from(light.2)
        );
        assert_eq!(heat(2.0), heat(1.0));
    }
}
