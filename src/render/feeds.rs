//! What readers' tools get: Atom, RSS 2.0 and JSON Feed, the sitemap, robots.txt, and the
//! redirect pages of aliases.
//!
//! These are written by code rather than templates: their formats are fixed, they must be valid
//! XML or JSON whatever the content says, and one function serves every feed (the site's, each
//! term's, each author's, each series'). The site-wide feeds carry full content with absolute
//! URLs (a bundle's `ticket.jpg` too, resolved from its post's page); the others carry
//! summaries, so that hundreds of term feeds stay small. Dates come from the posts, never from
//! the clock, so two builds give the same bytes.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::file::OutputFile;
use super::i18n;
use crate::diagnostics::display_path;
use crate::layout::{AUTHORS_PATH, SERIES_PATH, search_path};
use crate::site::{Site, SitePost, TaxonomyKind};

/// Every feed, the sitemap, robots.txt and alias pages, with a description of each for messages.
pub fn write_all(site: &Site) -> Vec<(OutputFile, String)> {
    let mut out = Vec::new();
    site_feeds(site, &mut out, &|_| true);
    list_feeds(site, &mut out, &|_| true);
    let config = &site.config;
    let root = config.base_path.as_str();
    out.push(file("sitemap.xml", sitemap(site), "the sitemap".into()));
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink(&format!("{root}sitemap.xml"))
    );
    out.push(file("robots.txt", robots, "robots.txt".into()));
    aliases(site, &mut out);
    out
}

/// The feeds that list one of the posts `changed` (indexes into `Site::posts`), for a site
/// patched with new bodies ([`crate::site::Patch`]): the only files of this module that a body
/// changes (the sitemap, robots.txt and the alias pages are made of URLs and front matters).
pub fn write_showing(site: &Site, changed: &[usize]) -> Vec<(OutputFile, String)> {
    let shows = |posts: &[usize]| posts.iter().any(|i| changed.contains(i));
    let mut out = Vec::new();
    site_feeds(site, &mut out, &shows);
    list_feeds(site, &mut out, &shows);
    out
}

/// A generated file with its description.
fn file(path: impl Into<PathBuf>, bytes: String, origin: String) -> (OutputFile, String) {
    let file = OutputFile {
        path: path.into(),
        bytes: bytes.into_bytes(),
    };
    (file, origin)
}

/// Which feeds to write: those whose posts (indexes into `Site::posts`) this accepts.
type Wanted<'w> = dyn Fn(&[usize]) -> bool + 'w;

/// The site-wide feeds: Atom, RSS and JSON Feed of the newest posts, in full.
fn site_feeds(site: &Site, out: &mut Vec<(OutputFile, String)>, wanted: &Wanted<'_>) {
    let config = &site.config;
    let root = config.base_path.as_str();
    let newest: Vec<usize> = (0..site.posts.len().min(config.feed_limit)).collect();
    if !wanted(&newest) {
        return;
    }
    let home = Feed {
        title: &config.title,
        subtitle: &config.description,
        page_url: root,
        feed_url: &format!("{root}atom.xml"),
        posts: &newest,
        full: true,
    };
    let rss_url = format!("{root}rss.xml");
    let json_url = format!("{root}feed.json");
    out.extend([
        file("atom.xml", atom(site, &home), "the site's Atom feed".into()),
        file(
            "rss.xml",
            rss(
                site,
                &Feed {
                    feed_url: &rss_url,
                    ..home
                },
            ),
            "the site's RSS feed".into(),
        ),
        file(
            "feed.json",
            json_feed(
                site,
                &Feed {
                    feed_url: &json_url,
                    ..home
                },
            ),
            "the site's JSON feed".into(),
        ),
    ]);
}

