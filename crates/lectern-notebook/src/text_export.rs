//! The plain-text export of a notebook (Markdown cells as they are, each code cell after an
//! `In [12]:` or `In [None]:` line, and `Out[12]:` text after it) read back into cells. The
//! export does not mark where a code cell ends: at the `---` that opens the next cell, at
//! the next prompt, or after a blank line at a line no code starts with (a `##` heading, a
//! table row, bold text, a list item, a quote).

use crate::model::{Cell, CellKind, MimeBundle, Notebook, Output};

/// Whether `text` looks like such an export: it has at least one `In [..]:` line.
pub fn is_text_export(text: &str) -> bool {
    text.lines().any(|l| prompt(l, "In").is_some())
}

/// Reads the export into cells (Python, as the `In [..]:` prompts are IPython's).
pub fn read(text: &str) -> Notebook {
    // Windows line ends: a blank line is `\n\n` below.
    let text = &text.replace("\r\n", "\n");
    let mut cells: Vec<Cell> = Vec::new();
    let mut markdown = String::new();
    let mut lines = text.split_inclusive('\n').peekable();
    let flush = |markdown: &mut String, cells: &mut Vec<Cell>| {
        if !markdown.trim().is_empty() {
            cells.push(Cell::new(
                CellKind::Markdown,
                markdown.trim_end().to_string(),
            ));
        }
        markdown.clear();
    };
    while let Some(line) = lines.next() {
        if let Some(first) = prompt(line, "In") {
            flush(&mut markdown, &mut cells);
            let mut code = first.to_string();
            while let Some(next) = lines.peek() {
                let after_blank = code.is_empty() || code.ends_with("\n\n");
                if ends_code(next) || (after_blank && is_markdown(next)) {
                    break;
                }
                code.push_str(next);
                lines.next();
            }
            cells.push(Cell::new(
                CellKind::Code,
                code.trim_matches('\n').trim_end().to_string(),
            ));
        } else if let Some(first) = prompt(line, "Out") {
            let mut following = String::new();
            while let Some(next) = lines.peek() {
                if ends_code(next) {
                    break;
                }
                following.push_str(next);
                lines.next();
            }
            let text = format!("{first}{following}");
            let text = text.trim_matches('\n').trim_end().to_string();
            match cells.last_mut() {
                Some(cell) if cell.kind == CellKind::Code && !text.is_empty() => {
                    let bundle: MimeBundle = [("text/plain".to_string(), text)].into();
                    cell.outputs.push(Output::Data(bundle));
                }
                // An output with no code cell before it stays as text.
                _ => {
                    markdown.push_str(line);
                    markdown.push_str(&following);
                }
            }
        } else {
            markdown.push_str(line);
        }
    }
    flush(&mut markdown, &mut cells);
    Notebook {
        cells,
        language: "python".into(),
        ..Notebook::default()
    }
}

/// A code cell (or its output) ends at the `---` that opens the next cell or at a prompt.
fn ends_code(line: &str) -> bool {
    line.trim_end() == "---" || prompt(line, "In").is_some() || prompt(line, "Out").is_some()
}

/// A line that opens Markdown and cannot open a statement of code (a `#` comment can: only
/// headings of level 2 and deeper count).
fn is_markdown(line: &str) -> bool {
    let heading = crate::markdown::atx_heading(line).filter(|_| line.starts_with('#'));
    heading.is_some_and(|(level, text)| level >= 2 && !text.is_empty())
        || ["**", "| ", "> ", "- ", "* ", "![", "1. "]
            .iter()
            .any(|start| line.starts_with(start))
}

/// The text after a prompt line (`In [12]:`, `In [ ]:`, `In [None]:`, `Out[3]:`).
fn prompt<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(word)?.trim_start_matches(' ');
    let rest = rest.strip_prefix('[')?;
    let (inside, after) = rest.split_once("]:")?;
    let inside = inside.trim();
    let counter = inside.is_empty()
        || inside == "None"
        || inside == "*"
        || inside.bytes().all(|b| b.is_ascii_digit());
    counter
        .then(|| {
            after
                .strip_prefix(' ')
                .unwrap_or(after)
                .trim_start_matches(['\r', '\n'])
        })
        .map(|after| if after.trim().is_empty() { "" } else { after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_cells_end_at_the_next_cell() {
        let text = "# T\n\nintro\n\nIn [None]:\n# a comment, not a heading\nx = 1\n\nprint(x)\n\n---\n## Next\n\ntext\nIn [3]: y = 2\nOut[3]:\n2\n\nIn [4]:\nz = 3\n\n### After code, with no rule\n";
        assert!(is_text_export(text));
        let nb = read(text);
        let kinds: Vec<(&CellKind, &str)> = nb
            .cells
            .iter()
            .map(|c| (&c.kind, c.source.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (&CellKind::Markdown, "# T\n\nintro"),
                (
                    &CellKind::Code,
                    "# a comment, not a heading\nx = 1\n\nprint(x)"
                ),
                (&CellKind::Markdown, "---\n## Next\n\ntext"),
                (&CellKind::Code, "y = 2"),
                (&CellKind::Code, "z = 3"),
                (&CellKind::Markdown, "### After code, with no rule"),
            ]
        );
        assert_eq!(
            nb.cells[3].outputs,
            [Output::Data(
                [("text/plain".to_string(), "2".to_string())].into()
            )]
        );
        assert!(!is_text_export("In [the beginning]: was the word"));
    }
}
