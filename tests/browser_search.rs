//! The search page in a real browser: headless Chromium loads `/recherche/?q=…` from the built
//! `readers/column` fixture, served over HTTP (the script fetches the index, so `file://` would
//! not do), and the test reads the results the script wrote into the page.
//!
//! The page takes its query from `?q=` (the search form submits there, and the script fills the
//! box and searches on load), so `--dump-dom` after a `--virtual-time-budget` shows the results
//! without driving the keyboard. Queries with and without accents, in capitals, in the plural,
//! with two words, and one that only unpublished posts contain.
//!
//! Skips, with a message, when `/usr/bin/chromium` is absent.

mod browser;
mod common;

use browser::{StaticServer, dump_dom};
use common::{Site, attrs, norm, texts};
use scraper::Html;

/// What the search page shows for a query: the status line, the result titles and links.
struct Results {
    status: String,
    titles: Vec<String>,
    links: Vec<String>,
}

fn search(server: &StaticServer, query: &str) -> Results {
    let encoded: String = query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let url = format!("http://{}/recherche/?q={encoded}", server.addr);
    let dom = dump_dom(&url);
    let page = Html::parse_document(&dom);
    assert_eq!(
        texts(&page, "main h1"),
        ["Recherche"],
        "not the search page: {dom}"
    );
    Results {
        status: texts(&page, ".search-status")
            .first()
            .map(|s| norm(s))
            .unwrap_or_default(),
        titles: texts(&page, ".search-list .search-result-title")
            .iter()
            .map(|t| norm(t))
            .collect(),
        links: attrs(&page, ".search-list .search-result-title a", "href"),
    }
}

#[test]
fn the_search_page_finds_posts_in_a_real_browser_with_accents_folded() {
    if browser::missing("the browser search test") {
        return;
    }
    let site = Site::fixture("readers/column");
    site.build(&[]).success();
    let server = StaticServer::start(site.public());

    // Plain: both published posts about refunds, newest first; not the draft that also is.
    let r = search(&server, "remboursement");
    assert_eq!(
        r.titles,
        ["Analyse à quatre mains", "Échéance dépassée"],
        "{}",
        r.status
    );
    assert_eq!(r.links, ["/articles/analyse/", "/breves/echeance/"]);
    assert_eq!(r.status, "2 billets");

    // Without accents, "echeance" finds "Échéance" (a title match first, then the body one).
    let r = search(&server, "echeance");
    assert_eq!(r.titles, ["Échéance dépassée", "Analyse à quatre mains"]);

    // In capitals, with accents and in the plural: the same.
    let r = search(&server, "ÉCHÉANCES");
    assert_eq!(r.titles, ["Échéance dépassée", "Analyse à quatre mains"]);

    // Plural tolerance both ways: "réclamation" in one post, "réclamations" in the other.
    let r = search(&server, "reclamations");
    assert_eq!(r.titles, ["Vingt minutes de musique", "Échéance dépassée"]);

    // Every word must match.
    let r = search(&server, "remboursement attente");
    assert_eq!(r.titles, ["Analyse à quatre mains"]);
    assert_eq!(r.status, "1 billet");

    // A word only the draft and the scheduled post contain finds nothing.
    let r = search(&server, "zanzibar");
    assert!(r.titles.is_empty(), "{:?}", r.titles);
    assert_eq!(r.status, "Aucun billet ne correspond à votre recherche.");
}

/// Issue 25: a breakdown's findings are searched too. « plafond » is only in a finding of the
/// example column's breakdown (« Vivre avec un plafond qui goutte »), not in its body.
#[test]
fn a_word_only_in_a_finding_finds_the_breakdown_in_a_real_browser() {
    if browser::missing("the browser search test of findings") {
        return;
    }
    let site = Site::example();
    site.build(&[]).success();
    let source = std::fs::read_to_string(
        site.path("content/decryptages/ca-m-agace-quand-on-promet-de-me-rappeler.md"),
    )
    .unwrap();
    let body = source.splitn(3, "---").nth(2).unwrap();
    assert!(source.contains("plafond") && !body.contains("plafond"));
    let server = StaticServer::start(site.public());
    let r = search(&server, "plafond");
    assert_eq!(
        r.links,
        ["/decryptages/ca-m-agace-quand-on-promet-de-me-rappeler/"],
        "{}",
        r.status
    );
}
