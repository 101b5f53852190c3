//! One side of a diff: the deck built (slide numbers left off, so an insertion does not
//! change every later footer) and what each slide shows, for matching and comparing.

use lectern_diff::{Raster, Slide};
use lectern_typst::{Project, ProjectOptions};

/// Pixels per point of the renders compared: a changed word or colour shows, sub-point
/// shifts of anti-aliasing do not.
const COMPARE_SCALE: f32 = 0.5;

/// A built side.
#[derive(Default)]
pub struct Build {
    pub name: String,
    pub slides: Vec<Slide>,
    pub pdf: Vec<u8>,
    /// The 1-based page of each slide's last overlay step.
    pub last_pages: Vec<usize>,
    /// Page height over width.
    pub aspect: f64,
}

/// Builds the deck `options` names; a build that fails is trouble (its diagnostics are
/// printed, labelled with the side).
pub fn build(options: &ProjectOptions, label: &str) -> Result<Build, String> {
    let mut project = Project::open(options).map_err(|e| format!("{label}: {e}"))?;
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let compiled = project.compile().map_err(|failed| {
        eprint!(
            "{}",
            project.render_report(&failed.diagnostics, color, false)
        );
        format!("the deck does not build at {label}")
    })?;
    let pdf = project
        .pdf(&compiled.document)
        .map_err(|_| format!("the deck's PDF could not be written at {label}"))?;
    let pages = compiled.document.pages();
    let meta = &project.deck().meta;
    let footer = meta.short_title.as_deref().or(meta.title.as_deref());
    let mut slides = Vec::new();
    for (index, slide) in project.deck().slides.iter().enumerate() {
        let numbers = compiled.slide_pages.get(index).cloned().unwrap_or_default();
        let shown: Vec<_> = numbers.iter().filter_map(|&n| pages.get(n - 1)).collect();
        let text: Vec<String> = shown
            .iter()
            .map(|page| lectern_typst::inspect::page_text(page))
            .collect();
        let section = slide
            .section
            .and_then(|s| project.deck().slides.get(s))
            .map(|s| lectern_deck::model::plain_text(&s.title));
        let mut title = lectern_deck::model::plain_text(&slide.title);
        if title.trim().is_empty() && slide.kind == lectern_deck::SlideKind::Title {
            title = meta.title.clone().unwrap_or_default();
        }
        slides.push(Slide {
            title,
            label: untitled_label(slide, [section.as_deref(), footer], &text.join(" ")),
            text: text.join("\n"),
            figures: project
                .figures()
                .iter()
                .filter(|f| slide.range.contains(&f.block_range.start))
                .map(|f| (f.kind.clone(), f.key))
                .collect(),
            images: shown
                .iter()
                .flat_map(|page| lectern_typst::inspect::page_image_hashes(page))
                .collect(),
            notes: slide.notes.join("\n"),
            pages: shown
                .iter()
                .map(|page| {
                    let (width, height, pixels) =
                        lectern_typst::inspect::page_pixels(page, COMPARE_SCALE);
                    Raster {
                        width,
                        height,
                        pixels,
                    }
                })
                .collect(),
        });
    }
    let aspect = pages.first().map_or(0.5625, |p| {
        let size = p.frame.size();
        size.y.to_pt() / size.x.to_pt()
    });
    Ok(Build {
        name: project.name(),
        slides,
        pdf,
        last_pages: compiled
            .slide_pages
            .iter()
            .map(|p| p.last().copied().unwrap_or(1))
            .collect(),
        aspect,
    })
}

/// How an untitled slide is named: its first paragraph, heading or list item, else its
/// page text without the running section header and the footer (`[section, footer]`).
fn untitled_label(
    slide: &lectern_deck::Slide,
    running: [Option<&str>; 2],
    page_text: &str,
) -> String {
    use lectern_deck::BlockKind;
    use lectern_deck::model::plain_text;
    for block in &slide.blocks {
        let text = match &block.kind {
            BlockKind::Paragraph(inlines)
            | BlockKind::Heading {
                content: inlines, ..
            } => plain_text(inlines),
            BlockKind::List { items, .. } => items
                .first()
                .and_then(|item| item.blocks.first())
                .map(|b| match &b.kind {
                    BlockKind::Paragraph(inlines) => plain_text(inlines),
                    _ => String::new(),
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        if !text.trim().is_empty() {
            return text;
        }
    }
    // Text runs are joined with spaces, so compare with whitespace collapsed.
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = collapse(page_text);
    let [section, footer] = running.map(|r| r.map(collapse).unwrap_or_default());
    if !section.is_empty() {
        for header in [section.to_uppercase(), section] {
            if let Some(rest) = text.strip_prefix(header.as_str()) {
                text = rest.to_string();
                break;
            }
        }
    }
    if !footer.is_empty() {
        text = text.replace(footer.as_str(), " ");
    }
    text
}
