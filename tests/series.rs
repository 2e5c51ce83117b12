//! Tales in several parts (issue 3), checked on the parsed output of the fixture sites under
//! `tests/fixtures/series/`: "Partie 2 sur 3", the links between parts, the list of parts with
//! the current one marked, announced parts that publish nothing of their body, the switch to
//! published once "now" passes their date, the series pages and feeds, and the numbering
//! warnings. The numbering errors are cases under `tests/fixtures/errors/series_*`, run with the
//! other bad inputs by `errors.rs`.
//!
//! Text is compared through [`norm`], so that French typography (non-breaking spaces, curly
//! apostrophes) does not break these tests.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{EPOCH, Site, attrs, files, fixtures, norm, ntexts, run_in, sel};
use scraper::{ElementRef, Html};

/// 2036-12-24T00:00:00Z, the date of the scheduled third part of `conte` and of `anglais`.
const CHRISTMAS_EVE_2036: i64 = 2_113_689_600;

const BASE: &str = "https://chronique.test";
const PART_1: &str = "/contes/premiere-nuit/";
const PART_2: &str = "/contes/deuxieme-nuit/";
const PART_3: &str = "/contes/troisieme-nuit/";

/// Words found only in the body, summary and irritant of the scheduled third part of `conte`.
const CANARIES: &[&str] = &["zorglub", "escarbille"];

// ---------------------------------------------------------------- helpers

fn text_of(e: ElementRef<'_>) -> String {
    norm(&e.text().collect::<String>())
}

/// The `conte` or `anglais` fixture built at `epoch`, without a warning.
fn built(name: &str, epoch: i64) -> Site {
    let site = Site::fixture(&format!("series/{name}"));
    rebuild(&site, epoch);
    site
}

fn rebuild(site: &Site, epoch: i64) {
    let run = site.build_at(epoch, &[]);
    run.success();
    assert!(!run.stderr.contains("warning"), "a warning\n{run}");
}

/// One item of the list of parts (`ol.series-parts > li`) inside `scope`.
#[derive(Debug)]
struct Item {
    text: String,
    href: Option<String>,
    current: bool,
}

fn parts_list(doc: &Html, scope: &str) -> Vec<Item> {
    doc.select(&sel(&format!("{scope} ol.series-parts > li")))
        .map(|li| Item {
            text: text_of(li),
            href: li
                .select(&sel("a"))
                .next()
                .and_then(|a| a.attr("href"))
                .map(str::to_string),
            current: li.attr("aria-current").is_some(),
        })
        .collect()
}

/// The links of a list of parts, `None` where a part is not linked.
fn hrefs(items: &[Item]) -> Vec<Option<&str>> {
    items.iter().map(|i| i.href.as_deref()).collect()
}

/// Where the series pager at the end of a part leads: `rel` is `prev` or `next`.
fn pager(doc: &Html, rel: &str) -> Vec<String> {
    attrs(doc, &format!("main nav.series-pager a[rel={rel}]"), "href")
}

/// The announced parts at the end of a part.
fn upcoming(doc: &Html) -> Vec<String> {
    ntexts(doc, "main .series-upcoming .upcoming-part")
}

/// Each post of a list page, by title, with the series it says it belongs to ("" when none).
fn series_markers(doc: &Html) -> BTreeMap<String, String> {
    doc.select(&sel("main article"))
        .map(|a| {
            let title = a.select(&sel("h2, h3")).next().map(text_of);
            let marker = a.select(&sel(".post-series")).next().map(text_of);
            (title.unwrap_or_default(), marker.unwrap_or_default())
        })
        .collect()
}

// ---------------------------------------------------------------- XML

/// An XML element: its attributes, its children, and all the text inside it.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    /// Every element named `name` below this one, in document order.
    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.all(name));
        }
        out
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Its text and every attribute value inside it, lowercase.
    fn everything(&self) -> String {
        let mut s = self.text.to_lowercase();
        for v in self.attrs.values() {
            s.push(' ');
            s.push_str(&v.to_lowercase());
        }
        for c in &self.children {
            s.push(' ');
            s.push_str(&c.everything());
        }
        s
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let name = e.name().as_ref().to_string();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.unwrap();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap();
            (a.key.as_ref().to_string(), value.into_owned())
        })
        .collect();
    Node {
        name,
        attrs,
        ..Node::default()
    }
}

