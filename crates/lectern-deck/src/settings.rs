//! Per-slide settings (layout, class, background, footer, page number, hide, fit) in one
//! model, read from the spellings other tools use: Slidev's per-slide front matter, pandoc and
//! Quarto heading attributes, Marp's comment directives and reveal.js's `.slide:` comments.

use std::ops::Range;

use crate::diag::{Diagnostic, Kind};
use crate::model::{Deck, SlideKind};

/// How one slide is laid out and decorated. `None` everywhere: the theme's defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub layout: Option<Layout>,
    /// Text a little smaller or larger than the theme's size.
    pub size: Option<Size>,
    pub background: Background,
    /// The footer text; `Some(None)` hides the footer.
    pub footer: Option<Option<String>>,
    /// Whether the page number shows.
    pub paginate: Option<bool>,
    /// Light text on the theme's dark colour (Marp's `invert`, remark's `inverse`).
    pub invert: bool,
    /// Left out of the deck.
    pub hide: bool,
    /// `Some(false)`: the body is never shrunk to fit.
    pub fit: Option<bool>,
    /// The image beside the text (`image-left`, `image-right`) or filling the slide
    /// (`full-image`): Slidev's `image:`, Marp's `![bg right](x.jpg)`.
    pub image: Option<String>,
    /// The share of the slide's width that image takes (Marp's `right:40%`); `None`: half.
    pub image_width: Option<f64>,
    /// How the slide's images fill their space (Slidev `backgroundSize`, Marp `contain`).
    pub image_fit: Option<ImageFit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFit {
    /// The whole space is covered; what sticks out is cut off (the default).
    Cover,
    /// The whole image shows; the rest of the space stays empty.
    Contain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    Default,
    /// Content centred on the slide (Marp's `lead`, Slidev's `center`, remark's `center, middle`).
    Center,
    /// Set like the title slide.
    Title,
    /// Set like a section divider.
    Section,
    TwoCols,
    ImageLeft,
    ImageRight,
    /// The slide's image fills it, the text over it.
    FullImage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    Smaller,
    Larger,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Background {
    /// Deck-relative image paths: usually one; Marp's several `![bg]` images share the slide,
    /// side by side.
    pub images: Vec<String>,
    /// A CSS colour as written (`#1e3a8a`, `navy`, `rgb(…)`).
    pub color: Option<String>,
    /// 0–1: how strongly the image shows.
    pub opacity: Option<f64>,
}

/// Where a setting applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The slide it is written in.
    Slide,
    /// That slide and every one after it (Marp's global directives, e.g. `<!-- paginate: true -->`).
    FromHere,
}

/// One `key: value` as written in the Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub key: String,
    pub value: String,
    pub scope: Scope,
    pub range: Range<usize>,
}

/// Keys that mean something in Lectern, in any tool's spelling.
const KNOWN: &[&str] = &[
    "layout",
    "class",
    "background",
    "backgroundImage",
    "background-image",
    "backgroundColor",
    "background-color",
    "background-opacity",
    "backgroundOpacity",
    "image",
    "image-width",
    "backgroundSize",
    "background-size",
    "footer",
    "paginate",
    "hide",
    "disabled",
    "exclude",
    "fit",
];

/// Keys of other tools with no meaning here: ignored with a warning, never shown.
const FOREIGN: &[&str] = &[
    "theme",
    "style",
    "headingDivider",
    "size",
    "math",
    "title",
    "author",
    "description",
    "keywords",
    "url",
    "marp",
    "header",
    "color",
    "backgroundPosition",
    "backgroundRepeat",
    "transition",
    "clicks",
    "preload",
    "routeAlias",
    "level",
    "drawings",
    "zoom",
    "dragPos",
    "layoutClass",
    "src",
    "hideInToc",
    "name",
    "auto-animate",
    "visibility",
    "timing",
    "template",
    "count",
    "seal",
    "background-size",
    "background-position",
];

