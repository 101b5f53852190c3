//! A code cell's stored outputs as Markdown: images as files served with the deck, text and
//! streams as plain blocks, simple HTML tables as slide tables, LaTeX as display math, errors
//! as one quiet line. The kernel is never run: what the notebook stored is what shows.

use lectern_deck::Diagnostic;

use crate::Options;
use crate::code::fence_for;
use crate::convert::Writer;
use crate::images::{IMAGES, decode, image_kind};
use crate::model::{MimeBundle, Output};
use crate::options::Show;
use crate::pager::{IMAGE, Pager};
use crate::table::{markdown_table, simple_table, table_layout};

/// Lines of a text output shown before the rest is summed up in one line.
pub const MAX_TEXT_LINES: usize = 20;

/// Outputs that need a browser (widgets, interactive plots): nothing on a slide shows them.
fn is_interactive(mime: &str) -> bool {
    mime.starts_with("application/vnd.jupyter.widget")
        || mime.starts_with("application/vnd.plotly")
        || mime.starts_with("application/vnd.bokehjs")
        || mime.starts_with("application/vnd.holoviews")
        || mime.starts_with("application/vnd.vegalite")
        || mime.starts_with("application/vnd.vega")
        || mime == "application/javascript"
}

pub(crate) struct OutputWriter<'a> {
    pub(crate) options: &'a Options,
    /// Images to serve with the deck: deck-relative path, bytes.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    pub(crate) pager: Pager,
}

