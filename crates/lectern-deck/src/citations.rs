//! pandoc's citation syntax in a deck with a bibliography — `[@key]`, `[see @a, p. 4; @b]`,
//! `[-@key]`, `@key` in running text — and the references slides. Pure: formatting the
//! citations (with the bibliography and a citation style) is `lectern-cite`'s job.

use std::ops::Range;

use crate::model::{Block, BlockKind, Citation, CiteItem, Deck, Inline, Slide, SlideKind};

/// Turns citation syntax in the deck's text into [`Inline::Cite`]. Only for a deck with a
/// bibliography: elsewhere `@` is just a character. Running it again changes nothing.
pub fn extract(deck: &mut Deck) {
    for slide in &mut deck.slides {
        rewrite(&mut slide.title);
        blocks_mut(&mut slide.blocks, &mut rewrite);
    }
    for blocks in deck.footnotes.values_mut() {
        blocks_mut(blocks, &mut rewrite);
    }
}

/// Every citation in the deck in reading order (footnotes last), with the byte range of the
/// block it is in (the slide's, for one in a title).
pub fn all(deck: &Deck) -> Vec<(Citation, Range<usize>)> {
    let mut found = Vec::new();
    let mut push = |inlines: &[Inline], range: &Range<usize>| {
        crate::model::walk_inlines(inlines, &mut |inline| {
            if let Inline::Cite(citation) = inline {
                found.push((citation.clone(), range.clone()));
            }
        });
    };
    for slide in &deck.slides {
        push(&slide.title, &slide.range);
        in_blocks(&slide.blocks, &mut |inlines, range| push(inlines, range));
    }
    for blocks in deck.footnotes.values() {
        in_blocks(blocks, &mut |inlines, range| push(inlines, range));
    }
    found
}

/// The keys a slide cites, in order of first citation (for references at its foot).
pub fn keys_on(slide: &Slide) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    slide.walk(&mut |_| {}, &mut |inline| {
        if let Inline::Cite(citation) = inline {
            for item in &citation.items {
                if !keys.contains(&item.key) {
                    keys.push(item.key.clone());
                }
            }
        }
    });
    keys
}

/// The label prefix of the footnotes [`attach_foot_references`] adds.
const FOOT_LABEL: &str = "lectern-cite:";

/// `citation-location: slide`: each citation gets a footnote mark, and its references are
/// listed at the slide's foot (as the slide's footnotes are). Call [`detach_foot_references`]
/// first: the marks of an earlier call are not looked for.
pub fn attach_foot_references(
    deck: &mut Deck,
    entries: &std::collections::BTreeMap<String, Vec<Inline>>,
) {
    let label = |key: &str| format!("{FOOT_LABEL}{key}");
    for (key, entry) in entries {
        deck.footnotes.insert(
            label(key),
            vec![Block {
                kind: BlockKind::Paragraph(entry.clone()),
                range: 0..0,
            }],
        );
    }
    fn mark(inlines: &mut Vec<Inline>, entries: &std::collections::BTreeMap<String, Vec<Inline>>) {
        let mut out = Vec::with_capacity(inlines.len());
        for mut inline in std::mem::take(inlines) {
            match &mut inline {
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => mark(c, entries),
                Inline::Styled { content, .. } => mark(content, entries),
                _ => {}
            }
            let marks: Vec<Inline> = match &inline {
                Inline::Cite(citation) => citation
                    .items
                    .iter()
                    .filter(|item| entries.contains_key(&item.key))
                    .map(|item| Inline::FootnoteRef(format!("{FOOT_LABEL}{}", item.key)))
                    .collect(),
                _ => Vec::new(),
            };
            out.push(inline);
            out.extend(marks);
        }
        *inlines = out;
    }
    for slide in &mut deck.slides {
        mark(&mut slide.title, entries);
        blocks_mut(&mut slide.blocks, &mut |inlines| mark(inlines, entries));
    }
}

