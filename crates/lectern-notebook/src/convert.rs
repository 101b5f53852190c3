//! A notebook's cells → the deck's Markdown: Markdown cells as written, code cells as
//! fenced code in the notebook's language, stored outputs after them, RISE slide types as
//! separators, pauses and notes, and a front matter from the leading cell or the metadata.

use std::ops::Range;

use lectern_deck::Diagnostic;
use lectern_deck::diag::Kind;
use serde_json::Value;

use crate::map::{Origin, SourceMap};
use crate::model::{CellKind, Notebook};
use crate::options::{self, Defaults, Show, show};
use crate::outputs::OutputWriter;
use crate::pager::Pager;
use crate::{Converted, Options};

/// The generated Markdown and where each stretch of it came from.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: String,
    pub(crate) map: SourceMap,
}

impl Writer {
    /// Text copied from `cell`'s source at byte `offset`.
    pub(crate) fn copy(&mut self, text: &str, cell: usize, offset: usize) {
        let start = self.out.len();
        self.out.push_str(text);
        self.map
            .push(start..self.out.len(), Origin::Cell { cell, offset });
    }

    /// Text Lectern writes for `cell` (or for no cell).
    pub(crate) fn made(&mut self, text: &str, cell: Option<usize>) {
        let start = self.out.len();
        self.out.push_str(text);
        self.map.push(start..self.out.len(), Origin::Made { cell });
    }

    /// Ends what was written with a blank line (Markdown blocks of two cells never merge).
    pub(crate) fn blank_line(&mut self, cell: Option<usize>) {
        let missing = if self.out.ends_with("\n\n") || self.out.is_empty() {
            ""
        } else if self.out.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        self.made(missing, cell);
    }
}

/// Average text per slide (characters, an image counting as a paragraph or two) above which
/// a notebook's headings one level deeper open slides too.
const SLIDE_BUDGET: usize = 1200;
/// What an image output counts for in that average.
const IMAGE_WEIGHT: usize = 600;

