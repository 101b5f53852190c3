//! YAML front matter between `---` lines at the top of a deck (the Marp/Slidev/Quarto convention).

use serde_yaml::Value;

use crate::diag::{Diagnostic, Kind};
use crate::settings::{Directive, Scope};

/// Deck-wide settings from the front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Shown in the footer; defaults to the title.
    pub short_title: Option<String>,
    pub author: Vec<String>,
    pub date: Option<String>,
    pub institution: Option<String>,
    /// BCP 47 language tag of the deck (e.g. `bg`), for hyphenation, quotes and PDF metadata.
    pub lang: Option<String>,
    /// Theme name: a folder under `themes/`, or a built-in theme.
    pub theme: Option<String>,
    /// Heading level that opens a slide (pandoc's `slide-level`); higher levels open sections.
    /// `None`: inferred from the deck (see `structure::infer`).
    pub slide_level: Option<u8>,
    /// Marp's `headingDivider`: in a deck split at `---`, a heading of this level or higher
    /// also starts a slide.
    pub heading_divider: Option<u8>,
    /// Slide settings given for the whole deck (Marp's `paginate`, `footer`, `class`, …;
    /// Slidev's `layout` for the first slide).
    pub directives: Vec<Directive>,
    /// Planned length of the talk in minutes (`duration: 90min`), for the presenter's countdown.
    pub duration: Option<u32>,
    /// The slide the talk ends on (1-based; later slides are backup), for pacing.
    pub end_slide: Option<usize>,
    /// Minutes before the end at which the countdown turns to a warning colour.
    pub last_minutes: Option<u32>,
    /// `theme-options:` (colours, fonts, logo, title arrangement), checked, in file order.
    pub theme_options: Vec<ThemeOption>,
    /// `bibliography:` files (BibTeX `.bib` or Hayagriva `.yml`, inside the deck folder), each
    /// with where it is named in the Markdown.
    pub bibliography: Vec<(String, std::ops::Range<usize>)>,
    /// `csl:` a citation style Typst ships (`apa`, `ieee`, …) or a `.csl` file in the deck.
    pub csl: Option<(String, std::ops::Range<usize>)>,
    /// pandoc's `reference-section-title`: the references slide's title (default by `lang`).
    pub reference_section_title: Option<String>,
    /// `citation-location: slide`: a slide's references also at its foot.
    pub citations_at_foot: bool,
    /// `citation-lang`: the language of the citation style's terms ("et al.", "p."), when
    /// it is not the deck's (a Bulgarian lecture citing English papers the English way).
    pub citation_lang: Option<String>,
    /// Quarto's `execute: echo:` (or `include:`): `false` hides every code chunk (and a
    /// notebook's code) unless the chunk's own `#| echo: true` shows it.
    pub execute_echo: Option<bool>,
}

/// One of the theme options a deck may set without writing a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeOption {
    pub key: String,
    /// Colours as `#rrggbb`; other values as written.
    pub value: String,
    /// Where the key is in the Markdown.
    pub range: std::ops::Range<usize>,
}

/// The theme options, with what each takes.
pub const THEME_OPTIONS: &[(&str, &str)] = &[
    (
        "accent",
        "a colour such as `#c2410c`: links, list markers, table headers, the first chart series",
    ),
    (
        "primary",
        "a colour: section slides and headings inside slides",
    ),
    (
        "font",
        "a font family for the text (a font in the deck's fonts/ folder or a shipped one)",
    ),
    ("code-font", "a font family for code"),
    (
        "logo",
        "an image in the deck folder, such as `images/logo.png`",
    ),
    (
        "logo-on",
        "`all` (every slide, the default) or `title` (the title slide only)",
    ),
    (
        "title",
        "the title slide's arrangement: `left` (the default) or `center`",
    ),
    (
        "aspect",
        "the page's shape: `16:9` (the default), `16:10` or `4:3`",
    ),
];

/// The keys Lectern reads, as written in the front matter.
pub const KEYS: &[&str] = &[
    "title",
    "subtitle",
    "short-title",
    "author",
    "date",
    "institution",
    "lang",
    "theme",
    "slide-level",
    "duration",
    "end-slide",
    "last-minutes",
    "theme-options",
    "bibliography",
    "csl",
    "reference-section-title",
    "citation-location",
    "citation-lang",
    "execute",
];

