//! From file-system notifications to [`Change`]s worth a rebuild.
//!
//! notify reports everything that happens under a folder, in the order the kernel saw it: an
//! editor's save is often a burst (a swap file, a `4913` probe, a write to a temporary file and a
//! rename over the real one). This module groups a burst into one batch and keeps only the paths
//! the build reads (`site.toml`, `i18n.toml` and what lies under `content/`, `themes/`, `static/`
//! and `templates/`, minus the names [`crate::source::is_ignored_name`] skips), so a batch of
//! editors' litter is no change at all. A rename's both ends are kept: a save by rename is a
//! change to the real file, and a moved folder changes both places.
//!
//! A batch ends as soon as the save is over, and no later: the kernel says when a file written
//! to is closed, so a batch whose files are all closed (or renamed into place, or removed) waits
//! only [`QUIET_AFTER_SAVE`] for the stragglers of the same save (a backup deleted after the
//! rename); while a file is still open for writing it waits the longer `debounce` for the next
//! event. Measured with what editors do (`tests/serve.rs`): a write in place (open, truncate,
//! write, close) and a write to a temporary file renamed over the real one are each one batch,
//! whose rebuild starts ~8 ms after the save instead of the ~95 ms a fixed 75 ms debounce took
//! (its timeout plus its tick). Polling (`--poll`) sees no closes: its batches wait the debounce.
//!
//! The site root itself is watched without recursion (for `site.toml`, and for a source folder
//! that is created, or deleted and created again, after the server started: its watch is then
//! added again).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

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

/// How long a batch whose files are all closed waits for more events of the same save.
const QUIET_AFTER_SAVE: Duration = Duration::from_millis(8);
/// A batch never waits longer than this after its first event, however long events keep coming
/// (a `git checkout` of thousands of files): the site is rebuilt, and the rest is the next batch.
const BATCH_LIMIT: Duration = Duration::from_secs(1);

/// The two kinds of watcher behind one interface.
enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.watch(path, mode),
            Backend::Poll(w) => w.watch(path, mode),
        }
    }
}

/// Watches a site's sources; hands out [`Change`]s.
pub struct Watcher {
    root: PathBuf,
    backend: Backend,
    events: Receiver<notify::Result<Event>>,
    poll: bool,
    /// How long a batch with a file still open for writing waits for the next event.
    debounce: Duration,
}

/// What a notification says about the save under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Nothing the build sees: a file opened, or closed after reading (the build's own reads).
    None,
    /// A file created or written to, and not closed yet: more is coming.
    Writing,
    /// A file closed after writing, renamed, removed, or its metadata changed.
    Done,
}

fn step(kind: &EventKind) -> Step {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Step::Done,
        EventKind::Access(_) => Step::None,
        EventKind::Create(CreateKind::Folder) => Step::Done,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
            Step::Writing
        }
        EventKind::Modify(_) | EventKind::Remove(_) => Step::Done,
        EventKind::Any | EventKind::Other => Step::None,
    }
}

/// The events of one save, gathered.
#[derive(Default)]
struct Batch {
    change: Change,
    /// Files written to and not yet closed (or renamed, or removed).
    writing: BTreeSet<PathBuf>,
}

impl Batch {
    /// How long to wait for the next event before the batch is over.
    fn quiet(&self, debounce: Duration) -> Duration {
        if self.writing.is_empty() {
            QUIET_AFTER_SAVE
        } else {
            debounce
        }
    }
}

impl Watcher {
    /// Starts watching `root` (absolute): `site.toml` and the source folders that exist.
    /// `debounce`: how long a batch waits while a file is still open for writing.
    pub fn start(root: &Path, poll: bool, debounce: Duration) -> Result<Watcher, ServeError> {
        let (tx, events) = channel();
        let backend = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            PollWatcher::new(tx, config).map(Backend::Poll)
        } else {
            notify::recommended_watcher(tx).map(Backend::Native)
        }
        .map_err(|e| ServeError::Watch(explain(&e, poll)))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            backend,
            events,
            poll,
            debounce,
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

    /// Blocks until the sources change and the save is over. `None` when the watcher is gone.
    pub fn next_change(&mut self) -> Option<Change> {
        self.batch(None)
    }

    /// The sources' changes that begin within `timeout`, if any.
    pub fn change_within(&mut self, timeout: Duration) -> Option<Change> {
        self.batch(Some(Instant::now() + timeout))
    }

