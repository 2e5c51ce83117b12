//! `chronique check`: everything `build` checks, plus what a build cannot see by itself.
//!
//! A build knows that `@/breves/x.md` exists, but not whether `#fin` is a heading of it, nor
//! whether `![](photo.jpg)` will be found by the browser. This module runs the build without
//! writing ([`crate::build`], so its checks are exactly the build's), then renders the site once
//! more in memory and looks at every post's links and images against what would be written:
//!
//! - images and other files (Markdown links and images, the front matter's `image`) resolved as
//!   the browser will resolve them, from the page's URL, must be a file or page of the output;
//! - anchors (`@/x.md#anchor`, `#anchor`, `/x/#anchor`) must be an `id` of the target page;
//! - with `--external`, `http(s)` links are fetched ([`external`]): HEAD, then GET.
//!
//! Every problem is a diagnostic with the post's file, line and column.

pub mod external;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::{BuildOptions, BuildReport, content, markdown};

/// What `chronique check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The build to check (`write` is ignored: nothing is written).
    pub build: BuildOptions,
    /// Fetch external links.
    pub external: bool,
    /// How long one external request may take.
    pub timeout: Duration,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The build's report, when it succeeded.
    pub build: Option<BuildReport>,
    /// Every error and warning, the build's and the check's, sorted.
    pub diagnostics: Diagnostics,
    /// External links, when `--external` was asked.
    pub external: Option<external::Summary>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.errors().count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.warnings().count()
    }
}

/// A link or image of a post, where it is written.
#[derive(Debug, Clone)]
struct Reference {
    target: String,
    image: bool,
    location: Location,
}

