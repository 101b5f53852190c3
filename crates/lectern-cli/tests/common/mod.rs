//! What the binary's end-to-end tests share: running `lectern` and reading what it printed.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `lectern` binary in `cwd`.
pub fn lectern(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run lectern")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