/// Where `value` is written after `from` (before `end`), so that a problem with it points there.
fn value_range(src: &str, from: usize, end: usize, value: &str) -> Option<std::ops::Range<usize>> {
    let at = from + src.get(from..end)?.find(value)?;
    Some(at..at + value.len())
}

/// Splits front matter off the top of `src`. Returns the settings and the byte offset where the
/// Markdown body starts. Problems are warnings located in `file`: the deck still builds, with
/// defaults for whatever could not be read.
pub fn split(src: &str, file: &str) -> (FrontMatter, usize, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(first_len) = fence_len(src) else {
        return (FrontMatter::default(), 0, diags);
    };
    let yaml_start = first_len;
    let mut pos = yaml_start;
    let close = loop {
        if pos >= src.len() {
            break None;
        }
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1);
        if src[pos..line_end].trim_end() == "---" || src[pos..line_end].trim_end() == "..." {
            break Some((pos, line_end));
        }
        pos = line_end;
    };
    let Some((yaml_end, body_start)) = close else {
        // A lone `---` at the top is a thematic break unless what follows reads as settings.
        if looks_like_yaml_key(&src[yaml_start..]) {
            diags.push(
                Diagnostic::warning(
                    file,
                    0..3,
                    "front matter is not closed; it was read as slides",
                )
                .with_kind(Kind::FrontMatter)
                .with_hint("end the YAML block with a line holding only `---`"),
            );
        }
        return (FrontMatter::default(), 0, diags);
    };
    let yaml = &src[yaml_start..yaml_end];
    if yaml.trim().is_empty() {
        return (FrontMatter::default(), body_start, diags);
    }
    // `---`, a line of text, `---` is a thematic break and a setext heading, not settings.
    if !looks_like_yaml_key(yaml) {
        return (FrontMatter::default(), 0, diags);
    }
    let value = match serde_yaml::from_str::<Value>(yaml) {
        Ok(value) => value,
        Err(err) => {
            let at = err.location().map_or(0, |l| l.index());
            let at = (yaml_start + at).min(yaml_end);
            let end = src[at..yaml_end].find('\n').map_or(yaml_end, |i| at + i);
            let message = err.to_string();
            // serde_yaml appends " at line X column Y"; the snippet shows that already.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            diags.push(
                Diagnostic::warning(
                    file,
                    at..end,
                    format!("front matter is not valid YAML ({message}); the deck is built with default settings"),
                )
                .with_kind(Kind::FrontMatter),
            );
            return (FrontMatter::default(), body_start, diags);
        }
    };
    let Value::Mapping(map) = value else {
        diags.push(
            Diagnostic::warning(
                file,
                yaml_start..yaml_end.max(yaml_start),
                "front matter is not a list of `key: value` settings; it was ignored",
            )
            .with_kind(Kind::FrontMatter),
        );
        return (FrontMatter::default(), body_start, diags);
    };
    let mut meta = FrontMatter::default();
    for (key, value) in &map {
        let key = match key {
            Value::String(key) => key.clone(),
            other => scalar(other).unwrap_or_default(),
        };
        let at = key_range(src, yaml_start, yaml_end, &key);
        let mut warn = |message: String| {
            diags.push(Diagnostic::warning(file, at.clone(), message).with_kind(Kind::FrontMatter));
        };
        let text = |warn: &mut dyn FnMut(String)| match scalar(value) {
            Some(text) => Some(text),
            None => {
                warn(format!("`{key}` should be text; it was ignored"));
                None
            }
        };
        match key.as_str() {
            "title" => meta.title = text(&mut warn),
            "subtitle" => meta.subtitle = text(&mut warn),
            "short-title" => meta.short_title = text(&mut warn),
            "date" => meta.date = text(&mut warn),
            // pandoc and Beamer call it `institute`.
            "institution" | "institute" => meta.institution = text(&mut warn),
            "lang" => {
                meta.lang = text(&mut warn).and_then(|tag| match language(&tag) {
                    Some(lang) => Some(lang),
                    None => {
                        warn(format!(
                            "`lang` should be a language code such as `en` or `bg-BG`, not `{tag}`; using `en`"
                        ));
                        None
                    }
                })
            }
            "theme" => meta.theme = text(&mut warn),
            "author" => match authors(value) {
                Some(names) => meta.author = names,
                None => warn("`author` should be a name or a list of names; it was ignored".into()),
            },
            "slide-level" => match value.as_u64() {
                // 0, as in pandoc: only separators open slides.
                Some(level @ 0..=6) => meta.slide_level = Some(level as u8),
                _ => warn(
                    "`slide-level` must be a number from 0 to 6 (0: only `---` separates slides); the slide structure is inferred instead"
                        .into(),
                ),
            },
            "headingDivider" => match heading_divider(value) {
                Some(level) => meta.heading_divider = Some(level),
                None => warn(
                    "`headingDivider` must be a heading level from 1 to 6 (or a list of them); it was ignored"
                        .into(),
                ),
            },
            // Slidev's headmatter `duration` and pdfpc's spellings of the other two.
            "duration" => match scalar(value).as_deref().and_then(minutes) {
                Some(minutes) => meta.duration = Some(minutes),
                None => warn(
                    "`duration` should be a length such as `90min`, `1h30m`, `1:30` or `45`; the countdown is off"
                        .into(),
                ),
            },
            "end-slide" | "endSlide" => match whole_number(value) {
                Some(n @ 1..) => meta.end_slide = usize::try_from(n).ok(),
                _ => warn("`end-slide` should be a slide number (1 or more); it was ignored".into()),
            },
            "last-minutes" | "lastMinutes" => match whole_number(value) {
                Some(n) => meta.last_minutes = u32::try_from(n).ok(),
                _ => warn("`last-minutes` should be a number of minutes; it was ignored".into()),
            },
            "theme-options" => match value {
                Value::Mapping(options) => {
                    for (name, option) in options {
                        let name = scalar(name).unwrap_or_default();
let at = nested_key_range(src, at.start, yaml_end, &name).unwrap_or_else(|| at.clone());
                        match theme_option(&name, option) {
                            Ok(value) => meta.theme_options.push(ThemeOption {
                                key: name,
                                value,
                                range: at,
                            }),
                            Err(message) => diags.push(
                                Diagnostic::warning(file, at, message).with_kind(Kind::FrontMatter),
                            ),
                        }
                    }
                }
                _ => warn(
                    "`theme-options` should be a list of `option: value` lines, such as `accent: \"#c2410c\"`; it was ignored"
                        .into(),
                ),
            },
            "bibliography" => {
                let files: Option<Vec<String>> = match value {
                    Value::Sequence(items) => items.iter().map(scalar).collect(),
                    other => scalar(other).map(|file| vec![file]),
                };
                match files {
                    Some(files) => {
                        meta.bibliography = files
                            .into_iter()
                            .map(|file| {
                                let range = value_range(src, at.end, yaml_end, &file)
                                    .unwrap_or_else(|| at.clone());
                                (file, range)
                            })
                            .collect()
                    }
                    None => warn(
                        "`bibliography` should be a file name (`refs.bib`) or a list of them; no references are read"
                            .into(),
                    ),
                }
            }
            "csl" | "citation-style" => {
                if let Some(style) = text(&mut warn) {
                    let range = value_range(src, at.end, yaml_end, &style).unwrap_or_else(|| at.clone());
                    meta.csl = Some((style, range));
                }
            }
            "reference-section-title" => meta.reference_section_title = text(&mut warn),
            "citation-lang" => {
                meta.citation_lang = text(&mut warn).and_then(|tag| match language(&tag) {
                    Some(lang) => Some(lang),
                    None => {
                        warn(format!(
                            "`citation-lang` should be a language code such as `en`, not `{tag}`; the deck's `lang` is used"
                        ));
                        None
                    }
                })
            }
            "execute" => match execute_echo(value) {
                Ok(echo) => meta.execute_echo = echo,
                Err(()) => warn(
                    "`execute` should hold Quarto's options, such as `echo: false`; it was ignored"
                        .into(),
                ),
            },
            "citation-location" => match scalar(value).as_deref() {
                Some("slide" | "footnote" | "margin") => meta.citations_at_foot = true,
                Some("document" | "end") => meta.citations_at_foot = false,
                _ => warn(
                    "`citation-location` should be `slide` (references also at the foot of the slide citing them) or `document`; it was ignored"
                        .into(),
                ),
            },
            // Says the deck is Marp's: its structure is honoured, so there is nothing to warn about.
            "marp" => {}
            key if crate::settings::is_setting_key(key.trim_start_matches('_')) => match scalar(value) {
                Some(value) => meta.directives.push(Directive {
                    key: key.trim_start_matches('_').to_string(),
                    value,
                    // Marp's `_class: lead` styles the first slide only; so does Slidev's
                    // head-matter `layout`.
                    scope: if key.starts_with('_') || key == "layout" {
                        Scope::Slide
                    } else {
                        Scope::FromHere
                    },
                    range: at.clone(),
                }),
                None => warn(format!("`{key}` should be text; it was ignored")),
            },
            _ => {
                let (message, hint) = unknown_key(&key);
                let diag =
                    Diagnostic::warning(file, at.clone(), message).with_kind(Kind::FrontMatter);
                diags.push(match hint {
                    Some(hint) => diag.with_hint(hint),
                    None => diag,
                });
            }
        }
    }
    (meta, body_start, diags)
}

