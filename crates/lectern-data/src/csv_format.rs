//! CSV datasets: a header row of column names (`name` or `name [unit]`), then one row per data
//! point; `#` starts a comment line. A column is numeric if its first cell is a number.
//!
//! The csv crate does the parsing (quotes, escapes, comments) but only reports where a record
//! starts, so each cell's byte range is recovered by re-scanning the record's original text.

use std::ops::Range;

use csv::{ReaderBuilder, StringRecord};

use crate::{DataError, RawColumn, RawDataset, RawKind, RawValue};

/// A record with its cells' ranges in the original text (quotes excluded, whitespace trimmed).
struct Row {
    record: StringRecord,
    cells: Vec<Range<usize>>,
    range: Range<usize>,
}

pub(crate) fn parse(text: &str, errors: &mut Vec<DataError>) -> Option<RawDataset> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        // Rows with a wrong number of fields are reported here, with a better message.
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let start = record
                    .position()
                    .and_then(|position| usize::try_from(position.byte()).ok())
                    .unwrap_or(0);
                let (cells, range) = cell_ranges(text, start);
                rows.push(Row {
                    record,
                    cells,
                    range,
                });
            }
            Err(error) => {
                let at = error
                    .position()
                    .and_then(|position| usize::try_from(position.byte()).ok())
                    .unwrap_or(0)
                    .min(text.len());
                errors.push(DataError::new(format!("CSV: {error}"), at..at));
                return None;
            }
        }
    }
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        // No columns at all: validation reports the empty dataset.
        return Some(RawDataset {
            title: None,
            description: None,
            columns: Vec::new(),
            empty_range: 0..0,
        });
    };
    let data: Vec<Row> = rows.collect();
    if data.is_empty() {
        errors.push(
            DataError::new(
                "dataset is empty: the header has no rows below it",
                header.range.clone(),
            )
            .with_hint("add one line of comma-separated values per data point"),
        );
        return None;
    }

    let mut columns: Vec<RawColumn> = header
        .record
        .iter()
        .enumerate()
        .map(|(index, cell)| header_column(cell.trim(), cell_range(&header, index)))
        .collect();
    // Decided by the first non-empty cell of a well-formed row.
    let numeric: Vec<bool> = (0..columns.len())
        .map(|index| {
            data.iter()
                .filter(|row| row.record.len() == columns.len())
                .filter_map(|row| row.record.get(index).map(str::trim))
                .find(|cell| !cell.is_empty())
                .is_some_and(|cell| cell.parse::<f64>().is_ok())
        })
        .collect();

    for (row_index, row) in data.iter().enumerate() {
        let row_number = row_index + 1;
        if row.record.len() != columns.len() {
            errors.push(
                DataError::new(
                    format!(
                        "row {row_number} has {}, but the header has {}",
                        fields(row.record.len()),
                        columns.len()
                    ),
                    row.range.clone(),
                )
                .with_hint("every row needs one value per column; quote cells that contain commas"),
            );
            // Keep the row as invalid cells so later rows keep their numbers.
            for column in &mut columns {
                column.values.push(RawValue {
                    kind: RawKind::Invalid,
                    range: row.range.clone(),
                });
            }
            continue;
        }
        for (index, column) in columns.iter_mut().enumerate() {
            let cell = row.record.get(index).unwrap_or_default().trim();
            let range = cell_range(row, index);
            let kind = if cell.is_empty() {
                errors.push(
                    DataError::new(
                        format!("`{}` row {row_number} is empty", column.name),
                        range.clone(),
                    )
                    .with_hint("every cell needs a value; leave out rows without data"),
                );
                RawKind::Invalid
            } else if numeric[index] {
                // A non-number stays text, and validation reports it as a type mismatch.
                cell.parse::<f64>()
                    .map_or_else(|_| RawKind::Text(cell.to_owned()), RawKind::Number)
            } else {
                RawKind::Text(cell.to_owned())
            };
            column.values.push(RawValue { kind, range });
        }
    }
    Some(RawDataset {
        title: None,
        description: None,
        columns,
        empty_range: 0..0,
    })
}

fn fields(count: usize) -> String {
    if count == 1 {
        "1 field".to_owned()
    } else {
        format!("{count} fields")
    }
}

fn cell_range(row: &Row, index: usize) -> Range<usize> {
    row.cells
        .get(index)
        .cloned()
        .unwrap_or(row.range.start..row.range.start)
}

/// Splits a header cell `name [unit]` into name and unit; the name's range is narrowed to it.
fn header_column(cell: &str, range: Range<usize>) -> RawColumn {
    let (name, unit) = match cell
        .strip_suffix(']')
        .and_then(|rest| rest.rsplit_once('['))
    {
        Some((name, unit)) => (name.trim_end(), Some(unit.trim().to_owned())),
        None => (cell, None),
    };
    let name_range = range.start..(range.start + name.len()).min(range.end);
    RawColumn {
        name: name.to_owned(),
        name_range: name_range.clone(),
        label: None,
        unit,
        values: Vec::new(),
        values_range: name_range,
    }
}

/// Scans one record in the original text from `start`: the range of each cell and of the
/// whole record. Mirrors the csv crate's rules for `,` and `"`, so unquoted cells are exact.
fn cell_ranges(text: &str, start: usize) -> (Vec<Range<usize>>, Range<usize>) {
    let bytes = text.as_bytes();
    let mut pos = start.min(bytes.len());
    // A record's position is where the reader started looking for it, which can be before
    // comment lines and blank lines that the csv crate skipped.
    loop {
        match bytes.get(pos) {
            Some(b'\n' | b'\r') => pos += 1,
            Some(b'#') => {
                while bytes.get(pos).is_some_and(|&byte| byte != b'\n') {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    let start = pos;
    let mut cells = Vec::new();
    loop {
        let cell_start = pos;
        if bytes.get(pos) == Some(&b'"') {
            pos += 1;
            while let Some(&byte) = bytes.get(pos) {
                pos += 1;
                if byte == b'"' {
                    // A doubled quote is an escaped quote inside the cell.
                    if bytes.get(pos) == Some(&b'"') {
                        pos += 1;
                    } else {
                        break;
                    }
                }
            }
        }
        while let Some(&byte) = bytes.get(pos) {
            if matches!(byte, b',' | b'\n' | b'\r') {
                break;
            }
            pos += 1;
        }
        cells.push(trimmed(text, cell_start..pos));
        if bytes.get(pos) == Some(&b',') {
            pos += 1;
        } else {
            break;
        }
    }
    (cells, start..pos)
}

/// Narrows a cell's range to its content: no surrounding whitespace, no enclosing quotes.
/// The range only ever ends at ASCII delimiters, so slicing stays on character boundaries.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(raw) = text.get(range.clone()) else {
        return range;
    };
    let start = range.start + (raw.len() - raw.trim_start().len());
    let content = raw.trim();
    let end = start + content.len();
    if content.len() >= 2 && content.starts_with('"') && content.ends_with('"') {
        start + 1..end - 1
    } else {
        start..end
    }
}
