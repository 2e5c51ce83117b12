//! `chronique import wordpress`: a WordPress column's export made posts, pages, sections and
//! authors of a chronique site, with the old addresses kept as aliases.
//!
//! People with years of posts on WordPress will not retype them. The import reads the export
//! ([`wxr`], safe on hostile files), converts each post's HTML ([`html`]), plans every file it
//! would write, then writes them with [`crate::fsx`] (never through a link): a file already
//! holding exactly those bytes is left alone, so a second run changes nothing, and a file that
//! differs is a conflict unless `--force`. Nothing is written when there is a conflict, nor
//! with `--dry-run`. The report says what was found, mapped, written and left to do.
//!
//! Its memory does not grow with the export, but for a small index per item: the export is
//! read twice, as a stream, never held. The first reading keeps each item without its content
//! and comments ([`plan::indexed`]), from which every post is placed (its slug, its address,
//! its number for the links of the others); the second converts the items one at a time, the
//! texts of their files going to a temporary file outside the site ([`files::Spool`]). Only
//! then is each planned file compared with the site's, one at a time, and written if no file
//! conflicts: as before, nothing is written in the site until the whole plan is known.

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

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use crate::config::Config;
use crate::layout;

pub use files::{Planned, Written};
use files::{Spool, State, state_of, write};
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

/// The categories of the export: the channel's and the items'.
fn categories(index: &wxr::Export) -> BTreeSet<String> {
    let categories = index.items.iter().flat_map(|i| &i.terms);
    let categories = categories.filter(|(domain, _, _)| domain == "category");
    (index.categories.iter())
        .map(|c| c.0.clone())
        .chain(categories.map(|(_, nicename, _)| nicename.clone()))
        .collect()
}

/// The report's notes on the mapping: what was given, the categories it names in vain.
fn note_mapping(report: &mut Report, known: &BTreeSet<String>, settings: &plan::Settings) {
    report.uploads = settings.uploads.is_some();
    report.irritant_tags = settings.map.irritant_tags.iter().cloned().collect();
    report.unknown_in_map = settings.map.unknown_categories(known).cloned().collect();
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
    let index = index(options, &progress)?;
    let settings = settings(options, &config)?;
    let known = categories(&index);
    let plan::Plan {
        files,
        spool,
        mut report,
    } = convert(options, index, &settings, &progress)?;
    report.mapped = options.map.is_some();
    note_mapping(&mut report, &known, &settings);
    let written = compare_and_write(options, &files, spool, report, &progress);
    progress.clear();
    written
}

/// The export's error, with the progress line cleared first.
fn export_error(progress: &Progress, e: wxr::WxrError) -> ImportError {
    progress.clear();
    ImportError::Export(e)
}

/// First reading: the index, from which every post and page is placed.
fn index(options: &ImportOptions, progress: &Progress) -> Result<wxr::Export, ImportError> {
    let mut items = Vec::new();
    let mut index = wxr::read(&options.export, &mut |_, item| {
        items.push(plan::indexed(item));
        Ok(())
    })
    .map_err(|e| export_error(progress, e))?;
    index.items = items;
    Ok(index)
}

/// Second reading: each item converted as it comes, its text put in the spool.
fn convert(
    options: &ImportOptions,
    index: wxr::Export,
    settings: &plan::Settings,
    progress: &Progress,
) -> Result<plan::Plan, ImportError> {
    let spool = Spool::temporary().map_err(|e| ImportError::Write {
        path: std::env::temp_dir(),
        reason: format!("cannot make a temporary file: {e}"),
    })?;
    let mut planner = plan::Planner::new(&index, settings, spool);
    drop(index);
    wxr::read(&options.export, &mut |n, item| {
        planner.item(n, &item)?;
        progress.tick(
            "converting posts and pages",
            planner.converted(),
            planner.total(),
        );
        Ok(())
    })
    .map_err(|e| export_error(progress, e))?;
    planner.finish().map_err(|message| {
        progress.clear();
        ImportError::Settings(format!("{}: {message}", options.export.display()))
    })
}

/// Compares each planned file with the site's, then writes them all, or none when one
/// conflicts (without `--force` a different file is a conflict; a link is one even with it),
/// or with `--dry-run`.
fn compare_and_write(
    options: &ImportOptions,
    files: &[Planned],
    mut spool: Spool,
    mut report: Report,
    progress: &Progress,
) -> Result<Report, ImportError> {
    let total = files.len();
    let states: Vec<State> = (files.iter().enumerate())
        .map(|(n, f)| {
            progress.tick("comparing with the site's files", n + 1, total);
            state_of(&options.root, f, &mut spool)
        })
        .collect();
    for (file, state) in files.iter().zip(&states) {
        report.count(file, *state, options.force);
    }
    report.dry_run = options.dry_run;
    if options.dry_run || !report.conflicts.is_empty() || !report.blocked.is_empty() {
        return match options.dry_run {
            true => Ok(report),
            false => Err(ImportError::Conflicts(Box::new(report))),
        };
    }
    for (n, (file, state)) in files.iter().zip(&states).enumerate() {
        progress.tick("writing", n + 1, total);
        write(&options.root, file, *state, &mut spool).map_err(|e| ImportError::Write {
            path: options.root.join(&file.rel),
            reason: e.to_string(),
        })?;
    }
    Ok(report)
}