/// Every list page (term, author, series) has an Atom feed of its posts next to it.
fn list_feeds(site: &Site, out: &mut Vec<(OutputFile, String)>, wanted: &Wanted<'_>) {
    let config = &site.config;
    let root = config.base_path.as_str();
    let limit = config.feed_limit;
    let mut list_feed = |title: &str, subtitle: &str, page_url: &str, posts: &[usize], origin| {
        if !wanted(posts) {
            return;
        }
        let feed_url = format!("{page_url}atom.xml");
        let feed = Feed {
            title,
            subtitle,
            page_url,
            feed_url: &feed_url,
            posts,
            full: false,
        };
        out.push(file(rel(root, &feed_url), atom(site, &feed), origin));
    };
    for t in &site.taxonomies {
        let tax_title = i18n::taxonomy_title(config, t.kind);
        for term in &t.terms {
            let posts: Vec<usize> = term.posts.iter().copied().take(limit).collect();
            list_feed(
                &format!("{} — {tax_title} : {}", config.title, term.name),
                "",
                &term.url,
                &posts,
                format!("the feed of the {} term \"{}\"", t.kind.name(), term.name),
            );
        }
    }
    for a in &site.authors {
        let posts: Vec<usize> = a.posts.iter().copied().take(limit).collect();
        list_feed(
            &format!("{} — {}", config.title, a.author.name),
            a.author.role.as_deref().unwrap_or(""),
            &a.url,
            &posts,
            format!("the feed of {}", a.author.name),
        );
    }
    for s in &site.series {
        // Newest first, like every feed.
        let mut posts: Vec<usize> = s.published().collect();
        posts.sort_unstable();
        list_feed(
            &format!("{} — {}", config.title, s.title),
            "",
            &s.url,
            &posts,
            format!("the feed of the series \"{}\"", s.slug),
        );
    }
}

/// The redirect pages of the posts' and pages' old addresses.
fn aliases(site: &Site, out: &mut Vec<(OutputFile, String)>) {
    for r in site.redirects() {
        let origin = format!(
            "the alias {} of {}",
            display_path(&r.alias.path),
            display_path(r.source)
        );
        let page = redirect_page(site, r.title, &site.config.permalink(r.url));
        out.push(file(r.alias.path.clone(), page, origin));
    }
}

/// A post's terms by their display names: spellings merged like on the term pages.
fn term_names<'a>(site: &'a Site, kind: TaxonomyKind, spellings: &'a [String]) -> Vec<&'a str> {
    match site.taxonomy(kind) {
        Some(t) => t.names(spellings),
        None => spellings.iter().map(String::as_str).collect(),
    }
}

/// The path of a root-relative URL inside the output folder.
fn rel(root: &str, url: &str) -> String {
    url.strip_prefix(root).unwrap_or(url).to_string()
}

#[derive(Clone, Copy)]
struct Feed<'a> {
    title: &'a str,
    subtitle: &'a str,
    /// The page the feed follows.
    page_url: &'a str,
    feed_url: &'a str,
    /// Indexes into `Site::posts`, newest first.
    posts: &'a [usize],
    /// Full content, or summaries only.
    full: bool,
}

