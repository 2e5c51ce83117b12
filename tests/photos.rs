//! Photos (issue 22): a column with 20 photos made by the test — phone JPEGs with their camera
//! and GPS data, one turned by its EXIF orientation, PNG screenshots, one with transparency, a
//! WebP — is published with every `<img>` sized, `srcset` at the configured widths (never
//! enlarged), the turned photo upright, figures with their captions, and no GPS position in any
//! file of the output. A second build takes every photo from the cache and writes the same bytes.

mod common;

use std::path::Path;

use common::{Site, exif_fields, files, photo, sel};

const FIXTURE: &str = "photos";

/// Where a position is, in the photos that have one: the author's home, say.
const HOME: (f64, f64) = (48.8566, 2.3522);

/// (path in the site, width, height as stored, EXIF orientation).
const JPEGS: [(&str, u32, u32, u16); 14] = [
    ("content/articles/album/facade.jpg", 1600, 1200, 1),
    ("content/articles/album/comptoir.jpg", 1600, 1100, 1),
    ("content/articles/album/file.jpg", 1200, 1600, 1),
    ("content/articles/album/ticket.jpg", 1600, 1200, 6),
    ("content/articles/album/rayon.jpg", 500, 375, 1),
    ("content/articles/album/sortie.jpg", 960, 720, 1),
    ("content/articles/album/vitrine.jpg", 900, 600, 1),
    ("content/breves/caisse/recu.jpg", 600, 1000, 1),
    ("content/breves/caisse/sac.jpg", 1024, 768, 1),
    ("content/breves/caisse/panier.jpg", 1100, 800, 1),
    ("content/breves/caisse/parking.jpg", 800, 600, 1),
    ("content/breves/caisse/horodateur.jpg", 700, 900, 1),
    ("content/breves/caisse/barriere.jpg", 900, 640, 1),
    ("content/breves/caisse/rappel.jpg", 640, 480, 1),
];

/// The fixture with its 20 photos written.
fn site() -> Site {
    let site = Site::fixture(FIXTURE);
    for (path, w, h, orientation) in JPEGS {
        site.write(path, photo(w, h, orientation, Some(HOME)));
    }
    site.write("static/img/terminal.png", screenshot(700, 1200, false));
    site.write("static/img/caisse.png", screenshot(1000, 700, false));
    site.write("static/img/code.png", screenshot(600, 400, true));
    site.write("static/img/badge.png", screenshot(200, 200, false));
    site.write(
        "content/articles/album/rue.png",
        screenshot(900, 650, false),
    );
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        800,
        600,
        image::Rgba([40, 90, 160, 255]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut webp),
        image::ImageFormat::WebP,
    )
    .expect("a WebP");
    site.write("static/img/plan.webp", webp);
    site
}

/// A screenshot-like PNG: flat areas and lines of "text", with a PNG text chunk saying where.
fn screenshot(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        let text = (y / 6) % 4 == 0 && (x / 3) % 5 != 0;
        let a = if alpha && x < width / 4 { 0 } else { 255 };
        if text {
            image::Rgba([30, 30, 30, a])
        } else {
            image::Rgba([240, 240, 235, a])
        }
    });
    let mut out = Vec::new();
    let dynamic = if alpha {
        image::DynamicImage::ImageRgba8(image)
    } else {
        image::DynamicImage::ImageRgb8(image::DynamicImage::ImageRgba8(image).into_rgb8())
    };
    dynamic
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("a PNG");
    // A tEXt chunk before IEND, as screenshot tools write their comments.
    let iend = out.len() - 12;
    let mut chunk = Vec::new();
    let data = b"Comment\0Pris au 12 rue des Lilas";
    chunk.extend((data.len() as u32).to_be_bytes());
    let mut body = b"tEXt".to_vec();
    body.extend(data);
    chunk.extend(&body);
    chunk.extend(common::crc32(&body).to_be_bytes());
    out.splice(iend..iend, chunk);
    out
}

/// The widths of a `srcset`: `a.320w.jpg 320w, b 640w` → [320, 640].
fn widths(srcset: &str) -> Vec<u32> {
    srcset
        .split(", ")
        .map(|c| {
            let w = c.rsplit(' ').next().unwrap_or_default();
            w.trim_end_matches('w').parse().expect("a width")
        })
        .collect()
}

