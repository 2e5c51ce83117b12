//! Taxonomies: irritant themes, tags and customer efforts, each a set of terms with their posts.
//!
//! Authors type terms freely, so "Service client" and "service Client" must be one term: terms
//! are merged by their slug (which folds case and accents), shown with their most common
//! spelling, and a warning names the files that spell them otherwise.
//!
//! Term pages live at `/<segment>/<slug>/`; one that would land on a section or a post is an
//! error naming both, at the place the term (or the segment) is written.

use std::collections::{BTreeMap, HashMap};

use super::model::{Section, SitePost};
use crate::config::{Config, EffortType};
use crate::content::Post;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::slug::slugify;

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
#[derive(Debug, Clone, Hash)]
pub struct Term {
    pub slug: String,
    /// The most common spelling.
    pub name: String,
    pub url: String,
    /// Indexes into `Site::posts`, newest first.
    pub posts: Vec<usize>,
    /// Where it is first written: the post (index into `Site::posts`) and the place in its file.
    pub first: (usize, Location),
}

/// A taxonomy with its terms, most used first.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub url: String,
    pub terms: Vec<Term>,
    /// Term slug → index in `terms`.
    index: BTreeMap<String, usize>,
    /// Every spelling met → its slug, so that looking a post's terms up on every page that lists
    /// the post does not transliterate them again.
    slugs: HashMap<String, String>,
}

impl Taxonomy {
    /// The term a spelling belongs to.
    pub fn term(&self, spelling: &str) -> Option<&Term> {
        self.term_index(spelling).map(|i| &self.terms[i])
    }

    /// The index in `terms` of the term a spelling belongs to.
    pub fn term_index(&self, spelling: &str) -> Option<usize> {
        let i = match self.slugs.get(spelling) {
            Some(slug) => self.index.get(slug),
            None => self.index.get(&slugify(spelling)),
        };
        i.copied()
    }

    /// The display names of the terms a post spells `spellings`, in its order, each once.
    pub fn names<'a>(&'a self, spellings: &[String]) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for t in spellings.iter().filter_map(|s| self.term(s)) {
            if !out.contains(&t.name.as_str()) {
                out.push(&t.name);
            }
        }
        out
    }

    /// Drops the terms `drop` says, keeping the index right.
    fn remove_terms(&mut self, drop: impl Fn(&Term) -> bool) {
        self.terms.retain(|t| !drop(t));
        self.index = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
    }
}

/// Every taxonomy of the site, in [`TaxonomyKind::ALL`] order, from the published posts (in
/// site order): irritant themes and tags as written, effort types by the names `site.toml`
/// gives them. Each is at `<base><its segment>/`.
pub fn build_all(config: &Config, posts: &[&Post], diagnostics: &mut Diagnostics) -> Vec<Taxonomy> {
    let paths = &config.taxonomies;
    let efforts = &config.efforts;
    let base = &config.base_path;
    TaxonomyKind::ALL
        .iter()
        .map(|&kind| {
            let segment = match kind {
                TaxonomyKind::Irritants => &paths.irritants,
                TaxonomyKind::Tags => &paths.tags,
                TaxonomyKind::Efforts => &paths.efforts,
            };
            build(
                kind,
                format!("{base}{segment}/"),
                posts,
                |p| match kind {
                    TaxonomyKind::Irritants => {
                        located_terms(p, &p.irritants, &p.term_locations.irritants)
                    }
                    TaxonomyKind::Tags => located_terms(p, &p.tags, &p.term_locations.tags),
                    TaxonomyKind::Efforts => effort_names(p, efforts),
                },
                diagnostics,
            )
        })
        .collect()
}

/// A post's terms with where each is written.
fn located_terms(post: &Post, terms: &[String], at: &[Location]) -> Vec<(String, Location)> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = at.get(i).cloned();
            (t.clone(), at.unwrap_or_else(|| Location::file(&post.path)))
        })
        .collect()
}

/// The display names of the effort types a breakdown's findings name (known ones only), with
/// where each is first named.
fn effort_names(post: &Post, efforts: &[EffortType]) -> Vec<(String, Location)> {
    let Some(b) = &post.breakdown else {
        return Vec::new();
    };
    let mut names: Vec<(String, Location)> = Vec::new();
    for f in &b.findings {
        if let Some(e) = &f.effort
            && let Some(t) = efforts.iter().find(|t| &t.id == e)
            && !names.iter().any(|(n, _)| *n == t.name)
        {
            let at = f.at.effort.clone().unwrap_or_else(|| f.at.kind.clone());
            names.push((t.name.clone(), at));
        }
    }
    names
}

