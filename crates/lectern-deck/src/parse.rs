//! Markdown (CommonMark + GFM + math) to the deck model: blocks first, then slides.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diag::{Diagnostic, Kind};
use crate::frontmatter;
use crate::math;
use crate::model::{
    Align, Block, BlockKind, Deck, Inline, ListItem, QuoteKind, SlideKind, Style, plain_text,
};
use crate::settings::{self, Directive, Settings};
use crate::structure::{self, Item, Structure};
use crate::{columns, dialects, html, images};

/// Parses a deck with no plugin blocks (every fenced block is code); see [`parse_with`].
pub fn parse(src: &str, file: &str) -> (Deck, Vec<Diagnostic>) {
    parse_with(src, file, &[])
}

/// Parses a deck. `file` names the Markdown file in diagnostics; `kinds` are the fence kinds
/// plugins draw (```` ```chart ````), which become [`BlockKind::Extension`] blocks. Never
/// fails: problems are reported as diagnostics next to the best-effort deck.
pub fn parse_with(src: &str, file: &str, kinds: &[String]) -> (Deck, Vec<Diagnostic>) {
    let (meta, body_start, mut diags) = frontmatter::split(src, file);
    let (blanked, div_notes) = take_notes_divs(src, body_start);
    let (blanked, raw_tex) = match take_raw_tex(&blanked, body_start) {
        Some((rewritten, raw_tex)) => (Cow::Owned(rewritten), raw_tex),
        None => (blanked, HashMap::new()),
    };
    let (blanked, dialect) = match dialects::rewrite(&blanked, body_start) {
        Some((rewritten, found)) => (Cow::Owned(rewritten), found),
        None => (blanked, dialects::Found::default()),
    };
    let settings = dialect.settings;
    let column_marks = dialect.columns;
    let mut div_notes = div_notes;
    div_notes.extend(dialect.notes);
    let src = &*blanked;
    let mut builder = Builder {
        src,
        file,
        kinds,
        echo: meta.execute_echo.unwrap_or(true),
        offset: body_start,
        diags: Vec::new(),
        notes: div_notes,
        raw_tex,
        footnotes: BTreeMap::new(),
        footnote_refs: Vec::new(),
        reference_links: false,
        directives: settings
            .iter()
            .flat_map(|(at, text)| settings::yaml_directives(text, *at))
            .collect(),
        pauses: dialect.pauses.into_iter().rev().collect(),
        dropped_html: BTreeMap::new(),
    };
    let parser = Parser::new_ext(&src[body_start..], options());
    // A definition anywhere may be what a link elsewhere resolves to.
    builder.reference_links = parser.reference_definitions().iter().next().is_some();
    let mut events = parser.into_offset_iter().peekable();
    let items = builder.items(&mut events);
    builder.html_warnings();
    diags.append(&mut builder.diags);
    for (label, range) in &builder.footnote_refs {
        if !builder.footnotes.contains_key(label) {
            diags.push(
                Diagnostic::warning(
                    file,
                    range.clone(),
                    format!("footnote `[^{label}]` is never defined"),
                )
                .with_kind(Kind::Footnote),
            );
        }
    }

    let mut deck = Deck {
        meta,
        slides: Vec::new(),
        footnotes: builder.footnotes,
        reference_links: builder.reference_links,
        structure: Structure::default(),
    };
    // Marp's `headingDivider`, in the front matter or a comment.
    if let Some(i) = builder
        .directives
        .iter()
        .position(|d| d.key == "headingDivider")
    {
        let directive = builder.directives.remove(i);
        let value = serde_yaml::from_str(&directive.value).unwrap_or_default();
        match frontmatter::heading_divider(&value) {
            Some(level) => deck.meta.heading_divider = deck.meta.heading_divider.or(Some(level)),
            None => diags.push(
                Diagnostic::warning(
                    file,
                    directive.range,
                    "`headingDivider` must be a heading level from 1 to 6 (or a list of them); it was ignored",
                )
                .with_kind(Kind::Directive),
            ),
        }
    }
    let divider = deck
        .meta
        .heading_divider
        .filter(|_| deck.meta.slide_level.is_none());
    let items = match divider {
        Some(level) => structure::divide_at_headings(items, level),
        None => items,
    };
    deck.structure = match deck.meta.slide_level {
        Some(0) => Structure::Separators,
        Some(level) => Structure::Headings(level),
        None if divider.is_some() => Structure::Separators,
        None => {
            let mut directives: Vec<usize> = builder.notes.iter().map(|(at, _)| *at).collect();
            directives.extend(builder.directives.iter().map(|d| d.range.start));
            let title = structure::leading_title(&deck, &items);
            structure::infer(&items, &directives, title)
        }
    };
    let rules: Vec<usize> = items
        .iter()
        .filter_map(|item| match item {
            Item::Rule { range } => Some(range.end),
            _ => None,
        })
        .collect();
    let structure = deck.structure;
    let settings_at: Vec<usize> = builder
        .directives
        .iter()
        .filter(|d| d.scope == settings::Scope::Slide)
        .map(|d| d.range.start)
        .collect();
    structure::cut_slides(&mut deck, items, structure, &settings_at);
    if structure == Structure::Separators {
        take_reveal_notes(&mut deck, src);
    }
    columns::apply(&mut deck, &column_marks, &rules);
    attach_notes(&mut deck, builder.notes, &rules, file, &mut diags);
    let mut directives = std::mem::take(&mut deck.meta.directives);
    directives.append(&mut builder.directives);
    settings::attach(&mut deck, directives, &rules, file, &mut diags);
    if let Some(end) = deck.meta.end_slide.filter(|&n| n > deck.slides.len()) {
        let key = ["end-slide", "endSlide"]
            .into_iter()
            .map(|key| frontmatter::key_range(src, 0, body_start, key))
            .find(|range| !range.is_empty())
            .unwrap_or(0..0);
        diags.push(
            Diagnostic::warning(
                file,
                key,
                format!(
                    "`end-slide: {end}` is past the last slide ({}); the talk is timed to the last slide",
                    deck.slides.len()
                ),
            )
            .with_kind(Kind::FrontMatter),
        );
        deck.meta.end_slide = None;
    }
    // In file order (so that `reparse` can keep them in the same order).
    diags.sort_by_key(|d| d.range.start);
    (deck, diags)
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// Brings `deck` and `diags`, the parse of `old`, up to date with `new` (as [`parse`] would).
/// When the edit falls inside one slide and that slide alone is known to parse as it would in
/// the whole file, only it is parsed again and the slides after it move by the edit's length;
/// otherwise everything is parsed. Returns whether the edit was handled within one slide.
pub fn reparse(
    deck: &mut Deck,
    diags: &mut Vec<Diagnostic>,
    (old, new): (&str, &str),
    file: &str,
    kinds: &[String],
) -> bool {
    if old == new {
        return true;
    }
    let edit = Edit {
        old,
        new,
        file,
        kinds,
    };
    if !reparse_slide(deck, diags, edit) {
        (*deck, *diags) = parse_with(new, file, kinds);
        return false;
    }
    true
}

/// A change of a deck's Markdown from `old` to `new`.
struct Edit<'a> {
    old: &'a str,
    new: &'a str,
    file: &'a str,
    kinds: &'a [String],
}

