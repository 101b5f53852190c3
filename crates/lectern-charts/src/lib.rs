//! Charts from data: a chart spec (TOML in a ```` ```chart ```` block) plus datasets and the
//! theme's palette, drawn with plotters into SVG. Pure: no IO; the caller loads datasets.

pub mod palette;
pub mod plugin;
pub mod render;
pub mod spec;

use std::collections::HashMap;
use std::sync::Mutex;

pub use palette::Palette;
pub use plugin::Charts;
pub use render::{ChartError, ErrorAt, data_paths, render};
pub use spec::{ChartSpec, SpecError, parse_spec};

/// Registers the theme's sans font with plotters so labels are measured with the same font the
/// SVG names (and Typst draws). plotters keeps fonts for the whole process by family name:
/// each family is registered again only when its bytes change (another theme or deck), so
/// parallel builds and theme switches each measure with their own font.
pub fn register_font(family: &str, regular: &[u8], bold: Option<&[u8]>) -> Result<(), String> {
    type Registered = HashMap<String, (&'static [u8], Option<&'static [u8]>)>;
    static REGISTERED: Mutex<Option<Registered>> = Mutex::new(None);
    let mut registered = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
    let registered = registered.get_or_insert_with(HashMap::new);
    // Comparing the bytes (a memcmp) is cheaper than hashing them.
    if let Some((known, known_bold)) = registered.get(family)
        && *known == regular
        && *known_bold == bold
    {
        return Ok(());
    }
    // plotters wants 'static data: each distinct font is kept once for the process.
    let regular: &'static [u8] = Box::leak(regular.to_vec().into_boxed_slice());
    plotters::style::register_font(family, plotters::style::FontStyle::Normal, regular)
        .map_err(|_| format!("font `{family}` cannot be read by plotters"))?;
    let bold: Option<&'static [u8]> = bold.map(|b| &*Box::leak(b.to_vec().into_boxed_slice()));
    if let Some(bold) = bold {
        plotters::style::register_font(family, plotters::style::FontStyle::Bold, bold)
            .map_err(|_| format!("bold font `{family}` cannot be read by plotters"))?;
    }
    registered.insert(family.to_string(), (regular, bold));
    Ok(())
}
