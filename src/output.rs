//! The only module that writes: the output folder, built aside and swapped in whole.
//!
//! A build writes everything into a staging folder next to the output, then swaps the two with
//! renames, so a failed build leaves the previous site exactly as it was and readers never see
//! half a site. chronique only replaces or deletes a folder that carries its marker file, and it
//! refuses output folders that would destroy sources: the site root or one of its parents,
//! `content/`, `themes/`, `static/`, `templates/`, `$HOME` or `/`.
//!
//! Beside an output `public/`, everything chronique keeps has a name of its own, which nothing
//! else writes: `.public.chronique-staging` (the new site), `.public.chronique-old` (the previous
//! one, being deleted), `.public.chronique-carried` (the list of your dotfiles a swap is moving),
//! `.public.chronique-lock` (held by the build writing `public/`, with its process id).
//!
//! - One build at a time writes an output: the others wait for the lock, which the system
//!   releases when its holder dies, so a killed build never blocks the next one.
//! - A build that was killed anywhere leaves a state the next one recognises and repairs before
//!   anything else: your dotfiles the swap was moving go back, the output missing between the
//!   swap's two renames is put back, and the staging and old folders are removed. Both carry the
//!   marker from their creation to the end of their deletion (it is written first and deleted
//!   last), so they are recognised as chronique's by what they are.
//! - Ctrl-C (or SIGTERM) is handled by the command (see [`interrupted`]): a staging folder is
//!   removed, and a swap or a deletion under way is finished first.
//! - Dotfiles at the top of the output are yours unless chronique wrote them: the marker lists
//!   the ones it wrote (static dotfiles such as `.htaccess`, `.well-known/`). Yours (`.git`,
//!   `.well-known/mine.txt`) are carried over to every new output; chronique's are replaced or
//!   removed like any other file; a build that would write one of yours is an error.
//!
//! A file whose bytes did not change is not rewritten: the staging folder gets a hard link to the
//! previous output's file, so its inode and mtime are kept (rsync, deploy tools and browsers'
//! caches see nothing new) and the swap still replaces the site in one step. Only when the old
//! file has the same length are its bytes read and compared.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::diagnostics::Diagnostic;
use crate::layout::{CONTENT_DIR, OUTPUT_DIR, SITE_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::render::OutputFile;
use crate::source::{StaticFile, StaticSource};

/// The file that marks a folder as chronique's output.
pub const MARKER: &str = ".chronique-output";

/// The marker's first line: what every marker chronique ever wrote starts with.
const MARKER_TEXT: &str =
    "This folder was written by chronique; it may replace it on the next build.\n";

/// The marker's second line, when the output has dotfiles of chronique's at its top; their
/// names follow, one a line.
const DOTFILES_HEADER: &str =
    "Dotfiles at its top that chronique wrote (any other one is yours, and is kept):\n";

/// The journal's first line; the names follow, one a line, and a line `.` ends it.
const JOURNAL_HEADER: &str =
    "Dotfiles of yours that chronique is moving into its staging folder (it puts them back):\n";

/// What a successful write did.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub files: usize,
    /// Bytes actually written: files kept from the previous output count nothing.
    pub bytes: u64,
}

/// Writes `files` and copies `statics` into `output`, replacing its previous contents.
pub fn write(
    output: &Path,
    root: &Path,
    files: &[OutputFile],
    statics: &[StaticFile],
) -> Result<WriteReport, Diagnostic> {
    let mut staging = Staging::begin(output, root, statics)?;
    for f in files {
        if let Err(e) = staging.put(f) {
            staging.abort();
            return Err(e);
        }
    }
    staging.finish()
}

/// The folders and files chronique keeps beside an output folder.
#[derive(Debug, Clone)]
struct Names {
    output: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    lock: PathBuf,
    journal: PathBuf,
}

impl Names {
    /// For an absolute `output`.
    fn of(output: &Path) -> Names {
        let parent = output.parent().unwrap_or(Path::new("/"));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| OUTPUT_DIR.into());
        let aside = |what: &str| parent.join(format!(".{name}.chronique-{what}"));
        Names {
            output: output.to_path_buf(),
            staging: aside("staging"),
            old: aside("old"),
            lock: aside("lock"),
            journal: aside("carried"),
        }
    }
}