pub(crate) fn convert(nb: &Notebook, options: &Options) -> Converted {
    let mut w = Writer::default();
    let mut diags = Vec::new();
    // The front matter first (which cells show does not depend on it), then what it and
    // the metadata say code cells show by default.
    let shows: Vec<Show> = nb
        .cells
        .iter()
        .map(|c| show(c, Defaults::default()))
        .collect();
    let front = front_matter_cell(nb, &shows);
    let yaml = front.map(|(i, end)| {
        let source = &nb.cells[i].source;
        &source[source.find('\n').map_or(end, |n| n + 1).min(end)..end]
    });
    let execute = nb.settings.get("execute").map(|e| format!("execute: {e}"));
    let defaults = options::defaults(
        yaml.filter(|y| y.contains("execute"))
            .or(execute.as_deref()),
    );
    let shows: Vec<Show> = nb.cells.iter().map(|c| show(c, defaults)).collect();
    let rise = nb
        .cells
        .iter()
        .zip(&shows)
        .any(|(c, s)| s.cell && matches!(c.slide_type.as_deref(), Some("slide" | "subslide")));
    let (extra, level) = extra_keys(
        nb,
        &shows,
        front.map(|(i, _)| nb.cells[i].source.as_str()),
        rise,
    );
    match front {
        Some((i, end)) => {
            let source = &nb.cells[i].source;
            w.copy(&source[..end], i, 0);
            w.made(&extra, Some(i));
            w.copy(&source[end..], i, end);
        }
        None if !extra.is_empty() => w.made(&format!("---\n{extra}---\n"), None),
        None => {}
    }
    let mut outputs = OutputWriter {
        options,
        files: Vec::new(),
        diags: &mut diags,
        pager: Pager::new(level),
    };
    let mut written_any = false;
    for (i, (cell, show)) in nb.cells.iter().zip(&shows).enumerate() {
        if !show.cell || front.is_some_and(|(f, _)| f == i) {
            continue;
        }
        let foreign_raw = matches!(&cell.kind, CellKind::Raw(Some(format))
            if !matches!(format.as_str(), "text/markdown" | "markdown" | "md"));
        if foreign_raw {
            // Raw cells for LaTeX, HTML or reST are other converters' business, as in Quarto.
            continue;
        }
        if cell.source.trim().is_empty() && cell.outputs.is_empty() {
            continue;
        }
        w.blank_line(Some(i));
        let slide_type = cell.slide_type.as_deref().unwrap_or("-");
        match slide_type {
            "slide" | "subslide" => {
                if written_any {
                    w.made("---\n\n", Some(i));
                }
                outputs.pager.new_slide();
            }
            _ => {}
        }
        // A fragment's pause goes after any continuation the pager opens for the cell.
        let mut pause = slide_type == "fragment" && written_any;
        let notes = slide_type == "notes";
        // Speaker notes take no room on the slide.
        let slide_pager = notes.then(|| std::mem::replace(&mut outputs.pager, Pager::new(None)));
        // A notes cell with fenced divs of its own would close a `::: notes` wrapper early.
        let notes_as_comment = notes
            && cell
                .source
                .lines()
                .any(|l| l.trim_start().starts_with(":::"))
            && !cell.source.contains("-->");
        if notes {
            w.made(
                if notes_as_comment {
                    "<!--\n"
                } else {
                    "::: notes\n"
                },
                Some(i),
            );
        }
        match cell.kind {
            CellKind::Markdown | CellKind::Raw(_) => {
                // A short lead-in stays with the code cell it introduces.
                let next =
                    nb.cells.iter().zip(&shows).skip(i + 1).find(|(c, s)| {
                        s.cell && !(c.source.trim().is_empty() && c.outputs.is_empty())
                    });
                let keep_with = match next {
                    Some((next, show)) if next.kind == CellKind::Code => code_weight(next, show),
                    _ => 0.0,
                };
                let text = rewritten(nb, i, options);
                let breaks = outputs.pager.markdown(&mut w, i, &text, keep_with);
                if std::mem::take(&mut pause) {
                    w.made("<!-- pause -->\n\n", Some(i));
                }
                markdown_cell(&mut w, nb, i, options, &mut outputs.files, &breaks);
            }
            CellKind::Code => {
                outputs.pager.reserve(&mut w, i, code_weight(cell, show));
                if std::mem::take(&mut pause) {
                    w.made("<!-- pause -->\n\n", Some(i));
                }
                if show.input {
                    code_block(&mut w, nb, i, show.options_len, &mut outputs.pager);
                }
                if show.output {
                    outputs.write(&mut w, i, &cell.outputs, show);
                }
                outputs.pager.done();
            }
        }
        if let Some(pager) = slide_pager {
            outputs.pager = pager;
            w.blank_line(Some(i));
            w.made(if notes_as_comment { "-->\n" } else { ":::\n" }, Some(i));
        }
        written_any = true;
    }
    w.blank_line(None);
    let files = std::mem::take(&mut outputs.files);
    // A front matter made from the metadata alone: diagnostics in it point there.
    let metadata = (front.is_none() && !extra.is_empty()).then(|| 0..extra.len() + 8);
    Converted {
        metadata,
        markdown: w.out,
        files,
        cells: nb.cells.iter().map(|c| c.source.clone()).collect(),
        map: w.map,
        diagnostics: diags
            .into_iter()
            .map(|d: Diagnostic| d.with_kind(Kind::Notebook))
            .collect(),
    }
}

/// About how many lines a code cell takes on a slide: its code and its outputs.
fn code_weight(cell: &crate::model::Cell, show: &Show) -> f32 {
    let code = if show.input {
        let lines: f32 = cell.source[show.options_len..]
            .trim()
            .lines()
            .map(crate::pager::code_line)
            .sum();
        lines + 1.0
    } else {
        0.0
    };
    let outputs = if show.output {
        crate::outputs::weight(&cell.outputs, show)
    } else {
        0.0
    };
    code + outputs
}

/// The first cell shown, when it opens with a YAML front matter (Quarto's raw cell, or a
/// Markdown cell): its index and where its closing `---` line starts.
fn front_matter_cell(nb: &Notebook, shows: &[Show]) -> Option<(usize, usize)> {
    let (i, cell) = nb
        .cells
        .iter()
        .enumerate()
        .find(|(i, c)| shows[*i].cell && !c.source.trim().is_empty())?;
    if cell.kind == CellKind::Code || !cell.source.starts_with("---") {
        return None;
    }
    let mut at = 0;
    for (n, line) in cell.source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if n == 0 && trimmed != "---" {
            return None;
        }
        if n > 0 && (trimmed == "---" || trimmed == "...") {
            // Settings only: `---`, a line of text, `---` is a rule and a setext heading.
            let yaml = &cell.source[cell.source.find('\n')? + 1..at];
            let settings = matches!(
                serde_yaml::from_str::<serde_yaml::Value>(yaml),
                Ok(serde_yaml::Value::Mapping(_))
            );
            return settings.then_some((i, at));
        }
        at += line.len();
    }
    None
}

