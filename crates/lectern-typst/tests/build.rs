//! End-to-end: Markdown decks compiled through the embedded Typst, checked page by page.

mod common;
use common::plugins;

use std::path::{Path, PathBuf};

use lectern_deck::Diagnostic;
use lectern_typst::inspect::{images, missing_glyphs, page_text};
use lectern_typst::{Project, ProjectOptions};
use proptest::prelude::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn lecture() -> PathBuf {
    repo().join("decks/lecture-07-emergence")
}

/// A throwaway deck folder with `deck.md` (and any extra files), using the repo's themes.
struct TempDeck {
    dir: tempfile::TempDir,
}

impl TempDeck {
    fn new(markdown: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("deck.md"), markdown).expect("write deck");
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn project(&self) -> Project {
        let options = ProjectOptions {
            deck: self.path().to_path_buf(),
            themes_dir: Some(repo().join("themes")),
            theme: None,
            blocks: plugins(),
            hide_positions: false,
            ..ProjectOptions::new("")
        };
        Project::open(&options).expect("open deck")
    }

    fn errors(&self) -> (Vec<Diagnostic>, String) {
        let mut project = self.project();
        match project.compile() {
            Ok(_) => panic!("expected the deck to fail"),
            Err(failed) => {
                let rendered = project.render_diagnostics(&failed.diagnostics, false);
                (failed.diagnostics, rendered)
            }
        }
    }
}

/// Compiles, failing the test with the rendered diagnostics.
fn compile(project: &mut Project) -> lectern_typst::Compiled {
    match project.compile() {
        Ok(compiled) => compiled,
        Err(failed) => panic!("{}", project.render_diagnostics(&failed.diagnostics, false)),
    }
}

fn export(project: &Project, compiled: &lectern_typst::Compiled) -> Vec<u8> {
    project
        .pdf(&compiled.document)
        .map_err(|f| f.diagnostics)
        .expect("exports")
}

fn open_lecture() -> Project {
    Project::open(&ProjectOptions {
        deck: lecture(),
        themes_dir: None,
        theme: None,
        blocks: plugins(),
        hide_positions: false,
        ..ProjectOptions::new("")
    })
    .expect("open lecture")
}

#[test]
fn lecture_fits_one_page_per_slide_without_tofu_or_warnings() {
    let mut project = open_lecture();
    let compiled = project
        .compile()
        .unwrap_or_else(|f| panic!("{}", project.render_diagnostics(&f.diagnostics, false)));
    assert!(compiled.slides > 60, "only {} slides", compiled.slides);
    assert_eq!(
        compiled.document.pages().len(),
        compiled.slides,
        "one page per slide"
    );
    assert!(
        compiled.warnings.is_empty(),
        "warnings:\n{}",
        project.render_diagnostics(&compiled.warnings, false)
    );
    assert_eq!(
        missing_glyphs(&compiled.document),
        Vec::<(usize, String)>::new(),
        "tofu"
    );
    // The hard case fits through the side-by-side layout, and its code is on its page.
    let page = compiled
        .document
        .pages()
        .iter()
        .map(page_text)
        .find(|t| t.contains("Code Generation Evolution"))
        .expect("code generation slide");
    let squeezed: String = page.split_whitespace().collect();
    assert!(squeezed.contains("int(n**0.5)+1,2)"), "{page}");
}

#[test]
fn lecture_builds_clean_in_every_built_in_theme() {
    for theme in lectern_typst::builtin::THEMES {
        let mut project = Project::open(&ProjectOptions {
            deck: lecture(),
            themes_dir: None,
            theme: Some(theme.name.to_string()),
            blocks: plugins(),
            ..ProjectOptions::new("")
        })
        .expect("open lecture");
        let compiled = compile(&mut project);
        let name = theme.name;
        assert_eq!(
            compiled.document.pages().len(),
            compiled.slides,
            "{name}: one page per slide"
        );
        assert!(
            compiled.warnings.is_empty(),
            "{name}: warnings:\n{}",
            project.render_diagnostics(&compiled.warnings, false)
        );
        assert_eq!(
            missing_glyphs(&compiled.document),
            Vec::<(usize, String)>::new(),
            "{name}: tofu"
        );
    }
}