/// Undoes [`attach_foot_references`]: the deck as its Markdown made it (a bibliography edit
/// does not re-parse the Markdown, so marks of keys now gone must not linger).
pub fn detach_foot_references(deck: &mut Deck) {
    // Marks are only ever added with their footnotes: most decks have none to walk for.
    if !deck
        .footnotes
        .keys()
        .any(|label| label.starts_with(FOOT_LABEL))
    {
        return;
    }
    deck.footnotes
        .retain(|label, _| !label.starts_with(FOOT_LABEL));
    fn unmark(inlines: &mut Vec<Inline>) {
        inlines.retain(
            |inline| !matches!(inline, Inline::FootnoteRef(label) if label.starts_with(FOOT_LABEL)),
        );
        for inline in inlines {
            match inline {
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => unmark(c),
                Inline::Styled { content, .. } => unmark(content),
                _ => {}
            }
        }
    }
    for slide in &mut deck.slides {
        unmark(&mut slide.title);
        blocks_mut(&mut slide.blocks, &mut unmark);
    }
}

/// The references slide's title in the deck's language (pandoc's `reference-section-title`
/// overrides it).
pub fn references_title(lang: Option<&str>) -> &'static str {
    let primary = lang
        .unwrap_or("en")
        .split(['-', '_'])
        .next()
        .unwrap_or("en");
    match primary.to_ascii_lowercase().as_str() {
        "bg" => "Литература",
        "ru" => "Литература",
        "uk" => "Література",
        "sr" => "Литература",
        "mk" => "Литература",
        "de" => "Literatur",
        "fr" => "Références",
        "es" => "Referencias",
        "it" => "Riferimenti",
        "pt" => "Referências",
        "nl" => "Referenties",
        "pl" => "Bibliografia",
        "cs" => "Literatura",
        "sk" => "Literatúra",
        "sv" => "Referenser",
        "da" | "nb" | "no" => "Referanser",
        "fi" => "Lähteet",
        "tr" => "Kaynaklar",
        "el" => "Βιβλιογραφία",
        "zh" => "参考文献",
        "ja" => "参考文献",
        "ko" => "참고 문헌",
        _ => "References",
    }
}

/// The references, `per_slide` limits what one slide holds: each entry is one paragraph.
/// Several slides when long, the later ones titled as continued; at `offset` in the Markdown
/// (the end of the deck: they have no text of their own).
pub fn reference_slides(
    title: &str,
    entries: Vec<Vec<Inline>>,
    offset: usize,
    section: Option<usize>,
) -> Vec<Slide> {
    let chunks = chunk(&entries);
    let count = chunks.len();
    let mut entries = entries.into_iter();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, len)| {
            let shown = if count > 1 {
                format!("{title} ({}/{count})", i + 1)
            } else {
                title.to_string()
            };
            Slide {
                kind: SlideKind::Content,
                title: vec![Inline::Text(shown)],
                blocks: entries
                    .by_ref()
                    .take(len)
                    .map(|entry| Block {
                        kind: BlockKind::Paragraph(entry),
                        range: offset..offset,
                    })
                    .collect(),
                notes: Vec::new(),
                starts_section: false,
                section,
                range: offset..offset,
                settings: crate::settings::Settings {
                    size: Some(crate::settings::Size::Smaller),
                    ..Default::default()
                },
            }
        })
        .collect()
}

