//! Drawing: chart spec + datasets + palette → SVG text, with plotters.

use std::collections::BTreeMap;
use std::ops::Range;

use lectern_data::{Column, Dataset, Values};
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::palette::Palette;
use crate::spec::{AxisValue, ChartSpec, PanelSpec, SpecError, ValueLabels};

/// SVG canvas size in pixels; the theme scales the image to a height in `em`.
pub const WIDTH: u32 = 1100;
pub const HEIGHT: u32 = 470;

// Text sizes as plotters takes them (its SVG writes size / 1.24 as the font size). At the
// default chart height (11.5 em of 24 pt = 276 pt for 470 px) one pixel is ~0.59 pt, so ticks
// (30 / 1.24 = 24 px) are ~14 pt: the slide's small text, readable when projected.
const TICK_SIZE: f64 = 30.0;
const AXIS_TITLE_SIZE: f64 = 31.0;
const PANEL_TITLE_SIZE: f64 = 32.0;
const LABEL_SIZE: f64 = 28.0;

/// Where a chart error points: into the spec (the Markdown block) or into a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorAt {
    Spec(Range<usize>),
    Data { path: String, range: Range<usize> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError {
    pub message: String,
    pub at: ErrorAt,
}

impl From<SpecError> for ChartError {
    fn from(err: SpecError) -> Self {
        Self {
            message: err.message,
            at: ErrorAt::Spec(err.range),
        }
    }
}

fn spec_err(message: impl Into<String>, range: Range<usize>) -> ChartError {
    ChartError {
        message: message.into(),
        at: ErrorAt::Spec(range),
    }
}

/// Dataset paths a spec refers to (spec-relative spans for "missing file" errors).
pub fn data_paths(spec: &ChartSpec) -> Vec<(String, Range<usize>)> {
    let mut paths = Vec::new();
    for panel in spec.panels() {
        if let Some(data) = panel.data.as_ref().or(spec.data.as_ref()) {
            paths.push((data.get_ref().clone(), data.span()));
        }
    }
    paths
}

/// Renders a chart to SVG. `datasets` maps the spec's data paths to loaded datasets.
pub fn render(
    spec: &ChartSpec,
    datasets: &BTreeMap<String, Dataset>,
    palette: &Palette,
) -> Result<String, ChartError> {
    let panels = spec.panels();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&palette.named("paper", WHITE))
            .map_err(draw_err)?;
        let areas = root.split_evenly((1, panels.len()));
        for (panel, area) in panels.iter().zip(areas.iter()) {
            let data = panel.data.as_ref().or(spec.data.as_ref()).ok_or_else(|| {
                spec_err(
                    "the chart needs a dataset: add `data = \"data/<file>\"`",
                    0..0,
                )
            })?;
            let dataset = datasets
                .get(data.get_ref())
                .ok_or_else(|| spec_err("dataset not loaded", data.span()))?;
            draw_panel(area, panel, dataset, data.get_ref(), palette)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

fn draw_err<E: std::fmt::Debug>(err: E) -> ChartError {
    spec_err(format!("drawing failed: {err:?}"), 0..0)
}

#[derive(Clone, Copy, PartialEq)]
enum Scale {
    Linear,
    Log,
}

/// The x axis: category names, or numbers (log-transformed if the scale is log).
enum XAxis {
    Categories(Vec<String>),
    Numbers { scale: Scale },
}

fn scale(value: Option<&toml::Spanned<String>>) -> Result<Scale, ChartError> {
    match value.map(|v| (v.get_ref().as_str(), v.span())) {
        None | Some(("linear", _)) => Ok(Scale::Linear),
        Some(("log", _)) => Ok(Scale::Log),
        Some((other, span)) => Err(spec_err(
            format!("unknown scale `{other}`; use `linear` or `log`"),
            span,
        )),
    }
}

fn column<'a>(
    dataset: &'a Dataset,
    name: &toml::Spanned<String>,
    path: &str,
) -> Result<&'a Column, ChartError> {
    dataset.column(name.get_ref()).ok_or_else(|| {
        spec_err(
            format!(
                "dataset `{path}` has no column `{}`; it has: {}",
                name.get_ref(),
                dataset.column_names().join(", ")
            ),
            name.span(),
        )
    })
}

