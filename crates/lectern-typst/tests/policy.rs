//! The build policy: everything a lecturer can type builds, with a located warning and a
//! visible stand-in; only unreadable decks, broken raw Typst and broken chart data fail.

mod common;
use common::plugins;

use std::path::{Path, PathBuf};

use lectern_deck::Diagnostic;
use lectern_deck::diag::Kind;
use lectern_typst::inspect::{missing_glyphs, page_text};
use lectern_typst::{Compiled, Project, ProjectOptions};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// A deck in a temporary folder with no themes/ above it: the built-in theme is used.
struct Deck {
    dir: tempfile::TempDir,
}

impl Deck {
    fn new(markdown: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("deck.md"), markdown).expect("write deck");
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn options(&self) -> ProjectOptions {
        ProjectOptions {
            blocks: plugins(),
            ..ProjectOptions::new(self.path())
        }
    }

    /// Builds (the PDF too), expecting success; returns the project, result and the
    /// rendered warnings.
    fn build_with(&self, options: ProjectOptions) -> (Project, Compiled, String) {
        let mut project = Project::open(&options).expect("open deck");
        let compiled = match project.compile() {
            Ok(compiled) => compiled,
            Err(failed) => panic!(
                "expected a PDF, got errors:\n{}",
                project.render_diagnostics(&failed.diagnostics, false)
            ),
        };
        project.pdf(&compiled.document).expect("PDF export");
        let rendered = project.render_diagnostics(&compiled.warnings, false);
        (project, compiled, rendered)
    }

    fn build(&self) -> (Compiled, String) {
        let (_, compiled, rendered) = self.build_with(self.options());
        (compiled, rendered)
    }
}

fn text_of(compiled: &Compiled) -> String {
    let pages: Vec<String> = compiled.document.pages().iter().map(page_text).collect();
    pages.join("\n")
}

fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

fn kinds(warnings: &[Diagnostic]) -> Vec<Kind> {
    warnings.iter().map(|d| d.kind).collect()
}

#[test]
fn images_that_cannot_be_shown_become_placeholders() {
    let deck = Deck::new(
        "### Images\n\n![A missing cat](images/cat.png)\n\n\
         Inline ![remote](https://example.com/x.png), ![abs](/etc/passwd), \
         ![up](../secret.png) and ![fake](images/fake.png).\n",
    );
    std::fs::create_dir(deck.path().join("images")).expect("mkdir");
    std::fs::write(deck.path().join("images/fake.png"), "not an image").expect("write");
    let (compiled, rendered) = deck.build();
    assert_eq!(compiled.warnings.len(), 5, "{rendered}");
    assert!(kinds(&compiled.warnings).iter().all(|k| *k == Kind::Image));
    for (place, what) in [
        ("deck.md:3:18", "is not in the deck folder"),
        ("deck.md:5:18", "remote address"),
        ("deck.md:5:53", "absolute path"),
        ("deck.md:5:73", "outside the deck folder"),
        ("deck.md:5:100", "is not an image"),
    ] {
        assert!(
            rendered.contains(place) && rendered.contains(what),
            "{place} {what}:\n{rendered}"
        );
    }
    let text = squeezed(&text_of(&compiled));
    assert!(
        text.contains("IMAGENOTFOUND") && text.contains("Amissingcat"),
        "{text}"
    );
    assert!(text.contains("images/cat.png"), "{text}");
    // Captioned as an image, not numbered as a code listing.
    assert!(!text.contains("Listing"), "{text}");
    for alt in ["remote", "abs", "up", "fake"] {
        assert!(text.contains(alt), "inline stand-in for {alt}: {text}");
    }
}

