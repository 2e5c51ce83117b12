//! The search index: a compact JSON file that the search page's script loads and searches in
//! the browser, so search works on any static host.
//!
//! Each published post contributes its title, URL, date, kind, summary, irritant themes and the
//! distinct words of its body, folded to lowercase ASCII (`Réclamations` → `reclamations`) so
//! the script only has to fold the reader's query the same way. Unpublished posts never appear.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use super::i18n;
use crate::site::Site;

/// Where the index is written, relative to the site root.
pub const INDEX_FILE: &str = "search-index.json";

#[derive(Serialize)]
struct Entry<'a> {
    /// title
    t: &'a str,
    /// URL
    u: &'a str,
    /// date, in words
    d: String,
    /// kind label
    k: String,
    /// summary, plain text
    s: &'a str,
    /// irritant themes, by their display names (spellings merged like on the term pages)
    i: Vec<&'a str>,
    /// distinct folded words of the title, summary, themes and body
    w: String,
}

/// The index file, with its description for messages.
pub fn write_index(site: &Site) -> Option<(OutputFile, String)> {
    let language = site.config.language;
    let entries: Vec<Entry<'_>> = site
        .posts
        .par_iter()
        .map(|p| {
            let words = distinct_words([
                p.post.title.as_str(),
                p.description.as_str(),
                &p.post.irritants.join(" "),
                &p.post.tags.join(" "),
                p.text.as_str(),
            ]);
            Entry {
                t: &p.post.title,
                u: &p.url,
                d: i18n::date_in_words(language, p.post.date.day),
                k: i18n::kind_label(&site.config, p.post.kind),
                s: &p.description,
                i: match site.taxonomy(crate::site::TaxonomyKind::Irritants) {
                    Some(t) => t.names(&p.post.irritants),
                    None => p.post.irritants.iter().map(String::as_str).collect(),
                },
                w: words,
            }
        })
        .collect();
    let json = super::html_safe_json(&serde_json::to_string(&entries).ok()?);
    Some((
        OutputFile {
            path: PathBuf::from(INDEX_FILE),
            bytes: json.into_bytes(),
        },
        "the search index".into(),
    ))
}

/// Folds text to lowercase ASCII words: `Réclamation, œuvre` → `reclamation oeuvre`.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The distinct folded words of some texts, in order of first appearance, space-separated.
fn distinct_words<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let folded: Vec<String> = texts.into_iter().map(fold).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = String::new();
    for word in folded
        .iter()
        .flat_map(|f| f.split(|c: char| !c.is_ascii_alphanumeric()))
    {
        if word.len() < 2 || !seen.insert(word) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_distinct() {
        assert_eq!(
            distinct_words(["Réclamation : la réclamation", "Œuvre d'été"]),
            "reclamation la oeuvre ete"
        );
    }
}