/// Whether `key` means something in Lectern (a front-matter key that is a slide setting).
pub fn is_setting_key(key: &str) -> bool {
    KNOWN.contains(&key) && !matches!(key, "image" | "hide" | "disabled" | "exclude")
}

/// Whether `key` (without Marp's `_` prefix) is a setting of some slide tool.
pub fn is_directive_key(key: &str) -> bool {
    let key = key.strip_prefix('_').unwrap_or(key);
    KNOWN.contains(&key) || FOREIGN.contains(&key) || key.starts_with("data-")
}

/// Reads a comment body as Marp-style directives (`key: value` lines, `_key` for this slide
/// only). `None` when any line is something else: the comment is then a speaker note.
pub fn comment_directives(body: &str, at: usize) -> Option<Vec<Directive>> {
    let mut out = Vec::new();
    let mut offset = at;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let (key, value) = text.split_once(':')?;
        let key = key.trim();
        if !is_directive_key(key) || key.contains(char::is_whitespace) {
            return None;
        }
        let (key, scope) = match key.strip_prefix('_') {
            Some(key) => (key, Scope::Slide),
            None => (key, Scope::FromHere),
        };
        let lead = line.len() - line.trim_start().len();
        out.push(Directive {
            key: key.to_string(),
            value: unquote(value.trim()).to_string(),
            scope,
            range: start + lead..start + lead + text.len(),
        });
    }
    (!out.is_empty()).then_some(out)
}

/// Slidev's per-slide front matter: `key: value` lines for this slide.
pub fn yaml_directives(text: &str, at: usize) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut offset = at;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        // Nested values (indented lines) belong to a key of another tool.
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        out.push(Directive {
            key: key.trim().to_string(),
            value: unquote(value.trim()).to_string(),
            scope: Scope::Slide,
            range: start..start + line.trim_end().len(),
        });
    }
    out
}

/// reveal.js's `.slide: data-background="…" class="…"` (the text after `.slide:`).
pub fn reveal_directives(attrs: &str, at: Range<usize>) -> Vec<Directive> {
    attribute_pairs(attrs)
        .into_iter()
        .map(|(key, value)| Directive {
            key: match key.as_str() {
                "data-background" | "data-background-image" => "background".into(),
                "data-background-color" => "background-color".into(),
                "data-background-opacity" => "background-opacity".into(),
                _ => key,
            },
            value,
            scope: Scope::Slide,
            range: at.clone(),
        })
        .collect()
}

/// pandoc attributes written after a heading: `{#id .class key="value"}`. Returns the
/// heading text without them and the directives (classes as `class`), or `None` when the
/// braces hold something else (`{1, 2}` stays text).
pub fn heading_attributes(text: &str, at: Range<usize>) -> Option<(&str, Vec<Directive>)> {
    let trimmed = text.trim_end();
    let open = trimmed.strip_suffix('}')?.rfind('{')?;
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let mut directives = Vec::new();
    let mut classes = Vec::new();
    for token in split_attributes(inner)? {
        if let Some(class) = token.strip_prefix('.') {
            classes.push(class.to_string());
        } else if token.starts_with('#') {
            // An identifier: nothing to set.
        } else {
            let (key, value) = token.split_once('=')?;
            directives.push(Directive {
                key: key.to_string(),
                value: unquote(value).to_string(),
                scope: Scope::Slide,
                range: at.clone(),
            });
        }
    }
    if !classes.is_empty() {
        directives.push(Directive {
            key: "class".into(),
            value: classes.join(" "),
            scope: Scope::Slide,
            range: at,
        });
    }
    Some((trimmed[..open].trim_end(), directives))
}

/// Whitespace-separated attribute tokens, quotes kept together; `None` if a token is not an
/// attribute (`#id`, `.class`, `key=value`).
fn split_attributes(inner: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let mut end = 0;
        let mut quote = None;
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, c) if c.is_whitespace() => break,
                _ => {}
            }
            end = i + c.len_utf8();
        }
        if quote.is_some() {
            return None;
        }
        let token = &rest[..end];
        let is_name = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        };
        let valid = match token.as_bytes().first() {
            Some(b'.' | b'#') => is_name(&token[1..]),
            _ => token.split_once('=').is_some_and(|(k, _)| is_name(k)),
        };
        if !valid {
            return None;
        }
        tokens.push(token);
        rest = rest[end..].trim_start();
    }
    (!tokens.is_empty()).then_some(tokens)
}

