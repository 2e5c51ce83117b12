//! From file-system notifications to [`Change`]s worth a rebuild.
//!
//! notify reports everything that happens under a folder, in the order the kernel saw it: an
//! editor's save is often a burst (a swap file, a `4913` probe, a write to a temporary file and a
//! rename over the real one). The debouncer groups a burst into one batch and stitches renames
//! together; this module keeps only the paths the build reads (`site.toml`, `i18n.toml` and what
//! lies under `content/`, `themes/`, `static/` and `templates/`, minus the names
//! [`crate::source::is_ignored_name`] skips), so a batch of editors' litter is no change at all.
//! A rename's both ends are kept: a save by rename is a change to the real file, and a moved
//! folder changes both places.
//!
//! The site root itself is watched without recursion (for `site.toml`, and for a source folder
//! that is created, or deleted and created again, after the server started: its watch is then
//! added again).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};

use super::shared::ServeError;
use crate::layout::{COMMENTS_DIR, CONTENT_DIR, SITE_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::source::is_ignored_name;

/// The folders the build reads, under the site root.
pub const WATCHED_DIRS: [&str; 5] = [
    CONTENT_DIR,
    THEMES_DIR,
    STATIC_DIR,
    TEMPLATES_DIR,
    COMMENTS_DIR,
];

/// The files at the root the build reads: the settings and the interface strings.
pub const WATCHED_FILES: [&str; 2] = [SITE_FILE, crate::config::STRINGS_FILE];

/// How often `--poll` looks at every file. It compares contents too: file times have only
/// whole seconds there, and an edit in the same second as the last look would be missed.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Source files that changed, relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub paths: BTreeSet<PathBuf>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn merge(&mut self, other: Change) {
        self.paths.extend(other.paths);
    }

    /// Every changed file is a stylesheet: pages can keep their state and re-fetch only CSS.
    pub fn stylesheets_only(&self) -> bool {
        !self.paths.is_empty()
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")))
    }

    /// A short list for the terminal: `content/breves/x.md (+2 more)`.
    pub fn describe(&self) -> String {
        let mut shown: Vec<String> = self
            .paths
            .iter()
            .take(3)
            .map(|p| crate::diagnostics::display_path(p))
            .collect();
        if self.paths.len() > 3 {
            shown.push(format!("+{} more", self.paths.len() - 3));
        }
        shown.join(", ")
    }
}

/// Whether a path (relative to the site root) is something the build reads.
pub fn is_watched(rel: &Path) -> bool {
    let mut names = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => names.push(name.to_string_lossy()),
            _ => return false,
        }
    }
    match names.as_slice() {
        [] => false,
        [only] => WATCHED_FILES.contains(&only.as_ref()) || WATCHED_DIRS.contains(&only.as_ref()),
        [first, rest @ ..] => {
            WATCHED_DIRS.contains(&first.as_ref()) && !rest.iter().any(|n| is_ignored_name(n))
        }
    }
}

/// The two kinds of watcher behind one interface.
enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Watches a site's sources; hands out [`Change`]s.
pub struct Watcher {
    root: PathBuf,
    backend: Backend,
    events: Receiver<DebounceEventResult>,
    poll: bool,
}

