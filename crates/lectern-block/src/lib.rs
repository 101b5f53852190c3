//! The plugin interface for fenced blocks (```` ```chart ````, ```` ```dot ````, ```` ```qr ````):
//! a [`BlockRenderer`] turns a block's text, its attributes and the files it reads into a
//! [`Figure`] or located [`BlockError`]s. Renderers are pure and deterministic (no IO, no
//! clock): the host reads the files they name through its sandbox, caches figures by a hash of
//! everything they depend on, and writes them onto the slide in the theme's style.

use std::collections::BTreeMap;
use std::ops::Range;

/// One fenced block as the lecturer wrote it.
#[derive(Debug, Clone, Copy)]
pub struct BlockSource<'a> {
    /// The fence's first word (`chart`, `dot`).
    pub kind: &'a str,
    /// The rest of the fence's info string (` {height=8}` or `width=50%`), trimmed.
    pub attributes: &'a str,
    /// The text between the fences; error ranges in it are byte offsets into it.
    pub body: &'a str,
}

/// A deck file a block reads (`data = "data/x.csv"`), as written, with where in the body it is
/// named (for "cannot read" errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: String,
    pub range: Range<usize>,
}

/// The files a block declared, by the path as written, with their bytes.
pub type Inputs = BTreeMap<String, Vec<u8>>;

/// What a block may look like: the theme's palette (its `palette.toml`, TOML text) and its fonts.
pub struct Theme<'a> {
    pub palette: &'a str,
    /// The theme's font data of a family (`bold` or regular), if the deck has it (borrowed:
    /// fonts are large).
    pub font: &'a dyn Fn(&str, bool) -> Option<&'a [u8]>,
}

/// A font lookup that finds nothing (for themes in tests, and plugins that draw no text).
pub fn no_fonts<'a>(_family: &str, _bold: bool) -> Option<&'a [u8]> {
    None
}

impl<'a> Theme<'a> {
    /// A theme of just a palette (fonts: none), as plugin tests use.
    pub fn with_palette(palette: &'a str) -> Self {
        Theme {
            palette,
            font: &no_fonts,
        }
    }
}

impl std::fmt::Debug for Theme<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("palette", &self.palette)
            .finish()
    }
}

/// What a block shows on its slide.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub content: Content,
    /// Text for screen readers (and the PDF's alt text).
    pub alt: String,
    /// Shown above the figure.
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Shown below the figure.
    pub caption: Option<String>,
    /// The height in `em` of the slide's text (`None`: the host's default for the content).
    pub height_em: Option<f64>,
    /// A drawing that may be wider than the slide at that height is shrunk to its width
    /// (a drawing of fixed proportions, like a chart, leaves this `false`).
    pub fit_width: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A vector drawing.
    Svg(String),
    /// A table, set in the theme's table style.
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column: numbers are set to the right.
    pub right_aligned: Vec<bool>,
    /// Rows (0-based, without the header) to stand out.
    pub highlighted: Vec<usize>,
}

/// Where an error points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorAt {
    /// Bytes of the block's body.
    Body(Range<usize>),
    /// The opening fence line (the block as a whole: "needs a dataset").
    Fence,
    /// Bytes of an input file (`path` as written in the block).
    Input { path: String, range: Range<usize> },
}

/// A problem with a block: the slide shows a stand-in and the build reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub message: String,
    pub at: ErrorAt,
    pub hint: Option<String>,
}

impl BlockError {
    pub fn new(message: impl Into<String>, at: ErrorAt) -> Self {
        Self {
            message: message.into(),
            at,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A plugin: draws the blocks of the fence kinds it names.
pub trait BlockRenderer: Send + Sync {
    /// The fence kinds it draws (`["dot", "graphviz"]`).
    fn kinds(&self) -> &[&'static str];

    /// Changes whenever the same input would draw differently (it is part of the cache key).
    fn version(&self) -> u32 {
        1
    }

    /// The deck files the block reads; the host loads them through its sandbox.
    fn inputs(&self, block: &BlockSource) -> Result<Vec<Input>, Vec<BlockError>> {
        let _ = block;
        Ok(Vec::new())
    }

    /// Draws the block. Pure and deterministic: the same arguments give the same figure.
    fn render(
        &self,
        block: &BlockSource,
        inputs: &Inputs,
        theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>>;
}

/// The registered renderers, looked up by fence kind.
#[derive(Clone, Default)]
pub struct Registry {
    renderers: Vec<std::sync::Arc<dyn BlockRenderer>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.kinds()).finish()
    }
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a renderer; a kind registered earlier keeps its first renderer.
    pub fn with(mut self, renderer: impl BlockRenderer + 'static) -> Self {
        self.renderers.push(std::sync::Arc::new(renderer));
        self
    }

    /// Every registered fence kind, in registration order.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = Vec::new();
        for kind in self.renderers.iter().flat_map(|r| r.kinds()) {
            if !kinds.iter().any(|k| k == kind) {
                kinds.push((*kind).to_string());
            }
        }
        kinds
    }

    pub fn get(&self, kind: &str) -> Option<&dyn BlockRenderer> {
        self.renderers
            .iter()
            .find(|r| r.kinds().contains(&kind))
            .map(|r| &**r)
    }
}

/// Reads `key = "value"` pairs from a fence's attributes (`{height=8 caption="A map"}` or
/// `height=8, caption="A map"`); values may be quoted.
pub fn attributes(text: &str) -> BTreeMap<String, String> {
    let inner = text.trim().trim_start_matches('{').trim_end_matches('}');
    let mut out = BTreeMap::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        rest = rest[eq + 1..].trim_start();
        let (value, tail) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                Some(end) => (&rest[1..1 + end], &rest[end + 2..]),
                None => (&rest[1..], ""),
            },
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == ',')
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        if !key.is_empty() {
            out.insert(key, value.to_string());
        }
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// The `height` attribute in `em` (`{height=8}`), or `default` when absent.
pub fn height_em(attributes: &BTreeMap<String, String>, default: f64) -> Result<f64, BlockError> {
    match attributes.get("height") {
        None => Ok(default),
        Some(value) => value
            .parse::<f64>()
            .ok()
            .filter(|h| *h > 0.0 && h.is_finite())
            .ok_or_else(|| {
                BlockError::new(
                    format!("`height` should be a number of em, not `{value}`"),
                    ErrorAt::Fence,
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_in_either_spelling() {
        let a = attributes("{height=8 caption=\"A map, of sorts\"}");
        assert_eq!(a["height"], "8");
        assert_eq!(a["caption"], "A map, of sorts");
        let a = attributes("width=50%, title='T'");
        assert_eq!((a["width"].as_str(), a["title"].as_str()), ("50%", "T"));
        assert!(attributes("").is_empty());
    }
}