/// The slide holding pandoc's `::: {#refs}` div (where the references go), if any.
pub fn refs_slide(deck: &Deck, markdown: &str) -> Option<usize> {
    let mut offset = 0;
    let mut at = None;
    let mut fence: Option<&str> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim();
        match fence {
            Some(open) if trimmed.starts_with(open) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") => fence = Some("```"),
            None if trimmed.starts_with("~~~") => fence = Some("~~~"),
            None if trimmed.starts_with(":::") => {
                let rest = trimmed.trim_start_matches(':').trim();
                let attributes = rest.strip_prefix('{').and_then(|r| r.split('}').next());
                if attributes.is_some_and(|a| a.split_whitespace().any(|word| word == "#refs")) {
                    at = Some(offset);
                    break;
                }
            }
            None => {}
        }
        offset += line.len();
    }
    let at = at?;
    deck.slides
        .iter()
        .rposition(|slide| slide.range.start <= at && slide.kind != SlideKind::Title)
}

/// Where the references went, so that [`take_references`] can undo it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placed {
    /// The `{#refs}` slide with its own blocks, kind and text size, when they went there.
    at: Option<(usize, Vec<Block>, SlideKind, Option<crate::settings::Size>)>,
    /// Slides added (after the `{#refs}` slide, or at the end).
    added: usize,
}

impl Placed {
    /// The slides (indices into a deck of `slides` slides) that hold the references.
    pub fn slides(&self, slides: usize) -> Range<usize> {
        match &self.at {
            Some((k, ..)) => *k..(k + 1 + self.added).min(slides),
            None => slides.saturating_sub(self.added)..slides,
        }
    }
}

/// Puts the reference slides into the deck: into the `{#refs}` slide `at` (its own title,
/// its content first; continued on slides after it), or after the last slide.
pub fn place_references(deck: &mut Deck, mut slides: Vec<Slide>, at: Option<usize>) -> Placed {
    let Some(k) = at.filter(|k| *k < deck.slides.len()) else {
        let added = slides.len();
        deck.slides.extend(slides);
        return Placed { at: None, added };
    };
    let own = deck.slides[k].blocks.clone();
    let kind = deck.slides[k].kind;
    let size = deck.slides[k].settings.size;
    let title = deck.slides[k].title.clone();
    // A section heading (`# References`) holding the div: the slide where references start
    // belongs to that section, its continuations too.
    let section = if deck.slides[k].starts_section {
        Some(k)
    } else {
        deck.slides[k].section
    };
    let end = deck.slides[k].range.end;
    let count = slides.len();
    let mut rest = slides.split_off(1.min(slides.len()));
    if let Some(first) = slides.pop() {
        let slide = &mut deck.slides[k];
        // A section divider shows no content: the slide of references is a content slide.
        slide.kind = SlideKind::Content;
        slide
            .blocks
            .extend(first.blocks.into_iter().map(|block| Block {
                range: end..end,
                ..block
            }));
        slide.settings.size = size.or(first.settings.size);
    }
    for (i, slide) in rest.iter_mut().enumerate() {
        let mut continued = title.clone();
        continued.push(Inline::Text(format!(" ({}/{count})", i + 2)));
        slide.title = continued;
        slide.section = section;
        slide.range = end..end;
        for block in &mut slide.blocks {
            block.range = end..end;
        }
    }
    let added = rest.len();
    shift_sections(deck, k, added as isize);
    deck.slides.splice(k + 1..k + 1, rest);
    Placed {
        at: Some((k, own, kind, size)),
        added,
    }
}

/// Takes the reference slides out again, leaving the deck as its Markdown made it.
pub fn take_references(deck: &mut Deck, placed: Placed) {
    match placed.at {
        None => {
            let own = deck.slides.len().saturating_sub(placed.added);
            deck.slides.truncate(own);
        }
        Some((k, blocks, kind, size)) => {
            let end = (k + 1 + placed.added).min(deck.slides.len());
            deck.slides.drain(k + 1..end);
            shift_sections(deck, k, -(placed.added as isize));
            if let Some(slide) = deck.slides.get_mut(k) {
                slide.blocks = blocks;
                slide.kind = kind;
                slide.settings.size = size;
            }
        }
    }
}

/// Section indices of slides past `k` move by `by` when slides are added after `k`.
fn shift_sections(deck: &mut Deck, k: usize, by: isize) {
    for slide in &mut deck.slides {
        if let Some(section) = slide.section.as_mut()
            && *section > k
        {
            *section = section.saturating_add_signed(by);
        }
    }
}

/// How many entries go on each slide: at most six, and about 850 characters (a slide's worth
/// at the smaller text size), so that a slide rarely needs shrinking; fitting takes care of
/// the rest.
fn chunk(entries: &[Vec<Inline>]) -> Vec<usize> {
    let mut chunks = Vec::new();
    let (mut count, mut chars) = (0, 0);
    for entry in entries {
        let len = crate::model::plain_text(entry).chars().count();
        if count > 0 && (count == 6 || chars + len > 850) {
            chunks.push(count);
            (count, chars) = (0, 0);
        }
        count += 1;
        chars += len;
    }
    if count > 0 {
        chunks.push(count);
    }
    chunks
}

fn blocks_mut(blocks: &mut [Block], on: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => on(content),
            BlockKind::List { items, .. } => {
                for item in items {
                    blocks_mut(&mut item.blocks, on);
                }
            }
            BlockKind::Quote { blocks, .. } => blocks_mut(blocks, on),
            BlockKind::Columns { columns, .. } => {
                for column in columns {
                    blocks_mut(column, on);
                }
            }
            BlockKind::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    on(cell);
                }
            }
            _ => {}
        }
    }
}

