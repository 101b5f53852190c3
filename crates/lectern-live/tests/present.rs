//! The audience view (`/present`) and the presenter console (`/presenter`) in a real headless
//! Chromium: keys, step order, the two windows in sync, notes, timer and countdown, a live edit
//! while presenting, and the exported HTML file presenting from `file://`.

mod browser;

use std::path::{Path, PathBuf};

use browser::{Browser, Page, wait_for};
use lectern_live::{Outcome, Preview, Session};
use lectern_typst::ProjectOptions;

const DECK: &str = "---
title: Timing test
duration: 10min
end-slide: 5
---

# Part one

## Alpha

first

<!-- Alpha notes with *emphasis* -->

## Steps

one

<!-- pause -->

two

<!-- pause -->

three

<!-- Steps notes -->

# Part two

## Gamma

gamma text

<!-- Gamma notes -->

## Backup

extra
";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn options(dir: &Path) -> ProjectOptions {
    ProjectOptions {
        deck: dir.to_path_buf(),
        themes_dir: Some(repo().join("themes")),
        theme: None,
        ..ProjectOptions::new("")
    }
}

fn rebuild(session: &mut Session) -> Vec<usize> {
    match session.rebuild(false).outcome {
        Outcome::Built { changed, .. } => changed,
        Outcome::Failed { diagnostics } => panic!("build failed: {diagnostics}"),
    }
}

/// (slide, step), 1-based, of every page in order, from the presentation model.
fn expected_steps(meta: &serde_json::Value) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    for (i, slide) in meta["slides"]
        .as_array()
        .expect("slides")
        .iter()
        .enumerate()
    {
        for step in 0..slide["pages"].as_array().expect("pages").len() {
            steps.push(((i + 1).to_string(), (step + 1).to_string()));
        }
    }
    steps
}

/// Builds `markdown` in `dir` and writes it as one HTML file there; its `file://` URL.
fn export_html(dir: &Path, markdown: &str) -> String {
    std::fs::write(dir.join("deck.md"), markdown).expect("write deck");
    let mut session = Session::open(&options(dir), dir.join("out.pdf")).expect("session");
    rebuild(&mut session);
    let snapshot = session.snapshot();
    let svgs: Vec<&str> = snapshot.svgs.iter().map(|s| &**s).collect();
    let html = lectern_live::standalone::html(&svgs, &snapshot.meta);
    let file = dir.join("deck.html");
    std::fs::write(&file, &html).expect("write html");
    format!("file://{}", file.display())
}

fn at(page: &Page) -> (String, String) {
    (page.data("slide"), page.data("step"))
}