/// Whether a line of `text` may be a link reference definition (`[label]: url`, also inside
/// a quote or a list item); a `]:` later in a line (`see [@key]:`) is not one.
fn may_define_references(text: &str) -> bool {
    text.lines().any(|line| {
        // Quote markers, list markers and indentation may come before a definition.
        let mut rest = line.trim_start();
        loop {
            let next = rest
                .strip_prefix('>')
                .or_else(|| rest.strip_prefix("- "))
                .or_else(|| rest.strip_prefix("* "))
                .or_else(|| rest.strip_prefix("+ "))
                .or_else(|| {
                    let digits =
                        rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    (digits > 0)
                        .then(|| &rest[digits..])
                        .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
                });
            match next {
                Some(next) => rest = next.trim_start(),
                None => break,
            }
        }
        rest.starts_with('[') && rest.contains("]:")
    })
}

/// The single-slide path of [`reparse`]; `false` (with nothing changed) when it cannot be
/// taken safely.
fn reparse_slide(deck: &mut Deck, diags: &mut Vec<Diagnostic>, edit: Edit) -> bool {
    let Edit {
        old,
        new,
        file,
        kinds,
    } = edit;
    // Constructs that tie a slide to text elsewhere (footnotes, reference links, notes).
    if deck.reference_links
        || !deck.footnotes.is_empty()
        || new.contains("[^")
        || may_define_references(new)
    {
        return false;
    }
    let prefix = common_prefix(old.as_bytes(), new.as_bytes());
    let longest = old.len().min(new.len()) - prefix;
    let suffix = common_suffix(old.as_bytes(), new.as_bytes(), longest);
    let Some(k) = deck.slides.iter().rposition(|s| s.range.start <= prefix) else {
        return false;
    };
    let slide = &deck.slides[k];
    if slide.kind == SlideKind::Title {
        return false;
    }
    // The slide's extent runs to the next slide (or the end); the edit must lie within it.
    let start = slide.range.start;
    let old_end = deck
        .slides
        .get(k + 1)
        .map_or(old.len(), |next| next.range.start);
    if old.len() - suffix > old_end {
        return false;
    }
    // A slide without a title exists because of the rule before it, which sits after this
    // slide's content: the edit must leave that stretch alone.
    if deck
        .slides
        .get(k + 1)
        .is_some_and(|next| next.title.is_empty())
        && old.len() - suffix > slide.range.end
    {
        return false;
    }
    let delta = new.len() as isize - old.len() as isize;
    let new_end = old_end.wrapping_add_signed(delta);
    let (Some(old_text), Some(new_text)) = (old.get(start..old_end), new.get(start..new_end))
    else {
        return false;
    };
    // The next slide must begin where a full parse would begin it: on a line of its own,
    // after a blank line or at a heading (or the file ends).
    let next_is_heading = new[new_end..].starts_with('#');
    let at_line_start = new_text.ends_with('\n');
    if !(new_end == new.len() || at_line_start && (next_is_heading || new_text.ends_with("\n\n"))) {
        return false;
    }
    if !self_contained(old_text) || !self_contained(new_text) {
        return false;
    }
    // Other tools' constructs (remark's classes and steps, Slidev's slots) are rewritten
    // before a full parse only.
    if dialects::rewrite(old_text, 0).is_some() || dialects::rewrite(new_text, 0).is_some() {
        return false;
    }
    // An inferred structure depends on every heading and separator in the deck.
    if deck.meta.slide_level.is_none()
        && structure::skeleton(old_text) != structure::skeleton(new_text)
    {
        return false;
    }

    let mut builder = Builder {
        src: new,
        file,
        kinds,
        echo: deck.meta.execute_echo.unwrap_or(true),
        offset: start,
        diags: Vec::new(),
        notes: Vec::new(),
        raw_tex: HashMap::new(),
        footnotes: BTreeMap::new(),
        footnote_refs: Vec::new(),
        reference_links: false,
        directives: Vec::new(),
        pauses: Vec::new(),
        dropped_html: BTreeMap::new(),
    };
    let parser = Parser::new_ext(new_text, options());
    if parser.reference_definitions().iter().next().is_some() {
        return false;
    }
    let mut events = parser.into_offset_iter().peekable();
    let items = builder.items(&mut events);
    builder.html_warnings();
    if builder.reference_links
        || !builder.footnotes.is_empty()
        || !builder.notes.is_empty()
        || !builder.directives.is_empty()
        || deck
            .slides
            .iter()
            .any(|s| s.settings != Settings::default())
    {
        return false;
    }
    let Structure::Headings(level) = deck.structure else {
        return false;
    };
    let mut slides = structure::cut(items, level, None);
    let old_slide = &deck.slides[k];
    let [fresh] = slides.as_mut_slice() else {
        return false;
    };
    // Same kind of slide, starting where it did: a slide with a title must still open with
    // its heading (text typed before a heading would join the slide above it).
    if fresh.kind != old_slide.kind
        || fresh.starts_section != old_slide.starts_section
        || fresh.title.is_empty() != old_slide.title.is_empty()
        || fresh.range.start != start
    {
        return false;
    }
    fresh.section = old_slide.section;
    let fresh = slides.pop().expect("one slide");

    // Commit: the slide, then everything after it moves.
    deck.slides[k] = fresh;
    let shift = |offset: &mut usize| *offset = offset.wrapping_add_signed(delta);
    for slide in &mut deck.slides[k + 1..] {
        shift(&mut slide.range.start);
        shift(&mut slide.range.end);
        shift_blocks(&mut slide.blocks, &shift);
    }
    diags.retain(|d| !(start <= d.range.start && d.range.start < old_end));
    for diag in diags.iter_mut() {
        if diag.range.start >= old_end {
            shift(&mut diag.range.start);
            shift(&mut diag.range.end);
        }
    }
    diags.append(&mut builder.diags);
    diags.sort_by_key(|d| d.range.start);
    true
}

/// True if a slide's text parses alone as it does inside the file: no notes, fenced divs or
/// raw HTML blocks, and it does not end inside a code fence.
fn self_contained(text: &str) -> bool {
    // Bare `\begin{…}` environments and an unbalanced `$$` depend on the whole file.
    if text.contains("<!--")
        || text.contains(":::")
        || text.contains("\\begin{")
        || text.matches("$$").count() % 2 == 1
    {
        return false;
    }
    // (fence character, length) of the open code fence, if any.
    let mut fence: Option<(u8, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        if fence.is_none() && trimmed.starts_with('<') {
            return false;
        }
        let Some(&c) = trimmed
            .as_bytes()
            .first()
            .filter(|c| **c == b'`' || **c == b'~')
        else {
            continue;
        };
        let run = trimmed.bytes().take_while(|b| *b == c).count();
        if run < 3 {
            continue;
        }
        match fence {
            // A backtick fence's info string cannot hold backticks (then it is inline code).
            None if c == b'`' && trimmed[run..].contains('`') => {}
            None => fence = Some((c, run)),
            Some((open, len)) if open == c && run >= len && trimmed[run..].trim().is_empty() => {
                fence = None;
            }
            Some(_) => {}
        }
    }
    fence.is_none()
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let chunks = a
        .chunks(64)
        .zip(b.chunks(64))
        .take_while(|(x, y)| x == y)
        .count();
    let skip = chunks * 64;
    skip + a[skip..]
        .iter()
        .zip(&b[skip..])
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_suffix(a: &[u8], b: &[u8], longest: usize) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take(longest)
        .take_while(|(x, y)| x == y)
        .count()
}

