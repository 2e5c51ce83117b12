//! Helpers shared by the integration tests: a fixture site in a temporary folder, the
//! `chronique` binary run on it with a fixed "now", and small HTML readers.
//!
//! Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::SystemTime;

use assert_cmd::Command;
use scraper::{Html, Selector};
use tempfile::TempDir;

/// "Now" for every build unless a test says otherwise: 2026-01-01T00:00:00Z.
pub const EPOCH: i64 = 1_767_225_600;

/// One day, in seconds.
pub const DAY: i64 = 86_400;

/// The folder of the committed fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site copied into a temporary folder: `<tmp>/site` is the root, so that `<tmp>` is a parent
/// the tests can put canary files in.
pub struct Site {
    pub tmp: TempDir,
    pub root: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>`, plus the repository's theme unless the fixture has one.
    pub fn fixture(name: &str) -> Site {
        Site::from_dir(&fixtures().join(name))
    }

    /// The repository's own example column (`content/`, `themes/`, `static/`, `site.toml`).
    pub fn example() -> Site {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("site");
        for dir in ["content", "themes", "static"] {
            if repo.join(dir).is_dir() {
                copy_dir(&repo.join(dir), &root.join(dir));
            }
        }
        fs::copy(repo.join("site.toml"), root.join("site.toml")).expect("site.toml");
        Site { tmp, root }
    }

    /// Copies any folder as a site (used for `tests/fixtures/errors/<case>`).
    pub fn from_dir(dir: &Path) -> Site {
        assert!(dir.is_dir(), "no fixture folder {}", dir.display());
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("site");
        copy_dir(dir, &root);
        if !root.join("themes").exists() {
            let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/chronique");
            copy_dir(&theme, &root.join("themes/chronique"));
        }
        Site { tmp, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Writes a file under the root, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// `chronique build --root <root> <args>` at [`EPOCH`].
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_at(EPOCH, args)
    }

    /// `chronique build --root <root> <args>` with `SOURCE_DATE_EPOCH=epoch`.
    pub fn build_at(&self, epoch: i64, args: &[&str]) -> Run {
        let root = self.root.to_str().unwrap();
        let mut all = vec!["build", "--root", root];
        all.extend_from_slice(args);
        self.run_at(epoch, &all)
    }

    /// The binary with exactly `args`, run from the site's root, at [`EPOCH`].
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_at(EPOCH, args)
    }

    pub fn run_at(&self, epoch: i64, args: &[&str]) -> Run {
        run_in(
            &self.root,
            &[("SOURCE_DATE_EPOCH", &epoch.to_string())],
            args,
        )
    }

    /// A built page, parsed: `rel` is relative to `public/` (`breves/x/index.html`).
    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(&self.page_text(rel))
    }

    pub fn page_text(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Whether the output has the file `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.public().join(rel).is_file()
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success\n{self}");
        self
    }

    #[track_caller]
    pub fn failure(&self) -> &Run {
        assert_eq!(self.code, Some(1), "expected exit code 1\n{self}");
        assert!(!self.stderr.contains("panicked"), "a panic\n{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs the binary in `dir` with `env` and `args`.
pub fn run_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::cargo_bin("chronique").expect("the chronique binary");
    cmd.current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run chronique");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file below `dir` (relative path → bytes), hidden files included.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Every entry below `dir` (relative path → bytes for files, `None` for folders, and mtime).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let meta = fs::symlink_metadata(&p).unwrap();
            let bytes = meta.is_file().then(|| fs::read(&p).unwrap());
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            (rel, (bytes, meta.modified().unwrap()))
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            out.push(path.clone());
            if path.is_dir() && !path.is_symlink() {
                out.extend(walk(&path));
            }
        }
    }
    out.sort();
    out
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// The text of every element matching `css`, as a reader hears it: without the `aria-hidden`
/// parts (heading anchors), whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| {
            e.descendants()
                .filter_map(|n| n.value().as_text().map(|t| (n, t)))
                .filter(|(n, _)| {
                    !n.ancestors().any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|el| el.attr("aria-hidden") == Some("true"))
                    })
                })
                .map(|(_, t)| t.to_string())
                .collect::<String>()
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Text as the tests compare it: French no-break spaces as spaces, the typographic apostrophe as
/// a straight one, whitespace collapsed (so assertions do not depend on typography).
pub fn norm(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`texts`], normalised with [`norm`].
pub fn ntexts(doc: &Html, css: &str) -> Vec<String> {
    texts(doc, css).iter().map(|t| norm(t)).collect()
}

