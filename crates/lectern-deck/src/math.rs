//! LaTeX math (as typed between `$…$` in Markdown) to Typst math markup.
//!
//! The conversion is a small tokenizer followed by a recursive-descent converter. The
//! converter builds a flat list of [`Piece`]s per sequence and renders it with single
//! spaces between pieces, so that neighbouring tokens can never fuse into Typst
//! shorthands (`->`, `<=`, `||`, `[|`, …) or multi-letter identifiers (`task`).
//! Anything it does not understand is reported as a [`MathError`] instead of being
//! passed through, because a silently wrong formula on a slide is worse than an error.

use std::ops::Range;

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
pub fn latex_to_typst(latex: &str) -> Result<String, MathError> {
    let toks = tokenize(latex)?;
    let mut conv = Converter {
        src: latex,
        toks,
        pos: 0,
        depth: 0,
    };
    let pieces = conv.top_level()?;
    Ok(render(&pieces, false))
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
enum Tok<'a> {
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
struct Token<'a> {
    tok: Tok<'a>,
    span: Range<usize>,
}

/// Splits the formula into tokens, dropping whitespace and `%` comments (both are
/// insignificant in LaTeX math). Spans keep the gaps recoverable for `\text{…}`.
fn tokenize(src: &str) -> Result<Vec<Token<'_>>> {
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

// ---------------------------------------------------------------------------------------
// Output pieces
// ---------------------------------------------------------------------------------------

/// One element of a converted sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A self-contained Typst fragment (symbol, letter, number, function call, …).
    Atom(String),
    /// A bare opening delimiter `(`, `[` or `{`, which Typst pairs with the next closing one.
    Open(char),
    /// A bare closing delimiter `)`, `]` or `}`.
    Close(char),
    /// `,` or `;`, which separate arguments inside Typst function calls.
    Punct(char),
    /// Primes and sub/superscripts, glued without a space to the preceding piece.
    Script(String),
    /// A line break (`\\` in LaTeX, `\` in Typst).
    Break,
    /// An alignment point `&`.
    Align,
}

fn atom(s: impl Into<String>) -> Piece {
    Piece::Atom(s.into())
}

/// Renders pieces as Typst, separated by single spaces. `in_args` is set when the result
/// becomes a function argument, where a bare `,`/`;` would start a new argument.
fn render(pieces: &[Piece], in_args: bool) -> String {
    // Typst pairs any opening delimiter with the next closing one, and inside a function
    // call an unpaired one would swallow or end the argument list: escape those.
    let mut paired = vec![false; pieces.len()];
    let mut open = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Open(_) => open.push(i),
            Piece::Close(_) => {
                if let Some(j) = open.pop() {
                    paired[i] = true;
                    paired[j] = true;
                }
            }
            _ => {}
        }
    }
    // A trailing line break would be a `\` right before whatever follows the output
    // (such as the closing `$`) and escape it.
    let end = pieces
        .iter()
        .rposition(|p| *p != Piece::Break)
        .map_or(0, |i| i + 1);
    let mut out = String::new();
    let mut prev: Option<&Piece> = None;
    for (i, piece) in pieces[..end].iter().enumerate() {
        // Spaces keep neighbours from fusing (`<` `=` → `<=`); they are dropped only
        // inside delimiters, where the sole risk is the `[|`/`|]` shorthands, and never
        // after a line break, whose `\` would escape the next character.
        let glue = match (prev, piece) {
            (None, _) | (_, Piece::Script(_)) => true,
            (Some(Piece::Break), _) => false,
            (Some(Piece::Open(_)), next) => !matches!(next, Piece::Atom(s) if s.starts_with('|')),
            (Some(_), Piece::Close(_)) => !out.ends_with('|'),
            _ => false,
        };
        if !glue {
            out.push(' ');
        }
        prev = Some(piece);
        match piece {
            Piece::Atom(s) | Piece::Script(s) => out.push_str(s),
            Piece::Open(c) | Piece::Close(c) => {
                if !paired[i] {
                    out.push('\\');
                }
                out.push(*c);
            }
            Piece::Punct(c) => {
                if in_args {
                    out.push('\\');
                }
                out.push(*c);
            }
            Piece::Break => out.push('\\'),
            Piece::Align => out.push('&'),
        }
    }
    out
}

/// Renders a function argument; an empty one becomes `""` because e.g. `sqrt()` lacks
/// its required argument in Typst.
fn arg(pieces: &[Piece]) -> String {
    if pieces.is_empty() {
        "\"\"".into()
    } else {
        render(pieces, true)
    }
}

/// Renders the body of `^`/`_`: bare for a single letter or digit, parenthesized
/// otherwise (Typst strips the parentheses).
fn script_body(pieces: &[Piece]) -> String {
    match pieces {
        [Piece::Atom(s)] if s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            s.clone()
        }
        _ => format!("({})", render(pieces, false)),
    }
}

/// Quotes text as a Typst string literal.
fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Command tables
// ---------------------------------------------------------------------------------------

