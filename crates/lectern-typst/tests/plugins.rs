//! Plugin blocks end to end: drawn as vectors, errors located in deck.md or the data file,
//! figures cached across rebuilds and the cache kept to the current deck.

mod common;
use common::plugins;

use std::path::{Path, PathBuf};

use lectern_typst::inspect::images;
use lectern_typst::{Compiled, Project, ProjectOptions};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Deck {
    dir: tempfile::TempDir,
    project: Project,
}

impl Deck {
    fn new(markdown: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("deck.md"), markdown).expect("write");
        std::fs::create_dir(dir.path().join("data")).expect("mkdir");
        std::fs::write(
            dir.path().join("data/s.csv"),
            "model,score\nA,0.5\nB,0.75\n",
        )
        .expect("write");
        let project = Project::open(&ProjectOptions {
            deck: dir.path().to_path_buf(),
            themes_dir: Some(repo().join("themes")),
            blocks: plugins(),
            ..ProjectOptions::new("")
        })
        .expect("open");
        Self { dir, project }
    }

    fn edit(&self, markdown: &str) {
        std::fs::write(self.dir.path().join("deck.md"), markdown).expect("write");
    }

    fn build(&mut self) -> Compiled {
        match self.project.compile() {
            Ok(compiled) => compiled,
            Err(failed) => panic!(
                "{}",
                self.project.render_diagnostics(&failed.diagnostics, false)
            ),
        }
    }

    fn errors(&mut self) -> String {
        match self.project.compile() {
            Ok(_) => panic!("expected errors"),
            Err(failed) => self.project.render_diagnostics(&failed.diagnostics, false),
        }
    }
}

const ALL: &str = "---\ntitle: T\n---\n\n## Graph\n\n```dot\ndigraph { a -> b -> c }\n```\n\n## Table\n\n```table\ndata = \"data/s.csv\"\nhighlight = \"max score\"\n```\n\n## Chart\n\n```chart\ndata = \"data/s.csv\"\nkind = \"bar\"\nx = \"model\"\ny = \"score\"\n```\n\n## Link\n\n```qr\nhttps://example.org\n```\n";

#[test]
fn every_plugin_draws_vectors_and_rebuilds_from_the_cache() {
    let mut deck = Deck::new(ALL);
    let compiled = deck.build();
    assert!(compiled.warnings.is_empty(), "{:?}", compiled.warnings);
    let drawn = images(&compiled.document);
    assert_eq!(drawn.len(), 3, "dot, chart and qr: {drawn:?}");
    assert!(drawn.iter().all(|i| i.vector), "{drawn:?}");
    let text: String = (0..compiled.document.pages().len())
        .map(|p| lectern_typst::inspect::page_text(&compiled.document.pages()[p]))
        .collect();
    assert!(
        text.contains("0.75") && text.contains("https://example.org"),
        "{text}"
    );
    assert_eq!(deck.project.cached_figures(), 4);

    // A rebuild with nothing changed draws nothing again and gives the same document.
    let first = deck.project.pdf(&compiled.document).expect("pdf");
    let again = deck.build();
    assert_eq!(deck.project.pdf(&again.document).expect("pdf"), first);
    assert_eq!(deck.project.cached_figures(), 4);

    // Editing one block replaces its figure; removing blocks drops theirs.
    deck.edit(&ALL.replace("a -> b -> c", "a -> c"));
    deck.build();
    assert_eq!(deck.project.cached_figures(), 4, "the old graph is pruned");
    deck.edit("---\ntitle: T\n---\n\n## Only text\n\nx\n");
    deck.build();
    assert_eq!(deck.project.cached_figures(), 0);
}

