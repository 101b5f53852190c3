//! `cargo xtask soak`: many saves of Lecture 7 under `lectern watch` with a browser's event
//! stream connected. Checks that no save is lost (each one rebuilds its slide, and the last
//! PDF equals a fresh build of the last text), that no reader ever sees a torn PDF, and that
//! memory stays flat (RSS after 100 saves against RSS at the end).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::cargo::{build_cli, repo_root};

const LECTURE: &str = "decks/lecture-07-emergence";
/// A sentence on one slide of the lecture; save `i` ends it with `i`.
const EDIT_FROM: &str = "Компресията изисква разбиране.";
/// One save's rebuild must arrive within this.
const SAVE_TIMEOUT: Duration = Duration::from_secs(20);
/// RSS at the end may exceed RSS after 100 saves by this factor before it counts as growth.
const RSS_GROWTH_LIMIT: f64 = 1.15;

pub fn run(saves: usize) -> anyhow::Result<()> {
    let repo = repo_root()?;
    let lectern = build_cli(&repo)?;
    let scratch = tempfile_dir()?;
    let deck = scratch.join("deck");
    copy_dir(&repo.join(LECTURE), &deck)?;
    let markdown = std::fs::read_to_string(deck.join("deck.md"))?;
    if !markdown.contains(EDIT_FROM) {
        bail!("the lecture no longer contains the sentence the soak edits");
    }
    let output = scratch.join("out.pdf");
    let themes = repo.join("themes");

    let mut child = Command::new(&lectern)
        .arg("watch")
        .arg(&deck)
        .arg("-o")
        .arg(&output)
        .args(["--port", "0", "--themes"])
        .arg(&themes)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting lectern watch")?;
    let result = soak(&mut child, &deck, &markdown, &output, saves);
    let _ = child.kill();
    let _ = child.wait();
    let report = result?;

    // The last save is what the PDF shows: a fresh build of the final text is identical.
    let check = scratch.join("check.pdf");
    let status = Command::new(&lectern)
        .arg("build")
        .arg(&deck)
        .arg("-o")
        .arg(&check)
        .arg("--themes")
        .arg(&themes)
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("a fresh build of the final text failed");
    }
    let same = std::fs::read(&check)? == std::fs::read(&output)?;
    let _ = std::fs::remove_dir_all(&scratch);
    println!("{report}");
    println!(
        "final PDF {} a fresh build of the last save",
        if same { "equals" } else { "DIFFERS FROM" }
    );
    if !same {
        bail!("the watched PDF lost the last save");
    }
    Ok(())
}

fn soak(
    child: &mut Child,
    deck: &Path,
    markdown: &str,
    output: &Path,
    saves: usize,
) -> anyhow::Result<String> {
    let lines = report_lines(child)?;
    let first = wait_line(&lines, "rebuilt", SAVE_TIMEOUT * 3)?;
    let port = wait_line(&lines, "preview at ", SAVE_TIMEOUT)?
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse::<u16>().ok())
        .context("preview port")?;
    wait_line(&lines, "watching ", SAVE_TIMEOUT)?;
    let events = Arc::new(AtomicUsize::new(0));
    let _browser = connect_browser(port, events.clone())?;

    // A reader hammering the PDF all along: every read must be a whole PDF.
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (stop, output) = (stop.clone(), output.to_path_buf());
        std::thread::spawn(move || -> (usize, usize) {
            let (mut reads, mut torn) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                if let Ok(bytes) = std::fs::read(&output) {
                    reads += 1;
                    torn += usize::from(!whole_pdf(&bytes));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            (reads, torn)
        })
    };

    let pid = child.id();
    let start_rss = rss_kb(pid);
    let mut rss_100 = None;
    let mut latencies = Vec::with_capacity(saves);
    let mut unchanged = 0;
    let md = deck.join("deck.md");
    for save in 1..=saves {
        let text = markdown.replace(
            EDIT_FROM,
            &format!("{} {save}.", EDIT_FROM.trim_end_matches('.')),
        );
        let start = Instant::now();
        // Editors save both ways: in place, and a temporary file renamed over the original.
        if save % 2 == 0 {
            std::fs::write(&md, &text)?;
        } else {
            let tmp = deck.join(".deck.md.swp");
            std::fs::write(&tmp, &text)?;
            std::fs::rename(&tmp, &md)?;
        }
        let line = wait_line(&lines, "rebuilt", SAVE_TIMEOUT)
            .with_context(|| format!("save {save} was never rebuilt"))?;
        latencies.push(start.elapsed());
        if line.contains("no slide changed") {
            unchanged += 1;
        }
        if save == 100 {
            rss_100 = rss_kb(pid);
        }
    }
    let rss_end = rss_kb(pid);
    stop.store(true, Ordering::Relaxed);
    let (reads, torn) = reader
        .join()
        .map_err(|_| anyhow::anyhow!("reader panicked"))?;
    latencies.sort();
    let pct = |p: usize| latencies[(latencies.len() - 1) * p / 100].as_secs_f64() * 1000.0;
    let mb = |kb: Option<u64>| kb.map_or("?".into(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
    let report = format!(
        "soak: {saves} saves of {LECTURE} under watch, browser stream connected\n\
         first build: {first}\n\
         save → PDF: median {:.0} ms, p95 {:.0} ms, max {:.0} ms\n\
         saves whose slide did not change (lost): {unchanged}\n\
         PDF reads during the soak: {reads}, torn: {torn}\n\
         preview events received: {}\n\
         RSS: start {}, after 100 saves {}, after {saves} saves {}",
        pct(50),
        pct(95),
        pct(100),
        events.load(Ordering::Relaxed),
        mb(start_rss),
        mb(rss_100),
        mb(rss_end),
    );
    if unchanged > 0 || torn > 0 {
        bail!("{report}\nsaves were lost or a PDF was torn");
    }
    if let (Some(at_100), Some(end)) = (rss_100, rss_end)
        && saves >= 200
        && end as f64 > at_100 as f64 * RSS_GROWTH_LIMIT
    {
        bail!("{report}\nmemory grew by more than {RSS_GROWTH_LIMIT}x");
    }
    Ok(report)
}

/// The child's report lines (stderr), on a channel.
fn report_lines(child: &mut Child) -> anyhow::Result<Receiver<String>> {
    let stderr = child.stderr.take().context("watch stderr")?;
    let (sender, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    Ok(lines)
}

fn wait_line(lines: &Receiver<String>, needle: &str, timeout: Duration) -> anyhow::Result<String> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return Ok(line),
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    bail!("no line with {needle:?} in time; saw {seen:#?}")
}

/// An event-stream client, as the preview page opens it, counting the messages it reads.
fn connect_browser(port: u16, events: Arc<AtomicUsize>) -> anyhow::Result<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
    )?;
    let reading = stream.try_clone()?;
    std::thread::spawn(move || {
        let mut reader = BufReader::new(reading);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            if line.starts_with(b"data: ") {
                events.fetch_add(1, Ordering::Relaxed);
            }
            line.clear();
        }
    });
    Ok(stream)
}

fn whole_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// Resident memory of a process, from /proc (Linux); `None` elsewhere.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lectern-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
