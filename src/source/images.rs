//! The images of the site, measured: the width and height of every raster or SVG file that the
//! reader lists (`static/`, the theme's, `content/`), so that pages can write `width` and
//! `height` on their `<img>` and the browser keeps their room before they arrive.
//!
//! Only headers are read, never pixels: [`imagesize`] reads the few bytes that give a raster's
//! size, the EXIF orientation comes from a JPEG's first segments ([`exif`], at most
//! [`HEAD_LIMIT`] bytes), an SVG's from the attributes of its root element (an XML parser over
//! at most [`HEAD_LIMIT`] bytes). Nothing is allocated from a size the file declares, so a
//! made-up header cannot make a build run out of memory. It is done once per read of the
//! sources, on rayon's threads; a file that cannot be read as an image is kept as such, with
//! why, for the pages that show it to report it where they do.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::markdown::{ImageFacts, Picture};

/// How much of a file is read at most for its orientation or an SVG's root element.
pub const HEAD_LIMIT: u64 = 256 * 1024;

/// The extensions of the images measured (lower case): the web's raster formats and SVG.
const EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico",
];

/// Every image of the reader's static files, by the path the reader gives it (`dest`: inside
/// the output for `static/` and the theme's, relative to `content/` for the content's, whose
/// bundles' files are placed later) with whether it is a content file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Measured {
    pub images: BTreeMap<PathBuf, MeasuredImage>,
}

/// One image: where the reader found it and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeasuredImage {
    /// Under `content/` (its path may move with its bundle), rather than a static folder.
    pub in_content: bool,
    /// A file on disk (not one of the theme built into chronique): it is published resized
    /// and without its metadata when it is a photo format (`picture::resizable`).
    pub on_disk: bool,
    pub picture: Picture,
}

