//! `lectern present`: the live server's audience view and presenter console, without writing a
//! PDF unless asked; and `lectern export --format html`: the same views in one offline file.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lectern_typst::Project;
use lectern_typst::output::write_atomic;

use crate::DeckArgs;

#[derive(clap::Args)]
pub struct PresentArgs {
    /// Deck folder, Markdown file or Jupyter notebook.
    deck: PathBuf,
    /// Also write the PDF on every change, to this file.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Do not open the presenter console in the browser.
    #[arg(long)]
    no_open: bool,
    #[command(flatten)]
    common: DeckArgs,
}

pub fn present(args: &PresentArgs) -> ExitCode {
    let stop = crate::stop_on_ctrl_c();
    let options = lectern_live::WatchOptions {
        project: args.common.options(&args.deck),
        // Never written without `-o`; the path only names what the watcher ignores.
        output: args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("out/.present.pdf")),
        port: Some(args.port),
        write_pdf: args.output.is_some(),
        stop,
    };
    let mut opened = args.no_open;
    let mut report = |line: &str| {
        eprintln!("{line}");
        if let Some(url) = line.strip_prefix("preview at ") {
            let base = url.split(' ').next().unwrap_or(url);
            if !opened {
                opened = true;
                open_browser(&format!("{base}presenter"));
            }
        }
    };
    match lectern_live::watch(options, &mut report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Best effort: the URL is printed either way.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// `lectern export DECK --format html`: every page as SVG in one HTML file that presents
/// offline (`#presenter` opens the console).
pub fn export_html(
    project: &Project,
    compiled: &lectern_typst::Compiled,
    output: Option<&Path>,
) -> ExitCode {
    let pages = compiled.document.pages();
    let svgs: Vec<String> = pages.iter().map(lectern_typst::inspect::page_svg).collect();
    let svgs: Vec<&str> = svgs.iter().map(String::as_str).collect();
    let meta = lectern_live::presentation::model(project.deck(), &compiled.slide_pages);
    let html = lectern_live::standalone::html(&svgs, &meta);
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}.html", project.name())));
    if let Err(err) = write_atomic(&path, html.as_bytes()) {
        eprintln!("error: cannot write {}: {err}", path.display());
        return ExitCode::FAILURE;
    }
    let hint = if std::io::stdout().is_terminal() {
        " (open it in a browser; add #presenter for the console)"
    } else {
        ""
    };
    println!(
        "exported {} slides ({} pages, {} KiB) to {}{hint}",
        compiled.slides,
        pages.len(),
        html.len() / 1024,
        path.display()
    );
    ExitCode::SUCCESS
}
