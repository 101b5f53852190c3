//! A notebook's cells → the deck's Markdown: Markdown cells as written, code cells as
//! fenced code in the notebook's language, stored outputs after them, RISE slide types as
//! separators, pauses and notes, and a front matter from the leading cell or the metadata.

use lectern_deck::Diagnostic;
use lectern_deck::diag::Kind;

use crate::code::code_block;
use crate::front::{extra_keys, front_matter_cell};
use crate::map::{Origin, SourceMap};
use crate::markdown::{markdown_cell, rewritten};
use crate::model::{CellKind, Notebook};
use crate::options::{self, Defaults, Show, show};
use crate::outputs::OutputWriter;
use crate::pager::Pager;
use crate::{Converted, Options};

/// The generated Markdown and where each stretch of it came from.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: String,
    pub(crate) map: SourceMap,
}

impl Writer {
    /// Text copied from `cell`'s source at byte `offset`.
    pub(crate) fn copy(&mut self, text: &str, cell: usize, offset: usize) {
        let start = self.out.len();
        self.out.push_str(text);
        self.map
            .push(start..self.out.len(), Origin::Cell { cell, offset });
    }

    /// Text Lectern writes for `cell` (or for no cell).
    pub(crate) fn made(&mut self, text: &str, cell: Option<usize>) {
        let start = self.out.len();
        self.out.push_str(text);
        self.map.push(start..self.out.len(), Origin::Made { cell });
    }

    /// Ends what was written with a blank line (Markdown blocks of two cells never merge).
    pub(crate) fn blank_line(&mut self, cell: Option<usize>) {
        let missing = if self.out.ends_with("\n\n") || self.out.is_empty() {
            ""
        } else if self.out.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        self.made(missing, cell);
    }
}

