//! The assembled site: every published post with its URL and HTML, the sections, series,
//! taxonomies and authors, and what relates posts to each other.
//!
//! `Site::assemble` is where the whole-site rules live — which posts are published ("now",
//! drafts), where each one goes, whether two posts claim the same URL, whether authors and
//! internal links exist, how series and terms are put together — and where Markdown becomes
//! HTML, since internal links need every URL. The result does not change afterwards: rendering
//! only reads it.

mod breakdown;
mod model;
mod related;
pub mod series;
pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub use breakdown::FINDING_KINDS;
pub use model::{Alias, AuthorPage, BuildSettings, Section, SitePost};
pub use series::{Part, Series};
pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

use crate::config::Config;
use crate::content::{Author, Content, Post, SectionMeta, capitalise, link_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::markdown;
use crate::slug::slugify;

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub settings: BuildSettings,
    /// Published posts, newest first (ties broken by source path).
    pub posts: Vec<SitePost>,
    pub sections: Vec<Section>,
    /// In name order.
    pub authors: Vec<AuthorPage>,
    pub series: Vec<Series>,
    /// Rendered descriptions of `series`, same order.
    pub series_html: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
    /// How many posts exist but are not published (drafts, scheduled).
    pub unpublished: usize,
}

pub use crate::layout::{AUTHORS_PATH, SERIES_PATH};

/// What assembling keeps between the rebuilds of `chronique serve`: each post's Markdown as
/// rendered, and the related posts of every post.
///
/// A post's HTML is a function of its body and summary, the rendering options, and the answers
/// to the internal links it asked for (`@/breves/x.md` → its URL, or none). An entry is reused
/// only when all of these are the same, so it is exactly what rendering again would give. The
/// related posts are kept with a hash of everything they are computed from (dates, terms,
/// series, the limit).
#[derive(Default)]
pub struct AssemblyMemo {
    options: Option<markdown::Options>,
    posts: HashMap<PathBuf, Arc<Rendition>>,
    related: Option<(u64, Vec<Vec<usize>>)>,
}

/// One post's Markdown, rendered, with what it depended on.
struct Rendition {
    body: crate::content::Body,
    summary: Option<String>,
    /// Every internal link looked up while rendering, with the answer.
    asked: Vec<(String, Option<String>)>,
    html: Arc<str>,
    summary_html: Arc<str>,
    description: Arc<str>,
    words: Arc<str>,
    word_count: usize,
    toc: Arc<[markdown::Heading]>,
    broken: Vec<markdown::BrokenLink>,
    summary_broken: Vec<markdown::BrokenLink>,
}

impl Rendition {
    fn new(
        post: &Post,
        options: &markdown::Options,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Self {
        let asked = Mutex::new(Vec::new());
        let ask = |path: &str| {
            let answer = resolve(path);
            if let Ok(mut asked) = asked.lock() {
                asked.push((path.to_string(), answer.clone()));
            }
            answer
        };
        let r = markdown::render(&post.body, options, &ask);
        let summary = post
            .summary
            .as_deref()
            .map(|s| markdown::render(s, options, &ask));
        let mut words = crate::words::Distinct::new();
        words.add(&r.text);
        let word_count = words.tokens();
        let (summary_html, summary_broken) = match summary {
            Some(s) => (s.html, s.broken_links),
            None => (r.summary, Vec::new()),
        };
        Rendition {
            body: post.body.clone(),
            summary: post.summary.clone(),
            asked: asked.into_inner().unwrap_or_default(),
            description: markdown::plain_text(&summary_html).into(),
            summary_html: summary_html.into(),
            html: r.html.into(),
            words: words.finish().into(),
            word_count,
            toc: r.toc.into(),
            broken: r.broken_links,
            summary_broken,
        }
    }

    /// Whether this is what rendering `post` now would give.
    fn holds_for(&self, post: &Post, resolve: &dyn Fn(&str) -> Option<String>) -> bool {
        (self.body.same(&post.body) || *self.body == *post.body)
            && self.summary == post.summary
            && self
                .asked
                .iter()
                .all(|(path, answer)| resolve(path) == *answer)
    }
}

impl Site {
    /// Places, checks and renders the parsed content.
    pub fn assemble(
        config: Config,
        settings: BuildSettings,
        content: Content,
    ) -> (Site, Diagnostics) {
        Site::assemble_with(config, settings, content, None)
    }