/// Sets the terms' display names in the site's typography (« Ça m’agace », `Attente\u{a0}: longue`),
/// once every post has found its terms: lookups go by spelling and slug, never by display name.
pub fn typeset(taxonomies: &mut [Taxonomy], options: &crate::markdown::Options) {
    for t in taxonomies.iter_mut().flat_map(|x| x.terms.iter_mut()) {
        t.name = crate::markdown::typeset(options, &t.name);
    }
}

/// Builds a taxonomy from the terms each published post carries (`terms_of`: each spelling
/// with where it is written; posts in site order).
pub fn build(
    kind: TaxonomyKind,
    url: String,
    posts: &[&Post],
    terms_of: impl Fn(&Post) -> Vec<(String, Location)>,
    diagnostics: &mut Diagnostics,
) -> Taxonomy {
    let mut slugs: HashMap<String, String> = HashMap::new();
    let gathered = gather(posts, terms_of, &mut slugs);
    let mut terms: Vec<Term> = Vec::with_capacity(gathered.len());
    for (slug, g) in gathered {
        let name = spelling(kind, &slug, &g, posts, diagnostics);
        terms.push(Term {
            url: format!("{url}{slug}/"),
            slug,
            name,
            posts: g.posts,
            first: g.first,
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
        slugs,
    }
}

/// The posts and spellings of one term, as gathered.
struct Gathered<'a> {
    posts: Vec<usize>,
    /// Spelling → where it is written (post, location), in site order.
    spellings: BTreeMap<String, Vec<(&'a Post, Location)>>,
    first: (usize, Location),
}

/// Every term the posts carry, by slug (`slugs` remembers the slug of each spelling); a term
/// without a letter or digit is left out.
fn gather<'a>(
    posts: &[&'a Post],
    terms_of: impl Fn(&Post) -> Vec<(String, Location)>,
    slugs: &mut HashMap<String, String>,
) -> BTreeMap<String, Gathered<'a>> {
    let mut gathered: BTreeMap<String, Gathered<'a>> = BTreeMap::new();
    for (i, post) in posts.iter().enumerate() {
        for (spelling, at) in terms_of(post) {
            let slug = match slugs.get(&spelling) {
                Some(slug) => slug.clone(),
                None => {
                    let slug = slugify(&spelling);
                    slugs.insert(spelling.clone(), slug.clone());
                    slug
                }
            };
            if slug.is_empty() {
                continue;
            }
            let g = gathered.entry(slug).or_insert_with(|| Gathered {
                posts: Vec::new(),
                spellings: BTreeMap::new(),
                first: (i, at.clone()),
            });
            if g.posts.last() != Some(&i) {
                g.posts.push(i);
            }
            g.spellings.entry(spelling).or_default().push((*post, at));
        }
    }
    gathered
}

/// The name a term is shown with: its most common spelling, ties going to the first in
/// alphabetical order. The other spellings are a warning, at the first of them in site order.
fn spelling(
    kind: TaxonomyKind,
    slug: &str,
    g: &Gathered<'_>,
    posts: &[&Post],
    diagnostics: &mut Diagnostics,
) -> String {
    let name = g
        .spellings
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| slug.to_string());
    if g.spellings.len() <= 1 {
        return name;
    }
    let others: Vec<String> = g
        .spellings
        .iter()
        .filter(|(s, _)| **s != name)
        .map(|(s, ps)| {
            let mut files: Vec<String> = ps.iter().map(|(p, _)| display_path(&p.path)).collect();
            files.dedup();
            format!("\"{s}\" in {}", files.join(", "))
        })
        .collect();
    let first_other = g
        .spellings
        .iter()
        .filter(|(s, _)| **s != name)
        .filter_map(|(_, ps)| ps.first())
        .min_by_key(|(p, _)| posts.iter().position(|q| std::ptr::eq(*q, *p)));
    let mut d = Diagnostic::warning(
        first_other.map(|(_, at)| at.clone()),
        format!(
            "the {} term \"{name}\" is also spelt {}",
            kind.name(),
            others.join("; ")
        ),
    );
    if let Some((p, _)) = first_other {
        d = d.with_source(&p.text);
    }
    diagnostics.push(d.with_note(format!("they are merged into one term, \"{name}\"")));
    name
}

