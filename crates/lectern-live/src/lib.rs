//! Live rebuilds: watch a deck (its Markdown, data, images and theme) with notify, recompile
//! incrementally in one long-lived session, write the PDF atomically and push changed slides
//! to a browser preview. Used by `lectern watch` and `cargo xtask watch`.

mod http;
pub mod presentation;
pub mod server;
pub mod session;
pub mod standalone;
mod watcher;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use lectern_typst::ProjectOptions;

pub use server::Preview;
pub use session::{Outcome, Rebuild, Session, Snapshot};
pub use watcher::Burst;

pub struct WatchOptions {
    pub project: ProjectOptions,
    pub output: PathBuf,
    /// Preview port on 127.0.0.1 (0 picks a free one); `None` disables the preview.
    pub port: Option<u16>,
    /// Write the PDF on every build (`lectern present` without `-o` does not).
    pub write_pdf: bool,
    /// Set to stop watching (e.g. from a Ctrl-C handler).
    pub stop: Arc<AtomicBool>,
}

/// Watches the deck's folder and its theme's until `options.stop` is set. `report` receives
/// one line per event worth telling.
pub fn watch(options: WatchOptions, report: &mut dyn FnMut(&str)) -> Result<(), String> {
    let (sender, events) = channel();
    let watcher = notify::recommended_watcher(move |event| {
        let _ = sender.send(event);
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    watch_with(options, Some(watcher), &events, report)
}

/// Like [`watch`], but rebuilds on the given events alone, with no file-system watcher: for
/// tests that inject events (an overflowed queue, a lost watch) and for other event sources.
pub fn watch_events(
    options: WatchOptions,
    events: &Receiver<notify::Result<notify::Event>>,
    report: &mut dyn FnMut(&str),
) -> Result<(), String> {
    watch_with(options, None, events, report)
}

fn watch_with(
    options: WatchOptions,
    watcher: Option<notify::RecommendedWatcher>,
    events: &Receiver<watcher::Event>,
    report: &mut dyn FnMut(&str),
) -> Result<(), String> {
    let mut session =
        Session::open(&options.project, options.output.clone()).map_err(|e| e.to_string())?;
    let preview = match options.port {
        Some(port) => Some(Preview::start(port).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    " (another `lectern watch` or `present`? try --port {})",
                    port.wrapping_add(1).max(1024)
                )
            } else {
                String::new()
            };
            format!("cannot serve the preview on 127.0.0.1:{port}: {e}{hint}")
        })?),
        None => None,
    };
    watcher::run(
        &options,
        &mut session,
        preview.as_ref(),
        watcher,
        events,
        report,
    );
    report("stopped watching");
    Ok(())
}

/// One line per rebuild: which slides changed and where the time went.
pub fn describe(rebuild: &Rebuild, output: &Path) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    match &rebuild.outcome {
        Outcome::Built {
            changed,
            pages,
            warnings,
        } => {
            let slides = match changed.len() {
                0 => "no slide changed".to_string(),
                n if n == *pages => format!("all {n} slides"),
                _ => format!(
                    "slide{} {}",
                    if changed.len() > 1 { "s" } else { "" },
                    ranges(changed)
                ),
            };
            let mut line = if rebuild.pdf_written {
                format!(
                    "rebuilt {}: {slides} · compile {:.0} ms · preview {:.0} ms · pdf {:.0} ms",
                    output.display(),
                    ms(rebuild.compile),
                    ms(rebuild.preview),
                    ms(rebuild.export)
                )
            } else {
                format!(
                    "rebuilt the slides: {slides} · compile {:.0} ms · preview {:.0} ms",
                    ms(rebuild.compile),
                    ms(rebuild.preview),
                )
            };
            if !warnings.is_empty() {
                line = format!("{warnings}{line}");
            }
            line
        }
        Outcome::Failed { diagnostics } => {
            format!("{diagnostics}build failed; keeping the last good PDF")
        }
    }
}

/// `1-3, 7` style list of slide numbers.
fn ranges(numbers: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}
