//! Every example of the CommonMark 0.29 spec, as the whole `deck.md` of a deck, builds a PDF:
//! no error and no panic. Output is not compared with the spec's HTML.
//!
//! The examples come from `tests/commonmark/spec-0.29.json` (see its README), compiled into
//! the test, so nothing is fetched at test time.

mod common;
use common::plugins;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lectern_typst::{Project, ProjectOptions};

const SPEC: &str = include_str!("../../../tests/commonmark/spec-0.29.json");
const EXAMPLES: usize = 649;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

struct Example {
    number: u64,
    section: String,
    /// The spec's Markdown with `→` turned back into tabs.
    markdown: String,
}

fn examples() -> Vec<Example> {
    let json: serde_json::Value = serde_json::from_str(SPEC).expect("spec JSON");
    json.as_array()
        .expect("an array of examples")
        .iter()
        .map(|e| Example {
            number: e["example"].as_u64().expect("example number"),
            section: e["section"].as_str().expect("section").to_string(),
            markdown: e["markdown"].as_str().expect("markdown").replace('→', "\t"),
        })
        .collect()
}

/// What went wrong with one example.
enum Failure {
    Open(String),
    /// Compile or PDF export errors: the first error's message, and all diagnostics rendered.
    Errors {
        first: String,
        rendered: String,
    },
    Panic(String),
}

impl Failure {
    /// The line failures are grouped by.
    fn cause(&self) -> String {
        match self {
            Failure::Open(e) => format!("open: {e}"),
            Failure::Errors { first, .. } => format!("error: {first}"),
            Failure::Panic(p) => format!("panic: {p}"),
        }
    }

    fn details(&self) -> &str {
        match self {
            Failure::Open(e) => e,
            Failure::Errors { rendered, .. } => rendered,
            Failure::Panic(p) => p,
        }
    }
}

#[derive(Default)]
struct Timings {
    open: Duration,
    compile: Duration,
    pdf: Duration,
}

/// Opens, compiles and exports one deck; the warnings of a successful build.
fn build(
    dir: &Path,
    themes: &Path,
    timings: &mut Timings,
) -> Result<Vec<lectern_deck::Diagnostic>, Failure> {
    let start = Instant::now();
    let mut project = Project::open(&ProjectOptions {
        deck: dir.to_path_buf(),
        themes_dir: Some(themes.to_path_buf()),
        theme: None,
        blocks: plugins(),
        ..ProjectOptions::new("")
    })
    .map_err(|e| Failure::Open(e.to_string()))?;
    timings.open += start.elapsed();

    let errors = |project: &Project, diagnostics: &[lectern_deck::Diagnostic]| {
        let first = diagnostics.iter().find(|d| d.is_error()).map_or_else(
            || "(no error diagnostic)".to_string(),
            |d| d.message.clone(),
        );
        Failure::Errors {
            first,
            rendered: project.render_diagnostics(diagnostics, false),
        }
    };

    let start = Instant::now();
    let compiled = project.compile();
    timings.compile += start.elapsed();
    let compiled = compiled.map_err(|failed| errors(&project, &failed.diagnostics))?;

    let start = Instant::now();
    let pdf = project.pdf(&compiled.document);
    timings.pdf += start.elapsed();
    let pdf = pdf.map_err(|failed| errors(&project, &failed.diagnostics))?;
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    project.evict();
    Ok(compiled.warnings)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string())
}

fn list(numbers: &[u64]) -> String {
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_commonmark_example_builds_a_pdf() {
    let examples = examples();
    assert_eq!(examples.len(), EXAMPLES, "examples in the spec JSON");
    let themes = repo().join("themes");
    let root = tempfile::tempdir().expect("temp dir");

    let total = Instant::now();
    let mut timings = Timings::default();
    let mut failures: Vec<(&Example, Failure)> = Vec::new();
    // Warning message (its quoted snippet cut off) -> examples that produced it.
    let mut warnings: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for example in &examples {
        let dir = root.path().join(format!("example-{:03}", example.number));
        std::fs::create_dir(&dir).expect("deck folder");
        std::fs::write(dir.join("deck.md"), &example.markdown).expect("write deck");
        let outcome = catch_unwind(AssertUnwindSafe(|| build(&dir, &themes, &mut timings)))
            .unwrap_or_else(|payload| Err(Failure::Panic(panic_message(&*payload))));
        match outcome {
            Ok(found) => {
                for warning in found {
                    let message = match warning.message.split_once(": `") {
                        Some((kind, _)) => kind.to_string(),
                        None => warning.message,
                    };
                    let numbers = warnings.entry(message).or_default();
                    if numbers.last() != Some(&example.number) {
                        numbers.push(example.number);
                    }
                }
            }
            Err(failure) => failures.push((example, failure)),
        }
    }
    let total = total.elapsed();

    println!(
        "{EXAMPLES} CommonMark examples in {:.2?} (open {:.2?}, compile {:.2?}, pdf {:.2?})",
        total, timings.open, timings.compile, timings.pdf
    );
    println!("warnings by message:");
    for (message, numbers) in &warnings {
        println!("  {message}: {}", list(numbers));
    }

    let mut causes: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (example, failure) in &failures {
        causes
            .entry(failure.cause())
            .or_default()
            .push(example.number);
    }
    let mut report = format!(
        "{} of {EXAMPLES} CommonMark examples fail to build:\n",
        failures.len()
    );
    for (cause, numbers) in &causes {
        report += &format!("  {cause}: {}\n", list(numbers));
    }
    for (example, failure) in &failures {
        report += &format!(
            "\n--- example {} ({}) ---\n{}\n{}\n",
            example.number,
            example.section,
            example.markdown.trim_end(),
            failure.details().trim_end()
        );
    }
    assert!(failures.is_empty(), "{report}");
}
