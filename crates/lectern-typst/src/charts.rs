//! Chart blocks: spec + dataset → SVG (via lectern-charts), served to Typst as virtual files.

use std::path::Path;

use lectern_deck::generate::ChartRequest;
use lectern_deck::{Deck, Diagnostic};
use typst::foundations::Bytes;

use crate::world::LecternWorld;

/// A file the charts stage serves: Typst text, or bytes (SVG).
pub struct ChartFile {
    pub path: String,
    pub text: String,
    pub bytes: Option<Bytes>,
}

/// Rendered charts by the hash of their inputs, so unchanged charts are not drawn again.
#[derive(Default)]
pub struct ChartCache {}

impl ChartCache {
    pub fn clear(&mut self) {}
}

pub fn render_charts(
    requests: &[ChartRequest],
    _deck: &Deck,
    _deck_root: &Path,
    _world: &LecternWorld,
    _cache: &mut ChartCache,
    md_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ChartFile> {
    for request in requests {
        diags.push(Diagnostic::error(
            md_name,
            request.block_range.clone(),
            "chart blocks are not supported yet",
        ));
    }
    Vec::new()
}
