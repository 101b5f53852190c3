//! Decks in git, end to end on temporary repositories: `lectern diff` names the slides a
//! change touched (text, data, theme; insertions, removals, moves), in every revision form,
//! with its exit status; and `lectern build` skips a deck nothing it reads has changed.

mod common;
use common::{lectern, text};

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str], cwd: &Path) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Lectern",
            "-c",
            "user.email=lectern@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

const SCORES: &str = "model,score\nSmall,0.41\nMedium,0.58\nLarge,0.79\n";

fn slides(titles: &[&str]) -> String {
    let mut deck = String::from("---\ntitle: Git lecture\n---\n\n");
    for title in titles {
        deck.push_str(&format!("## {title}\n\n"));
        if *title == "Scores" {
            deck.push_str(
                "```chart\ndata = \"data/scores.csv\"\nkind = \"bar\"\nx = \"model\"\ny = \"score\"\n```\n\n",
            );
        } else {
            deck.push_str(&format!(
                "- A point about {title}\n- Another thought on {title}\n\n"
            ));
        }
    }
    deck
}

/// A repository with a themes folder (a copy of the built-in theme) and one deck, committed.
fn repo(titles: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().to_path_buf();
    git(&["init", "-q"], &root);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/aula");
    for file in ["theme.typ", "palette.toml"] {
        let body = std::fs::read_to_string(theme.join(file)).expect("theme file");
        write(&root.join("themes/aula").join(file), &body);
    }
    write(&root.join("decks/talk/deck.md"), &slides(titles));
    write(&root.join("decks/talk/data/scores.csv"), SCORES);
    commit(&root, "first");
    (tmp, root)
}

fn commit(root: &Path, message: &str) {
    git(&["add", "-A"], root);
    git(&["commit", "-q", "-m", message], root);
}

/// `lectern diff` run in `cwd`: its exit code and the summary lines after the heading.
fn diff(cwd: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["diff"];
    all.extend(args);
    let out = lectern(&all, cwd);
    let stdout = text(&out.stdout);
    let code = out.status.code().unwrap_or(-1);
    assert!(code != 2, "trouble: {stdout}{}", text(&out.stderr));
    (code, stdout.lines().skip(1).map(str::to_string).collect())
}

const TITLES: &[&str] = &["Intro", "Scores", "Details", "Examples", "Old slide", "End"];

#[test]
fn an_unchanged_deck_differs_in_nothing() {
    let (_tmp, root) = repo(TITLES);
    let (code, lines) = diff(&root, &["decks/talk", "--stat"]);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(lines, ["no visible change (7 slides)"]);
}

#[test]
fn text_data_and_theme_changes_name_their_slides() {
    let (_tmp, root) = repo(TITLES);
    let deck = root.join("decks/talk/deck.md");
    let markdown = std::fs::read_to_string(&deck).unwrap();
    write(
        &deck,
        &markdown.replace("Another thought on Details", "A new thought on Details"),
    );
    let (code, lines) = diff(&root, &["decks/talk", "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "~ 4 Details (text)",
            "1 slide differs: 1 changed (7 slides)"
        ]
    );
    commit(&root, "text");

    write(
        &root.join("decks/talk/data/scores.csv"),
        &SCORES.replace("0.58", "0.95"),
    );
    let (code, lines) = diff(&root, &["decks/talk", "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "~ 3 Scores (chart)",
            "1 slide differs: 1 changed (7 slides)"
        ]
    );
    commit(&root, "data");

    // The theme is in the repository: a new accent colour changes every slide that shows it.
    let palette = root.join("themes/aula/palette.toml");
    let colours = std::fs::read_to_string(&palette).unwrap();
    let accent = colours
        .lines()
        .find(|l| l.starts_with("accent "))
        .expect("accent colour")
        .to_string();
    write(&palette, &colours.replace(&accent, "accent = \"#b5179e\""));
    commit(&root, "theme");
    let (code, lines) = diff(&root, &["decks/talk", "HEAD~1", "HEAD", "--stat"]);
    assert_eq!(code, 1);
    assert!(lines.iter().any(|l| l == "~ 3 Scores (chart)"), "{lines:?}");
    assert!(lines.iter().any(|l| l == "~ 2 Intro (layout)"), "{lines:?}");
    // Both revision forms agree, and the work tree is HEAD again.
    let (_, range) = diff(&root, &["decks/talk", "HEAD~1..HEAD", "--stat"]);
    assert_eq!(range, lines);
    assert_eq!(diff(&root, &["decks/talk", "--stat"]).0, 0);
}

