//! chronique: a static site generator for a French customer-experience column.
//!
//! A build is a chain of stages, each taking the previous one's value:
//!
//! ```text
//! Config::load        site.toml                      -> Config
//! source::read_all    the only reader of files       -> Sources
//! content::parse_all  front matter, typed posts      -> Content      (pure)
//! Site::assemble      URLs, links, authors, Markdown -> Site         (pure)
//! render::render_all  Tera templates, typed views    -> OutputFile, one at a time
//! output::Staging     the only writer: stage + swap  -> WriteReport
//! ```
//!
//! Every stage reports all the problems it meets ([`Diagnostics`]); the site is swapped in only
//! when there is no error, so a failed build leaves the previous output as it was. Rendering and
//! writing overlap: rayon's threads render pages and a single writer thread stages them.

// The modules from the bottom of the ladder up: each imports only modules listed before it
// (tests/layers.rs checks it).
pub mod diagnostics;
pub mod language;
pub mod layout;
pub mod slug;
pub mod words;
pub mod markdown;
pub mod config;
pub mod front_matter;
pub mod source;
pub mod content;
pub mod site;
pub mod render;
pub mod output;
pub mod check;
pub mod new;
pub mod init;
pub mod dev;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use site::{BuildSettings, Site};

/// What `chronique build` or `check` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// "Now", for scheduled posts: the build time or `SOURCE_DATE_EPOCH`.
    pub now: jiff::Timestamp,
    /// `check`: do everything but write.
    pub write: bool,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub posts: usize,
    pub sections: usize,
    /// Terms of the `irritants` taxonomy.
    pub irritant_themes: usize,
    pub files_written: usize,
    /// Pages rendered: all of them, unless a [`Session`] could reuse some.
    pub rendered: usize,
    pub warnings: Diagnostics,
    /// Per stage: its wall time, the CPU time it took on all threads, and the process's peak
    /// memory at its end (Linux only).
    pub timings: Vec<StageTiming>,
    /// Per template: time spent on its pages (summed over threads) and their number, most
    /// expensive first.
    pub templates: Vec<(String, Duration, usize)>,
}

/// One stage of a build, for `build --timings`.
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: &'static str,
    pub wall: Duration,
    /// User and system time of all threads (Linux only): more than `wall` when the stage
    /// ran on several cores.
    pub cpu: Option<Duration>,
    /// The process's peak resident memory at the stage's end (Linux only).
    pub peak: Option<u64>,
}

/// The CPU time (user and system, all threads) this process has used so far (Linux only).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: count fields after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    // In clock ticks, which Linux reports at 100 per second to user space.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// The peak resident memory of this process so far, in bytes (`VmHWM`; Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs the whole pipeline. On error, returns every diagnostic (warnings included).
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    run(options, None, None, None)
}

/// A build's site and files, kept in memory instead of written (for `chronique check`).
pub struct InMemory {
    pub site: Site,
    /// Every file the build would write (none when the theme did not compile).
    pub files: Vec<render::OutputFile>,
    /// The static files it would copy.
    pub statics: Vec<source::StaticFile>,
}

/// The pipeline without writing, keeping what it made: the outcome of the build, and its site
/// and files whenever the settings could be read (even when the build has errors).
pub fn build_in_memory(
    options: &BuildOptions,
) -> (Result<BuildReport, Diagnostics>, Option<InMemory>) {
    let mut options = options.clone();
    options.write = false;
    let mut kept = None;
    let result = run(&options, None, None, Some(&mut kept));
    (result, kept)
}

/// Builds that remember: `chronique serve` keeps one for its rebuilds.
///
/// The pipeline is the same as [`build`]'s; what a session adds is memory of the last build,
/// used only where reusing it gives exactly what doing the work again would:
///
/// - after a change to Markdown files only, only those files are read again
///   ([`source::update`]);
/// - a file whose text is unchanged is not parsed again ([`content::ParseMemo`]);
/// - a post whose body, summary and links are unchanged is not rendered to HTML again
///   ([`site::AssemblyMemo`]);
/// - when the templates, settings and structure of the site are unchanged, only the pages that
///   read a changed post are rendered, and written in place ([`render::trace`]).
pub struct Session {
    pub options: BuildOptions,
    memory: Memory,
}

