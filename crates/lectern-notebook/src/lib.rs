//! Notebooks as decks: a Jupyter notebook (nbformat 4) or the plain-text export of one
//! (Markdown with `In [12]:` code cells) → the deck's Markdown, the output images to serve
//! with it, and a map from that Markdown back to cells. Pure: text in, values out.

mod code;
mod convert;
mod front;
mod images;
pub mod map;
mod markdown;
pub mod model;
mod options;
pub mod outputs;
mod pager;
pub mod table;
pub mod text_export;

use std::ops::Range;
use std::path::{Path, PathBuf};

use lectern_deck::Diagnostic;
use lectern_deck::diag::Kind;

pub use map::SourceMap;
pub use model::{Notebook, ReadError};

/// How a conversion names what it makes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The notebook's file name, for diagnostics (`lecture.ipynb`).
    pub name: String,
    /// Deck-relative folder the output images are named under (`images` for `lectern
    /// import`; a folder no deck has when a build serves them from memory).
    pub image_dir: String,
}

/// A notebook as a deck.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    pub markdown: String,
    /// Output images and attachments: deck-relative path, bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every cell's source, for showing diagnostics in it.
    pub cells: Vec<String>,
    pub map: SourceMap,
    /// Warnings about outputs, located in `markdown`.
    pub diagnostics: Vec<Diagnostic>,
    /// Where `markdown` holds a front matter made from the notebook's metadata (no cell
    /// has it).
    pub metadata: Option<Range<usize>>,
}

/// The folder a build serves a notebook's images from (no deck has it on disk).
pub const SERVED_IMAGES: &str = "__notebook__";

/// Whether `path` names a notebook.
pub fn is_notebook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
}

/// Reads a notebook's JSON and converts it; a file that is not valid JSON or not nbformat 4
/// is an error located in it (file `options.name`, a range of `json`).
pub fn convert_json(json: &str, options: &Options) -> Result<Converted, Diagnostic> {
    let notebook = model::read(json).map_err(|err| {
        let at = err.at.map_or(0, |(line, column)| {
            (lectern_deck::diag::line_start(json, line) + column.saturating_sub(1)).min(json.len())
        });
        Diagnostic::error(&options.name, at..at, err.message)
            .with_kind(Kind::Notebook)
            .with_hint("a notebook is the .ipynb file Jupyter saves (nbformat 4 JSON)")
    })?;
    Ok(convert(&notebook, options))
}

/// Converts a notebook already read.
pub fn convert(notebook: &Notebook, options: &Options) -> Converted {
    convert::convert(notebook, options)
}

impl Converted {
    /// Diagnostics located in the generated Markdown (file `name`), located instead in the
    /// cell they came from: file `lecture.ipynb: cell 14`, a range in that cell's source.
    /// Others are returned as they are.
    pub fn relocate(&self, name: &Path, diags: &[Diagnostic]) -> Vec<Diagnostic> {
        diags
            .iter()
            .map(|diag| {
                if diag.file != name {
                    return diag.clone();
                }
                match self.map.locate(diag.range.clone()) {
                    Some((cell, range)) => Diagnostic {
                        file: cell_file(name, cell),
                        range,
                        ..diag.clone()
                    },
                    // In the front matter made from the metadata: shown as written there.
                    None if self
                        .metadata
                        .as_ref()
                        .is_some_and(|m| diag.range.start < m.end) =>
                    {
                        Diagnostic {
                            file: PathBuf::from(format!("{}: metadata", name.display())),
                            ..diag.clone()
                        }
                    }
                    None => diag.clone(),
                }
            })
            .collect()
    }

    /// The source of the cell a relocated diagnostic names (see [`Converted::relocate`]).
    pub fn cell_text(&self, name: &Path, file: &Path) -> Option<String> {
        let rest = file.to_str()?.strip_prefix(name.to_str()?)?;
        if rest == ": metadata" {
            return self
                .markdown
                .get(self.metadata.clone()?)
                .map(str::to_string);
        }
        let number: usize = rest.strip_prefix(": cell ")?.parse().ok()?;
        self.cells.get(number.checked_sub(1)?).cloned()
    }

    /// The cell (1-based) a Markdown range came from, and the range in it.
    pub fn cell_of(&self, range: Range<usize>) -> Option<(usize, Range<usize>)> {
        self.map.locate(range).map(|(cell, r)| (cell + 1, r))
    }
}

/// How diagnostics name a notebook cell: `lecture.ipynb: cell 14` (1-based, counting every
/// cell, as a notebook's cells are numbered from the top).
fn cell_file(name: &Path, cell: usize) -> PathBuf {
    PathBuf::from(format!("{}: cell {}", name.display(), cell + 1))
}
