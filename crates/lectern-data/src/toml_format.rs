//! TOML datasets: `title`, `description` and `[[column]]` tables, read through toml's spanned
//! document parser so every key and value keeps its byte range.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::tree::{self, Entry, Kind, Node, Shape};
use crate::{DataError, RawDataset};

const SHAPE: Shape = Shape {
    columns_key: "column",
    other_columns_key: "columns",
    table_word: "a table",
};

pub(crate) fn parse(text: &str, errors: &mut Vec<DataError>) -> Option<RawDataset> {
    // The recoverable parser reports every syntax error at once instead of only the first.
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        errors.extend(
            syntax_errors
                .into_iter()
                .map(|error| DataError::new(error.message().trim(), error.span().unwrap_or(0..0))),
        );
        return None;
    }
    let root = Node {
        range: root.span(),
        kind: table(root.get_ref()),
    };
    tree::read_dataset(root, &SHAPE, errors)
}

fn table(table: &DeTable<'_>) -> Kind {
    Kind::Table(
        table
            .iter()
            .map(|(key, value)| Entry {
                key: key.get_ref().to_string(),
                key_range: key.span(),
                value: node(value),
            })
            .collect(),
    )
}

fn node(value: &Spanned<DeValue<'_>>) -> Node {
    let kind = match value.get_ref() {
        DeValue::String(text) => Kind::Str(text.to_string()),
        // Through i128 so that every integer TOML accepts converts; f64 rounding is fine for charts.
        DeValue::Integer(integer) => {
            match i128::from_str_radix(integer.as_str(), integer.radix()) {
                Ok(n) => Kind::Num(n as f64),
                Err(_) => Kind::Other("an integer out of range"),
            }
        }
        // toml hands over the float with `_` removed; `inf` and `nan` parse to non-finite values,
        // which validation reports.
        DeValue::Float(float) => match float.as_str().parse::<f64>() {
            Ok(n) => Kind::Num(n),
            Err(_) => Kind::Num(f64::NAN),
        },
        DeValue::Boolean(_) => Kind::Other("a boolean"),
        DeValue::Datetime(_) => Kind::Other("a date-time"),
        DeValue::Array(items) => Kind::Array(items.iter().map(node).collect()),
        DeValue::Table(inner) => table(inner),
    };
    Node {
        range: value.span(),
        kind,
    }
}
