//! A photo decoded once, turned upright, and encoded at each width: WebP (lossy, libwebp) and
//! its own format (JPEG or PNG). The decoder is limited, so a file whose header claims a huge
//! size is refused instead of exhausting memory; one photo is decoded at a time per thread.

use std::io::Cursor;

use fast_image_resize::images::{Image as Pixels, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, PngEncoder};
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageReader, Limits};

use crate::picture::MODERN;

/// The largest photo decoded: 100 megapixels (a 12 000 × 8 000 scan), 400 MB of pixels.
const MAX_PIXELS: u64 = 100_000_000;

/// A decoded photo, upright, in 8-bit RGB or RGBA.
pub struct Decoded {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

/// Decodes `bytes`, applies its EXIF orientation, and converts it to 8 bits per channel.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!("{w} × {h} pixels is over the 100-megapixel limit"));
    }
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let pixels = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    Ok(Decoded {
        pixels,
        width,
        height,
        alpha,
    })
}

/// One variant to make: its width and format (an extension).
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    pub width: u32,
    pub format: &'a str,
}

/// The bytes of each of `wanted`, in order, at `quality` (1–100).
pub fn encode_all(
    photo: &Decoded,
    wanted: &[Wanted<'_>],
    quality: u8,
) -> Result<Vec<Vec<u8>>, String> {
    let mut resizer = Resizer::new();
    let mut out = Vec::with_capacity(wanted.len());
    let mut last: Option<(u32, Pixels<'static>)> = None;
    for w in wanted {
        if last.as_ref().is_none_or(|(width, _)| *width != w.width) {
            last = Some((w.width, resize(&mut resizer, photo, w.width)?));
        }
        let (_, pixels) = last.as_ref().ok_or("no pixels")?;
        out.push(encode(pixels, photo.alpha, w.format, quality)?);
    }
    Ok(out)
}

/// The photo at `width` pixels wide, its height in proportion.
fn resize(resizer: &mut Resizer, photo: &Decoded, width: u32) -> Result<Pixels<'static>, String> {
    let kind = if photo.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let height = ((u64::from(photo.height) * u64::from(width) + u64::from(photo.width) / 2)
        / u64::from(photo.width))
    .max(1) as u32;
    let src =
        ImageRef::new(photo.width, photo.height, &photo.pixels, kind).map_err(|e| e.to_string())?;
    let mut dst = Pixels::new(width, height, kind);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    Ok(dst)
}

fn encode(pixels: &Pixels<'_>, alpha: bool, format: &str, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h, buf) = (pixels.width(), pixels.height(), pixels.buffer());
    let color = if alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format.to_ascii_lowercase().as_str() {
        MODERN => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(buf, w, h)
            } else {
                webp::Encoder::from_rgb(buf, w, h)
            };
            let memory = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("WebP: {e:?}"))?;
            out.extend_from_slice(&memory);
        }
        "jpg" | "jpeg" if !alpha => JpegEncoder::new_with_quality(&mut out, quality)
            .write_image(buf, w, h, color)
            .map_err(|e| e.to_string())?,
        "png" => PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Default,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(buf, w, h, color)
        .map_err(|e| e.to_string())?,
        other => return Err(format!("no encoder for .{other}")),
    }
    Ok(out)
}
