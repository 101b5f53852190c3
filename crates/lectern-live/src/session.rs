//! A live session: one long-lived Project (one World, warm caches) rebuilt on every change,
//! with per-slide change detection so only changed slides are re-rendered for the preview.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lectern_typst::output::write_atomic;
use lectern_typst::{Project, ProjectOptions, QuickPreview};
use typst::utils::hash128;

/// What a rebuild produced.
#[derive(Debug)]
pub enum Outcome {
    /// Compiled. `changed` lists 1-based slide pages whose rendering changed.
    Built {
        changed: Vec<usize>,
        pages: usize,
        warnings: String,
    },
    /// Errors, rendered with snippets (no colour); the last good outputs are kept.
    Failed { diagnostics: String },
}

/// One rebuild: outcome and where the time went.
#[derive(Debug)]
pub struct Rebuild {
    pub outcome: Outcome,
    pub compile: Duration,
    pub preview: Duration,
    pub export: Duration,
    /// Set when the PDF was written.
    pub pdf_written: bool,
}

/// The preview's view of the deck: one SVG per page and a version that grows per change.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub version: u64,
    pub svgs: Vec<Arc<str>>,
    /// The current error, if the last rebuild failed.
    pub error: Option<String>,
    /// Steps, titles, sections, notes and timing of the last good build
    /// ([`crate::presentation::model`]).
    pub meta: Arc<serde_json::Value>,
}

pub struct Session {
    project: Project,
    output: PathBuf,
    page_hashes: Vec<u128>,
    /// 1-based pages of each slide in the last good build.
    slide_pages: Vec<Vec<usize>>,
    snapshot: Snapshot,
}

