//! Which old slide became which new one: identical slides first, then the most similar by
//! title and words; the pairs kept in order (a longest increasing run) are in place, the rest
//! moved.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::Slide;

/// A pair needs at least this much word overlap (Jaccard) when the titles differ: a renamed
/// slide keeps most of its words, a slide replaced by another of the same pattern does not.
const SIMILAR: f64 = 0.7;

/// `(old, new)` index pairs, sorted by old index.
pub(crate) fn pair(old: &[Slide], new: &[Slide]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    // Identical slides, in order (two identical slides pair first with first).
    let mut by_print: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, slide) in old.iter().enumerate().rev() {
        by_print.entry(fingerprint(slide)).or_default().push(i);
    }
    for (j, slide) in new.iter().enumerate() {
        if let Some(i) = by_print.get_mut(&fingerprint(slide)).and_then(Vec::pop) {
            pairs.push((i, j));
            old_used[i] = true;
            new_used[j] = true;
        }
    }
    // The rest by similarity, best first; position breaks ties so that of two slides titled
    // alike the nearer one pairs.
    let words_old: Vec<HashSet<&str>> = old.iter().map(words).collect();
    let words_new: Vec<HashSet<&str>> = new.iter().map(words).collect();
    let mut candidates = Vec::new();
    for (i, a) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        for (j, b) in new.iter().enumerate().filter(|(j, _)| !new_used[*j]) {
            let same_title = !a.title.trim().is_empty() && a.title == b.title;
            let overlap = jaccard(&words_old[i], &words_new[j]);
            if !same_title && overlap < SIMILAR {
                continue;
            }
            let place = (i as f64 / old.len() as f64 - j as f64 / new.len() as f64).abs();
            let score = f64::from(u8::from(same_title)) + overlap - place * 0.01;
            candidates.push((score, i, j));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, i, j) in candidates {
        if !old_used[i] && !new_used[j] {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// For pairs sorted by old index: true for those in a longest run increasing in the new
/// index too (in place), false for the others (moved).
pub(crate) fn in_order(pairs: &[(usize, usize)]) -> Vec<bool> {
    // Patience sorting: `tails[k]` ends the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        back[k] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut keep = vec![false; pairs.len()];
    let mut at = tails.last().copied();
    while let Some(k) = at {
        keep[k] = true;
        at = back[k];
    }
    keep
}

fn fingerprint(slide: &Slide) -> u64 {
    let mut hasher = DefaultHasher::new();
    slide.hash(&mut hasher);
    hasher.finish()
}

impl Hash for Slide {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.title.hash(state);
        self.text.hash(state);
        self.figures.hash(state);
        self.images.hash(state);
        self.notes.hash(state);
        for page in &self.pages {
            (page.width, page.height).hash(state);
            page.pixels.hash(state);
        }
    }
}

fn words(slide: &Slide) -> HashSet<&str> {
    slide
        .title
        .split_whitespace()
        .chain(slide.text.split_whitespace())
        .collect()
}

fn jaccard(a: &HashSet<&str>, b: &HashSet<&str>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}
