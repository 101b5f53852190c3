//! ```progress``` blocks: `7/12` drawn as a bar in the theme's accent colour.

use lectern_block::{
    BlockError, BlockRenderer, BlockSource, Content, ErrorAt, Figure, Inputs, Theme,
};

#[derive(Debug, Default, Clone, Copy)]
pub struct Progress;

impl BlockRenderer for Progress {
    fn kinds(&self) -> &[&'static str] {
        &["progress"]
    }

    fn render(
        &self,
        block: &BlockSource,
        _: &Inputs,
        theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>> {
        let text = block.body.trim();
        let start = block.body.find(text).unwrap_or(0);
        let bad = || {
            vec![BlockError::new(
                "write the progress as `done/total`, e.g. `7/12`",
                ErrorAt::Body(start..start + text.len()),
            )]
        };
        let (done, total) = text.split_once('/').ok_or_else(bad)?;
        let (done, total): (f64, f64) = match (done.trim().parse(), total.trim().parse()) {
            (Ok(d), Ok(t)) if t > 0.0 && d >= 0.0 && d <= t => (d, t),
            _ => return Err(bad()),
        };
        // The palette is the theme's palette.toml; take its accent colour.
        let accent = theme
            .palette
            .lines()
            .find_map(|l| l.trim().strip_prefix("accent = "))
            .map_or("#2563eb", |v| v.trim_matches('"'));
        let width = 600.0 * done / total;
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40" viewBox="0 0 600 40">
<rect width="600" height="40" rx="8" fill="#e5e7eb"/>
<rect width="{width}" height="40" rx="8" fill="{accent}"/></svg>"##
        );
        let attributes = lectern_block::attributes(block.attributes);
        Ok(Figure {
            content: Content::Svg(svg),
            alt: format!("{done} of {total} done"),
            title: None,
            subtitle: None,
            caption: attributes
                .get("caption")
                .cloned()
                .or(Some(format!("{done} of {total}"))),
            height_em: Some(1.5),
            fit_width: true,
        })
    }
}

#[test]
fn the_progress_plugin_of_the_docs_draws_and_reports() {
    let theme = Theme::with_palette("[colors]\naccent = \"#123456\"\n");
    let block = BlockSource {
        kind: "progress",
        attributes: "",
        body: "7/12\n",
    };
    let figure = Progress
        .render(&block, &Inputs::new(), &theme)
        .expect("drawn");
    let Content::Svg(svg) = &figure.content else {
        panic!("not a drawing")
    };
    assert!(
        svg.contains("#123456") && svg.contains("width=\"350\""),
        "{svg}"
    );
    let block = BlockSource {
        kind: "progress",
        attributes: "",
        body: " 13/12",
    };
    let err = Progress
        .render(&block, &Inputs::new(), &theme)
        .expect_err("too far");
    assert_eq!(err[0].at, ErrorAt::Body(1..6));
}

/// The example in docs/plugins.md is this file's code: the two must not drift apart.
#[test]
fn the_docs_show_this_code() {
    let doc = include_str!("../../../docs/plugins.md");
    let this = include_str!("progress_plugin.rs");
    let code = this.split("\n#[test]").next().unwrap_or_default();
    assert!(
        doc.contains(code),
        "docs/plugins.md's example differs from this test's code"
    );
}
