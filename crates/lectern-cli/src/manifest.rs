//! Skipping a build when nothing it reads changed: a small manifest beside the PDF records a
//! hash of every input (the Markdown, every file the World read or looked for, the font
//! folders' files), the theme folder found, the settings and the Lectern binary, and of the
//! outputs written. `--force` ignores it.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where the manifest of the build writing `output` lives.
pub fn path(output: &Path) -> PathBuf {
    output.with_extension("build.json")
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The binary that built: a rebuilt Lectern may typeset differently.
    lectern: String,
    /// Everything on the command line that changes the output.
    settings: String,
    /// The deck built (canonical): another deck built into the same output is not this one.
    deck: PathBuf,
    themes_dir: Option<PathBuf>,
    /// Inputs and their hashes (`None`: looked for and not there).
    inputs: Vec<(PathBuf, Option<String>)>,
    font_dirs: Vec<PathBuf>,
    /// The font files found in `font_dirs`.
    fonts: Vec<(PathBuf, Option<String>)>,
    outputs: Vec<(PathBuf, Option<String>)>,
    /// What the summary line says about a skipped build.
    pub slides: usize,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: usize,
}

/// What a build's manifest records besides its inputs.
pub struct Outcome<'a> {
    pub settings: String,
    pub outputs: &'a [PathBuf],
    pub slides: usize,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: usize,
}

impl Manifest {
    /// The manifest of a build that read `inputs` and wrote `outcome.outputs`.
    pub fn new(inputs: &lectern_typst::Inputs, outcome: &Outcome) -> Manifest {
        let dirs: Vec<&Path> = inputs.font_dirs.iter().map(PathBuf::as_path).collect();
        Manifest {
            lectern: binary_identity(),
            settings: outcome.settings.clone(),
            deck: inputs.deck_file.clone(),
            themes_dir: inputs.themes_dir.clone(),
            inputs: inputs
                .files
                .iter()
                .map(|(path, bytes)| (path.clone(), bytes.as_deref().map(hash_bytes)))
                .collect(),
            font_dirs: inputs.font_dirs.clone(),
            fonts: hashed(lectern_typst::fonts::font_files(&dirs)),
            outputs: hashed(outcome.outputs.to_vec()),
            slides: outcome.slides,
            pages: outcome.pages,
            bytes: outcome.bytes,
            warnings: outcome.warnings,
        }
    }

    /// The manifest at `path`, if there is a readable one.
    pub fn read(path: &Path) -> Option<Manifest> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// True if a build with `settings` and the themes folder `themes_dir` would read the
    /// same inputs and write what is already there.
    pub fn is_fresh(&self, deck: &Path, settings: &str, themes_dir: Option<&Path>) -> bool {
        self.lectern == binary_identity()
            && self.deck == deck
            && self.settings == settings
            && self.themes_dir.as_deref() == themes_dir
            && unchanged(&self.inputs)
            && self.fonts_unchanged()
            && unchanged(&self.outputs)
    }

    /// The font folders hold the same files: a font added since is found by listing them.
    fn fonts_unchanged(&self) -> bool {
        let dirs: Vec<&Path> = self.font_dirs.iter().map(PathBuf::as_path).collect();
        let now = lectern_typst::fonts::font_files(&dirs);
        now.len() == self.fonts.len()
            && now.iter().zip(&self.fonts).all(|(a, (b, _))| a == b)
            && unchanged(&self.fonts)
    }
}

fn hashed(paths: Vec<PathBuf>) -> Vec<(PathBuf, Option<String>)> {
    paths
        .into_iter()
        .map(|path| {
            let hash = hash_file(&path);
            (path, hash)
        })
        .collect()
}

fn unchanged(entries: &[(PathBuf, Option<String>)]) -> bool {
    entries.iter().all(|(path, hash)| hash_file(path) == *hash)
}

/// A hash of the file's bytes (`None` if it cannot be read): content, not modification
/// times, so a checkout that rewrites a file unchanged does not force a rebuild, and an edit
/// within the clock's resolution is still seen.
fn hash_file(path: &Path) -> Option<String> {
    use std::io::Read;
    // Streamed: a build's peak memory is not raised by reading a large image or font whole.
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = DefaultHasher::new();
    let mut buffer = [0u8; 64 * 1024];
    let mut len = 0usize;
    loop {
        let n = file.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        hasher.write(&buffer[..n]);
        len += n;
    }
    Some(format!("{:016x}-{len}", hasher.finish()))
}

/// [`hash_file`]'s hash of bytes in memory (SipHash reads a stream the same in any chunks).
fn hash_bytes(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    format!("{:016x}-{}", hasher.finish(), bytes.len())
}

/// The Lectern version and this executable's size and modification time.
fn binary_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    format!("lectern {} ({exe})", env!("CARGO_PKG_VERSION"))
}
