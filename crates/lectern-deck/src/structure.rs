//! Cutting a deck's top-level items into slides: where slides begin and what kind each is,
//! the way the tool a deck was written for does it (pandoc and Quarto by headings, Marp,
//! Slidev, remark and reveal.js by `---` separators).

use std::ops::Range;

use crate::model::{Block, BlockKind, Deck, Inline, Slide, SlideKind, plain_text};

/// A block of the Markdown body before slides are cut: headings and separators are kept apart.
pub(crate) enum Item {
    Heading {
        level: u8,
        content: Vec<Inline>,
        range: Range<usize>,
    },
    /// A thematic break (`---`, `***`), presenterm's `<!-- end_slide -->` or a Slidev
    /// per-slide front-matter block.
    Rule {
        range: Range<usize>,
    },
    Block(Block),
}

impl Item {
    fn start(&self) -> usize {
        match self {
            Item::Heading { range, .. } | Item::Rule { range } => range.start,
            Item::Block(block) => block.range.start,
        }
    }
}

/// How a deck's slides are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Structure {
    /// Headings of this level open slides, higher ones sections, and `---` also ends a
    /// slide (pandoc's `slide-level`).
    Headings(u8),
    /// Only separators end slides, and a slide's first heading is its title, whatever its
    /// level (Marp, Slidev, remark, reveal.js).
    Separators,
}

impl Default for Structure {
    fn default() -> Self {
        Structure::Headings(3)
    }
}

/// The structure of a deck whose front matter sets no `slide-level`. Separators when most
/// `---` are followed by a heading or a directive (an HTML comment or settings) and there is
/// about one per slide; otherwise headings at pandoc's slide level: the highest level followed
/// directly by content, except that a deck with such `##` headings uses level 2 (Quarto's and
/// pandoc-Beamer's `#` section, `##` slide). `directives` are the offsets of HTML comments and
/// per-slide settings; `title_heading` tells that the first item is the deck's title.
pub(crate) fn infer(items: &[Item], directives: &[usize], title_heading: bool) -> Structure {
    let items = if title_heading { &items[1..] } else { items };
    let headings = items
        .iter()
        .filter(|i| matches!(i, Item::Heading { .. }))
        .count();
    let mut rules = 0;
    let mut opening = 0;
    for (i, item) in items.iter().enumerate() {
        let Item::Rule { range } = item else { continue };
        rules += 1;
        let next = items.get(i + 1);
        let stop = next.map_or(usize::MAX, Item::start);
        let directive = directives.iter().any(|&d| range.end <= d && d < stop);
        if directive || matches!(next, Some(Item::Heading { .. })) {
            opening += 1;
        }
    }
    if rules > 0 && opening * 2 > rules && rules * 2 + 1 >= headings {
        return Structure::Separators;
    }
    let mut level: Option<u8> = None;
    let mut lowest = None;
    let mut slide_h2 = false;
    for (i, item) in items.iter().enumerate() {
        let Item::Heading { level: h, .. } = item else {
            continue;
        };
        lowest = Some(lowest.map_or(*h, |l: u8| l.min(*h)));
        if matches!(items.get(i + 1), Some(Item::Block(_))) {
            level = Some(level.map_or(*h, |l| l.min(*h)));
            slide_h2 |= *h == 2;
        }
    }
    Structure::Headings(match level {
        Some(1) if slide_h2 => 2,
        Some(level) => level,
        None => lowest.unwrap_or(1),
    })
}

/// Whether the first item is the deck's title: a `#` heading, the only one, in a deck whose
/// front matter names no title.
pub(crate) fn leading_title(deck: &Deck, items: &[Item]) -> bool {
    let level_one = |i: &Item| matches!(i, Item::Heading { level: 1, .. });
    deck.meta.title.is_none()
        && items.first().is_some_and(level_one)
        && items.iter().filter(|i| level_one(i)).count() == 1
}

/// Marp's `headingDivider`: a separator before every heading of `level` or higher that
/// does not already open a stretch.
pub(crate) fn divide_at_headings(items: Vec<Item>, level: u8) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        if let Item::Heading {
            level: l, range, ..
        } = &item
            && *l <= level
            && out.last().is_some_and(|i| !matches!(i, Item::Rule { .. }))
        {
            out.push(Item::Rule {
                range: range.start..range.start,
            });
        }
        out.push(item);
    }
    out
}

