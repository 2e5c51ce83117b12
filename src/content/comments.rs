//! Archived comments: the comments a post had on another site (WordPress's, brought over by
//! `chronique import wordpress`), kept read-only in a data file beside the content, one per
//! post: `comments/breves/x.yaml` for `content/breves/x.md` (or the bundle `breves/x/`).
//!
//! They are the post's own values, so their file's text is folded into the post's digest, which
//! decides which pages a rebuild renders again. (`chronique serve` watches `comments/`; a change
//! there, being outside `content/`, is read with a full read of the sources.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::date::PostDate;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::source::DataFile;

/// One archived comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArchivedComment {
    pub author: String,
    pub date: PostDate,
    /// Plain text; paragraphs separated by a blank line.
    pub text: String,
    /// A reply to another comment of the post.
    pub reply: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    comments: Vec<RawComment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComment {
    #[serde(default)]
    id: Option<String>,
    author: String,
    date: String,
    #[serde(default)]
    parent: Option<String>,
    text: String,
}

/// The comments file of the post `rel` (relative to `content/`): `breves/x.md` and
/// `breves/x/index.md` both have `breves/x.yaml`.
pub fn file_of(rel: &Path) -> PathBuf {
    let base = match rel
        .file_name()
        .is_some_and(|n| n == crate::layout::BUNDLE_INDEX)
    {
        true => rel.parent().unwrap_or(rel).to_path_buf(),
        false => rel.with_extension(""),
    };
    base.with_extension("yaml")
}

/// Parses every comments file, by its path relative to `comments/`; a bad one is an error
/// at its line, and left out.
pub fn parse_all(
    files: &[DataFile],
    diagnostics: &mut Diagnostics,
) -> HashMap<PathBuf, (u64, Vec<ArchivedComment>)> {
    let mut out = HashMap::new();
    for file in files {
        match parse(file) {
            Ok(comments) => {
                out.insert(file.rel.clone(), (file.digest(), comments));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    out
}

fn parse(file: &DataFile) -> Result<Vec<ArchivedComment>, Diagnostic> {
    let raw: RawFile = crate::front_matter::parse_data(&file.text, &file.path)?;
    let mut comments = Vec::with_capacity(raw.comments.len());
    for (n, c) in raw.comments.into_iter().enumerate() {
        let date = PostDate::parse(&c.date).map_err(|why| {
            let line = find_line(&file.text, &c.date);
            Diagnostic::error(
                Some(Location::new(&file.path, line, 1)),
                format!("comment {}: {why}", n + 1),
            )
            .with_source(&file.text)
        })?;
        let _ = c.id;
        comments.push(ArchivedComment {
            author: c.author,
            date,
            text: c.text,
            reply: c
                .parent
                .is_some_and(|p| !p.trim().is_empty() && p.trim() != "0"),
        });
    }
    Ok(comments)
}

/// The line (from 1) where `value` is written, for a message.
fn find_line(text: &str, value: &str) -> usize {
    let at = text.find(value).unwrap_or(0);
    text[..at].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_and_its_bundle_have_one_comments_file() {
        assert_eq!(
            file_of(Path::new("breves/x.md")),
            Path::new("breves/x.yaml")
        );
        assert_eq!(
            file_of(Path::new("breves/x/index.md")),
            Path::new("breves/x.yaml")
        );
        assert_eq!(
            file_of(Path::new("a-propos.md")),
            Path::new("a-propos.yaml")
        );
    }

    #[test]
    fn comments_parse_and_a_bad_file_is_an_error_at_its_line() {
        let file = |text: &str| DataFile {
            path: "comments/breves/x.yaml".into(),
            rel: "breves/x.yaml".into(),
            text: text.into(),
        };
        let good = "comments:\n  - id: \"1\"\n    author: Marie\n    date: 2018-03-12T11:01:00+01:00\n    text: \"Oui.\\n\\nNon.\"\n  - author: Claire\n    date: 2018-03-12\n    parent: \"1\"\n    text: Merci\n";
        let comments = parse(&file(good)).unwrap();
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[0].text, "Oui.\n\nNon.");
        assert!(!comments[0].reply && comments[1].reply);
        let bad = "comments:\n  - author: Marie\n    date: hier\n    text: x\n";
        let e = parse(&file(bad)).unwrap_err();
        assert!(
            e.headline().starts_with("comments/breves/x.yaml:3:"),
            "{}",
            e.headline()
        );
        let unknown = "comments:\n  - author: Marie\n    email: m@x.fr\n";
        let e = parse(&file(unknown)).unwrap_err();
        assert!(e.message.contains("email"), "{}", e.message);
    }
}
