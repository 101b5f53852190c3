//! The raw HTML decks really use, read tag by tag: enough to keep `<br>`, `<kbd>`, `<sub>`,
//! `<sup>`, `<mark>`, `<img src width>` and the text inside wrappers such as `<div>`, and to
//! name every other tag in one warning. Not an HTML parser: a tag is `<name attr="v" …>`.

/// One tag.
#[derive(Debug, PartialEq)]
pub struct Tag {
    /// Lower-case.
    pub name: String,
    pub closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// `text` as a single tag, if it is one.
pub fn tag(text: &str) -> Option<Tag> {
    let inner = text.strip_prefix('<')?.strip_suffix('>')?;
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(inner.len());
    if name_len == 0 || !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = inner[..name_len].to_ascii_lowercase();
    Some(Tag {
        name,
        closing,
        attrs: attributes(&inner[name_len..]),
    })
}

/// `key="value"`, `key='value'`, `key=value` and bare `key` pairs.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if key_len == 0 {
            break;
        }
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = tail;
            value.to_string()
        } else {
            String::new()
        };
        out.push((key, value));
    }
    out
}

/// Tags that only wrap their content (kept, tags dropped, no warning).
pub fn is_wrapper(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "span"
            | "p"
            | "center"
            | "section"
            | "article"
            | "header"
            | "main"
            | "figure"
            | "figcaption"
            | "font"
            | "a"
            | "details"
            | "summary"
            | "nobr"
    )
}

/// The pieces of an HTML block: tags, comments and the text between them, in order.
pub enum Piece<'a> {
    Tag(Tag, std::ops::Range<usize>),
    Comment(&'a str, usize),
    Text(&'a str),
    /// Something that is not a well-formed tag (`<` without `>`).
    Other(&'a str, std::ops::Range<usize>),
}

/// Splits `html` (starting at `at` in the source) into pieces.
pub fn pieces(html: &str, at: usize) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(body.len(), |e| e);
            out.push(Piece::Comment(&body[..end], at + i + 4));
            i += 4 + end + if end < body.len() { 3 } else { 0 };
        } else if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => {
                    let text = &rest[..=end];
                    let range = at + i..at + i + end + 1;
                    match tag(text) {
                        Some(t) => out.push(Piece::Tag(t, range)),
                        None => out.push(Piece::Other(text, range)),
                    }
                    i += end + 1;
                }
                None => {
                    out.push(Piece::Other(rest, at + i..at + html.len()));
                    break;
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Piece::Text(&rest[..end]));
            i += end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let t = tag("<img src=\"images/a.png\" width=300 alt='An A'>").unwrap();
        assert_eq!(t.name, "img");
        assert_eq!(t.attr("src").as_deref(), Some("images/a.png"));
        assert_eq!(t.attr("width").as_deref(), Some("300"));
        assert_eq!(t.attr("alt").as_deref(), Some("An A"));
        assert!(tag("</KBD>").unwrap().closing);
        assert!(tag("<br/>").is_some());
        assert!(tag("< 3 >").is_none());
    }
}