    /// [`Site::assemble`], reusing and refreshing the rendered Markdown of `memo` when there
    /// is one.
    pub fn assemble_with(
        config: Config,
        settings: BuildSettings,
        content: Content,
        mut memo: Option<&mut AssemblyMemo>,
    ) -> (Site, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let base = config.base_path.clone();

        // Authors, and posts naming unknown ones: every post, published or not, so that a
        // scheduled post does not break the build on the day it comes out.
        let mut authors: BTreeMap<String, Author> = content
            .authors
            .into_iter()
            .map(|a| (a.slug.clone(), a))
            .collect();
        let known: Vec<String> = authors.keys().cloned().collect();
        for post in &content.posts {
            for a in &post.authors {
                if !authors.contains_key(&a.value) {
                    let mut d = Diagnostic::error(
                        Some(a.location.clone()),
                        format!("unknown author \"{}\"", a.value),
                    )
                    .with_source(&post.text);
                    if let Some(hint) =
                        crate::diagnostics::did_you_mean(&a.value, known.iter().map(String::as_str))
                    {
                        d = d.with_note(format!("did you mean `{hint}`?"));
                    }
                    d = d.with_note(if known.is_empty() {
                        "there is no author yet: add content/authors/<slug>.md".to_string()
                    } else {
                        format!("known authors: {}", known.join(", "))
                    });
                    diagnostics.push(d);
                }
            }
        }

        // Which posts are published.
        let mut unpublished_keys: HashMap<String, String> = HashMap::new();
        let mut published: Vec<(Post, bool)> = Vec::new();
        let mut scheduled: Vec<Post> = Vec::new();
        for post in content.posts {
            let is_scheduled = post.date.instant > settings.now;
            if (post.draft || is_scheduled) && !settings.drafts {
                let why = if post.draft {
                    "a draft".to_string()
                } else {
                    format!("scheduled for {}", post.date.datetime)
                };
                unpublished_keys.insert(link_key(&post.rel), why);
                if !post.draft {
                    scheduled.push(post);
                }
            } else {
                let preview = post.draft || is_scheduled;
                published.push((post, preview));
            }
        }
        // Sorted by index: a post is large, and moving 10 000 of them around is slower than
        // sorting numbers and moving each once.
        let mut order: Vec<usize> = (0..published.len()).collect();
        order.sort_by(|&i, &j| {
            let (a, b) = (&published[i].0, &published[j].0);
            b.date
                .instant
                .cmp(&a.date.instant)
                .then_with(|| a.path.cmp(&b.path))
        });
        let mut slots: Vec<Option<(Post, bool)>> = published.into_iter().map(Some).collect();
        let mut published: Vec<(Post, bool)> =
            order.into_iter().filter_map(|i| slots[i].take()).collect();
        scheduled.sort_by(|a, b| a.path.cmp(&b.path));

        for (post, _) in &published {
            breakdown::check(post, &config.efforts, &mut diagnostics);
            check_image_alt(post, &mut diagnostics);
        }

        // URLs, and posts claiming the same one (the later ones are left out, once reported).
        let mut by_url: HashMap<String, usize> = HashMap::new();
        let mut urls = Vec::with_capacity(published.len());
        let mut duplicates = Vec::new();
        for (i, (post, _)) in published.iter().enumerate() {
            let rel_dir = match &post.section {
                Some(section) => format!("{}/{}/", slugify(section), post.slug),
                None => format!("{}/", post.slug),
            };
            let url = format!("{base}{rel_dir}");
            if let Some(&first) = by_url.get(&url) {
                duplicates.push(i);
                let other = &published[first].0;
                diagnostics.push(
                    Diagnostic::error(
                        Some(Location::file(&post.path)),
                        format!(
                            "two posts have the same URL {url}: {} and {}",
                            display_path(&other.path),
                            display_path(&post.path)
                        ),
                    )
                    .with_note("rename one of the files, or give it another `slug`"),
                );
            } else {
                by_url.insert(url.clone(), i);
            }
            urls.push((url, PathBuf::from(format!("{rel_dir}index.html"))));
        }
        for &i in duplicates.iter().rev() {
            published.remove(i);
            urls.remove(i);
        }
        let by_key: HashMap<String, String> = published
            .iter()
            .zip(&urls)
            .map(|((p, _), (url, _))| (link_key(&p.rel), url.clone()))
            .collect();

        // Markdown, in parallel; broken internal links become errors at their line.
        let resolve = |path: &str| by_key.get(path.trim_start_matches('/')).cloned();
        let options = markdown::Options {
            language: config.language,
            typography: config.typography,
            highlight: config.highlight_code,
        };
        // The posts' own texts (title, breakdown) in the site's typography, in parallel too.
        published
            .par_iter_mut()
            .for_each(|(post, _)| typeset_post(post, &options));
        let rendered: Vec<Arc<Rendition>> = match &mut memo {
            None => published
                .par_iter()
                .map(|(post, _)| Arc::new(Rendition::new(post, &options, &resolve)))
                .collect(),
            Some(memo) => {
                if memo.options != Some(options) {
                    memo.posts.clear();
                    memo.options = Some(options);
                }
                let rendered: Vec<Arc<Rendition>> = published
                    .par_iter()
                    .map(|(post, _)| match memo.posts.get(&post.path) {
                        Some(r) if r.holds_for(post, &resolve) => Arc::clone(r),
                        _ => Arc::new(Rendition::new(post, &options, &resolve)),
                    })
                    .collect();
                let present: HashMap<&std::path::Path, &Arc<Rendition>> = published
                    .iter()
                    .zip(&rendered)
                    .map(|((post, _), r)| (post.path.as_path(), r))
                    .collect();
                memo.posts
                    .retain(|path, _| present.contains_key(path.as_path()));
                for (path, r) in present {
                    match memo.posts.get_mut(path) {
                        Some(known) => {
                            if !Arc::ptr_eq(known, r) {
                                *known = Arc::clone(r);
                            }
                        }
                        None => {
                            memo.posts.insert(path.to_path_buf(), Arc::clone(r));
                        }
                    }
                }
                rendered
            }
        };
        let mut posts = Vec::with_capacity(published.len());
        for (((post, preview), (url, output)), r) in published.into_iter().zip(urls).zip(rendered) {
            for link in &r.summary_broken {
                let why = match unpublished_keys.get(&link.target) {
                    Some(why) => format!("it is not published ({why})"),
                    None => format!("content/{} does not exist", link.target),
                };
                let location = post
                    .text
                    .lines()
                    .position(|l| l.trim_start().starts_with("summary:"))
                    .map_or(Location::file(&post.path), |i| {
                        Location::new(&post.path, i + 1, 1)
                    });
                diagnostics.push(
                    Diagnostic::error(
                        Some(location),
                        format!(
                            "broken internal link to @/{} in the summary: {why}",
                            link.target
                        ),
                    )
                    .with_source(&post.text),
                );
            }
            for link in &r.broken {
                let (line, column) = crate::diagnostics::line_col(&post.body, link.offset);
                let why = match unpublished_keys.get(&link.target) {
                    Some(why) => format!("it is not published ({why})"),
                    None => format!("content/{} does not exist", link.target),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Some(Location::new(&post.path, line + post.body_line - 1, column)),
                        format!("broken internal link to @/{}: {why}", link.target),
                    )
                    .with_source(&post.text),
                );
            }
            let aliases = alias_paths(&post, &mut diagnostics);
            posts.push(SitePost {
                description: Arc::clone(&r.description),
                summary_html: Arc::clone(&r.summary_html),
                html: Arc::clone(&r.html),
                words: Arc::clone(&r.words),
                word_count: r.word_count,
                toc: Arc::clone(&r.toc),
                url,
                output,
                preview,
                series: None,
                related: Vec::new(),
                aliases,
                post,
            });
        }

