//! One self-contained HTML file that presents a deck from `file://`: the slides embedded as
//! SVG, with the audience view and the presenter console of the live server built in (the same
//! page). No network: nothing is loaded from anywhere else.

use serde_json::{Value, json};

/// The audience view and the presenter console (one page; the path or `#presenter` picks).
pub const PAGE: &str = include_str!("present.html");

/// Where the page takes an embedded deck.
const DECK_MARK: &str = "<!--LECTERN-DECK-->";

/// The page with `svgs` (one per PDF page) and the presentation model embedded.
pub fn html(svgs: &[&str], meta: &Value) -> String {
    let deck = json!({"slides": svgs, "meta": meta}).to_string();
    // `<` escaped, so no `</script>` or `<!--` inside the data can end or bend the element.
    let deck = deck.replace('<', "\\u003c");
    let title = meta["title"]
        .as_str()
        .filter(|t| !t.is_empty())
        .unwrap_or("Lectern");
    let lang = meta["lang"].as_str().unwrap_or("en");
    PAGE.replacen(
        "<title>Lectern</title>",
        &format!("<title>{}</title>", escape(title)),
        1,
    )
    .replacen(
        "<html lang=\"en\">",
        &format!("<html lang=\"{}\">", escape(lang)),
        1,
    )
    .replacen(
        DECK_MARK,
        &format!("<script id=\"lectern-deck\" type=\"application/json\">{deck}</script>"),
        1,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_end_its_script_element() {
        let meta = json!({"title": "A </title> & B", "lang": "bg", "slides": []});
        let page = html(&["<svg></script><!-- x --></svg>"], &meta);
        assert_eq!(
            page.matches("</script>").count(),
            PAGE.matches("</script>").count() + 1
        );
        assert!(page.contains("<title>A &lt;/title&gt; &amp; B</title>"));
        assert!(page.contains("<html lang=\"bg\">"));
        assert!(!page.contains(DECK_MARK));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "nothing from the network"
        );
    }
}