/// Where `key` is among the indented lines under a key that starts at `from`.
fn nested_key_range(
    src: &str,
    from: usize,
    end: usize,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let mut lines = src[from..end].split_inclusive('\n');
    let mut pos = from + lines.next()?.len();
    for line in lines {
        let bare = line.trim_start();
        if bare.len() == line.len() && !bare.trim().is_empty() {
            // The next top-level key.
            return None;
        }
        let unquoted = bare.trim_start_matches(['"', '\'']);
        if let Some(rest) = unquoted.strip_prefix(key)
            && rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        {
            let at = pos + line.len() - bare.len();
            return Some(at..at + key.len());
        }
        pos += line.len();
    }
    None
}

/// A theme option's value, checked: colours become `#rrggbb`.
fn theme_option(name: &str, value: &Value) -> Result<String, String> {
    let Some((_, takes)) = THEME_OPTIONS.iter().find(|(known, _)| *known == name) else {
        let known: Vec<&str> = THEME_OPTIONS.iter().map(|(k, _)| *k).collect();
        return Err(format!(
            "unknown theme option `{name}`; it was ignored (theme options: {})",
            known.join(", ")
        ));
    };
    let text = scalar(value).unwrap_or_default().trim().to_string();
    let fail = || {
        Err(format!(
            "theme option `{name}` takes {takes}; `{text}` was ignored"
        ))
    };
    match name {
        "accent" | "primary" => hex_color(&text).map_or_else(fail, Ok),
        "logo-on" if !matches!(text.as_str(), "all" | "title") => fail(),
        "title" if !matches!(text.as_str(), "left" | "center" | "centre") => fail(),
        "title" => Ok(text.replace("centre", "center")),
        "aspect" => match text.replace(['/', 'x', 'X', ' '], ":").as_str() {
            shape @ ("16:9" | "16:10" | "4:3") => Ok(shape.to_string()),
            _ => fail(),
        },
        _ if text.is_empty() => fail(),
        _ => Ok(text),
    }
}

