//! The `lectern` binary end to end: one deck (PDF + pdfpc, atomic, no PDF on failure), slide
//! image export, and a whole course where one broken deck does not stop the others.

mod common;
use common::{lectern, text};

use std::path::{Path, PathBuf};
use std::process::Command;

fn themes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../themes")
        .canonicalize()
        .expect("themes")
}

fn write_deck(dir: &Path, markdown: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("deck.md"), markdown).expect("write deck");
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
        "### A\n\n```{=typst}\n#nope\n```\n",
    );
    let out = lectern(
        &["build", "bad", "--themes", themes, "-o", "bad.pdf"],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("deck.md:4:"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("bad.pdf").exists(), "no PDF on failure");
}

#[test]
fn the_binary_builds_anywhere_and_new_decks_build_clean() {
    // The release binary alone, in a folder with no themes/ anywhere above it.
    let tmp = tempfile::tempdir().expect("tmp");
    let binary = tmp.path().join("lectern");
    std::fs::copy(env!("CARGO_BIN_EXE_lectern"), &binary).expect("copy binary");
    let run = |args: &[&str]| {
        Command::new(&binary)
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("run")
    };
    std::fs::write(
        tmp.path().join("talk.md"),
        "# Talk\n\n## Part\n\n### Slide\n\nHello 👋\n",
    )
    .expect("write talk");
    let out = run(&["build", "talk.md"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).is_empty(),
        "no warnings: {}",
        text(&out.stderr)
    );
    assert!(tmp.path().join("out/talk.pdf").is_file());

    let out = run(&["new", "intro"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tmp.path().join("intro/data/results.csv").is_file());
    let out = run(&["build", "intro", "--strict"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).is_empty(),
        "no warnings: {}",
        text(&out.stderr)
    );
    let out = run(&["new", "intro"]);
    assert!(!out.status.success(), "does not overwrite a deck");
    // A folder with the lecturer's data but no deck yet: the data stays.
    std::fs::create_dir_all(tmp.path().join("mine/data")).expect("mkdir");
    std::fs::write(tmp.path().join("mine/data/results.csv"), "own,data\n1,2\n").expect("w");
    let out = run(&["new", "mine"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/data/results.csv")).expect("read"),
        "own,data\n1,2\n"
    );
    let out = run(&["export", "intro", "--slides", "1", "-o", "img"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn warnings_build_a_pdf_unless_strict() {
    let tmp = tempfile::tempdir().expect("tmp");
    let tags = [
        "video", "audio", "iframe", "canvas", "object", "embed", "form", "button", "input",
    ];
    let html: String = tags
        .iter()
        .enumerate()
        .map(|(i, tag)| format!("### S{i}\n\n<{tag}>{i}</{tag}>\n\n"))
        .collect();
    write_deck(
        &tmp.path().join("d"),
        &format!("---\ntitel: x\n---\n{html}### Pic\n\n![cat](cat.png)\n"),
    );
    let out = lectern(&["build", "d", "-o", "d.pdf"], tmp.path());
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(tmp.path().join("d.pdf").is_file());
    assert!(stderr.contains("did you mean `title`?"), "{stderr}");
    assert!(
        stderr.contains("6 more raw HTML warnings like the above"),
        "{stderr}"
    );
    assert!(
        stderr.contains("11 warnings (9 raw HTML, 1 front matter, 1 image)"),
        "{stderr}"
    );
    let out = lectern(&["build", "d", "-o", "strict.pdf", "--strict"], tmp.path());
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--strict"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !tmp.path().join("strict.pdf").exists(),
        "no PDF under --strict"
    );
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

    // One HTML file holding every page, presenting offline.
    let out = lectern(&["export", "d", "--format", "html"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("exported 3 slides (3 pages"),
        "{}",
        text(&out.stdout)
    );
    let html = std::fs::read_to_string(tmp.path().join("out/d.html")).expect("html");
    assert!(html.contains("id=\"lectern-deck\"") && html.contains("deflate-raw+base64"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
}

#[test]
fn present_serves_both_views_and_writes_no_pdf() {
    use std::io::{Read, Write};
    let tmp = tempfile::tempdir().expect("tmp");
    std::os::unix::fs::symlink(themes(), tmp.path().join("themes")).expect("themes link");
    write_deck(&tmp.path().join("d"), "### One\n\na\n\n<!-- say a -->\n");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["present", "d", "--no-open", "--port", &port.to_string()])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run lectern present");
    let get = |path: &str| -> Option<String> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok()?;
        Some(answer)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut page = None;
    while page.is_none() && std::time::Instant::now() < deadline {
        page = get("/presenter");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let audience = get("/present");
    let _ = child.kill();
    let _ = child.wait();
    let page = page.expect("the console is served");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("id=\"console\""));
    assert!(
        audience
            .expect("the audience view")
            .starts_with("HTTP/1.1 200")
    );
    assert!(!tmp.path().join("out").exists(), "no PDF without -o");
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

#[test]
fn themes_lists_local_and_built_in_themes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = lectern(&["themes"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(listed.starts_with("aula "), "{listed}");
    assert!(listed.contains("(built in)"), "{listed}");

    std::fs::create_dir_all(tmp.path().join("themes/mine")).expect("mkdir");
    std::fs::write(
        tmp.path().join("themes/mine/theme.typ"),
        "// Mine: my own colours\n#let deck(body) = body\n",
    )
    .expect("theme");
    write_deck(&tmp.path().join("d"), "### A\n\na\n");
    let out = lectern(&["themes", "d"], tmp.path());
    let listed = text(&out.stdout);
    let names: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        ["mine", "aula", "dusk", "contrast", "scholar"],
        "{listed}"
    );
    assert!(
        listed.starts_with("mine      my own colours (local: "),
        "{listed}"
    );
}