/// Typst's serif is in the font book only for a palette that names it: elsewhere it would
/// become the fallback for Hebrew, which the other themes' fonts lack.
#[test]
fn the_serif_font_is_loaded_only_for_a_palette_that_names_it() {
    let body = "## Shalom\n\nשלום and Latin\n";
    let families = |front: &str| {
        let deck = TempDeck::new(&format!("---\n{front}\n---\n\n{body}"));
        let mut project = deck.project();
        let compiled = compile(&mut project);
        let libertinus =
            lectern_typst::inspect::font_families(&compiled.document).contains("Libertinus Serif");
        (libertinus, compiled.warnings.len())
    };
    assert!(!families("theme: aula").0, "aula");
    assert!(!families("theme: dusk").0, "dusk");
    assert!(families("theme: scholar").0, "scholar");
    // As a theme option it is one of the shipped fonts: no warning.
    assert_eq!(
        families("theme: aula\ntheme-options:\n  font: Libertinus Serif"),
        (true, 0)
    );
}

/// `tests/decks/layouts.md` uses every layout and slide setting; each theme styles them all.
#[test]
fn every_layout_builds_clean_in_every_built_in_theme() {
    for theme in lectern_typst::builtin::THEMES {
        let mut project = Project::open(&ProjectOptions {
            deck: repo().join("tests/decks/layouts.md"),
            themes_dir: None,
            theme: Some(theme.name.to_string()),
            blocks: plugins(),
            ..ProjectOptions::new("")
        })
        .expect("open the layouts deck");
        let compiled = compile(&mut project);
        let name = theme.name;
        assert!(
            compiled.warnings.is_empty(),
            "{name}: warnings:\n{}",
            project.render_diagnostics(&compiled.warnings, false)
        );
        let steps: usize = compiled.slide_pages.iter().map(Vec::len).sum();
        assert_eq!(
            compiled.document.pages().len(),
            steps,
            "{name}: one page per slide"
        );
        assert_eq!(
            missing_glyphs(&compiled.document),
            Vec::<(usize, String)>::new(),
            "{name}: tofu"
        );
        // On a slide's own background, dark or light, the text, list marks, links and
        // subheadings read: 4.5:1 against that background.
        for (page, background, words) in [
            (12, "#1b2a4a", &["Light", "•", "link", "callout"][..]),
            (
                13,
                "#fff4d6",
                &["Subheading", "Dark", "•", "link", "callout"][..],
            ),
        ] {
            let colors = lectern_typst::inspect::text_colors(&compiled.document.pages()[page - 1]);
            for word in words {
                let (text, color) = colors
                    .iter()
                    .find(|(text, _)| text.contains(word))
                    .unwrap_or_else(|| panic!("{name}: no `{word}` on page {page}: {colors:?}"));
                let ratio = lectern_typst::palette::contrast(color, background);
                assert!(
                    ratio >= 4.5,
                    "{name}, page {page}: `{text}` in {color} on {background}: {ratio:.1}:1"
                );
            }
        }
    }
}

#[test]
fn body_text_is_at_least_20_pt_in_every_theme_and_shape() {
    for theme in lectern_typst::builtin::THEMES {
        for aspect in ["16:9", "16:10", "4:3"] {
            let deck = TempDeck::new(&format!(
                "---\ntheme: {}\ntheme-options:\n  aspect: \"{aspect}\"\n---\n\n### Plain\n\nBodytext of an ordinary slide.\n\n- Listitem\n",
                theme.name
            ));
            let mut project = deck.project();
            let compiled = compile(&mut project);
            assert!(
                compiled.warnings.is_empty(),
                "{}",
                project.render_diagnostics(&compiled.warnings, false)
            );
            let page = compiled.document.pages().last().expect("page");
            let sizes = lectern_typst::inspect::text_sizes(page);
            for word in ["Bodytext", "Listitem"] {
                let (_, size) = sizes
                    .iter()
                    .find(|(text, _)| text.contains(word))
                    .unwrap_or_else(|| panic!("{word} not on the page: {sizes:?}"));
                assert!(
                    *size >= 20.0,
                    "{} {aspect}: {word} at {size} pt",
                    theme.name
                );
            }
            let expected = match aspect {
                "4:3" => 210.0 / 280.0,
                "16:10" => 10.0 / 16.0,
                _ => 9.0 / 16.0,
            };
            let ratio = page.frame.height() / page.frame.width();
            assert!(
                (ratio - expected).abs() < 0.002,
                "{} {aspect}: page ratio {ratio}",
                theme.name
            );
        }
    }
}

