//! `chronique init [DIR]`: a new, empty column that builds as it is.
//!
//! It exists so that starting a column does not mean cloning this repository. It writes
//! `site.toml`, the sections' folders with their `_index.md`, `content/authors/` and
//! `content/series/`, the *mentions légales* page the law asks for (to fill in), and a
//! `.gitignore` for the generated folders; not the theme, which is built into chronique
//! ([`crate::builtin`]), so that the column gets each new version's theme until it ejects its
//! own copy (`chronique theme eject`). It refuses a folder that already has visible files, so it
//! can never overwrite a column.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::NewSections;
use crate::content::Kind;
use crate::new::section_of;

/// Why nothing (or, after a failed write, not everything) was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitError {
    /// The path is a file, not a folder.
    NotAFolder(PathBuf),
    /// The folder's entries cannot be listed.
    Unreadable { dir: PathBuf, reason: String },
    /// The folder has visible files (the first few, sorted): it may be a column already.
    NotEmpty { dir: PathBuf, visible: Vec<String> },
    /// A folder could not be created.
    CreateFolder { path: PathBuf, reason: String },
    /// A file could not be created.
    CreateFile { path: PathBuf, reason: String },
    /// A file was created but could not be written.
    WriteFile { path: PathBuf, reason: String },
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::NotAFolder(dir) => write!(f, "{} is not a folder", dir.display()),
            InitError::Unreadable { dir, reason } => {
                write!(f, "cannot read {}: {reason}", dir.display())
            }
            InitError::NotEmpty { dir, visible } => write!(
                f,
                "{} is not empty (it has {}): `chronique init` only creates a column in a new or empty folder",
                dir.display(),
                visible.join(", ")
            ),
            InitError::CreateFolder { path, reason } | InitError::CreateFile { path, reason } => {
                write!(f, "cannot create {}: {reason}", path.display())
            }
            InitError::WriteFile { path, reason } => {
                write!(f, "cannot write {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for InitError {}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// Files written, relative to the new column's folder.
    pub files: Vec<PathBuf>,
}

/// The sections of a new column, with their titles and descriptions.
const SECTIONS: [(Kind, &str, &str); 4] = [
    (
        Kind::Breve,
        "Brèves",
        "De courts billets d'humeur sur les irritants de la relation client.",
    ),
    (
        Kind::Article,
        "Articles",
        "Des analyses plus longues pour comprendre les irritants et les corriger.",
    ),
    (
        Kind::Conte,
        "Contes",
        "Des histoires à épisodes où des clients affrontent les services qui devraient les servir.",
    ),
    (
        Kind::Irritant,
        "Décryptages",
        "Un irritant, un parcours, et l'inventaire de ce qui a coincé en chemin.",
    ),
];

const SITE_TOML: &str = r#"# The column's settings: see the README of chronique for every key.
title = "Ma chronique"
description = "Le service client vu du côté de celui qui attend."
base_url = "https://exemple.fr/"    # where the site will be published
language = "fr"                     # or "en"
theme = "chronique"                 # built in, or a folder under themes/
paginate_by = 10
# default_author = "prenom-nom"     # who `chronique new` signs posts with (content/authors/)

# [sections]                        # where `chronique new` writes each kind of post
# breve = "breves"
# article = "articles"
# conte = "contes"
# irritant = "decryptages"

# Links in every page's footer ([[menu.main]] adds to the navigation the same way).
[[menu.footer]]
name = "Mentions légales"
page = "@/mentions-legales.md"      # a page of content/, checked at each build
"#;

/// The *mentions légales* the law asks of a French professional site (LCEN, art. 6, III):
/// headings and placeholders that `chronique check` reports until they are filled in.
const MENTIONS_LEGALES: (&str, &str) = ("mentions-legales.md", include_str!("mentions-legales.md"));

const GITIGNORE: &str = "# Written by chronique: the built site, the preview, the link cache.\n/public/\n/.public.chronique-*\n/.chronique-serve/\n/.chronique-linkcache\n";

/// Creates a new column in `dir` (created if missing); refuses a folder with visible files. On
/// failure (a full disk), what it wrote is removed, so that `init` can be run again.
pub fn init(dir: &Path) -> Result<Initialised, InitError> {
    refuse_occupied(dir)?;
    let files = column_files();
    let mut made = Made::default();
    let written = write_files(dir, &files, &mut made).and_then(|()| {
        // Empty folders for what `chronique new` writes, and for the site's own static files.
        for folder in ["content/authors", "content/series", "static"] {
            made.folder(&dir.join(folder))?;
        }
        Ok(())
    });
    if let Err(e) = written {
        made.undo();
        return Err(e);
    }
    Ok(Initialised {
        files: files.into_iter().map(|(p, _)| p).collect(),
    })
}

/// What `init` created, to remove on failure: nothing else is touched.
#[derive(Default)]
struct Made {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Made {
    /// Creates `path` and its missing parents, remembering each one created.
    fn folder(&mut self, path: &Path) -> Result<(), InitError> {
        let missing: Vec<&Path> = path
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .collect();
        for folder in missing.into_iter().rev() {
            match std::fs::create_dir(folder) {
                Ok(()) => self.folders.push(folder.to_path_buf()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => {}
                Err(e) => {
                    return Err(InitError::CreateFolder {
                        path: folder.to_path_buf(),
                        reason: e.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Removes the files, then the folders, newest first (a folder that is not empty, because
    /// something else wrote into it meanwhile, stays).
    fn undo(self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for folder in self.folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// Refuses a `dir` that is a file, or a folder with visible files (hidden ones, like `.git`,
/// may be there); a missing `dir` is fine.
fn refuse_occupied(dir: &Path) -> Result<(), InitError> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(InitError::NotAFolder(dir.to_path_buf()));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| InitError::Unreadable {
        dir: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut visible: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    if visible.is_empty() {
        return Ok(());
    }
    visible.sort();
    visible.truncate(5);
    Err(InitError::NotEmpty {
        dir: dir.to_path_buf(),
        visible,
    })
}

/// The files of a new column, relative to its folder: site.toml, .gitignore, each section's
/// `_index.md`, and the mentions légales.
fn column_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from("site.toml"), SITE_TOML.as_bytes().to_vec()),
        (PathBuf::from(".gitignore"), GITIGNORE.as_bytes().to_vec()),
    ];
    for (kind, title, description) in SECTIONS {
        files.push((
            Path::new("content")
                .join(section_of(&NewSections::default(), kind))
                .join("_index.md"),
            format!("---\ntitle: \"{title}\"\ndescription: \"{description}\"\n---\n").into_bytes(),
        ));
    }
    files.push((
        Path::new("content").join(MENTIONS_LEGALES.0),
        MENTIONS_LEGALES.1.as_bytes().to_vec(),
    ));
    files
}

/// Writes `files` under `dir`, creating folders as needed; a file appearing meanwhile is not
/// overwritten.
fn write_files(dir: &Path, files: &[(PathBuf, Vec<u8>)], made: &mut Made) -> Result<(), InitError> {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            made.folder(parent)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| InitError::CreateFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        made.files.push(path.clone());
        std::io::Write::write_all(&mut file, bytes).map_err(|e| InitError::WriteFile {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    }
    Ok(())
}
