//! Jupyter notebooks built as decks (`tests/notebooks/*.ipynb`): outputs shown, cells hidden
//! the ways notebook users hide them, RISE slide types, diagnostics that name the cell, a
//! notebook that is not one, and a large embedded image.

mod common;
use common::plugins;

use std::path::{Path, PathBuf};

use lectern_typst::inspect::{images, missing_glyphs, page_text};
use lectern_typst::{Compiled, Project, ProjectOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/notebooks")
        .join(name)
        .canonicalize()
        .expect("fixture notebook")
}

fn open(deck: &Path) -> Project {
    Project::open(&ProjectOptions {
        blocks: plugins(),
        ..ProjectOptions::new(deck)
    })
    .expect("open notebook")
}

/// Every slide's title, as text.
fn titles(project: &Project) -> Vec<String> {
    project
        .deck()
        .slides
        .iter()
        .map(|s| lectern_deck::model::plain_text(&s.title))
        .collect()
}

fn build(deck: &Path) -> (Project, Compiled) {
    let mut project = open(deck);
    let compiled = project
        .compile()
        .unwrap_or_else(|f| panic!("{}", project.render_diagnostics(&f.diagnostics, false)));
    (project, compiled)
}

/// Every page's text without whitespace (highlighted code comes out a token at a time).
fn all_text(compiled: &Compiled) -> String {
    let text: String = compiled.document.pages().iter().map(page_text).collect();
    squeeze(&text)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_notebook_builds_with_its_stored_outputs() {
    let (project, compiled) = build(&fixture("gradient.ipynb"));
    assert!(
        compiled.warnings.is_empty(),
        "{}",
        project.render_diagnostics(&compiled.warnings, false)
    );
    assert_eq!(compiled.document.pages().len(), compiled.slides);
    assert!(missing_glyphs(&compiled.document).is_empty());
    let text = all_text(&compiled);
    for shown in [
        "Gradient descent, by hand",
        "Ada Lovelace",
        // Highlighted code, stdout merged from two stream outputs, the DataFrame as a table.
        "plt.plot",
        "step 3: x = 2.8125",
        "learning rate",
        "1.1 (diverges)",
        // An error is one quiet line, not a traceback.
        "ZeroDivisionError: division by zero",
        "Loss after each step",
    ] {
        assert!(
            text.contains(&squeeze(shown)),
            "`{shown}` missing from:\n{text}"
        );
    }
    for hidden in [
        "import numpy",  // tag remove-cell
        "plot_losses",   // #| echo: false
        "sympy.solve",   // tag remove-input (its LaTeX output shows)
        "50 steps done", // #| output: false
        "Traceback",
        "#|",
    ] {
        assert!(
            !text.contains(&squeeze(hidden)),
            "`{hidden}` shown:\n{text}"
        );
    }
    // The PNG and SVG outputs and the Markdown cell's pasted image.
    let placed = images(&compiled.document);
    assert_eq!(placed.len(), 3, "{placed:?}");
    assert_eq!(placed.iter().filter(|i| i.vector).count(), 1);
}

#[test]
fn warnings_name_the_cell_and_its_line() {
    let (project, compiled) = build(&fixture("problems.ipynb"));
    let rendered = project.render_diagnostics(&compiled.warnings, false);
    for place in [
        "problems.ipynb: cell 2, line 1, column 1",
        "problems.ipynb: cell 3, line 1, column 1",
        "problems.ipynb: cell 4, line 5, column 3",
        "5 │ $$\\notacommand{x} + 1$$",
    ] {
        assert!(rendered.contains(place), "`{place}` not in:\n{rendered}");
    }
    assert!(
        rendered.contains("application/vnd.jupyter.widget-view+json"),
        "{rendered}"
    );
    assert!(rendered.contains("`pager`"), "{rendered}");
    // Stand-ins are visible, the long output is cut with a line saying so.
    let text = all_text(&compiled);
    assert!(text.contains("notshown"), "{text}");
    assert!(text.contains("41morelines"), "{text}");
    // The report groups them as notebook warnings.
    let report = project.render_report(&compiled.warnings, false, false);
    assert!(report.contains("(3 notebook, 1 math)"), "{report}");
}

#[test]
fn rise_slide_types_make_slides_steps_notes_and_skips() {
    let (project, compiled) = build(&fixture("rise.ipynb"));
    let deck = project.deck();
    let titles = titles(&project);
    assert_eq!(
        titles,
        ["Quick tour", "First slide", "Deeper detail", "Last slide"]
    );
    // The fragment is a second step of its slide; the notes cell is the slide's notes.
    assert_eq!(compiled.slide_pages[1].len(), 2);
    assert!(
        deck.slides[1]
            .notes
            .iter()
            .any(|n| n.contains("ask the room"))
    );
    let text = all_text(&compiled);
    assert!(
        !text.contains("nobodysees") && !text.contains("asktheroom"),
        "{text}"
    );
    assert!(text.contains("Asubheading,notanewslide"));
}

#[test]
fn quarto_options_and_a_raw_front_matter_cell() {
    let (project, compiled) = build(&fixture("quarto.ipynb"));
    // `format: revealjs` is Quarto's, and said so; `execute` is understood.
    let rendered = project.render_diagnostics(&compiled.warnings, false);
    assert_eq!(compiled.warnings.len(), 1, "{rendered}");
    assert!(
        rendered.contains("`format` is a Quarto setting"),
        "{rendered}"
    );
    assert!(
        rendered.contains("quarto.ipynb: cell 1, line 5"),
        "{rendered}"
    );
    let meta = &project.deck().meta;
    assert_eq!(meta.title.as_deref(), Some("Sampling, Quarto style"));
    assert_eq!(meta.lang.as_deref(), Some("de"));
    let text = all_text(&compiled);
    // `execute: echo: false` hides code, except where a cell says `#| echo: true`.
    for shown in ["NurdieAusgabe", "random.randint", "random.seed"] {
        assert!(text.contains(shown), "`{shown}` missing from:\n{text}");
    }
    for hidden in ["print(\"Nur", "importrandom", "random.choice", "Ignored"] {
        assert!(!text.contains(hidden), "`{hidden}` shown:\n{text}");
    }
    // `#| output: false`: the code shows, what it printed does not.
    assert_eq!(text.matches("hidden").count(), 1, "{text}");
}

#[test]
fn a_file_that_is_not_a_notebook_fails_with_a_located_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("broken.ipynb");
    std::fs::write(
        &path,
        "{\n \"cells\": [\n  {\"cell_type\": \"markdown\",,\n",
    )
    .expect("write");
    let mut project = open(&path);
    let failed = project.compile().err().expect("fails");
    let rendered = project.render_diagnostics(&failed.diagnostics, false);
    assert!(rendered.contains("broken.ipynb:3:"), "{rendered}");
    assert!(rendered.contains("not valid JSON"), "{rendered}");
    std::fs::write(
        &path,
        r#"{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}"#,
    )
    .expect("write");
    let failed = project.compile().err().expect("fails");
    let rendered = project.render_diagnostics(&failed.diagnostics, false);
    assert!(rendered.contains("nbformat 4"), "{rendered}");
}

