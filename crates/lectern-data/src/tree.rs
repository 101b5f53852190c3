//! The document shape shared by TOML and JSON: a spanned value tree, read into a `RawDataset`.
//!
//! Both formats are converted into [`Node`]s first, so the keys, types and messages are checked
//! in one place and every error can point at the exact key or value.

use std::ops::Range;

use crate::{DataError, RawColumn, RawDataset, RawKind, RawValue};

pub(crate) struct Node {
    pub range: Range<usize>,
    pub kind: Kind,
}

pub(crate) enum Kind {
    Table(Vec<Entry>),
    Array(Vec<Node>),
    Str(String),
    Num(f64),
    /// Anything a dataset never holds (booleans, dates, null); the text names it for messages.
    Other(&'static str),
}

pub(crate) struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    pub value: Node,
}

/// What differs between the formats: the key of the column list and the word for a table.
pub(crate) struct Shape {
    pub columns_key: &'static str,
    pub other_columns_key: &'static str,
    /// With its article: "a table" or "an object".
    pub table_word: &'static str,
}

impl Kind {
    fn describe(&self, shape: &Shape) -> String {
        match self {
            Kind::Table(_) => shape.table_word.to_owned(),
            Kind::Array(_) => "an array".to_owned(),
            Kind::Str(_) => "a string".to_owned(),
            Kind::Num(_) => "a number".to_owned(),
            Kind::Other(what) => (*what).to_owned(),
        }
    }
}

fn unknown_key(entry: &Entry, context: &str, allowed: &str, suggestion: Option<&str>) -> DataError {
    let error = DataError::new(
        format!("unknown key `{}` {context}", entry.key),
        entry.key_range.clone(),
    );
    match suggestion {
        Some(suggestion) => error.with_hint(format!("did you mean `{suggestion}`?")),
        None => error.with_hint(format!("allowed keys: {allowed}")),
    }
}

/// JSON allows a key twice (TOML's parser already rejects that); the second one is an error.
fn check_duplicate_keys(entries: &[Entry], errors: &mut Vec<DataError>) {
    for (index, entry) in entries.iter().enumerate() {
        if entries[..index]
            .iter()
            .any(|earlier| earlier.key == entry.key)
        {
            errors.push(DataError::new(
                format!("duplicate key `{}`", entry.key),
                entry.key_range.clone(),
            ));
        }
    }
}

/// Reads an optional string field, reporting a wrong type at the value.
fn string(entry: &Entry, shape: &Shape, errors: &mut Vec<DataError>) -> Option<String> {
    match &entry.value.kind {
        Kind::Str(text) => Some(text.clone()),
        other => {
            errors.push(DataError::new(
                format!(
                    "`{}` must be a string, found {}",
                    entry.key,
                    other.describe(shape)
                ),
                entry.value.range.clone(),
            ));
            None
        }
    }
}

/// Reads the whole document; errors go to `errors`, and what could be read is returned so the
/// shared validation can still report further problems.
pub(crate) fn read_dataset(
    root: Node,
    shape: &Shape,
    errors: &mut Vec<DataError>,
) -> Option<RawDataset> {
    let Kind::Table(entries) = root.kind else {
        errors.push(DataError::new(
            format!(
                "a dataset must be {} with `{}`, found {}",
                shape.table_word,
                shape.columns_key,
                root.kind.describe(shape)
            ),
            root.range,
        ));
        return None;
    };
    let mut dataset = RawDataset {
        title: None,
        description: None,
        columns: Vec::new(),
        empty_range: 0..0,
    };
    check_duplicate_keys(&entries, errors);
    let allowed = format!("title, description, {}", shape.columns_key);
    for entry in &entries {
        match entry.key.as_str() {
            "title" => dataset.title = string(entry, shape, errors),
            "description" => dataset.description = string(entry, shape, errors),
            key if key == shape.columns_key => {
                dataset.empty_range = entry.value.range.clone();
                let Kind::Array(items) = &entry.value.kind else {
                    errors.push(DataError::new(
                        format!(
                            "`{}` must be an array of columns, found {}",
                            entry.key,
                            entry.value.kind.describe(shape)
                        ),
                        entry.value.range.clone(),
                    ));
                    continue;
                };
                dataset.columns.extend(
                    items
                        .iter()
                        .filter_map(|item| read_column(item, shape, errors)),
                );
            }
            key => {
                let suggestion = (key == shape.other_columns_key).then_some(shape.columns_key);
                errors.push(unknown_key(entry, "in the dataset", &allowed, suggestion));
            }
        }
    }
    Some(dataset)
}

fn read_column(node: &Node, shape: &Shape, errors: &mut Vec<DataError>) -> Option<RawColumn> {
    let Kind::Table(entries) = &node.kind else {
        errors.push(DataError::new(
            format!(
                "a column must be {} with `name` and `values`, found {}",
                shape.table_word,
                node.kind.describe(shape)
            ),
            node.range.clone(),
        ));
        return None;
    };
    check_duplicate_keys(entries, errors);
    let mut name = None;
    let mut label = None;
    let mut unit = None;
    let mut values = None;
    for entry in entries {
        match entry.key.as_str() {
            "name" => {
                if let Some(text) = string(entry, shape, errors) {
                    name = Some((text, entry.value.range.clone()));
                }
            }
            "label" => label = string(entry, shape, errors),
            "unit" => unit = string(entry, shape, errors),
            // Values are read after the loop: their messages need the name, which may come later.
            "values" => values = Some(&entry.value),
            _ => errors.push(unknown_key(
                entry,
                "in a column",
                "name, label, unit, values",
                None,
            )),
        }
    }
    let Some((name, name_range)) = name else {
        // A wrong-typed name was already reported; only a missing one needs a message.
        if !entries.iter().any(|entry| entry.key == "name") {
            errors.push(
                DataError::new("column has no `name`", node.range.clone())
                    .with_hint("charts refer to columns by name, e.g. `name = \"year\"`"),
            );
        }
        return None;
    };
    let mut column = RawColumn {
        values: Vec::new(),
        values_range: name_range.clone(),
        name,
        name_range,
        label,
        unit,
    };
    let Some(values) = values else {
        return Some(column);
    };
    column.values_range = values.range.clone();
    let Kind::Array(items) = &values.kind else {
        errors.push(DataError::new(
            format!(
                "`values` of `{}` must be an array, found {}",
                column.name,
                values.kind.describe(shape)
            ),
            values.range.clone(),
        ));
        // An empty list here would add a misleading "has no values" error.
        return None;
    };
    for (index, item) in items.iter().enumerate() {
        let kind = match &item.kind {
            Kind::Num(n) => RawKind::Number(*n),
            Kind::Str(text) => RawKind::Text(text.clone()),
            other => {
                errors.push(DataError::new(
                    format!(
                        "`{}` row {}: expected a number or a string, found {}",
                        column.name,
                        index + 1,
                        other.describe(shape)
                    ),
                    item.range.clone(),
                ));
                RawKind::Invalid
            }
        };
        column.values.push(RawValue {
            kind,
            range: item.range.clone(),
        });
    }
    Some(column)
}
