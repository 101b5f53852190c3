//! `lectern diff DECK [REV [REV2]]`: builds the deck as it is at two revisions (or a revision
//! and the work tree), prints one line per slide that differs and writes a visual report.
//! Exit status as `diff`: 0 no visible change, 1 changes, 2 trouble.

mod git;
mod snapshot;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lectern_typst::ProjectOptions;
use lectern_typst::output::write_atomic;

use crate::DeckArgs;
use git::Repo;
use snapshot::Build;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// Deck folder, Markdown file or Jupyter notebook, in a git repository.
    deck: PathBuf,
    /// None: HEAD against the work tree; one: that revision against the work tree; two (or
    /// `A..B`): the first against the second.
    #[arg(value_name = "REV", num_args = 0..=2)]
    revisions: Vec<String>,
    /// The visual report (default: out/<deck>-diff.pdf).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print only the summary; write no report.
    #[arg(long)]
    stat: bool,
    #[command(flatten)]
    common: DeckArgs,
}

/// One side of the comparison: a commit, or the files on disk.
enum Side {
    Commit { hash: String, label: String },
    WorkTree,
}

impl Side {
    fn label(&self) -> &str {
        match self {
            Side::Commit { label, .. } => label,
            Side::WorkTree => "work tree",
        }
    }
}

