//! What a cell asks to show: Jupyter Book's cell tags, Quarto's `#|` option comments and
//! RISE's slide types, read into one `Show`.

use crate::model::{Cell, CellKind};

/// What of a cell goes on the slides.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    /// Nothing of the cell (`remove-cell`, `hide-cell`, `#| include: false`, RISE `skip`).
    pub cell: bool,
    pub input: bool,
    pub output: bool,
    /// stderr streams (`#| warning: false` leaves them out).
    pub warnings: bool,
    /// Text outputs as Markdown (`#| output: asis`).
    pub asis: bool,
    /// `#| fig-cap`, `#| fig-alt`.
    pub caption: Option<String>,
    pub alt: Option<String>,
    /// Bytes at the start of a code cell's source taken by `#|` option lines.
    pub options_len: usize,
}

/// Reads a cell's tags, its `#|` options (code cells) and its slide type.
pub fn show(cell: &Cell) -> Show {
    let mut show = Show {
        cell: true,
        input: true,
        output: true,
        warnings: true,
        asis: false,
        caption: None,
        alt: None,
        options_len: 0,
    };
    for tag in &cell.tags {
        match tag.as_str() {
            "remove-cell" | "hide-cell" | "remove_cell" => show.cell = false,
            "remove-input" | "hide-input" | "remove_input" => show.input = false,
            "remove-output" | "hide-output" | "remove_output" => show.output = false,
            _ => {}
        }
    }
    if cell.slide_type.as_deref() == Some("skip") {
        show.cell = false;
    }
    if cell.kind == CellKind::Code {
        let mut at = 0;
        for line in cell.source.split_inclusive('\n') {
            let Some(option) = quarto_option(line) else {
                break;
            };
            at += line.len();
            let Some((key, value)) = option.split_once(':') else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']);
            let yes = !matches!(value, "false" | "no" | "False");
            match key.trim() {
                "include" => show.cell &= yes,
                "echo" => show.input &= yes,
                // Not run: a cell that was not evaluated has no outputs to show.
                "eval" => show.output &= yes,
                "output" if value == "asis" => show.asis = true,
                "output" => show.output &= yes,
                "warning" => show.warnings &= yes,
                "fig-cap" => show.caption = Some(value.to_string()),
                "fig-alt" => show.alt = Some(value.to_string()),
                _ => {}
            }
        }
        show.options_len = at;
    }
    show
}

/// The option text of a Quarto option line (`#| echo: false`, `//|` in C-like languages).
fn quarto_option(line: &str) -> Option<&str> {
    let line = line.trim_start();
    ["#|", "//|", "--|", "%%|"]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_quarto_options() {
        let mut cell = Cell::new(
            CellKind::Code,
            "#| echo: false\n#| fig-cap: \"Loss by step\"\nplot()\n",
        );
        let s = show(&cell);
        assert!(s.cell && !s.input && s.output);
        assert_eq!(s.caption.as_deref(), Some("Loss by step"));
        assert_eq!(&cell.source[s.options_len..], "plot()\n");
        cell.tags.push("remove-output".into());
        assert!(!show(&cell).output);
        cell.source = "#| include: false\nx".into();
        assert!(!show(&cell).cell);
        cell.slide_type = Some("skip".into());
        cell.source = "x".into();
        assert!(!show(&cell).cell);
    }
}
