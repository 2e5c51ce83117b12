//! What readers and their tools get (issue 5): author pages, related posts, feeds, the
//! sitemap, alias redirects, sharing metadata and the search index.
//!
//! Two fixture sites under `tests/fixtures/readers/`: `column` (three authors, one without a
//! post; a series; aliases; a draft and a scheduled post that must never leak) and `related`
//! (posts whose shared series, themes, tags and dates make the related-post ranking visible).
//! The example column at the root of the repository is built too, for its sitemap. Feeds are
//! parsed as XML (roxmltree) or JSON (serde_json), never grepped. Error cases (unknown author,
//! bad author file, alias collisions) are fixtures under `tests/fixtures/errors/`, run by
//! `tests/errors.rs`.
//!
//! Text is compared through [`norm`], so that French typography (non-breaking spaces before
//! `; : ! ?` and inside « », curly apostrophes) does not break the assertions.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{EPOCH, Site, attrs, files, norm, run_in, sel, texts};
use scraper::Html;
use serde_json::Value;

const ORIGIN: &str = "https://chronique.test";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

fn norms(v: Vec<String>) -> Vec<String> {
    v.iter().map(|s| norm(s)).collect()
}

fn column() -> Site {
    let site = Site::fixture("readers/column");
    site.build(&[]).success();
    site
}

fn related_site() -> Site {
    let site = Site::fixture("readers/related");
    site.build(&[]).success();
    site
}

/// The `content` attribute of `<meta property=…>` or `<meta name=…>`.
fn meta(doc: &Html, key: &str) -> Vec<String> {
    let mut v = attrs(doc, &format!("meta[property=\"{key}\"]"), "content");
    v.extend(attrs(doc, &format!("meta[name=\"{key}\"]"), "content"));
    norms(v)
}

/// Every HTML page of an output folder as (path relative to it, text).
fn html_pages(public: &Path) -> Vec<(String, String)> {
    files(public)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| {
            (
                p.to_string_lossy().replace('\\', "/"),
                String::from_utf8(bytes).unwrap(),
            )
        })
        .collect()
}

/// Whether a page is an alias's redirect page.
fn is_redirect(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"")
}

/// The public URL of an output file: `a/b/index.html` → `<origin>/a/b/`.
fn url_of(origin: &str, rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("{origin}/{dir}"),
        None => format!("{origin}/{rel}"),
    }
}

// ---------------------------------------------------------------- XML feeds

#[derive(Debug)]
struct AtomEntry {
    title: String,
    link: String,
    id: String,
    published: String,
    updated: String,
    /// (name, uri)
    authors: Vec<(String, String)>,
    categories: Vec<String>,
    summary: Option<String>,
    /// (type, text)
    content: Option<(String, String)>,
}

#[derive(Debug)]
struct AtomFeed {
    lang: String,
    title: String,
    self_link: String,
    alternate: String,
    id: String,
    updated: String,
    entries: Vec<AtomEntry>,
}

fn xml_doc(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The child elements `name` of `node` in namespace `ns` (`""` for none).
fn kids<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    ns: &str,
    name: &str,
) -> Vec<roxmltree::Node<'a, 'i>> {
    let ns = Some(ns).filter(|n| !n.is_empty());
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == ns)
        .collect()
}

