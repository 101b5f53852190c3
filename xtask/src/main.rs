//! Developer chores for Lectern, run as `cargo xtask <task>`: `watch` (live rebuilds with a
//! browser preview), `bench` (speed and memory of builds and edits), `fuzz` (generated decks
//! through the whole pipeline), `soak` (many saves under watch) and `gallery` (every built-in
//! theme on the same slides, for docs/themes.md).

mod bench;
mod cargo;
mod gallery;
mod soak;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Rebuild a deck on every change of its Markdown, data or theme, with a live preview.
    Watch {
        /// Deck folder or Markdown file.
        deck: PathBuf,
        /// Output PDF (default: out/<deck name>.pdf).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Port of the live preview on 127.0.0.1.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Folder holding the themes (default: the nearest themes/ above the deck).
        #[arg(long, value_name = "DIR")]
        themes: Option<PathBuf>,
    },
    /// Measure cold builds, compiles, exports and edits on Lecture 7 and a 300-slide deck.
    Bench {
        /// Also write the results as JSON to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Runs per measurement (medians are reported).
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Drive generated Markdown decks through parse, generate, compile and PDF export for a
    /// while (the short run is part of `cargo test`).
    Fuzz {
        /// How long to run.
        #[arg(long, default_value_t = 10)]
        minutes: u64,
    },
    /// Save Lecture 7 many times under `lectern watch` with a browser connected: no save
    /// lost, no torn PDF, memory flat.
    Soak {
        /// Number of saves.
        #[arg(long, default_value_t = 1000)]
        saves: usize,
    },
    /// Draw the same slides of Lecture 7 in every built-in theme: docs/themes/*.png and
    /// docs/themes.md.
    Gallery,
    /// (Used by `bench`.) Time `lectern build` runs in a clean child for its peak RSS.
    #[command(hide = true)]
    ColdBuilds {
        lectern: PathBuf,
        deck: PathBuf,
        themes: PathBuf,
        output: PathBuf,
        runs: usize,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Watch {
            deck,
            output,
            port,
            themes,
        } => watch(deck, output, port, themes),
        Task::Bench { json, runs } => bench::run(json.as_deref(), runs.max(1)),
        Task::Gallery => cargo::repo_root().and_then(|repo| gallery::run(&repo)),
        Task::Fuzz { minutes } => fuzz(minutes),
        Task::Soak { saves } => soak::run(saves.max(1)),
        Task::ColdBuilds {
            lectern,
            deck,
            themes,
            output,
            runs,
        } => bench::cold_builds(&lectern, &deck, &themes, &output, runs.max(1)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the fuzz test's long form: it reads its time budget from `LECTERN_FUZZ_SECONDS`.
fn fuzz(minutes: u64) -> anyhow::Result<()> {
    let repo = cargo::repo_root()?;
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "test",
                "--release",
                "-p",
                "lectern-typst",
                "--test",
                "fuzz",
                "--",
            ])
            .args(["--ignored", "--nocapture", "fuzz_long"])
            .env("LECTERN_FUZZ_SECONDS", (minutes * 60).to_string())
            .current_dir(repo)
            .status()?;
    anyhow::ensure!(status.success(), "the fuzz run found a problem (see above)");
    Ok(())
}

fn watch(
    deck: PathBuf,
    output: Option<PathBuf>,
    port: u16,
    themes: Option<PathBuf>,
) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = stop.clone();
    ctrlc::set_handler(move || handler_stop.store(true, Ordering::Relaxed))?;
    let project = lectern_typst::ProjectOptions {
        deck,
        themes_dir: themes,
        blocks: lectern_cli::plugins::registry(),
        hide_positions: false,
        ..lectern_typst::ProjectOptions::new("")
    };
    let output = match output {
        Some(output) => output,
        None => PathBuf::from("out").join(format!(
            "{}.pdf",
            lectern_typst::Project::open(&project)?.name()
        )),
    };
    let options = lectern_live::WatchOptions {
        project,
        output,
        port: Some(port),
        write_pdf: true,
        stop,
    };
    lectern_live::watch(options, &mut |line| eprintln!("{line}")).map_err(anyhow::Error::msg)
}
