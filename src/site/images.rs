//! The site's images by the path they are published at, so that a page can ask about an image
//! by its `src` as written, resolved from the page's URL as the browser will resolve it.
//!
//! The reader measured every image at its own path ([`Measured`]); a bundle's files move with
//! their page (`content/articles/mon-billet/ticket.jpg` is published beside the page, wherever
//! a `slug` puts it) and are not published with an unpublished page, the same rule as
//! `pipeline::bundles` applies to the files themselves.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::address::{percent_decode, resolve, scheme};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, line_col};
use crate::layout::BUNDLE_INDEX;
use crate::markdown::{BadImage, DECORATIVE, ImageFacts, Picture};
use crate::picture::variant_widths;
use crate::source::images::Measured;

/// Every published image, by its path inside the output (`breves/photo.jpg`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Images {
    /// The site's root path (`/` or `/chronique/`), which URLs start with.
    base: String,
    published: BTreeMap<PathBuf, Picture>,
}

impl Images {
    /// The images of `measured` where they are published: `bundles` gives the Markdown file of
    /// each bundle (relative to `content/`) and the output folder of its page, `None` when the
    /// page is not published.
    /// Photos of the site's own files get the variants of the configured `widths`.
    pub fn place(
        base: &str,
        measured: &Measured,
        bundles: &HashMap<PathBuf, Option<PathBuf>>,
        widths: &[u32],
    ) -> Images {
        let mut published = BTreeMap::new();
        for (path, image) in &measured.images {
            let dest = if image.in_content {
                destination(path, bundles)
            } else {
                Some(path.clone())
            };
            let Some(dest) = dest else { continue };
            let mut picture = image.picture.clone();
            if let Picture::Measured(f) = &mut picture
                && image.on_disk
                && resizable(&dest)
            {
                f.widths = variant_widths(f.width, widths);
            }
            published.insert(dest, picture);
        }
        Images {
            base: base.to_string(),
            published,
        }
    }

    /// What is known of the image `src` written in the page at `page_url`: nothing for an
    /// address of another site or a file the site does not publish.
    pub fn from_page(&self, page_url: &str, src: &str) -> Picture {
        if self.published.is_empty() || scheme(src).is_some() || src.starts_with("//") {
            return Picture::Unknown;
        }
        let path = src.split(['?', '#']).next().unwrap_or_default();
        if path.is_empty() {
            return Picture::Unknown;
        }
        let url = resolve(page_url, path);
        let Some(inside) = url.strip_prefix(self.base.as_str()) else {
            return Picture::Unknown;
        };
        let file = PathBuf::from(percent_decode(inside));
        (self.published.get(&file).cloned()).unwrap_or(Picture::Unknown)
    }

    /// The image published at `path` (inside the output), if it is one.
    pub fn at(&self, path: &std::path::Path) -> Option<&Picture> {
        self.published.get(path)
    }

    /// Every published image with variants, by its path inside the output.
    pub fn resized(&self) -> impl Iterator<Item = (&Path, &ImageFacts)> {
        self.published.iter().filter_map(|(path, p)| match p {
            Picture::Measured(f) if !f.widths.is_empty() => Some((path.as_path(), f)),
            _ => None,
        })
    }

    /// The size of the image at `url` (root-relative, as views write it), when it is measured.
    pub fn facts(&self, url: &str) -> Option<ImageFacts> {
        match self.from_page("/", url) {
            Picture::Measured(f) => Some(f),
            _ => None,
        }
    }
}

/// The images of a body (`body`, from line `body_line` of the file `path` whose text is
/// `text`) that cannot be read (errors) or have an empty `alt` without being marked decorative
/// (warnings), at their line and column.
pub fn report(
    (path, text, body, body_line): (&Path, &str, &str, usize),
    bad: &[BadImage],
    unlabelled: &[usize],
    diagnostics: &mut Diagnostics,
) {
    let at = |offset: usize| {
        let (line, column) = line_col(body, offset);
        Some(Location::new(path, line + body_line - 1, column))
    };
    for b in bad {
        let message = format!("image \"{}\" cannot be read: {}", b.src, b.why);
        diagnostics.push(Diagnostic::error(at(b.offset), message).with_source(text));
    }
    for &offset in unlabelled {
        let message = "image without a text (alt): say what it shows, for those who cannot see it";
        let note = format!(
            "an image that only decorates keeps an empty alt with the title \"{}\": ![]({} \"{}\")",
            DECORATIVE[0], "frise.svg", DECORATIVE[0]
        );
        diagnostics.push(
            Diagnostic::warning(at(offset), message)
                .with_source(text)
                .with_note(note),
        );
    }
}

/// Whether the image at `path` is in a format that is resized.
fn resizable(path: &Path) -> bool {
    (path.extension().and_then(|e| e.to_str())).is_some_and(crate::picture::resizable)
}

/// Where a file of `content/` is published (see `pipeline::bundles`).
fn destination(rel: &Path, bundles: &HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    for folder in rel.ancestors().skip(1) {
        if let Some(page) = bundles.get(&folder.join(BUNDLE_INDEX)) {
            let inside = rel.strip_prefix(folder).unwrap_or(rel);
            return page.as_ref().map(|page| page.join(inside));
        }
    }
    Some(rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::images::MeasuredImage;

    fn measured(entries: &[(&str, bool, u32)]) -> Measured {
        let images = entries
            .iter()
            .map(|&(path, in_content, width)| {
                let picture = Picture::Measured(ImageFacts::sized(width, 10));
                (
                    PathBuf::from(path),
                    MeasuredImage {
                        in_content,
                        on_disk: true,
                        picture,
                    },
                )
            })
            .collect();
        Measured { images }
    }

    #[test]
    fn an_image_is_found_as_the_browser_finds_it_from_the_page() {
        let m = measured(&[
            ("breves/photo.jpg", true, 1),
            ("img/logo.png", false, 2),
            ("articles/billet/ticket.jpg", true, 3),
            ("articles/brouillon/x.jpg", true, 4),
        ]);
        let bundles = HashMap::from([
            (
                PathBuf::from("articles/billet/index.md"),
                Some(PathBuf::from("articles/autre-slug")),
            ),
            (PathBuf::from("articles/brouillon/index.md"), None),
        ]);
        let images = Images::place("/site/", &m, &bundles, &[]);
        let width = |page: &str, src: &str| match images.from_page(page, src) {
            Picture::Measured(f) => Some(f.width),
            _ => None,
        };
        assert_eq!(width("/site/breves/x/", "../photo.jpg"), Some(1));
        assert_eq!(width("/site/breves/x/", "photo.jpg"), None);
        assert_eq!(width("/site/breves/x/", "/site/img/logo.png?v=2"), Some(2));
        assert_eq!(width("/site/articles/autre-slug/", "ticket.jpg"), Some(3));
        assert_eq!(width("/site/articles/billet/", "ticket.jpg"), None);
        assert_eq!(width("/site/articles/brouillon/", "x.jpg"), None);
        assert_eq!(width("/site/", "https://exemple.fr/img/logo.png"), None);
        assert_eq!(width("/site/", "/img/logo.png"), None);
        assert_eq!(images.facts("/site/img/logo.png").map(|f| f.width), Some(2));
    }
}
