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

pub mod check;
pub mod config;
pub mod content;
pub mod dev;
pub mod diagnostics;
pub mod front_matter;
pub mod init;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod site;
pub mod source;

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
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline. On error, returns every diagnostic (warnings included).
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let config = Config::load(&options.root, options.base_url.as_deref())?;
    let sources = source::read_all(&config);
    lap("read", &mut timings);
    let mut diagnostics = sources.problems.clone();
    diagnostics.extend(render::i18n::check_overrides(&config));

    let (content, problems) = content::parse_all(&sources);
    diagnostics.extend(problems.0);
    lap("parse", &mut timings);

    let settings = BuildSettings {
        drafts: options.drafts,
        now: options.now,
    };
    let (site, problems) = Site::assemble(config, settings, content);
    diagnostics.extend(problems.0);
    lap("assemble", &mut timings);

    // With no template at all, the missing theme was already reported.
    let theme = if sources.templates.is_empty() {
        Err(Diagnostics::new())
    } else {
        render::Theme::compile(&sources.templates, site.config.language)
    };
    // Pages go to the writer as they are rendered, so writing overlaps rendering and the site
    // is never held whole in memory. Nothing is written when an error is already known; an
    // error met while rendering throws the staged site away.
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let writing = options.write && theme.is_ok() && !diagnostics.has_errors();
    let staging = if writing {
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
    let paths = match &theme {
        Ok(theme) => {
            let (paths, problems, staged) = std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<render::OutputFile>(256);
                let writer = scope.spawn(move || {
                    let mut staging = staging;
                    let mut failure = None;
                    for file in rx {
                        if let (Some(st), None) = (&mut staging, &failure)
                            && let Err(e) = st.put(&file)
                        {
                            failure = Some(e);
                        }
                    }
                    (staging, failure)
                });
                let emit = move |file: render::OutputFile| {
                    if !(own_robots && file.path == Path::new("robots.txt")) {
                        // The writer only stops when this side is done.
                        let _ = tx.send(file);
                    }
                };
                let (paths, problems) = render::render_all(&site, theme, &emit);
                drop(emit);
                let staged = writer.join().unwrap_or((None, None));
                (paths, problems, staged)
            });
            diagnostics.extend(problems.0);
            let (staging, failure) = staged;
            if let Some(e) = failure {
                diagnostics.push(e);
            }
            written = staging;
            paths
        }
        Err(problems) => {
            diagnostics.extend(problems.0.iter().cloned());
            Vec::new()
        }
    };
    lap("render", &mut timings);

    diagnostics.sort();
    if diagnostics.has_errors() {
        if let Some(staging) = written {
            staging.abort();
        }
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
    }
    lap("write", &mut timings);

    Ok(BuildReport {
        pages: paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count(),
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
    })
}
