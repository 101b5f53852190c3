//! The converter's core: token access, sequences (with style switches such as `\color` and
//! infix commands such as `\over`), atoms with their scripts, groups and arguments.

use std::ops::Range;

use super::render::{Piece, arg, atom, has_rows, render, script_body, wrap_segments};
use super::{MAX_DEPTH, MathError, Result, Tok, Token, err};

/// Why a sequence ended (the token is left unconsumed for the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    End,
    CloseBrace,
    Align,
    Break,
    Right,
    Middle,
    EndEnv,
    /// `]` ending an optional argument such as `\sqrt[n]`.
    CloseBracket,
    /// `$` ending math inside `\text{…}`.
    Dollar,
}

pub(super) struct Converter<'a> {
    pub(super) src: &'a str,
    pub(super) toks: Vec<Token<'a>>,
    pub(super) pos: usize,
    depth: usize,
    /// How many `\text{… $…$ …}` math runs are open (a `$` ends the innermost).
    pub(super) dollars: usize,
}

/// `\over` and friends, which split their group into two halves.
fn infix(name: &str) -> Option<fn(&str, &str) -> String> {
    Some(match name {
        "over" | "above" => |a, b| format!("frac({a}, {b})"),
        "choose" => |a, b| format!("binom({a}, {b})"),
        "atop" => |a, b| format!("vec(delim: #none, {a}, {b})"),
        "brace" => |a, b| format!("vec(delim: \"{{\", {a}, {b})"),
        "brack" => |a, b| format!("vec(delim: \"[\", {a}, {b})"),
        _ => return None,
    })
}

impl<'a> Converter<'a> {
    pub(super) fn new(src: &'a str, toks: Vec<Token<'a>>) -> Self {
        Self {
            src,
            toks,
            pos: 0,
            depth: 0,
            dollars: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|t| t.tok)
    }

