//! A notebook's code cells as fenced code: the `#|` option lines left out, a fence longer
//! than any backtick run in the code, and code too long for a slide cut into pieces.

use std::ops::Range;

use crate::convert::Writer;
use crate::model::Notebook;
use crate::pager::Pager;

/// A code cell's source (after its `#|` option lines) as a fenced block in the notebook's
/// language; code too long for any slide is cut at blank lines into pieces, each on a
/// slide of its own.
pub(crate) fn code_block(
    w: &mut Writer,
    nb: &Notebook,
    i: usize,
    options_len: usize,
    pager: &mut Pager,
) {
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
}
