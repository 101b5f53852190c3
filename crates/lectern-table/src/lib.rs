//! ```` ```table ```` blocks: a dataset (the same files charts draw, so a slide's numbers and
//! its chart cannot disagree) set as a table in the theme's table style.
//!
//! ```toml
//! data = "data/scores.csv"
//! columns = ["model", "score"]   # which columns, in this order (default: all)
//! format = { score = ".1%" }     # per column: `.N` decimals, `.N%` a percentage
//! sort = "-score"                # by a column; `-` for descending
//! highlight = "model = GPT-4"    # rows to stand out: `column = value`, `max column`, `min column`
//! limit = 10                     # at most this many rows
//! title = "…"                    # and `caption`
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use lectern_block::{
    BlockError, BlockRenderer, BlockSource, Content, ErrorAt, Figure, Input, Inputs, Table, Theme,
};
use lectern_data::{Column, Dataset, Values};
use serde::Deserialize;
use toml::Spanned;

/// Draws ```` ```table ```` blocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tables;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    data: Spanned<String>,
    columns: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    format: BTreeMap<String, Spanned<String>>,
    sort: Option<Spanned<String>>,
    highlight: Option<Spanned<String>>,
    limit: Option<usize>,
    title: Option<String>,
    caption: Option<String>,
}

fn body_error(message: impl Into<String>, range: Range<usize>) -> Vec<BlockError> {
    vec![BlockError::new(message, ErrorAt::Body(range))]
}

fn spec(body: &str) -> Result<Spec, Vec<BlockError>> {
    toml::from_str(body).map_err(|err| {
        let range = err.span().unwrap_or(0..body.len().min(1));
        body_error(format!("invalid table spec: {}", err.message()), range)
    })
}

impl BlockRenderer for Tables {
    fn kinds(&self) -> &[&'static str] {
        &["table"]
    }

    fn inputs(&self, block: &BlockSource) -> Result<Vec<Input>, Vec<BlockError>> {
        let spec = spec(block.body)?;
        Ok(vec![Input {
            path: spec.data.get_ref().clone(),
            range: spec.data.span(),
        }])
    }

    fn render(
        &self,
        block: &BlockSource,
        inputs: &Inputs,
        _theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>> {
        let spec = spec(block.body)?;
        let path = spec.data.get_ref();
        let bytes = inputs.get(path).map(Vec::as_slice).unwrap_or_default();
        let dataset = lectern_data::parse_dataset(path, &String::from_utf8_lossy(bytes)).map_err(
            |errors| {
                errors
                    .into_iter()
                    .map(|e| {
                        let error = BlockError::new(
                            e.message,
                            ErrorAt::Input {
                                path: path.clone(),
                                range: e.range,
                            },
                        );
                        match e.hint {
                            Some(hint) => error.with_hint(hint),
                            None => error,
                        }
                    })
                    .collect::<Vec<_>>()
            },
        )?;
        let columns = chosen_columns(&spec, &dataset)?;
        let mut order: Vec<usize> = (0..dataset.len()).collect();
        if let Some(sort) = &spec.sort {
            let (descending, name) = match sort.get_ref().strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, sort.get_ref().as_str()),
            };
            let column = find(&dataset, name.trim(), sort.span())?;
            order.sort_by(|&a, &b| {
                let ordering = compare(column, a, b);
                if descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            });
        }
        if let Some(limit) = spec.limit {
            order.truncate(limit);
        }
        let highlighted = match &spec.highlight {
            Some(rule) => highlighted(&dataset, rule, &order)?,
            None => Vec::new(),
        };
        let mut formats = Vec::new();
        for column in &columns {
            let format = match spec.format.get(&column.name) {
                Some(format) => Some(Format::parse(format)?),
                None => None,
            };
            formats.push(format);
        }
        for name in spec.format.keys() {
            if !columns.iter().any(|c| &c.name == name) {
                let range = spec.format[name].span();
                return Err(body_error(
                    format!("`format` names `{name}`, which is not a column of the table"),
                    range,
                ));
            }
        }
        let header = columns
            .iter()
            .map(|c| {
                let label = c.label.clone().unwrap_or_else(|| c.name.clone());
                match &c.unit {
                    Some(unit) => format!("{label} ({unit})"),
                    None => label,
                }
            })
            .collect();
        let rows = order
            .iter()
            .map(|&row| {
                columns
                    .iter()
                    .zip(&formats)
                    .map(|(column, format)| cell(column, row, format.as_ref()))
                    .collect()
            })
            .collect();
        let table = Table {
            header,
            rows,
            right_aligned: columns
                .iter()
                .map(|c| matches!(c.values, Values::Numbers(_)))
                .collect(),
            highlighted,
        };
        let alt = spec
            .title
            .clone()
            .or(dataset.title.clone())
            .unwrap_or_else(|| format!("Table of {path}"));
        Ok(Figure {
            content: Content::Table(table),
            alt,
            title: spec.title.clone(),
            subtitle: None,
            caption: spec.caption.clone(),
            height_em: None,
            fit_width: false,
        })
    }
}