/// `#rgb` or `#rrggbb` (either case) as `#rrggbb`.
fn hex_color(text: &str) -> Option<String> {
    let hex = text.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    match hex.len() {
        6 => Some(format!("#{hex}")),
        3 => Some(format!(
            "#{}",
            hex.chars().flat_map(|c| [c, c]).collect::<String>()
        )),
        _ => None,
    }
}

/// `12` or `"12"`.
fn whole_number(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// A talk's length in whole minutes (rounded up), as lecturers write it: `90`, `90min`,
/// `90 minutes`, `45m`, `1h`, `1.5h`, `1h30m`, `1h 30min`, `2 hours`, `1:30` (hours and
/// minutes), `30s`. `None` for anything else or for no time at all.
pub fn minutes(text: &str) -> Option<u32> {
    let text = text.trim().to_ascii_lowercase();
    if let Some((hours, mins)) = text.split_once(':') {
        let (hours, mins): (u32, u32) = (hours.trim().parse().ok()?, mins.trim().parse().ok()?);
        return (mins < 60 && hours * 60 + mins > 0).then_some(hours * 60 + mins);
    }
    let mut seconds = 0.0f64;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = rest[number_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "" | "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            _ => return None,
        };
        seconds += number * scale;
        rest = rest[unit_end..].trim_start();
    }
    let minutes = (seconds / 60.0).ceil();
    (minutes >= 1.0 && minutes <= f64::from(u16::MAX)).then_some(minutes as u32)
}

