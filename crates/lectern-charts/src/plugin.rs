//! The ```` ```chart ```` block as a Lectern plugin: spec in the body, datasets as inputs.

use std::collections::BTreeMap;

use lectern_block::{
    BlockError, BlockRenderer, BlockSource, Content, ErrorAt, Figure, Input, Inputs, Theme,
};

use crate::{ChartSpec, Palette, render};

/// Draws ```` ```chart ```` blocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Charts;

fn spec(block: &BlockSource) -> Result<ChartSpec, Vec<BlockError>> {
    crate::parse_spec(block.body)
        .map_err(|err| vec![BlockError::new(err.message, ErrorAt::Body(err.range))])
}

impl BlockRenderer for Charts {
    fn kinds(&self) -> &[&'static str] {
        &["chart"]
    }

    fn inputs(&self, block: &BlockSource) -> Result<Vec<Input>, Vec<BlockError>> {
        let spec = spec(block)?;
        let paths = render::data_paths(&spec);
        if paths.is_empty() {
            return Err(vec![BlockError::new(
                "the chart needs a dataset: add `data = \"data/<file>\"`",
                ErrorAt::Fence,
            )]);
        }
        let mut inputs: Vec<Input> = Vec::new();
        for (path, range) in paths {
            if !inputs.iter().any(|i| i.path == path) {
                inputs.push(Input { path, range });
            }
        }
        Ok(inputs)
    }

    fn render(
        &self,
        block: &BlockSource,
        inputs: &Inputs,
        theme: &Theme,
    ) -> Result<Figure, Vec<BlockError>> {
        let spec = spec(block)?;
        let palette = Palette::parse(theme.palette).map_err(|err| {
            vec![BlockError::new(
                format!("the theme's palette cannot be used for charts: {err}"),
                ErrorAt::Fence,
            )]
        })?;
        let Some(regular) = (theme.font)(&palette.sans, false) else {
            return Err(vec![BlockError::new(
                format!(
                    "the chart font `{}` is not among the theme's fonts",
                    palette.sans
                ),
                ErrorAt::Fence,
            )]);
        };
        let bold = (theme.font)(&palette.sans, true);
        crate::register_font(&palette.sans, regular, bold)
            .map_err(|err| vec![BlockError::new(err, ErrorAt::Fence)])?;
        let mut datasets = BTreeMap::new();
        let mut errors = Vec::new();
        for (path, bytes) in inputs {
            let text = String::from_utf8_lossy(bytes);
            match lectern_data::parse_dataset(path, &text) {
                Ok(dataset) => {
                    datasets.insert(path.clone(), dataset);
                }
                Err(problems) => errors.extend(problems.into_iter().map(|p| {
                    let error = BlockError::new(
                        p.message,
                        ErrorAt::Input {
                            path: path.clone(),
                            range: p.range,
                        },
                    );
                    match p.hint {
                        Some(hint) => error.with_hint(hint),
                        None => error,
                    }
                })),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let svg = render::render(&spec, &datasets, &palette).map_err(|err| {
            let at = match err.at {
                render::ErrorAt::Spec(range) if range.is_empty() && range.start == 0 => {
                    ErrorAt::Fence
                }
                render::ErrorAt::Spec(range) => ErrorAt::Body(range),
                render::ErrorAt::Data { path, range } => ErrorAt::Input { path, range },
            };
            vec![BlockError::new(err.message, at)]
        })?;
        Ok(Figure {
            content: Content::Svg(svg),
            alt: spec
                .alt
                .clone()
                .or_else(|| spec.title.clone())
                .unwrap_or_default(),
            title: spec.title.clone(),
            subtitle: spec.subtitle.clone(),
            caption: spec.caption.clone(),
            height_em: spec.height,
            fit_width: false,
        })
    }
}
