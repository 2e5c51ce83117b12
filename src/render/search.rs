//! The search index: a compact JSON file that the search page's script loads and searches in
//! the browser, so search works on any static host.
//!
//! Each published post contributes its title, URL, date, kind, summary, irritant themes and the
//! distinct words of its body, folded to lowercase ASCII (`Réclamations` → `reclamations`) so
//! the script only has to fold the reader's query the same way. Unpublished posts never appear.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::file::OutputFile;
use super::i18n;
use crate::site::{Site, SitePost};

/// Where the index is written, relative to the site root.
pub use crate::layout::SEARCH_INDEX_FILE as INDEX_FILE;

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

/// The entries of the last index, kept between the rebuilds of `chronique serve`: post path →
/// (hash of everything the entry is made of, the entry as written in the file); and every
/// entry of the file in its order (posts, then pages), for [`patch_index`].
#[derive(Debug, Clone, Default)]
pub struct Memo {
    entries: HashMap<PathBuf, (u64, Arc<str>)>,
    written: Vec<Arc<str>>,
}

/// The index file, with its description for messages, and the entries for the next build.
/// An entry of `previous` is reused when its inputs hash the same: the post's file (its digest),
/// URL, theme names and kind label. Without `previous` (a one-shot build), no entries are kept.
pub fn write_index(site: &Site, previous: Option<&Memo>) -> (Option<(OutputFile, String)>, Memo) {
    let entries: Vec<(u64, Arc<str>)> = (site.posts.par_iter())
        .map(|p| {
            let parts = parts(site, p);
            // A one-shot build keeps no entries: their keys would not be read.
            let key = previous.map_or(0, |_| entry_key(site, p, &parts));
            match previous.and_then(|m| m.entries.get(&p.post.path)) {
                Some((k, json)) if *k == key => (key, json.clone()),
                _ => (key, post_entry(site, p, parts)),
            }
        })
        .collect();
    let pages = page_entries(site);
    let entries: Vec<(u64, Arc<str>)> = entries.into_iter().chain(pages).collect();
    let written: Vec<Arc<str>> = entries.iter().map(|(_, e)| Arc::clone(e)).collect();
    let file = index_file(&written);
    // Kept only for a build that will be followed by another (`serve`).
    let memo = match previous {
        Some(_) => Memo {
            entries: (site.posts.iter().map(|p| &p.post.path))
                .chain(site.pages.iter().map(|p| &p.page.path))
                .cloned()
                .zip(entries)
                .collect(),
            written,
        },
        None => Memo::default(),
    };
    (Some((file, "the search index".into())), memo)
}

/// The index after the posts `changed` (indexes into `site.posts`) got new bodies, the site's
/// structure being the same as when `memo` was made ([`crate::site::Patch`]): only their
/// entries are made again. `None` when none of them changed (the file is as it was).
pub fn patch_index(site: &Site, memo: &mut Memo, changed: &[usize]) -> Option<OutputFile> {
    if memo.written.len() != site.posts.len() + site.pages.len() {
        // Not the memo of this site's last index (never so in a session): the whole index.
        let (file, fresh) = write_index(site, Some(memo));
        *memo = fresh;
        return file.map(|(file, _)| file);
    }
    let mut any = false;
    for &i in changed {
        let Some(p) = site.posts.get(i) else { continue };
        let parts = parts(site, p);
        let key = entry_key(site, p, &parts);
        let json = post_entry(site, p, parts);
        let slot = &mut memo.written[i];
        any |= **slot != *json;
        *slot = Arc::clone(&json);
        memo.entries.insert(p.post.path.clone(), (key, json));
    }
    any.then(|| index_file(&memo.written))
}

/// The index file: its entries as a JSON array.
fn index_file(entries: &[Arc<str>]) -> OutputFile {
    let mut json = String::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    json.push('[');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(entry);
    }
    json.push(']');
    OutputFile {
        path: PathBuf::from(INDEX_FILE),
        bytes: json.into_bytes(),
    }
}

/// A post's irritant themes by their display names, and its kind's label: what its entry takes
/// from the rest of the site.
type Parts<'a> = (Vec<&'a str>, String);

/// A post's [`Parts`].
fn parts<'a>(site: &'a Site, p: &'a SitePost) -> Parts<'a> {
    (themes(site, p), i18n::kind_label(&site.config, p.post.kind))
}

