//! A deck as it was at a git revision, read with the `git` program: revisions resolved with
//! `rev-parse`, files listed with `ls-tree` and read with one `cat-file --batch`, written to a
//! temporary folder. The work tree and the index are never touched.
//!
//! Why `git` and not a library: a lecturer whose deck is in git has git; running it costs no
//! build time (gix 0.91.0 with only its `revision` feature is 126 crates, 68 of them
//! `gix-*`) and sees their repository as they do (worktrees, alternates, `safe.directory`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A repository, by its top folder (canonical).
pub struct Repo {
    top: PathBuf,
}

impl Repo {
    /// The repository holding `path` (which need not exist: a deck deleted since).
    pub fn find(path: &Path) -> Result<Repo, String> {
        // A bare name (`talk.md`) has the empty path as its last ancestor: that is `.`.
        let existing = path
            .ancestors()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .find(|p| p.is_dir())
            .ok_or_else(|| format!("{} is not in a folder", path.display()))?;
        let top = run(existing, &["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("{} is not in a git repository ({e})", path.display()))?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches('\n'));
        let top = top.canonicalize().unwrap_or(top);
        Ok(Repo { top })
    }

    /// The commit `rev` names, in full.
    pub fn resolve(&self, rev: &str) -> Result<String, String> {
        if rev.starts_with('-') {
            return Err(format!("`{rev}` is not a revision"));
        }
        let out = run(
            &self.top,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| format!("`{rev}` names no commit in {}", self.top.display()))?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// `path` (absolute; it need not exist) relative to the repository's top folder.
    pub fn relative(&self, path: &Path) -> Result<PathBuf, String> {
        let absolute = std::path::absolute(path).map_err(|e| e.to_string())?;
        // Canonicalise the part that exists, so symlinked checkouts still compare.
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            rest.push(existing.file_name().unwrap_or_default().to_owned());
            existing = existing.parent().unwrap_or(Path::new("/"));
        }
        let mut real = existing.canonicalize().map_err(|e| e.to_string())?;
        real.extend(rest.iter().rev());
        real.strip_prefix(&self.top)
            .map(Path::to_path_buf)
            .map_err(|_| {
                format!(
                    "{} is outside the repository {}",
                    path.display(),
                    self.top.display()
                )
            })
    }

    /// Writes the files under `paths` (relative to the top; missing ones are skipped) as they
    /// are in `commit` into `dest`, keeping their relative paths. Returns how many it wrote.
    pub fn extract(&self, commit: &str, paths: &[PathBuf], dest: &Path) -> Result<usize, String> {
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit, "--"];
        // The top folder itself is `.` to git (an empty pathspec is refused).
        let names: Vec<String> = paths
            .iter()
            .map(|p| match p.to_string_lossy() {
                name if name.is_empty() => ".".to_string(),
                name => name.into_owned(),
            })
            .collect();
        args.extend(names.iter().map(String::as_str));
        let listing = run(&self.top, &args)?;
        let mut blobs = Vec::new();
        for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut fields = meta.split(' ');
            let (Some(mode), Some(kind), Some(object)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            // Submodules (commits) are not part of a deck.
            if kind == "blob" {
                blobs.push((mode.to_string(), object.to_string(), path.to_string()));
            }
        }
        if blobs.is_empty() {
            return Ok(0);
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Not piped: nobody would read it, and a chatty git would block on a full pipe.
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("git has no input")?;
        let requests: String = blobs
            .iter()
            .map(|(_, object, _)| format!("{object}\n"))
            .collect();
        // Written from another thread: git answers while it reads, and both pipes are finite.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let mut stdout = BufReader::new(child.stdout.take().ok_or("git has no output")?);
        for (mode, _, path) in &blobs {
            let mut header = String::new();
            stdout
                .read_line(&mut header)
                .map_err(|e| format!("reading from git: {e}"))?;
            let size: usize = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse().ok())
                .ok_or_else(|| format!("git cat-file said `{}`", header.trim()))?;
            let mut bytes = vec![0; size + 1];
            stdout
                .read_exact(&mut bytes)
                .map_err(|e| format!("reading from git: {e}"))?;
            bytes.truncate(size);
            let target = dest.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            write_entry(mode, &bytes, &target)?;
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(blobs.len())
    }
}

/// A file, or a symbolic link as git stores it (the World's sandbox still refuses links
/// that leave the deck).
fn write_entry(mode: &str, bytes: &[u8], target: &Path) -> Result<(), String> {
    #[cfg(unix)]
    if mode == "120000" {
        let link = String::from_utf8_lossy(bytes).into_owned();
        return std::os::unix::fs::symlink(link, target)
            .map_err(|e| format!("{}: {e}", target.display()));
    }
    let _ = mode;
    std::fs::write(target, bytes).map_err(|e| format!("{}: {e}", target.display()))
}

/// Runs git in `dir`; its output, or its message.
fn run(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        // Paths are paths: a folder named `:x` or `*` is not pathspec magic.
        .arg("--literal-pathspecs")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}