/// Runs the build's checks and the check's own; never writes the site.
pub fn check(options: &CheckOptions) -> CheckReport {
    // One build, kept in memory: its diagnostics, and the pages it would write to look into.
    let (result, kept) = crate::build_in_memory(&options.build);
    let mut report = CheckReport::default();
    match result {
        Ok(r) => {
            report.diagnostics = r.warnings.clone();
            report.build = Some(r);
        }
        Err(d) => report.diagnostics = d,
    }
    let Some(crate::InMemory {
        site,
        files: outputs,
        statics,
    }) = kept
    else {
        return report; // the settings could not be read: already reported by the build
    };
    let mut files: HashSet<PathBuf> = outputs.iter().map(|o| o.path.clone()).collect();
    files.extend(statics.iter().map(|s| s.dest.clone()));
    let ids: HashMap<&Path, HashSet<String>> = outputs
        .iter()
        .filter(|o| o.path.extension().is_some_and(|e| e == "html"))
        .map(|o| {
            (
                o.path.as_path(),
                html_ids(&String::from_utf8_lossy(&o.bytes)),
            )
        })
        .collect();
    let outputs_known = !outputs.is_empty();
    let by_key: HashMap<String, &crate::site::SitePost> = site
        .posts
        .iter()
        .map(|p| (content::link_key(&p.post.rel), p))
        .collect();
    let base = site.config.base_path.clone();

    let mut found = Diagnostics::new();
    let mut externals: BTreeMap<String, Vec<(Location, std::sync::Arc<str>)>> = BTreeMap::new();
    for post in &site.posts {
        let text = &post.post.text;
        for r in references(&post.post) {
            let at = |message: String| {
                Diagnostic::error(Some(r.location.clone()), message).with_source(text)
            };
            let target = r.target.trim();
            if let Some(rest) = target.strip_prefix("@/") {
                // The build reports missing posts; here only the anchor is checked.
                let Some((path, anchor)) = rest.split_once('#') else {
                    continue;
                };
                if let Some(other) = by_key.get(path.trim_start_matches('/'))
                    && let Some(page_ids) = ids.get(other.output.as_path())
                    && !anchor.is_empty()
                    && !page_ids.contains(anchor)
                {
                    found.push(at(format!(
                        "no heading \"#{anchor}\" in @/{path}: the link points nowhere in the page"
                    )));
                }
                continue;
            }
            if let Some(anchor) = target.strip_prefix('#') {
                if let Some(page_ids) = ids.get(post.output.as_path())
                    && !anchor.is_empty()
                    && !page_ids.contains(anchor)
                {
                    found.push(at(format!("no heading \"#{anchor}\" in this post")));
                }
                continue;
            }
            if target.starts_with("//") {
                externals
                    .entry(format!("https:{target}"))
                    .or_default()
                    .push((r.location.clone(), text.clone()));
                continue;
            }
            if let Some(scheme) = scheme(target) {
                if scheme == "http" || scheme == "https" {
                    externals
                        .entry(target.to_string())
                        .or_default()
                        .push((r.location.clone(), text.clone()));
                }
                continue;
            }
            if !outputs_known || target.is_empty() {
                continue;
            }
            // A local file or page, resolved from the page's URL as a browser would.
            let (path_part, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target, None),
            };
            let path_part = path_part.split('?').next().unwrap_or_default();
            let url = resolve(&post.url, path_part);
            let what = if r.image { "image" } else { "link" };
            let Some(inside) = url.strip_prefix(&base) else {
                found.push(at(format!(
                    "{what} \"{target}\" is outside the site: its address {url} does not start with {base}, the path of base_url"
                )));
                continue;
            };
            let decoded = percent_decode(inside);
            let mut file = PathBuf::from(&decoded);
            // A folder is its index.html (`/breves/`, or `/breves` which the host redirects).
            let folder = decoded.is_empty()
                || decoded.ends_with('/')
                || (!files.contains(&file) && files.contains(&file.join("index.html")));
            if folder {
                file.push("index.html");
            }
            if !files.contains(&file) {
                let mut d = at(format!(
                    "{what} \"{target}\" not found: the page {} asks for {url}, which the site does not have",
                    post.url
                ));
                if !path_part.starts_with('/')
                    && let Some(section) = &post.post.section
                {
                    let beside = Path::new(section).join(path_part);
                    if files.contains(&beside) {
                        d = d.with_note(format!(
                            "content/{} is published at {base}{}: write \"../{path_part}\" or \"{base}{}\"",
                            beside.display(),
                            beside.display(),
                            beside.display()
                        ));
                    }
                }
                found.push(d);
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty())
                && let Some(page_ids) = ids.get(file.as_path())
                && !page_ids.contains(anchor)
            {
                found.push(at(format!("no heading \"#{anchor}\" in the page {url}")));
            }
        }
        // The lead image: a bare name is next to the post's source, `/x` under the site root.
        if let Some(image) = &post.post.image {
            let src = image.src.trim();
            if scheme(src).is_some() || src.starts_with("//") {
                if src.starts_with("http") {
                    externals
                        .entry(src.to_string())
                        .or_default()
                        .push((image_location(&post.post), text.clone()));
                }
            } else if outputs_known {
                let rel = match src.strip_prefix('/') {
                    Some(rest) => PathBuf::from(rest),
                    None => Path::new(post.post.section.as_deref().unwrap_or("")).join(src),
                };
                if !files.contains(&rel) {
                    found.push(
                        Diagnostic::error(
                            Some(image_location(&post.post)),
                            format!(
                                "image \"{src}\" not found: there is no {} (in content/ or static/)",
                                rel.display()
                            ),
                        )
                        .with_source(text),
                    );
                }
            }
        }
    }

    if options.external {
        let cache = external::Cache::at(&options.build.root);
        let (summary, problems) = external::check_all(&externals, options.timeout, &cache);
        found.extend(problems.0);
        report.external = Some(summary);
    }
    report.diagnostics.extend(found.0);
    report.diagnostics.sort();
    report
}

/// The links and images of a post's body, with their place in the file.
fn references(post: &content::Post) -> Vec<Reference> {
    links(&post.body)
        .map(|(target, image, offset)| {
            let (line, column) = crate::diagnostics::line_col(&post.body, offset);
            Reference {
                target,
                image,
                location: Location::new(&post.path, line + post.body_line - 1, column),
            }
        })
        .collect()
}

/// The links and images of a Markdown text, parsed as the renderer parses it (the same
/// extensions): target, whether it is an image, byte offset.
fn links(body: &str) -> impl Iterator<Item = (String, bool, usize)> + '_ {
    Parser::new_ext(body, markdown::parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                Some((dest_url.to_string(), false, range.start))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), true, range.start))
            }
            _ => None,
        })
}

