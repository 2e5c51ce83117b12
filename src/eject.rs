//! `chronique theme eject`: the built-in theme, copied into the site to be changed.
//!
//! A site without `themes/chronique/` builds with the theme built into chronique
//! ([`crate::builtin`]), and so gets each new version's fixes. A site that wants to change more
//! than the few templates and static files its own `templates/` and `static/` can replace one
//! by one ejects the theme: its files are written into `themes/chronique/`, which the build
//! reads instead from then on, and which is the site's own (a new chronique no longer changes
//! it).
//!
//! Nothing already there is overwritten, and nothing is created through a symbolic link
//! ([`crate::fsx`]). The files are written into a hidden folder beside the theme's
//! (`themes/.chronique-eject-<process id>`, which the build and `serve`'s watcher ignore) and
//! the folder is renamed into place whole: `serve` never rebuilds with half a theme, and a
//! failure (a full disk) leaves nothing behind.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::builtin;
use crate::diagnostics::display_path;
use crate::fsx;
use crate::layout::THEMES_DIR;

/// Why the theme was not ejected; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EjectError {
    /// Something is where the theme would go (`what` says what it is or holds).
    InTheWay { path: PathBuf, what: String },
    /// A folder or a file could not be created.
    Create { path: PathBuf, reason: String },
}

impl fmt::Display for EjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EjectError::InTheWay { path, what } => write!(
                f,
                "{} is in the way ({what}): `chronique theme eject` never overwrites it; to eject the built-in theme afresh, move it aside first (the build reads the folder themes/chronique/ when there is one)",
                display_path(path)
            ),
            EjectError::Create { path, reason } => {
                write!(f, "cannot create {}: {reason}", display_path(path))
            }
        }
    }
}

impl std::error::Error for EjectError {}

/// What `eject` wrote.
#[derive(Debug, Clone)]
pub struct Ejected {
    /// The theme's new folder: `<root>/themes/chronique`.
    pub folder: PathBuf,
    /// How many files it holds.
    pub files: usize,
}

/// Writes the built-in theme into `root/themes/chronique/`, every file byte for byte; refuses
/// when anything is there already (a folder, even empty, a file, a link).
pub fn eject(root: &Path) -> Result<Ejected, EjectError> {
    let themes = root.join(THEMES_DIR);
    let folder = themes.join(builtin::NAME);
    refuse_occupied(&folder)?;
    let made_themes = fs::symlink_metadata(&themes).is_err();
    fsx::create_dirs(root, Path::new(THEMES_DIR)).map_err(|e| create(&themes, &e))?;
    let temp = themes.join(format!(".chronique-eject-{}", std::process::id()));
    let written = match fs::create_dir(&temp) {
        // From here on the folder is ours, to rename or to remove.
        Ok(()) => write_theme(&temp)
            .and_then(|()| refuse_occupied(&folder))
            .and_then(|()| fs::rename(&temp, &folder).map_err(|e| create(&folder, &e)))
            .inspect_err(|_| {
                let _ = fs::remove_dir_all(&temp);
            }),
        Err(e) => Err(create(&temp, &e)),
    };
    if written.is_err() && made_themes {
        // Only if empty: something else may have written into it meanwhile.
        let _ = fs::remove_dir(&themes);
    }
    written.map(|()| Ejected {
        folder,
        files: builtin::THEME_FILES.len(),
    })
}

/// Refuses a `folder` where anything is: says what is there, and the first few names it holds.
fn refuse_occupied(folder: &Path) -> Result<(), EjectError> {
    let meta = match fs::symlink_metadata(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(create(folder, &e)),
        Ok(meta) => meta,
    };
    let what = if meta.is_dir() {
        let mut names: Vec<String> = fs::read_dir(folder)
            .map(|entries| {
                (entries.flatten())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let more = names.len().saturating_sub(5);
        names.truncate(5);
        match (names.is_empty(), more) {
            (true, _) => "an empty folder".to_string(),
            (false, 0) => format!("a folder holding {}", names.join(", ")),
            (false, more) => format!("a folder holding {} and {more} more", names.join(", ")),
        }
    } else if meta.is_file() {
        "it is a file".to_string()
    } else {
        format!("it is {}", fsx::special_kind(meta.file_type()))
    };
    Err(EjectError::InTheWay {
        path: folder.to_path_buf(),
        what,
    })
}

/// Writes every file of the built-in theme below `dir` (a folder this command just made).
fn write_theme(dir: &Path) -> Result<(), EjectError> {
    for (rel, bytes) in builtin::THEME_FILES {
        let rel = Path::new(rel);
        if let Some(parent) = rel.parent() {
            fsx::create_dirs(dir, parent).map_err(|e| create(&dir.join(parent), &e))?;
        }
        let path = dir.join(rel);
        fsx::create_new(&path, bytes).map_err(|e| create(&path, &e))?;
    }
    Ok(())
}

fn create(path: &Path, e: &io::Error) -> EjectError {
    EjectError::Create {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_is_written_whole_then_never_over_anything() {
        let tmp = tempfile::tempdir().unwrap();
        let done = eject(tmp.path()).unwrap();
        assert_eq!(done.folder, tmp.path().join("themes/chronique"));
        assert_eq!(done.files, builtin::THEME_FILES.len());
        for (rel, bytes) in builtin::THEME_FILES {
            assert_eq!(fs::read(done.folder.join(rel)).unwrap(), *bytes, "{rel}");
        }
        // Nothing else in themes/: the temporary folder is gone.
        assert_eq!(fs::read_dir(tmp.path().join("themes")).unwrap().count(), 1);
        let e = eject(tmp.path()).unwrap_err();
        assert!(
            e.to_string()
                .contains("is in the way (a folder holding static, templates)"),
            "{e}"
        );
    }

    #[test]
    fn an_empty_folder_or_a_file_is_in_the_way_too() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("themes/chronique")).unwrap();
        let e = eject(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("(an empty folder)"), "{e}");
        fs::remove_dir(tmp.path().join("themes/chronique")).unwrap();
        fs::write(tmp.path().join("themes/chronique"), "x").unwrap();
        let e = eject(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("(it is a file)"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_on_the_way_is_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), tmp.path().join("themes")).unwrap();
        let e = eject(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        fs::remove_file(tmp.path().join("themes")).unwrap();
        fs::create_dir(tmp.path().join("themes")).unwrap();
        let link = tmp.path().join("themes/chronique");
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        let e = eject(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("(it is a symbolic link)"), "{e}");
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
