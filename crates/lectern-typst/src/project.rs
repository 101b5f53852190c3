//! A deck on disk, compiled through one long-lived World: read Markdown, generate Typst,
//! compile, check every slide fits its page, export.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lectern_deck::generate::{GeneratedSource, RawSource};
use lectern_deck::{Deck, Diagnostic, Generated, Severity};
use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst::foundations::Smart;
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use crate::Error;
use crate::blocks::{BlockCache, Host};
use crate::fit::{Fit, MAX_FIT_PASSES, marked_slides, measure_slides, slide_pages};
use crate::fonts::Fonts;
use crate::world::{LecternWorld, ThemeRoot};

/// The theme used when neither the command line nor the front matter names one.
pub const DEFAULT_THEME: &str = "aula";

/// Where a deck lives and how to build it.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    /// The deck's Markdown file or its folder (holding `deck.md`).
    pub deck: PathBuf,
    /// Folder holding the themes; by default the nearest `themes/` above the deck.
    pub themes_dir: Option<PathBuf>,
    /// Theme name overriding the front matter's.
    pub theme: Option<String>,
    /// Extra font folders (`--font-path`), after the deck's own `fonts/`.
    pub font_paths: Vec<PathBuf>,
    /// Warnings are errors (`--strict`): a deck with any warning fails.
    pub strict: bool,
    /// The plugins that draw fenced blocks (```` ```chart ````); registered by the CLI.
    pub blocks: lectern_block::Registry,
}

impl ProjectOptions {
    /// Options for the deck at `deck` with every setting at its default.
    pub fn new(deck: impl Into<PathBuf>) -> Self {
        Self {
            deck: deck.into(),
            themes_dir: None,
            theme: None,
            font_paths: Vec::new(),
            strict: false,
            blocks: lectern_block::Registry::new(),
        }
    }
}

/// A successful compile.
pub struct Compiled {
    pub document: PagedDocument,
    /// Warnings (Markdown, data, Typst, fitting), located in the deck's files.
    pub warnings: Vec<Diagnostic>,
    pub slides: usize,
    /// Slides whose text had to shrink (index, scale) or that use the side-by-side layout.
    pub fitted: Vec<(usize, f64)>,
    /// Generated slide files whose text changed since the previous compile (1-based slides).
    pub changed_slides: Vec<usize>,
    pub compile_time: Duration,
    /// 1-based pages of each slide: one per overlay step (usually one).
    pub slide_pages: Vec<Vec<usize>>,
}

/// The slides an edit changed, laid out on their own before the whole deck (see
/// [`Project::compile_with`]).
pub struct QuickPreview<'a> {
    pub document: &'a PagedDocument,
    /// Each changed slide (0-based) with its 1-based pages in `document`.
    pub slides: Vec<(usize, Vec<usize>)>,
}

/// Slides changed by an edit at most for which a quick preview is made first.
const QUICK_PREVIEW_SLIDES: usize = 4;
/// Virtual path of the quick preview's main file.
const PREVIEW_PATH: &str = "/__lectern/preview.typ";

/// A failed compile: located errors (and any warnings found before them).
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

/// How one compile attempt ended without a document.
enum Attempt {
    /// Typst rejected converted formulas, which are now shown as LaTeX: try again.
    Retry,
    Failed(Failed),
}

impl From<Failed> for Attempt {
    fn from(failed: Failed) -> Self {
        Attempt::Failed(failed)
    }
}

/// Compile attempts at most (each after the first shows more formulas as LaTeX source).
const MAX_ATTEMPTS: usize = 8;

/// One deck and its World, reusable across compiles (watch mode keeps it alive).
pub struct Project {
    deck_file: PathBuf,
    deck_root: PathBuf,
    /// A local themes folder (found near the deck or given), which beats the built-in themes.
    themes_dir: Option<PathBuf>,
    strict: bool,
    /// What the generator must know about images and formulas (recomputed each compile;
    /// rejected formulas are remembered).
    assets: lectern_deck::generate::Assets,
    /// Typst's message for each rejected formula.
    rejected_why: HashMap<String, String>,
    theme_override: Option<String>,
    world: LecternWorld,
    markdown: String,
    generated: Generated,
    deck: Deck,
    /// Plugins, and the fence kinds they draw (what the parser needs of them).
    registry: lectern_block::Registry,
    kinds: Vec<String>,
    figures: BlockCache,
    /// Generated slides by their Markdown and context, reused across compiles.
    generate_cache: lectern_deck::generate::GenerateCache,
    fonts: Arc<Fonts>,
    /// Fits chosen last time, by hash of the slide's generated text.
    fits: HashMap<u64, Fit>,
    /// The previous compile's sources, dropped in [`Project::evict`] rather than while a
    /// rebuild is waited for (freeing a large deck's sources takes a while).
    stale: Option<Generated>,
    /// True once `deck` and `parse_diags` hold the parse of `markdown`.
    parsed: bool,
    parse_diags: Vec<Diagnostic>,
}

