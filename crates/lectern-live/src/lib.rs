//! Live rebuilds: watch a deck (its Markdown, data, images and theme) with notify, recompile
//! incrementally in one long-lived session, write the PDF atomically and push changed slides
//! to a browser preview. Used by `lectern watch` and `cargo xtask watch`.

pub mod server;
pub mod session;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use lectern_typst::ProjectOptions;
use notify::{RecursiveMode, Watcher};

pub use server::Preview;
pub use session::{Outcome, Rebuild, Session, Snapshot};

/// Quiet time after the last file event before rebuilding (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(30);
/// Upper bound on waiting for a burst to end.
const DEBOUNCE_CAP: Duration = Duration::from_millis(300);

pub struct WatchOptions {
    pub project: ProjectOptions,
    pub output: PathBuf,
    /// Preview port on 127.0.0.1 (0 picks a free one); `None` disables the preview.
    pub port: Option<u16>,
    /// Set to stop watching (e.g. from a Ctrl-C handler).
    pub stop: Arc<AtomicBool>,
}

/// Watches until `options.stop` is set. `report` receives one line per event worth telling.
pub fn watch(options: WatchOptions, report: &mut dyn FnMut(&str)) -> Result<(), String> {
    let mut session =
        Session::open(&options.project, options.output.clone()).map_err(|e| e.to_string())?;
    let preview = match options.port {
        Some(port) => Some(
            Preview::start(port)
                .map_err(|e| format!("cannot serve the preview on 127.0.0.1:{port}: {e}"))?,
        ),
        None => None,
    };
    let first = session.rebuild_with(true, &mut publisher(preview.as_ref()));
    report(&describe(&first, session.output()));
    if let Some(preview) = &preview {
        report(&format!("preview at {}", preview.url()));
    }

    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = sender.send(event);
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let deck_root = session.project().deck_root().to_path_buf();
    watcher
        .watch(&deck_root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", deck_root.display()))?;
    // A built-in theme has no folder to watch.
    let mut theme_root = session.project().theme_root().path().map(Path::to_path_buf);
    if let Some(root) = &theme_root {
        watcher
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    }
    report(&format!(
        "watching {} and {}",
        deck_root.display(),
        session.project().theme_root().display()
    ));

    let output = absolute(&options.output);
    while !options.stop.load(Ordering::Relaxed) {
        let mut changed = Vec::new();
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(event) => collect(event, &output, &mut changed),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // Let the burst finish (save = write + rename + chmod ...), within a cap.
        let burst_start = Instant::now();
        while burst_start.elapsed() < DEBOUNCE_CAP {
            match events.recv_timeout(DEBOUNCE) {
                Ok(event) => collect(event, &output, &mut changed),
                Err(_) => break,
            }
        }
        if changed.is_empty() {
            continue;
        }
        if changed.iter().any(|p| p != session.project().deck_file()) {
            session.forget_files();
        }
        let rebuild = session.rebuild_with(true, &mut publisher(preview.as_ref()));
        report(&describe(&rebuild, session.output()));
        // The front matter may have switched themes: follow it.
        let now = session.project().theme_root().path().map(Path::to_path_buf);
        if now != theme_root {
            if let Some(old) = &theme_root {
                let _ = watcher.unwatch(old);
            }
            if let Some(new) = &now {
                let _ = watcher.watch(new, RecursiveMode::Recursive);
            }
            theme_root = now;
        }
    }
    report("stopped watching");
    Ok(())
}

/// Sends each rebuild's slides (or error) to the preview as soon as they exist, before the
/// PDF is written.
fn publisher(preview: Option<&Preview>) -> impl FnMut(&Snapshot, &[usize]) + '_ {
    move |snapshot, changed| {
        if let Some(preview) = preview {
            preview.publish(snapshot, changed);
        }
    }
}

/// Paths of an event that matter: not the output PDF nor our temporary files.
fn collect(event: notify::Result<notify::Event>, output: &Path, changed: &mut Vec<PathBuf>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    for path in event.paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ours = absolute(&path) == output || (name.starts_with('.') && name.ends_with(".tmp"));
        if !ours && !changed.contains(&path) {
            changed.push(path);
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The file may not exist yet: canonicalise its folder.
    match (
        path.parent().and_then(|p| p.canonicalize().ok()),
        path.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path,
    }
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
            let mut line = format!(
                "rebuilt {}: {slides} · compile {:.0} ms · preview {:.0} ms · pdf {:.0} ms",
                output.display(),
                ms(rebuild.compile),
                ms(rebuild.preview),
                ms(rebuild.export)
            );
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
