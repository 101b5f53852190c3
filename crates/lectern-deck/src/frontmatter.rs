//! YAML front matter between `---` lines at the top of a deck (the Marp/Slidev/Quarto convention).

use serde::Deserialize;

use crate::diag::Diagnostic;

/// Deck-wide settings from the front matter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Shown in the footer; defaults to the title.
    pub short_title: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub author: Vec<String>,
    pub date: Option<String>,
    pub institution: Option<String>,
    /// BCP 47 language tag of the deck (e.g. `bg`), for hyphenation, quotes and PDF metadata.
    pub lang: Option<String>,
    /// Theme folder name under `themes/`.
    pub theme: Option<String>,
    /// Heading level that opens a slide (pandoc's `slide-level`); higher levels open sections.
    #[serde(default = "default_slide_level")]
    pub slide_level: u8,
}

fn default_slide_level() -> u8 {
    3
}

impl Default for FrontMatter {
    fn default() -> Self {
        Self {
            title: None,
            subtitle: None,
            short_title: None,
            author: Vec::new(),
            date: None,
            institution: None,
            lang: None,
            theme: None,
            slide_level: default_slide_level(),
        }
    }
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(de)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Splits front matter off the top of `src`. Returns the settings and the byte offset where the
/// Markdown body starts. Errors are located in `file`.
pub fn split(src: &str, file: &str) -> (FrontMatter, usize, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(first_len) = fence_len(src) else {
        return (FrontMatter::default(), 0, diags);
    };
    let yaml_start = first_len;
    let mut pos = yaml_start;
    let close = loop {
        if pos >= src.len() {
            break None;
        }
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1);
        if src[pos..line_end].trim_end() == "---" || src[pos..line_end].trim_end() == "..." {
            break Some((pos, line_end));
        }
        pos = line_end;
    };
    let Some((yaml_end, body_start)) = close else {
        diags.push(
            Diagnostic::error(file, 0..3, "front matter is not closed")
                .with_hint("end the YAML block with a line holding only `---`"),
        );
        return (FrontMatter::default(), src.len(), diags);
    };
    let yaml = &src[yaml_start..yaml_end];
    if yaml.trim().is_empty() {
        return (FrontMatter::default(), body_start, diags);
    }
    let meta = match serde_yaml::from_str::<FrontMatter>(yaml) {
        Ok(meta) => meta,
        Err(err) => {
            let at = err.location().map_or(0, |l| l.index());
            let at = (yaml_start + at).min(yaml_end);
            let end = src[at..yaml_end].find('\n').map_or(yaml_end, |i| at + i);
            let message = err.to_string();
            // serde_yaml appends " at line X column Y"; the snippet shows that already.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            diags.push(Diagnostic::error(
                file,
                at..end,
                format!("invalid front matter: {message}"),
            ));
            FrontMatter::default()
        }
    };
    if !(1..=6).contains(&meta.slide_level) {
        let at = src[..yaml_end].find("slide-level").unwrap_or(yaml_start);
        diags.push(Diagnostic::error(
            file,
            at..at + 11,
            "`slide-level` must be between 1 and 6",
        ));
    }
    (meta, body_start, diags)
}

/// Length of the opening `---` line, if the source starts with one.
fn fence_len(src: &str) -> Option<usize> {
    let line_end = src.find('\n').map_or(src.len(), |i| i + 1);
    (src[..line_end].trim_end() == "---").then_some(line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_and_body_offset() {
        let src = "---\ntitle: Т\nauthor: [A, B]\nslide-level: 2\n---\n# x\n";
        let (meta, body, diags) = split(src, "deck.md");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.title.as_deref(), Some("Т"));
        assert_eq!(meta.author, ["A", "B"]);
        assert_eq!(meta.slide_level, 2);
        assert_eq!(&src[body..], "# x\n");
    }

    #[test]
    fn unknown_key_is_located() {
        let src = "---\ntitle: x\ntitel: y\n---\n";
        let (_, _, diags) = split(src, "deck.md");
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("unknown field `titel`"),
            "{}",
            diags[0].message
        );
        assert_eq!(crate::diag::line_col(src, diags[0].range.start).0, 3);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let (_, _, diags) = split("---\ntitle: x\n", "deck.md");
        assert!(diags[0].message.contains("not closed"));
    }
}
