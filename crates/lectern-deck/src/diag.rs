//! Diagnostics: messages located in a deck's source files, and their rendering.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// What a diagnostic is about, for grouping many of one kind into one summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Kind {
    FrontMatter,
    Theme,
    Html,
    Image,
    Math,
    Link,
    Glyphs,
    Footnote,
    Fit,
    Chart,
    Typst,
    /// A per-slide setting or another tool's directive.
    Directive,
    /// A citation or the bibliography.
    Citation,
    /// A notebook's cells or outputs.
    Notebook,
    #[default]
    Other,
}

impl Kind {
    /// The kind as an adjective: `3 more image warnings`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FrontMatter => "front matter",
            Kind::Theme => "theme",
            Kind::Html => "raw HTML",
            Kind::Image => "image",
            Kind::Math => "math",
            Kind::Link => "link",
            Kind::Glyphs => "font",
            Kind::Footnote => "footnote",
            Kind::Fit => "fitting",
            Kind::Chart => "chart",
            Kind::Typst => "Typst",
            Kind::Directive => "directive",
            Kind::Citation => "citation",
            Kind::Notebook => "notebook",
            Kind::Other => "other",
        }
    }

    /// `n` of this kind, for the summary line: `3 images`, `9 raw HTML`.
    pub fn counted(self, n: usize) -> String {
        let countable = matches!(
            self,
            Kind::Image | Kind::Link | Kind::Glyphs | Kind::Footnote | Kind::Chart | Kind::Citation
        );
        let s = if countable && n != 1 { "s" } else { "" };
        format!("{n} {}{s}", self.label())
    }
}

/// A message tied to a byte range in one of the deck's files (`deck.md`, a dataset, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    /// File the range points into, relative to the deck folder (e.g. `deck.md`).
    pub file: PathBuf,
    pub range: Range<usize>,
    pub message: String,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<PathBuf>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            kind: Kind::Other,
            file: file.into(),
            range,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn warning(
        file: impl Into<PathBuf>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, range, message)
        }
    }

    #[must_use]
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset at which 1-based `line` starts (clamped to the text).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Renders diagnostics rustc-style (`error: ... --> deck.md:3:5` with a snippet).
///
/// `display_root` is prefixed to each diagnostic's file for the `-->` line; `source` returns
/// the text of a file (relative to the deck), or `None` when it cannot be read.
pub fn render(
    diags: &[Diagnostic],
    display_root: &Path,
    color: bool,
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    render_grouped(diags, display_root, color, source, None)
}

/// Full renderings of one severity and kind shown before the rest are listed by place only.
pub const SHOWN_PER_KIND: usize = 3;

/// [`render`], but with at most `limit` full renderings per severity and kind; the others of
/// that kind follow as one line listing their places, so a deck with a hundred raw HTML tags
/// still shows its other problems on the first screen.
pub fn render_grouped(
    diags: &[Diagnostic],
    display_root: &Path,
    color: bool,
    source: &dyn Fn(&Path) -> Option<String>,
    limit: Option<usize>,
) -> String {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor};

    let mut files = SimpleFiles::new();
    let mut one = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let mut out = String::new();
    let config = term::Config::default();
    let mut texts: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    let mut shown: std::collections::BTreeMap<(bool, Kind), usize> = Default::default();
    // Places of the diagnostics not rendered in full, by severity and kind.
    let mut hidden: std::collections::BTreeMap<(bool, Kind), Vec<String>> = Default::default();
    for diag in diags {
        let name = display_root.join(&diag.file).display().to_string();
        let text = texts
            .entry(diag.file.clone())
            .or_insert_with(|| source(&diag.file).unwrap_or_default())
            .clone();
        let group = (!diag.is_error(), diag.kind);
        let count = shown.entry(group).or_default();
        if limit.is_some_and(|limit| *count >= limit) {
            let (line, col) = line_col(&text, diag.range.start);
            hidden
                .entry(group)
                .or_default()
                .push(location(&name, line, col));
            continue;
        }
        *count += 1;
        let start = floor_char_boundary(&text, diag.range.start.min(text.len()));
        let end = floor_char_boundary(&text, diag.range.end.clamp(start, text.len()));
        let (line, col) = line_col(&text, start);
        let id = files.add(name.clone(), text);
        let cs = match diag.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
        }
        .with_message(&diag.message)
        .with_labels(vec![Label::primary(id, start..end)])
        .with_notes(diag.hints.iter().map(|h| format!("hint: {h}")).collect());
        // Writing into an in-memory buffer only fails on a bug in the file table.
        let _ = term::emit(&mut one, &config, &files, &cs);
        let mut rendered = String::from_utf8_lossy(one.as_slice()).into_owned();
        if is_cell(&name) {
            // codespan writes `name:line:col`; a notebook cell reads better in words.
            rendered = rendered.replacen(
                &format!("{name}:{line}:{col}"),
                &location(&name, line, col),
                1,
            );
        }
        out.push_str(&rendered);
        one.clear();
    }
    for ((warning, kind), places) in hidden {
        let what = if warning { "warning" } else { "error" };
        const LISTED: usize = 8;
        // Cell places have commas of their own.
        let separator = if places.iter().any(|p| is_cell_place(p)) {
            "; "
        } else {
            ", "
        };
        let mut list = places[..places.len().min(LISTED)].join(separator);
        if places.len() > LISTED {
            list.push_str(&format!(", and {} more", places.len() - LISTED));
        }
        let plural = if places.len() == 1 { "" } else { "s" };
        out.push_str(&format!(
            "{what}: {} more {} {what}{plural} like the above, at {list}\n\n",
            places.len(),
            kind.label()
        ));
    }
    out
}