impl OutputWriter<'_> {
    /// Writes cell `i`'s outputs after its code.
    pub(crate) fn write(&mut self, w: &mut Writer, i: usize, outputs: &[Output], show: &Show) {
        let mut k = 0;
        while k < outputs.len() {
            let number = k + 1;
            match &outputs[k] {
                Output::Stream { name, .. } => {
                    // Jupyter splits a stream into many outputs: consecutive ones are one text.
                    let mut text = String::new();
                    while let Some(Output::Stream { name: n, text: t }) = outputs.get(k) {
                        if n != name {
                            break;
                        }
                        text.push_str(t);
                        k += 1;
                    }
                    if name != "stderr" || show.warnings {
                        self.text(w, i, number, &text, show.asis);
                    }
                    continue;
                }
                Output::Data(bundle) => self.data(w, i, number, bundle, show),
                Output::Error { ename, evalue } => {
                    let line = if evalue.is_empty() {
                        ename.clone()
                    } else {
                        format!("{ename}: {evalue}")
                    };
                    self.text(w, i, number, &line, false);
                }
                Output::Unknown(kind) => {
                    let kind = if kind.is_empty() {
                        "(none)"
                    } else {
                        kind.as_str()
                    };
                    self.stand_in(
                        w,
                        i,
                        format!(
                            "output {number} has an output type nbformat 4 does not know, `{kind}`"
                        ),
                        &format!("output of type {kind} not shown"),
                    );
                }
            }
            k += 1;
        }
    }

    fn data(&mut self, w: &mut Writer, i: usize, number: usize, bundle: &MimeBundle, show: &Show) {
        if let Some((mime, data)) = IMAGES.iter().find_map(|m| bundle.get(*m).map(|d| (*m, d))) {
            self.image(w, i, number, mime, data, show);
            return;
        }
        let kinds: Vec<&str> = bundle.keys().map(String::as_str).collect();
        // Widgets, plots and apps that need a browser: their text form is a repr such as
        // `IntSlider(value=1)`, their HTML a frame, a player or "trust this notebook".
        let embedded = bundle.get("text/html").is_some_and(|h| {
            let h = h.to_ascii_lowercase();
            [
                "<iframe", "<audio", "<video", "<canvas", "<object", "<embed",
            ]
            .iter()
            .any(|tag| h.contains(tag))
        });
        let interactive = kinds
            .iter()
            .find(|k| is_interactive(k))
            .copied()
            .or(embedded.then_some("text/html"));
        if let Some(interactive) = interactive {
            self.stand_in(
                w,
                i,
                format!("output {number} is interactive ({interactive}); a slide can only show a picture of it"),
                &format!("interactive output {number} not shown"),
            );
            if let Some(last) = self.diags.last_mut() {
                last.hints.push(
                    "store a static image in the notebook (Plotly: `fig.show(\"png\")`; Bokeh: `export_png`), or tag the cell `remove-output`".into(),
                );
            }
            return;
        }
        let html = bundle.get("text/html");
        if let Some(table) = html.and_then(|html| simple_table(html)) {
            self.pager.room(w, i, table_layout(&table).1);
            w.blank_line(Some(i));
            w.made(&markdown_table(&table), Some(i));
            return;
        }
        // A plain-text form that is only an object's repr (`<IPython.core.display.Markdown
        // object>`) says less than any other form; a real one (R's `[1] 12 13`) says more
        // than a Markdown list of the same values.
        let plain = bundle
            .get("text/plain")
            .filter(|t| !(t.trim_start().starts_with('<') && t.trim_end().ends_with('>')));
        if let Some(markdown) = bundle.get("text/markdown").filter(|_| plain.is_none()) {
            self.pager.room(w, i, markdown.lines().count() as f32 * 1.3);
            w.blank_line(Some(i));
            w.made(markdown.trim_end(), Some(i));
            w.made("\n", Some(i));
            crate::markdown::close_open_constructs(w, markdown, i);
            return;
        }
        if let Some(math) = bundle.get("text/latex").and_then(|l| display_math(l)) {
            self.pager.room(w, i, 3.0);
            w.blank_line(Some(i));
            w.made(&math, Some(i));
            w.made("\n", Some(i));
            return;
        }
        if let Some(text) = plain {
            self.text(w, i, number, text, show.asis);
            return;
        }
        if let Some(html) = html.filter(|h| !h.to_ascii_lowercase().contains("<script")) {
            // Other HTML is read as the deck's raw HTML: the tags decks use keep their
            // meaning, text stays, other tags are dropped with a warning each. One HTML
            // block: a blank line would end it and read the rest as Markdown.
            let html = without_style(html);
            let lines: Vec<&str> = html.lines().filter(|l| !l.trim().is_empty()).collect();
            self.pager.room(w, i, lines.len().min(12) as f32);
            w.blank_line(Some(i));
            w.made(&format!("<div>\n{}\n</div>\n", lines.join("\n")), Some(i));
            return;
        }
        if let Some(text) = bundle.get("text/plain") {
            self.text(w, i, number, text, show.asis);
            return;
        }
        if !bundle.is_empty() {
            self.stand_in(
                w,
                i,
                format!(
                    "output {number} is {}, which Lectern cannot show (no image, table or text form)",
                    kinds.join(", ")
                ),
                &format!("output {number} ({}) not shown", kinds.join(", ")),
            );
        }
    }

    /// An image output as a file and a Markdown image, named by what its bytes are (a GIF
    /// stored as `image/png` is a GIF).
    fn image(
        &mut self,
        w: &mut Writer,
        i: usize,
        number: usize,
        mime: &str,
        data: &str,
        show: &Show,
    ) {
        let Some(bytes) = decode(mime, data) else {
            self.stand_in(
                w,
                i,
                format!("output {number}'s {mime} data is not valid base64"),
                &format!("image output {number} could not be read"),
            );
            return;
        };
        let Some(ext) = image_kind(&bytes) else {
            self.stand_in(
                w,
                i,
                format!("output {number} is stored as {mime} but is not a PNG, JPEG, GIF, WebP or SVG image"),
                &format!("image output {number} could not be read"),
            );
            return;
        };
        let path = format!(
            "{}/cell-{}-output-{number}.{ext}",
            self.options.image_dir,
            i + 1
        );
        self.pager.room(w, i, IMAGE);
        self.files.push((path.clone(), bytes));
        let alt = show
            .alt
            .as_deref()
            .or(show.caption.as_deref())
            .unwrap_or("");
        let title = show
            .caption
            .as_deref()
            .map(|c| format!(" \"{}\"", c.replace('\\', "\\\\").replace('"', "\\\"")))
            .unwrap_or_default();
        w.blank_line(Some(i));
        w.made(&format!("![{}]({path}{title})\n", escape(alt)), Some(i));
    }

    /// Plain text as a block: escape codes taken out, carriage-return updates resolved
    /// (a progress bar shows its last state), long texts cut with a line saying how much.
    fn text(&mut self, w: &mut Writer, i: usize, number: usize, raw: &str, asis: bool) {
        let text = clean_terminal_text(raw);
        let text = text.trim_matches('\n').trim_end();
        if text.trim().is_empty() {
            return;
        }
        w.blank_line(Some(i));
        if asis {
            w.made(text, Some(i));
            w.made("\n", Some(i));
            return;
        }
        let lines: Vec<&str> = text.lines().collect();
        let shown = if lines.len() > MAX_TEXT_LINES {
            let start = w.out.len();
            let mut shown = lines[..MAX_TEXT_LINES - 1].join("\n");
            let more = lines.len() - (MAX_TEXT_LINES - 1);
            shown.push_str(&format!("\n… {more} more lines"));
            self.diags.push(
                Diagnostic::warning(
                    &self.options.name,
                    start..start,
                    format!(
                        "output {number} has {} lines; the first {} are shown",
                        lines.len(),
                        MAX_TEXT_LINES - 1
                    ),
                )
                .with_hint("tag the cell `remove-output` or print less to show all of it"),
            );
            shown
        } else {
            text.to_string()
        };
        self.pager.room(w, i, shown.lines().count() as f32 + 1.0);
        w.blank_line(Some(i));
        let fence = fence_for(&shown);
        // `output`: the theme frames it apart from code (an unknown language, so plain).
        w.made(&format!("{fence}output\n{shown}\n{fence}\n"), Some(i));
    }

    /// A located warning and a visible line in the output's place.
    fn stand_in(&mut self, w: &mut Writer, i: usize, message: String, shown: &str) {
        w.blank_line(Some(i));
        let start = w.out.len();
        w.made(&format!("*[{}]*\n", escape(shown)), Some(i));
        self.diags.push(Diagnostic::warning(
            &self.options.name,
            start..w.out.len(),
            message,
        ));
    }
}