fn kid_text(node: roxmltree::Node<'_, '_>, ns: &str, name: &str) -> String {
    let found = kids(node, ns, name);
    assert_eq!(
        found.len(),
        1,
        "expected one <{name}> in <{}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or("").to_string()
}

fn link(node: roxmltree::Node<'_, '_>, rel: &str) -> String {
    let links: Vec<String> = kids(node, ATOM, "link")
        .into_iter()
        .filter(|l| l.attribute("rel").unwrap_or("alternate") == rel)
        .map(|l| l.attribute("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(links.len(), 1, "expected one link rel={rel}: {links:?}");
    links[0].clone()
}

/// An Atom feed of the output, parsed.
fn atom(site: &Site, rel: &str) -> AtomFeed {
    let text = site.page_text(rel);
    let doc = xml_doc(&text);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed", "{rel}");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{rel}");
    let entries = kids(feed, ATOM, "entry")
        .into_iter()
        .map(|e| AtomEntry {
            title: norm(&kid_text(e, ATOM, "title")),
            link: link(e, "alternate"),
            id: kid_text(e, ATOM, "id"),
            published: kid_text(e, ATOM, "published"),
            updated: kid_text(e, ATOM, "updated"),
            authors: kids(e, ATOM, "author")
                .into_iter()
                .map(|a| (norm(&kid_text(a, ATOM, "name")), kid_text(a, ATOM, "uri")))
                .collect(),
            categories: kids(e, ATOM, "category")
                .into_iter()
                .map(|c| c.attribute("term").unwrap_or("").to_string())
                .collect(),
            summary: kids(e, ATOM, "summary")
                .first()
                .map(|s| norm(s.text().unwrap_or(""))),
            content: kids(e, ATOM, "content").first().map(|c| {
                (
                    c.attribute("type").unwrap_or("text").to_string(),
                    c.text().unwrap_or("").to_string(),
                )
            }),
        })
        .collect();
    AtomFeed {
        lang: feed
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
            .unwrap_or("")
            .to_string(),
        title: norm(&kid_text(feed, ATOM, "title")),
        self_link: link(feed, "self"),
        alternate: link(feed, "alternate"),
        id: kid_text(feed, ATOM, "id"),
        updated: kid_text(feed, ATOM, "updated"),
        entries,
    }
}

fn titles(feed: &AtomFeed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.title.as_str()).collect()
}

/// Root-relative `href` or `src` left in HTML meant for readers outside the site.
fn relative_urls(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut found = attrs(&doc, "[href]", "href");
    found.extend(attrs(&doc, "[src]", "src"));
    found.into_iter().filter(|u| u.starts_with('/')).collect()
}

// ---------------------------------------------------------------- authors

#[test]
fn author_page_shows_bio_role_avatar_links_and_posts_newest_first() {
    let site = column();
    let page = site.page("auteurs/alice-martin/index.html");
    assert_eq!(norms(texts(&page, "main h1")), ["Alice Martin"]);
    assert_eq!(norms(texts(&page, "main .author-role")), ["Chroniqueuse"]);
    assert_eq!(
        attrs(&page, "main img.author-avatar", "src"),
        ["/img/alice.png"]
    );
    // The bio is the file's Markdown body, rendered.
    let bio = norms(texts(&page, "main .author-bio p"));
    assert_eq!(
        bio,
        [
            "Alice écrit sur l'attente et les remboursements.",
            "Elle répond à tous les courriels."
        ]
    );
    assert_eq!(texts(&page, "main .author-bio strong"), ["écrit"]);
    // Contact links, usable as they are: the bare e-mail address became a mailto: link.
    assert_eq!(
        attrs(&page, "main .author-links a", "href"),
        [
            "mailto:alice@exemple.fr",
            "https://mastodon.exemple/@alice",
            "https://alice.exemple.fr/"
        ]
    );
    // Her posts, newest first, two per page (paginate_by = 2); not the scheduled part 2.
    assert_eq!(
        attrs(&page, "main .post-summary-title a", "href"),
        ["/contes/feuilleton-1/", "/articles/analyse/"]
    );
    let second = site.page("auteurs/alice-martin/page/2/index.html");
    assert_eq!(
        attrs(&second, "main .post-summary-title a", "href"),
        ["/breves/echeance/"]
    );
    assert!(!site.has("auteurs/alice-martin/page/3/index.html"));
    // Her own Atom feed, linked on the page and advertised in its head.
    assert!(
        attrs(&page, "main a.feed-link", "href").contains(&"/auteurs/alice-martin/atom.xml".into())
    );
    assert!(
        attrs(
            &page,
            "head link[rel=alternate][type=\"application/atom+xml\"]",
            "href"
        )
        .contains(&"/auteurs/alice-martin/atom.xml".into())
    );
}

#[test]
fn authors_index_lists_every_author_with_their_post_count() {
    let site = column();
    let page = site.page("auteurs/index.html");
    assert_eq!(
        norms(texts(&page, "main .author-index h2")),
        ["Alice Martin", "Bruno Petit", "Zoé Sansbillet"]
    );
    assert_eq!(
        attrs(&page, "main .author-index h2 a", "href"),
        [
            "/auteurs/alice-martin/",
            "/auteurs/bruno-petit/",
            "/auteurs/zoe-sansbillet/"
        ]
    );
    // Bruno's draft does not count; Alice's scheduled part 2 neither.
    assert_eq!(
        norms(texts(&page, "main .author-index .index-meta")),
        ["3 billets", "2 billets", "0 billets"]
    );
}

#[test]
fn an_author_without_posts_still_has_a_page_and_a_feed() {
    let site = column();
    let page = site.page("auteurs/zoe-sansbillet/index.html");
    assert_eq!(norms(texts(&page, "main h1")), ["Zoé Sansbillet"]);
    assert_eq!(norms(texts(&page, "main .author-role")), ["Invitée"]);
    assert_eq!(
        norms(texts(&page, "main .author-bio p")),
        ["Zoé n'a encore rien publié."]
    );
    assert_eq!(texts(&page, "main .post-summary").len(), 0);
    assert_eq!(texts(&page, "main .no-posts").len(), 1);
    let feed = atom(&site, "auteurs/zoe-sansbillet/atom.xml");
    assert!(feed.entries.is_empty(), "{feed:?}");
    assert_eq!(feed.alternate, format!("{ORIGIN}/auteurs/zoe-sansbillet/"));
}

/// A post names its authors in its byline, each linked to their page, where their role, bio and
/// links are: since issue 25's weight budget a post no longer repeats them in a box.
#[test]
fn posts_have_a_byline_that_links_to_their_authors_pages() {
    let site = column();
    let page = site.page("articles/analyse/index.html");
    assert_eq!(
        norms(texts(&page, "main .byline-authors")),
        ["Par Alice Martin et Bruno Petit"]
    );
    assert_eq!(
        attrs(&page, "main .byline-authors a", "href"),
        ["/auteurs/alice-martin/", "/auteurs/bruno-petit/"]
    );
    for gone in [
        ".author-box",
        ".author-bio",
        ".author-role",
        ".author-links",
    ] {
        assert!(texts(&page, &format!("main {gone}")).is_empty(), "{gone}");
    }
    let author = site.page("auteurs/bruno-petit/index.html");
    assert_eq!(
        norms(texts(&author, "main .author-bio")),
        ["Bruno compte les minutes passées au téléphone."]
    );
    // A post nobody signs has no byline name.
    let anonymous = site.page("articles/anonyme/index.html");
    assert!(texts(&anonymous, "main .byline-authors").is_empty());
}

#[test]
fn copyright_line_names_the_authors_and_years_of_the_published_posts() {
    let site = column();
    // Zoé has published nothing; the draft (2025) and the scheduled part (2026) do not count.
    for page in [
        "index.html",
        "auteurs/zoe-sansbillet/index.html",
        "breves/echeance/index.html",
    ] {
        assert_eq!(
            norms(texts(&site.page(page), "footer .copyright")),
            ["© Alice Martin et Bruno Petit 2024–2025"],
            "{page}"
        );
    }
}

// ---------------------------------------------------------------- related posts

/// The related posts at the end of a post, as slugs.
fn related(site: &Site, slug: &str) -> Vec<String> {
    attrs(
        &site.page(&format!("breves/{slug}/index.html")),
        "main .related h3 a",
        "href",
    )
    .into_iter()
    .map(|h| {
        h.trim_start_matches("/breves/")
            .trim_end_matches('/')
            .to_string()
    })
    .collect()
}

#[test]
fn related_posts_rank_series_then_themes_then_tags_then_date() {
    let site = related_site();
    // x-cible is part 2 of a series, with themes Remboursement + Attente, tags banque +
    // assurance: the other part first though it shares nothing else; then the post with both
    // themes (years away); then one theme and two tags; then one theme and one tag, the one two
    // days away before the one a year away (cut by related_posts = 4). Tags alone come last;
    // the draft and the scheduled post, which share everything, never.
    assert_eq!(
        related(&site, "x-cible"),
        [
            "s-serie",
            "a-deux-themes",
            "b-un-theme-deux-etiquettes",
            "c-proche"
        ]
    );
    // No series here: one shared theme beats two shared tags.
    assert_eq!(
        related(&site, "b-un-theme-deux-etiquettes"),
        ["x-cible", "a-deux-themes", "e-etiquettes", "c-proche"]
    );
    // A post sharing nothing is never related, even on the same day.
    assert_eq!(related(&site, "f-rien"), ["s-serie"]);
}

/// Issue 25's budget: a related post's summary of one paragraph is that paragraph (no div around
/// it); one of several paragraphs keeps them, in a div.
#[test]
fn a_related_summary_is_its_paragraph_or_a_div_of_several() {
    let site = Site::fixture("readers/related");
    site.write(
        "content/breves/l-veille.md",
        "---\ntitle: \"La veille\"\ndate: 2023-03-01\nkind: breve\nirritants: [\"Résiliation\"]\n---\nUn.\n\nDeux.\n\n<!-- more -->\n\nTrois.\n",
    );
    site.build(&[]).success();
    let page = site.page_text("breves/m-milieu/index.html");
    assert!(
        page.contains("<div class=related-summary><p>Un.</p>\n<p>Deux.</p></div>"),
        "{page}"
    );
    assert!(
        page.contains("<p class=related-summary>Résumé de Six mois plus tard.</p>"),
        "{page}"
    );
}

#[test]
fn related_posts_closer_in_time_come_first() {
    let site = related_site();
    // Both neighbours in the list share the theme; the day before beats six months after.
    assert_eq!(related(&site, "m-milieu"), ["l-veille", "n-tard"]);
    assert_eq!(related(&site, "l-veille"), ["m-milieu", "n-tard"]);
}

#[test]
fn related_posts_show_summaries_and_never_the_post_itself_or_unpublished_ones() {
    let site = related_site();
    let slugs = [
        "x-cible",
        "s-serie",
        "a-deux-themes",
        "b-un-theme-deux-etiquettes",
        "c-proche",
        "d-lointain",
        "e-etiquettes",
        "f-rien",
        "l-veille",
        "m-milieu",
        "n-tard",
    ];
    assert!(!site.has("breves/g-brouillon/index.html"));
    assert!(!site.has("breves/h-programme/index.html"));
    for slug in slugs {
        let list = related(&site, slug);
        assert!(list.len() <= 4, "{slug}: {list:?}");
        assert!(!list.contains(&slug.to_string()), "{slug}: {list:?}");
        for bad in ["g-brouillon", "h-programme"] {
            assert!(!list.contains(&bad.to_string()), "{slug}: {list:?}");
        }
        let page = site.page(&format!("breves/{slug}/index.html"));
        let titles = norms(texts(&page, "main .related h3"));
        let summaries = norms(texts(&page, "main .related .related-summary"));
        assert_eq!(titles.len(), summaries.len(), "{slug}");
        for (t, s) in titles.iter().zip(&summaries) {
            assert_eq!(s, &format!("Résumé de {t}."), "{slug}");
        }
    }
    assert_eq!(
        norms(texts(
            &site.page("breves/x-cible/index.html"),
            "main .related h2"
        )),
        ["Pour en savoir plus"]
    );
}

#[test]
fn related_posts_are_the_same_on_every_build() {
    let first = related_site();
    let second = related_site();
    for slug in [
        "x-cible",
        "b-un-theme-deux-etiquettes",
        "d-lointain",
        "e-etiquettes",
        "m-milieu",
    ] {
        assert_eq!(related(&first, slug), related(&second, slug), "{slug}");
    }
}

#[test]
fn related_posts_setting_caps_the_list() {
    let site = Site::fixture("readers/related");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        toml.replace("related_posts = 4", "related_posts = 2"),
    );
    site.build(&[]).success();
    assert_eq!(related(&site, "x-cible"), ["s-serie", "a-deux-themes"]);
    site.write(
        "site.toml",
        toml.replace("related_posts = 4", "related_posts = 0"),
    );
    site.build(&[]).success();
    assert!(texts(&site.page("breves/x-cible/index.html"), "main .related").is_empty());
    // Without the setting, four.
    site.write("site.toml", toml.replace("related_posts = 4", ""));
    site.build(&[]).success();
    assert_eq!(related(&site, "x-cible").len(), 4);
}