/// Whether a diagnostic's file names a notebook cell (`lecture.ipynb: cell 14`) or the
/// front matter made from a notebook's metadata (`lecture.ipynb: metadata`).
fn is_cell(name: &str) -> bool {
    name.ends_with(": metadata")
        || name
            .rsplit_once(": cell ")
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a place (as [`location`] writes it) is in a notebook cell.
fn is_cell_place(place: &str) -> bool {
    place.contains(", line ")
}

/// Where a diagnostic is: `deck.md:3:5`, or `lecture.ipynb: cell 14, line 3, column 5`.
fn location(name: &str, line: usize, col: usize) -> String {
    if is_cell(name) {
        format!("{name}, line {line}, column {col}")
    } else {
        format!("{name}:{line}:{col}")
    }
}

/// One line counting diagnostics by severity and kind, e.g.
/// `14 warnings (9 raw HTML, 3 images, 2 math)`; `None` when there are none.
pub fn summary(diags: &[Diagnostic]) -> Option<String> {
    let mut parts = Vec::new();
    for (errors, what) in [(true, "error"), (false, "warning")] {
        let mut by_kind: std::collections::BTreeMap<Kind, usize> = Default::default();
        for diag in diags.iter().filter(|d| d.is_error() == errors) {
            *by_kind.entry(diag.kind).or_default() += 1;
        }
        let total: usize = by_kind.values().sum();
        if total == 0 {
            continue;
        }
        let mut kinds: Vec<(Kind, usize)> = by_kind.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let kinds: Vec<String> = kinds.iter().map(|(kind, n)| kind.counted(*n)).collect();
        let plural = if total == 1 { "" } else { "s" };
        parts.push(format!("{total} {what}{plural} ({})", kinds.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nшшx\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 3));
        assert_eq!(line_start(text, 2), 3);
    }

    #[test]
    fn many_warnings_of_a_kind_are_grouped() {
        let src = "a\nb\nc\nd\ne\n";
        let mut diags: Vec<Diagnostic> = (0..5)
            .map(|i| Diagnostic::warning("deck.md", 2 * i..2 * i + 1, "raw").with_kind(Kind::Html))
            .collect();
        diags.push(Diagnostic::warning("deck.md", 0..1, "img").with_kind(Kind::Image));
        let text = render_grouped(
            &diags,
            Path::new(""),
            false,
            &|_| Some(src.to_string()),
            Some(SHOWN_PER_KIND),
        );
        assert_eq!(text.matches("warning: raw").count(), 3, "{text}");
        assert!(
            text.contains("2 more raw HTML warnings like the above, at deck.md:4:1, deck.md:5:1"),
            "{text}"
        );
        assert!(text.contains("warning: img"), "{text}");
        assert_eq!(
            summary(&diags).as_deref(),
            Some("6 warnings (5 raw HTML, 1 image)")
        );
    }
}
