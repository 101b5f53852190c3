//! The visual report's Typst markup: a summary page, then one page per difference with the
//! old and new slide side by side, changed regions outlined. The slides themselves are the
//! two builds' PDF pages, placed as vector images, so the report is as sharp as the decks.

use std::fmt::Write;

use crate::summary::name;
use crate::{Aspect, Change, Diff, Rect, Slide};

/// Everything the report shows besides the diff.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub deck: &'a str,
    /// What the two sides are, e.g. `HEAD (1a2b3c4)` and `working tree`.
    pub old_label: &'a str,
    pub new_label: &'a str,
    pub old: &'a [Slide],
    pub new: &'a [Slide],
    /// The 1-based PDF page of each slide's last overlay step, in each build.
    pub old_pages: &'a [usize],
    pub new_pages: &'a [usize],
    /// Virtual paths of the two builds' PDFs.
    pub old_pdf: &'a str,
    pub new_pdf: &'a str,
    /// Slide height over width.
    pub aspect: f64,
}

const CHANGED: &str = "#d9480f";
const ADDED: &str = "#2b8a3e";
const REMOVED: &str = "#c92a2a";
const MOVED: &str = "#1971c2";
/// Width of one slide on a report page, in centimetres (two side by side on 32 cm).
const SHOT_CM: f64 = 14.7;

/// The report's Typst source.
pub fn report_source(diff: &Diff, report: &Report) -> String {
    let mut out = String::new();
    let h = SHOT_CM * report.aspect;
    let _ = writeln!(
        out,
        r##"#set document(title: {title})
#set page(width: 32cm, height: auto, margin: 0.9cm, fill: white)
#set text(font: "Inter", size: 11pt, fill: rgb("#1f2328"))
#let muted = rgb("#57606a")
#let W = {SHOT_CM}cm
#let H = {h:.3}cm
#let shot(file, page, boxes, color, label, frame: none) = stack(spacing: 0.25cm,
  text(size: 9pt, fill: muted, label),
  box(width: W, height: H, stroke: if frame == none {{ 0.6pt + rgb("#d0d7de") }} else {{ 2pt + frame }}, clip: true, {{
    place(top + left, image(file, page: page, width: W, height: H))
    for b in boxes {{
      place(top + left, dx: b.at(0) * W, dy: b.at(1) * H,
        rect(width: b.at(2) * W, height: b.at(3) * H, stroke: 1.6pt + color, radius: 2pt))
    }}
  }}))
#let gone(label, word) = stack(spacing: 0.25cm,
  text(size: 9pt, fill: muted, label),
  box(width: W, height: H, fill: rgb("#f6f8fa"), stroke: (paint: rgb("#d0d7de"), thickness: 0.6pt, dash: "dashed"),
    align(center + horizon, text(size: 14pt, fill: muted, word))))
#let heading-line(mark, color, what, title, aspects) = block(below: 0.5cm, {{
  text(size: 16pt, weight: 700, fill: color, mark + " ")
  text(size: 16pt, weight: 700, what + " ")
  text(size: 16pt, weight: 600, title)
  if aspects != "" {{ text(size: 12pt, fill: muted, "  " + aspects) }}
}})
#let notes(old, new) = grid(columns: (W, W), column-gutter: 0.8cm, row-gutter: 0.2cm,
  text(size: 9pt, fill: muted, "notes before"), text(size: 9pt, fill: muted, "notes after"),
  text(size: 9pt, old), text(size: 9pt, new))
"##,
        title = lit(&format!("{}: what changed", report.deck)),
    );
    summary_page(&mut out, diff, report);
    for change in &diff.changes {
        if matches!(change, Change::Moved { .. }) {
            continue;
        }
        out.push_str("#pagebreak()\n");
        change_page(&mut out, change, report);
    }
    out
}

fn summary_page(out: &mut String, diff: &Diff, report: &Report) {
    let _ = writeln!(
        out,
        "#text(size: 22pt, weight: 700, {})\n#v(0.2cm)\n#text(fill: muted, {})\n#v(0.3cm)\n#text(size: 13pt, weight: 600, {})\n#v(0.3cm)",
        lit(report.deck),
        lit(&format!(
            "before: {} · after: {}",
            report.old_label, report.new_label
        )),
        lit(&crate::totals(diff)),
    );
    if diff.is_empty() {
        return;
    }
    out.push_str("#grid(columns: (auto, 1fr), column-gutter: 0.4cm, row-gutter: 0.3cm,\n");
    for change in &diff.changes {
        let (mark, color) = marker(change);
        let text = crate::line(change, report.old, report.new, false);
        let rest = text.split_once(' ').map_or("", |(_, r)| r);
        let _ = writeln!(
            out,
            "  text(weight: 700, fill: rgb(\"{color}\"), {}), text({}),",
            lit(mark),
            lit(rest)
        );
    }
    out.push_str(")\n");
}

