//! The `\name` dispatch: symbols, fonts and accents, fractions, boxes, arrows, `\not`,
//! switches (`\color`, `\large`, `\bf`, …); spacing and delimiters have their own files.

use std::ops::Range;

use super::color::parse_color;
use super::convert::{Converter, Stop};
use super::render::{Piece, arg, atom, nested, render, script_body, typst_string};
use super::spacing::typst_length;
use super::symbols::{
    OTHER_OPERATORS, TYPST_OPERATORS, annotated, matrix_delim, negated, symbol, wrapper, x_arrow,
};
use super::{Result, Tok, err};

/// Text sizes relative to `\normalsize` (LaTeX's 10pt classes).
fn size(name: &str) -> Option<&'static str> {
    Some(match name {
        "tiny" => "0.5em",
        "scriptsize" => "0.7em",
        "footnotesize" => "0.8em",
        "small" => "0.9em",
        "normalsize" => "1em",
        "large" => "1.2em",
        "Large" => "1.44em",
        "LARGE" => "1.728em",
        "huge" => "2.074em",
        "Huge" => "2.488em",
        _ => return None,
    })
}

impl<'a> Converter<'a> {
    /// If the next token is a switch (`\color{red}`, `\large`, `\bf`, `\displaystyle`, …),
    /// consumes it with its arguments and returns the call its group is wrapped in.
    pub(super) fn switch(&mut self, name: &str) -> Result<Option<(String, String)>> {
        let func = match name {
            "displaystyle" => "display(",
            "textstyle" => "inline(",
            "scriptstyle" => "script(",
            "scriptscriptstyle" => "sscript(",
            "rm" => "upright(",
            "it" | "mit" => "italic(",
            "bf" => "upright(bold(",
            "sf" => "upright(sans(",
            "tt" => "mono(",
            "cal" => "cal(",
            "frak" if self.toks.get(self.pos + 1).map(|t| t.tok) != Some(Tok::Open) => "frak(",
            "color" => {
                let span = self.bump();
                let color = self.color_arg(span)?;
                return Ok(Some((format!("text(fill: #{color}, "), ")".into())));
            }
            _ => {
                let Some(size) = size(name) else {
                    return Ok(None);
                };
                self.pos += 1;
                return Ok(Some((format!("text(size: #{size}, "), ")".into())));
            }
        };
        self.pos += 1;
        let close = ")".repeat(func.matches('(').count());
        Ok(Some((func.into(), close)))
    }

    /// A colour argument `[model]{spec}` as a Typst colour expression.
    fn color_arg(&mut self, cmd_span: Range<usize>) -> Result<String> {
        let model = self.optional_raw()?;
        let (spec, spec_span) = self.raw_group("a colour command", cmd_span)?;
        parse_color(model.as_ref().map(|m| m.0), spec).map_err(|message| {
            let range = match (&model, spec.is_empty()) {
                (Some((_, range)), _) if message.contains("model") => range.clone(),
                _ => spec_span,
            };
            err(message, range)
        })
    }

