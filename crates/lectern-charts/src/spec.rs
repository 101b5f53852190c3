//! Chart specs: the TOML inside a ```` ```chart ```` block, parsed with source spans.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// A problem in a chart spec; `range` is a byte range in the spec text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub message: String,
    pub range: Range<usize>,
}

impl SpecError {
    pub fn new(message: impl Into<String>, range: Range<usize>) -> Self {
        Self {
            message: message.into(),
            range,
        }
    }
}

/// A whole chart: the top-level table. Its plot keys describe the single panel, unless
/// `[[panel]]` tables give several panels side by side under the shared title.
///
/// One struct serves both levels because serde's `flatten` would lose the source spans.
pub type ChartSpec = PanelSpec;

/// One plot area (or, at the top level, the whole chart).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PanelSpec {
    /// Chart title (shown by the theme above the figure) or, in a `[[panel]]`, the panel's.
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub caption: Option<String>,
    /// Alternative text for screen readers; defaults to the title.
    pub alt: Option<String>,
    /// Height of the chart in units of the slide's text size (default 11.5).
    pub height: Option<f64>,
    #[serde(default)]
    pub panel: Vec<PanelSpec>,
    pub kind: Option<Spanned<String>>,
    /// Dataset path relative to the deck folder; panels inherit the chart's.
    pub data: Option<Spanned<String>>,
    pub x: Option<Spanned<String>>,
    pub y: Option<Spanned<OneOrMany>>,
    pub x_scale: Option<Spanned<String>>,
    pub y_scale: Option<Spanned<String>>,
    pub x_range: Option<Spanned<[f64; 2]>>,
    pub y_range: Option<Spanned<[f64; 2]>>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    /// `top-left`, `top-right`, `bottom-left`, `bottom-right` or `none`.
    pub legend: Option<Spanned<String>>,
    /// Value labels on bars; a format where `{}` stands for the value, e.g. `"{}%"`.
    pub value_labels: Option<Spanned<ValueLabels>>,
    /// `series` (one colour per series) or `gradient` (one colour per bar).
    pub bar_colors: Option<Spanned<String>>,
    /// Column holding a text label per point, drawn next to the point.
    pub point_labels: Option<Spanned<String>>,
    pub markers: Option<bool>,
    /// Per-series colours (palette names or `#rrggbb`) instead of the palette's series order.
    pub colors: Option<Spanned<Vec<String>>>,
    /// Per-series legend names overriding the columns' labels.
    pub series_names: Option<Vec<String>>,
    #[serde(default)]
    pub vline: Vec<Rule>,
    #[serde(default)]
    pub hline: Vec<Rule>,
    #[serde(default)]
    pub span: Vec<Span>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn names(&self) -> Vec<String> {
        match self {
            Self::One(name) => vec![name.clone()],
            Self::Many(names) => names.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ValueLabels {
    On(bool),
    Format(String),
}

/// A position on an axis: a number, or a category name on a category axis.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AxisValue {
    Number(f64),
    Category(String),
}

/// A reference line across the plot.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Rule {
    pub x: Option<Spanned<AxisValue>>,
    pub y: Option<Spanned<AxisValue>>,
    pub label: Option<String>,
    /// A palette colour name (`muted`, `bad`, `good`, `accent`, `warn`) or `#rrggbb`.
    pub color: Option<Spanned<String>>,
}

/// A shaded band between two x positions.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Span {
    pub from: Spanned<AxisValue>,
    pub to: Spanned<AxisValue>,
    pub label: Option<String>,
    pub color: Option<Spanned<String>>,
}

/// Parses a spec; errors carry spans in `text`.
pub fn parse_spec(text: &str) -> Result<ChartSpec, SpecError> {
    let spec: ChartSpec = toml::from_str(text).map_err(|err| {
        let range = err.span().unwrap_or(0..text.len().min(1));
        SpecError::new(format!("invalid chart spec: {}", err.message()), range)
    })?;
    Ok(spec)
}

impl PanelSpec {
    /// The panels to draw: the `[[panel]]` tables, or the top-level keys as one panel (whose
    /// title is the chart's, shown by the theme, so it is not drawn twice).
    pub fn panels(&self) -> Vec<PanelSpec> {
        if self.panel.is_empty() {
            vec![PanelSpec {
                title: None,
                panel: Vec::new(),
                ..self.clone()
            }]
        } else {
            self.panel.clone()
        }
    }
}
