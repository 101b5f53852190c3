//! `lectern`: the command line. A thin layer over `lectern-typst` and `lectern-live` that does
//! the file IO and terminal output.

mod course;
mod diff;
mod import;
mod manifest;
mod present;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use lectern_deck::handout::HandoutOptions;
use lectern_typst::output::write_atomic;
use lectern_typst::{Project, ProjectOptions};

#[derive(Parser)]
#[command(
    name = "lectern",
    version,
    about = "Markdown lectures to beautiful PDF slides, through embedded Typst"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a deck (a folder holding deck.md, a .md file, or a Jupyter notebook) into a 16:9
    /// PDF, or every deck in a course folder (a folder of deck folders).
    Build(BuildArgs),
    /// Rebuild a deck on every change, with a live preview in the browser.
    Watch(WatchArgs),
    /// Present from the browser: an audience view and a presenter console (notes, next slide,
    /// timer) that follow every edit. Writes no PDF unless -o is given.
    Present(present::PresentArgs),
    /// Write slide images (PNG or SVG), or one HTML file that presents offline (--format html).
    Export(ExportArgs),
    /// Show what changed between two revisions of a deck in git, slide by slide (exit 0: no
    /// visible change, 1: changes, 2: trouble).
    Diff(diff::DiffArgs),
    /// Start a new deck: writes NAME/deck.md (a short tour of the format) and NAME/data/.
    New(NewArgs),
    /// Turn a Jupyter notebook (or its plain-text export) into a deck folder: deck.md with
    /// the code cells as fenced code, and the output images in images/.
    Import(import::ImportArgs),
    /// List the themes a deck can name (`theme:` in the front matter, or --theme): the local
    /// ones (the nearest themes/ folder, or --themes) and the built-in ones.
    Themes(ThemesArgs),
}

/// Settings every command that compiles a deck shares.
#[derive(clap::Args)]
pub struct DeckArgs {
    /// Theme name (a local themes/ folder's or a built-in one), overriding the front matter.
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    /// Folder holding local themes (default: the nearest themes/ at or above the deck;
    /// built-in themes are used when there is none).
    #[arg(long, value_name = "DIR")]
    themes: Option<PathBuf>,
    /// Another folder of fonts (.otf/.ttf/.otc/.ttc), after the deck's own fonts/; repeatable.
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
    /// Treat warnings as errors (for CI): a deck with any warning fails and writes nothing.
    #[arg(long)]
    strict: bool,
    /// Show every warning in full (by default a few of each kind, then their places).
    #[arg(long, short = 'v')]
    verbose: bool,
}

impl DeckArgs {
    pub(crate) fn options(&self, deck: &Path) -> ProjectOptions {
        ProjectOptions {
            deck: deck.to_path_buf(),
            themes_dir: self.themes.clone(),
            theme: self.theme.clone(),
            font_paths: self.font_paths.clone(),
            strict: self.strict,
            blocks: lectern_cli::plugins::registry(),
            hide_positions: false,
        }
    }
}

#[derive(clap::Args)]
pub struct ThemesArgs {
    /// Look for local themes from this deck or folder (default: the current folder).
    deck: Option<PathBuf>,
    /// Folder holding local themes (default: the nearest themes/ at or above).
    #[arg(long, value_name = "DIR")]
    themes: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// Folder to create (its name becomes the deck's name).
    name: PathBuf,
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Deck folder, Markdown file, Jupyter notebook (.ipynb), or a course folder holding deck
    /// folders.
    deck: PathBuf,
    /// Output PDF (default: out/<deck name>.pdf); for a course, the output folder.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    common: DeckArgs,
    /// Write a portrait handout (slides as vector frames) instead of the presentation.
    #[arg(long)]
    handout: bool,
    /// Slides per handout page: 1, 2, 3, 4 or 6.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = per_page)]
    per_page: usize,
    /// Put the speaker notes beside the slides instead of ruled lines.
    #[arg(long)]
    notes: bool,
    /// US Letter paper for handouts (default A4).
    #[arg(long)]
    letter: bool,
    /// Build even if nothing the deck reads changed since the last build into the same
    /// output (see the manifest beside the PDF).
    #[arg(long)]
    force: bool,
}

impl BuildArgs {
    /// Every setting that changes what a build writes, for its manifest.
    fn settings_key(&self) -> String {
        let c = &self.common;
        format!(
            "handout={} per-page={} notes={} letter={} theme={:?} themes={:?} fonts={:?} strict={}",
            self.handout,
            self.per_page,
            self.notes,
            self.letter,
            c.theme,
            c.themes,
            c.font_paths,
            c.strict
        )
    }
}

