//! The assembled site: every published post with its URL and HTML, the sections, series,
//! taxonomies and authors, and what relates posts to each other.
//!
//! `Site::assemble` is where the whole-site rules live — which posts are published ("now",
//! drafts), where each one goes, whether two posts claim the same URL, whether authors and
//! internal links exist, how series and terms are put together — and where Markdown becomes
//! HTML, since internal links (and the menus' pages) need every URL. The result does not change
//! afterwards: rendering only reads it.
//!
//! Each rule is a step of its own module, testable alone; [`Site::assemble_with`] only lists
//! them in order. Publication and URLs can also be had without the rest ([`place`]).

pub mod aliases;
mod authors;
mod breakdown;
mod checks;
mod images;
mod links;
mod menus;
mod model;
mod pages;
mod patch;
mod publish;
mod related;
mod rendition;
mod sections;
pub mod series;
pub mod shortcodes;
pub mod taxonomy;
#[cfg(test)]
pub(crate) mod testing;
mod typeset;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use breakdown::{FINDING_KINDS, JourneyMap};
pub use images::Images;
pub use menus::{MenuEntry, Menus};
pub use model::{Alias, AuthorPage, BuildSettings, Redirect, Section, SitePage, SitePost};
pub use patch::Patch;
pub use publish::{Placed, Placement, Status, place, status};
pub use rendition::AssemblyMemo;
pub use series::{Part, Series};
pub use shortcodes::{NoShortcodes, ShortcodePage, Shortcodes};
pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

use crate::config::Config;
use crate::content::{Content, Post};
use crate::diagnostics::Diagnostics;
use crate::markdown;
use links::Targets;
use rendition::{Rendition, Resolve};

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub settings: BuildSettings,
    /// Published posts, newest first (ties broken by source path).
    pub posts: Vec<SitePost>,
    /// Published pages, by source path.
    pub pages: Vec<SitePage>,
    pub sections: Vec<Section>,
    /// In name order.
    pub authors: Vec<AuthorPage>,
    pub series: Vec<Series>,
    /// Rendered descriptions of `series`, same order.
    pub series_html: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
    /// The site's own links in the navigation and the footer (site.toml's `[[menu.*]]`).
    pub menus: Menus,
    /// The posts that exist but are not published.
    pub unpublished: Unpublished,
    /// The published images, for their sizes.
    pub images: Images,
}

/// The posts a build leaves out, for its summary line: drafts, scheduled posts, and the next
/// one to come out (a static site changes only when it is rebuilt).
#[derive(Debug, Clone, Default, Hash)]
pub struct Unpublished {
    pub drafts: usize,
    pub scheduled: usize,
    /// The first scheduled post to come out: its title and date.
    pub next: Option<(String, crate::content::PostDate)>,
}

impl Unpublished {
    /// Of `all` posts and pages not on the site, the `scheduled` posts and the rest (drafts).
    fn of(all: usize, scheduled: &[Post]) -> Unpublished {
        Unpublished {
            drafts: all - scheduled.len(),
            scheduled: scheduled.len(),
            next: (scheduled.iter().min_by_key(|p| (&p.date.instant, &p.path)))
                .map(|p| (p.title.clone(), p.date.clone())),
        }
    }
}

pub use crate::layout::{AUTHORS_PATH, SERIES_PATH};

impl Site {
    /// Places, checks and renders the parsed content.
    pub fn assemble(
        config: Config,
        settings: BuildSettings,
        content: Content,
    ) -> (Site, Diagnostics) {
        Site::assemble_with(config, settings, content, &NoShortcodes, None)
    }