fn attribute_pairs(attrs: &str) -> Vec<(String, String)> {
    split_attributes(attrs)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| (k.to_string(), unquote(v).to_string()))
        .collect()
}

fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// presenterm's comment commands (`<!-- skip_slide -->`, `<!-- font_size: 2 -->`, …) as a
/// directive key and value. `end_slide`, `pause` and the column commands are read before this
/// (`dialects.rs`).
pub fn presenterm_command(note: &str) -> Option<(&'static str, &str)> {
    const COMMANDS: &[&str] = &[
        "jump_to_middle",
        "newline",
        "new_line",
        "new_lines",
        "incremental_lists",
        "alignment",
        "font_size",
        "list_item_newlines",
        "include",
        "snippet_output",
        "no_footer",
        "skip_slide",
    ];
    let (name, value) = note.split_once(':').unwrap_or((note, ""));
    let name = name.trim();
    let value = value.trim();
    match name {
        "skip_slide" => Some(("hide", "true")),
        "no_footer" => Some(("footer", "false")),
        _ => COMMANDS.iter().find(|c| **c == name).map(|c| (*c, value)),
    }
}

/// Gives each directive to the slide it was written in (one after a separator, in `rules`,
/// belongs to the slide after it), resolves Marp's "from here on" scope, turns `layout: title`
/// and `section` into those kinds of slide where they fit, and leaves hidden slides out. The
/// directives Lectern has no use for get one warning, grouped.
pub fn attach(
    deck: &mut Deck,
    mut directives: Vec<Directive>,
    rules: &[usize],
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if directives.is_empty() {
        return;
    }
    directives.sort_by_key(|d| d.range.start);
    let slide_of = |at: usize| -> Option<usize> {
        let i = deck
            .slides
            .iter()
            .rposition(|s| s.range.start <= at)
            .unwrap_or(0);
        let after_rule = deck.slides.get(i + 1).is_some()
            && rules
                .iter()
                .any(|&r| deck.slides[i].range.end <= r && r <= at);
        (!deck.slides.is_empty()).then_some(if after_rule { i + 1 } else { i })
    };
    let mut by_slide: Vec<Vec<Directive>> = vec![Vec::new(); deck.slides.len()];
    for directive in directives {
        if let Some(i) = slide_of(directive.range.start) {
            by_slide[i].push(directive);
        }
    }
    let mut ignored: Vec<(Range<usize>, String)> = Vec::new();
    let mut from_here = Settings::default();
    for (slide, directives) in deck.slides.iter_mut().zip(&by_slide) {
        for d in directives.iter().filter(|d| d.scope == Scope::FromHere) {
            if let Applied::Ignored(what) = from_here.apply(d) {
                ignored.push((d.range.clone(), what));
            }
        }
        let mut settings = from_here.clone();
        settings.hide = false;
        for d in directives.iter().filter(|d| d.scope == Scope::Slide) {
            if let Applied::Ignored(what) = settings.apply(d) {
                ignored.push((d.range.clone(), what));
            }
        }
        slide.settings = settings;
    }
    for slide in &mut deck.slides {
        let background = &mut slide.settings.background;
        if let Some(color) = background.color.take() {
            if typst_color(&color).is_some() {
                background.color = Some(color);
            } else {
                ignored.push((
                    slide.range.start..slide.range.start,
                    format!("colour {color}"),
                ));
            }
        }
        crate::images::place(slide, file, diags);
    }
    for (i, slide) in deck.slides.iter_mut().enumerate() {
        match slide.settings.layout {
            Some(Layout::Title) if i == 0 => slide.kind = SlideKind::Title,
            Some(Layout::Section) if slide.blocks.is_empty() && !slide.title.is_empty() => {
                slide.kind = SlideKind::Section;
            }
            Some(Layout::Title | Layout::Section) => slide.settings.layout = Some(Layout::Center),
            _ => {}
        }
    }
    leave_out_hidden(deck);
    if let Some((range, _)) = ignored.first() {
        let mut shown: Vec<&str> = Vec::new();
        for (_, what) in &ignored {
            if !shown.contains(&what.as_str()) {
                shown.push(what);
            }
        }
        let more = shown.len().saturating_sub(6);
        shown.truncate(6);
        let list = shown.join("`, `");
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::warning(
                file,
                range.clone(),
                format!(
                    "{} directive(s) of other slide tools mean nothing in Lectern and were ignored: `{list}`{tail}",
                    ignored.len()
                ),
            )
            .with_kind(Kind::Directive)
            .with_hint("see docs/coming-from.md for what Lectern understands"),
        );
    }
}

