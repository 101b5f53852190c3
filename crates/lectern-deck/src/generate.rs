//! Deck model to Typst markup: one virtual source per slide, plus a source map back to Markdown.
//!
//! Everything the lecturer typed is emitted either as escaped markup or as Typst string
//! literals, so no character of theirs can turn into Typst code. The theme (a Typst file)
//! defines the functions called here: `deck`, `title-slide`, `section-slide`, `slide`,
//! `callout`, `subheading`, `slide-image`, `code-columns`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use crate::frontmatter::FrontMatter;
use crate::model::Style;
use crate::model::{
    Align, Block, BlockKind, Deck, Inline, QuoteKind, Slide, SlideKind, plain_text,
};
use crate::paths::check_deck_path;
use crate::settings::{ImageFit, Layout, Settings, Size};

/// Virtual path of the generated main file.
pub const MAIN_PATH: &str = "/__lectern/main.typ";
/// Virtual path of the deck facts themes read (`deck-info`: title, short title, slide count).
pub const INFO_PATH: &str = "/__lectern/deck.typ";
/// Virtual folder where the theme's files are served.
pub const THEME_DIR: &str = "/__lectern/theme";

/// All generated Typst sources of a deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub main: String,
    /// Served at [`INFO_PATH`].
    pub info: String,
    pub slides: Vec<GeneratedSource>,
    /// Raw ```` ```{=typst} ```` blocks, each in its own file so an error in one stays local.
    pub raws: Vec<RawSource>,
    /// Plugin blocks: the host must serve each `typst_path` (the figure, written by
    /// [`crate::figure::source`]).
    pub blocks: Vec<BlockRequest>,
}

/// A generated Typst file with a map from its byte ranges to Markdown byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedSource {
    pub path: String,
    pub text: String,
    /// A hash of `text`, computed once when the text is generated.
    pub text_hash: u64,
    /// `(typst range, markdown range)`, innermost last; see [`GeneratedSource::to_markdown`].
    pub map: Vec<(Range<usize>, Range<usize>)>,
    /// The slide's range in Markdown, the fallback for anything the map does not cover.
    pub slide_range: Range<usize>,
    /// Each converted formula's Typst range with its Typst math, so that a formula Typst
    /// rejects can be shown as its LaTeX source on the next attempt.
    pub math: Vec<(Range<usize>, String)>,
    /// The file the slide reads its fit from (an ordinary slide's text scale and
    /// arrangement, which the host picks): the host serves [`fit_source`] there. The
    /// slide's own text never changes with its fit, so its offsets stay exact.
    pub fit_path: Option<String>,
}

impl GeneratedSource {
    /// The Markdown range that produced the Typst byte `offset`.
    pub fn to_markdown(&self, offset: usize) -> Range<usize> {
        self.map
            .iter()
            .filter(|(typst, _)| typst.start <= offset && offset < typst.end.max(typst.start + 1))
            .min_by_key(|(typst, _)| typst.len())
            .map_or(self.slide_range.clone(), |(_, md)| md.clone())
    }
}

/// A raw Typst block served verbatim after a one-line prelude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSource {
    pub path: String,
    pub text: String,
    /// Bytes of prelude before the lecturer's text.
    pub prelude_len: usize,
    /// Where the lecturer's text starts in the Markdown.
    pub md_offset: usize,
}

impl RawSource {
    /// The Markdown range of a Typst byte range in this file.
    pub fn to_markdown(&self, range: Range<usize>) -> Range<usize> {
        let shift = |o: usize| self.md_offset + o.saturating_sub(self.prelude_len);
        shift(range.start)..shift(range.end)
    }
}

/// A plugin block of the deck (```` ```chart ````), to be drawn by the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRequest {
    /// Typst file the slide includes; the host serves it (the figure).
    pub typst_path: String,
    /// Stem for the block's other virtual files (e.g. `<stem>.svg`).
    pub stem: String,
    /// The fence's kind (`chart`), the rest of its info string, and its text.
    pub kind: String,
    pub attributes: String,
    pub body: String,
    /// Where the body starts in the Markdown, for located errors.
    pub md_offset: usize,
    pub block_range: Range<usize>,
}

/// What the host found out about the deck's files and formulas, which decides the stand-ins
/// a slide shows. Pure data: the generator does no IO.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Assets {
    /// Images that cannot be shown, by deck path (`/images/x.png`), with a short reason
    /// (`not found`, `not an image`).
    pub images: BTreeMap<String, String>,
    /// Citations as the deck's citation style writes them, by [`Citation::id`] (a citation
    /// missing here is shown as typed).
    ///
    /// [`Citation::id`]: crate::model::Citation::id
    pub citations: BTreeMap<String, String>,
    /// A hash of the formatted reference list: the references slides have no Markdown of
    /// their own to tell a cached slide from a changed one.
    pub references: u64,
    /// Converted formulas (Typst math) that Typst rejects: shown as their LaTeX source.
    pub rejected_math: BTreeSet<String>,
}

/// Generates the Typst sources of a deck. Pure; the caller serves them to Typst.
pub fn generate(deck: &Deck, assets: &Assets) -> Generated {
    let mut generated = generate_frame(deck);
    for (index, slide) in deck.slides.iter().enumerate() {
        let emitted = emit_slide(deck, assets, index, slide);
        generated.slides.push(emitted.source);
        generated.raws.extend(emitted.raws);
        generated.blocks.extend(emitted.blocks);
    }
    generated
}

