//! Continuation slides for notebooks: code cells and outputs are written for scrolling, not
//! for a 16:9 page, so when a cell's code, plot or table would overflow the slide it lands
//! on, it goes on a slide of its own titled like the one before, numbered: `Title (2)`.
//! The lecturer's Markdown cells are never split.

use crate::convert::Writer;

/// What a slide holds, in lines of code at the size a full slide shrinks to.
pub(crate) const CAPACITY: f32 = 24.0;
/// Lines of code on a slide of their own (under a title that may take two lines).
pub(crate) const CODE_PIECE: usize = 20;
/// An image output, in those lines.
pub(crate) const IMAGE: f32 = 13.0;
/// A line of prose (it may wrap) and a heading inside a slide.
const TEXT_LINE: f32 = 1.3;
const SUBHEADING: f32 = 2.0;
/// A Markdown cell this short introduces the code cell after it.
const LEAD_IN: f32 = 4.0;

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
}

impl Pager {
    pub(crate) fn new(level: Option<u8>) -> Self {
        Self {
            level,
            title: None,
            used: 0.0,
            parts: 1,
            reserved: 0.0,
        }
    }

    /// Makes room for a whole code cell, `need` lines in all, when it fits on one slide:
    /// its code and outputs then share a slide.
    pub(crate) fn reserve(&mut self, w: &mut Writer, cell: usize, need: f32) {
        self.reserved = 0.0;
        if need <= CAPACITY {
            self.room(w, cell, need);
            self.reserved = need;
        }
    }

    /// A new slide begins (a RISE slide cell).
    pub(crate) fn new_slide(&mut self) {
        self.title = None;
        self.used = 0.0;
        self.parts = 1;
    }

    /// Accounts for a Markdown cell before it is written: its headings and rules open
    /// slides, its lines fill them, and what comes before its first slide-opening line goes
    /// on a continuation slide when it would not fit on the slide it lands on (the cell is
    /// never split). A short cell with no slide-opening line is kept on one slide with the
    /// code cell after it, `keep_with` lines (0: none), when the two fit together.
    pub(crate) fn markdown(&mut self, w: &mut Writer, cell: usize, text: &str, keep_with: f32) {
        let Some(level) = self.level else { return };
        let mut fenced = false;
        // Room the cell takes before its first line that opens a slide.
        let mut lead = 0.0;
        let mut opened = false;
        for line in text.lines() {
            let trimmed = line.trim_start();
            let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
            if fence || fenced {
                fenced ^= fence;
                *(if opened { &mut self.used } else { &mut lead }) += 1.0;
                continue;
            }
            let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
            let heading = (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']);
            let rule = ["---", "***", "___"].contains(&trimmed.trim_end());
            let opens = rule || (heading && hashes <= usize::from(level));
            if opens {
                if !opened {
                    self.room(w, cell, lead);
                    opened = true;
                }
                self.new_slide();
                if heading {
                    self.title = Some((hashes, trimmed[hashes..].trim().to_string()));
                }
                continue;
            }
            let empty = self.used == 0.0 && lead == 0.0;
            let weight = if heading && self.title.is_none() && empty && (opened || self.parts == 1)
            {
                // A separator deck's slide is titled by the heading it opens with.
                self.title = Some((hashes, trimmed[hashes..].trim().to_string()));
                SUBHEADING
            } else if heading {
                SUBHEADING
            } else if trimmed.starts_with("![") {
                IMAGE
            } else if trimmed.is_empty() {
                0.0
            } else {
                TEXT_LINE
            };
            *(if opened { &mut self.used } else { &mut lead }) += weight;
        }
        if !opened {
            if keep_with > 0.0 && lead <= LEAD_IN && lead + keep_with <= CAPACITY {
                // The code cell counts itself again when it reserves its room.
                self.room(w, cell, lead + keep_with);
                self.used -= keep_with;
            } else {
                self.room(w, cell, lead);
            }
        }
    }

    /// Makes room for something `need` lines tall: on a slide that already holds something
    /// and would overflow, a continuation slide is opened first.
    pub(crate) fn room(&mut self, w: &mut Writer, cell: usize, need: f32) {
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
        self.parts += 1;
        w.blank_line(Some(cell));
        match &self.title {
            Some((hashes, title)) => w.made(
                &format!(
                    "---\n\n{} {title} ({})\n\n",
                    "#".repeat(*hashes),
                    self.parts
                ),
                Some(cell),
            ),
            None => w.made("---\n\n", Some(cell)),
        }
        self.used = need;
    }

    /// Whether code `lines` long must be cut into pieces to fit on slides at all.
    pub(crate) fn pieces(&self, lines: usize) -> bool {
        self.level.is_some() && lines > CODE_PIECE
    }
}
