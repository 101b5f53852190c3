//! Chart kinds drawn to SVG, checked by structure: shapes, colours, labels and located errors.

use std::collections::BTreeMap;
use std::path::Path;

use lectern_charts::{ErrorAt, Palette, parse_spec, render};

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn palette() -> Palette {
    let text = std::fs::read_to_string(repo().join("themes/aula/palette.toml")).expect("palette");
    let palette = Palette::parse(&text).expect("valid palette");
    let font = std::fs::read(repo().join("themes/fonts/inter/Inter-Regular.otf")).expect("font");
    lectern_charts::register_font(&palette.sans, &font, None).expect("font registers");
    palette
}

const DATA: &str = r#"
[[column]]
name = "size"
values = ["1B", "10B", "100B"]
[[column]]
name = "a"
label = "Серия А"
values = [10, 50, 90]
[[column]]
name = "b"
values = [20, 30, 40]
[[column]]
name = "params"
values = [1, 10, 100]
[[column]]
name = "zero"
values = [0, 10, 100]
"#;

fn draw(spec: &str) -> Result<String, lectern_charts::ChartError> {
    let spec = parse_spec(spec).map_err(lectern_charts::ChartError::from)?;
    let mut datasets = BTreeMap::new();
    datasets.insert(
        "d.toml".to_string(),
        lectern_data::parse_dataset("d.toml", DATA).expect("dataset"),
    );
    render(&spec, &datasets, &palette())
}

/// The contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().to_string())
        })
        .collect()
}

fn has_text(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t == text)
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn grouped_bars_have_one_rect_per_value_in_series_colours() {
    let svg = draw("data = \"d.toml\"\nkind = \"bar\"\nx = \"size\"\ny = [\"a\", \"b\"]\nvalue-labels = \"{}%\"").unwrap();
    let p = palette();
    let hex = |c: plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    // Three bars per series plus one legend swatch each.
    assert_eq!(
        count(&svg, &format!("fill=\"{}\"", hex(p.series_color(0)))),
        4,
        "{svg}"
    );
    assert_eq!(
        count(&svg, &format!("fill=\"{}\"", hex(p.series_color(1)))),
        4
    );
    assert!(
        has_text(&svg, "90%") && has_text(&svg, "Серия А"),
        "value labels and legend: {:?}",
        texts(&svg)
    );
    assert!(
        svg.contains("font-family=\"Inter\""),
        "chart text names the theme font"
    );
    assert!(has_text(&svg, "100B"), "category labels");
}

#[test]
fn log_lines_with_annotations_spans_and_rules() {
    let svg = draw(
        "data = \"d.toml\"\nkind = \"line\"\nx = \"params\"\ny = \"a\"\nx-scale = \"log\"\npoint-labels = \"size\"\n\
         [[span]]\nfrom = 5\nto = 50\nlabel = \"Emergence zone\"\n[[hline]]\ny = 25\nlabel = \"Random (25%)\"\ncolor = \"bad\"\n\
         [[vline]]\nx = 10\nlabel = \"Threshold\"",
    )
    .unwrap();
    assert!(count(&svg, "<polyline") >= 1, "a line");
    assert_eq!(
        count(&svg, "<circle"),
        3 + 1,
        "three markers and a legend marker"
    );
    for text in [
        "1",
        "10",
        "100",
        "Emergence zone",
        "Random (25%)",
        "Threshold",
        "10B",
    ] {
        assert!(has_text(&svg, text), "missing {text} in {:?}", texts(&svg));
    }
}

#[test]
fn panels_sit_side_by_side() {
    let svg = draw(
        "data = \"d.toml\"\n[[panel]]\ntitle = \"Left\"\nx = \"params\"\ny = \"a\"\n[[panel]]\ntitle = \"Right\"\nx = \"params\"\ny = \"b\"",
    )
    .unwrap();
    assert!(
        has_text(&svg, "Left") && has_text(&svg, "Right"),
        "{:?}",
        texts(&svg)
    );
    // Data lines are the only 4 px strokes (grid lines and axes are thinner).
    assert_eq!(count(&svg, "stroke-width=\"4\""), 2);
}

fn spec_error(spec: &str) -> (String, std::ops::Range<usize>) {
    match draw(spec) {
        Err(err) => match err.at {
            ErrorAt::Spec(range) => (err.message, range),
            ErrorAt::Data { .. } => panic!("expected a spec error, got {err:?}"),
        },
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn spec_errors_point_at_the_offending_value() {
    let spec = "data = \"d.toml\"\nx = \"size\"\ny = \"nope\"";
    let (message, range) = spec_error(spec);
    assert!(
        message.contains("no column `nope`") && message.contains("size, a, b"),
        "{message}"
    );
    assert_eq!(&spec[range], "\"nope\"");

    let spec = "data = \"d.toml\"\nx = \"size\"\ny = \"a\"\nkind = \"pie\"";
    let (message, range) = spec_error(spec);
    assert!(message.contains("unknown chart kind `pie`"), "{message}");
    assert_eq!(&spec[range], "\"pie\"");

    let spec = "data = \"d.toml\"\nx = \"size\"\ny = \"a\"\ncolour = 1";
    let (message, range) = spec_error(spec);
    assert!(message.contains("unknown field `colour`"), "{message}");
    assert_eq!(&spec[range], "colour");

    let spec = "data = \"d.toml\"\nkind = \"bar\"\nx = \"size\"\ny = \"a\"\n[[vline]]\nx = \"2B\"";
    let (message, range) = spec_error(spec);
    assert!(message.contains("`2B` is not a category"), "{message}");
    assert_eq!(&spec[range], "\"2B\"");
}

#[test]
fn log_axes_reject_non_positive_data_in_the_data_file() {
    let err = draw("data = \"d.toml\"\nx = \"zero\"\ny = \"a\"\nx-scale = \"log\"").unwrap_err();
    let ErrorAt::Data { path, range } = err.at else {
        panic!("{err:?}")
    };
    assert_eq!(path, "d.toml");
    assert_eq!(&DATA[range], "0");
    assert!(err.message.contains("log"), "{}", err.message);
}