/// Moves every Markdown offset in `blocks` (and nested blocks) with `shift`.
fn shift_blocks(blocks: &mut [Block], shift: &impl Fn(&mut usize)) {
    for block in blocks {
        shift(&mut block.range.start);
        shift(&mut block.range.end);
        match &mut block.kind {
            BlockKind::List { items, .. } => {
                for item in items {
                    shift_blocks(&mut item.blocks, shift);
                }
            }
            BlockKind::Quote { blocks, .. } => shift_blocks(blocks, shift),
            BlockKind::Columns { columns, .. } => {
                for column in columns {
                    shift_blocks(column, shift);
                }
            }
            BlockKind::RawTypst { offset, .. } | BlockKind::Extension { offset, .. } => {
                shift(offset)
            }
            _ => {}
        }
    }
}

/// The plugin kind a fence's info string names (`chart`, `{chart}`, `dot {height=8}`), with
/// the rest of it as attributes.
fn extension_kind(info: &str, kinds: &[String]) -> Option<(String, String)> {
    let info = info.trim();
    let (word, rest) = match info.strip_prefix('{') {
        Some(inner) => {
            let inner = inner.strip_suffix('}').unwrap_or(inner).trim();
            let len = inner.find(char::is_whitespace).unwrap_or(inner.len());
            (inner[..len].trim_start_matches('.'), inner[len..].trim())
        }
        None => {
            let len = info
                .find(|c: char| c.is_whitespace() || c == '{')
                .unwrap_or(info.len());
            (&info[..len], info[len..].trim())
        }
    };
    kinds
        .iter()
        .find(|k| k.as_str() == word)
        .map(|k| (k.clone(), rest.to_string()))
}

type Events<'a> =
    Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

struct Builder<'a> {
    src: &'a str,
    file: &'a str,
    /// Fence kinds plugins draw.
    kinds: &'a [String],
    /// Whether code chunks show unless they say otherwise (the front matter's `execute`).
    echo: bool,
    /// Where the Markdown body starts in `src`; event ranges are relative to it.
    offset: usize,
    diags: Vec<Diagnostic>,
    /// Speaker notes with the offset they were found at.
    notes: Vec<(usize, String)>,
    footnotes: BTreeMap<String, Vec<Block>>,
    footnote_refs: Vec<(String, Range<usize>)>,
    reference_links: bool,
    /// Bare LaTeX math environments by the offset of the `$$` they were rewritten to.
    raw_tex: HashMap<usize, String>,
    /// Per-slide settings as written (comments, heading attributes, Slidev blocks).
    directives: Vec<Directive>,
    /// remark's `--` steps not yet placed, by offset, last first.
    pauses: Vec<usize>,
    /// Raw HTML tags dropped: where first, how often.
    dropped_html: BTreeMap<String, (Range<usize>, usize)>,
}