    /// Span of the current token, or an empty span at the end of the input.
    pub(super) fn span(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.src.len()..self.src.len(), |t| t.span.clone())
    }

    pub(super) fn bump(&mut self) -> Range<usize> {
        let span = self.span();
        self.pos += 1;
        span
    }

    pub(super) fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err("formula is nested too deeply", self.span()));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth -= 1;
    }

    pub(super) fn stop_at(&self, bracket: bool) -> Option<Stop> {
        Some(match self.peek() {
            None => Stop::End,
            Some(Tok::Close) => Stop::CloseBrace,
            Some(Tok::Align) => Stop::Align,
            Some(Tok::Cmd("\\" | "newline" | "cr")) => Stop::Break,
            Some(Tok::Cmd("right")) => Stop::Right,
            Some(Tok::Cmd("middle")) => Stop::Middle,
            Some(Tok::Cmd("end")) => Stop::EndEnv,
            Some(Tok::Char(']')) if bracket => Stop::CloseBracket,
            Some(Tok::Char('$')) if self.dollars > 0 => Stop::Dollar,
            _ => return None,
        })
    }

    /// The error for a sequence that ended on a token its context does not allow.
    pub(super) fn stop_error(&self, stop: Stop) -> MathError {
        let message = match stop {
            Stop::End => "unexpected end of formula",
            Stop::CloseBrace => "unmatched `}`",
            Stop::Align => {
                "`&` is only allowed inside an environment such as `aligned`, `cases` or `pmatrix`"
            }
            Stop::Break => {
                "line break `\\\\` is only supported at the top level or inside an environment"
            }
            Stop::Right => "`\\right` without a matching `\\left`",
            Stop::Middle => "`\\middle` outside of `\\left … \\right`",
            Stop::EndEnv => "`\\end` without a matching `\\begin`",
            Stop::CloseBracket => "unexpected `]`",
            Stop::Dollar => "unexpected `$`",
        };
        err(message, self.span())
    }

    /// Consumes a line break `\\` with its optional `[2pt]` spacing.
    pub(super) fn line_break(&mut self) {
        self.pos += 1;
        if self.peek() == Some(Tok::Char('*')) {
            self.pos += 1;
        }
        self.skip_bracket_arg();
    }

    /// The whole formula: a sequence where line breaks are allowed.
    pub(super) fn top_level(&mut self) -> Result<Vec<Piece>> {
        let mut out = Vec::new();
        loop {
            let (pieces, stop) = self.sequence(false)?;
            out.extend(pieces);
            match stop {
                Stop::End => return Ok(out),
                Stop::Break => {
                    self.line_break();
                    out.push(Piece::Break);
                }
                stop => return Err(self.stop_error(stop)),
            }
        }
    }

    /// Converts items until a stop token (left unconsumed).
    pub(super) fn sequence(&mut self, bracket: bool) -> Result<(Vec<Piece>, Stop)> {
        self.enter()?;
        let mut out = Vec::new();
        let stop = loop {
            if let Some(stop) = self.stop_at(bracket) {
                break stop;
            }
            if let Some(Tok::Cmd(name)) = self.peek() {
                // Infix commands: what came before is the numerator, the rest the denominator.
                if let Some(build) = infix(name) {
                    let span = self.bump();
                    if name == "above" {
                        // The rule thickness: Typst's fraction line is fixed.
                        self.skip(name, &span)?;
                    }
                    let (rest, stop) = self.sequence(bracket)?;
                    if has_rows(&out) || has_rows(&rest) {
                        return Err(err(
                            format!("`\\{name}` cannot span a line break or `&`"),
                            span,
                        ));
                    }
                    out = vec![atom(build(&arg(&out), &arg(&rest)))];
                    break stop;
                }
                // Switches apply to the rest of the group, so they wrap it.
                if let Some((pre, post)) = self.switch(name)? {
                    let (rest, stop) = self.sequence(bracket)?;
                    out.extend(wrap_segments(rest, &pre, &post));
                    break stop;
                }
            }
            self.item(&mut out)?;
        };
        self.leave();
        Ok((out, stop))
    }

    /// One atom with its primes, sub/superscripts and `\limits`.
    pub(super) fn item(&mut self, out: &mut Vec<Piece>) -> Result<()> {
        let base = match self.peek() {
            Some(Tok::Sup | Tok::Sub) => Vec::new(),
            _ => self.atom()?,
        };
        let mut primes = 0;
        let mut sup: Option<Vec<Piece>> = None;
        let mut sub: Option<Vec<Piece>> = None;
        let mut limits: Option<bool> = None;
        loop {
            match self.peek() {
                Some(Tok::Char('\'')) => {
                    self.pos += 1;
                    primes += 1;
                }
                Some(tok @ (Tok::Sup | Tok::Sub)) => {
                    let (slot, what, op) = match tok {
                        Tok::Sup => (&mut sup, "superscript", "`^`"),
                        _ => (&mut sub, "subscript", "`_`"),
                    };
                    if slot.is_some() {
                        return Err(err(
                            format!("double {what}: use braces, e.g. `{{x^a}}^b`"),
                            self.span(),
                        ));
                    }
                    let span = self.bump();
                    *slot = Some(self.argument(op, span)?);
                }
                Some(Tok::Cmd(name @ ("limits" | "nolimits"))) => {
                    if base.is_empty() {
                        return Err(err(
                            format!("`\\{name}` must follow an operator"),
                            self.span(),
                        ));
                    }
                    self.pos += 1;
                    limits = Some(name == "limits");
                }
                _ => break,
            }
        }
        let sup = sup.filter(|s| !s.is_empty());
        let sub = sub.filter(|s| !s.is_empty());
        if primes == 0 && sup.is_none() && sub.is_none() && limits.is_none() {
            out.extend(base);
            return Ok(());
        }
        // Scripts attach to exactly one Typst expression: wrap anything bigger.
        let base = match (limits, base.as_slice()) {
            (Some(true), _) => atom(format!("limits({})", arg(&base))),
            (Some(false), _) => atom(format!("scripts({})", arg(&base))),
            (None, []) => atom("\"\""),
            // Typst cannot attach scripts to an opening delimiter that starts a pair.
            (None, [Piece::Open(c)]) => atom(format!("\\{c}")),
            (None, [single]) if !matches!(single, Piece::Script(_)) => single.clone(),
            (None, _) => atom(format!("attach({})", render(&base, true))),
        };
        // Primes go first: in Typst `f_1'` would put the prime on the `1`.
        let mut suffix = "'".repeat(primes);
        if let Some(sub) = sub {
            suffix.push('_');
            suffix.push_str(&script_body(&sub));
        }
        if let Some(sup) = sup {
            suffix.push('^');
            suffix.push_str(&script_body(&sup));
        }
        out.push(base);
        out.push(Piece::Script(suffix));
        Ok(())
    }

    /// A macro argument: a `{…}` group or a single token (one digit of a number, as in
    /// `\frac12` or `x^23`). `what` names the construct for error messages.
    pub(super) fn argument(&mut self, what: &str, what_span: Range<usize>) -> Result<Vec<Piece>> {
        match self.peek() {
            Some(Tok::Open) => self.group(),
            Some(Tok::Char(c)) if c.is_ascii_digit() => {
                self.pos += 1;
                Ok(vec![atom(c)])
            }
            Some(Tok::Sup | Tok::Sub) => Err(err(
                format!(
                    "{what} must be followed by an argument, not `{}`",
                    &self.src[self.span()]
                ),
                self.span(),
            )),
            _ if self.stop_at(false).is_some() => {
                Err(err(format!("{what} is missing its argument"), what_span))
            }
            _ => {
                self.enter()?;
                let pieces = self.atom()?;
                self.leave();
                Ok(pieces)
            }
        }
    }

    /// A `{…}` group; its content is returned flat (Typst needs no invisible grouping).
    pub(super) fn group(&mut self) -> Result<Vec<Piece>> {
        let open = self.bump();
        let (pieces, stop) = self.sequence(false)?;
        match stop {
            Stop::CloseBrace => {
                self.pos += 1;
                Ok(pieces)
            }
            Stop::End => Err(err("unclosed `{`", open)),
            stop => Err(self.stop_error(stop)),
        }
    }

    /// One atom without scripts.
    pub(super) fn atom(&mut self) -> Result<Vec<Piece>> {
        let Some(tok) = self.peek() else {
            return Err(err("unexpected end of formula", self.span()));
        };
        let span = self.span();
        let piece = match tok {
            Tok::Open => return self.group(),
            Tok::Cmd(name) => return self.command(name),
            Tok::Tilde => {
                self.pos += 1;
                atom("thick")
            }
            Tok::Sup | Tok::Sub | Tok::Close | Tok::Align => {
                return Err(err(
                    format!("unexpected `{}`", &self.src[span.clone()]),
                    span,
                ));
            }
            Tok::Char(c) if c.is_ascii_digit() => return Ok(vec![self.number()]),
            Tok::Char(c) => {
                self.pos += 1;
                match c {
                    'a'..='z' | 'A'..='Z' => atom(c),
                    '(' | '[' => Piece::Open(c),
                    ')' | ']' => Piece::Close(c),
                    ',' | ';' => Piece::Punct(c),
                    '+' | '-' | '=' | '<' | '>' | '*' | '!' | '?' | '.' | ':' | '|' => atom(c),
                    '\'' => atom("prime"),
                    // Special in Typst math but literal in LaTeX: escape.
                    '/' | '"' | '@' | '`' => atom(format!("\\{c}")),
                    '#' => return Err(err("`#` is not allowed in a formula; write `\\#`", span)),
                    '$' => return Err(err("unexpected `$` inside a formula", span)),
                    c if c.is_ascii() => {
                        return Err(err(format!("unexpected character {c:?}"), span));
                    }
                    c if c.is_alphabetic() => atom(c),
                    // Other Unicode (arrows, `√`, brackets, …) as escapes: Typst neither
                    // treats them as operators nor pairs them.
                    c => atom(format!("\\{c}")),
                }
            }
        };
        Ok(vec![piece])
    }

    /// A digit run with an optional decimal part, as long as no whitespace interrupts it.
    fn number(&mut self) -> Piece {
        let start = self.span().start;
        let mut end = start;
        let mut seen_dot = false;
        while let Some(tok) = self.toks.get(self.pos) {
            let next_is_digit = matches!(
                self.toks.get(self.pos + 1),
                Some(Token { tok: Tok::Char(d), span }) if d.is_ascii_digit() && span.start == tok.span.end
            );
            match tok.tok {
                Tok::Char(c) if tok.span.start == end && c.is_ascii_digit() => {}
                Tok::Char('.') if tok.span.start == end && !seen_dot && next_is_digit => {
                    seen_dot = true;
                }
                _ => break,
            }
            end = tok.span.end;
            self.pos += 1;
        }
        atom(&self.src[start..end])
    }

    /// Skips an optional `[…]` (such as the spacing after `\\`).
    pub(super) fn skip_bracket_arg(&mut self) {
        if self.peek() == Some(Tok::Char('[')) {
            let end = self.toks[self.pos..]
                .iter()
                .position(|t| t.tok == Tok::Char(']'));
            if let Some(len) = end {
                self.pos += len + 1;
            }
        }
    }

    /// An optional argument `[…]`, starting at the `[`.
    pub(super) fn bracket_arg(&mut self) -> Result<Vec<Piece>> {
        let open = self.bump();
        let (pieces, stop) = self.sequence(true)?;
        match stop {
            Stop::CloseBracket => {
                self.pos += 1;
                Ok(pieces)
            }
            Stop::End => Err(err("unclosed `[`", open)),
            stop => Err(self.stop_error(stop)),
        }
    }

    /// The optional `[…]` as math, if present.
    pub(super) fn optional_arg(&mut self) -> Result<Option<Vec<Piece>>> {
        if self.peek() == Some(Tok::Char('[')) {
            self.bracket_arg().map(Some)
        } else {
            Ok(None)
        }
    }

    /// The raw source of an optional `[…]` (such as `[HTML]` or `[r]`), with its span.
    pub(super) fn optional_raw(&mut self) -> Result<Option<(&'a str, Range<usize>)>> {
        if self.peek() != Some(Tok::Char('[')) {
            return Ok(None);
        }
        let open = self.span();
        let Some(len) = self.toks[self.pos..]
            .iter()
            .position(|t| t.tok == Tok::Char(']'))
        else {
            return Err(err("unclosed `[`", open));
        };
        let close = self.toks[self.pos + len].span.clone();
        self.pos += len + 1;
        let src = self.src;
        Ok(Some((
            src[open.end..close.start].trim(),
            open.end..close.start,
        )))
    }

    /// The raw source of a required `{…}` argument without nested groups (colour names,
    /// dimensions, column specs), with the span of its content.
    pub(super) fn raw_group(
        &mut self,
        cmd: &str,
        cmd_span: Range<usize>,
    ) -> Result<(&'a str, Range<usize>)> {
        if self.peek() != Some(Tok::Open) {
            return Err(err(format!("{cmd} must be followed by `{{…}}`"), cmd_span));
        }
        let open = self.span();
        let mut depth = 0usize;
        for (i, t) in self.toks[self.pos..].iter().enumerate() {
            match t.tok {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        let close = t.span.clone();
                        self.pos += i + 1;
                        let src = self.src;
                        let inner = open.end..close.start;
                        return Ok((src[inner.clone()].trim(), inner));
                    }
                }
                _ => {}
            }
        }
        Err(err("unclosed `{`", open))
    }
}
