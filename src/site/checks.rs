//! Checks of each published post on its own that need the site's settings: its breakdown
//! (effort types come from `site.toml`) and its lead image's text alternative.

use std::collections::BTreeMap;

use super::breakdown;
use crate::config::EffortType;
use crate::content::{Author, Post};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// Reports the problems of each of `posts` (the published ones: a draft is not checked until
/// it is previewed or published).
pub fn each<'a>(
    posts: impl IntoIterator<Item = &'a Post>,
    efforts: &[EffortType],
    authors: &BTreeMap<String, Author>,
    diagnostics: &mut Diagnostics,
) {
    let authors: Vec<&str> = authors.keys().map(String::as_str).collect();
    let authors = authors.as_slice();
    for post in posts {
        breakdown::check(post, efforts, diagnostics);
        image_alt(post, diagnostics);
        signed(post, authors, diagnostics);
    }
}

/// A published post without an author is published without a byline, which is rarely what the
/// writer meant: a warning, unless the site has no authors at all (then it wants none).
fn signed(post: &Post, authors: &[&str], diagnostics: &mut Diagnostics) {
    if !post.authors.is_empty() || authors.is_empty() {
        return;
    }
    diagnostics.push(
        Diagnostic::warning(
            Some(Location::file(&post.path)),
            "this post has no author: it is published without a byline",
        )
        .with_source(&post.text)
        .with_note(format!(
            "add `authors: [{}]` to its front matter (authors: {}); `default_author` in site.toml signs the posts `chronique new` writes",
            authors[0],
            authors.join(", ")
        )),
    );
}

/// A lead image needs its text alternative: a warning, at `image:`, when `alt` is missing or blank.
fn image_alt(post: &Post, diagnostics: &mut Diagnostics) {
    let Some(image) = &post.image else { return };
    if !image.alt.trim().is_empty() {
        return;
    }
    let at = breakdown::key_location(post, "image").unwrap_or_else(|| Location::file(&post.path));
    diagnostics.push(
        Diagnostic::warning(
            Some(at),
            format!(
                "the lead image `{}` has no `alt` text: describe it for readers who cannot see it",
                image.src
            ),
        )
        .with_source(&post.text),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{author, post};

    fn headlines(posts: &[Post]) -> Vec<String> {
        let mut d = Diagnostics::new();
        each(posts, &[], &BTreeMap::new(), &mut d);
        d.0.iter().map(Diagnostic::headline).collect()
    }

    #[test]
    fn an_unsigned_post_is_a_warning_when_the_site_has_authors() {
        let posts = [
            post("a.md", "date: 2020-01-01"),
            post("b.md", "date: 2020-01-01\nauthors: [claire]"),
        ];
        let mut d = Diagnostics::new();
        let authors: BTreeMap<String, Author> = ["claire", "julien"]
            .map(|slug| (slug.to_string(), author(slug, slug, "")))
            .into();
        each(&posts, &[], &authors, &mut d);
        let found: Vec<String> = d.0.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            found,
            ["content/a.md:1:1: this post has no author: it is published without a byline"]
        );
        assert!(!d.has_errors());
        assert!(
            d.0[0].to_string().contains("add `authors: [claire]`"),
            "{d}"
        );
        // A site without authors wants none.
        assert!(headlines(&posts).is_empty());
    }

    #[test]
    fn a_lead_image_without_alt_is_a_warning_at_image() {
        let posts = [
            post("a.md", "date: 2020-01-01\nimage:\n  src: a.jpg\n  alt: ' '"),
            post(
                "b.md",
                "date: 2020-01-01\nimage:\n  src: b.jpg\n  alt: Un guichet fermé",
            ),
        ];
        assert_eq!(
            headlines(&posts),
            [
                "content/a.md:4:1: the lead image `a.jpg` has no `alt` text: describe it for readers who cannot see it"
            ]
        );
    }

    #[test]
    fn a_breakdown_outside_an_irritant_is_reported() {
        let posts = [post("a.md", "date: 2020-01-01\nkind: breve\nsteps: [a]")];
        let found = headlines(&posts);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("content/a.md:5:1: "), "{}", found[0]);
    }
}