/// Marp's `headingDivider`: a level, or a list of levels (the deepest is taken).
pub fn heading_divider(value: &Value) -> Option<u8> {
    let level = |v: &Value| {
        v.as_u64()
            .or_else(|| v.as_str()?.trim().parse().ok())
            .filter(|l| (1..=6).contains(l))
    };
    let level = match value {
        Value::Sequence(levels) => levels
            .iter()
            .map(level)
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max(),
        other => level(other),
    };
    level.map(|l| l as u8)
}

/// The language of a BCP 47 tag (`bg-BG` → `bg`), which is what Typst's `lang` takes: two
/// or three ASCII letters, lower-cased; `None` for anything else.
fn language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

/// A YAML scalar as text (`2024` and `true` are text too); `None` for lists and maps.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// `author`: a name, a list of names, or pandoc/Quarto's maps with a `name`.
fn authors(value: &Value) -> Option<Vec<String>> {
    let one = |value: &Value| -> Option<String> {
        match value {
            Value::Mapping(map) => map.get("name").and_then(scalar),
            other => scalar(other),
        }
    };
    match value {
        Value::Sequence(items) => items.iter().map(one).collect(),
        Value::Null => Some(Vec::new()),
        other => one(other).map(|name| vec![name]),
    }
}

/// Quarto's `execute:` options: whether code shows (`echo`, and `include: false` hides it
/// too). Nothing is run, so the others (`eval`, `warning`, `cache`, …) change nothing here.
fn execute_echo(value: &Value) -> Result<Option<bool>, ()> {
    let Value::Mapping(options) = value else {
        return Err(());
    };
    let flag = |key: &str| match options.get(key) {
        Some(Value::Bool(b)) => Some(*b),
        // `echo: fenced` shows the chunk with its fence: shown.
        Some(Value::String(s)) => Some(s != "false"),
        _ => None,
    };
    Ok(match (flag("include"), flag("echo")) {
        (Some(false), _) => Some(false),
        (_, echo) => echo,
    })
}

/// Settings of other slide tools, named so the warning can say whose they are.
const FOREIGN_KEYS: &[(&str, &str)] = &[
    ("marp", "Marp"),
    ("paginate", "Marp"),
    ("backgroundColor", "Marp"),
    ("backgroundImage", "Marp"),
    ("color", "Marp"),
    ("style", "Marp"),
    ("size", "Marp"),
    ("header", "Marp"),
    ("footer", "Marp"),
    ("math", "Marp"),
    ("class", "Marp/Slidev"),
    ("background", "Slidev"),
    ("highlighter", "Slidev"),
    ("transition", "Slidev"),
    ("layout", "Slidev"),
    ("drawings", "Slidev"),
    ("mdc", "Slidev"),
    ("info", "Slidev"),
    ("colorSchema", "Slidev"),
    ("fonts", "Slidev"),
    ("lineNumbers", "Slidev"),
    ("format", "Quarto"),
    ("jupyter", "Quarto"),
    ("engine", "Quarto"),
    ("editor", "Quarto"),
    ("output", "R Markdown"),
    ("css", "reveal.js/R Markdown"),
    ("revealjs", "reveal.js"),
    ("aspectratio", "pandoc/Beamer"),
    ("classoption", "pandoc/Beamer"),
    ("colortheme", "pandoc/Beamer"),
    ("fonttheme", "pandoc/Beamer"),
    ("innertheme", "pandoc/Beamer"),
    ("outertheme", "pandoc/Beamer"),
    ("header-includes", "pandoc"),
    ("documentclass", "pandoc"),
    ("fontsize", "pandoc"),
    ("toc", "pandoc"),
    ("options", "presenterm"),
];