// ---------------------------------------------------------------- stopping cleanly

/// What this process is writing: the staging folders to remove and the locks to release if it
/// is stopped. Every step that changes the disk holds it, so that [`interrupted`] waits for the
/// step under way to end.
struct Active {
    stagings: Vec<PathBuf>,
    locks: Vec<PathBuf>,
}

static ACTIVE: Mutex<Active> = Mutex::new(Active {
    stagings: Vec::new(),
    locks: Vec::new(),
});

fn active() -> MutexGuard<'static, Active> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// For the command's Ctrl-C (SIGINT, SIGTERM, SIGHUP) handler, which ends the process right
/// after: waits for the step under way (one file, or the whole swap, or the whole deletion of
/// the previous output), removes the staging folders of the builds under way and their lock
/// files, and never lets this process write again. The output is then the previous site or the
/// new one, whole.
pub fn interrupted() {
    let mut held = active();
    for staging in std::mem::take(&mut held.stagings) {
        let _ = remove_ours(&staging);
    }
    for lock in std::mem::take(&mut held.locks) {
        let _ = fs::remove_file(&lock);
    }
    // Held until the process ends: nothing more is written.
    std::mem::forget(held);
}

// ---------------------------------------------------------------- one build at a time

/// The lock on an output folder: a file beside it, locked by the system (released when the
/// process ends, however it ends) and holding the process id for the message of the builds
/// that wait. Removed when released.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// Takes the lock, waiting while another build holds it.
    fn take(path: &Path, output: &Path) -> Result<Lock, Diagnostic> {
        loop {
            let mut file = open_lock(path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.lines().next().unwrap_or("").trim().to_string();
                    eprintln!(
                        "note: waiting for another chronique{} to finish writing {}",
                        if holder.is_empty() {
                            String::new()
                        } else {
                            format!(" (process {holder})")
                        },
                        output.display()
                    );
                    file.lock().map_err(|e| error(path, "cannot lock", &e))?;
                }
                // A file system without locks: builds are not kept apart (as before locks).
                Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {}
                Err(fs::TryLockError::Error(e)) => return Err(error(path, "cannot lock", &e)),
            }
            // The holder before us removed the file (or something replaced it): lock anew.
            if !same_file(&file, path) {
                continue;
            }
            let mut held = active();
            let written = file
                .set_len(0)
                .and_then(|()| file.seek(io::SeekFrom::Start(0)))
                .and_then(|_| file.write_all(format!("{}\n", std::process::id()).as_bytes()));
            if let Err(e) = written {
                // A full disk: the lock file goes too.
                let _ = fs::remove_file(path);
                return Err(error(path, "cannot write", &e));
            }
            held.locks.push(path.to_path_buf());
            return Ok(Lock {
                path: path.to_path_buf(),
                _file: file,
            });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let mut held = active();
        // Removed while still locked: a build waiting on it sees it gone and locks a new one.
        let _ = fs::remove_file(&self.path);
        held.locks.retain(|l| l != &self.path);
    }
}

/// Opens the lock file, created if missing; never through a link.
fn open_lock(path: &Path) -> Result<File, Diagnostic> {
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path);
    match created {
        Ok(file) => Ok(file),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let is_file = fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            if !is_file {
                return Err(Diagnostic::error(
                    None,
                    format!(
                        "{} is not chronique's lock file (it is a link or a folder): remove it by hand",
                        path.display()
                    ),
                ));
            }
            OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(|e| error(path, "cannot open", &e))
        }
        Err(e) => Err(error(path, "cannot create", &e)),
    }
}

/// Whether `path` is still the file that `file` opened (and not a link to it).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

// ---------------------------------------------------------------- the build

