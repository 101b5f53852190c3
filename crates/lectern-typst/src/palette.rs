//! The front matter's `theme-options` applied to the theme's palette. The World serves the
//! result as the theme's `palette.toml`, which the theme, the charts, the diagrams and the QR
//! codes all read: one place, and everything follows. Pure.

use lectern_deck::frontmatter::ThemeOption;
use toml::{Table, Value};

/// The palette text with `options` applied; `None` when there is nothing to apply or the
/// palette cannot be read (the theme then keeps its own).
pub fn apply(palette: &str, options: &[ThemeOption]) -> Option<String> {
    if options.is_empty() {
        return None;
    }
    let mut table: Table = toml::from_str(palette).ok()?;
    for option in options {
        let value = Value::String(option.value.clone());
        match option.key.as_str() {
            "accent" => {
                set(&mut table, "colors", "accent", value.clone());
                // Charts follow: their first series is the accent colour.
                if let Some(Value::Array(series)) =
                    table.get_mut("series").and_then(|s| s.get_mut("colors"))
                    && let Some(first) = series.first_mut()
                {
                    *first = value;
                }
                // Table header rows are set in `on-accent` on the accent colour: keep
                // whichever of white and the theme's dark colour reads better there.
                let dark = darker(&table);
                let on_accent =
                    if contrast(&option.value, "#ffffff") >= contrast(&option.value, &dark) {
                        "#ffffff".to_string()
                    } else {
                        dark
                    };
                set(&mut table, "colors", "on-accent", Value::String(on_accent));
            }
            "primary" => {
                // Section slides and the band across the top carry white text on it. On a
                // light page it is the headings' colour too; a dark theme's headings stay
                // light.
                set(&mut table, "colors", "accent-dark", value.clone());
                if !paper_is_dark(&table) {
                    set(&mut table, "colors", "heading", value);
                }
            }
            "font" => set(&mut table, "fonts", "sans", value),
            "code-font" => set(&mut table, "fonts", "mono", value),
            // The deck folder is the root of the compile.
            "logo" => set(
                &mut table,
                "options",
                "logo",
                Value::String(format!("/{}", option.value.trim_start_matches("./"))),
            ),
            key => set(&mut table, "options", key, value),
        }
    }
    toml::to_string(&table).ok()
}

/// WCAG contrast of two `#rrggbb` colours (1 when either cannot be read).
pub fn contrast(a: &str, b: &str) -> f64 {
    match (luminance(a), luminance(b)) {
        (Some(la), Some(lb)) => (la.max(lb) + 0.05) / (la.min(lb) + 0.05),
        _ => 1.0,
    }
}

/// WCAG relative luminance of a `#rrggbb` colour.
fn luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// Whether the palette's page is dark (a dark theme).
pub fn paper_is_dark(palette: &Table) -> bool {
    color(palette, "paper")
        .and_then(luminance)
        .is_some_and(|l| l < 0.18)
}

/// The darker of the palette's ink and paper.
fn darker(palette: &Table) -> String {
    let ink = color(palette, "ink").unwrap_or("#000000");
    let paper = color(palette, "paper").unwrap_or("#ffffff");
    let dark = |hex: &str| luminance(hex).unwrap_or(1.0);
    if dark(paper) < dark(ink) { paper } else { ink }.to_string()
}

/// The palette's `[colors]` entry `name`.
pub fn color<'a>(palette: &'a Table, name: &str) -> Option<&'a str> {
    palette.get("colors")?.get(name)?.as_str()
}

fn set(table: &mut Table, section: &str, key: &str, value: Value) {
    let section = table
        .entry(section)
        .or_insert_with(|| Value::Table(Table::new()));
    if let Value::Table(section) = section {
        section.insert(key.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(key: &str, value: &str) -> ThemeOption {
        ThemeOption {
            key: key.into(),
            value: value.into(),
            range: 0..0,
        }
    }

    #[test]
    fn contrast_as_wcag_has_it() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
        assert_eq!(contrast("red", "#ffffff"), 1.0);
    }

    #[test]
    fn options_land_in_the_palette() {
        let palette = "[colors]\naccent = \"#2f55c8\"\naccent-dark = \"#1d3a91\"\n[series]\ncolors = [\"#2f55c8\", \"#e07a1f\"]\n[fonts]\nsans = \"Inter\"\n";
        assert_eq!(apply(palette, &[]), None);
        let merged = apply(
            palette,
            &[
                option("accent", "#c2410c"),
                option("primary", "#7c2d12"),
                option("font", "Source Serif 4"),
                option("logo", "./images/logo.png"),
                option("title", "center"),
            ],
        )
        .expect("merged");
        let table: Table = toml::from_str(&merged).expect("toml");
        assert_eq!(table["colors"]["accent"].as_str(), Some("#c2410c"));
        assert_eq!(table["colors"]["accent-dark"].as_str(), Some("#7c2d12"));
        assert_eq!(table["colors"]["heading"].as_str(), Some("#7c2d12"));
        assert_eq!(table["series"]["colors"][0].as_str(), Some("#c2410c"));
        assert_eq!(table["series"]["colors"][1].as_str(), Some("#e07a1f"));
        assert_eq!(table["colors"]["on-accent"].as_str(), Some("#ffffff"));
        assert_eq!(table["fonts"]["sans"].as_str(), Some("Source Serif 4"));
        assert_eq!(table["options"]["logo"].as_str(), Some("/images/logo.png"));
        assert_eq!(table["options"]["title"].as_str(), Some("center"));
    }

    #[test]
    fn a_dark_theme_keeps_light_headings_and_readable_header_rows() {
        let palette = "[colors]\nink = \"#eef1f6\"\npaper = \"#131923\"\naccent = \"#8fb0ff\"\naccent-dark = \"#2d4db0\"\nheading = \"#b8ccff\"\n";
        let merged = apply(
            palette,
            &[option("primary", "#7c2d12"), option("accent", "#ffd166")],
        )
        .expect("merged");
        let table: Table = toml::from_str(&merged).expect("toml");
        assert_eq!(table["colors"]["accent-dark"].as_str(), Some("#7c2d12"));
        assert_eq!(table["colors"]["heading"].as_str(), Some("#b8ccff"));
        // A light accent takes the theme's dark colour for the text on it.
        assert_eq!(table["colors"]["on-accent"].as_str(), Some("#131923"));
    }
}
