//! Live rebuilds end to end: the notify watcher on a real deck folder, and the preview in a
//! real headless Chromium driven over the DevTools protocol. All waits are bounded.

mod browser;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use lectern_live::{Outcome, Preview, Session, WatchOptions};
use lectern_typst::ProjectOptions;

type WatchEvent = notify::Result<notify::Event>;

use browser::{Browser, WAIT, wait_for};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn deck(markdown: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("deck.md"), markdown).expect("write deck");
    dir
}

fn options(dir: &Path) -> ProjectOptions {
    ProjectOptions {
        deck: dir.to_path_buf(),
        themes_dir: Some(repo().join("themes")),
        theme: None,
        blocks: plugins(),
        ..ProjectOptions::new("")
    }
}

const SLIDES: &str = "### One\n\nfirst text\n\n### Two\n\nsecond text\n";

/// The watcher in a thread; its report lines arrive on a channel.
struct Watching {
    stop: Arc<AtomicBool>,
    lines: Receiver<String>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Watching {
    fn start(dir: &Path, output: &Path) -> Self {
        Self::start_with(dir, output, None)
    }

    /// With `events`, only those events are seen (no file-system watcher).
    fn start_with(dir: &Path, output: &Path, events: Option<Receiver<WatchEvent>>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, lines) = channel();
        let options = WatchOptions {
            project: options(dir),
            output: output.to_path_buf(),
            port: None,
            write_pdf: true,
            stop: stop.clone(),
        };
        let thread = std::thread::spawn(move || {
            let mut report = |line: &str| drop(sender.send(line.to_string()));
            match events {
                Some(events) => lectern_live::watch_events(options, &events, &mut report),
                None => lectern_live::watch(options, &mut report),
            }
        });
        let watching = Self {
            stop,
            lines,
            thread: Some(thread),
        };
        watching.expect("watching ");
        watching
    }

    /// Waits for a report line containing `needle`; returns it.
    fn expect(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("no report line with {needle:?}; saw {seen:#?}");
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn assert_whole_pdf(bytes: &[u8]) {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "PDF without header ({} bytes)",
        bytes.len()
    );
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    assert!(
        tail.windows(5).any(|w| w == b"%%EOF"),
        "PDF without trailer: torn write?"
    );
}

#[test]
fn watch_rebuilds_keeps_last_good_pdf_and_recovers() {
    let dir = deck(SLIDES);
    let output = dir.path().join("out.pdf");
    let watching = Watching::start(dir.path(), &output);
    assert!(output.is_file(), "initial build writes the PDF");
    let md = dir.path().join("deck.md");

    // A plain edit rebuilds only the edited slide.
    std::fs::write(&md, SLIDES.replace("second text", "second words")).expect("edit");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 2 ·"), "{line}");
    let good = std::fs::read(&output).expect("pdf");
    assert_whole_pdf(&good);

    // Broken input: located diagnostics, the last good PDF stays.
    std::fs::write(&md, format!("{SLIDES}\n```{{=typst}}\n#nope\n```\n")).expect("break");
    let line = watching.expect("build failed");
    assert!(
        line.contains("deck.md:10:2") && line.contains("unknown variable"),
        "{line}"
    );
    assert_eq!(
        std::fs::read(&output).expect("pdf"),
        good,
        "failed build must keep the last good PDF"
    );

    // Fixed again: recovers.
    std::fs::write(&md, SLIDES).expect("fix");
    watching.expect("rebuilt");

    // Editors that save by writing a temporary file and renaming it over the original.
    let tmp = dir.path().join(".deck.md.swp");
    std::fs::write(&tmp, SLIDES.replace("first text", "renamed save")).expect("write tmp");
    std::fs::rename(&tmp, &md).expect("rename");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 1 ·"), "{line}");

    // New files (a dataset appearing) and writes to the output do not confuse it.
    std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    std::fs::write(dir.path().join("data/d.csv"), "x,y\n1,2\n2,4\n").expect("data");
    std::fs::write(
        &md,
        format!(
            "{SLIDES}\n### Chart\n\n```chart\ndata = \"data/d.csv\"\nx = \"x\"\ny = \"y\"\n```\n"
        ),
    )
    .expect("chart");
    watching.expect("rebuilt");
    std::fs::write(dir.path().join("data/d.csv"), "x,y\n1,2\n2,8\n").expect("data edit");
    let line = watching.expect("rebuilt");
    assert!(
        line.contains("slide 3 ·"),
        "a data edit redraws its chart: {line}"
    );
}

/// Jupyter saves a notebook by writing `.~name.ipynb` and renaming it over the notebook, and
/// keeps checkpoints beside it: every save rebuilds, the checkpoints do not.
#[test]
fn a_notebook_saved_by_jupyter_rebuilds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notebook = dir.path().join("talk.ipynb");
    let source =
        std::fs::read_to_string(repo().join("tests/notebooks/quarto.ipynb")).expect("fixture");
    std::fs::write(&notebook, &source).expect("write");
    let output = dir.path().join("out.pdf");
    let watching = Watching::start(&notebook, &output);
    assert!(output.is_file(), "initial build writes the PDF");