#[test]
fn theme_options_reach_the_theme_and_the_charts() {
    let deck = TempDeck::new(
        "---\ntitle: T\ntheme-options:\n  accent: \"#c2410c\"\n  logo: images/logo.svg\n  font: Nonesuch Sans\n---\n\n### Chart\n\n```chart\nkind = \"bar\"\ndata = \"data/d.csv\"\nx = \"k\"\ny = \"v\"\n```\n",
    );
    std::fs::create_dir_all(deck.path().join("images")).expect("mkdir");
    std::fs::create_dir_all(deck.path().join("data")).expect("mkdir");
    std::fs::write(deck.path().join("data/d.csv"), "k,v\na,1\nb,2\n").expect("csv");
    std::fs::write(
        deck.path().join("images/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#123456\"/></svg>",
    )
    .expect("logo");
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let warnings = project.render_diagnostics(&compiled.warnings, false);
    // The unknown font is named, with its line; the rest is applied.
    assert_eq!(compiled.warnings.len(), 1, "{warnings}");
    assert!(
        warnings.contains("no font `Nonesuch Sans`") && warnings.contains("deck.md:6"),
        "{warnings}"
    );
    // The chart's bars take the accent colour (the first series).
    let page = compiled.document.pages().last().expect("chart page");
    let (_, _, rgba) = lectern_typst::inspect::page_pixels(page, 0.5);
    let accent_pixels = rgba
        .chunks(4)
        .filter(|p| p[0].abs_diff(0xc2) < 6 && p[1].abs_diff(0x41) < 6 && p[2].abs_diff(0x0c) < 6)
        .count();
    assert!(
        accent_pixels > 200,
        "only {accent_pixels} accent-coloured pixels"
    );
    // A missing logo is a warning, not a failed build.
    std::fs::remove_file(deck.path().join("images/logo.svg")).expect("rm");
    project.forget_files();
    let compiled = compile(&mut project);
    let warnings = project.render_diagnostics(&compiled.warnings, false);
    assert!(
        warnings.contains("the logo `images/logo.svg` cannot be used (not found)"),
        "{warnings}"
    );
    // So is one that is not an image: the theme never gets to fail on it.
    std::fs::write(deck.path().join("images/logo.svg"), "not an image").expect("write");
    project.forget_files();
    let compiled = compile(&mut project);
    let warnings = project.render_diagnostics(&compiled.warnings, false);
    assert!(
        warnings.contains("the logo `images/logo.svg` cannot be used (not an image)"),
        "{warnings}"
    );
}

#[test]
fn lecture_shows_its_five_charts_as_vector_figures() {
    let mut project = open_lecture();
    let compiled = compile(&mut project);
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let pages: Vec<String> = compiled
        .document
        .pages()
        .iter()
        .map(|p| squeeze(&page_text(p)))
        .collect();
    let titles = [
        "Few-Shot Learning: Performance vs Scale",
        "Emergence на Mathematical Reasoning",
        "MMLU Performance: Evolution of LLMs",
        "Different Metrics",
        "Different Scaling Behaviors",
    ];
    for title in titles {
        assert!(
            pages.iter().any(|p| p.contains(&squeeze(title))),
            "no slide shows the chart {title:?}"
        );
    }
    let images = images(&compiled.document);
    assert_eq!(images.len(), 5, "{images:?}");
    assert!(
        images.iter().all(|i| i.vector),
        "raster image in the lecture: {images:?}"
    );
}

#[test]
fn chart_spec_and_data_errors_are_located() {
    let deck = TempDeck::new(
        "### Chart\n\n```chart\ndata = \"data/d.csv\"\nx = \"a\"\ny = \"nope\"\n```\n",
    );
    std::fs::create_dir(deck.path().join("data")).expect("mkdir");
    std::fs::write(deck.path().join("data/d.csv"), "a,b\n1,2\n3,x\n").expect("write");
    let (diags, rendered) = deck.errors();
    assert!(rendered.contains("data/d.csv:3:3"), "{rendered}");
    assert!(
        rendered.contains("used by the `chart` block at deck.md:3"),
        "{rendered}"
    );
    assert_eq!(diags.len(), 1, "{rendered}");

    std::fs::write(deck.path().join("data/d.csv"), "a,b\n1,2\n3,4\n").expect("write");
    let (_, rendered) = deck.errors();
    assert!(
        rendered.contains("deck.md:6:5") && rendered.contains("no column `nope`"),
        "{rendered}"
    );
}

#[test]
fn lecture_rebuilds_are_byte_identical() {
    let build = || {
        let mut project = open_lecture();
        let compiled = compile(&mut project);
        export(&project, &compiled)
    };
    let first = build();
    assert!(first.starts_with(b"%PDF-"));
    assert!(first == build(), "two builds of the same sources differ");
}

#[test]
fn lecture_pdf_has_metadata_and_bookmarks() {
    let mut project = open_lecture();
    let compiled = compile(&mut project);
    let pdf = export(&project, &compiled);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Outlines"), "no bookmarks");
    assert!(text.contains("/PageLabels"), "no page labels");
    assert!(text.contains("/Lang"), "no language");
    assert!(text.contains("/Title"), "no title");
}

#[test]
fn broken_raw_typst_is_located_in_markdown() {
    let deck = TempDeck::new(
        "### Slide\n\nText.\n\n```{=typst}\n#let x = 1\n#text(fill: nope)[hi]\n```\n",
    );
    let (diags, rendered) = deck.errors();
    let error = diags.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(error.file, Path::new("deck.md"));
    let src = std::fs::read_to_string(deck.path().join("deck.md")).expect("deck");
    assert_eq!(
        lectern_deck::diag::line_col(&src, error.range.start),
        (7, 13),
        "{rendered}"
    );
    assert!(
        error.message.contains("unknown variable: nope"),
        "{rendered}"
    );
    assert!(rendered.contains("deck.md:7:13"), "{rendered}");
}

#[test]
fn packages_are_a_clear_error() {
    let deck =
        TempDeck::new("### S\n\n```{=typst}\n#import \"@preview/cetz:0.3.0\": canvas\n```\n");
    let (_, rendered) = deck.errors();
    assert!(rendered.contains("offline"), "{rendered}");
    assert!(rendered.contains("deck.md:4:"), "{rendered}");
}

#[test]
fn a_slide_too_long_to_fit_is_reported_with_its_line() {
    let items: String = (0..60).map(|i| format!("- item {i}\n")).collect();
    let deck = TempDeck::new(&format!("### Fine\n\nok\n\n### Too long\n\n{items}"));
    let mut project = deck.project();
    let compiled = compile(&mut project);
    assert_eq!(
        compiled.document.pages().len(),
        2,
        "overflow must not spill onto more pages"
    );
    let rendered = project.render_diagnostics(&compiled.warnings, false);
    assert!(
        rendered.contains("deck.md:5:1") && rendered.contains("too tall"),
        "{rendered}"
    );
}

/// Pages of a deck that must build, with its rendered warnings.
fn pages_and_warnings(markdown: &str) -> (usize, String) {
    let deck = TempDeck::new(markdown);
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let rendered = project.render_diagnostics(&compiled.warnings, false);
    (compiled.document.pages().len(), rendered)
}

#[test]
fn long_titles_shrink_to_stay_on_their_page() {
    let words: String = (0..80).map(|i| format!("word{i} ")).collect();
    for (markdown, slides) in [
        (format!("### {words}\n\nbody\n"), 1),
        (format!("## {words}\n"), 1),
        (format!("---\ntitle: {words}\n---\n### Next\n"), 2),
    ] {
        let (pages, warnings) = pages_and_warnings(&markdown);
        assert_eq!(pages, slides, "{markdown}");
        assert!(warnings.is_empty(), "shrinking is enough: {warnings}");
    }
    // Far too long even at the smallest size: cut, with a located warning, on one page.
    let words: String = (0..400).map(|i| format!("word{i} ")).collect();
    for (markdown, expected) in [
        (format!("### {words}\n\nbody\n"), "its title is too long"),
        (format!("## {words}\n"), "its title is too long"),
        (
            format!("---\nslide-level: 3\n---\n## {words}\n"),
            "taller than the page",
        ),
        (
            format!("---\ntitle: T\n---\n{words}\n"),
            "taller than the page",
        ),
    ] {
        let (pages, warnings) = pages_and_warnings(&markdown);
        assert_eq!(pages, 1, "{warnings}");
        assert!(
            warnings.contains(expected) && warnings.contains("deck.md:"),
            "{warnings}"
        );
    }
}

#[test]
fn footnotes_stay_on_their_slide() {
    // Cited after the body is cut at the readable floor.
    let paragraphs: String = (0..40).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let (pages, warnings) =
        pages_and_warnings(&format!("### F\n\n{paragraphs}end[^1]\n\n[^1]: a note\n"));
    assert_eq!(pages, 1, "{warnings}");
    assert!(warnings.contains("too tall"), "{warnings}");
    // A footnote taller than the slide.
    let long = "long footnote text ".repeat(300);
    let (pages, warnings) = pages_and_warnings(&format!("### F\n\ntext[^1]\n\n[^1]: {long}\n"));
    assert_eq!(pages, 1, "{warnings}");
    assert!(
        warnings.contains("its footnotes are too long") && warnings.contains("deck.md:1:1"),
        "{warnings}"
    );
    // On title, section and overlay slides.
    let (pages, warnings) = pages_and_warnings(
        "---\ntitle: T\n---\nHi[^a]\n\n# S[^a]\n\n## A\n\n- x[^a]\n\n<!-- pause -->\n\n- y[^b]\n\n[^a]: A.\n\n[^b]: B.\n",
    );
    assert_eq!(pages, 4, "{warnings}");
    assert!(warnings.is_empty(), "{warnings}");
}

/// Escapes text for Markdown so that it reaches the deck model as literal text.
fn markdown_literal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_punctuation() {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_comes_out_literally(text in "[a-zA-Zа-яА-Я0-9#$*_@<>\\\\/\\[\\]~`'\"=+.:;(){}|&%^!?-]{1,40}") {
        let deck = TempDeck::new(&format!("### Slide\n\n{}\n", markdown_literal(&text)));
        let mut project = deck.project();
        let compiled = project.compile().map_err(|f| project.render_diagnostics(&f.diagnostics, false));
        let compiled = match compiled { Ok(c) => c, Err(e) => panic!("{e}") };
        let page: String = page_text(&compiled.document.pages()[0]).split_whitespace().collect();
        let expected: String = text.split_whitespace().collect();
        prop_assert!(page.contains(&format!("Slide{expected}")), "{page:?} lacks {expected:?}");
    }
}

// ---- Speaker notes, overlays, pdfpc, handouts, slide images --------------------------------

const PRESENTER: &str = "### First\n\n- one\n<!-- pause -->\n- two\n\n. . .\n\nthird part\n\n\
::: notes\nSay this on the first slide.\n:::\n\n### Second\n\nplain <!-- comment note -->\n";

#[test]
fn notes_are_kept_in_the_model_and_off_the_slides() {
    let deck = TempDeck::new(PRESENTER);
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let slides = &project.deck().slides;
    assert_eq!(slides[0].notes, ["Say this on the first slide."]);
    assert_eq!(slides[1].notes, ["comment note"]);
    for page in compiled.document.pages() {
        let text = page_text(page);
        assert!(
            !text.contains("Say this") && !text.contains("comment note") && !text.contains(":::"),
            "{text}"
        );
    }
}

#[test]
fn pauses_make_overlay_pages_that_share_a_label() {
    let deck = TempDeck::new(PRESENTER);
    let mut project = deck.project();
    let compiled = compile(&mut project);
    assert_eq!(compiled.slide_pages, [vec![1, 2, 3], vec![4]]);
    let pages = compiled.document.pages();
    let numbers: Vec<u64> = pages.iter().map(|p| p.number).collect();
    assert_eq!(
        numbers,
        [1, 1, 1, 2],
        "overlays share the slide's page number (its PDF label)"
    );
    let texts: Vec<String> = pages.iter().map(page_text).collect();
    assert!(
        texts[0].contains("one") && !texts[0].contains("two") && !texts[0].contains("third"),
        "{texts:?}"
    );
    assert!(
        texts[1].contains("two") && !texts[1].contains("third"),
        "{texts:?}"
    );
    assert!(texts[2].contains("third"), "{texts:?}");
}

#[test]
fn pdfpc_sidecar_has_labels_overlays_and_notes() {
    let (json, compiled) = sidecar(PRESENTER);
    assert_eq!(json["pdfpcFormat"], 2);
    let pages = json["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), compiled.document.pages().len());
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page["idx"], i, "idx is the 0-based PDF page");
        for field in ["label", "overlay", "forcedOverlay", "hidden"] {
            assert!(page.get(field).is_some(), "page {i} lacks {field}");
        }
    }
    let summary: Vec<(String, u64)> = pages
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap_or("").to_string(),
                p["overlay"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("1".into(), 0),
            ("1".into(), 1),
            ("1".into(), 2),
            ("2".into(), 0)
        ]
    );
    assert_eq!(pages[2]["note"], "Say this on the first slide.");
    assert_eq!(pages[3]["note"], "comment note");
    // No timing in the front matter: none in the sidecar (pdfpc's own defaults apply).
    for key in ["duration", "endSlide", "lastMinutes"] {
        assert!(json.get(key).is_none(), "{key}");
    }
}

