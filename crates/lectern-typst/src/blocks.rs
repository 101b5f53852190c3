//! The plugin host: each plugin block of the deck (```` ```chart ````, ```` ```dot ````) is
//! drawn by the renderer registered for its kind, from the files it declared (read through the
//! sandboxed World) and the theme's palette and fonts. Figures are cached by a hash of
//! everything they depend on; the cache keeps only the current deck's figures.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use lectern_block::{BlockError, BlockSource, Content, ErrorAt, Figure, Inputs, Registry, Theme};
use lectern_deck::generate::{BlockRequest, THEME_DIR};
use lectern_deck::paths::check_deck_path;
use lectern_deck::{Diagnostic, diag::line_col};
use typst::World;
use typst::foundations::Bytes;

use crate::fonts::Fonts;
use crate::world::{LecternWorld, file_id};

/// A file the host serves: Typst text, or bytes (an SVG drawing).
pub struct BlockFile {
    pub path: String,
    pub text: String,
    pub bytes: Option<Bytes>,
}

/// Figures by a hash of kind, renderer version, attributes, body, input bytes and palette,
/// so an unchanged block costs a lookup.
#[derive(Default)]
pub struct BlockCache {
    figures: HashMap<u128, (Figure, Option<Bytes>)>,
    /// Each block's declared inputs by a hash of kind, attributes and body, so an unchanged
    /// block is not read again (a chart's spec is TOML to parse).
    inputs: HashMap<u128, Result<Vec<lectern_block::Input>, Vec<BlockError>>>,
    /// The figures of the last render, in deck order.
    drawn: Vec<Drawn>,
}

/// A figure the last render drew: its block, its kind and the hash of all it was drawn from
/// (two equal hashes are the same drawing), for `lectern diff`.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub block_range: std::ops::Range<usize>,
    pub kind: String,
    pub key: u128,
}

impl BlockCache {
    pub fn clear(&mut self) {
        self.figures.clear();
        self.inputs.clear();
        self.drawn.clear();
    }

    /// The figures the last render drew.
    pub fn drawn(&self) -> &[Drawn] {
        &self.drawn
    }