/// Parses a whole XML document (panics if it is not well-formed); returns the document node.
fn parse_xml(xml: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("bad XML at {}: {e}", reader.buffer_position()));
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let node = stack.pop().unwrap();
                let parent = stack.last_mut().expect("an end tag without a start");
                parent.text.push_str(&node.text);
                parent.children.push(node);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity &{other};"),
                    },
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().unwrap()
}

fn read(site: &Site, rel: &str) -> String {
    fs::read_to_string(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The entries of an Atom feed: the URL of each (its `alternate` link, made relative) with all
/// that it says.
fn atom_entries(site: &Site, rel: &str) -> Vec<(String, String)> {
    let feed = parse_xml(&read(site, rel));
    assert_eq!(feed.all("feed").len(), 1, "{rel} is not an Atom feed");
    feed.all("entry")
        .into_iter()
        .map(|e| {
            let link = e
                .all("link")
                .into_iter()
                .find(|l| l.attr("rel").unwrap_or("alternate") == "alternate")
                .and_then(|l| l.attr("href"))
                .unwrap_or_else(|| panic!("an entry of {rel} without a link"));
            (relative(link), e.everything())
        })
        .collect()
}

fn rss_items(site: &Site) -> Vec<(String, String)> {
    let rss = parse_xml(&read(site, "rss.xml"));
    assert_eq!(rss.all("channel").len(), 1, "rss.xml is not RSS");
    rss.all("item")
        .into_iter()
        .map(|i| {
            let link = i.all("link").first().map(|l| l.text.trim().to_string());
            (
                relative(&link.expect("an item without a link")),
                i.everything(),
            )
        })
        .collect()
}

fn json_items(site: &Site) -> Vec<(String, String)> {
    let feed: serde_json::Value = serde_json::from_str(&read(site, "feed.json")).unwrap();
    feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let url = i["url"].as_str().expect("an item without a url");
            (relative(url), i.to_string().to_lowercase())
        })
        .collect()
}

fn search_entries(site: &Site) -> Vec<(String, String)> {
    let index: serde_json::Value = serde_json::from_str(&read(site, "search-index.json")).unwrap();
    index
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            let url = e["u"].as_str().expect("an entry without a url");
            (url.to_string(), e.to_string().to_lowercase())
        })
        .collect()
}

fn sitemap(site: &Site) -> Vec<String> {
    parse_xml(&read(site, "sitemap.xml"))
        .all("loc")
        .into_iter()
        .map(|l| relative(l.text.trim()))
        .collect()
}

fn relative(url: &str) -> String {
    url.strip_prefix(BASE).unwrap_or(url).to_string()
}

/// Every place of the output that publishes the post at `url`.
fn published_in(site: &Site, url: &str) -> Vec<&'static str> {
    let has = |list: Vec<(String, String)>| list.iter().any(|(u, _)| u == url);
    let mut places = Vec::new();
    if site.has(&format!("{}index.html", &url[1..])) {
        places.push("page");
    }
    if has(atom_entries(site, "atom.xml")) {
        places.push("atom.xml");
    }
    if has(rss_items(site)) {
        places.push("rss.xml");
    }
    if has(json_items(site)) {
        places.push("feed.json");
    }
    if has(atom_entries(site, "series/hiver/atom.xml")) {
        places.push("series/hiver/atom.xml");
    }
    if has(search_entries(site)) {
        places.push("search-index.json");
    }
    if sitemap(site).iter().any(|u| u == url) {
        places.push("sitemap.xml");
    }
    places
}

const EVERYWHERE: &[&str] = &[
    "page",
    "atom.xml",
    "rss.xml",
    "feed.json",
    "series/hiver/atom.xml",
    "search-index.json",
    "sitemap.xml",
];

