//! Reads the formula corpus in `tests/math/*.txt` (shared by the tests of `lectern-deck`
//! and `lectern-typst` through `#[path]`). The format is described in `tests/math/README.md`.

use std::path::Path;

/// One corpus formula.
#[allow(dead_code)] // Each test reads the fields it needs.
#[derive(Debug, Clone)]
pub struct Entry {
    pub latex: String,
    /// Marked `!!`: Typst cannot express it, so it must fail with a `MathError`.
    pub expect_error: bool,
    /// `file:line` of the entry's first line.
    pub origin: String,
}

/// Parses one corpus file: `%` lines are comments, blank lines are ignored, a line starting
/// with whitespace continues the previous entry, `!! ` marks an entry expected to fail.
pub fn parse(name: &str, text: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('%') {
            continue;
        }
        if line.starts_with([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.latex.push('\n');
            last.latex.push_str(line.trim());
            continue;
        }
        let (latex, expect_error) = match line.strip_prefix("!! ") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        out.push(Entry {
            latex: latex.trim().to_string(),
            expect_error,
            origin: format!("{name}:{}", i + 1),
        });
    }
    out
}

/// All entries of all `.txt` files in `dir`, in file-name order.
pub fn load(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.extend(parse(&name, &std::fs::read_to_string(&file)?));
    }
    Ok(out)
}
