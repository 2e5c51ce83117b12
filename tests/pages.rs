//! Pages (issue 20): files directly under `content/` are pages at `/<slug>/`, without a date,
//! in the sitemap and the search index, in no list, feed, taxonomy or related posts; a page
//! bundle's files are published beside it; `init` writes the mentions légales that `check`
//! reports until they are filled in.

mod common;

use common::{Site, attrs, ntexts, texts};

/// Every URL of `<loc>` in the sitemap.
fn sitemap_urls(site: &Site) -> Vec<String> {
    let xml = site.page_text("sitemap.xml");
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_string)
        .collect()
}

/// The search index's entries' URLs.
fn indexed_urls(site: &Site) -> Vec<String> {
    let index: serde_json::Value =
        serde_json::from_str(&site.page_text("search-index.json")).unwrap();
    (index.as_array().unwrap().iter())
        .map(|e| e["u"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_page_without_a_date_is_published_at_its_slug_and_in_no_list() {
    let site = Site::fixture("pages");
    let run = site.build(&[]);
    run.success();
    assert!(
        run.stdout.contains("(2 posts, 2 standalone pages)"),
        "{}",
        run.stdout
    );
    let page = site.page("mentions-legales/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["Mentions légales"]);
    assert!(texts(&page, "main time").is_empty(), "no date, none shown");
    assert_eq!(
        attrs(&page, "main a[href*='a-propos']", "href"),
        ["/a-propos/#ecrire"],
        "an internal link to a page's anchor"
    );
    // In the sitemap and the search index…
    let sitemap = sitemap_urls(&site);
    for url in ["mentions-legales/", "a-propos/"] {
        assert!(
            sitemap.contains(&format!("https://chronique.test/{url}")),
            "{sitemap:?}"
        );
        assert!(indexed_urls(&site).contains(&format!("/{url}")), "{url}");
    }
    // … and in no list, feed, taxonomy, author page or related posts.
    for list in [
        "index.html",
        "breves/index.html",
        "irritants/attente/index.html",
        "etiquettes/telecoms/index.html",
        "auteurs/claire-morel/index.html",
        "breves/recidive/index.html",
    ] {
        let links = attrs(&site.page(list), "main a", "href");
        assert!(
            !links
                .iter()
                .any(|h| h.contains("mentions-legales") || h.contains("a-propos")),
            "{list}: {links:?}"
        );
    }
    for feed in [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "auteurs/claire-morel/atom.xml",
    ] {
        let text = site.page_text(feed);
        assert!(!text.contains("À propos"), "{feed}");
        assert!(!text.contains("<title>Mentions"), "{feed}");
        assert!(!text.contains("\"title\":\"Mentions"), "{feed}");
    }
    // The post that links to it links to its address.
    let post = site.page("breves/punition/index.html");
    assert!(
        attrs(&post, "main a", "href").contains(&"/mentions-legales/".to_string()),
        "{:?}",
        attrs(&post, "main a", "href")
    );
}

#[test]
fn a_page_bundle_publishes_its_files_its_dates_and_its_aliases() {
    let site = Site::fixture("pages");
    site.build(&[]).success();
    let page = site.page("a-propos/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["À propos"]);
    assert_eq!(
        attrs(&page, "main time", "datetime"),
        ["2024-03-12", "2025-01-02"],
        "the dates the front matter gives are shown"
    );
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        ["Qui écrit cette chronique, et pourquoi."]
    );
    assert_eq!(
        attrs(&page, "main img", "src"),
        ["/a-propos/portrait.png", "portrait.png"]
    );
    assert!(site.has("a-propos/portrait.png"), "the bundle's image");
    let redirect = site.page_text("qui-sommes-nous/index.html");
    assert!(
        redirect.contains("https://chronique.test/a-propos/"),
        "{redirect}"
    );
    // The copyright years are the posts' (2019–2020), not the page's dates.
    let footer = texts(&page, ".copyright").join(" ");
    assert!(
        footer.contains("2019") && !footer.contains("2025"),
        "{footer}"
    );
}

#[test]
fn a_draft_page_is_published_only_with_drafts() {
    let site = Site::fixture("pages");
    let run = site.build(&[]);
    assert!(
        run.stdout.contains("1 draft not published"),
        "{}",
        run.stdout
    );
    assert!(!site.has("contact/index.html"));
    assert!(!site.has("contact/plan.png"), "a draft's files wait for it");
    assert!(!indexed_urls(&site).contains(&"/contact/".to_string()));
    site.build(&["--drafts"]).success();
    assert!(site.has("contact/plan.png"));
    let page = site.page("contact/index.html");
    assert_eq!(ntexts(&page, "main h1"), ["Brouillon de contact"]);
    assert_eq!(texts(&page, ".draft-notice").len(), 1);
}

#[test]
fn a_link_to_a_draft_page_is_an_error_saying_so() {
    let site = Site::fixture("pages");
    site.write(
        "content/breves/lien.md",
        "---\ntitle: Lien\ndate: 2020-01-01\n---\nÉcrire au [contact](@/contact/index.md).\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "content/breves/lien.md:5:11: broken internal link to @/contact/index.md: it is not published (a draft)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn init_then_build_publishes_mentions_legales_and_check_reports_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("colonne");
    let dir_str = dir.to_str().unwrap();
    common::run_in(tmp.path(), &[], &["init", dir_str]);
    let site = Site {
        root: dir.clone(),
        tmp,
    };
    site.build(&[]).success();
    // Linked from every page's footer.
    for rel in [
        "index.html",
        "breves/index.html",
        "recherche/index.html",
        "404.html",
    ] {
        let footer = attrs(&site.page(rel), "footer nav a", "href");
        assert_eq!(footer, ["/mentions-legales/"], "{rel}");
    }
    let page = site.page("mentions-legales/index.html");
    let headings = ntexts(&page, "main h2");
    for h in ["Éditeur", "Directeur de la publication", "Hébergeur"] {
        assert!(headings.iter().any(|x| x == h), "{h}: {headings:?}");
    }
    let check = site.run(&["check"]);
    assert_eq!(check.code, Some(0), "placeholders are warnings\n{check}");
    let warnings = check
        .stderr
        .lines()
        .filter(|l| l.contains("placeholder still to fill in"))
        .count();
    assert!(warnings >= 5, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "content/mentions-legales.md:18:32: placeholder still to fill in: [À COMPLÉTER"
        ),
        "{}",
        check.stderr
    );
    // Filled in, the warnings go.
    let text = std::fs::read_to_string(site.path("content/mentions-legales.md")).unwrap();
    let filled = fill_placeholders(&text);
    site.write("content/mentions-legales.md", filled);
    let check = site.run(&["check"]);
    assert!(
        !check.stderr.contains("placeholder still to fill in"),
        "{}",
        check.stderr
    );
}

/// Every `[À COMPLÉTER…]` of `text` replaced by a value.
fn fill_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[À COMPLÉTER") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(']').map_or(rest.len(), |i| at + i + 1);
        out.push_str("Claire Morel");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn check_looks_at_the_links_images_and_anchors_of_pages() {
    let site = Site::fixture("pages");
    let clean = site.run(&["check"]);
    assert_eq!(clean.code, Some(0), "{clean}");
    assert!(!clean.stderr.contains("error"), "{}", clean.stderr);
    site.write(
        "content/a-propos/index.md",
        "---\ntitle: À propos\n---\n![Portrait](portrait.png) ![Absent](absent.png)\n\nVoir [l'éditeur](@/mentions-legales.md#editeur), [rien](@/mentions-legales.md#nulle-part) et [ici](#ailleurs).\n",
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, Some(1), "{check}");
    for expected in [
        "content/a-propos/index.md:4:27: image \"absent.png\" not found: the page /a-propos/ asks for /a-propos/absent.png, which the site does not have",
        "content/a-propos/index.md:6:50: no heading \"#nulle-part\" in @/mentions-legales.md: the link points nowhere in the page",
        "content/a-propos/index.md:6:94: no heading \"#ailleurs\" in this page",
        // The heading another page linked to is gone.
        "content/mentions-legales.md:6:59: no heading \"#ecrire\" in @/a-propos/index.md",
    ] {
        assert!(
            check.stderr.contains(expected),
            "{expected}\n{}",
            check.stderr
        );
    }
    assert_eq!(
        check.stderr.matches("error:").count(),
        4,
        "{}",
        check.stderr
    );
}
