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
mod jobs;
pub mod i18n;
mod limits;
pub mod search;
pub mod shortcodes;
pub mod trace;
pub mod views;
mod theme;

pub use file::{OutputFile, output_path};
pub use theme::Theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::site::Site;
use jobs::Job;
use views::Views;

/// The hash of everything a page depends on besides the posts it reads (see [`trace`]): the
/// templates, the values every page gets, and the site's structure.
pub fn pages_key(site: &Site, theme: &Theme) -> u64 {
    let views = Views::new(site);
    let global = serde_json::to_string(&(views.site(), i18n::strings(&site.config)));
    trace::key(site, &global.unwrap_or_default(), theme.digest())
}

/// Each page's template must be in the theme (or the site's `templates/`): its `template`
/// key's, an error at that key; else `standalone.html`, an error at the page naming the theme.
pub fn check_page_templates(site: &Site, theme: &Theme) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for p in &site.pages {
        let name = jobs::page_template(p);
        if theme.has(&name) {
            continue;
        }
        let d = match &p.page.template {
            Some(t) => Diagnostic::error(
                Some(t.location.clone()),
                format!(
                    "template \"{name}\" not found: it is neither in the theme {} nor in templates/",
                    site.config.theme
                ),
            )
            .with_source(&p.page.text),
            None => Diagnostic::error(
                Some(Location::file(&p.page.path)),
                format!(
                    "this page needs the template {name}, which theme \"{}\" does not have",
                    site.config.theme
                ),
            )
            .with_note(format!(
                "add templates/{name} to the site (see chronique's docs/templates.md), or name one with `template:`"
            )),
        };
        diagnostics.push(d);
    }
    diagnostics
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
#[derive(Debug, Default)]
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
    let base = base_context(site, theme, &views);
    let key = reuse.key.unwrap_or_else(|| pages_key(site, theme));
    let jobs = jobs::plan(site, theme);
    let reusable = reuse
        .pages
        .filter(|p| p.key == key && p.pages.len() == jobs.len());
    let page = PageContext::new((site, theme), &views, &base, emit);
    let rendered = AtomicUsize::new(0);
    // The search index and the feeds are each made in one piece: made beside the pages rather
    // than before or after them, they keep both threads busy instead of one.
    let (whole, results) = rayon::join(
        || index_and_feeds(site, reuse.search, emit),
        || -> Vec<Result<trace::PageTrace, Diagnostic>> {
            (jobs.par_iter().enumerate())
                .map(|(j, job)| match reusable.map(|p| &p.pages[j]) {
                    Some(previous) if previous.holds_for(site) => Ok(previous.clone()),
                    _ => {
                        rendered.fetch_add(1, Ordering::Relaxed);
                        page.render_guarded(job)
                    }
                })
                .collect()
        },
    );
    let templates = page.spent.most_expensive_first();
    drop(views);
    let mut made = Made::with_capacity(results.len() + whole.files.len());
    for r in results {
        made.page(r);
    }
    for (path, origin) in whole.files {
        made.file(path, origin);
    }
    check_collisions(site, &made.paths, &made.origins, &mut made.diagnostics);
    Rendering {
        paths: made.paths,
        diagnostics: made.diagnostics,
        traces: trace::Traces {
            key,
            pages: made.pages,
        },
        rendered: rendered.into_inner(),
        search: whole.search,
        templates,
    }
}

/// The files made in one piece beside the pages: the search index, the feeds, the sitemap,
/// robots.txt and the alias pages.
struct Whole {
    /// Each file's path and description, the index last.
    files: Vec<(PathBuf, String)>,
    /// The index's entries, for the next build.
    search: search::Memo,
}

/// Makes and emits the [`Whole`] files.
fn index_and_feeds(
    site: &Site,
    previous: Option<&search::Memo>,
    emit: &(dyn Fn(OutputFile) + Sync),
) -> Whole {
    let (index, search) = search::write_index(site, previous);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for (f, origin) in feeds::write_all(site).into_iter().chain(index) {
        files.push((f.path.clone(), origin));
        emit(f);
    }
    Whole { files, search }
}

/// What [`render_patch`] did.
#[derive(Debug, Default)]
pub struct Patched {
    /// Pages rendered again.
    pub rendered: usize,
    pub diagnostics: Diagnostics,
    /// As [`Rendering::templates`].
    pub templates: Vec<(String, std::time::Duration, usize)>,
}