        // Series.
        let post_refs: Vec<&Post> = posts.iter().map(|p| &p.post).collect();
        let scheduled_refs: Vec<&Post> = scheduled.iter().collect();
        let series = series::assemble(
            content.series,
            &post_refs,
            &scheduled_refs,
            &format!("{base}{SERIES_PATH}/"),
            &mut diagnostics,
        );
        let mut series = series;
        for s in &mut series {
            s.title = markdown::typeset(&options, &s.title);
            for part in &mut s.parts {
                part.title = markdown::typeset(&options, &part.title);
                for line in &mut part.outline {
                    *line = markdown::typeset(&options, line);
                }
            }
        }
        let series_html: Vec<String> = series
            .iter()
            .map(|s| markdown::render(&s.description, &options, &resolve).html)
            .collect();
        drop(post_refs);
        for (si, s) in series.iter().enumerate() {
            for i in s.published() {
                posts[i].series = Some(si);
            }
        }
        let post_refs: Vec<&Post> = posts.iter().map(|p| &p.post).collect();

        // Taxonomies.
        let paths = &config.taxonomies;
        let efforts = &config.efforts;
        let mut taxonomies: Vec<Taxonomy> = TaxonomyKind::ALL
            .iter()
            .map(|&kind| {
                let segment = match kind {
                    TaxonomyKind::Irritants => &paths.irritants,
                    TaxonomyKind::Tags => &paths.tags,
                    TaxonomyKind::Efforts => &paths.efforts,
                };
                taxonomy::build(
                    kind,
                    format!("{base}{segment}/"),
                    &post_refs,
                    |p| match kind {
                        TaxonomyKind::Irritants => {
                            located_terms(p, &p.irritants, &p.term_locations.irritants)
                        }
                        TaxonomyKind::Tags => located_terms(p, &p.tags, &p.term_locations.tags),
                        TaxonomyKind::Efforts => effort_names(p, efforts),
                    },
                    &mut diagnostics,
                )
            })
            .collect();