    pub(super) fn command(&mut self, name: &'a str) -> Result<Vec<Piece>> {
        // A switch reached as a macro argument (`x^\color{red}`) styles nothing.
        if self.switch(name)?.is_some() {
            return Ok(Vec::new());
        }
        let span = self.bump();
        let cmd = format!("`\\{name}`");
        let one = |p: Piece| Ok(vec![p]);
        if let Some(sym) = symbol(name) {
            return one(atom(sym));
        }
        if TYPST_OPERATORS.contains(&name) {
            return one(atom(name));
        }
        if let Some((_, text, limits)) = OTHER_OPERATORS.iter().find(|o| o.0 == name) {
            let limits = if *limits { ", limits: #true" } else { "" };
            return one(atom(format!("op({}{limits})", typst_string(text))));
        }
        if let Some((pre, post)) = wrapper(name) {
            if name == "sqrt" && self.peek() == Some(Tok::Char('[')) {
                let index = self.bracket_arg()?;
                let body = self.argument(&cmd, span)?;
                return one(atom(format!("root({}, {})", arg(&index), arg(&body))));
            }
            let body = self.argument(&cmd, span)?;
            return one(atom(format!("{pre}{}{post}", arg(&body))));
        }
        if let Some((func, over)) = annotated(name) {
            let body = self.argument(&cmd, span)?;
            // The annotation is written as a script right after the argument.
            let script = if over { Tok::Sup } else { Tok::Sub };
            if self.peek() == Some(script) {
                let op_span = self.bump();
                let what = format!("`{}`", &self.src[op_span.clone()]);
                let note = self.argument(&what, op_span)?;
                return one(atom(format!("{func}({}, {})", arg(&body), arg(&note))));
            }
            return one(atom(format!("{func}({})", arg(&body))));
        }
        if let Some(arrow) = x_arrow(name) {
            let below = self.optional_arg()?.unwrap_or_default();
            let above = self.argument(&cmd, span)?;
            let mut out = format!("stretch({arrow})");
            if !below.is_empty() {
                out.push('_');
                out.push_str(&script_body(&below));
            }
            if !above.is_empty() {
                out.push('^');
                out.push_str(&script_body(&above));
            }
            return one(atom(out));
        }
        if let Some(space) = self.spacing(name, &span)? {
            return Ok(space.into_iter().map(atom).collect());
        }
        match name {
            "{" | "lbrace" => one(Piece::Open('{')),
            "}" | "rbrace" => one(Piece::Close('}')),
            "lbrack" => one(Piece::Open('[')),
            "rbrack" => one(Piece::Close(']')),
            "lparen" => one(Piece::Open('(')),
            "rparen" => one(Piece::Close(')')),
            "%" => one(atom("%")),
            "&" | "#" | "$" | "_" => one(atom(format!("\\{name}"))),
            "frac" | "dfrac" | "tfrac" | "cfrac" | "binom" | "dbinom" | "tbinom" => {
                if name == "cfrac" {
                    self.skip_bracket_arg();
                }
                let a = self.argument(&cmd, span.clone())?;
                let b = self.argument(&cmd, span)?;
                let func = if name.ends_with("binom") {
                    "binom"
                } else {
                    "frac"
                };
                let call = format!("{func}({}, {})", arg(&a), arg(&b));
                one(atom(match name {
                    "dfrac" | "dbinom" | "cfrac" => format!("display({call})"),
                    "tfrac" | "tbinom" => format!("inline({call})"),
                    _ => call,
                }))
            }
            "genfrac" => self.genfrac(span),
            "overset" | "stackrel" | "underset" => {
                let over = self.argument(&cmd, span.clone())?;
                let base = self.argument(&cmd, span)?;
                let op = if name == "underset" { '_' } else { '^' };
                one(atom(format!(
                    "limits({}){op}{}",
                    arg(&base),
                    script_body(&over)
                )))
            }
            "sideset" => self.sideset(span),
            "prescript" => {
                let sup = self.argument(&cmd, span.clone())?;
                let sub = self.argument(&cmd, span.clone())?;
                let base = self.argument(&cmd, span)?;
                one(atom(format!(
                    "attach({}, tl: {}, bl: {})",
                    arg(&base),
                    arg(&sup),
                    arg(&sub)
                )))
            }
            "cancelto" => {
                let to = self.argument(&cmd, span.clone())?;
                let body = self.argument(&cmd, span)?;
                one(atom(format!(
                    "attach(cancel({}), tr: {})",
                    arg(&body),
                    arg(&to)
                )))
            }
            "pmod" | "pod" | "mod" => {
                let body = self.argument(&cmd, span)?;
                let body = render(&body, true);
                one(atom(match name {
                    "pmod" => format!("quad (mod {body})"),
                    "pod" => format!("quad ({body})"),
                    _ => format!("quad mod thin {body}"),
                }))
            }
            "bmod" => one(atom("mod")),
            "operatorname" | "operatornamewithlimits" => {
                let mut limits = name == "operatornamewithlimits";
                if self.peek() == Some(Tok::Char('*')) {
                    self.pos += 1;
                    limits = true;
                }
                let text = self.text_argument(&cmd, span.clone())?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(err("`\\operatorname` needs a name", span));
                }
                let limits = if limits { ", limits: #true" } else { "" };
                one(atom(format!("op({}{limits})", typst_string(text))))
            }
            "text" | "textrm" | "textnormal" | "textup" | "textmd" | "mbox" | "hbox" | "textbf"
            | "textit" | "emph" | "textsf" | "texttt" => self.text_command(name, &cmd, span),
            "TeX" | "LaTeX" | "KaTeX" => one(atom(typst_string(name))),
            "textcolor" => {
                let color = self.color_arg(span.clone())?;
                let body = self.argument(&cmd, span)?;
                one(atom(format!("text(fill: #{color}, {})", arg(&body))))
            }
            "colorbox" | "fcolorbox" => {
                let frame = if name == "fcolorbox" {
                    format!("stroke: 0.5pt + {}, ", self.color_arg(span.clone())?)
                } else {
                    String::new()
                };
                let fill = self.color_arg(span.clone())?;
                let body = self.text_pieces(&cmd, span)?;
                one(atom(format!(
                    "#box({frame}fill: {fill}, inset: (x: 0.2em), outset: (y: 0.2em), {})",
                    nested(&body)
                )))
            }
            "fbox" | "boxed" => {
                let body = if name == "fbox" {
                    self.text_pieces(&cmd, span)?
                } else {
                    let body = self.argument(&cmd, span)?;
                    vec![atom(format!("display({})", arg(&body)))]
                };
                one(atom(format!(
                    "#box(stroke: 0.5pt, inset: 0.25em, {})",
                    nested(&body)
                )))
            }
            "phantom" | "hphantom" | "vphantom" => {
                let body = self.argument(&cmd, span)?;
                let hidden = format!("hide({})", nested(&body));
                one(atom(match name {
                    "phantom" => format!("#{hidden}"),
                    "hphantom" => format!("#box(height: 0pt, {hidden})"),
                    _ => format!("#box(width: 0pt, {hidden})"),
                }))
            }
            "smash" => {
                self.skip_bracket_arg();
                self.argument(&cmd, span)
            }
            "mathnormal" | "vcenter" => self.argument(&cmd, span),
            "bra" | "ket" | "braket" | "Bra" | "Ket" | "set" | "Set" => {
                let body = render(&self.argument(&cmd, span)?, true);
                let (l, r) = match name.to_ascii_lowercase().as_str() {
                    "bra" => ("chevron.l", "|"),
                    "ket" => ("|", "chevron.r"),
                    "braket" => ("chevron.l", "chevron.r"),
                    _ => ("{", "}"),
                };
                one(atom(if name.starts_with(char::is_uppercase) {
                    format!("lr({l} {body} {r})")
                } else if l == "{" {
                    format!("\\{{ {body} \\}}")
                } else {
                    format!("{l} {body} {r}")
                }))
            }
            "rule" => {
                let raise = self.optional_raw()?;
                let mut sizes = Vec::new();
                for _ in 0..2 {
                    let (dim, dim_span) = self.raw_group(&cmd, span.clone())?;
                    sizes.push(
                        typst_length(dim)
                            .ok_or_else(|| err(format!("unsupported length `{dim}`"), dim_span))?,
                    );
                }
                let mut rule = format!(
                    "#box(width: {}, height: {}, fill: black)",
                    sizes[0], sizes[1]
                );
                if let Some((dim, dim_span)) = raise {
                    let up = typst_length(dim)
                        .ok_or_else(|| err(format!("unsupported length `{dim}`"), dim_span))?;
                    rule = format!("#box(move(dy: -({up}), {}))", &rule[1..]);
                }
                one(atom(rule))
            }
            "llap" | "rlap" | "clap" | "mathllap" | "mathrlap" | "mathclap" => {
                let body = if name.starts_with("math") {
                    self.argument(&cmd, span)?
                } else {
                    self.text_pieces(&cmd, span)?
                };
                let body = nested(&body);
                one(atom(match name.trim_start_matches("math") {
                    "llap" => format!("#box(width: 0pt, align(right, {body}))"),
                    "clap" => format!("#box(width: 0pt, align(center, {body}))"),
                    _ => format!("#box(width: 0pt, {body})"),
                }))
            }
            "char" => {
                // `\char"263A`, `\char'77` or `\char65`: read from the source.
                let start = self.span().start.max(span.end);
                let rest = &self.src[start..];
                let (radix, skip) = match rest.chars().next() {
                    Some('"') => (16, 1),
                    Some('\'') => (8, 1),
                    _ => (10, 0),
                };
                let digits = rest[skip..]
                    .find(|c: char| !c.is_digit(radix))
                    .unwrap_or(rest.len() - skip);
                let end = start + skip + digits;
                let code = u32::from_str_radix(&rest[skip..skip + digits], radix).ok();
                let Some(c) = code.and_then(char::from_u32).filter(|c| !c.is_control()) else {
                    return Err(err(
                        "`\\char` needs a character code such as `\"263A`",
                        span.start..end.max(span.end),
                    ));
                };
                while self.toks.get(self.pos).is_some_and(|t| t.span.start < end) {
                    self.pos += 1;
                }
                one(atom(if c.is_alphanumeric() {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }))
            }
            "raisebox" => {
                let (dim, dim_span) = self.raw_group(&cmd, span.clone())?;
                let Some(length) = typst_length(dim) else {
                    return Err(err(format!("unsupported length `{dim}`"), dim_span));
                };
                let body = self.text_pieces(&cmd, span)?;
                let up = match length.strip_prefix('-') {
                    Some(down) => down.to_string(),
                    None => format!("-{length}"),
                };
                one(atom(format!("#box(move(dy: {up}, {}))", nested(&body))))
            }
            "tag" => {
                let star = self.peek() == Some(Tok::Char('*'));
                if star {
                    self.pos += 1;
                }
                let text = self.text_argument(&cmd, span)?;
                let text = if star { text } else { format!("({text})") };
                Ok(vec![atom("wide"), atom(typst_string(&text))])
            }
            "label" => {
                self.text_argument(&cmd, span)?;
                Ok(Vec::new())
            }
            "nonumber" | "notag" | "nobreak" | "allowbreak" | "relax" | "mathstrut" | "strut"
            | "displaybreak" => Ok(Vec::new()),
            "substack" => {
                let open = self.span();
                if self.peek() != Some(Tok::Open) {
                    return Err(err("`\\substack` must be followed by `{`", span));
                }
                self.pos += 1;
                let mut out = Vec::new();
                loop {
                    let (pieces, stop) = self.sequence(false)?;
                    out.extend(pieces);
                    match stop {
                        Stop::Break => {
                            self.line_break();
                            out.push(Piece::Break);
                        }
                        Stop::CloseBrace => {
                            self.pos += 1;
                            return Ok(out);
                        }
                        Stop::End => return Err(err("unclosed `{`", open)),
                        stop => return Err(self.stop_error(stop)),
                    }
                }
            }
            "not" => self.negation(span),
            "left" => self.left_right(span),
            "begin" => self.environment(span),
            "limits" | "nolimits" => Err(err(format!("{cmd} must follow an operator"), span)),
            "big" | "Big" | "bigg" | "Bigg" | "bigl" | "Bigl" | "biggl" | "Biggl" | "bigr"
            | "Bigr" | "biggr" | "Biggr" | "bigm" | "Bigm" | "biggm" | "Biggm" => {
                // Typst sizes paired delimiters automatically; keep just the delimiter.
                Ok(self.delimiter(&cmd, span)?.into_iter().collect())
            }
            "hline" | "hdashline" => Err(err(
                format!("{cmd} is only allowed at the start of a row of an `array`"),
                span,
            )),
            "verb" | "href" | "url" | "includegraphics" | "html" | "htmlClass" | "htmlId"
            | "htmlStyle" | "htmlData" | "def" | "newcommand" | "renewcommand" | "gdef" | "let" => {
                Err(err(
                    format!("{cmd} is not supported in Lectern formulas"),
                    span,
                ))
            }
            _ if matrix_delim(name).is_some() => Err(err(
                format!("write `\\begin{{{name}}} … \\end{{{name}}}`"),
                span,
            )),
            _ => Err(err(format!("unsupported LaTeX command `\\{name}`"), span)),
        }
    }

    /// `\genfrac{left}{right}{thickness}{style}{num}{den}`.
    fn genfrac(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let cmd = "`\\genfrac`";
        let mut delims = Vec::new();
        for _ in 0..2 {
            if self.peek() != Some(Tok::Open) {
                delims.push(self.delimiter(cmd, span.clone())?);
                continue;
            }
            let open = self.bump();
            if self.peek() == Some(Tok::Close) {
                self.pos += 1;
                delims.push(None);
                continue;
            }
            let d = self.delimiter(cmd, open)?;
            if self.peek() != Some(Tok::Close) {
                return Err(err(
                    format!("{cmd} takes one delimiter per argument"),
                    self.span(),
                ));
            }
            self.pos += 1;
            delims.push(d);
        }
        let thickness = self.raw_or_char(cmd, &span)?;
        let style = self.raw_or_char(cmd, &span)?;
        let num = self.argument(cmd, span.clone())?;
        let den = self.argument(cmd, span)?;
        let no_line = typst_length(thickness).is_some_and(|l| l.starts_with('0'));
        let body = if no_line {
            format!("vec(delim: #none, {}, {})", arg(&num), arg(&den))
        } else {
            format!("frac({}, {})", arg(&num), arg(&den))
        };
        let mut pieces: Vec<Piece> = Vec::new();
        pieces.extend(delims[0].clone());
        pieces.push(atom(body));
        pieces.extend(delims[1].clone());
        let body = if pieces.len() > 1 {
            format!("lr({})", render(&pieces, true))
        } else {
            render(&pieces, true)
        };
        Ok(vec![atom(match style {
            "0" => format!("display({body})"),
            "1" => format!("inline({body})"),
            "2" => format!("script({body})"),
            "3" => format!("sscript({body})"),
            _ => body,
        })])
    }

    /// A `{…}` argument's raw text, or a single character.
    fn raw_or_char(&mut self, cmd: &str, span: &Range<usize>) -> Result<&'a str> {
        if let Some(Tok::Char(_)) = self.peek() {
            let s = self.bump();
            return Ok(&self.src[s]);
        }
        Ok(self.raw_group(cmd, span.clone())?.0)
    }

    /// The scripts in a `\sideset` argument such as `{_a^b}`: (subscript, superscript).
    fn side_scripts(&mut self, span: &Range<usize>) -> Result<(String, String)> {
        if self.peek() != Some(Tok::Open) {
            return Err(err(
                "`\\sideset` must be followed by `{…}{…}`",
                span.clone(),
            ));
        }
        let open = self.bump();
        let (mut sub, mut sup) = (String::new(), String::new());
        loop {
            match self.peek() {
                Some(Tok::Close) => {
                    self.pos += 1;
                    return Ok((sub, sup));
                }
                Some(tok @ (Tok::Sup | Tok::Sub)) => {
                    let op = self.bump();
                    let body = arg(&self.argument("a script", op)?);
                    if tok == Tok::Sup {
                        sup = body;
                    } else {
                        sub = body;
                    }
                }
                Some(Tok::Char('\'')) => {
                    self.pos += 1;
                    sup.push_str("prime");
                }
                None => return Err(err("unclosed `{`", open)),
                Some(_) => {
                    return Err(err(
                        "`\\sideset` arguments may hold only `_` and `^` scripts",
                        self.span(),
                    ));
                }
            }
        }
    }

    /// `\sideset{_a^b}{_c^d}\sum_i^n` → `attach(limits(sum), b: i, t: n, bl: a, …)`.
    fn sideset(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let (bl, tl) = self.side_scripts(&span)?;
        let (br, tr) = self.side_scripts(&span)?;
        let base = self.argument("`\\sideset`", span)?;
        let mut parts = vec![format!("limits({})", arg(&base))];
        for (key, value) in [("tl", tl), ("bl", bl), ("tr", tr), ("br", br)] {
            if !value.is_empty() {
                parts.push(format!("{key}: {value}"));
            }
        }
        for _ in 0..2 {
            if let Some(tok @ (Tok::Sup | Tok::Sub)) = self.peek() {
                let op = self.bump();
                let body = arg(&self.argument("a script", op)?);
                let key = if tok == Tok::Sup { "t" } else { "b" };
                parts.push(format!("{key}: {body}"));
            }
        }
        Ok(vec![atom(format!("attach({})", parts.join(", ")))])
    }

    /// `\not` followed by a relation.
    fn negation(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let end = self.span().end.max(span.end);
        let typst: Option<String> = match self.peek() {
            Some(Tok::Char('=')) => Some("eq".into()),
            Some(Tok::Char('<')) => Some("lt".into()),
            Some(Tok::Char('>')) => Some("gt".into()),
            Some(Tok::Char(c @ ('|' | '+' | '-' | ':'))) => Some(format!("\\{c}")),
            Some(Tok::Char(c)) if c.is_ascii_alphabetic() => Some(c.to_string()),
            Some(Tok::Cmd(name)) => symbol(name).map(str::to_string),
            _ => None,
        };
        let Some(typst) = typst else {
            return Err(err(
                "unsupported negation with `\\not`: it must be followed by a relation",
                span.start..end,
            ));
        };
        self.pos += 1;
        if let Some(neg) = negated(&typst) {
            return Ok(vec![atom(neg)]);
        }
        if let Some(base) = typst.strip_suffix(".not") {
            // `\not\neq` cancels out.
            return Ok(vec![atom(base)]);
        }
        // No negated glyph: strike the symbol through.
        Ok(vec![atom(format!("class(\"relation\", cancel({typst}))"))])
    }
}