/// Renders again what shows the posts `changed` (indexes into `site.posts`) of a site patched
/// with new bodies since `traces` were made ([`crate::site::Patch`]: the same structure, and the
/// same templates): the pages that read them, whose traces are updated, the feeds that list
/// them ([`feeds::write_showing`]) and the search index, reusing `search`'s other entries. Every
/// other file of the output is what it would be; nothing else is emitted.
pub fn render_patch(
    site: &Site,
    theme: &Theme,
    emit: &(dyn Fn(OutputFile) + Sync),
    (traces, search): (&mut trace::Traces, &mut search::Memo),
    changed: &[usize],
) -> Patched {
    let views = Views::new(site);
    let base = base_context(site, theme, &views);
    let jobs = jobs::plan(site, theme);
    debug_assert_eq!(
        traces.key,
        pages_key(site, theme),
        "a patch keeps the structure"
    );
    let page = PageContext::new((site, theme), &views, &base, emit);
    debug_assert_eq!(jobs.len(), traces.pages.len(), "a patch keeps the pages");
    let shows = |t: &trace::PageTrace| {
        t.reads
            .iter()
            .any(|(i, _)| changed.contains(&(*i as usize)))
    };
    let again: Vec<(usize, Result<trace::PageTrace, Diagnostic>)> = (jobs.par_iter().enumerate())
        .filter(|&(j, _)| traces.pages.get(j).is_none_or(shows))
        .map(|(j, job)| (j, page.render_guarded(job)))
        .collect();
    let mut patched = Patched {
        rendered: again.len(),
        templates: page.spent.most_expensive_first(),
        ..Patched::default()
    };
    for (j, result) in again {
        match (result, traces.pages.get_mut(j)) {
            (Ok(fresh), Some(trace)) => *trace = fresh,
            (Ok(_), None) => {}
            (Err(d), _) => patched.diagnostics.push(d),
        }
    }
    for (file, _) in feeds::write_showing(site, changed) {
        emit(file);
    }
    if let Some(index) = search::patch_index(site, search, changed) {
        emit(index);
    }
    patched
}

/// The values every page gets (`site`, `t`), also given to the theme's cached partials.
fn base_context(site: &Site, theme: &Theme, views: &Views<'_>) -> Context {
    let mut base = Context::new();
    base.insert("site", &views.site());
    base.insert("t", &i18n::strings(&site.config));
    theme.cache.set_globals(&base);
    base
}

/// What every page of one build shares while it is rendered.
struct PageContext<'r> {
    site: &'r Site,
    theme: &'r Theme,
    views: &'r Views<'r>,
    /// The values every page gets (`site`, `t`).
    base: &'r Context,
    emit: &'r (dyn Fn(OutputFile) + Sync),
    spent: Spent,
}

impl<'r> PageContext<'r> {
    fn new(
        (site, theme): (&'r Site, &'r Theme),
        views: &'r Views<'r>,
        base: &'r Context,
        emit: &'r (dyn Fn(OutputFile) + Sync),
    ) -> PageContext<'r> {
        PageContext {
            site,
            theme,
            views,
            base,
            emit,
            spent: Spent::default(),
        }
    }

    /// [`PageContext::render`], where a bug in one page is an error on that page, not a crash
    /// of the build.
    fn render_guarded(&self, job: &Job) -> Result<trace::PageTrace, Diagnostic> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.render(job))).unwrap_or_else(
            |panic| {
                let (path, page) = job.describe(self.site);
                Err(Diagnostic::error(
                    path.map(Location::file),
                    format!(
                        "internal error while rendering {page}: {} (please report it)",
                        crate::content::panic_message(panic.as_ref())
                    ),
                ))
            },
        )
    }

    /// One page: its values, its template, its file handed to the writer, and what it read.
    fn render(&self, job: &Job) -> Result<trace::PageTrace, Diagnostic> {
        let started = Instant::now();
        trace::begin();
        let mut ctx = self.base.clone();
        let jobs::Prepared {
            template,
            url,
            origin,
        } = job.prepare(&mut ctx, self.site, self.views, self.theme);
        ctx.insert("current_url", &url);
        ctx.insert("current_permalink", &self.site.config.permalink(&url));
        ctx.insert("template", &template);
        let html = self.theme.render(&template, &ctx, &url)?;
        self.spent.add(template, started.elapsed());
        let path = output_path(&self.site.config.base_path, &url);
        (self.emit)(OutputFile {
            path: path.clone(),
            bytes: html,
        });
        Ok(trace::PageTrace {
            path,
            origin,
            reads: trace::finish(self.site),
        })
    }
}

/// Per template, the time spent on its pages (their values and Tera, summed over threads) and
/// their number (`build --timings`).
#[derive(Default)]
struct Spent(Mutex<HashMap<String, (Duration, usize)>>);