#[test]
fn every_photo_is_sized_offered_at_the_configured_widths_and_never_enlarged() {
    let site = site();
    let run = site.build(&[]);
    let run = run.success();
    assert!(
        run.stdout
            .contains("20 photos: 20 processed, 0 from the cache"),
        "{run}"
    );
    let album = site.page("articles/album/index.html");
    for img in album.select(&sel("main img")) {
        let v = img.value();
        assert!(
            v.attr("width").is_some() && v.attr("height").is_some(),
            "{v:?}"
        );
        assert_eq!(v.attr("decoding"), Some("async"), "{v:?}");
    }
    let img = |doc: &scraper::Html, css: &str| {
        let found: Vec<_> = doc.select(&sel(css)).collect();
        assert_eq!(found.len(), 1, "{css}");
        found[0].value().clone()
    };
    // A 1 600-pixel photo: 320, 640, 1 280, and the largest variant as its `src`.
    let comptoir = img(&album, "img[alt='Le comptoir, vu de la file']");
    assert_eq!(widths(comptoir.attr("srcset").unwrap()), [320, 640, 1280]);
    assert_eq!(comptoir.attr("src"), Some("comptoir.1280w.jpg"));
    assert_eq!(comptoir.attr("loading"), Some("lazy"));
    // A 500-pixel photo is not enlarged: 320 and itself.
    let rayon = img(&album, "img[src='rayon.jpg']");
    assert_eq!(widths(rayon.attr("srcset").unwrap()), [320, 500]);
    // Each picture offers WebP first, at the same widths.
    let sources: Vec<_> = album
        .select(&sel("picture > source[type='image/webp']"))
        .collect();
    assert!(sources.len() >= 7, "{}", sources.len());
    for s in &sources {
        let srcset = s.value().attr("srcset").unwrap();
        assert!(srcset.split(", ").all(|c| c.contains(".webp ")), "{srcset}");
        assert!(s.value().attr("sizes").is_some());
    }
    // The lead photo: loaded at once, first, with its caption and credit.
    let lead = img(&album, ".lead-image img");
    assert_eq!(lead.attr("fetchpriority"), Some("high"));
    assert_eq!(lead.attr("loading"), None);
    assert_eq!(widths(lead.attr("srcset").unwrap()), [320, 640, 1280]);
    let caption = common::ntexts(&album, ".lead-image figcaption");
    assert_eq!(caption.len(), 1);
    assert!(
        caption[0].starts_with("La boutique, un samedi matin."),
        "{caption:?}"
    );
    assert!(caption[0].contains("Claire Morel"), "{caption:?}");
    // Every file a page names is published.
    for page in ["articles/album/index.html", "breves/caisse/index.html"] {
        let doc = site.page(page);
        let folder = Path::new(page).parent().unwrap();
        for set in common::attrs(&doc, "main img, main source", "srcset") {
            for candidate in set.split(", ") {
                let url = candidate.split(' ').next().unwrap();
                let path = match url.strip_prefix('/') {
                    Some(root) => root.to_string(),
                    None => folder.join(url).to_string_lossy().into_owned(),
                };
                assert!(site.has(&path), "{url} of {page}");
            }
        }
    }
}

#[test]
fn the_turned_photo_is_upright_and_no_published_file_says_where_it_was_taken() {
    let site = site();
    site.build(&[]).success();
    let album = site.page("articles/album/index.html");
    let ticket = album
        .select(&sel("img[alt='Le ticket, pris à la main']"))
        .next()
        .unwrap();
    // Stored 1 600 × 1 200 with orientation 6: shown 1 200 × 1 600.
    let v = ticket.value();
    assert_eq!(
        (v.attr("width"), v.attr("height")),
        (Some("1200"), Some("1600"))
    );
    let variant = image::open(site.path("public/articles/album/ticket.640w.jpg")).unwrap();
    assert_eq!((variant.width(), variant.height()), (640, 853));
    let webp = image::open(site.path("public/articles/album/ticket.640w.webp")).unwrap();
    assert_eq!((webp.width(), webp.height()), (640, 853));
    // No GPS tag in any published file, originals included; the original keeps its orientation
    // (it is shown upright) and nothing else of the camera.
    let published = files(&site.public());
    let mut images = 0;
    for (path, bytes) in &published {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["jpg", "png", "webp"].contains(&ext) {
            continue;
        }
        images += 1;
        for f in exif_fields(bytes) {
            assert!(
                f.tag.context() != exif::Context::Gps && f.tag != exif::Tag::GPSInfoIFDPointer,
                "{} has {}",
                path.display(),
                f.tag
            );
            assert!(
                ![
                    exif::Tag::Make,
                    exif::Tag::Model,
                    exif::Tag::DateTimeOriginal
                ]
                .contains(&f.tag),
                "{} has {}",
                path.display(),
                f.tag
            );
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("rue des Lilas"),
            "{} keeps its text",
            path.display()
        );
    }
    assert!(images > 80, "{images} images published");
    let original = &published[Path::new("articles/album/ticket.jpg")];
    let orientation: Vec<_> = exif_fields(original)
        .into_iter()
        .filter(|f| f.tag == exif::Tag::Orientation)
        .collect();
    assert_eq!(orientation.len(), 1);
    assert_eq!(orientation[0].value.get_uint(0), Some(6));
    let original = image::load_from_memory(original).expect("the original still decodes");
    assert_eq!((original.width(), original.height()), (1600, 1200));
}

