//! Typesetting with fitting: every slide is laid out once at full size; the theme's markers
//! give each body's real height. Slides that are too tall get a smaller text scale (estimated
//! from that height) or the side-by-side arrangement in their fit file and are compiled
//! again: only those files change, so later passes are incremental. Choices are remembered
//! per slide text.

use super::frontend::BlockFiles;
use super::*;

/// The typeset deck.
pub(super) struct Typeset {
    pub(super) document: PagedDocument,
    /// The fit each slide ended with.
    pub(super) fits: Vec<Fit>,
    /// How far (pt) each slide still overflows at its smallest fit, if it does.
    pub(super) overflows: Vec<Option<f64>>,
    /// 1-based slides whose generated text changed since the previous compile.
    pub(super) changed_slides: Vec<usize>,
}

impl Typeset {
    /// The slides (1-based) not at full size, with their scale.
    pub(super) fn fitted(&self) -> Vec<(usize, f64)> {
        self.fits
            .iter()
            .enumerate()
            .filter(|(_, f)| **f != Fit::default())
            .map(|(i, f)| (i + 1, f.scale))
            .collect()
    }
}

impl Project {
    /// Serves the generated sources and `files` to Typst and compiles until every slide
    /// fits (or cannot shrink further); a quick preview of the changed slides comes first.
    pub(super) fn typeset(
        &mut self,
        files: &BlockFiles,
        mut quick: Option<&mut dyn FnMut(QuickPreview)>,
        phases: &mut Phases,
    ) -> Result<Warned<Typeset>, Attempt> {
        let keys: Vec<u64> = self.generated.slides.iter().map(|s| s.text_hash).collect();
        let mut fits: Vec<Fit> = keys
            .iter()
            .map(|k| self.fits.get(k).copied().unwrap_or_default())
            .collect();
        let mut overflows: Vec<Option<f64>> = vec![None; fits.len()];
        let mut changed_slides = None;
        let mut passes = 0;
        let (document, typst_warnings) = loop {
            passes += 1;
            let changed = self.serve(&fits, files);
            changed_slides.get_or_insert_with(|| {
                self.generated
                    .slides
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| changed.contains(&s.path))
                    .map(|(i, _)| i + 1)
                    .collect::<Vec<_>>()
            });
            if passes == 1
                && let Some(quick) = quick.take()
            {
                self.quick_preview(&changed, &mut fits, quick);
                phases.mark("quick preview");
            }
            let result = typst::compile::<PagedDocument>(&self.world);
            phases.mark(if passes == 1 { "typst" } else { "typst again" });
            let document = match result.output {
                Ok(document) => document,
                Err(errors) if self.reject_math(&errors) => return Err(Attempt::Retry),
                Err(errors) => {
                    let mut diagnostics: Vec<Diagnostic> = result
                        .warnings
                        .iter()
                        .filter(|w| !is_noise(w))
                        .map(|w| self.to_markdown(w))
                        .collect();
                    diagnostics.extend(errors.iter().map(|e| self.to_markdown(e)));
                    return Err(Failed { diagnostics }.into());
                }
            };
            let adjusted = self.refit(&document, &mut fits, &mut overflows);
            if !adjusted || passes >= MAX_FIT_PASSES {
                break (document, result.warnings);
            }
        };
        self.fits = keys
            .iter()
            .copied()
            .zip(fits.iter().copied())
            .filter(|(_, f)| *f != Fit::default())
            .collect();
        let warnings = typst_warnings
            .iter()
            .filter(|w| !is_noise(w))
            .map(|w| self.to_markdown(w))
            .collect();
        Ok(Warned {
            output: Typeset {
                document,
                fits,
                overflows,
                changed_slides: changed_slides.unwrap_or_default(),
            },
            warnings,
        })
    }

    /// Hands Typst the generated sources, each fitted slide's fit file and the plugins'
    /// files; returns the paths whose content changed.
    fn serve(&mut self, fits: &[Fit], files: &BlockFiles) -> Vec<String> {
        let generated = &self.generated;
        let mut texts: Vec<(&str, Cow<str>)> = vec![
            (
                lectern_deck::generate::MAIN_PATH,
                Cow::Borrowed(&generated.main),
            ),
            (
                lectern_deck::generate::INFO_PATH,
                Cow::Borrowed(&generated.info),
            ),
        ];
        for (slide, fit) in generated.slides.iter().zip(fits) {
            texts.push((&slide.path, Cow::Borrowed(&slide.text)));
            if let Some(path) = &slide.fit_path {
                texts.push((path, fit.source()));
            }
        }
        texts.extend(
            generated
                .raws
                .iter()
                .map(|r| (r.path.as_str(), Cow::Borrowed(r.text.as_str()))),
        );
        texts.extend(
            files
                .texts
                .iter()
                .map(|(path, text)| (path.as_str(), Cow::Borrowed(text.as_str()))),
        );
        self.world
            .set_sources(texts, files.binaries.iter().cloned())
    }

    /// Picks a smaller fit for each slide that overflows (unless it says `fit: false`);
    /// true if any changed. Slides that cannot shrink further get their overflow recorded.
    fn refit(
        &self,
        document: &PagedDocument,
        fits: &mut [Fit],
        overflows: &mut [Option<f64>],
    ) -> bool {
        let mut adjusted = false;
        for (i, m) in measure_slides(document, fits.len()).into_iter().enumerate() {
            overflows[i] = None;
            let Some(m) = m else { continue };
            if m.natural <= m.available + 0.5 {
                continue;
            }
            let shrinks = self
                .deck
                .slides
                .get(i)
                .is_none_or(|s| s.settings.fit != Some(false));
            match fits[i].next(&m).filter(|_| shrinks) {
                Some(next) => {
                    fits[i] = next;
                    adjusted = true;
                }
                None => overflows[i] = Some(m.natural - m.available),
            }
        }
        adjusted
    }
}
