//! The watch loop: turns file events into rebuilds. Bursts are debounced; a rescan notice (an
//! overflowed inotify queue) or a watcher error rebuilds everything, since events were lost; a
//! watched folder that is deleted and re-created is watched again.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::{Preview, Session, Snapshot, WatchOptions, describe};

/// Quiet time after the last file event before rebuilding (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(30);
/// Upper bound on waiting for a burst to end.
const DEBOUNCE_CAP: Duration = Duration::from_millis(300);
/// How often an idle loop checks that the watched folders are still the ones watched.
const TICK: Duration = Duration::from_millis(100);

pub type Event = notify::Result<notify::Event>;

/// What one burst of events asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Burst {
    /// Paths that changed, without our own outputs.
    pub paths: Vec<PathBuf>,
    /// Events were lost: rebuild from scratch.
    pub rescan: bool,
    /// Watcher errors, to report.
    pub errors: Vec<String>,
}

impl Burst {
    /// Adds one event, ignoring reads, the output PDF and our temporary files.
    pub fn add(&mut self, event: Event, output: &Path) {
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                let text = err.to_string();
                if !self.errors.contains(&text) {
                    self.errors.push(text);
                }
                // An error may stand for events that never came.
                self.rescan = true;
                return;
            }
        };
        if event.need_rescan() {
            self.rescan = true;
            return;
        }
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if !is_ours(&path, output) && !self.paths.contains(&path) {
                self.paths.push(path);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan && self.errors.is_empty()
    }
}

/// The output PDF, a temporary file of an atomic write (`.name.XXXX.tmp`), or Jupyter's
/// own files beside a notebook: its save's copy (`.~name.ipynb`) and its checkpoints.
fn is_ours(path: &Path, output: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    absolute(path) == output
        || (name.starts_with('.') && name.ends_with(".tmp"))
        || name.starts_with(".~")
        || path
            .components()
            .any(|c| c.as_os_str() == ".ipynb_checkpoints")
}

pub(crate) fn absolute(path: &Path) -> PathBuf {
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

/// Which folder a path is now: a deleted and re-created folder is another one, and an
/// inotify watch stays with the old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderId(u64, u64);

fn folder_id(path: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FolderId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(FolderId(0, 0))
    }
}

/// The folders being watched and which folder each was when its watch was set.
struct Roots {
    watcher: Option<notify::RecommendedWatcher>,
    roots: Vec<Root>,
}

struct Root {
    path: PathBuf,
    /// The folder watched now; `None` while it is gone.
    id: Option<FolderId>,
    /// Watched before: coming back (or being replaced) means its files may all be new.
    seen: bool,
}

impl Roots {
    /// Watches `wanted` (deck folder, then the theme's folder if on disk). Returns report
    /// lines, and whether a folder came back or was replaced.
    fn sync(&mut self, wanted: &[PathBuf]) -> (Vec<String>, bool) {
        let mut lines = Vec::new();
        let mut returned = false;
        // Folders no longer wanted (a theme switch).
        let watcher = &mut self.watcher;
        self.roots.retain(|root| {
            let keep = wanted.contains(&root.path);
            if !keep && let Some(watcher) = watcher.as_mut() {
                let _ = watcher.unwatch(&root.path);
            }
            keep
        });
        for path in wanted {
            let now = folder_id(path);
            let index = match self.roots.iter().position(|root| &root.path == path) {
                Some(index) => index,
                None => {
                    self.roots.push(Root {
                        path: path.clone(),
                        id: None,
                        seen: false,
                    });
                    self.roots.len() - 1
                }
            };
            let root = &mut self.roots[index];
            if root.id == now && now.is_some() {
                continue;
            }
            if root.id.is_some()
                && let Some(watcher) = self.watcher.as_mut()
            {
                let _ = watcher.unwatch(path);
            }
            let Some(id) = now else {
                if root.id.take().is_some() {
                    lines.push(format!(
                        "warning: {} is gone; waiting for it to come back",
                        path.display()
                    ));
                }
                continue;
            };
            let watched = match self.watcher.as_mut() {
                Some(watcher) => watcher.watch(path, RecursiveMode::Recursive),
                None => Ok(()),
            };
            match watched {
                Ok(()) => {
                    if root.seen {
                        returned = true;
                        lines.push(format!("watching {} again", path.display()));
                    }
                    root.id = Some(id);
                    root.seen = true;
                }
                Err(err) => {
                    lines.push(format!("warning: cannot watch {}: {err}", path.display()));
                }
            }
        }
        (lines, returned)
    }

    fn all_there(&self) -> bool {
        self.roots.iter().all(|root| root.id.is_some())
    }
}

fn wanted_roots(session: &Session) -> Vec<PathBuf> {
    let project = session.project();
    let mut roots = vec![project.deck_root().to_path_buf()];
    // A built-in theme has no folder to watch.
    if let Some(theme) = project.theme_root().path() {
        roots.push(theme.to_path_buf());
    }
    roots
}