/// The deck facts themes read (served at [`INFO_PATH`]). With `positions` false a theme
/// leaves out what shows a slide's place in the deck (its number, a progress bar): `lectern
/// diff` compares slides that way, so an inserted slide does not change every later one.
pub fn deck_info(deck: &Deck, positions: bool) -> String {
    let meta = &deck.meta;
    let title = meta.title.clone().unwrap_or_default();
    let short = meta.short_title.as_deref().unwrap_or(&title);
    format!(
        "// Generated by Lectern: facts about the deck for its theme.\n#let deck-info = (title: {}, short-title: {}, institution: {}, slides: {}, positions: {positions})\n",
        string(&title),
        string(short),
        meta.institution
            .as_deref()
            .map_or_else(|| "none".to_string(), string),
        deck.slides.len()
    )
}

/// The main file and deck facts, with no slides yet.
fn generate_frame(deck: &Deck) -> Generated {
    let mut generated = Generated {
        main: String::new(),
        info: String::new(),
        slides: Vec::with_capacity(deck.slides.len()),
        raws: Vec::new(),
        blocks: Vec::new(),
    };
    let meta = &deck.meta;
    generated.main = main_file(meta, 0..deck.slides.len());
    generated.info = deck_info(deck, true);
    generated
}

/// [`generate`] for a deck parsed from `markdown`, reusing the slides of earlier calls that
/// are unchanged: same Markdown text, position in the deck and deck-wide context. A reused
/// slide is only moved to its new byte offset. The result equals [`generate`]'s.
pub fn generate_cached(
    deck: &Deck,
    assets: &Assets,
    markdown: &str,
    cache: &mut GenerateCache,
) -> Generated {
    let mut generated = generate_frame(deck);
    let context = context_key(deck, markdown).map(|key| hash64(&(key, assets)));
    let mut next = HashMap::with_capacity(deck.slides.len());
    // Section dividers are numbered: their number depends on the slides before them.
    let mut sections_before = 0;
    for (index, slide) in deck.slides.iter().enumerate() {
        let number = sections_before;
        if slide.starts_section {
            sections_before += 1;
        }
        let key = context.map(|context| {
            let text = markdown.get(slide.range.clone()).unwrap_or_default();
            let section = slide
                .section
                .and_then(|i| deck.slides.get(i))
                .map(|s| plain_text(&s.title));
            let place = (index, number, slide.kind, slide.starts_section, section);
            // Settings may come from directives outside the slide's text (Marp's "from here on").
            let settings =
                (slide.settings != Settings::default()).then(|| format!("{:?}", slide.settings));
            hash64(&(context, text, place, settings))
        });
        let cached = key.and_then(|key| cache.slides.remove(&key));
        let emitted = match cached {
            Some(mut emitted) => {
                emitted.move_to(slide.range.start);
                emitted
            }
            None => emit_slide(deck, assets, index, slide),
        };
        generated.slides.push(emitted.source.clone());
        generated.raws.extend(emitted.raws.iter().cloned());
        generated.blocks.extend(emitted.blocks.iter().cloned());
        if let Some(key) = key {
            next.insert(key, emitted);
        }
    }
    // Only this deck's slides are kept, so the cache never grows past one deck.
    cache.slides = next;
    generated
}

/// Slides generated by earlier [`generate_cached`] calls.
#[derive(Debug, Default)]
pub struct GenerateCache {
    slides: HashMap<u64, EmittedSlide>,
}

/// What one slide generates: its source and its extra files.
#[derive(Debug, Clone)]
struct EmittedSlide {
    source: GeneratedSource,
    raws: Vec<RawSource>,
    blocks: Vec<BlockRequest>,
}

impl EmittedSlide {
    /// Shifts every Markdown offset so that the slide starts at `start`.
    fn move_to(&mut self, start: usize) {
        let old = self.source.slide_range.start;
        let shift = |offset: usize| offset - old + start;
        let shift_range = |range: &mut Range<usize>| *range = shift(range.start)..shift(range.end);
        shift_range(&mut self.source.slide_range);
        for (_, md) in &mut self.source.map {
            shift_range(md);
        }
        for raw in &mut self.raws {
            raw.md_offset = shift(raw.md_offset);
        }
        for block in &mut self.blocks {
            block.md_offset = shift(block.md_offset);
            shift_range(&mut block.block_range);
        }
    }
}

/// Everything outside a slide's own Markdown that its generated text depends on, hashed; `None`
/// when that cannot be captured (reference links resolve from anywhere in the file).
fn context_key(deck: &Deck, markdown: &str) -> Option<u64> {
    if deck.reference_links {
        return None;
    }
    // Footnote definitions by their text, not their (shifting) offsets.
    let footnotes: Vec<(&String, &str)> = deck
        .footnotes
        .iter()
        .map(|(label, blocks)| {
            let text = match (blocks.first(), blocks.last()) {
                (Some(first), Some(last)) => markdown
                    .get(first.range.start..last.range.end)
                    .unwrap_or_default(),
                _ => "",
            };
            (label, text)
        })
        .collect();
    let meta = &deck.meta;
    Some(hash64(&(
        (&meta.title, &meta.subtitle, &meta.short_title, &meta.author),
        (&meta.date, &meta.institution, &meta.lang, meta.slide_level),
        footnotes,
        deck.slides.len(),
    )))
}

