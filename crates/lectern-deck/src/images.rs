//! Image sizes and keywords as other tools write them (Marp's keywords in the alt text,
//! `![bg](x.jpg)`, `![w:640](x.png)`, and presenterm's `![image:width:50%](x.png)`; pandoc's widths, `60%`, `300px`, `5cm`), and where a
//! slide's layout puts its image.

use crate::diag::{Diagnostic, Kind};
use crate::model::{BlockKind, Slide};
use crate::settings::{ImageFit, Layout};

/// The slide width that pixel sizes are measured against (Marp's 1280 × 720 slides).
pub const SLIDE_WIDTH_PX: f64 = 1280.0;

/// What Marp's keywords in an image's alt text ask for.
#[derive(Debug, Default, PartialEq)]
pub struct Keywords {
    /// `bg`: the image is the slide's background.
    pub background: bool,
    /// `w:640`, `width:50%`: a share of the slide's width.
    pub width: Option<f64>,
    /// `bg left`, `bg right:40%`: Marp's split background, the image beside the text.
    pub side: Option<Side>,
    /// `bg contain` / `bg fit`: the whole image shows; `bg cover`: it covers its space.
    pub fit: Option<ImageFit>,
}

/// Marp's split background: the side, and the share of the width (`None`: half).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub left: bool,
    pub width: Option<f64>,
}

/// Splits Marp's keywords off an alt text: the rest of the text, and what they ask for.
/// Keywords with no meaning here (`contain`, `blur:4px`, `h:300`) are dropped with them.
pub fn marp_keywords(alt: &str) -> (String, Keywords) {
    let mut keywords = Keywords::default();
    let mut rest = Vec::new();
    for word in alt.split_whitespace() {
        let (name, value) = word.split_once(':').unwrap_or((word, ""));
        match name {
            "bg" if value.is_empty() => keywords.background = true,
            "w" | "width" if !value.is_empty() => {
                keywords.width = share(value, SLIDE_WIDTH_PX);
            }
            "h" | "height" if !value.is_empty() => {}
            // presenterm: `![image:width:50%](x.png)`.
            "image" if value.starts_with("width:") || value.starts_with("w:") => {
                let (_, size) = value.split_once(':').unwrap_or_default();
                keywords.width = share(size, SLIDE_WIDTH_PX);
            }
            "left" | "right" if keywords.background => {
                keywords.side = Some(Side {
                    left: name == "left",
                    width: share(value, SLIDE_WIDTH_PX),
                });
            }
            "contain" | "fit" if keywords.background => keywords.fit = Some(ImageFit::Contain),
            "cover" if keywords.background => keywords.fit = Some(ImageFit::Cover),
            "contain" | "cover" | "fit" | "auto" | "vertical" | "left" | "right" | "opacity"
            | "blur" | "brightness" | "contrast" | "drop-shadow" | "grayscale" | "hue-rotate"
            | "invert" | "saturate" | "sepia"
                if keywords.background || !value.is_empty() || name == "sepia" =>
            {
                // Filters and placements of the background: not drawn (the image still is).
            }
            _ => rest.push(word),
        }
    }
    (rest.join(" "), keywords)
}