// ---------------------------------------------------------------- feeds

#[test]
fn site_atom_feed_has_the_newest_posts_in_full_with_absolute_urls_and_authors() {
    let site = column();
    let feed = atom(&site, "atom.xml");
    assert_eq!(feed.lang, "fr");
    assert_eq!(feed.title, "Chronique d'essai");
    assert_eq!(feed.self_link, format!("{ORIGIN}/atom.xml"));
    assert_eq!(feed.alternate, format!("{ORIGIN}/"));
    assert_eq!(feed.id, format!("{ORIGIN}/atom.xml"));
    // feed_limit = 4: the four newest published posts, newest first; the draft, the scheduled
    // part and the fifth post are not there.
    assert_eq!(
        titles(&feed),
        [
            "Le feuilleton (1/2)",
            "Analyse à quatre mains",
            "Billet anonyme",
            "Vingt minutes de musique"
        ]
    );
    // Updated when its entries last were: the article revised after the newest post came out.
    assert_eq!(feed.updated, "2025-11-02T00:00:00Z");

    let analyse = &feed.entries[1];
    assert_eq!(analyse.link, format!("{ORIGIN}/articles/analyse/"));
    assert_eq!(analyse.id, analyse.link);
    assert_eq!(analyse.published, "2025-08-15T08:00:00Z");
    assert_eq!(analyse.updated, "2025-11-02T00:00:00Z");
    assert_eq!(
        analyse.authors,
        [
            (
                "Alice Martin".to_string(),
                format!("{ORIGIN}/auteurs/alice-martin/")
            ),
            (
                "Bruno Petit".to_string(),
                format!("{ORIGIN}/auteurs/bruno-petit/")
            ),
        ]
    );
    assert_eq!(analyse.categories, ["Attente", "Remboursement"]);
    assert_eq!(
        analyse.summary.as_deref(),
        Some("Ce que coûte une attente mal mesurée.")
    );
    // Full content, as HTML, whose links work outside the site.
    let (kind, html) = analyse.content.as_ref().expect("full content");
    assert_eq!(kind, "html");
    let doc = Html::parse_fragment(html);
    assert_eq!(
        attrs(&doc, "a", "href"),
        [
            format!("{ORIGIN}/breves/echeance/"),
            format!("{ORIGIN}/breves/")
        ]
    );
    assert_eq!(
        attrs(&doc, "img", "src"),
        [format!("{ORIGIN}/img/alice.png")]
    );
    assert!(norm(html).contains("Le délai moyen ment"), "{html}");
    for e in &feed.entries {
        let (_, html) = e.content.as_ref().expect("full content");
        assert!(relative_urls(html).is_empty(), "{}: {html}", e.title);
        // Atom wants an author on every entry when the feed has none: the column signs the
        // unsigned post.
        assert!(!e.authors.is_empty(), "{e:?}");
    }
    assert_eq!(
        feed.entries[2].authors,
        [("Chronique d'essai".to_string(), format!("{ORIGIN}/"))]
    );
}