fn hash64<T: Hash>(value: &T) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A slide's generated source and extra files.
fn emit_slide(deck: &Deck, assets: &Assets, index: usize, slide: &Slide) -> EmittedSlide {
    let mut raws = Vec::new();
    let mut blocks = Vec::new();
    let mut emitter = Emitter {
        deck,
        assets,
        // Generated text is about twice the Markdown: avoid regrowing.
        out: String::with_capacity(2 * slide.range.len() + 256),
        map: Vec::new(),
        math: Vec::new(),
        index,
        raws: &mut raws,
        blocks: &mut blocks,
        extra: 0,
        stepped: false,
        inline_only: 0,
        notes: Vec::new(),
        filling: false,
    };
    emitter.slide(slide);
    let source = GeneratedSource {
        path: slide_path(index),
        text_hash: hash64(&emitter.out),
        text: emitter.out,
        map: emitter.map,
        math: emitter.math,
        slide_range: slide.range.clone(),
        fit_path: (slide.kind == SlideKind::Content).then(|| fit_path(index)),
    };
    EmittedSlide {
        source,
        raws,
        blocks,
    }
}

/// The main file: document setup, then the given slides (all of them for the deck; a few
/// for a preview of just those).
pub fn main_file(meta: &FrontMatter, slides: impl IntoIterator<Item = usize>) -> String {
    let mut main = String::new();
    main.push_str("// Generated by Lectern from the deck's Markdown; edit the Markdown instead.\n");
    let _ = writeln!(main, "#import \"{THEME_DIR}/theme.typ\": deck");
    main.push_str("#show: deck.with(\n");
    let title = meta.title.as_deref().unwrap_or_default();
    let _ = writeln!(main, "  title: {},", string(title));
    let _ = writeln!(main, "  author: {},", string_array(&meta.author));
    let _ = writeln!(
        main,
        "  lang: {},",
        string(meta.lang.as_deref().unwrap_or("en"))
    );
    main.push_str(")\n");
    for index in slides {
        let _ = writeln!(main, "#include \"{}\"", slide_path(index));
    }
    main
}

/// Virtual path of the file holding slide `index`.
pub fn slide_path(index: usize) -> String {
    format!("/__lectern/slides/{:03}.typ", index + 1)
}

/// Virtual path of slide `index`'s fit file (see [`GeneratedSource::fit_path`]).
pub fn fit_path(index: usize) -> String {
    format!("/__lectern/slides/{:03}-fit.typ", index + 1)
}

/// The fit file: the body's text `scale` (1 = the theme's size) and whether it uses the
/// side-by-side arrangement.
pub fn fit_source(scale: f64, side_by_side: bool) -> String {
    format!("#let scale = {scale:?}\n#let use-alt = {side_by_side}\n")
}

/// The slide (index) a generated file belongs to: its own file or one of its extra files
/// (raw Typst blocks, plugin blocks).
pub fn slide_of_path(path: &str) -> Option<usize> {
    let name = path.strip_prefix("/__lectern/slides/")?;
    let digits = name.split(['.', '-']).next()?;
    digits.parse::<usize>().ok()?.checked_sub(1)
}

struct Emitter<'a> {
    deck: &'a Deck,
    assets: &'a Assets,
    out: String,
    map: Vec<(Range<usize>, Range<usize>)>,
    math: Vec<(Range<usize>, String)>,
    index: usize,
    raws: &'a mut Vec<RawSource>,
    blocks: &'a mut Vec<BlockRequest>,
    /// Counter for per-slide extra files (raw blocks, plugin blocks).
    extra: usize,
    /// True while emitting the body of a slide with overlays, where `step` (the overlay page)
    /// is in scope; elsewhere pauses are ignored and everything shows at once.
    stepped: bool,
    /// Depth of titles, headings, links and emphasis being emitted: display math inside them
    /// is set inline (a heading or a link is a line of text, and a block equation there also
    /// crashed or failed Typst's PDF export).
    inline_only: usize,
    /// The footnotes this slide cites, in the order first cited: a footnote's number on the
    /// slide is its place here plus one.
    notes: Vec<String>,
    /// True while emitting the body of a slide that is one image filling the free space.
    filling: bool,
}

