//! The pdfpc sidecar (`X.pdfpc`, pdfpc's JSON format 2): page labels, overlays and speaker
//! notes, so the presenter console shows each slide's notes on all of its overlay pages; and the
//! talk's timing from the front matter (`duration`, `end-slide`, `last-minutes`).

use lectern_deck::Deck;
use serde_json::json;

/// The sidecar for a compiled deck; `slide_pages` are each slide's 1-based pages.
pub fn pdfpc(deck: &Deck, slide_pages: &[Vec<usize>]) -> String {
    let mut pages = Vec::new();
    for (i, (slide, slide_pages)) in deck.slides.iter().zip(slide_pages).enumerate() {
        let note = slide.notes.join("\n\n");
        for (overlay, page) in slide_pages.iter().enumerate() {
            let mut entry = json!({
                "idx": page - 1,
                "label": (i + 1).to_string(),
                "overlay": overlay,
                "forcedOverlay": false,
                "hidden": false,
            });
            if !note.is_empty() {
                entry["note"] = json!(note);
            }
            pages.push(entry);
        }
    }
    let mut sidecar = json!({
        "pdfpcFormat": 2,
        "disableMarkdown": false,
    });
    let meta = &deck.meta;
    // pdfpc counts `duration` and `lastMinutes` in minutes and `endSlide` in user slides (1-based).
    if let Some(minutes) = meta.duration {
        sidecar["duration"] = json!(minutes);
    }
    if let Some(slide) = meta.end_slide {
        sidecar["endSlide"] = json!(slide);
    }
    if let Some(minutes) = meta.last_minutes {
        sidecar["lastMinutes"] = json!(minutes);
    }
    sidecar["pages"] = json!(pages);
    serde_json::to_string_pretty(&sidecar).unwrap_or_default() + "\n"
}