/// Builds once, then rebuilds on `events` until `options.stop` is set. With `watcher`, the watched folders
/// follow the deck (re-created folders, theme switches); without, `events` is all there is.
pub(crate) fn run(
    options: &WatchOptions,
    session: &mut Session,
    preview: Option<&Preview>,
    watcher: Option<notify::RecommendedWatcher>,
    events: &Receiver<Event>,
    report: &mut dyn FnMut(&str),
) {
    let mut roots = Roots {
        watcher,
        roots: Vec::new(),
    };
    // Watch before the first build: a save during it is not missed.
    let (lines, _) = roots.sync(&wanted_roots(session));
    let first = session.rebuild_with(options.write_pdf, &mut publisher(preview));
    report(&describe(&first, session.output()));
    if let Some(preview) = preview {
        let url = preview.url();
        report(&format!(
            "preview at {url} · audience view {url}present · presenter console {url}presenter"
        ));
    }
    lines.iter().for_each(|line| report(line));
    let deck_root = session.project().deck_root().display().to_string();
    report(&format!(
        "watching {deck_root} and {}",
        session.project().theme_root().display()
    ));

    let output = absolute(&options.output);
    while !options.stop.load(Ordering::Relaxed) {
        let mut burst = Burst::default();
        match events.recv_timeout(TICK) {
            Ok(event) => burst.add(event, &output),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !burst.is_empty() {
            // Let the burst finish (save = write + rename + chmod ...), within a cap.
            let burst_start = Instant::now();
            while burst_start.elapsed() < DEBOUNCE_CAP {
                match events.recv_timeout(DEBOUNCE) {
                    Ok(event) => burst.add(event, &output),
                    Err(_) => break,
                }
            }
        }
        for error in &burst.errors {
            report(&format!(
                "warning: file watching: {error}; rebuilding everything"
            ));
        }
        let (lines, returned) = roots.sync(&wanted_roots(session));
        lines.iter().for_each(|line| report(line));
        if !roots.all_there() {
            // Keep the last good PDF and preview until the folder is back.
            continue;
        }
        let came_back = returned;
        if burst.is_empty() && !came_back {
            continue;
        }
        let everything = burst.rescan || came_back;
        if everything
            || burst
                .paths
                .iter()
                .any(|p| p != session.project().deck_file())
        {
            session.forget_files();
        }
        let rebuild = session.rebuild_with(options.write_pdf, &mut publisher(preview));
        report(&describe(&rebuild, session.output()));
    }
}

/// Sends each rebuild's slides (or error) to the preview as soon as they exist, before the
/// PDF is written.
pub(crate) fn publisher(preview: Option<&Preview>) -> impl FnMut(&Snapshot, &[usize]) + '_ {
    move |snapshot, changed| {
        if let Some(preview) = preview {
            preview.publish(snapshot, changed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, EventKind, Flag, ModifyKind};

    fn event(kind: EventKind, path: &str) -> Event {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_burst_keeps_real_changes_and_drops_our_own_files() {
        let output = Path::new("/decks/x/out.pdf");
        let mut burst = Burst::default();
        burst.add(
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                "/decks/x/deck.md",
            ),
            output,
        );
        burst.add(
            event(EventKind::Create(CreateKind::File), "/decks/x/out.pdf"),
            output,
        );
        burst.add(
            event(
                EventKind::Create(CreateKind::File),
                "/decks/x/.out.pdf.a8Xk2.tmp",
            ),
            output,
        );
        // Jupyter's save: a copy beside the notebook, and checkpoints.
        for noise in [
            "/decks/x/.~lecture.ipynb",
            "/decks/x/.ipynb_checkpoints/lecture-checkpoint.ipynb",
        ] {
            burst.add(event(EventKind::Create(CreateKind::File), noise), output);
        }
        burst.add(
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Content)),
                "/decks/x/deck.md",
            ),
            output,
        );
        assert_eq!(burst.paths, vec![PathBuf::from("/decks/x/deck.md")]);
        assert!(!burst.rescan);
    }

    #[test]
    fn an_overflow_or_an_error_asks_for_everything() {
        let output = Path::new("/out.pdf");
        let mut burst = Burst::default();
        burst.add(
            Ok(notify::Event::new(EventKind::Other).set_flag(Flag::Rescan)),
            output,
        );
        assert!(burst.rescan && burst.paths.is_empty());

        let mut burst = Burst::default();
        burst.add(Err(notify::Error::generic("inotify is tired")), output);
        burst.add(Err(notify::Error::generic("inotify is tired")), output);
        assert!(burst.rescan);
        assert_eq!(
            burst.errors.len(),
            1,
            "the same error is told once per burst"
        );
    }
}