/// The canaries of the third part found in the feeds and the search index, parsed.
fn canaries_in_feeds(site: &Site) -> Vec<String> {
    let mut found = Vec::new();
    let lists = [
        ("atom.xml", atom_entries(site, "atom.xml")),
        (
            "series/hiver/atom.xml",
            atom_entries(site, "series/hiver/atom.xml"),
        ),
        ("rss.xml", rss_items(site)),
        ("feed.json", json_items(site)),
        ("search-index.json", search_entries(site)),
    ];
    for (name, entries) in lists {
        for (url, all) in entries {
            for c in CANARIES {
                if all.contains(c) {
                    found.push(format!("{name}: {url}: {c}"));
                }
            }
        }
    }
    found
}

/// The output files that contain a canary of the third part, anywhere.
fn canaries_in_output(site: &Site) -> Vec<String> {
    files(&site.public())
        .into_iter()
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            CANARIES.iter().any(|c| text.contains(c))
        })
        .map(|(path, _)| path.display().to_string())
        .collect()
}

// ---------------------------------------------------------------- a part and its series

#[test]
fn a_part_says_which_part_of_how_many_it_is() {
    let site = built("conte", EPOCH);
    for (page, label) in [
        ("contes/premiere-nuit/index.html", "Partie 1 sur 4"),
        ("contes/deuxieme-nuit/index.html", "Partie 2 sur 4"),
        ("breves/duo-b/index.html", "Partie 2 sur 2"),
    ] {
        let doc = site.page(page);
        assert_eq!(ntexts(&doc, "main .series-label"), [label], "{page}");
    }
    let doc = site.page("contes/deuxieme-nuit/index.html");
    assert_eq!(ntexts(&doc, "main .series-name"), ["Conte d'hiver"]);
    assert_eq!(
        attrs(&doc, "main .series-name a", "href"),
        ["/series/hiver/"]
    );

    let english = built("anglais", EPOCH);
    let doc = english.page("tales/a-middle/index.html");
    assert_eq!(ntexts(&doc, "main .series-label"), ["Part 2 of 3"]);
}

#[test]
fn previous_and_next_lead_to_the_published_parts() {
    let site = built("conte", EPOCH);
    let first = site.page("contes/premiere-nuit/index.html");
    assert_eq!(pager(&first, "prev"), Vec::<String>::new());
    assert_eq!(pager(&first, "next"), [PART_2]);
    // Part 3 is announced: part 2 has no next part yet.
    let second = site.page("contes/deuxieme-nuit/index.html");
    assert_eq!(pager(&second, "prev"), [PART_1]);
    assert_eq!(pager(&second, "next"), Vec::<String>::new());
    // The pager names the part it leads to.
    assert!(
        ntexts(&second, "main nav.series-pager a[rel=prev]")[0].contains("La première nuit"),
        "{:?}",
        ntexts(&second, "main nav.series-pager")
    );

    let english = built("anglais", EPOCH);
    let middle = english.page("tales/a-middle/index.html");
    assert_eq!(pager(&middle, "prev"), ["/tales/b-first/"]);
    assert_eq!(pager(&middle, "next"), Vec::<String>::new());
}

#[test]
fn every_part_lists_all_parts_with_the_current_one_marked() {
    let site = built("conte", EPOCH);
    for (page, current, links) in [
        (
            "contes/premiere-nuit/index.html",
            0,
            [None, Some(PART_2), None, None],
        ),
        (
            "contes/deuxieme-nuit/index.html",
            1,
            [Some(PART_1), None, None, None],
        ),
    ] {
        let doc = site.page(page);
        let items = parts_list(&doc, "main .series-contents");
        assert_eq!(items.len(), 4, "{page}: {items:?}");
        let titles = [
            "La première nuit",
            "La deuxième nuit",
            "La troisième nuit",
            "Le dernier matin",
        ];
        for (n, (item, title)) in items.iter().zip(titles).enumerate() {
            assert!(
                item.text.starts_with(&format!("Partie {} {title}", n + 1)),
                "{page}: {item:?}"
            );
            assert_eq!(item.current, n == current, "{page}: {item:?}");
        }
        // The current part is marked, and is not a link to itself.
        assert_eq!(hrefs(&items), links, "{page}");
        assert_eq!(attrs(&doc, "main [aria-current]", "aria-current"), ["page"]);
    }
}

