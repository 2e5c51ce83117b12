//! Page bundles (issue 20): `content/<section>/<folder>/index.md` is a post whose folder's other
//! files are published beside its page, so that `![](ticket.jpg)` works; checked on the built
//! `tests/fixtures/bundles` site, its feeds, `chronique check`, and the errors for Markdown
//! files where no post can be.

mod common;

use std::fs;

use common::{Site, attrs};

const FIXTURE: &str = "bundles";

/// A reference on a page resolved as the browser does: from the page's URL (root-relative).
fn resolved(page_url: &str, reference: &str) -> String {
    chronique::address::resolve(page_url, reference)
}

/// The output file behind a root-relative URL of the site (whose base path is `/`).
fn output_file(url: &str) -> String {
    url.trim_start_matches('/').to_string()
}

#[test]
fn a_bundle_is_a_post_at_its_folders_slug_with_its_files_beside_it() {
    let site = Site::fixture(FIXTURE);
    site.build(&[]).success();
    // The folder's name, or `slug`, makes the URL; a plain post and a plain folder of images
    // are as before.
    for page in [
        "articles/le-ticket/index.html",
        "articles/caisse-en-panne/index.html",
        "articles/simple/index.html",
    ] {
        assert!(site.has(page), "{page} missing");
    }
    assert!(!site.has("articles/index/index.html"));
    assert!(!site.has("articles/caisse/index.html"));
    assert!(site.has("articles/images/schema.png"));
    // Every file of the bundle, subfolders too, beside its page, byte for byte; they follow
    // `slug`.
    for (source, written) in [
        ("le-ticket/ticket.jpg", "le-ticket/ticket.jpg"),
        ("le-ticket/photo.jpg", "le-ticket/photo.jpg"),
        ("le-ticket/scans/recu.png", "le-ticket/scans/recu.png"),
        ("caisse/caisse.png", "caisse-en-panne/caisse.png"),
    ] {
        assert_eq!(
            fs::read(site.public().join("articles").join(written)).unwrap(),
            fs::read(site.path("content/articles").join(source)).unwrap(),
            "{written}"
        );
    }
    assert!(!site.has("articles/caisse/caisse.png"));
    assert!(!site.has("articles/le-ticket/index.md"));
}

#[test]
fn a_bundles_images_and_lead_image_are_found_from_its_page() {
    let site = Site::fixture(FIXTURE);
    site.build(&[]).success();
    for (url, body_images) in [
        ("/articles/le-ticket/", vec!["ticket.jpg"]),
        ("/articles/caisse-en-panne/", vec!["caisse.png"]),
    ] {
        let page = site.page(&format!("{}index.html", output_file(url)));
        assert_eq!(attrs(&page, ".post-body img", "src"), body_images);
        let body_links = attrs(&page, ".post-body a[href$='.png']", "href");
        for src in body_images.iter().map(|s| s.to_string()).chain(body_links) {
            let file = output_file(&resolved(url, &src));
            assert!(site.has(&file), "{src} on {url}: no {file}");
        }
    }
    // The lead image is the bundle's too, and og:image its absolute address.
    let page = site.page("articles/le-ticket/index.html");
    let lead = attrs(&page, "main figure img", "src");
    assert_eq!(lead, ["/articles/le-ticket/photo.jpg"]);
    assert!(site.has(&output_file(&lead[0])));
    assert_eq!(
        attrs(&page, "meta[property='og:image']", "content"),
        ["https://chronique.test/articles/le-ticket/photo.jpg"]
    );
    // A link to a bundle by its source path.
    assert!(
        attrs(&page, ".post-body a", "href").contains(&"/articles/caisse-en-panne/".to_string())
    );
}

#[test]
fn a_draft_bundle_publishes_none_of_its_files() {
    let site = Site::fixture(FIXTURE);
    site.build(&[]).success();
    let written = common::files(&site.public());
    let leaked: Vec<_> = (written.keys())
        .filter(|p| p.to_string_lossy().contains("secret") || p.starts_with("articles/brouillon"))
        .collect();
    assert!(
        leaked.is_empty(),
        "a draft's files were published: {leaked:?}"
    );
    // Previewed with --drafts, it has them.
    site.build(&["--drafts"]).success();
    assert!(site.has("articles/brouillon/index.html"));
    assert!(site.has("articles/brouillon/secret.jpg"));
}

