//! `cargo xtask bench`: medians of cold builds, compiles, exports and one-word edits, plus the
//! peak memory of a cold build, on Lecture 7 and on a synthetic 300-slide deck.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::bail;
use lectern_live::{Outcome, Session};
use lectern_typst::{Project, ProjectOptions};

use crate::cargo::{build_cli, repo_root};

const LECTURE: &str = "decks/lecture-07-emergence";
/// A sentence on one slide of the lecture; each edit replaces its last word with a new one.
const EDIT_FROM: &str = "Компресията изисква разбиране.";

pub fn run(json: Option<&Path>, runs: usize) -> anyhow::Result<()> {
    let repo = repo_root()?;
    let lectern = build_cli(&repo)?;
    let scratch = tempdir()?;

    let lecture = copy_deck(&repo.join(LECTURE), &scratch.join("lecture"), 1)?;
    let large = copy_deck(&repo.join(LECTURE), &scratch.join("large"), 4)?;

    // Cold builds run from a child xtask so that its peak-RSS figure covers only `lectern`
    // processes (not the cargo build above).
    let output = Command::new(std::env::current_exe()?)
        .arg("cold-builds")
        .arg(&lectern)
        .arg(&lecture)
        .arg(repo.join("themes"))
        .arg(scratch.join("cold.pdf"))
        .arg(runs.to_string())
        .output()?;
    if !output.status.success() {
        bail!(
            "cold builds failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let cold_build_ms = report["median_ms"].as_f64().unwrap_or_default();
    let peak_rss_mb = report["peak_rss_kb"].as_f64().unwrap_or_default() / 1024.0;

    let options = |deck: &Path| ProjectOptions {
        deck: deck.to_path_buf(),
        themes_dir: Some(repo.join("themes")),
        theme: None,
        blocks: lectern_cli::plugins::registry(),
        hide_positions: false,
        ..ProjectOptions::new("")
    };
    let (mut compile, mut export) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        // Drop every cached result so each compile starts cold (fonts stay loaded).
        comemo::evict(0);
        let mut project = Project::open(&options(&lecture))?;
        let start = Instant::now();
        let compiled = project.compile().map_err(|f| {
            anyhow::anyhow!("{}", project.render_diagnostics(&f.diagnostics, false))
        })?;
        compile.push(start.elapsed());
        let start = Instant::now();
        project
            .pdf(&compiled.document)
            .map_err(|_| anyhow::anyhow!("PDF export failed"))?;
        export.push(start.elapsed());
    }

    let unchanged_course = unchanged_course(&lectern, &repo, &scratch, runs)?;
    let edits = edit_loop(&options(&lecture), &scratch.join("edit.pdf"), runs)?;
    let large_edits = edit_loop(&options(&large), &scratch.join("large.pdf"), runs)?;

    let results = [
        ("cold_build_ms", cold_build_ms),
        ("compile_ms", ms(median(&compile))),
        ("pdf_export_ms", ms(median(&export))),
        ("edit_compile_ms", ms(median(&edits.compile))),
        ("edit_to_pdf_ms", ms(median(&edits.to_pdf))),
        ("edit_to_preview_ms", ms(median(&edits.to_preview))),
        ("peak_rss_mb", peak_rss_mb),
        (
            "large_deck_edit_to_preview_ms",
            ms(median(&large_edits.to_preview)),
        ),
        ("large_deck_edit_to_pdf_ms", ms(median(&large_edits.to_pdf))),
        ("unchanged_course_build_ms", ms(unchanged_course)),
    ];
    println!("{:<32} {:>10}", "measure (median of runs)", "value");
    for (name, value) in &results {
        println!("{name:<32} {value:>10.1}");
    }
    println!(
        "runs: {runs}; lecture: {} slides; large deck: {} slides",
        edits.slides, large_edits.slides
    );
    if let Some(path) = json {
        let mut map = serde_json::Map::new();
        for (name, value) in results {
            map.insert(
                name.to_string(),
                serde_json::json!((value * 10.0).round() / 10.0),
            );
        }
        map.insert("runs".into(), serde_json::json!(runs));
        std::fs::write(path, serde_json::to_string_pretty(&map)? + "\n")?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// The median time of `lectern build` on a course of six copies of the lecture that was
/// built before and has not changed since (every deck is skipped).
fn unchanged_course(
    lectern: &Path,
    repo: &Path,
    scratch: &Path,
    runs: usize,
) -> anyhow::Result<Duration> {
    let course = scratch.join("course");
    for n in 1..=6 {
        copy_deck(&repo.join(LECTURE), &course.join(format!("deck-{n}")), 1)?;
    }
    let build = || -> anyhow::Result<Duration> {
        let start = Instant::now();
        let status = Command::new(lectern)
            .arg("build")
            .arg(&course)
            .arg("--themes")
            .arg(repo.join("themes"))
            .arg("-o")
            .arg(scratch.join("course-out"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("`lectern build` of the course failed");
        }
        Ok(start.elapsed())
    };
    build()?;
    let times = (0..runs)
        .map(|_| build())
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(median(&times))
}

/// Runs `lectern build` `runs` times and prints the median time and the peak RSS of the runs
/// (the largest child's, from getrusage) as JSON.
pub fn cold_builds(
    lectern: &Path,
    deck: &Path,
    themes: &Path,
    output: &Path,
    runs: usize,
) -> anyhow::Result<()> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(lectern)
            .arg("build")
            .arg(deck)
            .arg("--themes")
            .arg(themes)
            .arg("-o")
            .arg(output)
            // Every run builds: an unchanged deck would otherwise be skipped.
            .arg("--force")
            .stdout(std::process::Stdio::null())
            .status()?;
        times.push(start.elapsed());
        if !status.success() {
            bail!("`lectern build` failed");
        }
    }
    // ru_maxrss is in KiB on Linux.
    let peak =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)?.max_rss();
    println!(
        "{}",
        serde_json::json!({"median_ms": ms(median(&times)), "peak_rss_kb": peak})
    );
    Ok(())
}

struct Edits {
    compile: Vec<Duration>,
    to_preview: Vec<Duration>,
    to_pdf: Vec<Duration>,
    slides: usize,
}

/// One-word edits on one slide, each timed from writing the Markdown to the moment the
/// session hands the new slide's SVG to the preview, and to the PDF on disk. The watcher's
/// debounce is not included.
fn edit_loop(options: &ProjectOptions, output: &Path, runs: usize) -> anyhow::Result<Edits> {
    let deck_md = options.deck.join("deck.md");
    let original = std::fs::read_to_string(&deck_md)?;
    let mut session = Session::open(options, output.to_path_buf())?;
    let first = session.rebuild(true);
    let slides = match first.outcome {
        Outcome::Built { pages, .. } => pages,
        Outcome::Failed { diagnostics } => bail!("{diagnostics}"),
    };
    let mut edits = Edits {
        compile: Vec::new(),
        to_preview: Vec::new(),
        to_pdf: Vec::new(),
        slides,
    };
    // Every edit types a word never seen before (as a lecturer does), so Typst's caches
    // cannot already hold the edited slide. The first two edits warm up and are not counted.
    for i in 0..runs + 2 {
        let text = original.replacen(EDIT_FROM, &format!("Компресията изисква знание{i}."), 1);
        let start = Instant::now();
        std::fs::write(&deck_md, text)?;
        let mut previewed = None;
        let rebuild = session.rebuild_with(true, &mut |_, _| {
            previewed.get_or_insert(start.elapsed());
        });
        let total = start.elapsed();
        let Outcome::Built { changed, .. } = &rebuild.outcome else {
            bail!("edit broke the build")
        };
        if changed.len() != 1 {
            bail!("a one-word edit changed slides {changed:?}");
        }
        if i >= 2 {
            edits.compile.push(rebuild.compile);
            edits.to_preview.push(previewed.unwrap_or(total));
            edits.to_pdf.push(total);
        }
    }
    std::fs::write(&deck_md, original)?;
    Ok(edits)
}

fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn tempdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("lectern-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Copies a deck (Markdown, its other files such as the bibliography, and data); `repeat`
/// > 1 repeats its slides to make a larger deck.
fn copy_deck(from: &Path, to: &Path, repeat: usize) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(to.join("data"))?;
    for entry in std::fs::read_dir(from.join("data"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join("data").join(entry.file_name()))?;
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() && entry.file_name() != "deck.md" {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    let markdown = std::fs::read_to_string(from.join("deck.md"))?;
    let body_start = markdown[3..].find("\n---\n").map_or(0, |i| i + 3 + 5);
    let (front, body) = markdown.split_at(body_start);
    let mut out = front.to_string();
    for _ in 0..repeat {
        out.push_str(body);
        out.push_str("\n\n---\n\n");
    }
    std::fs::write(to.join("deck.md"), out)?;
    Ok(to.to_path_buf())
}