/// A new site being written beside the output, to be swapped in whole by [`Staging::finish`]
/// or thrown away by [`Staging::abort`]. Pages are put one at a time as they are rendered, so
/// the build never holds the whole site in memory. It holds the output's lock until the
/// previous site is deleted.
#[derive(Debug)]
pub struct Staging {
    names: Names,
    /// The previous output, when it is ours: it lends its unchanged files.
    previous: Option<PathBuf>,
    /// Where static files were copied: they win over a generated file of the same path.
    static_dests: HashSet<PathBuf>,
    /// Pages put so far: a second page of the same path (an error the renderer reports) is not
    /// written over the first.
    written: HashSet<PathBuf>,
    report: WriteReport,
    /// Swapped in: no longer ours to remove.
    done: bool,
    /// Released after the staging folder is removed or swapped in (fields drop after `drop`).
    lock: Option<Lock>,
}

impl Staging {
    /// Checks the output folder, takes its lock, repairs what an interrupted build left,
    /// creates the staging folder with its marker and copies the static files into it.
    pub fn begin(
        output: &Path,
        root: &Path,
        statics: &[StaticFile],
    ) -> Result<Staging, Diagnostic> {
        let output =
            absolute(output).map_err(|e| error(output, "cannot resolve the output folder", &e))?;
        let root = absolute(root).map_err(|e| error(root, "cannot resolve the site folder", &e))?;
        // Refused before anything is written beside it (then again once repaired, under the lock).
        check_output_folder(&output, &root)?;
        let names = Names::of(&output);
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| error(parent, "cannot create the folder", &e))?;
        }
        let lock = Lock::take(&names.lock, &output)?;
        {
            let _held = active();
            recover(&names)?;
        }
        check_output_folder(&output, &root)?;
        {
            let mut held = active();
            fs::create_dir(&names.staging)
                .map_err(|e| error(&names.staging, "cannot create the staging folder", &e))?;
            held.stagings.push(names.staging.clone());
        }
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        let mut this = Staging {
            names,
            previous,
            static_dests: statics.iter().map(|s| s.dest.clone()).collect(),
            written: HashSet::new(),
            report: WriteReport::default(),
            done: false,
            lock: Some(lock),
        };
        // From now on, dropping `this` removes the staging folder (a full disk may stop us here).
        {
            let _held = active();
            create_new(&this.names.staging.join(MARKER), MARKER_TEXT.as_bytes()).map_err(|e| {
                error(
                    &this.names.staging,
                    "cannot write into the staging folder",
                    &e,
                )
            })?;
        }
        // One thread creates the files: with two, ext4's inode allocation contends so much that
        // a 10 000-post build spent 23 s in the kernel instead of 3 s (measured on the
        // benchmark). A generated file of a static file's path is not written (see `put`).
        for s in statics {
            this.copy_static(s)?;
        }
        Ok(this)
    }

    fn copy_static(&mut self, s: &StaticFile) -> Result<(), Diagnostic> {
        let dest = inside(&self.names.staging, &s.dest)?;
        let _held = active();
        make_parent(&dest)?;
        self.report.files += 1;
        if let Some(old) = self.previous.as_ref().map(|p| p.join(&s.dest))
            && same_contents(&s.source, &old)
            && fs::hard_link(&old, &dest).is_ok()
        {
            return Ok(());
        }
        let n = match &s.source {
            StaticSource::File(source) => fs::copy(source, &dest).map_err(|e| {
                Diagnostic::error(
                    None,
                    format!(
                        "cannot copy {} to {}: {e}",
                        source.display(),
                        dest.display()
                    ),
                )
            })?,
            StaticSource::BuiltIn(file) => write_static(&dest, file.bytes)?,
            StaticSource::Minified { bytes, .. } => write_static(&dest, bytes)?,
        };
        self.report.bytes += n;
        Ok(())
    }

    /// Writes one page, or links the previous output's file when it has the same bytes. A page
    /// of a static file's path is left out: the static file wins (the build warns).
    pub fn put(&mut self, f: &OutputFile) -> Result<(), Diagnostic> {
        if self.static_dests.contains(&f.path) || !self.written.insert(f.path.clone()) {
            return Ok(());
        }
        let dest = inside(&self.names.staging, &f.path)?;
        let _held = active();
        make_parent(&dest)?;
        self.report.files += 1;
        if let Some(old) = self.previous.as_ref().map(|p| p.join(&f.path))
            && has_bytes(&old, &f.bytes)
            && fs::hard_link(&old, &dest).is_ok()
        {
            return Ok(());
        }
        fs::write(&dest, &f.bytes).map_err(|e| error(&dest, "cannot write", &e))?;
        self.report.bytes += f.bytes.len() as u64;
        Ok(())
    }

    /// Puts the new site in place of the output and deletes the previous one.
    pub fn finish(self) -> Result<WriteReport, Diagnostic> {
        self.swap()?.clean()
    }

    /// Puts the new site in place of the output; the previous one is set aside, for
    /// [`Swapped::clean`] to delete.
    pub fn swap(mut self) -> Result<Swapped, Diagnostic> {
        // Whatever happens now, the staging folder is the swap's to keep or remove.
        self.done = true;
        let swapped = {
            let mut held = active();
            let swapped = swap(&self.names);
            held.stagings.retain(|s| s != &self.names.staging);
            swapped
        };
        swapped?;
        Ok(Swapped {
            old: self.names.old.clone(),
            report: std::mem::take(&mut self.report),
            _lock: self.lock.take(),
        })
    }

    /// Throws the new site away; the output stays as it was.
    pub fn abort(self) {
        // Dropping it removes the staging folder.
    }
}