/// The warning for a key Lectern does not read, and a "did you mean" hint for a near miss.
fn unknown_key(key: &str) -> (String, Option<String>) {
    let normalized = key.to_ascii_lowercase().replace('_', "-");
    let near = KEYS
        .iter()
        .map(|known| (edit_distance(&normalized, known), *known))
        .filter(|(distance, known)| {
            let allowed = if known.len() >= 4 { 2 } else { 1 };
            *distance <= allowed || normalized.replace('-', "") == known.replace('-', "")
        })
        .min()
        .map(|(_, known)| known);
    if let Some(known) = near {
        return (
            format!("unknown front-matter key `{key}`; it was ignored"),
            Some(format!("did you mean `{known}`?")),
        );
    }
    if let Some((_, tool)) = FOREIGN_KEYS.iter().find(|(k, _)| *k == key) {
        return (
            format!("`{key}` is a {tool} setting that Lectern does not use; it was ignored"),
            None,
        );
    }
    (
        format!("unknown front-matter key `{key}`; it was ignored"),
        Some(format!("Lectern reads: {}", KEYS.join(", "))),
    )
}

/// Levenshtein distance in characters (front-matter keys are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Where a top-level key is written, for its warning (the whole block if not found).
pub(crate) fn key_range(src: &str, start: usize, end: usize, key: &str) -> std::ops::Range<usize> {
    let mut pos = start;
    for line in src[start..end].split_inclusive('\n') {
        let bare = line.trim_start_matches(['"', '\'']);
        if let Some(rest) = bare.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with(':') {
                let at = pos + (line.len() - bare.len());
                return at..at + key.len();
            }
        }
        pos += line.len();
    }
    start..start
}

/// True if `text` starts with a `key:` line (after blank lines).
fn looks_like_yaml_key(text: &str) -> bool {
    // Skipping blank lines and YAML comments.
    let Some(line) = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    line.split_once(':').is_some_and(|(key, _)| {
        let key = key.trim_matches(['"', '\'']);
        !key.is_empty()
            && !key.starts_with(' ')
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
    })
}

