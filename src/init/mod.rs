//! `chronique init [DIR]`: a new, empty column that builds as it is.
//!
//! It exists so that starting a column does not mean cloning this repository. It writes
//! `site.toml`, the sections' folders with their `_index.md`, `content/authors/` and
//! `content/series/`, the *mentions légales* page the law asks for (to fill in), and a
//! `.gitignore` for the generated folders; not the theme, which is built into chronique
//! ([`crate::builtin`]), so that the column gets each new version's theme until it ejects its
//! own copy (`chronique theme eject`). It refuses a folder that already has visible files, so it
//! can never overwrite a column.
//!
//! Two options make the column ready sooner: `--author "Prénom Nom"` writes the author's file and
//! makes it `default_author`, so that `chronique new` signs posts at once; `--publish <host>` adds
//! the files that build and publish it ([`publish`]).

pub mod publish;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{Language, NewSections};
use crate::content::Kind;
use crate::new::section_of;
pub use publish::Host;

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
    /// `--author` names no one a file can be named after (`"!!!"`).
    Author(String),
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
            InitError::Author(why) => write!(f, "--author: {why}"),
        }
    }
}

impl std::error::Error for InitError {}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// Files written, relative to the new column's folder.
    pub files: Vec<PathBuf>,
    /// The slug of the author `--author` created, now `default_author`.
    pub author: Option<String>,
}

/// What `init` adds to a new column beyond the bare one.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// `--author "Prénom Nom"`: that author's file, and `default_author` set to it.
    pub author: Option<String>,
    /// `--publish`: the hosts to write the publishing files of.
    pub publish: Vec<Host>,
}

impl InitOptions {
    /// The hosts of `--publish`, each once, in the order of [`Host::NAMES`].
    pub fn hosts(&self) -> Vec<Host> {
        let mut hosts = self.publish.clone();
        hosts.sort();
        hosts.dedup();
        hosts
    }
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

const SITE_TOML: &str = r#"# The column's settings: see docs/settings.md in chronique's repository for every key.
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
    init_with(dir, &InitOptions::default())
}

/// [`init`], with an author and publishing files as `options` asks.
pub fn init_with(dir: &Path, options: &InitOptions) -> Result<Initialised, InitError> {
    refuse_occupied(dir)?;
    let mut files = column_files();
    let author = add_options(&mut files, options)?;
    let mut made = Made::default();
    let written = write_files(dir, &files, &mut made)
        .and_then(|()| {
            // Empty folders for what `chronique new` writes, and for the site's own static files.
            for folder in ["content/authors", "content/series", "static"] {
                made.folder(&dir.join(folder))?;
            }
            Ok(())
        })
        .and_then(|()| make_script_executable(dir, &files));
    if let Err(e) = written {
        made.undo();
        return Err(e);
    }
    Ok(Initialised {
        files: files.into_iter().map(|(p, _)| p).collect(),
        author,
    })
}

/// Adds to a new column's `files` the author's file (with site.toml signing with it) and the
/// publishing files `options` asks for; gives the author's slug.
fn add_options(
    files: &mut Vec<(PathBuf, Vec<u8>)>,
    options: &InitOptions,
) -> Result<Option<String>, InitError> {
    let mut author = None;
    if let Some(name) = &options.author {
        // init writes `language = "fr"`.
        let (slug, rel, text) = crate::new::author_file(name, Language::Fr)
            .map_err(|e| InitError::Author(e.to_string()))?;
        for (path, bytes) in files.iter_mut() {
            if path == Path::new(crate::layout::SITE_FILE) {
                *bytes = signed_by(&String::from_utf8_lossy(bytes), &slug).into_bytes();
            }
        }
        files.push((rel, text.into_bytes()));
        author = Some(slug);
    }
    files.extend(options.hosts().into_iter().map(|host| {
        let (path, text) = host.file();
        (path, text.into_bytes())
    }));
    Ok(author)
}

/// The text of site.toml with `default_author` set to `slug`: its commented line made a setting,
/// keeping its comment.
fn signed_by(site_toml: &str, slug: &str) -> String {
    let mut out = String::with_capacity(site_toml.len() + slug.len());
    for line in site_toml.split_inclusive('\n') {
        match line.strip_prefix("# default_author = \"prenom-nom\"") {
            Some(rest) => {
                let setting = format!("default_author = \"{slug}\"");
                let comment = rest.trim_start();
                if comment.is_empty() {
                    out.push_str(&setting);
                    out.push_str(rest);
                } else {
                    // The comment stays where it was when the slug is short enough.
                    let width = line.len() - comment.len() - 1;
                    out.push_str(&format!("{setting:<width$} {comment}"));
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The rsync script, when written, is made executable (`./publier.sh`).
fn make_script_executable(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), InitError> {
    if !files.iter().any(|(p, _)| p == Path::new(publish::SCRIPT)) {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(publish::SCRIPT);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
            InitError::WriteFile {
                path,
                reason: e.to_string(),
            }
        })?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `--author` uncomments `default_author` in the site.toml init writes, comment kept; a
    /// change of that file that loses the line fails here, not in a user's column.
    #[test]
    fn an_author_signs_the_site_toml() {
        let signed = signed_by(SITE_TOML, "claire-morel");
        assert_ne!(signed, SITE_TOML, "no `# default_author` line to uncomment");
        let line = signed
            .lines()
            .find(|l| l.starts_with("default_author"))
            .unwrap();
        assert!(
            line.starts_with("default_author = \"claire-morel\"  "),
            "{line}"
        );
        assert!(
            line.contains("# who `chronique new` signs posts with"),
            "{line}"
        );
        let parse = |text: &str| {
            crate::config::Config::parse(Path::new("."), text, Path::new("site.toml"), None)
                .unwrap()
        };
        assert_eq!(
            parse(&signed).default_author.as_deref(),
            Some("claire-morel")
        );
        assert_eq!(parse(SITE_TOML).default_author, None);
        // A long slug pushes the comment on, one space after it.
        let long = signed_by(SITE_TOML, "marie-christine-de-la-fontaine-dupont");
        assert!(
            long.contains("default_author = \"marie-christine-de-la-fontaine-dupont\" # who"),
            "{long}"
        );
    }

    #[test]
    fn an_author_without_a_name_is_refused_before_anything_is_written() {
        let tmp = std::env::temp_dir().join(format!("chronique-init-{}", std::process::id()));
        let options = InitOptions {
            author: Some("!!!".into()),
            publish: Vec::new(),
        };
        let e = init_with(&tmp, &options).unwrap_err();
        assert!(matches!(e, InitError::Author(_)), "{e}");
        assert!(e.to_string().starts_with("--author: "), "{e}");
        assert!(!tmp.exists());
    }
}
