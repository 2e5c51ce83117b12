//! The photos' weight: an original heavier than `[images] warn_over_kb` is published as it is
//! beside its variants (a link to it sends it whole), and an image that chronique does not
//! resize (a GIF, a BMP, the theme's) wider than the widest variant is sent whole to every
//! reader. Both are warnings at the file, with what to do.

use crate::diagnostics::{Diagnostic, Location};
use crate::picture::Picture;
use crate::site::Site;
use crate::source::{StaticFile, StaticSource};

/// The warnings about the site's images, by their files in `statics`.
pub fn weigh(site: &Site, statics: &[StaticFile]) -> Vec<Diagnostic> {
    let settings = &site.config.images;
    let widest = settings.widths.iter().copied().max().unwrap_or(0);
    let mut found = Vec::new();
    for s in statics {
        let StaticSource::File(source) = &s.source else {
            continue;
        };
        let Some(Picture::Measured(facts)) = site.images.at(&s.dest) else {
            continue;
        };
        let at = Some(Location::file(
            source.strip_prefix(&site.config.root).unwrap_or(source),
        ));
        let bytes = std::fs::metadata(source).map_or(0, |m| m.len());
        if !facts.widths.is_empty() && bytes > settings.warn_over_kb * 1000 {
            found.push(
                Diagnostic::warning(
                    at.clone(),
                    format!(
                        "this photo weighs {:.1} MB: pages show its variants, but it is published as it is too",
                        bytes as f64 / 1e6
                    ),
                )
                .with_note(format!(
                    "a smaller original (at most {} pixels wide, quality 85) is as sharp on every page; [images] warn_over_kb = {} sets this limit",
                    2 * widest,
                    settings.warn_over_kb
                )),
            );
        }
        let svg = s
            .dest
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if facts.widths.is_empty() && !svg && widest > 0 && facts.width > widest {
            found.push(
                Diagnostic::warning(
                    at,
                    format!(
                        "this image is {} pixels wide and sent whole: pages show at most {widest}",
                        facts.width
                    ),
                )
                .with_note("save it as JPEG, PNG or WebP: chronique then publishes it at the widths of [images]"),
            );
        }
    }
    found
}
