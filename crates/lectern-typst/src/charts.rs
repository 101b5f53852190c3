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

/// Chart outputs by a hash of everything they depend on, so that unchanged charts cost a
/// lookup: no parsing, no drawing and no copies.
#[derive(Default)]
pub struct ChartCache {
    /// SVG and figure snippet by a hash of spec text, dataset bytes and palette.
    charts: HashMap<u128, (Bytes, String)>,
    specs: HashMap<String, Result<ChartSpec, lectern_charts::SpecError>>,
    /// Parsed datasets by a hash of their path and text.
    datasets: HashMap<u64, lectern_data::Dataset>,
}

impl ChartCache {
    pub fn clear(&mut self) {
        self.charts.clear();
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
            let theme = PathBuf::from(world.theme_root().display()).join("palette.toml");
            diags.push(Diagnostic::error(
                theme,
                0..0,
                format!("the theme's palette cannot be used for charts: {err}"),
            ));
            return Vec::new();
        }
    };
    if let Some(regular) = fonts.data(&palette.sans, false) {
        let bold = fonts.data(&palette.sans, true);
        if let Err(err) = lectern_charts::register_font(&palette.sans, &regular, bold.as_deref()) {
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
        if !cache.specs.contains_key(&request.spec) {
            let parsed = lectern_charts::parse_spec(&request.spec);
            cache.specs.insert(request.spec.clone(), parsed);
        }
        let spec = match &cache.specs[&request.spec] {
            Ok(spec) => spec,
            Err(err) => {
                diags.push(Diagnostic::error(
                    md_name,
                    at_spec(err.range.clone()),
                    err.message.clone(),
                ));
                continue;
            }
        };
        let Some(data) = read_datasets(spec, request, world, md_name, diags) else {
            continue;
        };
        let key = typst::utils::hash128(&(&request.spec, &data, &palette_text));
        let svg_path = format!("{}.svg", request.stem);
        let (svg, snippet) = match cache.charts.get(&key) {
            Some(chart) => chart.clone(),
            None => {
                let Some(datasets) = parse_datasets(
                    &data,
                    request,
                    &mut cache.datasets,
                    markdown,
                    md_name,
                    diags,
                ) else {
                    continue;
                };
                match lectern_charts::render(spec, &datasets, &palette) {
                    Ok(svg) => {
                        let chart = (
                            Bytes::new(svg.into_bytes()),
                            figure_snippet(spec, &svg_path),
                        );
                        cache.charts.insert(key, chart.clone());
                        chart
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
                }
            }
        };
        files.push(ChartFile {
            path: svg_path,
            text: String::new(),
            bytes: Some(svg),
        });
        files.push(ChartFile {
            path: request.typst_path.clone(),
            text: snippet,
            bytes: None,
        });
    }
    files
}

/// A dataset file a chart names: its path as written, virtual path and bytes.
#[derive(Hash)]
struct DataFile {
    path: String,
    vpath: String,
    bytes: Bytes,
}

/// Reads the datasets a spec names through the World (which caches them).
fn read_datasets(
    spec: &ChartSpec,
    request: &ChartRequest,
    world: &LecternWorld,
    md_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<DataFile>> {
    let at_spec = |range: std::ops::Range<usize>| {
        request.md_offset + range.start..request.md_offset + range.end
    };
    let paths = lectern_charts::data_paths(spec);
    if paths.is_empty() {
        diags.push(Diagnostic::error(
            md_name,
            request.block_range.start..request.block_range.start + 8,
            "the chart needs a dataset: add `data = \"data/<file>\"`",
        ));
        return None;
    }
    let mut files: Vec<DataFile> = Vec::new();
    let mut ok = true;
    for (path, range) in paths {
        if files.iter().any(|f| f.path == path) {
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
        match world.file(file_id(&vpath)) {
            Ok(bytes) => files.push(DataFile { path, vpath, bytes }),
            Err(err) => {
                diags.push(Diagnostic::error(
                    md_name,
                    at_spec(range),
                    format!("cannot read dataset `{path}`: {err}"),
                ));
                ok = false;
            }
        }
    }
    ok.then_some(files)
}

/// Parses datasets (cached by path and text); errors are located in the data files, with a
/// hint naming the chart.
fn parse_datasets(
    files: &[DataFile],
    request: &ChartRequest,
    parsed: &mut HashMap<u64, lectern_data::Dataset>,
    markdown: &str,
    md_name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<String, lectern_data::Dataset>> {
    let mut datasets = BTreeMap::new();
    let mut ok = true;
    for file in files {
        let text = String::from_utf8_lossy(&file.bytes);
        let mut hasher = DefaultHasher::new();
        (&file.path, &*text).hash(&mut hasher);
        let key = hasher.finish();
        let result = match parsed.get(&key) {
            Some(dataset) => Ok(dataset.clone()),
            None => lectern_data::parse_dataset(&file.path, &text),
        };
        match result {
            Ok(dataset) => {
                parsed.insert(key, dataset.clone());
                datasets.insert(file.path.clone(), dataset);
            }
            Err(errors) => {
                let (line, _) = line_col(markdown, request.block_range.start);
                for err in errors {
                    let mut diag = Diagnostic::error(
                        file.vpath.trim_start_matches('/'),
                        err.range,
                        err.message,
                    )
                    .with_hint(format!("used by the chart at {md_name}:{line}"));
                    if let Some(hint) = err.hint {
                        diag = diag.with_hint(hint);
                    }
                    diags.push(diag);
                }
                ok = false;
            }
        }
    }
    ok.then_some(datasets)
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
