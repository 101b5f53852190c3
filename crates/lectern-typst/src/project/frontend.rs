//! The front of a compile: the deck's Markdown (from disk) → parse (one slide again after an
//! edit inside it) → theme → image checks → generated Typst, and the plugin blocks drawn.

use super::*;

/// What the plugins drew: SVG files and the Typst files that show them.
pub(super) struct BlockFiles {
    pub(super) binaries: Vec<(String, typst::foundations::Bytes)>,
    pub(super) texts: Vec<(String, String)>,
}

impl Project {
    /// Reads, parses and generates; fails on errors so far (an unreadable deck, an unknown
    /// theme's files missing).
    pub(super) fn frontend(&mut self, phases: &mut Phases) -> Result<Warned<Generated>, Failed> {
        let text = std::fs::read_to_string(&self.deck_file).map_err(|e| Failed {
            diagnostics: vec![Diagnostic::error(
                self.md_name(),
                0..0,
                format!("cannot read the deck: {e}"),
            )],
        })?;
        let markdown = if lectern_notebook::is_notebook(&self.deck_file) {
            self.notebook_markdown(text)?
        } else {
            text
        };
        let previous = std::mem::replace(&mut self.markdown, markdown);
        let md_name = self.md_name();
        // The deck always holds the parse of the previous Markdown (once there is one), so an
        // edit inside one slide re-parses just that slide.
        if self.parsed {
            // The references are not in the Markdown: taken out, and placed again below.
            lectern_deck::citations::take_references(
                &mut self.deck,
                std::mem::take(&mut self.references_placed),
            );
            lectern_deck::parse::reparse(
                &mut self.deck,
                &mut self.parse_diags,
                (&previous, &self.markdown),
                &md_name,
                &self.kinds,
            );
        } else {
            (self.deck, self.parse_diags) =
                lectern_deck::parse_with(&self.markdown, &md_name, &self.kinds);
            self.parsed = true;
        }
        let mut diags = self.parse_diags.clone();
        if let Some(converted) = self.notebook.as_ref().and_then(|n| n.converted.as_ref()) {
            diags.extend(converted.diagnostics.iter().cloned());
        }
        self.cite(&mut diags);
        crate::highlight::warm_up(&self.deck);
        phases.mark("parse");
        self.select_theme(self.deck.meta.theme.clone(), &mut diags);
        self.apply_theme_options(&mut diags);
        if lectern_deck::diag::has_errors(&diags) {
            return Err(Failed { diagnostics: diags });
        }
        self.assets.images = crate::assets::check_images(
            &self.deck,
            &self.markdown,
            &md_name,
            &self.world,
            &mut diags,
        );
        self.warn_rejected_math(&mut diags);
        let mut generated = lectern_deck::generate::generate_cached(
            &self.deck,
            &self.assets,
            &self.markdown,
            &mut self.generate_cache,
        );
        if self.hide_positions {
            generated.info = lectern_deck::generate::deck_info(&self.deck, false);
        }
        phases.mark("generate");
        Failed::check(generated, diags)
    }

    /// A notebook's JSON → the Markdown it stands for; its output images are served from
    /// memory. Converted again only when the JSON changed. A file that is not an nbformat 4
    /// notebook fails the build.
    fn notebook_markdown(&mut self, json: String) -> Result<String, Failed> {
        if let Some(notebook) = &self.notebook
            && notebook.json == json
            && let Some(converted) = &notebook.converted
        {
            return Ok(converted.markdown.clone());
        }
        let options = lectern_notebook::Options {
            name: self.md_name(),
            image_dir: lectern_notebook::SERVED_IMAGES.to_string(),
        };
        match lectern_notebook::convert_json(&json, &options) {
            Ok(mut converted) => {
                let markdown = converted.markdown.clone();
                self.world
                    .set_attachments(std::mem::take(&mut converted.files));
                self.notebook = Some(super::NotebookDeck {
                    json,
                    converted: Some(converted),
                });
                Ok(markdown)
            }
            Err(diag) => {
                // The error is located in the JSON, which diagnostics then show.
                self.notebook = Some(super::NotebookDeck {
                    json,
                    converted: None,
                });
                Err(Failed {
                    diagnostics: vec![diag],
                })
            }
        }
    }

