//! Warms up Typst's syntax highlighter on a spare core before Typst needs it.
//!
//! Typst highlights code blocks with syntect, which compiles each grammar's regular
//! expressions the first time a line needs them. For a lecture with Python listings that is
//! about a sixth of a cold build, all of it on the thread that lays out the slide. The compiled
//! expressions live in Typst's global syntax set, so parsing the deck's listings once on
//! another thread, while Lectern and Typst do everything else, leaves Typst only the matching.
//! The output cannot change: the same grammar runs either way.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use lectern_deck::{Block, BlockKind, Deck};
use syntect::parsing::{ParseState, SyntaxSet};

/// Languages already warmed up in this process (a watch session recompiles often).
static WARMED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Starts a background thread that parses the deck's code listings in languages not yet
/// warmed up. Returns at once.
pub fn warm_up(deck: &Deck) {
    let mut found: Vec<(&str, &str)> = Vec::new();
    for slide in &deck.slides {
        collect(&slide.blocks, &mut found);
    }
    let mut warmed = WARMED.lock().unwrap_or_else(PoisonError::into_inner);
    let warmed = warmed.get_or_insert_with(HashSet::new);
    let listings: Vec<(String, String)> = found
        .into_iter()
        .filter(|(lang, _)| !warmed.contains(*lang))
        .map(|(lang, text)| (lang.to_string(), text.to_string()))
        .collect();
    if listings.is_empty() {
        return;
    }
    warmed.extend(listings.iter().map(|(lang, _)| lang.clone()));
    // A failed spawn only costs the speed-up.
    let _ = std::thread::Builder::new()
        .name("lectern-highlight-warm-up".into())
        .spawn(move || parse_all(&typst::text::RAW_SYNTAXES, &listings));
}

fn parse_all(syntaxes: &SyntaxSet, listings: &[(String, String)]) {
    for (lang, text) in listings {
        let Some(syntax) = syntaxes.find_syntax_by_token(lang) else {
            continue;
        };
        let mut state = ParseState::new(syntax);
        // Typst's set is the one without newlines: lines are fed without their ends.
        for line in text.lines() {
            if state.parse_line(line, syntaxes).is_err() {
                break;
            }
        }
    }
}

/// Code listings that name a language, in document order.
fn collect<'a>(blocks: &'a [Block], out: &mut Vec<(&'a str, &'a str)>) {
    for block in blocks {
        match &block.kind {
            BlockKind::Code {
                lang: Some(lang),
                text,
            } => out.push((lang, text)),
            BlockKind::Quote { blocks, .. } => collect(blocks, out),
            BlockKind::Columns { columns, .. } => {
                for column in columns {
                    collect(column, out);
                }
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    collect(&item.blocks, out);
                }
            }
            _ => {}
        }
    }
}
