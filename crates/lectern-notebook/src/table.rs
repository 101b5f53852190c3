//! Simple HTML tables (what pandas and most libraries display) read into rows of text and
//! written as slide tables (the rows and columns that fit), so a DataFrame shows as one.
//! Hand-written: a few tags matter, and an HTML parser crate would be the largest
//! dependency here for them.

/// A table's header row, body rows and the text around it (pandas' "5 rows × 3 columns").
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
}

/// The one table in `html`, or `None` when there is none, several, or one nested in another
/// (those are not simple, and the output's plain text is shown instead).
pub fn simple_table(html: &str) -> Option<Table> {
    let mut header_rows: Vec<Vec<String>> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut note = String::new();
    let mut tables = 0;
    let mut depth = 0;
    let mut in_head = false;
    let mut row: Option<(Vec<String>, bool)> = None;
    let mut cell: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(rest, depth, &mut cell, &mut note);
            break;
        };
        text(&rest[..lt], depth, &mut cell, &mut note);
        rest = &rest[lt..];
        // Comments, and the contents of style and script, are not text.
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("style" | "script", false) => {
                let end = format!("</{name}");
                rest = rest
                    .to_ascii_lowercase()
                    .find(&end)
                    .map_or("", |at| &rest[at..]);
            }
            ("table", false) => {
                depth += 1;
                tables += 1;
                if depth > 1 || tables > 1 {
                    return None;
                }
            }
            ("table", true) => depth = depth.saturating_sub(1),
            ("thead", open) => in_head = !open,
            ("tr", false) if depth == 1 => row = Some((Vec::new(), in_head)),
            ("tr", true) => {
                finish_cell(&mut cell, &mut row);
                if let Some((cells, head)) = row.take() {
                    // A first row of header cells only is the header (a table with no thead).
                    let all_th =
                        head || (rows.is_empty() && header_rows.is_empty() && tag_was_th(&cells));
                    if all_th {
                        header_rows.push(cells)
                    } else {
                        rows.push(cells)
                    }
                }
            }
            ("td" | "th", false) if row.is_some() => {
                finish_cell(&mut cell, &mut row);
                cell = Some(if name == "th" {
                    TH.to_string()
                } else {
                    String::new()
                });
            }
            ("td" | "th", true) => finish_cell(&mut cell, &mut row),
            ("br", _) => {
                if let Some(cell) = &mut cell {
                    cell.push(' ');
                }
            }
            _ => {}
        }
    }
    if tables != 1 {
        return None;
    }
    let clean = |cells: Vec<String>| -> Vec<String> {
        cells
            .into_iter()
            .map(|c| {
                c.trim_start_matches(TH)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let mut header_rows: Vec<Vec<String>> = header_rows.into_iter().map(clean).collect();
    let rows: Vec<Vec<String>> = rows.into_iter().map(clean).collect();
    // pandas writes the index's name in a second header row: merged into the first's blanks.
    let mut header = if header_rows.is_empty() {
        Vec::new()
    } else {
        header_rows.remove(0)
    };
    for extra in header_rows {
        for (i, text) in extra.into_iter().enumerate() {
            if i >= header.len() {
                header.push(text);
            } else if header[i].is_empty() {
                header[i] = text;
            }
        }
    }
    let width = rows.iter().map(Vec::len).chain([header.len()]).max()?;
    if width == 0 {
        return None;
    }
    let pad = |mut cells: Vec<String>| {
        cells.resize(width, String::new());
        cells
    };
    Some(Table {
        header: pad(header),
        rows: rows.into_iter().map(pad).collect(),
        note: note.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// Marks a header cell while its row is read.
const TH: &str = "\u{0}";

fn tag_was_th(cells: &[String]) -> bool {
    !cells.is_empty() && cells.iter().all(|c| c.starts_with(TH))
}

fn text(raw: &str, depth: usize, cell: &mut Option<String>, note: &mut String) {
    let decoded = decode_entities(raw);
    match cell {
        Some(cell) => cell.push_str(&decoded),
        None if depth == 0 => {
            note.push(' ');
            note.push_str(&decoded);
        }
        None => {}
    }
}

fn finish_cell(cell: &mut Option<String>, row: &mut Option<(Vec<String>, bool)>) {
    if let (Some(text), Some((cells, _))) = (cell.take(), row.as_mut()) {
        cells.push(text);
    }
}

/// The character references tables use: the named few and numeric ones.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "times" => Some('×'),
                "minus" => Some('−'),
                "plusmn" => Some('±'),
                "deg" => Some('°'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|ch| (ch, end))
        });
        match decoded {
            Some((ch, end)) => {
                out.push(ch);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rows of an HTML table shown before the rest is summed up.
pub const MAX_TABLE_ROWS: usize = 12;
/// Columns of an HTML table shown before the rest are summed up.
pub const MAX_TABLE_COLUMNS: usize = 12;

/// Lines a table row takes: its cells wrap in columns a share of the slide's width.
fn row_lines(cells: &[String], columns: usize) -> f32 {
    let room = (100 / columns.clamp(1, MAX_TABLE_COLUMNS)).max(6);
    cells
        .iter()
        .map(|c| c.chars().count().div_ceil(room).max(1))
        .max()
        .unwrap_or(1) as f32
        * 1.1
}

/// How many of a table's rows a slide shows (at most [`MAX_TABLE_ROWS`], and no more than
/// fit on a slide of their own), and the lines the table then takes with its header.
pub(crate) fn table_layout(table: &crate::table::Table) -> (usize, f32) {
    let columns = table.header.len().min(MAX_TABLE_COLUMNS);
    let budget = crate::pager::CAPACITY - 5.0;
    let mut lines = row_lines(&table.header, columns) + 1.0;
    let mut shown = 0;
    for row in table.rows.iter().take(MAX_TABLE_ROWS) {
        let row = row_lines(&row[..row.len().min(columns)], columns);
        if shown > 0 && lines + row > budget {
            break;
        }
        lines += row;
        shown += 1;
    }
    (shown, lines)
}

/// A table as a GFM pipe table: cells escaped (they are text, never Markdown), numeric
/// columns right-aligned, long tables cut with a line saying how much.
pub(crate) fn markdown_table(table: &crate::table::Table) -> String {
    // A slide shows a dozen columns at most; the rest are summed up below the table.
    let hidden_columns = table.header.len().saturating_sub(MAX_TABLE_COLUMNS);
    let cut = |cells: &Vec<String>| cells[..cells.len().min(MAX_TABLE_COLUMNS)].to_vec();
    let table = &crate::table::Table {
        header: cut(&table.header),
        rows: table.rows.iter().map(cut).collect(),
        note: table.note.clone(),
    };
    let numeric: Vec<bool> = (0..table.header.len())
        .map(|col| {
            let mut cells = table
                .rows
                .iter()
                .map(|r| r[col].as_str())
                .filter(|c| !c.is_empty());
            let mut any = false;
            let all = cells.all(|c| {
                any = true;
                c.replace([',', '%'], "").parse::<f64>().is_ok() || c == "..." || c == "NaN"
            });
            any && all
        })
        .collect();
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| crate::outputs::escape(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = row(&table.header);
    let rules: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", rules.join(" | ")));
    let (shown, _) = table_layout(table);
    for cells in table.rows.iter().take(shown) {
        out.push_str(&row(cells));
    }
    let mut notes = Vec::new();
    if table.rows.len() > shown {
        notes.push(format!("… {} more rows", table.rows.len() - shown));
    }
    if hidden_columns > 0 {
        notes.push(format!("… {hidden_columns} more columns"));
    }
    if !table.note.is_empty() {
        notes.push(table.note.clone());
    }
    if !notes.is_empty() {
        out.push_str(&format!(
            "\n*{}*\n",
            crate::outputs::escape(&notes.join(" · "))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_pandas_dataframe() {
        let html = r#"<div>
<style scoped>
    .dataframe tbody tr th { vertical-align: top; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>model</th><th>score</th></tr>
    <tr><th>id</th><th></th><th></th></tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>GPT-3 &amp; co</td><td>43.9</td></tr>
    <tr><th>1</th><td>PaLM<br>540B</td><td>69.3</td></tr>
  </tbody>
</table>
<p>2 rows × 2 columns</p>
</div>"#;
        let table = simple_table(html).unwrap();
        assert_eq!(table.header, ["id", "model", "score"]);
        assert_eq!(
            table.rows,
            [["0", "GPT-3 & co", "43.9"], ["1", "PaLM 540B", "69.3"]]
        );
        assert_eq!(table.note, "2 rows × 2 columns");
    }

    #[test]
    fn a_table_without_thead_and_what_is_not_simple() {
        let table = simple_table("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table>")
            .unwrap();
        assert_eq!(table.header, ["a", "b"]);
        assert_eq!(table.rows, [["1", ""]]);
        assert!(simple_table("<table><tr><td><table></table></td></tr></table>").is_none());
        assert!(simple_table("<div>plot</div><script>x<table></script>").is_none());
        assert!(simple_table("</table>").is_none());
        assert_eq!(
            decode_entities("a &lt;b&gt; &#955; &#x3bb; &bogus; &"),
            "a <b> λ λ &bogus; &"
        );
    }
}