#[test]
fn announced_parts_show_title_date_and_outline_without_a_link() {
    let site = built("conte", EPOCH);
    let doc = site.page("contes/deuxieme-nuit/index.html");
    let items = parts_list(&doc, "main .series-contents");
    // Part 3 is written but dated after "now"; part 4 exists only in the series file. The
    // list of parts gives their dates; their outlines are said once, under « À suivre » (issue
    // 25: they were in the banner atop the part too).
    assert_eq!(
        items[2].text,
        "Partie 3 La troisième nuit à paraître le 24 décembre 2036"
    );
    assert_eq!(
        items[3].text,
        "Partie 4 Le dernier matin à paraître le 31 décembre 2036"
    );
    assert_eq!(hrefs(&items[2..]), [None, None]);
    // The end of the previous part announces them too.
    assert_eq!(
        upcoming(&doc),
        [
            "Partie 3 · à paraître le 24 décembre 2036 La troisième nuit \
             Acte un : la lettre recommandée. Acte deux : le coup de téléphone.",
            "Partie 4 · à paraître le 31 décembre 2036 Le dernier matin \
             Le réveil du chat. Le départ du livreur."
        ]
    );
    // Not a link to part 3 anywhere in the site.
    for (path, bytes) in files(&site.public()) {
        if path.extension().is_some_and(|e| e == "html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
            let links = attrs(&doc, "a", "href");
            assert!(
                !links.iter().any(|l| l.contains("troisieme-nuit")),
                "{} links to part 3",
                path.display()
            );
        }
    }

    // In English, with no series file: no outline, an English date.
    let english = built("anglais", EPOCH);
    let doc = english.page("tales/b-first/index.html");
    let items = parts_list(&doc, "main .series-contents");
    assert_eq!(
        items[2].text,
        "Part 3 The last night to be published on December 24, 2036"
    );
    assert_eq!(items[2].href, None);
}

#[test]
fn an_announced_part_publishes_nothing_of_its_body() {
    let site = built("conte", EPOCH);
    assert_eq!(published_in(&site, PART_3), Vec::<&str>::new());
    assert_eq!(canaries_in_feeds(&site), Vec::<String>::new());
    assert_eq!(canaries_in_output(&site), Vec::<String>::new());
    // Its irritant has no page either: no published post has it.
    assert!(!site.has("irritants/zorglubite/index.html"));
    // The published parts are in all of these: the checks above can see a part.
    for part in [PART_1, PART_2] {
        assert_eq!(published_in(&site, part), EVERYWHERE, "{part}");
    }
}

