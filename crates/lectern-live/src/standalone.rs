//! One self-contained HTML file that presents a deck from `file://`: the slides embedded as
//! SVG, with the audience view and the presenter console of the live server built in (the same
//! page). No network: nothing is loaded from anywhere else.
//!
//! The slides and the model travel as one JSON document, deflated and in base64 (a fifth of
//! the size: every page repeats its glyph outlines), which the page inflates with the
//! browser's own `DecompressionStream`.

use std::io::Write;

use base64::Engine;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde_json::{Value, json};

/// The audience view and the presenter console (one page; the path or `#presenter` picks).
pub const PAGE: &str = include_str!("present.html");

/// Where the page takes an embedded deck.
const DECK_MARK: &str = "<!--LECTERN-DECK-->";

/// The page with `svgs` (one per PDF page) and the presentation model embedded.
pub fn html(svgs: &[&str], meta: &Value) -> String {
    let deck = json!({"slides": svgs, "meta": meta}).to_string();
    let packed = base64::engine::general_purpose::STANDARD.encode(deflate(deck.as_bytes()));
    let title = meta["title"]
        .as_str()
        .filter(|t| !t.is_empty())
        .unwrap_or("Lectern");
    let lang = meta["lang"].as_str().unwrap_or("en");
    // Base64 holds no `<`: the data cannot end its element.
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
        &format!(
            "<script id=\"lectern-deck\" type=\"application/octet-stream\" \
             data-encoding=\"deflate-raw+base64\">{packed}</script>"
        ),
        1,
    )
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
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
    use std::io::Read;

    #[test]
    fn the_deck_is_packed_and_round_trips() {
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
        let start = page.find("deflate-raw+base64\">").expect("deck") + 20;
        let end = start + page[start..].find('<').expect("end");
        let packed = base64::engine::general_purpose::STANDARD
            .decode(&page[start..end])
            .expect("base64");
        let mut json = String::new();
        flate2::read::DeflateDecoder::new(&packed[..])
            .read_to_string(&mut json)
            .expect("inflate");
        let deck: Value = serde_json::from_str(&json).expect("json");
        assert_eq!(deck["slides"][0], "<svg></script><!-- x --></svg>");
        assert_eq!(deck["meta"], meta);
    }
}