    let save = |text: &str| {
        let tmp = dir.path().join(".~talk.ipynb");
        std::fs::write(&tmp, text).expect("write tmp");
        std::fs::rename(&tmp, &notebook).expect("rename");
        let checkpoints = dir.path().join(".ipynb_checkpoints");
        std::fs::create_dir_all(&checkpoints).expect("mkdir");
        std::fs::write(checkpoints.join("talk-checkpoint.ipynb"), text).expect("checkpoint");
    };
    save(&source.replace("Der Würfel zeigt:", "Der Würfel zeigt jetzt:"));
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 3 ·"), "{line}");

    // A save that is not JSON: the error names the line; the last good PDF stays.
    let good = std::fs::read(&output).expect("pdf");
    save("{\n \"cells\": [\n");
    let line = watching.expect("build failed");
    assert!(line.contains("talk.ipynb:3:"), "{line}");
    assert_eq!(std::fs::read(&output).expect("pdf"), good);
    save(&source);
    watching.expect("rebuilt");
}

const CHART_DECK: &str = "### One\n\nfirst text\n\n### Chart\n\n```chart\ndata = \"data/d.csv\"\nx = \"x\"\ny = \"y\"\n```\n";

/// An overflowed inotify queue arrives as one rescan notice with no paths: whatever changed
/// meanwhile (here a dataset nobody reported) is picked up by rebuilding everything.
#[test]
fn an_overflowed_event_queue_rebuilds_everything() {
    let dir = deck(CHART_DECK);
    std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    std::fs::write(dir.path().join("data/d.csv"), "x,y\n1,2\n2,4\n").expect("data");
    let output = dir.path().join("out.pdf");
    let (events, injected) = channel();
    let watching = Watching::start_with(dir.path(), &output, Some(injected));
    // A change no event told of.
    std::fs::write(dir.path().join("data/d.csv"), "x,y\n1,2\n2,9\n").expect("data edit");
    let rescan = notify::Event::new(notify::EventKind::Other).set_flag(notify::event::Flag::Rescan);
    events.send(Ok(rescan)).expect("inject");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 2 ·"), "the chart is redrawn: {line}");

    // A watcher error is told, and also rebuilds everything.
    std::fs::write(dir.path().join("data/d.csv"), "x,y\n1,5\n2,9\n").expect("data edit");
    events
        .send(Err(notify::Error::generic("queue overflow")))
        .expect("inject");
    watching.expect("warning: file watching: queue overflow");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 2 ·"), "{line}");
}

