//! Continuation slides for notebooks: code cells and outputs are written for scrolling, not
//! for a 16:9 page, so when a cell's code, plot or table (or a Markdown cell) would overflow
//! the slide it lands on, it goes on a slide of its own titled like the one before,
//! numbered: `Title (2)`. Cells are never split, except code too long for any slide.

use crate::convert::Writer;

/// What a slide holds, in lines of code at the size a full slide shrinks to (with room to
/// spare: the estimate is rough, and the Typst fitter shrinks what is a little over).
pub(crate) const CAPACITY: f32 = 21.0;
/// Lines of code on a slide of their own (under a title that may take two lines).
pub(crate) const CODE_PIECE: usize = 20;
/// An image output, in those lines.
pub(crate) const IMAGE: f32 = 12.0;
/// A line of prose, and how many characters fit on it at that size.
const TEXT_LINE: f32 = 1.3;
const TEXT_CHARS: usize = 90;
/// Characters of code on one line at that size (longer lines wrap).
const CODE_CHARS: usize = 95;
/// A heading inside a slide.
const SUBHEADING: f32 = 2.0;
/// What the deck's title takes on the title slide (it is set large): room around it, and
/// each of its lines.
const TITLE: f32 = 10.0;
const TITLE_LINE: f32 = 3.0;
/// A Markdown cell this short introduces the code cell after it.
const LEAD_IN: f32 = 5.0;

/// Lines of code `line` takes once wrapped.
pub(crate) fn code_line(line: &str) -> f32 {
    line.chars().count().div_ceil(CODE_CHARS).max(1) as f32
}

/// Where the current slide began, what it is titled and how full it is.
pub(crate) struct Pager {
    /// The deck's slide level (0: only separators open slides); `None`: slides cannot be
    /// told apart here, and nothing is moved.
    level: Option<u8>,
    /// The current slide's title heading: its `#`s and its text.
    title: Option<(usize, String)>,
    used: f32,
    /// Continuation slides of the current slide so far.
    parts: usize,
    /// Room already made (and counted) for what a cell writes next: its code and outputs
    /// go on one slide when together they fit on one.
    reserved: f32,
    /// No slide has been opened yet (a lone `#` heading there is the deck's title).
    first: bool,
}

impl Pager {
    pub(crate) fn new(level: Option<u8>) -> Self {
        Self {
            level,
            title: None,
            used: 0.0,
            parts: 1,
            reserved: 0.0,
            first: true,
        }
    }

    /// Makes room for a whole code cell, `need` lines in all, when it fits on one slide:
    /// its code and outputs then share a slide.
    pub(crate) fn reserve(&mut self, w: &mut Writer, cell: usize, need: f32) {
        self.reserved = 0.0;
        if need > 0.0 && need <= CAPACITY {
            self.room(w, cell, need);
            self.reserved = need;
        }
    }

    /// A code cell is written: what it reserved and did not use is given back.
    pub(crate) fn done(&mut self) {
        self.used -= self.reserved;
        self.reserved = 0.0;
    }

    /// A new slide begins (a RISE slide cell).
    pub(crate) fn new_slide(&mut self) {
        self.title = None;
        self.used = 0.0;
        self.parts = 1;
        self.reserved = 0.0;
        self.first = false;
    }

    /// Accounts for a Markdown cell before it is written: its headings and rules open
    /// slides, its paragraphs fill them. What comes before its first slide-opening line
    /// goes on a continuation slide when it would not fit on the slide it lands on; a cell
    /// longer than a slide is cut between paragraphs. A short cell with no slide-opening
    /// line is kept on one slide with the code cell after it, `keep_with` lines (0: none),
    /// when the two fit together. Returns where in the cell (line indices) continuation
    /// slides begin, with the text that opens each.
    pub(crate) fn markdown(
        &mut self,
        w: &mut Writer,
        cell: usize,
        text: &str,
        keep_with: f32,
    ) -> Vec<(usize, String)> {
        let mut breaks = Vec::new();
        let Some(level) = self.level else {
            return breaks;
        };
        let blocks = blocks(text, level);
        let mut opened = false;
        let mut first_content = true;
        for block in &blocks {
            if let Some(title) = &block.opens {
                let first = self.first;
                self.new_slide();
                opened = true;
                if let Some((hashes, title)) = title {
                    self.title = Some((*hashes, title.clone()));
                    if first && *hashes == 1 {
                        // The deck's title is set large on the title slide, a line per
                        // few words.
                        self.used = TITLE + TITLE_LINE * title.chars().count().div_ceil(40) as f32;
                    }
                }
                continue;
            }
            if block.weight <= 0.0 {
                continue;
            }
            // A separator deck's slide is titled by the heading it opens with.
            if let Some((hashes, title)) = &block.title
                && self.title.is_none()
                && self.used == 0.0
            {
                self.title = Some((*hashes, title.clone()));
            }
            if first_content && !opened {
                first_content = false;
                let whole = blocks.iter().map(|b| b.weight).sum::<f32>();
                if keep_with > 0.0
                    && blocks.iter().all(|b| b.opens.is_none())
                    && whole <= LEAD_IN
                    && whole + keep_with <= CAPACITY
                {
                    // The code cell counts itself again when it reserves its room.
                    self.room(w, cell, whole + keep_with);
                    self.used -= keep_with;
                    return breaks;
                }
                self.room(w, cell, block.weight);
                continue;
            }
            first_content = false;
            let fits = self.used + block.weight <= CAPACITY;
            if self.used > 0.0 && !fits && block.splittable {
                breaks.push((block.line, self.continuation()));
                self.used = block.weight;
            } else {
                self.used += block.weight;
            }
        }
        breaks
    }

