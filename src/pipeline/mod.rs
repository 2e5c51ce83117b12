//! The build: a short chain of named stages, each taking the previous one's value (the table
//! in `lib.rs`). The stages live in their own modules; this one only runs them in order, picks
//! where the files go ([`writer::Sink`]), and says what happened ([`BuildReport`]).
//!
//! Three callers, three targets: `chronique build` stages a new output and swaps it in,
//! `chronique check` keeps everything in memory, and `chronique serve` builds through a
//! [`Session`] that remembers the last build and may write only the pages that changed.

mod report;
mod memory;
mod patch;
pub mod bundles;
mod collisions;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

pub use report::{BuildReport, StageTiming};

use crate::config::{Config, Language};
use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::imaging::{self, Published, Work};
use crate::layout::OUTPUT_DIR;
use crate::output::Staging;
use crate::render::{self, OutputFile, Rendering, Theme};
use crate::site::{BuildSettings, Site};
use crate::source::{self, Sources, StaticFile};
use memory::Memory;
use report::Clock;
use writer::Sink;

/// What `chronique build`, `check` or `serve` was asked to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Now", for scheduled posts: the build time or `SOURCE_DATE_EPOCH`.
    pub now: jiff::Timestamp,
}

impl BuildOptions {
    fn output_dir(&self) -> PathBuf {
        self.output_dir
            .clone()
            .unwrap_or_else(|| self.root.join(OUTPUT_DIR))
    }
}

/// A build's site and files, kept in memory instead of written (for `chronique check`).
pub struct InMemory {
    pub site: Site,
    /// Every file the build would write (none when the theme did not compile).
    pub files: Vec<OutputFile>,
    /// The static files it would copy.
    pub statics: Vec<StaticFile>,
}

/// Runs the whole pipeline and writes the site. On error, returns every diagnostic (warnings
/// included), and the previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    run(options, None, None, Target::Disk { lock: None }).result
}

/// The pipeline without writing, keeping what it made: the outcome of the build, and its site
/// and files whenever the settings could be read (even when the build has errors).
pub fn build_in_memory(
    options: &BuildOptions,
) -> (Result<BuildReport, Diagnostics>, Option<InMemory>) {
    let outcome = run(options, None, None, Target::Memory);
    (outcome.result, outcome.kept)
}

/// Builds that remember: `chronique serve` keeps one for its rebuilds. The pipeline is the
/// same as [`build`]'s; what a session adds is memory of the last build (see [`memory`]), used
/// only where reusing it gives exactly what doing the work again would.
pub struct Session {
    pub options: BuildOptions,
    memory: Memory,
    /// Held for writing while the output changes (see [`Session::with_swap_lock`]).
    swap_lock: Option<Arc<RwLock<()>>>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            memory: Memory::default(),
            swap_lock: None,
        }
    }

    /// A session whose builds take `lock` for writing only while they change the output folder
    /// (the swap, or pages written in place): a server that opens files under the same lock for
    /// reading goes on answering from the last good site while a rebuild renders.
    pub fn with_swap_lock(mut self, lock: Arc<RwLock<()>>) -> Session {
        self.swap_lock = Some(lock);
        self
    }

    /// The settings and the content of the last build, parsed, without reading or parsing
    /// anything again; `None` before a build got as far as reading the files.
    pub fn last_content(&mut self) -> Option<(Config, Content)> {
        self.memory.last_content()
    }

    /// The settings of the last build that could read them (the last good site.toml), if any.
    pub fn last_config(&self) -> Option<&Config> {
        self.memory.config.as_ref()
    }

    /// Builds again. `changed` lists the files changed since the last build (relative to the
    /// root), when the caller knows them; `None` reads everything.
    pub fn build(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport, Diagnostics> {
        let target = Target::Disk {
            lock: self.swap_lock.as_deref(),
        };
        run(&self.options, Some(&mut self.memory), changed, target).result
    }
}

/// Where a build puts what it makes.
#[derive(Clone, Copy)]
enum Target<'l> {
    /// The output folder; `lock` is held for writing while it changes.
    Disk { lock: Option<&'l RwLock<()>> },
    /// Memory, for the caller to read.
    Memory,
}

