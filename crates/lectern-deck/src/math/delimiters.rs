//! Delimiters: the ones `\left`, `\right`, `\middle` and `\big…` accept, and
//! `\left … \middle … \right` as Typst `lr(…)`.

use std::ops::Range;

use super::convert::{Converter, Stop};
use super::render::{Piece, arg, atom, render};
use super::{Result, Tok, err};

/// Delimiter commands allowed after `\left`, `\right`, `\middle` and `\big…` that are not
/// plain symbols, with their Typst form.
pub(super) const DELIMITERS: &[(&str, &str)] = &[
    ("Downarrow", "arrow.b.double"),
    ("Uparrow", "arrow.t.double"),
    ("Updownarrow", "arrow.t.b.double"),
    ("Vert", "bar.v.double"),
    ("backslash", "backslash"),
    ("downarrow", "arrow.b"),
    ("lBrace", "brace.l.stroked"),
    ("lVert", "bar.v.double"),
    ("lang", "chevron.l"),
    ("langle", "chevron.l"),
    ("lceil", "ceil.l"),
    ("lfloor", "floor.l"),
    ("lgroup", "paren.l.flat"),
    ("llbracket", "bracket.l.stroked"),
    ("llcorner", "corner.l.b"),
    ("lmoustache", "mustache.l"),
    ("lt", "chevron.l"),
    ("lvert", "|"),
    ("gt", "chevron.r"),
    ("rBrace", "brace.r.stroked"),
    ("rVert", "bar.v.double"),
    ("rang", "chevron.r"),
    ("rangle", "chevron.r"),
    ("rceil", "ceil.r"),
    ("rfloor", "floor.r"),
    ("rgroup", "paren.r.flat"),
    ("rmoustache", "mustache.r"),
    ("rrbracket", "bracket.r.stroked"),
    ("lrcorner", "corner.r.b"),
    ("rvert", "|"),
    ("ulcorner", "corner.l.t"),
    ("uparrow", "arrow.t"),
    ("updownarrow", "arrow.t.b"),
    ("urcorner", "corner.r.t"),
    ("vert", "|"),
    ("|", "bar.v.double"),
];

impl<'a> Converter<'a> {
    /// A delimiter after `\left`, `\right`, `\middle` or `\big`; `None` for `.`.
    pub(super) fn delimiter(&mut self, cmd: &str, cmd_span: Range<usize>) -> Result<Option<Piece>> {
        let piece = match self.peek() {
            Some(Tok::Char('.')) => None,
            Some(Tok::Char(c @ ('(' | '['))) => Some(Piece::Open(c)),
            Some(Tok::Char(c @ (')' | ']'))) => Some(Piece::Close(c)),
            Some(Tok::Char('|')) => Some(atom("|")),
            Some(Tok::Char('<')) => Some(atom("chevron.l")),
            Some(Tok::Char('>')) => Some(atom("chevron.r")),
            Some(Tok::Char('/')) => Some(atom("\\/")),
            Some(Tok::Char(
                c @ ('⟨' | '⟩' | '⌊' | '⌋' | '⌈' | '⌉' | '⟦' | '⟧' | '‖' | '∣' | '↑' | '↓' | '⟮'
                | '⟯' | '⎰' | '⎱' | '┌' | '┐' | '└' | '┘' | '⌜' | '⌝' | '⌞' | '⌟'),
            )) => Some(atom(format!("\\{c}"))),
            Some(Tok::Cmd("{" | "lbrace")) => Some(Piece::Open('{')),
            Some(Tok::Cmd("}" | "rbrace")) => Some(Piece::Close('}')),
            Some(Tok::Cmd("lbrack")) => Some(Piece::Open('[')),
            Some(Tok::Cmd("rbrack")) => Some(Piece::Close(']')),
            Some(Tok::Cmd("lparen")) => Some(Piece::Open('(')),
            Some(Tok::Cmd("rparen")) => Some(Piece::Close(')')),
            Some(Tok::Cmd(name)) if DELIMITERS.iter().any(|d| d.0 == name) => {
                DELIMITERS.iter().find(|d| d.0 == name).map(|d| atom(d.1))
            }
            _ => {
                return Err(err(
                    format!(
                        "{cmd} must be followed by a delimiter such as `(`, `[`, `\\{{`, `|` or `.`"
                    ),
                    cmd_span,
                ));
            }
        };
        self.pos += 1;
        Ok(piece)
    }

    /// `\left<delim> … [\middle<delim> …] \right<delim>` → `lr(…)`.
    pub(super) fn left_right(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let mut body: Vec<Piece> = self
            .delimiter("`\\left`", span.clone())?
            .into_iter()
            .collect();
        loop {
            let (pieces, stop) = self.sequence(false)?;
            body.extend(pieces);
            match stop {
                Stop::Right => {
                    let right = self.bump();
                    body.extend(self.delimiter("`\\right`", right)?);
                    break;
                }
                Stop::Middle => {
                    let middle = self.bump();
                    if let Some(d) = self.delimiter("`\\middle`", middle)? {
                        body.push(atom(format!("mid({})", render(&[d], true))));
                    }
                }
                Stop::End => return Err(err("`\\left` without a matching `\\right`", span)),
                stop => return Err(self.stop_error(stop)),
            }
        }
        Ok(vec![atom(format!("lr({})", arg(&body)))])
    }
}
