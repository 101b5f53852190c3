//! Datasets for charts and tables: TOML, CSV or JSON text → validated, typed columns with source locations. Pure: no IO.
//!
//! Every format is first turned into the same loose [`RawDataset`] (values still untyped, every
//! piece carrying its byte range), and one shared [`validate`] pass turns that into a
//! [`Dataset`]. That keeps the rules and the error messages identical across formats.

mod csv_format;
mod json_format;
mod toml_format;
mod tree;

use std::collections::HashSet;
use std::ops::Range;

/// A validated dataset: named columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub title: Option<String>,
    pub description: Option<String>,
    pub columns: Vec<Column>,
}

/// One column of a [`Dataset`].
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Identifier used by chart specs.
    pub name: String,
    /// Human label (may be Cyrillic), e.g. for legends and axes.
    pub label: Option<String>,
    pub unit: Option<String>,
    pub values: Values,
    /// Where the column is declared in the file.
    pub name_range: Range<usize>,
    /// Byte range of each value in the file (same length as `values`).
    pub value_ranges: Vec<Range<usize>>,
}

/// The typed values of a column: all numbers or all text.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Numbers(Vec<f64>),
    Text(Vec<String>),
}

/// A problem in a data file, located by a byte range into the text that was parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DataError {
    pub message: String,
    pub range: Range<usize>,
    pub hint: Option<String>,
}

impl DataError {
    pub fn new(message: impl Into<String>, range: Range<usize>) -> Self {
        Self {
            message: message.into(),
            range,
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Parses a dataset; `file_name` decides the format by extension (.toml, .csv, .json).
///
/// Errors come back sorted by position. The function never panics, whatever the input.
pub fn parse_dataset(file_name: &str, text: &str) -> Result<Dataset, Vec<DataError>> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    // Editors on Windows like to prepend a BOM; parse without it and shift ranges back.
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    };
    let mut errors = Vec::new();
    let raw = match extension.as_str() {
        "toml" => toml_format::parse(body, &mut errors),
        "json" => json_format::parse(body, &mut errors),
        "csv" => csv_format::parse(body, &mut errors),
        _ => {
            let message = if extension.is_empty() {
                format!("`{file_name}` has no extension, so its data format is unknown")
            } else {
                format!("unknown data format `.{extension}` of `{file_name}`")
            };
            return Err(vec![
                DataError::new(message, 0..0).with_hint("use a .toml, .csv or .json file"),
            ]);
        }
    };
    let result = match raw {
        Some(raw) => validate(raw, errors),
        None => Err(errors),
    };
    match result {
        Ok(mut dataset) => {
            for column in &mut dataset.columns {
                column.name_range = shifted(&column.name_range, shift);
                for range in &mut column.value_ranges {
                    *range = shifted(range, shift);
                }
            }
            Ok(dataset)
        }
        Err(mut errors) => {
            for error in &mut errors {
                error.range = shifted(&error.range, shift);
            }
            errors.sort_by_key(|error| (error.range.start, error.range.end));
            errors.dedup();
            Err(errors)
        }
    }
}

fn shifted(range: &Range<usize>, shift: usize) -> Range<usize> {
    range.start + shift..range.end + shift
}

impl Dataset {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// Number of rows (all columns have equal length after validation).
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, |column| column.values.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn column_names(&self) -> Vec<&str> {
        self.columns
            .iter()
            .map(|column| column.name.as_str())
            .collect()
    }
}

impl Column {
    pub fn numbers(&self) -> Option<&[f64]> {
        match &self.values {
            Values::Numbers(numbers) => Some(numbers),
            Values::Text(_) => None,
        }
    }

    /// The values as text; numbers are formatted compactly (6.7 → "6.7", 175 → "175").
    pub fn texts(&self) -> Vec<String> {
        match &self.values {
            Values::Numbers(numbers) => numbers.iter().map(|&n| format_number(n)).collect(),
            Values::Text(texts) => texts.clone(),
        }
    }

