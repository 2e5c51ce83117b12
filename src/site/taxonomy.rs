//! Taxonomies: irritant themes, tags and customer efforts, each a set of terms with their posts.
//!
//! Authors type terms freely, so "Service client" and "service Client" must be one term: terms
//! are merged by their slug (which folds case and accents), shown with their most common
//! spelling, and a warning names the files that spell them otherwise.

use std::collections::BTreeMap;

use crate::content::Post;
use crate::content::slug::slugify;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};

/// Which taxonomy: the keys of posts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    Irritants,
    Tags,
    Efforts,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Irritants,
        TaxonomyKind::Tags,
        TaxonomyKind::Efforts,
    ];

    /// The name used in templates and messages.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Irritants => "irritants",
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Efforts => "efforts",
        }
    }
}

/// One term and its posts.
#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    /// The most common spelling.
    pub name: String,
    pub url: String,
    /// Indexes into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// A taxonomy with its terms, most used first.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub url: String,
    pub terms: Vec<Term>,
    /// Term slug → index in `terms`.
    index: BTreeMap<String, usize>,
}

impl Taxonomy {
    /// The term a spelling belongs to.
    pub fn term(&self, spelling: &str) -> Option<&Term> {
        self.index.get(&slugify(spelling)).map(|&i| &self.terms[i])
    }
}

/// Builds a taxonomy from the terms each published post carries (`terms_of`, in site order).
pub fn build(
    kind: TaxonomyKind,
    url: String,
    posts: &[&Post],
    terms_of: impl Fn(&Post) -> Vec<String>,
    diagnostics: &mut Diagnostics,
) -> Taxonomy {
    struct Gathered<'a> {
        posts: Vec<usize>,
        spellings: BTreeMap<String, Vec<&'a Post>>,
    }
    let mut gathered: BTreeMap<String, Gathered<'_>> = BTreeMap::new();
    for (i, post) in posts.iter().enumerate() {
        for spelling in terms_of(post) {
            let slug = slugify(&spelling);
            if slug.is_empty() {
                continue;
            }
            let g = gathered.entry(slug).or_insert_with(|| Gathered {
                posts: Vec::new(),
                spellings: BTreeMap::new(),
            });
            if g.posts.last() != Some(&i) {
                g.posts.push(i);
            }
            g.spellings.entry(spelling).or_default().push(post);
        }
    }

    let mut terms: Vec<Term> = Vec::with_capacity(gathered.len());
    for (slug, g) in gathered {
        // The most common spelling wins; ties go to the first in alphabetical order.
        let name = g
            .spellings
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| slug.clone());
        if g.spellings.len() > 1 {
            let others: Vec<String> = g
                .spellings
                .iter()
                .filter(|(s, _)| **s != name)
                .map(|(s, ps)| {
                    let files: Vec<String> = ps.iter().map(|p| display_path(&p.path)).collect();
                    format!("\"{s}\" in {}", files.join(", "))
                })
                .collect();
            let first_other = g
                .spellings
                .iter()
                .find(|(s, _)| **s != name)
                .and_then(|(_, ps)| ps.first())
                .map(|p| Location::file(&p.path));
            diagnostics.push(
                Diagnostic::warning(
                    first_other,
                    format!(
                        "the {} term \"{name}\" is also spelt {}",
                        kind.name(),
                        others.join("; ")
                    ),
                )
                .with_note(format!("they are merged into one term, \"{name}\"")),
            );
        }
        terms.push(Term {
            url: format!("{url}{slug}/"),
            slug,
            name,
            posts: g.posts,
        });
    }
    terms.sort_by(|a, b| {
        b.posts
            .len()
            .cmp(&a.posts.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let index = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.clone(), i))
        .collect();
    Taxonomy {
        kind,
        url,
        terms,
        index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Kind, PostDate};
    use std::path::PathBuf;

    fn post(name: &str, irritants: &[&str]) -> Post {
        Post {
            path: PathBuf::from(format!("content/{name}.md")),
            rel: PathBuf::from(format!("{name}.md")),
            section: None,
            slug: name.into(),
            title: name.into(),
            date: PostDate::parse("2020-01-01").unwrap(),
            updated: None,
            kind: Kind::Article,
            authors: vec![],
            series: None,
            part: None,
            irritants: irritants.iter().map(|s| s.to_string()).collect(),
            tags: vec![],
            term_locations: Default::default(),
            summary: None,
            image: None,
            draft: false,
            aliases: vec![],
            breakdown: None,
            body: String::new(),
            body_line: 1,
            text: String::new(),
        }
    }

    #[test]
    fn terms_merge_by_slug_and_keep_the_common_spelling() {
        let posts = [
            post("a", &["Service client"]),
            post("b", &["service Client", "Attente"]),
            post("c", &["Service client"]),
        ];
        let refs: Vec<&Post> = posts.iter().collect();
        let mut d = Diagnostics::new();
        let t = build(
            TaxonomyKind::Irritants,
            "/irritants/".into(),
            &refs,
            |p| p.irritants.clone(),
            &mut d,
        );
        assert_eq!(t.terms.len(), 2);
        assert_eq!(t.terms[0].name, "Service client");
        assert_eq!(t.terms[0].url, "/irritants/service-client/");
        assert_eq!(t.terms[0].posts, vec![0, 1, 2]);
        assert_eq!(t.term("SERVICE CLIENT").unwrap().slug, "service-client");
        let w: Vec<_> = d.warnings().collect();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].message.contains("\"service Client\" in content/b.md"),
            "{}",
            w[0].message
        );
    }
}