/// About how many lines a cell's outputs take on a slide (see [`crate::pager`]).
pub(crate) fn weight(outputs: &[Output], show: &Show) -> f32 {
    let text = |t: &str| t.lines().count().min(MAX_TEXT_LINES) as f32 + 1.0;
    outputs
        .iter()
        .map(|output| match output {
            Output::Stream { name, text: t } if name != "stderr" || show.warnings => text(t),
            Output::Stream { .. } => 0.0,
            Output::Data(bundle) if IMAGES.iter().any(|m| bundle.contains_key(*m)) => IMAGE,
            Output::Data(bundle) => match bundle.get("text/html").and_then(|h| simple_table(h)) {
                Some(table) => table_layout(&table).1,
                None => bundle.get("text/plain").map_or(2.0, |t| text(t)),
            },
            Output::Error { .. } | Output::Unknown(_) => 2.0,
        })
        .sum()
}

/// HTML without its `<style>` elements: a library's styling of its own output, never
/// something the lecturer wrote or can change.
fn without_style(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(start) = lower.find("<style") else {
            break;
        };
        out.push_str(&rest[..start]);
        match lower[start..].find("</style>") {
            Some(end) => rest = &rest[start + end + "</style>".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// LaTeX output as a display formula in the deck's Markdown: `$…$`/`$$…$$` on one line
/// (a line of its own starting `- ` would be a list item), a bare math environment on
/// lines of its own (the deck reads those as pandoc does); `None` for LaTeX that is not
/// math (a `tabular` from `to_latex`).
fn display_math(latex: &str) -> Option<String> {
    let trimmed = latex.trim();
    const ENVIRONMENTS: [&str; 8] = [
        "equation",
        "align",
        "gather",
        "multline",
        "eqnarray",
        "alignat",
        "flalign",
        "displaymath",
    ];
    if let Some(name) = trimmed
        .strip_prefix("\\begin{")
        .and_then(|r| r.split('}').next())
    {
        let known = ENVIRONMENTS.contains(&name.trim_end_matches('*'));
        let whole = trimmed.ends_with(&format!("\\end{{{name}}}"));
        // Blank lines would end the environment as Markdown reads it.
        let body: Vec<&str> = trimmed.lines().filter(|l| !l.trim().is_empty()).collect();
        return (known && whole).then(|| body.join("\n"));
    }
    let inner = trimmed
        .strip_prefix("$$")
        .and_then(|t| t.strip_suffix("$$"))
        .or_else(|| trimmed.strip_prefix('$').and_then(|t| t.strip_suffix('$')))?;
    let inner = inner.trim();
    let inner = inner.strip_prefix("\\displaystyle").unwrap_or(inner).trim();
    let one_line = inner.split_whitespace().collect::<Vec<_>>().join(" ");
    (!one_line.is_empty() && !one_line.contains('$')).then(|| format!("$${one_line}$$"))
}

/// Text as Markdown that reads back as the same text: every ASCII punctuation character
/// escaped, line breaks as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Terminal output as it looked: ANSI escape sequences removed, and in each line only what
/// the last carriage return left.
pub fn clean_terminal_text(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte; other escapes are two characters.
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
            continue;
        }
        if c == '\u{8}' {
            // Overstrike (`_\bC`, R's help pages): the later character is what shows.
            plain.pop();
            continue;
        }
        plain.push(c);
    }
    plain
        .split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.rsplit('\r').next().unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_as_it_looked() {
        assert_eq!(
            clean_terminal_text("\u{1b}[0;31mError\u{1b}[0m x\n10%\r50%\r100%\nok\r\n"),
            "Error x\n100%\nok\n"
        );
        assert_eq!(clean_terminal_text("_\u{8}C_\u{8}a_\u{8}t"), "Cat");
    }

    #[test]
    fn latex_outputs() {
        assert_eq!(
            display_math("$\\displaystyle x^{2}$").as_deref(),
            Some("$$x^{2}$$")
        );
        // On one line: a formula starting `- ` is no list item.
        assert_eq!(
            display_math("$$- \\frac{1}{6}$$").as_deref(),
            Some("$$- \\frac{1}{6}$$")
        );
        assert_eq!(display_math("\\begin{tabular}x\\end{tabular}"), None);
        assert_eq!(
            display_math("\\begin{align}\na &= b\n\n\\end{align}").as_deref(),
            Some("\\begin{align}\na &= b\n\\end{align}")
        );
    }

    #[test]
    fn escaped_text_stays_text() {
        assert_eq!(escape("*a* | `b` #c"), "\\*a\\* \\| \\`b\\` \\#c");
    }
}
