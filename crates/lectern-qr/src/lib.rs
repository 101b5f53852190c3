//! ```` ```qr ```` blocks: the URL or text inside becomes a vector QR code in the theme's ink
//! colour, captioned with the URL (lecturers put one on the first and last slides).
//!
//! Attributes: `caption="…"` (or `caption=false`), `height=8` (in `em` of the slide's text).

use lectern_block::{
    BlockError, BlockRenderer, BlockSource, Content, ErrorAt, Figure, Inputs, Theme,
};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Default height of a code, in `em`: about 6 cm on a projected 16:9 slide.
const HEIGHT_EM: f64 = 8.0;

/// Draws ```` ```qr ```` blocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Qr;

impl BlockRenderer for Qr {
    fn kinds(&self) -> &[&'static str] {
        &["qr"]
    }

    fn render(
        &self,
        block: &BlockSource,
        _inputs: &Inputs,
        theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>> {
        let text = block.body.trim();
        if text.is_empty() {
            return Err(vec![
                BlockError::new("the QR code is empty", ErrorAt::Fence)
                    .with_hint("write the URL or text on the line after ```qr"),
            ]);
        }
        let start = block.body.find(text).unwrap_or(0);
        // Medium error correction: still readable from the back of a room with a glare spot.
        let code = QrCode::with_error_correction_level(text, EcLevel::M).map_err(|err| {
            vec![BlockError::new(
                format!("this cannot be a QR code: {err}"),
                ErrorAt::Body(start..start + text.len()),
            )]
        })?;
        let attributes = lectern_block::attributes(block.attributes);
        let ink = ink(theme.palette);
        let svg = code
            .render::<svg::Color>()
            .quiet_zone(true)
            .dark_color(svg::Color(&ink))
            .light_color(svg::Color("#ffffff"))
            .build();
        let caption = match attributes.get("caption").map(String::as_str) {
            Some("false" | "none" | "") => None,
            Some(caption) => Some(caption.to_string()),
            // A long text would crowd the slide: only a URL-sized one is shown.
            None => (text.chars().count() <= 80 && !text.contains('\n')).then(|| text.to_string()),
        };
        let height_em =
            Some(lectern_block::height_em(&attributes, HEIGHT_EM).map_err(|e| vec![e])?);
        Ok(Figure {
            content: Content::Svg(svg),
            alt: format!("QR code: {text}"),
            title: attributes.get("title").cloned(),
            subtitle: None,
            caption,
            height_em,
            fit_width: false,
        })
    }
}

/// The colour of the modules: the palette's `ink`, or its `paper` where that is the darker
/// (a dark theme's light ink on the white quiet zone would not scan); black if neither.
fn ink(palette: &str) -> String {
    let value: Option<toml::Table> = toml::from_str(palette).ok();
    let color = |name: &str| {
        value
            .as_ref()
            .and_then(|t| t.get("colors")?.get(name)?.as_str())
            .filter(|c| c.len() == 7 && c.starts_with('#'))
            .map(str::to_string)
    };
    let brightness = |hex: &str| {
        let channel = |i: usize| u32::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        2126 * channel(1) + 7152 * channel(3) + 722 * channel(5)
    };
    match (color("ink"), color("paper")) {
        (Some(ink), Some(paper)) if brightness(&paper) < brightness(&ink) => paper,
        (Some(ink), _) => ink,
        _ => "#000000".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str, attributes: &str) -> Result<Figure, Vec<BlockError>> {
        let theme = Theme::with_palette("[colors]\nink = \"#1f2937\"\n");
        let block = BlockSource {
            kind: "qr",
            attributes,
            body,
        };
        Qr.render(&block, &Inputs::new(), &theme)
    }

    #[test]
    fn a_url_becomes_a_vector_code_captioned_with_it() {
        let figure = render("https://example.org/course\n", "").expect("a code");
        let Content::Svg(svg) = &figure.content else {
            panic!("not a drawing")
        };
        assert!(svg.contains("<svg") && svg.contains("fill=\"#1f2937\""));
        assert!(!svg.contains("<image"), "vector, not raster");
        assert_eq!(
            figure.caption.as_deref(),
            Some("https://example.org/course")
        );
        let again = render("https://example.org/course\n", "").expect("a code");
        assert_eq!(figure, again, "deterministic");
        let hidden = render("https://example.org", "{caption=false height=5}").expect("a code");
        assert_eq!((hidden.caption, hidden.height_em), (None, Some(5.0)));
    }

    #[test]
    fn problems_are_located() {
        let err = render("  \n", "").expect_err("empty");
        assert_eq!(err[0].at, ErrorAt::Fence);
        let long = "x".repeat(8000);
        let err = render(&format!("\n{long}\n"), "").expect_err("too long");
        assert_eq!(err[0].at, ErrorAt::Body(1..8001));
        let err = render("x", "height=big").expect_err("bad height");
        assert!(err[0].message.contains("height"));
    }
}
