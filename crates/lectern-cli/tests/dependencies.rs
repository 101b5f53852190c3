//! The dependency direction of the workspace (ARCHITECTURE.md, "Invariants"): the core never
//! depends on a plugin, plugins never on the core, and only the CLI registers plugins.

use std::path::Path;

/// The `lectern-*` crates a crate's `[dependencies]` (not dev-dependencies) name.
fn lectern_dependencies(krate: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let manifest = std::fs::read_to_string(root.join("crates").join(krate).join("Cargo.toml"))
        .unwrap_or_else(|e| panic!("{krate}: {e}"));
    let mut in_dependencies = false;
    let mut found = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies && line.starts_with("lectern-") {
            let name = line.split(['.', ' ', '=']).next().unwrap_or_default();
            found.push(name.to_string());
        }
    }
    found.sort();
    found
}

fn crates() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names: Vec<String> = std::fs::read_dir(root)
        .expect("crates/")
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_core_and_the_plugins_do_not_know_each_other() {
    let core = [
        "lectern-block",
        "lectern-deck",
        "lectern-typst",
        "lectern-live",
        "lectern-diff",
        "lectern-cite",
        "lectern-notebook",
    ];
    let front = ["lectern-cli"];
    for krate in crates() {
        let deps = lectern_dependencies(&krate);
        match krate.as_str() {
            // The diff is pure data in, data out: it knows no deck, no Typst.
            "lectern-block" | "lectern-diff" => assert!(deps.is_empty(), "{krate}: {deps:?}"),
            "lectern-deck" => assert_eq!(deps, ["lectern-block"], "{krate}"),
            // Citations: the deck's model in, formatted text out; no Typst, no IO.
            "lectern-cite" => assert_eq!(deps, ["lectern-deck"], "{krate}"),
            // Notebooks: JSON in, the deck's Markdown out (diagnostics are the deck's).
            "lectern-notebook" => assert_eq!(deps, ["lectern-deck"], "{krate}"),
            "lectern-typst" => assert_eq!(
                deps,
                [
                    "lectern-block",
                    "lectern-cite",
                    "lectern-deck",
                    "lectern-notebook"
                ],
                "{krate}"
            ),
            "lectern-live" => assert_eq!(deps, ["lectern-deck", "lectern-typst"], "{krate}"),
            name if front.contains(&name) => {}
            // A plugin: the interface and other plugins' libraries (data), never the core.
            plugin => {
                for dep in &deps {
                    assert!(
                        !core.contains(&dep.as_str()) || dep == "lectern-block",
                        "plugin {plugin} depends on the core crate {dep}"
                    );
                }
            }
        }
    }
}
