//! Checks of what a deck takes from disk and fonts: images that cannot be shown and
//! characters no font covers. Each problem is a located warning; the generator shows a
//! stand-in for the image, and Typst's box shows for the character.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use lectern_deck::diag::Kind;
use lectern_deck::model::{Block, BlockKind, Inline};
use lectern_deck::paths::check_deck_path;
use lectern_deck::{Deck, Diagnostic};
use typst::World;
use typst::diag::FileError;
use typst::foundations::Bytes;
use typst::visualize::{ImageFormat, RasterImage, SvgImage, VectorFormat};
use typst_layout::PagedDocument;

use crate::world::{LecternWorld, file_id};

/// Images of the deck that cannot be shown, by deck path, with a short reason; a warning for
/// each place one is used. (Remote and outside paths are the parser's warnings.)
pub fn check_images(
    deck: &Deck,
    markdown: &str,
    md_name: &str,
    world: &LecternWorld,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let mut checked: BTreeSet<String> = BTreeSet::new();
    // Slides, then footnote definitions (shown on the slides that cite them; they may be
    // anywhere in the file, so they are found in the whole file).
    // What is shown in a missing image's place, by where the image was asked for.
    const PLACEHOLDER: &str = "a placeholder is shown";
    const NO_BACKGROUND: &str = "the slide has no background image";
    // Where to look for each image's address, and what its warning says is shown instead.
    type Place<'a> = (Range<usize>, Vec<(String, &'a str)>);
    let mut places: Vec<Place> = Vec::new();
    for (i, slide) in deck.slides.iter().enumerate() {
        let on_slide = image_urls(&slide.title, &slide.blocks)
            .into_iter()
            .map(|url| (url, PLACEHOLDER))
            .collect();
        places.push((slide.range.clone(), on_slide));
        // Settings images are written before the slide's first line (a Slidev block, a Marp
        // `![bg]` before the title): look from the end of the slide before.
        let settings = &slide.settings;
        let from = i
            .checked_sub(1)
            .map_or(0, |p| deck.slides[p].range.end.min(slide.range.start));
        let mut by_settings: Vec<(String, &str)> = settings
            .background
            .images
            .iter()
            .map(|url| (url.clone(), NO_BACKGROUND))
            .collect();
        by_settings.extend(settings.image.clone().map(|url| (url, PLACEHOLDER)));
        places.push((from..slide.range.end, by_settings));
    }
    for blocks in deck.footnotes.values() {
        let urls = image_urls(&[], blocks)
            .into_iter()
            .map(|url| (url, PLACEHOLDER));
        places.push((0..0, urls.collect()));
    }
    for (range, urls) in places {
        for (url, shown) in urls {
            let Ok(path) = check_deck_path(&url) else {
                continue;
            };
            if checked.insert(path.clone())
                && let Some(reason) = image_problem(world, &path)
            {
                problems.insert(path.clone(), reason);
            }
            if let Some(reason) = problems.get(&path) {
                let at = find_in_slide(markdown, range.clone(), &url);
                diags.push(
                    Diagnostic::warning(
                        md_name,
                        at,
                        format!("image `{url}` {}; {shown}", describe(reason)),
                    )
                    .with_kind(Kind::Image),
                );
            }
        }
    }
    problems
}

/// The addresses of the images in a title and blocks, in order.
fn image_urls(title: &[Inline], blocks: &[Block]) -> Vec<String> {
    let urls = std::cell::RefCell::new(Vec::new());
    let mut on_inline = |inline: &Inline| {
        if let Inline::Image { url, .. } = inline {
            urls.borrow_mut().push(url.clone());
        }
    };
    lectern_deck::model::walk_inlines(title, &mut on_inline);
    lectern_deck::model::walk(
        blocks,
        &mut |block| {
            if let BlockKind::Image { url, .. } = &block.kind {
                urls.borrow_mut().push(url.clone());
            }
        },
        &mut on_inline,
    );
    urls.into_inner()
}

fn describe(reason: &str) -> String {
    match reason {
        "not found" => "is not in the deck folder".into(),
        "outside the deck" => "resolves outside the deck folder".into(),
        "not an image" => {
            "is not an image Lectern can show (PNG, JPEG, GIF, WebP, SVG, PDF)".into()
        }
        other => format!("cannot be shown ({other})"),
    }
}