    /// How many figures are kept (for tests: the cache never outgrows the deck).
    pub fn len(&self) -> usize {
        self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

/// The host's view of one compile: where files come from and where problems go.
pub struct Host<'a> {
    pub registry: &'a Registry,
    pub world: &'a LecternWorld,
    pub fonts: &'a Fonts,
    pub markdown: &'a str,
    pub md_name: &'a str,
}

impl Host<'_> {
    /// Draws every block; problems become diagnostics located in the deck's files. Figures
    /// of blocks no longer in the deck leave the cache.
    pub fn render(
        &self,
        requests: &[BlockRequest],
        cache: &mut BlockCache,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<BlockFile> {
        if requests.is_empty() {
            cache.clear();
            return Vec::new();
        }
        let palette_path = format!("{THEME_DIR}/palette.toml");
        let palette = self
            .world
            .file(file_id(&palette_path))
            .ok()
            .and_then(|b| std::str::from_utf8(&b).ok().map(str::to_string))
            .unwrap_or_default();
        let fonts = self.fonts;
        let font = move |family: &str, bold: bool| fonts.data(family, bold);
        let theme = Theme {
            palette: &palette,
            font: &font,
        };
        let mut used = HashSet::new();
        let mut used_inputs = HashSet::new();
        let mut files = Vec::new();
        cache.drawn.clear();
        for request in requests {
            let Some(renderer) = self.registry.get(&request.kind) else {
                continue;
            };
            let block = BlockSource {
                kind: &request.kind,
                attributes: &request.attributes,
                body: &request.body,
            };
            let inputs_key =
                typst::utils::hash128(&(&request.kind, &request.attributes, &request.body));
            used_inputs.insert(inputs_key);
            let declared = cache
                .inputs
                .entry(inputs_key)
                .or_insert_with(|| renderer.inputs(&block));
            let inputs = match declared {
                Ok(inputs) => inputs.clone(),
                Err(errors) => {
                    self.report(request, errors.clone(), diags);
                    continue;
                }
            };
            let Some(inputs) = self.read_inputs(request, &inputs, diags) else {
                continue;
            };
            let key = typst::utils::hash128(&(
                (&request.kind, renderer.version()),
                (&request.attributes, &request.body),
                &inputs,
                &palette,
            ));
            used.insert(key);
            cache.drawn.push(Drawn {
                block_range: request.block_range.clone(),
                kind: request.kind.clone(),
                key,
            });
            let (figure, bytes) = match cache.figures.get(&key) {
                Some(cached) => cached.clone(),
                // A plugin that panics fails its block, not the build.
                None => match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    renderer.render(&block, &inputs, &theme)
                }))
                .unwrap_or_else(|_| {
                    Err(vec![BlockError::new(
                        format!("the `{}` plugin failed on this block", request.kind),
                        ErrorAt::Fence,
                    )])
                }) {
                    Ok(mut figure) => {
                        // The drawing is served as a file; the figure keeps the rest.
                        let bytes = match &mut figure.content {
                            Content::Svg(svg) => Some(Bytes::new(std::mem::take(svg).into_bytes())),
                            Content::Table(_) => None,
                        };
                        cache.figures.insert(key, (figure.clone(), bytes.clone()));
                        (figure, bytes)
                    }
                    Err(errors) => {
                        self.report(request, errors, diags);
                        continue;
                    }
                },
            };
            let svg_path = format!("{}.svg", request.stem);
            files.push(BlockFile {
                path: request.typst_path.clone(),
                text: lectern_deck::figure::source(
                    &figure,
                    &svg_path,
                    // The root element is at the start of the drawing.
                    bytes.as_ref().and_then(|svg| {
                        let head = &svg.as_slice()[..svg.len().min(2048)];
                        lectern_deck::figure::svg_aspect(&String::from_utf8_lossy(head))
                    }),
                ),
                bytes: None,
            });
            if let Some(bytes) = bytes {
                files.push(BlockFile {
                    path: svg_path,
                    text: String::new(),
                    bytes: Some(bytes),
                });
            }
        }
        cache.figures.retain(|key, _| used.contains(key));
        cache.inputs.retain(|key, _| used_inputs.contains(key));
        files
    }

    /// Reads the files a block declared through the World (which caches them).
    fn read_inputs(
        &self,
        request: &BlockRequest,
        inputs: &[lectern_block::Input],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Inputs> {
        let mut read = Inputs::new();
        let mut ok = true;
        for input in inputs {
            let at = request.md_offset + input.range.start..request.md_offset + input.range.end;
            let vpath = match check_deck_path(&input.path) {
                Ok(vpath) => vpath,
                Err(message) => {
                    diags.push(Diagnostic::error(self.md_name, at, message));
                    ok = false;
                    continue;
                }
            };
            match self.world.file(file_id(&vpath)) {
                Ok(bytes) => {
                    read.insert(input.path.clone(), bytes.to_vec());
                }
                Err(err) => {
                    diags.push(Diagnostic::error(
                        self.md_name,
                        at,
                        format!("cannot read `{}`: {err}", input.path),
                    ));
                    ok = false;
                }
            }
        }
        ok.then_some(read)
    }

    /// A block's errors as diagnostics: in its body, on its fence line, or in an input file
    /// (with a hint naming the block).
    fn report(&self, request: &BlockRequest, errors: Vec<BlockError>, diags: &mut Vec<Diagnostic>) {
        let fence = {
            let start = request.block_range.start;
            let line = self.markdown[start..request.block_range.end.min(self.markdown.len())]
                .find('\n')
                .unwrap_or(0);
            start..start + line
        };
        for error in errors {
            let mut diag = match error.at {
                ErrorAt::Body(range) => Diagnostic::error(
                    self.md_name,
                    request.md_offset + range.start..request.md_offset + range.end,
                    error.message,
                ),
                ErrorAt::Fence => Diagnostic::error(self.md_name, fence.clone(), error.message),
                ErrorAt::Input { path, range } => {
                    let file = check_deck_path(&path).unwrap_or(path);
                    let (line, _) = line_col(self.markdown, request.block_range.start);
                    Diagnostic::error(
                        PathBuf::from(file.trim_start_matches('/')),
                        range,
                        error.message,
                    )
                    .with_hint(format!(
                        "used by the `{}` block at {}:{line}",
                        request.kind, self.md_name
                    ))
                }
            };
            if let Some(hint) = error.hint {
                diag = diag.with_hint(hint);
            }
            diags.push(diag);
        }
    }
}