/// A staging folder is removed unless it was swapped in, also when the build stops on an error
/// (a full disk) or a panic: an interrupted build leaves nothing to clean by hand.
impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let mut held = active();
            let _ = remove_ours(&self.names.staging);
            held.stagings.retain(|s| s != &self.names.staging);
        }
    }
}

/// The new site in place; the previous one still aside, and the lock still held.
#[derive(Debug)]
pub struct Swapped {
    old: PathBuf,
    report: WriteReport,
    _lock: Option<Lock>,
}

impl Swapped {
    /// Deletes the previous site, then releases the lock.
    pub fn clean(self) -> Result<WriteReport, Diagnostic> {
        {
            let _held = active();
            remove_ours(&self.old)?;
        }
        Ok(self.report)
    }
}

/// Replaces some files of an existing output in place, for a rebuild that knows the rest of the
/// site is unchanged (`chronique serve`, when only posts' own values changed: the set of files
/// is the same, see [`crate::render::trace`]). Each file is written beside its target and renamed
/// over it, so a reader gets the old page or the new one, never half of one; a file whose bytes
/// are the same is left alone. Refuses a folder without chronique's marker.
pub fn update_in_place(output: &Path, files: &[OutputFile]) -> Result<WriteReport, Diagnostic> {
    let output =
        absolute(output).map_err(|e| error(output, "cannot resolve the output folder", &e))?;
    let _lock = Lock::take(&Names::of(&output).lock, &output)?;
    let _held = active();
    if !output.join(MARKER).is_file() {
        return Err(Diagnostic::error(
            None,
            format!(
                "{} is not chronique's output: cannot update it in place",
                output.display()
            ),
        ));
    }
    let mut report = WriteReport::default();
    for f in files {
        let dest = inside(&output, &f.path)?;
        report.files += 1;
        if has_bytes(&dest, &f.bytes) {
            continue;
        }
        make_parent(&dest)?;
        let mut name = dest.file_name().unwrap_or_default().to_os_string();
        name.push(".chronique-new");
        let temp = dest.with_file_name(name);
        fs::write(&temp, &f.bytes).map_err(|e| {
            let _ = fs::remove_file(&temp);
            error(&temp, "cannot write", &e)
        })?;
        fs::rename(&temp, &dest).map_err(|e| {
            let _ = fs::remove_file(&temp);
            error(&dest, "cannot replace", &e)
        })?;
        report.bytes += f.bytes.len() as u64;
    }
    Ok(report)
}

/// Writes a static file held in memory (the built-in theme's, a minified stylesheet) at `dest`.
fn write_static(dest: &Path, bytes: &[u8]) -> Result<u64, Diagnostic> {
    fs::write(dest, bytes).map_err(|e| error(dest, "cannot write", &e))?;
    Ok(bytes.len() as u64)
}

