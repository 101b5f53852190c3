//! LaTeX math (as typed between `$…$` in Markdown) to Typst math markup.
//!
//! The conversion is a small tokenizer followed by a recursive-descent converter. The
//! converter builds a flat list of [`Piece`](render::Piece)s per sequence and renders it
//! with single spaces between pieces, so that neighbouring tokens can never fuse into Typst
//! shorthands (`->`, `<=`, `||`, `[|`, …) or multi-letter identifiers (`task`). Everything
//! the user types is escaped: their text becomes Typst string literals, never code.
//! Anything the converter does not understand is reported as a [`MathError`] instead of
//! being passed through, because a silently wrong formula on a slide is worse than an error.
//!
//! The parts: `convert` (sequences, scripts, groups, switches such as `\color` and infix
//! commands such as `\over`), `commands` (the `\name` dispatch), `delimiters`, `spacing`,
//! `environments`
//! (`\begin{…}`), `text` (text mode: `\text{…}`, accents), `color`, `symbols` (the tables)
//! and `render` (pieces to Typst).

use std::ops::Range;

mod accents;
mod color;
mod commands;
mod convert;
mod delimiters;
mod environments;
mod render;
mod spacing;
mod symbols;
#[cfg(test)]
mod tests;
mod text;

/// Why a LaTeX formula could not be converted; `range` is a byte range into the input formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    pub message: String,
    pub range: Range<usize>,
}

impl std::fmt::Display for MathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MathError {}

/// Converts a LaTeX formula body (without the `$` delimiters) to Typst math (also without `$`).
/// A whole `\begin{equation} … \end{equation}` (or `align`, `gather`, …) is accepted too.
pub fn latex_to_typst(latex: &str) -> Result<String, MathError> {
    let toks = tokenize(latex)?;
    let mut conv = convert::Converter::new(latex, toks);
    let pieces = conv.top_level()?;
    Ok(render::render(&pieces, false))
}

/// Every Typst symbol and function the converter's tables can emit, each as a Typst math
/// expression that is valid on its own (symbols as names such as `arrow.r.double`,
/// functions as a sample call such as `frac(x, y)`), so a test can check them against the
/// Typst version in use.
pub fn emitted_names() -> Vec<&'static str> {
    symbols::emitted()
}

type Result<T, E = MathError> = std::result::Result<T, E>;

fn err(message: impl Into<String>, range: Range<usize>) -> MathError {
    MathError {
        message: message.into(),
        range,
    }
}

/// Deeper nesting than this is rejected: it keeps the recursion (ours and Typst's parser,
/// which gives up at 256 levels) far from any limit.
const MAX_DEPTH: usize = 40;

// ---------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    /// `\name` or a control symbol such as `\,` (stored without the backslash;
    /// a control space `\ ` is stored as `" "`).
    Cmd(&'a str),
    Char(char),
    /// `{`
    Open,
    /// `}`
    Close,
    /// `^`
    Sup,
    /// `_`
    Sub,
    /// `&`
    Align,
    /// `~`
    Tilde,
}

#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    pub(super) tok: Tok<'a>,
    pub(super) span: Range<usize>,
}

/// Splits the formula into tokens, dropping whitespace and `%` comments (both are
/// insignificant in LaTeX math). Spans keep the gaps recoverable for `\text{…}`.
pub(super) fn tokenize(src: &str) -> Result<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut it = src.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let mut end = i + c.len_utf8();
        let tok = match c {
            c if c.is_whitespace() => continue,
            '%' => {
                while it.next_if(|&(_, c)| c != '\n').is_some() {}
                continue;
            }
            '\\' => match it.next() {
                None => return Err(err("a lone `\\` at the end of the formula", i..end)),
                Some((j, c)) if c.is_ascii_alphabetic() => {
                    end = j + 1;
                    while let Some((k, _)) = it.next_if(|&(_, c)| c.is_ascii_alphabetic()) {
                        end = k + 1;
                    }
                    Tok::Cmd(&src[j..end])
                }
                Some((j, c)) => {
                    end = j + c.len_utf8();
                    Tok::Cmd(if c.is_whitespace() { " " } else { &src[j..end] })
                }
            },
            '{' => Tok::Open,
            '}' => Tok::Close,
            '^' => Tok::Sup,
            '_' => Tok::Sub,
            '&' => Tok::Align,
            '~' => Tok::Tilde,
            c => Tok::Char(c),
        };
        out.push(Token { tok, span: i..end });
    }
    Ok(out)
}
