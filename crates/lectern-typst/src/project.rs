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

mod citations;
mod diagnostics;
mod export;
mod frontend;
mod markers;
mod phases;
mod preview;
mod themes;
mod typeset;

use diagnostics::{is_noise, title_range};
use phases::Phases;
use themes::default_theme_root;
pub use themes::{ThemeEntry, available_themes, find_themes_dir, theme_list};

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
    /// Leave out what shows each slide's place in the deck, its number and progress bar
    /// (`lectern diff`: an inserted slide then does not change every later slide).
    pub hide_positions: bool,
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
            hide_positions: false,
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

/// The name of the deck whose Markdown is `deck_file` (canonical): its folder's name for a
/// `deck.md`, else the file's stem.
pub fn deck_name(deck_file: &Path) -> String {
    let stem = deck_file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("deck");
    if stem == "deck" {
        deck_file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or("deck")
            .to_string()
    } else {
        stem.to_string()
    }
}

/// The deck's file for a deck argument: the file itself, or in a folder its `deck.md` (or,
/// without one, its `deck.ipynb`).
pub fn deck_file(deck: &Path) -> PathBuf {
    if deck.is_dir() {
        let markdown = deck.join("deck.md");
        let notebook = deck.join("deck.ipynb");
        if !markdown.is_file() && notebook.is_file() {
            notebook
        } else {
            markdown
        }
    } else {
        deck.to_path_buf()
    }
}

/// Whether `path` names a file that can be a deck on its own: Markdown or a notebook.
pub fn is_deck_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown" | "ipynb"))
}

/// What a build read from disk (see [`Project::inputs`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Real paths, with the bytes the compile read (`None`: looked for, not there): an edit
    /// saved while the deck was building is not mistaken for what was built.
    pub files: Vec<(PathBuf, Option<typst::foundations::Bytes>)>,
    /// The deck's Markdown (canonical): a manifest belongs to one deck.
    pub deck_file: PathBuf,
    /// Font folders: a font added to one changes the build.
    pub font_dirs: Vec<PathBuf>,
    /// The local themes folder found (or given).
    pub themes_dir: Option<PathBuf>,
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

impl Failed {
    /// This failure, after the warnings of earlier stages.
    fn after(mut self, earlier: &[Diagnostic]) -> Self {
        self.diagnostics.splice(0..0, earlier.iter().cloned());
        self
    }

    /// A failure if `diags` hold an error, else their output.
    fn check<T>(output: T, diags: Vec<Diagnostic>) -> Result<Warned<T>, Failed> {
        if lectern_deck::diag::has_errors(&diags) {
            Err(Failed { diagnostics: diags })
        } else {
            Ok(Warned {
                output,
                warnings: diags,
            })
        }
    }
}

/// A stage's output with the warnings it found (as Typst's `Warned`).
struct Warned<T> {
    output: T,
    warnings: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    /// The output; the warnings join `all`.
    fn into(self, all: &mut Vec<Diagnostic>) -> T {
        all.extend(self.warnings);
        self.output
    }
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

/// A notebook deck's JSON as last read, and what it converted to (`None`: it is not an
/// nbformat 4 notebook).
struct NotebookDeck {
    json: String,
    converted: Option<lectern_notebook::Converted>,
}

/// One deck and its World, reusable across compiles (watch mode keeps it alive).
pub struct Project {
    deck_file: PathBuf,
    deck_root: PathBuf,
    /// A local themes folder (found near the deck or given), which beats the built-in themes.
    themes_dir: Option<PathBuf>,
    strict: bool,
    hide_positions: bool,
    /// Every font folder, in the order searched (the deck's `fonts/` first).
    font_dirs: Vec<PathBuf>,
    /// What the generator must know about images and formulas (recomputed each compile;
    /// rejected formulas are remembered).
    assets: lectern_deck::generate::Assets,
    /// Typst's message for each rejected formula.
    rejected_why: HashMap<String, String>,
    theme_override: Option<String>,
    world: LecternWorld,
    markdown: String,
    /// A notebook deck: its JSON as last read and what it converted to (the Markdown above
    /// is that conversion's).
    notebook: Option<NotebookDeck>,
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
    /// Where the references went in `deck` (they are not in the Markdown).
    references_placed: lectern_deck::citations::Placed,
    citations: citations::CitationCache,
}

impl Project {
    pub fn open(options: &ProjectOptions) -> Result<Self, Error> {
        let deck_file = deck_file(&options.deck);
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
        let dirs: Vec<&Path> = font_dirs.iter().map(PathBuf::as_path).collect();
        let fonts =
            Arc::new(Fonts::load(&dirs).map_err(|e| Error::Io(deck_root.join("fonts"), e))?);
        let theme_root = default_theme_root(themes_dir.as_deref());
        Ok(Self {
            world: LecternWorld::new(fonts.clone(), deck_root.clone(), theme_root),
            fonts,
            fits: HashMap::new(),
            stale: None,
            parsed: false,
            parse_diags: Vec::new(),
            references_placed: Default::default(),
            citations: None,
            deck_file,
            deck_root,
            themes_dir,
            strict: options.strict,
            hide_positions: options.hide_positions,
            font_dirs,
            assets: Default::default(),
            rejected_why: HashMap::new(),
            theme_override: options.theme.clone(),
            markdown: String::new(),
            notebook: None,
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
        deck_name(&self.deck_file)
    }

    /// Text of a deck file for rendering diagnostics (the Markdown as last compiled; for a
    /// notebook, a cell's source, or the JSON when it could not be read as a notebook).
    pub fn source_text(&self, rel: &Path) -> Option<String> {
        if let Some(notebook) = &self.notebook {
            let name = PathBuf::from(self.md_name());
            match &notebook.converted {
                Some(converted) => {
                    if let Some(cell) = converted.cell_text(&name, rel) {
                        return Some(cell);
                    }
                }
                None if rel == name => return Some(notebook.json.clone()),
                None => {}
            }
        }
        if self.deck_root.join(rel) == self.deck_file {
            return Some(self.markdown.clone());
        }
        std::fs::read_to_string(self.deck_root.join(rel)).ok()
    }

    /// Diagnostics as shown: in a notebook deck, those located in the Markdown it became
    /// are located in their cells instead (`lecture.ipynb: cell 14`).
    pub fn located<'a>(&self, diags: &'a [Diagnostic]) -> Cow<'a, [Diagnostic]> {
        match self.notebook.as_ref().and_then(|n| n.converted.as_ref()) {
            Some(converted) => Cow::Owned(converted.relocate(Path::new(&self.md_name()), diags)),
            None => Cow::Borrowed(diags),
        }
    }

