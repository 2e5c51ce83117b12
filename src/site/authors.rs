//! Authors: the posts naming an author who does not exist, and each author's page.
//!
//! Checked on every post, published or not, so that a scheduled post does not break the build
//! on the day it comes out; a page lists only the published posts.

use std::collections::BTreeMap;

use super::model::{AuthorPage, SitePost};
use crate::content::{Author, Post};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::layout::AUTHORS_PATH;
use crate::markdown;

/// The authors by slug; every author a post names that is not among them is an error at the
/// name, with the nearest known slug and the list of them.
pub fn check(
    authors: Vec<Author>,
    posts: &[Post],
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Author> {
    let authors: BTreeMap<String, Author> =
        authors.into_iter().map(|a| (a.slug.clone(), a)).collect();
    let known: Vec<String> = authors.keys().cloned().collect();
    for post in posts {
        for a in &post.authors {
            if authors.contains_key(&a.value) {
                continue;
            }
            let mut d = Diagnostic::error(
                Some(a.location.clone()),
                format!("unknown author \"{}\"", a.value),
            )
            .with_source(&post.text);
            if let Some(hint) = did_you_mean(&a.value, known.iter().map(String::as_str)) {
                d = d.with_note(format!("did you mean `{hint}`?"));
            }
            d = d.with_note(if known.is_empty() {
                "there is no author yet: add content/authors/<slug>.md".to_string()
            } else {
                format!("known authors: {}", known.join(", "))
            });
            diagnostics.push(d);
        }
    }
    authors
}

/// Each author's page, in name order (then slug), at `<base>auteurs/<slug>/`, with the bio
/// rendered and the author's published posts (indexes into `posts`, which are in site order,
/// so newest first; a post naming an author twice is listed once).
pub fn pages(
    authors: BTreeMap<String, Author>,
    posts: &[SitePost],
    base: &str,
    options: &markdown::Options,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Vec<AuthorPage> {
    let mut written_by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in posts.iter().enumerate() {
        for a in &p.post.authors {
            let list = written_by.entry(a.value.as_str()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut pages: Vec<AuthorPage> = authors
        .into_values()
        .map(|mut a| {
            // The role is prose printed on every post (« Chroniqueuse, ancienne responsable… »).
            a.role = a.role.map(|r| markdown::typeset(options, &r));
            AuthorPage {
                url: format!("{base}{AUTHORS_PATH}/{}/", a.slug),
                bio_html: markdown::render(&a.body, options, resolve).html,
                posts: written_by.remove(a.slug.as_str()).unwrap_or_default(),
                author: a,
            }
        })
        .collect();
    pages.sort_by(|a, b| {
        a.author
            .name
            .cmp(&b.author.name)
            .then(a.author.slug.cmp(&b.author.slug))
    });
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::markdown_options;
    use crate::site::testing::{author, config, post, site_post};

    #[test]
    fn an_author_s_role_is_set_in_the_site_s_typography() {
        let mut claire = author("claire", "Claire", "");
        claire.role = Some("Chroniqueuse d'accueil : 12 ans".into());
        let authors = BTreeMap::from([("claire".to_string(), claire)]);
        let options = markdown_options(&config(""));
        let pages = pages(authors, &[], "/", &options, &|_| None);
        assert_eq!(
            pages[0].author.role.as_deref(),
            Some("Chroniqueuse d’accueil\u{a0}: 12\u{a0}ans")
        );
    }

    #[test]
    fn an_unknown_author_is_an_error_at_the_name_with_a_hint() {
        let authors = vec![author("claire", "Claire", ""), author("paul", "Paul", "")];
        let posts = [
            post("breves/a.md", "date: 2020-01-01\nauthors: [claire, clare]"),
            post(
                "breves/b.md",
                "date: 2030-01-01\ndraft: true\nauthors: [zoé]",
            ),
        ];
        let mut d = Diagnostics::new();
        let known = check(authors, &posts, &mut d);
        assert_eq!(known.keys().collect::<Vec<_>>(), ["claire", "paul"]);
        let errors: Vec<&Diagnostic> = d.errors().collect();
        assert_eq!(errors.len(), 2, "{d:?}");
        assert_eq!(
            errors[0].headline(),
            "content/breves/a.md:4:19: unknown author \"clare\""
        );
        assert_eq!(
            errors[0].notes,
            ["did you mean `claire`?", "known authors: claire, paul"]
        );
        // Unpublished posts are checked too; no hint when nothing is near.
        assert_eq!(errors[1].notes, ["known authors: claire, paul"]);
    }

    #[test]
    fn with_no_author_file_the_note_says_how_to_add_one() {
        let mut d = Diagnostics::new();
        check(
            Vec::new(),
            &[post("a.md", "date: 2020-01-01\nauthors: [x]")],
            &mut d,
        );
        assert_eq!(
            d.0[0].notes,
            ["there is no author yet: add content/authors/<slug>.md"]
        );
    }

    #[test]
    fn pages_are_in_name_order_with_their_posts_newest_first() {
        let authors = vec![
            author("zed", "Anne", "Une *bio*."),
            author("bob", "Bruno", ""),
            author("amy", "Anne", ""),
        ];
        let posts = vec![
            site_post(post("c.md", "date: 2022-01-01\nauthors: [bob, zed]"), "/c/"),
            site_post(post("b.md", "date: 2021-01-01\nauthors: [zed, zed]"), "/b/"),
            site_post(post("a.md", "date: 2020-01-01\nauthors: [bob]"), "/a/"),
        ];
        let mut d = Diagnostics::new();
        let authors = check(authors, &[], &mut d);
        let options = markdown_options(&config(""));
        let pages = pages(authors, &posts, "/base/", &options, &|_| None);
        let summary: Vec<(&str, &str, Vec<usize>)> = pages
            .iter()
            .map(|p| (p.author.slug.as_str(), p.url.as_str(), p.posts.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                ("amy", "/base/auteurs/amy/", vec![]),
                ("zed", "/base/auteurs/zed/", vec![0, 1]),
                ("bob", "/base/auteurs/bob/", vec![0, 2]),
            ]
        );
        assert!(
            pages[1].bio_html.contains("<em>bio</em>"),
            "{}",
            pages[1].bio_html
        );
    }
}
