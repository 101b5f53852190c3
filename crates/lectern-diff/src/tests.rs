//! Matching and classification on made-up slides (one-pixel "pages" standing for renders).

use super::*;

fn slide(title: &str, text: &str) -> Slide {
    Slide {
        title: title.to_string(),
        text: text.to_string(),
        pages: vec![page(title.len() as u8 + text.len() as u8)],
        ..Slide::default()
    }
}

fn page(shade: u8) -> Raster {
    Raster {
        width: 1,
        height: 1,
        pixels: vec![shade, shade, shade, 255],
    }
}

fn deck(titles: &[&str]) -> Vec<Slide> {
    titles
        .iter()
        .map(|t| slide(t, &format!("body of {t} with several shared words")))
        .collect()
}

fn lines(old: &[Slide], new: &[Slide]) -> Vec<String> {
    diff(old, new)
        .changes
        .iter()
        .map(|c| line(c, old, new, false))
        .collect()
}

#[test]
fn identical_builds_have_no_change() {
    let a = deck(&["One", "Two", "Three"]);
    let d = diff(&a, &a.clone());
    assert!(d.is_empty());
    assert_eq!(totals(&d), "no visible change (3 slides)");
}

#[test]
fn an_insertion_shifts_later_slides_without_changing_them() {
    let old = deck(&["One", "Two", "Three", "Four"]);
    let mut new = old.clone();
    new.insert(1, slide("New example", "fresh words only here"));
    assert_eq!(lines(&old, &new), ["+ 2 New example"]);
    assert_eq!(
        totals(&diff(&old, &new)),
        "1 slide differs: 1 added (4 → 5 slides)"
    );
}

#[test]
fn a_removal_is_named_by_its_old_number() {
    let old = deck(&["One", "Two", "Three", "Old slide"]);
    let new = old[..3].to_vec();
    assert_eq!(lines(&old, &new), ["- 4 Old slide"]);
}

#[test]
fn a_move_is_one_line_not_a_shift_of_everything() {
    let old = deck(&["A", "B", "C", "D", "E", "F", "Moved", "H", "I", "J"]);
    let mut new = old.clone();
    let moved = new.remove(6);
    new.insert(8, moved);
    assert_eq!(lines(&old, &new), ["> 7 → 9 Moved"]);
}

#[test]
fn a_changed_slide_is_matched_by_title_and_says_what_changed() {
    let old = deck(&["Intro", "Few-Shot Learning", "End"]);
    let mut new = old.clone();
    new[1].text.push_str(" and one more sentence");
    new[1].pages = vec![page(1)];
    new[1].figures = vec![("chart".into(), 2)];
    let mut old = old;
    old[1].figures = vec![("chart".into(), 1)];
    assert_eq!(lines(&old, &new), ["~ 2 Few-Shot Learning (text, chart)"]);
}

#[test]
fn a_renamed_slide_with_the_same_words_is_a_change_not_a_swap() {
    let old = vec![slide(
        "Results",
        "accuracy rises with scale on every benchmark we ran",
    )];
    let new = vec![slide(
        "Findings",
        "accuracy rises with scale on every benchmark we ran",
    )];
    assert_eq!(lines(&old, &new), ["~ 1 Findings (was “Results”) (text)"]);
}

#[test]
fn same_text_different_pixels_is_layout_and_notes_count() {
    let old = deck(&["One", "Two"]);
    let mut new = old.clone();
    new[0].pages = vec![page(200)];
    new[1].notes = "say this".into();
    assert_eq!(lines(&old, &new), ["~ 1 One (layout)", "~ 2 Two (notes)"]);
}

#[test]
fn a_deck_that_did_not_exist_is_all_added() {
    let new = deck(&["One", "Two"]);
    assert_eq!(lines(&[], &new), ["+ 1 One", "+ 2 Two"]);
}

#[test]
fn untitled_slides_are_named_by_their_first_words() {
    let old = vec![slide("", "a quote that opens the lecture and goes on")];
    assert_eq!(lines(&old, &[]), ["- 1 “a quote that opens the lecture…”"]);
}

#[test]
fn regions_outline_what_changed() {
    let blank = Raster {
        width: 240,
        height: 120,
        pixels: vec![255; 240 * 120 * 4],
    };
    let mut ink = blank.clone();
    for y in 10..14 {
        for x in 40..50 {
            let at = (y * 240 + x) * 4;
            ink.pixels[at..at + 3].copy_from_slice(&[0, 0, 0]);
        }
    }
    let found = regions(&blank, &ink);
    assert_eq!(found.len(), 1, "{found:?}");
    let r = found[0];
    assert!(
        r.x <= 40.0 / 240.0 && r.x + r.width >= 50.0 / 240.0,
        "{r:?}"
    );
    assert!(
        r.y <= 10.0 / 120.0 && r.y + r.height >= 14.0 / 120.0,
        "{r:?}"
    );
    assert!(r.width < 0.15 && r.height < 0.3, "{r:?}");
    assert!(regions(&blank, &blank).is_empty());
}