#[test]
fn feeds_carry_a_bundles_images_at_absolute_addresses() {
    let site = Site::fixture(FIXTURE);
    site.build(&[]).success();
    let unescaped = |rel: &str| {
        site.page_text(rel)
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let ticket = "src=\"https://chronique.test/articles/le-ticket/ticket.jpg\"";
    let recu = "href=\"https://chronique.test/articles/le-ticket/scans/recu.png\"";
    let caisse = "src=\"https://chronique.test/articles/caisse-en-panne/caisse.png\"";
    let root = "src=\"https://chronique.test/articles/images/schema.png\"";
    for feed in ["atom.xml", "rss.xml"] {
        let text = unescaped(feed);
        for expected in [ticket, recu, caisse, root] {
            assert!(text.contains(expected), "{feed} lacks {expected}");
        }
        // Anchors stay anchors.
        assert!(text.contains("href=\"#la-fin\""), "{feed}");
        assert!(!text.contains("src=\"ticket.jpg\""), "{feed}");
    }
    let json: serde_json::Value = serde_json::from_str(&site.page_text("feed.json")).unwrap();
    let item = (json["items"].as_array().unwrap().iter())
        .find(|i| i["url"] == "https://chronique.test/articles/le-ticket/")
        .expect("the bundle's item");
    let html = item["content_html"].as_str().unwrap();
    assert!(html.contains(ticket) && html.contains(recu), "{html}");
}

#[test]
fn check_finds_a_bundles_images_and_reports_a_missing_one_at_its_line() {
    let site = Site::fixture(FIXTURE);
    let run = site.run(&["check"]);
    run.success();
    assert!(!run.stderr.contains("not found"), "{run}");
    site.write(
        "content/articles/le-ticket/index.md",
        "---\ntitle: \"Le ticket\"\ndate: 2025-03-01\nimage:\n  src: absente.jpg\n  alt: \"Absente\"\n---\nTexte.\n\n![Le ticket](ticket.jpg) et ![Perdu](perdu.jpg)\n\n![Avec le dossier](le-ticket/ticket.jpg)\n",
    );
    let run = site.run(&["check"]);
    run.failure();
    for line in [
        "error: content/articles/le-ticket/index.md:5:8: image \"absente.jpg\" not found: there is no articles/le-ticket/absente.jpg",
        "error: content/articles/le-ticket/index.md:10:29: image \"perdu.jpg\" not found: the page /articles/le-ticket/ asks for /articles/le-ticket/perdu.jpg, which the site does not have",
        "error: content/articles/le-ticket/index.md:12:1: image \"le-ticket/ticket.jpg\" not found",
        "= the files of the bundle content/articles/le-ticket/ are published beside its page: write \"ticket.jpg\"",
    ] {
        assert!(run.stderr.contains(line), "lacks {line}\n{run}");
    }
    assert!(!run.stderr.contains("\"ticket.jpg\" not found"), "{run}");
    assert!(run.stderr.contains("3 errors"), "{run}");
}

#[test]
fn a_post_beside_a_photo_is_told_it_can_become_a_bundle() {
    let site = Site::fixture(FIXTURE);
    site.write("content/articles/photo.jpg", "pas une photo");
    site.write(
        "content/articles/simple.md",
        "---\ntitle: \"Simple\"\ndate: 2025-01-01\n---\n![Photo](photo.jpg)\n",
    );
    let run = site.run(&["check"]);
    run.failure();
    assert!(
        run.stderr.contains("= content/articles/photo.jpg is published at /articles/photo.jpg: write \"../photo.jpg\" or \"/articles/photo.jpg\", or make the post a bundle, content/articles/simple/index.md with the file beside it"),
        "{run}"
    );
}

#[test]
fn every_misplaced_markdown_file_is_reported_at_once_and_nothing_is_written() {
    let site = Site::fixture(FIXTURE);
    site.build(&[]).success();
    let before = common::files(&site.public());
    let post = "---\ntitle: T\ndate: 2025-01-01\n---\nTexte.\n";
    for rel in [
        "content/articles/sub/autre.md",
        "content/articles/le-ticket/notes.md",
        "content/articles/a/b/index.md",
        "content/articles/sub/_index.md",
    ] {
        site.write(rel, post);
    }
    let run = site.build(&[]);
    run.failure();
    for line in [
        "error: content/articles/sub/autre.md:1:1: content/articles/sub/ is not a bundle (it has no index.md): rename this file index.md to make the folder a bundle, or move it to content/articles/autre.md",
        "error: content/articles/le-ticket/notes.md:1:1: a bundle holds one Markdown file, index.md (content/articles/le-ticket/index.md)",
        "error: content/articles/a/b/index.md:1:1: bundles are not nested",
        "error: content/articles/sub/_index.md:1:1: a section has no sub-sections",
        "4 errors: nothing was written",
    ] {
        assert!(run.stderr.contains(line), "lacks {line}\n{run}");
    }
    assert!(common::files(&site.public()) == before, "public/ changed");
}
