//! Building the `lectern` binary for tasks that run it, and finding it where cargo put it
//! (`CARGO_TARGET_DIR`, `build.target-dir` and the like move it out of `target/`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

pub fn repo_root() -> anyhow::Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().context("repository root")
}

/// Builds the `lectern` binary (release) and returns the path cargo reports for it.
pub fn build_cli(repo: &Path) -> anyhow::Result<PathBuf> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--release",
            "-p",
            "lectern-cli",
            "--bin",
            "lectern",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(repo)
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo build")?;
    if !output.status.success() {
        bail!("building lectern failed");
    }
    executable(&String::from_utf8_lossy(&output.stdout), "lectern")
        .context("cargo did not report where it put the lectern binary")
}

/// The `executable` of the compiler artifact named `name` in cargo's JSON messages.
fn executable(messages: &str, name: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_binary_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"lectern_deck"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"lectern"},"executable":"/tmp/t/release/lectern"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable(messages, "lectern"),
            Some(PathBuf::from("/tmp/t/release/lectern"))
        );
        assert_eq!(executable("not json", "lectern"), None);
    }
}
