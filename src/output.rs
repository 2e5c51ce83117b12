//! The only module that writes: the output folder, built aside and swapped in whole.
//!
//! A build writes everything into a staging folder next to the output, then swaps the two with
//! renames, so a failed build leaves the previous site exactly as it was and readers never see
//! half a site. chronique only replaces or deletes a folder that carries its marker file, and it
//! refuses output folders that would destroy sources: the site root or one of its parents,
//! `content/`, `themes/`, `static/`, `templates/`, `$HOME` or `/`. Dotfiles at the top of the old
//! output (`public/.git`, `public/.well-known`) are carried over to the new one.
//!
//! A file whose bytes did not change is not rewritten: the staging folder gets a hard link to the
//! previous output's file, so its inode and mtime are kept (rsync, deploy tools and browsers'
//! caches see nothing new) and the swap still replaces the site in one step. Only when the old
//! file has the same length are its bytes read and compared.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;
use crate::source::StaticFile;

/// The file that marks a folder as chronique's output.
pub const MARKER: &str = ".chronique-output";

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

/// A new site being written beside the output, to be swapped in whole by [`Staging::finish`]
/// or thrown away by [`Staging::abort`]. Pages are put one at a time as they are rendered, so
/// the build never holds the whole site in memory.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// The previous output, when it is ours: it lends its unchanged files.
    previous: Option<PathBuf>,
    /// Where static files were copied: a page of the same path replaces them.
    static_dests: HashSet<PathBuf>,
    /// Pages put so far: a second page of the same path (an error the renderer reports) is not
    /// written over the first.
    written: HashSet<PathBuf>,
    report: WriteReport,
    /// Swapped in: no longer ours to remove.
    done: bool,
}

impl Staging {
    /// Checks the output folder, clears leftovers of an interrupted build, creates the staging
    /// folder with its marker and copies the static files into it.
    pub fn begin(
        output: &Path,
        root: &Path,
        statics: &[StaticFile],
    ) -> Result<Staging, Diagnostic> {
        let output =
            absolute(output).map_err(|e| error(output, "cannot resolve the output folder", &e))?;
        let root = absolute(root).map_err(|e| error(root, "cannot resolve the site folder", &e))?;
        check_output_folder(&output, &root)?;

        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| error(&parent, "cannot create the folder", &e))?;
        let staging = parent.join(format!(".{name}.chronique-staging"));
        let old = parent.join(format!(".{name}.chronique-old"));
        for leftover in [&staging, &old] {
            remove_ours(leftover)?;
        }
        fs::create_dir_all(&staging)
            .map_err(|e| error(&staging, "cannot create the staging folder", &e))?;
        fs::write(
            staging.join(MARKER),
            "This folder was written by chronique; it may replace it on the next build.\n",
        )
        .map_err(|e| error(&staging, "cannot write into the staging folder", &e))?;
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        let mut this = Staging {
            output,
            staging,
            old,
            previous,
            static_dests: statics.iter().map(|s| s.dest.clone()).collect(),
            written: HashSet::new(),
            report: WriteReport::default(),
            done: false,
        };
        // One thread creates the files: with two, ext4's inode allocation contends so much that
        // a 10 000-post build spent 23 s in the kernel instead of 3 s (measured on the
        // benchmark). Static files first: a generated page of the same path wins.
        for s in statics {
            if let Err(e) = this.copy_static(s) {
                this.abort();
                return Err(e);
            }
        }
        Ok(this)
    }

    fn copy_static(&mut self, s: &StaticFile) -> Result<(), Diagnostic> {
        let dest = inside(&self.staging, &s.dest)?;
        make_parent(&dest)?;
        self.report.files += 1;
        if let Some(old) = self.previous.as_ref().map(|p| p.join(&s.dest))
            && same_file_contents(&s.source, &old)
            && fs::hard_link(&old, &dest).is_ok()
        {
            return Ok(());
        }
        let n = fs::copy(&s.source, &dest).map_err(|e| {
            Diagnostic::error(
                None,
                format!(
                    "cannot copy {} to {}: {e}",
                    s.source.display(),
                    dest.display()
                ),
            )
        })?;
        self.report.bytes += n;
        Ok(())
    }

    /// Writes one page, or links the previous output's file when it has the same bytes.
    pub fn put(&mut self, f: &OutputFile) -> Result<(), Diagnostic> {
        if !self.written.insert(f.path.clone()) {
            return Ok(());
        }
        let dest = inside(&self.staging, &f.path)?;
        make_parent(&dest)?;
        self.report.files += 1;
        // A static file of the same path may be a link into the previous output: unlink it
        // rather than write through it.
        if self.static_dests.contains(&f.path) {
            let _ = fs::remove_file(&dest);
        }
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
        swap(&self.staging, &self.output, &self.old)?;
        Ok(Swapped {
            old: self.old.clone(),
            report: std::mem::take(&mut self.report),
        })
    }

    /// Throws the new site away; the output stays as it was.
    pub fn abort(self) {
        // Dropping it removes the staging folder.
    }
}

