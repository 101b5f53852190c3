//! The LaTeX formula corpus (`tests/math/`) converted by `lectern_deck::math` and compiled
//! with the real Typst: every converted formula must compile without error or warning, and
//! every symbol or function name the converter can emit must exist in this Typst version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lectern_deck::math::{self, latex_to_typst};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

#[path = "../../../tests/math/corpus.rs"]
mod corpus;

/// A World of in-memory sources and Typst's embedded fonts.
struct TinyWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("path")).intern()
}

impl TinyWorld {
    fn new(fonts: &[Font], files: &[(String, String)]) -> Self {
        let main = file_id(&files[0].0);
        let sources = files
            .iter()
            .map(|(path, text)| {
                let id = file_id(path);
                (id, Source::new(id, text.clone()))
            })
            .collect();
        Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(fonts)),
            fonts: fonts.to_vec(),
            main,
            sources,
        }
    }
}

impl World for TinyWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from("missing")))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.source(id).map(Bytes::from_string)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn fonts() -> Vec<Font> {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    assert!(
        fonts
            .iter()
            .any(|f| f.info().family == "New Computer Modern Math"),
        "the embedded fonts include the math font"
    );
    fonts
}

/// Compiles one document whose `snippets` are each in their own included file; returns the
/// problems (errors and warnings) per snippet index, and problems not in any snippet.
fn compile(fonts: &[Font], snippets: &[String]) -> (HashMap<usize, Vec<String>>, Vec<String>) {
    let mut files = vec![(String::new(), String::new())];
    let mut main = String::from("#set page(width: 16cm, height: auto, margin: 1cm)\n");
    for (i, snippet) in snippets.iter().enumerate() {
        let path = format!("/f/{i}.typ");
        main.push_str(&format!("#include \"{path}\"\n\n"));
        files.push((path, snippet.clone()));
    }
    files[0] = ("/main.typ".into(), main);
    let world = TinyWorld::new(fonts, &files);
    let index: HashMap<FileId, usize> = (0..snippets.len())
        .map(|i| (file_id(&format!("/f/{i}.typ")), i))
        .collect();
    let result = typst::compile::<PagedDocument>(&world);
    let mut per = HashMap::<usize, Vec<String>>::new();
    let mut other = Vec::new();
    let mut note = |d: &SourceDiagnostic, kind: &str| {
        let text = format!("{kind}: {}", d.message);
        match d.span.id().and_then(|id| index.get(&id)) {
            Some(&i) => per.entry(i).or_default().push(text),
            None => other.push(text),
        }
    };
    for w in &result.warnings {
        note(w, "warning");
    }
    if let Err(errors) = &result.output {
        for e in errors {
            note(e, "error");
        }
    }
    (per, other)
}

/// Compiles snippets together and, when anything goes wrong, each one alone to find all
/// culprits. Returns (index, problems) for every failing snippet.
fn check(fonts: &[Font], snippets: &[String]) -> Vec<(usize, Vec<String>)> {
    let (per, other) = compile(fonts, snippets);
    if per.is_empty() && other.is_empty() {
        return Vec::new();
    }
    let mut failures = Vec::new();
    for (i, snippet) in snippets.iter().enumerate() {
        let (per, other) = compile(fonts, std::slice::from_ref(snippet));
        let mut problems: Vec<String> = per.into_values().flatten().collect();
        problems.extend(other);
        if !problems.is_empty() {
            failures.push((i, problems));
        }
    }
    assert!(
        !failures.is_empty(),
        "the combined document failed but no snippet alone does: {per:?} {other:?}"
    );
    failures
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/math")
}

/// Corpus entries that convert, as (LaTeX, Typst).
fn converted_corpus() -> Vec<(String, String)> {
    let corpus = corpus::load(&corpus_dir()).expect("corpus");
    assert!(corpus.len() >= 500, "corpus has {} entries", corpus.len());
    corpus
        .into_iter()
        .filter_map(|entry| {
            latex_to_typst(&entry.latex)
                .ok()
                .map(|typst| (entry.latex, typst))
        })
        .collect()
}

#[test]
fn every_converted_formula_compiles_without_warnings() {
    let fonts = fonts();
    let formulas = converted_corpus();
    // Each formula both as display math and inline in a sentence.
    let snippets: Vec<String> = formulas
        .iter()
        .map(|(_, typst)| format!("$ {typst} $\n\nText ${typst}$ text.\n"))
        .collect();
    let failures = check(&fonts, &snippets);
    let report: Vec<String> = failures
        .iter()
        .map(|(i, problems)| {
            let (latex, typst) = &formulas[*i];
            format!(
                "LaTeX:  {latex}\nTypst:  {typst}\nTypst says: {}",
                problems.join("; ")
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} of {} converted formulas do not compile cleanly:\n\n{}",
        report.len(),
        formulas.len(),
        report.join("\n\n")
    );
}

#[test]
fn every_emitted_name_exists_in_typst() {
    let fonts = fonts();
    let names = math::emitted_names();
    assert!(names.len() > 300, "only {} names", names.len());
    let snippets: Vec<String> = names
        .iter()
        .map(|name| {
            if let Some(call) = name.strip_suffix("()") {
                // A function: call it with one argument.
                format!("$ {call}(x) $\n")
            } else {
                format!("$ {name} $\n")
            }
        })
        .collect();
    let failures = check(&fonts, &snippets);
    let report: Vec<String> = failures
        .iter()
        .map(|(i, problems)| format!("`{}`: {}", names[*i], problems.join("; ")))
        .collect();
    assert!(
        report.is_empty(),
        "{} emitted names are not valid in Typst 0.15:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// Development aid: `SNIPPET='$ … $' cargo test --release -p lectern-typst --test
/// math_corpus snippet -- --nocapture` compiles one Typst snippet and prints its problems.
#[test]
fn snippet() {
    let Ok(snippet) = std::env::var("SNIPPET") else {
        return;
    };
    let snippet = match std::env::var("LATEX") {
        Ok(_) => {
            let typst = latex_to_typst(&snippet).expect("converts");
            println!("typst: {typst}");
            format!("$ {typst} $")
        }
        Err(_) => snippet,
    };
    let (per, other) = compile(&fonts(), &[snippet]);
    println!("problems: {per:?} {other:?}");
}