impl Project {
    pub fn open(options: &ProjectOptions) -> Result<Self, Error> {
        let deck_file = if options.deck.is_dir() {
            options.deck.join("deck.md")
        } else {
            options.deck.clone()
        };
        if !deck_file.is_file() {
            return Err(Error::NoDeck(deck_file));
        }
        let deck_file = deck_file
            .canonicalize()
            .map_err(|e| Error::Io(deck_file.clone(), e))?;
        let deck_root = deck_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let themes_dir = match &options.themes_dir {
            Some(dir) => Some(dir.canonicalize().map_err(|e| Error::Io(dir.clone(), e))?),
            None => find_themes_dir(&deck_root),
        };
        for dir in &options.font_paths {
            if !dir.is_dir() {
                return Err(Error::Io(
                    dir.clone(),
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such font folder"),
                ));
            }
        }
        let mut font_dirs: Vec<PathBuf> = vec![deck_root.join("fonts")];
        font_dirs.extend(options.font_paths.iter().cloned());
        font_dirs.extend(themes_dir.iter().map(|dir| dir.join("fonts")));
        let font_dirs: Vec<&Path> = font_dirs.iter().map(PathBuf::as_path).collect();
        let fonts =
            Arc::new(Fonts::load(&font_dirs).map_err(|e| Error::Io(deck_root.join("fonts"), e))?);
        let theme_root = default_theme_root(themes_dir.as_deref());
        Ok(Self {
            world: LecternWorld::new(fonts.clone(), deck_root.clone(), theme_root),
            fonts,
            fits: HashMap::new(),
            stale: None,
            parsed: false,
            parse_diags: Vec::new(),
            deck_file,
            deck_root,
            themes_dir,
            strict: options.strict,
            assets: Default::default(),
            rejected_why: HashMap::new(),
            theme_override: options.theme.clone(),
            markdown: String::new(),
            generated: Generated {
                main: String::new(),
                info: String::new(),
                slides: Vec::new(),
                raws: Vec::new(),
                blocks: Vec::new(),
            },
            deck: Deck::default(),
            kinds: options.blocks.kinds(),
            registry: options.blocks.clone(),
            figures: BlockCache::default(),
            generate_cache: Default::default(),
        })
    }

    pub fn deck_file(&self) -> &Path {
        &self.deck_file
    }

    pub fn deck_root(&self) -> &Path {
        &self.deck_root
    }

    /// The theme in use (after the last compile).
    pub fn theme_root(&self) -> &crate::world::ThemeRoot {
        self.world.theme_root()
    }

    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    /// The deck name: its folder's name, or the Markdown file's stem for a loose file.
    pub fn name(&self) -> String {
        let stem = self
            .deck_file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("deck");
        if stem == "deck" {
            self.deck_root
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or("deck")
                .to_string()
        } else {
            stem.to_string()
        }
    }

    /// Text of a deck file for rendering diagnostics (the Markdown as last compiled).
    pub fn source_text(&self, rel: &Path) -> Option<String> {
        if self.deck_root.join(rel) == self.deck_file {
            return Some(self.markdown.clone());
        }
        std::fs::read_to_string(self.deck_root.join(rel)).ok()
    }

