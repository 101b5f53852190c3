//! Image sizes and keywords as other tools write them: Marp's keywords in the alt text
//! (`![bg](x.jpg)`, `![w:640](x.png)`) and pandoc's widths (`60%`, `300px`, `5cm`).

/// The slide width that pixel sizes are measured against (Marp's 1280 × 720 slides).
pub const SLIDE_WIDTH_PX: f64 = 1280.0;

/// What Marp's keywords in an image's alt text ask for.
#[derive(Debug, Default, PartialEq)]
pub struct Keywords {
    /// `bg`: the image is the slide's background.
    pub background: bool,
    /// `w:640`, `width:50%`: a share of the slide's width.
    pub width: Option<f64>,
    /// `bg left`, `bg right:40%`: Marp's split background (set beside the text here, as an
    /// image of the slide, until image layouts place it at the side).
    pub side: bool,
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
            "left" | "right" if keywords.background => keywords.side = true,
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
        let (alt, k) = marp_keywords("bg right:40% A forest");
        assert!(k.background && k.side);
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