fn find<'a>(
    dataset: &'a Dataset,
    name: &str,
    range: Range<usize>,
) -> Result<&'a Column, Vec<BlockError>> {
    dataset.column(name).ok_or_else(|| {
        vec![
            BlockError::new(
                format!("no column `{name}` in the dataset"),
                ErrorAt::Body(range),
            )
            .with_hint(format!(
                "its columns: {}",
                dataset.column_names().join(", ")
            )),
        ]
    })
}

fn chosen_columns<'a>(
    spec: &Spec,
    dataset: &'a Dataset,
) -> Result<Vec<&'a Column>, Vec<BlockError>> {
    match &spec.columns {
        None => Ok(dataset.columns.iter().collect()),
        Some(names) => names
            .get_ref()
            .iter()
            .map(|name| find(dataset, name, names.span()))
            .collect(),
    }
}

fn compare(column: &Column, a: usize, b: usize) -> std::cmp::Ordering {
    match &column.values {
        Values::Numbers(n) => n[a].total_cmp(&n[b]),
        Values::Text(t) => t[a].cmp(&t[b]),
    }
}

/// The shown rows (indices into `order`) that `rule` picks.
fn highlighted(
    dataset: &Dataset,
    rule: &Spanned<String>,
    order: &[usize],
) -> Result<Vec<usize>, Vec<BlockError>> {
    let text = rule.get_ref().trim();
    let pick = |want: &dyn Fn(usize) -> bool| -> Vec<usize> {
        order
            .iter()
            .enumerate()
            .filter(|(_, row)| want(**row))
            .map(|(i, _)| i)
            .collect()
    };
    if let Some((name, value)) = text.split_once('=') {
        let column = find(dataset, name.trim(), rule.span())?;
        let value = value.trim().trim_matches('"');
        return Ok(pick(&|row| raw_text(column, row) == value));
    }
    let (extreme, name) = text.split_once(' ').unwrap_or((text, ""));
    let column = find(dataset, name.trim(), rule.span())?;
    let Values::Numbers(numbers) = &column.values else {
        return Err(body_error(
            format!(
                "`{extreme}` needs a column of numbers; `{}` holds text",
                column.name
            ),
            rule.span(),
        ));
    };
    let best = match extreme {
        "max" => order
            .iter()
            .map(|&r| numbers[r])
            .fold(f64::NEG_INFINITY, f64::max),
        "min" => order
            .iter()
            .map(|&r| numbers[r])
            .fold(f64::INFINITY, f64::min),
        _ => {
            return Err(vec![BlockError::new(
                "`highlight` should be `column = value`, `max column` or `min column`",
                ErrorAt::Body(rule.span()),
            )]);
        }
    };
    Ok(pick(&|row| numbers[row] == best))
}

