//! ```` ```dot ```` and ```` ```graphviz ```` blocks: Graphviz DOT laid out and drawn to SVG
//! in pure Rust by layout-rs (no Graphviz program), in the theme's font and ink colour.
//!
//! Attributes: `height=9` (in `em` of the slide's text), `caption="…"`, `title="…"`.

use layout::backends::svg::SVGWriter;
use layout::gv::{DotParser, GraphBuilder};
use lectern_block::{
    BlockError, BlockRenderer, BlockSource, Content, ErrorAt, Figure, Inputs, Theme,
};

/// Draws ```` ```dot ```` and ```` ```graphviz ```` blocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Diagrams;

/// Default height of a diagram, in `em`.
const HEIGHT_EM: f64 = 10.0;

impl BlockRenderer for Diagrams {
    fn kinds(&self) -> &[&'static str] {
        &["dot", "graphviz"]
    }

    fn render(
        &self,
        block: &BlockSource,
        _inputs: &Inputs,
        theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>> {
        let body = block.body;
        if body.trim().is_empty() {
            return Err(vec![BlockError::new(
                "the diagram is empty: write a graph, e.g. `digraph { a -> b }`",
                ErrorAt::Fence,
            )]);
        }
        let graph = match DotParser::new(body).process() {
            Ok(graph) => graph,
            Err(message) => {
                let line = failing_line(body);
                return Err(vec![
                    BlockError::new(format!("the DOT graph does not parse here (layout-rs stopped at: {message})"), ErrorAt::Body(line))
                        .with_hint("Lectern draws DOT with layout-rs, which reads graphs, nodes, edges, subgraphs and attribute lists"),
                ]);
            }
        };
        // layout-rs panics on some graphs it cannot place; that must not end the build.
        let drawn = std::panic::catch_unwind(|| {
            let mut builder = GraphBuilder::new();
            builder.visit_graph(&graph);
            let mut visual = builder.get();
            let mut svg = SVGWriter::new();
            visual.do_it(false, false, false, &mut svg);
            svg.finalize()
        });
        let Ok(svg) = drawn else {
            return Err(vec![BlockError::new(
                "this DOT graph cannot be laid out (layout-rs gave up on it)",
                ErrorAt::Fence,
            )]);
        };
        let attributes = lectern_block::attributes(block.attributes);
        let height_em = lectern_block::height_em(&attributes, HEIGHT_EM).map_err(|e| vec![e])?;
        Ok(Figure {
            content: Content::Svg(themed(&svg, theme.palette)),
            alt: attributes
                .get("alt")
                .cloned()
                .unwrap_or_else(|| format!("Diagram: {}", summary(body))),
            title: attributes.get("title").cloned(),
            subtitle: None,
            caption: attributes.get("caption").cloned(),
            height_em: Some(height_em),
            // A wide graph (`rankdir=LR`) is shrunk to the slide's width.
            fit_width: true,
        })
    }
}

/// The body's line where the parse first fails: the shortest run of lines that no longer
/// parses once its braces are closed (a missing `}` at the end points at the last line).
fn failing_line(body: &str) -> std::ops::Range<usize> {
    let mut end = 0;
    let mut last = 0..body.len();
    for line in body.split_inclusive('\n') {
        let start = end;
        end += line.len();
        if line.trim().is_empty() {
            continue;
        }
        last = start..start + line.trim_end().len();
        let open = body[..end]
            .matches('{')
            .count()
            .saturating_sub(body[..end].matches('}').count());
        let probe = format!("{}{}", &body[..end], "\n}".repeat(open));
        if DotParser::new(&probe).process().is_err() {
            return last;
        }
    }
    last
}

/// A short description of the graph for screen readers: its node names.
fn summary(body: &str) -> String {
    let words: Vec<&str> = body
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| {
            !w.is_empty()
                && ![
                    "digraph", "graph", "node", "edge", "subgraph", "label", "shape",
                ]
                .contains(w)
        })
        .take(8)
        .collect();
    words.join(", ")
}

/// layout-rs's SVG in the theme's font and ink colour, its white node fill in the theme's
/// paper (a dark theme's light labels stay readable).
fn themed(svg: &str, palette: &str) -> String {
    let table: Option<toml::Table> = toml::from_str(palette).ok();
    let get = |section: &str, key: &str| {
        table
            .as_ref()
            .and_then(|t| t.get(section)?.get(key)?.as_str().map(str::to_string))
    };
    let font = get("fonts", "sans").unwrap_or_else(|| "sans-serif".into());
    let ink = get("colors", "ink").unwrap_or_else(|| "#000000".into());
    let paper = paper_fill(table.as_ref());
    svg.replace(
        "font-family: Times, serif;",
        &format!("font-family: '{font}', sans-serif; fill: {ink};"),
    )
    .replace("stroke=\"#000000ff\"", &format!("stroke=\"{ink}\""))
    .replace("fill=\"#ffffffff\"", &format!("fill=\"{paper}\""))
}

/// The palette's paper as layout-rs writes colours (`#rrggbbaa`), for a white page white.
fn paper_fill(palette: Option<&toml::Table>) -> String {
    palette
        .and_then(|t| t.get("colors")?.get("paper")?.as_str())
        .filter(|c| c.len() == 7 && c.starts_with('#'))
        .map_or_else(
            || "#ffffffff".into(),
            |c| format!("{}ff", c.to_ascii_lowercase()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> Result<Figure, Vec<BlockError>> {
        let theme = Theme::with_palette("[colors]\nink = \"#1f2937\"\n[fonts]\nsans = \"Inter\"\n");
        let block = BlockSource {
            kind: "dot",
            attributes: "{caption=\"Phases\"}",
            body,
        };
        Diagrams.render(&block, &Inputs::new(), &theme)
    }

    #[test]
    fn a_graph_becomes_a_themed_vector_drawing() {
        let figure =
            render("digraph {\n  lex -> parse -> check\n  check -> emit [label=\"ok\"]\n}\n")
                .expect("drawn");
        let Content::Svg(svg) = &figure.content else {
            panic!("not a drawing")
        };
        assert!(svg.contains("<svg") && svg.contains("Inter"), "{svg}");
        assert!(
            svg.contains(">parse<") || svg.contains("parse"),
            "labels as text"
        );
        assert!(!svg.contains("Times"));
        assert_eq!(figure.caption.as_deref(), Some("Phases"));
        assert_eq!(
            render("digraph { a -> b }").ok(),
            render("digraph { a -> b }").ok(),
            "deterministic"
        );
    }

    #[test]
    fn a_syntax_error_points_at_its_line() {
        let body = "digraph {\n  a -> b\n  b -> -> c\n  c -> d\n}\n";
        let err = render(body).expect_err("bad graph");
        let ErrorAt::Body(range) = &err[0].at else {
            panic!("{err:?}")
        };
        assert_eq!(&body[range.clone()], "  b -> -> c");
        assert!(render("  ").is_err());
    }
}