/// Drops slides set to `hide`, keeping the others' section links right.
fn leave_out_hidden(deck: &mut Deck) {
    if !deck.slides.iter().any(|s| s.settings.hide) {
        return;
    }
    let mut new_index = Vec::with_capacity(deck.slides.len());
    let mut kept = 0;
    for slide in &deck.slides {
        new_index.push((!slide.settings.hide).then_some(kept));
        kept += usize::from(!slide.settings.hide);
    }
    deck.slides.retain(|s| !s.settings.hide);
    for slide in &mut deck.slides {
        slide.section = slide
            .section
            .and_then(|s| new_index.get(s).copied().flatten());
    }
}

/// What happened to a directive.
#[derive(Debug, PartialEq)]
pub enum Applied {
    Set,
    /// A setting of another tool, or a value Lectern has no use for (named in the warning).
    Ignored(String),
}

impl Settings {
    /// Applies one directive.
    pub fn apply(&mut self, directive: &Directive) -> Applied {
        let value = directive.value.trim();
        let ignored = || Applied::Ignored(format!("{}: {value}", directive.key));
        match directive.key.as_str() {
            // remark's `layout: true` makes a template slide, never shown itself.
            "layout" if value == "true" => self.hide = true,
            "layout" if value == "false" => {}
            "layout" => match layout(value) {
                Some(layout) => self.layout = Some(layout),
                None => return ignored(),
            },
            "class" => {
                let mut unknown = Vec::new();
                for class in value.split(|c: char| c.is_whitespace() || c == ',') {
                    match class {
                        "" => {}
                        "lead" | "center" | "middle" | "text-center" | "centered" => {
                            self.layout = Some(Layout::Center);
                        }
                        "invert" | "inverse" | "dark" => self.invert = true,
                        "smaller" | "small" => self.size = Some(Size::Smaller),
                        "larger" | "large" => self.size = Some(Size::Larger),
                        // pandoc's references heading: slides are never numbered anyway.
                        "unnumbered" | "unlisted" => {}
                        other => unknown.push(other),
                    }
                }
                if !unknown.is_empty() {
                    return Applied::Ignored(format!("class: {}", unknown.join(" ")));
                }
            }
            "background" | "backgroundImage" | "background-image" => {
                let value = css_url(value);
                if looks_like_color(value) {
                    self.background.color = Some(value.to_string());
                } else if !value.is_empty() {
                    // Several lines: Marp's `![bg]` images written together.
                    self.background.images = value
                        .lines()
                        .map(|path| path.trim().trim_start_matches('/').to_string())
                        .filter(|path| !path.is_empty())
                        .collect();
                }
            }
            "image" => {
                let value = css_url(value);
                if !value.is_empty() {
                    self.image = Some(value.trim_start_matches('/').to_string());
                }
            }
            "image-width" => match crate::images::share(value, crate::images::SLIDE_WIDTH_PX) {
                Some(share) if (0.1..=0.9).contains(&share) => self.image_width = Some(share),
                _ => return ignored(),
            },
            "backgroundSize" | "background-size" => match value {
                "cover" => self.image_fit = Some(ImageFit::Cover),
                "contain" | "fit" => self.image_fit = Some(ImageFit::Contain),
                _ => return ignored(),
            },
            "backgroundColor" | "background-color" => {
                self.background.color = Some(value.to_string());
            }
            "background-opacity" | "backgroundOpacity" => match value.parse::<f64>() {
                Ok(o) if (0.0..=1.0).contains(&o) => self.background.opacity = Some(o),
                _ => return ignored(),
            },
            "footer" => {
                self.footer = Some(match value {
                    "false" | "" => None,
                    text => Some(text.to_string()),
                });
            }
            // Marp's `hold` keeps the number shown; `skip` hides it.
            "paginate" => match boolean(value).or(match value {
                "hold" => Some(true),
                "skip" => Some(false),
                _ => None,
            }) {
                Some(on) => self.paginate = Some(on),
                None => return ignored(),
            },
            "hide" | "disabled" | "exclude" => match boolean(value) {
                Some(hide) => self.hide = hide,
                None => return ignored(),
            },
            "fit" => match boolean(value) {
                Some(fit) => self.fit = Some(fit),
                None => return ignored(),
            },
            _ => return ignored(),
        }
        Applied::Set
    }
}

