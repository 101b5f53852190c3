//! Slide structure inferred the way each tool a deck was written for cuts it into slides.

use lectern_deck::model::plain_text;
use lectern_deck::structure::Structure;
use lectern_deck::{SlideKind, parse};

/// Each slide as (kind, title, number of blocks), and the structure found.
fn slides(src: &str) -> (Vec<(SlideKind, String, usize)>, Structure) {
    let (deck, _) = parse(src, "deck.md");
    let slides = deck
        .slides
        .iter()
        .map(|s| (s.kind, plain_text(&s.title), s.blocks.len()))
        .collect();
    (slides, deck.structure)
}

fn content(title: &str, blocks: usize) -> (SlideKind, String, usize) {
    (SlideKind::Content, title.into(), blocks)
}

fn section(title: &str) -> (SlideKind, String, usize) {
    (SlideKind::Section, title.into(), 0)
}

fn title(title: &str, blocks: usize) -> (SlideKind, String, usize) {
    (SlideKind::Title, title.into(), blocks)
}

#[test]
fn quarto_and_beamer_decks_use_level_two_for_slides() {
    let src = "---\ntitle: Talk\n---\n\n# Intro\n\n## First\n\n- a\n- b\n\n### Detail\n\ntext\n\n## Second\n\ntext\n\n# Results\n\n## Third\n\nmore\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(2));
    assert_eq!(
        slides,
        [
            title("", 0),
            section("Intro"),
            content("First", 3),
            content("Second", 1),
            section("Results"),
            content("Third", 1),
        ]
    );
}

#[test]
fn a_section_with_text_under_it_still_leaves_slides_at_level_two() {
    // pandoc alone would take level 1 here; Quarto's `#` section, `##` slide wins.
    let src = "---\ntitle: T\n---\n\n# Intro\n\nWhy this talk.\n\n## A\n\nx\n\n## B\n\ny\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(2));
    assert_eq!(slides.len(), 4, "{slides:?}");
}

#[test]
fn decks_with_only_level_one_headings_make_a_slide_per_heading() {
    let src = "# One\n\ntext\n\n# Two\n\n- x\n\n# Three\n\nmore\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(1));
    assert_eq!(
        slides,
        [content("One", 1), content("Two", 1), content("Three", 1)]
    );
}

#[test]
fn a_leading_title_heading_does_not_decide_the_level() {
    let src = "# Course\n\nby me\n\n### A\n\nx\n\n### B\n\ny\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(3));
    assert_eq!(
        slides,
        [title("Course", 1), content("A", 1), content("B", 1)]
    );
}

#[test]
fn marp_decks_split_at_separators_and_take_any_heading_as_title() {
    let src = "---\nmarp: true\n---\n\n# The Talk\n\nA. Speaker\n\n---\n\n## Why\n\n- because\n\n### Small print\n\nfine\n\n---\n\n<!-- _class: lead -->\n\n# Part two\n\n---\n\n![bg](images/x.png)\n\nNo heading here.\n\n---\n\n# Thanks\n\nQuestions?\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Separators);
    assert_eq!(
        slides,
        [
            title("The Talk", 1),
            content("Why", 3),
            section("Part two"),
            // `![bg](…)` is the slide's background, not one of its blocks.
            content("", 1),
            content("Thanks", 1),
        ]
    );
}

#[test]
fn slidev_per_slide_front_matter_separates_slides_and_is_not_shown() {
    let src = "---\ntheme: default\ntitle: Welcome to the Talk\n---\n\n# Welcome to the Talk\n\nSubtitle line\n\n---\nlayout: center\nclass: text-center\n---\n\n# Centered\n\nText\n\n---\ntransition: fade-out\n---\n\n## Plain\n\n- one\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Separators);
    assert_eq!(
        slides,
        [
            title("Welcome to the Talk", 1),
            content("Centered", 1),
            content("Plain", 1),
        ]
    );
    let (deck, _) = parse(src, "deck.md");
    for slide in &deck.slides {
        for block in &slide.blocks {
            assert!(
                !matches!(block.kind, lectern_deck::BlockKind::Heading { .. }),
                "settings became a heading: {block:?}"
            );
        }
    }
}

#[test]
fn presenterm_end_slide_ends_a_slide() {
    let src = "---\ntitle: Intro to Rust\nauthor: Me\n---\n\nOwnership\n===\n\nEach value has one owner.\n\n<!-- end_slide -->\n\nBorrowing\n===\n\n- shared\n- mutable\n<!-- end_slide -->\n\nThe end\n===\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Separators);
    assert_eq!(
        slides,
        [
            title("", 0),
            content("Ownership", 1),
            content("Borrowing", 1),
            section("The end"),
        ]
    );
}

