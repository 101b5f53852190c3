//! What a cell asks to show: Jupyter Book's cell tags, Quarto's `#|` option comments (and
//! the notebook-wide `execute:` options of its front matter) and RISE's slide types, read
//! into one `Show`.

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

/// Quarto's notebook-wide `execute:` options: what code cells show unless they say otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Defaults {
    /// `include: false`: cells are left out unless they say `#| include: true`.
    pub include: bool,
    pub echo: bool,
    pub output: bool,
    pub warning: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            include: true,
            echo: true,
            output: true,
            warning: true,
        }
    }
}

/// The `execute:` options in YAML settings (a front matter's body), if they have any.
pub fn defaults(yaml: Option<&str>) -> Defaults {
    let mut defaults = Defaults::default();
    let Some(Ok(serde_yaml::Value::Mapping(map))) = yaml.map(serde_yaml::from_str) else {
        return defaults;
    };
    let Some(serde_yaml::Value::Mapping(execute)) = map.get("execute") else {
        return defaults;
    };
    let flag = |key: &str| match execute.get(key) {
        Some(serde_yaml::Value::Bool(b)) => Some(*b),
        Some(serde_yaml::Value::String(s)) => Some(!is_false(s)),
        _ => None,
    };
    if let Some(echo) = flag("echo") {
        defaults.echo = echo;
    }
    if let Some(output) = flag("output") {
        defaults.output = output;
    }
    if let Some(warning) = flag("warning") {
        defaults.warning = warning;
    }
    if let Some(include) = flag("include") {
        defaults.include = include;
    }
    if flag("eval") == Some(false) {
        // Not run: no outputs.
        defaults.output = false;
    }
    defaults
}

/// Reads a cell's tags, its `#|` options (code cells) and its slide type.
pub fn show(cell: &Cell, defaults: Defaults) -> Show {
    let mut show = Show {
        cell: defaults.include,
        input: defaults.echo,
        output: defaults.output,
        warnings: defaults.warning,
        asis: false,
        caption: None,
        alt: None,
        options_len: 0,
    };
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
            let yes = !is_false(value);
            // A cell's own option beats the notebook's default either way.
            match key.trim() {
                "include" => show.cell = yes,
                "echo" => show.input = yes,
                // Not run: a cell that was not evaluated has no outputs to show.
                "eval" => show.output = yes,
                "output" if value == "asis" => {
                    show.asis = true;
                    show.output = true;
                }
                "output" => show.output = yes,
                "warning" => show.warnings = yes,
                "fig-cap" => show.caption = Some(value.to_string()),
                "fig-alt" => show.alt = Some(value.to_string()),
                _ => {}
            }
        }
        show.options_len = at;
    }
    // Tags after the options: `remove-input` hides the code whatever `#|` says.
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
    show
}

/// A false value as Quarto, R Markdown and YAML write one (`false`, `FALSE`, `F`, `no`).
pub fn is_false(value: &str) -> bool {
    matches!(
        value.trim().trim_matches(['"', '\'']),
        "false" | "False" | "FALSE" | "F" | "no" | "No" | "off"
    )
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
        let s = show(&cell, Defaults::default());
        assert!(s.cell && !s.input && s.output);
        assert_eq!(s.caption.as_deref(), Some("Loss by step"));
        assert_eq!(&cell.source[s.options_len..], "plot()\n");
        cell.tags.push("remove-output".into());
        assert!(!show(&cell, Defaults::default()).output);
        cell.source = "#| include: false\nx".into();
        assert!(!show(&cell, Defaults::default()).cell);
        cell.slide_type = Some("skip".into());
        cell.source = "x".into();
        assert!(!show(&cell, Defaults::default()).cell);
    }

    #[test]
    fn the_notebooks_execute_options_are_defaults_a_cell_overrides() {
        let quiet = defaults(Some(
            "title: T\nexecute:\n  echo: false\n  warning: false\n",
        ));
        assert_eq!(
            quiet,
            Defaults {
                include: true,
                echo: false,
                output: true,
                warning: false
            }
        );
        let cell = Cell::new(CellKind::Code, "plot()");
        assert!(!show(&cell, quiet).input);
        let cell = Cell::new(CellKind::Code, "#| echo: true\nplot()");
        assert!(show(&cell, quiet).input);
        let mut tagged = cell.clone();
        tagged.tags.push("remove-input".into());
        assert!(!show(&tagged, quiet).input);
        assert_eq!(defaults(Some("title: T")), Defaults::default());
        assert!(!defaults(Some("execute: {\"echo\": false}")).echo);
    }
}
