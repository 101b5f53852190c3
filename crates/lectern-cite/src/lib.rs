//! A deck's citations set in a CSL style: bibliography files read (BibTeX or Hayagriva YAML,
//! errors located in them), citations and reference entries formatted by Hayagriva, Typst's
//! own citation processor. Pure: the host reads the files and passes their text.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Mutex, OnceLock};

pub use hayagriva::Library;
use hayagriva::citationberg::{
    FontStyle, FontWeight, IndependentStyle, Locale, LocaleCode, Style, taxonomy::Locator,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, LocatorPayload, SpecificLocator,
};
use lectern_deck::Diagnostic;
use lectern_deck::diag::Kind;
use lectern_deck::model::{Citation, Inline};

/// The citation style of a deck without `csl:`. pandoc's default is Chicago author-date;
/// Hayagriva's rendering of it garbles conference papers ("Special issue, …"), its APA is
/// clean.
pub const DEFAULT_STYLE: &str = "apa";

/// Reads one bibliography file (`name` is its path in the deck, used in diagnostics): YAML
/// for `.yml`/`.yaml` (Hayagriva's format), BibTeX/BibLaTeX otherwise. Errors point into it.
pub fn read_bibliography(name: &str, text: &str) -> Result<Library, Vec<Diagnostic>> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return hayagriva::io::from_yaml_str(text).map_err(|err| {
            // libyaml does not count a byte-order mark in its index.
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let at = floor_boundary(text, err.location().map_or(0, |l| l.index()) + bom);
            vec![error(
                name,
                at..line_end(text, at),
                format!("the bibliography cannot be read: {err}"),
            )]
        });
    }
    hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        errors
            .into_iter()
            .map(|err| {
                let (span, message) = match &err {
                    hayagriva::io::BibLaTeXError::Parse(e) => (e.span.clone(), e.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(e) => (e.span.clone(), e.kind.to_string()),
                };
                let mut span = floor_boundary(text, span.start)..floor_boundary(text, span.end);
                let mut hint = None;
                // Running off the end means an entry was never closed: show where it starts.
                if span.start == text.len() {
                    if let Some(at) = text.trim_end().rfind('@') {
                        span = at..line_end(text, at);
                    }
                    hint = Some("close each entry and each `{…}` field with its `}`");
                }
                let diag = error(
                    name,
                    span,
                    format!("the bibliography cannot be read: {message}"),
                );
                match hint {
                    Some(hint) => diag.with_hint(hint),
                    None => diag,
                }
            })
            .collect()
    })
}

/// Several bibliography files (name, text) as one library; every file's errors.
pub fn read_all(files: &[(String, String)]) -> Result<Library, Vec<Diagnostic>> {
    let mut library = Library::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        match read_bibliography(name, text) {
            Ok(read) => read.iter().for_each(|entry| library.push(entry)),
            Err(more) => errors.extend(more),
        }
    }
    if errors.is_empty() {
        Ok(library)
    } else {
        Err(errors)
    }
}

fn error(file: &str, range: Range<usize>, message: String) -> Diagnostic {
    Diagnostic::error(file, range, message).with_kind(Kind::Citation)
}

/// `at`, or the start of the character it falls inside, within `text`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn line_end(text: &str, at: usize) -> usize {
    let at = floor_boundary(text, at);
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// Whether Typst ships a style of this name (without reading it).
pub fn is_archived(name: &str) -> bool {
    hayagriva::archive::ArchivedStyle::by_name(name).is_some()
}

/// A style Typst ships, by name (`apa`, `ieee`, `chicago-author-date`, …).
pub fn archived_style(name: &str) -> Option<IndependentStyle> {
    let style = hayagriva::archive::ArchivedStyle::by_name(name)?.get();
    independent(style)
}

/// A `.csl` file's style (a dependent style takes its parent from Typst's archive).
pub fn csl_style(xml: &str) -> Result<IndependentStyle, String> {
    let style = Style::from_xml(xml).map_err(|e| e.to_string())?;
    independent(style)
        .ok_or_else(|| "a dependent style whose parent style Typst does not ship".to_string())
}

fn independent(style: Style) -> Option<IndependentStyle> {
    match style {
        Style::Independent(style) => Some(style),
        Style::Dependent(dependent) => {
            match hayagriva::archive::ArchivedStyle::by_id(&dependent.parent_link.href)?.get() {
                Style::Independent(style) => Some(style),
                Style::Dependent(_) => None,
            }
        }
    }
}

/// The names of the styles Typst ships, for a hint.
pub fn style_names() -> Vec<&'static str> {
    hayagriva::archive::ArchivedStyle::all()
        .iter()
        .filter_map(|style| style.names().first().copied())
        .collect()
}