        drop(post_refs);

        // Related posts.
        let series_of: Vec<Option<usize>> = posts.iter().map(|p| p.series).collect();
        let series_parts: Vec<Vec<usize>> = series
            .iter()
            .map(|s| {
                let mut v: Vec<usize> = s.published().collect();
                v.sort_unstable();
                v
            })
            .collect();
        let inputs = related::Inputs {
            posts: &posts,
            series_of: &series_of,
            series_parts: &series_parts,
            taxonomies: &taxonomies,
            limit: config.related_posts,
        };
        // Reused from the last build when its inputs are the same (hashed only for a session).
        let related = match memo {
            Some(m) => {
                let hash = inputs.hash();
                let related = match m.related.take() {
                    Some((h, r)) if h == hash && r.len() == posts.len() => r,
                    _ => inputs.compute(),
                };
                m.related = Some((hash, related.clone()));
                related
            }
            None => inputs.compute(),
        };
        for (p, r) in posts.iter_mut().zip(related) {
            p.related = r;
        }

        // Sections: every folder with posts, and every `_index.md`.
        let mut metas: BTreeMap<String, SectionMeta> = content
            .sections
            .into_iter()
            .filter(|s| !s.name.is_empty() && s.name != "authors" && s.name != "series")
            .map(|s| (s.name.clone(), s))
            .collect();
        let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            if let Some(s) = &p.post.section {
                members.entry(s.clone()).or_default().push(i);
            }
        }
        for name in members.keys() {
            metas.entry(name.clone()).or_insert_with(|| SectionMeta {
                name: name.clone(),
                title: capitalise(name),
                description: String::new(),
            });
        }
        let mut sections: Vec<Section> = metas
            .into_values()
            .map(|m| Section {
                url: format!("{base}{}/", slugify(&m.name)),
                posts: members.remove(&m.name).unwrap_or_default(),
                name: m.name,
                title: markdown::typeset(&options, &m.title),
                description: markdown::typeset(&options, &m.description),
            })
            .collect();
        sections.sort_by(|a, b| a.title.cmp(&b.title).then(a.name.cmp(&b.name)));
        taxonomy::check_paths(
            &mut taxonomies,
            &sections,
            &posts,
            &config,
            &mut diagnostics,
        );

