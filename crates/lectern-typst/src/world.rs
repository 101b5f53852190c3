//! The Typst World of a deck: generated sources in memory, deck and theme files from disk
//! (sandboxed), bundled fonts only, no packages, no clock.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::builtin::BuiltinTheme;
use crate::fonts::Fonts;

/// Where the selected theme's files come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ThemeRoot {
    /// A theme folder on disk (canonical path).
    Disk(PathBuf),
    /// A theme compiled into the binary.
    Builtin(&'static BuiltinTheme),
}

impl ThemeRoot {
    /// The folder on disk, for a theme that lives on disk.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ThemeRoot::Disk(path) => Some(path),
            ThemeRoot::Builtin(_) => None,
        }
    }

    /// How diagnostics name the theme's folder.
    pub fn display(&self) -> String {
        match self {
            ThemeRoot::Disk(path) => path.display().to_string(),
            ThemeRoot::Builtin(theme) => format!("<built-in theme {}>", theme.name),
        }
    }
}

/// Prefix of the virtual folder Lectern serves its generated files and the theme under.
pub const LECTERN_DIR: &str = "/__lectern";
const THEME_PREFIX: &str = "/__lectern/theme/";
/// The shipped themes, read-only, whichever theme the deck uses: a theme that only changes
/// colours imports `/__lectern/builtin/aula/theme.typ` and brings its own `palette.toml`.
const BUILTIN_PREFIX: &str = "/__lectern/builtin/";
/// The palette of the theme in use.
const PALETTE: &str = "/__lectern/theme/palette.toml";

/// A deck's World. Generated sources are replaced between compiles with [`set_sources`]
/// (unchanged texts keep their `Source` so Typst's caches keep hitting); files read from disk
/// are cached until [`forget_files`].
///
/// [`set_sources`]: LecternWorld::set_sources
/// [`forget_files`]: LecternWorld::forget_files
pub struct LecternWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: FileId,
    deck_root: PathBuf,
    theme_root: ThemeRoot,
    sources: HashMap<FileId, Source>,
    binaries: HashMap<FileId, Bytes>,
    /// Deck files served from memory in place of disk files (a notebook's output images).
    attachments: HashMap<FileId, Bytes>,
    disk: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    /// Parsed Typst files from disk (the theme), so each import does not parse again.
    disk_sources: Mutex<HashMap<FileId, Source>>,
    /// The theme's palette with the deck's theme options applied, served in its place.
    palette: Option<Bytes>,
    /// Whether the palette served names an optional font (see [`Fonts::wants_optional`]).
    full_book: bool,
}