/// The attribute `attr` of every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.attr(attr).map(str::to_string))
        .collect()
}

/// The `<main>` element of a page, as written (for snapshots), with blank lines dropped so the
/// snapshot does not depend on template whitespace control.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("a </main>") + start + "</main>".len();
    html[start..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `chronique build -q --root <site> <args>` at [`EPOCH`], run from the site's root, started
/// and not waited for; its standard error goes to `stderr`.
pub fn spawn_build(site: &Site, args: &[&str], stderr: Stdio) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("chronique"))
        .current_dir(&site.root)
        .args(["build", "-q", "--root"])
        .arg(&site.root)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("start chronique")
}

/// Sends `signal` (`INT`, `KILL`, `TERM`) to the process with kill(1); whether it was sent.
pub fn send_signal(child: &Child, signal: &str) -> bool {
    std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .is_ok_and(|s| s.success())
}

// ------------------------------------------------------------ images
// Made by hand rather than with the `image` crate: a build reads only headers, and a PNG with
// stored deflate blocks needs no compressor, so the tests compile nothing more for them.

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A grey `width` × `height` RGB PNG, its pixels in stored (uncompressed) deflate blocks.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let row = 1 + 3 * width as usize;
    let mut raw = Vec::with_capacity(row * height as usize);
    for _ in 0..height {
        raw.push(0); // no filter
        raw.extend(std::iter::repeat_n(0x80, row - 1));
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    out
}

/// A real `width` × `height` JPEG as stored (a photo-like gradient with noise, quality 85), with
/// the EXIF `orientation` (6: shown turned a quarter, so its size as shown is `height` ×
/// `width`).
pub fn jpeg(width: u16, height: u16, orientation: u16) -> Vec<u8> {
    photo(u32::from(width), u32::from(height), orientation, None)
}

/// A photo-like `width` × `height` JPEG with an EXIF block: its `orientation`, a camera (make,
/// model) and, when given, a GPS position (latitude, longitude in degrees).
pub fn photo(width: u32, height: u32, orientation: u16, gps: Option<(f64, f64)>) -> Vec<u8> {
    let mut seed = width.wrapping_mul(2_654_435_761) ^ height;
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed & 31) as u8;
        let r = (x * 200 / width.max(1)) as u8;
        let g = (y * 180 / height.max(1)) as u8;
        let b = ((x + y) * 120 / (width + height).max(1)) as u8;
        image::Rgb([
            r.saturating_add(noise),
            g.saturating_add(noise / 2),
            b + noise / 3,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&pixels)
        .expect("a JPEG");
    let tiff = exif_block(orientation, gps);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend((tiff.len() as u16 + 8).to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out.extend(&jpeg[2..]);
    out
}

/// An EXIF block (TIFF bytes) with an orientation, a camera and maybe a GPS position.
pub fn exif_block(orientation: u16, gps: Option<(f64, f64)>) -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let field = |tag, value| Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    };
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    let degrees = |d: f64| {
        let whole = d.abs().floor();
        let minutes = ((d.abs() - whole) * 60.0).floor();
        let seconds = ((d.abs() - whole) * 60.0 - minutes) * 60.0;
        Value::Rational(vec![
            Rational::from((whole as u32, 1)),
            Rational::from((minutes as u32, 1)),
            Rational::from(((seconds * 100.0) as u32, 100)),
        ])
    };
    let mut fields = vec![
        field(Tag::Orientation, Value::Short(vec![orientation])),
        field(Tag::Make, ascii("Fairphone")),
        field(Tag::Model, ascii("FP5")),
        field(Tag::DateTimeOriginal, ascii("2025:03:01 10:15:00")),
    ];
    if let Some((lat, lon)) = gps {
        fields.push(field(
            Tag::GPSLatitudeRef,
            ascii(if lat >= 0.0 { "N" } else { "S" }),
        ));
        fields.push(field(Tag::GPSLatitude, degrees(lat)));
        fields.push(field(
            Tag::GPSLongitudeRef,
            ascii(if lon >= 0.0 { "E" } else { "W" }),
        ));
        fields.push(field(Tag::GPSLongitude, degrees(lon)));
    }
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).expect("an EXIF block");
    out.into_inner()
}

/// The EXIF fields of an image file (JPEG, PNG, WebP), none when it has no EXIF.
pub fn exif_fields(bytes: &[u8]) -> Vec<exif::Field> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .map(|e| e.fields().cloned().collect())
        .unwrap_or_default()
}
