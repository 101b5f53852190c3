//! Columns: the column boundaries the dialect rewrite found (pandoc and Quarto `.columns`
//! divs, Slidev's `::left::` / `::right::` slots, presenterm's `column_layout`) turned into
//! column blocks of each slide.

use crate::dialects::ColumnMark;
use crate::model::{Block, BlockKind, Deck, Slide};

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

/// Regroups each slide's blocks by the column `marks` (sorted by offset) inside it. A mark
/// after a separator (`rules`, by where they end) and before the next slide's title belongs
/// to that next slide.
pub(crate) fn apply(deck: &mut Deck, marks: &[(usize, ColumnMark)], rules: &[usize]) {
    if marks.is_empty() {
        return;
    }
    let owner = |at: usize| -> usize {
        let k = deck
            .slides
            .iter()
            .rposition(|s| s.range.start <= at)
            .unwrap_or(0);
        let next_slide = k + 1 < deck.slides.len()
            && rules
                .iter()
                .any(|&r| deck.slides[k].range.end <= r && r <= at);
        k + usize::from(next_slide)
    };
    let owners: Vec<usize> = marks.iter().map(|(at, _)| owner(*at)).collect();
    for (k, slide) in deck.slides.iter_mut().enumerate() {
        let mine: Vec<&(usize, ColumnMark)> = marks
            .iter()
            .zip(&owners)
            .filter(|(_, owner)| **owner == k)
            .map(|(mark, _)| mark)
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
        // A title written inside the first column (remark's `.left-column[ ## Checks ]`)
        // heads that column.
        let title_in_column = mine
            .first()
            .is_some_and(|(at, m)| *at < slide.range.start && !matches!(m, ColumnMark::Right));
        let right_only = mine.iter().all(|(_, m)| matches!(m, ColumnMark::Right));
        if title_in_column || right_only && second_column_has_heading(slide) {
            title_back_into_column(slide);
        }
    }
}

/// Slidev's `two-cols`: when both columns open with a heading, the first one (taken as the
/// slide's title) heads its column again, so that the two headings stand side by side.
fn second_column_has_heading(slide: &Slide) -> bool {
    matches!(slide.blocks.first(), Some(Block { kind: BlockKind::Columns { columns, .. }, .. })
        if columns.get(1).and_then(|c| c.first()).is_some_and(|b| matches!(b.kind, BlockKind::Heading { .. })))
}

/// Moves the slide's title to the top of its first column, as a heading.
fn title_back_into_column(slide: &mut Slide) {
    let Some(Block {
        kind: BlockKind::Columns { columns, .. },
        range,
    }) = slide.blocks.first_mut()
    else {
        return;
    };
    if slide.title.is_empty() {
        return;
    }
    let level = columns
        .iter()
        .flatten()
        .find_map(|b| match b.kind {
            BlockKind::Heading { level, .. } => Some(level),
            _ => None,
        })
        .unwrap_or(1);
    let start = slide.range.start;
    columns[0].insert(
        0,
        Block {
            kind: BlockKind::Heading {
                level,
                content: std::mem::take(&mut slide.title),
            },
            range: start..range.start,
        },
    );
    range.start = start;
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
