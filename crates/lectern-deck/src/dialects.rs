//! Line-level constructs of other slide tools, rewritten before CommonMark parsing: a slide
//! break becomes a `***` line, anything else is blanked, always to the same length so that
//! offsets stay valid. presenterm's `<!-- end_slide -->`, Slidev's per-slide front matter,
//! remark's slide properties (`class: center, middle` at the top of a slide), its `???`
//! speaker notes, `--` steps and content classes (`.pull-left[ … ]`, `.red[text]`).

/// What the rewrite took out of the source.
#[derive(Debug, Default)]
pub struct Found {
    /// Settings blocks (`key: value` lines) by where they start.
    pub settings: Vec<(usize, String)>,
    /// Speaker notes by where they start.
    pub notes: Vec<(usize, String)>,
    /// Where remark's `--` steps were: overlay pauses.
    pub pauses: Vec<usize>,
    /// Column boundaries (pandoc divs, Slidev slots, presenterm commands) by offset.
    pub columns: Vec<(usize, ColumnMark)>,
}

/// A column boundary, as written by one tool or another.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnMark {
    /// Columns begin (presenterm's `column_layout: [1, 2]` gives their weights).
    Begin(Vec<f64>),
    /// A column begins: the next one, or presenterm's column `index`; pandoc's `width` as a
    /// share of the slide.
    Column {
        index: Option<usize>,
        width: Option<f64>,
    },
    End,
    /// Slidev's `::left::` (what comes before is a full-width header).
    Left,
    /// Slidev's `::right::` (what comes before, since `::left::` or the title, is the left
    /// column).
    Right,
}

/// What a fenced div (`::: …`) that is open stands for.
enum Div {
    Columns,
    Column,
    Footer(usize, String),
    Other,
}

/// A remark content class (`.name[`) that is open on a line of its own.
enum Class {
    /// `.left-column[`, `.pull-right[` and the like: a column of that width.
    Column,
    Other,
}

/// Keys remark reads at the top of a slide.
const REMARK_KEYS: &[&str] = &[
    "name",
    "class",
    "layout",
    "template",
    "count",
    "exclude",
    "background-image",
    "background-color",
    "background-size",
    "background-position",
    "seal",
];