    /// Everything already waiting, merged into `change` (and the end of a save it begins).
    pub fn drain_into(&mut self, change: &mut Change) {
        let mut batch = Batch::default();
        while let Ok(event) = self.events.try_recv() {
            self.take(event, &mut batch);
        }
        if !batch.writing.is_empty() {
            self.settle(&mut batch);
        }
        change.merge(batch.change);
    }

    /// Waits (until `deadline`, or for ever) for a first event the build sees, then for the
    /// end of its save.
    fn batch(&mut self, deadline: Option<Instant>) -> Option<Change> {
        let mut batch = Batch::default();
        while batch.change.is_empty() {
            let event = match deadline {
                None => self.events.recv().ok()?,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    self.events.recv_timeout(left).ok()?
                }
            };
            self.take(event, &mut batch);
        }
        self.settle(&mut batch);
        Some(batch.change)
    }

    /// Adds events to `batch` until none comes for its quiet time (or [`BATCH_LIMIT`]).
    fn settle(&mut self, batch: &mut Batch) {
        let limit = Instant::now() + BATCH_LIMIT;
        loop {
            let left = limit.saturating_duration_since(Instant::now());
            match self
                .events
                .recv_timeout(batch.quiet(self.debounce).min(left))
            {
                Ok(event) => self.take(event, batch),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Adds an event's relevant paths to `batch`; reports watcher errors; re-watches source
    /// folders that (re)appeared.
    fn take(&mut self, event: notify::Result<Event>, batch: &mut Batch) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("warning: {}", explain(&e, self.poll));
                return;
            }
        };
        let step = step(&event.kind);
        if step == Step::None {
            return;
        }
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
            match step {
                Step::Writing => batch.writing.insert(rel.to_path_buf()),
                _ => batch.writing.remove(rel),
            };
            batch.change.paths.insert(rel.to_path_buf());
        }
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

    /// A site folder with `content/`, watched with a long debounce (so that only the end of a
    /// save, never a timeout, can end a batch early), and a thread that reports each batch with
    /// the moment it ended.
    fn watched() -> (
        tempfile::TempDir,
        std::sync::mpsc::Receiver<(Change, Instant)>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut watcher = Watcher::start(&root, false, Duration::from_secs(5)).unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            while let Some(change) = watcher.next_change() {
                if tx.send((change, Instant::now())).is_err() {
                    return;
                }
            }
        });
        (dir, rx)
    }

    fn paths(change: &Change) -> Vec<String> {
        change
            .paths
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn a_file_still_open_for_writing_holds_its_batch_until_it_is_closed() {
        use std::io::Write;
        let (dir, batches) = watched();
        let mut file = std::fs::File::create(dir.path().join("content/long.md")).unwrap();
        file.write_all(b"---\ntitle: Long\n").unwrap();
        std::thread::sleep(Duration::from_millis(400));
        file.write_all(b"---\nBody.\n").unwrap();
        let closed = Instant::now();
        drop(file);
        let (change, ended) = batches.recv_timeout(Duration::from_secs(20)).unwrap();
        assert_eq!(paths(&change), ["content/long.md"]);
        assert!(
            ended >= closed,
            "the batch ended before the file was closed"
        );
    }

    #[test]
    fn a_closed_file_ends_its_batch_without_waiting_for_the_debounce() {
        let (dir, batches) = watched();
        // The 5 s debounce would end these batches only after 4 s; closes end them at once.
        std::fs::write(dir.path().join("content/a.md"), "A").unwrap();
        let (change, _) = batches.recv_timeout(Duration::from_secs(4)).unwrap();
        assert_eq!(paths(&change), ["content/a.md"]);
        // A save by rename: a temporary file written, closed, then renamed over the real one.
        std::fs::write(dir.path().join("content/b.md.tmp"), "B").unwrap();
        std::fs::rename(
            dir.path().join("content/b.md.tmp"),
            dir.path().join("content/b.md"),
        )
        .unwrap();
        let (change, _) = batches.recv_timeout(Duration::from_secs(4)).unwrap();
        assert_eq!(paths(&change), ["content/b.md", "content/b.md.tmp"]);
    }

    #[test]
    fn reading_a_source_is_no_change() {
        let (dir, batches) = watched();
        let file = dir.path().join("content/lu.md");
        std::fs::write(&file, "Lu").unwrap();
        batches.recv_timeout(Duration::from_secs(4)).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "Lu");
        assert!(batches.recv_timeout(Duration::from_millis(500)).is_err());
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