/// The pdfpc sidecar of a deck, parsed, and the compiled deck.
fn sidecar(markdown: &str) -> (serde_json::Value, lectern_typst::Compiled) {
    let deck = TempDeck::new(markdown);
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let json = serde_json::from_str(&lectern_typst::pdfpc::pdfpc(
        project.deck(),
        &compiled.slide_pages,
    ))
    .expect("valid JSON");
    (json, compiled)
}

#[test]
fn pdfpc_sidecar_carries_the_talks_timing() {
    let (json, _) = sidecar(
        "---\nduration: 1h30m\nend-slide: 2\nlast-minutes: 10\n---\n\n### A\n\na\n\n### B\n\nb\n\n### Backup\n\nc\n",
    );
    assert_eq!(json["duration"], 90, "minutes");
    assert_eq!(json["endSlide"], 2);
    assert_eq!(json["lastMinutes"], 10);
}

#[test]
fn handouts_place_vector_slides_n_up_on_portrait_pages() {
    use lectern_deck::handout::HandoutOptions;
    let mut project = open_lecture();
    let compiled = compile(&mut project);
    let pdf = export(&project, &compiled);
    let slides = compiled.slides;
    for (per_page, columns) in [(1, 1), (3, 1), (6, 2)] {
        let options = HandoutOptions {
            per_page,
            ..HandoutOptions::default()
        };
        let handout = project
            .handout_document(&compiled, pdf.clone(), &options)
            .map_err(|f| f.diagnostics)
            .expect("handout");
        assert_eq!(
            handout.pages().len(),
            slides.div_ceil(per_page),
            "{per_page} per page"
        );
        let size = handout.pages()[0].frame.size();
        assert!(
            (size.x.to_pt() - 595.3).abs() < 1.0 && (size.y.to_pt() - 841.9).abs() < 1.0,
            "A4 portrait: {size:?}"
        );
        let frames: Vec<_> = images(&handout)
            .into_iter()
            .filter(|i| i.page == 1)
            .collect();
        assert_eq!(
            frames.len(),
            per_page,
            "{per_page} slides on the first page"
        );
        assert!(
            frames.iter().all(|f| f.vector),
            "slides must be vector frames"
        );
        let xs: std::collections::BTreeSet<i64> =
            frames.iter().map(|f| f.x.round() as i64).collect();
        assert_eq!(xs.len(), columns, "{per_page} per page: columns {xs:?}");
        for f in &frames {
            assert!(
                (f.width / f.height - 16.0 / 9.0).abs() < 0.02,
                "slides keep 16:9: {f:?}"
            );
            assert!(
                f.x >= 0.0
                    && f.y >= 0.0
                    && f.x + f.width <= size.x.to_pt()
                    && f.y + f.height <= size.y.to_pt()
            );
        }
        let mut ys: Vec<f64> = frames.iter().map(|f| f.y).collect();
        ys.dedup_by(|a, b| (*a - *b).abs() < 1.0);
        assert_eq!(ys.len(), per_page / columns, "rows of slides");
    }
    // Notes beside the slides instead of lines; Letter paper on request.
    let options = HandoutOptions {
        per_page: 2,
        notes: true,
        letter: true,
    };
    let deck = TempDeck::new(PRESENTER);
    let mut small = deck.project();
    let compiled = compile(&mut small);
    let pdf = export(&small, &compiled);
    let handout = small
        .handout_document(&compiled, pdf, &options)
        .map_err(|f| f.diagnostics)
        .expect("handout");
    assert!(
        (handout.pages()[0].frame.size().y.to_pt() - 792.0).abs() < 1.0,
        "US Letter"
    );
    assert!(page_text(&handout.pages()[0]).contains("Say this on the first slide."));
}