fn text(page: &Page, id: &str) -> String {
    page.eval(&format!("document.getElementById('{id}').textContent"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Sets the console's timer to `seconds` elapsed and returns the countdown's colour class.
fn mood_after(console: &Page, seconds: u32) -> String {
    console
        .eval(&format!(
            "lectern.timer.started = Date.now() - {seconds} * 1000; lectern.timer.pausedAt = null; \
             lectern.timer.draw(); document.getElementById('countdown').dataset.mood"
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn audience_and_console_present_in_sync_in_headless_chromium() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("deck.md");
    std::fs::write(&md, DECK).expect("write deck");
    let mut session =
        Session::open(&options(dir.path()), dir.path().join("out.pdf")).expect("session");
    let preview = Preview::start(0).expect("server");
    let changed = rebuild(&mut session);
    preview.publish(session.snapshot(), &changed);
    let steps = expected_steps(&session.snapshot().meta);
    let last = (steps.len() - 1).to_string();
    assert!(
        steps.contains(&("4".into(), "3".into())),
        "the Steps slide has three steps: {steps:?}"
    );
    assert!(!dir.path().join("out.pdf").exists(), "no PDF unless asked");

    let base = preview.url();
    let browser = Browser::open(&format!("{base}present"));
    let audience = browser.page();
    audience.wait_data("page", "0");
    assert_eq!(audience.data("mode"), "audience");
    let console = &browser.open_page(&format!("{base}presenter"));
    console.wait_data("page", "0");
    assert_eq!(console.data("mode"), "presenter");
    assert_eq!(
        console.data("timer"),
        "stopped",
        "the timer waits for the talk to start"
    );
    console.eval("window.marker = 7; true");
    audience.eval("window.marker = 7; true");

    // Every page in order, steps included, with the console following the audience view.
    let mut seen = vec![at(audience)];
    for page in 1..steps.len() {
        audience.press("ArrowRight");
        audience.wait_data("page", &page.to_string());
        seen.push(at(audience));
    }
    assert_eq!(seen, steps, "the pages come slide by slide, step by step");
    console.wait_data("page", &last);
    audience.press("PageDown");
    assert_eq!(audience.data("page"), last, "nothing after the last page");
    assert_eq!(text(console, "end"), "End of the deck");

    // Back, first, last; Space forward.
    audience.press("PageUp");
    audience.wait_data("page", &(steps.len() - 2).to_string());
    audience.press("ArrowLeft");
    audience.wait_data("page", &(steps.len() - 3).to_string());
    audience.press("Home");
    audience.wait_data("page", "0");
    audience.press(" ");
    audience.wait_data("page", "1");
    audience.press("End");
    audience.wait_data("page", &last);
    console.wait_data("page", &last);

    // A digit followed by another key is forgotten: Enter then means "next", not a jump.
    audience.press("Home");
    audience.wait_data("page", "0");
    audience.type_keys("6");
    audience.press("ArrowRight");
    audience.wait_data("page", "1");
    audience.press("Enter");
    audience.wait_data("page", "2");
    assert_eq!(audience.data("slide"), "3");
    // The address holds the place, so a reload comes back to it.
    assert_eq!(audience.eval("location.hash"), "#3");
    // A click on the slide goes on, as in PowerPoint.
    audience.eval(
        "const a = document.getElementById('audience'); \
         a.dispatchEvent(new PointerEvent('pointerdown', {clientX: 500, pointerType: 'mouse', bubbles: true})); \
         a.dispatchEvent(new PointerEvent('pointerup', {clientX: 500, pointerType: 'mouse', button: 0, bubbles: true})); true",
    );
    audience.wait_data("page", "3");

    // A number and Enter jumps to that slide (its first step), from the console too.
    console.type_keys("4");
    console.press("Enter");
    console.wait_data("slide", "4");
    assert_eq!(at(console), ("4".into(), "1".into()));
    audience.wait_data("slide", "4");
    assert!(text(console, "next-caption").contains("Next step"));
    assert!(
        text(console, "position").starts_with("4 / 7"),
        "{}",
        text(console, "position")
    );
    // ↓ skips the remaining steps.
    console.press("ArrowDown");
    console.wait_data("slide", "5");
    audience.wait_data("slide", "5");
    console.press("ArrowUp");
    console.wait_data("slide", "4");

    // Notes follow the slide, as rendered Markdown.
    console.type_keys("3");
    console.press("Enter");
    console.wait_data("slide", "3");
    let notes = console.eval("document.getElementById('notes').innerHTML");
    assert!(
        notes
            .as_str()
            .unwrap_or_default()
            .contains("<em>emphasis</em>"),
        "{notes}"
    );
    console.press("ArrowRight");
    console.wait_until(
        "document.getElementById('notes').textContent.includes('Steps notes')",
        "the next slide's notes",
    );
    let size = console
        .data("notesSize")
        .parse::<u32>()
        .expect("notes size");
    console.eval("document.getElementById('notes-larger').click(); true");
    assert_eq!(console.data("notesSize"), (size + 2).to_string());
    console.press("-");
    assert_eq!(console.data("notesSize"), size.to_string());

    // The jump list goes by section.
    let groups = console
        .eval("[...document.querySelectorAll('#jumplist optgroup')].map(g => g.label).join('|')");
    assert_eq!(groups, "Part one|Part two");
    console.eval(
        "const j = document.getElementById('jumplist'); j.value = '5'; \
         j.dispatchEvent(new Event('change')); true",
    );
    console.wait_data("slide", "6");
    audience.wait_data("slide", "6");

    // The timer started with the first move; it runs; the countdown shows the duration.
    assert_eq!(console.data("timer"), "running");
    let before = text(console, "elapsed");
    wait_for(
        || (text(console, "elapsed") != before).then_some(()),
        "the elapsed time to advance",
    );
    assert_eq!(
        console.eval("document.getElementById('countdown-group').hidden"),
        false
    );
    assert!(
        text(console, "countdown").starts_with("00:09:")
            || text(console, "countdown") == "00:10:00",
        "{}",
        text(console, "countdown")
    );
    // Colours as pdfpc's: behind or ahead of the pace (±1 minute of where the clock should
    // be halfway through this slide, of 5 timed slides in 10 minutes), the last minutes, over.
    console.press("Home");
    console.wait_data("slide", "1");
    assert_eq!(mood_after(console, 30), "");
    assert_eq!(mood_after(console, 200), "too-slow");
    console.type_keys("5");
    console.press("Enter");
    console.wait_data("slide", "5");
    assert_eq!(mood_after(console, 100), "too-fast");
    assert_eq!(mood_after(console, 560), "last-minutes");
    assert_eq!(mood_after(console, 700), "overtime");
    assert!(
        text(console, "countdown").starts_with('+'),
        "over time counts up"
    );
    console.press("p");
    assert_eq!(console.data("timer"), "paused");
    console.press("p");
    assert_eq!(console.data("timer"), "running");

    // Black out from the console; the audience goes black and back.
    console.press("b");
    audience.wait_data("black", "1");
    assert_eq!(
        audience.eval("document.getElementById('black').hidden"),
        false
    );
    console.press("b");
    audience.wait_data("black", "0");

    // The overview: every slide; arrows choose, Enter goes.
    audience.press("o");
    assert_eq!(
        audience.eval("document.querySelectorAll('#overview figure').length"),
        7
    );
    audience.press("ArrowRight");
    audience.press("Enter");
    audience.wait_data("slide", "6");
    assert_eq!(
        audience.eval("document.getElementById('overview').hidden"),
        true
    );
    console.wait_data("slide", "6");

    // A live edit while presenting: a slide added before this one and new notes here. Both
    // windows update in place and stay on the same slide (now the 7th).
    let updates = console.data("updates").parse::<u32>().expect("updates");
    std::fs::write(
        &md,
        DECK.replace("## Alpha", "## New\n\nadded\n\n## Alpha")
            .replace("Gamma notes", "Gamma notes, edited"),
    )
    .expect("edit");
    let changed = rebuild(&mut session);
    preview.publish(session.snapshot(), &changed);
    let newer = |page: &Page| {
        wait_for(
            || (page.data("updates").parse::<u32>().unwrap_or(0) > updates).then_some(()),
            "the live update",
        )
    };
    newer(console);
    newer(audience);
    console.wait_data("slide", "7");
    audience.wait_data("slide", "7");
    console.wait_until(
        "document.getElementById('notes').textContent.includes('Gamma notes, edited')",
        "the edited notes",
    );
    assert_eq!(console.eval("window.marker"), 7, "no reload");
    assert_eq!(audience.eval("window.marker"), 7, "no reload");
    assert!(text(console, "position").starts_with("7 / 8"));
}

#[test]
fn exported_html_presents_from_a_file_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = export_html(dir.path(), DECK);

    let browser = Browser::open(&url);
    let audience = browser.page();
    audience.wait_data("page", "0");
    assert_eq!(audience.eval("document.title"), "Timing test · 1 / 7");
    for key in ["ArrowRight", "ArrowRight", "PageDown"] {
        audience.press(key);
    }
    audience.wait_data("page", "3");
    assert_eq!(at(audience), ("4".into(), "1".into()));
    assert_eq!(
        audience.eval("document.getElementById('stage').src.startsWith('blob:')"),
        true
    );
    // The console opened beside it takes its position, and leads from then on.
    let console = &browser.open_page(&format!("{url}#presenter"));
    console.wait_data("mode", "presenter");
    console.wait_data("page", "3");
    console.press("ArrowRight");
    audience.wait_data("page", "4");
    assert_eq!(at(audience), ("4".into(), "2".into()));
    assert_eq!(console.eval("location.hash"), "#presenter-4.2");
    assert!(text(console, "notes").contains("Steps notes"));
    // Nothing came from the network.
    let fetched = audience.eval(
        "performance.getEntriesByType('resource').map(e => e.name)\
         .filter(n => !n.startsWith('blob:') && !n.startsWith('data:')).length",
    );
    assert_eq!(fetched, 0);
}

#[test]
fn the_console_frames_take_the_decks_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deck = "---\ntitle: Square-ish\ntheme-options:\n  aspect: \"4:3\"\n---\n\n## One\n\ntext\n\n## Two\n\nmore\n";
    let url = export_html(dir.path(), deck);

    let browser = Browser::open(&format!("{url}#presenter"));
    let console = browser.page();
    console.wait_data("mode", "presenter");
    console.wait_data("page", "0");
    let ratio = console.eval(
        "(() => { const r = document.querySelector('#current-frame > .slot').getBoundingClientRect(); \
         return r.width / r.height; })()",
    );
    let ratio = ratio.as_f64().expect("a number");
    let debug = console.eval(
        "(() => { const s = document.querySelector('#current-frame > .slot'); const r = s.getBoundingClientRect();          return [getComputedStyle(document.documentElement).getPropertyValue('--aspect'), getComputedStyle(s).aspectRatio, r.width, r.height, innerWidth, innerHeight].join(' '); })()",
    );
    assert!(
        (ratio - 4.0 / 3.0).abs() < 0.02,
        "frame ratio {ratio}: {debug}"
    );
}