#[derive(clap::Args)]
pub struct WatchArgs {
    /// Deck folder, Markdown file or Jupyter notebook.
    deck: PathBuf,
    /// Output PDF (default: out/<deck name>.pdf).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Port of the live preview on 127.0.0.1.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Do not serve a preview.
    #[arg(long)]
    no_preview: bool,
    #[command(flatten)]
    common: DeckArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageFormat {
    Png,
    Svg,
    /// One self-contained HTML file: audience view and presenter console, no network.
    Html,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Deck folder, Markdown file or Jupyter notebook.
    deck: PathBuf,
    #[arg(long, value_enum, default_value = "png")]
    format: ImageFormat,
    /// Pixels per point for PNG (2 gives 1684×947 for a 16:9 slide).
    #[arg(long, default_value_t = 2.0)]
    scale: f32,
    /// Slides to export, e.g. `3-7` or `1,4,9-10` (default: all).
    #[arg(long, value_name = "RANGES")]
    slides: Option<String>,
    /// Output folder (default: out/<deck name>/); with --format html, the output file
    /// (default: out/<deck name>.html).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,
    #[command(flatten)]
    common: DeckArgs,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => {
            if course::is_course(&args.deck) {
                course::build_all(&args)
            } else {
                build(&args)
            }
        }
        Command::Watch(args) => watch(&args),
        Command::Present(args) => present::present(&args),
        Command::Export(args) => export(&args),
        Command::New(args) => new_deck(&args),
        Command::Import(args) => import::import(&args),
        Command::Themes(args) => list_themes(&args),
        Command::Diff(args) => diff::run(&args),
    }
}

/// What building one deck produced, for the course summary.
pub struct Built {
    pub output: PathBuf,
    pub slides: usize,
    pub pages: usize,
    pub bytes: usize,
    pub fitted: usize,
    /// Nothing the deck reads changed since the last build: nothing was written.
    pub skipped: bool,
}

/// Builds one deck; diagnostics are printed (`color`) as they come. Errors return `Err` with
/// a one-line reason.
pub fn build_deck(
    args: &BuildArgs,
    deck: &Path,
    output: Option<&Path>,
    color: bool,
) -> Result<Built, String> {
    let suffix = if args.handout { "-handout" } else { "" };
    let deck_file = lectern_typst::project::deck_file(deck);
    let output = output.map(Path::to_path_buf).or_else(|| {
        let name = lectern_typst::project::deck_name(&deck_file.canonicalize().ok()?);
        Some(PathBuf::from("out").join(format!("{name}{suffix}.pdf")))
    });
    let settings = args.settings_key();
    if !args.force
        && let Some(output) = &output
        && let Some(skipped) = up_to_date(args, &deck_file, output, &settings)
    {
        return Ok(skipped);
    }
    let options = args.common.options(deck);
    let verbose = args.common.verbose;
    let mut project = Project::open(&options).map_err(|e| e.to_string())?;
    let compiled = match project.compile() {
        Ok(compiled) => compiled,
        Err(failed) => {
            eprint!(
                "{}",
                project.render_report(&failed.diagnostics, color, verbose)
            );
            let errors = failed.diagnostics.iter().filter(|d| d.is_error()).count();
            let strict = if args.common.strict {
                " (--strict makes warnings errors)"
            } else {
                ""
            };
            return Err(format!("{errors} error(s){strict}; no PDF written"));
        }
    };
    eprint!(
        "{}",
        project.render_report(&compiled.warnings, color, verbose)
    );
    let fail = |project: &Project, failed: lectern_typst::Failed| {
        eprint!(
            "{}",
            project.render_report(&failed.diagnostics, color, verbose)
        );
        "PDF export failed".to_string()
    };
    let pdf = project
        .pdf(&compiled.document)
        .map_err(|f| fail(&project, f))?;
    let output = output
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}{suffix}.pdf", project.name())));
    let mut outputs = vec![output.clone()];
    let (bytes, pages) = if args.handout {
        let options = HandoutOptions {
            per_page: args.per_page,
            notes: args.notes,
            letter: args.letter,
        };
        let (handout, pages) = project
            .handout(&compiled, pdf, &options)
            .map_err(|f| fail(&project, f))?;
        write_atomic(&output, &handout)
            .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
        (handout.len(), pages)
    } else {
        write_atomic(&output, &pdf)
            .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
        // The presenter console's sidecar, next to the PDF.
        let sidecar = output.with_extension("pdfpc");
        let pdfpc = lectern_typst::pdfpc::pdfpc(project.deck(), &compiled.slide_pages);
        write_atomic(&sidecar, pdfpc.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", sidecar.display()))?;
        outputs.push(sidecar);
        (pdf.len(), compiled.document.pages().len())
    };
    let record = manifest::Manifest::new(
        &project.inputs(),
        &manifest::Outcome {
            settings,
            outputs: &outputs,
            slides: compiled.slides,
            pages,
            bytes,
            warnings: compiled.warnings.len(),
        },
    );
    // Without a manifest the next build just builds again.
    let _ = write_atomic(&manifest::path(&output), &record.to_json());
    Ok(Built {
        output,
        slides: compiled.slides,
        pages,
        bytes,
        fitted: compiled.fitted.len(),
        skipped: false,
    })
}