/// Files that claim to be SVG or PDF (by their first bytes) but are broken: stand-ins, not a
/// failed build.
#[test]
fn broken_vector_images_become_placeholders() {
    let deck = Deck::new(
        "### SVG\n\n![broken svg](images/a.svg)\n\n### PDF\n\n![broken pdf](images/b.pdf)\n\n\
         ### Fine\n\n![good](images/c.svg)\n",
    );
    std::fs::create_dir(deck.path().join("images")).expect("mkdir");
    std::fs::write(
        deck.path().join("images/a.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'><g></svg",
    )
    .expect("write");
    std::fs::write(deck.path().join("images/b.pdf"), "%PDF-1.7\ngarbage").expect("write");
    std::fs::write(
        deck.path().join("images/c.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
    )
    .expect("write");
    let (compiled, rendered) = deck.build();
    assert_eq!(compiled.warnings.len(), 2, "{rendered}");
    for (place, what) in [
        ("deck.md:3:15", "not a valid SVG file"),
        ("deck.md:7:15", "a PDF that cannot be read"),
    ] {
        assert!(
            rendered.contains(place) && rendered.contains(what),
            "{place} {what}:\n{rendered}"
        );
    }
}

#[test]
fn a_missing_image_in_a_footnote_is_a_warning_too() {
    let deck =
        Deck::new("### S\n\nSee the figure.[^f]\n\n[^f]: As drawn: ![sketch](images/none.png)\n");
    let (compiled, rendered) = deck.build();
    assert_eq!(kinds(&compiled.warnings), [Kind::Image], "{rendered}");
    assert!(rendered.contains("deck.md:5:27"), "{rendered}");
    assert!(
        text_of(&compiled).contains("sketch"),
        "the stand-in shows the alt text"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_deck_are_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.svg");
    std::fs::write(&secret, "<svg xmlns='http://www.w3.org/2000/svg'/>").expect("write");
    let deck = Deck::new("### S\n\n![x](images/secret.svg)\n");
    std::fs::create_dir(deck.path().join("images")).expect("mkdir");
    std::os::unix::fs::symlink(&secret, deck.path().join("images/secret.svg")).expect("link");
    let (compiled, rendered) = deck.build();
    assert!(
        rendered.contains("outside the deck folder") && rendered.contains("deck.md:3:6"),
        "{rendered}"
    );
    assert!(lectern_typst::inspect::images(&compiled.document).is_empty());
}

#[test]
fn math_lectern_cannot_convert_shows_its_source() {
    let deck = Deck::new("### Math\n\nBefore $\\foo{x} + 1$ after, and $x^2$ too.\n");
    let (compiled, rendered) = deck.build();
    assert_eq!(kinds(&compiled.warnings), [Kind::Math], "{rendered}");
    assert!(
        rendered.contains("deck.md:3:9") && rendered.contains("`\\foo`"),
        "{rendered}"
    );
    let text = text_of(&compiled);
    assert!(text.contains("\\foo{x} + 1"), "{text}");
    assert!(text.contains("Before") && text.contains("after"), "{text}");
}

#[test]
fn front_matter_problems_are_warnings() {
    let deck = Deck::new(
        "---\ntitle: Hello\nsize: 4:3\ntitel: x\nslide-level: high\ntheme: gaia\n---\n### S\n\ntext\n",
    );
    let (compiled, rendered) = deck.build();
    assert!(
        rendered.contains("Marp setting") && rendered.contains("did you mean `title`?"),
        "{rendered}"
    );
    assert!(
        rendered.contains("`slide-level` must be a number"),
        "{rendered}"
    );
    assert!(
        rendered.contains("unknown theme `gaia`; using the default theme `aula`"),
        "{rendered}"
    );
    assert!(squeezed(&text_of(&compiled)).contains("Hello"));

    let deck = Deck::new("---\ntitle: [unclosed\n---\n### S\n\ntext\n");
    let (compiled, rendered) = deck.build();
    assert!(rendered.contains("not valid YAML"), "{rendered}");
    assert_eq!(compiled.slides, 1);
}

#[test]
fn empty_links_are_their_text() {
    let deck = Deck::new("### S\n\nA [link]() and [other](<>) here.\n");
    let (compiled, rendered) = deck.build();
    assert!(compiled.warnings.is_empty(), "{rendered}");
    assert!(text_of(&compiled).contains("link"));
}

#[test]
fn characters_no_font_has_are_named_with_their_line() {
    let deck = Deck::new("### Fine\n\nok\n\n### Tifinagh\n\nAmazigh: ⵣ and ⴰ here.\n");
    let (compiled, rendered) = deck.build();
    assert_eq!(kinds(&compiled.warnings), [Kind::Glyphs], "{rendered}");
    assert!(
        rendered.contains("slide 2: no font has U+2D63 'ⵣ', U+2D30 'ⴰ'")
            && rendered.contains("deck.md:7:10")
            && rendered.contains("fonts/"),
        "{rendered}"
    );
}

#[test]
fn emoji_come_from_the_built_in_emoji_font() {
    let deck = Deck::new("### Emoji 🎉\n\nThumbs 👍, rocket 🚀, fire 🔥, check ✅, heart ❤️.\n");
    let (compiled, rendered) = deck.build();
    assert!(compiled.warnings.is_empty(), "{rendered}");
    assert!(missing_glyphs(&compiled.document).is_empty());
}

/// Libertinus Serif (one of Typst's own fonts) has Hebrew, which the built-in fonts lack.
fn write_hebrew_font(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let data = typst_assets::fonts()
        .find(|data| {
            typst::text::FontInfo::new(data, 0).is_some_and(|info| {
                info.family == "Libertinus Serif"
                    && info.variant == typst::text::FontVariant::default()
            })
        })
        .expect("Libertinus Serif");
    std::fs::write(dir.join("LibertinusSerif-Regular.otf"), data).expect("write font");
}

#[test]
fn fonts_come_from_the_deck_and_font_paths() {
    let markdown = "### Shalom\n\nשלום\n";
    let deck = Deck::new(markdown);
    let (compiled, rendered) = deck.build();
    assert_eq!(kinds(&compiled.warnings), [Kind::Glyphs], "{rendered}");

    write_hebrew_font(&deck.path().join("fonts"));
    let (compiled, rendered) = deck.build();
    assert!(compiled.warnings.is_empty(), "deck fonts/: {rendered}");

    let elsewhere = tempfile::tempdir().expect("temp dir");
    write_hebrew_font(elsewhere.path());
    let deck = Deck::new(markdown);
    let options = ProjectOptions {
        font_paths: vec![elsewhere.path().to_path_buf()],
        ..deck.options()
    };
    let (_, compiled, rendered) = deck.build_with(options);
    assert!(compiled.warnings.is_empty(), "--font-path: {rendered}");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let deck = Deck::new("### S\n\n![x](missing.png)\n");
    let options = ProjectOptions {
        strict: true,
        ..deck.options()
    };
    let mut project = Project::open(&options).expect("open");
    let failed = project.compile().err().expect("strict fails on a warning");
    assert!(failed.diagnostics.iter().all(Diagnostic::is_error));
    assert_eq!(failed.diagnostics[0].kind, Kind::Image);
}

#[test]
fn real_errors_still_fail() {
    let deck = Deck::new("### S\n\n```{=typst}\n#nope\n```\n");
    let mut project = Project::open(&deck.options()).expect("open");
    assert!(project.compile().is_err(), "broken raw Typst");
    std::fs::remove_file(deck.path().join("deck.md")).expect("rm");
    assert!(Project::open(&deck.options()).is_err(), "no deck file");
}

#[test]
fn bare_latex_environments_are_display_math() {
    let deck = Deck::new(
        "### Energy\n\nAs pandoc reads it:\n\n\\begin{equation}\nE = mc^2 \\\\\n\\end{equation}\n\nafter\n",
    );
    let (compiled, rendered) = deck.build();
    assert!(compiled.warnings.is_empty(), "{rendered}");
    let text = squeezed(&text_of(&compiled));
    assert!(!text.contains("begin"), "{text}");
    assert!(text.contains("after"), "{text}");
}

#[test]
fn many_warnings_are_grouped_with_a_summary() {
    // One warning per kind of tag: twelve different ones.
    let tags = [
        "video", "audio", "iframe", "canvas", "object", "embed", "form", "button", "input",
        "select", "table", "dialog",
    ];
    let slides: String = tags
        .iter()
        .enumerate()
        .map(|(i, tag)| format!("### S{i}\n\n<{tag}>{i}</{tag}>\n\n"))
        .collect();
    let deck = Deck::new(&format!("{slides}![x](missing.png)\n"));
    let (project, compiled, _) = deck.build_with(deck.options());
    let report = project.render_report(&compiled.warnings, false, false);
    assert_eq!(report.matches("warning: raw HTML").count(), 3, "{report}");
    assert!(
        report.contains("9 more raw HTML warnings like the above"),
        "{report}"
    );
    assert!(
        report.contains("13 warnings (12 raw HTML, 1 image)"),
        "{report}"
    );
    let everything = project.render_report(&compiled.warnings, false, true);
    assert_eq!(everything.matches("warning: raw HTML").count(), 12);
}

#[test]
fn the_built_in_theme_needs_no_themes_folder() {
    let deck = Deck::new("---\ntitle: Anywhere\n---\n### S\n\ntext\n");
    let (project, compiled, rendered) = deck.build_with(deck.options());
    assert!(compiled.warnings.is_empty(), "{rendered}");
    assert!(project.theme_root().path().is_none(), "built-in theme");
    // A local theme of the same name wins.
    let themes = deck.path().join("themes/aula");
    std::fs::create_dir_all(&themes).expect("mkdir");
    for file in ["theme.typ", "palette.toml"] {
        std::fs::copy(repo().join("themes/aula").join(file), themes.join(file)).expect("copy");
    }
    let (project, _, _) = deck.build_with(deck.options());
    assert_eq!(
        project.theme_root().path(),
        Some(themes.canonicalize().expect("canonical").as_path())
    );
}

#[test]
fn missing_side_and_background_images_are_located_and_stood_in_for() {
    let deck = Deck::new(
        "# T\n\n---\nlayout: image-right\nimage: images/nope.jpg\n---\n\n# Side\n\ntext\n\n---\n\n![bg](images/gone.png)\n\n## Bg\n\ntext\n",
    );
    let (compiled, rendered) = deck.build();
    assert_eq!(compiled.warnings.len(), 2, "{rendered}");
    assert!(
        rendered.contains("deck.md:5:8") && rendered.contains("a placeholder is shown"),
        "{rendered}"
    );
    assert!(
        rendered.contains("deck.md:14:7") && rendered.contains("no background image"),
        "{rendered}"
    );
    let text = squeezed(&text_of(&compiled));
    assert!(
        text.contains("images/nope.jpg"),
        "the side panel names it: {text}"
    );
}