impl Watcher {
    /// Starts watching `root` (absolute): `site.toml` and the source folders that exist.
    pub fn start(root: &Path, poll: bool, debounce: Duration) -> Result<Watcher, ServeError> {
        let (tx, events) = channel();
        let backend = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            new_debouncer_opt(debounce, None, tx, RecommendedCache::new(), config)
                .map(Backend::Poll)
        } else {
            new_debouncer_opt(
                debounce,
                None,
                tx,
                RecommendedCache::new(),
                notify::Config::default(),
            )
            .map(Backend::Native)
        }
        .map_err(|e| ServeError::Watch(explain(&e, poll)))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            backend,
            events,
            poll,
        };
        watcher
            .backend
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| ServeError::Watch(explain(&e, poll)))?;
        for dir in WATCHED_DIRS {
            let dir = root.join(dir);
            if dir.is_dir() {
                watcher
                    .backend
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| ServeError::Watch(explain(&e, poll)))?;
            }
        }
        Ok(watcher)
    }

    /// Blocks until the sources change. `None` when the watcher is gone.
    pub fn next_change(&mut self) -> Option<Change> {
        loop {
            let batch = self.events.recv().ok()?;
            let change = self.take(batch);
            if !change.is_empty() {
                return Some(change);
            }
        }
    }

    /// The sources' changes within `timeout`, if any.
    pub fn change_within(&mut self, timeout: Duration) -> Option<Change> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(batch) => {
                    let change = self.take(batch);
                    if !change.is_empty() {
                        return Some(change);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Everything already waiting, merged into `change`.
    pub fn drain_into(&mut self, change: &mut Change) {
        while let Ok(batch) = self.events.try_recv() {
            let more = self.take(batch);
            change.merge(more);
        }
    }

    /// Keeps the relevant paths of a batch; reports watcher errors; re-watches source folders
    /// that (re)appeared.
    fn take(&mut self, batch: DebounceEventResult) -> Change {
        let mut change = Change::default();
        match batch {
            Ok(events) => {
                // Reading is not changing: the build's own reads must not trigger a rebuild.
                for event in events.iter().filter(|e| !e.kind.is_access()) {
                    for path in &event.paths {
                        let Ok(rel) = path.strip_prefix(&self.root) else {
                            continue;
                        };
                        if !is_watched(rel) {
                            continue;
                        }
                        if rel.components().count() == 1
                            && !WATCHED_FILES.iter().any(|f| rel == Path::new(f))
                            && path.is_dir()
                            && (event.kind.is_create() || event.kind.is_modify())
                        {
                            // A source folder created (or moved into place) after the start.
                            if let Err(e) = self.backend.watch(path, RecursiveMode::Recursive) {
                                eprintln!("warning: {}", explain(&e, self.poll));
                            }
                        }
                        change.paths.insert(rel.to_path_buf());
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: {}", explain(&e, self.poll));
                }
            }
        }
        change
    }
}

/// A watcher error in words, with what to do about the system's limits.
pub fn explain(error: &notify::Error, poll: bool) -> String {
    let at_limit = match &error.kind {
        notify::ErrorKind::MaxFilesWatch => true,
        notify::ErrorKind::Io(e) => {
            // ENOSPC (watches) and EMFILE (inotify instances) on Linux.
            matches!(e.raw_os_error(), Some(28 | 24)) || e.kind() == std::io::ErrorKind::StorageFull
        }
        _ => {
            let text = error.to_string();
            text.contains("No space left on device") || text.contains("too many")
        }
    };
    if at_limit && !poll {
        format!(
            "cannot watch the site's files: the system's limit on watched files is reached ({error}). \
             Run `chronique serve --poll` to watch by polling instead, or raise the limit \
             (Linux: `sudo sysctl fs.inotify.max_user_watches=524288` and fs.inotify.max_user_instances)"
        )
    } else {
        format!("cannot watch the site's files: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_watched() {
        for yes in [
            "site.toml",
            "i18n.toml",
            "content",
            "content/breves/x.md",
            "themes/chronique/templates/page.html",
            "static/css/site.css",
            "templates/page.html",
            "content/breves/x.md.tmp",
            // A bundle's files: its photo is published beside its page.
            "content/articles/billet/ticket.jpg",
            "content/articles/billet/scans/recu.png",
        ] {
            assert!(is_watched(Path::new(yes)), "{yes}");
        }
        for no in [
            "",
            "public/index.html",
            ".chronique-serve/index.html",
            "..chronique-serve.chronique-staging/index.html",
            "site.toml~",
            "Cargo.toml",
            "content/breves/.x.md.swp",
            "content/breves/.x.md.swx",
            "content/breves/x.md~",
            "content/breves/4913",
            "content/breves/.#x.md",
            "content/breves/#x.md#",
            "content/breves/x.md.bck",
            "content/breves/x.md___jb_tmp___",
            "content/breves/x.md.kate-swp",
            "content/.DS_Store",
            "content/.git/index",
            "../content/x.md",
        ] {
            assert!(!is_watched(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn stylesheets_only_when_every_path_is_css() {
        let change = |paths: &[&str]| Change {
            paths: paths.iter().map(PathBuf::from).collect(),
        };
        assert!(change(&["static/a.css", "themes/t/static/B.CSS"]).stylesheets_only());
        assert!(!change(&["static/a.css", "content/x.md"]).stylesheets_only());
        assert!(!change(&[]).stylesheets_only());
    }

    #[test]
    fn the_watch_limit_suggests_poll() {
        let limit = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        assert!(explain(&limit, false).contains("--poll"));
        let enospc = notify::Error::io(std::io::Error::from_raw_os_error(28));
        assert!(explain(&enospc, false).contains("--poll"));
        let other = notify::Error::path_not_found();
        assert!(!explain(&other, false).contains("--poll"));
    }
}