/// The last build into `output`, if nothing it read has changed since.
fn up_to_date(args: &BuildArgs, deck_file: &Path, output: &Path, settings: &str) -> Option<Built> {
    let record = manifest::Manifest::read(&manifest::path(output))?;
    let deck_file = deck_file.canonicalize().ok()?;
    let themes_dir = match &args.common.themes {
        Some(dir) => Some(dir.canonicalize().ok()?),
        None => lectern_typst::project::find_themes_dir(deck_file.parent()?),
    };
    record
        .is_fresh(&deck_file, settings, themes_dir.as_deref())
        .then(|| {
            if record.warnings > 0 {
                eprintln!(
                    "{}: {} warning(s) at the last build (--force builds again and shows them)",
                    deck_file.display(),
                    record.warnings
                );
            }
            Built {
                output: output.to_path_buf(),
                slides: record.slides,
                pages: record.pages,
                bytes: record.bytes,
                fitted: 0,
                skipped: true,
            }
        })
}

fn build(args: &BuildArgs) -> ExitCode {
    let start = Instant::now();
    let color = std::io::stderr().is_terminal();
    match build_deck(args, &args.deck, args.output.as_deref(), color) {
        Ok(built) if built.skipped => {
            println!(
                "up to date: {} ({} slides, {} pages; nothing it reads changed, --force builds anyway)",
                built.output.display(),
                built.slides,
                built.pages
            );
            ExitCode::SUCCESS
        }
        Ok(built) => {
            let fit_note = if built.fitted > 0 {
                format!(", {} fitted", built.fitted)
            } else {
                String::new()
            };
            println!(
                "built {}: {} slides, {} pages, {} KiB in {} ms{fit_note}",
                built.output.display(),
                built.slides,
                built.pages,
                built.bytes / 1024,
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("error: could not build {}: {reason}", args.deck.display());
            ExitCode::FAILURE
        }
    }
}

/// A flag Ctrl-C sets, for commands that run until stopped.
pub(crate) fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = stop.clone();
    if let Err(err) = ctrlc::set_handler(move || handler_stop.store(true, Ordering::Relaxed)) {
        eprintln!("warning: Ctrl-C will not stop cleanly: {err}");
    }
    stop
}

