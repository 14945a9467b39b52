//! Line charts as PNG or SVG (by the file's extension), drawn with plotters and the DejaVu
//! Sans font shipped in `assets/`, so they render on machines without system fonts.

use crate::error::{CliError, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// The font, compiled into the binary (license in `assets/LICENSE-DejaVuSans.txt`).
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

const SIZE: (u32, u32) = (1000, 600);
const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
];

/// One curve: its legend, its points (non-finite ones break the line), and an optional
/// vertical marker at an `x`.
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The points.
    pub points: Vec<(f64, f64)>,
    /// Where to draw a vertical marker, if anywhere.
    pub marker: Option<f64>,
}

/// A chart of curves.
pub struct Chart {
    /// The title.
    pub title: String,
    /// The horizontal axis label.
    pub x_label: String,
    /// The vertical axis label.
    pub y_label: String,
    /// Both axes hold `log10` of the values: ticks are labelled `1e-8`…
    pub log: bool,
    /// The curves.
    pub series: Vec<Series>,
}

/// Checks that `path` ends in `.png` or `.svg` (bad input otherwise).
pub fn check_extension(path: &Path, flag: &str) -> Result<()> {
    match extension(path).as_deref() {
        Some("png" | "svg") => Ok(()),
        _ => Err(CliError::Input(format!(
            "{flag} {}: the file name must end in .png or .svg",
            path.display()
        ))),
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Draws `chart` into `path`, PNG or SVG by its extension.
pub fn draw(chart: &Chart, path: &Path) -> Result<()> {
    // Registering twice replaces the same font: harmless.
    plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| CliError::Failure("the shipped font does not load".to_string()))?;
    // Open the file first: the plotting library reports a write error only at the end, and
    // as its debug output.
    std::fs::File::create(path).map_err(|e| {
        CliError::Failure(format!(
            "cannot write {}: {e}; check that the directory exists and is writable",
            path.display()
        ))
    })?;
    let failed = || {
        CliError::Failure(format!(
            "cannot draw {}: the image could not be rendered or written",
            path.display()
        ))
    };
    if extension(path).as_deref() == Some("svg") {
        render(SVGBackend::new(path, SIZE).into_drawing_area(), chart).map_err(|_| failed())
    } else {
        render(BitMapBackend::new(path, SIZE).into_drawing_area(), chart).map_err(|_| failed())
    }
}

fn render<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &Chart,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (xr, yr) = ranges(c);
    let mut chart = ChartBuilder::on(&root)
        .caption(&c.title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(xr.clone(), yr.clone())?;
    let power = |v: &f64| format!("1e{}", v.round());
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16));
    if c.log {
        mesh.x_label_formatter(&power).y_label_formatter(&power);
    }
    mesh.draw()?;
    for (i, s) in c.series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let mut labelled = false;
        for segment in segments(&s.points) {
            let drawn = chart.draw_series(LineSeries::new(segment, color.stroke_width(2)))?;
            if !labelled {
                labelled = true;
                drawn.label(s.name.as_str()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            }
        }
        if let Some(m) = s.marker.filter(|m| xr.contains(m)) {
            let line = vec![(m, yr.start), (m, yr.end)];
            chart.draw_series(std::iter::once(PathElement::new(line, color.mix(0.6))))?;
        }
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()
}

/// The runs of finite points.
fn segments(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for &(x, y) in points {
        if x.is_finite() && y.is_finite() {
            out.last_mut().expect("non-empty").push((x, y));
        } else if !out.last().expect("non-empty").is_empty() {
            out.push(Vec::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The largest magnitude an axis reaches: the width of an axis must be finite (plotters
/// computes it, and loops forever laying out ticks on an infinite one), so points beyond
/// `±f64::MAX/4` are clipped.
const AXIS_LIMIT: f64 = f64::MAX / 4.0;

/// The ranges of the finite points, padded by 5%, never empty, of finite width.
fn ranges(c: &Chart) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let finite = c
        .series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in finite {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let pad = |lo: f64, hi: f64| {
        let (lo, hi) = (lo.max(-AXIS_LIMIT), hi.min(AXIS_LIMIT));
        if lo > hi {
            (-1.0, 1.0)
        } else if hi - lo < 1e-12 * (lo.abs() + 1.0) {
            (lo - 1.0, hi + 1.0)
        } else {
            let d = 0.05 * (hi - lo);
            (lo - d, hi + d)
        }
    };
    let ((x0, x1), (y0, y1)) = (pad(x0, x1), pad(y0, y1));
    (x0..x1, y0..y1)
}
