//! Links between imported posts, written with the blog's absolute addresses
//! (`https://blog.fr/2018/03/12/la-punition/`, `https://blog.fr/?p=14`), made `@/` links to
//! their Markdown files, which the build and `check` verify.
//!
//! Whether a post ends as `breves/x.md` or as a bundle's `breves/x/index.md` is known only once
//! its own content is converted, so a link is first written as a token naming the post's
//! number ([`token`]); [`resolve`] puts the paths in once every post is placed. Links to posts
//! that will not be published (drafts, scheduled posts) are left as they are: an `@/` link to
//! an unpublished post is an error of the build.

use std::collections::HashMap;

/// What a post's links and images point to in the site: an upload copied beside the post, an
/// imported post's `@/` path.
pub trait Links {
    /// The address to write instead of `url` (an `<a href>` or `<img src>`), if any.
    fn rewrite(&mut self, url: &str) -> Option<String>;

    /// An attachment's (file URL, alt text, caption), for `[gallery ids=…]`.
    fn attachment(&mut self, _id: &str) -> Option<(String, String, String)> {
        None
    }
}

/// Every address kept as it is.
pub struct Keep;

impl Links for Keep {
    fn rewrite(&mut self, _: &str) -> Option<String> {
        None
    }
}

/// `%c3%a7a` → `ça`: WordPress stores non-ASCII slugs percent-encoded.
pub fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Around a post's number in a link, until its path is known.
const OPEN: char = '\u{E002}';
const CLOSE: char = '\u{E003}';

/// The imported posts by their old addresses.
#[derive(Debug, Default)]
pub struct Internal {
    /// The blog's hosts, without `www.`: `relationclient.example.fr`.
    hosts: Vec<String>,
    /// Old path (`/2018/03/12/la-punition/`) → post number.
    by_path: HashMap<String, usize>,
    /// WordPress id → post number.
    by_id: HashMap<String, usize>,
}

impl Internal {
    /// `site_links`: the blog's own addresses (the channel's `link`…).
    pub fn new(site_links: &[String]) -> Internal {
        let hosts = site_links.iter().filter_map(|l| host(l)).collect();
        Internal {
            hosts,
            ..Internal::default()
        }
    }

    /// Post `n`, published, answers at its old `link` and as `?p=<id>`.
    pub fn add(&mut self, n: usize, link: &str, id: &str) {
        if let Some(path) = self.own_path(link) {
            self.by_path.entry(normalized(&path)).or_insert(n);
        }
        if !id.trim().is_empty() {
            self.by_id.entry(id.trim().to_string()).or_insert(n);
        }
    }

    /// The path and query of `url` when it is an address of the blog (absolute with one of its
    /// hosts, or a path from the root).
    fn own_path(&self, url: &str) -> Option<String> {
        let url = url.trim();
        if url.starts_with('/') && !url.starts_with("//") {
            return Some(url.to_string());
        }
        let rest = url.split_once("://").map(|(_, r)| r)?;
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let found = host(&format!("x://{authority}"))?;
        self.hosts.contains(&found).then(|| path.to_string())
    }

    /// The token of the `@/` link `url` becomes, when it points at an imported post, and
    /// whether it had an anchor: dropped, since the build checks anchors and WordPress's
    /// (`#comments`, `#more-14`) are not the headings of the imported post.
    pub fn rewrite(&self, url: &str) -> Option<(String, bool)> {
        let path = self.own_path(url)?;
        let (path, anchor) = match path.split_once('#') {
            Some((p, _)) => (p.to_string(), true),
            None => (path, false),
        };
        let (path, query) = path.split_once('?').unwrap_or((&path, ""));
        let by_query = query
            .split('&')
            .find_map(|pair| match pair.split_once('=') {
                Some(("p" | "page_id", id)) => self.by_id.get(id).copied(),
                _ => None,
            });
        let n = by_query.or_else(|| self.by_path.get(&normalized(path)).copied())?;
        Some((token(n), anchor))
    }
}

/// `https://www.Blog.fr:443/x` → `blog.fr`.
fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// A path decoded, with its final `/` (WordPress answers both).
fn normalized(path: &str) -> String {
    let mut path = percent_decoded(path);
    if !path.ends_with('/') && !path.rsplit('/').next().unwrap_or_default().contains('.') {
        path.push('/');
    }
    path
}

/// The `@/` link to post `n`, its path to come.
pub fn token(n: usize) -> String {
    format!("@/{OPEN}{n}{CLOSE}")
}

/// `text` with each token's post number replaced by its path under `content/`.
pub fn resolve(text: &str, paths: &[String]) -> String {
    if !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let end = after.find(CLOSE).unwrap_or(after.len());
        let n: Option<usize> = after[..end].parse().ok();
        out.push_str(n.and_then(|n| paths.get(n)).map_or("", |p| p));
        rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blogs_addresses_become_tokens_then_paths() {
        let mut internal = Internal::new(&["https://www.blog.fr".to_string()]);
        internal.add(0, "https://blog.fr/2018/03/12/la-punition/", "14");
        internal.add(1, "https://blog.fr/a-propos/", "2");
        let paths = ["breves/la-punition.md".into(), "a-propos/index.md".into()];
        let rewrite = |u: &str| internal.rewrite(u).map(|(t, _)| resolve(&t, &paths));
        let punition = Some("@/breves/la-punition.md".to_string());
        assert_eq!(rewrite("https://blog.fr/2018/03/12/la-punition/"), punition);
        assert_eq!(
            rewrite("http://www.blog.fr/2018/03/12/la-punition"),
            punition
        );
        assert_eq!(rewrite("/2018/03/12/la-punition/"), punition);
        assert_eq!(rewrite("https://blog.fr/?p=14"), punition);
        assert_eq!(
            rewrite("https://blog.fr/?page_id=2#ecrire").as_deref(),
            Some("@/a-propos/index.md")
        );
        assert_eq!(rewrite("https://ailleurs.fr/2018/03/12/la-punition/"), None);
        assert_eq!(rewrite("https://blog.fr/2019/autre/"), None);
        assert_eq!(rewrite("//blog.fr/?p=14"), None);
        assert_eq!(internal.rewrite("/a-propos/#x").map(|(_, a)| a), Some(true));
    }
}
