//! `\begin{…} … \end{…}`: alignment environments (`align`, `gather`, `equation`, …) become
//! Typst's native `&` and `\`, matrices and `array` become `mat(…)`, `cases` becomes
//! `cases(…)`.

use std::ops::Range;

use super::convert::{Converter, Stop};
use super::render::{Piece, atom, render};
use super::symbols::matrix_delim;
use super::{Result, Tok, err};

/// One environment body: its rows of cells, and the rows after which `\hline` drew a rule.
struct Body {
    rows: Vec<Vec<Vec<Piece>>>,
    hlines: Vec<usize>,
}

/// How the environment is laid out in Typst.
enum Kind {
    /// Rows with alignment points, natively.
    Align,
    /// `eqnarray`'s three columns `rhs & = & lhs`, as two.
    Eqnarray,
    Matrix(&'static str),
    Cases {
        reverse: bool,
    },
    /// `subarray`: rows stacked, as in `\substack`.
    Stack,
}

impl<'a> Converter<'a> {
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

    /// `\begin{env} … \end{env}`.
    pub(super) fn environment(&mut self, span: Range<usize>) -> Result<Vec<Piece>> {
        let (name, begin) = self.env_name(span)?;
        let base = name.trim_end_matches('*');
        let mut align = None;
        let mut vlines = Vec::new();
        let kind = match base {
            "equation" | "align" | "aligned" | "gather" | "gathered" | "multline" | "split"
            | "flalign" | "displaymath" | "math" => Kind::Align,
            "alignat" | "alignedat" | "xalignat" | "xxalignat" => {
                // The number of column pairs does not matter to Typst.
                self.raw_group(&format!("`\\begin{{{name}}}`"), begin.clone())?;
                Kind::Align
            }
            "eqnarray" => Kind::Eqnarray,
            "cases" | "dcases" => Kind::Cases { reverse: false },
            "rcases" | "drcases" => Kind::Cases { reverse: true },
            "subarray" => {
                self.raw_group("`\\begin{subarray}`", begin.clone())?;
                Kind::Stack
            }
            "array" | "darray" => {
                self.optional_raw()?;
                let (spec, spec_span) = self.raw_group("`\\begin{array}`", begin.clone())?;
                let (columns, a, lines) =
                    column_spec(spec).map_err(|message| err(message, spec_span))?;
                align = a;
                vlines = lines
                    .into_iter()
                    .filter(|&l| l > 0 && l < columns)
                    .collect();
                Kind::Matrix("#none")
            }
            "CD" => {
                return Err(err(
                    "commutative diagrams (`CD`) cannot be drawn in Typst math; use a ```{=typst} block with a diagram package",
                    begin,
                ));
            }
            _ => match matrix_delim(base) {
                Some(delim) => {
                    if name.ends_with('*')
                        && let Some((spec, spec_span)) = self.optional_raw()?
                    {
                        align = Some(match spec {
                            "l" => "left",
                            "c" => "center",
                            "r" => "right",
                            _ => {
                                return Err(err(
                                    "the column alignment must be `l`, `c` or `r`",
                                    spec_span,
                                ));
                            }
                        });
                    }
                    Kind::Matrix(delim)
                }
                None => {
                    return Err(err(
                        format!("unsupported LaTeX environment `{name}`"),
                        begin,
                    ));
                }
            },
        };
        if matches!(base, "aligned" | "gathered" | "alignedat" | "split") {
            // `[t]`/`[b]` vertical placement: Typst aligns on the baseline.
            self.optional_raw()?;
        }
        self.enter()?;
        let body = self.env_body(name, &begin)?;
        self.leave();

        let cells = |row: &[Vec<Piece>], sep: &str| {
            row.iter()
                .map(|c| render(c, true))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let rows = body.rows;
        Ok(match kind {
            Kind::Matrix(delim) => {
                let mut options = format!("delim: {delim}, ");
                if let Some(align) = align {
                    options.push_str(&format!("align: #{align}, "));
                }
                let hlines: Vec<String> = body
                    .hlines
                    .iter()
                    .filter(|&&h| h > 0 && h < rows.len())
                    .map(|h| h.to_string())
                    .collect();
                let vlines: Vec<String> = vlines.iter().map(|v| v.to_string()).collect();
                if !hlines.is_empty() || !vlines.is_empty() {
                    options.push_str(&format!(
                        "augment: #(hline: ({}), vline: ({})), ",
                        list(&hlines),
                        list(&vlines)
                    ));
                }
                let rows: Vec<String> = rows.iter().map(|r| cells(r, ", ")).collect();
                let call = format!("mat({options}{})", rows.join("; "));
                vec![atom(if base == "smallmatrix" {
                    format!("script({call})")
                } else {
                    call
                })]
            }
            Kind::Cases { reverse } => {
                let reverse = if reverse { "reverse: #true, " } else { "" };
                let rows: Vec<String> = rows.iter().map(|r| cells(r, " & ")).collect();
                let call = format!("cases({reverse}{})", rows.join(", "));
                vec![atom(if base.starts_with('d') {
                    format!("display({call})")
                } else {
                    call
                })]
            }
            Kind::Stack => {
                let mut out = Vec::new();
                for (i, row) in rows.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Piece::Break);
                    }
                    out.extend(row.into_iter().flatten());
                }
                out
            }
            Kind::Align | Kind::Eqnarray => {
                // Alignment environments map onto Typst's native `&` and `\`.
                let mut out = Vec::new();
                for (i, row) in rows.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Piece::Break);
                    }
                    for (j, cell) in row.into_iter().enumerate() {
                        let merge = matches!(kind, Kind::Eqnarray) && j == 2;
                        if j > 0 && !merge {
                            out.push(Piece::Align);
                        }
                        out.extend(cell);
                    }
                }
                out
            }
        })
    }

    /// The rows and cells of an environment body, up to and including `\end{name}`.
    fn env_body(&mut self, name: &str, begin: &Range<usize>) -> Result<Body> {
        let mut rows = Vec::new();
        let mut hlines = Vec::new();
        let mut row = Vec::new();
        loop {
            if row.is_empty() {
                while let Some(Tok::Cmd("hline" | "hdashline")) = self.peek() {
                    self.pos += 1;
                    hlines.push(rows.len());
                }
            }
            let (cell, stop) = self.sequence(false)?;
            row.push(cell);
            match stop {
                Stop::Align => self.pos += 1,
                Stop::Break => {
                    self.line_break();
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
                    return Ok(Body { rows, hlines });
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

/// A Typst array literal body: `1,` for one element (else it is a parenthesized number).
fn list(items: &[String]) -> String {
    match items {
        [one] => format!("{one},"),
        _ => items.join(", "),
    }
}

/// An `array` column spec such as `rl|c`: (columns, common alignment if all columns share
/// one, positions of vertical rules as the number of columns to their left).
fn column_spec(spec: &str) -> Result<(usize, Option<&'static str>, Vec<usize>), String> {
    let mut columns = 0;
    let mut aligns = Vec::new();
    let mut lines = Vec::new();
    for c in spec.chars() {
        match c {
            'l' | 'c' | 'r' => {
                columns += 1;
                aligns.push(c);
            }
            '|' | ':' => lines.push(columns),
            ' ' => {}
            _ => {
                return Err(format!(
                    "unsupported column type `{c}` in `array`: only `l`, `c`, `r` and `|` are supported"
                ));
            }
        }
    }
    if columns == 0 {
        return Err("an `array` needs at least one column (`l`, `c` or `r`)".into());
    }
    let align = match aligns.iter().all(|&a| a == aligns[0]) {
        true if aligns[0] == 'l' => Some("left"),
        true if aligns[0] == 'r' => Some("right"),
        _ => None,
    };
    lines.dedup();
    Ok((columns, align, lines))
}
