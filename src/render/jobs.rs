//! The pages of a site as jobs: which pages exist (in a fixed order, so output does not depend
//! on scheduling), and for one job, the template it uses, the values it gets and its URL.

use tera::Context;

use super::search;
use super::theme::Theme;
use super::views::{self, Views};
use crate::layout::{AUTHORS_PATH, NOT_FOUND_FILE, SERIES_PATH, search_path};
use crate::site::{Site, SitePage};

/// A paginated list of posts.
#[derive(Debug, Clone, Copy)]
pub(super) enum List {
    Home,
    Section(usize),
    /// (taxonomy, term)
    Term(usize, usize),
    Author(usize),
}

/// What one output page is: a template and the values it gets.
#[derive(Debug)]
pub(super) enum Job {
    List {
        list: List,
        number: usize,
        total: usize,
    },
    Post(usize),
    /// A page of `Site::pages`.
    Page(usize),
    Series(usize),
    SeriesIndex,
    Taxonomy(usize),
    Authors,
    Search,
    NotFound,
}

/// A job made ready: its template, its URL, and what it is, for messages.
pub(super) struct Prepared {
    pub template: String,
    pub url: String,
    pub origin: String,
}

/// Every page of the site, in the order they are reported and traced.
pub(super) fn plan(site: &Site, theme: &Theme) -> Vec<Job> {
    let per = site.config.paginate_by;
    let mut jobs = Vec::new();
    let list = |list: List, count: usize, jobs: &mut Vec<Job>| {
        let total = count.div_ceil(per).max(1);
        jobs.extend((1..=total).map(|number| Job::List {
            list,
            number,
            total,
        }));
    };
    list(List::Home, site.posts.len(), &mut jobs);
    for (i, s) in site.sections.iter().enumerate() {
        list(List::Section(i), s.posts.len(), &mut jobs);
    }
    jobs.extend((0..site.posts.len()).map(Job::Post));
    // (A page whose template the theme lacks is an error already: `check_page_templates`.)
    let renderable = |&i: &usize| theme.has(&page_template(&site.pages[i]));
    jobs.extend((0..site.pages.len()).filter(renderable).map(Job::Page));
    jobs.extend((0..site.series.len()).map(Job::Series));
    jobs.push(Job::SeriesIndex);
    for (ti, t) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(ti));
        for (i, term) in t.terms.iter().enumerate() {
            list(List::Term(ti, i), term.posts.len(), &mut jobs);
        }
    }
    jobs.push(Job::Authors);
    for (i, a) in site.authors.iter().enumerate() {
        list(List::Author(i), a.posts.len(), &mut jobs);
    }
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs
}

impl Job {
    /// Puts the job's values into `ctx` and says which template renders it, at which URL.
    pub(super) fn prepare(
        &self,
        ctx: &mut Context,
        site: &Site,
        views: &Views<'_>,
        theme: &Theme,
    ) -> Prepared {
        let root = site.config.base_path.as_str();
        let (template, url, origin): (String, String, String) = match *self {
            Job::List {
                list,
                number,
                total,
            } => return list.prepare(number, total, ctx, site, views),
            Job::Post(i) => {
                let page = views.page(i);
                let own = format!("{}.html", page.kind);
                let template = if theme.has(&own) {
                    own
                } else {
                    "page.html".to_string()
                };
                let origin = crate::diagnostics::display_path(&site.posts[i].post.path);
                ctx.insert("page", &page);
                (template, site.posts[i].url.clone(), origin)
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                ctx.insert("page", &views.standalone(i));
                let origin = crate::diagnostics::display_path(&p.page.path);
                (page_template(p), p.url.clone(), origin)
            }
            Job::Series(i) => {
                let s = &site.series[i];
                ctx.insert("series", &views.series(s, &site.series_html[i]));
                let origin = format!("the series \"{}\"", s.slug);
                ("series.html".into(), s.url.clone(), origin)
            }
            Job::SeriesIndex => {
                let list: Vec<views::SeriesView<'_>> = (site.series.iter().zip(&site.series_html))
                    .map(|(s, html)| views.series(s, html))
                    .collect();
                ctx.insert("series_list", &list);
                let url = format!("{root}{SERIES_PATH}/");
                ("series_index.html".into(), url, "the series index".into())
            }
            Job::Taxonomy(ti) => {
                let t = &site.taxonomies[ti];
                ctx.insert("taxonomy", &views.taxonomy(t));
                let origin = format!("the {} index", t.kind.name());
                ("taxonomy.html".into(), t.url.clone(), origin)
            }
            Job::Authors => {
                let list: Vec<views::AuthorView<'_>> =
                    site.authors.iter().map(|a| views.author(a)).collect();
                ctx.insert("authors", &list);
                let url = format!("{root}{AUTHORS_PATH}/");
                ("authors.html".into(), url, "the authors index".into())
            }
            Job::Search => {
                ctx.insert("search_index", &format!("{root}{}", search::INDEX_FILE));
                let url = format!("{root}{}/", search_path(site.config.language));
                ("search.html".into(), url, "the search page".into())
            }
            Job::NotFound => {
                let url = format!("{root}{NOT_FOUND_FILE}");
                (NOT_FOUND_FILE.into(), url, "the 404 page".into())
            }
        };
        Prepared {
            template,
            url,
            origin,
        }
    }