/// Front-matter lines the notebook implies and its own front matter does not set: the
/// metadata's title, authors and `lectern` settings, and the slide structure (RISE's slide
/// types, or the heading level that gives slides of a readable size). Also returns the
/// slide level the deck will have, where it is known.
fn extra_keys(
    nb: &Notebook,
    shows: &[Show],
    front: Option<&str>,
    rise: bool,
) -> (String, Option<u8>) {
    let set_level = front.and_then(|f| {
        f.lines()
            .find_map(|l| l.strip_prefix("slide-level:"))
            .and_then(|v| v.trim().trim_matches(['"', '\'']).parse::<u8>().ok())
    });
    let has = |key: &str| {
        front.is_some_and(|f| {
            f.lines()
                .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        })
    };
    let mut lines = String::new();
    let mut written: Vec<String> = Vec::new();
    // The front matter's own keys first, then `metadata.lectern`, then the metadata's
    // title and authors: a key is written once (YAML rejects a key twice).
    let mut add = |key: &str, value: &Value| {
        if has(key) || written.iter().any(|k| k == key) {
            return;
        }
        written.push(key.to_string());
        // JSON is YAML: a key or value written as JSON needs no escaping of its own.
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if plain {
            lines.push_str(&format!("{key}: {value}\n"));
        } else {
            lines.push_str(&format!("{}: {value}\n", Value::from(key)));
        }
    };
    let settings_level = nb
        .settings
        .get("slide-level")
        .and_then(Value::as_u64)
        .and_then(|l| u8::try_from(l).ok());
    for (key, value) in &nb.settings {
        // A slide level that is not a number is left to the deck's own warning below.
        if key != "slide-level" || settings_level.is_some() {
            add(key, value);
        }
    }
    // A notebook that opens with a `#` heading has its title there already.
    let opens_with_title = nb
        .cells
        .iter()
        .zip(shows)
        .find(|(c, s)| s.cell && c.kind != CellKind::Code && !c.source.trim().is_empty())
        .is_some_and(|(c, _)| c.source.trim_start().starts_with("# "));
    if let Some(title) = nb.title.as_ref().filter(|_| !opens_with_title) {
        add("title", &Value::from(title.as_str()));
    }
    if !nb.authors.is_empty() {
        add("author", &Value::from(nb.authors.clone()));
    }
    let mut level = set_level.or(settings_level);
    if !has("slide-level") && level.is_none() {
        // Only RISE's slide cells open slides; a notebook without headings is cut where
        // slides fill up (`---`).
        level = if rise {
            Some(0)
        } else {
            Some(slide_level(nb, shows).unwrap_or(0))
        };
        if let Some(level) = level {
            add("slide-level", &Value::from(level));
        }
    }
    (lines, level)
}

/// The highest heading level whose slides hold on average a readable amount; `None` for a
/// notebook with no headings.
fn slide_level(nb: &Notebook, shows: &[Show]) -> Option<u8> {
    let mut counts = [0usize; 7];
    let mut weight = 0;
    for (cell, show) in nb.cells.iter().zip(shows).filter(|(_, s)| s.cell) {
        match cell.kind {
            CellKind::Code => {
                if show.input {
                    weight += cell.source.chars().count();
                }
                if show.output {
                    weight += cell.outputs.len() * IMAGE_WEIGHT;
                }
            }
            _ => {
                let mut fenced = false;
                for line in cell.source.lines() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                        fenced = !fenced;
                    }
                    let html = html_heading(trimmed.trim_end());
                    let hashes = html.as_deref().unwrap_or(trimmed);
                    let level = hashes.bytes().take_while(|&b| b == b'#').count();
                    let heading = !fenced
                        && (1..=6).contains(&level)
                        && hashes[level..].starts_with([' ', '\t']);
                    if heading {
                        counts[level] += 1;
                    } else {
                        weight += line.chars().count();
                    }
                }
            }
        }
    }
    // A lone `#` heading is the deck's title, not a slide.
    if counts[1] == 1 {
        counts[1] = 0;
    }
    let levels: Vec<usize> = (1..=6).filter(|&l| counts[l] > 0).collect();
    let deepest = *levels.last()?;
    let chosen = levels
        .iter()
        .copied()
        .find(|&level| {
            let slides: usize = counts[1..=level].iter().sum();
            weight / (slides + 1) <= SLIDE_BUDGET
        })
        .unwrap_or(deepest);
    Some(chosen as u8)
}

