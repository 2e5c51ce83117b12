//! Rendering: the assembled site through the theme's Tera templates, into files in memory.
//!
//! Every page is a job (lists and their pages, posts, series, taxonomies, authors, search,
//! 404); jobs are rendered in parallel and come back as [`OutputFile`]s in a fixed order, so
//! output does not depend on scheduling. Feeds, the sitemap, redirects and the search index are
//! written by Rust code ([`feeds`], [`search`]), not templates. Template errors name the
//! template file, its line and column, with the line shown. Two pages that would be written to
//! the same file are an error naming both.

pub mod cached;
pub mod feeds;
mod file;
pub mod i18n;
pub mod search;
pub mod trace;
pub mod views;

pub use file::{OutputFile, output_path};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::layout::{AUTHORS_PATH, SERIES_PATH, search_path};
use crate::site::Site;
use crate::source::TemplateSource;
use views::Views;

/// The templates every theme must have.
const REQUIRED: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "404.html",
    "series.html",
    "series_index.html",
    "taxonomy.html",
    "taxonomy_term.html",
    "author.html",
    "authors.html",
    "search.html",
];

/// The compiled templates of the theme and the site.
pub struct Theme {
    /// Shared with the `include_cached` function, which renders partials with it.
    tera: std::sync::Arc<Tera>,
    /// The state of `include_cached`.
    cache: std::sync::Arc<cached::Cache>,
    /// Template name → (file path for messages, text), to show the offending line.
    sources: HashMap<String, (PathBuf, String)>,
}

impl Theme {
    /// Compiles the templates; every syntax error and missing required template is reported.
    pub fn compile(
        templates: &[TemplateSource],
        language: crate::language::Language,
    ) -> Result<Theme, Diagnostics> {
        let sources: HashMap<String, (PathBuf, String)> = templates
            .iter()
            .map(|t| (t.name.clone(), (t.path.clone(), t.text.clone())))
            .collect();
        let mut diagnostics = Diagnostics::new();
        // With no template at all, the missing theme was already reported.
        for name in REQUIRED.iter().filter(|_| !templates.is_empty()) {
            if !sources.contains_key(*name) {
                diagnostics.push(Diagnostic::error(
                    Some(Location::file("site.toml")),
                    format!(
                        "the theme has no template {name}: add themes/<theme>/templates/{name} or templates/{name}"
                    ),
                ));
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // `{{ page.date.iso | date_in_words }}` → « 17 décembre 2019 », « 1er mars 2020 ».
        tera.register_filter(
            "date_in_words",
            move |value: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let day = value
                    .get(..10)
                    .and_then(|d| d.parse::<jiff::civil::Date>().ok());
                match day {
                    Some(day) => Ok(i18n::date_in_words(language, day)),
                    None => Err(tera::Error::message(format!(
                        "date_in_words: \"{value}\" is not a date like 2019-12-17"
                    ))),
                }
            },
        );
        let cache = cached::Cache::register(&mut tera);
        let result = tera.add_raw_templates(templates.iter().map(|t| (&t.name, &t.text)));
        let tera = std::sync::Arc::new(tera);
        cache.attach(&tera);
        let theme = Theme {
            tera,
            cache,
            sources,
        };
        if let Err(e) = result {
            diagnostics.push(theme.diagnostic(&e, None));
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(theme)
        }
    }

    /// A hash of every template's name and text.
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut names: Vec<(&String, &String)> = self
            .sources
            .iter()
            .map(|(n, (_, text))| (n, text))
            .collect();
        names.sort();
        let mut h = std::hash::DefaultHasher::new();
        names.hash(&mut h);
        h.finish()
    }

    fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The page's bytes. Tera writes them straight into a buffer: its `render` would check the
    /// whole page is UTF-8 (it is: Tera only writes strings) to make a `String` of it.
    fn render(&self, name: &str, context: &Context, page: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, context, &mut html)
            .map_err(|e| self.diagnostic(&e, Some((name, page))))?;
        Ok(html)
    }

    /// A Tera error as a diagnostic on the template file, line and column.
    fn diagnostic(&self, e: &tera::Error, rendering: Option<(&str, &str)>) -> Diagnostic {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut d = match report {
            Some(r) => {
                let name = if r.filename().is_empty() {
                    rendering.map_or("", |(n, _)| n)
                } else {
                    r.filename()
                };
                let (path, text) = self
                    .sources
                    .get(name)
                    .map(|(p, t)| (p.clone(), t.as_str()))
                    .unwrap_or_else(|| (PathBuf::from(name), ""));
                let span = r.span();
                Diagnostic::error(
                    Some(Location::new(path, span.start_line, span.start_col + 1)),
                    format!("template error: {}", r.message()),
                )
                .with_source(text)
            }
            None => {
                let path = rendering
                    .and_then(|(n, _)| self.sources.get(n))
                    .map(|(p, _)| p.clone());
                Diagnostic::error(path.map(Location::file), format!("template error: {e}"))
            }
        };
        if let Some((_, page)) = rendering {
            d = d.with_note(format!("while rendering {page}"));
        }
        d
    }
}

/// A paginated list of posts.
#[derive(Debug, Clone, Copy)]
enum List {
    Home,
    Section(usize),
    /// (taxonomy, term)
    Term(usize, usize),
    Author(usize),
}

/// What one output page is: a template and the values it gets.
#[derive(Debug)]
enum Job {
    List {
        list: List,
        number: usize,
        total: usize,
    },
    Post(usize),
    Series(usize),
    SeriesIndex,
    Taxonomy(usize),
    Authors,
    Search,
    NotFound,
}

/// The hash of everything a page depends on besides the posts it reads (see [`trace`]): the
/// templates, the values every page gets, and the site's structure.
pub fn pages_key(site: &Site, theme: &Theme) -> u64 {
    let views = Views::new(site);
    let global = serde_json::to_string(&(views.site(), i18n::strings(&site.config)));
    trace::key(site, &global.unwrap_or_default(), theme.digest())
}

/// What [`render_all`] may reuse from the last build.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reuse<'a> {
    /// The last build's pages: only when the output folder holds them and this build writes
    /// just the files it emits (see [`trace`]).
    pub pages: Option<&'a trace::Traces>,
    /// The last build's search entries (each is keyed by all its inputs: always safe). `None`
    /// also means no next build will want this one's.
    pub search: Option<&'a search::Memo>,
    /// [`pages_key`], when the caller already computed it.
    pub key: Option<u64>,
}

/// What [`render_all`] did.
#[derive(Debug)]
pub struct Rendering {
    /// Every file of the site, in a fixed order (rendered or not this time).
    pub paths: Vec<PathBuf>,
    /// Problems, two pages of the same path among them.
    pub diagnostics: Diagnostics,
    /// What each page read, for the next rebuild.
    pub traces: trace::Traces,
    /// Pages rendered this time (the others were the same as in `previous`).
    pub rendered: usize,
    /// The search index's entries, for the next build.
    pub search: search::Memo,
    /// Per template: the time spent on its pages (their values and Tera, summed over
    /// threads) and how many pages, most expensive first (`build --timings`).
    pub templates: Vec<(String, std::time::Duration, usize)>,
}

