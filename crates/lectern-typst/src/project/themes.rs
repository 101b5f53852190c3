//! Which theme a deck uses: the command line beats the front matter beats the default; a
//! local theme beats a built-in one of the same name.

use super::*;

impl Project {
    /// Command line beats front matter beats the default; a local theme beats a built-in one
    /// of the same name; an unknown theme is a warning, and the default theme is used.
    pub(super) fn select_theme(
        &mut self,
        front_matter_theme: Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let (name, from_front_matter) = match (&self.theme_override, &front_matter_theme) {
            (Some(name), _) => (name.clone(), false),
            (None, Some(name)) => (name.clone(), true),
            (None, None) => (DEFAULT_THEME.to_string(), false),
        };
        let root = find_theme(self.themes_dir.as_deref(), &name);
        if root.is_none() {
            let available = available_themes(self.themes_dir.as_deref()).join(", ");
            let range = if from_front_matter {
                let at = self.markdown.find("theme:").unwrap_or(0);
                at..self.markdown[at..]
                    .find('\n')
                    .map_or(self.markdown.len(), |i| at + i)
            } else {
                0..0
            };
            diags.push(
                Diagnostic::warning(
                    self.md_name(),
                    range,
                    format!("unknown theme `{name}`; using the default theme `{DEFAULT_THEME}`"),
                )
                .with_kind(lectern_deck::diag::Kind::Theme)
                .with_hint(format!("themes: {available}")),
            );
        }
        let root = root.unwrap_or_else(|| default_theme_root(self.themes_dir.as_deref()));
        self.world.set_theme_root(root);
    }
}

/// The nearest `themes/` folder at or above `start` (with at least one theme in it).
pub fn find_themes_dir(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("themes"))
        .find(|dir| !local_themes(dir).is_empty())
}

/// The theme called `name`: in the local themes folder, else built in.
pub(super) fn find_theme(themes_dir: Option<&Path>, name: &str) -> Option<ThemeRoot> {
    let valid = !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != ".";
    if !valid {
        return None;
    }
    if let Some(dir) = themes_dir
        && dir.join(name).join("theme.typ").is_file()
        && let Ok(root) = dir.join(name).canonicalize()
    {
        return Some(ThemeRoot::Disk(root));
    }
    crate::builtin::theme(name).map(ThemeRoot::Builtin)
}

/// The default theme: a local `aula` if there is one, else the built-in one.
pub(super) fn default_theme_root(themes_dir: Option<&Path>) -> ThemeRoot {
    find_theme(themes_dir, DEFAULT_THEME).unwrap_or(ThemeRoot::Builtin(&crate::builtin::THEMES[0]))
}

/// Theme names in a local themes folder.
pub(super) fn local_themes(themes_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(themes_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("theme.typ").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}

/// Theme names available to a deck: the local ones, then the built-in ones not overridden.
pub fn available_themes(themes_dir: Option<&Path>) -> Vec<String> {
    let mut names = themes_dir.map(local_themes).unwrap_or_default();
    for theme in crate::builtin::THEMES {
        if !names.iter().any(|n| n == theme.name) {
            names.push(theme.name.to_string());
        }
    }
    names
}

/// One theme as `lectern themes` lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct ThemeEntry {
    pub name: String,
    pub description: String,
    /// The folder of a local theme; `None` for a built-in one.
    pub folder: Option<PathBuf>,
    /// A local theme that hides the built-in one of the same name.
    pub overrides_builtin: bool,
}

/// Every theme a deck could name: the local ones, then the built-in ones not overridden. A
/// local theme's description is the first comment of its `theme.typ` (`// Name: text`).
pub fn theme_list(themes_dir: Option<&Path>) -> Vec<ThemeEntry> {
    let mut entries: Vec<ThemeEntry> = themes_dir
        .map(local_themes)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| {
            let folder = themes_dir?.join(&name);
            let source = std::fs::read_to_string(folder.join("theme.typ")).unwrap_or_default();
            Some(ThemeEntry {
                description: description(&source, &name),
                overrides_builtin: crate::builtin::theme(&name).is_some(),
                folder: Some(folder),
                name,
            })
        })
        .collect();
    for theme in crate::builtin::THEMES {
        if !entries.iter().any(|e| e.name == theme.name) {
            entries.push(ThemeEntry {
                name: theme.name.to_string(),
                description: theme.description.to_string(),
                folder: None,
                overrides_builtin: false,
            });
        }
    }
    entries
}

/// The first `//` comment of a theme's source, without a leading `Name:`.
fn description(source: &str, name: &str) -> String {
    let Some(line) = source
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("//"))
    else {
        return "(no description: start theme.typ with a `// Name: what it is` line)".into();
    };
    let line = line.trim_start_matches('/').trim();
    match line.split_once(':') {
        Some((head, rest)) if head.trim().eq_ignore_ascii_case(name) => rest.trim().to_string(),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_from_the_first_comment() {
        assert_eq!(
            description("// Aula: clean slides.\n// More.\n#let x = 1", "aula"),
            "clean slides."
        );
        assert_eq!(description("/// Plain words\n", "dusk"), "Plain words");
        assert_eq!(description("// Note: a colon\n", "dusk"), "Note: a colon");
        assert!(description("#let x = 1\n", "dusk").starts_with("(no description"));
    }
}