/// A PNG of `width` × `height` with noise in it (so it does not compress away).
fn noisy_png(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write;
    let mut raw = Vec::with_capacity((width * height * 3 + height) as usize);
    let mut seed: u32 = 7;
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = (seed >> 27) as u8;
            raw.extend([
                (x * 255 / width) as u8 ^ noise,
                (y * 255 / height) as u8,
                128 + noise,
            ]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).expect("deflate");
    let data = z.finish().expect("deflate");
    let chunk = |out: &mut Vec<u8>, kind: &[u8], body: &[u8]| {
        out.extend((body.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(body);
        let mut crc = flate2::Crc::new();
        crc.update(&out[start..]);
        out.extend(crc.sum().to_be_bytes());
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &data);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn a_large_embedded_image_is_served_from_memory() {
    use base64::Engine;
    let png = noisy_png(2400, 1600);
    assert!(png.len() > 2_000_000, "{} bytes", png.len());
    let encoded = base64::engine::general_purpose::STANDARD.encode(&png);
    // Jupyter wraps nothing, but some tools write base64 in lines: both decode.
    let wrapped: Vec<String> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
        .collect();
    let notebook = serde_json::json!({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "## A big picture"},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "show()",
             "outputs": [{"output_type": "display_data", "metadata": {},
                          "data": {"image/png": wrapped, "text/plain": "<Figure>"}}]}
        ]
    });
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.ipynb");
    std::fs::write(&path, notebook.to_string()).expect("write");
    let (project, compiled) = build(&path);
    assert!(
        compiled.warnings.is_empty(),
        "{}",
        project.render_diagnostics(&compiled.warnings, false)
    );
    let placed = images(&compiled.document);
    assert_eq!(placed.len(), 1);
    // Nothing was written beside the notebook: the image came from memory.
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let pdf = project
        .pdf(&compiled.document)
        .map_err(|f| f.diagnostics)
        .expect("pdf");
    assert!(pdf.len() > 1_000_000, "the image is in the PDF");
}

