//! The theme's palette (`themes/<name>/palette.toml`), shared with the Typst theme.

use std::collections::BTreeMap;

use plotters::style::RGBColor;
use serde::Deserialize;

/// Colours and fonts a chart is drawn with.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub colors: BTreeMap<String, RGBColor>,
    pub series: Vec<RGBColor>,
    pub sans: String,
}

/// Unknown tables are the theme's own (`[code]`, …); an unknown key inside these is a typo.
#[derive(Deserialize)]
struct RawPalette {
    colors: BTreeMap<String, String>,
    series: RawSeries,
    fonts: RawFonts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    colors: Vec<String>,
}

#[derive(Deserialize)]
struct RawFonts {
    sans: String,
}

impl Palette {
    /// Parses `palette.toml`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawPalette = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut colors = BTreeMap::new();
        for (name, hex) in raw.colors {
            colors.insert(
                name.clone(),
                parse_hex(&hex)
                    .ok_or_else(|| format!("colour `{name}`: `{hex}` is not #rrggbb"))?,
            );
        }
        let series = raw
            .series
            .colors
            .iter()
            .map(|hex| {
                parse_hex(hex).ok_or_else(|| format!("series colour `{hex}` is not #rrggbb"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if series.is_empty() {
            return Err("the palette needs at least one series colour".into());
        }
        Ok(Self {
            colors,
            series,
            sans: raw.fonts.sans,
        })
    }

    /// A named palette colour, or `#rrggbb`.
    pub fn color(&self, name: &str) -> Option<RGBColor> {
        self.colors.get(name).copied().or_else(|| parse_hex(name))
    }

    /// A named colour with a fallback for palettes that lack it.
    pub fn named(&self, name: &str, fallback: RGBColor) -> RGBColor {
        self.colors.get(name).copied().unwrap_or(fallback)
    }

    pub fn series_color(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }
}

/// WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white).
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG 2 relative luminance.
fn luminance(RGBColor(r, g, b): RGBColor) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

fn parse_hex(hex: &str) -> Option<RGBColor> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(RGBColor(byte(0)?, byte(2)?, byte(4)?))
}
