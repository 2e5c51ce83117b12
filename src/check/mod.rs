//! `chronique check`: everything `build` checks, plus what a build cannot see by itself.
//!
//! A build knows that `@/breves/x.md` exists, but not whether `#fin` is a heading of it, nor
//! whether `![](photo.jpg)` will be found by the browser. This module runs the build without
//! writing ([`crate::build`], so its checks are exactly the build's), then renders the site once
//! more in memory and looks at every post's links and images against what would be written:
//!
//! - images and other files (Markdown links and images, the front matter's `image`) resolved as
//!   the browser will resolve them, from the page's URL, must be a file or page of the output
//!   (a bundle's files are beside its page: `![](ticket.jpg)` is found);
//! - anchors (`@/x.md#anchor`, `#anchor`, `/x/#anchor`) must be an `id` of the target page;
//! - with `--external`, `http(s)` links are fetched ([`external`]): HEAD, then GET.
//!
//! Every problem is a diagnostic with the post's file, line and column.

pub mod external;
mod photos;
mod placeholders;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pulldown_cmark::{Event, Parser, Tag};

use crate::address::{percent_decode, resolve, scheme};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::site::{SitePage, SitePost};
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
    let Some(kept) = kept else {
        return report; // the settings could not be read: already reported by the build
    };
    let written = Written::of(&kept);
    let mut posts = Posts::new(&kept.site, &written);
    for post in &kept.site.posts {
        posts.check(&Doc::post(post));
    }
    for page in &kept.site.pages {
        posts.check(&Doc::page(page));
    }
    let Posts {
        mut found,
        externals,
        ..
    } = posts;
    found.extend(placeholders_of(&kept.site));
    found.extend(photos::weigh(&kept.site, &kept.statics));
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

/// The placeholders left in the pages and posts (see [`placeholders`]).
fn placeholders_of(site: &crate::Site) -> Vec<Diagnostic> {
    let pages =
        (site.pages.iter()).map(|p| (&p.page.path, &p.page.text, &p.page.body, p.page.body_line));
    let posts =
        (site.posts.iter()).map(|p| (&p.post.path, &p.post.text, &p.post.body, p.post.body_line));
    pages
        .chain(posts)
        .flat_map(|(path, text, body, line)| placeholders::find(path, text, body, line))
        .collect()
}

/// The `http(s)` links of the posts, by URL: where each is written, with its file's text.
type Externals = BTreeMap<String, Vec<(Location, Arc<str>)>>;

/// What the build would write, for the references to be looked up in.
struct Written<'a> {
    /// Every page and file, by its path under the output folder.
    files: HashSet<PathBuf>,
    /// The `id`s of every HTML page.
    ids: HashMap<&'a Path, HashSet<String>>,
    /// Whether the build made its pages (not when the theme did not compile): local files and
    /// pages are only looked up then.
    known: bool,
}

impl<'a> Written<'a> {
    fn of(kept: &'a crate::InMemory) -> Self {
        let mut files: HashSet<PathBuf> = kept.files.iter().map(|o| o.path.clone()).collect();
        files.extend(kept.statics.iter().map(|s| s.dest.clone()));
        let ids = kept
            .files
            .iter()
            .filter(|o| o.path.extension().is_some_and(|e| e == "html"))
            .map(|o| {
                (
                    o.path.as_path(),
                    html_ids(&String::from_utf8_lossy(&o.bytes)),
                )
            })
            .collect();
        Written {
            files,
            ids,
            known: !kept.files.is_empty(),
        }
    }

    /// Whether `anchor` is missing from the ids of the HTML page `page` (never for an empty
    /// anchor, the top of the page, nor for a page that is not written).
    fn lacks(&self, page: &Path, anchor: &str) -> bool {
        !anchor.is_empty() && self.ids.get(page).is_some_and(|ids| !ids.contains(anchor))
    }
}

/// The check of every post's and page's links and images against what would be written, and its
/// findings.
struct Posts<'a> {
    written: &'a Written<'a>,
    /// The pages of the posts and pages by link key (`breves/x.md`), for `@/` links.
    by_key: HashMap<String, &'a Path>,
    /// The site's path, from base_url (`/`, `/chronique/`).
    base: String,
    found: Diagnostics,
    externals: Externals,
}