/// Commands that stand for a single Typst symbol or built-in operator.
fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        // Lowercase Greek. LaTeX's `\epsilon`/`\phi` are the lunate/straight forms, which
        // Typst calls `.alt`; the `\var…` forms are Typst's defaults.
        "alpha" => "alpha",
        "beta" => "beta",
        "gamma" => "gamma",
        "delta" => "delta",
        "epsilon" => "epsilon.alt",
        "varepsilon" => "epsilon",
        "zeta" => "zeta",
        "eta" => "eta",
        "theta" => "theta",
        "vartheta" => "theta.alt",
        "iota" => "iota",
        "kappa" => "kappa",
        "varkappa" => "kappa.alt",
        "lambda" => "lambda",
        "mu" => "mu",
        "nu" => "nu",
        "xi" => "xi",
        "pi" => "pi",
        "varpi" => "pi.alt",
        "rho" => "rho",
        "varrho" => "rho.alt",
        "sigma" => "sigma",
        "varsigma" => "sigma.alt",
        "tau" => "tau",
        "upsilon" => "upsilon",
        "phi" => "phi.alt",
        "varphi" => "phi",
        "chi" => "chi",
        "psi" => "psi",
        "omega" => "omega",
        // Uppercase Greek.
        "Gamma" => "Gamma",
        "Delta" => "Delta",
        "Theta" => "Theta",
        "Lambda" => "Lambda",
        "Xi" => "Xi",
        "Pi" => "Pi",
        "Sigma" => "Sigma",
        "Upsilon" => "Upsilon",
        "Phi" => "Phi",
        "Psi" => "Psi",
        "Omega" => "Omega",
        // Binary operators.
        "cdot" => "dot.op",
        "times" => "times",
        "div" => "div",
        "pm" => "plus.minus",
        "mp" => "minus.plus",
        "ast" => "ast.op",
        "star" => "star.op",
        "circ" => "compose",
        "bullet" => "bullet.op",
        "oplus" => "plus.o",
        "ominus" => "minus.o",
        "otimes" => "times.o",
        "odot" => "dot.o",
        "cup" => "union",
        "cap" => "inter",
        "sqcup" => "union.sq",
        "sqcap" => "inter.sq",
        "uplus" => "union.plus",
        "setminus" => "without",
        "wedge" | "land" => "and",
        "vee" | "lor" => "or",
        "dagger" => "dagger",
        "ddagger" => "dagger.double",
        // Relations.
        "le" | "leq" => "lt.eq",
        "ge" | "geq" => "gt.eq",
        "leqslant" => "lt.eq.slant",
        "geqslant" => "gt.eq.slant",
        "nleq" => "lt.eq.not",
        "ngeq" => "gt.eq.not",
        "ne" | "neq" => "eq.not",
        "approx" => "approx",
        "approxeq" => "approx.eq",
        "sim" => "tilde.op",
        "simeq" => "tilde.eq",
        "cong" => "tilde.equiv",
        "equiv" => "equiv",
        "propto" => "prop",
        "ll" => "lt.double",
        "gg" => "gt.double",
        "prec" => "prec",
        "succ" => "succ",
        "preceq" => "prec.eq",
        "succeq" => "succ.eq",
        "in" => "in",
        "notin" => "in.not",
        "ni" => "in.rev",
        "subset" => "subset",
        "supset" => "supset",
        "subseteq" => "subset.eq",
        "supseteq" => "supset.eq",
        "subsetneq" => "subset.neq",
        "supsetneq" => "supset.neq",
        "nsubseteq" => "subset.eq.not",
        "mid" => "divides",
        "nmid" => "divides.not",
        "parallel" => "parallel",
        "nparallel" => "parallel.not",
        "perp" => "perp",
        "models" => "tack.rr",
        "vdash" => "tack.r",
        "dashv" => "tack.l",
        "asymp" => "asymp",
        "doteq" => "eq.dot",
        "triangleq" => "eq.delta",
        "coloneqq" => "colon.eq",
        // Arrows.
        "to" | "rightarrow" => "arrow.r",
        "gets" | "leftarrow" => "arrow.l",
        "leftrightarrow" => "arrow.l.r",
        "Rightarrow" => "arrow.r.double",
        "Leftarrow" => "arrow.l.double",
        "Leftrightarrow" => "arrow.l.r.double",
        "longrightarrow" => "arrow.r.long",
        "longleftarrow" => "arrow.l.long",
        "longleftrightarrow" => "arrow.l.r.long",
        "Longrightarrow" | "implies" => "arrow.r.double.long",
        "Longleftarrow" | "impliedby" => "arrow.l.double.long",
        "Longleftrightarrow" | "iff" => "arrow.l.r.double.long",
        "mapsto" => "arrow.r.bar",
        "longmapsto" => "arrow.r.long.bar",
        "hookrightarrow" => "arrow.r.hook",
        "hookleftarrow" => "arrow.l.hook",
        "uparrow" => "arrow.t",
        "downarrow" => "arrow.b",
        "Uparrow" => "arrow.t.double",
        "Downarrow" => "arrow.b.double",
        "rightharpoonup" => "harpoon.rt",
        // Miscellaneous symbols.
        "infty" => "infinity",
        "partial" => "partial",
        "nabla" => "nabla",
        "forall" => "forall",
        "exists" => "exists",
        "nexists" => "exists.not",
        "neg" | "lnot" => "not",
        "emptyset" => "emptyset",
        "varnothing" => "nothing",
        "ldots" | "dots" | "dotsc" | "dotso" => "dots.h",
        "cdots" | "dotsb" | "dotsm" => "dots.h.c",
        "vdots" => "dots.v",
        "ddots" => "dots.down",
        "ell" => "ell",
        "hbar" => "planck",
        "aleph" => "aleph",
        "Re" => "Re",
        "Im" => "Im",
        "imath" => "dotless.i",
        "jmath" => "dotless.j",
        "angle" => "angle",
        "triangle" => "triangle.stroked.t",
        "top" => "top",
        "bot" => "bot",
        "prime" => "prime",
        "backslash" => "backslash",
        "langle" => "chevron.l",
        "rangle" => "chevron.r",
        "lfloor" => "floor.l",
        "rfloor" => "floor.r",
        "lceil" => "ceil.l",
        "rceil" => "ceil.r",
        "vert" | "lvert" | "rvert" => "|",
        "Vert" | "lVert" | "rVert" | "|" => "bar.v.double",
        "therefore" => "therefore",
        "because" => "because",
        "square" | "Box" => "square.stroked",
        "blacksquare" => "square.filled",
        "degree" => "degree",
        "colon" => "colon",
        // Big operators (Typst places their limits like LaTeX does).
        "sum" => "sum",
        "prod" => "product",
        "coprod" => "product.co",
        "int" => "integral",
        "iint" => "integral.double",
        "iiint" => "integral.triple",
        "oint" => "integral.cont",
        "bigcup" => "union.big",
        "bigcap" => "inter.big",
        "bigsqcup" => "union.sq.big",
        "bigvee" => "or.big",
        "bigwedge" => "and.big",
        "bigoplus" => "plus.o.big",
        "bigotimes" => "times.o.big",
        "bigodot" => "dot.o.big",
        // Operator names predefined in Typst math.
        "arccos" | "arcsin" | "arctan" | "arg" | "cos" | "cosh" | "cot" | "coth" | "csc"
        | "deg" | "det" | "dim" | "exp" | "gcd" | "hom" | "inf" | "ker" | "lg" | "lim"
        | "liminf" | "limsup" | "ln" | "log" | "max" | "min" | "sec" | "sin" | "sinh" | "sup"
        | "tan" | "tanh" => return typst_operator(name),
        "Pr" => "op(\"Pr\", limits: #true)",
        "bmod" | "mod" => "mod",
        // Spacing. LaTeX's `\;` is a thick (5/18 em) space, like Typst's `thick`.
        "," | "thinspace" => "thin",
        ":" | ">" | "medspace" => "med",
        ";" | " " | "thickspace" => "thick",
        "quad" => "quad",
        "qquad" => "wide",
        "enspace" => "#h(0.5em)",
        "!" | "negthinspace" => "#h(-1em/6)",
        // Escaped characters.
        "%" => "%",
        "&" => "\\&",
        "#" => "\\#",
        "$" => "\\$",
        "_" => "\\_",
        _ => return None,
    })
}

