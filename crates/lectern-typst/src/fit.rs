//! Fitting each slide to its page: the markers the theme leaves in the compiled document,
//! read back (slide pages, body heights, cut titles), and the text scale chosen from them.

use std::collections::BTreeSet;

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The 1-based pages holding each slide's `<lectern-slide>` markers: one per overlay step.
pub(crate) fn slide_pages(document: &PagedDocument, slides: usize) -> Vec<Vec<usize>> {
    let introspector = document.introspector();
    let label = Label::new(PicoStr::intern("lectern-slide")).expect("valid label");
    let mut pages: Vec<Vec<usize>> = vec![Vec::new(); slides];
    for content in introspector.query(&Selector::Label(label)) {
        let Some(meta) = content.to_packed::<MetadataElem>() else {
            continue;
        };
        let Some(index) = marker_index(&meta.value) else {
            continue;
        };
        let page = content
            .location()
            .and_then(|loc| introspector.page(loc))
            .map(|p| p.get());
        if let (Some(slot), Some(page)) = (pages.get_mut(index.saturating_sub(1)), page) {
            slot.push(page);
        }
    }
    pages
}

/// Slides (0-based) on which the theme left a `name` marker: `lectern-title-cut` (a title
/// too long even at its smallest size, cut) or `lectern-page-cut` (a title or section slide
/// taller than the page, cut at the bottom).
pub(crate) fn marked_slides(document: &PagedDocument, name: &str) -> BTreeSet<usize> {
    let label = Label::new(PicoStr::intern(name)).expect("valid label");
    document
        .introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| {
            let meta = content.to_packed::<MetadataElem>()?;
            marker_index(&meta.value)?.checked_sub(1)
        })
        .collect()
}

/// The slide index a marker's metadata holds: a number (or, from older themes, a
/// dictionary with an `index`).
fn marker_index(value: &Value) -> Option<usize> {
    match value {
        Value::Int(i) => usize::try_from(*i).ok(),
        Value::Dict(dict) => match dict.get("index").ok()? {
            Value::Int(i) => usize::try_from(*i).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Fitting passes at most (each after the first recompiles only the slides that changed).
pub(crate) const MAX_FIT_PASSES: usize = 6;
/// Text scales tried, largest first; the last is the readable floor.
const FIT_STEPS: [f64; 7] = [1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.63];

/// How a slide's body is laid out: text scale and whether the side-by-side arrangement is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    pub(crate) scale: f64,
    pub(crate) alt: bool,
}

impl Default for Fit {
    fn default() -> Self {
        Self {
            scale: 1.0,
            alt: false,
        }
    }
}

impl Fit {
    /// The slide's fit file (see `lectern_deck::generate::fit_source`); most slides have
    /// the default one, made once.
    pub(crate) fn source(&self) -> std::borrow::Cow<'static, str> {
        static DEFAULT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        if *self == Self::default() {
            let text = DEFAULT.get_or_init(|| lectern_deck::generate::fit_source(1.0, false));
            return std::borrow::Cow::Borrowed(text.as_str());
        }
        std::borrow::Cow::Owned(lectern_deck::generate::fit_source(self.scale, self.alt))
    }

    /// The next fit to try for content measured as `m`. Order of preference: the plain layout
    /// shrunk a little (down to 80%), then the side-by-side arrangement from full size down,
    /// then the plain layout down to the floor. Heights are estimated as proportional to the
    /// text size, from this pass's measurements (the side-by-side arrangement is measured
    /// while not in use), and the first fit estimated to be enough is taken. If none is, the
    /// one estimated to overflow least, provided it improves on this one.
    pub(crate) fn next(&self, m: &Measured) -> Option<Self> {
        let plain = |keep: fn(f64) -> bool| {
            FIT_STEPS
                .iter()
                .filter(move |s| keep(**s))
                .map(|&scale| Fit { scale, alt: false })
        };
        let alts = FIT_STEPS
            .iter()
            .filter(|_| m.has_alt || self.alt)
            .map(|&scale| Fit { scale, alt: true });
        let order: Vec<Fit> = plain(|s| s >= 0.8)
            .chain(alts)
            .chain(plain(|s| s < 0.8))
            .collect();
        let here = order.iter().position(|f| f == self).unwrap_or(0);
        let rest = &order[here + 1..];
        let estimate = |f: &Fit| -> Option<f64> {
            let measured = if f.alt == self.alt {
                Some(m.natural)
            } else if f.alt {
                m.alt_natural
            } else {
                None
            };
            measured.map(|height| height * f.scale / self.scale)
        };
        if let Some(fit) = rest
            .iter()
            .find(|f| estimate(f).is_none_or(|height| height <= m.available))
        {
            return Some(*fit);
        }
        rest.iter()
            .filter_map(|f| Some((*f, estimate(f)?)))
            .filter(|(_, height)| *height < m.natural)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(fit, _)| fit)
    }
}