impl<'a> Posts<'a> {
    fn new(site: &'a crate::Site, written: &'a Written<'a>) -> Self {
        Posts {
            written,
            by_key: (site.posts.iter())
                .map(|p| (content::link_key(&p.post.rel), p.output.as_path()))
                .chain(
                    (site.pages.iter())
                        .map(|p| (content::link_key(&p.page.rel), p.output.as_path())),
                )
                .collect(),
            base: site.config.base_path.clone(),
            found: Diagnostics::new(),
            externals: Externals::new(),
        }
    }

    /// Checks one post or page: each link and image of its body, then its lead image.
    fn check(&mut self, doc: &Doc<'_>) {
        for r in references(doc) {
            self.reference(doc, &r);
        }
        self.lead_image(doc);
    }

    /// Checks one link or image of a body, by the kind of its target: an `@/` path with an
    /// anchor (the build checks the path itself), an anchor of the page itself, an external URL
    /// (kept for `--external`; other schemes are left alone), or a local file or page.
    fn reference(&mut self, doc: &Doc<'_>, r: &Reference) {
        let target = r.target.trim();
        if let Some(rest) = target.strip_prefix("@/") {
            let Some((path, anchor)) = rest.split_once('#') else {
                return;
            };
            if let Some(other) = self.by_key.get(path.trim_start_matches('/'))
                && self.written.lacks(other, anchor)
            {
                let message = format!(
                    "no heading \"#{anchor}\" in @/{path}: the link points nowhere in the page"
                );
                self.found.push(error_at(doc, r, message));
            }
        } else if let Some(anchor) = target.strip_prefix('#') {
            if self.written.lacks(doc.output, anchor) {
                let message = format!("no heading \"#{anchor}\" in this {}", doc.noun);
                self.found.push(error_at(doc, r, message));
            }
        } else if target.starts_with("//") {
            self.external(format!("https:{target}"), r.location.clone(), doc);
        } else if let Some(scheme) = scheme(target) {
            if scheme == "http" || scheme == "https" {
                self.external(target.to_string(), r.location.clone(), doc);
            }
        } else if self.written.known && !target.is_empty() {
            self.local(doc, r, target);
        }
    }

    /// Keeps an external link for `--external`.
    fn external(&mut self, url: String, location: Location, doc: &Doc<'_>) {
        self.externals
            .entry(url)
            .or_default()
            .push((location, doc.text.clone()));
    }

