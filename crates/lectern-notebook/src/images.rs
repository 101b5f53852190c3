//! Output images and pasted attachments as files: decoded, named by what their bytes are
//! (not the MIME type they were stored under), SVG given its namespace.

use base64::Engine;

use crate::Options;
use crate::model::MimeBundle;

/// Image types in the order preferred (vector first).
pub(crate) const IMAGES: [&str; 5] = [
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
];

/// What an image's bytes are, as a file extension; `None` for what is no image Lectern
/// shows.
pub(crate) fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF8") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        head.contains("<svg").then_some("svg")
    }
}

/// A Markdown cell's attachment as a file: its path and bytes (an image only).
pub(crate) fn attachment(
    options: &Options,
    i: usize,
    name: &str,
    bundle: &MimeBundle,
) -> Option<(String, Vec<u8>)> {
    let (mime, data) = IMAGES
        .iter()
        .find_map(|mime| bundle.get(*mime).map(|d| (*mime, d)))?;
    let stem: String = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    // A name with no letters of Latin script left (`图.png`) is named for what it is.
    let stem = if stem.chars().any(|c| c.is_ascii_alphanumeric()) {
        stem
    } else {
        "attachment".to_string()
    };
    let bytes = decode(mime, data)?;
    let ext = image_kind(&bytes)?;
    let path = format!("{}/cell-{}-{stem}.{ext}", options.image_dir, i + 1);
    Some((path, bytes))
}

pub(crate) fn decode(mime: &str, data: &str) -> Option<Vec<u8>> {
    if mime == "image/svg+xml" {
        return Some(with_svg_namespace(data).into_bytes());
    }
    let compact: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// SVG as browsers read it: an `<svg>` without its namespace (R's and some libraries'
/// output) is given one, as an SVG file needs it.
fn with_svg_namespace(svg: &str) -> String {
    let lower = svg.to_ascii_lowercase();
    match lower.find("<svg") {
        Some(at)
            if !lower[at..]
                .split('>')
                .next()
                .unwrap_or("")
                .contains("xmlns=") =>
        {
            let at = at + "<svg".len();
            format!(
                "{} xmlns=\"http://www.w3.org/2000/svg\"{}",
                &svg[..at],
                &svg[at..]
            )
        }
        _ => svg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_named_by_what_they_are() {
        assert_eq!(image_kind(b"GIF87a..."), Some("gif"));
        assert_eq!(image_kind(b"\x89PNG\r\n"), Some("png"));
        assert_eq!(image_kind(b"plain text"), None);
        assert_eq!(
            with_svg_namespace("<svg width=\"1\"><circle r=\"1\"/></svg>"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"><circle r=\"1\"/></svg>"
        );
        let namespaced = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(with_svg_namespace(namespaced), namespaced);
    }
}