/// Rewrites the body of `src` (from `from`); `None` when it holds none of these constructs.
pub fn rewrite(src: &str, from: usize) -> Option<(String, Found)> {
    let body = &src[from..];
    if !body.contains("end_slide")
        && !body.contains("\n---")
        && !body.contains("???")
        && !body.contains("\n--")
        && !body.contains(":::")
        && !body.contains("::right::")
        && !body.contains("column")
        && !body.contains("[\n")
        && !(body.contains('.') && body.contains('['))
    {
        return None;
    }
    let mut divs: Vec<Div> = Vec::new();
    let mut classes: Vec<Class> = Vec::new();
    let lines: Vec<(usize, &str)> = body
        .split_inclusive('\n')
        .scan(from, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    let text = |i: usize| lines.get(i).map_or("", |l| l.1);
    let blank = |i: usize| text(i).trim().is_empty();
    let mut out = src.as_bytes().to_vec();
    let mut found = Found::default();
    let mut fence: Option<&str> = None;
    // A slide begins at the top of the body and after each separator line.
    let mut slide_top = true;
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let trimmed = line.trim();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            slide_top = false;
            i += 1;
            continue;
        }
        if let Some(mark) = presenterm_column(trimmed) {
            blank_out(&mut out, start, start + line.len());
            found.columns.push((start, mark));
            i += 1;
            continue;
        }
        if trimmed == "::right::" || trimmed == "::left::" {
            blank_out(&mut out, start, start + line.len());
            let mark = if trimmed == "::right::" {
                ColumnMark::Right
            } else {
                ColumnMark::Left
            };
            found.columns.push((start, mark));
            i += 1;
            continue;
        }
        if trimmed.starts_with(":::") {
            let name = trimmed.trim_start_matches(':').trim();
            blank_out(&mut out, start, start + line.len());
            if name.is_empty() {
                match divs.pop() {
                    Some(Div::Columns) => found.columns.push((start, ColumnMark::End)),
                    Some(Div::Footer(at, text)) => {
                        found
                            .settings
                            .push((at, format!("footer: {}\n", text.trim())));
                    }
                    _ => {}
                }
            } else {
                let classes = name.trim_start_matches('{').trim_end_matches('}');
                let has = |class: &str| {
                    classes
                        .split_whitespace()
                        .any(|c| c.trim_start_matches('.') == class)
                };
                if has("columns") {
                    found.columns.push((start, ColumnMark::Begin(Vec::new())));
                    divs.push(Div::Columns);
                } else if has("column") {
                    let width = classes
                        .split_whitespace()
                        .find_map(|c| c.strip_prefix("width="))
                        .and_then(|w| w.trim_matches(['"', '\'']).strip_suffix('%'))
                        .and_then(|w| w.parse::<f64>().ok())
                        .map(|w| w / 100.0);
                    found
                        .columns
                        .push((start, ColumnMark::Column { index: None, width }));
                    divs.push(Div::Column);
                } else if has("footer") {
                    divs.push(Div::Footer(start, String::new()));
                } else if classes
                    .split_whitespace()
                    .any(|c| c == "#refs" || c == "{#refs}")
                {
                    // Where pandoc puts the references; so does Lectern (see `citations`).
                    divs.push(Div::Other);
                } else {
                    // `::: incremental`, callouts, …: the content stays, the class is listed
                    // among the ignored settings.
                    found.settings.push((start, format!("div: {classes}\n")));
                    divs.push(Div::Other);
                }
            }
            slide_top = false;
            i += 1;
            continue;
        }
        if let Some(names) = class_opening(trimmed) {
            blank_out(&mut out, start, start + line.len());
            match column_width(names) {
                Some(width) => {
                    found.columns.push((
                        start,
                        ColumnMark::Column {
                            index: None,
                            width: Some(width),
                        },
                    ));
                    classes.push(Class::Column);
                }
                None => {
                    found
                        .settings
                        .push((start, format!("content-class: {names}\n")));
                    classes.push(Class::Other);
                }
            }
            slide_top = false;
            i += 1;
            continue;
        }
        if trimmed == "]"
            && let Some(class) = classes.pop()
        {
            blank_out(&mut out, start, start + line.len());
            // The columns end unless another column follows.
            let next = (i + 1..lines.len()).find(|&j| !blank(j)).map_or("", text);
            if matches!(class, Class::Column)
                && class_opening(next.trim()).is_none_or(|n| column_width(n).is_none())
            {
                found.columns.push((start, ColumnMark::End));
            }
            i += 1;
            continue;
        }
        if line.contains('[') && line.contains('.') {
            inline_classes(line, start, &mut out, &mut found);
        }
        if let Some(Div::Footer(_, text)) = divs.last_mut() {
            text.push_str(line.trim());
            text.push(' ');
            blank_out(&mut out, start, start + line.len());
            i += 1;
            continue;
        }
        if trimmed == "<!-- end_slide -->" {
            separator(&mut out, start, line.len());
            slide_top = true;
            i += 1;
            continue;
        }
        if line.trim_end() == "---" {
            // Slidev: `---`, `key: value` lines, `---`.
            let mut j = i + 1;
            while j < lines.len() && (is_setting(text(j)) || text(j).starts_with([' ', '\t'])) {
                j += 1;
            }
            if j > i + 1 && text(j).trim_end() == "---" {
                let end = lines[j].0 + text(j).len();
                separator(&mut out, start, end - start);
                let yaml = lines[i + 1].0..lines[j].0;
                found.settings.push((yaml.start, src[yaml].to_string()));
                i = j + 1;
            } else {
                i += 1;
            }
            slide_top = true;
            continue;
        }
        if slide_top && !trimmed.is_empty() {
            slide_top = false;
            // remark: properties on the first lines of a slide, up to a blank line.
            let mut j = i;
            while j < lines.len() && is_remark_property(text(j)) {
                j += 1;
            }
            if j > i {
                let end = lines[j - 1].0 + text(j - 1).len();
                blank_out(&mut out, start, end);
                found
                    .settings
                    .push((start, src[start..end].to_string() + "\n"));
                i = j;
                continue;
            }
        }
        if trimmed == "???" {
            // remark: the rest of the slide is the speaker's.
            let mut j = i + 1;
            while j < lines.len() && !is_separator(text(j)) {
                j += 1;
            }
            let end = lines.get(j).map_or(src.len(), |l| l.0);
            let note = src[lines[i].0 + line.len()..end].trim();
            if !note.is_empty() {
                found.notes.push((start, note.to_string()));
            }
            blank_out(&mut out, start, end);
            i = j;
            continue;
        }
        // remark's step: `--` alone after a blank line (after text it would underline a
        // heading, in remark as in CommonMark).
        if trimmed == "--" && i > 0 && blank(i - 1) {
            let next = (i + 1..lines.len()).find(|&j| !blank(j)).map_or("", text);
            if next.starts_with('#') {
                // reveal.js's vertical slide (`--` then a titled slide): a slide break, written
                // over the blank line's newline and the dashes (`***` interrupts a paragraph).
                blank_out(&mut out, start, start + line.len());
                out[start - 1..start + 2].copy_from_slice(b"***");
                slide_top = true;
            } else {
                blank_out(&mut out, start, start + line.len());
                found.pauses.push(start);
            }
        }
        i += 1;
    }
    let out = String::from_utf8(out).ok()?;
    (out != src).then_some((out, found))
}

/// presenterm's `<!-- column_layout: [1, 2] -->`, `<!-- column: 0 -->`, `<!-- reset_layout -->`.
fn presenterm_column(line: &str) -> Option<ColumnMark> {
    let inner = line.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    if inner == "reset_layout" {
        return Some(ColumnMark::End);
    }
    let (name, value) = inner.split_once(':')?;
    let value = value.trim();
    match name.trim() {
        "column_layout" => {
            let weights = value
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(|w| w.trim().parse::<f64>().ok().filter(|w| *w > 0.0))
                .collect::<Option<Vec<f64>>>()?;
            Some(ColumnMark::Begin(weights))
        }
        "column" => Some(ColumnMark::Column {
            index: Some(value.parse().ok()?),
            width: None,
        }),
        _ => None,
    }
}