impl Emitter<'_> {
    /// Why an image cannot be shown (remote, outside the deck, missing, undecodable), if so.
    fn image_problem(&self, url: &str) -> Option<String> {
        match check_deck_path(url) {
            Err(_) if url.contains("://") || url.starts_with("//") => Some("remote".into()),
            Err(_) => Some("outside the deck".into()),
            Ok(path) => self.assets.images.get(&path).cloned(),
        }
    }

    fn slide(&mut self, slide: &Slide) {
        let meta = &self.deck.meta;
        let _ = writeln!(self.out, "#import \"{THEME_DIR}/theme.typ\": *");
        let number = self.index + 1;
        match slide.kind {
            SlideKind::Title => {
                self.out.push_str("#title-slide(\n");
                let _ = writeln!(self.out, "  index: {number},");
                self.settings_arguments(slide);
                // Only a title slide with a lot on it can be taller than the page: the theme
                // measures just those.
                let title_chars = if slide.title.is_empty() {
                    meta.title.as_deref().unwrap_or_default().chars().count()
                } else {
                    plain_text(&slide.title).chars().count()
                };
                let full = title_chars > LONG_TITLE
                    || meta
                        .subtitle
                        .as_ref()
                        .is_some_and(|s| s.chars().count() > LONG_TITLE)
                    || slide.range.len() > 400
                    || slide
                        .blocks
                        .iter()
                        .any(|b| !matches!(b.kind, BlockKind::Paragraph(_)));
                if full {
                    self.out.push_str("  long: true,\n");
                }
                // The heading that opened the deck (as typed, with its emphasis and math),
                // else the front matter's title.
                if slide.title.is_empty() {
                    let _ = writeln!(
                        self.out,
                        "  title: {},",
                        string(meta.title.as_deref().unwrap_or_default())
                    );
                } else {
                    self.out.push_str("  title: ");
                    self.title(slide);
                    self.out.push_str(",\n");
                }
                if let Some(subtitle) = &meta.subtitle {
                    let _ = writeln!(self.out, "  subtitle: {},", string(subtitle));
                }
                let _ = writeln!(self.out, "  author: {},", string_array(&meta.author));
                for (key, value) in [("date", &meta.date), ("institution", &meta.institution)] {
                    if let Some(value) = value {
                        let _ = writeln!(self.out, "  {key}: {},", string(value));
                    }
                }
                self.close_with_body(slide);
            }
            SlideKind::Section => {
                let section_number = self
                    .deck
                    .sections()
                    .take_while(|s| !std::ptr::eq(*s, slide))
                    .count()
                    + 1;
                let _ = write!(
                    self.out,
                    "#section-slide(index: {number}, number: {section_number}, title: "
                );
                self.title(slide);
                let long = plain_text(&slide.title).chars().count() > LONG_TITLE;
                if self.notes.is_empty() && slide.settings == Settings::default() && !long {
                    self.out.push_str(")\n");
                } else {
                    self.out.push_str(",\n");
                    if long {
                        self.out.push_str("  long-title: true,\n");
                    }
                    self.settings_arguments(slide);
                    if !self.notes.is_empty() {
                        self.notes_argument();
                    }
                    self.out.push_str(")\n");
                }
            }
            SlideKind::Content => {
                let _ = writeln!(
                    self.out,
                    "#import \"{}\" as lectern-fit",
                    fit_path(self.index)
                );
                let _ = write!(
                    self.out,
                    "#slide(\n  index: {number},\n  level: {},\n  title: ",
                    self.heading_level(slide)
                );
                self.title(slide);
                self.out.push_str(",\n");
                // Up to 60 characters a title takes at most three lines at any size a theme
                // may use, so the theme needs to measure (and maybe shrink) only longer ones.
                if plain_text(&slide.title).chars().count() > LONG_TITLE {
                    self.out.push_str("  long-title: true,\n");
                }
                if let Some(section) = slide.section.and_then(|i| self.deck.slides.get(i))
                    && !slide.starts_section
                {
                    let _ = writeln!(
                        self.out,
                        "  section: {},",
                        string(&plain_text(&section.title))
                    );
                }
                let pauses = slide
                    .blocks
                    .iter()
                    .filter(|b| b.kind == BlockKind::Pause)
                    .count();
                if pauses > 0 {
                    let _ = writeln!(self.out, "  steps: {},", pauses + 1);
                }
                self.settings_arguments(slide);
                if self.image_alone(slide) {
                    self.out.push_str("  fill: true,\n");
                }
                // The fit Lectern picks, from the slide's fit file.
                self.out
                    .push_str("  scale: lectern-fit.scale, use-alt: lectern-fit.use-alt,\n");
                let code_blocks = slide
                    .blocks
                    .iter()
                    .filter(|b| matches!(b.kind, BlockKind::Code { .. }))
                    .count();
                // A table in half the width overprints its cells (numbers do not wrap): a
                // slide with one shrinks as a whole instead.
                let tables = slide
                    .blocks
                    .iter()
                    .any(|b| matches!(b.kind, BlockKind::Table { .. }));
                if code_blocks >= 2 && !tables {
                    self.out.push_str("  alt: ");
                    self.code_columns(&slide.blocks);
                    self.out.push_str(",\n");
                }
                if pauses > 0 {
                    // The theme calls the body once per overlay page with its step number.
                    self.out.push_str("  step => [\n");
                    self.stepped = true;
                    self.body(&slide.blocks);
                    self.stepped = false;
                    self.out.push_str("],\n");
                    if !self.notes.is_empty() {
                        self.notes_argument();
                    }
                    self.out.push_str(")\n");
                } else {
                    self.filling = self.image_alone(slide);
                    self.close_with_body(slide);
                    self.filling = false;
                }
            }
        }
    }

    /// Ends a slide call with its body: as trailing content (`)[…]`), or, when the slide
    /// cites footnotes, as an argument followed by `notes:` (known only once the body is out).
    fn close_with_body(&mut self, slide: &Slide) {
        if self.cites_notes(slide) {
            self.out.push_str("  [\n");
            self.body(&slide.blocks);
            self.out.push_str("],\n");
            self.notes_argument();
            self.out.push_str(")\n");
        } else {
            self.out.push_str(")[\n");
            self.body(&slide.blocks);
            self.out.push_str("]\n");
        }
    }

    /// The slide's settings as theme arguments (`layout:`, `size:`, `background:`,
    /// `footer:`, `paginate:`), one per line; nothing for the defaults.
    fn settings_arguments(&mut self, slide: &Slide) {
        let settings = &slide.settings;
        let layout = match settings.layout {
            Some(Layout::Center) => Some("center"),
            Some(Layout::TwoCols) => Some("two-cols"),
            Some(Layout::ImageLeft) => Some("image-left"),
            Some(Layout::ImageRight) => Some("image-right"),
            Some(Layout::FullImage) => Some("full-image"),
            _ => None,
        };
        if let Some(layout) = layout {
            let _ = writeln!(self.out, "  layout: \"{layout}\",");
        }
        match settings.size {
            Some(Size::Smaller) => self.out.push_str("  size: \"smaller\",\n"),
            Some(Size::Larger) => self.out.push_str("  size: \"larger\",\n"),
            None => {}
        }
        let background = &settings.background;
        let images: Vec<&String> = background
            .images
            .iter()
            .filter(|url| self.image_problem(url).is_none())
            .collect();
        let color = background
            .color
            .as_deref()
            .and_then(crate::settings::typst_color);
        let fit = match settings.image_fit {
            Some(ImageFit::Contain) => "\"contain\"",
            _ => "\"cover\"",
        };
        if !images.is_empty() || color.is_some() {
            self.out.push_str("  background: (");
            if !images.is_empty() {
                self.out.push_str("images: (");
                for url in &images {
                    let _ = write!(self.out, "{}, ", image_path(url));
                }
                let _ = write!(self.out, "), fit: {fit}, ");
            }
            if let Some(color) = color {
                let _ = write!(self.out, "color: {color}, ");
            }
            if let Some(opacity) = background.opacity {
                let _ = write!(self.out, "opacity: {opacity}, ");
            }
            self.out.push_str("),\n");
        }
        if let Some(url) = settings.image.as_deref() {
            let width = settings.image_width.unwrap_or(0.5);
            match self.image_problem(url) {
                None => {
                    let _ = writeln!(
                        self.out,
                        "  side-image: (path: {}, width: {width}, fit: {fit}),",
                        image_path(url)
                    );
                }
                // The panel keeps its place, with the path and why it is empty.
                Some(reason) => {
                    let _ = writeln!(
                        self.out,
                        "  side-image: (path: none, missing: {}, reason: {}, width: {width}, fit: {fit}),",
                        string(url),
                        string(&reason)
                    );
                }
            }
        }
        match &settings.footer {
            Some(Some(text)) => {
                let _ = writeln!(self.out, "  footer: {},", string(text));
            }
            Some(None) => self.out.push_str("  footer: none,\n"),
            None => {}
        }
        if settings.invert {
            self.out.push_str("  invert: true,\n");
        }
        if let Some(paginate) = settings.paginate {
            let _ = writeln!(self.out, "  paginate: {paginate},");
        }
    }

    /// Whether the slide's body is one image of no given width (that can be shown): the theme
    /// then lets it fill the free space at its aspect ratio.
    fn image_alone(&self, slide: &Slide) -> bool {
        matches!(slide.blocks.as_slice(), [Block { kind: BlockKind::Image { url, width: None, .. }, .. }]
            if self.image_problem(url).is_none())
    }

    /// Whether the slide cites a footnote that is defined (its call then takes `notes:`).
    fn cites_notes(&self, slide: &Slide) -> bool {
        let mut cites = false;
        slide.walk(&mut |_| {}, &mut |inline| {
            if let Inline::FootnoteRef(label) = inline {
                cites |= self.deck.footnotes.contains_key(label);
            }
        });
        cites
    }

    /// `  notes: ([…], …),` with the slide's footnotes in number order. A footnote citing
    /// another adds it to the end of the list; citing itself or one already listed, it reuses
    /// that number, so no definition is emitted twice (and none recurses).
    fn notes_argument(&mut self) {
        self.out.push_str("  notes: (");
        let mut next = 0;
        while let Some(label) = self.notes.get(next).cloned() {
            next += 1;
            self.out.push('[');
            if let Some(blocks) = self.deck.footnotes.get(&label) {
                for (i, block) in blocks.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str("\n\n");
                    }
                    self.block(block);
                }
            }
            self.out.push_str("], ");
        }
        self.out.push_str("),\n");
    }

    /// Bookmark level: sections and slides outside sections are top level.
    fn heading_level(&self, slide: &Slide) -> u8 {
        if slide.starts_section || slide.section.is_none() {
            1
        } else {
            2
        }
    }

    fn title(&mut self, slide: &Slide) {
        if slide.title.is_empty() {
            self.out.push_str("none");
            return;
        }
        let start = self.out.len();
        self.out.push('[');
        self.inline_only += 1;
        self.inlines(&slide.title);
        self.inline_only -= 1;
        self.out.push(']');
        let md = slide.range.start..slide.range.start + 1;
        self.map.push((start..self.out.len(), md));
    }

    /// Blocks in order; after the n-th pause, blocks are wrapped in `#uncover(step, n + 1)[…]`
    /// so they appear from the slide's (n + 1)-th overlay page on.
    fn body(&mut self, blocks: &[Block]) {
        let mut step = 1;
        for block in blocks {
            if block.kind == BlockKind::Pause {
                if !self.stepped {
                    continue;
                }
                if step > 1 {
                    self.out.push_str("]\n\n");
                }
                step += 1;
                let _ = writeln!(self.out, "#uncover(step, {step})[");
                continue;
            }
            self.block(block);
            self.out.push_str("\n\n");
        }
        if step > 1 {
            self.out.push_str("]\n\n");
        }
    }

    /// The side-by-side arrangement for slides with several code blocks: text before the
    /// first code block stays full width; each code block becomes a column together with
    /// the paragraph right before it (its label) and the text after it.
    fn code_columns(&mut self, blocks: &[Block]) {
        let is_code = |b: &Block| matches!(b.kind, BlockKind::Code { .. });
        let first_code = blocks.iter().position(is_code).unwrap_or(0);
        let label_before =
            |i: usize| i > 0 && matches!(blocks[i - 1].kind, BlockKind::Paragraph(_));
        let prefix_end = if label_before(first_code) {
            first_code - 1
        } else {
            first_code
        };
        let mut columns: Vec<Vec<&Block>> = Vec::new();
        let mut i = prefix_end;
        while i < blocks.len() {
            let mut column = Vec::new();
            // Label, code, then everything up to the next label + code pair.
            while i < blocks.len() {
                let starts_next = !column.is_empty()
                    && column.iter().any(|b: &&Block| is_code(b))
                    && (is_code(&blocks[i])
                        || (label_before(i + 1) && blocks.get(i + 1).is_some_and(is_code)));
                if starts_next {
                    break;
                }
                column.push(&blocks[i]);
                i += 1;
            }
            columns.push(column);
        }
        // More than two columns leave code too narrow: stack neighbouring groups into two
        // columns whose heights (in lines) are as even as possible.
        let lines = |column: &Vec<&Block>| -> usize {
            column
                .iter()
                .map(|b| match &b.kind {
                    BlockKind::Code { text, .. } => text.lines().count() + 1,
                    _ => 2,
                })
                .sum()
        };
        if columns.len() > 2 {
            let heights: Vec<usize> = columns.iter().map(lines).collect();
            let total: usize = heights.iter().sum();
            let split = (1..columns.len())
                .min_by_key(|&k| {
                    let left: usize = heights[..k].iter().sum();
                    left.max(total - left)
                })
                .unwrap_or(1);
            let right: Vec<&Block> = columns[split..].iter().flatten().copied().collect();
            let left: Vec<&Block> = columns[..split].iter().flatten().copied().collect();
            columns = vec![left, right];
        }
        self.out.push_str("[\n");
        self.body(&blocks[..prefix_end]);
        // Widen columns with long code lines so code wraps as little as possible.
        let weights: Vec<String> = columns
            .iter()
            .map(|column| {
                let longest = column
                    .iter()
                    .filter_map(|b| match &b.kind {
                        BlockKind::Code { text, .. } => {
                            text.lines().map(|l| l.chars().count()).max()
                        }
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                longest.max(20).to_string()
            })
            .collect();
        let _ = write!(
            self.out,
            "#code-columns(weights: ({},), ",
            weights.join(", ")
        );
        for column in columns {
            self.out.push('[');
            for block in column {
                self.block(block);
                self.out.push_str("\n\n");
            }
            self.out.push_str("], ");
        }
        self.out.push_str(")\n]");
    }

    fn block(&mut self, block: &Block) {
        let start = self.out.len();
        match &block.kind {
            BlockKind::Paragraph(content) => self.inlines(content),
            BlockKind::Heading { level, content } => {
                let _ = write!(self.out, "#subheading(level: {level})[");
                self.inline_only += 1;
                self.inlines(content);
                self.inline_only -= 1;
                self.out.push(']');
            }
            BlockKind::List {
                start: first,
                tight,
                items,
            } => {
                match first {
                    Some(n) => {
                        let _ = write!(self.out, "#enum(start: {n}, tight: {tight}");
                    }
                    None => {
                        let _ = write!(self.out, "#list(tight: {tight}");
                    }
                }
                for item in items {
                    self.out.push_str(", [");
                    if let Some(checked) = item.task {
                        self.out.push_str(if checked { "☑ " } else { "☐ " });
                    }
                    for (i, block) in item.blocks.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str("\n\n");
                        }
                        self.block(block);
                    }
                    self.out.push(']');
                }
                self.out.push(')');
            }
            BlockKind::Table {
                aligns,
                header,
                rows,
            } => {
                let columns = aligns.len().max(header.len()).max(1);
                let align: Vec<&str> = (0..columns)
                    .map(|i| match aligns.get(i).copied().unwrap_or(Align::None) {
                        Align::None | Align::Left => "left",
                        Align::Center => "center",
                        Align::Right => "right",
                    })
                    .collect();
                let _ = write!(
                    self.out,
                    "#table(columns: {columns}, align: ({},), table.header(",
                    align.join(", ")
                );
                for cell in header {
                    self.out.push('[');
                    self.inlines(cell);
                    self.out.push_str("], ");
                }
                self.out.push(')');
                for row in rows {
                    for i in 0..columns {
                        self.out.push_str(", [");
                        if let Some(cell) = row.get(i) {
                            self.inlines(cell);
                        }
                        self.out.push(']');
                    }
                }
                self.out.push(')');
            }
            BlockKind::Code { lang, text } => {
                self.out.push_str("#raw(block: true, ");
                if let Some(lang) = lang {
                    let _ = write!(self.out, "lang: {}, ", string(lang));
                }
                self.out.push_str(&string(text));
                self.out.push(')');
            }
            BlockKind::Quote { kind, blocks } => {
                let kind = match kind {
                    None => "quote",
                    Some(QuoteKind::Note) => "note",
                    Some(QuoteKind::Tip) => "tip",
                    Some(QuoteKind::Important) => "important",
                    Some(QuoteKind::Warning) => "warning",
                    Some(QuoteKind::Caution) => "caution",
                };
                let _ = writeln!(self.out, "#callout(kind: \"{kind}\")[");
                self.body(blocks);
                self.out.push(']');
            }
            BlockKind::Image {
                url,
                alt,
                title,
                width,
            } => {
                match self.image_problem(url) {
                    None => {
                        let _ = write!(
                            self.out,
                            "#slide-image({}, alt: {}",
                            image_path(url),
                            string(alt)
                        );
                        if let Some(width) = width {
                            let _ = write!(self.out, ", width: {:.1}%", width * 100.0);
                        }
                        if self.filling {
                            self.out.push_str(", fill: true");
                        }
                    }
                    Some(reason) => {
                        let _ = write!(
                            self.out,
                            "#image-stand-in({}, alt: {}, reason: {}",
                            string(url),
                            string(alt),
                            string(&reason)
                        );
                    }
                }
                // pandoc and Quarto caption an image of its own with its alt text; Marp,
                // Slidev and reveal.js do not. A title (`![](x.png "Title")`) always is one.
                let caption = if title.is_empty()
                    && matches!(
                        self.deck.structure,
                        crate::structure::Structure::Headings(_)
                    ) {
                    alt
                } else {
                    title
                };
                if !caption.is_empty() {
                    let _ = write!(self.out, ", caption: {}", string(caption));
                }
                self.out.push(')');
            }
            BlockKind::RawTypst { text, offset } => {
                let path = self.extra_path("typ");
                let prelude = format!("#import \"{THEME_DIR}/theme.typ\": *\n");
                let _ = write!(self.out, "#include \"{path}\"");
                self.raws.push(RawSource {
                    path,
                    text: format!("{prelude}{text}"),
                    prelude_len: prelude.len(),
                    md_offset: *offset,
                });
            }
            BlockKind::Extension {
                kind,
                attributes,
                body,
                offset,
            } => {
                let typst_path = self.extra_path("typ");
                let stem = typst_path.trim_end_matches(".typ").to_string();
                let _ = write!(self.out, "#include \"{typst_path}\"");
                self.blocks.push(BlockRequest {
                    typst_path,
                    stem,
                    kind: kind.clone(),
                    attributes: attributes.clone(),
                    body: body.clone(),
                    md_offset: *offset,
                    block_range: block.range.clone(),
                });
            }
            BlockKind::Rule => self.out.push_str("#line(length: 100%)"),
            BlockKind::Columns { widths, columns } => {
                self.out.push_str("#slide-columns(widths: (");
                for w in widths {
                    let _ = write!(self.out, "{w}, ");
                }
                self.out.push_str("),\n");
                for column in columns {
                    self.out.push_str("[\n");
                    self.body(column);
                    self.out.push_str("],\n");
                }
                self.out.push(')');
            }
            // Pauses are handled by `body`; the side-by-side arrangement shows the final state.
            BlockKind::Pause => {}
        }
        self.map.push((start..self.out.len(), block.range.clone()));
    }

    fn extra_path(&mut self, ext: &str) -> String {
        self.extra += 1;
        format!(
            "/__lectern/slides/{:03}-{}.{ext}",
            self.index + 1,
            self.extra
        )
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => escape_markup(text, &mut self.out),
            Inline::Emph(c) => self.call("emph", c),
            Inline::Strong(c) => self.call("strong", c),
            Inline::Strike(c) => self.call("strike", c),
            Inline::Styled { style, content } => self.call(
                match style {
                    Style::Kbd => "kbd",
                    Style::Sub => "sub",
                    Style::Sup => "super",
                    Style::Mark => "highlight",
                    Style::Underline => "underline",
                    Style::Small => "small-text",
                },
                content,
            ),
            Inline::Code(code) => {
                let _ = write!(self.out, "#raw({})", string(code));
            }
            // A link to nowhere (`[text]()`) is its text.
            Inline::Link { url, content } if url.trim().is_empty() => self.inlines(content),
            Inline::Link { url, content } => {
                let _ = write!(self.out, "#link({})[", string(url));
                if content.is_empty() {
                    escape_markup(url, &mut self.out);
                } else {
                    self.inline_only += 1;
                    self.inlines(content);
                    self.inline_only -= 1;
                }
                self.out.push(']');
            }
            Inline::Image {
                url, alt, width, ..
            } => match self.image_problem(url) {
                None => {
                    let (alt, marp) = crate::images::marp_keywords(alt);
                    // In running text an image is icon-sized unless a width is given.
                    match width.or(marp.width) {
                        Some(share) => {
                            let _ = write!(
                                self.out,
                                "#inline-image({}, alt: {}, width: {share:.3})",
                                image_path(url),
                                string(&alt)
                            );
                        }
                        None => {
                            let _ = write!(
                                self.out,
                                "#box(image({}, height: 1.2em, alt: {}))",
                                image_path(url),
                                string(&alt)
                            );
                        }
                    }
                }
                Some(reason) => {
                    let _ = write!(
                        self.out,
                        "#image-stand-in({}, alt: {}, reason: {}, inline: true)",
                        string(url),
                        string(alt),
                        string(&reason)
                    );
                }
            },
            Inline::Math {
                latex,
                typst,
                display,
            } => match typst {
                Some(typst) if !self.assets.rejected_math.contains(typst) => {
                    let start = self.out.len();
                    if *display && self.inline_only == 0 {
                        let _ = write!(self.out, "$ {typst} $");
                    } else {
                        let _ = write!(self.out, "${typst}$");
                    }
                    self.math.push((start..self.out.len(), typst.clone()));
                }
                _ => {
                    let _ = write!(
                        self.out,
                        "#math-fallback({}, display: {})",
                        string(latex),
                        *display && self.inline_only == 0
                    );
                }
            },
            // Numbered per slide and set by the theme at the slide's foot (see `notes`): a
            // slide is read on its own, and Typst's own footnotes could not shrink to fit and
            // counted again on every overlay page.
            Inline::FootnoteRef(label) if self.deck.footnotes.contains_key(label) => {
                let number = match self.notes.iter().position(|l| l == label) {
                    Some(i) => i + 1,
                    None => {
                        self.notes.push(label.clone());
                        self.notes.len()
                    }
                };
                let _ = write!(self.out, "#note-ref({number})");
            }
            Inline::FootnoteRef(label) => escape_markup(&format!("[^{label}]"), &mut self.out),
            // Literal text, like everything the lecturer types.
            Inline::Cite(citation) => match self.assets.citations.get(&citation.id()) {
                Some(rendered) => escape_markup(rendered, &mut self.out),
                None => escape_markup(&citation.source, &mut self.out),
            },
            Inline::SoftBreak => self.out.push(' '),
            Inline::LineBreak => self.out.push_str("#linebreak()"),
        }
    }

    fn call(&mut self, func: &str, content: &[Inline]) {
        let _ = write!(self.out, "#{func}[");
        self.inline_only += 1;
        self.inlines(content);
        self.inline_only -= 1;
        self.out.push(']');
    }
}