impl Builder<'_> {
    fn note_link_type(&mut self, link_type: LinkType) {
        if !matches!(
            link_type,
            LinkType::Inline | LinkType::Autolink | LinkType::Email
        ) {
            self.reference_links = true;
        }
    }

    fn abs(&self, range: Range<usize>) -> Range<usize> {
        range.start + self.offset..range.end + self.offset
    }

    /// Top-level items of the body.
    fn items(&mut self, events: &mut Events) -> Vec<Item> {
        let mut items = Vec::new();
        while let Some((event, range)) = events.next() {
            let range = self.abs(range);
            while self.pauses.last().is_some_and(|&at| at < range.start) {
                let at = self.pauses.pop().expect("a pause");
                items.push(Item::Block(Block {
                    kind: BlockKind::Pause,
                    range: at..at + 2,
                }));
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let (mut content, end) = self.inlines(events, TagEnd::Heading(level));
                    self.heading_attributes(&mut content, range.start..end);
                    items.push(Item::Heading {
                        level: heading_level(level),
                        content,
                        range: range.start..end,
                    });
                }
                Event::Rule => items.push(Item::Rule { range }),
                Event::Start(Tag::List(start)) => {
                    let blocks = self.split_list(start, range, events);
                    items.extend(blocks.into_iter().map(Item::Block));
                }
                other => {
                    if let Some(block) = self.block(other, range, events) {
                        items.push(Item::Block(block));
                    }
                }
            }
        }
        items
    }

    /// Blocks until the end tag `end` (consumed).
    fn blocks(&mut self, events: &mut Events, end: TagEnd) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = events.next() {
            let range = self.abs(range);
            match event {
                Event::End(tag) if tag == end => break,
                Event::Start(Tag::Heading { level, .. }) => {
                    let (content, end) = self.inlines(events, TagEnd::Heading(level));
                    blocks.push(Block {
                        kind: BlockKind::Heading {
                            level: heading_level(level),
                            content,
                        },
                        range: range.start..end,
                    });
                }
                Event::Rule => blocks.push(Block {
                    kind: BlockKind::Rule,
                    range,
                }),
                other => {
                    if let Some(block) = self.block(other, range, events) {
                        blocks.push(block);
                    }
                }
            }
        }
        blocks
    }

    /// One block starting with `event`; `None` for things that produce nothing visible.
    fn block(&mut self, event: Event, range: Range<usize>, events: &mut Events) -> Option<Block> {
        let kind = match event {
            Event::Start(Tag::Paragraph) => {
                let (content, _) = self.inlines(events, TagEnd::Paragraph);
                return self.paragraph(content, range);
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let blocks = self.blocks(events, TagEnd::BlockQuote(kind));
                BlockKind::Quote {
                    kind: kind.map(quote_kind),
                    blocks,
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                return self.code_block(kind, range, events);
            }
            Event::Start(Tag::List(start)) => self.list(start, events),
            Event::Start(Tag::Table(aligns)) => self.table(aligns, events),
            Event::Start(Tag::HtmlBlock) => {
                let mut html = String::new();
                for (event, _) in events.by_ref() {
                    match event {
                        Event::End(TagEnd::HtmlBlock) => break,
                        Event::Html(text) | Event::Text(text) => html.push_str(&text),
                        _ => {}
                    }
                }
                if is_pause(&html) {
                    return Some(Block {
                        kind: BlockKind::Pause,
                        range,
                    });
                }
                let kept = self.html(&html, range.clone());
                return self.paragraph(kept, range);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let blocks = self.blocks(events, TagEnd::FootnoteDefinition);
                self.footnotes.insert(label.to_string(), blocks);
                return None;
            }
            // Inline content directly in a block container (tight list items): an implicit
            // paragraph that runs until the next block-level event.
            event @ (Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::TaskListMarker(_)
            | Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            )) => {
                let mut content = Vec::new();
                let mut end = range.end;
                self.inline(event, range.clone(), events, &mut content);
                while let Some((next, next_range)) = events.peek() {
                    if !is_inline_event(next) {
                        break;
                    }
                    let next_range = self.abs(next_range.clone());
                    end = next_range.end;
                    let (next, _) = events.next().expect("peeked");
                    self.inline(next, next_range, events, &mut content);
                }
                return self.paragraph(content, range.start..end);
            }
            Event::Start(tag) => {
                // Constructs not enabled in the parser options; skip their content.
                let end = tag.to_end();
                for (event, _) in events.by_ref() {
                    if event == Event::End(end) {
                        break;
                    }
                }
                return None;
            }
            _ => return None,
        };
        Some(Block { kind, range })
    }

    fn paragraph(&mut self, content: Vec<Inline>, range: Range<usize>) -> Option<Block> {
        let content = trim_inlines(content);
        if content.is_empty() {
            return None;
        }
        if let [Inline::Text(text)] = content.as_slice()
            && text.trim() == ". . ."
        {
            return Some(Block {
                kind: BlockKind::Pause,
                range,
            });
        }
        if self.marp_backgrounds(&content, &range) {
            return None;
        }
        // An image alone, perhaps with pandoc attributes after it (`{width=60%}`).
        let (image, attributes) = match content.as_slice() {
            [image @ Inline::Image { .. }] => (Some(image), None),
            [image @ Inline::Image { .. }, Inline::Text(text)] => {
                (Some(image), image_attributes(text))
            }
            _ => (None, None),
        };
        if let Some(Inline::Image {
            url,
            alt,
            title,
            width,
        }) = image
            && (content.len() == 1 || attributes.is_some())
        {
            let (alt, marp) = images::marp_keywords(alt);
            let kind = BlockKind::Image {
                url: url.clone(),
                alt,
                title: title.clone(),
                width: attributes.flatten().or(marp.width).or(*width),
            };
            return Some(Block { kind, range });
        }
        Some(Block {
            kind: BlockKind::Paragraph(content),
            range,
        })
    }

    /// Marp's background images: a paragraph of `![bg](x.jpg)` images and nothing else
    /// becomes the slide's background (several share it side by side), or with `left` /
    /// `right` the image beside the text. Returns whether the paragraph was that.
    fn marp_backgrounds(&mut self, content: &[Inline], range: &Range<usize>) -> bool {
        let mut backgrounds = Vec::new();
        let mut side = None;
        let mut fit = None;
        for inline in content {
            match inline {
                Inline::Image { url, alt, .. } => {
                    let (_, marp) = images::marp_keywords(alt);
                    if !marp.background {
                        return false;
                    }
                    fit = marp.fit.or(fit);
                    match marp.side {
                        Some(at) if side.is_none() => side = Some((url.clone(), at)),
                        _ => backgrounds.push(url.clone()),
                    }
                }
                Inline::SoftBreak | Inline::LineBreak => {}
                Inline::Text(text) if text.trim().is_empty() => {}
                _ => return false,
            }
        }
        if side.is_none() && backgrounds.is_empty() {
            return false;
        }
        let mut set = |key: &str, value: String| {
            self.directives.push(Directive {
                key: key.into(),
                value,
                scope: settings::Scope::Slide,
                range: range.clone(),
            });
        };
        if let Some((url, at)) = side {
            let layout = if at.left { "image-left" } else { "image-right" };
            set("layout", layout.into());
            set("image", url);
            if let Some(width) = at.width {
                set("image-width", format!("{}%", (width * 100.0).round()));
            }
        }
        if !backgrounds.is_empty() {
            set("background", backgrounds.join("\n"));
        }
        match fit {
            Some(settings::ImageFit::Contain) => set("backgroundSize", "contain".into()),
            Some(settings::ImageFit::Cover) => set("backgroundSize", "cover".into()),
            None => {}
        }
        true
    }

    /// A fenced or indented code block; `None` for a Quarto or R Markdown chunk whose
    /// options hide it (`#| echo: false`, `{r, include=FALSE}`).
    fn code_block(
        &mut self,
        kind: CodeBlockKind,
        range: Range<usize>,
        events: &mut Events,
    ) -> Option<Block> {
        let mut text = String::new();
        let mut text_start = None;
        for (event, ev_range) in events.by_ref() {
            match event {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => {
                    text_start.get_or_insert(ev_range.start + self.offset);
                    text.push_str(&t);
                }
                _ => {}
            }
        }
        // Where the code's text starts in the source: the line after the opening fence.
        let offset = text_start.unwrap_or_else(|| {
            self.src[range.clone()]
                .find('\n')
                .map_or(range.end, |i| range.start + i + 1)
        });
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.trim().to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let kind = if info == "{=typst}" || info == "=typst" {
            BlockKind::RawTypst { text, offset }
        } else if let Some((kind, attributes)) = extension_kind(&info, self.kinds) {
            BlockKind::Extension {
                kind,
                attributes,
                body: text,
                offset,
            }
        } else if let Some(chunk) = Chunk::read(&info, &text, self.echo) {
            if chunk.hidden {
                return None;
            }
            BlockKind::Code {
                lang: Some(chunk.lang),
                text: chunk.code,
            }
        } else {
            // `python title="x"` or `{.python}`: the first word names the language.
            let lang = info
                .split(|c: char| c.is_whitespace() || c == ',')
                .next()
                .map(|l| l.trim_matches(|c| c == '{' || c == '}' || c == '.'))
                .filter(|l| !l.is_empty())
                .map(str::to_string);
            if text.ends_with('\n') {
                text.pop();
            }
            BlockKind::Code { lang, text }
        };
        Some(Block { kind, range })
    }

    fn list(&mut self, start: Option<u64>, events: &mut Events) -> BlockKind {
        let (kind, _) = self.list_items(start, events, false);
        kind
    }

    /// A top-level list; a pause between its items (remark's `--`, which CommonMark sees
    /// as a blank line, so the list goes on) splits it in two with the pause between them.
    fn split_list(
        &mut self,
        start: Option<u64>,
        range: Range<usize>,
        events: &mut Events,
    ) -> Vec<Block> {
        let (kind, pauses) = self.list_items(start, events, true);
        let BlockKind::List {
            start,
            tight,
            items,
        } = kind
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut items = items.into_iter();
        let mut from = 0;
        let mut begin = range.start;
        for (index, at) in pauses {
            let part: Vec<ListItem> = items.by_ref().take(index - from).collect();
            out.push(Block {
                kind: BlockKind::List {
                    start: start.map(|n| n + from as u64),
                    tight,
                    items: part,
                },
                range: begin..at,
            });
            out.push(Block {
                kind: BlockKind::Pause,
                range: at..at + 2,
            });
            from = index;
            begin = at + 2;
        }
        out.push(Block {
            kind: BlockKind::List {
                start: start.map(|n| n + from as u64),
                tight,
                items: items.collect(),
            },
            range: begin..range.end,
        });
        out
    }

    /// The list's items and, with `take_pauses`, the pauses between them (the index of the
    /// item after each, and its offset).
    fn list_items(
        &mut self,
        start: Option<u64>,
        events: &mut Events,
        take_pauses: bool,
    ) -> (BlockKind, Vec<(usize, usize)>) {
        let mut items = Vec::new();
        let mut pauses = Vec::new();
        let mut tight = true;
        while let Some((event, range)) = events.next() {
            match event {
                Event::End(TagEnd::List(_)) => break,
                Event::Start(Tag::Item) => {
                    let item_start = range.start + self.offset;
                    while take_pauses
                        && !items.is_empty()
                        && self.pauses.last().is_some_and(|&at| at < item_start)
                    {
                        let at = self.pauses.pop().expect("a pause");
                        if pauses.last().is_none_or(|(i, _)| *i < items.len()) {
                            pauses.push((items.len(), at));
                        }
                    }
                    let mut task = None;
                    if let Some((Event::TaskListMarker(checked), _)) = events.peek() {
                        task = Some(*checked);
                        events.next();
                    }
                    if matches!(events.peek(), Some((Event::Start(Tag::Paragraph), _))) {
                        tight = false;
                    }
                    let blocks = self.blocks(events, TagEnd::Item);
                    items.push(ListItem { task, blocks });
                }
                _ => {
                    let _ = range;
                }
            }
        }
        let kind = BlockKind::List {
            start,
            tight,
            items,
        };
        (kind, pauses)
    }

    fn table(&mut self, aligns: Vec<pulldown_cmark::Alignment>, events: &mut Events) -> BlockKind {
        use pulldown_cmark::Alignment;
        let aligns = aligns
            .into_iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((event, _)) = events.next() {
            match event {
                Event::End(TagEnd::Table) => break,
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let (cell, _) = self.inlines(events, TagEnd::TableCell);
                    let cell = trim_inlines(cell);
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                _ => {}
            }
        }
        BlockKind::Table {
            aligns,
            header,
            rows,
        }
    }

    /// Inline content until the end tag `end` (consumed); also returns where it ended.
    /// Inlines up to the closing HTML tag `</name>` (consumed), or to the end of the
    /// enclosing element (not consumed).
    fn inlines_until_tag(&mut self, events: &mut Events, name: &str) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some((event, _)) = events.peek() {
            if matches!(event, Event::End(_)) {
                break;
            }
            let (event, range) = events.next().expect("peeked");
            if let Event::InlineHtml(html) = &event
                && html::tag(html.trim()).is_some_and(|t| t.closing && t.name == name)
            {
                break;
            }
            let range = self.abs(range);
            self.inline(event, range, events, &mut out);
        }
        out
    }

    fn inlines(&mut self, events: &mut Events, end: TagEnd) -> (Vec<Inline>, usize) {
        let mut out = Vec::new();
        while let Some((event, range)) = events.next() {
            let range = self.abs(range);
            if event == Event::End(end) {
                return (out, range.end);
            }
            self.inline(event, range, events, &mut out);
        }
        (out, self.src.len())
    }

    fn inline(
        &mut self,
        event: Event,
        range: Range<usize>,
        events: &mut Events,
        out: &mut Vec<Inline>,
    ) {
        match event {
            Event::Text(text) => push_text(out, &text),
            Event::Code(code) => out.push(Inline::Code(code.to_string())),
            Event::InlineMath(tex) => out.push(self.math(&tex, range, false)),
            Event::DisplayMath(tex) => out.push(self.math(&tex, range, true)),
            Event::SoftBreak => out.push(Inline::SoftBreak),
            Event::HardBreak => out.push(Inline::LineBreak),
            Event::FootnoteReference(label) => {
                self.footnote_refs.push((label.to_string(), range));
                out.push(Inline::FootnoteRef(label.to_string()));
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let trimmed = html.trim();
                match html::tag(trimmed) {
                    Some(tag) if tag.name == "br" => out.push(Inline::LineBreak),
                    Some(tag) if !tag.closing && tag.name == "img" => {
                        if let Some(src) = tag.attr("src") {
                            self.check_image_url(&src, range.clone());
                            out.push(Inline::Image {
                                url: src,
                                alt: tag.attr("alt").unwrap_or_default(),
                                title: tag.attr("title").unwrap_or_default(),
                                width: images::html_width(&tag),
                            });
                        }
                    }
                    Some(tag) if !tag.closing && Style::of_tag(&tag.name).is_some() => {
                        let style = Style::of_tag(&tag.name).expect("a style");
                        let content = self.inlines_until_tag(events, &tag.name);
                        out.push(Inline::Styled { style, content });
                    }
                    Some(tag) if !tag.closing && matches!(tag.name.as_str(), "b" | "strong") => {
                        out.push(Inline::Strong(self.inlines_until_tag(events, &tag.name)));
                    }
                    Some(tag) if !tag.closing && matches!(tag.name.as_str(), "i" | "em") => {
                        out.push(Inline::Emph(self.inlines_until_tag(events, &tag.name)));
                    }
                    // Wrappers (and closing tags already consumed with their content): the
                    // text inside them stays.
                    Some(tag) if html::is_wrapper(&tag.name) || tag.closing => {}
                    _ => out.extend(self.html(&html, range)),
                }
            }
            Event::TaskListMarker(checked) => push_text(out, if checked { "☑ " } else { "☐ " }),
            Event::Start(Tag::Emphasis) => {
                out.push(Inline::Emph(self.inlines(events, TagEnd::Emphasis).0))
            }
            Event::Start(Tag::Strong) => {
                out.push(Inline::Strong(self.inlines(events, TagEnd::Strong).0))
            }
            Event::Start(Tag::Strikethrough) => {
                out.push(Inline::Strike(
                    self.inlines(events, TagEnd::Strikethrough).0,
                ));
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                self.note_link_type(link_type);
                let content = self.inlines(events, TagEnd::Link).0;
                out.push(Inline::Link {
                    url: dest_url.to_string(),
                    content,
                });
            }
            Event::Start(Tag::Image {
                dest_url,
                link_type,
                title,
                ..
            }) => {
                self.note_link_type(link_type);
                let (alt, end) = self.inlines(events, TagEnd::Image);
                let url = dest_url.to_string();
                self.check_image_url(&url, range.start..end);
                out.push(Inline::Image {
                    url,
                    alt: plain_text(&alt),
                    title: title.to_string(),
                    width: None,
                });
            }
            Event::Start(tag) => {
                // Inline constructs we do not model: keep their text.
                let end = tag.to_end();
                let (inner, _) = self.inlines(events, end);
                out.extend(inner);
            }
            _ => {}
        }
    }

    fn math(&mut self, tex: &str, range: Range<usize>, display: bool) -> Inline {
        // A bare `\begin{equation}` … `\end{equation}` (pandoc's raw TeX), blanked before
        // parsing: the formula is the environment's text, starting at the `\begin`.
        let (tex, formula_start) = match self.raw_tex.get(&range.start) {
            Some(env) => (env.as_str(), range.start),
            // The formula starts after its `$` or `$$` delimiter.
            None => (tex, range.start + if display { 2 } else { 1 }),
        };
        let latex = tex.to_string();
        match math::latex_to_typst(tex) {
            Ok(typst) => Inline::Math {
                latex,
                typst: Some(typst),
                display,
            },
            Err(err) => {
                let end_limit = range.end.max(formula_start);
                let start = (formula_start + err.range.start).min(end_limit);
                let end = (formula_start + err.range.end).clamp(start, end_limit);
                self.diags.push(
                    Diagnostic::warning(
                        self.file,
                        start..end,
                        format!("{}; the formula is shown as LaTeX source", err.message),
                    )
                    .with_kind(Kind::Math)
                    .with_hint("use a ```{=typst} block for math Lectern cannot convert"),
                );
                Inline::Math {
                    latex,
                    typst: None,
                    display,
                }
            }
        }
    }

    /// Raw HTML: comments are notes or directives; `<img>` becomes an image and the text
    /// inside wrappers (`<div>`, `<p>`, …) and kept styles stays; any other tag is dropped and
    /// named in one warning per tag (see `html_warnings`). Returns the content kept.
    fn html(&mut self, html: &str, range: Range<usize>) -> Vec<Inline> {
        let mut kept = Vec::new();
        // Inside `<script>`, `<style>` and the like the text is code, not prose.
        let mut skip_until: Option<String> = None;
        for piece in crate::html::pieces(html, range.start) {
            if let Some(name) = &skip_until {
                if matches!(&piece, crate::html::Piece::Tag(t, _) if t.closing && &t.name == name) {
                    skip_until = None;
                }
                continue;
            }
            if let crate::html::Piece::Tag(tag, _) = &piece
                && !tag.closing
                && matches!(
                    tag.name.as_str(),
                    "script" | "style" | "template" | "svg" | "noscript" | "textarea"
                )
            {
                skip_until = Some(tag.name.clone());
            }
            match piece {
                crate::html::Piece::Comment(body, at) => self.comment(body, at),
                crate::html::Piece::Text(text) => {
                    if !text.trim().is_empty() {
                        // Words keep the space around them (`<b>bold</b> text`), once.
                        let after_space = match kept.last() {
                            Some(Inline::Text(t)) => t.ends_with(' '),
                            _ => true,
                        };
                        let mut words = String::new();
                        if text.starts_with(char::is_whitespace) && !after_space {
                            words.push(' ');
                        }
                        words.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
                        if text.ends_with(char::is_whitespace) {
                            words.push(' ');
                        }
                        push_text(&mut kept, &words);
                    }
                }
                crate::html::Piece::Tag(tag, _)
                    if tag.closing
                        && matches!(
                            tag.name.as_str(),
                            "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                        ) =>
                {
                    // The end of a block of text: what follows starts a line of its own.
                    if let Some(Inline::Text(t)) = kept.last_mut() {
                        let trimmed = t.trim_end().len();
                        t.truncate(trimmed);
                    }
                    if !kept.is_empty() && !matches!(kept.last(), Some(Inline::LineBreak)) {
                        kept.push(Inline::LineBreak);
                    }
                }
                crate::html::Piece::Tag(tag, at) => {
                    if tag.name == "br" {
                        kept.push(Inline::LineBreak);
                    } else if tag.name == "img" && !tag.closing {
                        if let Some(src) = tag.attr("src") {
                            self.check_image_url(&src, at);
                            kept.push(Inline::Image {
                                url: src,
                                alt: tag.attr("alt").unwrap_or_default(),
                                title: tag.attr("title").unwrap_or_default(),
                                width: images::html_width(&tag),
                            });
                        }
                    } else if !(crate::html::is_wrapper(&tag.name)
                        || Style::of_tag(&tag.name).is_some()
                        || matches!(tag.name.as_str(), "b" | "strong" | "i" | "em"))
                    {
                        self.drop_html(format!("<{}>", tag.name), at);
                    }
                }
                crate::html::Piece::Other(text, at) => {
                    let shown: String = text.chars().take(20).collect();
                    self.drop_html(shown.trim().to_string(), at);
                }
            }
        }
        trim_inlines(kept)
    }

    /// Notes a dropped HTML tag; closing tags of a dropped one are not counted again.
    fn drop_html(&mut self, what: String, at: Range<usize>) {
        let entry = self.dropped_html.entry(what).or_insert((at, 0));
        entry.1 += 1;
    }

    /// One warning per HTML tag that was dropped, at its first place.
    fn html_warnings(&mut self) {
        for (tag, (at, count)) in std::mem::take(&mut self.dropped_html) {
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            self.diags.push(
                Diagnostic::warning(
                    self.file,
                    at,
                    format!("raw HTML `{tag}` is not supported and was dropped{times}; the text around it is kept"),
                )
                .with_kind(Kind::Html)
                .with_hint("Lectern keeps <br>, <kbd>, <sub>, <sup>, <mark>, <u>, <small>, <img> and the text inside <div>/<span>; use a ```{=typst} block for custom layout"),
            );
        }
    }

    /// An HTML comment (`body` starts at `at`): a directive of some slide tool, or a speaker
    /// note.
    fn comment(&mut self, body: &str, at: usize) {
        let note = body.trim();
        let start = at + (body.len() - body.trim_start().len());
        let range = start..start + note.len();
        let directive = |key: &str, value: &str| Directive {
            key: key.to_string(),
            value: value.to_string(),
            scope: settings::Scope::Slide,
            range: range.clone(),
        };
        if note.is_empty() {
        } else if let Some(attrs) = note.strip_prefix(".slide:") {
            self.directives
                .extend(settings::reveal_directives(attrs, range.clone()));
        } else if let Some(attrs) = note.strip_prefix(".element:") {
            self.directives.push(directive(".element", attrs.trim()));
        } else if let Some(text) = note.strip_prefix("speaker_note:") {
            // presenterm's speaker notes.
            self.notes.push((start, text.trim().to_string()));
        } else if let Some(command) = settings::presenterm_command(note) {
            self.directives.push(directive(command.0, command.1));
        } else if let Some(found) = settings::comment_directives(body, at) {
            self.directives.extend(found);
        } else {
            self.notes.push((start, note.to_string()));
        }
    }

    /// pandoc attributes at the end of a heading (`{.center background-image="x.jpg"}`) are
    /// taken off its text and read as the slide's settings.
    fn heading_attributes(&mut self, content: &mut [Inline], range: Range<usize>) {
        let Some(Inline::Text(text)) = content.last_mut() else {
            return;
        };
        if let Some((kept, found)) = settings::heading_attributes(text, range) {
            *text = kept.to_string();
            self.directives.extend(found);
        }
    }

    fn check_image_url(&mut self, url: &str, range: Range<usize>) {
        if let Err(message) = crate::paths::check_deck_path(url) {
            // Point at the address itself when it is written as is.
            let range = match self.src.get(range.clone()).and_then(|t| t.find(url)) {
                Some(at) if !url.is_empty() => range.start + at..range.start + at + url.len(),
                _ => range,
            };
            self.diags.push(
                Diagnostic::warning(
                    self.file,
                    range,
                    format!("{message}; a placeholder is shown"),
                )
                .with_kind(Kind::Image),
            );
        }
    }
}

