//! The theme contract read back from a compiled document: every slide on its own page(s), and
//! the cuts the theme had to make (titles, footnotes, pages), as located diagnostics.

use super::typeset::Typeset;
use super::*;

impl Project {
    /// Every check of the typeset deck: one page per slide and overlay (an error otherwise),
    /// characters no font has, cuts the theme made, slides too tall even at the smallest
    /// text. Returns each slide's pages.
    pub(super) fn check(&self, typeset: &Typeset) -> Result<Warned<Vec<Vec<usize>>>, Failed> {
        let document = &typeset.document;
        let md = self.md_name();
        let mut diags = Vec::new();
        let slide_pages = self.check_pages(document, &mut diags);
        crate::assets::check_glyphs(
            &self.deck,
            &self.markdown,
            &md,
            document,
            &slide_pages,
            &mut diags,
        );
        self.check_cuts(document, &mut diags);
        for (i, over) in typeset.overflows.iter().enumerate() {
            if let (Some(over), Some(slide)) = (over, self.deck.slides.get(i)) {
                diags.push(
                    Diagnostic::warning(&md, title_range(slide), format!(
                        "slide {} does not fit even with its text shrunk to the readable floor: {over:.0} pt ({:.0} mm) too tall; the bottom is cut off",
                        i + 1,
                        over * 25.4 / 72.0
                    ))
                    .with_hint("split the slide (a `---` line or a new heading) or shorten it")
                    .with_kind(lectern_deck::diag::Kind::Fit),
                );
            }
        }
        Failed::check(slide_pages, diags)
    }

    /// Warns about the slides the theme had to cut: titles too long even at their smallest
    /// size, title and section slides taller than the page.
    pub(super) fn check_cuts(&self, document: &PagedDocument, diags: &mut Vec<Diagnostic>) {
        let md = self.md_name();
        let cuts = [
            (
                "lectern-title-cut",
                "its title is too long: shown at the smallest title size and cut",
            ),
            (
                "lectern-notes-cut",
                "its footnotes are too long: shown at the smallest size and cut",
            ),
            (
                "lectern-page-cut",
                "it is taller than the page even with its title at the smallest size: the bottom is cut off",
            ),
        ];
        for (label, what) in cuts {
            for i in marked_slides(document, label) {
                let Some(slide) = self.deck.slides.get(i) else {
                    continue;
                };
                diags.push(
                    Diagnostic::warning(
                        &md,
                        title_range(slide),
                        format!("slide {} does not fit: {what}", i + 1),
                    )
                    .with_hint("shorten it, or move text onto a slide of its own (a `---` line)")
                    .with_kind(lectern_deck::diag::Kind::Fit),
                );
            }
        }
    }

    /// Checks that each slide is exactly one page.
    pub(super) fn check_pages(
        &self,
        document: &PagedDocument,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Vec<usize>> {
        let md = self.md_name();
        let slides = &self.deck.slides;
        let pages = slide_pages(document, slides.len());
        let total_pages = document.pages().len();
        for (i, slide) in slides.iter().enumerate() {
            let Some(&start) = pages[i].first() else {
                diags.push(Diagnostic::error(
                    &md,
                    title_range(slide),
                    "slide produced no page (does the theme place its marker?)",
                ));
                continue;
            };
            let next = pages[i + 1..]
                .iter()
                .find_map(|p| p.first())
                .copied()
                .unwrap_or(total_pages + 1);
            let expected = start + pages[i].len();
            if next > expected {
                diags.push(
                    Diagnostic::error(&md, title_range(slide), format!("slide {} spills onto {} extra page(s)", i + 1, next - expected))
                        .with_hint("a raw Typst block probably forces a page break or is taller than the slide"),
                );
            }
        }
        pages
    }
}