    /// The label if there is one, else the name.
    pub fn display_name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Numbers(numbers) => numbers.len(),
            Values::Text(texts) => texts.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Formats a number as short as possible: no trailing `.0`, no `-0`, exponent only for
/// extremes (where plain digits would run on for dozens of characters).
pub fn format_number(n: f64) -> String {
    if n == 0.0 {
        "0".to_owned()
    } else if n.is_finite() && (n.abs() >= 1e16 || n.abs() < 1e-6) {
        format!("{n:e}")
    } else {
        format!("{n}")
    }
}

/// Checks that a column can go on a log axis: numeric, every value above zero.
pub fn check_positive(column: &Column) -> Result<(), DataError> {
    let Some(numbers) = column.numbers() else {
        return Err(DataError::new(
            format!("`{}` holds text, but a log axis needs numbers", column.name),
            column.name_range.clone(),
        ));
    };
    // NaN is rejected too: it can only come from a hand-built column, and no axis can plot it.
    match numbers.iter().position(|&n| n <= 0.0 || n.is_nan()) {
        None => Ok(()),
        Some(index) => Err(DataError::new(
            format!(
                "`{}` row {} is {}, but a log axis needs values above zero",
                column.name,
                index + 1,
                format_number(numbers[index])
            ),
            column
                .value_ranges
                .get(index)
                .cloned()
                .unwrap_or_else(|| column.name_range.clone()),
        )
        .with_hint("use a linear axis, or leave out rows that are zero or negative")),
    }
}

/// Converts a byte offset into a 1-based (line, column); columns count characters, not bytes.
/// Offsets past the end or inside a character are clamped, so any offset is accepted.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A dataset as read from any format, before typing and validation.
pub(crate) struct RawDataset {
    pub title: Option<String>,
    pub description: Option<String>,
    pub columns: Vec<RawColumn>,
    /// Where to point "dataset is empty" (e.g. an empty `columns` array).
    pub empty_range: Range<usize>,
}

pub(crate) struct RawColumn {
    pub name: String,
    pub name_range: Range<usize>,
    pub label: Option<String>,
    pub unit: Option<String>,
    pub values: Vec<RawValue>,
    /// Where to point "column has no values".
    pub values_range: Range<usize>,
}

pub(crate) struct RawValue {
    pub kind: RawKind,
    pub range: Range<usize>,
}

pub(crate) enum RawKind {
    Number(f64),
    Text(String),
    /// Already reported by the format parser; kept so row numbers and lengths stay right.
    Invalid,
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The rules shared by all formats. `errors` holds what the format parser already found, so
/// that one run reports everything.
fn validate(raw: RawDataset, mut errors: Vec<DataError>) -> Result<Dataset, Vec<DataError>> {
    // With earlier errors, no columns is usually their consequence (e.g. a misspelt key).
    if raw.columns.is_empty() && errors.is_empty() {
        errors.push(
            DataError::new(
                "dataset is empty: it has no columns",
                raw.empty_range.clone(),
            )
            .with_hint("declare at least one column with a name and values"),
        );
    }
    let mut seen = HashSet::new();
    for column in &raw.columns {
        if column.name.is_empty() {
            errors.push(
                DataError::new("a column has an empty name", column.name_range.clone())
                    .with_hint("name it with letters, digits, `_` or `-`"),
            );
        } else if !is_identifier(&column.name) {
            errors.push(
                DataError::new(
                    format!("column name `{}` is not a simple identifier", column.name),
                    column.name_range.clone(),
                )
                .with_hint(
                    "use only ASCII letters, digits, `_` and `-`; \
                     a human-readable name goes into the label",
                ),
            );
        }
        if !seen.insert(column.name.as_str()) {
            errors.push(
                DataError::new(
                    format!("duplicate column name `{}`", column.name),
                    column.name_range.clone(),
                )
                .with_hint("charts refer to columns by name, so names must be unique"),
            );
        }
        if column.values.is_empty() {
            errors.push(DataError::new(
                format!("column `{}` has no values", column.name),
                column.values_range.clone(),
            ));
        }
    }

    // Lengths are compared with the first column that has values; empty ones are reported above.
    let reference = raw
        .columns
        .iter()
        .enumerate()
        .find(|(_, column)| !column.values.is_empty());
    if let Some((reference_index, reference)) = reference {
        for column in &raw.columns[reference_index + 1..] {
            if !column.values.is_empty() && column.values.len() != reference.values.len() {
                let which = if reference_index == 0 {
                    "the first column"
                } else {
                    "column"
                };
                errors.push(
                    DataError::new(
                        format!(
                            "column `{}` has {} values, but {which} `{}` has {}",
                            column.name,
                            column.values.len(),
                            reference.name,
                            reference.values.len()
                        ),
                        column.name_range.clone(),
                    )
                    .with_hint("every column needs exactly one value per row"),
                );
            }
        }
    }

    let columns: Vec<Column> = raw
        .columns
        .into_iter()
        .map(|column| type_column(column, &mut errors))
        .collect();
    if errors.is_empty() {
        Ok(Dataset {
            title: raw.title,
            description: raw.description,
            columns,
        })
    } else {
        Err(errors)
    }
}

/// Types a column by its first valid value and reports every value that disagrees.
fn type_column(raw: RawColumn, errors: &mut Vec<DataError>) -> Column {
    let numeric = raw
        .values
        .iter()
        .find_map(|value| match value.kind {
            RawKind::Number(_) => Some(true),
            RawKind::Text(_) => Some(false),
            RawKind::Invalid => None,
        })
        .unwrap_or(true);
    let mut numbers = Vec::new();
    let mut texts = Vec::new();
    let mut value_ranges = Vec::new();
    for (index, value) in raw.values.into_iter().enumerate() {
        let row = index + 1;
        match (value.kind, numeric) {
            (RawKind::Number(n), true) if n.is_finite() => numbers.push(n),
            (RawKind::Number(n), true) => errors.push(
                DataError::new(
                    format!("`{}` row {row}: {n} is not a finite number", raw.name),
                    value.range.clone(),
                )
                .with_hint("charts can only plot finite numbers; leave out rows without data"),
            ),
            (RawKind::Text(text), false) => texts.push(text),
            (RawKind::Text(text), true) => errors.push(
                DataError::new(
                    format!(
                        "`{}` row {row}: expected a number, found a string",
                        raw.name
                    ),
                    value.range.clone(),
                )
                .with_hint(format!(
                    "the column's first value is a number, so `{text}` must be one too"
                )),
            ),
            (RawKind::Number(n), false) => errors.push(
                DataError::new(
                    format!(
                        "`{}` row {row}: expected a string, found a number",
                        raw.name
                    ),
                    value.range.clone(),
                )
                .with_hint(format!(
                    "the column's first value is a string, so write `{}` as a string too",
                    format_number(n)
                )),
            ),
            (RawKind::Invalid, _) => {}
        }
        value_ranges.push(value.range);
    }
    Column {
        name: raw.name,
        label: raw.label,
        unit: raw.unit,
        values: if numeric {
            Values::Numbers(numbers)
        } else {
            Values::Text(texts)
        },
        name_range: raw.name_range,
        value_ranges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_compactly() {
        let cases = [
            (6.7, "6.7"),
            (175.0, "175"),
            (-0.0, "0"),
            (0.25, "0.25"),
            (1e20, "1e20"),
        ];
        for (n, expected) in cases {
            assert_eq!(format_number(n), expected);
        }
    }

    #[test]
    fn line_column_counts_characters_and_clamps() {
        let text = "ab\nвг д\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // "вг " is 5 bytes but 3 characters.
        assert_eq!(line_column(text, 8), (2, 4));
        // Inside the two-byte "в": clamped back to its start.
        assert_eq!(line_column(text, 4), (2, 1));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn unknown_extension_is_an_error() {
        for name in ["data.yaml", "data"] {
            let errors = parse_dataset(name, "a: 1").unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].range, 0..0);
        }
    }
}
