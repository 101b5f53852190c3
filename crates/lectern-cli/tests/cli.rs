//! The `lectern` binary end to end: one deck (PDF + pdfpc, atomic, no PDF on failure), slide
//! image export, and a whole course where one broken deck does not stop the others.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn themes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../themes")
        .canonicalize()
        .expect("themes")
}

fn lectern(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run lectern")
}

fn write_deck(dir: &Path, markdown: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("deck.md"), markdown).expect("write deck");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_writes_pdf_and_pdfpc_and_nothing_on_failure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let themes = themes();
    let themes = themes.to_str().expect("utf-8 path");
    write_deck(&tmp.path().join("good"), "### A\n\ntext <!-- note -->\n");
    let out = lectern(
        &["build", "good", "--themes", themes, "-o", "good.pdf"],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 slides, 1 pages"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        std::fs::read(tmp.path().join("good.pdf"))
            .expect("pdf")
            .starts_with(b"%PDF-")
    );
    let pdfpc = std::fs::read_to_string(tmp.path().join("good.pdfpc")).expect("sidecar");
    assert!(
        pdfpc.contains("\"pdfpcFormat\": 2") && pdfpc.contains("\"note\": \"note\""),
        "{pdfpc}"
    );

    write_deck(
        &tmp.path().join("bad"),
        "---\ntitle: [unclosed\n---\n### A\n",
    );
    let out = lectern(
        &["build", "bad", "--themes", themes, "-o", "bad.pdf"],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("deck.md:2:"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("bad.pdf").exists(), "no PDF on failure");
}

#[test]
fn export_writes_the_chosen_slides() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::os::unix::fs::symlink(themes(), tmp.path().join("themes")).expect("themes link");
    write_deck(
        &tmp.path().join("d"),
        "### One\n\na\n\n### Two\n\nb\n\n### Three\n\nc\n",
    );
    let out = lectern(
        &[
            "export", "d", "--format", "png", "--slides", "2-3", "--scale", "0.5", "-o", "img",
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut files: Vec<String> = std::fs::read_dir(tmp.path().join("img"))
        .expect("img dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["slide-002.png", "slide-003.png"]);
    let out = lectern(&["export", "d", "--format", "svg", "-o", "svg"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_dir(tmp.path().join("svg"))
            .expect("svg dir")
            .count(),
        3
    );
    let out = lectern(&["export", "d", "--slides", "4"], tmp.path());
    assert!(!out.status.success() && text(&out.stderr).contains("outside slides 1-3"));
}

#[test]
fn course_builds_every_deck_and_reports_failures() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::os::unix::fs::symlink(themes(), tmp.path().join("themes")).expect("themes link");
    let course = tmp.path().join("decks");
    write_deck(&course.join("a-intro"), "### Hello\n\nworld\n");
    write_deck(
        &course.join("b-broken"),
        "### Broken\n\n```{=typst}\n#nope\n```\n",
    );
    write_deck(&course.join("c-more"), "### More\n\ntext\n");
    let out = lectern(&["build", "decks", "-o", "out"], tmp.path());
    assert!(
        !out.status.success(),
        "a broken deck makes the exit code say so"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("3 deck(s), 1 failed"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("b-broken") && l.contains("FAILED")),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("3/3"),
        "progress: {}",
        text(&out.stderr)
    );
    for ok in ["a-intro", "c-more"] {
        assert!(
            tmp.path().join("out").join(format!("{ok}.pdf")).is_file(),
            "{ok} built"
        );
    }
    assert!(!tmp.path().join("out/b-broken.pdf").exists());
}
