//! Text mode: the arguments of `\text`, `\textbf`, `\mbox`, `\operatorname`, `\tag`, … with
//! LaTeX's text escapes, accents (`\'e`, `\"o`, `\v{s}`), special letters (`\ss`, `\o`),
//! nested styles and math (`\text{if $x > 0$}`). Text always becomes Typst string literals.

use std::ops::Range;

use super::accents::COMPOSED;
use super::convert::{Converter, Stop};
use super::render::{Piece, atom, render, typst_string};
use super::{Result, Tok, err};

/// The combining mark of a text accent command.
fn accent_mark(name: &str) -> Option<char> {
    Some(match name {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30c}',
        "H" => '\u{30b}',
        "c" => '\u{327}',
        "r" => '\u{30a}',
        "k" => '\u{328}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        "textcircled" => '\u{20dd}',
        _ => return None,
    })
}

/// Text-mode commands that stand for characters or strings.
fn text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        " " | "," | ";" | ":" | ">" | "space" => " ",
        "%" => "%",
        "&" => "&",
        "#" => "#",
        "$" | "textdollar" => "$",
        "_" => "_",
        "{" => "{",
        "}" => "}",
        "textbackslash" => "\\",
        "ldots" | "dots" | "textellipsis" => "…",
        "quad" => "\u{2003}",
        "qquad" => "\u{2003}\u{2003}",
        "ss" => "ß",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "i" => "ı",
        "j" => "ȷ",
        "l" => "ł",
        "L" => "Ł",
        "th" => "þ",
        "TH" => "Þ",
        "dh" => "ð",
        "DH" => "Ð",
        "S" | "sect" | "textsection" => "§",
        "P" | "textparagraph" => "¶",
        "dag" | "textdagger" => "†",
        "ddag" | "textdaggerdbl" => "‡",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "pounds" | "textsterling" => "£",
        "yen" | "textyen" => "¥",
        "euro" | "texteuro" => "€",
        "textdegree" | "degree" => "°",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteleft" | "lq" => "‘",
        "textquoteright" | "rq" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textbullet" => "•",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textbar" => "|",
        "textbardbl" => "‖",
        "textless" => "<",
        "textgreater" => ">",
        "textunderscore" => "_",
        "textbraceleft" => "{",
        "textbraceright" => "}",
        "checkmark" => "✓",
        "maltese" => "✠",
        "TeX" => "TeX",
        "LaTeX" => "LaTeX",
        "KaTeX" => "KaTeX",
        _ => return None,
    })
}

/// Nested text styles, as the Typst function wrapping their (text) content.
fn text_style(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "text" | "textrm" | "textnormal" | "textup" | "textmd" | "mbox" | "hbox" => ("", ""),
        "textbf" => ("bold(", ")"),
        "textit" | "emph" | "textsl" => ("italic(", ")"),
        "textsf" => ("sans(", ")"),
        "texttt" => ("mono(", ")"),
        "sout" => ("cancel(", ", angle: #90deg)"),
        _ => return None,
    })
}

/// Text collected so far, flushed into a string literal before math or a nested style.
fn flush(text: &mut String, out: &mut Vec<Piece>) {
    if !text.is_empty() {
        out.push(atom(typst_string(text)));
        text.clear();
    }
}

impl<'a> Converter<'a> {
    /// `\text{…}` and friends in math mode.
    pub(super) fn text_command(
        &mut self,
        name: &str,
        cmd: &str,
        span: Range<usize>,
    ) -> Result<Vec<Piece>> {
        let pieces = self.text_pieces(cmd, span)?;
        let (pre, post) = text_style(name).unwrap_or(("", ""));
        if pre.is_empty() {
            return Ok(pieces);
        }
        Ok(vec![atom(format!("{pre}{}{post}", render(&pieces, true)))])
    }

    /// A text argument as pieces: string literals, styled text and nested math.
    pub(super) fn text_pieces(&mut self, cmd: &str, cmd_span: Range<usize>) -> Result<Vec<Piece>> {
        let pieces = self.text_run(cmd, cmd_span, true)?;
        Ok(if pieces.is_empty() {
            vec![atom("\"\"")]
        } else {
            pieces
        })
    }