/// Whether the file at `path` holds exactly `bytes` (length first, then contents).
fn has_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Whether the file at `path` (not through a link) holds the bytes of the static file `source`.
fn same_contents(source: &StaticSource, path: &Path) -> bool {
    match source {
        StaticSource::File(file) => same_file_contents(file, path),
        StaticSource::BuiltIn(file) => has_bytes(path, file.bytes),
        StaticSource::Minified { bytes, .. } => has_bytes(path, bytes),
    }
}

/// Whether two files hold the same bytes (`b` not through a link).
fn same_file_contents(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::symlink_metadata(b)) {
        (Ok(ma), Ok(mb)) if mb.is_file() && ma.len() == mb.len() => {
            matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- the swap

/// Puts the staging folder in place of the output, carrying over the dotfiles at the output's
/// top that are yours. On failure, everything is put back and the staging folder removed.
fn swap(n: &Names) -> Result<(), Diagnostic> {
    let give_up = |d: Diagnostic| {
        let _ = remove_ours(&n.staging);
        Err(d)
    };
    // The marker lists chronique's own dotfiles, for the next build to tell them from yours.
    let ours = top_dotfiles(&n.staging);
    if let Err(e) = write_marker(&n.staging, &ours) {
        return give_up(error(
            &n.staging,
            "cannot write into the staging folder",
            &e,
        ));
    }
    // An empty folder (made by hand, or by a deploy tool) is simply replaced.
    if n.output.is_dir()
        && !n.output.join(MARKER).exists()
        && let Err(e) = fs::remove_dir(&n.output)
    {
        return give_up(error(&n.output, "cannot replace the empty folder", &e));
    }
    if fs::symlink_metadata(&n.output).is_err() {
        return match fs::rename(&n.staging, &n.output) {
            Ok(()) => Ok(()),
            Err(e) => give_up(error(&n.output, "cannot move the new site into place", &e)),
        };
    }
    let staged = |rel: &Path| {
        let path = n.staging.join(rel);
        path.is_file().then_some(StaticSource::File(path))
    };
    let yours = users_dotfiles(&n.output, &staged);
    if let Some(name) = yours.iter().find(|name| exists(&n.staging.join(name))) {
        return give_up(Diagnostic::error(
            None,
            format!(
                "{} is yours (chronique did not write it), and this build would replace it: move what it holds into static/, or remove it",
                n.output.join(name).display()
            ),
        ));
    }
    if !yours.is_empty()
        && let Err(e) = write_journal(&n.journal, &yours)
    {
        let _ = fs::remove_file(&n.journal);
        return give_up(error(&n.journal, "cannot write", &e));
    }
    let mut carried: Vec<&OsString> = Vec::new();
    let put_back = |carried: &[&OsString]| {
        for name in carried {
            let _ = fs::rename(n.staging.join(name), n.output.join(name));
        }
        let _ = fs::remove_file(&n.journal);
    };
    for name in &yours {
        if let Err(e) = fs::rename(n.output.join(name), n.staging.join(name)) {
            put_back(&carried);
            return give_up(error(&n.output.join(name), "cannot keep", &e));
        }
        carried.push(name);
    }
    if let Err(e) = fs::rename(&n.output, &n.old) {
        put_back(&carried);
        return give_up(error(&n.output, "cannot move the previous site aside", &e));
    }
    if let Err(e) = fs::rename(&n.staging, &n.output) {
        let _ = fs::rename(&n.old, &n.output);
        put_back(&carried);
        return give_up(error(&n.output, "cannot move the new site into place", &e));
    }
    let _ = fs::remove_file(&n.journal);
    Ok(())
}

/// The names at the top of `dir` that start with a dot, but the marker.
fn top_dotfiles(dir: &Path) -> Vec<OsString> {
    let mut names: Vec<OsString> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name())
                .filter(|name| is_dotfile(name))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn is_dotfile(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.') && name != MARKER
}

/// The dotfiles at the top of an output of chronique's that are yours: those its marker does not
/// list, except those holding nothing but what `would_write(path)` (the file this build writes
/// at that path inside the output, if any) holds already (an output of a version of chronique
/// that did not list them).
pub fn users_dotfiles(
    output: &Path,
    would_write: &dyn Fn(&Path) -> Option<StaticSource>,
) -> Vec<OsString> {
    // A marker that cannot be read lists nothing: every dotfile is then yours.
    let listed = listed_dotfiles(&fs::read(output.join(MARKER)).unwrap_or_default());
    top_dotfiles(output)
        .into_iter()
        .filter(|name| !listed.contains(name))
        .filter(|name| !holds_only(&output.join(name), Path::new(name), would_write))
        .collect()
}

/// Whether every file below `path` (at `rel` inside the output) is one `would_write` writes
/// with the same bytes.
fn holds_only(
    path: &Path,
    rel: &Path,
    would_write: &dyn Fn(&Path) -> Option<StaticSource>,
) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    if meta.is_file() {
        return would_write(rel).is_some_and(|source| same_contents(&source, path));
    }
    if !meta.is_dir() {
        return false;
    }
    let Ok(entries) = fs::read_dir(path) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        entry.is_ok_and(|e| holds_only(&e.path(), &rel.join(e.file_name()), would_write))
    })
}