/// What [`run`] gives back.
struct Outcome {
    result: Result<BuildReport, Diagnostics>,
    kept: Option<InMemory>,
}

/// The spine: read → parse → assemble → render → write (the table in `lib.rs`).
fn run(
    options: &BuildOptions,
    mut memory: Option<&mut Memory>,
    changed: Option<&[PathBuf]>,
    target: Target<'_>,
) -> Outcome {
    let mut clock = Clock::start();
    let config = match Config::load(&options.root, options.base_url.as_deref()) {
        Ok(config) => config,
        Err(d) => return Outcome::failed(d.into(), None),
    };
    let (sources, only_posts_changed) = read(&config, memory.as_deref_mut(), changed);
    clock.lap("read");
    let edits = (changed.filter(|_| only_posts_changed), target);
    let memory_now = memory.as_deref_mut();
    let mut sources = match patched(options, (&config, sources), memory_now, edits, &mut clock) {
        Ok(outcome) => return outcome,
        Err(sources) => sources,
    };
    let bundle_indexes = sources.bundles();
    let mut diagnostics = first_diagnostics(&sources, &config, options);
    let content = parse(
        &mut sources,
        config.language,
        memory.as_deref_mut(),
        &mut diagnostics,
    );
    clock.lap("parse");
    let shortcodes = compile_shortcodes(&sources, &config, &mut diagnostics);
    let site = assemble(
        config,
        options,
        (content, &shortcodes),
        memory.as_deref_mut(),
        target,
        &mut diagnostics,
    );
    clock.lap("assemble");
    let statics = place_bundles(&site, &sources, &bundle_indexes, &mut diagnostics);
    let (theme, photos) =
        theme_and_photos(&site, &sources, statics, options, target, &mut diagnostics);
    let writing = theme.is_some() && !diagnostics.has_errors();
    let (statics, photos) = (photos.statics, (photos.processed, photos.cached));
    clock.lap("images");
    let plan = Plan::new(
        options,
        &site,
        theme.as_ref(),
        memory.as_deref(),
        only_posts_changed,
        writing,
    );
    let sink = match plan.sink(target, &statics) {
        Ok(sink) => sink,
        Err(d) => {
            diagnostics.push(d);
            return Outcome::failed(diagnostics, None);
        }
    };
    let (rendering, sink) = render(
        &site,
        theme.as_ref(),
        sink,
        &plan,
        &statics,
        &mut diagnostics,
    );
    drop(plan);
    clock.lap("render");
    let rendered = Rendered {
        site,
        sources,
        statics,
        photos,
        rendering,
        sink,
        diagnostics,
    };
    write_and_report((rendered, theme), memory, target, clock)
}

/// The problems known before parsing: the reader's, the interface strings', and the
/// placeholder address when no `--base-url` says it is meant.
fn first_diagnostics(sources: &Sources, config: &Config, options: &BuildOptions) -> Diagnostics {
    let mut diagnostics = sources.problems.clone();
    diagnostics.extend(render::i18n::check_overrides(config));
    if options.base_url.is_none() {
        diagnostics.extend(config.placeholder_base_url());
    }
    diagnostics
}

