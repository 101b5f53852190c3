//! A plugin's figure as Typst: the one place plugin output becomes markup, so that all
//! Typst stays in this crate.

use lectern_block::{Content, Figure};

use crate::generate::{THEME_DIR, escape_markup, string};

/// Default height of a drawing, in `em` of the slide's text.
pub const DEFAULT_HEIGHT_EM: f64 = 11.5;

/// The Typst file that shows `figure` (its drawing served at `image_path`, `aspect` its width
/// over height when known, see [`svg_aspect`]) through the theme's `block-figure`.
pub fn source(figure: &Figure, image_path: &str, aspect: Option<f64>) -> String {
    let opt = |value: &Option<String>| value.as_deref().map_or("none".to_string(), string);
    let body = match &figure.content {
        // A drawing of fixed proportions keeps its height unless that makes it wider than
        // the space it is in (a column): then it shrinks to that width, proportions kept.
        Content::Svg(_) if !figure.fit_width && aspect.is_some() => format!(
            "layout(region => if ({height}em).to-absolute() * {aspect:.4} <= region.width {{ image({path}, alt: {alt}, height: {height}em) }} else {{ image({path}, alt: {alt}, width: region.width) }})",
            path = string(image_path),
            alt = string(&figure.alt),
            height = figure.height_em.unwrap_or(DEFAULT_HEIGHT_EM),
            aspect = aspect.unwrap_or(1.0),
        ),
        Content::Svg(_) => format!(
            "image({}, alt: {}, {}height: {}em{})",
            string(image_path),
            string(&figure.alt),
            if figure.fit_width {
                "width: 100%, "
            } else {
                ""
            },
            figure.height_em.unwrap_or(DEFAULT_HEIGHT_EM),
            if figure.fit_width {
                ", fit: \"contain\""
            } else {
                ""
            },
        ),
        Content::Table(table) => table_markup(table),
    };
    format!(
        "#import \"{THEME_DIR}/theme.typ\": *\n#block-figure({body}, title: {}, subtitle: {}, caption: {})\n",
        opt(&figure.title),
        opt(&figure.subtitle),
        opt(&figure.caption),
    )
}

/// Width over height of an SVG drawing, from its root element's `viewBox` (or `width` and
/// `height` in user units).
pub fn svg_aspect(svg: &str) -> Option<f64> {
    let start = svg.find("<svg")?;
    let root = &svg[start..start + svg[start..].find('>')?];
    let attribute = |name: &str| -> Option<&str> {
        let at = root.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&root[at..at + root[at..].find('"')?])
    };
    let (width, height) = match attribute("viewBox") {
        Some(view_box) => {
            let numbers: Vec<f64> = view_box
                .split([' ', ','])
                .filter(|n| !n.is_empty())
                .filter_map(|n| n.parse().ok())
                .collect();
            (*numbers.get(2)?, *numbers.get(3)?)
        }
        None => (
            attribute("width")?.parse().ok()?,
            attribute("height")?.parse().ok()?,
        ),
    };
    (width > 0.0 && height > 0.0).then(|| width / height)
}

/// A table in the theme's table style (the same `table` a Markdown table becomes); the
/// highlighted rows are set in bold.
fn table_markup(table: &lectern_block::Table) -> String {
    let columns = table
        .header
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let align: Vec<&str> = (0..columns)
        .map(|i| {
            if table.right_aligned.get(i).copied().unwrap_or(false) {
                "right"
            } else {
                "left"
            }
        })
        .collect();
    let mut out = format!(
        "table(columns: {columns}, align: ({},), table.header(",
        align.join(", ")
    );
    let cell = |text: &str, out: &mut String, strong: bool| {
        out.push('[');
        if strong {
            out.push_str("#strong[");
        }
        escape_markup(text, out);
        if strong {
            out.push(']');
        }
        out.push(']');
    };
    for text in &table.header {
        cell(text, &mut out, false);
        out.push_str(", ");
    }
    out.push(')');
    for (r, row) in table.rows.iter().enumerate() {
        let strong = table.highlighted.contains(&r);
        for i in 0..columns {
            out.push_str(", ");
            cell(row.get(i).map_or("", String::as_str), &mut out, strong);
        }
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawings_and_tables_become_block_figures() {
        let figure = Figure {
            content: Content::Svg("<svg/>".into()),
            alt: "A \"chart\"".into(),
            title: Some("T".into()),
            subtitle: None,
            caption: None,
            height_em: None,
            fit_width: false,
        };
        let text = source(&figure, "/__lectern/slides/001-1.svg", None);
        assert!(
            text.ends_with("#block-figure(image(\"/__lectern/slides/001-1.svg\", alt: \"A \\\"chart\\\"\", height: 11.5em), title: \"T\", subtitle: none, caption: none)\n"),
            "{text}"
        );
        // With its proportions known, a chart shrinks to a narrow column.
        let svg =
            "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"400\" viewBox=\"0 0 800 400\">";
        let text = source(&figure, "/c.svg", svg_aspect(svg));
        assert!(
            text.contains("layout(region => if (11.5em).to-absolute() * 2.0000 <= region.width { image(\"/c.svg\", alt: \"A \\\"chart\\\"\", height: 11.5em) } else { image(\"/c.svg\", alt: \"A \\\"chart\\\"\", width: region.width) })"),
            "{text}"
        );
        assert_eq!(svg_aspect("<svg width=\"30\" height=\"10\">"), Some(3.0));
        assert_eq!(svg_aspect("<svg viewBox=\"0,0,0,10\">"), None);
        let table = lectern_block::Table {
            header: vec!["Name".into(), "n".into()],
            rows: vec![vec!["#a*".into(), "3".into()]],
            right_aligned: vec![false, true],
            highlighted: vec![0],
        };
        let text = source(
            &Figure {
                content: Content::Table(table),
                ..figure
            },
            "",
            None,
        );
        assert!(text.contains("table(columns: 2, align: (left, right,), table.header([Name], [n], ), [#strong[\\#a\\*]], [#strong[3]])"), "{text}");
    }
}
