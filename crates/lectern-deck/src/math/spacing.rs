//! Spacing: fixed spaces (`\,`, `\quad`, …) and skips with a LaTeX dimension (`\kern1em`,
//! `\hskip 2pt plus 1fil`, `\hspace{…}`, `\mkern6mu`) as Typst spacing.

use std::ops::Range;

use super::convert::Converter;
use super::{Result, Tok, err};

/// A LaTeX dimension (`1.5em`, `-3mu`, `2pt`) as a Typst length.
pub(super) fn typst_length(text: &str) -> Option<String> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = (text[..split].replace(' ', ""), text[split..].trim());
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, number.strip_prefix('+').unwrap_or(&number)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let (factor, typst_unit) = match unit {
        "em" => (1.0, "em"),
        "ex" => (0.431, "em"),
        "mu" => (1.0 / 18.0, "em"),
        "pt" => (1.0, "pt"),
        "mm" => (1.0, "mm"),
        "cm" => (1.0, "cm"),
        "in" => (1.0, "in"),
        "bp" | "px" => (72.27 / 72.0, "pt"),
        "pc" => (12.0, "pt"),
        "dd" => (1238.0 / 1157.0, "pt"),
        "cc" => (14856.0 / 1157.0, "pt"),
        "sp" => (1.0 / 65536.0, "pt"),
        _ => return None,
    };
    let mut shown = format!("{:.4}", sign * value * factor);
    while shown.ends_with('0') {
        shown.pop();
    }
    if shown.ends_with('.') {
        shown.pop();
    }
    if shown == "-0" {
        shown = "0".into();
    }
    Some(format!("{shown}{typst_unit}"))
}

/// The length of a `plus 1fil` or `minus 2pt` glue part at the start of `text`.
fn glue_len(text: &str) -> Option<usize> {
    let trimmed = text.trim_start();
    let word = ["plus", "minus"]
        .into_iter()
        .find(|w| trimmed.starts_with(w))?;
    let rest = &trimmed[word.len()..];
    let number = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ' ' | '-' | '+')))
        .unwrap_or(rest.len());
    let unit = rest[number..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len() - number);
    Some(text.len() - trimmed.len() + word.len() + number + unit)
}

impl<'a> Converter<'a> {
    /// Spacing commands, as Typst spacing (empty for `\nobreak`-like no-ops).
    pub(super) fn spacing(
        &mut self,
        name: &str,
        span: &Range<usize>,
    ) -> Result<Option<Vec<String>>> {
        let fixed = match name {
            "," | "thinspace" => "thin",
            ":" | ">" | "medspace" => "med",
            ";" | " " | "thickspace" | "space" | "nobreakspace" => "thick",
            "quad" => "quad",
            "qquad" => "wide",
            "enspace" | "enskip" => "#h(0.5em)",
            "!" | "negthinspace" => "#h(-1em/6)",
            "negmedspace" => "#h(-2em/9)",
            "negthickspace" => "#h(-5em/18)",
            "kern" | "mkern" | "hskip" | "mskip" | "hspace" | "mspace" => {
                return self.skip(name, span).map(|s| Some(vec![s]));
            }
            _ => return Ok(None),
        };
        Ok(Some(vec![fixed.to_string()]))
    }

    /// `\kern1em`, `\hskip 2pt plus 1pt`, `\hspace*{1em}`: a Typst `#h(…)`.
    pub(super) fn skip(&mut self, name: &str, span: &Range<usize>) -> Result<String> {
        if name == "hspace" && self.peek() == Some(Tok::Char('*')) {
            self.pos += 1;
        }
        let (text, range) = if self.peek() == Some(Tok::Open) {
            self.raw_group(&format!("`\\{name}`"), span.clone())?
        } else {
            // The dimension is read from the source: a sign, digits and a two-letter unit.
            let start = self.span().start.max(span.end);
            let rest = &self.src[start..];
            let mut len = 0;
            let bytes = rest.as_bytes();
            while len < bytes.len()
                && (bytes[len] == b' ' || bytes[len] == b'+' || bytes[len] == b'-')
            {
                len += 1;
            }
            while len < bytes.len() && (bytes[len].is_ascii_digit() || bytes[len] == b'.') {
                len += 1;
            }
            while len < bytes.len() && bytes[len] == b' ' {
                len += 1;
            }
            if len + 2 <= bytes.len() && bytes[len..len + 2].iter().all(u8::is_ascii_alphabetic) {
                len += 2;
            }
            let end = start + len;
            while self.toks.get(self.pos).is_some_and(|t| t.span.start < end) {
                self.pos += 1;
            }
            (rest[..len].trim(), start..end)
        };
        let Some(length) = typst_length(text) else {
            return Err(err(
                format!("`\\{name}` needs a length such as `1em` or `3mu`"),
                if text.is_empty() {
                    span.clone()
                } else {
                    span.start..(range.start + text.len()).max(span.end)
                },
            ));
        };
        // TeX glue may stretch and shrink (`plus 1fil`); Typst spacing is fixed.
        let mut end = range.end.max(span.end);
        while let Some(len) = glue_len(&self.src[end..]) {
            end += len;
        }
        while self.toks.get(self.pos).is_some_and(|t| t.span.start < end) {
            self.pos += 1;
        }
        Ok(format!("#h({length})"))
    }
}