#[test]
fn site_rss_feed_has_the_same_posts_with_dates_authors_and_full_content() {
    let site = column();
    let text = site.page_text("rss.xml");
    let doc = xml_doc(&text);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channels: Vec<_> = rss
        .children()
        .filter(|c| c.has_tag_name("channel"))
        .collect();
    assert_eq!(channels.len(), 1);
    let channel = channels[0];
    assert_eq!(norm(&kid_text(channel, "", "title")), "Chronique d'essai");
    assert_eq!(kid_text(channel, "", "link"), format!("{ORIGIN}/"));
    assert_eq!(kid_text(channel, "", "language"), "fr");
    // The latest modification of its items, not the newest item's date.
    assert_eq!(
        kid_text(channel, "", "lastBuildDate"),
        "Sun, 02 Nov 2025 00:00:00 +0000"
    );
    let self_links: Vec<&str> = kids(channel, ATOM, "link")
        .iter()
        .filter_map(|l| l.attribute("href"))
        .collect();
    assert_eq!(self_links, [format!("{ORIGIN}/rss.xml")]);

    let items = kids(channel, "", "item");
    let item_titles: Vec<String> = items
        .iter()
        .map(|i| norm(&kid_text(*i, "", "title")))
        .collect();
    assert_eq!(
        item_titles,
        [
            "Le feuilleton (1/2)",
            "Analyse à quatre mains",
            "Billet anonyme",
            "Vingt minutes de musique"
        ]
    );
    let analyse = items[1];
    assert_eq!(
        kid_text(analyse, "", "link"),
        format!("{ORIGIN}/articles/analyse/")
    );
    let guid = kids(analyse, "", "guid")[0];
    assert_eq!(
        guid.text(),
        Some(format!("{ORIGIN}/articles/analyse/").as_str())
    );
    assert_eq!(guid.attribute("isPermaLink"), Some("true"));
    assert_eq!(
        kid_text(analyse, "", "pubDate"),
        "Fri, 15 Aug 2025 08:00:00 +0000"
    );
    let creators: Vec<String> = kids(analyse, DC, "creator")
        .iter()
        .map(|c| norm(c.text().unwrap_or("")))
        .collect();
    assert_eq!(creators, ["Alice Martin", "Bruno Petit"]);
    for item in &items {
        let html = kid_text(*item, "", "description");
        assert!(!html.is_empty());
        assert!(relative_urls(&html).is_empty(), "{html}");
    }
    assert!(norm(&kid_text(analyse, "", "description")).contains("Le délai moyen ment"));
}

