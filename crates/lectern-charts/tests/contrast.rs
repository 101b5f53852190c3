//! WCAG contrast of every shipped theme's palette (`themes/*/palette.toml`): text on the
//! backgrounds it is set on, and chart series and status colours against the paper.

use lectern_charts::Palette;
use lectern_charts::palette::contrast;
use plotters::style::RGBColor;

/// The level a theme promises: AA unless it says it is for high contrast.
fn text_minimum(theme: &str) -> (f64, f64) {
    // (text, graphics): AA asks 4.5:1 for body text and 3:1 for chart lines and marks;
    // a high-contrast theme keeps 7:1 (AAA) for both.
    if theme.contains("contrast") {
        (7.0, 7.0)
    } else {
        (4.5, 3.0)
    }
}

const WHITE: RGBColor = RGBColor(255, 255, 255);

#[test]
fn every_theme_meets_its_contrast_level() {
    let themes = concat!(env!("CARGO_MANIFEST_DIR"), "/../../themes");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(themes).expect("themes folder") {
        let folder = entry.expect("entry").path();
        let Ok(text) = std::fs::read_to_string(folder.join("palette.toml")) else {
            continue;
        };
        let theme = folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let palette = Palette::parse(&text).expect("palette parses");
        let color = |name: &str| {
            palette
                .color(name)
                .unwrap_or_else(|| panic!("{theme}: no `{name}`"))
        };
        let (text_min, graphics_min) = text_minimum(&theme);
        // Text pairs the theme sets: body and secondary text on the page and on panels,
        // accents as text (kickers, links, numbers), white on the table header and on section
        // slides.
        let text_pairs = [
            ("ink", color("ink"), "paper", color("paper")),
            ("ink", color("ink"), "surface", color("surface")),
            ("muted", color("muted"), "paper", color("paper")),
            ("accent", color("accent"), "paper", color("paper")),
            (
                "heading",
                palette.color("heading").unwrap_or(color("accent-dark")),
                "paper",
                color("paper"),
            ),
            (
                "on-accent",
                palette.color("on-accent").unwrap_or(WHITE),
                "accent",
                color("accent"),
            ),
            ("white", WHITE, "accent-dark", color("accent-dark")),
        ];
        for (fg_name, fg, bg_name, bg) in text_pairs {
            let ratio = contrast(fg, bg);
            if ratio < text_min {
                failures.push(format!(
                    "{theme}: {fg_name} on {bg_name} is {ratio:.2}:1, below {text_min}:1"
                ));
            }
        }
        let marks = palette
            .series
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("series {}", i + 1), *c))
            .chain(["good", "bad", "warn"].map(|n| (n.to_string(), color(n))));
        for (name, mark) in marks {
            let ratio = contrast(mark, color("paper"));
            if ratio < graphics_min {
                failures.push(format!(
                    "{theme}: {name} on paper is {ratio:.2}:1, below {graphics_min}:1"
                ));
            }
        }
        // Code colours of the theme's highlighting, on the code panel.
        if let Some(code) = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|t| t.get("code")?.get("theme")?.as_str().map(str::to_string))
        {
            let source = std::fs::read_to_string(folder.join(&code)).expect("code theme");
            for hex in foregrounds(&source) {
                let fg = palette.color(&hex).expect("colour");
                let ratio = contrast(fg, color("surface"));
                if ratio < text_min {
                    failures.push(format!(
                        "{theme}: code colour {hex} on surface is {ratio:.2}:1, below {text_min}:1"
                    ));
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 0, "no palette found under {themes}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn contrast_matches_wcag_examples() {
    assert!((contrast(RGBColor(0, 0, 0), WHITE) - 21.0).abs() < 1e-9);
    assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
    // #767676 on white is the classic 4.54:1 AA grey.
    assert!((contrast(RGBColor(0x76, 0x76, 0x76), WHITE) - 4.54).abs() < 0.01);
}

/// The foreground colours a `.tmTheme` sets.
fn foregrounds(source: &str) -> Vec<String> {
    source
        .split("<key>foreground</key>")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find("<string>")? + "<string>".len();
            let end = start + rest[start..].find("</string>")?;
            Some(rest[start..end].trim().to_string())
        })
        .collect()
}