#[test]
fn insertions_removals_and_moves_are_recognised_not_renumbered() {
    let (_tmp, root) = repo(TITLES);
    let deck = root.join("decks/talk/deck.md");
    // New at 3, "Old slide" gone, "Intro" moved after "Examples".
    write(
        &deck,
        &slides(&[
            "Scores",
            "New example",
            "Details",
            "Examples",
            "Intro",
            "End",
        ]),
    );
    let (code, lines) = diff(&root, &["decks/talk", "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "+ 3 New example",
            "- 6 Old slide",
            "> 2 → 6 Intro",
            "3 slides differ: 1 added, 1 removed, 1 moved (7 slides)"
        ]
    );
}

#[test]
fn one_revision_is_compared_with_the_work_tree_and_a_new_deck_is_all_added() {
    let (_tmp, root) = repo(TITLES);
    write(&root.join("decks/fresh/deck.md"), &slides(&["Only", "Two"]));
    commit(&root, "fresh deck");
    let (code, lines) = diff(&root, &["decks/fresh", "HEAD~1", "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "+ 1 Git lecture",
            "+ 2 Only",
            "+ 3 Two",
            "3 slides differ: 3 added (0 → 3 slides)"
        ]
    );
    // From another folder, by its path.
    let (code, _) = diff(&root.join("decks"), &["fresh", "HEAD", "--stat"]);
    assert_eq!(code, 0);
}

