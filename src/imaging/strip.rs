//! The metadata of a published photo taken out without touching its pixels: a phone's JPEG
//! says in its EXIF where it was taken (often the author's home), when, with which device, and
//! its XMP and IPTC blocks may say it again; some append second images (depth or HDR maps) with
//! their own EXIF after the first one's end.
//!
//! The file is walked segment by segment (JPEG), chunk by chunk (PNG, WebP) and written again
//! without them: a JPEG keeps its JFIF, colour profile and coding segments, and gets a new EXIF
//! block that holds only its orientation (so that it is still shown upright) or, when the site
//! asks for it, the camera's data without the position. Anything that does not parse is
//! refused, never half copied: the caller then publishes no original rather than a leaky one.

use exif::experimental::Writer;
use exif::{Context, Field, In, Tag, Value};

/// What to keep of a photo's EXIF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Keep {
    /// Make, model, exposure, date…
    pub camera: bool,
    /// The GPS position (only with `camera`).
    pub location: bool,
}

/// `bytes` without their personal metadata, in the same format; `Err` says why the file could
/// not be walked.
pub fn strip(extension: &str, bytes: &[u8], keep: Keep) -> Result<Vec<u8>, String> {
    match extension.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => jpeg(bytes, keep),
        "png" => png(bytes, keep),
        "webp" => webp(bytes),
        other => Err(format!("no metadata stripping for .{other}")),
    }
}

/// The EXIF block (TIFF bytes, without `Exif\0\0`) to write back: the kept fields of `exif`,
/// or only the orientation when it is not the default, or nothing.
fn new_exif(exif: Option<&[u8]>, keep: Keep) -> Option<Vec<u8>> {
    let fields = exif
        .and_then(|tiff| exif::Reader::new().read_raw(tiff.to_vec()).ok())
        .map(|e| e.fields().cloned().collect::<Vec<Field>>())
        .unwrap_or_default();
    let kept: Vec<&Field> = fields
        .iter()
        .filter(|f| f.ifd_num == In::PRIMARY && !is_pointer(f.tag))
        .filter(|f| match f.tag.context() {
            Context::Gps => keep.location,
            _ if f.tag == Tag::Orientation => true,
            _ => keep.camera && f.tag != Tag::MakerNote,
        })
        .filter(|f| f.tag != Tag::Orientation || orientation(f) != 1)
        .collect();
    if kept.is_empty() {
        return None;
    }
    let mut writer = Writer::new();
    for f in &kept {
        writer.push_field(f);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).ok()?;
    Some(out.into_inner())
}

fn is_pointer(tag: Tag) -> bool {
    [
        Tag::ExifIFDPointer,
        Tag::GPSInfoIFDPointer,
        Tag::InteropIFDPointer,
    ]
    .contains(&tag)
}

fn orientation(f: &Field) -> u32 {
    match &f.value {
        Value::Short(v) => v.first().copied().map_or(1, u32::from),
        _ => f.value.get_uint(0).unwrap_or(1),
    }
}

// ---------------------------------------------------------------- JPEG

const EXIF_HEADER: &[u8] = b"Exif\0\0";

/// A JPEG's segments up to its first image's end, without APP1 (EXIF, XMP), APP13 (IPTC),
/// the multi-picture index (APP2 `MPF`) and comments; a new EXIF block after JFIF.
fn jpeg(bytes: &[u8], keep: Keep) -> Result<Vec<u8>, String> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG file".into());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut exif: Option<&[u8]> = None;
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut i = 2;
    loop {
        let (marker, start) = next_marker(bytes, i)?;
        match marker {
            0xD9 => {
                kept.push(&bytes[start..start + 2]);
                break;
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                kept.push(&bytes[start..start + 2]);
                i = start + 2;
                continue;
            }
            _ => {}
        }
        let len = bytes
            .get(start + 2..start + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .filter(|&n| n >= 2 && start + 2 + n <= bytes.len())
            .ok_or("a JPEG segment runs past the end of the file")?;
        let end = start + 2 + len;
        let payload = &bytes[start + 4..end];
        let dropped = match marker {
            0xE1 => {
                if let Some(tiff) = payload.strip_prefix(EXIF_HEADER) {
                    exif.get_or_insert(tiff);
                }
                true
            }
            0xE2 => payload.starts_with(b"MPF\0"),
            0xED | 0xFE => true,
            _ => false,
        };
        if !dropped {
            kept.push(&bytes[start..end]);
        }
        i = end;
        if marker == 0xDA {
            // The scan's coded data, up to the next marker.
            i = entropy_end(bytes, end);
            if !dropped {
                kept.push(&bytes[end..i]);
            }
        }
    }
    let new = new_exif(exif, keep);
    let after_jfif = kept.iter().take_while(|s| s[1] == 0xE0).count();
    for (n, s) in kept.iter().enumerate() {
        if n == after_jfif
            && let Some(tiff) = &new
        {
            push_app1(&mut out, tiff)?;
        }
        out.extend_from_slice(s);
    }
    Ok(out)
}