/// reveal.js: in a slide, a paragraph opening with `Note:` (or `Notes:`) and everything after
/// it are the speaker's. Only in separator decks, where reveal.js's rule applies; elsewhere a
/// "Note:" is text.
fn take_reveal_notes(deck: &mut Deck, src: &str) {
    for slide in &mut deck.slides {
        let opens_note = |block: &Block| {
            matches!(block.kind, BlockKind::Paragraph(_))
                && src.get(block.range.clone()).is_some_and(|text| {
                    let head: String = text.chars().take(6).collect::<String>().to_lowercase();
                    head.starts_with("note:") || head.starts_with("notes:")
                })
        };
        let Some(at) = slide.blocks.iter().position(opens_note) else {
            continue;
        };
        let start = slide.blocks[at].range.start;
        let end = slide.blocks.last().map_or(start, |b| b.range.end);
        let text = src.get(start..end).unwrap_or_default();
        let text = text.split_once(':').map_or(text, |(_, rest)| rest).trim();
        if !text.is_empty() {
            slide.notes.push(text.to_string());
        }
        slide.blocks.truncate(at);
    }
}

/// pandoc attributes right after an image: `Some(width)` when `text` is such a block
/// (`{width=60%}`, `{#fig .class}`), its width as a share of the slide if it gives one.
fn image_attributes(text: &str) -> Option<Option<f64>> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut width = None;
    for token in inner.split_whitespace() {
        if let Some(value) = token.strip_prefix("width=") {
            width = images::share(value.trim_matches(['"', '\'']), images::SLIDE_WIDTH_PX);
        } else if !(token.starts_with('.') || token.starts_with('#') || token.contains('=')) {
            return None;
        }
    }
    Some(width)
}