#[test]
fn the_report_is_written_unless_stat_and_trouble_exits_two() {
    let (_tmp, root) = repo(TITLES);
    let deck = root.join("decks/talk/deck.md");
    let markdown = std::fs::read_to_string(&deck).unwrap();
    write(&deck, &markdown.replace("## End", "## The end"));
    let (code, lines) = diff(&root, &["decks/talk"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines.last().map(String::as_str),
        Some("report: out/talk-diff.pdf")
    );
    let report = std::fs::read(root.join("out/talk-diff.pdf")).expect("report");
    assert!(report.starts_with(b"%PDF"));
    let (_, _) = diff(&root, &["decks/talk", "-o", "changes.pdf"]);
    assert!(root.join("changes.pdf").is_file());

    let out = lectern(&["diff", "decks/talk", "no-such-rev"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("`no-such-rev` names no commit"),
        "{}",
        text(&out.stderr)
    );
    // The work tree and the index are untouched.
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(
        text(&status.stdout),
        " M decks/talk/deck.md\n?? changes.pdf\n?? out/\n"
    );
}

/// `lectern build` in `root`: its first line of output.
fn build(root: &Path, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend(args);
    let out = lectern(&all, root);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_build_is_skipped_until_something_it_reads_changes() {
    let (_tmp, root) = repo(TITLES);
    let deck = root.join("decks/talk");
    std::fs::create_dir_all(deck.join("images")).unwrap();
    let markdown = std::fs::read_to_string(deck.join("deck.md")).unwrap();
    write(
        &deck.join("deck.md"),
        &markdown.replace(
            "## End",
            "## Picture\n\n![a square](images/square.svg)\n\n## End",
        ),
    );
    let square = |fill: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"{fill}\"/></svg>"
        )
    };
    write(&deck.join("images/square.svg"), &square("red"));
    let fresh = |root: &Path| build(root, &["decks/talk"]).starts_with("up to date:");
    assert!(!fresh(&root), "first build");
    assert!(fresh(&root), "nothing changed");
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let changes: Vec<Change> = vec![
        (
            "the Markdown",
            Box::new(|| {
                let md = std::fs::read_to_string(deck.join("deck.md")).unwrap();
                write(&deck.join("deck.md"), &(md + "\nOne more line.\n"));
            }),
        ),
        (
            "a data file",
            Box::new(|| {
                write(
                    &deck.join("data/scores.csv"),
                    &SCORES.replace("0.41", "0.44"),
                )
            }),
        ),
        (
            "an image",
            Box::new(|| write(&deck.join("images/square.svg"), &square("blue"))),
        ),
        (
            "the theme",
            Box::new(|| {
                let theme = root.join("themes/aula/theme.typ");
                let body = std::fs::read_to_string(&theme).unwrap();
                write(&theme, &(body + "\n// a comment\n"));
            }),
        ),
        (
            "a font added",
            Box::new(|| {
                let font = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../themes/fonts/inter/Inter-Italic.otf");
                std::fs::create_dir_all(deck.join("fonts")).unwrap();
                std::fs::copy(font, deck.join("fonts/Inter-Italic.otf")).unwrap();
            }),
        ),
        (
            "the PDF removed",
            Box::new(|| std::fs::remove_file(root.join("out/talk.pdf")).unwrap()),
        ),
    ];
    for (what, change) in changes {
        change();
        assert!(!fresh(&root), "{what} changed: built again");
        assert!(fresh(&root), "{what}: then up to date");
    }
    // A missing image that appears is an input too.
    let md = std::fs::read_to_string(deck.join("deck.md")).unwrap();
    write(
        &deck.join("deck.md"),
        &md.replace("square.svg", "later.svg"),
    );
    assert!(!fresh(&root));
    assert!(fresh(&root));
    write(&deck.join("images/later.svg"), &square("green"));
    assert!(!fresh(&root), "the missing image appeared");
    // A local theme made later under the name the front matter asks for wins.
    let md = std::fs::read_to_string(deck.join("deck.md")).unwrap();
    write(
        &deck.join("deck.md"),
        &md.replace("title: Git lecture", "title: Git lecture\ntheme: night"),
    );
    assert!(!fresh(&root));
    assert!(
        fresh(&root),
        "the unknown theme warned once, then up to date"
    );
    for file in ["theme.typ", "palette.toml"] {
        std::fs::create_dir_all(root.join("themes/night")).unwrap();
        std::fs::copy(
            root.join("themes/aula").join(file),
            root.join("themes/night").join(file),
        )
        .unwrap();
    }
    assert!(!fresh(&root), "the theme appeared");
    // Other settings and --force build.
    assert!(build(&root, &["decks/talk", "--force"]).starts_with("built "));
    assert!(build(&root, &["decks/talk", "--strict"]).starts_with("built "));
    assert!(build(&root, &["decks/talk", "--handout"]).starts_with("built "));
    assert!(build(&root, &["decks/talk", "--handout"]).starts_with("up to date:"));
}

#[test]
fn another_deck_built_into_the_same_output_is_built() {
    let (_tmp, root) = repo(TITLES);
    write(&root.join("2025/talk/deck.md"), &slides(&["Other", "Deck"]));
    assert!(build(&root, &["decks/talk"]).starts_with("built "));
    assert!(
        build(&root, &["2025/talk"]).starts_with("built "),
        "same out/talk.pdf, other deck"
    );
    assert!(build(&root, &["2025/talk"]).starts_with("up to date:"));
}

#[test]
fn an_unchanged_course_is_skipped_deck_by_deck() {
    let (_tmp, root) = repo(TITLES);
    write(&root.join("decks/second/deck.md"), &slides(&["One", "Two"]));
    let first = build(&root, &["decks"]);
    assert_eq!(first.matches(" ok ").count(), 2, "{first}");
    let again = build(&root, &["decks"]);
    assert_eq!(again.matches(" up to date ").count(), 2, "{again}");
    write(
        &root.join("decks/second/deck.md"),
        &slides(&["One", "Three"]),
    );
    let third = build(&root, &["decks"]);
    assert!(
        third
            .lines()
            .any(|l| l.starts_with("second ") && l.contains(" ok ")),
        "{third}"
    );
    assert!(
        third
            .lines()
            .any(|l| l.starts_with("talk ") && l.contains(" up to date ")),
        "{third}"
    );
}

#[test]
fn a_loose_markdown_file_at_the_top_of_a_repository() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    git(&["init", "-q"], root);
    write(&root.join("talk.md"), &slides(&["One", "Two"]));
    commit(root, "talk");
    write(&root.join("talk.md"), &slides(&["One", "Two", "Three"]));
    std::fs::create_dir_all(root.join("notes")).unwrap();
    let (code, lines) = diff(&root.join("notes"), &["../talk.md", "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["+ 4 Three", "1 slide differs: 1 added (3 → 4 slides)"]
    );
}

#[test]
fn a_notebook_deck_is_compared_slide_by_slide() {
    let (_tmp, root) = repo(TITLES);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/notebooks/gradient.ipynb");
    let notebook = std::fs::read_to_string(fixture).expect("fixture");
    write(&root.join("notebooks/gradient.ipynb"), &notebook);
    commit(&root, "notebook");
    write(
        &root.join("notebooks/gradient.ipynb"),
        &notebook.replace(
            "Each step moves *against*",
            "Each step moves *down*, against",
        ),
    );
    let (code, lines) = diff(&root, &["notebooks/gradient.ipynb", "--stat"]);
    assert_eq!(code, 1, "{lines:?}");
    assert_eq!(lines[0], "~ 3 Taking steps (text)", "{lines:?}");
}
