//! `cargo xtask gallery`: the same slides of Lecture 7 in every built-in theme, one picture
//! per theme under `docs/themes/`, and `docs/themes.md` showing them.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use lectern_typst::{Project, ProjectOptions};

/// Lecture 7's slides shown: title, list, section, table, code, chart.
const SLIDES: &[usize] = &[1, 2, 4, 6, 15, 18];

pub fn run(repo: &Path) -> anyhow::Result<()> {
    let lecture = repo.join("decks/lecture-07-emergence");
    let out = repo.join("docs/themes");
    std::fs::create_dir_all(&out)?;
    let mut page = String::from(
        "# Themes\n\nThe built-in themes, each showing the same six slides of Lecture 7 (title, list, \
         section, table, code, chart). Pick one with `theme: NAME` in the front matter or \
         `--theme NAME`; `lectern themes` lists them with any local ones. Made by \
         `cargo xtask gallery`.\n",
    );
    for theme in lectern_typst::builtin::THEMES {
        let mut project = Project::open(&ProjectOptions {
            deck: lecture.clone(),
            themes_dir: Some(repo.join("themes")),
            theme: Some(theme.name.to_string()),
            blocks: lectern_cli::plugins::registry(),
            ..ProjectOptions::new("")
        })?;
        let compiled = match project.compile() {
            Ok(compiled) => compiled,
            Err(failed) => bail!(
                "{}: {}",
                theme.name,
                project.render_diagnostics(&failed.diagnostics, false)
            ),
        };
        if !compiled.warnings.is_empty() {
            bail!(
                "{}: warnings:\n{}",
                theme.name,
                project.render_diagnostics(&compiled.warnings, false)
            );
        }
        let pages = compiled.document.pages();
        let mut files = Vec::new();
        let mut cells = String::new();
        for &slide in SLIDES {
            let page = *compiled.slide_pages[slide - 1]
                .last()
                .context("slide page")?;
            let path = format!("/__lectern/gallery/{slide}.svg");
            files.push((
                path.clone(),
                lectern_typst::inspect::page_svg(&pages[page - 1]).into_bytes(),
            ));
            let _ = write!(
                cells,
                "box(stroke: 0.5pt + luma(190), image(\"{path}\", width: 300pt)), "
            );
        }
        let main = format!(
            "#set page(width: auto, height: auto, margin: 14pt, fill: luma(236))\n\
             #set text(font: \"Inter\", size: 12pt)\n\
             #text(weight: 600)[{}] #h(6pt) #text(fill: luma(90))[{}]\n\
             #v(4pt)\n#grid(columns: 3, gutter: 10pt, {cells})\n",
            theme.name, theme.description
        );
        let png = lectern_typst::standalone::png(main, files, 1.0)
            .map_err(|e| anyhow::anyhow!("{}: {e}", theme.name))?;
        let file = out.join(format!("{}.png", theme.name));
        lectern_typst::output::write_atomic(&file, &png)?;
        eprintln!("wrote {} ({} KiB)", file.display(), png.len() / 1024);
        let mut description = theme.description.to_string();
        if let Some(first) = description.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        let _ = write!(
            page,
            "\n## `{name}`\n\n{description}.\n\n![{name}: six slides of Lecture 7](themes/{name}.png)\n",
            name = theme.name,
        );
    }
    page.push_str(
        "\n## Making your own\n\nTo change only the colours, give a deck `theme-options` (see the README), \
         or make `themes/<name>/` with a `palette.toml` and a `theme.typ` holding \
         `#import \"/__lectern/builtin/aula/theme.typ\": *`. A theme of your own design \
         implements the contract in ARCHITECTURE.md.\n",
    );
    lectern_typst::output::write_atomic(&repo.join("docs/themes.md"), page.as_bytes())?;
    eprintln!("wrote {}", repo.join("docs/themes.md").display());
    Ok(())
}
