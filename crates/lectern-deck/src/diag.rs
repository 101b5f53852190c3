//! Diagnostics: messages located in a deck's source files, and their rendering.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A message tied to a byte range in one of the deck's files (`deck.md`, a dataset, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
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
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor};

    let mut files = SimpleFiles::new();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for diag in diags {
        let name = display_root.join(&diag.file).display().to_string();
        let text = source(&diag.file).unwrap_or_default();
        let start = floor_char_boundary(&text, diag.range.start.min(text.len()));
        let end = floor_char_boundary(&text, diag.range.end.clamp(start, text.len()));
        let id = files.add(name, text);
        let cs = match diag.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
        }
        .with_message(&diag.message)
        .with_labels(vec![Label::primary(id, start..end)])
        .with_notes(diag.hints.iter().map(|h| format!("hint: {h}")).collect());
        // Writing into an in-memory buffer only fails on a bug in the file table.
        let _ = term::emit(&mut buffer, &config, &files, &cs);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
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
}
