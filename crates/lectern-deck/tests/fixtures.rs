//! Snapshot tests: every deck under `tests/decks/` → deck model summary and generated Typst.

use std::fmt::Write;

use lectern_deck::model::plain_text;

fn summary(src: &str) -> String {
    let (deck, diags) = lectern_deck::parse_with(src, "deck.md", &kinds());
    let mut out = String::new();
    for d in &diags {
        let (line, col) = lectern_deck::diag::line_col(src, d.range.start);
        let _ = writeln!(out, "{:?} {line}:{col}: {}", d.severity, d.message);
    }
    for (i, slide) in deck.slides.iter().enumerate() {
        let (line, _) = lectern_deck::diag::line_col(src, slide.range.start);
        let _ = writeln!(
            out,
            "slide {} {:?} line {line} section={:?} title={:?} blocks={} notes={:?}",
            i + 1,
            slide.kind,
            slide.section.map(|s| s + 1),
            plain_text(&slide.title),
            slide.blocks.len(),
            slide.notes
        );
    }
    let generated = lectern_deck::generate(&deck, &Default::default());
    let _ = writeln!(
        out,
        "\n==> {}\n{}",
        lectern_deck::generate::MAIN_PATH,
        generated.main
    );
    let _ = writeln!(
        out,
        "==> {}\n{}",
        lectern_deck::generate::INFO_PATH,
        generated.info
    );
    for slide in &generated.slides {
        let _ = writeln!(out, "==> {}\n{}", slide.path, slide.text);
    }
    for raw in &generated.raws {
        let _ = writeln!(
            out,
            "==> {} (markdown offset {})\n{}",
            raw.path, raw.md_offset, raw.text
        );
    }
    out
}

#[test]
fn decks() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../../tests/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../../tests/decks", "*.md", |path| {
            let src = std::fs::read_to_string(path).expect("fixture readable");
            insta::assert_snapshot!(summary(&src));
        });
    });
}

/// Edits of every kind, each followed by generation with the previous generations cached:
/// the result must equal a fresh generation (slides are reused only when nothing they depend
/// on changed, and are moved to their new offsets).
#[test]
fn cached_generation_equals_fresh_generation_across_edits() {
    let lecture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../decks/lecture-07-emergence/deck.md"
    ))
    .expect("lecture readable");
    let basics = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/decks/basics.md"
    ))
    .expect("fixture readable");
    // (name, text replaced once, replacement); an empty pattern appends the replacement.
    let edits = [
        ("unchanged", "", ""),
        ("one word", "Компресията изисква разбиране.", "Компресията."),
        (
            "new slide near the top",
            "## Цели на лекцията",
            "### Нов\n\nТекст [x](https://a.b)\n\n## Цели на лекцията",
        ),
        (
            "new section before others",
            "## 2. Zero-Shot",
            "## 1b. Вмъкната\n\n## 2. Zero-Shot",
        ),
        (
            "section renamed",
            "## 1. Какво е Emergence?",
            "## 1. Какво е емерджентност?",
        ),
        (
            "title changed",
            "subtitle: Лекция 7",
            "subtitle: Лекция седма",
        ),
        ("slide removed", "## Цели на лекцията", ""),
        (
            "footnote added",
            "",
            "\n\n### Бележка\n\nТекст[^n]\n\n[^n]: Бележка под линия.\n",
        ),
        (
            "reference link",
            "",
            "\n\n### Връзка\n\n[тук][r]\n\n[r]: https://example.org\n",
        ),
    ];
    let apply = |deck: &str, from: &str, to: &str| {
        if from.is_empty() {
            format!("{deck}{to}")
        } else {
            deck.replacen(from, to, 1)
        }
    };
    for deck in [&lecture, &basics] {
        let mut cache = lectern_deck::generate::GenerateCache::default();
        let (first, _) = lectern_deck::parse_with(deck, "deck.md", &kinds());
        lectern_deck::generate::generate_cached(&first, &Default::default(), deck, &mut cache);
        for (name, from, to) in edits {
            let edited = apply(deck, from, to);
            let (model, _) = lectern_deck::parse_with(&edited, "deck.md", &kinds());
            let cached = lectern_deck::generate::generate_cached(
                &model,
                &Default::default(),
                &edited,
                &mut cache,
            );
            assert!(
                cached == lectern_deck::generate(&model, &Default::default()),
                "cached generation differs after edit `{name}`"
            );
        }
    }
}

/// Random edits (typing, deleting, new headings, fences, rules, notes, footnotes, ...) at
/// random places: the incremental reparse must always equal a full parse, and must take its
/// single-slide path for most of them.
#[test]
fn reparse_equals_full_parse_after_random_edits() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    // (deck, whether edits can take the single-slide path: not in a deck with footnotes)
    let decks = [
        (format!("{root}decks/lecture-07-emergence/deck.md"), true),
        (format!("{root}tests/decks/basics.md"), false),
    ];
    let snippets = [
        "слово ",
        "x",
        "\n\n",
        "\n## Нова секция\n\n",
        "\n### Нов слайд\n\n",
        "```\n",
        "```python\nx = 1\n```\n",
        "\n---\n\n",
        "**",
        "<!-- бележка -->",
        "<!-- pause -->\n\n",
        "[^1]",
        "[a]: https://example.org\n",
        "$x^2$ ",
        "\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "- точка\n",
        "> цитат\n",
        "::: notes\nтекст\n:::\n",
        "<div>\n",
        "===\n",
        "#",
        "\n    отстъп\n",
        "~~~\n",
        "<!--",
        "$$",
        "\\",
        "](",
        "***\n",
        "#### под\n",
        "1. ",
        "\t",
        "  \n",
        "\r\n",
        "[връзка]",
        "<span>",
        "```{=typst}\n#x\n```\n",
        "```chart\ntype = \"bar\"\n```\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound.max(1) as u64) as usize
    };
    for (path, fast_path) in &decks {
        let mut text = std::fs::read_to_string(path).expect("deck readable");
        let (mut deck, mut diags) = lectern_deck::parse_with(&text, "deck.md", &kinds());
        let mut single_slide = 0;
        let rounds = 600;
        for round in 0..rounds {
            let mut at = next(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut edited = text.clone();
            if next(3) == 0 {
                let mut end = (at + 1 + next(20)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                edited.replace_range(at..end, "");
            } else {
                edited.insert_str(at, snippets[next(snippets.len())]);
            }
            let fast = lectern_deck::parse::reparse(
                &mut deck,
                &mut diags,
                (&text, &edited),
                "deck.md",
                &kinds(),
            );
            let (full, full_diags) = lectern_deck::parse_with(&edited, "deck.md", &kinds());
            assert!(
                deck == full && diags == full_diags,
                "round {round} of {path}: reparse differs from a full parse at byte {at}"
            );
            single_slide += usize::from(fast);
            text = edited;
            // Reset now and then: footnotes, notes or reference definitions that an edit
            // introduced rightly keep later edits off the single-slide path.
            if round % 10 == 9 {
                text = std::fs::read_to_string(path).expect("deck readable");
                (deck, diags) = lectern_deck::parse_with(&text, "deck.md", &kinds());
            }
        }
        assert!(
            !fast_path || single_slide > rounds / 4,
            "{path}: only {single_slide} of {rounds} edits took the single-slide path"
        );
    }
}

/// The fence kinds the shipped plugins draw (as the host passes them to the parser).
fn kinds() -> Vec<String> {
    ["chart", "dot", "graphviz", "qr", "table"]
        .map(String::from)
        .to_vec()
}
