//! Developer chores for Lectern, run as `cargo xtask <task>`. Live rebuilds (`watch`) and
//! benchmarks (`bench`) are tracked in the issue tracker and not implemented yet.

use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    eprintln!(
        "cargo xtask: no task `{task}` yet; `watch` and `bench` are planned (see the issues)"
    );
    ExitCode::FAILURE
}