/// Returns the Typst name of a predefined operator; it equals the LaTeX name.
fn typst_operator(name: &str) -> Option<&'static str> {
    const OPS: &[&str] = &[
        "arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det",
        "dim", "exp", "gcd", "hom", "inf", "ker", "lg", "lim", "liminf", "limsup", "ln", "log",
        "max", "min", "sec", "sin", "sinh", "sup", "tan", "tanh",
    ];
    OPS.iter().copied().find(|op| *op == name)
}

/// Commands that wrap their single argument in a Typst function call.
fn wrapper(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "hat" | "widehat" => ("hat(", ")"),
        "tilde" | "widetilde" => ("tilde(", ")"),
        "bar" => ("macron(", ")"),
        "overline" => ("overline(", ")"),
        "underline" => ("underline(", ")"),
        "vec" | "overrightarrow" => ("arrow(", ")"),
        "overleftarrow" => ("arrow.l(", ")"),
        "dot" => ("dot(", ")"),
        "ddot" => ("dot.double(", ")"),
        "dddot" => ("dot.triple(", ")"),
        "check" => ("caron(", ")"),
        "breve" => ("breve(", ")"),
        "acute" => ("acute(", ")"),
        "grave" => ("grave(", ")"),
        "cancel" => ("cancel(", ")"),
        "sqrt" => ("sqrt(", ")"),
        // LaTeX's bold and sans-serif alphabets are upright; Typst's keep letters italic.
        "mathbf" => ("upright(bold(", "))"),
        "boldsymbol" | "bm" => ("bold(", ")"),
        "mathit" => ("italic(", ")"),
        "mathrm" => ("upright(", ")"),
        "mathsf" => ("upright(sans(", "))"),
        "mathtt" => ("mono(", ")"),
        "mathbb" => ("bb(", ")"),
        "mathcal" => ("cal(", ")"),
        "mathscr" => ("scr(", ")"),
        "mathfrak" => ("frak(", ")"),
        _ => return None,
    })
}

/// Typst `mat` delimiter for a LaTeX matrix environment.
fn matrix_delim(env: &str) -> Option<&'static str> {
    Some(match env {
        "matrix" | "smallmatrix" | "array" => "#none",
        "pmatrix" => "\"(\"",
        "bmatrix" => "\"[\"",
        "Bmatrix" => "\"{\"",
        "vmatrix" => "\"|\"",
        "Vmatrix" => "bar.v.double",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Converter
// ---------------------------------------------------------------------------------------

/// Why a sequence ended (the token is left unconsumed for the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    End,
    CloseBrace,
    Align,
    Break,
    Right,
    Middle,
    EndEnv,
    /// `]` ending an optional argument such as `\sqrt[n]`.
    CloseBracket,
}

struct Converter<'a> {
    src: &'a str,
    toks: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
}

