//! What a page knows of an image and how it is written: its size, the widths it is published
//! at, and the `<picture>` that offers them to the browser.
//!
//! The variants' names are a pure function of the image's path and width, computed the same way
//! by the pages that point at them (here) and by the stage that makes them (`imaging`), so that
//! pages render while photos are still being resized, and a page never names a file that the
//! build does not write: `photo.jpg` 4 000 pixels wide, with the widths 480, 960 and 1 600, is
//! published as `photo.480w.webp`, `photo.480w.jpg`, … `photo.1600w.jpg`, and as itself
//! (its metadata stripped). An image narrower than a width is not enlarged to it: one 1 200
//! pixels wide gets 480, 960 and its own width.

use std::fmt::Write as _;

/// What the caller knows of an image, from its `src` as written in the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Picture {
    /// Not a file of the site (an `https://` address, a missing file): written as it is.
    Unknown,
    /// A file of the site that is no image chronique can read: written as it is, and why.
    Unreadable(String),
    /// A file of the site, measured.
    Measured(ImageFacts),
}

/// What the page needs to know of an image of the site: its size as shown (EXIF orientation
/// applied), in CSS pixels, and the widths it is also published at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageFacts {
    pub width: u32,
    pub height: u32,
    /// The widths of its variants, ascending, the last one at most `width` (see
    /// [`variant_widths`]); empty for an image published only as it is (an SVG, a GIF).
    pub widths: Vec<u32>,
}

impl ImageFacts {
    /// An image published only as it is.
    pub fn sized(width: u32, height: u32) -> ImageFacts {
        ImageFacts {
            width,
            height,
            widths: Vec::new(),
        }
    }
}

/// The formats images are resized into: the web's photo formats that chronique decodes.
pub const RESIZABLE: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// The modern format every resized image is also published in (see `imaging` for why WebP).
pub const MODERN: &str = "webp";

/// Whether an image of this extension gets variants.
pub fn resizable(extension: &str) -> bool {
    RESIZABLE.iter().any(|e| e.eq_ignore_ascii_case(extension))
}

/// The widths an image `width` pixels wide is published at, from the configured ones
/// (`configured`, any order): those narrower than it, and its own width when it is not wider
/// than the widest configured (a larger original is never sent: its widest variant stands for
/// it). Never empty.
pub fn variant_widths(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = (configured.iter().copied())
        .filter(|&w| w > 0 && w < width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    if configured.iter().any(|&w| w >= width) || widths.is_empty() {
        widths.push(width);
    }
    widths
}

/// The extension of a path or URL's last segment (`jpg` for `a/photo.JPG?x`), as written.
pub fn extension(src: &str) -> &str {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(i) if i > 0 => &name[i + 1..],
        _ => "",
    }
}

/// The `src` of an image's variant `width` pixels wide in the format `format` (an extension):
/// `a/photo.jpg` → `a/photo.960w.webp`. The image's own width in its own format is itself.
pub fn variant_src(src: &str, facts: &ImageFacts, width: u32, format: &str) -> String {
    let own = extension(src);
    if width == facts.width && format.eq_ignore_ascii_case(own) {
        return src.to_string();
    }
    let (path, query) = match src.find(['?', '#']) {
        Some(i) => src.split_at(i),
        None => (src, ""),
    };
    let stem = &path[..path.len() - own.len() - usize::from(!own.is_empty())];
    format!("{stem}.{width}w.{format}{query}")
}

/// A `srcset` of the variants in `format`: `a.480w.webp 480w, a.960w.webp 960w`.
pub fn srcset(src: &str, facts: &ImageFacts, format: &str) -> String {
    let mut out = String::new();
    for (i, &w) in facts.widths.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{} {w}w", variant_src(src, facts, w, format));
    }
    out
}

/// The `src` of the largest variant in the image's own format: what a browser without
/// `srcset` loads.
pub fn fallback_src(src: &str, facts: &ImageFacts) -> String {
    match facts.widths.last() {
        Some(&w) => variant_src(src, facts, w, extension(src)),
        None => src.to_string(),
    }
}

/// How wide an image of a post's body is shown: the theme's column (`--wrap`, the window less
/// 2.5 rem, at most 42 rem), for the browser to pick a variant before the CSS is known.
pub const BODY_SIZES: &str = "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)";

/// How wide the theme shows a post's lead image: the width of its column.
pub const LEAD_SIZES: &str = BODY_SIZES;

/// How wide the theme shows an author's avatar (96 CSS pixels at most).
pub const AVATAR_SIZES: &str = "96px";

/// What paper gets: the largest variant, in the image's own format (printers' drivers read it
/// everywhere), whatever the width of the window that prints.
pub fn print_src(src: &str, facts: &ImageFacts) -> String {
    fallback_src(src, facts)
}