    /// The front matter's `theme-options` into the palette the World serves. A logo that
    /// cannot be read or is not an image, or a font no folder has, is a warning and left out.
    fn apply_theme_options(&mut self, diags: &mut Vec<Diagnostic>) {
        let md_name = self.md_name();
        let mut options = self.deck.meta.theme_options.clone();
        let theme_palette = self.world.theme_palette();
        let palette: Option<toml::Table> = theme_palette
            .as_deref()
            .and_then(|p| toml::from_str(p).ok());
        options.retain(|option| {
            let problem = match option.key.as_str() {
                "logo" => {
                    let path = option.value.trim_start_matches("./");
                    // The same check as a slide's images: the logo must decode, or the
                    // theme's `image` would fail the build.
                    crate::assets::image_problem(&self.world, &format!("/{path}")).map(|why| {
                        format!("the logo `{path}` cannot be used ({why}); no logo is shown")
                    })
                }
                "font" | "code-font" => {
                    // Charts draw with the upright face: a family with only italics will not do.
                    let known = self
                        .fonts
                        .full_book()
                        .families()
                        .any(|(family, _)| family.eq_ignore_ascii_case(&option.value))
                        && self.fonts.data(&option.value, false).is_some();
                    (!known).then(|| {
                        format!(
                            "no font `{}` in the deck's fonts/ folder or the shipped fonts; the theme's font is used",
                            option.value
                        )
                    })
                }
                // A colour that would make text unreadable is still used (it is what the
                // lecturer asked for), with a warning naming the ratio.
                key @ ("accent" | "primary") => {
                    let paper = palette
                        .as_ref()
                        .and_then(|p| crate::palette::color(p, "paper"))
                        .unwrap_or("#ffffff");
                    // The accent is text on the page; the primary colour is the page of
                    // section slides and the band, under white text (and, on a light page,
                    // the headings' colour too).
                    let (against, what, needed) = if key == "accent" {
                        (paper, format!("the page ({paper})"), 3.0)
                    } else {
                        ("#ffffff", "the white text set on it".to_string(), 4.5)
                    };
                    let ratio = crate::palette::contrast(&option.value, against);
                    if ratio < needed {
                        diags.push(
                            Diagnostic::warning(
                                &md_name,
                                option.range.clone(),
                                format!(
                                    "the {key} colour `{}` has a contrast of {ratio:.1}:1 with {what}; text will be hard to read",
                                    option.value
                                ),
                            )
                            .with_kind(lectern_deck::diag::Kind::FrontMatter)
                            .with_hint(if key == "accent" {
                                "pick a colour with at least 3:1 against the page, 4.5:1 for text"
                            } else {
                                "pick a darker colour: at least 4.5:1 against white"
                            }),
                        );
                    }
                    None
                }
                _ => None,
            };
            if let Some(message) = &problem {
                diags.push(
                    Diagnostic::warning(&md_name, option.range.clone(), message.clone())
                        .with_kind(lectern_deck::diag::Kind::FrontMatter),
                );
            }
            problem.is_none()
        });
        let merged = theme_palette.and_then(|palette| crate::palette::apply(&palette, &options));
        // Slide scales fitted under other options (another shape, font or logo) do not hold.
        if self.world.set_palette(merged) {
            self.fits.clear();
        }
    }

    /// Has the plugins draw the deck's blocks; fails if one cannot be drawn.
    pub(super) fn draw_blocks(
        &mut self,
        generated: &Generated,
    ) -> Result<Warned<BlockFiles>, Failed> {
        let md_name = self.md_name();
        let host = Host {
            registry: &self.registry,
            world: &self.world,
            fonts: &self.fonts,
            markdown: &self.markdown,
            md_name: &md_name,
        };
        let mut diags = Vec::new();
        let mut files = BlockFiles {
            binaries: Vec::new(),
            texts: Vec::new(),
        };
        for file in host.render(&generated.blocks, &mut self.figures, &mut diags) {
            match file.bytes {
                Some(bytes) => files.binaries.push((file.path, bytes)),
                None => files.texts.push((file.path, file.text)),
            }
        }
        Failed::check(files, diags)
    }
}
