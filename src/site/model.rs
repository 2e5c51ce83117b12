//! The parts of the assembled site: a published post or page with its URL and HTML, a section,
//! an author's page. The assembly steps (sibling modules) make them; [`super::Site`] holds them.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::content::{Author, Page, Post};
use crate::diagnostics::Location;
use crate::markdown;

/// What the build was asked for, besides the site's own configuration.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Include drafts and scheduled posts (for previews).
    pub drafts: bool,
    /// "Now": the build time, or `SOURCE_DATE_EPOCH`.
    pub now: Timestamp,
}

/// A published post, placed and rendered.
#[derive(Debug, Clone)]
pub struct SitePost {
    pub post: Post,
    /// Root-relative URL: `/breves/punition/`.
    pub url: String,
    /// The file it is written to, inside the output folder.
    pub output: PathBuf,
    pub html: Arc<str>,
    pub summary_html: Arc<str>,
    /// The summary as plain text, for meta descriptions and feeds.
    pub description: Arc<str>,
    /// The distinct words of the body, folded for the search index ([`crate::words`]).
    pub words: Arc<str>,
    /// Words of the body, for the reading time (counted once, not per page that lists it).
    pub word_count: usize,
    /// Headings of levels 2 and 3, for the table of contents.
    pub toc: Arc<[markdown::Heading]>,
    /// The shortcodes its Markdown used, with their digests.
    pub shortcodes: super::shortcodes::Used,
    /// A draft or a post dated after "now", shown only because of `--drafts`.
    pub preview: bool,
    /// Index into `Site::series`.
    pub series: Option<usize>,
    /// Related posts, best first (indexes into `Site::posts`).
    pub related: Vec<usize>,
    /// Old addresses that redirect here.
    pub aliases: Vec<Alias>,
}

/// A published page, placed and rendered: in no list, feed or taxonomy.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub page: Page,
    /// Root-relative URL: `/mentions-legales/`.
    pub url: String,
    /// The file it is written to, inside the output folder.
    pub output: PathBuf,
    pub html: Arc<str>,
    /// The `description` key, else the first paragraph, as plain text.
    pub description: Arc<str>,
    /// The distinct words of the body, folded for the search index.
    pub words: Arc<str>,
    pub word_count: usize,
    /// Headings of levels 2 and 3, for the table of contents.
    pub toc: Arc<[markdown::Heading]>,
    /// The shortcodes its Markdown used, with their digests.
    pub shortcodes: super::shortcodes::Used,
    /// A draft, shown only because of `--drafts`.
    pub preview: bool,
    /// Old addresses that redirect here.
    pub aliases: Vec<Alias>,
}

impl SitePost {
    /// The folder of the output that a bare name in the front matter's `image` is in: the
    /// page's own for a bundle, whose files are published beside it (`articles/mon-billet`),
    /// else the section's, where the files beside the post's source are (`breves`).
    pub fn asset_folder(&self) -> PathBuf {
        match crate::source::bundle_folder(&self.post.rel) {
            Some(_) => self.output.parent().map(PathBuf::from).unwrap_or_default(),
            None => PathBuf::from(self.post.section.as_deref().unwrap_or_default()),
        }
    }
}

impl SitePage {
    /// The folder of the output that a bare name in the front matter's `image` is in: the
    /// page's own for a bundle (`a-propos`), else the root, where a file beside a page's source
    /// (directly under `content/`) is published.
    pub fn asset_folder(&self) -> PathBuf {
        match crate::source::bundle_folder(&self.page.rel) {
            Some(_) => self.output.parent().map(PathBuf::from).unwrap_or_default(),
            None => PathBuf::new(),
        }
    }
}

/// An old address of a post or a page, from its `aliases`.
#[derive(Debug, Clone, Hash)]
pub struct Alias {
    /// As written: `/ancienne/adresse/`.
    pub written: String,
    /// The redirect page, inside the output folder.
    pub path: PathBuf,
    /// Where the front matter names it, for errors (an alias colliding with a page).
    pub location: Location,
}

/// An alias of a post or a page, with the page it redirects to: what the redirect page and
/// the messages about it need.
#[derive(Debug, Clone, Copy)]
pub struct Redirect<'a> {
    pub alias: &'a Alias,
    /// The title of the page it redirects to.
    pub title: &'a str,
    /// The root-relative URL it redirects to.
    pub url: &'a str,
    /// The source of that page, for messages: `content/breves/x.md`.
    pub source: &'a std::path::Path,
    /// Its text, to show the alias's line.
    pub text: &'a str,
}

/// A section: a folder under `content/` with its published posts.
#[derive(Debug, Clone, Hash)]
pub struct Section {
    pub name: String,
    pub title: String,
    pub description: String,
    pub url: String,
    /// Indexes into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// An author with their page and posts.
#[derive(Debug, Clone, Hash)]
pub struct AuthorPage {
    pub author: Author,
    pub url: String,
    pub bio_html: String,
    /// Indexes into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// How the site's Markdown and texts are set: its language, typography and code highlighting.
pub fn markdown_options(config: &crate::config::Config) -> markdown::Options {
    markdown::Options {
        language: config.language,
        typography: config.typography,
        highlight: config.highlight_code,
        heading_shift: 0,
    }
}
