//! Lexical checks on paths that a deck names (images, datasets): they must stay inside the deck.

/// Checks a deck-relative path (as written in Markdown) and returns it normalised with a
/// leading `/` (the deck folder is the root Typst sees). Symlinks are the World's business.
pub fn check_deck_path(path: &str) -> Result<String, String> {
    if path.contains("://") || path.starts_with("//") {
        return Err(format!(
            "`{path}` is a remote address; Lectern builds offline, so put the file in the deck folder"
        ));
    }
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return Err(format!(
            "`{path}` is an absolute path; name files relative to the deck folder"
        ));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{path}` points outside the deck folder"));
                }
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(format!("`{path}` does not name a file"));
    }
    Ok(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::check_deck_path;

    #[test]
    fn paths_stay_inside_the_deck() {
        assert_eq!(
            check_deck_path("images/a.png").as_deref(),
            Ok("/images/a.png")
        );
        assert_eq!(check_deck_path("./x/../b.svg").as_deref(), Ok("/b.svg"));
        for bad in [
            "../secret.png",
            "a/../../b",
            "/etc/passwd",
            "https://x.org/a.png",
            "C:/x",
            "",
        ] {
            assert!(check_deck_path(bad).is_err(), "{bad}");
        }
    }
}
