//! Columns in each tool's spelling become one column block, and no fence is left as text.

use lectern_deck::model::plain_text;
use lectern_deck::{BlockKind, Deck, parse};

fn columns(deck: &Deck, slide: usize) -> (Vec<f64>, Vec<usize>) {
    let block = deck.slides[slide]
        .blocks
        .iter()
        .find_map(|b| match &b.kind {
            BlockKind::Columns { widths, columns } => {
                Some((widths.clone(), columns.iter().map(Vec::len).collect()))
            }
            _ => None,
        });
    block.unwrap_or_else(|| panic!("no columns on slide {slide}: {:?}", deck.slides[slide]))
}

fn no_fence_text(deck: &Deck) {
    for slide in &deck.slides {
        let mut texts = Vec::new();
        slide.walk(&mut |_| {}, &mut |inline| {
            if let lectern_deck::Inline::Text(t) = inline {
                texts.push(t.clone());
            }
        });
        for t in texts {
            assert!(
                !t.contains(":::") && !t.contains("::right::"),
                "fence shown: {t}"
            );
        }
    }
}

#[test]
fn pandoc_and_quarto_column_divs() {
    let src = "---\ntitle: T\n---\n\n## Two columns\n\nIntro line.\n\n:::: {.columns}\n::: {.column width=\"40%\"}\n- left\n- items\n:::\n::: {.column width=\"60%\"}\nRight text.\n\nMore right.\n:::\n::::\n\nAfter the columns.\n";
    let (deck, warnings) = parse(src, "deck.md");
    assert!(warnings.is_empty(), "{warnings:?}");
    let (widths, sizes) = columns(&deck, 1);
    assert_eq!(widths, [0.4, 0.6]);
    assert_eq!(sizes, [1, 2]);
    assert_eq!(deck.slides[1].blocks.len(), 3, "intro, columns, after");
    no_fence_text(&deck);
}

#[test]
fn slidev_two_cols_with_slots() {
    let src = "# Talk\n\n---\nlayout: two-cols\n---\n\n# Left side\n\n- a\n- b\n\n::right::\n\n# Right side\n\ntext\n";
    let (deck, _) = parse(src, "deck.md");
    let (widths, sizes) = columns(&deck, 1);
    assert_eq!(widths, [0.5, 0.5]);
    assert_eq!(
        sizes,
        [2, 2],
        "both columns keep their headings, side by side"
    );
    assert!(deck.slides[1].title.is_empty());
    no_fence_text(&deck);
}

#[test]
fn slidev_two_cols_title_over_the_columns() {
    let src = "# Talk\n\n---\nlayout: two-cols\n---\n\n# Parsing\n\n- a\n- b\n\n::right::\n\n![](images/tree.png)\n";
    let (deck, _) = parse(src, "deck.md");
    let (_, sizes) = columns(&deck, 1);
    assert_eq!(sizes, [1, 1]);
    assert_eq!(plain_text(&deck.slides[1].title), "Parsing");
}

#[test]
fn remark_columns_and_classes() {
    let src = "class: center, middle\n\n# Talk\n\n---\n\n.left-column[\n## Checks\n]\n.right-column[\n1. one\n2. two\n]\n\nIt is .red[red], see .small[this].\n\n---\n\n## Steps\n\n- a\n\n--\n\n- b\n";
    let (deck, _) = parse(src, "deck.md");
    let (widths, sizes) = columns(&deck, 1);
    assert_eq!(widths, [0.3, 0.7]);
    assert_eq!(sizes, [1, 1], "the heading stays in the left column");
    assert!(deck.slides[1].title.is_empty());
    let BlockKind::Paragraph(text) = &deck.slides[1].blocks[1].kind else {
        panic!("{:?}", deck.slides[1].blocks);
    };
    let text = plain_text(text);
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        "It is red, see this."
    );
    let steps: Vec<_> = deck.slides[2]
        .blocks
        .iter()
        .map(|b| matches!(b.kind, BlockKind::Pause))
        .collect();
    assert_eq!(steps, [false, true, false], "the list is split at the step");
}

#[test]
fn presenterm_column_layout() {
    let src = "Columns\n===\n\n<!-- column_layout: [1, 2] -->\n\n<!-- column: 0 -->\n\nNarrow.\n\n<!-- column: 1 -->\n\nWide text.\n\n<!-- reset_layout -->\n\nBelow.\n\n<!-- end_slide -->\n\nNext\n===\n\nx\n";
    let (deck, warnings) = parse(src, "deck.md");
    assert!(warnings.is_empty(), "{warnings:?}");
    let (widths, sizes) = columns(&deck, 0);
    assert_eq!(widths, [0.333, 0.667]);
    assert_eq!(sizes, [1, 1]);
    assert_eq!(
        deck.slides[0].blocks.len(),
        2,
        "columns, then the text below"
    );
}

#[test]
fn other_divs_keep_their_content_and_footer_divs_set_the_footer() {
    let src = "---\ntitle: T\n---\n\n## S\n\n::: incremental\n- one\n- two\n:::\n\n::: footer\nSee the syllabus\n:::\n";
    let (deck, warnings) = parse(src, "deck.md");
    assert_eq!(
        deck.slides[1].blocks.len(),
        1,
        "{:?}",
        deck.slides[1].blocks
    );
    assert_eq!(
        deck.slides[1].settings.footer,
        Some(Some("See the syllabus".into()))
    );
    assert_eq!(
        warnings.len(),
        1,
        "incremental is listed as ignored: {warnings:?}"
    );
    no_fence_text(&deck);
}