impl LecternWorld {
    /// `deck_root` (and a theme on disk) must be canonical paths.
    pub fn new(fonts: Arc<Fonts>, deck_root: PathBuf, theme_root: ThemeRoot) -> Self {
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main: file_id(lectern_deck::generate::MAIN_PATH),
            deck_root,
            theme_root,
            sources: HashMap::new(),
            binaries: HashMap::new(),
            attachments: HashMap::new(),
            disk: Mutex::new(HashMap::new()),
            disk_sources: Mutex::new(HashMap::new()),
            palette: None,
            full_book: false,
        }
        .with_font_book()
    }

    /// Picks the font book the served palette needs.
    fn with_font_book(mut self) -> Self {
        self.choose_font_book();
        self
    }

    fn choose_font_book(&mut self) {
        self.full_book = self
            .file(file_id(PALETTE))
            .ok()
            .and_then(|bytes| {
                std::str::from_utf8(&bytes)
                    .ok()
                    .map(|text| self.fonts.wants_optional(text))
            })
            .unwrap_or(false);
    }

    pub fn deck_root(&self) -> &Path {
        &self.deck_root
    }

    pub fn theme_root(&self) -> &ThemeRoot {
        &self.theme_root
    }

    /// The theme's own palette text (whatever [`LecternWorld::set_palette`] serves instead).
    pub fn theme_palette(&self) -> Option<String> {
        let bytes = self.read_disk(file_id(PALETTE)).ok()?;
        std::str::from_utf8(&bytes).ok().map(str::to_string)
    }

    /// Serves `palette` as the theme's `palette.toml` (`None`: the theme's own). Returns
    /// whether that changed what is served.
    pub fn set_palette(&mut self, palette: Option<String>) -> bool {
        let palette = palette.map(Bytes::from_string);
        let changed = self.palette != palette;
        if changed {
            self.palette = palette;
            self.choose_font_book();
        }
        changed
    }

    /// Switches the theme (its files are re-read).
    pub fn set_theme_root(&mut self, theme_root: ThemeRoot) {
        if self.theme_root != theme_root {
            self.theme_root = theme_root;
            self.forget_files();
        }
    }

    /// Replaces the generated sources and in-memory files. Returns the paths whose text changed.
    pub fn set_sources<'a>(
        &mut self,
        texts: impl IntoIterator<Item = (&'a str, Cow<'a, str>)>,
        binaries: impl IntoIterator<Item = (String, Bytes)>,
    ) -> Vec<String> {
        let mut changed = Vec::new();
        let mut next = HashMap::new();
        for (path, text) in texts {
            let id = file_id(path);
            let source = match self.sources.remove(&id) {
                Some(mut old) => {
                    if old.text() != text {
                        old.replace(&text);
                        changed.push(path.to_string());
                    }
                    old
                }
                None => {
                    changed.push(path.to_string());
                    Source::new(id, text.into_owned())
                }
            };
            next.insert(id, source);
        }
        self.sources = next;
        self.binaries = binaries
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), bytes))
            .collect();
        changed
    }

    /// Serves `files` (deck-relative paths) from memory, replacing those served before.
    pub fn set_attachments(&mut self, files: Vec<(String, Vec<u8>)>) {
        self.attachments = files
            .into_iter()
            .map(|(path, bytes)| {
                let path = format!("/{}", path.trim_start_matches('/'));
                (file_id(&path), Bytes::new(bytes))
            })
            .collect();
    }

    /// Adds (or replaces) generated files without touching the others.
    pub fn add_files(&mut self, texts: Vec<(String, String)>, binaries: Vec<(String, Bytes)>) {
        for (path, text) in texts {
            let id = file_id(&path);
            self.sources.insert(id, Source::new(id, text));
        }
        for (path, bytes) in binaries {
            self.binaries.insert(file_id(&path), bytes);
        }
    }

    /// This World compiling `path` instead of the deck's main file (the quick preview, the
    /// handout), borrowed: nothing to switch back afterwards.
    pub fn with_main(&self, path: &str) -> WithMain<'_> {
        WithMain {
            world: self,
            main: file_id(path),
        }
    }

    /// Drops cached disk files so the next compile re-reads them.
    pub fn forget_files(&mut self) {
        self.disk.get_mut().map(HashMap::clear).ok();
        self.disk_sources.get_mut().map(HashMap::clear).ok();
        // A theme's palette on disk may have changed its fonts.
        self.choose_font_book();
    }

    /// Every disk file read since the last [`LecternWorld::forget_files`] (real paths), with
    /// the bytes the compile used (`None`: not there). Built-in theme files are left out.
    pub fn disk_reads(&self) -> Vec<(PathBuf, Option<Bytes>)> {
        let disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        disk.iter()
            .filter_map(|(id, result)| match self.root_of(*id).ok()? {
                (Root::Disk(root), rel) => Some((root.join(rel), result.as_ref().ok().cloned())),
                (Root::Builtin(_), _) => None,
            })
            .collect()
    }

    /// Where on disk a virtual path lives, if it is a disk file.
    pub fn real_path(&self, id: FileId) -> Option<PathBuf> {
        match self.root_of(id).ok()? {
            (Root::Disk(root), rel) => Some(root.join(rel)),
            (Root::Builtin(theme), rel) => Some(PathBuf::from(format!(
                "<built-in theme {}>/{rel}",
                theme.name
            ))),
        }
    }

    fn root_of(&self, id: FileId) -> FileResult<(Root<'_>, String)> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!(
                    "cannot use package {spec}: Lectern builds offline and has no package registry"
                )
                .into(),
            ))));
        }
        let path = rooted.vpath().get_with_slash();
        if let Some(rest) = path.strip_prefix(THEME_PREFIX) {
            let root = match &self.theme_root {
                ThemeRoot::Disk(path) => Root::Disk(path),
                ThemeRoot::Builtin(theme) => Root::Builtin(theme),
            };
            Ok((root, rest.to_string()))
        } else if let Some(rest) = path.strip_prefix(BUILTIN_PREFIX)
            && let Some((name, rel)) = rest.split_once('/')
            && let Some(theme) = crate::builtin::theme(name)
        {
            Ok((Root::Builtin(theme), rel.to_string()))
        } else if path.starts_with(LECTERN_DIR) {
            Err(FileError::NotFound(PathBuf::from(path)))
        } else {
            Ok((
                Root::Disk(&self.deck_root),
                path.trim_start_matches('/').to_string(),
            ))
        }
    }

    fn read_disk(&self, id: FileId) -> FileResult<Bytes> {
        let mut disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = disk.get(&id) {
            return cached.clone();
        }
        let result = self.read_sandboxed(id);
        disk.insert(id, result.clone());
        result
    }

    fn read_sandboxed(&self, id: FileId) -> FileResult<Bytes> {
        let (root, rel) = match self.root_of(id)? {
            (Root::Builtin(theme), rel) => {
                return theme
                    .file(&rel)
                    .map(Bytes::new)
                    .ok_or_else(|| FileError::NotFound(PathBuf::from(rel)));
            }
            (Root::Disk(root), rel) => (root, rel),
        };
        let path = root.join(&rel);
        let real = path
            .canonicalize()
            .map_err(|err| FileError::from_io(err, &path))?;
        if !real.starts_with(root) {
            let what = if root != self.deck_root {
                "theme"
            } else {
                "deck"
            };
            return Err(FileError::Other(Some(
                format!("`{rel}` resolves to {} outside the {what} folder; Lectern only reads files inside it", real.display())
                    .into(),
            )));
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&real)
            .map(Bytes::new)
            .map_err(|err| FileError::from_io(err, &path))
    }
}

/// The folder a virtual path is read from.
enum Root<'a> {
    Disk(&'a Path),
    Builtin(&'static BuiltinTheme),
}

/// The FileId of a project-rooted virtual path.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .unwrap_or_else(|_| VirtualPath::new("/__lectern/invalid").expect("valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for LecternWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        if self.full_book {
            self.fonts.full_book()
        } else {
            self.fonts.book()
        }
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(source.clone());
        }
        if let Some(source) = self
            .disk_sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
        {
            return Ok(source.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.to_string());
        self.disk_sources
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        if let Some(palette) = &self.palette
            && id == file_id(PALETTE)
        {
            return Ok(palette.clone());
        }
        if let Some(bytes) = self.binaries.get(&id).or_else(|| self.attachments.get(&id)) {
            return Ok(bytes.clone());
        }
        self.read_disk(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // No clock: the same sources must give the same PDF.
        None
    }
}

/// A [`LecternWorld`] with another main file (see [`LecternWorld::with_main`]).
pub struct WithMain<'a> {
    world: &'a LecternWorld,
    main: FileId,
}

impl World for WithMain<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.world.library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.world.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.world.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.world.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.world.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        self.world.today(offset)
    }
}
