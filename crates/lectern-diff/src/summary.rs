//! The terminal summary: one line per changed, added, removed or moved slide, then totals.

use crate::{Aspect, Change, Diff, Slide};

/// The summary line of `change`, e.g. `~ 12 Few-Shot Learning (text, chart)`, `+ 13 New
/// example`, `- 40 Old slide`, `> 7 → 9 Moved`; slide numbers are 1-based.
pub fn line(change: &Change, old: &[Slide], new: &[Slide], color: bool) -> String {
    let paint = |code: &str, mark: &str| {
        if color {
            format!("\x1b[{code}m{mark}\x1b[0m")
        } else {
            mark.to_string()
        }
    };
    match change {
        Change::Changed {
            old: i,
            new: j,
            aspects,
            moved,
            ..
        } => {
            let (a, b) = (&old[*i], &new[*j]);
            let (number, what) = changed(*i, *j, aspects, *moved);
            let renamed = if a.title != b.title && !a.title.trim().is_empty() {
                format!(" (was “{}”)", a.title.trim())
            } else {
                String::new()
            };
            format!(
                "{} {number} {}{renamed} ({})",
                paint("33", "~"),
                name(b),
                what
            )
        }
        Change::Added { new: j } => format!("{} {} {}", paint("32", "+"), j + 1, name(&new[*j])),
        Change::Removed { old: i } => {
            format!("{} {} {}", paint("31", "-"), i + 1, name(&old[*i]))
        }
        Change::Moved { old: i, new: j } => format!(
            "{} {} → {} {}",
            paint("36", ">"),
            i + 1,
            j + 1,
            name(&new[*j])
        ),
    }
}

/// How a changed slide is numbered (`12`, or `7 → 9` when it moved) and what changed
/// (`text, chart`).
pub(crate) fn changed(old: usize, new: usize, aspects: &[Aspect], moved: bool) -> (String, String) {
    let mut what: Vec<&str> = aspects.iter().map(Aspect::name).collect();
    if moved {
        what.push("moved");
    }
    let number = if moved {
        format!("{} → {}", old + 1, new + 1)
    } else {
        (new + 1).to_string()
    };
    (number, what.join(", "))
}

/// The totals line, e.g. `4 slides differ: 2 changed, 1 added, 1 removed (40 → 41 slides)`.
pub fn totals(diff: &Diff) -> String {
    let sizes = if diff.old_slides == diff.new_slides {
        format!("{} slides", diff.new_slides)
    } else {
        format!("{} → {} slides", diff.old_slides, diff.new_slides)
    };
    if diff.is_empty() {
        return format!("no visible change ({sizes})");
    }
    let counts = diff.counts();
    let parts: Vec<String> = counts
        .iter()
        .zip(["changed", "added", "removed", "moved"])
        .filter(|(n, _)| **n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    let total: usize = counts.iter().sum();
    let noun = if total == 1 {
        "slide differs"
    } else {
        "slides differ"
    };
    format!("{total} {noun}: {} ({sizes})", parts.join(", "))
}

/// How a slide is named: its title, else its first words, else `(untitled)`.
pub(crate) fn name(slide: &Slide) -> String {
    let title = slide.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if !title.is_empty() {
        return title;
    }
    let source = if slide.label.trim().is_empty() {
        &slide.text
    } else {
        &slide.label
    };
    let words: Vec<&str> = source.split_whitespace().take(6).collect();
    if words.is_empty() {
        "(untitled)".to_string()
    } else {
        let more = if source.split_whitespace().count() > 6 {
            "…"
        } else {
            ""
        };
        format!("“{}{more}”", words.join(" "))
    }
}
