//! Markdown deck → deck model → Typst markup. Pure: no IO, no Typst dependency.
//!
//! [`parse`] turns `deck.md` into a [`Deck`] plus diagnostics; [`generate`] turns a deck into
//! Typst sources with a map back to Markdown positions.

pub mod citations;
mod columns;
pub mod diag;
mod dialects;
pub mod figure;
pub mod frontmatter;
pub mod generate;
pub mod handout;
mod html;
mod images;
pub mod math;
pub mod model;
pub mod parse;
pub mod paths;
pub mod settings;
pub mod structure;

pub use diag::{Diagnostic, Severity};
pub use frontmatter::FrontMatter;
pub use generate::{Generated, generate};
pub use model::{Block, BlockKind, Deck, Inline, Slide, SlideKind};
pub use parse::{parse, parse_with};