/// Why the image at deck path `path` cannot be shown, if it cannot.
pub(crate) fn image_problem(world: &LecternWorld, path: &str) -> Option<String> {
    let bytes = match world.file(file_id(path)) {
        Ok(bytes) => bytes,
        Err(FileError::NotFound(_)) => return Some("not found".into()),
        Err(FileError::Other(Some(message))) if message.contains("outside") => {
            return Some("outside the deck".into());
        }
        Err(FileError::IsDirectory) => return Some("a folder, not a file".into()),
        Err(err) => return Some(err.to_string()),
    };
    match ImageFormat::detect(&bytes) {
        None => Some("not an image".into()),
        // Decoding is memoized, so Typst reuses this decode when it places the image.
        Some(ImageFormat::Raster(format)) => RasterImage::plain(bytes, format)
            .err()
            .map(|err| format!("cannot be decoded: {err}")),
        // Typst parses these again when it places them (with fonts); both parses fail alike.
        Some(ImageFormat::Vector(VectorFormat::Svg)) => SvgImage::new(bytes)
            .err()
            .map(|_| "not a valid SVG file".into()),
        Some(ImageFormat::Vector(VectorFormat::Pdf)) => pdf_problem(bytes),
    }
}

/// Why a PDF cannot be placed as an image: Typst loads it the same way and fails alike.
#[comemo::memoize]
fn pdf_problem(bytes: Bytes) -> Option<String> {
    match hayro_syntax::Pdf::new(std::sync::Arc::new(bytes)) {
        Err(_) => Some("a PDF that cannot be read: malformed or encrypted".into()),
        Ok(pdf) if pdf.pages().is_empty() => Some("a PDF without pages".into()),
        Ok(_) => None,
    }
}

/// Where `needle` first appears in the slide's Markdown (in the whole file for a slide
/// without text of its own, such as a title slide from the front matter; else the slide's
/// start).
pub fn find_in_slide(markdown: &str, slide: Range<usize>, needle: &str) -> Range<usize> {
    let end = slide.end.min(markdown.len());
    let (from, to) = if slide.start < end {
        (slide.start, end)
    } else {
        (0, markdown.len())
    };
    markdown
        .get(from..to)
        .and_then(|text| text.find(needle))
        .map_or(slide.start..slide.start, |i| {
            from + i..from + i + needle.len()
        })
}

/// A warning per slide whose pages show characters no font has (Typst draws a box for
/// each), naming them and pointing at the first one in the Markdown.
pub fn check_glyphs(
    deck: &Deck,
    markdown: &str,
    md_name: &str,
    document: &PagedDocument,
    slide_pages: &[Vec<usize>],
    diags: &mut Vec<Diagnostic>,
) {
    let missing = crate::inspect::missing_glyphs(document);
    if missing.is_empty() {
        return;
    }
    let by_page: BTreeMap<usize, &str> = missing.iter().map(|(p, s)| (*p, s.as_str())).collect();
    for (index, pages) in slide_pages.iter().enumerate() {
        let mut chars: Vec<char> = Vec::new();
        for page in pages {
            for c in by_page.get(page).copied().unwrap_or_default().chars() {
                if !c.is_whitespace() && !chars.contains(&c) {
                    chars.push(c);
                }
            }
        }
        let Some(&first) = chars.first() else {
            continue;
        };
        let slide = deck.slides.get(index);
        let range = slide.map_or(0..0, |s| s.range.clone());
        let at = find_in_slide(markdown, range, first.encode_utf8(&mut [0; 4]));
        const NAMED: usize = 6;
        let mut named: Vec<String> = chars
            .iter()
            .take(NAMED)
            .map(|c| format!("U+{:04X} '{c}'", u32::from(*c)))
            .collect();
        if chars.len() > NAMED {
            named.push(format!("and {} more", chars.len() - NAMED));
        }
        diags.push(
            Diagnostic::warning(
                md_name,
                at,
                format!(
                    "slide {}: no font has {}; they show as boxes",
                    index + 1,
                    named.join(", ")
                ),
            )
            .with_kind(Kind::Glyphs)
            .with_hint("put a font that covers them in the deck's `fonts/` folder, or pass `--font-path DIR`"),
        );
    }
}