pub fn run(args: &DiffArgs) -> ExitCode {
    match compare(args) {
        Ok(true) => ExitCode::from(1),
        Ok(false) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Whether anything differs.
fn compare(args: &DiffArgs) -> Result<bool, String> {
    let repo = Repo::find(&args.deck)?;
    let (old, new) = sides(&repo, &args.revisions)?;
    let old_build = build_side(args, &repo, &old)?;
    let new_build = build_side(args, &repo, &new)?;
    let empty = Build::default();
    let (old_b, new_b) = (
        old_build.as_ref().unwrap_or(&empty),
        new_build.as_ref().unwrap_or(&empty),
    );
    if old_build.is_none() && new_build.is_none() {
        return Err(format!(
            "no deck at {} in {} or {}",
            args.deck.display(),
            old.label(),
            new.label()
        ));
    }
    let diff = lectern_diff::diff(&old_b.slides, &new_b.slides);
    let color = std::io::stdout().is_terminal();
    let name = new_build
        .as_ref()
        .or(old_build.as_ref())
        .map_or("deck", |b| b.name.as_str());
    println!("{name}: {} → {}", old.label(), new.label());
    for change in &diff.changes {
        println!(
            "{}",
            lectern_diff::line(change, &old_b.slides, &new_b.slides, color)
        );
    }
    println!("{}", lectern_diff::totals(&diff));
    if !args.stat && !diff.is_empty() {
        let output = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}-diff.pdf")));
        let pdf = report(&diff, name, (&old, old_b), (&new, new_b))?;
        write_atomic(&output, &pdf)
            .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
        println!("report: {}", output.display());
    }
    Ok(!diff.is_empty())
}

/// The two sides the revisions name.
fn sides(repo: &Repo, revisions: &[String]) -> Result<(Side, Side), String> {
    let commit = |rev: &str| -> Result<Side, String> {
        let hash = repo.resolve(rev)?;
        let label = format!("{rev} ({})", &hash[..hash.len().min(7)]);
        Ok(Side::Commit { hash, label })
    };
    match revisions {
        [] => Ok((commit("HEAD")?, Side::WorkTree)),
        [range] if range.contains("..") => {
            let (a, b) = range.split_once("..").unwrap_or_default();
            let b = b.trim_start_matches('.');
            Ok((
                commit(if a.is_empty() { "HEAD" } else { a })?,
                commit(if b.is_empty() { "HEAD" } else { b })?,
            ))
        }
        [rev] => Ok((commit(rev)?, Side::WorkTree)),
        [a, b] => Ok((commit(a)?, commit(b)?)),
        _ => Err("give at most two revisions".into()),
    }
}

/// Builds the deck as `side` has it; `None` if it has no such deck.
fn build_side(args: &DiffArgs, repo: &Repo, side: &Side) -> Result<Option<Build>, String> {
    let options =
        |deck: PathBuf, themes: Option<PathBuf>, font_paths: Vec<PathBuf>| ProjectOptions {
            themes_dir: themes,
            font_paths,
            hide_positions: true,
            ..args.common.options(&deck)
        };
    match side {
        Side::WorkTree => {
            let deck_file = deck_file(&args.deck);
            if !deck_file.is_file() {
                return Ok(None);
            }
            let options = options(
                args.deck.clone(),
                args.common.themes.clone(),
                args.common.font_paths.clone(),
            );
            snapshot::build(&options, side.label()).map(Some)
        }
        Side::Commit { hash, label } => {
            let temp = tempfile::Builder::new()
                .prefix("lectern-diff-")
                .tempdir()
                .map_err(|e| format!("cannot make a temporary folder: {e}"))?;
            let deck_rel = repo.relative(&args.deck)?;
            let loose_file = lectern_typst::project::is_deck_file(&deck_rel);
            let deck_dir_rel = if loose_file {
                deck_rel.parent().map(Path::to_path_buf).unwrap_or_default()
            } else {
                deck_rel.clone()
            };
            // The deck's folder, every themes/ folder it could find above it, and the
            // folders given on the command line when they are in the repository.
            let mut wanted = vec![deck_dir_rel.clone()];
            wanted.extend(deck_dir_rel.ancestors().map(|dir| dir.join("themes")));
            let inside = |path: &Path| repo.relative(path).ok();
            let themes_rel = args.common.themes.as_deref().and_then(inside);
            let font_rels: Vec<Option<PathBuf>> =
                args.common.font_paths.iter().map(|p| inside(p)).collect();
            wanted.extend(themes_rel.iter().cloned());
            wanted.extend(font_rels.iter().flatten().cloned());
            repo.extract(hash, &wanted, temp.path())?;
            let deck = temp.path().join(&deck_rel);
            if !deck_file(&deck).is_file() {
                return Ok(None);
            }
            // A themes folder outside the repository (shared by several) is the same on both
            // sides: the one the work tree's deck finds.
            let outside = || {
                let start = std::path::absolute(&args.deck).ok()?;
                let found = start.ancestors().find(|p| p.is_dir()).map(|dir| {
                    lectern_typst::project::find_themes_dir(
                        &dir.canonicalize().unwrap_or(dir.to_path_buf()),
                    )
                })??;
                inside(&found).is_none().then_some(found)
            };
            let themes = match (&args.common.themes, themes_rel) {
                (_, Some(rel)) => Some(temp.path().join(rel)),
                (Some(given), None) => Some(given.clone()),
                (None, None) => outside(),
            };
            let font_paths = args
                .common
                .font_paths
                .iter()
                .zip(&font_rels)
                .map(|(given, rel)| rel.as_ref().map_or(given.clone(), |r| temp.path().join(r)))
                .filter(|p| p.is_dir())
                .collect();
            let options = options(deck, themes, font_paths);
            snapshot::build(&options, label).map(Some)
        }
    }
}

fn deck_file(deck: &Path) -> PathBuf {
    if lectern_typst::project::is_deck_file(deck) {
        deck.to_path_buf()
    } else {
        lectern_typst::project::deck_file(deck)
    }
}

/// The visual report's PDF.
fn report(
    diff: &lectern_diff::Diff,
    name: &str,
    (old_side, old): (&Side, &Build),
    (new_side, new): (&Side, &Build),
) -> Result<Vec<u8>, String> {
    const OLD_PDF: &str = "/__lectern/diff/old.pdf";
    const NEW_PDF: &str = "/__lectern/diff/new.pdf";
    let aspect = if new.aspect > 0.0 {
        new.aspect
    } else {
        old.aspect
    };
    let report = lectern_diff::Report {
        deck: name,
        old_label: old_side.label(),
        new_label: new_side.label(),
        old: &old.slides,
        new: &new.slides,
        old_pages: &old.last_pages,
        new_pages: &new.last_pages,
        old_pdf: OLD_PDF,
        new_pdf: NEW_PDF,
        aspect,
    };
    let source = lectern_diff::report_source(diff, &report);
    let mut files = Vec::new();
    for (path, build) in [(OLD_PDF, old), (NEW_PDF, new)] {
        if !build.pdf.is_empty() {
            files.push((path.to_string(), build.pdf.clone()));
        }
    }
    lectern_typst::standalone::pdf(source, files, &format!("lectern/{name}/diff"))
        .map_err(|e| format!("cannot make the report: {e}"))
}