#[test]
fn a_titled_photo_is_a_figure_and_an_empty_alt_is_a_warning() {
    let site = site();
    let run = site.build(&[]);
    let run = run.success();
    let album = site.page("articles/album/index.html");
    let captions = common::texts(&album, ".post-body figure figcaption");
    assert_eq!(
        captions,
        ["La file, à 10 h 15.", "L\u{2019}écran qui refuse la carte."]
    );
    let html = site.page_text("articles/album/index.html");
    assert!(
        html.contains("<figcaption>La file, à 10\u{a0}h\u{a0}15.</figcaption>"),
        "typeset"
    );
    assert_eq!(
        album
            .select(&sel(
                ".post-body figure > picture > img[alt='La file qui déborde sur le trottoir']"
            ))
            .count(),
        1
    );
    // A photo inside a sentence stays inline; a decorative one is no figure.
    assert_eq!(
        album
            .select(&sel(".post-body p > picture img[alt='la sortie']"))
            .count(),
        1
    );
    assert_eq!(
        album
            .select(&sel(".post-body p > picture img[alt='']"))
            .count(),
        2
    );
    assert_eq!(
        run.stderr.matches("image without a text (alt)").count(),
        1,
        "{run}"
    );
    assert!(
        run.stderr.contains("content/articles/album/index.md:20:1"),
        "{run}"
    );
}

#[test]
fn a_second_build_takes_every_photo_from_the_cache_and_writes_the_same_bytes() {
    let site = site();
    site.build(&[]).success();
    let first = files(&site.public());
    let run = site.build(&[]);
    assert!(
        run.success()
            .stdout
            .contains("20 photos: 0 processed, 20 from the cache"),
        "{run}"
    );
    assert_eq!(files(&site.public()), first);
    // One photo changed: only it is processed again.
    site.write(
        "content/breves/caisse/sac.jpg",
        photo(1000, 700, 1, Some(HOME)),
    );
    let run = site.build(&[]);
    assert!(
        run.success()
            .stdout
            .contains("20 photos: 1 processed, 19 from the cache"),
        "{run}"
    );
    // The cache is safe to delete: the next build makes the same files again.
    std::fs::remove_dir_all(site.path(".chronique-cache")).unwrap();
    let before = files(&site.public());
    let run = site.build(&[]);
    assert!(run.success().stdout.contains("20 processed"), "{run}");
    assert_eq!(files(&site.public()), before);
    let ignore = std::fs::read_to_string(site.path(".chronique-cache/.gitignore")).unwrap();
    assert_eq!(ignore, "*\n");
}

#[test]
fn the_camera_data_is_kept_when_asked_and_the_position_only_when_asked_too() {
    let site = site();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}keep_camera = true\n"));
    site.build(&[]).success();
    let original = std::fs::read(site.path("public/articles/album/facade.jpg")).unwrap();
    let tags: Vec<_> = exif_fields(&original).into_iter().map(|f| f.tag).collect();
    assert!(tags.contains(&exif::Tag::Model), "{tags:?}");
    assert!(
        !tags.iter().any(|t| t.context() == exif::Context::Gps),
        "{tags:?}"
    );
    site.write(
        "site.toml",
        format!("{toml}keep_camera = true\nkeep_location = true\n"),
    );
    site.build(&[]).success();
    let original = std::fs::read(site.path("public/articles/album/facade.jpg")).unwrap();
    let tags: Vec<_> = exif_fields(&original).into_iter().map(|f| f.tag).collect();
    assert!(tags.contains(&exif::Tag::GPSLatitude), "{tags:?}");
    // The position without the camera is refused, at its line.
    site.write("site.toml", format!("{toml}keep_location = true\n"));
    let run = site.build(&[]);
    let err = &run.failure().stderr;
    assert!(
        err.contains("site.toml:8:1") && err.contains("images.keep_location needs keep_camera"),
        "{run}"
    );
}

#[test]
fn a_photo_whose_pixels_are_damaged_is_an_error_naming_it_and_the_output_stays() {
    let site = site();
    site.build(&[]).success();
    let before = files(&site.public());
    let mut bytes = photo(1024, 768, 1, None);
    bytes.truncate(bytes.len() / 3);
    site.write("content/breves/caisse/panier.jpg", bytes);
    let run = site.build(&[]);
    let err = &run.failure().stderr;
    assert!(
        err.contains("content/breves/caisse/panier.jpg") && err.contains("cannot be published"),
        "{run}"
    );
    assert_eq!(files(&site.public()), before);
}

#[test]
fn check_warns_about_heavy_originals_and_images_sent_whole() {
    let site = site();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}warn_over_kb = 100\n"));
    // A GIF is not resized: 2 000 pixels wide, it is sent whole.
    let mut gif = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(2000, 10))
        .write_to(&mut std::io::Cursor::new(&mut gif), image::ImageFormat::Gif)
        .ok();
    if gif.is_empty() {
        // Without the GIF encoder, a GIF's header is enough: only its size is read.
        gif = b"GIF89a\xd0\x07\x0a\x00\x00\x00\x00;".to_vec();
    }
    site.write("static/img/anim.gif", gif);
    let run = site.run(&["check"]);
    let err = &run.stderr;
    assert!(
        err.contains("content/articles/album/facade.jpg") && err.contains("this photo weighs"),
        "{run}"
    );
    assert!(!err.contains("badge.png: this photo weighs"), "{run}");
    assert!(
        err.contains("static/img/anim.gif")
            && err
                .contains("this image is 2000 pixels wide and sent whole: pages show at most 1280"),
        "{run}"
    );
}
