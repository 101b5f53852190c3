//! PDF output of a compiled deck: the presentation and its handout.

use super::*;

impl Project {
    /// A handout of the last compile: the presentation PDF's slides (final overlay of each) as
    /// vector frames on portrait pages, with ruled lines or speaker notes.
    pub fn handout(
        &mut self,
        compiled: &Compiled,
        presentation_pdf: Vec<u8>,
        options: &lectern_deck::handout::HandoutOptions,
    ) -> Result<(Vec<u8>, usize), Failed> {
        let document = self.handout_document(compiled, presentation_pdf, options)?;
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(format!("lectern/{}/handout", self.name())),
            timestamp: None,
            ..Default::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| Failed {
            diagnostics: errors.iter().map(|e| self.to_markdown(e)).collect(),
        })?;
        Ok((pdf, document.pages().len()))
    }

    /// The laid-out handout (see [`Project::handout`]).
    pub fn handout_document(
        &mut self,
        compiled: &Compiled,
        presentation_pdf: Vec<u8>,
        options: &lectern_deck::handout::HandoutOptions,
    ) -> Result<PagedDocument, Failed> {
        use lectern_deck::handout::{HANDOUT_PATH, PRESENTATION_PATH, handout};
        let final_pages: Vec<usize> = compiled
            .slide_pages
            .iter()
            .map(|p| p.last().copied().unwrap_or(1))
            .collect();
        let text = handout(&self.deck, &final_pages, options);
        self.world.add_files(
            vec![(HANDOUT_PATH.to_string(), text)],
            vec![(
                PRESENTATION_PATH.to_string(),
                typst::foundations::Bytes::new(presentation_pdf),
            )],
        );
        let result = typst::compile::<PagedDocument>(&self.world.with_main(HANDOUT_PATH));
        result.output.map_err(|errors| Failed {
            diagnostics: errors.iter().map(|e| self.to_markdown(e)).collect(),
        })
    }

    /// Exports the PDF (deterministic: no timestamp, identifier from the deck name).
    pub fn pdf(&self, document: &PagedDocument) -> Result<Vec<u8>, Failed> {
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(format!("lectern/{}", self.name())),
            timestamp: None,
            ..Default::default()
        };
        typst_pdf::pdf(document, &options).map_err(|errors| Failed {
            diagnostics: errors.iter().map(|e| self.to_markdown(e)).collect(),
        })
    }
}