fn in_blocks(blocks: &[Block], on: &mut dyn FnMut(&[Inline], &Range<usize>)) {
    for block in blocks {
        match &block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => {
                on(content, &block.range);
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    in_blocks(&item.blocks, on);
                }
            }
            BlockKind::Quote { blocks, .. } => in_blocks(blocks, on),
            BlockKind::Columns { columns, .. } => {
                for column in columns {
                    in_blocks(column, on);
                }
            }
            BlockKind::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    on(cell, &block.range);
                }
            }
            _ => {}
        }
    }
}

/// Merges runs of text (the Markdown parser splits them at brackets) and reads citations in
/// them; styled spans are read inside, links and code are left alone.
fn rewrite(inlines: &mut Vec<Inline>) {
    // Most text cites nothing: leave it untouched (this runs on every rebuild).
    fn has_at(inlines: &[Inline]) -> bool {
        inlines.iter().any(|inline| match inline {
            Inline::Text(text) => text.contains('@'),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => has_at(c),
            Inline::Styled { content, .. } => has_at(content),
            _ => false,
        })
    }
    if !has_at(inlines) {
        return;
    }
    let mut out = Vec::with_capacity(inlines.len());
    let mut run = String::new();
    for mut inline in std::mem::take(inlines) {
        if let Inline::Text(text) = &inline {
            run.push_str(text);
            continue;
        }
        // A citation may be wrapped over lines; a soft break is set as a space anyway.
        if matches!(inline, Inline::SoftBreak) && !run.is_empty() {
            run.push(' ');
            continue;
        }
        if !run.is_empty() {
            let glued = glued_to(out.last());
            out.extend(read_run(&std::mem::take(&mut run), glued));
        }
        match &mut inline {
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => rewrite(c),
            Inline::Styled { content, .. } => rewrite(content),
            _ => {}
        }
        out.push(inline);
    }
    if !run.is_empty() {
        let glued = glued_to(out.last());
        out.extend(read_run(&run, glued));
    }
    *inlines = out;
}

/// Whether text right after `previous` continues a word (`**ada**@example.org`).
fn glued_to(previous: Option<&Inline>) -> bool {
    previous.is_some_and(|inline| !matches!(inline, Inline::SoftBreak | Inline::LineBreak))
}

/// Text with the citations in it read: the rest stays text, exactly as typed.
pub fn parse_run(text: &str) -> Vec<Inline> {
    read_run(text, false)
}