/// Renders every page, feed and index, handing each file to `emit` as soon as it is made (from
/// rayon's threads, in no particular order). With the traces of the previous build, a page
/// whose inputs are all unchanged is not rendered nor emitted: its file is already there.
pub fn render_all(
    site: &Site,
    theme: &Theme,
    emit: &(dyn Fn(OutputFile) + Sync),
    reuse: Reuse<'_>,
) -> Rendering {
    let views = Views::new(site);
    let site_view = views.site();
    let strings = i18n::strings(&site.config);
    let mut base = Context::new();
    base.insert("site", &site_view);
    base.insert("t", &strings);
    theme.cache.set_globals(&base);
    let root = site.config.base_path.as_str();
    let key = reuse.key.unwrap_or_else(|| pages_key(site, theme));

    let per = site.config.paginate_by;
    let pages_of = |n: usize| n.div_ceil(per).max(1);
    let mut jobs = Vec::new();
    let list = |list: List, count: usize, jobs: &mut Vec<Job>| {
        let total = pages_of(count);
        for number in 1..=total {
            jobs.push(Job::List {
                list,
                number,
                total,
            });
        }
    };
    list(List::Home, site.posts.len(), &mut jobs);
    for (i, s) in site.sections.iter().enumerate() {
        list(List::Section(i), s.posts.len(), &mut jobs);
    }
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.series.len()).map(Job::Series));
    jobs.push(Job::SeriesIndex);
    for (ti, t) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(ti));
        for (i, term) in t.terms.iter().enumerate() {
            list(List::Term(ti, i), term.posts.len(), &mut jobs);
        }
    }
    jobs.push(Job::Authors);
    for (i, a) in site.authors.iter().enumerate() {
        list(List::Author(i), a.posts.len(), &mut jobs);
    }
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);

    // The search index first, while the pages' list items do not exist yet: the memory it
    // takes while it is made is then used again for them, rather than added to them.
    let (index, search) = search::write_index(site, reuse.search);
    let index = index.map(|(file, origin)| {
        let path = file.path.clone();
        emit(file);
        (path, origin)
    });

    let all: Vec<usize> = (0..site.posts.len()).collect();
    let reusable = reuse
        .pages
        .filter(|p| p.key == key && p.pages.len() == jobs.len());
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let spent: std::sync::Mutex<HashMap<String, (std::time::Duration, usize)>> =
        std::sync::Mutex::new(HashMap::new());
    let results: Vec<Result<trace::PageTrace, Diagnostic>> = jobs
        .par_iter()
        .enumerate()
        .map(|(j, job)| {
            if let Some(page) = reusable.map(|p| &p.pages[j])
                && page.holds_for(site)
            {
                return Ok(page.clone());
            }
            rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            // A bug in one page is an error on that page, not a crash of the build.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                || -> Result<trace::PageTrace, Diagnostic> {
                    let started = std::time::Instant::now();
                    trace::begin();
                    let mut ctx = base.clone();
                    let (template, url, origin): (String, String, String) = match *job {
                        Job::List {
                            list,
                            number,
                            total,
                        } => {
                            let (first_url, posts, template, origin) = match list {
                                List::Home => {
                                    (root, &all, "index.html", "the home page".to_string())
                                }
                                List::Section(i) => {
                                    let s = &site.sections[i];
                                    ctx.insert("section", &views.section(s));
                                    (
                                        s.url.as_str(),
                                        &s.posts,
                                        "section.html",
                                        format!("the section content/{}/", s.name),
                                    )
                                }
                                List::Term(ti, i) => {
                                    let t = &site.taxonomies[ti];
                                    let term = &t.terms[i];
                                    ctx.insert(
                                        "taxonomy",
                                        &views::TaxonomyLink {
                                            name: t.kind.name(),
                                            title: i18n::taxonomy_title(
                                                site.config.language,
                                                t.kind,
                                            ),
                                            url: t.url.clone(),
                                        },
                                    );
                                    ctx.insert("term", &views.term(term));
                                    (
                                        term.url.as_str(),
                                        &term.posts,
                                        "taxonomy_term.html",
                                        format!("the {} term \"{}\"", t.kind.name(), term.name),
                                    )
                                }
                                List::Author(i) => {
                                    let a = &site.authors[i];
                                    ctx.insert("author", &views.author(a));
                                    (
                                        a.url.as_str(),
                                        &a.posts,
                                        "author.html",
                                        format!("the author page of {}", a.author.name),
                                    )
                                }
                            };
                            ctx.insert(
                                "paginator",
                                &views.paginator(posts, number, total, first_url),
                            );
                            (
                                template.to_string(),
                                views::page_url(first_url, number),
                                origin,
                            )
                        }
                        Job::Post(i) => {
                            let p = views.post_at(i);
                            ctx.insert("page", &views.post(p, true));
                            let own = format!("{}.html", p.post.kind.name());
                            let template = if theme.has(&own) {
                                own
                            } else {
                                "page.html".to_string()
                            };
                            (template, p.url.clone(), display_path(&p.post.path))
                        }
                        Job::Series(i) => {
                            let s = &site.series[i];
                            ctx.insert("series", &views.series(s, &site.series_html[i]));
                            (
                                "series.html".into(),
                                s.url.clone(),
                                format!("the series \"{}\"", s.slug),
                            )
                        }
                        Job::SeriesIndex => {
                            let list: Vec<views::SeriesView<'_>> = site
                                .series
                                .iter()
                                .zip(&site.series_html)
                                .map(|(s, html)| views.series(s, html))
                                .collect();
                            ctx.insert("series_list", &list);
                            (
                                "series_index.html".into(),
                                format!("{root}{SERIES_PATH}/"),
                                "the series index".into(),
                            )
                        }
                        Job::Taxonomy(ti) => {
                            let t = &site.taxonomies[ti];
                            ctx.insert("taxonomy", &views.taxonomy(t));
                            (
                                "taxonomy.html".into(),
                                t.url.clone(),
                                format!("the {} index", t.kind.name()),
                            )
                        }
                        Job::Authors => {
                            let list: Vec<views::AuthorView<'_>> =
                                site.authors.iter().map(|a| views.author(a)).collect();
                            ctx.insert("authors", &list);
                            (
                                "authors.html".into(),
                                format!("{root}{AUTHORS_PATH}/"),
                                "the authors index".into(),
                            )
                        }
                        Job::Search => {
                            ctx.insert("search_index", &format!("{root}{}", search::INDEX_FILE));
                            (
                                "search.html".into(),
                                format!("{root}{}/", search_path(site.config.language)),
                                "the search page".into(),
                            )
                        }
                        Job::NotFound => (
                            "404.html".into(),
                            format!("{root}404.html"),
                            "the 404 page".into(),
                        ),
                    };
                    ctx.insert("current_url", &url);
                    ctx.insert("current_permalink", &site.config.permalink(&url));
                    ctx.insert("template", &template);
                    let html = theme.render(&template, &ctx, &url)?;
                    if let Ok(mut spent) = spent.lock() {
                        let entry = spent.entry(template.clone()).or_default();
                        entry.0 += started.elapsed();
                        entry.1 += 1;
                    }
                    let path = output_path(root, &url);
                    emit(OutputFile {
                        path: path.clone(),
                        bytes: html,
                    });
                    Ok(trace::PageTrace {
                        path,
                        origin,
                        reads: trace::finish(site),
                    })
                },
            ))
            .unwrap_or_else(|panic| {
                let (location, page) = match *job {
                    Job::Post(i) => {
                        let path = &site.posts[i].post.path;
                        (Some(Location::file(path)), display_path(path))
                    }
                    ref other => (None, format!("{other:?}")),
                };
                Err(Diagnostic::error(
                    location,
                    format!(
                        "internal error while rendering {page}: {} (please report it)",
                        crate::content::panic_message(panic.as_ref())
                    ),
                ))
            })
        })
        .collect();

    // The list items the views made are not needed by the feeds: their memory can be used
    // again for those.
    drop(views);
    let mut files = Vec::with_capacity(results.len() + 16);
    let mut origins = Vec::with_capacity(results.len() + 16);
    let mut diagnostics = Diagnostics::new();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(page) => {
                files.push(page.path.clone());
                origins.push(page.origin.clone());
                pages.push(page);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    for (f, origin) in feeds::write_all(site) {
        files.push(f.path.clone());
        origins.push(origin);
        emit(f);
    }
    if let Some((path, origin)) = index {
        files.push(path);
        origins.push(origin);
    }
    check_collisions(site, &files, &origins, &mut diagnostics);
    Rendering {
        paths: files,
        diagnostics,
        traces: trace::Traces { key, pages },
        rendered: rendered.into_inner(),
        search,
        templates: {
            let mut templates: Vec<(String, std::time::Duration, usize)> = spent
                .into_inner()
                .unwrap_or_default()
                .into_iter()
                .map(|(name, (time, pages))| (name, time, pages))
                .collect();
            templates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            templates
        },
    }
}

/// Two pages written to the same file: an error naming both, at the line of the alias when one
/// of them is an alias (the one thing an author can change).
fn check_collisions(
    site: &Site,
    files: &[PathBuf],
    origins: &[String],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<&Path, usize> = HashMap::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        if let Some(&first) = seen.get(path.as_path()) {
            // Aliases are written after every page, so an alias here is the later file.
            let alias = site.posts.iter().rev().find_map(|p| {
                p.aliases
                    .iter()
                    .rev()
                    .find(|a| &a.path == path)
                    .map(|a| (a, p))
            });
            let d = match alias {
                Some((a, p)) => Diagnostic::error(
                    Some(a.location.clone()),
                    format!(
                        "alias \"{}\" collides with {}: both would be written to {}",
                        a.written,
                        origins[first],
                        display_path(path)
                    ),
                )
                .with_source(&p.post.text),
                None => Diagnostic::error(
                    None,
                    format!(
                        "{} and {} would both be written to {}",
                        origins[first],
                        origins[i],
                        display_path(path)
                    ),
                ),
            };
            diagnostics.push(d);
        } else {
            seen.insert(path, i);
        }
    }
}
