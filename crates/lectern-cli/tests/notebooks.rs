//! Notebooks through the `lectern` binary: `build`, `export` and `--handout` on an .ipynb,
//! a course folder holding a notebook deck, and `lectern import` of a notebook and of the
//! seed lecture's plain-text export into deck folders that build clean.

mod common;
use common::{lectern, text};

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo")
}

fn copy_fixture(name: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::copy(repo().join("tests/notebooks").join(name), to).expect("copy fixture");
}

#[test]
fn build_export_and_handout_take_a_notebook() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_fixture("gradient.ipynb", &tmp.path().join("gradient.ipynb"));
    let out = lectern(&["build", "gradient.ipynb", "--strict"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("8 slides"),
        "{}",
        text(&out.stdout)
    );
    assert!(tmp.path().join("out/gradient.pdf").is_file());
    assert!(tmp.path().join("out/gradient.pdfpc").is_file());
    // Nothing is written beside the notebook: its images are served from memory.
    assert!(!tmp.path().join("__notebook__").exists());
    let out = lectern(&["build", "gradient.ipynb", "--strict"], tmp.path());
    assert!(
        text(&out.stdout).contains("up to date"),
        "{}",
        text(&out.stdout)
    );
    let out = lectern(&["build", "gradient.ipynb", "--handout"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tmp.path().join("out/gradient-handout.pdf").is_file());
    let out = lectern(
        &["export", "gradient.ipynb", "--slides", "2", "-o", "img"],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tmp.path().join("img/slide-002.png").is_file());
}

#[test]
fn a_course_folder_builds_a_notebook_deck_beside_markdown_ones() {
    let tmp = tempfile::tempdir().expect("tmp");
    let course = tmp.path().join("course");
    copy_fixture("quarto.ipynb", &course.join("week-1/deck.ipynb"));
    std::fs::create_dir_all(course.join("week-2")).expect("mkdir");
    std::fs::write(
        course.join("week-2/deck.md"),
        "# Week 2\n\n## Slide\n\nText\n",
    )
    .expect("write");
    let out = lectern(&["build", "course", "-o", "pdfs"], tmp.path());
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(tmp.path().join("pdfs/week-1.pdf").is_file());
    assert!(tmp.path().join("pdfs/week-2.pdf").is_file());
    // A folder holding only deck.ipynb is a deck too.
    let out = lectern(&["build", "course/week-1", "-o", "one.pdf"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn import_writes_a_deck_folder_with_the_output_images() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_fixture("gradient.ipynb", &tmp.path().join("gradient.ipynb"));
    let out = lectern(
        &["import", "gradient.ipynb", "-o", "decks/gradient/deck.md"],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let deck = tmp.path().join("decks/gradient");
    let markdown = std::fs::read_to_string(deck.join("deck.md")).expect("deck.md");
    assert!(
        markdown.contains("![](images/cell-4-output-1.png)"),
        "{markdown}"
    );
    assert!(
        markdown.contains("```python\nxs = np.linspace"),
        "{markdown}"
    );
    for image in [
        "cell-4-output-1.png",
        "cell-8-output-1.svg",
        "cell-16-sketch.png",
    ] {
        assert!(deck.join("images").join(image).is_file(), "{image}");
    }
    let out = lectern(&["build", "decks/gradient", "--strict"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A deck that exists is not overwritten unless asked.
    let out = lectern(
        &["import", "gradient.ipynb", "-o", "decks/gradient/deck.md"],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );

    // Never into a notebook (not even the one imported), never over another deck's images.
    let out = lectern(
        &[
            "import",
            "gradient.ipynb",
            "-o",
            "gradient.ipynb",
            "--force",
        ],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(
        std::fs::read_to_string(tmp.path().join("gradient.ipynb"))
            .expect("kept")
            .starts_with('{')
    );
    std::fs::write(deck.join("images/cell-4-output-1.png"), b"another deck's").expect("write");
    let out = lectern(
        &["import", "gradient.ipynb", "-o", "decks/gradient/other.md"],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("another image"),
        "{}",
        text(&out.stderr)
    );

    // Images the Markdown names beside the notebook come along into the deck.
    std::fs::create_dir_all(tmp.path().join("figures")).expect("mkdir");
    std::fs::copy(
        deck.join("images/cell-8-output-1.svg"),
        tmp.path().join("figures/plot.svg"),
    )
    .expect("copy");
    let local = r###"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "## Local\n\n![a figure](figures/plot.svg)"}]}"###;
    std::fs::write(tmp.path().join("local.ipynb"), local).expect("write");
    let out = lectern(&["import", "local.ipynb", "-o", "decks/local"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tmp.path().join("decks/local/figures/plot.svg").is_file());
    let out = lectern(&["build", "decks/local", "--strict"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn the_seed_lectures_text_export_imports_into_a_deck_that_builds_clean() {
    let seed = repo().join("../shared/seeds/000_54c6cf5ada4d351d.txt");
    if !seed.is_file() {
        eprintln!("skipped: {} not found", seed.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let seed = seed.to_str().expect("utf-8 path");
    let out = lectern(
        &["import", seed, "-o", "decks/lecture-07/deck.md"],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = lectern(&["build", "decks/lecture-07", "--strict"], tmp.path());
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    let slides: usize = stdout
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    // Every `###` of the lecture is a slide, and every `##` a section.
    assert!(slides >= 75, "{stdout}");
}
