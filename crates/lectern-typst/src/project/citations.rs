//! A deck's citations: its bibliography files and `.csl` style read through the World (so
//! inside the deck folder, and watched), formatted by `lectern-cite`, and the references
//! slides added at the end of the deck.

use super::*;

/// The formatted citations of the last compile, by a hash of what they were made from, with
/// the warnings formatting them gave.
pub(super) type CitationCache = Option<(u64, lectern_cite::Rendered, Vec<Diagnostic>)>;

impl Project {
    /// Reads the deck's citations (a deck with `bibliography:` only) and formats them into
    /// the generator's assets, and adds the references slides.
    pub(super) fn cite(&mut self, diags: &mut Vec<Diagnostic>) {
        self.assets.citations.clear();
        self.assets.references = 0;
        // The previous compile's foot references: a bibliography edit re-parses nothing.
        lectern_deck::citations::detach_foot_references(&mut self.deck);
        if self.deck.meta.bibliography.is_empty() {
            return;
        }
        let md_name = self.md_name();
        lectern_deck::citations::extract(&mut self.deck);
        let mut texts = Vec::new();
        for (file, range) in &self.deck.meta.bibliography {
            match self.read_deck_text(file) {
                Ok((name, text)) => texts.push((name, text)),
                Err(why) => diags.push(
                    Diagnostic::warning(
                        &md_name,
                        range.clone(),
                        format!("the bibliography `{file}` cannot be read ({why}); its citations are shown as typed"),
                    )
                    .with_kind(lectern_deck::diag::Kind::Citation),
                ),
            }
        }
        if texts.is_empty() {
            return;
        }
        let style_text = self.citation_style_text(&md_name, diags);
        let citations = lectern_deck::citations::all(&self.deck);
        let lang = (self.deck.meta.citation_lang.clone()).or_else(|| self.deck.meta.lang.clone());
        // Where the citations are does not change how they read: an edit above one does not
        // format them again.
        let cited: Vec<_> = citations.iter().map(|(citation, _)| citation).collect();
        let key = typst::utils::hash128(&(&texts, &style_text, &lang, &cited)) as u64;
        let rendered = match &self.citations {
            Some((cached, rendered, warnings)) if *cached == key => {
                diags.extend(warnings.iter().cloned());
                rendered.clone()
            }
            _ => {
                let mut warnings = Vec::new();
                let Some(rendered) = self.format_citations(
                    &texts,
                    &style_text,
                    &citations,
                    lang.as_deref(),
                    &mut warnings,
                ) else {
                    diags.extend(warnings);
                    return;
                };
                diags.extend(warnings.iter().cloned());
                self.citations = Some((key, rendered.clone(), warnings));
                rendered
            }
        };
        for (key, index) in &rendered.unknown {
            let (citation, block) = &citations[*index];
            let range = locate(&self.markdown, block, &format!("@{key}"))
                .or_else(|| locate(&self.markdown, block, &citation.source))
                .unwrap_or_else(|| block.clone());
            let shown = if citation.in_text {
                "it is shown as typed".to_string()
            } else {
                format!("shown as [?{key}]")
            };
            diags.push(
                Diagnostic::warning(
                    &md_name,
                    range,
                    format!("no reference `{key}` in the bibliography; {shown}"),
                )
                .with_kind(lectern_deck::diag::Kind::Citation)
                .with_hint("check the key against the bibliography file (keys are case-sensitive)"),
            );
        }
        self.assets.citations = rendered.citations.clone();
        if self.deck.meta.citations_at_foot {
            lectern_deck::citations::attach_foot_references(&mut self.deck, &rendered.entries);
        }
        if !rendered.references.is_empty() {
            let title = self
                .deck
                .meta
                .reference_section_title
                .clone()
                .unwrap_or_else(|| {
                    lectern_deck::citations::references_title(self.deck.meta.lang.as_deref())
                        .to_string()
                });
            let at = lectern_deck::citations::refs_slide(&self.deck, &self.markdown);
            let slides = lectern_deck::citations::reference_slides(
                &title,
                rendered.references,
                self.markdown.len(),
                None,
            );
            self.references_placed =
                lectern_deck::citations::place_references(&mut self.deck, slides, at);
            // The references slides have no Markdown of their own to tell a cached slide from
            // a changed one: their content and titles tell it.
            let range = self.references_placed.slides(self.deck.slides.len());
            let placed: Vec<String> = self.deck.slides[range]
                .iter()
                .map(|slide| format!("{:?}{:?}", slide.title, slide.blocks))
                .collect();
            self.assets.references = typst::utils::hash128(&(placed, at)) as u64;
        }
    }