pub(crate) fn convert(nb: &Notebook, options: &Options) -> Converted {
    let mut w = Writer::default();
    let mut diags = Vec::new();
    // The front matter first (which cells show does not depend on it), then what it and
    // the metadata say code cells show by default.
    let shows: Vec<Show> = nb
        .cells
        .iter()
        .map(|c| show(c, Defaults::default()))
        .collect();
    let front = front_matter_cell(nb, &shows);
    let yaml = front.map(|(i, end)| {
        let source = &nb.cells[i].source;
        &source[source.find('\n').map_or(end, |n| n + 1).min(end)..end]
    });
    let execute = nb.settings.get("execute").map(|e| format!("execute: {e}"));
    let defaults = options::defaults(
        yaml.filter(|y| y.contains("execute"))
            .or(execute.as_deref()),
    );
    let shows: Vec<Show> = nb.cells.iter().map(|c| show(c, defaults)).collect();
    let rise = nb
        .cells
        .iter()
        .zip(&shows)
        .any(|(c, s)| s.cell && matches!(c.slide_type.as_deref(), Some("slide" | "subslide")));
    let (extra, level) = extra_keys(
        nb,
        &shows,
        front.map(|(i, _)| nb.cells[i].source.as_str()),
        rise,
    );
    match front {
        Some((i, end)) => {
            let source = &nb.cells[i].source;
            w.copy(&source[..end], i, 0);
            w.made(&extra, Some(i));
            w.copy(&source[end..], i, end);
        }
        None if !extra.is_empty() => w.made(&format!("---\n{extra}---\n"), None),
        None => {}
    }
    let mut outputs = OutputWriter {
        options,
        files: Vec::new(),
        diags: &mut diags,
        pager: Pager::new(level),
    };
    let mut written_any = false;
    for (i, (cell, show)) in nb.cells.iter().zip(&shows).enumerate() {
        if !show.cell || front.is_some_and(|(f, _)| f == i) {
            continue;
        }
        let foreign_raw = matches!(&cell.kind, CellKind::Raw(Some(format))
            if !matches!(format.as_str(), "text/markdown" | "markdown" | "md"));
        if foreign_raw {
            // Raw cells for LaTeX, HTML or reST are other converters' business, as in Quarto.
            continue;
        }
        if cell.source.trim().is_empty() && cell.outputs.is_empty() {
            continue;
        }
        w.blank_line(Some(i));
        let slide_type = cell.slide_type.as_deref().unwrap_or("-");
        match slide_type {
            "slide" | "subslide" => {
                if written_any {
                    w.made("---\n\n", Some(i));
                }
                outputs.pager.new_slide();
            }
            _ => {}
        }
        // A fragment's pause goes after any continuation the pager opens for the cell.
        let mut pause = slide_type == "fragment" && written_any;
        let notes = slide_type == "notes";
        // Speaker notes take no room on the slide.
        let slide_pager = notes.then(|| std::mem::replace(&mut outputs.pager, Pager::new(None)));
        // A notes cell with fenced divs of its own would close a `::: notes` wrapper early.
        let notes_as_comment = notes
            && cell
                .source
                .lines()
                .any(|l| l.trim_start().starts_with(":::"))
            && !cell.source.contains("-->");
        if notes {
            w.made(
                if notes_as_comment {
                    "<!--\n"
                } else {
                    "::: notes\n"
                },
                Some(i),
            );
        }
        match cell.kind {
            CellKind::Markdown | CellKind::Raw(_) => {
                // A short lead-in stays with the code cell it introduces.
                let next =
                    nb.cells.iter().zip(&shows).skip(i + 1).find(|(c, s)| {
                        s.cell && !(c.source.trim().is_empty() && c.outputs.is_empty())
                    });
                let keep_with = match next {
                    Some((next, show)) if next.kind == CellKind::Code => code_weight(next, show),
                    _ => 0.0,
                };
                let text = rewritten(nb, i, options);
                let breaks = outputs.pager.markdown(&mut w, i, &text, keep_with);
                if std::mem::take(&mut pause) {
                    w.made("<!-- pause -->\n\n", Some(i));
                }
                markdown_cell(&mut w, nb, i, options, &mut outputs.files, &breaks);
            }
            CellKind::Code => {
                outputs.pager.reserve(&mut w, i, code_weight(cell, show));
                if std::mem::take(&mut pause) {
                    w.made("<!-- pause -->\n\n", Some(i));
                }
                if show.input {
                    code_block(&mut w, nb, i, show.options_len, &mut outputs.pager);
                }
                if show.output {
                    outputs.write(&mut w, i, &cell.outputs, show);
                }
                outputs.pager.done();
            }
        }
        if let Some(pager) = slide_pager {
            outputs.pager = pager;
            w.blank_line(Some(i));
            w.made(if notes_as_comment { "-->\n" } else { ":::\n" }, Some(i));
        }
        written_any = true;
    }
    w.blank_line(None);
    let files = std::mem::take(&mut outputs.files);
    // A front matter made from the metadata alone: diagnostics in it point there.
    let metadata = (front.is_none() && !extra.is_empty()).then(|| 0..extra.len() + 8);
    Converted {
        metadata,
        markdown: w.out,
        files,
        cells: nb.cells.iter().map(|c| c.source.clone()).collect(),
        map: w.map,
        diagnostics: diags
            .into_iter()
            .map(|d: Diagnostic| d.with_kind(Kind::Notebook))
            .collect(),
    }
}

/// About how many lines a code cell takes on a slide: its code and its outputs.
fn code_weight(cell: &crate::model::Cell, show: &Show) -> f32 {
    let code = if show.input {
        let lines: f32 = cell.source[show.options_len..]
            .trim()
            .lines()
            .map(crate::pager::code_line)
            .sum();
        lines + 1.0
    } else {
        0.0
    };
    let outputs = if show.output {
        crate::outputs::weight(&cell.outputs, show)
    } else {
        0.0
    };
    code + outputs
}
