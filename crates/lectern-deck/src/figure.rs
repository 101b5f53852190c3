//! A plugin's figure as Typst: the one place plugin output becomes markup, so that all
//! Typst stays in this crate.

use lectern_block::{Content, Figure};

use crate::generate::{THEME_DIR, escape_markup, string};

/// Default height of a drawing, in `em` of the slide's text.
pub const DEFAULT_HEIGHT_EM: f64 = 11.5;

/// The Typst file that shows `figure` (its drawing served at `image_path`) through the
/// theme's `block-figure`.
pub fn source(figure: &Figure, image_path: &str) -> String {
    let opt = |value: &Option<String>| value.as_deref().map_or("none".to_string(), string);
    let body = match &figure.content {
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
        let text = source(&figure, "/__lectern/slides/001-1.svg");
        assert!(
            text.ends_with("#block-figure(image(\"/__lectern/slides/001-1.svg\", alt: \"A \\\"chart\\\"\", height: 11.5em), title: \"T\", subtitle: none, caption: none)\n"),
            "{text}"
        );
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
        );
        assert!(text.contains("table(columns: 2, align: (left, right,), table.header([Name], [n], ), [#strong[\\#a\\*]], [#strong[3]])"), "{text}");
    }
}