#[test]
fn an_announced_part_is_published_once_now_passes_its_date() {
    let site = Site::fixture("series/conte");

    // One second before midnight, 24 December 2036: still announced.
    rebuild(&site, CHRISTMAS_EVE_2036 - 1);
    assert_eq!(published_in(&site, PART_3), Vec::<&str>::new());
    assert_eq!(
        pager(&site.page("contes/deuxieme-nuit/index.html"), "next"),
        Vec::<String>::new()
    );

    // At midnight: published everywhere, and every other part links to it.
    rebuild(&site, CHRISTMAS_EVE_2036);
    assert_eq!(published_in(&site, PART_3), EVERYWHERE);
    assert!(!canaries_in_feeds(&site).is_empty());
    assert!(!canaries_in_output(&site).is_empty());

    let third = site.page("contes/troisieme-nuit/index.html");
    assert_eq!(ntexts(&third, "main .series-label"), ["Partie 3 sur 4"]);
    assert_eq!(pager(&third, "prev"), [PART_2]);
    assert_eq!(pager(&third, "next"), Vec::<String>::new());
    let items = parts_list(&third, "main .series-contents");
    assert_eq!(hrefs(&items), [Some(PART_1), Some(PART_2), None, None]);
    assert!(items[2].current, "{items:?}");
    assert!(!items[2].text.contains("à paraître"), "{items:?}");
    // Part 4 is still only planned.
    assert_eq!(upcoming(&third).len(), 1);
    assert!(upcoming(&third)[0].starts_with("Partie 4 · à paraître le 31 décembre 2036"));

    let second = site.page("contes/deuxieme-nuit/index.html");
    assert_eq!(pager(&second, "next"), [PART_3]);
    let items = parts_list(&second, "main .series-contents");
    assert_eq!(hrefs(&items), [Some(PART_1), None, Some(PART_3), None]);
    assert!(!items[2].text.contains("à paraître"), "{items:?}");
    assert_eq!(upcoming(&second).len(), 1);

    let first = site.page("contes/premiere-nuit/index.html");
    assert_eq!(pager(&first, "next"), [PART_2]);
    let items = parts_list(&first, "main .series-contents");
    assert_eq!(hrefs(&items), [None, Some(PART_2), Some(PART_3), None]);
    assert_eq!(upcoming(&first).len(), 1);

    let series = site.page("series/hiver/index.html");
    let items = parts_list(&series, "main");
    assert_eq!(
        hrefs(&items),
        [Some(PART_1), Some(PART_2), Some(PART_3), None]
    );
    assert_eq!(
        ntexts(&series, "main .list-meta")[0],
        "4 parties, 3 publiées · Flux Atom"
    );
    assert_eq!(
        atom_entries(&site, "series/hiver/atom.xml")
            .into_iter()
            .map(|(u, _)| u)
            .collect::<Vec<_>>(),
        [PART_3, PART_2, PART_1]
    );

    // In English too, without a series file.
    let english = Site::fixture("series/anglais");
    rebuild(&english, CHRISTMAS_EVE_2036);
    let middle = english.page("tales/a-middle/index.html");
    assert_eq!(pager(&middle, "next"), ["/tales/c-last/"]);
    let last = english.page("tales/c-last/index.html");
    assert_eq!(ntexts(&last, "main .series-label"), ["Part 3 of 3"]);
}

#[test]
fn a_series_without_a_file_is_named_after_its_first_part_and_counts_to_its_highest() {
    // The files of `anglais` are not in part order: part 1 is the second file.
    let site = built("anglais", EPOCH);
    let doc = site.page("tales/a-middle/index.html");
    assert_eq!(ntexts(&doc, "main .series-name"), ["A winter tale"]);
    // Three parts: the highest, even though only two are published.
    assert_eq!(ntexts(&doc, "main .series-label"), ["Part 2 of 3"]);
    assert_eq!(parts_list(&doc, "main .series-contents").len(), 3);
    let series = site.page("series/winter-tale/index.html");
    assert_eq!(ntexts(&series, "main h1"), ["A winter tale"]);
    assert_eq!(
        ntexts(&series, "main .list-meta")[0],
        "3 parts, 2 published · Atom feed"
    );

    let french = built("conte", EPOCH);
    let doc = french.page("breves/duo-b/index.html");
    assert_eq!(ntexts(&doc, "main .series-name"), ["Duo, le début"]);
    assert_eq!(ntexts(&doc, "main .series-label"), ["Partie 2 sur 2"]);
}

#[test]
fn a_series_file_without_parts_counts_to_the_highest_part() {
    let site = Site::fixture("series/anglais");
    site.write(
        "content/series/winter-tale.md",
        "---\ntitle: \"Winter\"\nplanned:\n  - part: 5\n    date: 2037-01-07\n    title: \"Epilogue\"\n---\n",
    );
    rebuild(&site, EPOCH);
    let doc = site.page("tales/a-middle/index.html");
    assert_eq!(ntexts(&doc, "main .series-name"), ["Winter"]);
    assert_eq!(ntexts(&doc, "main .series-label"), ["Part 2 of 5"]);
    let items = parts_list(&doc, "main .series-contents");
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(
        items[3].text,
        "Part 5 Epilogue to be published on January 7, 2037"
    );
}

