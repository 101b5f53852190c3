//! Citations and references in two styles, from a BibTeX file, for every syntax form.

use lectern_cite::{archived_style, read_bibliography, render};
use lectern_deck::citations::parse_run;
use lectern_deck::model::{Citation, Inline, plain_text};

/// Two papers in BibTeX (shared with lectern-typst's tests).
const BIB: &str = include_str!("../../../tests/citations/refs.bib");

fn citations(text: &str) -> Vec<Citation> {
    parse_run(text)
        .into_iter()
        .filter_map(|inline| match inline {
            Inline::Cite(citation) => Some(citation),
            _ => None,
        })
        .collect()
}

fn texts(style: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let library = read_bibliography("refs.bib", BIB).expect("bib");
    let cites = citations(text);
    let rendered = render(
        &cites,
        &library,
        &archived_style(style).expect("style"),
        Some("en"),
    );
    (
        cites
            .iter()
            .map(|c| rendered.citations[&c.id()].clone())
            .collect(),
        rendered.references.iter().map(|r| plain_text(r)).collect(),
    )
}

#[test]
fn every_form_in_an_author_date_style() {
    let (cites, refs) = texts(
        "apa",
        "[@brown2020] [@brown2020, p. 4] [see @brown2020; @wei2022] @wei2022 [-@wei2022] [@nobody] [-@wei2022, p. 7]",
    );
    assert_eq!(cites[0], "(Brown et al., 2020)");
    assert_eq!(cites[1], "(Brown et al., 2020, p. 4)");
    assert_eq!(cites[2], "(see Brown et al., 2020; Wei & Tay, 2022)");
    assert_eq!(cites[3], "Wei & Tay (2022)");
    assert_eq!(cites[4], "(2022)");
    assert_eq!(cites[5], "[?nobody]");
    assert_eq!(cites[6], "(2022, p. 7)");
    assert_eq!(refs.len(), 2, "{refs:?}");
    assert!(
        refs[0].starts_with("Brown, T. B., Mann, B., & Ryder, N. (2020)."),
        "{refs:?}"
    );
}

#[test]
fn a_numeric_style() {
    let (cites, refs) = texts(
        "ieee",
        "[@wei2022] [@brown2020; @wei2022] [@brown2020, p. 4]",
    );
    assert_eq!(cites, ["[1]", "[1], [2]", "[2, p. 4]"], "{cites:?}");
    assert!(refs[0].starts_with("[1] J. Wei and Y. Tay"), "{refs:?}");
}

#[test]
fn a_malformed_bibliography_is_located() {
    let errors =
        read_bibliography("refs.bib", "@article{x,\n  title = {Unclosed\n").expect_err("malformed");
    assert_eq!(errors[0].file.to_str(), Some("refs.bib"));
    // An entry never closed: the error points at where it starts.
    assert_eq!(errors[0].range, 0..11, "{:?}", errors[0]);
    assert!(!errors[0].hints.is_empty());
    let errors = read_bibliography("refs.yml", "a: [\n").expect_err("malformed");
    assert_eq!(errors[0].file.to_str(), Some("refs.yml"));
    // A byte-order mark and a non-ASCII key: the range stays on character boundaries.
    let text = "\u{feff}ж: 1\n";
    let errors = read_bibliography("refs.yml", text).expect_err("not an entry");
    assert!(
        text.get(errors[0].range.clone()).is_some(),
        "{:?}",
        errors[0].range
    );
}
