//! `lectern import`: a notebook (or its plain-text export) turned into a deck folder, the
//! starting point for a lecturer who edits Markdown from then on.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lectern_notebook::{Options, text_export};
use lectern_typst::output::write_atomic;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// A Jupyter notebook (.ipynb), or its plain-text export (Markdown with `In [12]:` code
    /// cells).
    file: PathBuf,
    /// The deck file to write (default: <notebook name>/deck.md); output images go into the
    /// `images/` folder beside it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite a deck file that exists.
    #[arg(long)]
    force: bool,
}

pub fn import(args: &ImportArgs) -> ExitCode {
    match run(args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &ImportArgs) -> Result<String, String> {
    let file = &args.file;
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file
        .file_name()
        .map_or_else(|| "notebook".into(), |n| n.to_string_lossy().into_owned());
    let stem = file
        .file_stem()
        .map_or_else(|| "notebook".into(), |n| n.to_string_lossy().into_owned());
    let markdown_name = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown"))
    };
    let output = match &args.output {
        Some(path) if markdown_name(path) => path.clone(),
        Some(path) if lectern_typst::project::is_deck_file(path) => {
            return Err(format!(
                "{} is not a Markdown file; name the deck to write (decks/NAME/deck.md) or its folder",
                path.display()
            ));
        }
        Some(dir) => dir.join("deck.md"),
        None => PathBuf::from(&stem).join("deck.md"),
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&output, file) {
        return Err(format!("{} is the file being imported", output.display()));
    }
    if output.exists() && !args.force {
        return Err(format!(
            "{} already exists; not overwriting it (--force does)",
            output.display()
        ));
    }
    let options = Options {
        name: name.clone(),
        image_dir: "images".into(),
    };
    let converted = if lectern_notebook::is_notebook(file) {
        lectern_notebook::convert_json(&text, &options).map_err(|diag| {
            let (line, col) = lectern_deck::diag::line_col(&text, diag.range.start);
            format!("{}:{line}:{col}: {}", file.display(), diag.message)
        })?
    } else {
        lectern_notebook::convert(&text_export::read(&text), &options)
    };
    let folder = output.parent().unwrap_or(Path::new(".")).to_path_buf();
    // Another deck's images in the same folder are not replaced unasked.
    for (path, bytes) in &converted.files {
        let target = folder.join(path);
        let other = std::fs::read(&target).is_ok_and(|old| old != *bytes);
        if other && !args.force {
            return Err(format!(
                "{} already exists with another image; not overwriting it (--force does, or import into a folder of its own)",
                target.display()
            ));
        }
    }
    for (path, bytes) in &converted.files {
        let target = folder.join(path);
        write_atomic(&target, bytes)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    write_atomic(&output, converted.markdown.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let copied = copy_local_images(&converted.markdown, file.parent(), &folder)?;
    if !converted.diagnostics.is_empty() {
        let located = converted.relocate(Path::new(&name), &converted.diagnostics);
        let shown_root = file.parent().unwrap_or(Path::new(""));
        eprint!(
            "{}",
            lectern_deck::diag::render(
                &located,
                shown_root,
                std::io::stderr().is_terminal(),
                &|f| { converted.cell_text(Path::new(&name), f) }
            )
        );
    }
    let cells = converted.cells.len();
    let images = converted.files.len() + copied;
    let deck = if output.file_name().is_some_and(|n| n == "deck.md") {
        folder.display().to_string()
    } else {
        output.display().to_string()
    };
    Ok(format!(
        "imported {} → {} ({cells} cells, {images} images); build it with: lectern build {deck}",
        file.display(),
        output.display()
    ))
}

/// Copies the images the notebook's Markdown names beside it (`figures/x.png`) to the same
/// place in the deck folder, so the deck shows them too. Returns how many were copied.
fn copy_local_images(markdown: &str, from: Option<&Path>, to: &Path) -> Result<usize, String> {
    let from = from
        .filter(|f| !f.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (deck, _) = lectern_deck::parse(markdown, "deck.md");
    let urls = std::cell::RefCell::new(Vec::new());
    for slide in &deck.slides {
        slide.walk(
            &mut |block| {
                if let lectern_deck::BlockKind::Image { url, .. } = &block.kind {
                    urls.borrow_mut().push(url.clone());
                }
            },
            &mut |inline| {
                if let lectern_deck::Inline::Image { url, .. } = inline {
                    urls.borrow_mut().push(url.clone());
                }
            },
        );
        let background = slide.settings.background.images.iter().cloned();
        urls.borrow_mut().extend(background);
    }
    let mut urls = urls.into_inner();
    urls.sort();
    urls.dedup();
    let mut copied = 0;
    for url in urls {
        let Ok(path) = lectern_deck::paths::check_deck_path(&url) else {
            continue;
        };
        let rel = path.trim_start_matches('/');
        let (source, target) = (from.join(rel), to.join(rel));
        if !source.is_file() || target.exists() {
            continue;
        }
        let bytes =
            std::fs::read(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        write_atomic(&target, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        copied += 1;
    }
    Ok(copied)
}