#[test]
fn json_feed_is_version_1_1_with_the_newest_posts() {
    let site = column();
    let feed: Value = serde_json::from_str(&site.page_text("feed.json")).expect("valid JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(norm(feed["title"].as_str().unwrap()), "Chronique d'essai");
    assert_eq!(feed["home_page_url"], format!("{ORIGIN}/"));
    assert_eq!(feed["feed_url"], format!("{ORIGIN}/feed.json"));
    assert_eq!(feed["language"], "fr");
    let items = feed["items"].as_array().unwrap();
    let urls: Vec<&str> = items.iter().map(|i| i["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://chronique.test/contes/feuilleton-1/",
            "https://chronique.test/articles/analyse/",
            "https://chronique.test/articles/anonyme/",
            "https://chronique.test/breves/attente/"
        ]
    );
    let analyse = &items[1];
    assert_eq!(analyse["id"], analyse["url"]);
    assert_eq!(
        norm(analyse["title"].as_str().unwrap()),
        "Analyse à quatre mains"
    );
    assert_eq!(analyse["date_published"], "2025-08-15T08:00:00Z");
    assert_eq!(analyse["date_modified"], "2025-11-02T00:00:00Z");
    assert_eq!(
        norm(analyse["summary"].as_str().unwrap()),
        "Ce que coûte une attente mal mesurée."
    );
    let names: Vec<&str> = analyse["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alice Martin", "Bruno Petit"]);
    assert_eq!(
        analyse["authors"][0]["url"],
        format!("{ORIGIN}/auteurs/alice-martin/")
    );
    for item in items {
        let html = item["content_html"].as_str().expect("full content");
        assert!(relative_urls(html).is_empty(), "{html}");
    }
}

#[test]
fn term_author_and_series_feeds_list_their_published_posts() {
    let site = column();
    // The draft is in "Remboursement" too, and alone in "Confidentiel".
    let term = atom(&site, "irritants/remboursement/atom.xml");
    assert_eq!(
        titles(&term),
        ["Analyse à quatre mains", "Échéance dépassée"]
    );
    assert_eq!(term.alternate, format!("{ORIGIN}/irritants/remboursement/"));
    assert_eq!(
        term.self_link,
        format!("{ORIGIN}/irritants/remboursement/atom.xml")
    );
    assert!(!site.has("irritants/confidentiel/atom.xml"));

    let author = atom(&site, "auteurs/bruno-petit/atom.xml");
    assert_eq!(
        titles(&author),
        ["Analyse à quatre mains", "Vingt minutes de musique"]
    );
    assert_eq!(author.alternate, format!("{ORIGIN}/auteurs/bruno-petit/"));

    let series = atom(&site, "series/feuilleton/atom.xml");
    assert_eq!(titles(&series), ["Le feuilleton (1/2)"]);
    assert_eq!(series.alternate, format!("{ORIGIN}/series/feuilleton/"));

    // These carry summaries, not full content.
    for feed in [&term, &author, &series] {
        for e in &feed.entries {
            assert!(e.content.is_none(), "{e:?}");
            assert!(e.summary.is_some(), "{e:?}");
        }
    }
}

