//! JSON datasets: `{"title", "description", "columns": [{"name", "label", "unit", "values"}]}`.
//!
//! serde_json checks the syntax (and locates syntax errors); it keeps no positions, so a small
//! scanner then walks the already-valid text to record the byte range of every key and value.

use serde::de::IgnoredAny;

use crate::tree::{self, Entry, Kind, Node, Shape};
use crate::{DataError, RawDataset};

const SHAPE: Shape = Shape {
    columns_key: "columns",
    other_columns_key: "column",
    table_word: "an object",
};

/// Deeper than serde_json's own recursion limit, so valid documents never hit it.
const MAX_DEPTH: usize = 256;

pub(crate) fn parse(text: &str, errors: &mut Vec<DataError>) -> Option<RawDataset> {
    if let Err(error) = serde_json::from_str::<IgnoredAny>(text) {
        errors.push(syntax_error(text, &error));
        return None;
    }
    let mut scanner = Scanner { text, pos: 0 };
    match scanner.value(0) {
        Some(root) => tree::read_dataset(root, &SHAPE, errors),
        None => {
            // Unreachable for text serde_json accepted, but never worth a panic.
            errors.push(DataError::new(
                "could not read the JSON structure",
                scanner.pos..scanner.pos,
            ));
            None
        }
    }
}

/// serde_json gives a 1-based line and a byte column that points just past the offending byte;
/// turn that into a one-character range at the offending character.
fn syntax_error(text: &str, error: &serde_json::Error) -> DataError {
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(end) => message[..end].to_owned(),
        None => message,
    };
    if error.line() == 0 {
        return DataError::new(message, 0..0);
    }
    let line_start = text
        .split_inclusive('\n')
        .take(error.line() - 1)
        .map(str::len)
        .sum::<usize>();
    let mut start = (line_start + error.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    DataError::new(message, start..end)
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        let start = self.pos;
        let kind = match self.peek()? {
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => Kind::Str(self.string()?),
            b't' => self.literal("true", Kind::Other("a boolean"))?,
            b'f' => self.literal("false", Kind::Other("a boolean"))?,
            b'n' => self.literal("null", Kind::Other("null"))?,
            _ => {
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    self.pos += 1;
                }
                Kind::Num(self.text.get(start..self.pos)?.parse().ok()?)
            }
        };
        Some(Node {
            range: start..self.pos,
            kind,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Option<Kind> {
        self.text.get(self.pos..)?.starts_with(word).then(|| {
            self.pos += word.len();
            kind
        })
    }

    /// Scans a string starting at its opening quote; serde_json does the unescaping.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        self.pos += 1;
        serde_json::from_str(self.text.get(start..self.pos)?).ok()
    }

    fn object(&mut self, depth: usize) -> Option<Kind> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(Kind::Table(entries));
        }
        loop {
            self.skip_whitespace();
            let key_start = self.pos;
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.string()?;
            let key_range = key_start..self.pos;
            self.expect(b':')?;
            let value = self.value(depth + 1)?;
            entries.push(Entry {
                key,
                key_range,
                value,
            });
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(Kind::Table(entries));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Kind> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(Kind::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Kind::Array(items));
                }
                _ => return None,
            }
        }
    }
}
