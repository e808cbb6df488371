//! Charts rendered on the server as SVG with plotters. Each carries a
//! `<title>` and an `aria-label`; the page beside it has the table with the
//! same numbers for screen readers.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

#[derive(Debug, thiserror::Error)]
#[error("chart drawing failed: {0}")]
pub struct ChartError(String);

fn failed(err: impl std::fmt::Display) -> ChartError {
    ChartError(err.to_string())
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;
const BIN: f64 = 5.0;

/// Text of a chart, in the reader's language.
pub struct ChartText<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
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

/// The distribution of total scores, with a labelled line at each threshold
/// (e.g. WBK 75, WBBM 85).
pub fn distribution_svg(
    totals: &[f64],
    lines: &[(&str, f64)],
    text: &ChartText<'_>,
) -> Result<String, ChartError> {
    let counts = bins(totals);
    let top = f64::from(counts.iter().copied().max().unwrap_or(0).max(1)) * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(text.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0.0..100.0, 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(text.x)
            .y_desc(text.y)
            .x_labels(11)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(failed)?;
        let bar = RGBColor(31, 95, 168);
        chart
            .draw_series(counts.iter().enumerate().map(|(i, n)| {
                let x0 = i as f64 * BIN;
                Rectangle::new(
                    [(x0 + 0.4, 0.0), (x0 + BIN - 0.4, f64::from(*n))],
                    bar.filled(),
                )
            }))
            .map_err(failed)?;
        for (label, at) in lines {
            threshold_line(
                &mut chart,
                [(*at, 0.0), (*at, top)],
                format!("{label} {at:.0}"),
                (*at + 0.8, top * 0.95),
                2,
            )?;
        }
        root.present().map_err(failed)?;
    }
    Ok(accessible(svg, text.title))
}

/// Each area's score as a share of its weight, with the lines the gates draw
/// (60 % for WBK, 75 % for WBBM).
pub fn area_bars_svg(
    areas: &[(String, f64)],
    lines: &[(&str, f64)],
    text: &ChartText<'_>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let n = areas.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(text.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(48)
            .build_cartesian_2d(0.0..n, 0.0..100.0)
            .map_err(failed)?;
        let labels: Vec<String> = areas.iter().map(|(label, _)| label.clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(text.x)
            .y_desc(text.y)
            .x_labels(areas.len())
            .x_label_formatter(&|x| {
                let index = x.floor() as usize;
                labels.get(index).cloned().unwrap_or_default()
            })
            .y_label_formatter(&|v| format!("{v:.0} %"))
            .draw()
            .map_err(failed)?;
        let bar = RGBColor(31, 95, 168);
        chart
            .draw_series(areas.iter().enumerate().map(|(i, (_, share))| {
                let x0 = i as f64;
                Rectangle::new(
                    [
                        (x0 + 0.2, 0.0),
                        (x0 + 0.8, (share * 100.0).clamp(0.0, 100.0)),
                    ],
                    bar.filled(),
                )
            }))
            .map_err(failed)?;
        for (label, at) in lines {
            let y = at * 100.0;
            threshold_line(
                &mut chart,
                [(0.0, y), (n, y)],
                format!("{label} {y:.0} %"),
                (n - 0.9, y + 2.0),
                2,
            )?;
        }
        root.present().map_err(failed)?;
    }
    Ok(accessible(svg, text.title))
}

/// A unit's total over time: the self-assessment and, where there is one, the
/// TPI score, one point per snapshot, with the WBK and WBBM lines.
pub fn trend_svg(
    points: &[(String, f64, Option<f64>)],
    lines: &[(&str, f64)],
    text: &ChartText<'_>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let last = points.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(text.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0.0..last, 0.0..100.0)
            .map_err(failed)?;
        let days: Vec<String> = points.iter().map(|(day, _, _)| day.clone()).collect();
        chart
            .configure_mesh()
            .x_desc(text.x)
            .y_desc(text.y)
            .x_labels(points.len().clamp(2, 8))
            .x_label_formatter(&|x| days.get(x.round() as usize).cloned().unwrap_or_default())
            .draw()
            .map_err(failed)?;
        let own = RGBColor(31, 95, 168);
        let tpi = RGBColor(230, 126, 34);
        chart
            .draw_series(LineSeries::new(
                points.iter().enumerate().map(|(i, p)| (i as f64, p.1)),
                own.stroke_width(2),
            ))
            .map_err(failed)?;
        chart
            .draw_series(LineSeries::new(
                points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| Some((i as f64, p.2?))),
                tpi.stroke_width(2),
            ))
            .map_err(failed)?;
        for (label, at) in lines {
            threshold_line(
                &mut chart,
                [(0.0, *at), (last, *at)],
                format!("{label} {at:.0}"),
                (0.02 * last, at + 1.5),
                1,
            )?;
        }
        root.present().map_err(failed)?;
    }
    Ok(accessible(svg, text.title))
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A threshold (e.g. WBK 75) as a red line between two points, labelled at `label_at`.
fn threshold_line(
    chart: &mut Chart<'_, '_>,
    ends: [(f64, f64); 2],
    label: String,
    label_at: (f64, f64),
    width: u32,
) -> Result<(), ChartError> {
    let line = RGBColor(192, 57, 43);
    chart
        .draw_series(std::iter::once(PathElement::new(
            ends.to_vec(),
            line.stroke_width(width),
        )))
        .map_err(failed)?;
    chart
        .draw_series(std::iter::once(Text::new(
            label,
            label_at,
            ("sans-serif", 13).into_font().color(&line),
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
        let svg = distribution_svg(
            &[40.0, 76.5, 88.0, 90.0],
            &[("WBK", 75.0), ("WBBM", 85.0)],
            &ChartText {
                title: "Sebaran nilai <total>",
                x: "Nilai total",
                y: "Jumlah unit",
            },
        )
        .expect("drawn");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title>Sebaran nilai &lt;total&gt;</title>"));
        assert!(svg.contains("WBK 75") && svg.contains("WBBM 85"));
        assert!(svg.contains("Jumlah unit"));
        assert!(svg.matches("<rect").count() >= 20, "a bar per bin");
    }
}
