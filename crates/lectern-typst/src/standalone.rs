//! Documents Lectern writes about decks rather than from them (the `lectern diff` report):
//! Typst markup and in-memory files compiled with the bundled fonts, reading nothing from disk.

use std::path::PathBuf;
use std::sync::Arc;

use typst::foundations::{Bytes, Smart};
use typst_layout::PagedDocument;

use crate::fonts::Fonts;
use crate::world::{LecternWorld, ThemeRoot};

/// Compiles `main` (served as the document's main file) with `files` (virtual paths under
/// `/__lectern/`) into a PDF with the identifier `ident`; the error is Typst's first message.
pub fn pdf(main: String, files: Vec<(String, Vec<u8>)>, ident: &str) -> Result<Vec<u8>, String> {
    let document = document(main, files)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| first_message(&errors))
}

/// Like [`pdf`], but the first page as a PNG at `pixel_per_pt` (for pictures such as the
/// theme gallery).
pub fn png(
    main: String,
    files: Vec<(String, Vec<u8>)>,
    pixel_per_pt: f32,
) -> Result<Vec<u8>, String> {
    let document = document(main, files)?;
    let page = document.pages().first().ok_or("no page")?;
    Ok(crate::inspect::page_png(page, pixel_per_pt))
}

fn document(main: String, files: Vec<(String, Vec<u8>)>) -> Result<PagedDocument, String> {
    let fonts = Arc::new(Fonts::load(&[]).map_err(|e| e.to_string())?);
    // No deck: a path that does not exist, so nothing outside the given files can be read.
    let root = PathBuf::from("/__lectern-standalone-has-no-files");
    let mut world = LecternWorld::new(fonts, root, ThemeRoot::Builtin(&crate::builtin::THEMES[0]));
    let main_path = lectern_deck::generate::MAIN_PATH;
    let files = files
        .into_iter()
        .map(|(path, bytes)| (path, Bytes::new(bytes)));
    world.set_sources([(main_path, main.into())], files);
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| first_message(&errors))
}

fn first_message(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.first().map_or_else(
        || "unknown Typst error".to_string(),
        |e| e.message.to_string(),
    )
}