    /// The `.csl` file's text or the name of a style Typst ships (`name:` prefixed).
    fn citation_style_text(&self, md_name: &str, diags: &mut Vec<Diagnostic>) -> String {
        let Some((style, range)) = self.deck.meta.csl.clone() else {
            return format!("name:{}", lectern_cite::DEFAULT_STYLE);
        };
        if style.to_ascii_lowercase().ends_with(".csl") {
            match self.read_deck_text(&style) {
                Ok((_, text)) => return text,
                Err(why) => diags.push(
                    Diagnostic::warning(
                        md_name,
                        range,
                        format!(
                            "the citation style `{style}` cannot be read ({why}); using {}",
                            lectern_cite::DEFAULT_STYLE
                        ),
                    )
                    .with_kind(lectern_deck::diag::Kind::Citation),
                ),
            }
        } else if lectern_cite::is_archived(&style) {
            return format!("name:{style}");
        } else {
            diags.push(
                Diagnostic::warning(
                    md_name,
                    range,
                    format!("no citation style `{style}`; using {}", lectern_cite::DEFAULT_STYLE),
                )
                .with_kind(lectern_deck::diag::Kind::Citation)
                .with_hint(
                    "name a style Typst ships (apa, ieee, chicago-author-date, mla, harvard-cite-them-right, …) or a .csl file in the deck",
                ),
            );
        }
        format!("name:{}", lectern_cite::DEFAULT_STYLE)
    }

    fn format_citations(
        &self,
        texts: &[(String, String)],
        style_text: &str,
        citations: &[(lectern_deck::model::Citation, std::ops::Range<usize>)],
        lang: Option<&str>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<lectern_cite::Rendered> {
        let library = match lectern_cite::read_all(texts) {
            Ok(library) => library,
            Err(errors) => {
                diags.extend(errors);
                return None;
            }
        };
        let style = match style_text.strip_prefix("name:") {
            Some(name) => lectern_cite::archived_style(name)?,
            None => match lectern_cite::csl_style(style_text) {
                Ok(style) => style,
                Err(why) => {
                    let (file, range) = self.deck.meta.csl.clone().unwrap_or_default();
                    diags.push(
                        Diagnostic::warning(
                            self.md_name(),
                            range,
                            format!(
                                "the citation style `{file}` cannot be used ({why}); using {}",
                                lectern_cite::DEFAULT_STYLE
                            ),
                        )
                        .with_kind(lectern_deck::diag::Kind::Citation),
                    );
                    lectern_cite::archived_style(lectern_cite::DEFAULT_STYLE)?
                }
            },
        };
        let only: Vec<_> = citations.iter().map(|(c, _)| c.clone()).collect();
        Some(lectern_cite::render(&only, &library, &style, lang))
    }

    /// A text file of the deck by its path as written (`refs.bib`, `./data/refs.bib`): its
    /// name for diagnostics and its text, or why not.
    fn read_deck_text(&self, path: &str) -> Result<(String, String), String> {
        let normal = lectern_deck::paths::check_deck_path(path)?;
        let bytes = typst::World::file(&self.world, crate::world::file_id(&normal))
            .map_err(|e| e.to_string().to_lowercase())?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| "it is not UTF-8 text".to_string())?
            .to_string();
        Ok((normal.trim_start_matches('/').to_string(), text))
    }
}

/// Where `needle` first occurs inside `block` of the Markdown.
fn locate(
    markdown: &str,
    block: &std::ops::Range<usize>,
    needle: &str,
) -> Option<std::ops::Range<usize>> {
    let at = block.start + markdown.get(block.clone())?.find(needle)?;
    Some(at..at + needle.len())
}