/// A Markdown image path as a Typst string literal rooted at the deck folder (only called for
/// paths that passed [`check_deck_path`]).
fn image_path(url: &str) -> String {
    string(&check_deck_path(url).unwrap_or_else(|_| "/__lectern/invalid-path".to_string()))
}

/// Characters beyond which a slide title is passed as `long-title: true`.
const LONG_TITLE: usize = 60;

/// Escapes text for Typst markup: every ASCII punctuation character gets a backslash, which
/// Typst reads as "this character, literally". Line breaks become spaces.
pub fn escape_markup(text: &str, out: &mut String) {
    out.reserve(text.len());
    // Byte scan: every character that needs care is ASCII or a C1 control (0xC2 0x80..0x9F),
    // so runs of anything else are copied whole and cuts fall on character boundaries.
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let width = if b.is_ascii_punctuation() || b.is_ascii_control() {
            1
        } else if b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)) {
            2
        } else {
            i += 1;
            continue;
        };
        out.push_str(&text[run..i]);
        match b {
            b'\n' | b'\r' | b'\t' => out.push(' '),
            b if b.is_ascii_punctuation() => {
                out.push('\\');
                out.push(char::from(b));
            }
            _ => {}
        }
        i += width;
        run = i;
    }
    out.push_str(&text[run..]);
}

