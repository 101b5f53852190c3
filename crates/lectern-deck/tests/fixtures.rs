//! Snapshot tests: every deck under `tests/decks/` → deck model summary and generated Typst.

use std::fmt::Write;

use lectern_deck::model::plain_text;

fn summary(src: &str) -> String {
    let (deck, diags) = lectern_deck::parse(src, "deck.md");
    let mut out = String::new();
    for d in &diags {
        let (line, col) = lectern_deck::diag::line_col(src, d.range.start);
        let _ = writeln!(out, "{:?} {line}:{col}: {}", d.severity, d.message);
    }
    for (i, slide) in deck.slides.iter().enumerate() {
        let (line, _) = lectern_deck::diag::line_col(src, slide.range.start);
        let _ = writeln!(
            out,
            "slide {} {:?} line {line} section={:?} title={:?} blocks={} notes={:?}",
            i + 1,
            slide.kind,
            slide.section.map(|s| s + 1),
            plain_text(&slide.title),
            slide.blocks.len(),
            slide.notes
        );
    }
    let generated = lectern_deck::generate(&deck);
    let _ = writeln!(
        out,
        "\n==> {}\n{}",
        lectern_deck::generate::MAIN_PATH,
        generated.main
    );
    let _ = writeln!(
        out,
        "==> {}\n{}",
        lectern_deck::generate::INFO_PATH,
        generated.info
    );
    for slide in &generated.slides {
        let _ = writeln!(out, "==> {}\n{}", slide.path, slide.text);
    }
    for raw in &generated.raws {
        let _ = writeln!(
            out,
            "==> {} (markdown offset {})\n{}",
            raw.path, raw.md_offset, raw.text
        );
    }
    out
}

#[test]
fn decks() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../../tests/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../../tests/decks", "*.md", |path| {
            let src = std::fs::read_to_string(path).expect("fixture readable");
            insta::assert_snapshot!(summary(&src));
        });
    });
}