/// What a [`Session`] keeps between builds.
#[derive(Default)]
struct Memory {
    /// The sources as last read.
    sources: Option<source::Sources>,
    parse: content::ParseMemo,
    assembly: site::AssemblyMemo,
    /// The pages now in the output folder, with what each read: set by a build that wrote.
    traces: Option<render::trace::Traces>,
    search: render::search::Memo,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            memory: Memory::default(),
        }
    }

    /// Builds again. `changed` lists the files changed since the last build (relative to the
    /// root), when the caller knows them; `None` reads everything.
    pub fn build(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport, Diagnostics> {
        run(&self.options, Some(&mut self.memory), changed, None)
    }
}

fn run(
    options: &BuildOptions,
    mut memory: Option<&mut Memory>,
    changed: Option<&[PathBuf]>,
    mut keep: Option<&mut Option<InMemory>>,
) -> Result<BuildReport, Diagnostics> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut used = cpu_time();
    let mut lap = |stage: &'static str, timings: &mut Vec<StageTiming>| {
        let now = cpu_time();
        timings.push(StageTiming {
            stage,
            wall: clock.elapsed(),
            cpu: now
                .zip(used)
                .map(|(now, before)| now.saturating_sub(before)),
            peak: peak_memory(),
        });
        clock = Instant::now();
        used = now;
    };

    let config = Config::load(&options.root, options.base_url.as_deref())?;
    let mut previous = memory.as_mut().and_then(|m| m.sources.take());
    let updated = match (&mut previous, changed) {
        (Some(sources), Some(changed)) => source::update(sources, &config.root, changed),
        _ => false,
    };
    let (mut sources, only_posts_changed) = match previous {
        Some(sources) if updated => (sources, true),
        _ => (source::read_all(&config), false),
    };
    lap("read", &mut timings);
    let mut diagnostics = sources.problems.clone();
    diagnostics.extend(render::i18n::check_overrides(&config));

    let (content, problems) =
        content::parse_all_with(&sources, memory.as_mut().map(|m| &mut m.parse));
    diagnostics.extend(problems.0);
    // The posts now share the files' texts; a build without a session reads them no more.
    if memory.is_none() {
        sources.content = Vec::new();
    }
    lap("parse", &mut timings);

    let settings = BuildSettings {
        drafts: options.drafts,
        now: options.now,
    };
    let (mut site, problems) = Site::assemble_with(
        config,
        settings,
        content,
        memory.as_mut().map(|m| &mut m.assembly),
    );
    diagnostics.extend(problems.0);
    // Rendered: the bodies are not needed by this build any more, unless it keeps the site
    // (`check` reads them again) or a session will reuse it.
    if memory.is_none() && keep.is_none() {
        site.release_bodies();
    }
    lap("assemble", &mut timings);

    // With no template at all, the missing theme was already reported.
    let theme = if sources.templates.is_empty() {
        Err(Diagnostics::new())
    } else {
        render::Theme::compile(&sources.templates, site.config.language)
    };
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let writing = options.write && theme.is_ok() && !diagnostics.has_errors();
    // The previous pages, when this build can reuse them: only posts changed, and the site's
    // structure and templates are the same (then the set of files is the same too, and the
    // few pages rendered again are written in place).
    let traces = memory.as_ref().and_then(|m| m.traces.as_ref());
    let key = match &theme {
        Ok(theme) if traces.is_some() => Some(render::pages_key(&site, theme)),
        _ => None,
    };
    // (And the output folder is still the one those traces describe, not deleted meanwhile.)
    let previous = traces.filter(|t| {
        only_posts_changed
            && writing
            && Some(t.key) == key
            && output_dir.join(output::MARKER).is_file()
    });
    let in_place = previous.is_some();
    // Files the writer thread keeps rather than stages.
    let collect = in_place || keep.is_some();
    // Otherwise pages go to the writer as they are rendered, so writing overlaps rendering and
    // the site is never held whole in memory. Nothing is written when an error is already
    // known; an error met while rendering throws the staged site away.
    let staging = if writing && !in_place {
        let begun = output::Staging::begin(&output_dir, &options.root, &sources.statics);
        Some(begun.map_err(|d| {
            let mut all = diagnostics.clone();
            all.push(d);
            all
        })?)
    } else {
        None
    };
    // The site's own robots.txt replaces the generated one.
    let own_robots = sources
        .statics
        .iter()
        .any(|s| s.dest == Path::new("robots.txt"));
    let mut written = None;
    let mut changed_files = Vec::new();
    let mut rendering = None;
    match &theme {
        Ok(theme) => {
            let (done, staged, kept) = std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<render::OutputFile>(256);
                let writer = scope.spawn(move || {
                    let mut staging = staging;
                    let mut failure = None;
                    let mut kept = Vec::new();
                    for file in rx {
                        match (&mut staging, &failure) {
                            (Some(st), None) => {
                                if let Err(e) = st.put(&file) {
                                    failure = Some(e);
                                }
                            }
                            // In place: written once the build is known to be good.
                            (None, None) if collect => kept.push(file),
                            _ => {}
                        }
                    }
                    ((staging, failure), kept)
                });
                let emit = move |file: render::OutputFile| {
                    if !(own_robots && file.path == Path::new("robots.txt")) {
                        // The writer only stops when this side is done.
                        let _ = tx.send(file);
                    }
                };
                let reuse = render::Reuse {
                    pages: previous,
                    search: memory.as_ref().map(|m| &m.search),
                    key,
                };
                let done = render::render_all(&site, theme, &emit, reuse);
                drop(emit);
                let (staged, kept) = writer.join().unwrap_or(((None, None), Vec::new()));
                (done, staged, kept)
            });
            diagnostics.extend(done.diagnostics.0.iter().cloned());
            let (staging, failure) = staged;
            if let Some(e) = failure {
                diagnostics.push(e);
            }
            written = staging;
            changed_files = kept;
            rendering = Some(done);
        }
        Err(problems) => {
            diagnostics.extend(problems.0.iter().cloned());
        }
    }
    lap("render", &mut timings);
    let statics = match keep {
        Some(_) => std::mem::take(&mut sources.statics),
        None => Vec::new(),
    };
    // `check` keeps what the build made, whether it succeeded or not.
    let keep_site = |site: Site, files: Vec<render::OutputFile>| {
        if let Some(keep) = keep.as_mut() {
            **keep = Some(InMemory {
                site,
                files,
                statics,
            });
        }
    };
    if let Some(memory) = memory.as_mut() {
        memory.sources = Some(sources);
    }

    diagnostics.sort();
    if diagnostics.has_errors() {
        if let Some(staging) = written {
            staging.abort();
        }
        keep_site(site, changed_files);
        return Err(diagnostics);
    }
    let mut files_written = 0;
    if let Some(staging) = written {
        let report = staging.finish().map_err(|d| {
            let mut all = diagnostics.clone();
            all.push(d);
            all
        })?;
        files_written = report.files;
    } else if in_place {
        // Until this succeeds, the output no longer matches any traces.
        if let Some(memory) = memory.as_mut() {
            memory.traces = None;
        }
        let report = output::update_in_place(&output_dir, &changed_files).map_err(|d| {
            let mut all = diagnostics.clone();
            all.push(d);
            all
        })?;
        files_written = report.files;
    }
    lap("write", &mut timings);

    let mut rendering = rendering.unwrap_or_else(|| render::Rendering {
        paths: Vec::new(),
        diagnostics: Diagnostics::new(),
        traces: Default::default(),
        rendered: 0,
        search: Default::default(),
        templates: Vec::new(),
    });
    let report = BuildReport {
        pages: rendering
            .paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count(),
        rendered: rendering.rendered,
        irritant_themes: site
            .taxonomies
            .iter()
            .filter(|t| t.kind == site::taxonomy::TaxonomyKind::Irritants)
            .map(|t| t.terms.len())
            .sum(),
        posts: site.posts.len(),
        sections: site.sections.len(),
        files_written,
        warnings: diagnostics,
        timings,
        templates: std::mem::take(&mut rendering.templates),
    };
    if let Some(memory) = memory {
        memory.search = rendering.search;
        if options.write {
            memory.traces = Some(rendering.traces);
        }
    }
    keep_site(site, changed_files);
    Ok(report)
}