#[test]
fn every_page_advertises_the_sites_feeds_and_its_own() {
    let site = column();
    for (rel, html) in html_pages(&site.public()) {
        if is_redirect(&html) {
            continue;
        }
        let doc = Html::parse_document(&html);
        let alternates: Vec<(String, String)> = doc
            .select(&sel("head link[rel=alternate]"))
            .map(|l| {
                (
                    l.attr("type").unwrap_or("").to_string(),
                    l.attr("href").unwrap_or("").to_string(),
                )
            })
            .collect();
        for (kind, href) in [
            ("application/atom+xml", "/atom.xml"),
            ("application/rss+xml", "/rss.xml"),
            ("application/feed+json", "/feed.json"),
        ] {
            assert!(
                alternates.contains(&(kind.to_string(), href.to_string())),
                "{rel}: {alternates:?}"
            );
        }
    }
    for (page, own) in [
        (
            "auteurs/bruno-petit/index.html",
            "/auteurs/bruno-petit/atom.xml",
        ),
        (
            "irritants/attente/index.html",
            "/irritants/attente/atom.xml",
        ),
        (
            "series/feuilleton/index.html",
            "/series/feuilleton/atom.xml",
        ),
    ] {
        let hrefs = attrs(&site.page(page), "head link[rel=alternate]", "href");
        assert!(hrefs.contains(&own.to_string()), "{page}: {hrefs:?}");
        assert!(site.has(own.trim_start_matches('/')), "{own}");
    }
}

// ---------------------------------------------------------------- sitemap

/// The `<loc>` → `<lastmod>` of a sitemap.
fn sitemap(text: &str) -> Vec<(String, Option<String>)> {
    let doc = xml_doc(text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP));
    kids(root, SITEMAP, "url")
        .into_iter()
        .map(|u| {
            (
                kid_text(u, SITEMAP, "loc"),
                kids(u, SITEMAP, "lastmod")
                    .first()
                    .map(|m| m.text().unwrap_or("").to_string()),
            )
        })
        .collect()
}

/// The pages a sitemap should list: every HTML page written but the 404 page and the redirects.
fn expected_sitemap(public: &Path, origin: &str) -> BTreeSet<String> {
    html_pages(public)
        .into_iter()
        .filter(|(rel, html)| rel != "404.html" && !is_redirect(html))
        .map(|(rel, _)| url_of(origin, &rel))
        .collect()
}

#[test]
fn sitemap_lists_every_published_page_once_with_its_last_modification() {
    let site = column();
    let entries = sitemap(&site.page_text("sitemap.xml"));
    let locs: Vec<String> = entries.iter().map(|(l, _)| l.clone()).collect();
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "listed twice: {locs:?}");
    assert_eq!(unique, expected_sitemap(&site.public(), ORIGIN));
    // Paginated lists and the search page are pages too.
    for url in [
        "/page/2/",
        "/auteurs/alice-martin/page/2/",
        "/recherche/",
        "/auteurs/zoe-sansbillet/",
    ] {
        assert!(unique.contains(&format!("{ORIGIN}{url}")), "{url}");
    }
    for gone in [
        "brouillon",
        "feuilleton-2",
        "feuilleton-fin",
        "vieux",
        "ancien-billet",
        "404",
    ] {
        assert!(!locs.iter().any(|l| l.contains(gone)), "{gone}: {locs:?}");
    }
    let lastmod = |url: &str| {
        entries
            .iter()
            .find(|(l, _)| l == &format!("{ORIGIN}{url}"))
            .and_then(|(_, m)| m.clone())
    };
    // A post's last modification is its `updated` date, else its date.
    assert_eq!(
        lastmod("/articles/analyse/").as_deref(),
        Some("2025-11-02T00:00:00Z")
    );
    assert_eq!(
        lastmod("/breves/attente/").as_deref(),
        Some("2025-05-01T07:30:00Z")
    );
    // A list's, its most recently modified post's (the draft, dated later, does not count; the
    // article revised on 2 November does, though the newest post is from October).
    assert_eq!(lastmod("/breves/").as_deref(), Some("2025-05-01T07:30:00Z"));
    assert_eq!(lastmod("/").as_deref(), Some("2025-11-02T00:00:00Z"));

    assert_eq!(
        site.page_text("robots.txt")
            .lines()
            .find(|l| l.starts_with("Sitemap:")),
        Some("Sitemap: https://chronique.test/sitemap.xml")
    );
}

#[test]
fn example_column_sitemap_lists_every_published_page_and_nothing_unpublished() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    // At EPOCH (2026-01-01), "Quatorze jours" (2026-03-19) and the third part of the tale
    // (2036-12-24) are scheduled, and "Les frais de dossier" is a draft.
    run_in(
        root,
        &[("SOURCE_DATE_EPOCH", &EPOCH.to_string())],
        &[
            "build",
            "--quiet",
            "--root",
            root.to_str().unwrap(),
            "--output-dir",
            public.to_str().unwrap(),
        ],
    )
    .success();
    let text = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let locs: Vec<String> = sitemap(&text).into_iter().map(|(l, _)| l).collect();
    let listed: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(listed.len(), locs.len(), "listed twice: {locs:?}");
    let origin = "https://chronique.example.fr";
    assert_eq!(listed, expected_sitemap(&public, origin));
    for published in [
        "/breves/musique-attente/",
        "/breves/creneau-du-matin/",
        "/articles/mesurer-attente/",
        "/articles/chatbots-sans-issue/",
        "/decryptages/ca-m-agace-quand-on-promet-de-me-rappeler/",
        "/contes/conte-de-noel-1/",
        "/contes/conte-de-noel-2/",
        "/auteurs/claire-morel/",
        "/series/conte-de-noel/",
        "/recherche/",
    ] {
        assert!(
            listed.contains(&format!("{origin}{published}")),
            "{published}"
        );
    }
    for unpublished in [
        "remboursement-quatorze-jours",
        "frais-de-dossier",
        "conte-de-noel-3",
        // Themes only the unpublished posts have.
        "frais-caches",
        "resiliation",
    ] {
        assert!(
            !locs.iter().any(|l| l.contains(unpublished)),
            "{unpublished}: {locs:?}"
        );
    }
}