/// A slide's body height against the space it has, from the theme's markers.
pub(crate) struct Measured {
    pub(crate) available: f64,
    pub(crate) natural: f64,
    pub(crate) has_alt: bool,
    /// Height of the side-by-side arrangement at the same scale, when measured.
    pub(crate) alt_natural: Option<f64>,
}

/// Reads each slide's fitting markers: `<lectern-fit>` (top of the body; whether a
/// side-by-side arrangement exists), `<lectern-bottom>` (bottom of the space available),
/// `<lectern-end>` (end of the content) and `<lectern-alt-end>` (end of the side-by-side
/// arrangement laid out hidden, while unused).
pub(crate) fn measure_slides(document: &PagedDocument, slides: usize) -> Vec<Option<Measured>> {
    let introspector = document.introspector();
    // Index and vertical position of every marker with this label.
    let markers = |name: &str| -> Vec<(usize, f64)> {
        let label = Label::new(PicoStr::intern(name)).expect("valid label");
        introspector
            .query(&Selector::Label(label))
            .iter()
            .filter_map(|content| {
                let meta = content.to_packed::<MetadataElem>()?;
                let index = marker_index(&meta.value)?.checked_sub(1)?;
                let position = introspector.position(content.location()?)?;
                Some((index, position.point.y.to_pt()))
            })
            .collect()
    };
    let by_slide = |name: &str| {
        let mut ys = vec![None; slides];
        for (index, y) in markers(name) {
            if let Some(slot) = ys.get_mut(index) {
                *slot = Some(y);
            }
        }
        ys
    };
    let (bottoms, ends, alt_ends) = (
        by_slide("lectern-bottom"),
        by_slide("lectern-end"),
        by_slide("lectern-alt-end"),
    );
    let mut out: Vec<Option<Measured>> = (0..slides).map(|_| None).collect();
    for (index, top) in markers("lectern-fit") {
        let (Some(Some(bottom)), Some(Some(end))) = (bottoms.get(index), ends.get(index)) else {
            continue;
        };
        let alt_natural = alt_ends.get(index).copied().flatten().map(|y| y - top);
        out[index] = Some(Measured {
            available: bottom - top,
            natural: end - top,
            // Laid out hidden while unused; in use, the fit itself says so.
            has_alt: alt_natural.is_some(),
            alt_natural,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Fit, Measured};

    fn next(from: Fit, natural: f64, has_alt: bool) -> Option<Fit> {
        from.next(&Measured {
            available: 100.0,
            natural,
            has_alt,
            alt_natural: None,
        })
    }

    #[test]
    fn fitting_skips_scales_that_cannot_be_enough() {
        let start = Fit::default();
        assert_eq!(
            next(start, 105.0, false),
            Some(Fit {
                scale: 0.93,
                alt: false
            })
        );
        assert_eq!(
            next(start, 120.0, false),
            Some(Fit {
                scale: 0.8,
                alt: false
            })
        );
        // Plain text shrinks to 80% before the side-by-side arrangement is tried.
        assert_eq!(
            next(start, 200.0, true),
            Some(Fit {
                scale: 1.0,
                alt: true
            })
        );
        assert_eq!(
            next(
                Fit {
                    scale: 1.0,
                    alt: true
                },
                125.0,
                true
            ),
            Some(Fit {
                scale: 0.8,
                alt: true
            })
        );
        // Without a side-by-side arrangement, far too much content goes to the floor...
        assert_eq!(
            next(start, 400.0, false),
            Some(Fit {
                scale: 0.63,
                alt: false
            })
        );
        // ...and at the floor there is nothing left to try.
        assert_eq!(
            next(
                Fit {
                    scale: 0.63,
                    alt: false
                },
                150.0,
                false
            ),
            None
        );
    }

    #[test]
    fn measured_side_by_side_height_picks_its_scale_in_one_step() {
        let measured = |natural, alt_natural| Measured {
            available: 100.0,
            natural,
            has_alt: true,
            alt_natural: Some(alt_natural),
        };
        // Plain text would need 50%: the side-by-side arrangement at 80% is enough.
        assert_eq!(
            Fit::default().next(&measured(200.0, 125.0)),
            Some(Fit {
                scale: 0.8,
                alt: true
            })
        );
        // Side by side is no better: plain text shrinks.
        assert_eq!(
            Fit::default().next(&measured(110.0, 180.0)),
            Some(Fit {
                scale: 0.86,
                alt: false
            })
        );
        // Nothing is enough: the least overflowing candidate.
        assert_eq!(
            Fit::default().next(&measured(400.0, 170.0)),
            Some(Fit {
                scale: 0.63,
                alt: true
            })
        );
    }

    #[test]
    fn fit_files_hold_the_fit() {
        assert_eq!(
            Fit::default().source(),
            "#let scale = 1.0\n#let use-alt = false\n"
        );
        let fitted = Fit {
            scale: 0.86,
            alt: true,
        };
        assert_eq!(fitted.source(), "#let scale = 0.86\n#let use-alt = true\n");
    }
}
