//! The quick preview: the slides an edit changed, laid out on their own before the whole deck.

use super::*;

impl Project {
    /// Lays out just the slides in `changed` (generated paths) in a document of their own, with
    /// fitting, and hands it to `quick`; does nothing unless only a few slides changed and
    /// nothing else (main file, deck facts) did. Fits found are kept in `fits` and in the
    /// World's sources for the whole-deck pass.
    pub(super) fn quick_preview(
        &mut self,
        changed: &[String],
        fits: &mut [Fit],
        quick: &mut dyn FnMut(QuickPreview),
    ) {
        let slides: Vec<usize> = {
            let mut slides = Vec::new();
            for path in changed {
                match lectern_deck::generate::slide_of_path(path) {
                    Some(index) if !slides.contains(&index) => slides.push(index),
                    Some(_) => {}
                    // The main file or the deck facts changed: every slide may look different.
                    None => return,
                }
            }
            slides.sort_unstable();
            slides
        };
        if slides.is_empty() || slides.len() > QUICK_PREVIEW_SLIDES {
            return;
        }
        let text = lectern_deck::generate::main_file(&self.deck.meta, slides.iter().copied());
        self.world
            .add_files(vec![(PREVIEW_PATH.to_string(), text)], Vec::new());
        for _ in 0..MAX_FIT_PASSES {
            let preview = self.world.with_main(PREVIEW_PATH);
            let Ok(document) = typst::compile::<PagedDocument>(&preview).output else {
                // The whole-deck pass reports the errors.
                break;
            };
            let measured = measure_slides(&document, fits.len());
            let mut refits = Vec::new();
            for &index in &slides {
                let Some(Some(m)) = measured.get(index) else {
                    continue;
                };
                if m.natural > m.available + 0.5
                    && self
                        .deck
                        .slides
                        .get(index)
                        .is_none_or(|s| s.settings.fit != Some(false))
                    && let Some(next) = fits[index].next(m)
                {
                    fits[index] = next;
                    if let Some(path) = &self.generated.slides[index].fit_path {
                        refits.push((path.clone(), next.source().into_owned()));
                    }
                }
            }
            if refits.is_empty() {
                let pages = slide_pages(&document, fits.len());
                quick(QuickPreview {
                    document: &document,
                    slides: slides.iter().map(|&i| (i, pages[i].clone())).collect(),
                });
                break;
            }
            self.world.add_files(refits, Vec::new());
        }
    }
}