/// A handout is printed on white: a dark theme's light text colours are not used on it.
#[test]
fn a_dark_themes_handout_sets_dark_text_on_white() {
    let deck = TempDeck::new(&format!("---\ntheme: dusk\n---\n\n{PRESENTER}"));
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let pdf = export(&project, &compiled);
    let options = lectern_deck::handout::HandoutOptions {
        per_page: 2,
        notes: true,
        letter: false,
    };
    let handout = project
        .handout_document(&compiled, pdf, &options)
        .map_err(|f| f.diagnostics)
        .expect("handout");
    let colors = lectern_typst::inspect::text_colors(&handout.pages()[0]);
    assert!(
        colors.iter().any(|(text, _)| text.contains("Say")),
        "{colors:?}"
    );
    for (text, color) in colors {
        let ratio = lectern_typst::palette::contrast(&color, "#ffffff");
        assert!(ratio >= 4.5, "`{text}` in {color} on white: {ratio:.1}:1");
    }
}

#[test]
fn slide_images_render_at_the_requested_scale() {
    let deck = TempDeck::new(PRESENTER);
    let mut project = deck.project();
    let compiled = compile(&mut project);
    let page = &compiled.document.pages()[0];
    let png = lectern_typst::inspect::page_png(page, 1.0);
    assert!(png.starts_with(b"\x89PNG"));
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, page.frame.size().x.to_pt().ceil() as u32);
    let svg = lectern_typst::inspect::page_svg(page);
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"));
}