/// The hash of everything a post's entry is made of: its file (digest), the shortcodes it
/// used, its URL, its themes' names and kind's label (`parts`), the language.
fn entry_key(site: &Site, p: &SitePost, (themes, kind): &Parts<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    let shortcodes = p.shortcodes.digest();
    let language = site.config.language.code();
    (p.post.digest, shortcodes, &p.url, themes, kind, language).hash(&mut h);
    h.finish()
}

/// A post's irritant themes, by their display names.
fn themes<'a>(site: &'a Site, p: &'a SitePost) -> Vec<&'a str> {
    match site.taxonomy(crate::site::TaxonomyKind::Irritants) {
        Some(t) => t.names(&p.post.irritants),
        None => p.post.irritants.iter().map(String::as_str).collect(),
    }
}

/// A post's entry, as written in the file.
fn post_entry(site: &Site, p: &SitePost, (themes, kind): Parts<'_>) -> Arc<str> {
    let mut words = crate::words::Distinct::new();
    let terms = p.post.irritants.iter().chain(&p.post.tags);
    for text in [p.post.title.as_str(), &p.description]
        .into_iter()
        .chain(terms.map(String::as_str))
    {
        words.add(text);
    }
    let entry = Entry {
        t: &p.post.title,
        u: &p.url,
        d: i18n::date_in_words(site.config.language, p.post.date.day),
        k: kind,
        s: &p.description,
        i: themes,
        w: words.finish_with(&p.words),
    };
    let json = serde_json::to_string(&entry).unwrap_or_default();
    super::file::html_safe_json(&json).into()
}

/// The pages' entries, after the posts': few, and made again at every build. A page has no
/// genre: its kind is "Page", its date the one its front matter gives, if any.
fn page_entries(site: &Site) -> Vec<(u64, Arc<str>)> {
    let language = site.config.language;
    (site.pages.iter())
        .map(|p| {
            let mut words = crate::words::Distinct::new();
            words.add(&p.page.title);
            words.add(&p.description);
            let entry = Entry {
                t: &p.page.title,
                u: &p.url,
                d: (p.page.date.as_ref())
                    .map_or(String::new(), |d| i18n::date_in_words(language, d.day)),
                k: i18n::page_label(&site.config),
                s: &p.description,
                i: Vec::new(),
                w: words.finish_with(&p.words),
            };
            let json = serde_json::to_string(&entry).unwrap_or_default();
            (0, super::file::html_safe_json(&json).into())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::render::jobs::tests::site;

    fn entries(file: &OutputFile) -> Vec<serde_json::Value> {
        serde_json::from_slice(&file.bytes).expect("the index is JSON")
    }

    #[test]
    fn the_index_has_every_post_newest_first_with_its_theme() {
        let site = site();
        let (index, memo) = write_index(&site, None);
        let (file, origin) = index.expect("an index");
        assert_eq!(file.path, Path::new(INDEX_FILE));
        assert_eq!(origin, "the search index");
        let entries = entries(&file);
        let urls: Vec<&str> = entries.iter().filter_map(|e| e["u"].as_str()).collect();
        assert_eq!(
            urls,
            [
                "/contes/c/",
                "/breves/b5/",
                "/breves/b4/",
                "/breves/b3/",
                "/breves/b2/",
                "/breves/b1/"
            ]
        );
        assert_eq!(entries[1]["i"], serde_json::json!(["Tarifs"]));
        assert_eq!(entries[1]["k"], "Brève");
        assert!(memo.entries.is_empty(), "a one-shot build keeps nothing");
    }

    #[test]
    fn a_session_reuses_the_entries_whose_inputs_are_the_same() {
        let mut site = site();
        let (first, memo) = write_index(&site, Some(&Memo::default()));
        assert_eq!(memo.entries.len(), 6);
        // A remembered entry is taken as it is when its post's digest is unchanged: make it
        // recognisable, then change one post's digest.
        let mut planted = memo.clone();
        for (_, json) in planted.entries.values_mut() {
            *json = Arc::from(r#"{"u":"remembered"}"#);
        }
        site.posts[0].post.digest ^= 1;
        let (again, _) = write_index(&site, Some(&planted));
        let urls: Vec<String> = entries(&again.unwrap().0)
            .iter()
            .map(|e| e["u"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(urls[0], "/contes/c/", "the changed post is indexed again");
        assert!(urls[1..].iter().all(|u| u == "remembered"), "{urls:?}");
        assert!(first.is_some());
    }
}