fn numbers<'a>(col: &'a Column, name: &toml::Spanned<String>) -> Result<&'a [f64], ChartError> {
    col.numbers().ok_or_else(|| {
        spec_err(
            format!(
                "column `{}` holds text, but this axis needs numbers",
                col.name
            ),
            name.span(),
        )
    })
}

fn check_log(col: &Column, path: &str) -> Result<(), ChartError> {
    lectern_data::check_positive(col).map_err(|err| ChartError {
        message: err.message,
        at: ErrorAt::Data {
            path: path.to_string(),
            range: err.range,
        },
    })
}

struct Series<'a> {
    name: String,
    values: &'a [f64],
    color: RGBColor,
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    panel: &PanelSpec,
    dataset: &Dataset,
    path: &str,
    palette: &Palette,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let kind = panel.kind.as_ref().map_or("line", |k| k.get_ref().as_str());
    let bars = match kind {
        "bar" => true,
        "line" => false,
        other => {
            let span = panel.kind.as_ref().map_or(0..0, toml::Spanned::span);
            return Err(spec_err(
                format!("unknown chart kind `{other}`; use `bar` or `line`"),
                span,
            ));
        }
    };
    let x_name = panel
        .x
        .as_ref()
        .ok_or_else(|| spec_err("the chart needs `x = \"<column>\"`", 0..0))?;
    let y_spec = panel
        .y
        .as_ref()
        .ok_or_else(|| spec_err("the chart needs `y = \"<column>\"` (or a list)", 0..0))?;
    let x_col = column(dataset, x_name, path)?;
    let x_scale = scale(panel.x_scale.as_ref())?;
    let y_scale = scale(panel.y_scale.as_ref())?;

    // Series.
    let mut series = Vec::new();
    for (i, name) in y_spec.get_ref().names().iter().enumerate() {
        let spanned = toml::Spanned::new(y_spec.span(), name.clone());
        let col = column(dataset, &spanned, path)?;
        if y_scale == Scale::Log {
            check_log(col, path)?;
        }
        let display = panel
            .series_names
            .as_ref()
            .and_then(|n| n.get(i).cloned())
            .unwrap_or_else(|| col.display_name().to_string());
        let color = match panel
            .colors
            .as_ref()
            .and_then(|c| c.get_ref().get(i).map(|name| (name, c.span())))
        {
            Some((name, span)) => palette.color(name).ok_or_else(|| {
                spec_err(
                    format!("unknown colour `{name}`; use a palette name or #rrggbb"),
                    span,
                )
            })?,
            None => palette.series_color(i),
        };
        series.push(Series {
            name: display,
            values: numbers(col, &spanned)?,
            color,
        });
    }

    let x_axis = match (&x_col.values, bars) {
        (Values::Text(names), _) => XAxis::Categories(names.clone()),
        (Values::Numbers(_), true) => XAxis::Categories(x_col.texts()),
        (Values::Numbers(_), false) => {
            if x_scale == Scale::Log {
                check_log(x_col, path)?;
            }
            XAxis::Numbers { scale: x_scale }
        }
    };
    let transform = |v: f64, s: Scale| if s == Scale::Log { v.log10() } else { v };
    let xs: Vec<f64> = match &x_axis {
        XAxis::Categories(names) => (0..names.len()).map(|i| i as f64).collect(),
        XAxis::Numbers { scale } => x_col
            .numbers()
            .unwrap_or_default()
            .iter()
            .map(|&v| transform(v, *scale))
            .collect(),
    };

    // Axis ranges.
    let x_range = match (&x_axis, &panel.x_range) {
        (XAxis::Categories(names), _) => -0.6..names.len() as f64 - 0.4,
        (XAxis::Numbers { scale }, Some(r)) => {
            transform(r.get_ref()[0], *scale)..transform(r.get_ref()[1], *scale)
        }
        (XAxis::Numbers { .. }, None) => padded(&xs, 0.04),
    };
    let all_y: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().map(|&v| transform(v, y_scale)))
        .collect();
    let y_range = match &panel.y_range {
        Some(r) => transform(r.get_ref()[0], y_scale)..transform(r.get_ref()[1], y_scale),
        None if bars => 0.0..nice_ceiling(all_y.iter().copied().fold(0.0, f64::max) * 1.1),
        None => padded(&all_y, 0.08),
    };
    if x_range.end <= x_range.start
        || y_range.end <= y_range.start
        || !x_range.start.is_finite()
        || !y_range.end.is_finite()
    {
        let span = panel
            .y_range
            .as_ref()
            .or(panel.x_range.as_ref())
            .map_or(0..0, toml::Spanned::span);
        return Err(spec_err(
            "axis range is empty: the upper bound must be above the lower bound",
            span,
        ));
    }
    for s in &series {
        if s.values.len() != xs.len() {
            return Err(spec_err(
                format!(
                    "series `{}` has {} values but x has {}",
                    s.name,
                    s.values.len(),
                    xs.len()
                ),
                y_spec.span(),
            ));
        }
    }

    // Colours and text styles from the palette.
    let ink = palette.named("ink", RGBColor(30, 30, 30));
    let muted = palette.named("muted", RGBColor(100, 100, 100));
    let grid = palette.named("line", RGBColor(220, 220, 220));
    let font = palette.sans.as_str();
    let tick_style = TextStyle::from((font, TICK_SIZE).into_font()).color(&muted);
    let axis_title = TextStyle::from((font, AXIS_TITLE_SIZE).into_font()).color(&ink);

    // Key points: categories, decades for log axes, round numbers otherwise.
    let x_keys: Vec<f64> = match &x_axis {
        XAxis::Categories(names) => (0..names.len()).map(|i| i as f64).collect(),
        XAxis::Numbers { scale: Scale::Log } => decades(&x_range),
        XAxis::Numbers {
            scale: Scale::Linear,
        } => nice_ticks(&x_range),
    };
    let y_keys = if y_scale == Scale::Log {
        decades(&y_range)
    } else {
        nice_ticks(&y_range)
    };
    let categories = match &x_axis {
        XAxis::Categories(names) => names.clone(),
        XAxis::Numbers { .. } => Vec::new(),
    };
    let x_format = |v: &f64| -> String {
        match &x_axis {
            // Category names are drawn below (they may span several lines).
            XAxis::Categories(_) => String::new(),
            XAxis::Numbers { scale } => format_tick(*v, *scale),
        }
    };
    let y_format = |v: &f64| format_tick(*v, y_scale);

    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(14)
        .margin_right(22)
        .margin_left(8)
        .margin_bottom(6);
    let label_lines = categories
        .iter()
        .map(|c| c.lines().count())
        .max()
        .unwrap_or(1)
        .max(1) as i32;
    let x_label_area = 14 + label_lines * 30 + if panel.x_label.is_some() { 40 } else { 0 };
    builder.x_label_area_size(x_label_area as u32);
    let y_label_area = if panel.y_label.is_some() { 104 } else { 66 };
    builder.y_label_area_size(y_label_area as u32);
    if let Some(title) = &panel.title {
        builder.caption(
            title,
            (font, PANEL_TITLE_SIZE)
                .into_font()
                .style(FontStyle::Bold)
                .color(&ink),
        );
    }
    let mut chart = builder
        .build_cartesian_2d(x_range.clone(), y_range.clone())
        .map_err(draw_err)?;

    // Axes are drawn by hand: tick positions must be exact (categories, decades, round numbers).
    let horizontal_grid: Vec<_> = y_keys
        .iter()
        .map(|&y| {
            PathElement::new(
                vec![(x_range.start, y), (x_range.end, y)],
                grid.mix(0.9).stroke_width(1),
            )
        })
        .collect();
    chart.draw_series(horizontal_grid).map_err(draw_err)?;
    if !bars && !matches!(x_axis, XAxis::Categories(_)) {
        let vertical_grid: Vec<_> = x_keys
            .iter()
            .map(|&x| {
                PathElement::new(
                    vec![(x, y_range.start), (x, y_range.end)],
                    grid.mix(0.9).stroke_width(1),
                )
            })
            .collect();
        chart.draw_series(vertical_grid).map_err(draw_err)?;
    }
    let axis = muted.mix(0.8).stroke_width(2);
    chart
        .draw_series([
            PathElement::new(
                vec![(x_range.start, y_range.start), (x_range.end, y_range.start)],
                axis,
            ),
            PathElement::new(
                vec![(x_range.start, y_range.start), (x_range.start, y_range.end)],
                axis,
            ),
        ])
        .map_err(draw_err)?;
    let y_tick_style = tick_style.clone().pos(Pos::new(HPos::Right, VPos::Center));
    for &y in &y_keys {
        let element = EmptyElement::at((x_range.start, y))
            + Text::new(y_format(&y), (-10, 0), y_tick_style.clone());
        chart.plotting_area().draw(&element).map_err(draw_err)?;
    }
    if !matches!(x_axis, XAxis::Categories(_)) {
        let x_tick_style = tick_style.clone().pos(Pos::new(HPos::Center, VPos::Top));
        for &x in &x_keys {
            let element = EmptyElement::at((x, y_range.start))
                + Text::new(x_format(&x), (0, 10), x_tick_style.clone());
            chart.plotting_area().draw(&element).map_err(draw_err)?;
        }
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    if let Some(label) = &panel.x_label {
        let style = axis_title.clone().pos(Pos::new(HPos::Center, VPos::Bottom));
        let at = (
            (px.start + px.end) / 2 - base_x,
            py.end - base_y + x_label_area - 4,
        );
        area.draw(&Text::new(label.clone(), at, style))
            .map_err(draw_err)?;
    }
    if let Some(label) = &panel.y_label {
        let style = axis_title
            .clone()
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let at = (
            px.start - base_x - y_label_area + 4,
            (py.start + py.end) / 2 - base_y,
        );
        area.draw(&Text::new(label.clone(), at, style))
            .map_err(draw_err)?;
    }
    let category_style = tick_style.clone().pos(Pos::new(HPos::Center, VPos::Top));
    for (i, name) in categories.iter().enumerate() {
        for (k, line) in name.lines().enumerate() {
            let element = EmptyElement::at((i as f64, y_range.start))
                + Text::new(
                    line.to_string(),
                    (0, 10 + k as i32 * 30),
                    category_style.clone(),
                );
            chart.plotting_area().draw(&element).map_err(draw_err)?;
        }
    }

    let position =
        |value: &toml::Spanned<AxisValue>, log: Scale, axis: &str| -> Result<f64, ChartError> {
            match value.get_ref() {
                AxisValue::Number(n) => Ok(transform(*n, log)),
                AxisValue::Category(name) => categories
                    .iter()
                    .position(|c| c == name)
                    .map(|i| i as f64)
                    .ok_or_else(|| {
                        spec_err(
                            format!(
                                "`{name}` is not a category on the {axis} axis ({})",
                                categories.join(", ")
                            ),
                            value.span(),
                        )
                    }),
            }
        };
    let resolve_color =
        |c: &Option<toml::Spanned<String>>, fallback: RGBColor| -> Result<RGBColor, ChartError> {
            match c {
                None => Ok(fallback),
                Some(c) => palette.color(c.get_ref()).ok_or_else(|| {
                    spec_err(
                        format!(
                            "unknown colour `{}`; use a palette name or #rrggbb",
                            c.get_ref()
                        ),
                        c.span(),
                    )
                }),
            }
        };

    // Shaded spans under everything else.
    for span in &panel.span {
        let from = position(&span.from, x_scale_of(&x_axis), "x")?;
        let to = position(&span.to, x_scale_of(&x_axis), "x")?;
        let color = resolve_color(
            &span.color,
            palette.named("highlight", RGBColor(247, 215, 116)),
        )?;
        let rect = Rectangle::new(
            [(from, y_range.start), (to, y_range.end)],
            color.mix(0.35).filled(),
        );
        let drawn = chart.draw_series(std::iter::once(rect)).map_err(draw_err)?;
        if let Some(label) = &span.label {
            drawn.label(label).legend(move |(x, y)| {
                Rectangle::new([(x, y - 8), (x + 22, y + 8)], color.mix(0.5).filled())
            });
        }
    }

    // Data.
    if bars {
        let n = series.len().max(1) as f64;
        let group = 0.8;
        let width = group / n;
        let gradient = panel
            .bar_colors
            .as_ref()
            .is_some_and(|c| c.get_ref() == "gradient");
        let label_format = match panel.value_labels.as_ref().map(toml::Spanned::get_ref) {
            None | Some(ValueLabels::On(false)) => None,
            Some(ValueLabels::On(true)) => Some("{}".to_string()),
            Some(ValueLabels::Format(f)) => Some(f.clone()),
        };
        for (si, s) in series.iter().enumerate() {
            let bars: Vec<_> = xs
                .iter()
                .zip(s.values)
                .enumerate()
                .map(|(i, (&x, &y))| {
                    let left = x - group / 2.0 + si as f64 * width + width * 0.06;
                    let right = left + width * 0.88;
                    let color = if gradient {
                        gradient_color(palette, i, xs.len())
                    } else {
                        s.color
                    };
                    Rectangle::new(
                        [
                            (left, y_range.start.max(0.0)),
                            (right, transform(y, y_scale)),
                        ],
                        color.filled(),
                    )
                })
                .collect();
            let color = s.color;
            let drawn = chart.draw_series(bars).map_err(draw_err)?;
            if series.len() > 1 || !gradient {
                drawn.label(&s.name).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 22, y + 8)], color.filled())
                });
            }
            if let Some(format) = &label_format {
                let style = TextStyle::from((font, LABEL_SIZE).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                let labels: Vec<_> = xs
                    .iter()
                    .zip(s.values)
                    .map(|(&x, &y)| {
                        let center = x - group / 2.0 + (si as f64 + 0.5) * width;
                        let text = format.replace("{}", &format_value(y));
                        Text::new(
                            text,
                            (
                                center,
                                transform(y, y_scale) + (y_range.end - y_range.start) * 0.012,
                            ),
                            style.clone(),
                        )
                    })
                    .collect();
                chart.draw_series(labels).map_err(draw_err)?;
            }
        }
    } else {
        let markers = panel.markers.unwrap_or(true);
        for s in &series {
            let color = s.color;
            let points: Vec<(f64, f64)> = xs
                .iter()
                .zip(s.values)
                .map(|(&x, &y)| (x, transform(y, y_scale)))
                .collect();
            let drawn = chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(4)))
                .map_err(draw_err)?;
            drawn.label(&s.name).legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (24, 0)], color.stroke_width(4))
                    + Circle::new((12, 0), 6, color.filled())
            });
            if markers {
                chart
                    .draw_series(points.iter().map(|&p| Circle::new(p, 8, color.filled())))
                    .map_err(draw_err)?;
            }
        }
        if let Some(labels) = &panel.point_labels {
            let col = column(dataset, labels, path)?;
            let texts = col.texts();
            if let Some(s) = series.first() {
                let up = TextStyle::from((font, LABEL_SIZE).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                let down = TextStyle::from((font, LABEL_SIZE).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Top));
                let dy = (y_range.end - y_range.start) * 0.035;
                for (i, ((&x, &y), text)) in xs.iter().zip(s.values).zip(&texts).enumerate() {
                    // Alternate above and below, as the seed's notebook does, so neighbours do not collide.
                    let y = transform(y, y_scale);
                    let lines: Vec<&str> = text.split('\n').collect();
                    let line_h = (y_range.end - y_range.start) * 0.075;
                    // ...unless that would leave the plot: then the other side.
                    let block = dy + lines.len() as f64 * line_h;
                    let above = if i % 2 == 0 {
                        y + block <= y_range.end
                    } else {
                        y - block < y_range.start
                    };
                    for (k, line) in lines.iter().enumerate() {
                        let (pos_y, style) = if above {
                            (y + dy + (lines.len() - 1 - k) as f64 * line_h, up.clone())
                        } else {
                            (y - dy - k as f64 * line_h, down.clone())
                        };
                        chart
                            .draw_series(std::iter::once(Text::new(
                                line.to_string(),
                                (x, pos_y),
                                style,
                            )))
                            .map_err(draw_err)?;
                    }
                }
            }
        }
    }

    // Reference lines.
    for rule in &panel.hline {
        let Some(y) = &rule.y else {
            return Err(spec_err("an [[hline]] needs `y`", 0..0));
        };
        let y = position(y, y_scale, "y")?;
        let color = resolve_color(&rule.color, muted)?;
        let drawn = chart
            .draw_series(DashedLineSeries::new(
                vec![(x_range.start, y), (x_range.end, y)],
                12,
                8,
                color.stroke_width(3),
            ))
            .map_err(draw_err)?;
        if let Some(label) = &rule.label {
            drawn.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
        }
    }
    for rule in &panel.vline {
        let Some(x) = &rule.x else {
            return Err(spec_err("a [[vline]] needs `x`", 0..0));
        };
        let x = position(x, x_scale_of(&x_axis), "x")?;
        let color = resolve_color(&rule.color, muted)?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, y_range.start), (x, y_range.end)],
                12,
                8,
                color.stroke_width(3),
            ))
            .map_err(draw_err)?;
        if let Some(label) = &rule.label {
            let style = TextStyle::from((font, LABEL_SIZE).into_font())
                .color(&color)
                .pos(Pos::new(HPos::Left, VPos::Top));
            let dx = (x_range.end - x_range.start) * 0.012;
            let line_h = (y_range.end - y_range.start) * 0.065;
            for (k, line) in label.split('\n').enumerate() {
                let at = (
                    x + dx,
                    y_range.end - (y_range.end - y_range.start) * 0.03 - k as f64 * line_h,
                );
                chart
                    .draw_series(std::iter::once(Text::new(
                        line.to_string(),
                        at,
                        style.clone(),
                    )))
                    .map_err(draw_err)?;
            }
        }
    }

    // Legend.
    let legend = panel
        .legend
        .as_ref()
        .map_or("top-left", |l| l.get_ref().as_str());
    let position = match legend {
        "none" => None,
        "top-left" => Some(SeriesLabelPosition::UpperLeft),
        "top-right" => Some(SeriesLabelPosition::UpperRight),
        "bottom-left" => Some(SeriesLabelPosition::LowerLeft),
        "bottom-right" => Some(SeriesLabelPosition::LowerRight),
        other => {
            let span = panel.legend.as_ref().map_or(0..0, toml::Spanned::span);
            return Err(spec_err(
                format!(
                    "unknown legend position `{other}`; use top-left, top-right, bottom-left, bottom-right or none"
                ),
                span,
            ));
        }
    };
    let entries = series.len()
        + panel.hline.iter().filter(|r| r.label.is_some()).count()
        + panel.span.iter().filter(|s| s.label.is_some()).count();
    let worth_a_legend =
        entries > 1 || (entries == 1 && (!panel.hline.is_empty() || !panel.span.is_empty()));
    if let Some(position) = position.filter(|_| worth_a_legend) {
        chart
            .configure_series_labels()
            .position(position)
            .margin(14)
            .legend_area_size(34)
            .label_font(TextStyle::from((font, LABEL_SIZE).into_font()).color(&ink))
            .background_style(palette.named("paper", WHITE).mix(0.92))
            .border_style(grid)
            .draw()
            .map_err(draw_err)?;
    }
    Ok(())
}

