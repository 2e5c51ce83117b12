//! Where WordPress's categories and tags go: each category a section (and the kind of its posts),
//! each tag a term of `tags` or of `irritants`. The defaults come from the site (a category whose
//! section is the one `site.toml`'s `[sections]` gives a kind has that kind); a `--map` file
//! changes them, and the mapping used is printed in the report in the same TOML, ready to edit:
//!
//! ```toml
//! [categories.ca-magace]        # a category, by its WordPress slug
//! section = "decryptages"
//! kind = "irritant"             # breve, article, conte or irritant
//!
//! [tags]
//! irritants = ["attente"]       # tags (by slug) that are irritants; the others are tags
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::config::NewSections;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    #[serde(default)]
    categories: BTreeMap<String, RawCategory>,
    #[serde(default)]
    tags: RawTags,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    section: Option<String>,
    kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTags {
    #[serde(default)]
    irritants: Vec<String>,
}

/// A `--map` file, read and checked.
#[derive(Debug, Default, Clone)]
pub struct Map {
    /// Category slug → (section, kind), as the file says.
    categories: BTreeMap<String, (Option<String>, Option<&'static str>)>,
    /// Tag slugs that are irritants.
    pub irritant_tags: BTreeSet<String>,
}

pub const KINDS: [&str; 4] = ["breve", "article", "conte", "irritant"];

impl Map {
    /// Reads `path`; an error names the file, line and column.
    pub fn read(path: &Path) -> Result<Map, String> {
        let shown = path.display();
        let text = crate::fsx::read_to_string(path)
            .map_err(|e| format!("{shown}: cannot read it: {e}"))?;
        Map::parse(&text).map_err(|(at, message)| match at {
            Some(at) => {
                let (line, column) = line_column(&text, at);
                let source = text.lines().nth(line - 1).unwrap_or_default();
                format!("{shown}:{line}:{column}: {message}\n  {source}")
            }
            None => format!("{shown}: {message}"),
        })
    }

    fn parse(text: &str) -> Result<Map, (Option<usize>, String)> {
        let raw: RawMap = toml::from_str(text)
            .map_err(|e| (e.span().map(|s| s.start), e.message().to_string()))?;
        let mut categories = BTreeMap::new();
        for (slug, category) in raw.categories {
            let kind = match category.kind.as_deref() {
                None => None,
                Some(k) => match KINDS.iter().find(|x| **x == k) {
                    Some(k) => Some(*k),
                    None => {
                        let at = text.find(&format!("\"{k}\""));
                        return Err((
                            at,
                            format!(
                                "unknown kind \"{k}\" for category {slug} (kinds: {})",
                                KINDS.join(", ")
                            ),
                        ));
                    }
                },
            };
            let section = category.section.map(|s| crate::slug::slugify(&s));
            if section.as_ref().is_some_and(|s| s.is_empty()) {
                return Err((
                    text.find(&slug),
                    format!("the section of category {slug} has no letter or digit"),
                ));
            }
            categories.insert(slug, (section, kind));
        }
        Ok(Map {
            categories,
            irritant_tags: raw.tags.irritants.into_iter().collect(),
        })
    }

    /// The section a category's posts go to, if the file says.
    pub fn section(&self, slug: &str) -> Option<&str> {
        self.categories.get(slug).and_then(|(s, _)| s.as_deref())
    }

    /// The kind of a category's posts: the file's, else the kind `[sections]` files in its
    /// section, else none (an article).
    pub fn kind(&self, slug: &str, section: &str, sections: &NewSections) -> Option<&'static str> {
        if let Some(kind) = self.categories.get(slug).and_then(|(_, k)| *k) {
            return Some(kind);
        }
        let by_section = [
            (&sections.breve, "breve"),
            (&sections.conte, "conte"),
            (&sections.irritant, "irritant"),
        ];
        by_section
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, k)| *k)
    }

    /// The categories the file names that the export does not have.
    pub fn unknown_categories<'a>(
        &'a self,
        known: &'a BTreeSet<String>,
    ) -> impl Iterator<Item = &'a String> {
        self.categories.keys().filter(move |c| !known.contains(*c))
    }
}

fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_says_sections_kinds_and_irritant_tags() {
        let map = Map::parse("[categories.ca-magace]\nsection = \"Décryptages\"\nkind = \"irritant\"\n[tags]\nirritants = [\"attente\"]\n").unwrap();
        assert_eq!(map.section("ca-magace"), Some("decryptages"));
        let sections = NewSections::default();
        assert_eq!(map.kind("ca-magace", "x", &sections), Some("irritant"));
        assert_eq!(map.kind("breves", "breves", &sections), Some("breve"));
        assert_eq!(map.kind("autre", "autre", &sections), None);
        assert!(map.irritant_tags.contains("attente"));
    }

    #[test]
    fn a_bad_map_is_an_error_at_its_line() {
        let (at, message) = Map::parse("[categories.x]\nkind = \"brève\"\n").unwrap_err();
        assert_eq!(at, Some(22));
        assert!(message.contains("unknown kind \"brève\""), "{message}");
        let (at, message) = Map::parse("[categories.x]\nsectoin = \"a\"\n").unwrap_err();
        assert_eq!(
            line_column("[categories.x]\nsectoin = \"a\"\n", at.unwrap()),
            (2, 1)
        );
        assert!(message.contains("unknown field `sectoin`"), "{message}");
    }
}