/// A Markdown (or raw Markdown) cell as written, its pasted images (`attachment:NAME`)
/// pointed at the files they become and its HTML headings (`<h2>Title</h2>` on a line of
/// their own, as older notebooks write them) made Markdown headings, so they open slides.
fn markdown_cell(
    w: &mut Writer,
    nb: &Notebook,
    i: usize,
    options: &Options,
    files: &mut Vec<(String, Vec<u8>)>,
    breaks: &[(usize, String)],
) {
    let source = &nb.cells[i].source;
    let mut edits = rewrites(nb, i, options, files);
    // Continuation slides the pager opens inside the cell, at the start of their line.
    let mut at = 0;
    for (n, line) in source.split_inclusive('\n').enumerate() {
        if let Some((_, opening)) = breaks.iter().find(|(b, _)| *b == n) {
            edits.push((at..at, opening.clone(), None));
        }
        at += line.len();
    }
    edits.sort_by_key(|(range, _, _)| (range.start, !range.is_empty()));
    let mut copied = 0;
    for (range, replacement, file) in edits {
        w.copy(&source[copied..range.start], i, copied);
        w.made(&replacement, Some(i));
        if let Some(file) = file {
            files.push(file);
        }
        copied = range.end;
    }
    w.copy(&source[copied..], i, copied);
    close_open_constructs(w, source, i);
}