/// The next marker at or after `i` (fill bytes `FF FF…` skipped): its code and where its `FF` is.
fn next_marker(bytes: &[u8], mut i: usize) -> Result<(u8, usize), String> {
    while i + 1 < bytes.len() {
        if bytes[i] != 0xFF {
            return Err(format!("no JPEG marker at byte {i}"));
        }
        match bytes[i + 1] {
            0xFF => i += 1,
            m => return Ok((m, i)),
        }
    }
    Err("the JPEG file ends before its end marker".into())
}

/// Where the entropy-coded data starting at `i` ends: at the first `FF` that begins a marker
/// (not a stuffed `FF 00`, a restart marker or a fill byte).
fn entropy_end(bytes: &[u8], mut i: usize) -> usize {
    while i + 1 < bytes.len() {
        if bytes[i] == 0xFF {
            match bytes[i + 1] {
                0x00 | 0xD0..=0xD7 | 0xFF => {}
                _ => return i,
            }
        }
        i += 1;
    }
    bytes.len()
}

fn push_app1(out: &mut Vec<u8>, tiff: &[u8]) -> Result<(), String> {
    let len = u16::try_from(2 + EXIF_HEADER.len() + tiff.len())
        .map_err(|_| "the kept EXIF data is over 64 KB".to_string())?;
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(EXIF_HEADER);
    out.extend_from_slice(tiff);
    Ok(())
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A PNG's end chunk: no data, and its CRC.
const IEND: &[u8] = b"\0\0\0\0IEND\xaeB`\x82";

/// A PNG's chunks without its EXIF (`eXIf`), texts (`tEXt`, `zTXt`, `iTXt`, where XMP goes)
/// and time (`tIME`); a new `eXIf` when there is something to keep.
fn png(bytes: &[u8], keep: Keep) -> Result<Vec<u8>, String> {
    let body = bytes.strip_prefix(PNG_SIGNATURE).ok_or("not a PNG file")?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut exif = None;
    let mut chunks: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let len = body
            .get(i..i + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .filter(|&n| i + 12 + n <= body.len());
        let Some(len) = len else {
            // A file cut in its end marker, which browsers show: ended properly.
            if chunks.iter().any(|c| &c[4..8] == b"IDAT") {
                chunks.push(IEND);
                break;
            }
            return Err("a PNG chunk runs past the end of the file".into());
        };
        let kind = &body[i + 4..i + 8];
        let chunk = &body[i..i + 12 + len];
        match kind {
            b"eXIf" => exif = Some(&body[i + 8..i + 8 + len]),
            b"tEXt" | b"zTXt" | b"iTXt" | b"tIME" => {}
            _ => chunks.push(chunk),
        }
        i += 12 + len;
        if kind == b"IEND" {
            break;
        }
    }
    let new = new_exif(exif, keep);
    let first_idat = (chunks.iter().position(|c| &c[4..8] == b"IDAT")).unwrap_or(chunks.len());
    for (n, chunk) in chunks.iter().enumerate() {
        if n == first_idat
            && let Some(tiff) = &new
        {
            push_png_chunk(&mut out, b"eXIf", tiff);
        }
        out.extend_from_slice(chunk);
    }
    Ok(out)
}

fn push_png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

// ---------------------------------------------------------------- WebP

/// A WebP's RIFF chunks without `EXIF` and `XMP `, its extended header's flags saying so.
fn webp(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err("not a WebP file".into());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..12]);
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let kind = &bytes[i..i + 4];
        let len = u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]);
        let padded = len as usize + (len as usize & 1);
        let end = (i + 8)
            .checked_add(padded)
            .filter(|&e| e <= bytes.len() || e == bytes.len() + 1)
            .ok_or("a WebP chunk runs past the end of the file")?;
        let end = end.min(bytes.len());
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" if len >= 1 => {
                let at = out.len();
                out.extend_from_slice(&bytes[i..end]);
                out[at + 8] &= !(0x08 | 0x04);
            }
            _ => out.extend_from_slice(&bytes[i..end]),
        }
        i = end;
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| "a WebP file over 4 GB")?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG's segments around `middle`: SOI, JFIF, `middle`, a scan with a stuffed
    /// `FF 00` and a restart marker, EOI.
    fn jpeg_with(middle: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
        out.extend(middle);
        out.extend([
            0xFF, 0xDA, 0, 4, 1, 2, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        out.extend([0xFF, 0xD9]);
        out
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend((payload.len() as u16 + 2).to_be_bytes());
        out.extend(payload);
        out
    }

    fn exif_with(orientation: u16, gps: bool) -> Vec<u8> {
        let mut w = Writer::new();
        let fields = [
            Field {
                tag: Tag::Orientation,
                ifd_num: In::PRIMARY,
                value: Value::Short(vec![orientation]),
            },
            Field {
                tag: Tag::Model,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"FP5".to_vec()]),
            },
            Field {
                tag: Tag::GPSLatitudeRef,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"N".to_vec()]),
            },
        ];
        for f in fields.iter().take(if gps { 3 } else { 2 }) {
            w.push_field(f);
        }
        let mut out = std::io::Cursor::new(Vec::new());
        w.write(&mut out, false).unwrap();
        [EXIF_HEADER, &out.into_inner()].concat()
    }

    fn tags(jpeg: &[u8]) -> Vec<Tag> {
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(jpeg))
            .map(|e| e.fields().map(|f| f.tag).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_jpeg_loses_its_exif_xmp_iptc_comments_and_appended_images_not_its_pixels() {
        let mut middle = segment(0xE1, &exif_with(1, true));
        middle.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"));
        middle.extend(segment(0xED, b"Photoshop 3.0\0IPTC"));
        middle.extend(segment(0xFE, b"pris chez moi"));
        middle.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01abc"));
        middle.extend(segment(0xE2, b"MPF\0index"));
        let mut file = jpeg_with(&middle);
        file.extend(jpeg_with(&segment(0xE1, &exif_with(1, true))));
        let out = strip("JPG", &file, Keep::default()).unwrap();
        let icc = segment(0xE2, b"ICC_PROFILE\0\x01\x01abc");
        assert_eq!(
            out,
            jpeg_with(&icc),
            "only JFIF, the colour profile and the scan"
        );
    }

    #[test]
    fn a_turned_jpeg_keeps_its_orientation_and_the_camera_only_when_asked() {
        let file = jpeg_with(&segment(0xE1, &exif_with(6, true)));
        let out = strip("jpg", &file, Keep::default()).unwrap();
        assert_eq!(tags(&out), [Tag::Orientation]);
        assert_eq!(
            &out[..12],
            &[
                0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F', 0xFF, 0xE1
            ]
        );
        let camera = Keep {
            camera: true,
            location: false,
        };
        let mut kept = tags(&strip("jpg", &file, camera).unwrap());
        kept.sort_by_key(|t| t.number());
        assert_eq!(kept, [Tag::Model, Tag::Orientation]);
        let all = Keep {
            camera: true,
            location: true,
        };
        let kept = tags(&strip("jpg", &file, all).unwrap());
        assert!(kept.contains(&Tag::GPSLatitudeRef), "{kept:?}");
    }

    #[test]
    fn a_damaged_file_is_refused_not_half_copied() {
        assert!(strip("jpg", b"\xFF\xD8\xFF\xE1\x40\x00Exif", Keep::default()).is_err());
        assert!(strip("jpg", b"GIF89a", Keep::default()).is_err());
        assert!(strip("png", b"\x89PNG\r\n\x1a\n\0\0\0\x40IHDR", Keep::default()).is_err());
        assert!(
            strip(
                "webp",
                b"RIFF\0\0\0\0WEBPVP8X\xff\xff\xff\x7f",
                Keep::default()
            )
            .is_err()
        );
        let many = [0xFFu8; 100_000];
        assert!(strip("jpg", &[&[0xFF, 0xD8][..], &many].concat(), Keep::default()).is_err());
    }

    #[test]
    fn a_png_loses_its_texts_and_exif_and_a_webp_its_exif_and_xmp() {
        let mut png = PNG_SIGNATURE.to_vec();
        push_png_chunk(&mut png, b"IHDR", &[0; 13]);
        push_png_chunk(&mut png, b"tEXt", b"Comment\0chez moi");
        push_png_chunk(&mut png, b"eXIf", &exif_with(1, true)[6..]);
        push_png_chunk(&mut png, b"IDAT", b"pixels");
        push_png_chunk(&mut png, b"IEND", b"");
        let out = strip("png", &png, Keep::default()).unwrap();
        let mut want = PNG_SIGNATURE.to_vec();
        push_png_chunk(&mut want, b"IHDR", &[0; 13]);
        push_png_chunk(&mut want, b"IDAT", b"pixels");
        push_png_chunk(&mut want, b"IEND", b"");
        assert_eq!(out, want);
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x0c\0\0\0\0\0\0\0\0\0".to_vec();
        webp.extend(b"VP8 \x03\0\0\0abc\0EXIF\x02\0\0\0ab");
        let out = strip("webp", &webp, Keep::default()).unwrap();
        assert_eq!(&out[12..16], b"VP8X");
        assert_eq!(out[20], 0, "the EXIF and XMP flags are cleared");
        assert!(!out.windows(4).any(|w| w == b"EXIF"));
        assert_eq!(
            u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize,
            out.len() - 8
        );
    }
}
