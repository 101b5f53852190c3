//! Columns: the column boundaries the dialect rewrite found (pandoc and Quarto `.columns`
//! divs, Slidev's `::left::` / `::right::` slots, presenterm's `column_layout`) turned into
//! column blocks of each slide.

use crate::dialects::ColumnMark;
use crate::model::{Block, BlockKind, Deck};

/// Columns being collected.
#[derive(Default)]
struct Group {
    /// presenterm's weights, if given.
    weights: Vec<f64>,
    /// pandoc's width of each column, if given.
    widths: Vec<Option<f64>>,
    columns: Vec<Vec<Block>>,
    current: Option<usize>,
}

impl Group {
    fn select(&mut self, index: usize) {
        while self.columns.len() <= index {
            self.columns.push(Vec::new());
            self.widths.push(None);
        }
        self.current = Some(index);
    }

    /// The columns as one block (or, for a single column, its blocks as they are).
    fn finish(self, out: &mut Vec<Block>) {
        let Group {
            weights,
            widths,
            columns,
            ..
        } = self;
        if columns.len() < 2 {
            out.extend(columns.into_iter().flatten());
            return;
        }
        let shares: Vec<f64> = if weights.len() == columns.len() {
            weights
        } else {
            let given: f64 = widths.iter().flatten().sum();
            let missing = widths.iter().filter(|w| w.is_none()).count();
            let rest = if missing > 0 {
                ((1.0 - given).max(0.0) / missing as f64).max(0.05)
            } else {
                0.0
            };
            widths.iter().map(|w| w.unwrap_or(rest)).collect()
        };
        let total: f64 = shares.iter().sum();
        let widths = shares
            .iter()
            .map(|s| ((s / total) * 1000.0).round() / 1000.0)
            .collect();
        let start = columns.iter().flatten().map(|b| b.range.start).min();
        let end = columns.iter().flatten().map(|b| b.range.end).max();
        // Columns with nothing in them are spacers (Quarto decks use them): kept.
        out.push(Block {
            kind: BlockKind::Columns { widths, columns },
            range: start.unwrap_or(0)..end.unwrap_or(0),
        });
    }
}

/// Regroups each slide's blocks by the column `marks` (sorted by offset) inside it.
pub(crate) fn apply(deck: &mut Deck, marks: &[(usize, ColumnMark)], end_of_file: usize) {
    if marks.is_empty() {
        return;
    }
    let starts: Vec<usize> = deck.slides.iter().map(|s| s.range.start).collect();
    for (k, slide) in deck.slides.iter_mut().enumerate() {
        let from = slide.range.start;
        let to = starts.get(k + 1).copied().unwrap_or(end_of_file);
        let mine: Vec<&(usize, ColumnMark)> = marks
            .iter()
            .filter(|(at, _)| from <= *at && *at < to)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut out: Vec<Block> = Vec::new();
        let mut group: Option<Group> = None;
        let mut next = 0;
        let blocks = std::mem::take(&mut slide.blocks);
        for block in blocks {
            while let Some((at, mark)) = mine.get(next) {
                if *at > block.range.start {
                    break;
                }
                apply_mark(mark, &mut group, &mut out);
                next += 1;
            }
            match group.as_mut() {
                Some(g) if g.current.is_some() => {
                    let i = g.current.unwrap_or(0);
                    g.columns[i].push(block);
                }
                _ => out.push(block),
            }
        }
        for (_, mark) in &mine[next..] {
            apply_mark(mark, &mut group, &mut out);
        }
        if let Some(g) = group.take() {
            g.finish(&mut out);
        }
        slide.blocks = out;
    }
}

fn apply_mark(mark: &ColumnMark, group: &mut Option<Group>, out: &mut Vec<Block>) {
    match mark {
        ColumnMark::Begin(weights) => {
            if let Some(g) = group.take() {
                g.finish(out);
            }
            *group = Some(Group {
                weights: weights.clone(),
                ..Group::default()
            });
        }
        ColumnMark::Column { index, width } => {
            let g = group.get_or_insert_with(Group::default);
            let i = index.unwrap_or(g.columns.len());
            g.select(i);
            if width.is_some() {
                g.widths[i] = *width;
            }
        }
        ColumnMark::End => {
            if let Some(g) = group.take() {
                g.finish(out);
            }
        }
        ColumnMark::Left => {
            if let Some(g) = group.take() {
                g.finish(out);
            }
            let mut g = Group::default();
            g.select(0);
            *group = Some(g);
        }
        ColumnMark::Right => {
            let g = group.get_or_insert_with(|| {
                // Everything since the title is the left column.
                let mut g = Group::default();
                g.select(0);
                g.columns[0] = std::mem::take(out);
                g
            });
            let i = g.columns.len();
            g.select(i);
        }
    }
}