#[test]
fn plugin_errors_are_located_in_the_deck_or_the_data() {
    let mut deck = Deck::new("## G\n\n```dot\ndigraph {\n  a -> -> b\n}\n```\n");
    let rendered = deck.errors();
    assert!(
        rendered.contains("deck.md:5:1") && rendered.contains("does not parse"),
        "{rendered}"
    );

    deck.edit("## Q\n\n```qr\n```\n");
    let rendered = deck.errors();
    assert!(
        rendered.contains("deck.md:3:1") && rendered.contains("empty"),
        "{rendered}"
    );

    deck.edit("## T\n\n```table\ndata = \"data/s.csv\"\nsort = \"nope\"\n```\n");
    let rendered = deck.errors();
    assert!(
        rendered.contains("deck.md:5:8") && rendered.contains("no column `nope`"),
        "{rendered}"
    );

    std::fs::write(
        deck.dir.path().join("data/s.csv"),
        "model,score\nA,1,7\nB,2\n",
    )
    .expect("write");
    deck.project.forget_files();
    deck.edit("## T\n\n```table\ndata = \"data/s.csv\"\n```\n\n## C\n\n```chart\ndata = \"data/s.csv\"\nx = \"model\"\ny = \"score\"\n```\n");
    let rendered = deck.errors();
    assert!(rendered.contains("data/s.csv:2:"), "{rendered}");
    assert!(
        rendered.contains("used by the `table` block at deck.md:3")
            && rendered.contains("used by the `chart` block at deck.md:9"),
        "{rendered}"
    );
}

#[test]
fn a_kind_nobody_registered_is_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("deck.md"),
        "## S\n\n```qr\nhttps://example.org\n```\n",
    )
    .expect("write");
    let mut project = Project::open(&ProjectOptions {
        deck: dir.path().to_path_buf(),
        themes_dir: Some(repo().join("themes")),
        ..ProjectOptions::new("")
    })
    .expect("open");
    let Ok(compiled) = project.compile() else {
        panic!("builds")
    };
    assert!(images(&compiled.document).is_empty());
    let text = lectern_typst::inspect::page_text(&compiled.document.pages()[0]);
    assert!(text.contains("https://example.org"), "{text}");
}

/// A plugin that counts how often it draws.
struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl lectern_block::BlockRenderer for Counting {
    fn kinds(&self) -> &[&'static str] {
        &["count"]
    }

    fn render(
        &self,
        block: &lectern_block::BlockSource,
        _: &lectern_block::Inputs,
        _: &lectern_block::Theme,
    ) -> Result<lectern_block::Figure, Vec<lectern_block::BlockError>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(lectern_block::Figure {
            content: lectern_block::Content::Svg(format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text y=\"9\">{}</text></svg>",
                block.body.trim()
            )),
            alt: String::new(),
            title: None,
            subtitle: None,
            caption: None,
            height_em: Some(2.0),
            fit_width: false,
        })
    }
}

#[test]
fn a_rebuild_draws_only_what_changed() {
    let draws = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let dir = tempfile::tempdir().expect("temp dir");
    let deck = dir.path().join("deck.md");
    let text = "## A\n\n```count\none\n```\n\n## B\n\n```count\ntwo\n```\n";
    std::fs::write(&deck, text).expect("write");
    let mut project = Project::open(&ProjectOptions {
        deck: dir.path().to_path_buf(),
        themes_dir: Some(repo().join("themes")),
        blocks: lectern_block::Registry::new().with(Counting(draws.clone())),
        ..ProjectOptions::new("")
    })
    .expect("open");
    let count = || draws.load(std::sync::atomic::Ordering::SeqCst);
    assert!(project.compile().is_ok(), "builds");
    assert_eq!(count(), 2);
    assert!(project.compile().is_ok(), "builds");
    assert_eq!(count(), 2, "a rebuild draws nothing again");
    std::fs::write(&deck, text.replace("two", "three")).expect("write");
    assert!(project.compile().is_ok(), "builds");
    assert_eq!(count(), 3, "only the edited block is drawn");
    assert_eq!(project.cached_figures(), 2, "the old figure is pruned");
    project.forget_files();
    assert!(project.compile().is_ok(), "builds");
    assert_eq!(
        count(),
        5,
        "after files changed on disk, everything is drawn again"
    );
}
