//! Typst's diagnostics mapped back to the Markdown (and data files) that produced them, and
//! converted formulas Typst rejects, shown as their LaTeX source on the next attempt.

use super::*;

impl Project {
    /// Records the converted formulas that Typst's `errors` point into, so the next attempt
    /// shows them as LaTeX source; true if there was a new one.
    pub(super) fn reject_math(&mut self, errors: &[SourceDiagnostic]) -> bool {
        let mut rejected = false;
        for error in errors {
            let spans =
                std::iter::once(error.span).chain(error.trace.iter().map(|t| t.span.into()));
            for span in spans {
                let (Some(id), Some(range)) = (span.id(), self.world.range(span)) else {
                    continue;
                };
                let path = id.get().vpath().get_with_slash();
                let Some(slide) = self.generated.slides.iter().find(|s| s.path == path) else {
                    continue;
                };
                let hit = slide
                    .math
                    .iter()
                    .find(|(typst_range, _)| typst_range.contains(&range.start));
                if let Some((_, typst)) = hit
                    && self.assets.rejected_math.insert(typst.clone())
                {
                    self.rejected_why
                        .insert(typst.clone(), error.message.to_string());
                    rejected = true;
                }
            }
        }
        rejected
    }

    /// A warning for each use of a formula Typst rejected.
    pub(super) fn warn_rejected_math(&self, diags: &mut Vec<Diagnostic>) {
        if self.assets.rejected_math.is_empty() {
            return;
        }
        let md = self.md_name();
        for slide in &self.deck.slides {
            slide.walk(&mut |_| {}, &mut |inline| {
                if let lectern_deck::Inline::Math {
                    latex,
                    typst: Some(typst),
                    ..
                } = inline
                    && self.assets.rejected_math.contains(typst)
                {
                    let why = self.rejected_why.get(typst).map_or("", String::as_str);
                    let at = crate::assets::find_in_slide(&self.markdown, slide.range.clone(), latex);
                    diags.push(
                        Diagnostic::warning(
                            &md,
                            at,
                            format!("Typst cannot typeset this formula as converted ({why}); it is shown as LaTeX source"),
                        )
                        .with_kind(lectern_deck::diag::Kind::Math)
                        .with_hint(format!("the conversion was `{typst}`; a ```{{=typst}} block can hold Typst math directly")),
                    );
                }
            });
        }
    }

    /// Maps a Typst diagnostic to the deck's files.
    pub(super) fn to_markdown(&self, diag: &SourceDiagnostic) -> Diagnostic {
        let severity = match diag.severity {
            typst::diag::Severity::Error => Severity::Error,
            typst::diag::Severity::Warning => Severity::Warning,
        };
        let mut message = diag.message.to_string();
        // Prefer the innermost place in the lecturer's own files: the span itself, or else
        // the nearest call site in a generated file (for errors raised inside the theme).
        let spans =
            std::iter::once(diag.span).chain(diag.trace.iter().rev().map(|t| t.span.into()));
        let mut located = None;
        for span in spans {
            let Some(id) = span.id() else { continue };
            let Some(range) = self.world.range(span) else {
                continue;
            };
            if let Some((file, md)) = self.locate(id, range) {
                located = Some((file, md));
                break;
            }
        }
        let (file, range) = located.unwrap_or_else(|| {
            // A span in a file of the deck folder (or the theme) stays where it is.
            match diag
                .span
                .id()
                .and_then(|id| self.world.real_path(id).zip(self.world.range(diag.span)))
            {
                Some((path, range)) => (path, range),
                None => (PathBuf::from(self.md_name()), 0..0),
            }
        });
        if message.contains("file not found") || message.contains("failed to load file") {
            message = message.replace(&self.deck_root.display().to_string(), ".");
        }
        let mut out = Diagnostic {
            severity,
            kind: lectern_deck::diag::Kind::Typst,
            file,
            range,
            message,
            hints: Vec::new(),
        };
        for hint in &diag.hints {
            out.hints.push(hint.v.to_string());
        }
        out
    }

    /// Markdown location of a range in a generated file.
    pub(super) fn locate(
        &self,
        id: FileId,
        range: std::ops::Range<usize>,
    ) -> Option<(PathBuf, std::ops::Range<usize>)> {
        let md = PathBuf::from(self.md_name());
        let path = id.get().vpath().get_with_slash();
        if let Some(slide) = self.generated.slides.iter().find(|s| s.path == path) {
            return Some((md, slide_markdown(slide, range.start)));
        }
        if let Some(raw) = self.generated.raws.iter().find(|r| r.path == path) {
            return Some((md, raw_markdown(raw, range)));
        }
        if let Some(block) = self.generated.blocks.iter().find(|c| c.typst_path == path) {
            return Some((md, block.block_range.clone()));
        }
        if path == lectern_deck::generate::MAIN_PATH || path == lectern_deck::generate::INFO_PATH {
            return Some((md, 0..0));
        }
        None
    }
}

pub(super) fn slide_markdown(slide: &GeneratedSource, offset: usize) -> std::ops::Range<usize> {
    slide.to_markdown(offset)
}

pub(super) fn raw_markdown(
    raw: &RawSource,
    range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    raw.to_markdown(range)
}

/// The heading line of a slide (or its first line), where slide-level diagnostics point.
pub(super) fn title_range(slide: &lectern_deck::Slide) -> std::ops::Range<usize> {
    slide.range.start..slide.range.start
}

/// Typst warnings that say nothing about the lecturer's input.
pub(super) fn is_noise(_diag: &SourceDiagnostic) -> bool {
    false
}