/// Whether a path names an image by its extension.
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Where the bytes of a file to measure are (the reader's static files, seen from here).
#[derive(Debug, Clone, Copy)]
pub enum Bytes<'a> {
    /// A file on disk, and whether it is under `content/`.
    File(&'a Path, bool),
    /// A file of the theme built into chronique.
    Memory(&'a [u8]),
}

/// Measures every image among `files` (the path the reader gives each, where its bytes are),
/// in parallel.
pub fn measure_all(files: &[(&Path, Bytes<'_>)]) -> Measured {
    let images = files
        .par_iter()
        .filter(|(dest, _)| is_image(dest))
        .map(|&(dest, bytes)| {
            let in_content = matches!(bytes, Bytes::File(_, true));
            let on_disk = matches!(bytes, Bytes::File(..));
            let picture = measure(bytes, dest);
            (
                dest.to_path_buf(),
                MeasuredImage {
                    in_content,
                    on_disk,
                    picture,
                },
            )
        })
        .collect();
    Measured { images }
}

/// One file's facts, or why it is not an image.
fn measure(source: Bytes<'_>, name: &Path) -> Picture {
    let svg = name
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let result = match source {
        Bytes::Memory(bytes) => {
            if svg {
                svg_size(Cursor::new(bytes))
            } else {
                raster_of_bytes(bytes)
            }
        }
        Bytes::File(path, _) => {
            if svg {
                std::fs::File::open(path)
                    .map_err(|e| e.to_string())
                    .and_then(|f| svg_size(BufReader::new(f.take(HEAD_LIMIT))))
            } else {
                raster_of_file(path)
            }
        }
    };
    match result {
        Ok(facts) => Picture::Measured(facts),
        Err(why) => Picture::Unreadable(why),
    }
}

fn raster_of_file(path: &Path) -> Result<ImageFacts, String> {
    let size = imagesize::size(path).map_err(|e| not_an_image(&e))?;
    let orientation = std::fs::File::open(path)
        .map(|f| orientation(&mut BufReader::new(f.take(HEAD_LIMIT))))
        .unwrap_or(1);
    facts(size.width, size.height, orientation)
}

fn raster_of_bytes(bytes: &[u8]) -> Result<ImageFacts, String> {
    let size = imagesize::blob_size(bytes).map_err(|e| not_an_image(&e))?;
    let head = &bytes[..bytes.len().min(HEAD_LIMIT as usize)];
    facts(size.width, size.height, orientation(&mut Cursor::new(head)))
}

fn not_an_image(e: &imagesize::ImageError) -> String {
    match e {
        imagesize::ImageError::NotSupported => "not an image chronique can read".to_string(),
        imagesize::ImageError::CorruptedImage => "its header is damaged".to_string(),
        imagesize::ImageError::IoError(e) => e.to_string(),
    }
}

/// The size as shown: turned by a quarter for EXIF orientations 5 to 8. A size of zero or
/// past `u32` is no image a browser shows.
fn facts(width: usize, height: usize, orientation: u32) -> Result<ImageFacts, String> {
    let (w, h) = match orientation {
        5..=8 => (height, width),
        _ => (width, height),
    };
    match (u32::try_from(w), u32::try_from(h)) {
        (Ok(width), Ok(height)) if width > 0 && height > 0 => Ok(ImageFacts::sized(width, height)),
        _ => Err(format!("its header declares a size of {width} × {height}")),
    }
}

/// The EXIF orientation of a JPEG (1 when it has none, or is not a JPEG): `head` is read up to
/// its EXIF segment, and is no longer than [`HEAD_LIMIT`].
fn orientation(head: &mut impl BufRead) -> u32 {
    let Ok(segment) = exif::get_exif_attr_from_jpeg(head) else {
        return 1;
    };
    let Ok(exif) = exif::Reader::new().read_raw(segment) else {
        return 1;
    };
    exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .unwrap_or(1)
}

/// An SVG's size from its root element: `width` and `height` when both are plain lengths
/// (`120`, `120px`), else the `viewBox`'s (one of them with the `viewBox`'s proportions).
fn svg_size(reader: impl BufRead) -> Result<ImageFacts, String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    loop {
        let root = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => e.into_owned(),
            Ok(Event::Eof) => return Err("no SVG element in it".to_string()),
            Ok(_) => {
                buf.clear();
                continue;
            }
            Err(e) => return Err(format!("not XML: {e}")),
        };
        if root.local_name().as_ref() != "svg" {
            return Err("its root element is not <svg>".to_string());
        }
        let attr = |name: &str| -> Option<String> {
            let a = root.try_get_attribute(name).ok()??;
            Some(a.value.to_string())
        };
        let view_box = attr("viewBox").and_then(|v| parse_view_box(&v));
        let width = attr("width").and_then(|v| length(&v));
        let height = attr("height").and_then(|v| length(&v));
        return svg_facts(width, height, view_box)
            .ok_or_else(|| "an SVG without width, height nor viewBox".to_string());
    }
}

fn svg_facts(
    width: Option<f64>,
    height: Option<f64>,
    view_box: Option<(f64, f64)>,
) -> Option<ImageFacts> {
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (_, _, Some((vw, vh))) => (vw, vh),
        _ => return None,
    };
    let px = |v: f64| -> Option<u32> {
        let r = v.round();
        (r.is_finite() && r >= 1.0 && r <= f64::from(u32::MAX)).then_some(r as u32)
    };
    Some(ImageFacts::sized(px(w)?, px(h)?))
}

/// A length in CSS pixels: `120`, `120px`, `120.5`; `%`, `em` and the like are not sizes.
fn length(v: &str) -> Option<f64> {
    let v = v.trim();
    let number = v.strip_suffix("px").unwrap_or(v).trim();
    number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0)
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn parse_view_box(v: &str) -> Option<(f64, f64)> {
    let parts: Vec<f64> = v
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<f64>().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [_, _, w, h] if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(text: &str) -> Result<ImageFacts, String> {
        svg_size(Cursor::new(text.as_bytes()))
    }

    fn size(width: u32, height: u32) -> Result<ImageFacts, String> {
        Ok(ImageFacts::sized(width, height))
    }

    #[test]
    fn an_svg_is_sized_by_its_attributes_else_its_view_box() {
        assert_eq!(svg("<svg width=\"120\" height=\"40px\"/>"), size(120, 40));
        let doc = "<?xml version=\"1.0\"?>\n<!-- x -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 150\"><g/></svg>";
        assert_eq!(svg(doc), size(300, 150));
        assert_eq!(
            svg("<svg width=\"600\" viewBox=\"0,0,300,150\"/>"),
            size(600, 300)
        );
        assert_eq!(
            svg("<svg width=\"100%\" height=\"2em\" viewBox=\"0 0 30 15\"/>"),
            size(30, 15)
        );
        assert!(svg("<svg width=\"100%\"/>").is_err());
        assert!(svg("<html/>").is_err());
        assert!(svg("pas du XML <").is_err());
        assert!(svg("<svg viewBox=\"0 0 1e300 1e300\"/>").is_err());
    }

    #[test]
    fn orientation_five_to_eight_swaps_the_size() {
        assert_eq!(facts(40, 30, 6), size(30, 40));
        assert_eq!(facts(40, 30, 3), size(40, 30));
        assert!(facts(0, 30, 1).is_err());
        assert!(facts(usize::MAX, 30, 1).is_err());
    }

    #[test]
    fn bytes_that_are_no_image_say_so() {
        assert!(raster_of_bytes(b"").is_err());
        assert!(raster_of_bytes(b"\xFF\xD8\xFF\xE0 pas une photo").is_err());
        assert_eq!(orientation(&mut Cursor::new(&b"\xFF\xD8\xFF"[..])), 1);
    }
}