#[test]
fn a_notebook_edit_rebuilds_and_its_manifest_hashes_the_notebook() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("talk.ipynb");
    let source = std::fs::read_to_string(fixture("quarto.ipynb")).expect("read");
    std::fs::write(&path, &source).expect("write");
    let mut project = open(&path);
    project
        .compile()
        .map_err(|f| f.diagnostics)
        .expect("builds");
    let edited = source.replace("Der Würfel zeigt:", "Der Würfel zeigt jetzt:");
    std::fs::write(&path, &edited).expect("write");
    let compiled = project
        .compile()
        .map_err(|f| f.diagnostics)
        .expect("rebuilds");
    assert!(all_text(&compiled).contains("zeigtjetzt"));
    let inputs = project.inputs();
    let (_, bytes) = inputs
        .files
        .iter()
        .find(|(p, _)| p.ends_with("talk.ipynb"))
        .expect("the notebook is an input");
    assert_eq!(
        bytes.as_ref().map(|b| b.as_slice()),
        Some(edited.as_bytes())
    );
}

#[test]
fn a_notebook_without_headings_is_cut_where_slides_fill_up() {
    let (project, compiled) = build(&fixture("r-demo.ipynb"));
    // Nothing cut off a slide: the deck is cut between cells instead.
    assert!(
        compiled.warnings.is_empty(),
        "{}",
        project.render_diagnostics(&compiled.warnings, false)
    );
    assert!(compiled.slides >= 4, "{} slides", compiled.slides);
    assert_eq!(compiled.document.pages().len(), compiled.slides);
    let text = all_text(&compiled);
    // R's vector as R prints it (not its Markdown list), overstrike resolved, the data
    // frame as a table, the error as one line.
    for shown in [
        "[26]37383940",
        "sumpackage:base",
        "speed",
        "ERROR:Errorineval",
    ] {
        assert!(text.contains(shown), "`{shown}` missing from:\n{text}");
    }
    assert!(!text.contains("1.12") && !text.contains('\u{8}'), "{text}");
    // A GIF stored as `image/png` and an SVG without its namespace both show.
    assert_eq!(images(&compiled.document).len(), 3);
    // A cell's code and its picture share a slide.
    let plot_page = compiled
        .document
        .pages()
        .iter()
        .position(|p| squeeze(&page_text(p)).contains("plot(a)"))
        .expect("the plot's code");
    assert!(
        images(&compiled.document)
            .iter()
            .any(|i| i.page == plot_page + 1)
    );
}