/// Length of the opening `---` line, if the source starts with one.
fn fence_len(src: &str) -> Option<usize> {
    let line_end = src.find('\n').map_or(src.len(), |i| i + 1);
    (src[..line_end].trim_end() == "---").then_some(line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talk_lengths() {
        for (text, expected) in [
            ("90", Some(90)),
            ("90min", Some(90)),
            ("90 minutes", Some(90)),
            ("45m", Some(45)),
            ("1h", Some(60)),
            ("1.5h", Some(90)),
            ("1h30m", Some(90)),
            ("1h 30min", Some(90)),
            ("2 Hours", Some(120)),
            ("1:30", Some(90)),
            ("0:45", Some(45)),
            ("30s", Some(1)),
            ("0", None),
            ("", None),
            ("soon", None),
            ("1:75", None),
            ("90 furlongs", None),
        ] {
            assert_eq!(minutes(text), expected, "{text:?}");
        }
    }

    #[test]
    fn theme_options_are_checked() {
        let (meta, _, diags) = split(
            "---\ntheme-options:\n  accent: \"#C24\"\n  primary: red\n  logo: images/logo.png\n  title: centre\n  aspect: 4/3\n  colour: \"#fff\"\n---\n",
            "deck.md",
        );
        let options: Vec<(&str, &str)> = meta
            .theme_options
            .iter()
            .map(|o| (o.key.as_str(), o.value.as_str()))
            .collect();
        assert_eq!(
            options,
            [
                ("accent", "#cc2244"),
                ("logo", "images/logo.png"),
                ("title", "center"),
                ("aspect", "4:3")
            ]
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags[0].message.contains("`primary` takes a colour"),
            "{}",
            diags[0].message
        );
        assert!(diags[1].message.contains("unknown theme option `colour`"));
        // Each warning points at its own option's line.
        let src = "---\ntheme-options:\n  accent: \"#C24\"\n  primary: red\n---\n";
        let (_, _, diags) = split(src, "deck.md");
        assert_eq!(&src[diags[0].range.clone()], "primary");
    }

    #[test]
    fn timing_keys() {
        let (meta, _, diags) = split(
            "---\nduration: 1h30m\nend-slide: 12\nlast-minutes: 10\n---\n# A\n",
            "deck.md",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            (meta.duration, meta.end_slide, meta.last_minutes),
            (Some(90), Some(12), Some(10))
        );
        let (meta, _, diags) = split("---\nduration: later\nend-slide: 0\n---\n", "deck.md");
        assert_eq!((meta.duration, meta.end_slide), (None, None));
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn parses_fields_and_body_offset() {
        let src = "---\ntitle: Т\nauthor: [A, B]\nslide-level: 2\n---\n# x\n";
        let (meta, body, diags) = split(src, "deck.md");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.title.as_deref(), Some("Т"));
        assert_eq!(meta.author, ["A", "B"]);
        assert_eq!(meta.slide_level, Some(2));
        assert_eq!(&src[body..], "# x\n");
    }

    #[test]
    fn unknown_keys_warn_once_each_with_near_misses() {
        let src = "---\ntitle: x\ntitel: y\nmarp: true\nslide_level: 2\nfoo: 1\n---\n";
        let (meta, _, diags) = split(src, "deck.md");
        assert_eq!(meta.title.as_deref(), Some("x"));
        assert_eq!(diags.len(), 3, "{diags:?}");
        assert!(diags.iter().all(|d| !d.is_error()));
        assert!(diags[0].message.contains("`titel`"), "{}", diags[0].message);
        assert_eq!(diags[0].hints, ["did you mean `title`?"]);
        assert_eq!(crate::diag::line_col(src, diags[0].range.start), (3, 1));
        // `marp: true` only says whose deck this is: no warning.
        assert_eq!(diags[1].hints, ["did you mean `slide-level`?"]);
        assert!(diags[2].hints[0].starts_with("Lectern reads: title"));
    }

    #[test]
    fn broken_front_matter_warns_and_uses_defaults() {
        let src = "---\ntitle: [unclosed\n---\n# x\n";
        let (meta, body, diags) = split(src, "deck.md");
        assert_eq!(meta, FrontMatter::default());
        assert_eq!(&src[body..], "# x\n");
        assert!(diags[0].message.contains("not valid YAML") && !diags[0].is_error());
        let (_, body, diags) = split("---\ntitle: x\n", "deck.md");
        assert!(diags[0].message.contains("not closed") && body == 0);
        // A thematic break at the top is not front matter, nor is a setext heading.
        let (_, body, diags) = split("---\n\nSome text\n", "deck.md");
        assert!(diags.is_empty() && body == 0);
        let (_, body, diags) = split("---\nFoo\n---\nBar\n", "deck.md");
        assert!(diags.is_empty() && body == 0);
    }

    #[test]
    fn lang_is_a_language_code_or_a_warning() {
        // Typst's `lang` takes only the language: a region is dropped, anything else warns
        // (found by fuzzing: the theme's `set text(lang: ..)` failed the build).
        for (tag, lang) in [
            ("bg", Some("bg")),
            ("en-US", Some("en")),
            ("DE_at", Some("de")),
        ] {
            let (meta, _, diags) = split(&format!("---\nlang: {tag}\n---\n"), "deck.md");
            assert!(diags.is_empty(), "{tag}: {diags:?}");
            assert_eq!(meta.lang.as_deref(), lang, "{tag}");
        }
        for tag in ["\"[x](y)\"", "12", "\"\"", "english", "e"] {
            let (meta, _, diags) = split(&format!("---\nlang: {tag}\n---\n"), "deck.md");
            assert_eq!(meta.lang, None, "{tag}");
            assert!(diags[0].message.contains("language code"), "{diags:?}");
        }
    }

    #[test]
    fn lenient_values() {
        let src = "---\ntitle: 2024\nauthor:\n  - name: Ada\n    affiliation: X\n  - Bob\nslide-level: 9\n---\n";
        let (meta, _, diags) = split(src, "deck.md");
        assert_eq!(meta.title.as_deref(), Some("2024"));
        assert_eq!(meta.author, ["Ada", "Bob"]);
        assert_eq!(meta.slide_level, None);
        assert_eq!(diags.len(), 1);
    }
}