/// Cuts the item stream into slides by `structure`. `settings_at` are the offsets of the
/// per-slide settings written in the body: between separators, settings and nothing else
/// still make a slide (Marp's `![bg](photo.jpg)` alone, Slidev's `layout: image`).
pub(crate) fn cut_slides(
    deck: &mut Deck,
    items: Vec<Item>,
    structure: Structure,
    settings_at: &[usize],
) {
    deck.slides = match structure {
        Structure::Headings(level) => cut_at_headings(deck, items, level),
        Structure::Separators => cut_at_separators(deck, items, settings_at),
    };
}

fn cut_at_headings(deck: &mut Deck, items: Vec<Item>, level: u8) -> Vec<Slide> {
    let mut items = items.into_iter().peekable();
    // A leading `#` heading gives the title when the front matter has none.
    let mut title_slide = None;
    if deck.meta.title.is_none()
        && level > 1
        && let Some(Item::Heading { level: 1, .. }) = items.peek()
        && let Some(Item::Heading { content, range, .. }) = items.next()
    {
        deck.meta.title = Some(plain_text(&content));
        title_slide = Some(new_slide(SlideKind::Title, content, range, false));
    }
    if title_slide.is_none() && deck.meta.title.is_some() {
        title_slide = Some(new_slide(SlideKind::Title, Vec::new(), 0..0, false));
    }
    cut(items, level, title_slide)
}

/// Cuts items into slides at headings of the slide level (and above) and at rules.
pub(crate) fn cut(
    items: impl IntoIterator<Item = Item>,
    level: u8,
    title_slide: Option<Slide>,
) -> Vec<Slide> {
    let mut slides: Vec<Slide> = Vec::new();
    let mut current = title_slide;
    let mut section = None;
    for item in items {
        match item {
            Item::Heading {
                level: h,
                content,
                range,
            } if h <= level => {
                finish(&mut slides, current.take(), &mut section);
                let kind = if h < level {
                    SlideKind::Section
                } else {
                    SlideKind::Content
                };
                current = Some(new_slide(kind, content, range, h < level));
            }
            Item::Heading {
                level: h,
                content,
                range,
            } => push_block(&mut current, subheading(h - level, content, range)),
            Item::Rule { .. } => finish(&mut slides, current.take(), &mut section),
            Item::Block(block) => push_block(&mut current, block),
        }
    }
    finish(&mut slides, current.take(), &mut section);
    slides
}

