//! Converts every formula of the corpus in `tests/math/`: none may panic, at least 97% must
//! convert, and the entries marked `!!` (Typst cannot express them) must fail with a
//! `MathError` located inside the formula; no prefix or suffix of an entry may panic. Run
//! with `--nocapture` to see the failures.

use std::path::Path;

use lectern_deck::math::latex_to_typst;

#[path = "../../../tests/math/corpus.rs"]
mod corpus;

#[test]
fn corpus_converts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/math");
    let entries = corpus::load(&dir).expect("read the corpus");
    assert!(entries.len() >= 500, "corpus has {} entries", entries.len());
    let mut converted = 0;
    let mut failures = Vec::new();
    let mut unexpected = Vec::new();
    for entry in &entries {
        let result = std::panic::catch_unwind(|| latex_to_typst(&entry.latex));
        let Ok(result) = result else {
            panic!("{}: converting {:?} panicked", entry.origin, entry.latex);
        };
        match (result, entry.expect_error) {
            (Ok(_), false) => converted += 1,
            (Ok(typst), true) => unexpected.push(format!(
                "{}: {:?} is marked `!!` but converts to {typst:?}",
                entry.origin, entry.latex
            )),
            (Err(error), expect_error) => {
                assert!(
                    error.range.start <= error.range.end && error.range.end <= entry.latex.len(),
                    "{}: error range {:?} outside {:?}",
                    entry.origin,
                    error.range,
                    entry.latex
                );
                if !expect_error {
                    failures.push(format!(
                        "{}: {:?}: {} at {:?} ({:?})",
                        entry.origin,
                        entry.latex,
                        error.message,
                        error.range,
                        &entry.latex[error.range.clone()]
                    ));
                }
            }
        }
    }
    let expected_to_convert = entries.iter().filter(|e| !e.expect_error).count();
    let rate = converted as f64 / entries.len() as f64;
    println!(
        "{converted} of {} corpus formulas convert ({:.1}%); {} of the {expected_to_convert} not marked `!!` fail:",
        entries.len(),
        rate * 100.0,
        failures.len()
    );
    for failure in &failures {
        println!("  {failure}");
    }
    // Every cut of every entry (constructs broken off anywhere) must not panic either.
    for entry in &entries {
        for (i, _) in entry.latex.char_indices() {
            let (head, tail) = entry.latex.split_at(i);
            for part in [head, tail] {
                if std::panic::catch_unwind(|| latex_to_typst(part)).is_err() {
                    panic!("{}: converting {part:?} panicked", entry.origin);
                }
            }
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    assert!(
        rate >= 0.97,
        "only {:.1}% of the corpus converts",
        rate * 100.0
    );
}
