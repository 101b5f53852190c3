//! Citations in built decks: pandoc's syntax forms in two styles, the references slides (by
//! language, split when long, never cut), unknown keys and broken bibliography files.

mod common;

use std::path::Path;

use lectern_typst::inspect::page_text;
use lectern_typst::{Project, ProjectOptions};

/// Two papers in BibTeX (shared with lectern-cite's tests).
const BIB: &str = include_str!("../../../tests/citations/refs.bib");

const SLIDES: &str = "## Claims

- Scale helps [@brown2020, p. 4].
- @wei2022 call it emergence, see also [-@wei2022].
- Both [see @brown2020; @wei2022].
- Write to ada@example.org about it.
";

struct Deck {
    dir: tempfile::TempDir,
}

impl Deck {
    fn new(markdown: &str, files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("deck.md"), markdown).expect("write deck");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
            std::fs::write(path, text).expect("write file");
        }
        Self { dir }
    }

    fn project(&self) -> Project {
        Project::open(&ProjectOptions {
            deck: self.dir.path().to_path_buf(),
            themes_dir: Some(repo().join("themes")),
            blocks: common::plugins(),
            ..ProjectOptions::new("")
        })
        .expect("open deck")
    }
}

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo")
}

/// Each page's words, joined by single spaces however the page sets them.
fn texts(compiled: &lectern_typst::Compiled) -> Vec<String> {
    compiled
        .document
        .pages()
        .iter()
        .map(|page| {
            page_text(page)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Builds the project again (as `lectern watch` does) and returns [`texts`].
fn rebuild(project: &mut Project) -> Vec<String> {
    let compiled = project
        .compile()
        .map_err(|f| f.diagnostics)
        .expect("builds");
    texts(&compiled)
}

/// The text of every page, and the rendered warnings.
fn build(markdown: &str, files: &[(&str, &str)]) -> (Vec<String>, String) {
    let deck = Deck::new(markdown, files);
    let mut project = deck.project();
    match project.compile() {
        Ok(compiled) => {
            assert_eq!(
                compiled.document.pages().len(),
                compiled.slide_pages.iter().map(Vec::len).sum::<usize>(),
                "one page per slide"
            );
            (
                texts(&compiled),
                project.render_diagnostics(&compiled.warnings, false),
            )
        }
        Err(failed) => panic!("{}", project.render_diagnostics(&failed.diagnostics, false)),
    }
}

#[test]
fn every_syntax_form_in_an_author_date_style() {
    let (pages, warnings) = build(
        &format!("---\nbibliography: refs.bib\ncsl: apa\n---\n\n{SLIDES}"),
        &[("refs.bib", BIB)],
    );
    assert_eq!(warnings, "");
    let claims = &pages[0];
    for shown in [
        "(Brown et al., 2020, p. 4)",
        "Wei & Tay (2022) call it emergence",
        "see also (2022)",
        "(see Brown et al., 2020; Wei & Tay, 2022)",
        "ada@example.org",
    ] {
        assert!(claims.contains(shown), "`{shown}` in {claims:?}");
    }
    assert!(!claims.contains("@brown"), "{claims:?}");
    let references = pages.last().expect("references");
    assert!(references.starts_with("References"), "{references:?}");
    assert!(
        references.contains("Brown, T. B., Mann, B., & Ryder, N. (2020)."),
        "{references:?}"
    );
}

#[test]
fn a_numeric_style_and_the_title_in_the_decks_language() {
    let (pages, warnings) = build(
        &format!("---\nlang: bg\nbibliography: [refs.bib]\ncsl: ieee\n---\n\n{SLIDES}"),
        &[("refs.bib", BIB)],
    );
    assert_eq!(warnings, "");
    // The style's terms in the deck's language.
    assert!(pages[0].contains("[1, стр. 4]"), "{:?}", pages[0]);
    assert!(pages[0].contains("see [1], [2]"), "{:?}", pages[0]);
    assert!(pages[0].contains("see also [2]"), "{:?}", pages[0]);
    let references = pages.last().expect("references");
    assert!(references.starts_with("Литература"), "{references:?}");
    assert!(references.contains("[1] T. B. Brown"), "{references:?}");
}

#[test]
fn an_unknown_key_is_a_located_warning_and_shown_as_such() {
    let (pages, warnings) = build(
        "---\nbibliography: refs.bib\n---\n\n## One\n\nAs shown [@nobody2021].\n\nAsk @someone.\n",
        &[("refs.bib", BIB)],
    );
    assert!(pages[0].contains("[?nobody2021]"), "{:?}", pages[0]);
    // In running text it may be a mention: kept as typed, and still warned about.
    assert!(pages[0].contains("Ask @someone."), "{:?}", pages[0]);
    assert!(warnings.contains("no reference `someone`"), "{warnings}");
    assert!(warnings.contains("no reference `nobody2021`"), "{warnings}");
    assert!(warnings.contains("deck.md:7:11"), "{warnings}");
}

#[test]
fn a_malformed_bibliography_is_an_error_in_its_file() {
    let deck = Deck::new(
        "---\nbibliography: refs.bib\n---\n\n## One\n\n[@brown2020]\n",
        &[("refs.bib", "@article{broken,\n  title = {Unclosed\n")],
    );
    let mut project = deck.project();
    let failed = project.compile().err().expect("fails");
    let shown = project.render_diagnostics(&failed.diagnostics, false);
    assert!(shown.contains("refs.bib:"), "{shown}");
    assert!(shown.contains("the bibliography cannot be read"), "{shown}");
}

#[test]
fn a_missing_bibliography_is_a_warning_and_the_citations_stay_as_typed() {
    let (pages, warnings) = build(
        "---\nbibliography: missing.bib\n---\n\n## One\n\nAs shown [@brown2020].\n",
        &[],
    );
    assert!(pages[0].contains("[@brown2020]"), "{:?}", pages[0]);
    assert!(
        warnings.contains("the bibliography `missing.bib` cannot be read"),
        "{warnings}"
    );
}

#[test]
fn a_long_reference_list_continues_over_slides_and_fits() {
    let mut bib = String::new();
    let mut cites = String::new();
    for i in 0..16 {
        bib.push_str(&format!(
            "@article{{paper{i},\n  title = {{On the Behaviour of Very Large Systems, Part {i}: Observations and a Model}},\n  author = {{Author{i}, Alice and Second, Bob and Third, Carol and Fourth, Dan}},\n  journal = {{Journal of Long Titles and Longer Subtitles}},\n  volume = {{{i}}},\n  pages = {{1--20}},\n  year = {{20{:02}}}\n}}\n",
            i + 1
        ));
        cites.push_str(&format!("- Finding {i} [@paper{i}]\n"));
    }
    let (pages, warnings) = build(
        &format!("---\nbibliography: refs.yml\n---\n\n## Findings\n\n{cites}\n"),
        &[("refs.yml", &bib_to_yaml_like(&bib))],
    );
    assert_eq!(warnings, "", "no fitting or cut warnings");
    let references: Vec<&String> = pages
        .iter()
        .filter(|p| p.starts_with("References"))
        .collect();
    assert!(
        references.len() >= 3,
        "{} references slides",
        references.len()
    );
    assert!(
        references[1].starts_with("References (2/"),
        "{:?}",
        references[1]
    );
    let listed: usize = references
        .iter()
        .map(|p| p.matches("Journal of Long Titles").count())
        .sum();
    assert_eq!(listed, 16, "every entry once");
}

/// The same entries in Hayagriva's YAML (so the long list also tests `.yml`).
fn bib_to_yaml_like(bib: &str) -> String {
    let mut yaml = String::new();
    for entry in bib.split("@article{").skip(1) {
        let key = entry.split(',').next().expect("key");
        let field = |name: &str| {
            let start = entry.find(&format!("{name} = {{")).expect("field") + name.len() + 4;
            let end = start
                + entry[start..]
                    .find("},")
                    .or_else(|| entry[start..].find("}\n"))
                    .expect("end");
            entry[start..end].to_string()
        };
        let authors: Vec<String> = field("author")
            .split(" and ")
            .map(|a| format!("\"{a}\""))
            .collect();
        yaml.push_str(&format!(
            "{key}:\n  type: article\n  title: \"{}\"\n  author: [{}]\n  date: {}\n  page-range: 1-20\n  parent:\n    type: periodical\n    title: \"{}\"\n    volume: {}\n",
            field("title"),
            authors.join(", "),
            field("year"),
            field("journal"),
            field("volume"),
        ));
    }
    yaml
}

#[test]
fn citations_at_the_foot_of_their_slide() {
    let (pages, warnings) = build(
        "---\nbibliography: refs.bib\ncsl: apa\ncitation-location: slide\n---\n\n## One\n\nAs shown [@brown2020].\n\n## Two\n\nNothing cited.\n",
        &[("refs.bib", BIB)],
    );
    assert_eq!(warnings, "");
    assert!(
        pages[0].contains("Language Models are Few-Shot Learners"),
        "{:?}",
        pages[0]
    );
    assert!(!pages[1].contains("Few-Shot"), "{:?}", pages[1]);
}

#[test]
fn without_a_bibliography_an_at_sign_is_text() {
    let (pages, warnings) = build("## One\n\n[@brown2020] and @wei2022\n", &[]);
    assert_eq!(warnings, "");
    assert!(
        pages[0].contains("[@brown2020] and @wei2022"),
        "{:?}",
        pages[0]
    );
}

#[test]
fn an_edited_bibliography_changes_the_references_on_the_next_build() {
    let deck = Deck::new(
        "---\nbibliography: refs.bib\n---\n\n## One\n\n[@brown2020]\n",
        &[("refs.bib", BIB)],
    );
    let mut project = deck.project();
    let first = project
        .compile()
        .map_err(|f| f.diagnostics)
        .expect("builds");
    let last = |compiled: &lectern_typst::Compiled| texts(compiled).pop().expect("page");
    assert!(last(&first).contains("Few-Shot Learners"));
    let edited = BIB.replace("Few-Shot Learners", "Zero-Shot Reasoners");
    std::fs::write(deck.dir.path().join("refs.bib"), edited).expect("edit");
    // What `lectern watch` does after a change to a file other than the Markdown.
    project.forget_files();
    let second = project
        .compile()
        .map_err(|f| f.diagnostics)
        .expect("builds");
    assert!(
        last(&second).contains("Zero-Shot Reasoners"),
        "{}",
        last(&second)
    );
    assert_eq!(second.changed_slides, [2], "only the references slide");
}

#[test]
fn the_references_go_into_pandocs_refs_div() {
    let many: String = (0..9)
        .map(|i| {
            format!(
                "@article{{p{i},\n  title = {{A Fairly Long Title of Paper Number {i} About Slides and Their Readers}},\n  author = {{Writer{i}, Ann and Other, Ben and Third, Cy}},\n  journal = {{Journal of Examples}},\n  volume = {{{i}}},\n  year = {{2001}}\n}}\n"
            )
        })
        .collect();
    let cites: String = (0..9).map(|i| format!("[@p{i}] ")).collect();
    let markdown = format!(
        "---\nbibliography: refs.bib\n---\n\n## Claims\n\n{cites}\n\n# Part two\n\n## Sources {{.unnumbered}}\n\n::: {{#refs}}\n:::\n\n## Thanks\n\nQuestions?\n"
    );
    let (pages, warnings) = build(&markdown, &[("refs.bib", &many)]);
    assert_eq!(warnings, "", "the div and the class are understood");
    let titles: Vec<String> = pages
        .iter()
        .map(|p| p.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    let sources = pages
        .iter()
        .position(|p| p.contains("Sources"))
        .expect("the refs slide");
    assert!(pages[sources].contains("Writer0"), "{:?}", pages[sources]);
    assert!(pages[sources + 1].contains("Sources (2/"), "{titles:?}");
    assert!(pages.last().expect("last").contains("Thanks"), "{titles:?}");
    let listed: usize = pages
        .iter()
        .map(|p| p.matches("Journal of Examples").count())
        .sum();
    assert_eq!(listed, 9);
}

#[test]
fn edits_around_placed_references_keep_them_once() {
    let markdown = "---\nbibliography: refs.bib\n---\n\n## Claims\n\n[@brown2020] [@wei2022]\n\n## Sources\n\n::: {#refs}\n:::\n\n## Thanks\n\nQuestions?\n";
    let deck = Deck::new(markdown, &[("refs.bib", BIB)]);
    let mut project = deck.project();
    let pages = rebuild;
    let before = pages(&mut project);
    for edit in ["Questions? Any?", "Questions? Any? More?"] {
        std::fs::write(
            deck.dir.path().join("deck.md"),
            markdown.replace("Questions?", edit),
        )
        .expect("edit");
        let after = pages(&mut project);
        assert_eq!(after.len(), before.len(), "{after:?}");
        assert_eq!(
            after
                .iter()
                .filter(|p| p.contains("Tay, Y. (2022)"))
                .count(),
            1,
            "{after:?}"
        );
        assert!(after.last().expect("last").contains(edit), "{after:?}");
    }
}

#[test]
fn a_references_section_heading_holds_the_references() {
    let (pages, warnings) = build(
        "---\nbibliography: refs.bib\n---\n\n# Part one\n\n## Claims\n\nAs [@brown2020] and [@wei2022;\n@brown2020, p. 4] show.\n\n# References {.unnumbered}\n\n::: {#refs}\n:::\n",
        &[("refs.bib", BIB)],
    );
    assert_eq!(warnings, "");
    // Wrapped over two lines, still one citation.
    assert!(
        pages
            .iter()
            .any(|p| p.contains("(Brown et al., 2020, p. 4; Wei & Tay, 2022)")),
        "{pages:?}"
    );
    let last = pages.last().expect("references");
    assert!(last.starts_with("References"), "{last:?}");
    assert!(
        last.contains("Brown, T. B.") && last.contains("Wei, J."),
        "{last:?}"
    );
}

#[test]
fn foot_references_follow_the_bibliography() {
    let markdown = "---\nbibliography: refs.bib\ncitation-location: slide\nreference-section-title: Sources\n---\n\n## One\n\nAs shown [@wei2022].\n";
    let deck = Deck::new(markdown, &[("refs.bib", BIB)]);
    let mut project = deck.project();
    let text = rebuild;
    assert!(text(&mut project)[0].contains("Emergent Abilities"));
    // The key is renamed in the bibliography: no stale note at the slide's foot.
    std::fs::write(
        deck.dir.path().join("refs.bib"),
        BIB.replace("wei2022", "wei2022b"),
    )
    .expect("edit");
    project.forget_files();
    let pages = text(&mut project);
    assert!(pages[0].contains("[?wei2022]"), "{pages:?}");
    assert!(!pages[0].contains("Emergent Abilities"), "{pages:?}");
    // A new title for the references slide shows at once.
    std::fs::write(
        deck.dir.path().join("deck.md"),
        markdown
            .replace("Sources", "Works cited")
            .replace("wei2022", "brown2020"),
    )
    .expect("edit");
    let pages = text(&mut project);
    assert!(
        pages.last().expect("last").starts_with("Works cited"),
        "{pages:?}"
    );
}

#[test]
fn a_csl_file_in_the_deck_sets_the_style() {
    let csl = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Titles only</title><id>titles-only</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="«" suffix="»" delimiter="; "><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" font-style="italic"/></layout></bibliography>
</style>
"#;
    let (pages, warnings) = build(
        "---\nbibliography: refs.bib\ncsl: styles/titles.csl\n---\n\n## One\n\nAs [@wei2022] shows.\n",
        &[("refs.bib", BIB), ("styles/titles.csl", csl)],
    );
    assert_eq!(warnings, "");
    assert!(
        pages[0].contains("«Emergent Abilities of Large Language Models»"),
        "{:?}",
        pages[0]
    );
    // A .csl that is not a style: a warning, and the default style.
    let (pages, warnings) = build(
        "---\nbibliography: refs.bib\ncsl: bad.csl\n---\n\n## One\n\nAs [@wei2022] shows.\n",
        &[("refs.bib", BIB), ("bad.csl", "<style>")],
    );
    assert!(
        warnings.contains("the citation style `bad.csl` cannot be used"),
        "{warnings}"
    );
    assert!(pages[0].contains("(Wei & Tay, 2022)"), "{:?}", pages[0]);
}