/// A Typst string literal holding `text` exactly.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, c) in text.char_indices() {
        if !(c == '"' || c == '\\' || c.is_control()) {
            continue;
        }
        out.push_str(&text[run..i]);
        run = i + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    out.push_str(&text[run..]);
    out.push('"');
    out
}

fn string_array(items: &[String]) -> String {
    let mut out = String::from("(");
    for item in items {
        out.push_str(&string(item));
        out.push_str(", ");
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_goes_side_by_side_only_on_slides_without_tables() {
        let code = "```python\na()\n```\n\n```python\nb()\n```\n";
        let table = "| x | y |\n|---|---:|\n| 2013-01-01 | -0.605936 |\n";
        let alt = |src: &str| {
            let (deck, _) = crate::parse(src, "deck.md");
            let generated = generate(&deck, &Assets::default());
            generated
                .slides
                .iter()
                .any(|s| s.text.contains("code-columns"))
        };
        assert!(alt(&format!("## S\n\n{code}")));
        assert!(!alt(&format!("## S\n\n{code}\n{table}")));
    }

    #[test]
    fn markup_escapes_every_punctuation_character() {
        let mut out = String::new();
        escape_markup("a#b $c* _d @e <f> // [g] ~ \\", &mut out);
        assert_eq!(
            out,
            "a\\#b \\$c\\* \\_d \\@e \\<f\\> \\/\\/ \\[g\\] \\~ \\\\"
        );
    }

    #[test]
    fn escaping_handles_controls_and_multibyte_text() {
        let mut out = String::new();
        escape_markup(
            "Емерджентни *способности*\tпри\u{85}мащаб: 10^9 \u{7f}€ #x",
            &mut out,
        );
        assert_eq!(
            out,
            "Емерджентни \\*способности\\* примащаб\\: 10\\^9 € \\#x"
        );
    }

    #[test]
    fn display_math_in_titles_headings_links_and_emphasis_is_inline() {
        // Found by fuzzing: a block equation inside a section title, a heading or a link
        // crashed Typst's PDF export (tag tree) or failed it ("expected link ancestor").
        let src = "## A $$x$$\n\n### B $$y$$\n\n#### C $$z$$\n\n[$$u$$](https://e.org) *$$v$$*\n\n$$w$$\n";
        let (deck, _) = crate::parse(src, "deck.md");
        let generated = generate(&deck, &Assets::default());
        let text: String = generated.slides.iter().map(|s| s.text.as_str()).collect();
        for inline in ["$x$", "$y$", "$z$", "$u$", "$v$"] {
            assert!(text.contains(inline), "{inline} inline in:\n{text}");
        }
        assert!(
            text.contains("$ w $"),
            "a paragraph's display math stays display:\n{text}"
        );
    }

    #[test]
    fn footnotes_citing_themselves_do_not_recurse() {
        // Found by fuzzing: `[^a]` inside the definition of `[^a]` overflowed the stack.
        let src =
            "### S\n\nText[^a] and[^b].\n\n[^a]: Loop[^a].\n\n[^b]: See[^c].\n\n[^c]: Back[^b].\n";
        let (deck, _) = crate::parse(src, "deck.md");
        let generated = generate(&deck, &Assets::default());
        let text: String = generated.slides.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text.matches("#note-ref(").count(), 5, "{text}");
        assert!(text.contains(r"notes: ([Loop#note-ref(1)\.], "), "{text}");
        assert!(
            text.contains(r"[See#note-ref(3)\.], [Back#note-ref(2)\.], )"),
            "{text}"
        );
    }

    #[test]
    fn strings_escape_quotes_and_backslashes() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