// ---------------------------------------------------------------- series pages and feeds

#[test]
fn a_series_page_shows_its_parts_with_summaries_and_dates() {
    let site = built("conte", EPOCH);
    let doc = site.page("series/hiver/index.html");
    assert_eq!(ntexts(&doc, "main h1"), ["Conte d'hiver"]);
    assert_eq!(
        ntexts(&doc, "main .series-description"),
        ["Un conte en quatre nuits, publié chaque mercredi."]
    );
    assert_eq!(
        ntexts(&doc, "main .list-meta")[0],
        "4 parties, 2 publiées · Flux Atom"
    );
    let items = parts_list(&doc, "main");
    assert_eq!(
        items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(),
        [
            "Partie 1 La première nuit 10 décembre 2025 Le colis part en voyage.",
            "Partie 2 La deuxième nuit 17 décembre 2025 L'avis de passage mensonger.",
            "Partie 3 La troisième nuit à paraître le 24 décembre 2036 \
             Acte un : la lettre recommandée. Acte deux : le coup de téléphone.",
            "Partie 4 Le dernier matin à paraître le 31 décembre 2036 \
             Le réveil du chat. Le départ du livreur.",
        ]
    );
    assert_eq!(hrefs(&items), [Some(PART_1), Some(PART_2), None, None]);
    assert!(!items.iter().any(|i| i.current), "{items:?}");
    assert_eq!(
        attrs(&doc, "main time", "datetime"),
        ["2025-12-10", "2025-12-17"]
    );
    assert_eq!(
        attrs(
            &doc,
            "head link[rel=alternate][type='application/atom+xml']",
            "href"
        )
        .last()
        .map(String::as_str),
        Some("/series/hiver/atom.xml")
    );
}

#[test]
fn the_series_index_lists_every_series() {
    let site = built("conte", EPOCH);
    let doc = site.page("series/index.html");
    let mut links = attrs(&doc, "main h2 a", "href");
    links.sort();
    assert_eq!(links, ["/series/duo/", "/series/hiver/"]);
    let mut titles = ntexts(&doc, "main h2");
    titles.sort();
    assert_eq!(titles, ["Conte d'hiver", "Duo, le début"]);
    // Every page links to the index.
    let home = site.page("index.html");
    assert!(attrs(&home, "header a", "href").contains(&"/series/".to_string()));
}

#[test]
fn each_series_has_an_atom_feed_of_its_published_parts() {
    let site = built("conte", EPOCH);
    let urls = |rel: &str| -> Vec<String> {
        atom_entries(&site, rel)
            .into_iter()
            .map(|(u, _)| u)
            .collect()
    };
    assert_eq!(urls("series/hiver/atom.xml"), [PART_2, PART_1]);
    assert_eq!(
        urls("series/duo/atom.xml"),
        ["/breves/duo-b/", "/breves/duo-a/"]
    );
    let feed = parse_xml(&read(&site, "series/hiver/atom.xml"));
    let title = feed.all("title").first().map(|t| norm(&t.text));
    assert_eq!(title.as_deref(), Some("Séries d'essai — Conte d'hiver"));
    let links: Vec<(&str, &str)> = feed
        .all("link")
        .into_iter()
        .take(2)
        .map(|l| (l.attr("rel").unwrap(), l.attr("href").unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("self", "https://chronique.test/series/hiver/atom.xml"),
            ("alternate", "https://chronique.test/series/hiver/")
        ]
    );
}