/// What a Markdown cell's text becomes, for the pager to measure before it is written.
fn rewritten(nb: &Notebook, i: usize, options: &Options) -> String {
    let source = &nb.cells[i].source;
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (range, replacement, _) in rewrites(nb, i, options, &[]) {
        out.push_str(&source[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&source[copied..]);
    out
}

/// A rewrite of part of a cell: its range, the text written instead, and a file it adds.
type Rewrite = (Range<usize>, String, Option<(String, Vec<u8>)>);

/// The rewrites of a Markdown cell, in order: attachments (named apart from the files
/// already made) and HTML heading lines.
fn rewrites(
    nb: &Notebook,
    i: usize,
    options: &Options,
    files: &[(String, Vec<u8>)],
) -> Vec<Rewrite> {
    let cell = &nb.cells[i];
    let source = &cell.source;
    let mut out: Vec<Rewrite> = Vec::new();
    let mut search = 0;
    while let Some(found) = source[search..].find("attachment:") {
        let at = search + found;
        let name_start = at + "attachment:".len();
        let name_end = source[name_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>'))
            .map_or(source.len(), |e| name_start + e);
        search = name_end.max(name_start);
        let name = &source[name_start..name_end];
        let Some((mut path, bytes)) = cell
            .attachments
            .get(name)
            .and_then(|bundle| crate::outputs::attachment(options, i, name, bundle))
        else {
            continue;
        };
        // Two names that read alike once made file names (`图.png`, `表.png`) stay apart.
        let taken = |p: &str| {
            files.iter().any(|(f, b)| f == p && *b != bytes)
                || out
                    .iter()
                    .any(|(_, _, f)| f.as_ref().is_some_and(|(f, b)| f == p && *b != bytes))
        };
        let mut n = 1;
        while taken(&path) {
            n += 1;
            let (stem, ext) = path.rsplit_once('.').unwrap_or((&path, ""));
            let stem = stem
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end_matches('~');
            path = format!("{stem}~{n}.{ext}");
        }
        out.push((at..name_end, path.clone(), Some((path, bytes))));
    }
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let text = line.trim_end();
        if let Some(heading) = html_heading(text.trim_start()) {
            let range = at..at + text.len();
            if !out
                .iter()
                .any(|(r, _, _)| r.start < range.end && range.start < r.end)
            {
                out.push((range, heading, None));
            }
        }
        at += line.len();
    }
    out.sort_by_key(|(r, _, _)| r.start);
    out
}

/// `<h2>Title</h2>` (with attributes, and tags inside such as an anchor) → `## Title`.
fn html_heading(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("<h")
        .or_else(|| line.strip_prefix("<H"))?;
    let level = rest
        .chars()
        .next()?
        .to_digit(10)
        .filter(|l| (1..=6).contains(l))?;
    let rest = &rest[1..];
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    let inner = &rest[rest.find('>')? + 1..];
    let close = format!("</h{level}>");
    let inner = inner
        .strip_suffix(&close)
        .or_else(|| inner.strip_suffix(&close.to_ascii_uppercase()))?;
    // The text of the heading: tags inside it (an anchor's `¶`) are not its words.
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '¶' => {}
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = crate::table::decode_entities(text.trim());
    (!text.is_empty()).then(|| {
        format!(
            "{} {}",
            "#".repeat(level as usize),
            crate::outputs::escape(&text)
        )
    })
}

/// Jupyter renders every cell on its own: a fence, an HTML comment or a fenced div left
/// open ends with its cell, not with the rest of the notebook.
pub(crate) fn close_open_constructs(w: &mut Writer, source: &str, i: usize) {
    if let Some(fence) = open_fence(source) {
        w.blank_line(Some(i));
        w.made(&format!("{fence}\n"), Some(i));
        return;
    }
    if let Some(open) = source.rfind("<!--")
        && !source[open..].contains("-->")
    {
        w.made(" -->\n", Some(i));
    }
    let mut divs: usize = 0;
    for line in source.lines() {
        let trimmed = line.trim();
        let colons = trimmed.bytes().take_while(|&b| b == b':').count();
        if colons >= 3 {
            if trimmed.len() == colons {
                divs = divs.saturating_sub(1);
            } else {
                divs += 1;
            }
        }
    }
    for _ in 0..divs {
        w.blank_line(Some(i));
        w.made(":::\n", Some(i));
    }
}

/// The fence a Markdown text leaves open at its end, if any.
fn open_fence(text: &str) -> Option<String> {
    let mut open: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        let Some(marker) = trimmed.chars().next().filter(|c| matches!(c, '`' | '~')) else {
            continue;
        };
        let run: String = trimmed.chars().take_while(|&c| c == marker).collect();
        if run.len() < 3 {
            continue;
        }
        let rest = &trimmed[run.len()..];
        match &open {
            Some(fence)
                if fence.starts_with(marker)
                    && run.len() >= fence.len()
                    && rest.trim().is_empty() =>
            {
                open = None
            }
            Some(_) => {}
            // A backtick line whose info string holds a backtick is a code span, not a fence.
            None if marker == '`' && rest.contains('`') => {}
            None => open = Some(run),
        }
    }
    open
}

/// A code cell's source (after its `#|` option lines) as a fenced block in the notebook's
/// language; code too long for any slide is cut at blank lines into pieces, each on a
/// slide of its own.
fn code_block(w: &mut Writer, nb: &Notebook, i: usize, options_len: usize, pager: &mut Pager) {
    let source = &nb.cells[i].source;
    let code = source[options_len..].trim_end();
    // Leading blank lines are left out, trailing ones too; the rest is copied byte for byte.
    let start = options_len + (code.len() - code.trim_start_matches(['\n', '\r']).len());
    let end = options_len + code.len();
    if source[start..end].trim().is_empty() {
        return;
    }
    let lines = source[start..end].lines().count();
    let pieces = if pager.pieces(lines) {
        code_pieces(source, start..end, crate::pager::CODE_PIECE)
    } else {
        std::iter::once(start..end).collect()
    };
    for piece in pieces {
        let code = &source[piece.clone()];
        let lines: f32 = code.lines().map(crate::pager::code_line).sum();
        pager.room(w, i, lines + 1.0);
        w.blank_line(Some(i));
        let fence = fence_for(code);
        w.made(&format!("{fence}{}\n", nb.language), Some(i));
        w.copy(code, i, piece.start);
        w.made(&format!("\n{fence}\n"), Some(i));
    }
}

/// `range` of `source` cut into pieces of at most `max` lines, at blank lines where it can
/// be (a paragraph longer than `max` is cut where it must).
fn code_pieces(source: &str, range: Range<usize>, max: usize) -> Vec<Range<usize>> {
    // Each line's byte range (without its newline).
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut at = range.start;
    for line in source[range.clone()].split_inclusive('\n') {
        lines.push(at..at + line.trim_end_matches(['\n', '\r']).len());
        at += line.len();
    }
    let blank = |r: &Range<usize>| source[r.clone()].trim().is_empty();
    // Pieces of even length: 40 lines in pieces of 22 at most are two of 20, not 22 and 18.
    let target = lines
        .len()
        .div_ceil(lines.len().div_ceil(max).max(1))
        .max(1);
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut piece: Vec<Range<usize>> = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        // The next paragraph: up to and including the next blank line.
        let next_blank = lines[k..]
            .iter()
            .position(blank)
            .map_or(lines.len(), |p| k + p + 1);
        let paragraph = &lines[k..next_blank];
        // Lines a piece shows: blank ones inside it take room too.
        let content = |p: &[Range<usize>]| {
            let shown = p.iter().rposition(|r| !blank(r)).map_or(0, |last| last + 1);
            shown - p.iter().position(|r| !blank(r)).unwrap_or(shown).min(shown)
        };
        let filled = content(&piece);
        if filled > 0 && (filled >= target || filled + content(paragraph) > max) {
            pieces.push(span(&piece, &blank));
            piece.clear();
        }
        for line in paragraph {
            if content(&piece) >= max {
                pieces.push(span(&piece, &blank));
                piece.clear();
            }
            if !(piece.is_empty() && blank(line)) {
                piece.push(line.clone());
            }
        }
        k = next_blank;
    }
    if piece.iter().any(|r| !blank(r)) {
        pieces.push(span(&piece, &blank));
    }
    pieces
}