/// [`parse_run`] for text that follows other inline content, `glued` to it when no space is
/// between them.
fn read_run(text: &str, glued: bool) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['[', '@']) {
        let (before, from) = rest.split_at(at);
        plain.push_str(before);
        let previous = plain
            .chars()
            .next_back()
            .or((glued && out.is_empty()).then_some('a'));
        let found = if from.starts_with('[') {
            from.find(']')
                .and_then(|end| bracketed(&from[1..end]).map(|items| (items, end + 1, false)))
        } else if previous.is_none_or(|c| !c.is_alphanumeric() && !"._%+-@".contains(c)) {
            // `@key` in running text; not an e-mail address (`a@b.org`) or a lone `@`.
            key(&from[1..]).map(|key| {
                let len = 1 + key.len();
                let item = CiteItem {
                    key: key.to_string(),
                    prefix: String::new(),
                    suffix: String::new(),
                    suppress_author: false,
                };
                (vec![item], len, true)
            })
        } else {
            None
        };
        match found {
            Some((items, len, in_text)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(Inline::Cite(Citation {
                    items,
                    in_text,
                    source: from[..len].to_string(),
                }));
                rest = &from[len..];
            }
            None => {
                let first = from.chars().next().map_or(1, char::len_utf8);
                plain.push_str(&from[..first]);
                rest = &from[first..];
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// The items of `[…]` if every `;`-separated part cites a key.
fn bracketed(inner: &str) -> Option<Vec<CiteItem>> {
    if !inner.contains('@') || inner.contains('[') {
        return None;
    }
    inner
        .split(';')
        .map(|part| {
            let at = part.char_indices().find_map(|(i, c)| {
                let before = part[..i].chars().next_back();
                (c == '@' && before.is_none_or(|b| b.is_whitespace() || b == '-')).then_some(i)
            })?;
            let key = key(&part[at + 1..])?;
            let mut prefix = &part[..at];
            let suppress_author = prefix.ends_with('-')
                && prefix[..prefix.len() - 1]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace);
            if suppress_author {
                prefix = &prefix[..prefix.len() - 1];
            }
            let suffix = part[at + 1 + key.len()..].trim();
            let suffix = suffix.strip_prefix(',').unwrap_or(suffix).trim();
            Some(CiteItem {
                key: key.to_string(),
                prefix: prefix.trim().to_string(),
                suffix: suffix.to_string(),
                suppress_author,
            })
        })
        .collect()
}

/// A citation key at the start of `text`, as pandoc reads one: a letter, digit or `_`, then
/// those and inner punctuation (`:.#$%&-+?<>~/`), never ending in punctuation.
fn key(text: &str) -> Option<&str> {
    let first = text.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut last_word = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            last_word = i + c.len_utf8();
        } else if !":.#$%&-+?<>~/".contains(c) {
            break;
        }
    }
    Some(&text[..last_word])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key, prefix, suffix, author suppressed.
    type Item = (String, String, String, bool);

    fn cites(text: &str) -> Vec<(Vec<Item>, bool)> {
        parse_run(text)
            .into_iter()
            .filter_map(|inline| match inline {
                Inline::Cite(c) => Some((
                    c.items
                        .into_iter()
                        .map(|i| (i.key, i.prefix, i.suffix, i.suppress_author))
                        .collect(),
                    c.in_text,
                )),
                _ => None,
            })
            .collect()
    }

    fn item(
        key: &str,
        prefix: &str,
        suffix: &str,
        suppress: bool,
    ) -> (String, String, String, bool) {
        (key.into(), prefix.into(), suffix.into(), suppress)
    }

    #[test]
    fn pandocs_citation_forms() {
        assert_eq!(
            cites("as shown [@brown2020]."),
            vec![(vec![item("brown2020", "", "", false)], false)]
        );
        assert_eq!(
            cites("[@brown2020, p. 4]"),
            vec![(vec![item("brown2020", "", "p. 4", false)], false)]
        );
        assert_eq!(
            cites("[see @a; @b, chap. 2]"),
            vec![(
                vec![item("a", "see", "", false), item("b", "", "chap. 2", false)],
                false
            )]
        );
        assert_eq!(
            cites("Wei says [-@wei2022]"),
            vec![(vec![item("wei2022", "", "", true)], false)]
        );
        assert_eq!(
            cites("@wei2022 showed it."),
            vec![(vec![item("wei2022", "", "", false)], true)]
        );
        assert_eq!(
            cites("(@min2022: 3)"),
            vec![(vec![item("min2022", "", "", false)], true)]
        );
    }

    #[test]
    fn e_mail_addresses_and_lone_at_signs_stay_text() {
        for text in [
            "write to ada@example.org",
            "a @ b",
            "[not a cite]",
            "x@y",
            "[mail a@b.c]",
            "@",
            "[@]",
        ] {
            assert_eq!(cites(text), vec![], "{text}");
            assert_eq!(
                crate::model::plain_text(&parse_run(text)),
                text,
                "{text} is kept as typed"
            );
        }
    }

    #[test]
    fn an_address_after_styled_text_stays_text() {
        let mut inlines = vec![
            Inline::Strong(vec![Inline::Text("ada".into())]),
            Inline::Text("@example.org and [@k]".into()),
        ];
        rewrite(&mut inlines);
        assert_eq!(inlines[1], Inline::Text("@example.org and ".into()));
        assert!(matches!(inlines[2], Inline::Cite(_)));
    }

    #[test]
    fn the_source_is_kept_exactly() {
        let text = "a [@k, p. 4] and @j. b";
        assert_eq!(crate::model::plain_text(&parse_run(text)), text);
    }

    #[test]
    fn long_reference_lists_are_split() {
        let entries: Vec<Vec<Inline>> = (0..14)
            .map(|i| {
                vec![Inline::Text(format!(
                    "Author {i}. A title that is of some length. 2020."
                ))]
            })
            .collect();
        let slides = reference_slides("References", entries, 100, None);
        assert_eq!(slides.len(), 3);
        assert_eq!(
            crate::model::plain_text(&slides[1].title),
            "References (2/3)"
        );
        assert_eq!(slides.iter().map(|s| s.blocks.len()).sum::<usize>(), 14);
    }
}