#[test]
fn lists_say_which_part_of_which_series_a_post_is() {
    let site = built("conte", EPOCH);
    let hiver_2 = "Conte d'hiver — partie 2/4";
    let hiver_1 = "Conte d'hiver — partie 1/4";
    let expected = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        series_markers(&site.page("index.html")),
        expected(&[
            ("Hors série", ""),
            ("La deuxième nuit", hiver_2),
            ("La première nuit", hiver_1),
            ("Duo, la fin", "Duo, le début — partie 2/2"),
            ("Duo, le début", "Duo, le début — partie 1/2"),
        ])
    );
    assert_eq!(
        series_markers(&site.page("contes/index.html")),
        expected(&[("La deuxième nuit", hiver_2), ("La première nuit", hiver_1)])
    );
    assert_eq!(
        series_markers(&site.page("irritants/livraison-tardive/index.html")),
        expected(&[
            ("Hors série", ""),
            ("La deuxième nuit", hiver_2),
            ("La première nuit", hiver_1),
        ])
    );
    let home = site.page("index.html");
    let mut links = attrs(&home, "main .post-series", "href");
    links.dedup();
    assert_eq!(links, ["/series/hiver/", "/series/duo/"]);
}

// ---------------------------------------------------------------- numbering

#[test]
fn numbering_warnings_name_their_files_and_lines_and_do_not_fail() {
    let site = Site::fixture("series/avertissements");
    for command in ["build", "check"] {
        let run = site.run(&[command, "--root", site.root.to_str().unwrap()]);
        run.success();
        for line in [
            "warning: content/series/decale.md:6:11: part 2 is planned for 2025-12-20 here, \
             but content/contes/decale-2.md is dated 2025-12-17",
            "warning: content/contes/trou-3.md:5:7: series \"trou\" has no part 2: \
             it is neither published nor planned",
        ] {
            assert!(run.stderr.contains(line), "{command}: lacks {line}\n{run}");
        }
        assert_eq!(
            run.stderr.matches("warning: ").count(),
            2,
            "{command}\n{run}"
        );
    }
    // The post's date wins over the planned one.
    let doc = site.page("series/decale/index.html");
    let items = parts_list(&doc, "main");
    assert_eq!(
        items[1].text,
        "Partie 2 Décalé, deux 17 décembre 2025 Texte."
    );
}

#[test]
fn a_scheduled_post_claiming_a_published_part_is_an_error() {
    let site = Site::fixture("series/conte");
    site.write(
        "content/contes/doublon.md",
        "---\ntitle: \"Doublon\"\ndate: 2036-12-31\nseries: hiver\npart: 2\n---\nTexte.\n",
    );
    let run = site.build(&[]);
    run.failure();
    assert!(
        run.stderr.contains(
            "error: content/contes/doublon.md:5:7: two posts claim part 2 of series \"hiver\": \
             content/contes/deuxieme-nuit.md and content/contes/doublon.md"
        ),
        "{run}"
    );
    assert!(!site.public().exists());
}

#[test]
fn the_series_error_cases_exist() {
    for case in [
        "series_duplicate_part",
        "series_part_without_series",
        "series_without_part",
        "series_part_zero",
        "series_part_above_total",
        "series_planned_above_total",
        "series_planned_twice",
    ] {
        let dir = fixtures().join("errors").join(case);
        assert!(dir.join("expected.txt").is_file(), "no case {case}");
    }
}

// ---------------------------------------------------------------- the example column

/// The example column (the repository's own `content/`) built at `epoch` into a temporary folder.
fn example_column(epoch: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = run_in(
        root,
        &[("SOURCE_DATE_EPOCH", &epoch.to_string())],
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output-dir",
            public.to_str().unwrap(),
        ],
    );
    run.success();
    // The example column is published nowhere: its base_url is a placeholder, and says so.
    let warnings: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: site.toml:4:13: base_url \"https://chronique.example.fr/\" is a placeholder: chronique.example.fr is not where the site is published, yet the canonical links, og:url, the sitemap and the feeds would point there"
        ],
        "{run}"
    );
    (out, public)
}