/// Layout names of Lectern, Slidev and Quarto.
fn layout(name: &str) -> Option<Layout> {
    Some(match name {
        "default" | "none" => Layout::Default,
        "center" | "centre" | "lead" | "fact" | "statement" | "end" | "quote" | "middle" => {
            Layout::Center
        }
        "title" | "cover" | "intro" => Layout::Title,
        "section" => Layout::Section,
        "two-cols" | "two-cols-header" | "columns" => Layout::TwoCols,
        "image-left" => Layout::ImageLeft,
        "image-right" => Layout::ImageRight,
        "full-image" | "image" | "iframe" => Layout::FullImage,
        _ => return None,
    })
}

fn boolean(value: &str) -> Option<bool> {
    match value {
        "true" | "yes" | "on" => Some(true),
        "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// `url(x.png)` or `url("x.png")` as `x.png`.
fn css_url(value: &str) -> &str {
    value
        .strip_prefix("url(")
        .and_then(|v| v.strip_suffix(')'))
        .map_or(value, unquote)
}

/// A CSS colour as a Typst expression: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)` with
/// 0–255 components, or one of the common CSS colour names; `None` for anything else.
pub fn typst_color(css: &str) -> Option<String> {
    let css = css.trim();
    if let Some(hex) = css.strip_prefix('#') {
        return (matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| format!("rgb(\"#{hex}\")"));
    }
    if let Some(inner) = css
        .strip_prefix("rgb(")
        .or_else(|| css.strip_prefix("rgba("))
        .and_then(|c| c.strip_suffix(')'))
    {
        let parts: Vec<u8> = inner
            .split([',', ' '])
            .filter(|p| !p.is_empty())
            .take(3)
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        return (parts.len() == 3)
            .then(|| format!("rgb({}, {}, {})", parts[0], parts[1], parts[2]));
    }
    const NAMES: &[(&str, &str)] = &[
        ("black", "000000"),
        ("white", "ffffff"),
        ("gray", "808080"),
        ("grey", "808080"),
        ("silver", "c0c0c0"),
        ("red", "ff0000"),
        ("maroon", "800000"),
        ("orange", "ffa500"),
        ("yellow", "ffff00"),
        ("olive", "808000"),
        ("lime", "00ff00"),
        ("green", "008000"),
        ("teal", "008080"),
        ("aqua", "00ffff"),
        ("cyan", "00ffff"),
        ("blue", "0000ff"),
        ("navy", "000080"),
        ("purple", "800080"),
        ("fuchsia", "ff00ff"),
        ("magenta", "ff00ff"),
        ("pink", "ffc0cb"),
        ("brown", "a52a2a"),
        ("beige", "f5f5dc"),
        ("ivory", "fffff0"),
        ("indigo", "4b0082"),
        ("gold", "ffd700"),
        ("crimson", "dc143c"),
        ("darkblue", "00008b"),
        ("darkgreen", "006400"),
        ("darkred", "8b0000"),
        ("lightgray", "d3d3d3"),
        ("lightgrey", "d3d3d3"),
        ("darkgray", "a9a9a9"),
        ("darkgrey", "a9a9a9"),
        ("whitesmoke", "f5f5f5"),
        ("steelblue", "4682b4"),
        ("royalblue", "4169e1"),
        ("midnightblue", "191970"),
        ("slategray", "708090"),
        ("tomato", "ff6347"),
        ("coral", "ff7f50"),
        ("salmon", "fa8072"),
        ("khaki", "f0e68c"),
        ("lavender", "e6e6fa"),
        ("skyblue", "87ceeb"),
        ("turquoise", "40e0d0"),
        ("chocolate", "d2691e"),
        ("tan", "d2b48c"),
    ];
    let lower = css.to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, hex)| format!("rgb(\"#{hex}\")"))
}