/// How many slides each fixture deck makes in the tool it is written for (counted by hand
/// from that tool's rules: Marp, Slidev, remark and reveal.js split at `---` (reveal.js also
/// at a vertical `--`), presenterm at `end_slide`, Quarto and pandoc at `##` with `#`
/// sections, each section a divider slide; hidden slides left out).
const FIXTURE_SLIDES: &[(&str, usize)] = &[
    ("beamer", 7),
    ("plugins", 5),
    ("reveal", 5),
    ("marp", 10),
    ("slidev", 9),
    ("quarto", 11),
    ("presenterm", 7),
    ("remark", 5),
    ("layouts", 17),
];

#[test]
fn fixture_decks_compile_one_page_per_slide_without_warnings() {
    let dir = repo().join("tests/decks");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    for fixture in fixtures
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let options = ProjectOptions {
            deck: fixture.clone(),
            themes_dir: Some(repo().join("themes")),
            theme: None,
            blocks: plugins(),
            hide_positions: false,
            ..ProjectOptions::new("")
        };
        let mut project = Project::open(&options).expect("open fixture");
        let compiled = project.compile().unwrap_or_else(|f| {
            panic!(
                "{}: {}",
                fixture.display(),
                project.render_diagnostics(&f.diagnostics, false)
            )
        });
        // Settings of other tools that mean nothing here are expected in their decks (one
        // grouped warning); anything else is a regression.
        let unexpected: Vec<_> = compiled
            .warnings
            .iter()
            .filter(|w| {
                !(w.message
                    .contains("mean nothing in Lectern and were ignored")
                    || w.message.contains("setting that Lectern does not use"))
            })
            .cloned()
            .collect();
        assert!(
            unexpected.is_empty(),
            "{}",
            project.render_diagnostics(&unexpected, false)
        );
        // Each deck has the slides its own tool would make of it.
        let name = fixture.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if let Some((_, slides)) = FIXTURE_SLIDES.iter().find(|(deck, _)| *deck == name) {
            assert_eq!(compiled.slide_pages.len(), *slides, "{name}: slides");
        }
        // One page per slide and overlay step.
        let steps: usize = compiled.slide_pages.iter().map(Vec::len).sum();
        assert_eq!(
            compiled.document.pages().len(),
            steps,
            "{}",
            fixture.display()
        );
        assert!(
            compiled.slide_pages.iter().all(|p| !p.is_empty()),
            "{}",
            fixture.display()
        );
        assert!(
            missing_glyphs(&compiled.document).is_empty(),
            "{}: tofu",
            fixture.display()
        );
    }
}

#[test]
fn the_theme_gallery_shows_every_built_in_theme() {
    let docs = repo().join("docs");
    let gallery = std::fs::read_to_string(docs.join("themes.md")).expect("docs/themes.md");
    for theme in lectern_typst::builtin::THEMES {
        let image = format!("themes/{}.png", theme.name);
        assert!(
            gallery.contains(&format!("## `{}`", theme.name)) && gallery.contains(&image),
            "docs/themes.md lacks {}: run `cargo xtask gallery`",
            theme.name
        );
        assert!(docs.join(&image).is_file(), "docs/{image} is missing");
    }
}
