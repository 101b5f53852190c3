//! Any notebook converts without panicking into Markdown the deck parser reads, and every
//! stretch of that Markdown maps back into a cell's source on character boundaries.

use lectern_notebook::{Options, convert_json};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Pieces lecturers' cells are made of, awkward ones included.
fn text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "# Title\n",
        "## Slide\n",
        "### Topic\n",
        "text ",
        "ш ю ",
        "🙂",
        "\n",
        "\n\n",
        "```",
        "~~~",
        "```python\n",
        "---\n",
        "***\n",
        "$x^2$",
        "$$",
        "\\frac{a}{b}",
        "<!-- note -->",
        "::: notes\n",
        ":::\n",
        "attachment:a.png",
        "![](attachment:a.png)",
        "#| echo: false\n",
        "#| fig-cap: \"c\"\n",
        "| a | b |\n|---|---|\n",
        "- item\n",
        "    indented\n",
        "\r\n",
        "`",
        "*",
        "_",
        "#",
        "[",
        "]",
        "@",
        "<div>",
        "</div>",
        "\t",
        "\u{1b}[31m",
        "\r",
    ]);
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

fn output() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(|t| json!({"output_type": "stream", "name": "stdout", "text": t})),
        text().prop_map(|t| json!({"output_type": "stream", "name": "stderr", "text": [t, "x\n"]})),
        text().prop_map(|t| json!({"output_type": "execute_result", "data": {"text/plain": t}})),
        text().prop_map(|t| json!({"output_type": "display_data", "data": {"text/html": format!("<table><tr><th>{t}</th></tr><tr><td>{t}</td></tr></table>")}})),
        text().prop_map(|t| json!({"output_type": "display_data", "data": {"text/latex": format!("${t}$")}})),
        text().prop_map(|t| json!({"output_type": "display_data", "data": {"text/markdown": t}})),
        Just(json!({"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}})),
        Just(json!({"output_type": "display_data", "data": {"image/png": "not base64!"}})),
        Just(json!({"output_type": "display_data", "data": {"application/x-widget": {"a": 1}}})),
        text().prop_map(|t| json!({"output_type": "error", "ename": "E", "evalue": t, "traceback": []})),
        Just(json!({"output_type": "mystery"})),
        Just(json!({})),
    ]
}

fn cell() -> impl Strategy<Value = Value> {
    let tags = prop::sample::subsequence(
        vec![
            "remove-cell",
            "remove-input",
            "remove-output",
            "hide-input",
            "other",
        ],
        0..3,
    );
    let slide = prop::option::of(prop::sample::select(vec![
        "slide", "subslide", "fragment", "skip", "notes", "-",
    ]));
    let kind = prop::sample::select(vec!["markdown", "code", "raw", "unknown"]);
    (
        kind,
        text(),
        tags,
        slide,
        prop::collection::vec(output(), 0..3),
    )
        .prop_map(|(kind, source, tags, slide, outputs)| {
            let mut metadata = json!({"tags": tags});
            if let Some(slide) = slide {
                metadata["slideshow"] = json!({"slide_type": slide});
            }
            json!({
                "cell_type": kind,
                "source": source,
                "metadata": metadata,
                "outputs": outputs,
                "attachments": {"a.png": {"image/png": "iVBORw0KGgo="}},
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_notebook_converts_and_maps_back(cells in prop::collection::vec(cell(), 0..8),
                                           title in prop::option::of(text())) {
        let mut metadata = json!({"kernelspec": {"language": "python"}});
        if let Some(title) = title {
            metadata["title"] = json!(title);
        }
        let notebook = json!({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells});
        let options = Options { name: "nb.ipynb".into(), image_dir: "__notebook__".into() };
        let converted = convert_json(&notebook.to_string(), &options).expect("a notebook");
        let (_deck, _diags) = lectern_deck::parse(&converted.markdown, "nb.ipynb");
        let md = &converted.markdown;
        let mut at = 0;
        while at <= md.len() {
            if md.is_char_boundary(at)
                && let Some((cell, range)) = converted.cell_of(at..(at + 3).min(md.len()))
            {
                let source = &converted.cells[cell - 1];
                prop_assert!(range.end <= source.len(), "{range:?} past cell {cell}");
                prop_assert!(range.start <= range.end);
                prop_assert!(source.is_char_boundary(range.start));
            }
            at += 1;
        }
    }
}
