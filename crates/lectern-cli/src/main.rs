//! `lectern`: the command line. A thin layer over `lectern-typst` that does the file IO and
//! terminal output.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand};
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
    /// Build a deck (a folder holding deck.md, or a .md file) into a 16:9 PDF.
    Build(BuildArgs),
    /// Rebuild a deck on every change, with a live preview in the browser.
    Watch(WatchArgs),
}

#[derive(clap::Args)]
pub struct WatchArgs {
    /// Deck folder or Markdown file.
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
    /// Theme name, overriding the front matter.
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Deck folder or Markdown file.
    deck: PathBuf,
    /// Output PDF (default: out/<deck name>.pdf).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Theme name (a folder under themes/), overriding the front matter.
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    /// Folder holding the themes (default: the nearest themes/ above the deck).
    #[arg(long, value_name = "DIR")]
    themes: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(&args),
        Command::Watch(args) => watch(&args),
    }
}

fn watch(args: &WatchArgs) -> ExitCode {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = stop.clone();
    if let Err(err) = ctrlc::set_handler(move || handler_stop.store(true, Ordering::Relaxed)) {
        eprintln!("warning: Ctrl-C will not stop cleanly: {err}");
    }
    let project = ProjectOptions {
        deck: args.deck.clone(),
        themes_dir: None,
        theme: args.theme.clone(),
    };
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

fn build(args: &BuildArgs) -> ExitCode {
    let start = Instant::now();
    let color = std::io::stderr().is_terminal();
    let options = ProjectOptions {
        deck: args.deck.clone(),
        themes_dir: args.themes.clone(),
        theme: args.theme.clone(),
    };
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
            eprint!("{}", project.render_diagnostics(&failed.diagnostics, color));
            let errors = failed.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: could not build {}: {errors} error(s); no PDF written",
                args.deck.display()
            );
            return ExitCode::FAILURE;
        }
    };
    eprint!("{}", project.render_diagnostics(&compiled.warnings, color));
    let pdf = match project.pdf(&compiled.document) {
        Ok(pdf) => pdf,
        Err(failed) => {
            eprint!("{}", project.render_diagnostics(&failed.diagnostics, color));
            return ExitCode::FAILURE;
        }
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}.pdf", project.name())));
    if let Err(err) = write_atomic(&output, &pdf) {
        eprintln!("error: cannot write {}: {err}", output.display());
        return ExitCode::FAILURE;
    }
    let shrunk = compiled.fitted.len();
    let fit_note = if shrunk > 0 {
        format!(", {shrunk} fitted")
    } else {
        String::new()
    };
    println!(
        "built {}: {} slides, {} pages, {} KiB in {} ms{fit_note}",
        output.display(),
        compiled.slides,
        compiled.document.pages().len(),
        pdf.len() / 1024,
        start.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}
