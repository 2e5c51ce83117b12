//! The site's own menus (site.toml's `[[menu.main]]` and `[[menu.footer]]`, issue 20): the
//! navigation shows the home page then the main menu, in order of weight, instead of the
//! sections; every page ends with the footer menu; a site without menus keeps its sections.

mod common;

use std::path::Path;

use common::{Site, attrs, files, ntexts, sel};
use scraper::Html;

/// The links of the navigation's first list (the home page, then sections or menu).
const MAIN: &str = ".site-nav > ul:not(.site-nav-more) a";
const FOOTER: &str = "footer nav.footer-nav a";

/// Each link of `css` on `doc`: its text, its `href` and its `aria-current` (or "").
fn links(doc: &Html, css: &str) -> Vec<(String, String, String)> {
    let names = ntexts(doc, css);
    doc.select(&sel(css))
        .zip(names)
        .map(|(a, name)| {
            let attr = |n: &str| a.attr(n).unwrap_or_default().to_string();
            (name, attr("href"), attr("aria-current"))
        })
        .collect()
}

fn link(name: &str, href: &str, current: &str) -> (String, String, String) {
    (name.into(), href.into(), current.into())
}

fn built(name: &str) -> Site {
    let site = Site::fixture(name);
    site.build(&[]).success();
    site
}

#[test]
fn the_main_menu_follows_the_home_link_in_order_of_weight() {
    let site = built("menus");
    let home = site.page("index.html");
    assert_eq!(
        links(&home, MAIN),
        [
            link("Accueil", "/chronique/", "page"),
            // weight 10, then the two of weight 20 in the order they are written.
            link("À propos", "/chronique/breves/a-propos/", ""),
            link("Le livre", "https://editions.example.fr/livre", ""),
            // A path on the site gets the base path; not "true" on the home page.
            link("Les brèves", "/chronique/breves/", ""),
        ]
    );
    // The outside link is a plain link: no script, no new window.
    assert_eq!(
        attrs(&home, ".site-nav a[href^='https:']", "rel"),
        ["external"]
    );
    assert!(attrs(&home, ".site-nav a", "target").is_empty());
    assert!(attrs(&home, "a", "onclick").is_empty());
    // The other links of the navigation stay.
    assert_eq!(
        ntexts(&home, ".site-nav-more a"),
        ["Thèmes d'irritants", "Séries", "Auteurs", "Recherche"]
    );
}

#[test]
fn the_entry_of_the_current_page_or_of_the_pages_under_it_is_marked() {
    let site = built("menus");
    let current = |page: &str| -> Vec<(String, String)> {
        links(&site.page(page), MAIN)
            .into_iter()
            .filter(|(_, _, current)| !current.is_empty())
            .map(|(name, _, current)| (name, current))
            .collect()
    };
    let pair = |name: &str, current: &str| (name.to_string(), current.to_string());
    assert_eq!(
        current("breves/a-propos/index.html"),
        [pair("À propos", "page"), pair("Les brèves", "true")]
    );
    assert_eq!(current("breves/index.html"), [pair("Les brèves", "page")]);
    assert_eq!(
        current("breves/punition/index.html"),
        [pair("Les brèves", "true")]
    );
    // Under no entry: nothing marked, not even the home link.
    assert_eq!(current("articles/attente/index.html"), []);
}

#[test]
fn every_page_ends_with_the_footer_menu() {
    let site = built("menus");
    let pages: Vec<_> = (files(&site.public()).into_keys())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        // Aliases' redirects are not pages of the site.
        .filter(|p| {
            !site
                .page_text(&p.to_string_lossy())
                .contains("http-equiv=\"refresh\"")
        })
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    let expected = [
        link(
            "Mentions légales",
            "/chronique/articles/mentions-legales/",
            "",
        ),
        link("Nous écrire", "mailto:redaction@exemple.fr", ""),
    ];
    for page in &pages {
        let doc = site.page(&page.to_string_lossy());
        let mut want = expected.clone();
        if page == Path::new("articles/mentions-legales/index.html") {
            want[0].2 = "page".into();
        }
        assert_eq!(links(&doc, FOOTER), want, "{}", page.display());
        assert_eq!(
            attrs(&doc, "footer nav.footer-nav", "aria-label"),
            ["Liens du pied de page"],
            "{}",
            page.display()
        );
    }
}

#[test]
fn the_footer_menu_is_labelled_in_the_site_language() {
    let site = Site::fixture("menus");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("language = \"fr\"", "language = \"en\""),
    );
    site.build(&[]).success();
    let home = site.page("index.html");
    assert_eq!(
        attrs(&home, "footer nav.footer-nav", "aria-label"),
        ["Footer links"]
    );
    assert_eq!(ntexts(&home, MAIN)[0], "Home");
}

#[test]
fn a_site_without_menus_keeps_its_sections_navigation() {
    let site = built("basic");
    let page = site.page("breves/punition/index.html");
    assert_eq!(
        links(&page, MAIN),
        [
            link("Accueil", "/", ""),
            link("Articles", "/articles/", ""),
            link("Les brèves", "/breves/", "true"),
        ]
    );
    assert!(page.select(&sel("nav.footer-nav")).next().is_none());
    let text = site.page_text("index.html");
    assert!(
        text.contains("<footer class=site-footer><p class=footer-feeds>"),
        "{text}"
    );
}
