//! Chart blocks: spec + datasets (read through the sandboxed World) → SVG via lectern-charts,
//! served to Typst as in-memory files next to a small Typst snippet that shows the figure.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use lectern_charts::{ChartSpec, ErrorAt, Palette};
use lectern_deck::generate::{ChartRequest, THEME_DIR, string};
use lectern_deck::paths::check_deck_path;
use lectern_deck::{Diagnostic, diag::line_col};
use typst::World;
use typst::foundations::Bytes;

use crate::fonts::Fonts;
use crate::world::{LecternWorld, file_id};

/// A file the charts stage serves: Typst text, or bytes (SVG).
pub struct ChartFile {
    pub path: String,
    pub text: String,
    pub bytes: Option<Bytes>,
}

/// Rendered SVGs by a hash of everything they depend on, so unchanged charts are not redrawn.
#[derive(Default)]
pub struct ChartCache {
    svgs: HashMap<u64, Bytes>,
    specs: HashMap<String, Result<ChartSpec, lectern_charts::SpecError>>,
    /// Parsed datasets by a hash of their path and text.
    datasets: HashMap<u64, lectern_data::Dataset>,
}

impl ChartCache {
    pub fn clear(&mut self) {
        self.svgs.clear();
        self.specs.clear();
        self.datasets.clear();
    }
}

/// Default chart height in `em` of the slide's text.
const DEFAULT_HEIGHT_EM: f64 = 11.5;