/// The dotfiles a marker lists.
fn listed_dotfiles(marker: &[u8]) -> Vec<OsString> {
    let text = String::from_utf8_lossy(marker);
    match text.split_once(DOTFILES_HEADER) {
        Some((_, names)) => names
            .lines()
            .filter(|l| !l.is_empty())
            .map(OsString::from)
            .collect(),
        None => Vec::new(),
    }
}

/// Rewrites the marker of the staging folder with the list of its dotfiles, in one rename (the
/// marker is never missing). Names that are not Unicode or hold a line break cannot be listed:
/// the next build takes them as yours unless they hold what it writes.
fn write_marker(dir: &Path, dotfiles: &[OsString]) -> io::Result<()> {
    let names: Vec<&str> = dotfiles
        .iter()
        .filter_map(|n| n.to_str())
        .filter(|n| !n.contains(['\n', '\r']))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let mut text = format!("{MARKER_TEXT}{DOTFILES_HEADER}");
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    let temp = dir.join(format!("{MARKER}.new"));
    let _ = fs::remove_file(&temp);
    create_new(&temp, text.as_bytes())?;
    fs::rename(&temp, dir.join(MARKER)).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Writes the journal of the dotfiles of yours a swap moves: the header, the names, and `.`
/// (only a whole journal is read back). Refuses names it cannot write: they are not moved.
fn write_journal(path: &Path, names: &[OsString]) -> io::Result<()> {
    let mut text = String::from(JOURNAL_HEADER);
    for name in names {
        match name.to_str() {
            Some(n) if !n.contains(['\n', '\r']) => {
                text.push_str(n);
                text.push('\n');
            }
            _ => {
                return Err(io::Error::other(format!(
                    "the name of {} is not Unicode or holds a line break: rename it",
                    name.to_string_lossy()
                )));
            }
        }
    }
    text.push_str(".\n");
    let _ = fs::remove_file(path);
    create_new(path, text.as_bytes())
}

/// The names of a whole journal; `None` when there is none, or it was cut short (then nothing
/// had been moved yet).
fn read_journal(path: &Path) -> Option<Vec<OsString>> {
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let names = text.strip_prefix(JOURNAL_HEADER)?.strip_suffix(".\n")?;
    Some(names.lines().map(OsString::from).collect())
}

/// A new file with `bytes`; never through a link, never over another file.
fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

// ---------------------------------------------------------------- leftovers

/// Repairs what a build killed anywhere left (called under the lock, before anything else): the
/// dotfiles of yours a swap had moved go back, an output missing between the swap's two renames
/// is put back, and the staging and old folders are removed.
fn recover(n: &Names) -> Result<(), Diagnostic> {
    if let Some(carried) = read_journal(&n.journal)
        && exists(&n.staging)
    {
        let home = [&n.output, &n.old].into_iter().find(|p| exists(p));
        match home {
            Some(home) => {
                for name in carried {
                    let (from, to) = (n.staging.join(&name), home.join(&name));
                    if !exists(&from) {
                        continue;
                    }
                    if exists(&to) {
                        return Err(Diagnostic::error(
                            None,
                            format!(
                                "an interrupted build left your {} in {}, and {} exists too: keep the one you want, remove the other by hand",
                                name.to_string_lossy(),
                                n.staging.display(),
                                to.display()
                            ),
                        ));
                    }
                    fs::rename(&from, &to).map_err(|e| error(&from, "cannot put back", &e))?;
                }
            }
            // The swap was complete but for its last rename.
            None => fs::rename(&n.staging, &n.output)
                .map_err(|e| error(&n.output, "cannot put the new site in place", &e))?,
        }
    }
    // A journal cut short: nothing had been moved yet.
    if exists(&n.journal) {
        fs::remove_file(&n.journal).map_err(|e| error(&n.journal, "cannot remove", &e))?;
    }
    remove_ours(&n.staging)?;
    // Killed between the swap's two renames: the previous site goes back in place.
    if !exists(&n.output) && is_ours(&n.old) {
        fs::rename(&n.old, &n.output)
            .map_err(|e| error(&n.output, "cannot put the previous site back", &e))?;
    }
    if exists(&n.old) && !is_ours(&n.old) && was_old_output(&n.old, &n.output) {
        return fs::remove_dir_all(&n.old).map_err(|e| error(&n.old, "cannot remove", &e));
    }
    remove_ours(&n.old)
}

/// A previous output that a version of chronique which deleted the marker early was killed
/// while deleting: no marker, no dotfile (yours were carried to the new output), and the new
/// output of chronique's in place.
fn was_old_output(old: &Path, output: &Path) -> bool {
    fs::symlink_metadata(old).is_ok_and(|m| m.is_dir())
        && output.join(MARKER).is_file()
        && fs::read_dir(old).is_ok_and(|entries| {
            entries
                .into_iter()
                .all(|e| e.is_ok_and(|e| !e.file_name().as_encoded_bytes().starts_with(b".")))
        })
}

/// Whether `dir` is a folder chronique made: an empty folder (it was killed before writing the
/// marker, or after deleting it), or one with its marker (empty or cut short when it was killed
/// while writing it).
fn is_ours(dir: &Path) -> bool {
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return false;
    }
    let marker = dir.join(MARKER);
    if fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
        let mut head = Vec::new();
        let read = File::open(&marker)
            .and_then(|f| f.take(MARKER_TEXT.len() as u64).read_to_end(&mut head));
        return read.is_ok() && MARKER_TEXT.as_bytes().starts_with(&head);
    }
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Deletes a folder only if chronique created it (see [`is_ours`]); absent is fine. The marker
/// goes last, so that a deletion cut short leaves a folder still recognised as chronique's.
fn remove_ours(dir: &Path) -> Result<(), Diagnostic> {
    if !exists(dir) {
        return Ok(());
    }
    if !is_ours(dir) {
        return Err(Diagnostic::error(
            None,
            format!(
                "{} exists and was not created by chronique: remove it by hand",
                dir.display()
            ),
        ));
    }
    let entries = fs::read_dir(dir).map_err(|e| error(dir, "cannot remove", &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| error(dir, "cannot remove", &e))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
        removed.map_err(|e| error(&path, "cannot remove", &e))?;
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(error(dir, "cannot remove", &e));
        }
        _ => {}
    }
    fs::remove_dir(dir).map_err(|e| error(dir, "cannot remove", &e))
}

