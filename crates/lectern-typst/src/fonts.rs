//! Fonts: the ones committed under `themes/fonts/` (and a theme's own `fonts/`), plus Typst's
//! embedded math and monospace fonts as fallbacks. Never system fonts.

use std::path::Path;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// A loaded, immutable font set shared by all compiles.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Embedded Typst fonts we keep: math, and a monospace with wide symbol coverage as fallback.
const EMBEDDED_FAMILIES: &[&str] = &["New Computer Modern Math", "DejaVu Sans Mono"];

impl Fonts {
    /// Loads every `.otf`/`.ttf`/`.otc`/`.ttc` file in the given folders (sorted, so font
    /// order and thus output is deterministic), then the embedded fallbacks.
    pub fn load(dirs: &[&Path]) -> std::io::Result<Self> {
        let mut files = Vec::new();
        for dir in dirs {
            if dir.is_dir() {
                collect_font_files(dir, &mut files)?;
            }
        }
        files.sort();
        let mut fonts = Vec::new();
        for file in files {
            let data = std::fs::read(&file)?;
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        for data in typst_assets::fonts() {
            for font in Font::iter(Bytes::new(data)) {
                if EMBEDDED_FAMILIES.contains(&font.info().family.as_str()) {
                    fonts.push(font);
                }
            }
        }
        Ok(Self::from_fonts(fonts))
    }

    pub fn from_fonts(fonts: Vec<Font>) -> Self {
        let book = FontBook::from_infos(fonts.iter().map(|f| f.info().clone()));
        Self {
            book: LazyHash::new(book),
            fonts,
        }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// Raw bytes of the first font of `family` with the given weight (for chart text metrics).
    pub fn data(&self, family: &str, bold: bool) -> Option<Bytes> {
        let wanted = if bold { 700 } else { 400 };
        self.fonts
            .iter()
            .filter(|f| {
                f.info().family.eq_ignore_ascii_case(family)
                    && f.info().variant.style == typst::text::FontStyle::Normal
            })
            .min_by_key(|f| (f.info().variant.weight.to_number() as i32 - wanted).abs())
            .map(|f| f.data().clone())
    }
}

fn collect_font_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_font_files(&path, out)?;
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "otf" | "ttf" | "otc" | "ttc"
            )
        }) {
            out.push(path);
        }
    }
    Ok(())
}