/// The archive's locales for `lang` (its primary language, every region) and US English,
/// the fallback for terms a locale lacks. Reading all 64 takes some 50 ms; a deck needs one
/// or two, so each is read only when a deck's language asks for it.
fn locales(lang: Option<&str>) -> Vec<Locale> {
    static READ: OnceLock<Mutex<HashMap<String, Vec<Locale>>>> = OnceLock::new();
    let primary = lang
        .unwrap_or("en")
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let mut read = READ
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    read.entry(primary.clone())
        .or_insert_with(|| {
            hayagriva::archive::LOCALES
                .iter()
                .filter(|bytes| {
                    locale_tag(bytes).is_none_or(|tag| {
                        tag == "en-US" || tag.split('-').next() == Some(primary.as_str())
                    })
                })
                .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
                .collect()
        })
        .clone()
}

/// The language tag at the head of an archived locale (its first field, `@xml:lang`).
fn locale_tag(bytes: &[u8]) -> Option<&str> {
    const KEY: &[u8] = b"@xml:lang";
    let at = bytes.get(..64)?.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    // A CBOR text string of under 24 bytes: one header byte 0x60 + length.
    let header = *bytes.get(at)?;
    let len = usize::from(header.checked_sub(0x60).filter(|n| *n < 24)?);
    std::str::from_utf8(bytes.get(at + 1..at + 1 + len)?).ok()
}

/// The deck's citations, formatted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// Each citation's text by [`Citation::id`].
    pub citations: BTreeMap<String, String>,
    /// The reference list, in the style's order, one entry each.
    pub references: Vec<Vec<Inline>>,
    /// Each cited key's reference entry.
    pub entries: BTreeMap<String, Vec<Inline>>,
    /// Keys no bibliography has, with the citation (index into the input) naming them.
    pub unknown: Vec<(String, usize)>,
}

/// Formats `citations` (in reading order) with `library` in `style`; `lang` picks the
/// locale of the style's terms ("et al.", "и др.").
pub fn render(
    citations: &[Citation],
    library: &Library,
    style: &IndependentStyle,
    lang: Option<&str>,
) -> Rendered {
    let locale = lang.map(|lang| LocaleCode(lang.to_string()));
    let locales = locales(lang);
    // `[-@key]` is the year alone in brackets in an author-date style; a numeric style has no
    // author to leave out.
    let author_date = style
        .citation
        .layout
        .prefix
        .as_deref()
        .is_some_and(|p| !p.is_empty());
    let mut rendered = Rendered::default();
    let mut driver = BibliographyDriver::new();
    // Which citations went to the driver (those citing at least one known key), in order.
    let mut sent = Vec::new();
    for (index, citation) in citations.iter().enumerate() {
        let mut items = Vec::new();
        for item in &citation.items {
            let Some(entry) = library.get(&item.key) else {
                rendered.unknown.push((item.key.clone(), index));
                continue;
            };
            let purpose = if citation.in_text {
                Some(CitePurpose::Prose)
            } else if item.suppress_author && author_date {
                Some(CitePurpose::Year)
            } else {
                None
            };
            items.push(CitationItem::new(
                entry,
                locator(&item.suffix),
                None,
                false,
                purpose,
            ));
        }
        if !items.is_empty() {
            driver.citation(CitationRequest::new(
                items,
                style,
                locale.clone(),
                &locales,
                None,
            ));
            sent.push(index);
        }
    }
    let result = driver.finish(BibliographyRequest::new(style, locale, &locales));
    let affixes = (
        style.citation.layout.prefix.clone().unwrap_or_default(),
        style.citation.layout.suffix.clone().unwrap_or_default(),
    );
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    for (index, cite) in sent.iter().zip(&result.citations) {
        texts.insert(*index, format!("{:#}", cite.citation));
    }
    for (index, citation) in citations.iter().enumerate() {
        let unknown: Vec<&str> = citation
            .items
            .iter()
            .filter(|item| library.get(&item.key).is_none())
            .map(|item| item.key.as_str())
            .collect();
        let mut text = texts.remove(&index).unwrap_or_default();
        if !text.is_empty() {
            text = decorate(citation, text, &affixes);
        }
        if citation.in_text && text.is_empty() {
            // `@name` in running text that names no reference may be a handle or a mention:
            // it stays as typed (the warning still catches a mistyped key).
            text = citation.source.clone();
        } else {
            for key in unknown {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&format!("[?{key}]"));
            }
        }
        rendered.citations.insert(citation.id(), text);
    }
    if let Some(bibliography) = result.bibliography {
        for item in bibliography.items {
            let mut entry = Vec::new();
            if let Some(first) = &item.first_field {
                inlines_of(std::slice::from_ref(first), &mut entry);
                entry.push(Inline::Text(" ".into()));
            }
            inlines_of(&item.content.0, &mut entry);
            no_double_stop(&mut entry);
            rendered.entries.insert(item.key.clone(), entry.clone());
            rendered.references.push(entry);
        }
    }
    rendered
}