    /// Renders diagnostics with snippets; paths are shown relative to `display_root`.
    pub fn render_diagnostics(&self, diags: &[Diagnostic], color: bool) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown_root = self.deck_root.strip_prefix(&cwd).unwrap_or(&self.deck_root);
        lectern_deck::diag::render(diags, shown_root, color, &|rel| self.source_text(rel))
    }

    /// Renders diagnostics for the terminal: at most a few of each kind in full (all of them
    /// with `all`), then a summary line such as `14 warnings (9 raw HTML, 3 images, 2 math)`.
    pub fn render_report(&self, diags: &[Diagnostic], color: bool, all: bool) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown_root = self.deck_root.strip_prefix(&cwd).unwrap_or(&self.deck_root);
        let limit = (!all).then_some(lectern_deck::diag::SHOWN_PER_KIND);
        // In file order, whichever stage found them.
        let mut sorted = diags.to_vec();
        sorted.sort_by(|a, b| (&a.file, a.range.start).cmp(&(&b.file, b.range.start)));
        let mut out = lectern_deck::diag::render_grouped(
            &sorted,
            shown_root,
            color,
            &|rel| self.source_text(rel),
            limit,
        );
        if diags.len() > 1
            && let Some(summary) = lectern_deck::diag::summary(diags)
        {
            out.push_str(&format!("{}: {summary}\n", self.name()));
        }
        out
    }

    /// How many plugin figures are cached (the current deck's, at most).
    pub fn cached_figures(&self) -> usize {
        self.figures.len()
    }

    /// Drops cached disk files (after an edit to data, images or the theme).
    pub fn forget_files(&mut self) {
        self.world.forget_files();
        self.figures.clear();
    }

    /// Reads the Markdown, regenerates and compiles. Errors are located in the deck's files.
    pub fn compile(&mut self) -> Result<Compiled, Failed> {
        self.compile_with(None)
    }

    /// [`Project::compile`], first laying out the slides an edit changed on their own (when
    /// only a few changed and the rest of the deck did not) and handing them to `quick`. That
    /// costs the same for any deck size, whereas the whole deck costs Typst time per page; the
    /// fits found for those slides carry over to the whole deck.
    pub fn compile_with(
        &mut self,
        mut quick: Option<&mut dyn FnMut(QuickPreview)>,
    ) -> Result<Compiled, Failed> {
        let start = Instant::now();
        // A formula Typst rejects is shown as its LaTeX source on the next attempt.
        let mut attempts = 0;
        let result = loop {
            attempts += 1;
            let quick = quick
                .as_mut()
                .map(|q| &mut **q as &mut dyn FnMut(QuickPreview));
            match self.compile_once(quick) {
                Err(Attempt::Retry) if attempts < MAX_ATTEMPTS => continue,
                Err(Attempt::Retry) => {
                    break Err(Failed {
                        diagnostics: vec![Diagnostic::error(
                            self.md_name(),
                            0..0,
                            "Typst kept rejecting formulas; giving up",
                        )],
                    });
                }
                Err(Attempt::Failed(failed)) => break Err(failed),
                Ok(compiled) => break Ok(compiled),
            }
        };
        let mut compiled = result?;
        compiled.compile_time = start.elapsed();
        if self.strict && !compiled.warnings.is_empty() {
            let mut diagnostics = compiled.warnings;
            for diag in &mut diagnostics {
                diag.severity = Severity::Error;
            }
            return Err(Failed { diagnostics });
        }
        Ok(compiled)
    }

    /// One attempt of [`Project::compile_with`].
    fn compile_once(
        &mut self,
        mut quick: Option<&mut dyn FnMut(QuickPreview)>,
    ) -> Result<Compiled, Attempt> {
        let start = Instant::now();
        let markdown = std::fs::read_to_string(&self.deck_file).map_err(|e| Failed {
            diagnostics: vec![Diagnostic::error(
                self.md_name(),
                0..0,
                format!("cannot read the deck: {e}"),
            )],
        })?;
        let previous = std::mem::replace(&mut self.markdown, markdown);
        let md_name = self.md_name();
        let mut phases = Phases::new();
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
            return Err(Failed { diagnostics: diags }.into());
        }
        self.assets.images = crate::assets::check_images(
            &self.deck,
            &self.markdown,
            &md_name,
            &self.world,
            &mut diags,
        );
        self.warn_rejected_math(&mut diags);
        let generated = lectern_deck::generate::generate_cached(
            &self.deck,
            &self.assets,
            &self.markdown,
            &mut self.generate_cache,
        );
        phases.mark("generate");
        let host = Host {
            registry: &self.registry,
            world: &self.world,
            fonts: &self.fonts,
            markdown: &self.markdown,
            md_name: &md_name,
        };
        let block_files = host.render(&generated.blocks, &mut self.figures, &mut diags);
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags }.into());
        }

        let mut binaries = Vec::new();
        let mut block_texts = Vec::new();
        for file in block_files {
            match file.bytes {
                Some(bytes) => binaries.push((file.path, bytes)),
                None => block_texts.push((file.path, file.text)),
            }
        }
        phases.mark("blocks");
        self.stale = Some(std::mem::replace(&mut self.generated, generated));

        // Fitting: every slide is laid out once at full size; the theme's markers give each
        // body's real height. Slides that are too tall get a smaller text scale (estimated from
        // that height) or the side-by-side arrangement and are recompiled: only they change,
        // so later passes are incremental. Choices are remembered per slide text.
        let keys: Vec<u64> = self.generated.slides.iter().map(|s| s.text_hash).collect();
        let mut fits: Vec<Fit> = keys
            .iter()
            .map(|k| self.fits.get(k).copied().unwrap_or_default())
            .collect();
        let mut overflows: Vec<Option<f64>> = vec![None; fits.len()];
        let mut changed_slides = None;
        let mut passes = 0;
        let (document, warnings) = loop {
            passes += 1;
            let mut texts: Vec<(&str, Cow<str>)> = vec![
                (
                    lectern_deck::generate::MAIN_PATH,
                    Cow::Borrowed(&self.generated.main),
                ),
                (
                    lectern_deck::generate::INFO_PATH,
                    Cow::Borrowed(&self.generated.info),
                ),
            ];
            for (slide, fit) in self.generated.slides.iter().zip(&fits) {
                texts.push((&slide.path, fit.apply(&slide.text)));
            }
            texts.extend(
                self.generated
                    .raws
                    .iter()
                    .map(|r| (r.path.as_str(), Cow::Borrowed(r.text.as_str()))),
            );
            texts.extend(
                block_texts
                    .iter()
                    .map(|(path, text)| (path.as_str(), Cow::Borrowed(text.as_str()))),
            );
            let changed = self.world.set_sources(texts, binaries.iter().cloned());
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
                    diags.extend(
                        result
                            .warnings
                            .iter()
                            .filter(|w| !is_noise(w))
                            .map(|w| self.to_markdown(w)),
                    );
                    diags.extend(errors.iter().map(|e| self.to_markdown(e)));
                    return Err(Failed { diagnostics: diags }.into());
                }
            };
            let mut adjusted = false;
            for (i, m) in measure_slides(&document, fits.len())
                .into_iter()
                .enumerate()
            {
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
        for warning in &warnings {
            if !is_noise(warning) {
                diags.push(self.to_markdown(warning));
            }
        }
        let slide_pages = self.check_pages(&document, &mut diags);
        crate::assets::check_glyphs(
            &self.deck,
            &self.markdown,
            &md_name,
            &document,
            &slide_pages,
            &mut diags,
        );
        let md = self.md_name();
        self.check_cuts(&document, &mut diags);
        for (i, over) in overflows.iter().enumerate() {
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
        let fitted = fits
            .iter()
            .enumerate()
            .filter(|(_, f)| **f != Fit::default())
            .map(|(i, f)| (i + 1, f.scale))
            .collect();
        phases.mark("check");
        phases.report();
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags }.into());
        }
        Ok(Compiled {
            slides: self.deck.slides.len(),
            document,
            warnings: diags,
            fitted,
            changed_slides: changed_slides.unwrap_or_default(),
            slide_pages,
            compile_time: start.elapsed(),
        })
    }

    /// Drops Typst's cache entries unused for a few compiles. Long-lived sessions call this
    /// after each rebuild's outputs are out, so it does not delay them.
    pub fn evict(&mut self) {
        comemo::evict(10);
        self.stale = None;
    }

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
        self.world.set_main(HANDOUT_PATH);
        let result = typst::compile::<PagedDocument>(&self.world);
        self.world.set_main(lectern_deck::generate::MAIN_PATH);
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

    fn md_name(&self) -> String {
        self.deck_file
            .strip_prefix(&self.deck_root)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "deck.md".to_string())
    }

    /// Command line beats front matter beats the default; a local theme beats a built-in one
    /// of the same name; an unknown theme is a warning, and the default theme is used.
    fn select_theme(&mut self, front_matter_theme: Option<String>, diags: &mut Vec<Diagnostic>) {
        let (name, from_front_matter) = match (&self.theme_override, &front_matter_theme) {
            (Some(name), _) => (name.clone(), false),
            (None, Some(name)) => (name.clone(), true),
            (None, None) => (DEFAULT_THEME.to_string(), false),
        };
        let root = find_theme(self.themes_dir.as_deref(), &name);
        if root.is_none() {
            let available = available_themes(self.themes_dir.as_deref()).join(", ");
            let range = if from_front_matter {
                let at = self.markdown.find("theme:").unwrap_or(0);
                at..self.markdown[at..]
                    .find('\n')
                    .map_or(self.markdown.len(), |i| at + i)
            } else {
                0..0
            };
            diags.push(
                Diagnostic::warning(
                    self.md_name(),
                    range,
                    format!("unknown theme `{name}`; using the default theme `{DEFAULT_THEME}`"),
                )
                .with_kind(lectern_deck::diag::Kind::Theme)
                .with_hint(format!("themes: {available}")),
            );
        }
        let root = root.unwrap_or_else(|| default_theme_root(self.themes_dir.as_deref()));
        self.world.set_theme_root(root);
    }

    /// Records the converted formulas that Typst's `errors` point into, so the next attempt
    /// shows them as LaTeX source; true if there was a new one.
    fn reject_math(&mut self, errors: &[SourceDiagnostic]) -> bool {
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
    fn warn_rejected_math(&self, diags: &mut Vec<Diagnostic>) {
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
    fn to_markdown(&self, diag: &SourceDiagnostic) -> Diagnostic {
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
    fn locate(
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

    /// Lays out just the slides in `changed` (generated paths) in a document of their own, with
    /// fitting, and hands it to `quick`; does nothing unless only a few slides changed and
    /// nothing else (main file, deck facts) did. Fits found are kept in `fits` and in the
    /// World's sources for the whole-deck pass.
    fn quick_preview(
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
        self.world.set_main(PREVIEW_PATH);
        for _ in 0..MAX_FIT_PASSES {
            let Ok(document) = typst::compile::<PagedDocument>(&self.world).output else {
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
                    let slide = &self.generated.slides[index];
                    refits.push((slide.path.clone(), next.apply(&slide.text).into_owned()));
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
        self.world.set_main(lectern_deck::generate::MAIN_PATH);
    }

    /// Warns about the slides the theme had to cut: titles too long even at their smallest
    /// size, title and section slides taller than the page.
    fn check_cuts(&self, document: &PagedDocument, diags: &mut Vec<Diagnostic>) {
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
    fn check_pages(
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

fn slide_markdown(slide: &GeneratedSource, offset: usize) -> std::ops::Range<usize> {
    slide.to_markdown(offset)
}

fn raw_markdown(raw: &RawSource, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    raw.to_markdown(range)
}

/// The heading line of a slide (or its first line), where slide-level diagnostics point.
fn title_range(slide: &lectern_deck::Slide) -> std::ops::Range<usize> {
    slide.range.start..slide.range.start
}

/// Typst warnings that say nothing about the lecturer's input.
fn is_noise(_diag: &SourceDiagnostic) -> bool {
    false
}

/// The nearest `themes/` folder at or above `start` (with at least one theme in it).
pub fn find_themes_dir(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("themes"))
        .find(|dir| !local_themes(dir).is_empty())
}

/// The theme called `name`: in the local themes folder, else built in.
fn find_theme(themes_dir: Option<&Path>, name: &str) -> Option<ThemeRoot> {
    let valid = !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != ".";
    if !valid {
        return None;
    }
    if let Some(dir) = themes_dir
        && dir.join(name).join("theme.typ").is_file()
        && let Ok(root) = dir.join(name).canonicalize()
    {
        return Some(ThemeRoot::Disk(root));
    }
    crate::builtin::theme(name).map(ThemeRoot::Builtin)
}

/// The default theme: a local `aula` if there is one, else the built-in one.
fn default_theme_root(themes_dir: Option<&Path>) -> ThemeRoot {
    find_theme(themes_dir, DEFAULT_THEME).unwrap_or(ThemeRoot::Builtin(&crate::builtin::THEMES[0]))
}

/// Theme names in a local themes folder.
fn local_themes(themes_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(themes_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("theme.typ").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Theme names available to a deck: the local ones, then the built-in ones not overridden.
pub fn available_themes(themes_dir: Option<&Path>) -> Vec<String> {
    let mut names = themes_dir.map(local_themes).unwrap_or_default();
    for theme in crate::builtin::THEMES {
        if !names.iter().any(|n| n == theme.name) {
            names.push(theme.name.to_string());
        }
    }
    names
}

/// Time per compile phase, printed to stderr when `LECTERN_TIMINGS` is set (for profiling).
struct Phases {
    enabled: bool,
    last: Instant,
    marks: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn new() -> Self {
        Self {
            enabled: std::env::var_os("LECTERN_TIMINGS").is_some(),
            last: Instant::now(),
            marks: Vec::new(),
        }
    }

    fn mark(&mut self, phase: &'static str) {
        if self.enabled {
            self.marks.push((phase, self.last.elapsed()));
            self.last = Instant::now();
        }
    }

    fn report(&self) {
        if self.enabled {
            let parts: Vec<String> = self
                .marks
                .iter()
                .map(|(p, d)| format!("{p} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("timings: {}", parts.join(" · "));
        }
    }
}
