//! A deck on disk, compiled through one long-lived World: read Markdown, generate Typst,
//! compile, check every slide fits its page, export.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lectern_deck::generate::{GeneratedSource, RawSource};
use lectern_deck::{Deck, Diagnostic, Generated, Severity};
use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::FileId;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::Error;
use crate::charts::{ChartCache, render_charts};
use crate::fonts::Fonts;
use crate::world::LecternWorld;

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
}

/// A failed compile: located errors (and any warnings found before them).
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

/// One deck and its World, reusable across compiles (watch mode keeps it alive).
pub struct Project {
    deck_file: PathBuf,
    deck_root: PathBuf,
    themes_dir: PathBuf,
    theme_override: Option<String>,
    world: LecternWorld,
    markdown: String,
    generated: Generated,
    deck: Deck,
    charts: ChartCache,
    fonts: Arc<Fonts>,
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
            Some(dir) => dir.clone(),
            None => {
                find_themes_dir(&deck_root).ok_or_else(|| Error::NoThemes(deck_root.clone()))?
            }
        };
        let themes_dir = themes_dir
            .canonicalize()
            .map_err(|e| Error::Io(themes_dir.clone(), e))?;
        let fonts = Arc::new(
            Fonts::load(&[&themes_dir.join("fonts")])
                .map_err(|e| Error::Io(themes_dir.join("fonts"), e))?,
        );
        let theme_root = themes_dir.join(DEFAULT_THEME);
        Ok(Self {
            world: LecternWorld::new(fonts.clone(), deck_root.clone(), theme_root),
            fonts,
            deck_file,
            deck_root,
            themes_dir,
            theme_override: options.theme.clone(),
            markdown: String::new(),
            generated: Generated {
                main: String::new(),
                slides: Vec::new(),
                raws: Vec::new(),
                charts: Vec::new(),
            },
            deck: Deck::default(),
            charts: ChartCache::default(),
        })
    }

    pub fn deck_file(&self) -> &Path {
        &self.deck_file
    }

    pub fn deck_root(&self) -> &Path {
        &self.deck_root
    }

    pub fn themes_dir(&self) -> &Path {
        &self.themes_dir
    }

    /// The theme folder in use (after the last compile).
    pub fn theme_root(&self) -> &Path {
        self.world.theme_root()
    }

    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    pub fn world(&self) -> &LecternWorld {
        &self.world
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

    /// Drops cached disk files (after an edit to data, images or the theme).
    pub fn forget_files(&mut self) {
        self.world.forget_files();
        self.charts.clear();
    }

    /// Reads the Markdown, regenerates and compiles. Errors are located in the deck's files.
    pub fn compile(&mut self) -> Result<Compiled, Failed> {
        let start = Instant::now();
        let markdown = std::fs::read_to_string(&self.deck_file).map_err(|e| Failed {
            diagnostics: vec![Diagnostic::error(
                self.md_name(),
                0..0,
                format!("cannot read the deck: {e}"),
            )],
        })?;
        self.markdown = markdown;
        let md_name = self.md_name();
        let mut phases = Phases::new();
        let (deck, mut diags) = lectern_deck::parse(&self.markdown, &md_name);
        phases.mark("parse");
        self.select_theme(&deck, &mut diags);
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags });
        }
        let generated = lectern_deck::generate(&deck);
        phases.mark("generate");
        let chart_files = render_charts(
            &generated.charts,
            &self.markdown,
            &self.world,
            &self.fonts,
            &mut self.charts,
            &md_name,
            &mut diags,
        );
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags });
        }

        let mut texts = vec![(
            lectern_deck::generate::MAIN_PATH.to_string(),
            generated.main.clone(),
        )];
        texts.extend(
            generated
                .slides
                .iter()
                .map(|s| (s.path.clone(), s.text.clone())),
        );
        texts.extend(
            generated
                .raws
                .iter()
                .map(|r| (r.path.clone(), r.text.clone())),
        );
        let mut binaries = Vec::new();
        for file in chart_files {
            match file.bytes {
                Some(bytes) => binaries.push((file.path, bytes)),
                None => texts.push((file.path, file.text)),
            }
        }
        phases.mark("charts");
        let changed = self.world.set_sources(texts, binaries);
        phases.mark("sources");
        let changed_slides = generated
            .slides
            .iter()
            .enumerate()
            .filter(|(_, s)| changed.contains(&s.path))
            .map(|(i, _)| i + 1)
            .collect();
        self.generated = generated;
        self.deck = deck;

        let result = typst::compile::<PagedDocument>(&self.world);
        phases.mark("typst");
        for warning in &result.warnings {
            if !is_noise(warning) {
                diags.push(self.to_markdown(warning));
            }
        }
        let document = match result.output {
            Ok(document) => document,
            Err(errors) => {
                diags.extend(errors.iter().map(|e| self.to_markdown(e)));
                return Err(Failed { diagnostics: diags });
            }
        };
        let fitted = self.check_pages(&document, &mut diags);
        phases.mark("check");
        phases.report();
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags });
        }
        Ok(Compiled {
            slides: self.deck.slides.len(),
            document,
            warnings: diags,
            fitted,
            changed_slides,
            compile_time: start.elapsed(),
        })
    }

    /// Drops Typst's cache entries unused for a few compiles. Long-lived sessions call this
    /// after each rebuild's outputs are out, so it does not delay them.
    pub fn evict(&self) {
        comemo::evict(10);
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

    /// Command line beats front matter beats the default; an unknown theme is an error.
    fn select_theme(&mut self, deck: &Deck, diags: &mut Vec<Diagnostic>) {
        let (name, from_front_matter) = match (&self.theme_override, &deck.meta.theme) {
            (Some(name), _) => (name.clone(), false),
            (None, Some(name)) => (name.clone(), true),
            (None, None) => (DEFAULT_THEME.to_string(), false),
        };
        let root = self.themes_dir.join(&name);
        let valid = !name.contains(['/', '\\']) && name != ".." && root.join("theme.typ").is_file();
        if !valid {
            let available = available_themes(&self.themes_dir).join(", ");
            let range = if from_front_matter {
                let at = self.markdown.find("theme:").unwrap_or(0);
                at..self.markdown[at..]
                    .find('\n')
                    .map_or(self.markdown.len(), |i| at + i)
            } else {
                0..0
            };
            diags.push(
                Diagnostic::error(self.md_name(), range, format!("unknown theme `{name}`"))
                    .with_hint(format!(
                        "themes in {}: {available}",
                        self.themes_dir.display()
                    )),
            );
            return;
        }
        self.world.set_theme_root(root);
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
        if let Some(chart) = self.generated.charts.iter().find(|c| c.typst_path == path) {
            return Some((md, chart.block_range.clone()));
        }
        if path == lectern_deck::generate::MAIN_PATH {
            return Some((md, 0..0));
        }
        None
    }

    /// Checks that each slide is exactly one page; reports slides that could not be fitted.
    fn check_pages(
        &self,
        document: &PagedDocument,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, f64)> {
        let introspector = document.introspector();
        let md = self.md_name();
        let query = |name: &str| {
            let label = Label::new(PicoStr::intern(name)).expect("valid label");
            introspector.query(&Selector::Label(label))
        };
        let slides = &self.deck.slides;
        let mut first_page = vec![None; slides.len()];
        for content in query("lectern-slide") {
            let Some(meta) = content.to_packed::<MetadataElem>() else {
                continue;
            };
            let Some(index) = dict_int(&meta.value, "index") else {
                continue;
            };
            let page = content
                .location()
                .and_then(|loc| introspector.page(loc))
                .map(|p| p.get());
            if let Some(slot) = first_page.get_mut(index.saturating_sub(1)) {
                *slot = page;
            }
        }
        let total_pages = document.pages().len();
        for (i, slide) in slides.iter().enumerate() {
            let Some(start) = first_page[i] else {
                diags.push(Diagnostic::error(
                    &md,
                    title_range(slide),
                    "slide produced no page (does the theme place its marker?)",
                ));
                continue;
            };
            let next = first_page[i + 1..]
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(total_pages + 1);
            if next > start + 1 {
                diags.push(
                    Diagnostic::error(&md, title_range(slide), format!("slide {} spills onto {} extra page(s)", i + 1, next - start - 1))
                        .with_hint("a raw Typst block probably forces a page break or is taller than the slide"),
                );
            }
        }
        for content in query("lectern-overflow") {
            let Some(meta) = content.to_packed::<MetadataElem>() else {
                continue;
            };
            let (Some(index), Some(over)) = (
                dict_int(&meta.value, "index"),
                dict_float(&meta.value, "overflow"),
            ) else {
                continue;
            };
            if let Some(slide) = slides.get(index.saturating_sub(1)) {
                diags.push(
                    Diagnostic::warning(&md, title_range(slide), format!(
                        "slide {index} does not fit even with its text shrunk to the readable floor: {over:.0} pt ({:.0} mm) too tall; the bottom is cut off",
                        over * 25.4 / 72.0
                    ))
                    .with_hint("split the slide (a `---` line or a new heading) or shorten it"),
                );
            }
        }
        let mut fitted = Vec::new();
        for content in query("lectern-fit") {
            let Some(meta) = content.to_packed::<MetadataElem>() else {
                continue;
            };
            if let (Some(index), Some(scale)) = (
                dict_int(&meta.value, "index"),
                dict_float(&meta.value, "scale"),
            ) {
                fitted.push((index, scale));
            }
        }
        fitted
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

fn dict_int(value: &Value, key: &str) -> Option<usize> {
    match value {
        Value::Dict(dict) => match dict.get(key).ok()? {
            Value::Int(i) => usize::try_from(*i).ok(),
            _ => None,
        },
        _ => None,
    }
}

fn dict_float(value: &Value, key: &str) -> Option<f64> {
    match value {
        Value::Dict(dict) => match dict.get(key).ok()? {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        },
        _ => None,
    }
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
        .find(|dir| dir.join(DEFAULT_THEME).is_dir() || dir.join("fonts").is_dir())
}

/// Theme names in a themes folder.
pub fn available_themes(themes_dir: &Path) -> Vec<String> {
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
