//! What changed between two builds of a deck, slide by slide. Pure: the caller builds both
//! revisions and hands over what each slide shows ([`Slide`]); this crate matches slides by
//! title and content (so insertions, deletions and moves are recognised, not page numbers),
//! says what kind of change each is, finds the changed regions, and writes the terminal
//! summary and the visual report's Typst markup.

mod matching;
mod regions;
mod report;
mod summary;

pub use regions::{Rect, regions};
pub use report::{Report, report_source};
pub use summary::{line, totals};

/// What one slide of a build shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slide {
    pub title: String,
    /// How an untitled slide is named in the summary (its first words, say); when empty,
    /// the first words of `text`.
    pub label: String,
    /// The text laid out on its pages (all overlay steps).
    pub text: String,
    /// Its plugin figures: kind (`chart`) and a hash of everything drawn from.
    pub figures: Vec<(String, u128)>,
    /// Hashes of the images placed on its pages (figures' drawings included).
    pub images: Vec<u128>,
    pub notes: String,
    /// Each page (overlay step) rendered.
    pub pages: Vec<Raster>,
}

/// A rendered page: RGBA pixels, row by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// What differs between a slide and its counterpart; in the order the summary names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    Text,
    /// A plugin figure of this kind (`chart`, `dot`) was drawn differently.
    Figure(String),
    Image,
    /// Same text and pictures, different pixels: the theme or layout moved things.
    Layout,
    /// Overlay steps were added or removed.
    Steps,
    Notes,
}

impl Aspect {
    pub fn name(&self) -> &str {
        match self {
            Aspect::Text => "text",
            Aspect::Figure(kind) => kind,
            Aspect::Image => "image",
            Aspect::Layout => "layout",
            Aspect::Steps => "steps",
            Aspect::Notes => "notes",
        }
    }
}

/// One line of the diff. Slide numbers are 0-based indices into the old and new builds.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The slide is in both builds and looks different (`moved` if it also changed places).
    Changed {
        old: usize,
        new: usize,
        aspects: Vec<Aspect>,
        /// Where its last pages differ, as fractions of the page.
        regions: Vec<Rect>,
        moved: bool,
    },
    Added {
        new: usize,
    },
    Removed {
        old: usize,
    },
    /// Unchanged, at another place in the order (not just shifted by an insertion).
    Moved {
        old: usize,
        new: usize,
    },
}

/// Every difference between two builds, in the new deck's order (a removed slide where it
/// was).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub old_slides: usize,
    pub new_slides: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Counts of changed, added, removed and moved slides.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for change in &self.changes {
            let i = match change {
                Change::Changed { .. } => 0,
                Change::Added { .. } => 1,
                Change::Removed { .. } => 2,
                Change::Moved { .. } => 3,
            };
            counts[i] += 1;
        }
        counts
    }
}

/// Compares two builds of a deck.
pub fn diff(old: &[Slide], new: &[Slide]) -> Diff {
    let pairs = matching::pair(old, new);
    let in_place = matching::in_order(&pairs);
    let mut keyed: Vec<((usize, usize), Change)> = Vec::new();
    let mut paired_old = vec![None; old.len()];
    for (k, &(i, j)) in pairs.iter().enumerate() {
        paired_old[i] = Some(j);
        let moved = !in_place[k];
        let aspects = aspects(&old[i], &new[j]);
        let change = if !aspects.is_empty() {
            let regions = match (old[i].pages.last(), new[j].pages.last()) {
                (Some(a), Some(b)) => regions(a, b),
                _ => vec![Rect::WHOLE],
            };
            Change::Changed {
                old: i,
                new: j,
                aspects,
                regions,
                moved,
            }
        } else if moved {
            Change::Moved { old: i, new: j }
        } else {
            continue;
        };
        keyed.push(((j, 1), change));
    }
    for (j, _) in new.iter().enumerate() {
        if !pairs.iter().any(|&(_, pj)| pj == j) {
            keyed.push(((j, 1), Change::Added { new: j }));
        }
    }
    // A removed slide goes after the new place of the nearest kept slide before it.
    for i in 0..old.len() {
        if paired_old[i].is_none() {
            let after = paired_old[..i].iter().rev().find_map(|p| *p);
            let key = after.map_or((0, 0), |j| (j, 2));
            keyed.push((key, Change::Removed { old: i }));
        }
    }
    keyed.sort_by_key(|(key, change)| {
        let old = match change {
            Change::Removed { old } => *old,
            _ => 0,
        };
        (*key, old)
    });
    Diff {
        changes: keyed.into_iter().map(|(_, c)| c).collect(),
        old_slides: old.len(),
        new_slides: new.len(),
    }
}

/// How two matched slides differ; empty if they look the same and say the same.
fn aspects(old: &Slide, new: &Slide) -> Vec<Aspect> {
    let mut aspects = Vec::new();
    if old.title != new.title || old.text != new.text {
        aspects.push(Aspect::Text);
    }
    let mut figure_changed = false;
    for (kind, key) in &new.figures {
        if !old.figures.iter().any(|f| f.0 == *kind && f.1 == *key) {
            figure_changed = true;
            aspects.push(Aspect::Figure(kind.clone()));
        }
    }
    for (kind, key) in &old.figures {
        if !new.figures.iter().any(|f| f.1 == *key) {
            figure_changed = true;
            aspects.push(Aspect::Figure(kind.clone()));
        }
    }
    // A figure's drawing is an image on the page too: a redrawn chart is not also an image.
    if !figure_changed && old.images != new.images {
        aspects.push(Aspect::Image);
    }
    if old.pages.len() != new.pages.len() {
        aspects.push(Aspect::Steps);
    }
    let looks_different =
        old.pages.len() != new.pages.len() || old.pages.iter().zip(&new.pages).any(|(a, b)| a != b);
    if aspects.is_empty() && looks_different {
        aspects.push(Aspect::Layout);
    }
    if old.notes != new.notes {
        aspects.push(Aspect::Notes);
    }
    aspects.sort();
    aspects.dedup();
    aspects
}

#[cfg(test)]
mod tests;
