//! A notebook's Markdown cells as the deck's Markdown: attachments pointed at their files,
//! HTML heading lines made headings, and what a cell leaves open closed with it.

use std::ops::Range;

use crate::Options;
use crate::convert::Writer;
use crate::model::Notebook;

/// A Markdown (or raw Markdown) cell as written, its pasted images (`attachment:NAME`)
/// pointed at the files they become and its HTML headings (`<h2>Title</h2>` on a line of
/// their own, as older notebooks write them) made Markdown headings, so they open slides.
pub(crate) fn markdown_cell(
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
pub(crate) fn rewritten(nb: &Notebook, i: usize, options: &Options) -> String {
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
            .and_then(|bundle| crate::images::attachment(options, i, name, bundle))
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

/// An ATX heading (`## Title`, up to three spaces of indent): its level and its text.
pub(crate) fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let level = trimmed.bytes().take_while(|&b| b == b'#').count();
    let rest = &trimmed[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then(|| (level, rest.trim()))
}

/// `<h2>Title</h2>` (with attributes, and tags inside such as an anchor) → `## Title`.
pub(crate) fn html_heading(line: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