/// A session's rebuild after only posts changed (`changed`), written to disk, when its kept
/// site can be patched ([`patch_and_write`]); the sources are kept for the next build. Else the
/// sources back, for the whole pipeline.
#[expect(
    clippy::result_large_err,
    reason = "the sources are handed back once per build, by move: nothing to gain by boxing"
)]
fn patched(
    options: &BuildOptions,
    (config, sources): (&Config, Sources),
    memory: Option<&mut Memory>,
    (changed, target): (Option<&[PathBuf]>, Target<'_>),
    clock: &mut Clock,
) -> Result<Outcome, Sources> {
    let (Some(memory), Some(changed), Target::Disk { lock }) = (memory, changed, target) else {
        return Err(sources);
    };
    match patch_and_write(options, (config, &sources), memory, changed, (lock, clock)) {
        Some(outcome) => {
            memory.sources = Some(sources);
            Ok(outcome)
        }
        None => Err(sources),
    }
}

/// The rebuild after posts' bodies were edited ([`patch`]): read (done) → patch the kept site
/// → render what shows the edited posts → write them in place. `None` when the site cannot be
/// patched, or a page cannot be rendered: then the whole pipeline runs (and says why).
fn patch_and_write(
    options: &BuildOptions,
    (config, sources): (&Config, &Sources),
    memory: &mut Memory,
    changed: &[PathBuf],
    (lock, clock): (Option<&RwLock<()>>, &mut Clock),
) -> Option<Outcome> {
    let files = patch::edited_posts(sources, changed)?;
    let output = options.output_dir();
    if !patch::can_patch(memory, config, &output) {
        return None;
    }
    let mut diagnostics = Diagnostics::new();
    let shortcodes = compile_shortcodes(sources, config, &mut diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    let edit = patch::patch_site(memory, &files, options.now, &shortcodes)?;
    clock.lap("patch");
    let site = &memory.kept.as_ref()?.site;
    let theme = compile_theme(sources, site, &mut diagnostics);
    let written = match theme.filter(|_| !diagnostics.has_errors()) {
        Some(theme) => patch::render_and_write(memory, &theme, edit, (&output, lock), clock),
        None => patch::Written::Withheld,
    };
    let result = match written {
        patch::Written::Done(report) => Some(Ok(report)),
        patch::Written::Failed(problem) => Some(Err(Diagnostics(vec![problem]))),
        // Nothing written: the whole pipeline runs, and says why.
        patch::Written::Withheld => None,
    };
    if !matches!(result, Some(Ok(_))) {
        // The kept site and traces may no longer be what the output holds: forgotten.
        memory.forget_site();
    }
    result.map(|result| Outcome { result, kept: None })
}

/// What the stages made, for the last one.
struct Rendered {
    site: Site,
    sources: Sources,
    /// The static files written: the sources' with the bundles' placed ([`bundles`]) and the
    /// photos' variants ([`imaging`]).
    statics: Vec<StaticFile>,
    /// Photos processed, and taken from the cache.
    photos: (usize, usize),
    rendering: Rendering,
    sink: Option<Sink>,
    diagnostics: Diagnostics,
}

/// Write, then the report; the session remembers what the next build may reuse (a one-shot
/// build lets the site, the sources and the theme go on a thread of their own).
fn write_and_report(
    (mut r, theme): (Rendered, Option<Theme>),
    mut memory: Option<&mut Memory>,
    target: Target<'_>,
    clock: Clock,
) -> Outcome {
    let statics = match target {
        Target::Memory => std::mem::take(&mut r.statics),
        Target::Disk { .. } => Vec::new(),
    };
    let mut diagnostics = r.diagnostics;
    diagnostics.sort();
    let written = write(r.sink, target, &diagnostics);
    let mut sources = Some(r.sources);
    if let Some(memory) = memory.as_deref_mut() {
        memory.sources = sources.take();
        match written {
            Written::Done { .. } => {
                memory.search = std::mem::take(&mut r.rendering.search);
                let traces = std::mem::take(&mut r.rendering.traces);
                memory.traces = matches!(target, Target::Disk { .. }).then_some(traces);
            }
            // The output was being changed: it no longer matches the last traces.
            Written::Failed(_) => memory.traces = None,
            Written::Withheld { .. } => {}
        }
    }
    let (site, rendering) = (r.site, r.rendering);
    let (outcome, site) = conclude(
        written,
        site,
        rendering,
        diagnostics,
        target,
        clock,
        statics,
    );
    match (memory, site, &outcome.result) {
        (Some(memory), Some(site), Ok(report)) => {
            memory.kept = Some(memory::Kept {
                site,
                warnings: report.warnings.clone(),
                pages: report.pages,
            });
        }
        (None, site, _) => drop_aside((site, sources, theme)),
        _ => {}
    }
    outcome.with_photos(r.photos)
}

/// Drops `value` on a thread of its own, for a build nothing will follow: the end of the build
/// need not wait for ten thousand posts and the theme's caches to be freed, and a command
/// that exits does not wait for that thread. (Dropped here if no thread can be made.)
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("chronique-drop".into())
        .spawn(move || drop(value));
}

/// The outcome: the report of a build that wrote, or every diagnostic of one that did not;
/// with the site, when the build wrote it to disk (a session keeps it).
fn conclude(
    written: Written,
    site: Site,
    mut rendering: Rendering,
    mut diagnostics: Diagnostics,
    target: Target<'_>,
    mut clock: Clock,
    statics: Vec<StaticFile>,
) -> (Outcome, Option<Site>) {
    match written {
        Written::Done { files, kept } => {
            clock.lap("write");
            let report = report::summarise(&site, &mut rendering, files, diagnostics, clock);
            let (kept, site) = match target {
                Target::Memory => (InMemory::keep(target, site, kept, statics), None),
                Target::Disk { .. } => (None, Some(site)),
            };
            let outcome = Outcome {
                result: Ok(report),
                kept,
            };
            (outcome, site)
        }
        Written::Withheld { kept } => {
            let kept = InMemory::keep(target, site, kept, statics);
            (Outcome::failed(diagnostics, kept), None)
        }
        Written::Failed(problem) => {
            diagnostics.push(problem);
            (Outcome::failed(diagnostics, None), None)
        }
    }
}

impl Outcome {
    /// The photos processed and taken from the cache, in the report.
    fn with_photos(mut self, (processed, cached): (usize, usize)) -> Outcome {
        if let Ok(report) = &mut self.result {
            report.photos_processed = processed;
            report.photos_cached = cached;
        }
        self
    }

    fn failed(diagnostics: Diagnostics, kept: Option<InMemory>) -> Outcome {
        Outcome {
            result: Err(diagnostics),
            kept,
        }
    }
}

impl InMemory {
    /// What `check` keeps (nothing for a build that writes).
    fn keep(
        target: Target<'_>,
        site: Site,
        files: Vec<OutputFile>,
        statics: Vec<StaticFile>,
    ) -> Option<InMemory> {
        matches!(target, Target::Memory).then_some(InMemory {
            site,
            files,
            statics,
        })
    }
}

/// Read: every input, or only the Markdown files that changed when a session knows them.
/// Also says whether only posts changed (then the templates and static files are the same).
fn read(
    config: &Config,
    memory: Option<&mut Memory>,
    changed: Option<&[PathBuf]>,
) -> (Sources, bool) {
    let updated = memory.and_then(|m| {
        m.config = Some(config.clone());
        m.updated_sources(config, changed)
    });
    match updated {
        Some(sources) => (sources, true),
        None => (source::read_all(config), false),
    }
}

/// Parse: front matter and typed posts, reusing a session's unchanged files.
fn parse(
    sources: &mut Sources,
    language: Language,
    memory: Option<&mut Memory>,
    diagnostics: &mut Diagnostics,
) -> Content {
    let one_shot = memory.is_none();
    let (content, problems) =
        content::parse_all_with(sources, language, memory.map(|m| &mut m.parse));
    diagnostics.extend(problems.0);
    // The posts now share the files' texts; a build without a session reads them no more.
    if one_shot {
        sources.content = Vec::new();
    }
    content
}

/// Assemble: URLs, links, authors, series, taxonomies, and the posts' Markdown as HTML.
fn assemble(
    config: Config,
    options: &BuildOptions,
    (content, shortcodes): (Content, &dyn crate::site::Shortcodes),
    memory: Option<&mut Memory>,
    target: Target<'_>,
    diagnostics: &mut Diagnostics,
) -> Site {
    let settings = BuildSettings {
        drafts: options.drafts,
        now: options.now,
    };
    let one_shot = memory.is_none();
    // The kept site is the last one assembled with this memo: it goes with the memo's change.
    let memo = memory.map(|m| {
        m.kept = None;
        &mut m.assembly
    });
    let (mut site, problems) = Site::assemble_with(config, settings, content, shortcodes, memo);
    diagnostics.extend(problems.0);
    // Rendered: the bodies are not needed by this build any more, unless it keeps the site
    // (`check` reads them again) or a session will reuse it.
    if one_shot && matches!(target, Target::Disk { .. }) {
        site.release_bodies();
    }
    site
}

/// The theme, and the static files with the photos' variants: named first, for the check of
/// paths written twice, then made (or taken from the cache) when the build will write to disk.
/// A rebuild after a post's edit finds them all in the cache (their hashes are remembered by
/// size and time: a stat per photo), and a post whose bundle moved gets its photos' files where
/// they now go.
fn theme_and_photos(
    site: &Site,
    sources: &Sources,
    statics: Vec<StaticFile>,
    options: &BuildOptions,
    target: Target<'_>,
    diagnostics: &mut Diagnostics,
) -> (Option<Theme>, Published) {
    let named = photos(site, statics.clone(), Work::NameOnly, diagnostics);
    collisions::check(site, &named.statics, &options.output_dir(), diagnostics);
    let theme = compile_theme(sources, site, diagnostics);
    let writing = theme.is_some() && !diagnostics.has_errors();
    let published = match writing && matches!(target, Target::Disk { .. }) {
        true => photos(site, statics, Work::Process, diagnostics),
        false => named,
    };
    (theme, published)
}

/// Photos: the site's JPEG, PNG and WebP files with their variants, made (or taken from the
/// cache) by [`Work::Process`], only named by [`Work::NameOnly`]. A photo that cannot be
/// decoded is an error; the statics are then the named ones.
fn photos(
    site: &Site,
    statics: Vec<StaticFile>,
    work: Work,
    diagnostics: &mut Diagnostics,
) -> Published {
    let config = &site.config;
    let backup = (work == Work::Process).then(|| statics.clone());
    match imaging::publish(&config.root, &config.images, &site.images, statics, work) {
        Ok(published) => published,
        Err(problems) => {
            diagnostics.extend(problems);
            let statics = backup.unwrap_or_default();
            photos(site, statics, Work::NameOnly, diagnostics)
        }
    }
}

/// Bundles: each bundle's files placed beside its page, or left out with an unpublished page
/// (`indexes`: the bundles' Markdown files, listed before parsing let the texts go). The list is
/// made anew by each build; a session keeps the files as read.
fn place_bundles(
    site: &Site,
    sources: &Sources,
    indexes: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> Vec<StaticFile> {
    let pages = bundles::of_site(site, indexes);
    let content = site.config.root.join(crate::layout::CONTENT_DIR);
    bundles::place(&sources.statics, &content, &pages, diagnostics)
}

/// The shortcodes' templates, compiled before the Markdown that calls them.
fn compile_shortcodes(
    sources: &Sources,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> render::shortcodes::Engine {
    let (engine, problems) = render::shortcodes::Engine::compile(&sources.templates, config);
    diagnostics.extend(problems.0);
    engine
}

/// The theme's and the site's templates, compiled; with no template at all, the missing theme
/// was already reported by the reader.
fn compile_theme(sources: &Sources, site: &Site, diagnostics: &mut Diagnostics) -> Option<Theme> {
    if sources.templates.is_empty() {
        return None;
    }
    match Theme::compile(&sources.templates, site.config.language) {
        Ok(theme) => {
            diagnostics.extend(render::check_page_templates(site, &theme).0);
            Some(theme)
        }
        Err(problems) => {
            diagnostics.extend(problems.0);
            None
        }
    }
}

/// What rendering may reuse, and where its files go: decided once, before rendering.
struct Plan<'m> {
    root: &'m Path,
    output: PathBuf,
    /// Nothing is written when an error is already known, or when there is no theme.
    writing: bool,
    /// The last build's pages, when this build renders only the changed ones (in place).
    previous: Option<&'m render::trace::Traces>,
    /// The last build's search entries (a session's).
    search: Option<&'m render::search::Memo>,
    /// The hash of the templates and the site's structure, when a session compares it.
    key: Option<u64>,
}

impl<'m> Plan<'m> {
    fn new(
        options: &'m BuildOptions,
        site: &Site,
        theme: Option<&Theme>,
        memory: Option<&'m Memory>,
        only_posts_changed: bool,
        writing: bool,
    ) -> Plan<'m> {
        let output = options.output_dir();
        let key = match (theme, memory.and_then(|m| m.traces.as_ref())) {
            (Some(theme), Some(_)) => Some(render::pages_key(site, theme)),
            _ => None,
        };
        let previous = memory.and_then(|m| m.pages(only_posts_changed && writing, key, &output));
        Plan {
            root: &options.root,
            output,
            writing,
            previous,
            search: memory.map(|m| &m.search),
            key,
        }
    }

    /// Where the files go: staged (or, with the previous pages, in place) when writing to
    /// disk; kept for `check`; nowhere when nothing may be written.
    fn sink(&self, target: Target<'_>, statics: &[StaticFile]) -> Result<Sink, Diagnostic> {
        Ok(match target {
            Target::Memory => Sink::Memory(Vec::new()),
            Target::Disk { .. } if !self.writing => Sink::Discard,
            Target::Disk { .. } if self.previous.is_some() => Sink::InPlace {
                output: self.output.clone(),
                files: Vec::new(),
            },
            Target::Disk { .. } => {
                Sink::Stage(Box::new(Staging::begin(&self.output, self.root, statics)?))
            }
        })
    }
}

/// Render: every page through the templates, handed to the writer as it is made. A static file
/// replaces a generated file of the same path, with a warning (see [`collisions`]).
fn render(
    site: &Site,
    theme: Option<&Theme>,
    sink: Sink,
    plan: &Plan<'_>,
    statics: &[StaticFile],
    diagnostics: &mut Diagnostics,
) -> (Rendering, Option<Sink>) {
    let Some(theme) = theme else {
        return (Rendering::default(), Some(sink));
    };
    let by_dest = collisions::by_dest(statics);
    let replaced = Mutex::new(Vec::new());
    let reuse = render::Reuse {
        pages: plan.previous,
        search: plan.search,
        key: plan.key,
    };
    let (mut done, sink, failure) = writer::render_into(sink, |emit| {
        let emit = |file: OutputFile| {
            if by_dest.contains_key(file.path.as_path()) {
                replaced
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(file.path);
            } else {
                emit(file);
            }
        };
        render::render_all(site, theme, &emit, reuse)
    });
    diagnostics.extend(std::mem::take(&mut done.diagnostics).0);
    let replaced = replaced.into_inner().unwrap_or_else(|e| e.into_inner());
    collisions::replaced(site, statics, replaced, diagnostics);
    // An alias needing a folder where a file is (or the reverse) is an error at the alias;
    // the writer's failure on it ("File exists") says nothing more.
    let conflicts =
        crate::site::aliases::conflicts(&site.redirects(), &site.config.root, &done.paths, statics);
    let explained = conflicts.has_errors();
    diagnostics.extend(conflicts.0);
    if let Some(failure) = failure.filter(|_| !explained) {
        diagnostics.push(failure);
    }
    (done, sink)
}

/// What [`write`] did.
enum Written {
    /// The output changed (or, for `check`, the files were kept).
    Done { files: usize, kept: Vec<OutputFile> },
    /// Nothing was written: the build has errors.
    Withheld { kept: Vec<OutputFile> },
    /// The output could not be changed.
    Failed(Diagnostic),
}

/// Write: the output changes only now, and only when the build has no error.
fn write(sink: Option<Sink>, target: Target<'_>, diagnostics: &Diagnostics) -> Written {
    let Some(sink) = sink else {
        // The writer died: its panic is among the errors.
        return Written::Withheld { kept: Vec::new() };
    };
    if diagnostics.has_errors() {
        return Written::Withheld { kept: sink.abort() };
    }
    let lock = match target {
        Target::Disk { lock } => lock,
        Target::Memory => None,
    };
    match sink.commit(lock) {
        Ok(c) => Written::Done {
            files: c.files,
            kept: c.kept,
        },
        Err(d) => Written::Failed(d),
    }
}
