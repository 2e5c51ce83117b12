//! The folder where processed photos are kept between builds: `.chronique-cache/images/` in the
//! site, one folder per photo and processing (its key), safe to delete at any time.
//!
//! A file appears there whole or not at all (written aside, then renamed), so a build stopped
//! by Ctrl-C never leaves a half photo that the next build would publish. The folder marks
//! itself ignored for git (`.gitignore`) and for backup tools (`CACHEDIR.TAG`). A cache folder
//! that is a symbolic link is refused: chronique never writes outside the site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache's folder, relative to the site.
pub const CACHE_DIR: &str = ".chronique-cache";

const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder is chronique's cache of processed images: it can be deleted at any time.\n";

/// The image cache of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `root`, created if needed.
    pub fn open(root: &Path) -> io::Result<Cache> {
        let top = root.join(CACHE_DIR);
        let dir = top.join("images");
        for folder in [&top, &dir] {
            match fs::symlink_metadata(folder) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(io::Error::other(format!(
                        "{} is not a folder (a link or a file): delete it and build again",
                        folder.display()
                    )));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(folder)?,
                Err(e) => return Err(e),
            }
        }
        write_if_missing(&top.join(".gitignore"), b"*\n")?;
        write_if_missing(&top.join("CACHEDIR.TAG"), TAG.as_bytes())?;
        Ok(Cache { dir })
    }

    /// Where the file `name` of the processing `key` is.
    pub fn path(&self, key: &str, name: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key).join(name)
    }

    /// Whether every file of `names` of `key` is there.
    pub fn has_all<'n>(&self, key: &str, mut names: impl Iterator<Item = &'n str>) -> bool {
        names.all(|n| self.path(key, n).is_file())
    }

    /// Keeps `bytes` as the file `name` of `key`: written aside, then renamed into place.
    pub fn put(&self, key: &str, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = self.path(key, name);
        let folder = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(folder)?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let aside = folder.join(format!(".{name}.{}.{n}.part", std::process::id()));
        fs::write(&aside, bytes)?;
        fs::rename(&aside, &path).inspect_err(|_| {
            let _ = fs::remove_file(&aside);
        })?;
        Ok(path)
    }
}

fn write_if_missing(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::write(path, bytes),
        Err(e) => Err(e),
    }
}