/// A Quarto or R Markdown code chunk (```` ```{r} ````, ```` ```{python, echo=FALSE} ````):
/// shown as code in its language, never run, without its `#|` option lines.
struct Chunk {
    lang: String,
    code: String,
    /// `echo: false` or `include: false`: the chunk shows nothing.
    hidden: bool,
}

impl Chunk {
    /// `echo`: whether chunks show unless their options say otherwise.
    fn read(info: &str, text: &str, echo: bool) -> Option<Chunk> {
        let inner = info.strip_prefix('{')?.strip_suffix('}')?;
        if !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let (lang, options) = inner.split_once([' ', ',']).unwrap_or((inner, ""));
        let mut echo = echo;
        let mut include = true;
        let mut apply = |key: &str, value: &str| {
            let on = !matches!(
                value.trim().trim_matches(['"', '\'']),
                "false" | "False" | "FALSE" | "F" | "no" | "No" | "off"
            );
            match key.trim() {
                "echo" => echo = on,
                "include" => include = on,
                _ => {}
            }
        };
        for (key, value) in options.split(',').filter_map(|o| o.split_once('=')) {
            apply(key, value);
        }
        let mut code = String::with_capacity(text.len());
        for line in text.lines() {
            match line.trim_start().strip_prefix("#|") {
                Some(option) => {
                    if let Some((key, value)) = option.split_once(':') {
                        apply(key, value);
                    }
                }
                None => {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
        code.pop();
        Some(Chunk {
            lang: lang.trim().to_ascii_lowercase(),
            code,
            hidden: !echo || !include,
        })
    }
}

/// `<!-- pause -->` (any spacing or case).
fn is_pause(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|body| body.trim().eq_ignore_ascii_case("pause"))
}

/// Takes pandoc/Quarto `::: notes` divs out of the source: returns the source with those lines
/// blanked (same length, so offsets stay valid) and the notes with their offsets.
fn take_notes_divs(src: &str, from: usize) -> (Cow<'_, str>, Vec<(usize, String)>) {
    // Most decks have no fenced divs: no copy, no line scan.
    if !src[from..].contains(":::") {
        return (Cow::Borrowed(src), Vec::new());
    }
    let mut out = src.to_string();
    let mut notes = Vec::new();
    let mut offset = from;
    let mut open: Option<(usize, String)> = None;
    for line in src[from..].split_inclusive('\n') {
        let trimmed = line.trim();
        let blank = match &mut open {
            None if trimmed.starts_with(":::")
                && matches!(
                    trimmed.trim_start_matches(':').trim(),
                    "notes" | "{.notes}" | ".notes"
                ) =>
            {
                open = Some((offset, String::new()));
                true
            }
            None => false,
            Some(_) if trimmed.chars().all(|c| c == ':') && trimmed.len() >= 3 => {
                if let Some((at, text)) = open.take()
                    && !text.trim().is_empty()
                {
                    notes.push((at, text.trim().to_string()));
                }
                true
            }
            Some((_, text)) => {
                text.push_str(line);
                true
            }
        };
        if blank {
            // Keep byte offsets: every non-newline byte becomes a space.
            let blanked: String = line
                .chars()
                .map(|c| {
                    if c == '\n' {
                        "\n".to_string()
                    } else {
                        " ".repeat(c.len_utf8())
                    }
                })
                .collect();
            out.replace_range(offset..offset + line.len(), &blanked);
        }
        offset += line.len();
    }
    // A notes div never closed runs to the end of the deck, as in pandoc: its text is
    // still the notes, not lost.
    if let Some((at, text)) = open
        && !text.trim().is_empty()
    {
        notes.push((at, text.trim().to_string()));
    }
    (Cow::Owned(out), notes)
}

/// LaTeX environments that pandoc reads as display math when written bare in Markdown.
const RAW_TEX_ENVIRONMENTS: &[&str] = &[
    "equation",
    "equation*",
    "align",
    "align*",
    "alignat",
    "alignat*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "flalign",
    "flalign*",
    "eqnarray",
    "eqnarray*",
    "displaymath",
];

/// Finds bare math environments (`\begin{equation}` at the start of a line, outside code, up
/// to its `\end{equation}`) and rewrites each, keeping every byte offset, to `$$`, spaces and
/// `$$`, which the Markdown parser reads as one display formula. Returns the rewritten source
/// and each environment's text by the offset of its `$$`; `None` when there is none.
fn take_raw_tex(src: &str, from: usize) -> Option<(String, HashMap<usize, String>)> {
    if !src[from..].contains("\\begin{") {
        return None;
    }
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = from;
    let mut open: Option<(usize, String)> = None;
    // Inside `$$ … $$` spread over lines an environment is already math.
    let mut in_display_math = false;
    for line in src[from..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if let Some((start, end_tag)) = &open {
            if let Some(i) = line.find(end_tag.as_str()) {
                found.push((*start, line_start + i + end_tag.len()));
                open = None;
            }
            continue;
        }
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        if let Some(c) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if run >= 3 {
                fence = match fence {
                    None => Some((c, run)),
                    Some((open_c, len)) if open_c == c && run >= len => None,
                    other => other,
                };
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        if line.matches("$$").count() % 2 == 1 {
            in_display_math = !in_display_math;
            continue;
        }
        if in_display_math {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("\\begin{") else {
            continue;
        };
        let Some(name) = rest.split('}').next() else {
            continue;
        };
        if !RAW_TEX_ENVIRONMENTS.contains(&name) {
            continue;
        }
        let start = line_start + (line.len() - trimmed.len());
        let end_tag = format!("\\end{{{name}}}");
        match line.find(end_tag.as_str()) {
            Some(i) => found.push((start, line_start + i + end_tag.len())),
            None => open = Some((start, end_tag)),
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut out = src.to_string();
    let mut envs = HashMap::new();
    for (start, end) in found {
        envs.insert(start, src[start..end].to_string());
        let len = end - start;
        // The environment's characters become spaces (newlines too, so it stays one
        // paragraph), keeping its byte length.
        let blank = format!("$${}$$", " ".repeat(len - 4));
        out.replace_range(start..end, &blank);
    }
    Some((out, envs))
}

fn is_inline_event(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineHtml(_)
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            )
    )
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text(text.to_string()));
    }
}

/// Drops breaks at the edges (left behind e.g. by a speaker-note comment on its own line).
fn trim_inlines(mut content: Vec<Inline>) -> Vec<Inline> {
    while matches!(content.last(), Some(Inline::SoftBreak | Inline::LineBreak)) {
        content.pop();
    }
    while matches!(content.first(), Some(Inline::SoftBreak | Inline::LineBreak)) {
        content.remove(0);
    }
    if let Some(Inline::Text(t)) = content.last_mut() {
        let trimmed = t.trim_end().len();
        t.truncate(trimmed);
        if t.is_empty() {
            content.pop();
        }
    }
    content
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn quote_kind(kind: BlockQuoteKind) -> QuoteKind {
    match kind {
        BlockQuoteKind::Note => QuoteKind::Note,
        BlockQuoteKind::Tip => QuoteKind::Tip,
        BlockQuoteKind::Important => QuoteKind::Important,
        BlockQuoteKind::Warning => QuoteKind::Warning,
        BlockQuoteKind::Caution => QuoteKind::Caution,
    }
}

/// Gives each speaker note to the slide it was written in.
/// A note after a separator (`rules` holds their ends) belongs to the slide after it.
fn attach_notes(
    deck: &mut Deck,
    notes: Vec<(usize, String)>,
    rules: &[usize],
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut notes = notes;
    notes.sort_by_key(|(offset, _)| *offset);
    for (offset, note) in notes {
        let mut k = deck
            .slides
            .iter()
            .rposition(|s| s.range.start <= offset || s.kind == SlideKind::Title);
        if let Some(i) = k
            && i + 1 < deck.slides.len()
            && rules
                .iter()
                .any(|&r| deck.slides[i].range.end <= r && r <= offset)
        {
            k = Some(i + 1);
        }
        let slide = k.and_then(|i| deck.slides.get_mut(i));
        match slide {
            Some(slide) => slide.notes.push(note),
            None => diags.push(Diagnostic::warning(
                file,
                offset..offset + 4,
                "speaker note outside any slide was ignored",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(src: &str) -> Vec<(SlideKind, String, usize)> {
        let (deck, diags) = parse(src, "deck.md");
        assert!(diags.is_empty(), "{diags:?}");
        deck.slides
            .iter()
            .map(|s| (s.kind, plain_text(&s.title), s.blocks.len()))
            .collect()
    }

    #[test]
    fn html_blocks_keep_the_spaces_and_lines_of_their_text() {
        let src = "## H\n\n<div>\n<b>Bold</b> text\n</div>\n\n<div><p>First <i>one</i></p><p>Second</p></div>\n";
        let (deck, _) = parse(src, "deck.md");
        let text = |b: &Block| match &b.kind {
            BlockKind::Paragraph(inlines) => inlines
                .iter()
                .map(|i| match i {
                    Inline::Text(t) => t.clone(),
                    Inline::LineBreak => "/".into(),
                    other => format!("{other:?}"),
                })
                .collect::<String>(),
            other => format!("{other:?}"),
        };
        let blocks: Vec<String> = deck.slides[0].blocks.iter().map(text).collect();
        assert_eq!(blocks, ["Bold text", "First one/Second"]);
    }

    #[test]
    fn slide_levels_follow_pandoc() {
        let src = "---\ntitle: T\nslide-level: 3\n---\nintro\n\n---\n## Sec\n\n## Sec2\n\ntext\n\n### A\n\nx\n\n---\n\ny\n";
        assert_eq!(
            titles(src),
            [
                (SlideKind::Title, String::new(), 1),
                (SlideKind::Section, "Sec".into(), 0),
                (SlideKind::Content, "Sec2".into(), 1),
                (SlideKind::Content, "A".into(), 1),
                (SlideKind::Content, String::new(), 1),
            ]
        );
    }

    #[test]
    fn leading_hash_heading_is_the_title() {
        let (deck, _) = parse("# Hello\n\nsub\n\n### S\n", "deck.md");
        assert_eq!(deck.meta.title.as_deref(), Some("Hello"));
        assert_eq!(deck.slides[0].kind, SlideKind::Title);
        assert_eq!(deck.slides[0].blocks.len(), 1);
    }

    #[test]
    fn comments_are_notes_and_html_warns() {
        let (deck, diags) = parse(
            "### S\n\ntext <!-- say this -->\n\n<!--\nblock note\n-->\n\n<div>x</div>\n\n<video src=\"a.mp4\"></video>\n\nPress <kbd>Ctrl</kbd> and <video>v</video>.\n",
            "deck.md",
        );
        assert_eq!(deck.slides[0].notes, ["say this", "block note"]);
        assert_eq!(diags.len(), 1, "one warning per tag: {diags:?}");
        assert!(diags[0].message.contains("raw HTML `<video>`"), "{diags:?}");
        assert!(diags[0].message.contains("(2 times)"), "{diags:?}");
        let text = plain_text(match &deck.slides[0].blocks[1].kind {
            BlockKind::Paragraph(content) => content,
            other => panic!("{other:?}"),
        });
        assert_eq!(text, "x", "the div's text stays");
        assert!(
            matches!(&deck.slides[0].blocks[2].kind, BlockKind::Paragraph(c)
            if c.iter().any(|i| matches!(i, Inline::Styled { style: Style::Kbd, .. })))
        );
    }

    #[test]
    fn bare_environments_are_display_math_but_not_inside_dollars() {
        let src = "### S\n\n\\begin{equation}\nE = mc^2\n\\end{equation}\n\n$$\n\\begin{aligned}\na &= b\n\\end{aligned}\n$$\n\n```\n\\begin{equation}\n```\n";
        let (deck, diags) = parse(src, "deck.md");
        assert!(diags.is_empty(), "{diags:?}");
        let mut formulas = Vec::new();
        deck.slides[0].walk(&mut |_| {}, &mut |inline| {
            if let Inline::Math {
                latex,
                typst,
                display,
            } = inline
            {
                formulas.push((latex.clone(), typst.is_some(), *display));
            }
        });
        assert_eq!(formulas.len(), 2, "{formulas:?}");
        assert!(
            formulas[0].0.starts_with("\\begin{equation}")
                && formulas[0].0.ends_with("\\end{equation}")
        );
        assert!(formulas[1].0.contains("\\begin{aligned}") && formulas.iter().all(|f| f.1 && f.2));
        // The code block keeps its text.
        assert!(
            matches!(&deck.slides[0].blocks.last().map(|b| &b.kind), Some(BlockKind::Code { text, .. }) if text == "\\begin{equation}")
        );
    }

    #[test]
    fn bad_math_is_located() {
        let src = "### S\n\n$a \\foo b$\n";
        let (_, diags) = parse(src, "deck.md");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(&src[diags[0].range.clone()], "\\foo");
    }
}