    /// [`Site::assemble`], with the site's shortcodes, reusing and refreshing the rendered
    /// Markdown of `memo` when there is one.
    pub fn assemble_with(
        config: Config,
        settings: BuildSettings,
        content: Content,
        shortcodes: &dyn Shortcodes,
        mut memo: Option<&mut AssemblyMemo>,
    ) -> (Site, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let d = &mut diagnostics;
        let base = config.base_path.as_str();
        let options = model::markdown_options(&config);

        let bundle_indexes = bundle_indexes(&content);
        // Authors, on every post: a scheduled post must not break the build on its day.
        let authors = authors::check(content.authors, &content.posts, d);
        // Which posts are published, in order; each one's own checks; where each one goes.
        let publication = publish::sort_out(&settings, content.posts);
        let on_site = publication.posts.iter().map(|(p, _)| p);
        checks::each(on_site, &config.efforts, &authors, d);
        let mut placed = publish::give_urls(base, publication.posts, d);
        typeset::posts(&mut placed, &options);
        let (pages, pages_unpublished) = pages::place(base, &settings, content.pages, d);
        // Markdown, now that every URL is known; broken links and aliases, post by post.
        let page_urls = pages.iter().map(|p| (p.page.rel.as_path(), p.url.as_str()));
        let targets =
            Targets::new(&placed, publication.unpublished).with_pages(page_urls, pages_unpublished);
        // The site's menus go where internal links go.
        let menus = menus::resolve(&config, &targets, d);
        let resolve: &Resolve<'_> = &|path: &str| targets.resolve(path);
        let widths = &config.images.widths;
        let images = place_images(
            (base, widths),
            &content.images,
            bundle_indexes,
            &placed,
            &pages,
        );
        let measure: &rendition::Measure<'_> = &|url, src| images.from_page(url, src);
        let answers = (resolve, measure);
        let renditions =
            rendition::render_all(&placed, &options, answers, shortcodes, memo.as_deref_mut());
        let mut posts = site_posts(placed, renditions, &targets, d);
        let mut pages = pages::render(pages, &options, answers, shortcodes, &targets, d);
        let scheduled = &publication.scheduled;
        let gathered = gather(
            (content.series, scheduled),
            &mut posts,
            (&config, settings.now),
            &resolve,
            memo.as_deref_mut().map(AssemblyMemo::related),
            d,
        );
        let (series, series_html, mut taxonomies) = gathered;
        // Sections, then term pages that would land on a section or a post; authors' pages.
        let sections = sections::assemble(content.sections, &posts, base, &options);
        taxonomy::check_paths(&mut taxonomies, &sections, &posts, &config, d);
        taxonomy::typeset(&mut taxonomies, &options);
        pages::check_paths(&mut pages, &sections, &taxonomies, &config, d);
        let authors = authors::pages(authors, &posts, base, &options, &resolve);

        let site = Site {
            config,
            settings,
            posts,
            pages,
            sections,
            authors,
            series,
            series_html,
            taxonomies,
            menus,
            unpublished: Unpublished::of(targets.unpublished(), scheduled),
            images,
        };
        if let Some(memo) = memo {
            memo.keep_targets(targets);
        }
        (site, diagnostics)
    }

    /// Puts the new bodies of `files` (posts on the site, each with the same front matter as
    /// when the site was assembled) into the site at `now`, rendered with the site's shortcodes;
    /// `memo` is the one the site was assembled with. `None`, with the site and memo untouched,
    /// when that would not be exactly what assembling again gives (see [`patch`]).
    pub fn patch(
        &mut self,
        files: &[&crate::source::SourceFile],
        now: jiff::Timestamp,
        shortcodes: &dyn Shortcodes,
        memo: &mut AssemblyMemo,
    ) -> Option<Patch> {
        let next = self.unpublished.next.as_ref().map(|(_, d)| d.instant);
        let times = (now, self.settings.now);
        if !patch::same_at(times, &self.posts, next, &self.series) {
            return None;
        }
        let options = model::markdown_options(&self.config);
        let made = patch::rebody(
            &mut self.posts,
            files,
            (&options, &self.images),
            shortcodes,
            memo,
        )?;
        self.settings.now = now;
        Some(made)
    }

    /// Lets the posts' Markdown go, once rendered ([`crate::content::Post::release_body`]):
    /// for one-shot builds, which neither keep the site nor rebuild it.
    pub fn release_bodies(&mut self) {
        for p in &mut self.posts {
            p.post.release_body();
        }
        for p in &mut self.pages {
            p.page.body = crate::content::Body::from("");
        }
    }

    /// The years of the first and last published posts (for the copyright line): previews
    /// (`--drafts`) are not out, so they do not stretch them.
    pub fn years(&self) -> (i16, i16) {
        let now = self
            .settings
            .now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .year();
        let mut out = self.posts.iter().filter(|p| !p.preview);
        let last = out.next().map_or(now, |p| p.post.date.day.year());
        let first = out.next_back().map_or(last, |p| p.post.date.day.year());
        (first, last)
    }

    /// Whether `author` has a post out (previews do not count): the copyright line names them.
    pub fn credited(&self, author: &AuthorPage) -> bool {
        author.posts.iter().any(|&i| !self.posts[i].preview)
    }

    /// Every alias of the site's posts, then of its pages, with the page it redirects to.
    pub fn redirects(&self) -> Vec<Redirect<'_>> {
        let posts = self.posts.iter().flat_map(|p| {
            p.aliases.iter().map(|alias| Redirect {
                alias,
                title: &p.post.title,
                url: &p.url,
                source: &p.post.path,
                text: &p.post.text,
            })
        });
        let pages = self.pages.iter().flat_map(|p| {
            p.aliases.iter().map(|alias| Redirect {
                alias,
                title: &p.page.title,
                url: &p.url,
                source: &p.page.path,
                text: &p.page.text,
            })
        });
        posts.chain(pages).collect()
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }

    pub fn author(&self, slug: &str) -> Option<&AuthorPage> {
        self.authors.iter().find(|a| a.author.slug == slug)
    }
}