/// Puts the slide's image where its layout wants it: beside the text for `image-left` and
/// `image-right`, behind it for `full-image` (and for an `image:` with no image layout).
/// Without an `image:` setting those layouts take the slide's first image of its own out of
/// the body; with no image at all the slide is set as an ordinary one, with a warning.
/// Paths that cannot be inside the deck are dropped with a warning.
pub fn place(slide: &mut Slide, file: &str, diags: &mut Vec<Diagnostic>) {
    let at = slide.range.start..slide.range.start;
    let mut keep = |path: String, what: &str| match crate::paths::check_deck_path(&path) {
        Ok(_) => Some(path),
        Err(message) => {
            diags.push(
                Diagnostic::warning(
                    file,
                    at.clone(),
                    format!("{what}: {message}; it is not shown"),
                )
                .with_kind(Kind::Image),
            );
            None
        }
    };
    let settings = &mut slide.settings;
    let images = std::mem::take(&mut settings.background.images);
    settings.background.images = images
        .into_iter()
        .filter_map(|path| keep(path, "background image"))
        .collect();
    let layout = settings.layout;
    let wants_image = matches!(
        layout,
        Some(Layout::ImageLeft | Layout::ImageRight | Layout::FullImage)
    );
    if wants_image && settings.image.is_none() {
        let first = slide
            .blocks
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Image { .. }));
        if let Some(i) = first
            && let BlockKind::Image { url, .. } = slide.blocks.remove(i).kind
        {
            settings.image = Some(url);
        }
    }
    let image = settings.image.take().and_then(|path| keep(path, "image"));
    match (layout, image) {
        (Some(Layout::ImageLeft | Layout::ImageRight), Some(path)) => settings.image = Some(path),
        (Some(Layout::FullImage), Some(path)) | (_, Some(path)) => {
            settings.background.images.insert(0, path);
            if layout == Some(Layout::FullImage) {
                settings.layout = None;
            }
        }
        (Some(layout @ (Layout::ImageLeft | Layout::ImageRight | Layout::FullImage)), None) => {
            let name = match layout {
                Layout::ImageLeft => "image-left",
                Layout::ImageRight => "image-right",
                _ => "full-image",
            };
            diags.push(
                Diagnostic::warning(
                    file,
                    at.clone(),
                    format!("layout `{name}` needs an image, and this slide has none; it is set as an ordinary slide"),
                )
                .with_kind(Kind::Directive)
                .with_hint("give one with `image: images/x.jpg`, or put an image on the slide"),
            );
            settings.layout = None;
        }
        (_, None) => {}
    }
}

/// The width an `<img>` tag asks for (`width="300"`, `style="width: 50%"`), as a share of
/// the slide's width.
pub fn html_width(tag: &crate::html::Tag) -> Option<f64> {
    let style_width = || {
        let style = tag.attr("style")?;
        let (_, rest) = style.split_once("width")?;
        let value = rest.trim_start().strip_prefix(':')?;
        Some(
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string(),
        )
    };
    share(&tag.attr("width").or_else(style_width)?, SLIDE_WIDTH_PX)
}

/// A size as a share of `whole` pixels: `60%`, `300px`, `300`, `5cm`, `2in`; `None` for
/// anything else. Absolute units are read against a slide 10 inches (254 mm) wide.
pub fn share(value: &str, whole: f64) -> Option<f64> {
    let value = value.trim();
    let number = |suffix: &str| value.strip_suffix(suffix)?.trim().parse::<f64>().ok();
    let share = if let Some(p) = number("%") {
        p / 100.0
    } else if let Some(px) = number("px").or_else(|| value.parse().ok()) {
        px / whole
    } else if let Some(cm) = number("cm") {
        cm / 25.4
    } else if let Some(mm) = number("mm") {
        mm / 254.0
    } else if let Some(inch) = number("in") {
        inch / 10.0
    } else {
        return None;
    };
    (share > 0.0).then_some(share.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marp_keywords_leave_the_alt_text() {
        let (alt, k) = marp_keywords("bg right:40% contain A forest");
        assert!(k.background);
        let side = Side {
            left: false,
            width: Some(0.4),
        };
        assert_eq!((k.side, k.fit), (Some(side), Some(ImageFit::Contain)));
        assert_eq!(alt, "A forest");
        let (alt, k) = marp_keywords("w:640 Diagram");
        assert_eq!(k.width, Some(0.5));
        assert_eq!(alt, "Diagram");
        let (alt, k) = marp_keywords("A right turn");
        assert_eq!((alt.as_str(), k), ("A right turn", Keywords::default()));
    }

    #[test]
    fn widths() {
        assert_eq!(share("60%", SLIDE_WIDTH_PX), Some(0.6));
        assert_eq!(share("640px", SLIDE_WIDTH_PX), Some(0.5));
        assert_eq!(share("wide", SLIDE_WIDTH_PX), None);
    }
}
