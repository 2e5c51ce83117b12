//! The rebuild loop: a [`Change`] in, a build, the outcome published to open pages.
//!
//! Rebuilds go through one [`Session`], the ordinary pipeline with memory of the last build: it
//! is told which files changed, reads only those when they are posts, and renders only the pages
//! that read a changed post when the rest of the site is the same (see [`crate::Session`]). What
//! it reuses is exactly what doing the work again would give, so a rebuild's output is the
//! output of a full build (tests/serve_incremental.rs compares them).
//!
//! A build that fails right after a change may have raced the editor (a file listed, then
//! renamed or deleted before it was read). Such a race always brings more events, so a failure
//! waits briefly for them and rebuilds before it is shown; only a failure that stands is
//! published, as an overlay on every page, while the last good site stays served.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use super::live::Refresh;
use super::shared::{ServeError, Shared};
use super::watch::{Change, Watcher};
use crate::{BuildOptions, BuildReport, Diagnostics, Session};

/// How long a failed build waits for the events of a save still in progress.
const SETTLE: Duration = Duration::from_millis(250);
/// At most this many immediate retries of a failed build, then the failure is shown.
const SETTLE_TRIES: usize = 4;

/// Runs builds for the server.
pub struct Builder {
    pub root: PathBuf,
    pub output: PathBuf,
    /// The served address, so that permalinks point at the preview.
    pub base_url: String,
    pub drafts: bool,
    pub fixed_now: Option<jiff::Timestamp>,
    pub quiet: bool,
    /// Print each rebuild's stages (`serve --timings`).
    pub timings: bool,
    pub shared: Arc<Shared>,
}

impl Builder {
    /// The build before serving starts. A failure is published like any other: the server
    /// starts anyway and shows the errors.
    pub fn first_build(&self) {
        let started = Instant::now();
        match self.build(None) {
            Ok(report) => {
                self.print_warnings(&report);
                if !self.quiet {
                    println!(
                        "built {} pages ({} posts), {} sections in {:.2} s",
                        report.pages,
                        report.posts,
                        report.sections,
                        started.elapsed().as_secs_f64()
                    );
                }
                self.shared.live.publish(Refresh::Page, None);
            }
            Err(diagnostics) => self.fail(diagnostics),
        }
        self.keep_out_of_git();
    }

    /// Rebuilds on every change until the watcher stops.
    pub fn watch_forever(&self, watcher: &mut Watcher) -> Result<(), ServeError> {
        while let Some(mut change) = watcher.next_change() {
            watcher.drain_into(&mut change);
            self.rebuild(change, watcher);
        }
        Err(ServeError::Watch(
            "the file watcher stopped: restart `chronique serve`".into(),
        ))
    }

    fn rebuild(&self, mut change: Change, watcher: &mut Watcher) {
        let mut tries = 0;
        loop {
            let started = Instant::now();
            let paths: Vec<PathBuf> = change.paths.iter().cloned().collect();
            match self.build(Some(&paths)) {
                Ok(report) => {
                    self.print_warnings(&report);
                    let refresh = if change.stylesheets_only() {
                        Refresh::Stylesheets
                    } else {
                        Refresh::Page
                    };
                    self.shared.live.publish(refresh, None);
                    self.keep_out_of_git();
                    if !self.quiet {
                        println!(
                            "rebuilt in {:.0} ms ({} of {} pages rendered, {}): {}",
                            started.elapsed().as_secs_f64() * 1000.0,
                            report.rendered,
                            report.pages,
                            refresh.event(),
                            change.describe()
                        );
                    }
                    if self.timings {
                        println!("  {}", stages(&report));
                    }
                    return;
                }
                Err(diagnostics) => {
                    tries += 1;
                    if tries <= SETTLE_TRIES
                        && let Some(more) = watcher.change_within(SETTLE)
                    {
                        change.merge(more);
                        watcher.drain_into(&mut change);
                        continue;
                    }
                    self.fail(diagnostics);
                    return;
                }
            }
        }
    }

    /// A build into the serve folder. Requests go on being answered from the last good site
    /// while it reads and renders; they wait only while the output changes (the swap, or the
    /// pages written in place). `changed`: the files changed since the last build, relative to
    /// the root.
    fn build(&self, changed: Option<&[PathBuf]>) -> Result<BuildReport, Diagnostics> {
        let now = self.fixed_now.unwrap_or_else(jiff::Timestamp::now);
        let mut session = (self.shared.session.lock()).unwrap_or_else(PoisonError::into_inner);
        let session = session.get_or_insert_with(|| {
            Session::new(BuildOptions {
                root: self.root.clone(),
                output_dir: Some(self.output.clone()),
                base_url: Some(self.base_url.clone()),
                drafts: self.drafts,
                now,
            })
            .with_swap_lock(Arc::clone(&self.shared.swap))
        });
        session.options.now = now;
        let result = session.build(changed);
        if let Some(config) = session.last_config() {
            *(self.shared.language.lock()).unwrap_or_else(PoisonError::into_inner) =
                config.language;
        }
        result
    }

    /// Prints the errors like `chronique build` does and puts them on every page.
    fn fail(&self, diagnostics: Diagnostics) {
        eprint!("{diagnostics}");
        let errors = diagnostics.errors().count();
        eprintln!(
            "\n{errors} error{}: still serving the last good version of the site; the pages show the errors until they are fixed\n",
            if errors == 1 { "" } else { "s" }
        );
        self.shared.live.publish(Refresh::Page, Some(diagnostics));
    }

    /// Prints the warnings of a good build and keeps them for the editorial calendar.
    fn print_warnings(&self, report: &BuildReport) {
        for warning in report.warnings.warnings() {
            eprintln!("{warning}\n");
        }
        *self
            .shared
            .last_warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = report.warnings.clone();
    }

    /// The serve folder is a by-product: a `.gitignore` inside it keeps it out of `git status`.
    /// (Dotfiles at the top of the output survive rebuilds.) Written only where nothing is,
    /// never through a symbolic link, even a broken one: a link there is left, with a warning.
    fn keep_out_of_git(&self) {
        let ignore = self.output.join(".gitignore");
        if !self.output.is_dir() {
            return;
        }
        match std::fs::symlink_metadata(&ignore) {
            Ok(meta) if meta.file_type().is_symlink() => {
                // Said once, not at every rebuild.
                static SAID: std::sync::atomic::AtomicBool =
                    std::sync::atomic::AtomicBool::new(false);
                if !SAID.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    eprintln!(
                        "warning: {} is a symbolic link: not written, chronique never writes through a link\n",
                        ignore.display()
                    );
                }
            }
            Ok(_) => {}
            Err(_) => {
                let _ = crate::fsx::create_new(
                    &ignore,
                    b"# Written by `chronique serve`: this folder is its preview build.\n*\n",
                );
            }
        }
    }
}

/// `serve --timings`: one line, each stage's wall time ("read 2 ms · parse 40 ms · …").
fn stages(report: &BuildReport) -> String {
    let stages: Vec<String> = (report.timings.iter())
        .map(|t| format!("{} {:.1} ms", t.stage, t.wall.as_secs_f64() * 1000.0))
        .collect();
    stages.join(" · ")
}