#[test]
fn a_rule_or_two_in_a_pandoc_deck_does_not_make_it_separated() {
    let src = "---\ntitle: T\n---\n\n## A\n\nx\n\n---\n\n## B\n\ny\n\n## C\n\nz\n\n## D\n\nw\n\n## E\n\nv\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(2));
    assert_eq!(slides.len(), 6, "{slides:?}");
}

#[test]
fn an_explicit_slide_level_is_kept() {
    let src = "---\ntitle: T\nslide-level: 3\n---\n\n## Sec\n\n### A\n\nx\n\n---\n\n### B\n\ny\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Headings(3));
    assert_eq!(
        slides,
        [
            title("", 0),
            section("Sec"),
            content("A", 1),
            content("B", 1)
        ]
    );
}

#[test]
fn remark_properties_steps_and_notes() {
    let src = "class: center, middle\n\n# Remark talk\n\n---\nname: agenda\nclass: smaller\n\n## Agenda\n\n- one\n\n--\n\n- two\n\n???\nSpeak slowly.\n\n---\nlayout: true\n\n## Template\n\n---\n\n## Last\n\nbye\n";
    let (deck, warnings) = parse(src, "deck.md");
    let titles: Vec<String> = deck.slides.iter().map(|s| plain_text(&s.title)).collect();
    assert_eq!(titles, ["Remark talk", "Agenda", "Last"], "{warnings:?}");
    assert_eq!(deck.structure, Structure::Separators);
    let agenda = &deck.slides[1];
    assert_eq!(agenda.notes, ["Speak slowly."]);
    assert!(
        agenda
            .blocks
            .iter()
            .any(|b| b.kind == lectern_deck::BlockKind::Pause)
    );
    assert_eq!(
        agenda.settings.size,
        Some(lectern_deck::settings::Size::Smaller)
    );
    assert_eq!(
        deck.slides[0].settings.layout,
        Some(lectern_deck::settings::Layout::Center)
    );
}

#[test]
fn reveal_notes_and_quarto_chunks() {
    let src = "## Slide one\n\nText\n\nNote: only for the speaker.\n\n---\n\n## Code\n\n```{r}\n#| echo: true\nsummary(cars)\n```\n\n```{python}\n#| echo: false\nprint('hidden')\n```\n\n```{r, include=FALSE}\nlibrary(x)\n```\n";
    let (deck, _) = parse(src, "deck.md");
    assert_eq!(deck.structure, Structure::Separators);
    assert_eq!(deck.slides[0].notes, ["only for the speaker."]);
    assert_eq!(deck.slides[0].blocks.len(), 1);
    let code = &deck.slides[1].blocks;
    assert_eq!(code.len(), 1, "{code:?}");
    assert_eq!(
        code[0].kind,
        lectern_deck::BlockKind::Code {
            lang: Some("r".into()),
            text: "summary(cars)".into()
        }
    );
}

#[test]
fn quartos_execute_echo_false_hides_chunks_that_do_not_ask_to_show() {
    let src = "---\ntitle: T\nexecute:\n  echo: false\n---\n\n## Code\n\n```{python}\nhidden()\n```\n\n```{python}\n#| echo: true\nshown()\n```\n\n```python\nplain_fence()\n```\n";
    let (deck, diags) = parse(src, "deck.md");
    assert!(diags.is_empty(), "{diags:?}");
    let texts: Vec<&str> = deck.slides[1]
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            lectern_deck::BlockKind::Code { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["shown()", "plain_fence()"]);
}

#[test]
fn marp_heading_divider_starts_slides_at_headings() {
    let src = "---\nmarp: true\nheadingDivider: 2\n---\n\n# Talk\n\n## One\n\ntext\n\n### Detail\n\nmore\n\n## Two\n\ntext\n\n---\n\nNo heading here\n";
    let (slides, structure) = slides(src);
    assert_eq!(structure, Structure::Separators);
    assert_eq!(
        slides,
        [
            (SlideKind::Title, "Talk".into(), 0),
            content("One", 3),
            content("Two", 1),
            content("", 1),
        ]
    );
    // The same as a comment directive.
    let src = "<!-- headingDivider: 1 -->\n\n# A\n\nx\n\n# B\n\ny\n";
    let (by_comment, _) = self::slides(src);
    assert_eq!(by_comment.len(), 2, "{by_comment:?}");
}

#[test]
fn reveal_vertical_slides_are_slides_and_remark_steps_are_not() {
    let src = "# Talk\n\n---\n\n## One\n\ntext\n\n--\n\n## One, below\n\nmore\n\n---\n\n## Two\n\n- a\n\n--\n\n- b\n";
    let (slides, _) = slides(src);
    assert_eq!(
        slides,
        [
            (SlideKind::Title, "Talk".into(), 0),
            content("One", 1),
            content("One, below", 1),
            content("Two", 3),
        ]
    );
}