/// How one image is shown: where, how big, with which text, and how urgently.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    /// As written (already escaped for an attribute).
    pub src: &'a str,
    /// Escaped for an attribute.
    pub alt: &'a str,
    /// Escaped for an attribute; not written when empty.
    pub title: &'a str,
    /// The `sizes` attribute: how wide the image is shown.
    pub sizes: &'a str,
    /// The lead image: loaded at once and first; any other one lazily.
    pub eager: bool,
}

/// The HTML of an image: a `<picture>` with a WebP source and the original format's variants
/// when it has variants, else a plain `<img>` (with its size when it is known).
pub fn html(tag: &Tag<'_>, picture: &Picture) -> String {
    let mut out = String::with_capacity(256);
    let facts = match picture {
        Picture::Measured(f) => Some(f),
        _ => None,
    };
    let responsive = facts.filter(|f| !f.widths.is_empty());
    let src = match responsive {
        Some(f) => {
            out.push_str("<picture>");
            let own = extension(tag.src);
            let _ = write!(
                out,
                "<source media=\"print\" srcset=\"{}\">",
                print_src(tag.src, f)
            );
            if !own.eq_ignore_ascii_case(MODERN) {
                let _ = write!(
                    out,
                    "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                    srcset(tag.src, f, MODERN),
                    tag.sizes
                );
            }
            fallback_src(tag.src, f)
        }
        None => tag.src.to_string(),
    };
    let _ = write!(out, "<img src=\"{src}\" alt=\"{}\"", tag.alt);
    if let Some(f) = responsive {
        let own = extension(tag.src);
        let _ = write!(
            out,
            " srcset=\"{}\" sizes=\"{}\"",
            srcset(tag.src, f, own),
            tag.sizes
        );
    }
    if let Some(f) = facts {
        let _ = write!(out, " width=\"{}\" height=\"{}\"", f.width, f.height);
    }
    if tag.eager {
        out.push_str(" fetchpriority=\"high\" decoding=\"async\"");
    } else {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    if !tag.title.is_empty() {
        let _ = write!(out, " title=\"{}\"", tag.title);
    }
    out.push('>');
    if responsive.is_some() {
        out.push_str("</picture>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(width: u32, configured: &[u32]) -> ImageFacts {
        ImageFacts {
            width,
            height: width / 2,
            widths: variant_widths(width, configured),
        }
    }

    #[test]
    fn an_image_is_never_enlarged_and_a_large_one_is_not_sent_whole() {
        let c = [1600, 480, 960];
        assert_eq!(variant_widths(4000, &c), [480, 960, 1600]);
        assert_eq!(variant_widths(1200, &c), [480, 960, 1200]);
        assert_eq!(variant_widths(1600, &c), [480, 960, 1600]);
        assert_eq!(variant_widths(300, &c), [300]);
        assert_eq!(variant_widths(500, &[]), [500]);
    }

    #[test]
    fn variants_are_named_beside_the_image_and_its_own_width_is_itself() {
        let f = facts(1200, &[480, 960, 1600]);
        assert_eq!(
            variant_src("a/photo.jpg", &f, 480, "webp"),
            "a/photo.480w.webp"
        );
        assert_eq!(variant_src("a/photo.jpg", &f, 1200, "jpg"), "a/photo.jpg");
        assert_eq!(
            variant_src("a/photo.jpg", &f, 1200, "webp"),
            "a/photo.1200w.webp"
        );
        assert_eq!(
            variant_src("/p.x/ph.PNG?v=2", &f, 960, "PNG"),
            "/p.x/ph.960w.PNG?v=2"
        );
        assert_eq!(extension("/p.x/photo"), "");
        assert_eq!(
            fallback_src("a/photo.jpg", &facts(4000, &[480, 960])),
            "a/photo.960w.jpg"
        );
    }

    #[test]
    fn a_picture_offers_webp_then_the_original_format() {
        let tag = Tag {
            src: "ph.jpg",
            alt: "Le ticket",
            title: "",
            sizes: "100vw",
            eager: false,
        };
        let html = html(&tag, &Picture::Measured(facts(1000, &[480, 1600])));
        assert_eq!(
            html,
            "<picture><source media=\"print\" srcset=\"ph.jpg\"><source type=\"image/webp\" srcset=\"ph.480w.webp 480w, ph.1000w.webp 1000w\" sizes=\"100vw\">\
             <img src=\"ph.jpg\" alt=\"Le ticket\" srcset=\"ph.480w.jpg 480w, ph.jpg 1000w\" sizes=\"100vw\" width=\"1000\" height=\"500\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
        let plain = super::html(&tag, &Picture::Measured(ImageFacts::sized(3, 4)));
        assert!(plain.starts_with("<img src=\"ph.jpg\"") && plain.contains("width=\"3\""));
        assert!(!super::html(&tag, &Picture::Unknown).contains("width"));
    }
}
