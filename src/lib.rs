//! chronique: a static site generator for a French customer-experience column.
//!
//! A build is a chain of stages, each taking the previous one's value:
//!
//! ```text
//! Config::load        site.toml                      -> Config
//! source::read_all    the only reader of files       -> Sources
//! content::parse_all  front matter, typed posts      -> Content      (pure)
//! Site::assemble      URLs, links, authors, Markdown -> Site         (pure)
//! render::render_all  Tera templates, typed views    -> Vec<OutputFile> (pure)
//! output::write       the only writer: stage + swap  -> WriteReport
//! ```
//!
//! Every stage reports all the problems it meets ([`Diagnostics`]); the site is written only
//! when there is no error, so a failed build leaves the previous output as it was.

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
        render::Theme::compile(&sources.templates)
    };
    let outputs = match theme {
        Ok(theme) => {
            let (mut outputs, problems) = render::render_all(&site, &theme);
            diagnostics.extend(problems.0);
            // The site's own robots.txt replaces the generated one.
            let own_robots = sources
                .statics
                .iter()
                .any(|s| s.dest == Path::new("robots.txt"));
            outputs.retain(|o| !(own_robots && o.path == Path::new("robots.txt")));
            outputs
        }
        Err(problems) => {
            diagnostics.extend(problems.0);
            Vec::new()
        }
    };
    lap("render", &mut timings);

    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut files_written = 0;
    if options.write {
        let output_dir = options
            .output_dir
            .clone()
            .unwrap_or_else(|| options.root.join("public"));
        let report = output::write(&output_dir, &options.root, &outputs, &sources.statics)
            .map_err(|d| {
                let mut all = diagnostics.clone();
                all.push(d);
                all
            })?;
        files_written = report.files;
    }
    lap("write", &mut timings);

    Ok(BuildReport {
        pages: outputs
            .iter()
            .filter(|o| o.path.extension().is_some_and(|e| e == "html"))
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