/// The class names of a remark class opening alone on its line (`.pull-left[`,
/// `.small.center[`), without the dots and bracket.
fn class_opening(line: &str) -> Option<&str> {
    let names = line.strip_prefix('.')?.strip_suffix('[')?;
    names.split('.').all(is_class_name).then_some(names)
}

fn is_class_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The share of the width of remark's and xaringan's column classes.
fn column_width(names: &str) -> Option<f64> {
    names.split('.').find_map(|name| match name {
        "left-column" => Some(0.3),
        "right-column" => Some(0.7),
        "pull-left" | "pull-right" => Some(0.5),
        _ => None,
    })
}

/// Blanks remark's inline classes (`.red[important]` keeps `important`), outside code
/// spans; their names join the ignored settings.
fn inline_classes(line: &str, start: usize, out: &mut [u8], found: &mut Found) {
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'.' if !in_code && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) => {
                let name_len = line[i + 1..]
                    .bytes()
                    .take_while(|b| {
                        b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' || *b == b'.'
                    })
                    .count();
                let open = i + 1 + name_len;
                if name_len > 0
                    && bytes.get(open) == Some(&b'[')
                    && is_class_name(&line[i + 1..open].replace('.', ""))
                    && let Some(close) = matching_bracket(&bytes[open..])
                {
                    let close = open + close;
                    // Not a link: `.x[text](url)` is left alone.
                    if bytes.get(close + 1) != Some(&b'(') {
                        found.settings.push((
                            start + i,
                            format!("content-class: {}\n", &line[i + 1..open]),
                        ));
                        // The content moves right by one byte, over the `]`, so that what
                        // follows it (`.red[noise],`) still touches it.
                        let (from, to) = (start + open + 1, start + close);
                        out.copy_within(from..to, from + 1);
                        blank_out(out, start + i, from + 1);
                        i = close;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The index of the `]` matching the `[` at `bytes[0]`.
fn matching_bracket(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_separator(line: &str) -> bool {
    let t = line.trim_end();
    t == "---" || t.trim() == "<!-- end_slide -->"
}

/// `key: value`, a YAML-ish settings line.
fn is_setting(line: &str) -> bool {
    let key_len = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    key_len > 0
        && line.as_bytes()[0].is_ascii_alphabetic()
        && line[key_len..].starts_with(':')
        && line[key_len + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
}

fn is_remark_property(line: &str) -> bool {
    is_setting(line)
        && line
            .split_once(':')
            .is_some_and(|(key, _)| REMARK_KEYS.contains(&key))
}

/// A `***` slide break in place of `len` bytes from `start` (newlines kept).
fn separator(out: &mut [u8], start: usize, len: usize) {
    out[start..start + 3].copy_from_slice(b"***");
    blank_out(out, start + 3, start + len);
}

/// Spaces in place of every byte but newlines in `start..end`.
fn blank_out(out: &mut [u8], start: usize, end: usize) {
    for b in &mut out[start..end] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_keep_every_offset() {
        let src = "class: center, middle\n\n# Title\n\n---\nlayout: center\n---\n\n## B\n\ntext\n\n--\n\nmore\n\n???\nsay this\n\n<!-- end_slide -->\n\n## C\n";
        let (out, found) = rewrite(src, 0).expect("rewritten");
        assert_eq!(out.len(), src.len());
        assert_eq!(out.lines().count(), src.lines().count());
        assert!(!out.contains("class:") && !out.contains("layout:"), "{out}");
        assert!(
            !out.contains("say this") && !out.contains("end_slide"),
            "{out}"
        );
        assert_eq!(found.settings.len(), 2);
        assert_eq!(found.notes, [(src.find("???").unwrap(), "say this".into())]);
        assert_eq!(found.pauses, [src.find("--\n\nmore").unwrap()]);
    }

    #[test]
    fn remark_classes_keep_their_content() {
        let src = "## A\n\n.pull-left[\n- one\n]\n\n.pull-right[\nTwo is .red[very] `.x[y]` [link](u)\n]\n\nafter\n";
        let (out, found) = rewrite(src, 0).expect("rewritten");
        assert_eq!(out.len(), src.len());
        assert!(!out.contains(".pull") && !out.contains(".red["), "{out}");
        assert!(
            out.contains(" very `.x[y]`") && out.contains("[link](u)"),
            "{out}"
        );
        let kinds: Vec<_> = found.columns.iter().map(|(_, m)| m.clone()).collect();
        let column = ColumnMark::Column {
            index: None,
            width: Some(0.5),
        };
        assert_eq!(kinds, [column.clone(), column, ColumnMark::End]);
        assert_eq!(found.settings.len(), 1, "{:?}", found.settings);
    }

    #[test]
    fn code_and_ordinary_text_are_left_alone() {
        let src = "## A\n\n```yaml\n---\ntheme: default\n---\n```\n\nname: not at the top\n";
        assert!(rewrite(src, 0).is_none());
    }
}
