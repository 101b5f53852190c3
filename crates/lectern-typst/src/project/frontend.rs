//! The front of a compile: the deck's Markdown (from disk) → parse (one slide again after an
//! edit inside it) → theme → image checks → generated Typst, and the plugin blocks drawn.

use super::*;

/// What the plugins drew: SVG files and the Typst files that show them.
pub(super) struct BlockFiles {
    pub(super) binaries: Vec<(String, typst::foundations::Bytes)>,
    pub(super) texts: Vec<(String, String)>,
}

impl Project {
    /// Reads, parses and generates; fails on errors so far (an unreadable deck, an unknown
    /// theme's files missing).
    pub(super) fn frontend(&mut self, phases: &mut Phases) -> Result<Warned<Generated>, Failed> {
        let markdown = std::fs::read_to_string(&self.deck_file).map_err(|e| Failed {
            diagnostics: vec![Diagnostic::error(
                self.md_name(),
                0..0,
                format!("cannot read the deck: {e}"),
            )],
        })?;
        let previous = std::mem::replace(&mut self.markdown, markdown);
        let md_name = self.md_name();
        // The deck always holds the parse of the previous Markdown (once there is one), so an
        // edit inside one slide re-parses just that slide.
        if self.parsed {
            lectern_deck::parse::reparse(
                &mut self.deck,
                &mut self.parse_diags,
                (&previous, &self.markdown),
                &md_name,
                &self.kinds,
            );
        } else {
            (self.deck, self.parse_diags) =
                lectern_deck::parse_with(&self.markdown, &md_name, &self.kinds);
            self.parsed = true;
        }
        let mut diags = self.parse_diags.clone();
        crate::highlight::warm_up(&self.deck);
        phases.mark("parse");
        self.select_theme(self.deck.meta.theme.clone(), &mut diags);
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags });
        }
        self.assets.images = crate::assets::check_images(
            &self.deck,
            &self.markdown,
            &md_name,
            &self.world,
            &mut diags,
        );
        self.warn_rejected_math(&mut diags);
        let mut generated = lectern_deck::generate::generate_cached(
            &self.deck,
            &self.assets,
            &self.markdown,
            &mut self.generate_cache,
        );
        if self.hide_positions {
            generated.info = lectern_deck::generate::deck_info(&self.deck, false);
        }
        phases.mark("generate");
        Failed::check(generated, diags)
    }

    /// Has the plugins draw the deck's blocks; fails if one cannot be drawn.
    pub(super) fn draw_blocks(
        &mut self,
        generated: &Generated,
    ) -> Result<Warned<BlockFiles>, Failed> {
        let md_name = self.md_name();
        let host = Host {
            registry: &self.registry,
            world: &self.world,
            fonts: &self.fonts,
            markdown: &self.markdown,
            md_name: &md_name,
        };
        let mut diags = Vec::new();
        let mut files = BlockFiles {
            binaries: Vec::new(),
            texts: Vec::new(),
        };
        for file in host.render(&generated.blocks, &mut self.figures, &mut diags) {
            match file.bytes {
                Some(bytes) => files.binaries.push((file.path, bytes)),
                None => files.texts.push((file.path, file.text)),
            }
        }
        Failed::check(files, diags)
    }
}