/// Slides of a notebook against reference renders in `tests/notebooks/reference/` (small
/// PNGs, compared with a tolerance for anti-aliasing). `LECTERN_BLESS=1` rewrites them.
#[test]
fn notebook_slides_look_as_they_did() {
    use typst::visualize::{ImageFormat, RasterImage};
    const SCALE: f32 = 0.5;
    let (_, compiled) = build(&fixture("gradient.ipynb"));
    let references = fixture("gradient.ipynb")
        .parent()
        .expect("folder")
        .join("reference");
    let bless = std::env::var_os("LECTERN_BLESS").is_some();
    // Code with a plot; code with its printed output; a table; an error line.
    for page in [2, 3, 5, 6] {
        let (width, height, pixels) =
            lectern_typst::inspect::page_pixels(&compiled.document.pages()[page - 1], SCALE);
        let path = references.join(format!("gradient-{page}.png"));
        if bless || !path.exists() {
            std::fs::create_dir_all(&references).expect("mkdir");
            let png = lectern_typst::inspect::page_png(&compiled.document.pages()[page - 1], SCALE);
            std::fs::write(&path, png).expect("write reference");
            continue;
        }
        let bytes = typst::foundations::Bytes::new(std::fs::read(&path).expect("reference"));
        let Some(ImageFormat::Raster(format)) = ImageFormat::detect(&bytes) else {
            panic!("{} is not a PNG", path.display());
        };
        let reference = RasterImage::plain(bytes, format).expect("decodes");
        let reference = reference.dynamic().to_rgba8();
        assert_eq!(
            (reference.width(), reference.height()),
            (width, height),
            "page {page}: size"
        );
        // The render is premultiplied RGBA on an opaque page: the same bytes as straight.
        let total: u64 = reference
            .as_raw()
            .iter()
            .zip(&pixels)
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        let mean = total as f64 / pixels.len() as f64;
        let far = reference
            .as_raw()
            .chunks(4)
            .zip(pixels.chunks(4))
            .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 96))
            .count();
        assert!(
            mean < 1.5 && far * 200 < pixels.len() / 4,
            "page {page} differs from {} (mean {mean:.2}, {far} pixels far off); LECTERN_BLESS=1 rewrites it",
            path.display()
        );
    }
}

#[test]
fn constructs_that_tripped_earlier_versions_build_clean() {
    let (project, compiled) = build(&fixture("edges.ipynb"));
    let rendered = project.render_diagnostics(&compiled.warnings, false);
    // Only the map, which needs a browser; nothing cut off a slide.
    assert_eq!(compiled.warnings.len(), 1, "{rendered}");
    assert!(
        rendered.contains("edges.ipynb: cell 9, line 1"),
        "{rendered}"
    );
    assert_eq!(compiled.document.pages().len(), compiled.slides);
    let meta = &project.deck().meta;
    // `metadata.lectern` beats the metadata's title; a first cell of `---`, text, `---` is
    // no front matter, and what the metadata sets still applies.
    assert_eq!(meta.title.as_deref(), Some("Edge cases, from lectern"));
    assert_eq!(meta.theme.as_deref(), Some("dusk"));
    let titles = titles(&project);
    // An HTML heading opens a slide.
    assert!(titles.contains(&"Algebra".to_string()), "{titles:?}");
    // No empty continuation slide.
    for slide in &project.deck().slides {
        assert!(
            !slide.blocks.is_empty() || slide.kind != lectern_deck::SlideKind::Content,
            "empty slide {:?}",
            lectern_deck::model::plain_text(&slide.title)
        );
    }
    let text = all_text(&compiled);
    for shown in [
        "Styledtext",
        "stillcode",
        "8morecolumns",
        "8morerows",
        "interactiveoutput1notshown",
    ] {
        assert!(text.contains(shown), "`{shown}` missing from:\n{text}");
    }
    // The code cell after an inline code span is code, not prose; the never-closed notes
    // and comment swallow nothing after them.
    assert!(
        !text.contains("circle{") && !text.contains("Notebook Trusted"),
        "{text}"
    );
    assert_eq!(images(&compiled.document).len(), 2);
}

#[test]
fn prose_longer_than_a_slide_continues_between_paragraphs() {
    let (project, compiled) = build(&fixture("long-prose.ipynb"));
    // Nothing cut off: the title slide's long introduction and the long cell continue on
    // slides of their own, at the slide level (no section is opened by a continuation).
    assert!(
        compiled.warnings.is_empty(),
        "{}",
        project.render_diagnostics(&compiled.warnings, false)
    );
    let titles = titles(&project);
    assert!(
        titles.contains(&"Reading notes on the bootstrap (2)".into()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Why resampling works (2)".into()),
        "{titles:?}"
    );
    assert!(
        project
            .deck()
            .slides
            .iter()
            .all(|s| s.kind != lectern_deck::SlideKind::Section),
        "{titles:?}"
    );
    // Every paragraph is on some slide, once.
    let text = all_text(&compiled);
    for k in 1..=16 {
        assert_eq!(
            text.matches(&format!("Paragraph{k}.")).count(),
            1,
            "paragraph {k}"
        );
    }
}
