//! Typst as a library for Lectern: the World (fonts, theme, virtual files, sandbox), compiling
//! a deck, mapping Typst diagnostics back to Markdown, and exporting PDF and PNG.

pub mod assets;
pub mod blocks;
pub mod builtin;
mod fit;
pub mod fonts;
mod highlight;
pub mod inspect;
pub mod output;
pub mod palette;
pub mod pdfpc;
pub mod project;
pub mod standalone;
pub mod world;

use std::path::PathBuf;

pub use project::{Compiled, Failed, Inputs, Project, ProjectOptions, QuickPreview};

/// Problems that stop a deck from being opened at all (before any Markdown is read).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no deck at {0} (expected a deck folder holding deck.md or deck.ipynb, a .md file or a Jupyter notebook)"
    )]
    NoDeck(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}