/// What Hayagriva has no field for: a prefix (`[see @a]`) goes inside the brackets, and a
/// citation of years only (`[-@a]`) gets the style's brackets back.
fn decorate(citation: &Citation, text: String, (open, close): &(String, String)) -> String {
    let all_year = !citation.in_text
        && !open.is_empty()
        && citation.items.iter().all(|item| item.suppress_author);
    let mut text = if all_year {
        // The year form leaves out the locator: it goes back after the year.
        match citation.items.as_slice() {
            [item] if !item.suffix.is_empty() => format!("{open}{text}, {}{close}", item.suffix),
            _ => format!("{open}{text}{close}"),
        }
    } else {
        text
    };
    let prefix = citation
        .items
        .first()
        .map_or("", |item| item.prefix.as_str());
    if !prefix.is_empty() && !citation.in_text {
        text = match text
            .strip_prefix(open.as_str())
            .filter(|_| !open.is_empty())
        {
            Some(rest) => format!("{open}{prefix} {rest}"),
            None => format!("{prefix} {text}"),
        };
    }
    text
}

/// pandoc's locator (`p. 4`, `chap. 2`, `§ 3`) as a CSL locator; other text is shown as is.
fn locator(suffix: &str) -> Option<SpecificLocator<'_>> {
    let suffix = suffix.trim();
    if suffix.is_empty() {
        return None;
    }
    const LABELS: &[(&str, Locator)] = &[
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("pages", Locator::Page),
        ("page", Locator::Page),
        ("chap.", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("chapter", Locator::Chapter),
        ("sec.", Locator::Section),
        ("section", Locator::Section),
        ("§", Locator::Section),
        ("fig.", Locator::Figure),
        ("figure", Locator::Figure),
        ("vol.", Locator::Volume),
        ("para.", Locator::Paragraph),
        ("l.", Locator::Line),
        ("n.", Locator::Note),
        ("table", Locator::Table),
        ("tab.", Locator::Table),
    ];
    for (label, kind) in LABELS {
        if let Some(rest) = suffix.strip_prefix(label)
            && rest.starts_with([' ', '\u{a0}'])
        {
            return Some(SpecificLocator(*kind, LocatorPayload::Str(rest.trim())));
        }
    }
    if suffix.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Some(SpecificLocator(Locator::Page, LocatorPayload::Str(suffix)));
    }
    Some(SpecificLocator(
        Locator::Custom,
        LocatorPayload::Str(suffix),
    ))
}

/// Hayagriva's formatted output as deck inlines: italics and bold kept, links kept, text
/// literal (never Typst markup).
fn inlines_of(children: &[ElemChild], out: &mut Vec<Inline>) {
    for child in children {
        match child {
            ElemChild::Text(formatted) => out.push(styled(&formatted.text, formatted.formatting)),
            ElemChild::Elem(elem) => inlines_of(&elem.children.0, out),
            ElemChild::Markup(text) => out.push(Inline::Text(text.clone())),
            ElemChild::Link { text, url } => out.push(Inline::Link {
                url: url.clone(),
                content: vec![styled(&text.text, text.formatting)],
            }),
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// A title ending in `?` or `!` takes no full stop after it ("Mirage?." → "Mirage?"), and a
/// field left empty leaves no ",." behind.
fn no_double_stop(entry: &mut [Inline]) {
    for inline in entry.iter_mut() {
        if let Inline::Text(text) = inline
            && text.contains(",.")
        {
            *text = text.replace(",.", ".");
        }
    }
    for i in 1..entry.len() {
        let ends_in_mark = lectern_deck::model::plain_text(&entry[i - 1..i])
            .trim_end()
            .ends_with(['?', '!']);
        if ends_in_mark
            && let Inline::Text(text) = &mut entry[i]
            && text.starts_with('.')
        {
            text.remove(0);
        }
    }
}

fn styled(text: &str, formatting: hayagriva::Formatting) -> Inline {
    let mut inline = Inline::Text(text.to_string());
    if formatting.font_weight == FontWeight::Bold {
        inline = Inline::Strong(vec![inline]);
    }
    if formatting.font_style == FontStyle::Italic {
        inline = Inline::Emph(vec![inline]);
    }
    inline
}

/// The text of formatted output (for tests and plain listings).
pub fn plain(children: &ElemChildren) -> String {
    format!("{children:#}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_archived_locale_names_its_language_where_it_is_looked_for() {
        for bytes in hayagriva::archive::LOCALES {
            let tag = super::locale_tag(bytes).expect("a tag at the head");
            let locale: hayagriva::citationberg::Locale =
                ciborium::de::from_reader(*bytes).expect("reads");
            assert_eq!(locale.lang.map(|l| l.0).as_deref(), Some(tag));
        }
    }
}
