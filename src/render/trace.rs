//! What each page read when it was rendered, so that a rebuild renders only the pages whose
//! inputs changed (`chronique serve`: one saved post among 10 000 must not cost a full render).
//!
//! A page is a function of three things:
//!
//! - the *global* inputs: the templates, the settings and interface strings, and the `site`
//!   value every page gets (navigation, menus, copyright years);
//! - the *structure* of the site: which posts exist in which order with which URLs, the
//!   sections, series, taxonomies and authors with the lists of posts they hold, each post's
//!   related posts and series — everything that decides *which* posts a page shows;
//! - the posts it shows. A post's own values (title, date, body, summary, terms as written…)
//!   all come from its one file, so the file's hash ([`crate::content::Post::digest`]) stands
//!   for them.
//!
//! Views reach a post only through [`record`] (see `Views::post_at`), so rendering a page
//! leaves the list of posts it read. When the global inputs and the structure hash the same as
//! last time, a page whose posts all have the same digests would come out byte for byte the
//! same, and is not rendered again. Anything else renders every page.

use std::cell::RefCell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use crate::site::{Site, SitePage, SitePost};

thread_local! {
    /// The posts read by the page being rendered on this thread.
    static READS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Notes that the page being rendered read post `index`.
pub(crate) fn record(index: usize) {
    READS.with(|r| r.borrow_mut().push(index as u32));
}

/// Runs `make` with a recording of its own, and gives back what it made with the posts it
/// read; the recording of the page around it goes on unchanged afterwards.
pub(crate) fn apart<T>(make: impl FnOnce() -> T) -> (T, Box<[u32]>) {
    let outer = READS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let made = make();
    let mut reads = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    reads.sort_unstable();
    reads.dedup();
    (made, reads.into_boxed_slice())
}

/// Starts recording for a page on this thread.
pub(crate) fn begin() {
    READS.with(|r| r.borrow_mut().clear());
}

/// The posts the page read, each once, with their digests.
pub(crate) fn finish(site: &Site) -> Vec<(u32, u64)> {
    let mut reads = READS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    reads.sort_unstable();
    reads.dedup();
    reads
        .into_iter()
        .filter_map(|i| Some((i, digest(site, i as usize)?)))
        .collect()
}

/// The digest of what a page reads as `index`: post `index`, or past the posts, page
/// `index - posts` (a page's own values come from its one file, like a post's, and from the
/// shortcode templates its Markdown used).
fn digest(site: &Site, index: usize) -> Option<u64> {
    let (file, shortcodes) = match site.posts.get(index) {
        Some(p) => (p.post.digest, &p.shortcodes),
        None => site
            .pages
            .get(index - site.posts.len())
            .map(|p| (p.page.digest, &p.shortcodes))?,
    };
    Some(match shortcodes.digest() {
        0 => file,
        used => {
            let mut h = DefaultHasher::new();
            (file, used).hash(&mut h);
            h.finish()
        }
    })
}

/// Notes that the page being rendered read page `index` of the site (see [`digest`]).
pub(crate) fn record_page(site: &Site, index: usize) {
    record(site.posts.len() + index);
}

/// One page of the last build: where it went and what it read.
#[derive(Debug, Clone)]
pub struct PageTrace {
    pub path: PathBuf,
    /// What the page is, for messages (`content/breves/x.md`, "the home page").
    pub origin: String,
    pub reads: Vec<(u32, u64)>,
}

impl PageTrace {
    /// Whether every post the page read is still the same.
    pub fn holds_for(&self, site: &Site) -> bool {
        (self.reads.iter()).all(|&(i, read)| digest(site, i as usize) == Some(read))
    }
}

/// The pages of the last successful build, in the order of the render jobs.
#[derive(Debug, Clone, Default)]
pub struct Traces {
    /// The hash of the global inputs and the structure the pages were rendered with.
    pub key: u64,
    pub pages: Vec<PageTrace>,
}

/// The hash of everything but the posts' own values (see the module's comment), from the values
/// themselves (`Hash`), so that no field can be left out by accident. `global` is the serialised
/// base context of the pages; `templates` the hash of the theme's sources.
pub fn key(site: &Site, global: &str, templates: u64) -> u64 {
    let mut h = DefaultHasher::new();
    (global, templates).hash(&mut h);
    // The settings views may consult (language, paths, pagination…). "Now" is left out: it
    // changes at every rebuild, and only matters through what it publishes, hashed below.
    (&site.config, site.settings.drafts).hash(&mut h);
    for p in &site.posts {
        // Every field named, so that a new one does not compile until it is placed: either
        // structure (hashed here) or the post's own value (stood for by its file's digest).
        let SitePost {
            post,
            url,
            output,
            preview,
            series,
            related,
            aliases,
            html: _,
            summary_html: _,
            description: _,
            words: _,
            word_count: _,
            toc: _,
            shortcodes: _,
        } = p;
        (&post.path, url, output, preview, series, related, aliases).hash(&mut h);
    }
    let crate::site::Site {
        config: _,
        settings: _,
        posts: _,
        pages,
        sections,
        authors,
        series,
        series_html,
        taxonomies,
        menus,
        unpublished,
        images,
    } = site;
    for p in pages {
        let SitePage {
            page,
            url,
            output,
            preview,
            aliases,
            html: _,
            description: _,
            words: _,
            word_count: _,
            toc: _,
            shortcodes: _,
        } = p;
        (&page.path, url, output, preview, aliases).hash(&mut h);
    }
    // The menus are on every page: any change to them renders every page.
    (sections, authors, series, series_html, menus, unpublished).hash(&mut h);
    // The sizes of the images: a body's `<img>` and a lead image carry them, and no post's
    // digest covers them (they come from the image files). Any change renders every page.
    images.hash(&mut h);
    for t in taxonomies {
        (t.kind, &t.url, &t.terms).hash(&mut h);
    }
    h.finish()
}