/// Renders every chart request; problems become diagnostics located in the deck's files.
pub fn render_charts(
    requests: &[ChartRequest],
    markdown: &str,
    world: &LecternWorld,
    fonts: &Fonts,
    cache: &mut ChartCache,
    md_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ChartFile> {
    if requests.is_empty() {
        return Vec::new();
    }
    let palette_path = format!("{THEME_DIR}/palette.toml");
    let palette_text = world
        .file(file_id(&palette_path))
        .ok()
        .and_then(|b| std::str::from_utf8(&b).ok().map(str::to_string))
        .unwrap_or_default();
    let palette = match Palette::parse(&palette_text) {
        Ok(palette) => palette,
        Err(err) => {
            let theme = world.theme_root().join("palette.toml");
            diags.push(Diagnostic::error(
                theme,
                0..0,
                format!("the theme's palette cannot be used for charts: {err}"),
            ));
            return Vec::new();
        }
    };
    if let Some(regular) = fonts.data(&palette.sans, false) {
        let bold = fonts.data(&palette.sans, true).map(|b| b.to_vec());
        if let Err(err) = lectern_charts::register_font(&palette.sans, regular.to_vec(), bold) {
            diags.push(Diagnostic::error(md_name, 0..0, err));
        }
    } else {
        diags.push(Diagnostic::error(
            md_name,
            0..0,
            format!(
                "the chart font `{}` is not among the theme's fonts",
                palette.sans
            ),
        ));
        return Vec::new();
    }

    let mut files = Vec::new();
    for request in requests {
        let at_spec = |range: std::ops::Range<usize>| {
            request.md_offset + range.start..request.md_offset + range.end
        };
        let parsed = cache
            .specs
            .entry(request.spec.clone())
            .or_insert_with(|| lectern_charts::parse_spec(&request.spec));
        let spec = match parsed.clone() {
            Ok(spec) => spec,
            Err(err) => {
                diags.push(Diagnostic::error(md_name, at_spec(err.range), err.message));
                continue;
            }
        };
        let Some((datasets, data_texts)) = load_datasets(
            &spec,
            request,
            world,
            &mut cache.datasets,
            markdown,
            md_name,
            diags,
        ) else {
            continue;
        };
        let mut hasher = DefaultHasher::new();
        (&request.spec, &data_texts, &palette_text).hash(&mut hasher);
        let key = hasher.finish();
        let svg = match cache.svgs.get(&key) {
            Some(svg) => svg.clone(),
            None => match lectern_charts::render(&spec, &datasets, &palette) {
                Ok(svg) => {
                    let svg = Bytes::new(svg.into_bytes());
                    cache.svgs.insert(key, svg.clone());
                    svg
                }
                Err(err) => {
                    let (file, range) = match err.at {
                        ErrorAt::Spec(range) if range.is_empty() && range.start == 0 => (
                            PathBuf::from(md_name),
                            request.block_range.start..request.block_range.start + 8,
                        ),
                        ErrorAt::Spec(range) => (PathBuf::from(md_name), at_spec(range)),
                        ErrorAt::Data { path, range } => {
                            (PathBuf::from(path.trim_start_matches('/')), range)
                        }
                    };
                    diags.push(Diagnostic {
                        hints: Vec::new(),
                        ..Diagnostic::error(file, range, err.message)
                    });
                    continue;
                }
            },
        };
        let svg_path = format!("{}.svg", request.stem);
        files.push(ChartFile {
            path: svg_path.clone(),
            text: String::new(),
            bytes: Some(svg),
        });
        files.push(ChartFile {
            path: request.typst_path.clone(),
            text: figure_snippet(&spec, &svg_path),
            bytes: None,
        });
    }
    files
}

/// Loads the datasets a spec names; returns them with their texts (for the cache key).
fn load_datasets(
    spec: &ChartSpec,
    request: &ChartRequest,
    world: &LecternWorld,
    parsed: &mut HashMap<u64, lectern_data::Dataset>,
    markdown: &str,
    md_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(BTreeMap<String, lectern_data::Dataset>, Vec<String>)> {
    let at_spec = |range: std::ops::Range<usize>| {
        request.md_offset + range.start..request.md_offset + range.end
    };
    let (line, _) = line_col(markdown, request.block_range.start);
    let mut datasets = BTreeMap::new();
    let mut texts = Vec::new();
    let mut ok = true;
    let paths = lectern_charts::data_paths(spec);
    if paths.is_empty() {
        diags.push(Diagnostic::error(
            md_name,
            request.block_range.start..request.block_range.start + 8,
            "the chart needs a dataset: add `data = \"data/<file>\"`",
        ));
        return None;
    }
    for (path, range) in paths {
        if datasets.contains_key(&path) {
            continue;
        }
        let vpath = match check_deck_path(&path) {
            Ok(vpath) => vpath,
            Err(message) => {
                diags.push(Diagnostic::error(md_name, at_spec(range), message));
                ok = false;
                continue;
            }
        };
        let text = match world.file(file_id(&vpath)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(err) => {
                diags.push(Diagnostic::error(
                    md_name,
                    at_spec(range),
                    format!("cannot read dataset `{path}`: {err}"),
                ));
                ok = false;
                continue;
            }
        };
        let mut hasher = DefaultHasher::new();
        (&path, &text).hash(&mut hasher);
        let key = hasher.finish();
        let result = match parsed.get(&key) {
            Some(dataset) => Ok(dataset.clone()),
            None => lectern_data::parse_dataset(&path, &text),
        };
        match result {
            Ok(dataset) => {
                parsed.insert(key, dataset.clone());
                datasets.insert(path.clone(), dataset);
            }
            Err(errors) => {
                for err in errors {
                    let mut diag =
                        Diagnostic::error(vpath.trim_start_matches('/'), err.range, err.message)
                            .with_hint(format!("used by the chart at {md_name}:{line}"));
                    if let Some(hint) = err.hint {
                        diag = diag.with_hint(hint);
                    }
                    diags.push(diag);
                }
                ok = false;
            }
        }
        texts.push(text);
    }
    ok.then_some((datasets, texts))
}

fn figure_snippet(spec: &ChartSpec, svg_path: &str) -> String {
    let opt = |value: &Option<String>| value.as_deref().map_or("none".to_string(), string);
    let alt = spec
        .alt
        .clone()
        .or_else(|| spec.title.clone())
        .unwrap_or_default();
    format!(
        "#import \"{THEME_DIR}/theme.typ\": *\n#chart-figure(image({}, alt: {}, height: {}em), title: {}, subtitle: {}, caption: {})\n",
        string(svg_path),
        string(&alt),
        spec.height.unwrap_or(DEFAULT_HEIGHT_EM),
        opt(&spec.title),
        opt(&spec.subtitle),
        opt(&spec.caption),
    )
}
