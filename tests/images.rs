//! Images' sizes (issue 22, first slice): every `<img>` of a post — Markdown images, the lead
//! image — that shows a file of the site gets its intrinsic `width` and `height` (a JPEG's EXIF
//! orientation applied, an SVG's `viewBox`), an image that cannot be read is an error at its
//! reference, and an empty `alt` a warning unless the image is marked decorative.
//!
//! The fixture's images are made by the test, with the minimal encoders of `common` (a real
//! PNG, a JPEG's header with an EXIF orientation): no binary is committed.

mod common;

use common::{Site, attrs, crc32, jpeg, png, sel};

const FIXTURE: &str = "images";
const POST: &str = "content/breves/le-ticket/index.md";

/// The fixture with its images made: the lead image 1200 × 800, a photo 400 × 300 stored
/// with orientation 6, a receipt 37 × 90, and `abime.jpg`, which is no image.
fn site() -> Site {
    let site = Site::fixture(FIXTURE);
    site.write("content/breves/le-ticket/file.png", png(1200, 800));
    site.write("content/breves/le-ticket/ticket.jpg", jpeg(400, 300, 6));
    site.write("content/breves/le-ticket/reçu.png", png(37, 90));
    site.write(
        "content/breves/le-ticket/abime.jpg",
        b"\xFF\xD8\xFF\xE0 pas une photo",
    );
    site
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_at_its_reference() {
    let site = site();
    let run = site.build(&[]);
    let run = run.failure();
    let err = &run.stderr;
    assert!(
        err.contains(&format!("{POST}:20:1")) && err.contains("image \"abime.jpg\" cannot be read"),
        "{run}"
    );
    assert!(
        err.contains("![Le ticket abîmé](abime.jpg)"),
        "the line is shown\n{run}"
    );
}

#[test]
fn an_empty_alt_is_a_warning_unless_the_image_is_decorative() {
    let site = site();
    site.write("content/breves/le-ticket/abime.jpg", jpeg(10, 20, 1));
    let run = site.build(&[]);
    let err = &run.success().stderr;
    assert_eq!(
        err.matches("image without a text (alt)").count(),
        1,
        "{err}"
    );
    assert!(err.contains(&format!("{POST}:14:1")), "{err}");
    assert!(err.contains("![](reçu.png)"), "{err}");
}

#[test]
fn every_local_image_of_a_post_has_its_size_and_the_lead_image_comes_first() {
    let site = site();
    site.write("content/breves/le-ticket/abime.jpg", jpeg(10, 20, 1));
    site.build(&[]).success();
    let page = site.page("breves/le-ticket/index.html");
    let body: Vec<_> = page
        .select(&sel("main .post-body img, main article img"))
        .collect();
    let sizes = |css: &str| {
        let imgs: Vec<_> = page.select(&sel(css)).collect();
        assert_eq!(imgs.len(), 1, "{css}");
        let a = |n: &str| imgs[0].value().attr(n).map(str::to_string);
        (a("width"), a("height"))
    };
    let s = |w: &str, h: &str| (Some(w.to_string()), Some(h.to_string()));
    assert_eq!(
        sizes("img[src='ticket.jpg']"),
        s("300", "400"),
        "turned upright"
    );
    assert_eq!(
        sizes("img[src='/img/plan.svg']"),
        s("320", "180"),
        "the viewBox"
    );
    assert_eq!(sizes("img[src='re%C3%A7u.png']"), s("37", "90"));
    assert_eq!(sizes("img[src='/img/frise.svg']"), s("600", "12"));
    assert_eq!(sizes("img[src='abime.jpg']"), s("10", "20"));
    assert_eq!(
        sizes("img[src='https://exemple.fr/photo.jpg']"),
        (None, None),
        "another site's"
    );
    assert!(!body.is_empty());
    for img in page.select(&sel("main img:not(.author-avatar):not(.lead-image img)")) {
        assert_eq!(
            img.value().attr("loading"),
            Some("lazy"),
            "{:?}",
            img.value()
        );
    }
    // Decorative: an empty alt, and the marking title is not written.
    let frise = page
        .select(&sel("img[src='/img/frise.svg']"))
        .next()
        .unwrap();
    assert_eq!(frise.value().attr("alt"), Some(""));
    assert_eq!(frise.value().attr("title"), None);
    // The lead image: sized, fetched first, not lazy.
    let lead = page
        .select(&sel(".lead-image img"))
        .next()
        .expect("a lead image");
    let v = lead.value();
    assert_eq!(v.attr("src"), Some("/breves/le-ticket/file.png"));
    assert_eq!(
        (v.attr("width"), v.attr("height")),
        (Some("1200"), Some("800"))
    );
    assert_eq!(v.attr("fetchpriority"), Some("high"));
    assert_eq!(v.attr("decoding"), Some("async"));
    assert_eq!(v.attr("loading"), None);
    assert_eq!(
        attrs(&page, ".lead-image img", "alt"),
        ["La file devant la caisse"]
    );
}

#[test]
fn the_generated_png_is_a_png() {
    let bytes = png(3, 2);
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
}
