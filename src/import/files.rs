//! The files the import plans, and what it finds where each would go: the one place that
//! writes them, through [`crate::fsx`] (never through a link, never a half-written file).

use std::path::{Path, PathBuf};

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
    /// Text made by the import.
    Text(String),
    /// A copy of a file of the WordPress uploads folder (a regular file, checked when planned).
    Copy(PathBuf),
}

impl Contents {
    /// The bytes to write.
    fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Contents::Text(text) => Ok(text.as_bytes().into()),
            Contents::Copy(from) => std::fs::read(from).map(Into::into),
        }
    }

    /// The text, for a file made by the import.
    pub fn text(&self) -> &str {
        match self {
            Contents::Text(text) => text,
            Contents::Copy(_) => "",
        }
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

pub(super) fn state_of(root: &Path, file: &Planned) -> State {
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
            Ok(bytes) if file.contents.bytes().is_ok_and(|b| *b == bytes[..]) => State::Same,
            _ => State::Different,
        },
        Ok(_) => State::Blocked,
    }
}

/// Writes `file` as `state` requires: nothing when it is there already (or a section's
/// `_index.md` is), a replacement, or a new file and its folders.
pub(super) fn write(root: &Path, file: &Planned, state: State) -> std::io::Result<()> {
    let path = root.join(&file.rel);
    match state {
        State::Same | State::Blocked => Ok(()),
        State::Different if file.keep_existing => Ok(()),
        State::Different => crate::fsx::replace(&path, &file.contents.bytes()?),
        State::Missing => {
            let bytes = file.contents.bytes()?;
            if let Some(parent) = file.rel.parent() {
                crate::fsx::create_dirs(root, parent)?;
            }
            crate::fsx::create_new(&path, &bytes)
        }
    }
}
