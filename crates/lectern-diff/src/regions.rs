//! Where two renders of a slide differ: cells with a visibly different pixel, grouped into
//! rectangles (neighbouring cells join, so a changed paragraph is one box, not a word each).

use crate::Raster;

/// A rectangle as fractions of the page (0..1 from the top left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub const WHOLE: Rect = Rect {
        x: 0.0,
        y: 0.0,
        width: 1.0,
        height: 1.0,
    };
}

/// Side of a cell in pixels.
const CELL: u32 = 6;
/// A channel must differ by more than this to count (anti-aliasing noise stays below).
const THRESHOLD: u8 = 16;
/// Boxes at most; beyond that the page is outlined as one box around them all.
const MAX_BOXES: usize = 12;

/// The regions where `a` and `b` differ (the whole page if their sizes differ).
pub fn regions(a: &Raster, b: &Raster) -> Vec<Rect> {
    if (a.width, a.height) != (b.width, b.height) {
        return vec![Rect::WHOLE];
    }
    let (w, h) = (a.width, a.height);
    if w == 0 || h == 0 || a.pixels.len() != b.pixels.len() {
        return Vec::new();
    }
    let cols = w.div_ceil(CELL) as usize;
    let rows = h.div_ceil(CELL) as usize;
    let mut marked = vec![false; cols * rows];
    for y in 0..h as usize {
        let row = y * w as usize * 4;
        let (ra, rb) = (
            &a.pixels[row..row + w as usize * 4],
            &b.pixels[row..row + w as usize * 4],
        );
        if ra == rb {
            continue;
        }
        for x in 0..w as usize {
            let (pa, pb) = (&ra[x * 4..x * 4 + 4], &rb[x * 4..x * 4 + 4]);
            if pa.iter().zip(pb).any(|(p, q)| p.abs_diff(*q) > THRESHOLD) {
                marked[(y / CELL as usize) * cols + x / CELL as usize] = true;
            }
        }
    }
    let mut boxes = components(&marked, cols, rows);
    merge_overlapping(&mut boxes);
    if boxes.len() > MAX_BOXES {
        let all = boxes.iter().fold(boxes[0], |u, b| union(u, *b));
        boxes = vec![all];
    }
    let (cw, ch) = (
        f64::from(CELL) / f64::from(w),
        f64::from(CELL) / f64::from(h),
    );
    boxes
        .into_iter()
        .map(|[x0, y0, x1, y1]| {
            let x = (x0 as f64 * cw).max(0.0);
            let y = (y0 as f64 * ch).max(0.0);
            Rect {
                x,
                y,
                width: ((x1 + 1) as f64 * cw).min(1.0) - x,
                height: ((y1 + 1) as f64 * ch).min(1.0) - y,
            }
        })
        .collect()
}

/// Cell boxes `[x0, y0, x1, y1]` (inclusive) of groups of marked cells; cells up to two
/// apart join, and each box grows by a cell so the outline does not touch the ink.
fn components(marked: &[bool], cols: usize, rows: usize) -> Vec<[usize; 4]> {
    const REACH: isize = 2;
    let mut seen = vec![false; marked.len()];
    let mut boxes = Vec::new();
    for start in 0..marked.len() {
        if !marked[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut bbox = [cols, rows, 0, 0];
        while let Some(at) = stack.pop() {
            let (x, y) = (at % cols, at / cols);
            bbox = [
                bbox[0].min(x),
                bbox[1].min(y),
                bbox[2].max(x),
                bbox[3].max(y),
            ];
            for dy in -REACH..=REACH {
                for dx in -REACH..=REACH {
                    let (nx, ny) = (x as isize + dx, y as isize + dy);
                    if nx < 0 || ny < 0 || nx >= cols as isize || ny >= rows as isize {
                        continue;
                    }
                    let next = ny as usize * cols + nx as usize;
                    if marked[next] && !seen[next] {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            }
        }
        boxes.push([
            bbox[0].saturating_sub(1),
            bbox[1].saturating_sub(1),
            (bbox[2] + 1).min(cols - 1),
            (bbox[3] + 1).min(rows - 1),
        ]);
    }
    boxes
}

fn union(a: [usize; 4], b: [usize; 4]) -> [usize; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

fn merge_overlapping(boxes: &mut Vec<[usize; 4]>) {
    let overlaps = |a: &[usize; 4], b: &[usize; 4]| {
        a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
    };
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..boxes.len() {
            for j in i + 1..boxes.len() {
                if overlaps(&boxes[i], &boxes[j]) {
                    boxes[i] = union(boxes[i], boxes[j]);
                    boxes.swap_remove(j);
                    merged = true;
                    break 'outer;
                }
            }
        }
    }
    boxes.sort_by_key(|b| (b[1], b[0]));
}
