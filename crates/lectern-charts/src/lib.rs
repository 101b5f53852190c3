//! Charts from data: a chart spec (TOML in a ```` ```chart ```` block) plus datasets and the
//! theme's palette, drawn with plotters into SVG. Pure: no IO; the caller loads datasets.

pub mod palette;
pub mod render;
pub mod spec;

use std::sync::OnceLock;

pub use palette::Palette;
pub use render::{ChartError, ErrorAt, data_paths, render};
pub use spec::{ChartSpec, SpecError, parse_spec};

/// Registers the theme's sans font with plotters so labels are measured with the same font the
/// SVG names (and Typst draws). Fonts are registered once per process; later calls are no-ops
/// (and copy nothing).
pub fn register_font(family: &str, regular: &[u8], bold: Option<&[u8]>) -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        // plotters keeps fonts for the whole process and wants 'static data.
        let regular: &'static [u8] = Box::leak(regular.to_vec().into_boxed_slice());
        plotters::style::register_font(family, plotters::style::FontStyle::Normal, regular)
            .map_err(|_| format!("font `{family}` cannot be read by plotters"))?;
        if let Some(bold) = bold {
            let bold: &'static [u8] = Box::leak(bold.to_vec().into_boxed_slice());
            plotters::style::register_font(family, plotters::style::FontStyle::Bold, bold)
                .map_err(|_| format!("bold font `{family}` cannot be read by plotters"))?;
        }
        Ok(())
    })
    .clone()
}