    /// Checks a local file or page, resolved from the page's URL as a browser would: it must be
    /// inside the site and written, and its anchor, if any, an id of it.
    fn local(&mut self, doc: &Doc<'_>, r: &Reference, target: &str) {
        let (path_part, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        let path_part = path_part.split('?').next().unwrap_or_default();
        let url = resolve(doc.url, path_part);
        let what = if r.image { "image" } else { "link" };
        let base = &self.base;
        let Some(inside) = url.strip_prefix(base.as_str()) else {
            let message = format!(
                "{what} \"{target}\" is outside the site: its address {url} does not start with {base}, the path of base_url"
            );
            self.found.push(error_at(doc, r, message));
            return;
        };
        let decoded = percent_decode(inside);
        let mut file = PathBuf::from(&decoded);
        let files = &self.written.files;
        // A folder is its index.html (`/breves/`, or `/breves` which the host redirects).
        let folder = decoded.is_empty()
            || decoded.ends_with('/')
            || (!files.contains(&file) && files.contains(&file.join("index.html")));
        if folder {
            file.push("index.html");
        }
        if !files.contains(&file) {
            let message = format!(
                "{what} \"{target}\" not found: the page {} asks for {url}, which the site does not have",
                doc.url
            );
            let mut d = error_at(doc, r, message);
            if let Some(note) = self.published_beside(doc, path_part) {
                d = d.with_note(note);
            }
            self.found.push(d);
        } else if let Some(anchor) = anchor
            && self.written.lacks(&file, anchor)
        {
            let message = format!("no heading \"#{anchor}\" in the page {url}");
            self.found.push(error_at(doc, r, message));
        }
    }

    /// For a relative path that is not found from the page's URL, how to write it: a file of
    /// the post's section (`photo.jpg` next to the post's source) is `../photo.jpg` from the
    /// page, unless the post becomes a bundle; a bundle's own files are beside its page, so
    /// its folder's name is not part of their path.
    fn published_beside(&self, doc: &Doc<'_>, path_part: &str) -> Option<String> {
        if path_part.starts_with('/') {
            return None;
        }
        let files = &self.written.files;
        let bundle = crate::source::bundle_folder(doc.rel);
        if let Some(folder) = bundle
            && let Some(name) = folder.file_name()
            && let Some(rest) = path_part.strip_prefix(&format!("{}/", name.to_string_lossy()))
            && files.contains(&doc.asset_folder.join(rest))
        {
            return Some(format!(
                "the files of the bundle content/{}/ are published beside its page: write \"{rest}\"",
                folder.display()
            ));
        }
        let section = doc.section?;
        let beside = Path::new(section).join(path_part);
        let base = &self.base;
        files.contains(&beside).then(|| {
            let mut note = format!(
                "content/{} is published at {base}{}: write \"../{path_part}\" or \"{base}{}\"",
                beside.display(),
                beside.display(),
                beside.display()
            );
            if bundle.is_none() {
                let stem = doc.rel.file_stem().unwrap_or_default().to_string_lossy();
                note.push_str(&format!(
                    ", or make the post a bundle, content/{section}/{stem}/index.md with the file beside it"
                ));
            }
            note
        })
    }

    /// Checks the front matter's lead image: a bare name is in the post's
    /// [`SitePost::asset_folder`] (next to its source, or beside a bundle's page), `/x` under
    /// the site root; an `http(s)` one is kept for `--external`.
    fn lead_image(&mut self, doc: &Doc<'_>) {
        let Some(image) = doc.image else {
            return;
        };
        let src = image.src.trim();
        if scheme(src).is_some() || src.starts_with("//") {
            if src.starts_with("http") {
                self.external(src.to_string(), image_location(doc), doc);
            }
        } else if self.written.known {
            let rel = match src.strip_prefix('/') {
                Some(rest) => PathBuf::from(rest),
                None => doc.asset_folder.join(src),
            };
            if !self.written.files.contains(&rel) {
                self.found.push(
                    Diagnostic::error(
                        Some(image_location(doc)),
                        format!(
                            "image \"{src}\" not found: there is no {} (in content/ or static/)",
                            rel.display()
                        ),
                    )
                    .with_source(doc.text),
                );
            }
        }
    }
}

/// An error at a link or image of a post or page, with the excerpt of its file.
fn error_at(doc: &Doc<'_>, r: &Reference, message: String) -> Diagnostic {
    Diagnostic::error(Some(r.location.clone()), message).with_source(doc.text)
}

/// The links and images of a post's or page's body, with their place in the file.
fn references(doc: &Doc<'_>) -> Vec<Reference> {
    links(doc.body)
        .map(|(target, image, offset)| {
            let (line, column) = crate::diagnostics::line_col(doc.body, offset);
            Reference {
                target,
                image,
                location: Location::new(doc.path, line + doc.body_line - 1, column),
            }
        })
        .collect()
}

/// What `check` reads of a post or a page: its file and body, and where it is published.
struct Doc<'a> {
    /// `content/breves/x.md`
    path: &'a Path,
    /// `breves/x.md`
    rel: &'a Path,
    text: &'a Arc<str>,
    body: &'a str,
    body_line: usize,
    url: &'a str,
    /// Its page, inside the output.
    output: &'a Path,
    section: Option<&'a str>,
    image: Option<&'a content::Image>,
    /// The folder of the output a bare name of its lead image is in.
    asset_folder: PathBuf,
    /// "post" or "page", for messages.
    noun: &'static str,
}

impl<'a> Doc<'a> {
    fn post(p: &'a SitePost) -> Doc<'a> {
        Doc {
            path: &p.post.path,
            rel: &p.post.rel,
            text: &p.post.text,
            body: &p.post.body,
            body_line: p.post.body_line,
            url: &p.url,
            output: &p.output,
            section: p.post.section.as_deref(),
            image: p.post.image.as_ref(),
            asset_folder: p.asset_folder(),
            noun: "post",
        }
    }

    fn page(p: &'a SitePage) -> Doc<'a> {
        Doc {
            path: &p.page.path,
            rel: &p.page.rel,
            text: &p.page.text,
            body: &p.page.body,
            body_line: p.page.body_line,
            url: &p.url,
            output: &p.output,
            section: None,
            image: p.page.image.as_ref(),
            asset_folder: p.asset_folder(),
            noun: "page",
        }
    }
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
fn image_location(doc: &Doc<'_>) -> Location {
    let lines: Vec<&str> = doc.text.lines().collect();
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
        Some((line, column)) => Location::new(doc.path, line, column),
        None => Location::file(doc.path),
    }
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
            heading_shift: 0,
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