/// The Markdown files of the bundles among the posts and pages, published or not (relative to
/// `content/`): a bundle's images move with its page.
fn bundle_indexes(content: &Content) -> Vec<PathBuf> {
    let posts = content.posts.iter().map(|p| &p.rel);
    let pages = content.pages.iter().map(|p| &p.rel);
    (posts.chain(pages))
        .filter(|rel| crate::source::bundle_folder(rel).is_some())
        .cloned()
        .collect()
}

/// The images where they are published: a bundle's beside its page if it is published
/// (`indexes`: every bundle's Markdown file), nowhere if not.
fn place_images(
    (base, widths): (&str, &[u32]),
    measured: &crate::source::images::Measured,
    indexes: Vec<PathBuf>,
    posts: &[Placed<Post>],
    pages: &[pages::Placed],
) -> Images {
    if measured.images.is_empty() {
        return Images::default();
    }
    let mut bundles: HashMap<PathBuf, Option<PathBuf>> =
        indexes.into_iter().map(|rel| (rel, None)).collect();
    let posts = posts.iter().map(|p| (&p.post.rel, &p.output));
    for (rel, output) in posts.chain(pages.iter().map(|p| (&p.page.rel, &p.output))) {
        if let Some(folder) = bundles.get_mut(rel) {
            *folder = output.parent().map(PathBuf::from);
        }
    }
    Images::place(base, measured, &bundles, widths)
}

/// The posts as the site holds them: each placed post with its rendition, its broken internal
/// links reported and its aliases made. One step, so that a large site's posts are walked once.
fn site_posts(
    placed: Vec<Placed<Post>>,
    renditions: Vec<Arc<Rendition>>,
    targets: &Targets,
    diagnostics: &mut Diagnostics,
) -> Vec<SitePost> {
    let mut posts = Vec::with_capacity(placed.len());
    for (p, r) in placed.into_iter().zip(renditions) {
        patch::report(&p.post, &r, targets, diagnostics);
        let aliases = aliases::of(&p.post.aliases, &p.post.text, diagnostics);
        posts.push(SitePost {
            description: Arc::clone(&r.description),
            summary_html: Arc::clone(&r.summary_html),
            html: Arc::clone(&r.html),
            words: Arc::clone(&r.words),
            word_count: r.word_count,
            toc: Arc::clone(&r.toc),
            shortcodes: r.shortcodes.clone(),
            url: p.url,
            output: p.output,
            preview: p.preview,
            series: None,
            related: Vec::new(),
            aliases,
            post: p.post,
        });
    }
    posts
}

/// What gathers posts: the series (scheduled parts announced), the terms, then each post's
/// related posts (reusing `memo`'s when their inputs are the same).
fn gather(
    (files, scheduled): (Vec<crate::content::SeriesFile>, &[Post]),
    posts: &mut [SitePost],
    (config, now): (&Config, jiff::Timestamp),
    resolve: &Resolve<'_>,
    memo: Option<&mut related::Memo>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Series>, Vec<String>, Vec<Taxonomy>) {
    let (series, series_html) =
        assemble_series(files, posts, scheduled, config, now, resolve, diagnostics);
    let post_refs: Vec<&Post> = posts.iter().map(|p| &p.post).collect();
    let taxonomies = taxonomy::build_all(config, &post_refs, diagnostics);
    drop(post_refs);
    related::assign(posts, &series, &taxonomies, config.related_posts, memo);
    (series, series_html, taxonomies)
}

/// The series of the site, from the posts on it (each then told its series) and the scheduled
/// posts (announced), typeset, with their descriptions rendered (same order); `now` tells
/// which planned parts are overdue.
fn assemble_series(
    files: Vec<crate::content::SeriesFile>,
    posts: &mut [SitePost],
    scheduled: &[Post],
    config: &Config,
    now: jiff::Timestamp,
    resolve: &Resolve<'_>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Series>, Vec<String>) {
    let options = model::markdown_options(config);
    let post_refs: Vec<&Post> = posts.iter().map(|p| &p.post).collect();
    let scheduled_refs: Vec<&Post> = scheduled.iter().collect();
    let root = format!("{}{SERIES_PATH}/", config.base_path);
    let mut series = series::assemble(files, &post_refs, &scheduled_refs, &root, now, diagnostics);
    drop(post_refs);
    series::typeset(&mut series, &options);
    let html = series
        .iter()
        .map(|s| markdown::render(&s.description, &options, resolve).html)
        .collect();
    for (si, s) in series.iter().enumerate() {
        for i in s.published() {
            posts[i].series = Some(si);
        }
    }
    (series, html)
}