impl Session {
    pub fn open(options: &ProjectOptions, output: PathBuf) -> Result<Self, lectern_typst::Error> {
        Ok(Self {
            project: Project::open(options)?,
            output,
            page_hashes: Vec::new(),
            slide_pages: Vec::new(),
            snapshot: Snapshot::default(),
        })
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn project_mut(&mut self) -> &mut Project {
        &mut self.project
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Files outside `deck.md` changed (data, images, theme): drop cached copies.
    pub fn forget_files(&mut self) {
        self.project.forget_files();
    }

    /// [`Session::rebuild_with`] without a preview to notify.
    pub fn rebuild(&mut self, write_pdf: bool) -> Rebuild {
        self.rebuild_with(write_pdf, &mut |_, _| {})
    }

    /// Compiles, refreshes the preview's SVGs for changed slides, hands them to `on_preview`
    /// (with the changed slide numbers) and only then, if `write_pdf`, writes the PDF
    /// atomically, so the preview never waits for the PDF. When an edit changed only a few
    /// slides, those are laid out on their own first and reach `on_preview` before the whole
    /// deck is compiled; the whole deck then sends only what still differs. On failure the
    /// previous PDF and slides stay as they were and `on_preview` gets the snapshot carrying
    /// the error.
    pub fn rebuild_with(
        &mut self,
        write_pdf: bool,
        on_preview: &mut dyn FnMut(&Snapshot, &[usize]),
    ) -> Rebuild {
        let start = Instant::now();
        let Self {
            project,
            slide_pages,
            snapshot,
            ..
        } = self;
        // Pages the quick preview sent.
        let mut sent: Vec<usize> = Vec::new();
        let mut quick = |preview: QuickPreview| {
            // Only over a good build, and only if the slides keep their pages.
            if snapshot.error.is_some() {
                return;
            }
            let rendered = preview.document.pages();
            let mut pages = Vec::new();
            for (slide, own) in &preview.slides {
                match slide_pages.get(*slide) {
                    Some(old) if old.len() == own.len() => pages.extend(old.iter().zip(own)),
                    _ => return,
                }
            }
            if pages
                .iter()
                .any(|(page, own)| **page > snapshot.svgs.len() || **own > rendered.len())
            {
                return;
            }
            for (&page, &own) in pages {
                snapshot.svgs[page - 1] =
                    typst_svg::svg(&rendered[own - 1], &typst_svg::SvgOptions::default()).into();
                sent.push(page);
            }
            snapshot.version += 1;
            on_preview(snapshot, &sent);
        };
        let compiled = match project.compile_with(Some(&mut quick)) {
            Ok(compiled) => compiled,
            Err(failed) => {
                let diagnostics = self
                    .project
                    .render_report(&failed.diagnostics, false, false);
                self.snapshot.error = Some(diagnostics.clone());
                self.snapshot.version += 1;
                on_preview(&self.snapshot, &[]);
                return Rebuild {
                    outcome: Outcome::Failed { diagnostics },
                    compile: start.elapsed(),
                    preview: Duration::ZERO,
                    export: Duration::ZERO,
                    pdf_written: false,
                };
            }
        };
        let compile = start.elapsed();

        let preview_start = Instant::now();
        let pages = compiled.document.pages();
        let hashes: Vec<u128> = pages.iter().map(hash128).collect();
        let changed: Vec<usize> = (0..pages.len())
            .filter(|&i| self.page_hashes.get(i) != Some(&hashes[i]))
            .map(|i| i + 1)
            .collect();
        self.page_hashes = hashes;
        self.slide_pages = compiled.slide_pages.clone();
        let meta = crate::presentation::model(self.project.deck(), &compiled.slide_pages);
        // Notes and titles can change with no page changing: that is an update too.
        let meta_changed = *self.snapshot.meta != meta;
        if meta_changed {
            self.snapshot.meta = Arc::new(meta);
        }
        // When the quick preview sent every changed page, checking them against the whole
        // deck can wait until the PDF is out.
        let covered = !sent.is_empty() && changed.iter().all(|n| sent.contains(n));
        if !covered {
            self.refresh_preview(pages, &changed, meta_changed, on_preview);
        }
        let preview = preview_start.elapsed();

        let export_start = Instant::now();
        let mut pdf_written = false;
        let mut outcome_error = None;
        if write_pdf {
            match self.project.pdf(&compiled.document) {
                Ok(pdf) => match write_atomic(&self.output, &pdf) {
                    Ok(()) => pdf_written = true,
                    Err(err) => {
                        outcome_error = Some(format!(
                            "error: cannot write {}: {err}\n",
                            self.output.display()
                        ))
                    }
                },
                Err(failed) => {
                    outcome_error = Some(self.project.render_report(
                        &failed.diagnostics,
                        false,
                        false,
                    ))
                }
            }
        }
        let export = export_start.elapsed();
        if covered {
            self.refresh_preview(pages, &changed, meta_changed, on_preview);
        }
        self.project.evict();
        let outcome = match outcome_error {
            Some(diagnostics) => Outcome::Failed { diagnostics },
            None => Outcome::Built {
                changed,
                pages: pages.len(),
                warnings: self.project.render_report(&compiled.warnings, false, false),
            },
        };
        Rebuild {
            outcome,
            compile,
            preview,
            export,
            pdf_written,
        }
    }

    /// Draws the `changed` pages of a good build and sends those that differ from what the
    /// preview shows (pages the quick preview sent are usually identical), clearing any error.
    /// A changed presentation model (`meta_changed`) is sent even when no page differs.
    fn refresh_preview(
        &mut self,
        pages: &[typst_layout::Page],
        changed: &[usize],
        meta_changed: bool,
        on_preview: &mut dyn FnMut(&Snapshot, &[usize]),
    ) {
        let svgs = &mut self.snapshot.svgs;
        svgs.truncate(pages.len());
        let mut unsent = Vec::new();
        for &n in changed {
            let svg: Arc<str> =
                typst_svg::svg(&pages[n - 1], &typst_svg::SvgOptions::default()).into();
            match svgs.get_mut(n - 1) {
                Some(shown) if *shown == svg => {}
                Some(shown) => {
                    *shown = svg;
                    unsent.push(n);
                }
                None => {
                    svgs.push(svg);
                    unsent.push(n);
                }
            }
        }
        let had_error = self.snapshot.error.take().is_some();
        if !unsent.is_empty() || had_error || meta_changed {
            self.snapshot.version += 1;
            on_preview(&self.snapshot, &unsent);
        }
    }
}
