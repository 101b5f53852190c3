//! What the audience view and the presenter console need besides the slide images: which
//! pages are steps of which slide, slide titles and sections (the jump list), speaker notes as
//! HTML, and the talk's timing. Pure: built from the parsed deck and the compiled page map.

use lectern_deck::model::plain_text;
use lectern_deck::{Deck, SlideKind};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};

/// pdfpc's default for the warning before the end.
pub const LAST_MINUTES: u32 = 5;

/// The presentation model as JSON; `slide_pages` are each slide's 1-based pages.
pub fn model(deck: &Deck, slide_pages: &[Vec<usize>]) -> Value {
    let meta = &deck.meta;
    let deck_title = meta.title.clone().unwrap_or_default();
    let mut sections = Vec::new();
    let mut slides = Vec::new();
    for (i, (slide, pages)) in deck.slides.iter().zip(slide_pages).enumerate() {
        let mut title = plain_text(&slide.title).trim().to_string();
        let titled = !title.is_empty();
        if !titled {
            title = match slide.kind {
                SlideKind::Title if !deck_title.is_empty() => deck_title.clone(),
                _ => format!("Slide {}", i + 1),
            };
        }
        if slide.starts_section {
            sections.push(json!({"title": title, "slide": i}));
        }
        let section = slide.section.and_then(|s| {
            deck.sections()
                .position(|sec| std::ptr::eq(sec, &deck.slides[s]))
        });
        slides.push(json!({
            "title": title,
            // A made-up title (`Slide 3`) names a place, not the slide.
            "titled": titled || slide.kind == SlideKind::Title,
            "section": section,
            "pages": pages.iter().map(|p| p - 1).collect::<Vec<_>>(),
            "notes": notes_html(&slide.notes.join("\n\n")),
        }));
    }
    json!({
        "title": deck_title,
        "lang": meta.lang.clone().unwrap_or_else(|| "en".into()),
        "duration": meta.duration,
        "endSlide": meta.end_slide.unwrap_or(deck.slides.len()).min(deck.slides.len()),
        "lastMinutes": meta.last_minutes.unwrap_or(LAST_MINUTES),
        "slides": slides,
        "sections": sections,
    })
}

/// Speaker notes (Markdown) as HTML. Raw HTML in the notes is shown as typed, never run: the
/// exported file goes to students, and what the lecturer types is text. Links go to the web
/// or to mail only, in a new window (the console stays); images are named, not fetched.
pub fn notes_html(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // Whether each open link was kept (a link's text stays either way).
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Image { .. }) => Some(Event::Text("[image: ".into())),
        Event::End(TagEnd::Image) => Some(Event::Text("]".into())),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = web_link(dest_url);
            links.push(keep);
            keep.then_some(event)
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(event),
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Raw HTML was escaped above, so every `<a href=` is a link of ours.
    html.replace(
        "<a href=",
        "<a target=\"_blank\" rel=\"noopener noreferrer\" href=",
    )
}

/// Addresses a link in the notes may open.
fn web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_markdown_and_html_stays_text() {
        assert_eq!(notes_html(""), "");
        assert_eq!(
            notes_html("Say **this**, then\n\n- one\n- two"),
            "<p>Say <strong>this</strong>, then</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
        let html = notes_html("<script>alert(1)</script> and <b>x</b>");
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let html = notes_html(
            "[docs](https://example.org) [bad](javascript:alert(1)) <javascript:x> ![a cat](http://x/cat.png)",
        );
        assert!(
            html.contains("<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"https://example.org\">docs</a>"),
            "{html}"
        );
        assert!(
            !html.contains("javascript:alert") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("bad") && html.contains("[image: a cat]"),
            "{html}"
        );
    }

    #[test]
    fn pages_titles_sections_and_timing() {
        let src = "---\ntitle: Talk\nduration: 45min\nend-slide: 3\n---\n\n# Part A\n\n## One\n\n- a\n- b\n\n<!-- say *hi* -->\n\n## Two\n\ntext\n\n# Part B\n\n## Three\n\nx\n";
        let (deck, _) = lectern_deck::parse(src, "deck.md");
        let pages: Vec<Vec<usize>> = (1..=deck.slides.len()).map(|n| vec![n]).collect();
        let model = model(&deck, &pages);
        assert_eq!(model["duration"], 45);
        assert_eq!(model["endSlide"], 3);
        assert_eq!(model["lastMinutes"], 5);
        let titles: Vec<&str> = model["slides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Talk", "Part A", "One", "Two", "Part B", "Three"]);
        let sections: Vec<&str> = model["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect();
        assert_eq!(sections, ["Part A", "Part B"]);
        assert_eq!(model["slides"][3]["section"], 0);
        assert_eq!(model["slides"][5]["section"], 1);
        assert_eq!(model["slides"][2]["notes"], "<p>say <em>hi</em></p>\n");
        assert_eq!(model["slides"][2]["pages"], json!([2]));
    }
}