/// Where the front matter's `image` is: the value of its `src:`.
fn image_location(post: &content::Post) -> Location {
    let lines: Vec<&str> = post.text.lines().collect();
    let found = lines
        .iter()
        .position(|l| l.trim_start().starts_with("src:"))
        .map(|i| {
            let l = lines[i];
            let after = l.find("src:").map_or(0, |k| k + 4);
            let value = after + (l[after..].len() - l[after..].trim_start().len());
            (i + 1, l[..value].chars().count() + 1)
        })
        .or_else(|| {
            lines
                .iter()
                .position(|l| l.trim_start().starts_with("image:"))
                .map(|i| (i + 1, 1))
        });
    match found {
        Some((line, column)) => Location::new(&post.path, line, column),
        None => Location::file(&post.path),
    }
}

/// The scheme of an absolute URL (`https`, `mailto`), if it has one.
fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// A reference resolved against a page's URL (both root-relative), `..` and `.` removed.
fn resolve(page: &str, reference: &str) -> String {
    let joined = if reference.starts_with('/') {
        reference.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{reference}")
    };
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if trailing && url != "/" {
        url.push('/');
    }
    url
}

/// `%XX` escapes decoded (invalid ones left as they are).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every `id="…"` of an HTML page (the pages are chronique's own output: quoted attributes).
fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=") {
        rest = &rest[i + 4..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            break;
        };
        ids.insert(unescape(&rest[1..1 + end]));
        rest = &rest[1 + end..];
    }
    ids
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_like_a_browser() {
        assert_eq!(resolve("/breves/x/", "photo.jpg"), "/breves/x/photo.jpg");
        assert_eq!(resolve("/breves/x/", "../photo.jpg"), "/breves/photo.jpg");
        assert_eq!(resolve("/breves/x/", "/img/a.png"), "/img/a.png");
        assert_eq!(resolve("/breves/x/", "../../"), "/");
        assert_eq!(resolve("/breves/x/", "../"), "/breves/");
        assert_eq!(resolve("/breves/x/", "../../../../etc"), "/etc");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://e.fr").as_deref(), Some("https"));
        assert_eq!(scheme("mailto:a@b.fr").as_deref(), Some("mailto"));
        assert_eq!(scheme("photo.jpg"), None);
        assert_eq!(scheme("/a:b"), None);
    }

    /// `check` finds the internal links the renderer resolves, at the same offsets: both parse
    /// with [`markdown::parser_options`]. Each case reads differently when one extension is on in
    /// one parser and off in the other: the ones the site has (tables, footnotes, heading
    /// attributes) and some it has not (math, wikilinks, metadata blocks). Strikethrough and task
    /// lists cannot change where a link is.
    #[test]
    fn links_are_parsed_as_the_renderer_parses_them() {
        let text = "---\n\
                    [méta](@/metadata.md)\n\
                    ---\n\
                    \n\
                    ## Titre {#[ancre](@/attribute.md)}\n\
                    \n\
                    | a | b |\n\
                    |---|---|\n\
                    | [z](@/cell.md) | [x | y](@/table.md) |\n\
                    \n\
                    Texte[^long], $[m](@/math.md)$, [[@/wiki.md]], ![i](@/image.md#haut).\n\
                    \n\
                    [^long]: Première ligne.\n\
                    \n    \
                    [suite](@/footnote.md)\n";
        let options = markdown::Options {
            language: crate::language::Language::Fr,
            typography: false,
            highlight: false,
        };
        let rendered = markdown::render(text, &options, &|_| None);
        let mut by_renderer: Vec<(usize, String)> = rendered
            .broken_links
            .into_iter()
            .map(|b| (b.offset, b.target))
            .collect();
        let mut by_check: Vec<(usize, String)> = links(text)
            .filter_map(|(target, _, offset)| {
                let path = target.strip_prefix("@/")?.split('#').next()?;
                Some((offset, path.to_string()))
            })
            .collect();
        by_renderer.sort();
        by_check.sort();
        assert_eq!(by_check, by_renderer);
        let found: Vec<&str> = by_check.iter().map(|(_, path)| path.as_str()).collect();
        assert_eq!(
            found,
            [
                "metadata.md",
                "cell.md",
                "math.md",
                "image.md",
                "footnote.md"
            ]
        );
    }

    #[test]
    fn ids_of_a_page() {
        let ids = html_ids("<h2 id=\"fin\">x</h2><li class=\"a\" id='b&amp;c'><p>id=\"no\"</p>");
        assert!(ids.contains("fin") && ids.contains("b&c"));
        assert!(!ids.contains("no"));
    }
}
