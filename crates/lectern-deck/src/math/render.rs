//! Output pieces and their rendering as Typst math text (spacing, delimiter pairing,
//! argument escaping, string literals).

/// One element of a converted sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
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

pub(super) fn atom(s: impl Into<String>) -> Piece {
    Piece::Atom(s.into())
}

/// Renders pieces as Typst, separated by single spaces. `in_args` is set when the result
/// becomes a function argument, where a bare `,`/`;` would start a new argument.
pub(super) fn render(pieces: &[Piece], in_args: bool) -> String {
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
pub(super) fn arg(pieces: &[Piece]) -> String {
    if pieces.is_empty() {
        "\"\"".into()
    } else {
        render(pieces, true)
    }
}

/// Renders the body of `^`/`_`: bare for a single letter or digit, parenthesized
/// otherwise (Typst strips the parentheses).
pub(super) fn script_body(pieces: &[Piece]) -> String {
    match pieces {
        [Piece::Atom(s)] if s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            s.clone()
        }
        _ => format!("({})", render(pieces, false)),
    }
}

/// Quotes text as a Typst string literal.
pub(super) fn typst_string(text: &str) -> String {
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

/// Wraps every run of `pieces` between line breaks and alignment points in `pre … post`
/// (a style switch such as `\color` applies to the rest of its group, but a Typst function
/// call must not hide the group's `&` and `\`).
pub(super) fn wrap_segments(pieces: Vec<Piece>, pre: &str, post: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut segment = Vec::new();
    let flush = |segment: &mut Vec<Piece>, out: &mut Vec<Piece>| {
        if !segment.is_empty() {
            out.push(atom(format!("{pre}{}{post}", render(segment, true))));
            segment.clear();
        }
    };
    for piece in pieces {
        if matches!(piece, Piece::Break | Piece::Align) {
            flush(&mut segment, &mut out);
            out.push(piece);
        } else {
            segment.push(piece);
        }
    }
    flush(&mut segment, &mut out);
    out
}

/// Pieces as a nested equation `$…$`, for content passed to Typst code such as `#box`.
pub(super) fn nested(pieces: &[Piece]) -> String {
    if pieces.is_empty() {
        "$\"\"$".into()
    } else {
        format!("${}$", render(pieces, false))
    }
}

/// Whether the pieces contain a line break or an alignment point.
pub(super) fn has_rows(pieces: &[Piece]) -> bool {
    pieces
        .iter()
        .any(|p| matches!(p, Piece::Break | Piece::Align))
}
