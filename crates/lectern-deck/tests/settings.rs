//! Per-slide settings in each tool's spelling reach the same model, and none is shown or
//! becomes a speaker note.

use lectern_deck::model::plain_text;
use lectern_deck::settings::{Layout, Settings, Size};
use lectern_deck::{Deck, SlideKind, parse};

fn deck(src: &str) -> (Deck, Vec<String>) {
    let (deck, diags) = parse(src, "deck.md");
    let messages = diags.iter().map(|d| d.message.clone()).collect();
    (deck, messages)
}

fn no_notes(deck: &Deck) {
    for slide in &deck.slides {
        assert!(
            slide.notes.is_empty(),
            "a directive became a note: {:?}",
            slide.notes
        );
    }
}

#[test]
fn marp_directives_apply_to_this_slide_or_from_here_on() {
    let src = "---\nmarp: true\n---\n\n# Talk\n\n---\n\n<!-- paginate: false -->\n<!-- footer: Course 101 -->\n\n## One\n\ntext\n\n---\n\n<!-- _class: lead -->\n<!-- _backgroundColor: #102040 -->\n\n## Two\n\ntext\n\n---\n\n<!-- _footer: false -->\n## Three\n\ntext <!-- a real note -->\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    let s = |i: usize| &deck.slides[i].settings;
    assert_eq!(s(0), &Settings::default());
    assert_eq!(s(1).paginate, Some(false));
    assert_eq!(s(1).footer, Some(Some("Course 101".into())));
    assert_eq!(s(2).layout, Some(Layout::Center));
    assert_eq!(s(2).background.color.as_deref(), Some("#102040"));
    assert_eq!(s(2).paginate, Some(false), "global directives carry on");
    assert_eq!(s(3).layout, None, "local directives do not");
    assert_eq!(s(3).footer, Some(None));
    assert_eq!(deck.slides[3].notes, ["a real note"]);
}

#[test]
fn slidev_front_matter_blocks_set_their_slide() {
    let src = "---\ntitle: Demo\n---\n\n# Demo\n\n---\nlayout: center\nclass: text-center\n---\n\n# Big idea\n\n---\nhide: true\n---\n\n## Draft\n\nnot ready\n\n---\nlayout: section\n---\n\n# Part 2\n\n---\ntransition: slide-left\nclicks: 3\n---\n\n## Last\n\nbye\n";
    let (deck, warnings) = deck(src);
    let titles: Vec<String> = deck.slides.iter().map(|s| plain_text(&s.title)).collect();
    assert_eq!(
        titles,
        ["Demo", "Big idea", "Part 2", "Last"],
        "hidden slide left out"
    );
    assert_eq!(deck.slides[1].settings.layout, Some(Layout::Center));
    assert_eq!(deck.slides[2].kind, SlideKind::Section);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("transition: slide-left") && warnings[0].contains("clicks: 3"),
        "{warnings:?}"
    );
    no_notes(&deck);
}

#[test]
fn pandoc_heading_attributes_are_settings_not_text() {
    let src = "---\ntitle: T\n---\n\n## Centred {.center}\n\nx\n\n## Pictured {background-image=\"images/bg.jpg\" background-opacity=\"0.4\"}\n\ny\n\n## Small {.smaller}\n\nz\n\n## The set {1, 2}\n\nw\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    let titles: Vec<String> = deck.slides.iter().map(|s| plain_text(&s.title)).collect();
    assert_eq!(
        titles,
        ["", "Centred", "Pictured", "Small", "The set {1, 2}"]
    );
    assert_eq!(deck.slides[1].settings.layout, Some(Layout::Center));
    let bg = &deck.slides[2].settings.background;
    assert_eq!(bg.image.as_deref(), Some("images/bg.jpg"));
    assert_eq!(bg.opacity, Some(0.4));
    assert_eq!(deck.slides[3].settings.size, Some(Size::Smaller));
}

#[test]
fn reveal_and_presenterm_comments_are_not_notes() {
    let src = "## A\n\n<!-- .slide: data-background=\"#000000\" -->\n\nx <!-- .element: class=\"fragment\" -->\n\n---\n\n## B\n\n<!-- skip_slide -->\n\ny\n\n---\n\n## C\n\n<!-- speaker_note: say hello -->\n<!-- column_layout: [1, 2] -->\n\nz\n";
    let (deck, warnings) = deck(src);
    let titles: Vec<String> = deck.slides.iter().map(|s| plain_text(&s.title)).collect();
    assert_eq!(titles, ["A", "C"]);
    assert_eq!(
        deck.slides[0].settings.background.color.as_deref(),
        Some("#000000")
    );
    assert!(deck.slides[0].notes.is_empty());
    assert_eq!(deck.slides[1].notes, ["say hello"]);
    assert_eq!(warnings.len(), 1, "one grouped warning: {warnings:?}");
}

#[test]
fn image_keywords_and_attributes_are_not_text() {
    let src = "# T\n\n---\n\n![bg](images/bg.jpg)\n\n## Over a photo\n\n---\n\n## Sized\n\n![w:640 A diagram](images/d.png)\n\n---\n\n## Pandoc\n\n![A plot](images/p.png){width=60%}\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        deck.slides[1].settings.background.image.as_deref(),
        Some("images/bg.jpg")
    );
    assert!(
        deck.slides[1].blocks.is_empty(),
        "{:?}",
        deck.slides[1].blocks
    );
    let image = |i: usize| match &deck.slides[i].blocks[0].kind {
        lectern_deck::BlockKind::Image { alt, width, .. } => (alt.clone(), *width),
        other => panic!("{other:?}"),
    };
    assert_eq!(image(2), ("A diagram".to_string(), Some(0.5)));
    assert_eq!(image(3), ("A plot".to_string(), Some(0.6)));
}