fn x_scale_of(axis: &XAxis) -> Scale {
    match axis {
        XAxis::Numbers { scale } => *scale,
        XAxis::Categories(_) => Scale::Linear,
    }
}

/// One colour per bar, stepping through the palette's series colours.
fn gradient_color(palette: &Palette, i: usize, n: usize) -> RGBColor {
    let a = palette.series_color(0);
    let b = palette.series_color(2);
    let t = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn padded(values: &[f64], fraction: f64) -> Range<f64> {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !min.is_finite() || !max.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((max - min) * fraction).max(1e-9);
    min - pad..max + pad
}

fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let step = nice_step(v / 5.0);
    (v / step).ceil() * step
}

fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.abs().log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Round tick positions inside `range` (about five).
fn nice_ticks(range: &Range<f64>) -> Vec<f64> {
    let step = nice_step((range.end - range.start) / 5.0);
    let mut v = (range.start / step).ceil() * step;
    let mut ticks = Vec::new();
    while v <= range.end + step * 1e-9 && ticks.len() < 50 {
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    ticks
}

/// Whole decades inside a log10-transformed range.
fn decades(range: &Range<f64>) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut d = range.start.ceil();
    while d <= range.end && ticks.len() < 60 {
        ticks.push(d);
        d += 1.0;
    }
    ticks
}

fn format_tick(v: f64, scale: Scale) -> String {
    match scale {
        Scale::Linear => format_value(v),
        Scale::Log => {
            let exp = v.round() as i32;
            if (-3..=4).contains(&exp) {
                format_value(10f64.powi(exp))
            } else {
                format!("10{}", superscript(exp))
            }
        }
    }
}

/// Compact number text: `6.7`, `175`, `0.125`.
pub fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}