    /// A text argument as plain text (no math, no styles), as `\operatorname` needs.
    pub(super) fn text_argument(&mut self, cmd: &str, cmd_span: Range<usize>) -> Result<String> {
        let pieces = self.text_run(cmd, cmd_span, false)?;
        let mut text = String::new();
        for piece in pieces {
            if let Piece::Atom(s) = piece {
                // Only string literals come out of a plain run: unquote them.
                let inner = &s[1..s.len() - 1];
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        text.extend(chars.next());
                    } else {
                        text.push(c);
                    }
                }
            }
        }
        Ok(text)
    }

    /// The argument of a text command: a `{…}` group or a single character. LaTeX text
    /// mode keeps spaces (collapsed to one).
    fn text_run(&mut self, cmd: &str, cmd_span: Range<usize>, rich: bool) -> Result<Vec<Piece>> {
        match self.peek() {
            Some(Tok::Open) => {}
            Some(Tok::Char(c)) => {
                self.pos += 1;
                return Ok(vec![atom(typst_string(&c.to_string()))]);
            }
            _ => return Err(err(format!("{cmd} must be followed by `{{…}}`"), cmd_span)),
        }
        self.enter()?;
        let open = self.bump();
        let mut out = Vec::new();
        let mut text = String::new();
        let mut depth = 0usize;
        let mut prev_end = open.end;
        // A space after a control word such as `\ss` only ends the word.
        let mut after_word = false;
        loop {
            let Some(tok) = self.toks.get(self.pos).cloned() else {
                return Err(err("unclosed `{`", open));
            };
            let span = tok.span.clone();
            let word = std::mem::take(&mut after_word);
            if !word
                && self.src[prev_end..span.start]
                    .chars()
                    .any(char::is_whitespace)
            {
                text.push(' ');
            }
            self.pos += 1;
            match tok.tok {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => break,
                Tok::Close => depth -= 1,
                Tok::Tilde => text.push('\u{a0}'),
                Tok::Char('$') if rich => {
                    flush(&mut text, &mut out);
                    self.dollars += 1;
                    let (math, stop) = self.sequence(false)?;
                    self.dollars -= 1;
                    if stop != Stop::Dollar {
                        return Err(err(format!("`$` inside {cmd} is not closed"), span));
                    }
                    self.pos += 1;
                    out.extend(math);
                }
                Tok::Char('$') => {
                    return Err(err(format!("math inside {cmd} is not supported"), span));
                }
                Tok::Char(c) => text.push(c),
                Tok::Cmd(name) => {
                    if let Some(mark) = accent_mark(name) {
                        let (base, end) = self.accent_base(name, &span)?;
                        let composed = COMPOSED
                            .iter()
                            .find(|(m, b, _)| *m == mark && *b == base)
                            .map(|c| c.2);
                        match composed {
                            Some(c) => text.push(c),
                            None => {
                                text.push(base);
                                text.push(mark);
                            }
                        }
                        prev_end = end;
                        continue;
                    }
                    if let Some(s) = text_symbol(name) {
                        text.push_str(s);
                        after_word = name.starts_with(|c: char| c.is_ascii_alphabetic());
                    } else if let (true, Some((pre, post))) = (rich, text_style(name)) {
                        flush(&mut text, &mut out);
                        let inner = self.text_pieces(&format!("`\\{name}`"), span.clone())?;
                        out.push(atom(format!("{pre}{}{post}", render(&inner, true))));
                    } else {
                        return Err(err(
                            format!("unsupported command `\\{name}` inside {cmd}"),
                            span,
                        ));
                    }
                }
                Tok::Sup | Tok::Sub | Tok::Align => {
                    return Err(err(
                        format!("`{}` inside {cmd} must be escaped", &self.src[span.clone()]),
                        span,
                    ));
                }
            }
            prev_end = self.toks[self.pos - 1].span.end;
        }
        self.leave();
        flush(&mut text, &mut out);
        Ok(out)
    }

    /// The letter an accent applies to: `e`, `{e}`, `\i` or `{\i}`; with the end of the
    /// consumed source.
    fn accent_base(&mut self, name: &str, span: &Range<usize>) -> Result<(char, usize)> {
        let braced = self.peek() == Some(Tok::Open);
        if braced {
            self.pos += 1;
        }
        let base = match self.peek() {
            Some(Tok::Char(c)) if c.is_alphabetic() => c,
            Some(Tok::Cmd("i")) => 'ı',
            Some(Tok::Cmd("j")) => 'ȷ',
            _ => {
                return Err(err(
                    format!("the accent `\\{name}` must be followed by a letter"),
                    span.clone(),
                ));
            }
        };
        let mut end = self.bump().end;
        if braced {
            if self.peek() != Some(Tok::Close) {
                return Err(err(
                    format!("the accent `\\{name}` applies to a single letter"),
                    span.start..self.span().end,
                ));
            }
            end = self.bump().end;
        }
        // Dotless bases keep their accent on top; composed forms use the plain letter.
        let base = match base {
            'ı' if !matches!(name, "c" | "k" | "d" | "b") => 'i',
            'ȷ' => 'j',
            other => other,
        };
        Ok((base, end))
    }
}
