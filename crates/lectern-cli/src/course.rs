//! Whole-course builds: `lectern build decks/` builds every deck folder in parallel, shows
//! progress, and ends with a summary table; one broken deck does not stop the others.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::{BuildArgs, Built, build_deck};

/// How one deck's build ended, and how long it took.
type Outcome = Option<(Result<Built, String>, Duration)>;

/// A folder with no `deck.md` of its own but deck folders inside.
pub fn is_course(path: &Path) -> bool {
    path.is_dir() && !path.join("deck.md").is_file() && !decks_in(path).is_empty()
}

fn decks_in(path: &Path) -> Vec<PathBuf> {
    let mut decks: Vec<PathBuf> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("deck.md").is_file())
        .collect();
    decks.sort();
    decks
}

pub fn build_all(args: &BuildArgs) -> ExitCode {
    let decks = decks_in(&args.deck);
    let out_dir = args.output.clone().unwrap_or_else(|| PathBuf::from("out"));
    let color = std::io::stderr().is_terminal();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(decks.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> = Mutex::new((0..decks.len()).map(|_| None).collect());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(deck) = decks.get(i) else { break };
                    let name = deck.file_name().and_then(|n| n.to_str()).unwrap_or("deck");
                    let suffix = if args.handout { "-handout" } else { "" };
                    let output = out_dir.join(format!("{name}{suffix}.pdf"));
                    let deck_start = Instant::now();
                    let result = build_deck(args, deck, Some(&output), color);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(finished, decks.len(), name, result.is_ok());
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] =
                        Some((result, deck_start.elapsed()));
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let failed = summary(&decks, &results, start.elapsed());
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One progress line per finished deck: a bar, the count and the deck.
fn progress(finished: usize, total: usize, name: &str, ok: bool) {
    let width = 24;
    let filled = finished * width / total.max(1);
    let bar: String = "█".repeat(filled) + &"░".repeat(width - filled);
    let mark = if ok { "ok" } else { "FAILED" };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "[{bar}] {finished}/{total} {name}: {mark}");
}

/// Prints the summary table; returns how many decks failed.
fn summary(decks: &[PathBuf], results: &[Outcome], total: Duration) -> usize {
    println!(
        "{:<32} {:>7} {:>6} {:>6} {:>8}  output",
        "deck", "status", "slides", "pages", "time"
    );
    let mut failed = 0;
    for (deck, result) in decks.iter().zip(results) {
        let name = deck.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        match result {
            Some((Ok(built), time)) => println!(
                "{name:<32} {:>7} {:>6} {:>6} {:>6} ms  {}",
                "ok",
                built.slides,
                built.pages,
                time.as_millis(),
                built.output.display()
            ),
            Some((Err(reason), time)) => {
                failed += 1;
                println!(
                    "{name:<32} {:>7} {:>6} {:>6} {:>6} ms  {reason}",
                    "FAILED",
                    "-",
                    "-",
                    time.as_millis()
                );
            }
            None => {
                failed += 1;
                println!("{name:<32} {:>7}", "skipped");
            }
        }
    }
    println!(
        "{} deck(s), {failed} failed, in {} ms",
        decks.len(),
        total.as_millis()
    );
    failed
}