impl<'a> Converter<'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|t| t.tok)
    }

    /// Span of the current token, or an empty span at the end of the input.
    fn span(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.src.len()..self.src.len(), |t| t.span.clone())
    }

    fn bump(&mut self) -> Range<usize> {
        let span = self.span();
        self.pos += 1;
        span
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err("formula is nested too deeply", self.span()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn stop_at(&self, bracket: bool) -> Option<Stop> {
        Some(match self.peek() {
            None => Stop::End,
            Some(Tok::Close) => Stop::CloseBrace,
            Some(Tok::Align) => Stop::Align,
            Some(Tok::Cmd("\\")) => Stop::Break,
            Some(Tok::Cmd("right")) => Stop::Right,
            Some(Tok::Cmd("middle")) => Stop::Middle,
            Some(Tok::Cmd("end")) => Stop::EndEnv,
            Some(Tok::Char(']')) if bracket => Stop::CloseBracket,
            _ => return None,
        })
    }

    /// The error for a sequence that ended on a token its context does not allow.
    fn stop_error(&self, stop: Stop) -> MathError {
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
        };
        err(message, self.span())
    }

    /// The whole formula: a sequence where line breaks are allowed.
    fn top_level(&mut self) -> Result<Vec<Piece>> {
        let mut out = Vec::new();
        loop {
            let (pieces, stop) = self.sequence(false)?;
            out.extend(pieces);
            match stop {
                Stop::End => return Ok(out),
                Stop::Break => {
                    self.pos += 1;
                    self.skip_bracket_arg();
                    out.push(Piece::Break);
                }
                stop => return Err(self.stop_error(stop)),
            }
        }
    }

    /// Converts items until a stop token (left unconsumed).
    fn sequence(&mut self, bracket: bool) -> Result<(Vec<Piece>, Stop)> {
        self.enter()?;
        let mut out = Vec::new();
        let stop = loop {
            if let Some(stop) = self.stop_at(bracket) {
                break stop;
            }
            // Style switches apply to the rest of the group, so they wrap it.
            if let Some(Tok::Cmd(
                name @ ("displaystyle" | "textstyle" | "scriptstyle" | "scriptscriptstyle"),
            )) = self.peek()
            {
                self.pos += 1;
                let (rest, stop) = self.sequence(bracket)?;
                let func = match name {
                    "displaystyle" => "display",
                    "textstyle" => "inline",
                    "scriptstyle" => "script",
                    _ => "sscript",
                };
                if rest
                    .iter()
                    .any(|p| matches!(p, Piece::Break | Piece::Align))
                {
                    // Wrapping would hide the alignment points; the style is cosmetic.
                    out.extend(rest);
                } else if !rest.is_empty() {
                    out.push(Piece::Atom(format!("{func}({})", render(&rest, true))));
                }
                break stop;
            }
            self.item(&mut out)?;
        };
        self.leave();
        Ok((out, stop))
    }

    /// One atom with its primes, sub/superscripts and `\limits`.
    fn item(&mut self, out: &mut Vec<Piece>) -> Result<()> {
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
    fn argument(&mut self, what: &str, what_span: Range<usize>) -> Result<Vec<Piece>> {
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
    fn group(&mut self) -> Result<Vec<Piece>> {
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
    fn atom(&mut self) -> Result<Vec<Piece>> {
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

    fn command(&mut self, name: &'a str) -> Result<Vec<Piece>> {
        let span = self.bump();
        let cmd = format!("`\\{name}`");
        let one = |p: Piece| Ok(vec![p]);
        if let Some(sym) = symbol(name) {
            return one(atom(sym));
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
        match name {
            "{" | "lbrace" => one(Piece::Open('{')),
            "}" | "rbrace" => one(Piece::Close('}')),
            "lbrack" => one(Piece::Open('[')),
            "rbrack" => one(Piece::Close(']')),
            "frac" | "dfrac" | "tfrac" | "cfrac" | "binom" | "dbinom" | "tbinom" => {
                let a = self.argument(&cmd, span.clone())?;
                let b = self.argument(&cmd, span)?;
                let func = if name.ends_with("binom") {
                    "binom"
                } else {
                    "frac"
                };
                one(atom(format!("{func}({}, {})", arg(&a), arg(&b))))
            }
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
            "overbrace" | "underbrace" => {
                let body = self.argument(&cmd, span.clone())?;
                // The annotation is written as a script right after the argument.
                let script = if name == "overbrace" {
                    Tok::Sup
                } else {
                    Tok::Sub
                };
                if self.peek() == Some(script) {
                    let op_span = self.bump();
                    let note =
                        self.argument(&format!("`{}`", &self.src[op_span.clone()]), op_span)?;
                    one(atom(format!("{name}({}, {})", arg(&body), arg(&note))))
                } else {
                    one(atom(format!("{name}({})", arg(&body))))
                }
            }
            "xrightarrow" | "xleftarrow" => {
                let below = if self.peek() == Some(Tok::Char('[')) {
                    self.bracket_arg()?
                } else {
                    Vec::new()
                };
                let above = self.argument(&cmd, span)?;
                let arrow = if name == "xrightarrow" {
                    "arrow.r"
                } else {
                    "arrow.l"
                };
                let mut out = format!("stretch({arrow})");
                if !below.is_empty() {
                    out.push('_');
                    out.push_str(&script_body(&below));
                }
                if !above.is_empty() {
                    out.push('^');
                    out.push_str(&script_body(&above));
                }
                one(atom(out))
            }
            "pmod" => {
                let body = self.argument(&cmd, span)?;
                one(atom(format!("quad (mod {})", render(&body, false))))
            }
            "text" | "textrm" | "textnormal" | "textup" | "mbox" => {
                one(atom(typst_string(&self.text_argument(&cmd, span)?)))
            }
            "textbf" => one(atom(format!(
                "bold({})",
                typst_string(&self.text_argument(&cmd, span)?)
            ))),
            "textit" | "emph" => one(atom(format!(
                "italic({})",
                typst_string(&self.text_argument(&cmd, span)?)
            ))),
            "operatorname" => {
                let limits = if self.peek() == Some(Tok::Char('*')) {
                    self.pos += 1;
                    ", limits: #true"
                } else {
                    ""
                };
                let text = self.text_argument(&cmd, span.clone())?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(err("`\\operatorname` needs a name", span));
                }
                one(atom(format!("op({}{limits})", typst_string(text))))
            }
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
                            self.pos += 1;
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
            // Only reachable as a macro argument (`x^\displaystyle`); the style is cosmetic.
            "displaystyle" | "textstyle" | "scriptstyle" | "scriptscriptstyle" => Ok(Vec::new()),
            "limits" | "nolimits" => Err(err(format!("{cmd} must follow an operator"), span)),
            "big" | "Big" | "bigg" | "Bigg" | "bigl" | "Bigl" | "biggl" | "Biggl" | "bigr"
            | "Bigr" | "biggr" | "Biggr" | "bigm" | "Bigm" => {
                // Typst sizes paired delimiters automatically; keep just the delimiter.
                Ok(self.delimiter(&cmd, span)?.into_iter().collect())
            }
            _ => Err(err(format!("unsupported LaTeX command `\\{name}`"), span)),
        }
    }

    /// `\not` followed by a relation.
    fn negation(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let negated = match self.peek() {
            Some(Tok::Char('=')) => "eq.not",
            Some(Tok::Char('<')) => "lt.not",
            Some(Tok::Char('>')) => "gt.not",
            Some(Tok::Cmd(name)) => match name {
                "in" => "in.not",
                "ni" => "in.rev.not",
                "equiv" => "equiv.not",
                "sim" => "tilde.not",
                "simeq" => "tilde.eq.not",
                "approx" => "approx.not",
                "cong" => "tilde.equiv.not",
                "subset" => "subset.not",
                "supset" => "supset.not",
                "subseteq" => "subset.eq.not",
                "supseteq" => "supset.eq.not",
                "le" | "leq" => "lt.eq.not",
                "ge" | "geq" => "gt.eq.not",
                "mid" => "divides.not",
                "parallel" => "parallel.not",
                "exists" => "exists.not",
                _ => "",
            },
            _ => "",
        };
        let end = self.span().end;
        if negated.is_empty() {
            return Err(err(
                "unsupported negation with `\\not`",
                span.start..end.max(span.end),
            ));
        }
        self.pos += 1;
        Ok(vec![atom(negated)])
    }

    /// A delimiter after `\left`, `\right`, `\middle` or `\big`; `None` for `.`.
    fn delimiter(&mut self, cmd: &str, cmd_span: Range<usize>) -> Result<Option<Piece>> {
        let piece = match self.peek() {
            Some(Tok::Char('.')) => None,
            Some(Tok::Char(c @ ('(' | '['))) => Some(Piece::Open(c)),
            Some(Tok::Char(c @ (')' | ']'))) => Some(Piece::Close(c)),
            Some(Tok::Char('|')) => Some(atom("|")),
            Some(Tok::Char('<')) => Some(atom("chevron.l")),
            Some(Tok::Char('>')) => Some(atom("chevron.r")),
            Some(Tok::Cmd("{" | "lbrace")) => Some(Piece::Open('{')),
            Some(Tok::Cmd("}" | "rbrace")) => Some(Piece::Close('}')),
            Some(Tok::Cmd(
                name @ ("langle" | "rangle" | "lfloor" | "rfloor" | "lceil" | "rceil" | "vert"
                | "lvert" | "rvert" | "Vert" | "lVert" | "rVert" | "|" | "uparrow"
                | "downarrow"),
            )) => symbol(name).map(atom),
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
    fn left_right(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
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

    /// Skips an optional `[…]` (such as the spacing after `\\`).
    fn skip_bracket_arg(&mut self) {
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
    fn bracket_arg(&mut self) -> Result<Vec<Piece>> {
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

    /// The argument of `\text` and friends as plain text: LaTeX text mode keeps spaces
    /// (collapsed to one) and knows only a few escapes.
    fn text_argument(&mut self, cmd: &str, cmd_span: Range<usize>) -> Result<String> {
        match self.peek() {
            Some(Tok::Open) => {}
            Some(Tok::Char(c)) => {
                self.pos += 1;
                return Ok(c.to_string());
            }
            _ => return Err(err(format!("{cmd} must be followed by `{{…}}`"), cmd_span)),
        }
        let open = self.bump();
        let mut text = String::new();
        let mut depth = 0usize;
        let mut prev_end = open.end;
        loop {
            let Some(Token { tok, span }) = self.toks.get(self.pos).cloned() else {
                return Err(err("unclosed `{`", open));
            };
            if self.src[prev_end..span.start]
                .chars()
                .any(char::is_whitespace)
            {
                text.push(' ');
            }
            prev_end = span.end;
            self.pos += 1;
            match tok {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => return Ok(text),
                Tok::Close => depth -= 1,
                Tok::Tilde => text.push('\u{a0}'),
                Tok::Char('$') => {
                    return Err(err(format!("math inside {cmd} is not supported"), span));
                }
                Tok::Char(c) => text.push(c),
                Tok::Cmd(" " | "," | ";" | ":" | ">") => text.push(' '),
                Tok::Cmd(c @ ("%" | "&" | "#" | "$" | "_" | "{" | "}")) => text.push_str(c),
                Tok::Cmd("textbackslash") => text.push('\\'),
                Tok::Cmd("ldots" | "dots") => text.push('…'),
                Tok::Cmd("quad") => text.push('\u{2003}'),
                Tok::Cmd(name) => {
                    return Err(err(
                        format!("unsupported command `\\{name}` inside {cmd}"),
                        span,
                    ));
                }
                Tok::Sup | Tok::Sub | Tok::Align => {
                    return Err(err(
                        format!("`{}` inside {cmd} must be escaped", &self.src[span.clone()]),
                        span,
                    ));
                }
            }
        }
    }

    /// The `{name}` after `\begin` or `\end`.
    fn env_name(&mut self, cmd_span: Range<usize>) -> Result<(&'a str, Range<usize>)> {
        let src = self.src;
        let close = self.toks[self.pos..]
            .iter()
            .position(|t| t.tok == Tok::Close);
        match (self.peek(), close) {
            (Some(Tok::Open), Some(len)) => {
                let open = self.span();
                let close_span = self.toks[self.pos + len].span.clone();
                self.pos += len + 1;
                let name = src[open.end..close_span.start].trim();
                let full = cmd_span.start..close_span.end;
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '*') {
                    return Err(err("malformed environment name", full));
                }
                Ok((name, full))
            }
            _ => Err(err(
                "expected `{name}` after `\\begin` or `\\end`",
                cmd_span,
            )),
        }
    }

    /// `\begin{env} … \end{env}` for matrices, `cases` and alignment environments.
    fn environment(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let (name, begin) = self.env_name(span)?;
        let delim = matrix_delim(name);
        let is_cases = matches!(name, "cases" | "dcases" | "rcases");
        let is_aligned = matches!(
            name,
            "aligned" | "align" | "align*" | "gathered" | "gather" | "gather*" | "split"
        );
        if delim.is_none() && !is_cases && !is_aligned {
            return Err(err(
                format!("unsupported LaTeX environment `{name}`"),
                begin,
            ));
        }
        if name == "array" {
            // The column specification; vertical rules have no Typst `mat` equivalent.
            let spec = self.text_argument("`\\begin{array}`", begin.clone())?;
            if !spec.chars().all(|c| matches!(c, 'l' | 'c' | 'r' | ' ')) {
                return Err(err(
                    "only `l`, `c` and `r` columns are supported in `array`",
                    begin,
                ));
            }
        }
        self.enter()?;
        let rows = self.env_rows(name, &begin)?;
        self.leave();

        let cells = |row: &[Vec<Piece>], sep: &str| {
            row.iter()
                .map(|c| render(c, true))
                .collect::<Vec<_>>()
                .join(sep)
        };
        if let Some(delim) = delim {
            let rows: Vec<String> = rows.iter().map(|r| cells(r, ", ")).collect();
            return Ok(vec![atom(format!(
                "mat(delim: {delim}, {})",
                rows.join("; ")
            ))]);
        }
        if is_cases {
            let reverse = if name == "rcases" {
                "reverse: #true, "
            } else {
                ""
            };
            let rows: Vec<String> = rows.iter().map(|r| cells(r, " & ")).collect();
            return Ok(vec![atom(format!("cases({reverse}{})", rows.join(", ")))]);
        }
        // Alignment environments map onto Typst's native `&` and `\`.
        let mut out = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            if i > 0 {
                out.push(Piece::Break);
            }
            for (j, cell) in row.into_iter().enumerate() {
                if j > 0 {
                    out.push(Piece::Align);
                }
                out.extend(cell);
            }
        }
        Ok(out)
    }

    /// The rows and cells of an environment body, up to and including `\end{name}`.
    fn env_rows(&mut self, name: &str, begin: &Range<usize>) -> Result<Vec<Vec<Vec<Piece>>>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        loop {
            let (cell, stop) = self.sequence(false)?;
            row.push(cell);
            match stop {
                Stop::Align => self.pos += 1,
                Stop::Break => {
                    self.pos += 1;
                    self.skip_bracket_arg();
                    rows.push(std::mem::take(&mut row));
                }
                Stop::EndEnv => {
                    let end = self.bump();
                    let (end_name, end_span) = self.env_name(end)?;
                    if end_name != name {
                        return Err(err(
                            format!("`\\begin{{{name}}}` is closed by `\\end{{{end_name}}}`"),
                            end_span,
                        ));
                    }
                    // A `\\` right before `\end` does not start another row.
                    if rows.is_empty() || row.iter().any(|cell| !cell.is_empty()) {
                        rows.push(row);
                    }
                    return Ok(rows);
                }
                Stop::End => {
                    return Err(err(
                        format!("`\\begin{{{name}}}` without `\\end{{{name}}}`"),
                        begin.clone(),
                    ));
                }
                stop => return Err(self.stop_error(stop)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (LaTeX, expected Typst)
    const CONVERSIONS: &[(&str, &str)] = &[
        ("P(task)", "P (t a s k)"),
        ("P(task | examples)", "P (t a s k | e x a m p l e s)"),
        ("x", "x"),
        ("3.14 r^2", "3.14 r^2"),
        ("1.5x", "1.5 x"),
        ("x^23", "x^2 3"),
        ("x^{23}", "x^(23)"),
        ("x_{i,j}^{2}", "x_(i , j)^2"),
        ("a_1'", "a'_1"),
        ("f'(x)", "f' (x)"),
        ("e^{-x^2}", "e^(- x^2)"),
        ("{}^{14}C", "\"\"^(14) C"),
        ("{a+b}^2", "attach(a + b)^2"),
        ("(a+b)^2", "(a + b)^2"),
        ("\\frac{a}{b}", "frac(a, b)"),
        ("\\frac12", "frac(1, 2)"),
        ("\\frac{f(a, b)}{2}", "frac(f (a \\, b), 2)"),
        ("\\frac{[0, 1)}{2}", "frac([0 \\, 1), 2)"),
        ("\\frac{a)}{b}", "frac(a\\), b)"),
        ("\\sqrt{x}", "sqrt(x)"),
        ("\\sqrt[3]{x+1}", "root(3, x + 1)"),
        (
            "\\alpha + \\Gamma + \\varepsilon + \\epsilon",
            "alpha + Gamma + epsilon + epsilon.alt",
        ),
        ("\\phi \\varphi", "phi.alt phi"),
        ("a \\cdot b \\times c \\div d", "a dot.op b times c div d"),
        ("\\pm \\mp", "plus.minus minus.plus"),
        (
            "a \\le b \\leq c \\ge d \\geq e \\ne f \\neq g",
            "a lt.eq b lt.eq c gt.eq d gt.eq e eq.not f eq.not g",
        ),
        ("a<=b", "a < = b"),
        ("a->b", "a - > b"),
        ("a||b", "a | | b"),
        ("[|x|]", "[ | x | ]"),
        ("x := y", "x : = y"),
        ("a...b", "a . . . b"),
        ("n!=m", "n ! = m"),
        ("a/b", "a \\/ b"),
        (
            "\\approx \\sim \\equiv \\propto",
            "approx tilde.op equiv prop",
        ),
        (
            "\\to \\rightarrow \\leftarrow \\Rightarrow \\Leftarrow \\iff",
            "arrow.r arrow.r arrow.l arrow.r.double arrow.l.double arrow.l.r.double.long",
        ),
        ("\\infty \\partial \\nabla", "infinity partial nabla"),
        (
            "x \\in A \\notin B \\subset C \\subseteq D",
            "x in A in.not B subset C subset.eq D",
        ),
        ("A \\cup B \\cap C", "A union B inter C"),
        ("\\forall x \\exists y", "forall x exists y"),
        (
            "1, \\ldots, n \\cdots \\dots",
            "1 , dots.h , n dots.h.c dots.h",
        ),
        ("\\sum_{i=1}^{n} i", "sum_(i = 1)^n i"),
        ("\\prod_i x_i", "product_i x_i"),
        (
            "\\int_0^\\infty f(x)\\,dx",
            "integral_0^(infinity) f (x) thin d x",
        ),
        (
            "\\lim_{x \\to 0} \\frac{\\sin x}{x}",
            "lim_(x arrow.r 0) frac(sin x, x)",
        ),
        ("\\sum\\limits_{k} a_k", "limits(sum)_k a_k"),
        (
            "\\log \\ln \\exp \\sin \\cos \\tan \\max \\min \\arg \\det",
            "log ln exp sin cos tan max min arg det",
        ),
        ("\\operatorname{softmax}(z)", "op(\"softmax\") (z)"),
        (
            "\\operatorname*{arg\\,max}_\\theta",
            "op(\"arg max\", limits: #true)_(theta)",
        ),
        ("\\text{if } x > 0", "\"if \" x > 0"),
        (
            "\\text{say \"hi\" \\& a\\textbackslash{}b}",
            "\"say \\\"hi\\\" & a\\\\b\"",
        ),
        ("\\mathrm{d}x", "upright(d) x"),
        (
            "\\mathbf{x} \\boldsymbol{\\mu}",
            "upright(bold(x)) bold(mu)",
        ),
        (
            "\\mathit{ab} \\mathbb{R}^n \\mathcal{L}",
            "italic(a b) bb(R)^n cal(L)",
        ),
        ("\\left( \\frac{a}{b} \\right)", "lr((frac(a, b)))"),
        ("\\left[ 0, 1 \\right)", "lr([0 \\, 1))"),
        ("\\left\\{ x \\right\\}", "lr({x})"),
        ("\\left| x \\right|", "lr(| x |)"),
        (
            "\\left. \\frac{df}{dx} \\right|_{x=0}",
            "lr(frac(d f, d x) |)_(x = 0)",
        ),
        ("\\left( x \\right.", "lr(\\(x)"),
        (
            "\\left\\langle u, v \\right\\rangle",
            "lr(chevron.l u \\, v chevron.r)",
        ),
        ("\\left( a \\middle| b \\right)", "lr((a mid(|) b))"),
        ("\\{ x \\}", "{x}"),
        ("\\{ x", "\\{x"),
        (
            "a\\,b\\;c\\quad d\\qquad e",
            "a thin b thick c quad d wide e",
        ),
        (
            "\\hat{x} \\bar{y} \\vec{v} \\tilde{z} \\dot{q} \\ddot{q}",
            "hat(x) macron(y) arrow(v) tilde(z) dot(q) dot.double(q)",
        ),
        ("50\\%", "50 %"),
        ("a \\\\ b", "a \\ b"),
        ("a \\\\", "a"),
        ("\\#\\$\\_\\&", "\\# \\$ \\_ \\&"),
        ("\"@", "\\\" \\@"),
        ("a % comment\n + b", "a + b"),
        (
            "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
            "mat(delim: \"(\", a, b; c, d)",
        ),
        (
            "\\begin{bmatrix} 1 & f(x, y) \\\\ \\end{bmatrix}",
            "mat(delim: \"[\", 1, f (x \\, y))",
        ),
        ("\\begin{matrix} a \\end{matrix}", "mat(delim: #none, a)"),
        (
            "|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}",
            "| x | = cases(x & \"if \" x gt.eq 0, - x & \"otherwise\")",
        ),
        (
            "\\begin{aligned} a &= b \\\\ &= c \\end{aligned}",
            "a & = b \\ & = c",
        ),
        ("\\binom{n}{k}", "binom(n, k)"),
        ("\\displaystyle \\sum_i x_i", "display(sum_i x_i)"),
        ("\\overbrace{a+b}^{n}", "overbrace(a + b, n)"),
        ("\\underbrace{a+b}_{n}", "underbrace(a + b, n)"),
        ("\\overset{!}{=}", "limits(=)^(!)"),
        ("a \\not= b \\not\\in C", "a eq.not b in.not C"),
        ("\\mathbb{E}_{x \\sim p}[x]", "bb(E)_(x tilde.op p) [x]"),
        ("a \\bmod b \\pmod{n}", "a mod b quad (mod n)"),
        ("\\sum_{\\substack{i \\\\ j}} x", "sum_(i \\ j) x"),
        ("\\xrightarrow{f}", "stretch(arrow.r)^f"),
        ("\\big( x \\big)", "(x)"),
        ("\\Pr(A \\mid B)", "op(\"Pr\", limits: #true) (A divides B)"),
        ("α + β", "α + β"),
        ("a ≤ b", "a \\≤ b"),
        ("\\frac{}{}", "frac(\"\", \"\")"),
        ("x^{}", "x"),
        ("a~b", "a thick b"),
        ("\\|x\\|", "bar.v.double x bar.v.double"),
        ("\\|x\\|_2^2", "bar.v.double x bar.v.double_2^2"),
    ];

    /// (LaTeX, expected message substring, expected byte range)
    const ERRORS: &[(&str, &str, Range<usize>)] = &[
        ("\\foo", "unsupported LaTeX command `\\foo`", 0..4),
        ("a + \\foo{x}", "unsupported LaTeX command `\\foo`", 4..8),
        ("{a", "unclosed `{`", 0..1),
        ("a}", "unmatched `}`", 1..2),
        ("x^", "`^` is missing its argument", 1..2),
        ("x_", "`_` is missing its argument", 1..2),
        ("x^}", "`^` is missing its argument", 1..2),
        ("x^a^b", "double superscript", 3..4),
        ("\\frac{a}", "`\\frac` is missing its argument", 0..5),
        (
            "\\begin{tabular}{cc} a \\end{tabular}",
            "unsupported LaTeX environment `tabular`",
            0..15,
        ),
        (
            "\\begin{pmatrix} a",
            "`\\begin{pmatrix}` without `\\end{pmatrix}`",
            0..15,
        ),
        (
            "\\begin{pmatrix} a \\end{bmatrix}",
            "closed by `\\end{bmatrix}`",
            18..31,
        ),
        ("\\left( x", "`\\left` without a matching `\\right`", 0..5),
        ("x \\right)", "`\\right` without a matching `\\left`", 2..8),
        ("\\left x \\right)", "must be followed by a delimiter", 0..5),
        ("a & b", "`&` is only allowed inside an environment", 2..3),
        ("\\frac{a \\\\ b}{c}", "line break", 8..10),
        ("\\text{$x$}", "math inside `\\text`", 6..7),
        (
            "\\text{\\alpha}",
            "unsupported command `\\alpha` inside `\\text`",
            6..12,
        ),
        ("a \\", "lone `\\`", 2..3),
        ("#1", "`#` is not allowed", 0..1),
        ("\\not\\to", "unsupported negation", 0..7),
        ("\\end{x}", "`\\end` without a matching `\\begin`", 0..4),
        ("\\sqrt[3{x}", "unclosed `[`", 5..6),
        ("\\limits", "must follow an operator", 0..7),
        ("\\operatorname{}", "needs a name", 0..13),
    ];

    #[test]
    fn conversions() {
        for (latex, expected) in CONVERSIONS {
            assert_eq!(
                latex_to_typst(latex).as_deref(),
                Ok(*expected),
                "converting {latex:?}"
            );
        }
    }

    #[test]
    fn errors() {
        for (latex, message, range) in ERRORS {
            let error = latex_to_typst(latex).expect_err(latex);
            assert!(
                error.message.contains(message),
                "{latex:?}: message {:?} lacks {message:?}",
                error.message
            );
            assert_eq!(
                &error.range, range,
                "{latex:?}: range of {:?}",
                error.message
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let latex = format!("{}x{}", "{".repeat(10_000), "}".repeat(10_000));
        let error = latex_to_typst(&latex).expect_err("too deep");
        assert!(error.message.contains("nested too deeply"));
        let latex = "\\sqrt".repeat(10_000) + "x";
        assert!(latex_to_typst(&latex).is_err());
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // Every prefix of every test input, which cuts constructs off at every position.
        let inputs = CONVERSIONS
            .iter()
            .map(|c| c.0)
            .chain(ERRORS.iter().map(|e| e.0));
        for input in inputs {
            for (i, _) in input.char_indices() {
                let _ = latex_to_typst(&input[..i]);
                let _ = latex_to_typst(&input[i..]);
            }
        }
    }
}