/// `git checkout` of another branch, or a sync tool, may delete the deck's folder and make
/// it again: the new folder is watched, and edits in it rebuild.
#[test]
fn a_deck_folder_deleted_and_recreated_is_watched_again() {
    let parent = tempfile::tempdir().expect("temp dir");
    let deck_dir = parent.path().join("deck");
    std::fs::create_dir(&deck_dir).expect("mkdir");
    std::fs::write(deck_dir.join("deck.md"), SLIDES).expect("write");
    let output = parent.path().join("out.pdf");
    let watching = Watching::start(&deck_dir, &output);
    let good = std::fs::read(&output).expect("pdf");

    std::fs::remove_dir_all(&deck_dir).expect("delete deck");
    watching.expect("is gone; waiting for it to come back");
    assert_eq!(std::fs::read(&output).expect("pdf"), good, "the PDF stays");

    std::fs::create_dir(&deck_dir).expect("re-create");
    std::fs::write(
        deck_dir.join("deck.md"),
        SLIDES.replace("second text", "back"),
    )
    .expect("w");
    watching.expect("watching");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide 2 ·"), "{line}");

    // The new folder's events arrive.
    std::fs::write(
        deck_dir.join("deck.md"),
        SLIDES.replace("first text", "again"),
    )
    .expect("w");
    let line = watching.expect("rebuilt");
    assert!(line.contains("slide"), "{line}");
}

#[test]
fn quick_successive_saves_never_tear_the_pdf() {
    let dir = deck(SLIDES);
    let output = dir.path().join("out.pdf");
    let watching = Watching::start(dir.path(), &output);
    let md = dir.path().join("deck.md");
    let done = Arc::new(AtomicBool::new(false));
    let reader_done = done.clone();
    let reader_output = output.clone();
    let reader = std::thread::spawn(move || {
        let mut reads = 0;
        while !reader_done.load(Ordering::Relaxed) {
            if let Ok(bytes) = std::fs::read(&reader_output) {
                assert_whole_pdf(&bytes);
                reads += 1;
            }
        }
        reads
    });
    for i in 0..12 {
        std::fs::write(
            &md,
            SLIDES.replace("first text", &format!("edit number {i}")),
        )
        .expect("save");
        std::thread::sleep(Duration::from_millis(15));
    }
    // The last save wins: wait until a rebuild reports slide 1 after the burst.
    watching.expect("rebuilt");
    std::thread::sleep(Duration::from_millis(400));
    done.store(true, Ordering::Relaxed);
    assert!(
        reader.join().expect("reader") > 10,
        "the reader should have read the PDF many times"
    );
    let mut session =
        Session::open(&options(dir.path()), dir.path().join("check.pdf")).expect("session");
    let Outcome::Built { .. } = session.rebuild(false).outcome else {
        panic!("final text builds")
    };
    assert_whole_pdf(&std::fs::read(&output).expect("pdf"));
}

/// An edit inside one slide reaches the preview from a document of that slide alone, before
/// the whole deck is compiled: it must look exactly like the whole deck's page (fitting
/// included), and the whole deck must not send it a second time.
#[test]
fn quick_preview_of_an_edited_slide_matches_the_whole_deck() {
    let long: String = (1..=16).map(|i| format!("- point number {i}\n")).collect();
    let dir = deck(SLIDES);
    let md = dir.path().join("deck.md");
    let mut session =
        Session::open(&options(dir.path()), dir.path().join("out.pdf")).expect("session");
    let Outcome::Built { .. } = session.rebuild(false).outcome else {
        panic!("deck builds")
    };
    for edit in [
        SLIDES.replace("second text", "second, edited text"),
        // Too long for the slide: the preview must show it shrunk, as the whole deck does.
        SLIDES.replace("second text", &long),
    ] {
        std::fs::write(&md, &edit).expect("save");
        let mut calls: Vec<(Vec<usize>, Vec<Arc<str>>)> = Vec::new();
        let rebuild = session.rebuild_with(false, &mut |snapshot, changed| {
            calls.push((changed.to_vec(), snapshot.svgs.clone()));
        });
        let Outcome::Built { changed, .. } = rebuild.outcome else {
            panic!("edit builds")
        };
        assert_eq!(changed, vec![2], "only slide 2 changed");
        assert_eq!(calls.len(), 1, "one preview update, from the quick preview");
        assert_eq!(calls[0].0, vec![2]);
        // A fresh session laying out the whole edited deck draws the same slide.
        let mut fresh =
            Session::open(&options(dir.path()), dir.path().join("fresh.pdf")).expect("session");
        let Outcome::Built { .. } = fresh.rebuild(false).outcome else {
            panic!("edited deck builds")
        };
        assert!(
            calls[0].1[1] == fresh.snapshot().svgs[1],
            "the quick preview of slide 2 differs from the whole deck's"
        );
    }
}

