//! A notebook as Lectern reads it: nbformat 4 JSON, leniently, into cells and outputs.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A notebook's cells and what its metadata says about the whole deck.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Notebook {
    pub cells: Vec<Cell>,
    /// The code cells' language (the kernel's), for highlighting.
    pub language: String,
    /// `metadata.title`.
    pub title: Option<String>,
    /// `metadata.authors[].name`.
    pub authors: Vec<String>,
    /// `metadata.lectern`: front-matter keys kept in the notebook's metadata.
    pub settings: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CellKind {
    Markdown,
    Code,
    /// A raw cell and the format it is for (`metadata.format` or `raw_mimetype`), if any.
    Raw(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub kind: CellKind,
    pub source: String,
    pub tags: Vec<String>,
    /// RISE's `metadata.slideshow.slide_type` (`slide`, `subslide`, `fragment`, `skip`,
    /// `notes`, `-`).
    pub slide_type: Option<String>,
    pub outputs: Vec<Output>,
    /// A Markdown cell's pasted images (`attachment:NAME`), by name.
    pub attachments: BTreeMap<String, MimeBundle>,
}

impl Cell {
    pub fn new(kind: CellKind, source: impl Into<String>) -> Self {
        Self {
            kind,
            source: source.into(),
            tags: Vec::new(),
            slide_type: None,
            outputs: Vec::new(),
            attachments: BTreeMap::new(),
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

/// An output's data by MIME type, each as one string (nbformat stores lists of lines too).
pub type MimeBundle = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// `stdout` or `stderr`.
    Stream {
        name: String,
        text: String,
    },
    /// `execute_result` or `display_data`.
    Data(MimeBundle),
    Error {
        ename: String,
        evalue: String,
    },
    /// An `output_type` nbformat 4 does not have.
    Unknown(String),
}

/// Why a notebook cannot be read: a message and, for a JSON syntax error, its 1-based line
/// and column.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub message: String,
    pub at: Option<(usize, usize)>,
}

/// Reads nbformat 4 JSON. Anything the format leaves optional may be missing.
pub fn read(json: &str) -> Result<Notebook, ReadError> {
    let value: Value = serde_json::from_str(json).map_err(|e| ReadError {
        message: format!("the notebook is not valid JSON: {e}"),
        at: (e.line() > 0).then(|| (e.line(), e.column())),
    })?;
    let Some(root) = value.as_object() else {
        return Err(plain("the notebook is not a JSON object"));
    };
    match root.get("nbformat").and_then(Value::as_u64) {
        Some(4) => {}
        Some(n) => {
            return Err(plain(format!(
                "this is an nbformat {n} notebook; Lectern reads nbformat 4 (convert it with `jupyter nbconvert --to notebook --nbformat 4`)"
            )));
        }
        None => {
            return Err(plain(
                "no `nbformat` number: this is not a Jupyter notebook (nbformat 4)",
            ));
        }
    }
    let Some(cells) = root.get("cells").and_then(Value::as_array) else {
        return Err(plain("the notebook has no `cells` list"));
    };
    let empty = Map::new();
    let meta = root
        .get("metadata")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let language = meta
        .get("kernelspec")
        .and_then(|k| k.get("language"))
        .or_else(|| meta.get("language_info").and_then(|l| l.get("name")))
        .and_then(Value::as_str)
        .unwrap_or("python")
        .to_ascii_lowercase()
        // An info string: one word, no backticks (`c++`, `c#` and `r` stay as they are).
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '-' | '_' | '.'))
        .collect();
    let authors = meta
        .get("authors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| a.get("name").and_then(Value::as_str).or(a.as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Notebook {
        cells: cells.iter().map(cell).collect(),
        language,
        title: meta
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string),
        authors,
        settings: meta
            .get("lectern")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    })
}

fn plain(message: impl Into<String>) -> ReadError {
    ReadError {
        message: message.into(),
        at: None,
    }
}

fn cell(value: &Value) -> Cell {
    let meta = value.get("metadata");
    let kind = match value.get("cell_type").and_then(Value::as_str) {
        Some("code") => CellKind::Code,
        Some("raw") => CellKind::Raw(
            meta.and_then(|m| m.get("format").or_else(|| m.get("raw_mimetype")))
                .and_then(Value::as_str)
                .map(str::to_string),
        ),
        _ => CellKind::Markdown,
    };
    let tags: Vec<String> = meta
        .and_then(|m| m.get("tags"))
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let slide_type = meta
        .and_then(|m| m.get("slideshow"))
        .and_then(|s| s.get("slide_type"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let outputs = value
        .get("outputs")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(output).collect())
        .unwrap_or_default();
    let attachments = value
        .get("attachments")
        .and_then(Value::as_object)
        .map(|a| {
            a.iter()
                .map(|(name, b)| (name.clone(), bundle(b)))
                .collect()
        })
        .unwrap_or_default();
    Cell {
        kind,
        source: multiline(value.get("source")),
        tags,
        slide_type,
        outputs,
        attachments,
    }
}

fn output(value: &Value) -> Output {
    let kind = value
        .get("output_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    match kind {
        "stream" => Output::Stream {
            name: value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("stdout")
                .to_string(),
            text: multiline(value.get("text")),
        },
        "execute_result" | "display_data" => {
            Output::Data(value.get("data").map(bundle).unwrap_or_default())
        }
        "error" => Output::Error {
            ename: text_of(value.get("ename")),
            evalue: text_of(value.get("evalue")),
        },
        other => Output::Unknown(other.to_string()),
    }
}

fn bundle(value: &Value) -> MimeBundle {
    value
        .as_object()
        .map(|data| {
            data.iter()
                .map(|(mime, v)| {
                    // JSON outputs (`application/json`, widget state) are objects: kept as text.
                    let text = match v {
                        Value::String(_) | Value::Array(_) => multiline(Some(v)),
                        other => other.to_string(),
                    };
                    (mime.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// nbformat's multi-line strings: a string, or a list of lines to concatenate.
fn multiline(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

fn text_of(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_lists_tags_and_outputs() {
        let json = r#"{"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"language": "R", "name": "ir"}, "title": "T"},
          "cells": [
            {"cell_type": "code", "source": ["x <- 1\n", "x"], "metadata": {"tags": ["remove-input"],
             "slideshow": {"slide_type": "fragment"}},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
                         {"output_type": "execute_result", "data": {"text/plain": ["[1] 1"]}},
                         {"output_type": "mystery"}]}]}"#;
        let nb = read(json).unwrap();
        assert_eq!(nb.language, "r");
        assert_eq!(nb.title.as_deref(), Some("T"));
        let cell = &nb.cells[0];
        assert_eq!(cell.source, "x <- 1\nx");
        assert!(cell.has_tag("remove-input"));
        assert_eq!(cell.slide_type.as_deref(), Some("fragment"));
        assert_eq!(
            cell.outputs,
            [
                Output::Stream {
                    name: "stdout".into(),
                    text: "a\nb\n".into()
                },
                Output::Data([("text/plain".to_string(), "[1] 1".to_string())].into()),
                Output::Unknown("mystery".into()),
            ]
        );
    }

    #[test]
    fn rejects_what_is_not_nbformat_4() {
        let err = read("{\"cells\": [").unwrap_err();
        assert!(err.at.is_some(), "{err:?}");
        let err = read(r#"{"nbformat": 3, "worksheets": []}"#).unwrap_err();
        assert!(err.message.contains("nbformat 3"), "{err:?}");
        assert!(read("[1]").is_err());
        assert!(read(r#"{"nbformat": 4}"#).is_err());
    }
}