impl Spent {
    fn add(&self, template: String, time: Duration) {
        if let Ok(mut spent) = self.0.lock() {
            let entry = spent.entry(template).or_default();
            entry.0 += time;
            entry.1 += 1;
        }
    }

    fn most_expensive_first(&self) -> Vec<(String, Duration, usize)> {
        let spent = self.0.lock().map(|s| s.clone()).unwrap_or_default();
        let mut templates: Vec<(String, Duration, usize)> = spent
            .into_iter()
            .map(|(name, (time, pages))| (name, time, pages))
            .collect();
        templates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        templates
    }
}

/// Every file the build made, in order, with what each is (for collisions), and the pages'
/// traces and problems.
struct Made {
    paths: Vec<PathBuf>,
    origins: Vec<String>,
    pages: Vec<trace::PageTrace>,
    diagnostics: Diagnostics,
}

impl Made {
    fn with_capacity(n: usize) -> Made {
        Made {
            paths: Vec::with_capacity(n),
            origins: Vec::with_capacity(n),
            pages: Vec::with_capacity(n),
            diagnostics: Diagnostics::new(),
        }
    }

    fn page(&mut self, page: Result<trace::PageTrace, Diagnostic>) {
        match page {
            Ok(page) => {
                self.file(page.path.clone(), page.origin.clone());
                self.pages.push(page);
            }
            Err(d) => self.diagnostics.push(d),
        }
    }

    fn file(&mut self, path: PathBuf, origin: String) {
        self.paths.push(path);
        self.origins.push(origin);
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
            let redirects = site.redirects();
            let alias = redirects.iter().rev().find(|r| &r.alias.path == path);
            let d = match alias {
                Some(r) => Diagnostic::error(
                    Some(r.alias.location.clone()),
                    format!(
                        "alias \"{}\" collides with {}: both would be written to {}",
                        r.alias.written,
                        origins[first],
                        display_path(path)
                    ),
                )
                .with_source(r.text),
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

#[cfg(test)]
mod tests {
    use super::jobs::tests::{site, theme};
    use super::*;

    #[test]
    fn one_page_is_handed_over_at_its_path_with_the_posts_it_read() {
        let site = site();
        let theme = theme(&[]);
        let views = Views::new(&site);
        let base = Context::new();
        let files = Mutex::new(Vec::new());
        let emit = |f: OutputFile| files.lock().unwrap().push(f);
        let page = PageContext {
            site: &site,
            theme: &theme,
            views: &views,
            base: &base,
            emit: &emit,
            spent: Spent::default(),
        };
        let i = site
            .posts
            .iter()
            .position(|p| p.url == "/breves/b5/")
            .unwrap();
        let trace = page.render(&Job::Post(i)).expect("rendered");
        assert_eq!(trace.path, Path::new("breves/b5/index.html"));
        assert_eq!(trace.origin, "content/breves/b5.md");
        assert!(
            trace.reads.iter().any(|&(r, _)| r as usize == i),
            "{trace:?}"
        );
        assert_eq!(page.spent.most_expensive_first()[0].0, "page.html");
        drop(page);
        let files = files.into_inner().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, trace.path);
        assert_eq!(String::from_utf8_lossy(&files[0].bytes), "page.html T");
    }

    #[test]
    fn render_all_renders_again_only_the_pages_whose_posts_changed() {
        let site = site();
        let theme = theme(&[]);
        let emitted = Mutex::new(Vec::new());
        let emit = |f: OutputFile| emitted.lock().unwrap().push(f.path);
        let first = render_all(&site, &theme, &emit, Reuse::default());
        assert!(first.diagnostics.is_empty(), "{}", first.diagnostics);
        assert_eq!(first.rendered, first.traces.pages.len());
        let reuse = Reuse {
            pages: Some(&first.traces),
            ..Reuse::default()
        };
        let same = render_all(&site, &theme, &|_| {}, reuse);
        assert_eq!(same.rendered, 0, "nothing changed");
        assert_eq!(same.paths, first.paths, "the same files, in the same order");

        let mut edited = site;
        let i = edited
            .posts
            .iter()
            .position(|p| p.url == "/breves/b5/")
            .unwrap();
        edited.posts[i].post.digest ^= 1;
        let again = render_all(&edited, &theme, &|_| {}, reuse);
        let readers = (first.traces.pages.iter())
            .filter(|p| p.reads.iter().any(|&(r, _)| r as usize == i))
            .count();
        assert_eq!(again.rendered, readers, "exactly the pages that read it");
        assert!(readers > 1 && readers < first.rendered, "{readers}");
    }
}