    /// What the job is, for an internal error: the post's file when it renders one.
    pub(super) fn describe(&self, site: &Site) -> (Option<std::path::PathBuf>, String) {
        match *self {
            Job::Post(i) => {
                let path = &site.posts[i].post.path;
                (Some(path.clone()), crate::diagnostics::display_path(path))
            }
            Job::Page(i) => {
                let path = &site.pages[i].page.path;
                (Some(path.clone()), crate::diagnostics::display_path(path))
            }
            ref other => (None, format!("{other:?}")),
        }
    }
}

/// The template of a page: its `template` key's, else `standalone.html` (both checked
/// against the theme before rendering: [`super::check_page_templates`]).
pub(super) fn page_template(page: &SitePage) -> String {
    match &page.page.template {
        Some(t) => t.value.clone(),
        None => STANDALONE.to_string(),
    }
}

/// The template of pages without a `template` key.
pub(super) const STANDALONE: &str = "standalone.html";

impl List {
    /// Page `number` of `total` of a list: its owner's values and its paginator.
    fn prepare(
        self,
        number: usize,
        total: usize,
        ctx: &mut Context,
        site: &Site,
        views: &Views<'_>,
    ) -> Prepared {
        let all = views.all_posts();
        let (first_url, posts, template, origin) = match self {
            List::Home => {
                let root = site.config.base_path.as_str();
                (root, all, "index.html", "the home page".to_string())
            }
            List::Section(i) => {
                let s = &site.sections[i];
                ctx.insert("section", &views.section(s));
                let origin = format!("the section content/{}/", s.name);
                (s.url.as_str(), &s.posts[..], "section.html", origin)
            }
            List::Term(ti, i) => {
                let t = &site.taxonomies[ti];
                let term = &t.terms[i];
                ctx.insert("taxonomy", &views.taxonomy_link(t));
                ctx.insert("term", &views.term(t.kind, term));
                let origin = format!("the {} term \"{}\"", t.kind.name(), term.name);
                (
                    term.url.as_str(),
                    &term.posts[..],
                    "taxonomy_term.html",
                    origin,
                )
            }
            List::Author(i) => {
                let a = &site.authors[i];
                ctx.insert("author", &views.author(a));
                let origin = format!("the author page of {}", a.author.name);
                (a.url.as_str(), &a.posts[..], "author.html", origin)
            }
        };
        ctx.insert(
            "paginator",
            &views.paginator(posts, number, total, first_url),
        );
        Prepared {
            template: template.to_string(),
            url: views::page_url(first_url, number),
            origin,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::content::Content;
    use crate::site::BuildSettings;
    use crate::site::testing::{author, config, post};
    use crate::source::TemplateSource;

    /// Five brèves and a conte by one author, two irritant themes, two posts a page.
    pub(in crate::render) fn site() -> Site {
        let posts = (1..=5)
            .map(|i| {
                let theme = if i % 2 == 0 { "Attente" } else { "Tarifs" };
                post(
                    &format!("breves/b{i}.md"),
                    &format!(
                        "date: 2024-01-0{i}\nkind: breve\nauthors: [claire]\nirritants: [{theme}]"
                    ),
                )
            })
            .chain([post("contes/c.md", "date: 2024-02-01\nkind: conte")])
            .collect();
        let content = Content {
            posts,
            authors: vec![author("claire", "Claire Morel", "")],
            ..Content::default()
        };
        let settings = BuildSettings {
            drafts: false,
            now: "2025-01-01T00:00:00Z".parse().unwrap(),
        };
        let (site, problems) = Site::assemble(config("paginate_by = 2"), settings, content);
        assert!(!problems.has_errors(), "{problems}");
        site
    }

    /// A theme whose every template prints its name; `extra` adds templates.
    pub(in crate::render) fn theme(extra: &[&str]) -> Theme {
        let names = super::super::theme::REQUIRED;
        let templates: Vec<TemplateSource> = (names.iter().chain(extra))
            .map(|name| TemplateSource {
                name: name.to_string(),
                path: format!("templates/{name}").into(),
                text: format!("{name}{{% if page %}} {{{{ page.title }}}}{{% endif %}}"),
            })
            .collect();
        Theme::compile(&templates, crate::language::Language::Fr).expect("the theme compiles")
    }

    fn describe(jobs: &[Job]) -> Vec<String> {
        jobs.iter()
            .map(|j| match j {
                Job::List {
                    list,
                    number,
                    total,
                } => format!("{list:?} {number}/{total}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn plan_lists_every_page_once_in_a_fixed_order() {
        let site = site();
        let jobs = describe(&plan(&site, &theme(&[])));
        // Six posts, two a page: the home page has three pages.
        assert_eq!(jobs[..3], ["Home 1/3", "Home 2/3", "Home 3/3"]);
        // Sections in title order (Breves, Contes): 5 brèves on three pages, one conte.
        assert_eq!(
            jobs[3..7],
            [
                "Section(0) 1/3",
                "Section(0) 2/3",
                "Section(0) 3/3",
                "Section(1) 1/1"
            ]
        );
        let posts: Vec<&String> = jobs.iter().filter(|j| j.starts_with("Post(")).collect();
        assert_eq!(posts.len(), 6);
        for one in ["SeriesIndex", "Authors", "Search", "NotFound"] {
            assert_eq!(
                jobs.iter().filter(|j| *j == one).count(),
                1,
                "{one}: {jobs:?}"
            );
        }
        // Every taxonomy has its index; the irritants' two terms their lists.
        assert_eq!(
            jobs.iter().filter(|j| j.starts_with("Taxonomy(")).count(),
            3
        );
        assert!(jobs.contains(&"Term(0, 0) 1/2".to_string()), "{jobs:?}");
        assert!(jobs.contains(&"Term(0, 1) 1/1".to_string()), "{jobs:?}");
        // The author's list: five brèves.
        assert!(jobs.contains(&"Author(0) 3/3".to_string()), "{jobs:?}");
        assert_eq!(jobs.last().map(String::as_str), Some("NotFound"));
        assert_eq!(
            jobs,
            describe(&plan(&site, &theme(&[]))),
            "the same site, the same plan"
        );
    }

    #[test]
    fn a_post_uses_the_template_of_its_kind_when_the_theme_has_one() {
        let site = site();
        let views = Views::new(&site);
        let conte = site
            .posts
            .iter()
            .position(|p| p.url == "/contes/c/")
            .unwrap();
        let breve = site
            .posts
            .iter()
            .position(|p| p.url == "/breves/b5/")
            .unwrap();
        let theme = theme(&["conte.html"]);
        let mut ctx = Context::new();
        let prepared = Job::Post(conte).prepare(&mut ctx, &site, &views, &theme);
        assert_eq!(prepared.template, "conte.html");
        assert_eq!(prepared.url, "/contes/c/");
        assert_eq!(prepared.origin, "content/contes/c.md");
        assert!(ctx.get("page").is_some());
        let prepared = Job::Post(breve).prepare(&mut Context::new(), &site, &views, &theme);
        assert_eq!(prepared.template, "page.html", "no breve.html: the default");
        assert_eq!(prepared.url, "/breves/b5/");
    }

    #[test]
    fn a_list_page_gets_its_owner_and_paginator_at_its_own_url() {
        let site = site();
        let views = Views::new(&site);
        let theme = theme(&[]);
        let attente = site.taxonomies[0].term("Attente").unwrap();
        let ti = site.taxonomies[0]
            .terms
            .iter()
            .position(|t| t.slug == attente.slug);
        let job = Job::List {
            list: List::Term(0, ti.unwrap()),
            number: 2,
            total: 2,
        };
        let mut ctx = Context::new();
        let prepared = job.prepare(&mut ctx, &site, &views, &theme);
        assert_eq!(prepared.template, "taxonomy_term.html");
        assert_eq!(prepared.url, format!("{}page/2/", attente.url));
        for key in ["taxonomy", "term", "paginator"] {
            assert!(ctx.get(key).is_some(), "{key} is missing");
        }
        let home = Job::List {
            list: List::Home,
            number: 1,
            total: 3,
        };
        let prepared = home.prepare(&mut Context::new(), &site, &views, &theme);
        assert_eq!(
            (prepared.template.as_str(), prepared.url.as_str()),
            ("index.html", "/")
        );
    }
}