/// The byte range from the first to the last non-blank line of `lines`.
fn span(lines: &[Range<usize>], blank: &dyn Fn(&Range<usize>) -> bool) -> Range<usize> {
    let first = lines.iter().find(|r| !blank(r)).unwrap_or(&lines[0]);
    let last = lines.iter().rev().find(|r| !blank(r)).unwrap_or(first);
    first.start..last.end
}

/// A backtick fence longer than any run of backticks in `text`.
pub(crate) fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_code_is_cut_into_even_pieces_at_blank_lines() {
        let paragraph = |n: usize, tag: &str| -> String {
            (0..n).map(|k| format!("{tag}{k} = {k}\n")).collect()
        };
        let code = format!(
            "{}\n{}\n{}\n{}\nprint('done')",
            paragraph(9, "a"),
            paragraph(8, "b"),
            paragraph(10, "c"),
            paragraph(6, "d")
        );
        let pieces = code_pieces(&code, 0..code.len(), 22);
        let lengths: Vec<usize> = pieces
            .iter()
            .map(|r| code[r.clone()].lines().count())
            .collect();
        // 37 lines: two pieces, cut at a blank line.
        assert_eq!(lengths, [18, 19]);
        assert!(code[pieces[1].clone()].starts_with("c0"));
        // A paragraph longer than a piece is cut where it must.
        let long = paragraph(50, "x");
        let pieces = code_pieces(&long, 0..long.len(), 22);
        assert!(pieces.iter().all(|r| long[r.clone()].lines().count() <= 22));
        assert_eq!(pieces.len(), 3);
    }

    #[test]
    fn a_fence_left_open_is_closed_with_its_cell() {
        assert_eq!(
            open_fence("text\n```python\nx = 1\n").as_deref(),
            Some("```")
        );
        assert_eq!(
            open_fence("````\n```\nstill code\n").as_deref(),
            Some("````")
        );
        assert_eq!(open_fence("~~~\na\n~~~\n\n```\nb\n```"), None);
        assert_eq!(open_fence("no fences"), None);
        // A code span on a line of its own is no fence.
        assert_eq!(open_fence("```x``` is inline code"), None);
    }

    #[test]
    fn html_headings_become_markdown_headings() {
        assert_eq!(
            html_heading("<h2 id=\"x\">Algebra<a class=\"anchor\" href=\"#x\">¶</a></h2>")
                .as_deref(),
            Some("## Algebra")
        );
        assert_eq!(
            html_heading("<h1>A &amp; B</h1>").as_deref(),
            Some("# A \\& B")
        );
        assert_eq!(html_heading("<h2>not closed"), None);
        assert_eq!(html_heading("<header>x</header>"), None);
    }
}
