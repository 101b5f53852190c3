//! The deck's front matter from a notebook: its first cell's YAML, with what the notebook's
//! metadata implies and the slide level chosen from how much each heading level's slides
//! would hold.

use serde_json::Value;

use crate::markdown::{atx_heading, html_heading};
use crate::model::{CellKind, Notebook};
use crate::options::Show;

/// Average text per slide (characters, an image counting as a paragraph or two) above which
/// a notebook's headings one level deeper open slides too.
const SLIDE_BUDGET: usize = 1200;
/// What an image output counts for in that average.
const IMAGE_WEIGHT: usize = 600;

/// The first cell shown, when it opens with a YAML front matter (Quarto's raw cell, or a
/// Markdown cell): its index and where its closing `---` line starts.
pub(crate) fn front_matter_cell(nb: &Notebook, shows: &[Show]) -> Option<(usize, usize)> {
    let (i, cell) = nb
        .cells
        .iter()
        .enumerate()
        .find(|(i, c)| shows[*i].cell && !c.source.trim().is_empty())?;
    if cell.kind == CellKind::Code || !cell.source.starts_with("---") {
        return None;
    }
    let mut at = 0;
    for (n, line) in cell.source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if n == 0 && trimmed != "---" {
            return None;
        }
        if n > 0 && (trimmed == "---" || trimmed == "...") {
            // Settings only: `---`, a line of text, `---` is a rule and a setext heading.
            let yaml = &cell.source[cell.source.find('\n')? + 1..at];
            let settings = matches!(
                serde_yaml::from_str::<serde_yaml::Value>(yaml),
                Ok(serde_yaml::Value::Mapping(_))
            );
            return settings.then_some((i, at));
        }
        at += line.len();
    }
    None
}

/// Front-matter lines the notebook implies and its own front matter does not set: the
/// metadata's title, authors and `lectern` settings, and the slide structure (RISE's slide
/// types, or the heading level that gives slides of a readable size). Also returns the
/// slide level the deck will have, where it is known.
pub(crate) fn extra_keys(
    nb: &Notebook,
    shows: &[Show],
    front: Option<&str>,
    rise: bool,
) -> (String, Option<u8>) {
    let set_level = front.and_then(|f| {
        f.lines()
            .find_map(|l| l.strip_prefix("slide-level:"))
            .and_then(|v| v.trim().trim_matches(['"', '\'']).parse::<u8>().ok())
    });
    let has = |key: &str| {
        front.is_some_and(|f| {
            f.lines()
                .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        })
    };
    let mut lines = String::new();
    let mut written: Vec<String> = Vec::new();
    // The front matter's own keys first, then `metadata.lectern`, then the metadata's
    // title and authors: a key is written once (YAML rejects a key twice).
    let mut add = |key: &str, value: &Value| {
        if has(key) || written.iter().any(|k| k == key) {
            return;
        }
        written.push(key.to_string());
        // JSON is YAML: a key or value written as JSON needs no escaping of its own.
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if plain {
            lines.push_str(&format!("{key}: {value}\n"));
        } else {
            lines.push_str(&format!("{}: {value}\n", Value::from(key)));
        }
    };
    let settings_level = nb
        .settings
        .get("slide-level")
        .and_then(Value::as_u64)
        .and_then(|l| u8::try_from(l).ok());
    for (key, value) in &nb.settings {
        // A slide level that is not a number is left to the deck's own warning below.
        if key != "slide-level" || settings_level.is_some() {
            add(key, value);
        }
    }
    // A notebook that opens with a `#` heading has its title there already.
    let opens_with_title = nb
        .cells
        .iter()
        .zip(shows)
        .find(|(c, s)| s.cell && c.kind != CellKind::Code && !c.source.trim().is_empty())
        .is_some_and(|(c, _)| c.source.trim_start().starts_with("# "));
    if let Some(title) = nb.title.as_ref().filter(|_| !opens_with_title) {
        add("title", &Value::from(title.as_str()));
    }
    if !nb.authors.is_empty() {
        add("author", &Value::from(nb.authors.clone()));
    }
    let mut level = set_level.or(settings_level);
    if !has("slide-level") && level.is_none() {
        // Only RISE's slide cells open slides; a notebook without headings is cut where
        // slides fill up (`---`).
        level = if rise {
            Some(0)
        } else {
            Some(slide_level(nb, shows).unwrap_or(0))
        };
        if let Some(level) = level {
            add("slide-level", &Value::from(level));
        }
    }
    (lines, level)
}

/// The highest heading level whose slides hold on average a readable amount; `None` for a
/// notebook with no headings.
fn slide_level(nb: &Notebook, shows: &[Show]) -> Option<u8> {
    let mut counts = [0usize; 7];
    let mut weight = 0;
    for (cell, show) in nb.cells.iter().zip(shows).filter(|(_, s)| s.cell) {
        match cell.kind {
            CellKind::Code => {
                if show.input {
                    weight += cell.source.chars().count();
                }
                if show.output {
                    weight += cell.outputs.len() * IMAGE_WEIGHT;
                }
            }
            _ => {
                let mut fenced = false;
                for line in cell.source.lines() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                        fenced = !fenced;
                    }
                    let html = html_heading(trimmed.trim_end());
                    let heading = atx_heading(html.as_deref().unwrap_or(line)).filter(|_| !fenced);
                    if let Some((level, _)) = heading {
                        counts[level] += 1;
                    } else {
                        weight += line.chars().count();
                    }
                }
            }
        }
    }
    // A lone `#` heading is the deck's title, not a slide.
    if counts[1] == 1 {
        counts[1] = 0;
    }
    let levels: Vec<usize> = (1..=6).filter(|&l| counts[l] > 0).collect();
    let deepest = *levels.last()?;
    let chosen = levels
        .iter()
        .copied()
        .find(|&level| {
            let slides: usize = counts[1..=level].iter().sum();
            weight / (slides + 1) <= SLIDE_BUDGET
        })
        .unwrap_or(deepest);
    Some(chosen as u8)
}