        // Authors' pages.
        let mut written_by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            for a in &p.post.authors {
                let list = written_by.entry(a.value.as_str()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut author_pages: Vec<AuthorPage> = std::mem::take(&mut authors)
            .into_values()
            .map(|a| AuthorPage {
                url: format!("{base}{AUTHORS_PATH}/{}/", a.slug),
                bio_html: markdown::render(&a.body, &options, &resolve).html,
                posts: written_by.remove(a.slug.as_str()).unwrap_or_default(),
                author: a,
            })
            .collect();
        author_pages.sort_by(|a, b| {
            a.author
                .name
                .cmp(&b.author.name)
                .then(a.author.slug.cmp(&b.author.slug))
        });

        let site = Site {
            config,
            settings,
            posts,
            sections,
            authors: author_pages,
            series,
            series_html,
            taxonomies,
            unpublished: unpublished_keys.len(),
        };
        (site, diagnostics)
    }

    /// Lets the posts' Markdown go, once rendered ([`crate::content::Post::release_body`]):
    /// for one-shot builds, which neither keep the site nor rebuild it.
    pub fn release_bodies(&mut self) {
        for p in &mut self.posts {
            p.post.release_body();
        }
    }

    /// The years of the first and last published posts (for the copyright line).
    pub fn years(&self) -> (i16, i16) {
        let now = self
            .settings
            .now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .year();
        let first = self.posts.last().map_or(now, |p| p.post.date.day.year());
        let last = self.posts.first().map_or(now, |p| p.post.date.day.year());
        (first, last)
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }

    pub fn author(&self, slug: &str) -> Option<&AuthorPage> {
        self.authors.iter().find(|a| a.author.slug == slug)
    }
}

/// A post's terms with where each is written.
fn located_terms(post: &Post, terms: &[String], at: &[Location]) -> Vec<(String, Location)> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = at.get(i).cloned();
            (t.clone(), at.unwrap_or_else(|| Location::file(&post.path)))
        })
        .collect()
}

/// The display names of the effort types a breakdown's findings name (known ones only), with
/// where each is first named.
fn effort_names(post: &Post, efforts: &[crate::config::EffortType]) -> Vec<(String, Location)> {
    let Some(b) = &post.breakdown else {
        return Vec::new();
    };
    let mut names: Vec<(String, Location)> = Vec::new();
    for f in &b.findings {
        if let Some(e) = &f.effort
            && let Some(t) = efforts.iter().find(|t| &t.id == e)
            && !names.iter().any(|(n, _)| *n == t.name)
        {
            let at = f.at.effort.clone().unwrap_or_else(|| f.at.kind.clone());
            names.push((t.name.clone(), at));
        }
    }
    names
}

/// The output files of a post's aliases; bad ones are errors.
fn alias_paths(post: &Post, diagnostics: &mut Diagnostics) -> Vec<Alias> {
    let mut out = Vec::new();
    for alias in &post.aliases {
        let raw = alias.value.trim();
        let path = raw
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let bad = segments.is_empty()
            || raw.contains("://")
            || segments.iter().any(|s| {
                *s == "."
                    || *s == ".."
                    || s.contains('\\')
                    || s.contains('%')
                    || s.contains(char::is_control)
            });
        if bad {
            diagnostics.push(
                Diagnostic::error(
                    Some(alias.location.clone()),
                    format!(
                        "alias \"{}\" is not a path on this site (write it like /ancienne/adresse/)",
                        raw.escape_debug()
                    ),
                )
                .with_source(&post.text),
            );
            continue;
        }
        let mut file: PathBuf = segments.iter().collect();
        if !path.ends_with(".html") && !path.ends_with(".htm") {
            file.push("index.html");
        }
        out.push(Alias {
            written: raw.to_string(),
            path: file,
            location: alias.location.clone(),
        });
    }
    out
}

/// A lead image needs its text alternative: a warning, at `image:`, when `alt` is missing or blank.
fn check_image_alt(post: &Post, diagnostics: &mut Diagnostics) {
    let Some(image) = &post.image else { return };
    if !image.alt.trim().is_empty() {
        return;
    }
    let at = breakdown::key_location(post, "image").unwrap_or_else(|| Location::file(&post.path));
    diagnostics.push(
        Diagnostic::warning(
            Some(at),
            format!(
                "the lead image `{}` has no `alt` text: describe it for readers who cannot see it",
                image.src
            ),
        )
        .with_source(&post.text),
    );
}

/// A post's own texts outside Markdown (title, breakdown) in the site's typography. Term names
/// are left as typed: they are keys, compared and slugified.
fn typeset_post(post: &mut Post, options: &markdown::Options) {
    if !options.typography {
        return;
    }
    let set = |s: &mut String| *s = markdown::typeset(options, s);
    set(&mut post.title);
    if let Some(image) = &mut post.image
        && let Some(credit) = &mut image.credit
    {
        set(credit);
    }
    if let Some(b) = &mut post.breakdown {
        if let Some(c) = &mut b.context {
            set(c);
        }
        b.steps.iter_mut().for_each(set);
        b.basics.iter_mut().for_each(set);
        for f in &mut b.findings {
            set(&mut f.title);
            set(&mut f.detail);
        }
    }
}
