//! `chronique import wordpress`: a WordPress column's export made posts, pages, sections and
//! authors of a chronique site, with the old addresses kept as aliases.
//!
//! People with years of posts on WordPress will not retype them. The import reads the export
//! ([`wxr`], safe on hostile files), converts each post's HTML ([`html`]), plans every file it
//! would write, then writes them with [`crate::fsx`] (never through a link): a file already
//! holding exactly those bytes is left alone, so a second run changes nothing, and a file that
//! differs is a conflict unless `--force`. Nothing is written when there is a conflict, nor
//! with `--dry-run`. The report says what was found, mapped, written and left to do.

mod column;
mod files;
mod links;
mod map;
mod media;
pub mod nesting;
mod shortcodes;
pub mod html;
mod plan;
mod report;
pub mod wxr;

use std::fmt;
use std::path::PathBuf;

use crate::config::Config;
use crate::layout;

pub use files::{Planned, Written};
use files::{State, state_of, write};
pub use report::Report;

/// What `chronique import wordpress` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub export: PathBuf,
    /// The blog's `wp-content/uploads/` folder, from its backup.
    pub uploads: Option<PathBuf>,
    /// A mapping of categories and tags (`--map map.toml`).
    pub map: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
    /// A progress line on stderr (for a terminal).
    pub progress: bool,
}

/// The import's other inputs: the uploads folder, the mapping file.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub uploads: Option<PathBuf>,
    pub map: Option<PathBuf>,
}

/// Why the import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The export cannot be read.
    Export(wxr::WxrError),
    /// The root is not a column (no site.toml).
    NotASite(PathBuf),
    /// site.toml cannot be read (its diagnostic), or the `--map` file.
    Settings(String),
    /// Files that exist with other contents, and `--force` was not given, or files behind a
    /// symbolic link; the report too.
    Conflicts(Box<Report>),
    /// A file could not be written.
    Write { path: PathBuf, reason: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Export(e) => write!(f, "{e}"),
            ImportError::NotASite(root) => write!(
                f,
                "{} has no site.toml: create the column first with `chronique init`",
                root.display()
            ),
            ImportError::Conflicts(report) if report.conflicts.is_empty() => {
                f.write_str("a symbolic link (or a special file) is where the import would write, and it never writes through one: nothing was written; remove the link:")?;
                for path in &report.blocked {
                    write!(f, "\n  {}", crate::diagnostics::display_path(path))?;
                }
                Ok(())
            }
            ImportError::Conflicts(report) => {
                let n = report.conflicts.len();
                write!(
                    f,
                    "{n} file{} already exist{} with other contents, and the import never overwrites a file: nothing was written; give --force to replace them, or move them away:",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" }
                )?;
                for path in &report.conflicts {
                    write!(f, "\n  {}", crate::diagnostics::display_path(path))?;
                }
                Ok(())
            }
            ImportError::Settings(message) => f.write_str(message),
            ImportError::Write { path, reason } => {
                write!(f, "cannot write {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// The names of the site's own folders and addresses, which no section or page may take.
fn reserved(config: &Config) -> Vec<String> {
    let taxonomies = &config.taxonomies;
    let names = [
        layout::AUTHORS_FOLDER,
        layout::SERIES_FOLDER,
        layout::AUTHORS_PATH,
        layout::SERIES_PATH,
        layout::PAGE_SEGMENT,
        layout::search_path(config.language),
        &taxonomies.irritants,
        &taxonomies.tags,
        &taxonomies.efforts,
    ];
    names.iter().map(|n| n.to_string()).collect()
}

/// A line on stderr counting what is done, rewritten in place; only when asked (on a
/// terminal: a log or a pipe gets nothing).
struct Progress {
    shown: bool,
}

impl Progress {
    fn tick(&self, what: &str, done: usize, total: usize) {
        // A hundred steps at most: the line costs nothing next to the work.
        let every = (total / 100).max(1);
        if self.shown && (done.is_multiple_of(every) || done == total) {
            eprint!("\r\x1b[K{what}: {done}/{total}");
        }
    }

    fn clear(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}

/// What the plan needs, from the site's settings and the options.
fn settings(options: &ImportOptions, config: &Config) -> Result<plan::Settings, ImportError> {
    let map = match &options.map {
        Some(path) => map::Map::read(path).map_err(ImportError::Settings)?,
        None => map::Map::default(),
    };
    Ok(plan::Settings {
        reserved: reserved(config),
        uploads: options.uploads.clone(),
        map,
        sections: config.sections.clone(),
        efforts: config.efforts.iter().map(|e| e.id.clone()).collect(),
    })
}

/// The report's notes on the mapping: what was given, the categories it names in vain.
fn note_mapping(report: &mut Report, export: &wxr::Export, settings: &plan::Settings) {
    report.uploads = settings.uploads.is_some();
    report.irritant_tags = settings.map.irritant_tags.iter().cloned().collect();
    let categories = export.items.iter().flat_map(|i| &i.terms);
    let categories = categories.filter(|(domain, _, _)| domain == "category");
    let known: std::collections::BTreeSet<String> = (export.categories.iter())
        .map(|c| c.0.clone())
        .chain(categories.map(|(_, nicename, _)| nicename.clone()))
        .collect();
    report.unknown_in_map = settings.map.unknown_categories(&known).cloned().collect();
}

/// Imports the export into the site; the report, or why nothing (or not all) was written.
pub fn wordpress(options: &ImportOptions) -> Result<Report, ImportError> {
    if !options.root.join("site.toml").is_file() {
        return Err(ImportError::NotASite(options.root.clone()));
    }
    let config = Config::load(&options.root, None)
        .map_err(|d| ImportError::Settings(d.unlabelled().to_string()))?;
    let progress = Progress {
        shown: options.progress,
    };
    if progress.shown {
        eprint!("reading the export…");
    }
    let export = wxr::read(&options.export).map_err(|e| {
        progress.clear();
        ImportError::Export(e)
    })?;
    let settings = settings(options, &config)?;
    let (files, mut report) = plan::plan(&export, &settings, &mut |done, total| {
        progress.tick("converting posts and pages", done, total)
    });
    report.mapped = options.map.is_some();
    note_mapping(&mut report, &export, &settings);
    let total = files.len();
    let states: Vec<State> = (files.iter().enumerate())
        .map(|(n, f)| {
            progress.tick("comparing with the site's files", n + 1, total);
            state_of(&options.root, f)
        })
        .collect();
    for (file, state) in files.iter().zip(&states) {
        report.count(file, *state, options.force);
    }
    report.dry_run = options.dry_run;
    // Without --force a different file is a conflict; a link is one even with it.
    if options.dry_run || !report.conflicts.is_empty() || !report.blocked.is_empty() {
        progress.clear();
        return match options.dry_run {
            true => Ok(report),
            false => Err(ImportError::Conflicts(Box::new(report))),
        };
    }
    for (n, (file, state)) in files.iter().zip(&states).enumerate() {
        progress.tick("writing", n + 1, total);
        write(&options.root, file, *state).map_err(|e| ImportError::Write {
            path: options.root.join(&file.rel),
            reason: e.to_string(),
        })?;
    }
    progress.clear();
    Ok(report)
}