    /// The text that opens a continuation of the current slide.
    fn continuation(&mut self) -> String {
        self.parts += 1;
        self.first = false;
        match (&self.title, self.level) {
            (Some((hashes, title)), Some(level)) => {
                // At the slide level, so a continuation of a section's slide (or of the
                // title slide) does not open a section of its own.
                let hashes = if level == 0 {
                    (*hashes).max(2)
                } else {
                    usize::from(level)
                };
                format!("---\n\n{} {title} ({})\n\n", "#".repeat(hashes), self.parts)
            }
            _ => "---\n\n".to_string(),
        }
    }

    /// Makes room for something `need` lines tall: on a slide that already holds something
    /// and would overflow, a continuation slide is opened first.
    pub(crate) fn room(&mut self, w: &mut Writer, cell: usize, need: f32) {
        if need <= 0.0 {
            return;
        }
        if self.reserved > 0.0 {
            if need <= self.reserved + 0.5 {
                self.reserved = (self.reserved - need).max(0.0);
                return;
            }
            self.reserved = 0.0;
        }
        if self.level.is_none() || self.used <= 0.0 || self.used + need <= CAPACITY {
            self.used += need;
            return;
        }
        w.blank_line(Some(cell));
        let opening = self.continuation();
        w.made(&opening, Some(cell));
        self.used = need;
    }

    /// Whether code `lines` long must be cut into pieces to fit on slides at all.
    pub(crate) fn pieces(&self, lines: usize) -> bool {
        self.level.is_some() && lines > CODE_PIECE
    }
}

/// A stretch of a Markdown cell between blank lines (outside fences), or a line that opens
/// a slide.
struct Block {
    /// Its first line's index in the cell.
    line: usize,
    weight: f32,
    /// A slide-opening heading (its `#`s and text) or rule (`None` inside).
    opens: Option<Option<(usize, String)>>,
    /// A heading at its start that does not open a slide (a separator deck's title).
    title: Option<(usize, String)>,
    /// A continuation slide may begin here: not the inside of a list item or a quote.
    splittable: bool,
}

/// A Markdown cell's blocks, measured.
fn blocks(text: &str, level: u8) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut fenced = false;
    let mut current: Option<Block> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if fenced || fence {
            fenced ^= fence;
            let block = current.get_or_insert_with(|| new_block(n, line));
            block.weight += code_line(line);
            continue;
        }
        if trimmed.is_empty() {
            out.extend(current.take());
            continue;
        }
        let heading = crate::markdown::atx_heading(line);
        let rule = ["---", "***", "___"].contains(&trimmed.trim_end());
        let title = heading.map(|(hashes, text)| (hashes, text.to_string()));
        if rule || heading.is_some_and(|(hashes, _)| hashes <= usize::from(level)) {
            out.extend(current.take());
            out.push(Block {
                line: n,
                weight: 0.0,
                opens: Some(title),
                title: None,
                splittable: true,
            });
            continue;
        }
        let block = current.get_or_insert_with(|| new_block(n, line));
        if block.line == n {
            block.title = title.clone();
        }
        block.weight += if heading.is_some() {
            SUBHEADING
        } else if trimmed.starts_with("![") || trimmed.starts_with("<img") {
            IMAGE
        } else {
            TEXT_LINE * trimmed.chars().count().div_ceil(TEXT_CHARS).max(1) as f32
        };
    }
    out.extend(current);
    out
}

fn new_block(line: usize, text: &str) -> Block {
    Block {
        line,
        // The gap before a paragraph.
        weight: 0.3,
        opens: None,
        title: None,
        splittable: !text.starts_with([' ', '\t']) && !text.starts_with('>'),
    }
}