/// The instant a feed was last updated: its most recently updated entry's (not always the
/// newest post's), so builds are reproducible.
fn feed_updated(site: &Site, feed: &Feed<'_>) -> jiff::Timestamp {
    feed.posts
        .iter()
        .map(|&i| updated_instant(&site.posts[i]))
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn updated_instant(p: &SitePost) -> jiff::Timestamp {
    p.post
        .updated
        .as_ref()
        .map_or(p.post.date.instant, |u| u.instant.max(p.post.date.instant))
}

/// A post's HTML with its `href`, `src` and `srcset` made absolute, for readers outside the site:
/// root-relative ones (`/breves/x/`) on the site's `origin`, relative ones (`ticket.jpg`, a
/// bundle's file) resolved from the post's page, `page` (root-relative), as a browser would.
/// Anchors, other schemes (`mailto:`) and absolute URLs stay. The HTML is the renderer's own,
/// whose attribute values are in double quotes and never hold one, so one pass over its
/// `name="value"` pairs finds them all.
fn absolute_urls(html: &str, origin: &str, page: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let (mut copied, mut from) = (0, 0);
    while let Some(i) = html[from..].find("=\"") {
        let start = from + i + 2;
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let name = &html[..from + i];
        let value = &html[start..start + len];
        if name.ends_with(" href") || name.ends_with(" src") {
            out.push_str(&html[copied..start]);
            out.push_str(&absolute_url(value, origin, page));
            copied = start + len;
        } else if name.ends_with(" srcset") {
            // `a.480w.jpg 480w, a.960w.jpg 960w`: each candidate's address.
            out.push_str(&html[copied..start]);
            for (n, candidate) in value.split(", ").enumerate() {
                let (url, width) = candidate.split_once(' ').unwrap_or((candidate, ""));
                let sep = if n == 0 { "" } else { ", " };
                let _ = write!(out, "{sep}{} {width}", absolute_url(url, origin, page));
            }
            copied = start + len;
        }
        from = start + len + 1;
    }
    out.push_str(&html[copied..]);
    out
}

/// One address of [`absolute_urls`].
fn absolute_url(value: &str, origin: &str, page: &str) -> String {
    let stays = value.is_empty()
        || value.starts_with('#')
        || value.starts_with("//")
        || crate::address::scheme(value).is_some();
    if stays {
        value.to_string()
    } else if value.starts_with('/') {
        format!("{origin}{value}")
    } else if value.starts_with('?') {
        format!("{origin}{page}{value}")
    } else {
        format!("{origin}{}", crate::address::resolve(page, value))
    }
}

fn origin(site: &Site) -> String {
    let base = &site.config.base_url;
    base[..base.len() - site.config.base_path.len()].to_string()
}

fn atom(site: &Site, feed: &Feed<'_>) -> String {
    let config = &site.config;
    let origin = origin(site);
    let mut x = String::with_capacity(2048 + feed.posts.len() * if feed.full { 8192 } else { 600 });
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        config.language.code()
    );
    let _ = writeln!(x, "  <title>{}</title>", xml(feed.title));
    if !feed.subtitle.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml(feed.subtitle));
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&config.permalink(feed.feed_url))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&config.permalink(feed.page_url))
    );
    let _ = writeln!(x, "  <id>{}</id>", xml(&config.permalink(feed.feed_url)));
    let _ = writeln!(x, "  <updated>{}</updated>", feed_updated(site, feed));
    // No `uri`: chronique has no home page to point to yet (an example address would be a link
    // to someone else's site in every reader's feed).
    let _ = writeln!(
        x,
        "  <generator version=\"{}\">chronique</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for &i in feed.posts {
        atom_entry(&mut x, site, &site.posts[i], feed.full, &origin);
    }
    x.push_str("</feed>\n");
    x
}

/// One post of an Atom feed; `full`: with its content.
fn atom_entry(x: &mut String, site: &Site, p: &SitePost, full: bool, origin: &str) {
    let config = &site.config;
    let link = config.permalink(&p.url);
    x.push_str("  <entry>\n");
    let _ = writeln!(x, "    <title>{}</title>", xml(&p.post.title));
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&link)
    );
    let _ = writeln!(x, "    <id>{}</id>", xml(&link));
    let _ = writeln!(x, "    <published>{}</published>", p.post.date.instant);
    let _ = writeln!(x, "    <updated>{}</updated>", updated_instant(p));
    let mut signed = false;
    for a in &p.post.authors {
        if let Some(author) = site.author(&a.value) {
            signed = true;
            let _ = writeln!(
                x,
                "    <author><name>{}</name><uri>{}</uri></author>",
                xml(&author.author.name),
                xml(&config.permalink(&author.url))
            );
        }
    }
    if !signed {
        // Atom wants an author for every entry (RFC 4287, 4.1.1): an unsigned post is the
        // column's.
        let _ = writeln!(
            x,
            "    <author><name>{}</name><uri>{}</uri></author>",
            xml(&config.title),
            xml(&config.permalink(&config.base_path))
        );
    }
    for term in term_names(site, TaxonomyKind::Irritants, &p.post.irritants) {
        let _ = writeln!(x, "    <category term=\"{}\"/>", xml(term));
    }
    if !p.description.is_empty() {
        let _ = writeln!(x, "    <summary>{}</summary>", xml(&p.description));
    }
    if full {
        let _ = writeln!(
            x,
            "    <content type=\"html\">{}</content>",
            xml(&absolute_urls(&p.html, origin, &p.url))
        );
    }
    x.push_str("  </entry>\n");
}