#[test]
fn the_example_tale_links_its_parts_and_announces_the_third() {
    let (_out, public) = example_column(EPOCH);
    let page = |rel: &str| {
        let path = public.join(rel).join("index.html");
        Html::parse_document(
            &fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
    };
    let one = "/contes/conte-de-noel-1/";
    let two = "/contes/conte-de-noel-2/";

    let first = page("contes/conte-de-noel-1");
    assert_eq!(ntexts(&first, "main .series-label"), ["Partie 1 sur 3"]);
    assert_eq!(
        hrefs(&parts_list(&first, "main .series-contents")),
        [None, Some(two), None]
    );
    assert_eq!(pager(&first, "prev"), Vec::<String>::new());
    assert_eq!(pager(&first, "next"), [two]);

    let second = page("contes/conte-de-noel-2");
    assert_eq!(ntexts(&second, "main .series-label"), ["Partie 2 sur 3"]);
    assert_eq!(
        hrefs(&parts_list(&second, "main .series-contents")),
        [Some(one), None, None]
    );
    assert_eq!(pager(&second, "prev"), [one]);
    assert_eq!(pager(&second, "next"), Vec::<String>::new());

    let series = page("series/conte-de-noel");
    assert_eq!(
        hrefs(&parts_list(&series, "main")),
        [Some(one), Some(two), None]
    );

    // The third part is announced with its French date on every page of the tale, with its
    // outline on the series page and under « À suivre » at the end of the parts.
    for doc in [&first, &second, &series] {
        let items = parts_list(doc, "main");
        let third = &items[2].text;
        assert!(third.starts_with("Partie 3 Conte de Noël (3/3)"), "{third}");
        assert!(third.contains("à paraître le 24 décembre 2036"), "{third}");
    }
    assert!(
        parts_list(&series, "main")[2]
            .text
            .contains("une voix humaine")
    );
    for doc in [&first, &second] {
        let next = &upcoming(doc)[0];
        assert!(
            next.starts_with("Partie 3 · à paraître le 24 décembre 2036"),
            "{next}"
        );
        assert!(next.contains("une voix humaine"), "{next}");
    }
    // The banner atop a part is one line: no list of parts, no outline (issue 25).
    for (doc, label) in [(&first, "Partie 1 sur 3"), (&second, "Partie 2 sur 3")] {
        assert_eq!(
            ntexts(doc, "main .series-banner"),
            [format!("{label} Conte de Noël")]
        );
        assert!(doc.select(&sel("main .series-banner li")).next().is_none());
    }

    // No page of it, and nothing of its body ("Samia" is only in it) anywhere.
    assert!(!public.join("contes/conte-de-noel-3").exists());
    for (path, bytes) in files(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Samia"),
            "{} has the body of part 3",
            path.display()
        );
    }
}

/// Issue 21: a part announced for a date that has passed, and still not written, says so
/// (« annoncée pour le … », not « à paraître ») and the build warns about it.
#[test]
fn an_announced_part_whose_date_has_passed_says_so_and_warns() {
    let site = Site::fixture("series/conte");
    // 2037-01-02: part 3 is out, part 4 was announced for 2036-12-31 and is not written.
    let run = site.build_at(CHRISTMAS_EVE_2036 + 9 * 86_400, &[]);
    run.success();
    assert!(
        run.stderr
            .contains("part 4 of the series \"hiver\" was announced for 2036-12-31, which has passed, and no post publishes it"),
        "{run}"
    );
    let doc = site.page("contes/troisieme-nuit/index.html");
    let items = parts_list(&doc, "main .series-contents");
    assert_eq!(
        items[3].text,
        "Partie 4 Le dernier matin annoncée pour le 31 décembre 2036"
    );
    let series = site.page("series/hiver/index.html");
    assert_eq!(
        parts_list(&series, "main")[3].text,
        "Partie 4 Le dernier matin annoncée pour le 31 décembre 2036 \
         Le réveil du chat. Le départ du livreur."
    );
}

/// Issue 21: with `--drafts`, a part shown only as a preview is not counted as published.
#[test]
fn a_preview_part_is_not_counted_as_published() {
    let site = Site::fixture("series/conte");
    site.build_at(EPOCH, &[]).success();
    let count = |site: &Site| ntexts(&site.page("series/hiver/index.html"), ".list-meta");
    let published = count(&site);
    assert!(published[0].contains("2 publiées"), "{published:?}");
    site.build_at(EPOCH, &["--drafts"]).success();
    assert_eq!(count(&site), published, "part 3, a preview, is not out");
}
