//! Fixture notebooks (`tests/notebooks/*.ipynb`) converted to Markdown, snapshotted with the
//! files they serve and their warnings located in cells; the seed lecture's text export too.

use std::fmt::Write;
use std::path::Path;

use lectern_notebook::{Options, convert_json, text_export};

fn options(name: &str) -> Options {
    Options {
        name: name.to_string(),
        image_dir: "images".into(),
    }
}

fn summary(converted: &lectern_notebook::Converted, name: &str) -> String {
    let mut out = converted.markdown.clone();
    out.push_str("\n==> files\n");
    for (path, bytes) in &converted.files {
        let _ = writeln!(out, "{path} ({} bytes)", bytes.len());
    }
    out.push_str("==> warnings\n");
    for diag in converted.relocate(Path::new(name), &converted.diagnostics) {
        let _ = writeln!(
            out,
            "{}: {:?} {}",
            diag.file.display(),
            diag.range,
            diag.message
        );
    }
    out
}

#[test]
fn notebooks() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../../tests/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../../tests/notebooks", "*.ipynb", |path| {
            let json = std::fs::read_to_string(path).expect("fixture readable");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let converted = convert_json(&json, &options(&name)).expect("a notebook");
            insta::assert_snapshot!(summary(&converted, &name));
        });
    });
}

#[test]
fn the_seed_lectures_text_export_keeps_every_heading_outside_code() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_54c6cf5ada4d351d.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        eprintln!("skipped: {} not found", seed.display());
        return;
    };
    assert!(text_export::is_text_export(&text));
    let notebook = text_export::read(&text);
    let code_cells: Vec<_> = notebook
        .cells
        .iter()
        .filter(|c| c.kind == lectern_notebook::model::CellKind::Code)
        .collect();
    assert_eq!(code_cells.len(), 6, "six `In [None]:` cells");
    // A code cell ends where the next Markdown cell begins.
    assert!(code_cells.iter().all(|c| !c.source.contains("\n---\n")
        && !c.source.contains("\n## ")
        && !c.source.contains("\n### ")
        && c.source.trim_end().ends_with(')')));
    let converted = lectern_notebook::convert(&notebook, &options("lecture.txt"));
    assert!(
        converted.markdown.starts_with("---\nslide-level: 3\n---\n"),
        "{}",
        &converted.markdown[..200]
    );
    // Every heading of the text outside the code cells is a heading of the deck.
    let headings = |md: &str| -> Vec<String> {
        let mut fenced = false;
        md.lines()
            .filter(|l| {
                if l.starts_with("```") {
                    fenced = !fenced;
                }
                !fenced && l.starts_with('#')
            })
            .map(str::to_string)
            .collect()
    };
    // The seed's headings: its first line and every `##`…`######` line outside its own
    // ``` blocks (its code's comments are single `#` lines).
    let mut seed_headings = Vec::new();
    let mut fenced = false;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let heading = (hashes == 1 && n == 0) || (2..=6).contains(&hashes);
        if !fenced && heading && line[hashes..].starts_with(' ') {
            seed_headings.push(line.to_string());
        }
    }
    assert!(seed_headings.len() >= 50, "{}", seed_headings.len());
    // Continuation slides (`Title (2)`) repeat a heading; the rest are the seed's own.
    let own: Vec<String> = headings(&converted.markdown)
        .into_iter()
        .filter(|h| {
            let numbered = h.rsplit_once(" (").is_some_and(|(_, n)| {
                n.strip_suffix(')')
                    .is_some_and(|n| n.parse::<usize>().is_ok())
            });
            !numbered
        })
        .collect();
    assert_eq!(own, seed_headings);
}

#[test]
fn a_file_that_is_not_a_notebook_is_a_located_error() {
    let diag = convert_json("{\n  \"cells\": [\n    {,\n", &options("x.ipynb")).unwrap_err();
    assert!(diag.is_error());
    assert_eq!(
        lectern_deck::diag::line_col("{\n  \"cells\": [\n    {,\n", diag.range.start).0,
        3
    );
    let diag =
        convert_json(r#"{"nbformat": 3, "worksheets": []}"#, &options("x.ipynb")).unwrap_err();
    assert!(diag.message.contains("nbformat 4"), "{}", diag.message);
}