fn rss(site: &Site, feed: &Feed<'_>) -> String {
    let config = &site.config;
    let origin = origin(site);
    let mut x = String::with_capacity(2048 + feed.posts.len() * 8192);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    let _ = writeln!(x, "  <title>{}</title>", xml(feed.title));
    let _ = writeln!(
        x,
        "  <link>{}</link>",
        xml(&config.permalink(feed.page_url))
    );
    let _ = writeln!(x, "  <description>{}</description>", xml(feed.subtitle));
    let _ = writeln!(x, "  <language>{}</language>", config.language.code());
    let _ = writeln!(
        x,
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        xml(&config.permalink(feed.feed_url))
    );
    if !feed.posts.is_empty() {
        let _ = writeln!(
            x,
            "  <lastBuildDate>{}</lastBuildDate>",
            rfc2822(feed_updated(site, feed))
        );
    }
    for &i in feed.posts {
        let p = &site.posts[i];
        let link = config.permalink(&p.url);
        x.push_str("  <item>\n");
        let _ = writeln!(x, "    <title>{}</title>", xml(&p.post.title));
        let _ = writeln!(x, "    <link>{}</link>", xml(&link));
        let _ = writeln!(x, "    <guid isPermaLink=\"true\">{}</guid>", xml(&link));
        let _ = writeln!(x, "    <pubDate>{}</pubDate>", rfc2822(p.post.date.instant));
        for a in &p.post.authors {
            if let Some(author) = site.author(&a.value) {
                let _ = writeln!(
                    x,
                    "    <dc:creator>{}</dc:creator>",
                    xml(&author.author.name)
                );
            }
        }
        for term in term_names(site, TaxonomyKind::Irritants, &p.post.irritants) {
            let _ = writeln!(x, "    <category>{}</category>", xml(term));
        }
        let body = if feed.full {
            absolute_urls(&p.html, &origin, &p.url)
        } else {
            p.summary_html.to_string()
        };
        let _ = writeln!(x, "    <description>{}</description>", xml(&body));
        x.push_str("  </item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

fn json_feed(site: &Site, feed: &Feed<'_>) -> String {
    let config = &site.config;
    let origin = origin(site);
    let items: Vec<serde_json::Value> = feed
        .posts
        .iter()
        .map(|&i| {
            let p = &site.posts[i];
            let link = config.permalink(&p.url);
            let authors: Vec<serde_json::Value> = p
                .post
                .authors
                .iter()
                .filter_map(|a| site.author(&a.value))
                .map(
                    |a| serde_json::json!({"name": a.author.name, "url": config.permalink(&a.url)}),
                )
                .collect();
            let tags = [
                term_names(site, TaxonomyKind::Irritants, &p.post.irritants),
                term_names(site, TaxonomyKind::Tags, &p.post.tags),
            ]
            .concat();
            let mut item = serde_json::json!({
                "id": link,
                "url": link,
                "title": p.post.title,
                "summary": &*p.description,
                "date_published": p.post.date.instant.to_string(),
                "date_modified": updated_instant(p).to_string(),
                "authors": authors,
                "tags": tags,
            });
            if feed.full {
                item["content_html"] = absolute_urls(&p.html, &origin, &p.url).into();
            }
            item
        })
        .collect();
    let doc = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.subtitle,
        "home_page_url": config.permalink(feed.page_url),
        "feed_url": config.permalink(feed.feed_url),
        "language": config.language.code(),
        "items": items,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// RFC 2822 dates for RSS, always in English and UTC.
fn rfc2822(t: jiff::Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn sitemap(site: &Site) -> String {
    let config = &site.config;
    let root = config.base_path.as_str();
    let newest_of = |posts: &[usize]| -> Option<String> {
        posts
            .iter()
            .map(|&i| updated_instant(&site.posts[i]))
            .max()
            .map(|t| t.to_string())
    };
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    // A list and its other pages, as `render_all` paginates them; every page of a list changes
    // when a post is added to it.
    let list = |urls: &mut Vec<(String, Option<String>)>, url: &str, posts: &[usize]| {
        let newest = newest_of(posts);
        let pages = posts.len().div_ceil(config.paginate_by).max(1);
        for n in 1..=pages {
            urls.push((super::views::page_url(url, n), newest.clone()));
        }
    };
    let all: Vec<usize> = (0..site.posts.len()).collect();
    list(&mut urls, root, &all);
    for s in &site.sections {
        list(&mut urls, &s.url, &s.posts);
    }
    for p in &site.posts {
        urls.push((p.url.clone(), Some(updated_instant(p).to_string())));
    }
    for p in &site.pages {
        let changed = p.page.updated.as_ref().or(p.page.date.as_ref());
        urls.push((p.url.clone(), changed.map(|d| d.instant.to_string())));
    }
    if !site.series.is_empty() {
        urls.push((format!("{root}{SERIES_PATH}/"), None));
    }
    for s in &site.series {
        let posts: Vec<usize> = s.published().collect();
        urls.push((s.url.clone(), newest_of(&posts)));
    }
    for t in &site.taxonomies {
        urls.push((t.url.clone(), None));
        for term in &t.terms {
            list(&mut urls, &term.url, &term.posts);
        }
    }
    urls.push((format!("{root}{AUTHORS_PATH}/"), None));
    for a in &site.authors {
        list(&mut urls, &a.url, &a.posts);
    }
    urls.push((format!("{root}{}/", search_path(config.language)), None));

    let mut x = String::with_capacity(urls.len() * 120 + 256);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        let _ = write!(x, "  <url><loc>{}</loc>", xml(&config.permalink(&url)));
        if let Some(m) = lastmod {
            let _ = write!(x, "<lastmod>{m}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// A page that sends readers of an old address to the new one.
fn redirect_page(site: &Site, title: &str, target: &str) -> String {
    let target = xml(target);
    let moved = match site.config.language {
        crate::language::Language::Fr => "Ce billet a changé d'adresse",
        crate::language::Language::En => "This post has moved",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>{moved} : <a href=\"{target}\">{target}</a></p>\n</body>\n</html>\n",
        lang = site.config.language.code(),
        title = xml(title),
    )
}

/// Escapes text for XML and HTML (elements and attributes).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE, U+FFFF)
            // and the other noncharacters, which it discourages and feed readers choke on.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c if is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// U+FDD0 to U+FDEF, and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE…).
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    c & 0xFFFE == 0xFFFE || (0xFDD0..=0xFDEF).contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::jobs::tests::site;

    /// After a body edit, the feeds that list the post, as `write_all` makes them, and no other.
    #[test]
    fn write_showing_makes_exactly_the_feeds_that_list_the_changed_posts() {
        let mut site = site();
        site.config.feed_limit = 2;
        let all = write_all(&site);
        let feeds = (all.iter().map(|(f, _)| f))
            .filter(|f| !f.path.starts_with("sitemap.xml") && !f.path.starts_with("robots.txt"));
        let feeds: Vec<&OutputFile> = feeds.collect();
        let mut sizes = Vec::new();
        for (i, post) in site.posts.iter().enumerate() {
            let listing: Vec<&OutputFile> = (feeds.iter().copied())
                .filter(|f| String::from_utf8_lossy(&f.bytes).contains(&*post.url))
                .collect();
            let showing = write_showing(&site, &[i]);
            let made: Vec<&OutputFile> = showing.iter().map(|(f, _)| f).collect();
            assert_eq!(
                made, listing,
                "the feeds showing {}, the same bytes",
                post.url
            );
            sizes.push(made.len());
        }
        assert!(
            sizes[0] >= 3,
            "the newest post is in the site's three feeds: {sizes:?}"
        );
        assert!(
            sizes[1] > 3,
            "the second also in its lists' feeds: {sizes:?}"
        );
        assert!(sizes.contains(&0), "the feeds keep the newest 2: {sizes:?}");
    }

    #[test]
    fn write_all_makes_the_site_feeds_then_one_per_list_then_the_sitemap() {
        let site = site();
        let files = write_all(&site);
        let paths: Vec<String> = (files.iter())
            .map(|(f, _)| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(paths[..3], ["atom.xml", "rss.xml", "feed.json"]);
        // One Atom feed per term, author and series page, beside it.
        for t in &site.taxonomies {
            for term in &t.terms {
                let feed = format!("{}atom.xml", term.url.trim_start_matches('/'));
                assert!(paths.contains(&feed), "{feed} missing: {paths:?}");
            }
        }
        assert!(
            paths.contains(&"auteurs/claire/atom.xml".to_string()),
            "{paths:?}"
        );
        assert_eq!(paths[paths.len() - 2..], ["sitemap.xml", "robots.txt"]);
        // The site's Atom feed: every post (fewer than the limit), newest first, in full.
        let atom = String::from_utf8_lossy(&files[0].0.bytes);
        assert_eq!(atom.matches("<entry>").count(), site.posts.len());
        assert!(atom.find("/contes/c/").unwrap() < atom.find("/breves/b5/").unwrap());
        assert!(atom.contains("<content type=\"html\">"));
        let generator = format!(
            "<generator version=\"{}\">chronique</generator>",
            env!("CARGO_PKG_VERSION")
        );
        assert!(atom.contains(&generator), "{atom}");
        // No address of chronique's, in any feed: it has no home page yet.
        for (file, _) in &files[..3] {
            let text = String::from_utf8_lossy(&file.bytes);
            assert!(
                !text.contains("chronique.example"),
                "{}",
                file.path.display()
            );
        }
        let term = (files.iter())
            .find(|(_, origin)| origin.starts_with("the feed of the irritants term"))
            .expect("a term feed");
        assert!(
            !String::from_utf8_lossy(&term.0.bytes).contains("<content"),
            "summaries only"
        );
    }

    #[test]
    fn xml_escapes_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<script>\"a\" & 'b'\u{1}</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(
            xml("a\u{fffe}b\u{ffff}c\u{fdd0}\u{10ffff}\u{1fffe}\u{0}\u{1b}d\u{fffd}\u{e000}\t\n"),
            "abcd\u{fffd}\u{e000}\t\n"
        );
    }

    #[test]
    fn the_addresses_of_a_srcset_become_absolute() {
        assert_eq!(
            absolute_urls(
                "<source srcset=\"a.480w.webp 480w, /b.960w.webp 960w\" sizes=\"100vw\">",
                "https://e.fr",
                "/breves/x/"
            ),
            "<source srcset=\"https://e.fr/breves/x/a.480w.webp 480w, https://e.fr/b.960w.webp 960w\" sizes=\"100vw\">"
        );
    }

    #[test]
    fn urls_become_absolute() {
        assert_eq!(
            absolute_urls(
                "<a href=\"/breves/x/\">x</a> <img src=\"/img.png\"> <a href=\"https://a.fr/\">",
                "https://e.fr",
                "/breves/y/"
            ),
            "<a href=\"https://e.fr/breves/x/\">x</a> <img src=\"https://e.fr/img.png\"> <a href=\"https://a.fr/\">"
        );
    }

    #[test]
    fn relative_urls_are_resolved_from_the_posts_page() {
        let html = concat!(
            "<p><img src=\"ticket.jpg\" alt=\"src=&quot;x&quot; href\" /> ",
            "<a href=\"scans/re%C3%A7u.png\">reçu</a> <a href=\"../autre/\">autre</a> ",
            "<a href=\"?page=2\">suite</a> <sup><a href=\"#fn-1\">1</a></sup> ",
            "<a href=\"mailto:a@b.fr\">écrire</a> <a href=\"//cdn.fr/x.js\">cdn</a> ",
            "<a class=\"heading-anchor\" href=\"#fin\">#</a> <a href=\"\">vide</a> ",
            "<span data-src=\"x.png\">not an address</span> a=\"b\"</p>"
        );
        let page = "/chronique/articles/le-ticket/";
        let origin = "https://e.fr";
        let out = absolute_urls(html, origin, page);
        let expected = concat!(
            "<p><img src=\"https://e.fr/chronique/articles/le-ticket/ticket.jpg\" alt=\"src=&quot;x&quot; href\" /> ",
            "<a href=\"https://e.fr/chronique/articles/le-ticket/scans/re%C3%A7u.png\">reçu</a> ",
            "<a href=\"https://e.fr/chronique/articles/autre/\">autre</a> ",
            "<a href=\"https://e.fr/chronique/articles/le-ticket/?page=2\">suite</a> <sup><a href=\"#fn-1\">1</a></sup> ",
            "<a href=\"mailto:a@b.fr\">écrire</a> <a href=\"//cdn.fr/x.js\">cdn</a> ",
            "<a class=\"heading-anchor\" href=\"#fin\">#</a> <a href=\"\">vide</a> ",
            "<span data-src=\"x.png\">not an address</span> a=\"b\"</p>"
        );
        assert_eq!(out, expected);
        // An unclosed attribute at the end is left as it is.
        assert_eq!(absolute_urls("<a href=\"x", origin, page), "<a href=\"x");
    }
}
