//! An author of the column, from `content/authors/<slug>.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::slug::slugify;
use crate::diagnostics::Diagnostic;
use crate::front_matter::{self, Split};
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: String,
    role: Option<String>,
    avatar: Option<String>,
    links: Option<BTreeMap<String, String>>,
}

const AUTHOR_KEYS: &[&str] = &["name", "role", "avatar", "links"];

/// A person who signs posts.
#[derive(Debug, Clone)]
pub struct Author {
    /// The file name without `.md`: what posts write in `authors`.
    pub slug: String,
    pub name: String,
    pub role: Option<String>,
    pub avatar: Option<String>,
    /// Named links (site, email, LinkedIn…), in name order.
    pub links: BTreeMap<String, String>,
    /// The bio, Markdown.
    pub body: String,
}

impl Author {
    pub fn parse(file: &SourceFile, split: &Split<'_>) -> Result<Author, Diagnostic> {
        let raw: RawAuthor = front_matter::parse_yaml(split, &file.text, &file.path, AUTHOR_KEYS)?;
        let stem = file
            .rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Author {
            slug: slugify(&stem),
            name: raw.name,
            role: raw.role,
            avatar: raw.avatar,
            links: raw.links.unwrap_or_default(),
            body: split.body.to_string(),
        })
    }
}
