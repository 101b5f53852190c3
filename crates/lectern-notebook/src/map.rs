//! Where each stretch of the generated Markdown came from, so that a diagnostic found in it
//! names the notebook cell and the line in that cell.

use std::ops::Range;

/// The origin of one stretch of Markdown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    /// Copied from a cell's source, starting at this byte of it.
    Cell { cell: usize, offset: usize },
    /// Written by Lectern for a cell (fences, outputs, markers): located at the cell's start.
    Made { cell: Option<usize> },
}

/// The generated Markdown's stretches in order, each with its origin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMap {
    segments: Vec<(Range<usize>, Origin)>,
}

impl SourceMap {
    pub(crate) fn push(&mut self, range: Range<usize>, origin: Origin) {
        if range.is_empty() {
            return;
        }
        self.segments.push((range, origin));
    }

    /// The cell (0-based) and the byte range in its source that a Markdown range came from.
    /// `None` for text of no cell (a front matter made from the notebook's metadata).
    pub fn locate(&self, range: Range<usize>) -> Option<(usize, Range<usize>)> {
        let index = self
            .segments
            .partition_point(|(r, _)| r.end <= range.start)
            .min(self.segments.len().checked_sub(1)?);
        let (segment, origin) = &self.segments[index];
        match *origin {
            Origin::Cell { cell, offset } => {
                // A range that runs past its stretch is cut at the stretch's end.
                let from = range.start.clamp(segment.start, segment.end);
                let to = range.end.clamp(from, segment.end);
                Some((
                    cell,
                    offset + from - segment.start..offset + to - segment.start,
                ))
            }
            Origin::Made { cell } => cell.map(|cell| (cell, 0..0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_map_into_their_cells() {
        let mut map = SourceMap::default();
        map.push(0..10, Origin::Cell { cell: 0, offset: 0 });
        map.push(10..14, Origin::Made { cell: Some(2) });
        map.push(14..30, Origin::Cell { cell: 2, offset: 5 });
        assert_eq!(map.locate(3..5), Some((0, 3..5)));
        assert_eq!(map.locate(11..12), Some((2, 0..0)));
        assert_eq!(map.locate(16..40), Some((2, 7..21)));
        assert_eq!(map.locate(99..99), Some((2, 21..21)));
    }
}