// ---------------------------------------------------------------- aliases

#[test]
fn aliases_are_redirect_pages_to_the_new_address() {
    let site = column();
    let target = format!("{ORIGIN}/breves/echeance/");
    for alias in ["vieux/echeance/index.html", "ancien-billet.html"] {
        let page = site.page(alias);
        assert_eq!(
            attrs(&page, "link[rel=canonical]", "href"),
            [target.as_str()],
            "{alias}"
        );
        assert_eq!(
            attrs(&page, "meta[http-equiv=refresh]", "content"),
            [format!("0; url={target}")],
            "{alias}"
        );
        assert_eq!(attrs(&page, "meta[name=robots]", "content"), ["noindex"]);
        assert_eq!(attrs(&page, "body a", "href"), [target.as_str()], "{alias}");
        assert_eq!(norms(texts(&page, "title")), ["Échéance dépassée"]);
    }
    // Unpublished posts redirect nobody.
    assert!(!site.has("brouillon-ancien/index.html"));
    assert!(!site.has("feuilleton-fin/index.html"));
}

// ---------------------------------------------------------------- sharing metadata

#[test]
fn post_pages_carry_open_graph_and_twitter_tags() {
    let site = column();
    let page = site.page("articles/analyse/index.html");
    let url = format!("{ORIGIN}/articles/analyse/");
    assert_eq!(attrs(&page, "link[rel=canonical]", "href"), [url.as_str()]);
    assert_eq!(
        meta(&page, "description"),
        ["Ce que coûte une attente mal mesurée."]
    );
    assert_eq!(meta(&page, "og:type"), ["article"]);
    assert_eq!(meta(&page, "og:url"), [url.as_str()]);
    assert_eq!(meta(&page, "og:title"), ["Analyse à quatre mains"]);
    assert_eq!(
        meta(&page, "og:description"),
        ["Ce que coûte une attente mal mesurée."]
    );
    assert_eq!(meta(&page, "og:site_name"), ["Chronique d'essai"]);
    assert_eq!(meta(&page, "og:locale"), ["fr_FR"]);
    assert_eq!(meta(&page, "og:image"), [format!("{ORIGIN}/img/alice.png")]);
    assert_eq!(meta(&page, "og:image:alt"), ["Un pixel"]);
    assert_eq!(meta(&page, "twitter:card"), ["summary_large_image"]);
    assert_eq!(
        meta(&page, "article:published_time"),
        ["2025-08-15T10:00:00+02:00"]
    );
    assert_eq!(meta(&page, "article:modified_time"), ["2025-11-02"]);
    assert_eq!(
        meta(&page, "article:author"),
        ["Alice Martin", "Bruno Petit"]
    );
    assert_eq!(
        meta(&page, "article:tag"),
        ["Attente", "Remboursement", "banque", "assurance"]
    );

    // Without an image: a small card, no og:image.
    let plain = site.page("breves/attente/index.html");
    assert_eq!(meta(&plain, "twitter:card"), ["summary"]);
    assert!(meta(&plain, "og:image").is_empty());
    assert!(meta(&plain, "article:modified_time").is_empty());
}

/// The JSON-LD of a page, parsed.
fn json_ld(site: &Site, rel: &str) -> Vec<Value> {
    texts(&site.page(rel), "script[type=\"application/ld+json\"]")
        .iter()
        .map(|t| serde_json::from_str(t).unwrap_or_else(|e| panic!("{rel}: {e}: {t}")))
        .collect()
}

#[test]
fn posts_carry_json_ld_blog_postings_with_authors_dates_and_series() {
    let site = column();
    let ld = json_ld(&site, "articles/analyse/index.html");
    assert_eq!(ld.len(), 1);
    let ld = &ld[0];
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(
        norm(ld["headline"].as_str().unwrap()),
        "Analyse à quatre mains"
    );
    assert_eq!(
        norm(ld["description"].as_str().unwrap()),
        "Ce que coûte une attente mal mesurée."
    );
    assert_eq!(ld["url"], format!("{ORIGIN}/articles/analyse/"));
    assert_eq!(ld["datePublished"], "2025-08-15T10:00:00+02:00");
    assert_eq!(ld["dateModified"], "2025-11-02");
    assert_eq!(ld["image"], format!("{ORIGIN}/img/alice.png"));
    assert_eq!(ld["inLanguage"], "fr");
    let authors = ld["author"].as_array().unwrap();
    assert_eq!(authors.len(), 2);
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["name"], "Alice Martin");
    assert_eq!(authors[0]["url"], format!("{ORIGIN}/auteurs/alice-martin/"));
    assert_eq!(authors[1]["name"], "Bruno Petit");
    assert!(ld.get("isPartOf").is_none(), "{ld}");

    let part = &json_ld(&site, "contes/feuilleton-1/index.html")[0];
    assert_eq!(part["@type"], "BlogPosting");
    assert_eq!(part["datePublished"], "2025-10-01");
    assert_eq!(part["dateModified"], "2025-10-01");
    assert_eq!(part["isPartOf"]["@type"], "CreativeWorkSeries");
    assert_eq!(part["isPartOf"]["name"], "Le feuilleton");
    assert_eq!(
        part["isPartOf"]["url"],
        format!("{ORIGIN}/series/feuilleton/")
    );
}