    /// Renders diagnostics with snippets; paths are shown relative to `display_root`.
    pub fn render_diagnostics(&self, diags: &[Diagnostic], color: bool) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown_root = self.deck_root.strip_prefix(&cwd).unwrap_or(&self.deck_root);
        lectern_deck::diag::render(&self.located(diags), shown_root, color, &|rel| {
            self.source_text(rel)
        })
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
            &self.located(&sorted),
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

    /// The plugin figures the last compile drew, in deck order.
    pub fn figures(&self) -> &[crate::blocks::Drawn] {
        self.figures.drawn()
    }

    /// Every file the last compile read or looked for, for a build manifest: the Markdown,
    /// the files the World was asked for (found or not: a missing image that appears later
    /// matters), and the font folders. Built-in themes and fonts are part of the binary.
    pub fn inputs(&self) -> Inputs {
        let read = match &self.notebook {
            Some(notebook) => notebook.json.clone(),
            None => self.markdown.clone(),
        };
        let mut files = vec![(
            self.deck_file.clone(),
            Some(typst::foundations::Bytes::from_string(read)),
        )];
        files.extend(self.world.disk_reads());
        // Where the theme was looked for: a local theme made later under that name wins.
        if let Some(dir) = &self.themes_dir {
            let named = self.theme_override.clone().or(self.deck.meta.theme.clone());
            for name in named.iter().map(String::as_str).chain([DEFAULT_THEME]) {
                let path = dir.join(name).join("theme.typ");
                let bytes = std::fs::read(&path)
                    .ok()
                    .map(typst::foundations::Bytes::new);
                files.push((path, bytes));
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        Inputs {
            files,
            deck_file: self.deck_file.clone(),
            font_dirs: self.font_dirs.clone(),
            themes_dir: self.themes_dir.clone(),
        }
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

    /// One attempt of [`Project::compile_with`]: the stages in order, each returning its
    /// output with the warnings it found (or failing with them).
    fn compile_once(
        &mut self,
        quick: Option<&mut dyn FnMut(QuickPreview)>,
    ) -> Result<Compiled, Attempt> {
        let start = Instant::now();
        let mut phases = Phases::new();
        let mut warnings = Vec::new();
        let generated = self.frontend(&mut phases)?.into(&mut warnings);
        let files = self
            .draw_blocks(&generated)
            .map_err(|f| f.after(&warnings))?
            .into(&mut warnings);
        phases.mark("blocks");
        self.stale = Some(std::mem::replace(&mut self.generated, generated));
        let typeset = match self.typeset(&files, quick, &mut phases) {
            Ok(typeset) => typeset.into(&mut warnings),
            Err(Attempt::Failed(failed)) => return Err(failed.after(&warnings).into()),
            Err(retry) => return Err(retry),
        };
        let slide_pages = self
            .check(&typeset)
            .map_err(|f| f.after(&warnings))?
            .into(&mut warnings);
        phases.mark("check");
        phases.report();
        Ok(Compiled {
            slides: self.deck.slides.len(),
            fitted: typeset.fitted(),
            document: typeset.document,
            warnings,
            changed_slides: typeset.changed_slides,
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

    fn md_name(&self) -> String {
        self.deck_file
            .strip_prefix(&self.deck_root)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "deck.md".to_string())
    }
}