// ---- The browser test -------------------------------------------------------------------

#[test]
fn preview_updates_in_place_in_headless_chromium() {
    let dir = deck(SLIDES);
    let md = dir.path().join("deck.md");
    let mut session =
        Session::open(&options(dir.path()), dir.path().join("out.pdf")).expect("session");
    let preview = Preview::start(0).expect("preview server");
    let publish = |session: &mut Session| {
        let rebuild = session.rebuild(true);
        let changed = match &rebuild.outcome {
            Outcome::Built { changed, .. } => changed.clone(),
            Outcome::Failed { .. } => Vec::new(),
        };
        preview.publish(session.snapshot(), &changed);
    };
    publish(&mut session);
    assert!(
        preview.url().starts_with("http://127.0.0.1:"),
        "loopback only"
    );

    let browser = Browser::open(&preview.url());
    browser.wait_until(
        "document.querySelectorAll('.slide svg').length === 2",
        "both slides shown",
    );
    wait_for(
        || (preview.clients() == 1).then_some(()),
        "the page to subscribe to updates",
    );
    // A marker that a page reload would wipe out.
    browser.eval("window.lecternMarker = 42; window.firstSlide = document.getElementById('s1').innerHTML; true");
    let before = browser.eval("document.getElementById('s2').innerHTML");

    // Edit slide 2 only: the page updates it in place.
    std::fs::write(&md, SLIDES.replace("second text", "second slide, edited")).expect("edit");
    publish(&mut session);
    browser.wait_until(
        "document.body.dataset.updates === '1'",
        "the update to arrive",
    );
    assert_ne!(
        browser.eval("document.getElementById('s2').innerHTML"),
        before,
        "slide 2 was redrawn"
    );
    assert_eq!(
        browser.eval("document.getElementById('s1').innerHTML === window.firstSlide"),
        true,
        "slide 1 untouched"
    );
    assert_eq!(browser.eval("window.lecternMarker"), 42, "no page reload");

    // A compile error shows an overlay that clears once fixed.
    std::fs::write(&md, format!("{SLIDES}\n```{{=typst}}\n#nope\n```\n")).expect("break");
    publish(&mut session);
    browser.wait_until("document.body.dataset.error === '1'", "the error overlay");
    assert_eq!(
        browser.eval("document.getElementById('error').textContent.includes('unknown variable')"),
        true,
        "the overlay shows the diagnostic"
    );
    std::fs::write(&md, SLIDES).expect("fix");
    publish(&mut session);
    browser.wait_until(
        "document.body.dataset.error === '0'",
        "the overlay to clear",
    );
    assert_eq!(browser.eval("window.lecternMarker"), 42, "still no reload");

    // Adding a slide appends it; the server never listens beyond loopback.
    std::fs::write(&md, format!("{SLIDES}\n### Three\n\nthird\n")).expect("add slide");
    publish(&mut session);
    browser.wait_until(
        "document.querySelectorAll('.slide svg').length === 3",
        "the new slide",
    );
    assert!(TcpStream::connect(("127.0.0.1", preview.port())).is_ok());
}

/// The plugins the shipped `lectern` registers that these tests use.
fn plugins() -> lectern_block::Registry {
    lectern_block::Registry::new()
        .with(lectern_charts::Charts)
        .with(lectern_diagrams::Diagrams)
        .with(lectern_qr::Qr)
        .with(lectern_table::Tables)
}
