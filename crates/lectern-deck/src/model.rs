//! The deck model: what a Markdown deck means, independent of Markdown syntax and of Typst.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::frontmatter::FrontMatter;

/// A parsed deck: front matter, slides in order, and footnote definitions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deck {
    pub meta: FrontMatter,
    pub slides: Vec<Slide>,
    /// Footnote definitions by label, referenced from [`Inline::FootnoteRef`].
    pub footnotes: BTreeMap<String, Vec<Block>>,
    /// True if a link or image took its address from a reference definition, which may be
    /// anywhere in the Markdown (so a slide's meaning is not in its own text alone).
    pub reference_links: bool,
    /// How slides were delimited: the front matter's `slide-level`, or inferred.
    pub structure: crate::structure::Structure,
}

impl Deck {
    /// Titles of the sections, in order (for outlines and footers).
    pub fn sections(&self) -> impl Iterator<Item = &Slide> {
        self.slides.iter().filter(|s| s.starts_section)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlideKind {
    /// The opening slide built from the front matter (or a leading `#` heading).
    Title,
    /// A section divider (a heading above the slide level with nothing under it).
    Section,
    /// An ordinary slide with an optional title and content.
    Content,
}

/// One slide (one page in the presentation PDF).
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    pub kind: SlideKind,
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
    /// Speaker notes (HTML comments inside the slide); never shown on the slide.
    pub notes: Vec<String>,
    /// True if this slide opens a section (a section divider or a section heading with content).
    pub starts_section: bool,
    /// Index into the deck's slides of the section this slide belongs to, if any.
    pub section: Option<usize>,
    /// Byte range of the slide in the Markdown source (heading included).
    pub range: Range<usize>,
    /// Layout, background, footer and the like, from the slide's directives.
    pub settings: crate::settings::Settings,
}

/// A block with the byte range it came from in the Markdown source.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Paragraph(Vec<Inline>),
    /// A heading inside a slide (below the slide level); `level` is relative: 1 = largest.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        tight: bool,
        items: Vec<ListItem>,
    },
    Table {
        aligns: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    /// A GFM alert kind (`> [!NOTE]`) if given, else a plain quote.
    Quote {
        kind: Option<QuoteKind>,
        blocks: Vec<Block>,
    },
    Image {
        url: String,
        alt: String,
        title: String,
        /// The width asked for (pandoc `{width=60%}`, Marp `![w:640]`), as a share of the
        /// slide's width; `None`: the theme's default size.
        width: Option<f64>,
    },
    /// Raw Typst from a ```` ```{=typst} ```` block; `offset` is where its text starts in the
    /// Markdown source, so Typst errors map back exactly.
    RawTypst {
        text: String,
        offset: usize,
    },
    /// A fenced block a plugin draws (```` ```chart ````, ```` ```dot ````): the fence's kind,
    /// the rest of its info string, its text, and `offset` as for raw Typst.
    Extension {
        kind: String,
        attributes: String,
        body: String,
        offset: usize,
    },
    Rule,
    /// Blocks side by side; `widths` are the columns' shares of the slide width (summing to 1).
    Columns {
        widths: Vec<f64>,
        columns: Vec<Vec<Block>>,
    },
    /// An incremental reveal point (`<!-- pause -->` or pandoc's `. . .`): what follows
    /// appears on the slide's next overlay page.
    Pause,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a GFM task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Image {
        url: String,
        alt: String,
        /// `![alt](x.png "title")`: shown as the caption of an image of its own.
        title: String,
        /// As for [`BlockKind::Image`] (`<img width="300">`, Marp's `w:300`).
        width: Option<f64>,
    },
    /// Math as typed (`latex`) and converted to Typst math markup; `typst` is `None` when it
    /// could not be converted (the slide then shows the LaTeX source); `display` for `$$…$$`.
    Math {
        latex: String,
        typst: Option<String>,
        display: bool,
    },
    FootnoteRef(String),
    /// A citation (pandoc's syntax), read only in a deck with a bibliography.
    Cite(Citation),
    /// Text styled by an HTML tag decks use (`<kbd>`, `<sub>`, `<sup>`, `<mark>`, `<u>`, `<small>`).
    Styled {
        style: Style,
        content: Vec<Inline>,
    },
    SoftBreak,
    LineBreak,
}

/// pandoc's `[@key]`, `[see @a, p. 4; @b]`, `[-@key]` or `@key` in running text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// `@key` in running text (the author's name is part of the sentence).
    pub in_text: bool,
    /// The text as typed, shown as is where it turns out not to be a citation.
    pub source: String,
}

impl Citation {
    /// The same citation typed the same way renders the same: the key of its rendering.
    pub fn id(&self) -> String {
        format!("{}{}", if self.in_text { "t:" } else { "p:" }, self.source)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CiteItem {
    pub key: String,
    /// Text before the key (`see`).
    pub prefix: String,
    /// Text after it (`p. 4`, `chap. 2`), its leading comma dropped.
    pub suffix: String,
    /// `-@key`: the year only.
    pub suppress_author: bool,
}

/// The HTML text styles Lectern keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Kbd,
    Sub,
    Sup,
    Mark,
    Underline,
    Small,
}

impl Style {
    /// The style of an HTML tag name, if Lectern keeps it.
    pub fn of_tag(name: &str) -> Option<Style> {
        Some(match name {
            "kbd" => Style::Kbd,
            "sub" => Style::Sub,
            "sup" => Style::Sup,
            "mark" => Style::Mark,
            "u" | "ins" => Style::Underline,
            "small" => Style::Small,
            _ => return None,
        })
    }
}

/// Plain text of inline content (for outlines, PDF bookmarks and short titles).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    collect_plain(inlines, &mut out);
    out
}

fn collect_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => collect_plain(c, out),
            Inline::Styled { content, .. } => collect_plain(content, out),
            Inline::Link { content, .. } => collect_plain(content, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Math { latex, .. } => out.push_str(latex),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            Inline::FootnoteRef(_) => {}
            Inline::Cite(citation) => out.push_str(&citation.source),
        }
    }
}

/// Calls `on_inline` for every inline in `content`, nested ones included.
pub fn walk_inlines(content: &[Inline], on_inline: &mut dyn FnMut(&Inline)) {
    for inline in content {
        on_inline(inline);
        match inline {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => walk_inlines(c, on_inline),
            Inline::Styled { content, .. } => walk_inlines(content, on_inline),
            Inline::Link { content, .. } => walk_inlines(content, on_inline),
            _ => {}
        }
    }
}

/// Calls `on_block` for every block in `blocks` and the blocks nested in them, and
/// `on_inline` for every inline (nested ones included), in document order.
pub fn walk(
    blocks: &[Block],
    on_block: &mut dyn FnMut(&Block),
    on_inline: &mut dyn FnMut(&Inline),
) {
    let inlines = walk_inlines;
    for block in blocks {
        on_block(block);
        match &block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => {
                inlines(content, on_inline);
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    walk(&item.blocks, on_block, on_inline);
                }
            }
            BlockKind::Quote { blocks, .. } => walk(blocks, on_block, on_inline),
            BlockKind::Columns { columns, .. } => {
                for column in columns {
                    walk(column, on_block, on_inline);
                }
            }
            BlockKind::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    inlines(cell, on_inline);
                }
            }
            _ => {}
        }
    }
}

impl Slide {
    /// [`walk`] over the slide's title and blocks.
    pub fn walk(&self, on_block: &mut dyn FnMut(&Block), on_inline: &mut dyn FnMut(&Inline)) {
        walk_inlines(&self.title, on_inline);
        walk(&self.blocks, on_block, on_inline);
    }
}