#[test]
fn every_page_has_a_canonical_link_a_description_and_sharing_tags() {
    let site = column();
    for (rel, html) in html_pages(&site.public()) {
        if is_redirect(&html) || rel == "404.html" {
            continue;
        }
        let doc = Html::parse_document(&html);
        let url = url_of(ORIGIN, &rel);
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [url.as_str()],
            "{rel}"
        );
        assert_eq!(meta(&doc, "og:url"), [url.as_str()], "{rel}");
        for key in [
            "description",
            "og:title",
            "og:description",
            "og:type",
            "twitter:card",
        ] {
            let v = meta(&doc, key);
            assert!(v.len() == 1 && !v[0].is_empty(), "{rel}: {key} = {v:?}");
        }
    }
}

// ---------------------------------------------------------------- search

#[test]
fn search_index_holds_every_published_post_with_folded_words() {
    let site = column();
    let index: Value = serde_json::from_str(&site.page_text("search-index.json")).expect("JSON");
    let entries = index.as_array().expect("an array");
    let urls: Vec<&str> = entries.iter().map(|e| e["u"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "/contes/feuilleton-1/",
            "/articles/analyse/",
            "/articles/anonyme/",
            "/breves/attente/",
            "/breves/echeance/"
        ]
    );
    for e in entries {
        let keys: BTreeSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["t", "u", "d", "k", "s", "i", "w"]),
            "{e}"
        );
        let words = e["w"].as_str().unwrap();
        // Folded: lowercase ASCII words, no markup, no unpublished text.
        assert!(
            words
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '),
            "{words}"
        );
        for w in words.split(' ') {
            assert!(
                !["zanzibar", "strong", "em", "href"].contains(&w),
                "{w} in {e}"
            );
        }
        let list: Vec<&str> = words.split(' ').collect();
        let distinct: BTreeSet<&str> = list.iter().copied().collect();
        assert_eq!(distinct.len(), list.len(), "words repeat: {words}");
    }
    let echeance = entries
        .iter()
        .find(|e| e["u"] == "/breves/echeance/")
        .unwrap();
    assert_eq!(norm(echeance["t"].as_str().unwrap()), "Échéance dépassée");
    assert_eq!(
        norm(echeance["s"].as_str().unwrap()),
        "Le remboursement promis n'arrive jamais."
    );
    assert_eq!(echeance["i"], serde_json::json!(["Remboursement"]));
    assert_eq!(echeance["k"], "Brève");
    assert_eq!(norm(echeance["d"].as_str().unwrap()), "15 novembre 2024");
    let words: Vec<&str> = echeance["w"].as_str().unwrap().split(' ').collect();
    // Title, summary, theme and body words, accents folded.
    for w in [
        "echeance",
        "depassee",
        "remboursement",
        "reclamations",
        "passee",
        "longtemps",
        // The end of a list item and the start of the next are two words.
        "rappel",
        "second",
    ] {
        assert!(words.contains(&w), "{w} not in {words:?}");
    }
    assert!(!words.contains(&"rappelsecond"), "{words:?}");
    // The summary is plain text, its Markdown gone.
    let analyse = entries
        .iter()
        .find(|e| e["u"] == "/articles/analyse/")
        .unwrap();
    assert_eq!(
        norm(analyse["s"].as_str().unwrap()),
        "Ce que coûte une attente mal mesurée."
    );
    assert_eq!(
        analyse["i"],
        serde_json::json!(["Attente", "Remboursement"])
    );
}

#[test]
fn search_page_says_it_needs_javascript_and_nothing_else_does() {
    let site = column();
    let page = site.page("recherche/index.html");
    let note = norms(texts(&page, "main .search-note")).join(" ");
    assert!(note.contains("JavaScript"), "{note}");
    assert_eq!(
        attrs(&page, "#search-results", "data-index"),
        ["/search-index.json"]
    );
    assert_eq!(attrs(&page, "form[role=search] input", "name"), ["q"]);
    assert_eq!(attrs(&page, "script[src]", "src"), ["/js/search.js"]);
    assert!(site.has("js/search.js"));
    // The rest of the site runs no script (JSON-LD is data, not a script).
    for (rel, html) in html_pages(&site.public()) {
        if rel == "recherche/index.html" {
            continue;
        }
        let doc = Html::parse_document(&html);
        let scripts: Vec<String> = doc
            .select(&sel("script"))
            .filter(|s| s.attr("type") != Some("application/ld+json"))
            .map(|s| s.html())
            .collect();
        assert!(scripts.is_empty(), "{rel}: {scripts:?}");
    }
}