fn raw_text(column: &Column, row: usize) -> String {
    match &column.values {
        Values::Numbers(n) => lectern_data::format_number(n[row]),
        Values::Text(t) => t[row].clone(),
    }
}

/// How a column's numbers are written: `decimals` places, as a percentage or not.
struct Format {
    decimals: usize,
    percent: bool,
}

impl Format {
    fn parse(text: &Spanned<String>) -> Result<Self, Vec<BlockError>> {
        let value = text.get_ref().trim();
        let (digits, percent) = match value.strip_suffix('%') {
            Some(rest) => (rest, true),
            None => (value, false),
        };
        match digits
            .strip_prefix('.')
            .and_then(|d| d.parse::<usize>().ok())
        {
            Some(decimals) if decimals <= 12 => Ok(Format { decimals, percent }),
            _ => Err(body_error(
                format!(
                    "`{value}` is not a number format: write `.2` (two decimals) or `.1%` (a percentage)"
                ),
                text.span(),
            )),
        }
    }
}

fn cell(column: &Column, row: usize, format: Option<&Format>) -> String {
    match (&column.values, format) {
        (Values::Numbers(n), Some(f)) => {
            let value = if f.percent { n[row] * 100.0 } else { n[row] };
            let text = format!("{value:.prec$}", prec = f.decimals);
            if f.percent { format!("{text}%") } else { text }
        }
        _ => raw_text(column, row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "model,params,score\nA,7,0.61\nB,70,0.82\nC,13,0.70\n";

    fn render(body: &str, csv: &str) -> Result<Figure, Vec<BlockError>> {
        let theme = Theme::with_palette("");
        let block = BlockSource {
            kind: "table",
            attributes: "",
            body,
        };
        let inputs = Tables.inputs(&block)?;
        assert_eq!(inputs[0].path, "data/s.csv");
        let mut files = Inputs::new();
        files.insert("data/s.csv".into(), csv.as_bytes().to_vec());
        Tables.render(&block, &files, &theme)
    }

    fn table(figure: &Figure) -> &Table {
        match &figure.content {
            Content::Table(table) => table,
            Content::Svg(_) => panic!("not a table"),
        }
    }

    #[test]
    fn columns_format_sort_highlight_and_limit() {
        let body = "data = \"data/s.csv\"\ncolumns = [\"model\", \"score\"]\nformat = { score = \".0%\" }\nsort = \"-score\"\nhighlight = \"max score\"\nlimit = 2\n";
        let figure = render(body, CSV).expect("a table");
        let t = table(&figure);
        assert_eq!(t.header, ["model", "score"]);
        assert_eq!(t.rows, [["B", "82%"], ["C", "70%"]]);
        assert_eq!(t.right_aligned, [false, true]);
        assert_eq!(t.highlighted, [0]);
        let figure =
            render("data = \"data/s.csv\"\nhighlight = \"model = A\"\n", CSV).expect("a table");
        assert_eq!(table(&figure).highlighted, [0]);
        assert_eq!(table(&figure).rows[0], ["A", "7", "0.61"]);
    }

    #[test]
    fn problems_are_located_in_the_block_or_the_data() {
        let body = "data = \"data/s.csv\"\nsort = \"nope\"\n";
        let err = render(body, CSV).expect_err("no such column");
        assert_eq!(err[0].at, ErrorAt::Body(27..33));
        let err = render("data = \"data/s.csv\"\n", "a,b\n1\n").expect_err("bad csv");
        assert!(matches!(err[0].at, ErrorAt::Input { .. }), "{err:?}");
        let err = render("data = \"data/s.csv\"\nformat = { score = \"%%\" }\n", CSV)
            .expect_err("bad format");
        assert!(err[0].message.contains("number format"));
        let block = BlockSource {
            kind: "table",
            attributes: "",
            body: "rows = 3",
        };
        assert!(Tables.inputs(&block).is_err());
    }
}