// ---------------------------------------------------------------- where the output may be

/// Refuses output folders whose replacement would destroy something that is not ours.
pub fn check_output_folder(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    check_output_place(output, root)?;
    if output.exists() {
        if !output.is_dir() {
            return refuse(output, "it is a file");
        }
        let empty = fs::read_dir(output)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty && !output.join(MARKER).is_file() {
            return refuse(
                output,
                &format!(
                    "it is not empty and was not created by chronique (no {MARKER} file); remove it or choose another folder (files to publish, like a CNAME, go in static/)"
                ),
            );
        }
    }
    Ok(())
}

/// The checks that do not depend on what the folder holds: not `/`, `$HOME`, nor the sources.
fn check_output_place(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    if output.parent().is_none() {
        return refuse(output, "it is the file system's root");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(home) = absolute(Path::new(&home))
        && output == home
    {
        return refuse(output, "it is your home folder");
    }
    if root.starts_with(output) {
        return refuse(output, "it contains the site's sources");
    }
    for source in [CONTENT_DIR, THEMES_DIR, STATIC_DIR, TEMPLATES_DIR] {
        if output.starts_with(root.join(source)) {
            return refuse(output, &format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.join(CONTENT_DIR).is_dir() || output.join(SITE_FILE).exists() {
        return refuse(
            output,
            "it looks like a site's sources (it has content/ or site.toml)",
        );
    }
    Ok(())
}

fn refuse(output: &Path, why: &str) -> Result<(), Diagnostic> {
    Err(Diagnostic::error(
        None,
        format!(
            "refusing to use {} as the output folder: {why}",
            output.display()
        ),
    ))
}

/// `dest` joined under `base`, refusing any path that would leave it.
fn inside(base: &Path, dest: &Path) -> Result<PathBuf, Diagnostic> {
    if dest.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(base.join(dest))
    } else {
        Err(Diagnostic::error(
            None,
            format!(
                "refusing to write {}: the path leaves the output folder",
                dest.display()
            ),
        ))
    }
}

fn make_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(parent) => {
            fs::create_dir_all(parent).map_err(|e| error(parent, "cannot create the folder", &e))
        }
        None => Ok(()),
    }
}

/// An absolute, lexically normalised path (the folder need not exist).
pub fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // `..` after a folder that does not exist (`./nope/../public`) is dropped lexically first:
    // the walk below could not go up through it.
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let joined = lexical;
    // Resolve symlinks for the longest existing prefix, then append the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    Ok(out)
}