fn looks_like_color(value: &str) -> bool {
    value.starts_with('#')
        || value.starts_with("rgb")
        || value.starts_with("hsl")
        || (!value.is_empty()
            && value.chars().all(|c| c.is_ascii_alphabetic())
            && !value.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marp_comments_are_directives_other_comments_are_notes() {
        let d = comment_directives(" _class: lead\n paginate: false ", 10).unwrap();
        assert_eq!(d[0].key, "class");
        assert_eq!(d[0].scope, Scope::Slide);
        assert_eq!(d[1].scope, Scope::FromHere);
        assert!(comment_directives("Speaker note: slow down", 0).is_none());
        assert!(comment_directives("TODO: fix", 0).is_none());
        assert!(comment_directives("remember the demo", 0).is_none());
    }

    #[test]
    fn heading_attributes_are_read_only_when_they_are_attributes() {
        let (text, d) =
            heading_attributes("Title {.center background-image=\"img/x.jpg\"}", 0..5).unwrap();
        assert_eq!(text, "Title");
        assert_eq!(d.len(), 2);
        assert!(heading_attributes("The set {1, 2}", 0..5).is_none());
        assert!(heading_attributes("Braces {}", 0..5).is_none());
    }

    #[test]
    fn values_map_to_settings() {
        let mut s = Settings::default();
        let set = |s: &mut Settings, key: &str, value: &str| {
            s.apply(&Directive {
                key: key.into(),
                value: value.into(),
                scope: Scope::Slide,
                range: 0..0,
            })
        };
        assert_eq!(set(&mut s, "layout", "cover"), Applied::Set);
        assert_eq!(s.layout, Some(Layout::Title));
        set(&mut s, "backgroundImage", "url('images/bg.jpg')");
        assert_eq!(s.background.images, ["images/bg.jpg"]);
        set(&mut s, "background", "#102030");
        assert_eq!(s.background.color.as_deref(), Some("#102030"));
        set(&mut s, "footer", "false");
        assert_eq!(s.footer, Some(None));
        assert!(matches!(
            set(&mut s, "transition", "fade"),
            Applied::Ignored(_)
        ));
        assert!(
            matches!(set(&mut s, "class", "lead invert gaia"), Applied::Ignored(m) if m == "class: gaia")
        );
        assert_eq!(s.layout, Some(Layout::Center));
        assert!(s.invert);
        assert_eq!(set(&mut s, "paginate", "skip"), Applied::Set);
        assert_eq!(s.paginate, Some(false));
        assert_eq!(set(&mut s, "image-width", "40%"), Applied::Set);
        assert_eq!(s.image_width, Some(0.4));
        assert_eq!(set(&mut s, "backgroundSize", "contain"), Applied::Set);
        assert_eq!(s.image_fit, Some(ImageFit::Contain));
    }
}