fn watch(args: &WatchArgs) -> ExitCode {
    let stop = stop_on_ctrl_c();
    let project = args.common.options(&args.deck);
    let output = match &args.output {
        Some(output) => output.clone(),
        None => match Project::open(&project) {
            Ok(p) => PathBuf::from("out").join(format!("{}.pdf", p.name())),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        },
    };
    let options = lectern_live::WatchOptions {
        project,
        output,
        port: (!args.no_preview).then_some(args.port),
        write_pdf: true,
        stop,
    };
    match lectern_live::watch(options, &mut |line| eprintln!("{line}")) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn export(args: &ExportArgs) -> ExitCode {
    let color = std::io::stderr().is_terminal();
    let options = args.common.options(&args.deck);
    let verbose = args.common.verbose;
    let mut project = match Project::open(&options) {
        Ok(project) => project,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let compiled = match project.compile() {
        Ok(compiled) => compiled,
        Err(failed) => {
            eprint!(
                "{}",
                project.render_report(&failed.diagnostics, color, verbose)
            );
            eprintln!(
                "error: could not build {}; no images written",
                args.deck.display()
            );
            return ExitCode::FAILURE;
        }
    };
    eprint!(
        "{}",
        project.render_report(&compiled.warnings, color, verbose)
    );
    if let ImageFormat::Html = args.format {
        if args.slides.is_some() {
            eprintln!("warning: --slides is for images; the HTML file holds every slide");
        }
        return present::export_html(&project, &compiled, args.output.as_deref());
    }
    let wanted = match args
        .slides
        .as_deref()
        .map(|r| parse_ranges(r, compiled.slides))
    {
        None => (1..=compiled.slides).collect(),
        Some(Ok(slides)) => slides,
        Some(Err(message)) => {
            eprintln!("error: --slides: {message}");
            return ExitCode::FAILURE;
        }
    };
    let dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(project.name()));
    let pages = compiled.document.pages();
    let mut written = 0;
    for slide in wanted {
        // A slide with overlays is exported in its final state.
        let Some(&page) = compiled.slide_pages.get(slide - 1).and_then(|p| p.last()) else {
            continue;
        };
        let (bytes, ext) = match args.format {
            ImageFormat::Png => (
                lectern_typst::inspect::page_png(&pages[page - 1], args.scale),
                "png",
            ),
            ImageFormat::Svg | ImageFormat::Html => (
                lectern_typst::inspect::page_svg(&pages[page - 1]).into_bytes(),
                "svg",
            ),
        };
        let path = dir.join(format!("slide-{slide:03}.{ext}"));
        if let Err(err) = write_atomic(&path, &bytes) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
        written += 1;
    }
    println!("exported {written} slide image(s) to {}", dir.display());
    ExitCode::SUCCESS
}

/// `lectern themes`: one line per theme, its name first, then what it is.
fn list_themes(args: &ThemesArgs) -> ExitCode {
    let start = args.deck.clone().unwrap_or_else(|| PathBuf::from("."));
    let start = if start.is_file() {
        match start.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        start
    };
    let themes_dir = args.themes.clone().or_else(|| {
        let start = start.canonicalize().unwrap_or(start);
        lectern_typst::project::find_themes_dir(&start)
    });
    let entries = lectern_typst::project::theme_list(themes_dir.as_deref());
    let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for entry in entries {
        let place = match (&entry.folder, entry.overrides_builtin) {
            (None, _) => "built in".to_string(),
            (Some(folder), false) => format!("local: {}", folder.display()),
            (Some(folder), true) => format!("local: {}, over the built-in one", folder.display()),
        };
        println!("{:<width$}  {} ({place})", entry.name, entry.description);
    }
    ExitCode::SUCCESS
}

/// `lectern new NAME`: a starter deck that builds with no warning.
fn new_deck(args: &NewArgs) -> ExitCode {
    let deck = args.name.join("deck.md");
    if deck.exists() {
        eprintln!(
            "error: {} already exists; not overwriting it",
            deck.display()
        );
        return ExitCode::FAILURE;
    }
    let files: [(PathBuf, &[u8]); 2] = [
        (deck.clone(), include_bytes!("starter/deck.md")),
        (
            args.name.join("data/results.csv"),
            include_bytes!("starter/results.csv"),
        ),
    ];
    for (path, bytes) in &files {
        // A dataset already there is the lecturer's: the starter's sample does not replace it.
        if path.exists() {
            continue;
        }
        if let Err(err) = write_atomic(path, bytes) {
            eprintln!("error: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "created {} and {}/data/; build it with: lectern build {}",
        deck.display(),
        args.name.display(),
        args.name.display()
    );
    ExitCode::SUCCESS
}

fn per_page(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if lectern_deck::handout::PER_PAGE.contains(&n) => Ok(n),
        _ => Err("must be 1, 2, 3, 4 or 6".into()),
    }
}

/// `3-7`, `1,4,9-10` → slide numbers (1-based, within `count`, in the order given).
fn parse_ranges(ranges: &str, count: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in ranges.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let number = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| format!("`{part}` is not a slide number or range"))
        };
        let (from, to) = (number(from)?, number(to)?);
        if from == 0 || to < from || to > count {
            return Err(format!("`{part}` is outside slides 1-{count}"));
        }
        out.extend(from..=to);
    }
    if out.is_empty() {
        return Err("no slides named".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_ranges;

    #[test]
    fn slide_ranges() {
        assert_eq!(parse_ranges("3-5", 10), Ok(vec![3, 4, 5]));
        assert_eq!(parse_ranges("1, 4,9-10", 10), Ok(vec![1, 4, 9, 10]));
        assert!(parse_ranges("0", 10).is_err());
        assert!(parse_ranges("5-3", 10).is_err());
        assert!(parse_ranges("9-11", 10).is_err());
        assert!(parse_ranges("x", 10).is_err());
    }
}