/// A staging folder is removed unless it was swapped in, also when the build stops on an error
/// or a panic: an interrupted build leaves nothing to clean by hand.
impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_ours(&self.staging);
        }
    }
}

/// The new site in place; the previous one still aside.
#[derive(Debug)]
pub struct Swapped {
    old: PathBuf,
    report: WriteReport,
}

impl Swapped {
    /// Deletes the previous site.
    pub fn clean(self) -> Result<WriteReport, Diagnostic> {
        remove_ours(&self.old)?;
        Ok(self.report)
    }
}

/// Replaces some files of an existing output in place, for a rebuild that knows the rest of the
/// site is unchanged (`chronique serve`, when only posts' own values changed: the set of files
/// is the same, see [`crate::render::trace`]). Each file is written beside its target and renamed
/// over it, so a reader gets the old page or the new one, never half of one; a file whose bytes
/// are the same is left alone. Refuses a folder without chronique's marker.
pub fn update_in_place(output: &Path, files: &[OutputFile]) -> Result<WriteReport, Diagnostic> {
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
        let dest = inside(output, &f.path)?;
        report.files += 1;
        if has_bytes(&dest, &f.bytes) {
            continue;
        }
        make_parent(&dest)?;
        let mut name = dest.file_name().unwrap_or_default().to_os_string();
        name.push(".chronique-new");
        let temp = dest.with_file_name(name);
        fs::write(&temp, &f.bytes).map_err(|e| error(&temp, "cannot write", &e))?;
        fs::rename(&temp, &dest).map_err(|e| {
            let _ = fs::remove_file(&temp);
            error(&dest, "cannot replace", &e)
        })?;
        report.bytes += f.bytes.len() as u64;
    }
    Ok(report)
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

/// Whether two files hold the same bytes.
fn same_file_contents(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::symlink_metadata(b)) {
        (Ok(ma), Ok(mb)) if mb.is_file() && ma.len() == mb.len() => {
            matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Puts the staging folder in place of the output, keeping the old output's dotfiles.
fn swap(staging: &Path, output: &Path, old: &Path) -> Result<(), Diagnostic> {
    // An empty folder (made by hand, or by a deploy tool) is simply replaced.
    if output.is_dir() && !output.join(MARKER).exists() {
        fs::remove_dir(output).map_err(|e| error(output, "cannot replace the empty folder", &e))?;
    }
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| {
            let _ = remove_ours(staging);
            error(output, "cannot move the new site into place", &e)
        });
    }
    let mut carried = Vec::new();
    if let Ok(entries) = fs::read_dir(output) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let keep = name.to_string_lossy().starts_with('.') && name != MARKER;
            if keep && fs::rename(entry.path(), staging.join(&name)).is_ok() {
                carried.push(name);
            }
        }
    }
    let put_back = |carried: &[std::ffi::OsString]| {
        for name in carried {
            let _ = fs::rename(staging.join(name), output.join(name));
        }
    };
    if let Err(e) = fs::rename(output, old) {
        put_back(&carried);
        let _ = remove_ours(staging);
        return Err(error(output, "cannot move the previous site aside", &e));
    }
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(old, output);
        put_back(&carried);
        let _ = remove_ours(staging);
        return Err(error(output, "cannot move the new site into place", &e));
    }
    Ok(())
}

/// Refuses output folders whose replacement would destroy something that is not ours.
pub fn check_output_folder(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            None,
            format!(
                "refusing to use {} as the output folder: {why}",
                output.display()
            ),
        ))
    };
    if output.parent().is_none() {
        return refuse("it is the file system's root");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(home) = absolute(Path::new(&home))
        && output == home
    {
        return refuse("it is your home folder");
    }
    if root.starts_with(output) {
        return refuse("it contains the site's sources");
    }
    for source in ["content", "themes", "static", "templates"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.join("content").is_dir() || output.join("site.toml").exists() {
        return refuse("it looks like a site's sources (it has content/ or site.toml)");
    }
    if output.exists() {
        if !output.is_dir() {
            return refuse("it is a file");
        }
        let empty = fs::read_dir(output)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty && !output.join(MARKER).is_file() {
            return refuse(&format!(
                "it is not empty and was not created by chronique (no {MARKER} file); remove it or choose another folder"
            ));
        }
    }
    Ok(())
}

/// Deletes a folder only if chronique created it (it has the marker); absent is fine.
fn remove_ours(dir: &Path) -> Result<(), Diagnostic> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.join(MARKER).is_file() {
        return Err(Diagnostic::error(
            None,
            format!(
                "{} exists and was not created by chronique: remove it by hand",
                dir.display()
            ),
        ));
    }
    fs::remove_dir_all(dir).map_err(|e| error(dir, "cannot remove", &e))
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