fn error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(None, format!("{what} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        let base = Path::new("/tmp/out");
        assert!(inside(base, Path::new("a/b/index.html")).is_ok());
        assert!(inside(base, Path::new("../etc/passwd")).is_err());
        assert!(inside(base, Path::new("/etc/passwd")).is_err());
    }

    #[test]
    fn sources_are_refused() {
        let root = Path::new("/site");
        for bad in [
            "/site",
            "/",
            "/site/content",
            "/site/content/x",
            "/site/static",
        ] {
            assert!(check_output_folder(Path::new(bad), root).is_err(), "{bad}");
        }
    }

    #[test]
    fn folders_are_ours_by_their_marker_even_cut_short_or_when_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("x");
        fs::create_dir(&dir).unwrap();
        assert!(is_ours(&dir), "an empty folder");
        fs::write(dir.join("page.html"), "<p>").unwrap();
        assert!(!is_ours(&dir), "a folder without the marker");
        for marker in ["", "This folder was wri", MARKER_TEXT] {
            fs::write(dir.join(MARKER), marker).unwrap();
            assert!(is_ours(&dir), "{marker:?}");
        }
        fs::write(dir.join(MARKER), "mine").unwrap();
        assert!(!is_ours(&dir), "a marker chronique did not write");
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
    }

    #[test]
    fn only_a_whole_journal_is_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal");
        let names = [OsString::from(".git"), OsString::from(".well-known")];
        write_journal(&path, &names).unwrap();
        assert_eq!(read_journal(&path), Some(names.to_vec()));
        let whole = fs::read_to_string(&path).unwrap();
        fs::write(&path, &whole[..whole.len() - 2]).unwrap();
        assert_eq!(read_journal(&path), None);
    }

    #[test]
    fn the_marker_lists_chronique_s_dotfiles() {
        let text = format!("{MARKER_TEXT}{DOTFILES_HEADER}.htaccess\n.well-known\n");
        assert_eq!(
            listed_dotfiles(text.as_bytes()),
            [OsString::from(".htaccess"), OsString::from(".well-known")]
        );
        assert!(listed_dotfiles(MARKER_TEXT.as_bytes()).is_empty());
    }

    #[test]
    fn parent_folders_after_missing_ones_are_resolved() {
        let cwd = std::env::current_dir().unwrap();
        let cwd = fs::canonicalize(cwd).unwrap();
        assert_eq!(
            absolute(Path::new("nope-not-here/../public")).unwrap(),
            cwd.join("public")
        );
        assert_eq!(
            absolute(Path::new("./a-missing/b/../../c/./d")).unwrap(),
            cwd.join("c/d")
        );
    }
}