/// Term pages that would land on a section or a post: an error naming both, at the place the
/// term is written (or the taxonomy's segment, for its index). The colliding pages are left
/// out, so that rendering does not report them again without a location.
pub fn check_paths(
    taxonomies: &mut Vec<Taxonomy>,
    sections: &[Section],
    posts: &[SitePost],
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    for t in taxonomies.iter_mut() {
        let name = t.kind.name();
        let mut colliding = Vec::new();
        for term in &t.terms {
            let Some(other) = posts.iter().find(|p| p.url == term.url) else {
                continue;
            };
            let (i, at) = &term.first;
            diagnostics.push(
                Diagnostic::error(
                    Some(at.clone()),
                    format!(
                        "the {name} term \"{}\" would be written to {}, the URL of the post {}",
                        term.name,
                        term.url,
                        display_path(&other.post.path)
                    ),
                )
                .with_source(&posts[*i].post.text)
                .with_note(format!(
                    "give the post another `slug`, or move the {name} elsewhere in site.toml: [taxonomies] {name} = \"…\""
                )),
            );
            colliding.push(term.url.clone());
        }
        t.remove_terms(|term| colliding.contains(&term.url));
    }
    taxonomies.retain(|t| {
        let Some(s) = sections.iter().find(|s| s.url == t.url) else {
            return true;
        };
        let name = t.kind.name();
        // Where the segment is set, or with the default segment, the section's folder.
        let (at, source) = match config.taxonomy_line(name) {
            Some(line) => (
                Location::new("site.toml", line, 1),
                Some(config.text.as_str()),
            ),
            None => match s.posts.iter().map(|&i| &posts[i].post).min_by_key(|p| &p.path) {
                Some(p) => (Location::file(&p.path), Some(&*p.text)),
                None => (Location::file(format!("content/{}/_index.md", s.name)), None),
            },
        };
        let mut d = Diagnostic::error(
            Some(at),
            format!(
                "the {name} index would be written to {}, the URL of the section content/{}/",
                t.url, s.name
            ),
        );
        if let Some(text) = source {
            d = d.with_source(text);
        }
        diagnostics.push(d.with_note(format!(
            "rename the folder content/{}/, or move the {name} elsewhere in site.toml: [taxonomies] {name} = \"…\"",
            s.name
        )));
        false
    });
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
            body: "".into(),
            body_line: 1,
            text: "".into(),
            digest: 0,
            comments: vec![],
        }
    }

    #[test]
    fn display_names_are_typeset_and_lookups_still_work() {
        let posts = [post("a", &["Ça m'agace : le retour"])];
        let refs: Vec<&Post> = posts.iter().collect();
        let mut d = Diagnostics::new();
        let mut t = [build(
            TaxonomyKind::Irritants,
            "/irritants/".into(),
            &refs,
            |p| {
                p.irritants
                    .iter()
                    .map(|s| (s.clone(), Location::file(&p.path)))
                    .collect()
            },
            &mut d,
        )];
        let options = crate::site::model::markdown_options(&crate::site::testing::config(""));
        typeset(&mut t, &options);
        assert_eq!(t[0].terms[0].name, "Ça m’agace\u{a0}: le retour");
        let found = t[0].term("Ça m'agace : le retour").unwrap();
        assert_eq!(found.url, "/irritants/ca-m-agace-le-retour/");
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
            |p| {
                p.irritants
                    .iter()
                    .map(|s| (s.clone(), Location::file(&p.path)))
                    .collect()
            },
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

    #[test]
    fn every_taxonomy_is_built_under_its_segment() {
        use crate::site::testing::{config, post};
        let c = config(
            "efforts = [{ id = \"temps\", name = \"Effort de temps\" }]\n[taxonomies]\ntags = \"mots\"\n",
        );
        let posts = [
            post(
                "a.md",
                "date: 2020-01-02\nkind: irritant\nirritants: [Attente]\ntags: [Banque]\nsteps: [a]\nfindings:\n  - {kind: effort, effort: temps, title: E, steps: [1]}\n  - {kind: effort, effort: temps, title: F, steps: [1]}",
            ),
            post("b.md", "date: 2020-01-01\ntags: [banque, Poste]"),
        ];
        let refs: Vec<&Post> = posts.iter().collect();
        let mut d = Diagnostics::new();
        let all = build_all(&c, &refs, &mut d);
        let kinds: Vec<TaxonomyKind> = all.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, TaxonomyKind::ALL);
        let terms = |k: usize| -> Vec<(&str, &str, Vec<usize>)> {
            all[k]
                .terms
                .iter()
                .map(|t| (t.name.as_str(), t.url.as_str(), t.posts.clone()))
                .collect()
        };
        let at = |kind| TaxonomyKind::ALL.iter().position(|k| *k == kind).unwrap();
        assert_eq!(
            terms(at(TaxonomyKind::Irritants)),
            [("Attente", "/irritants/attente/", vec![0])]
        );
        assert_eq!(
            terms(at(TaxonomyKind::Tags)),
            [
                ("Banque", "/mots/banque/", vec![0, 1]),
                ("Poste", "/mots/poste/", vec![1]),
            ]
        );
        // An effort type counts once per post, by the name site.toml gives it.
        assert_eq!(terms(at(TaxonomyKind::Efforts))[0].0, "Effort de temps");
        assert_eq!(terms(at(TaxonomyKind::Efforts))[0].2, vec![0]);
        // "banque" merged into "Banque", with a warning.
        assert_eq!(d.warnings().count(), 1);
    }
}
