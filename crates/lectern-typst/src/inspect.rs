//! Looking into laid-out pages: their text, missing glyphs (tofu), and PNG renders.

use typst::layout::{Frame, FrameItem};
use typst_layout::{Page, PagedDocument};

/// Text of a page in reading order of the frame tree (text runs separated by spaces).
pub fn page_text(page: &Page) -> String {
    let mut out = String::new();
    walk_text(&page.frame, &mut |text, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text);
    });
    out
}

/// Each text run of a page with its font size in points (for checks such as "body text is
/// at least 20 pt").
pub fn text_sizes(page: &Page) -> Vec<(String, f64)> {
    fn walk(frame: &Frame, out: &mut Vec<(String, f64)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => out.push((text.text.to_string(), text.size.to_pt())),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&page.frame, &mut out);
    out
}

/// Characters on each page (1-based) that were laid out with no glyph (id 0, "tofu").
/// Runs on every compile, so it allocates only for the rare run with a missing glyph.
pub fn missing_glyphs(document: &PagedDocument) -> Vec<(usize, String)> {
    fn walk(frame: &Frame, missing: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, missing),
                FrameItem::Text(text) if text.glyphs.iter().any(|g| g.id == 0) => {
                    for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                        missing.push_str(text.text.get(glyph.range()).unwrap_or("?"));
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let mut missing = String::new();
        walk(&page.frame, &mut missing);
        if !missing.is_empty() {
            found.push((i + 1, missing));
        }
    }
    found
}

/// Each piece of text on the page with its colour as `#rrggbb` (text painted otherwise is
/// left out).
pub fn text_colors(page: &Page) -> Vec<(String, String)> {
    fn walk(frame: &Frame, out: &mut Vec<(String, String)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => {
                    if let typst::visualize::Paint::Solid(color) = &text.fill {
                        out.push((text.text.to_string(), color.to_hex()[..7].to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&page.frame, &mut out);
    out
}

/// The font families the document's text is set in.
pub fn font_families(document: &PagedDocument) -> std::collections::BTreeSet<String> {
    fn walk(frame: &Frame, families: &mut std::collections::BTreeSet<String>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, families),
                FrameItem::Text(text) => {
                    families.insert(text.font.info().family.clone());
                }
                _ => {}
            }
        }
    }
    let mut families = std::collections::BTreeSet::new();
    for page in document.pages() {
        walk(&page.frame, &mut families);
    }
    families
}

type Glyphs = Vec<(u16, std::ops::Range<usize>)>;

fn walk_text(frame: &Frame, f: &mut dyn FnMut(&str, &Glyphs)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk_text(&group.frame, f),
            FrameItem::Text(text) => {
                let glyphs: Glyphs = text.glyphs.iter().map(|g| (g.id, g.range())).collect();
                f(text.text.as_str(), &glyphs);
            }
            _ => {}
        }
    }
}

/// Renders a page to PNG bytes at `pixel_per_pt` (1.0 = 72 dpi).
pub fn page_png(page: &Page, pixel_per_pt: f32) -> Vec<u8> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(pixel_per_pt)),
        ..Default::default()
    };
    typst_render::render(page, &options)
        .encode_png()
        .unwrap_or_default()
}

/// A page as SVG text.
pub fn page_svg(page: &Page) -> String {
    typst_svg::svg(page, &typst_svg::SvgOptions::default())
}

/// An image placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    /// 1-based page.
    pub page: usize,
    /// Top-left corner and size, in points.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// SVG or PDF (drawn as vectors) rather than a raster image.
    pub vector: bool,
}

/// Every image in the document with its position on its page.
pub fn images(document: &PagedDocument) -> Vec<PlacedImage> {
    use typst::layout::{Point, Transform};
    use typst::visualize::ImageKind;
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<PlacedImage>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(group) => {
                    walk(&group.frame, here.pre_concat(group.transform), page, out)
                }
                FrameItem::Image(image, size, _) => {
                    let origin = Point::zero().transform(here);
                    out.push(PlacedImage {
                        page,
                        x: origin.x.to_pt(),
                        y: origin.y.to_pt(),
                        width: size.x.to_pt(),
                        height: size.y.to_pt(),
                        vector: matches!(image.kind(), ImageKind::Svg(_) | ImageKind::Pdf(_)),
                    });
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

/// A page rendered at `pixel_per_pt`: width, height and RGBA pixels (premultiplied), for
/// comparing two builds' pages pixel by pixel.
pub fn page_pixels(page: &Page, pixel_per_pt: f32) -> (u32, u32, Vec<u8>) {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(pixel_per_pt)),
        ..Default::default()
    };
    let pixmap = typst_render::render(page, &options);
    (pixmap.width(), pixmap.height(), pixmap.take())
}

/// A hash of each image's data on a page, in frame order: two builds placing the same image
/// give the same hash, whatever file it came from.
pub fn page_image_hashes(page: &Page) -> Vec<u128> {
    use typst::visualize::ImageKind;
    fn walk(frame: &Frame, out: &mut Vec<u128>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Image(image, _, _) => out.push(match image.kind() {
                    ImageKind::Raster(raster) => typst::utils::hash128(raster.data()),
                    ImageKind::Svg(svg) => typst::utils::hash128(svg.data()),
                    ImageKind::Pdf(pdf) => typst::utils::hash128(pdf),
                }),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&page.frame, &mut out);
    out
}
