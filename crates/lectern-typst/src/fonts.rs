//! Fonts: a deck's own `fonts/`, folders given with `--font-path`, a local `themes/fonts/`,
//! then the fonts compiled into the binary (see [`crate::builtin`]) and Typst's embedded math
//! and monospace fonts as fallbacks; Typst's serif only for a palette that names it. Never
//! system fonts.

use std::path::Path;
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// A loaded, immutable font set shared by all compiles. Only the fonts' descriptions are read
/// up front; a font is parsed the first time Typst asks for it (a deck uses a few of them).
pub struct Fonts {
    book: LazyHash<FontBook>,
    /// `book` and the optional families after it (same indices for the fonts both hold).
    full_book: LazyHash<FontBook>,
    slots: Vec<FontSlot>,
}

struct FontSlot {
    info: FontInfo,
    data: Bytes,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// Embedded Typst fonts we keep: math, and a monospace with wide symbol coverage as fallback.
const EMBEDDED_FAMILIES: &[&str] = &["New Computer Modern Math", "DejaVu Sans Mono"];

/// Embedded Typst fonts in the book only while the palette names them (the `scholar` theme's
/// serif). In the book for every deck they would become the fallback for scripts the theme's
/// own fonts lack (Libertinus has Hebrew), changing how every other theme sets such text.
pub const OPTIONAL_FAMILIES: &[&str] = &["Libertinus Serif"];

impl Fonts {
    /// Finds every `.otf`/`.ttf`/`.otc`/`.ttc` file in the given folders, in the order given
    /// (each folder's files sorted, so font order and thus output is deterministic; earlier
    /// folders win when families clash), then the built-in fonts and Typst's fallbacks. A
    /// file identical to a built-in font is skipped (a repository's `themes/fonts`).
    pub fn load(dirs: &[&Path]) -> std::io::Result<Self> {
        let mut slots = Vec::new();
        for dir in dirs {
            let mut files = Vec::new();
            if dir.is_dir() {
                collect_font_files(dir, &mut files)?;
            }
            files.sort();
            for file in files {
                let data = std::fs::read(&file)?;
                let builtin = crate::builtin::FONTS
                    .iter()
                    .any(|font| font.len() == data.len() && **font == *data);
                if !builtin {
                    add_faces(&mut slots, Bytes::new(data), |_| true);
                }
            }
        }
        for data in crate::builtin::FONTS {
            add_faces(&mut slots, Bytes::new(*data), |_| true);
        }
        for data in typst_assets::fonts() {
            add_faces(&mut slots, Bytes::new(data), |info| {
                EMBEDDED_FAMILIES.contains(&info.family.as_str())
            });
        }
        let always = slots.len();
        for data in typst_assets::fonts() {
            add_faces(&mut slots, Bytes::new(data), |info| {
                OPTIONAL_FAMILIES.contains(&info.family.as_str())
            });
        }
        let book = FontBook::from_infos(slots[..always].iter().map(|slot| slot.info.clone()));
        let full_book = FontBook::from_infos(slots.iter().map(|slot| slot.info.clone()));
        Ok(Self {
            book: LazyHash::new(book),
            full_book: LazyHash::new(full_book),
            slots,
        })
    }

    /// The fonts every deck has.
    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// Every font, the [`OPTIONAL_FAMILIES`] too.
    pub fn full_book(&self) -> &LazyHash<FontBook> {
        &self.full_book
    }

    /// Whether the fonts of a palette (its text) need the full book: it names an optional
    /// family that no font folder has.
    pub fn wants_optional(&self, palette: &str) -> bool {
        let palette = palette.to_ascii_lowercase();
        OPTIONAL_FAMILIES.iter().any(|family| {
            palette.contains(&family.to_ascii_lowercase())
                && !self
                    .book
                    .families()
                    .any(|(name, _)| name.eq_ignore_ascii_case(family))
        })
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| Font::new(slot.data.clone(), slot.index))
            .clone()
    }

    /// Raw bytes of the first font of `family` with the given weight (for chart text metrics).
    pub fn data(&self, family: &str, bold: bool) -> Option<&[u8]> {
        let wanted = if bold { 700 } else { 400 };
        self.slots
            .iter()
            .filter(|slot| {
                slot.info.family.eq_ignore_ascii_case(family)
                    && slot.info.variant.style == typst::text::FontStyle::Normal
            })
            .min_by_key(|slot| (slot.info.variant.weight.to_number() as i32 - wanted).abs())
            .map(|slot| slot.data.as_slice())
    }
}

/// Adds the faces of one font file (several for a collection) that `keep` accepts.
fn add_faces(slots: &mut Vec<FontSlot>, data: Bytes, keep: impl Fn(&FontInfo) -> bool) {
    // A collection's header: "ttcf", version, face count.
    let faces = match data.get(..12) {
        Some(header) if header.starts_with(b"ttcf") => {
            u32::from_be_bytes([header[8], header[9], header[10], header[11]])
        }
        _ => 1,
    };
    for index in 0..faces {
        if let Some(info) = FontInfo::new(&data, index).filter(|info| keep(info)) {
            slots.push(FontSlot {
                info,
                data: data.clone(),
                index,
                font: OnceLock::new(),
            });
        }
    }
}

/// The font files in `dirs` (missing folders have none), in the order they are loaded.
pub fn font_files(dirs: &[&Path]) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        if dir.is_dir() {
            let _ = collect_font_files(dir, &mut files);
        }
        files.sort();
        all.extend(files);
    }
    all
}

fn collect_font_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    collect_in(dir, out, &mut Vec::new())
}

/// Walks `dir`, following symbolic links to folders (a shared fonts folder linked in) but
/// never into a folder it is already inside or has seen, so a link loop ends.
fn collect_in(
    dir: &Path,
    out: &mut Vec<std::path::PathBuf>,
    seen: &mut Vec<std::path::PathBuf>,
) -> std::io::Result<()> {
    let real = dir.canonicalize()?;
    if seen.contains(&real) {
        return Ok(());
    }
    seen.push(real);
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_in(&path, out, seen)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_in_a_fonts_folder_ends() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(fonts.join("sub")).unwrap();
        std::fs::write(fonts.join("sub/a.ttf"), b"not really a font").unwrap();
        std::os::unix::fs::symlink(&fonts, fonts.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(fonts.join("sub"), fonts.join("again")).unwrap();
        let mut files = Vec::new();
        collect_font_files(&fonts, &mut files).unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
    }
}
