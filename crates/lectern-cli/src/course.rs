//! Whole-course builds: `lectern build decks/` builds every deck folder in parallel, shows
//! progress, and ends with a summary table; one broken deck does not stop the others.

use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
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
    path.is_dir()
        && !lectern_typst::project::deck_file(path).is_file()
        && !decks_in(path).is_empty()
}

fn decks_in(path: &Path) -> Vec<PathBuf> {
    let mut decks: Vec<PathBuf> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && lectern_typst::project::deck_file(p).is_file())
        .collect();
    decks.sort();
    decks
}

pub fn build_all(args: &BuildArgs) -> ExitCode {
    let decks = decks_in(&args.deck);
    let out_dir = args.output.clone().unwrap_or_else(|| PathBuf::from("out"));
    let color = std::io::stderr().is_terminal();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let start = Instant::now();
    let results = build_each(&decks, workers, |deck| {
        let name = deck_name(deck);
        let suffix = if args.handout { "-handout" } else { "" };
        let output = out_dir.join(format!("{name}{suffix}.pdf"));
        build_deck(args, deck, Some(&output), color)
    });
    let mut stdout = std::io::stdout().lock();
    let failed = summary(&mut stdout, &decks, &results, start.elapsed());
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn deck_name(deck: &Path) -> &str {
    deck.file_name().and_then(|n| n.to_str()).unwrap_or("deck")
}

/// Builds every deck with `build` on up to `workers` threads, in any order, results in deck
/// order. A deck whose build panics counts as failed with the panic's message; the others
/// go on.
fn build_each(
    decks: &[PathBuf],
    workers: usize,
    build: impl Fn(&Path) -> Result<Built, String> + Sync,
) -> Vec<Outcome> {
    let workers = workers.min(decks.len()).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> = Mutex::new((0..decks.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(deck) = decks.get(i) else { break };
                    let deck_start = Instant::now();
                    // Nothing is shared between decks' builds, so a half-done one leaves no
                    // broken state behind for the others.
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| build(deck)))
                        .unwrap_or_else(|payload| {
                            Err(format!(
                                "internal error (panic): {}",
                                panic_message(&*payload)
                            ))
                        });
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(finished, decks.len(), deck_name(deck), result.is_ok());
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] =
                        Some((result, deck_start.elapsed()));
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "no message".to_string()
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
fn summary(out: &mut dyn Write, decks: &[PathBuf], results: &[Outcome], total: Duration) -> usize {
    let _ = writeln!(
        out,
        "{:<32} {:>10} {:>6} {:>6} {:>8}  output",
        "deck", "status", "slides", "pages", "time"
    );
    let mut failed = 0;
    for (deck, result) in decks.iter().zip(results) {
        let name = deck.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        match result {
            Some((Ok(built), time)) => drop(writeln!(
                out,
                "{name:<32} {:>10} {:>6} {:>6} {:>6} ms  {}",
                if built.skipped { "up to date" } else { "ok" },
                built.slides,
                built.pages,
                time.as_millis(),
                built.output.display()
            )),
            Some((Err(reason), time)) => {
                failed += 1;
                let _ = writeln!(
                    out,
                    "{name:<32} {:>10} {:>6} {:>6} {:>6} ms  {reason}",
                    "FAILED",
                    "-",
                    "-",
                    time.as_millis()
                );
            }
            None => {
                failed += 1;
                let _ = writeln!(out, "{name:<32} {:>10}", "not built");
            }
        }
    }
    let _ = writeln!(
        out,
        "{} deck(s), {failed} failed, in {} ms",
        decks.len(),
        total.as_millis()
    );
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(deck: &Path) -> Built {
        Built {
            output: deck.with_extension("pdf"),
            slides: 3,
            pages: 4,
            bytes: 1000,
            fitted: 0,
            skipped: false,
        }
    }

    #[test]
    fn a_panicking_deck_fails_alone_and_the_summary_still_comes_out() {
        let decks: Vec<PathBuf> = ["a", "b", "c", "d"].iter().map(PathBuf::from).collect();
        let results = build_each(&decks, 2, |deck| match deck.to_str() {
            Some("b") => panic!("index out of bounds: the len is 0"),
            Some("d") => Err("1 error(s); no PDF written".to_string()),
            _ => Ok(built(deck)),
        });
        let mut table = Vec::new();
        let failed = summary(&mut table, &decks, &results, Duration::ZERO);
        let table = String::from_utf8(table).unwrap();
        assert_eq!(failed, 2, "{table}");
        let line = |name: &str| {
            table
                .lines()
                .find(|l| l.starts_with(name))
                .unwrap_or_default()
                .to_string()
        };
        assert!(line("a ").contains(" ok "), "{table}");
        assert!(line("c ").contains(" ok "), "{table}");
        assert!(
            line("b ").contains("FAILED")
                && line("b ").contains("internal error (panic): index out of bounds"),
            "{table}"
        );
        assert!(line("d ").contains("FAILED"), "{table}");
        assert!(table.ends_with("4 deck(s), 2 failed, in 0 ms\n"), "{table}");
    }
}