/// One slide per stretch between separators. The first stretch is the title slide when it
/// opens with a heading (the deck's title unless the front matter names one) or when the
/// front matter names a title; a stretch that is a lone `#` heading is a section slide.
fn cut_at_separators(deck: &mut Deck, items: Vec<Item>, settings_at: &[usize]) -> Vec<Slide> {
    let mut stretches: Vec<Vec<Item>> = vec![Vec::new()];
    // Where each stretch starts: at its separator (whose own text may hold settings).
    let mut starts = vec![0];
    for item in items {
        match item {
            Item::Rule { range } => {
                stretches.push(Vec::new());
                starts.push(range.start);
            }
            item => stretches.last_mut().expect("one stretch").push(item),
        }
    }
    let mut slides = Vec::new();
    let mut section = None;
    for (n, stretch) in stretches.into_iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(usize::MAX);
        if stretch.is_empty() {
            let mine = settings_at
                .iter()
                .filter(|&&at| starts[n] <= at && at < end);
            if let Some(last) = mine.max()
                && n > 0
            {
                // Settings alone: an empty slide carrying them (its range reaches them, so
                // that they are given to it).
                let range = starts[n]..last + 1;
                let mut slide = new_slide(SlideKind::Content, Vec::new(), range, false);
                slide.section = section;
                slides.push(slide);
            }
            continue;
        }
        let lone = stretch.len() == 1;
        let mut stretch = stretch.into_iter().peekable();
        // The first stretch opening with the deck's title (or with a heading, when the front
        // matter names none) is the title slide: Marp's and Slidev's first slide. A front
        // matter title of its own makes a title slide before it (presenterm's intro slide).
        let fm_title = deck.meta.title.clone();
        let opens_deck = |content: &[Inline]| {
            fm_title
                .as_deref()
                .is_none_or(|t| t.trim().eq_ignore_ascii_case(plain_text(content).trim()))
        };
        if n == 0
            && fm_title.is_some()
            && !matches!(stretch.peek(), Some(Item::Heading { content, .. }) if opens_deck(content))
        {
            slides.push(new_slide(SlideKind::Title, Vec::new(), 0..0, false));
        }
        let first = n == 0 && slides.is_empty();
        let mut current = match stretch.next_if(|i| matches!(i, Item::Heading { .. })) {
            Some(Item::Heading {
                level,
                content,
                range,
            }) => {
                let kind = if first {
                    if deck.meta.title.is_none() {
                        deck.meta.title = Some(plain_text(&content));
                    }
                    SlideKind::Title
                } else if lone && level == 1 {
                    SlideKind::Section
                } else {
                    SlideKind::Content
                };
                let section = kind == SlideKind::Section;
                Some((level, new_slide(kind, content, range, section)))
            }
            _ => None,
        };
        let title_level = current.as_ref().map_or(0, |(level, _)| *level);
        let mut slide = current.take().map(|(_, slide)| slide);
        for item in stretch {
            match item {
                Item::Heading {
                    level,
                    content,
                    range,
                } => {
                    let relative = level.saturating_sub(title_level).max(1);
                    push_block(&mut slide, subheading(relative, content, range));
                }
                Item::Block(block) => push_block(&mut slide, block),
                Item::Rule { .. } => {}
            }
        }
        finish(&mut slides, slide, &mut section);
    }
    slides
}

fn subheading(level: u8, content: Vec<Inline>, range: Range<usize>) -> Block {
    Block {
        kind: BlockKind::Heading { level, content },
        range,
    }
}

fn new_slide(
    kind: SlideKind,
    title: Vec<Inline>,
    range: Range<usize>,
    starts_section: bool,
) -> Slide {
    Slide {
        kind,
        title,
        blocks: Vec::new(),
        notes: Vec::new(),
        starts_section,
        section: None,
        range,
        settings: Default::default(),
    }
}

fn push_block(current: &mut Option<Slide>, block: Block) {
    let slide = current.get_or_insert_with(|| {
        new_slide(
            SlideKind::Content,
            Vec::new(),
            block.range.start..block.range.start,
            false,
        )
    });
    if slide.range.end < block.range.end {
        if slide.range.is_empty() && slide.kind == SlideKind::Title {
            slide.range.start = block.range.start;
        }
        slide.range.end = block.range.end;
    }
    slide.blocks.push(block);
}

fn finish(slides: &mut Vec<Slide>, slide: Option<Slide>, section: &mut Option<usize>) {
    let Some(mut slide) = slide else { return };
    if slide.kind == SlideKind::Content && slide.title.is_empty() && slide.blocks.is_empty() {
        return;
    }
    // A section heading with content right under it is that content's slide.
    if slide.kind == SlideKind::Section && !slide.blocks.is_empty() {
        slide.kind = SlideKind::Content;
    }
    if slide.starts_section {
        *section = Some(slides.len());
    }
    slide.section = *section;
    slides.push(slide);
}

/// The shape of a stretch of Markdown that decides an inferred structure: its heading and
/// separator lines, and whether content follows each. An edit that keeps it keeps the
/// structure, so a slide can be re-parsed alone.
pub(crate) fn skeleton(text: &str) -> Vec<u8> {
    let mut marks = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let rule = trimmed.len() >= 3
            && (trimmed.bytes().all(|b| b == b'-' || b == b' ')
                || trimmed.bytes().all(|b| b == b'*' || b == b' ')
                || trimmed.bytes().all(|b| b == b'_' || b == b' ')
                || trimmed.bytes().all(|b| b == b'=' || b == b' '));
        if (1..=6).contains(&hashes) {
            marks.push(hashes as u8);
        } else if rule || trimmed.starts_with("<!--") {
            marks.push(b'-');
        } else if !trimmed.is_empty() && marks.last() != Some(&b'c') {
            marks.push(b'c');
        }
    }
    marks
}