fn marker(change: &Change) -> (&'static str, &'static str) {
    match change {
        Change::Changed { .. } => ("~", CHANGED),
        Change::Added { .. } => ("+", ADDED),
        Change::Removed { .. } => ("-", REMOVED),
        Change::Moved { .. } => (">", MOVED),
    }
}

fn change_page(out: &mut String, change: &Change, report: &Report) {
    let (mark, color) = marker(change);
    let before = |i: usize| lit(&format!("before · slide {} · {}", i + 1, report.old_label));
    let after = |j: usize| lit(&format!("after · slide {} · {}", j + 1, report.new_label));
    match change {
        Change::Changed {
            old: i,
            new: j,
            aspects,
            regions,
            moved,
        } => {
            let (number, what) = crate::summary::changed(*i, *j, aspects, *moved);
            heading(out, mark, color, &number, &name(&report.new[*j]), &what);
            let boxes = boxes(regions);
            let _ = writeln!(
                out,
                "#grid(columns: 2, column-gutter: 0.8cm,\n  shot({}, {}, {boxes}, rgb(\"{color}\"), {}),\n  shot({}, {}, {boxes}, rgb(\"{color}\"), {}))",
                lit(report.old_pdf),
                report.old_pages[*i],
                before(*i),
                lit(report.new_pdf),
                report.new_pages[*j],
                after(*j),
            );
            if aspects.contains(&Aspect::Notes) {
                let _ = writeln!(
                    out,
                    "#v(0.3cm)\n#notes({}, {})",
                    lit(&report.old[*i].notes),
                    lit(&report.new[*j].notes)
                );
            }
        }
        Change::Added { new: j } => {
            heading(
                out,
                mark,
                color,
                &(j + 1).to_string(),
                &name(&report.new[*j]),
                "added",
            );
            let _ = writeln!(
                out,
                "#grid(columns: 2, column-gutter: 0.8cm,\n  gone({}, \"not in this version\"),\n  shot({}, {}, (), none, {}, frame: rgb(\"{color}\")))",
                lit(&format!("before · {}", report.old_label)),
                lit(report.new_pdf),
                report.new_pages[*j],
                after(*j),
            );
        }
        Change::Removed { old: i } => {
            heading(
                out,
                mark,
                color,
                &(i + 1).to_string(),
                &name(&report.old[*i]),
                "removed",
            );
            let _ = writeln!(
                out,
                "#grid(columns: 2, column-gutter: 0.8cm,\n  shot({}, {}, (), none, {}, frame: rgb(\"{color}\")),\n  gone({}, \"removed\"))",
                lit(report.old_pdf),
                report.old_pages[*i],
                before(*i),
                lit(&format!("after · {}", report.new_label)),
            );
        }
        Change::Moved { .. } => {}
    }
}

fn heading(out: &mut String, mark: &str, color: &str, number: &str, title: &str, what: &str) {
    let _ = writeln!(
        out,
        "#heading-line({}, rgb(\"{color}\"), {}, {}, {})",
        lit(mark),
        lit(number),
        lit(title),
        lit(what)
    );
}

/// Regions as a Typst array of `(x, y, width, height)` fractions.
fn boxes(regions: &[Rect]) -> String {
    let items: Vec<String> = regions
        .iter()
        .map(|r| format!("({:.4}, {:.4}, {:.4}, {:.4})", r.x, r.y, r.width, r.height))
        .collect();
    match items.len() {
        0 => "()".to_string(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// A Typst string literal holding `text` exactly: what a lecturer typed never becomes markup.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::lit;

    #[test]
    fn literals_keep_text_out_of_markup() {
        assert_eq!(lit(r#"a "b" \ #c $d$"#), r#""a \"b\" \\ #c $d$""#);
        assert_eq!(lit("x\ny\u{7}"), r#""x\ny\u{7}""#);
    }
}
