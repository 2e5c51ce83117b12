//! The files the import plans, and what it finds where each would go: the one place that
//! writes them, through [`crate::fsx`] (never through a link, never a half-written file).
//!
//! The text of a planned file waits in a [`Spool`] (an anonymous temporary file, outside the
//! site), not in memory: what the import holds stays the same size whatever the size of the
//! export, and the files are compared with the site's, then written, one at a time.

use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::links;

/// A file the import would write, relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub rel: PathBuf,
    pub contents: Contents,
    pub what: Written,
    /// Written only when nothing is there: a section's `_index.md` (init writes its own).
    pub keep_existing: bool,
}

/// What a planned file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Text made by the import, in the spool: `len` bytes at `at`; with `links`, its `@/`
    /// links still tokens ([`links::token`]), given their paths when read.
    Text { at: u64, len: usize, links: bool },
    /// A copy of a file of the WordPress uploads folder (a regular file, checked when planned).
    Copy(PathBuf),
}

/// Where the planned files' texts wait until they are compared and written: a temporary file
/// without a name (removed by the system when the import ends, even when it is killed).
pub struct Spool {
    file: std::fs::File,
    len: u64,
    /// Each post's path under `content/`, for its links, once every post is converted.
    paths: Vec<String>,
}

impl Spool {
    /// A spool in a temporary file of the system's temporary folder.
    pub fn temporary() -> io::Result<Spool> {
        Ok(Spool {
            file: tempfile::tempfile()?,
            len: 0,
            paths: Vec::new(),
        })
    }

    /// Keeps `text`; what to read it back with.
    pub fn put(&mut self, text: &str, links: bool) -> io::Result<Contents> {
        let at = self.len;
        self.file.seek(SeekFrom::Start(at))?;
        self.file.write_all(text.as_bytes())?;
        self.len += text.len() as u64;
        Ok(Contents::Text {
            at,
            len: text.len(),
            links,
        })
    }

    /// The posts' paths, which the tokens of their links stand for.
    pub fn set_paths(&mut self, paths: Vec<String>) {
        self.paths = paths;
    }

    /// The bytes to write.
    pub fn bytes<'c>(&mut self, contents: &'c Contents) -> io::Result<Cow<'c, [u8]>> {
        match contents {
            Contents::Text { .. } => Ok(self.text(contents)?.into_bytes().into()),
            Contents::Copy(from) => std::fs::read(from).map(Into::into),
        }
    }

    /// The text of a file made by the import (empty for a copy).
    pub fn text(&mut self, contents: &Contents) -> io::Result<String> {
        let Contents::Text { at, len, links } = *contents else {
            return Ok(String::new());
        };
        let mut bytes = vec![0; len];
        self.file.seek(SeekFrom::Start(at))?;
        self.file.read_exact(&mut bytes)?;
        let text = String::from_utf8(bytes).map_err(io::Error::other)?;
        Ok(match links {
            true => links::resolve(&text, &self.paths),
            false => text,
        })
    }
}

/// What a planned file is, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Written {
    Post,
    Page,
    Author,
    Section,
    Series,
    /// A post's archived comments: `comments/<section>/<slug>.yaml`.
    Comments,
    /// An image (or other upload) copied beside its post.
    Media,
}

/// What is there where a file would go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Missing,
    Same,
    Different,
    /// A symbolic link (or anything but a regular file) is the file or a folder on its way:
    /// never written through, never replaced, even with `--force`.
    Blocked,
}

pub(super) fn state_of(root: &Path, file: &Planned, spool: &mut Spool) -> State {
    let mut on_the_way = root.to_path_buf();
    for part in file.rel.parent().into_iter().flat_map(Path::components) {
        on_the_way.push(part);
        match std::fs::symlink_metadata(&on_the_way) {
            Ok(meta) if !meta.is_dir() => return State::Blocked,
            Ok(_) => {}
            Err(_) => return State::Missing,
        }
    }
    let path = root.join(&file.rel);
    match std::fs::symlink_metadata(&path) {
        Err(_) => State::Missing,
        Ok(meta) if meta.is_file() => match std::fs::read(&path) {
            Ok(bytes) if spool.bytes(&file.contents).is_ok_and(|b| *b == bytes[..]) => State::Same,
            _ => State::Different,
        },
        Ok(_) => State::Blocked,
    }
}

/// Writes `file` as `state` requires: nothing when it is there already (or a section's
/// `_index.md` is), a replacement, or a new file and its folders.
pub(super) fn write(
    root: &Path,
    file: &Planned,
    state: State,
    spool: &mut Spool,
) -> io::Result<()> {
    let path = root.join(&file.rel);
    match state {
        State::Same | State::Blocked => Ok(()),
        State::Different if file.keep_existing => Ok(()),
        State::Different => crate::fsx::replace(&path, &spool.bytes(&file.contents)?),
        State::Missing => {
            let bytes = spool.bytes(&file.contents)?;
            if let Some(parent) = file.rel.parent() {
                crate::fsx::create_dirs(root, parent)?;
            }
            crate::fsx::create_new(&path, &bytes)
        }
    }
}
