//! Per-slide settings in each tool's spelling reach the same model, and none is shown or
//! becomes a speaker note.

use lectern_deck::model::plain_text;
use lectern_deck::settings::{ImageFit, Layout, Settings, Size};
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
    assert_eq!(bg.images, ["images/bg.jpg"]);
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
    assert_eq!(deck.slides[1].settings.background.images, ["images/bg.jpg"]);
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

#[test]
fn images_beside_the_text_in_each_spelling() {
    let src = "---\nmarp: true\n---\n\n# T\n\n---\n\n![bg left:40%](images/a.jpg)\n\n## Marp\n\ntext\n\n---\nlayout: image-right\nimage: /images/b.jpg\nbackgroundSize: contain\n---\n\n# Slidev\n\ntext\n\n---\nlayout: image-left\n---\n\n# From the body\n\n![A map](images/c.png)\n\ntext\n\n---\nlayout: image-right\n---\n\n# No image\n\ntext\n";
    let (deck, warnings) = deck(src);
    let s = |i: usize| &deck.slides[i].settings;
    assert_eq!(s(1).layout, Some(Layout::ImageLeft));
    assert_eq!(s(1).image.as_deref(), Some("images/a.jpg"));
    assert_eq!(s(1).image_width, Some(0.4));
    assert_eq!(
        deck.slides[1].blocks.len(),
        1,
        "the image is not in the body"
    );
    assert_eq!(s(2).layout, Some(Layout::ImageRight));
    assert_eq!(s(2).image.as_deref(), Some("images/b.jpg"));
    assert_eq!(s(2).image_fit, Some(ImageFit::Contain));
    assert_eq!(s(3).image.as_deref(), Some("images/c.png"));
    assert_eq!(
        deck.slides[3].blocks.len(),
        1,
        "the body's image moved to the side"
    );
    assert_eq!(s(4).layout, None, "no image: an ordinary slide");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("needs an image"), "{warnings:?}");
}

#[test]
fn pandoc_heading_attributes_place_an_image_too() {
    let src = "---\ntitle: T\n---\n\n## Map {layout=image-right image=\"images/m.png\"}\n\ntext\n\n## Photo {background-image=\"images/p.jpg\" background-size=\"contain\"}\n\nmore\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    let s = |i: usize| &deck.slides[i].settings;
    assert_eq!(s(1).layout, Some(Layout::ImageRight));
    assert_eq!(s(1).image.as_deref(), Some("images/m.png"));
    assert_eq!(s(2).background.images, ["images/p.jpg"]);
    assert_eq!(s(2).image_fit, Some(ImageFit::Contain));
}

#[test]
fn backgrounds_alone_make_a_slide_and_share_it() {
    let src = "---\nmarp: true\n---\n\n# T\n\n---\n\n![bg](images/a.jpg)\n![bg](images/b.webp)\n\n---\nlayout: image\nimage: /images/c.jpg\n---\n\n---\n\n## Last\n\nx\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(deck.slides.len(), 4);
    assert_eq!(
        deck.slides[1].settings.background.images,
        ["images/a.jpg", "images/b.webp"]
    );
    assert_eq!(deck.slides[2].settings.background.images, ["images/c.jpg"]);
    assert_eq!(deck.slides[2].settings.layout, None);
    assert!(deck.slides[3].settings.background.images.is_empty());
}

#[test]
fn invert_and_paginate_skip() {
    let src = "---\nmarp: true\n---\n\n# T\n\n---\n\n<!-- _class: invert -->\n<!-- _paginate: skip -->\n\n## Dark\n\nx\n";
    let (deck, warnings) = deck(src);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(deck.slides[1].settings.invert);
    assert_eq!(deck.slides[1].settings.paginate, Some(false));
}
