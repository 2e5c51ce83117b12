//! Internal links (`@/breves/x.md`): what each one points to, and an error at the line of each
//! one that points nowhere, saying why (no such file, or a post not published).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::path::Path;

use super::publish::Placed;
use crate::content::{Post, link_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, line_col};
use crate::markdown::BrokenLink;

/// The targets of internal links: the URL of every post on the site, and why each other post
/// is not there.
pub struct Targets {
    /// By [`link_key`]: `breves/x.md` → `/breves/x/`.
    urls: HashMap<String, String>,
    /// By [`link_key`]: why the post is not published ("a draft", "scheduled for …").
    unpublished: HashMap<String, String>,
}

impl Targets {
    /// The targets of a site with these posts on it and these not (from the publishing step).
    pub fn new<P: Borrow<Post>>(
        placed: &[Placed<P>],
        unpublished: HashMap<String, String>,
    ) -> Targets {
        let urls = placed
            .iter()
            .map(|p| (link_key(&p.post.borrow().rel), p.url.clone()))
            .collect();
        Targets { urls, unpublished }
    }

    /// The targets with the site's pages among them: the pages on the site, by source path
    /// (relative to `content/`) with their URLs, and why each other page is not (by link key).
    pub fn with_pages<'p>(
        mut self,
        pages: impl Iterator<Item = (&'p Path, &'p str)>,
        unpublished: HashMap<String, String>,
    ) -> Targets {
        self.urls
            .extend(pages.map(|(rel, url)| (link_key(rel), url.to_string())));
        self.unpublished.extend(unpublished);
        self
    }

    /// The URL an internal link to `path` (with or without a leading `/`) goes to.
    pub fn resolve(&self, path: &str) -> Option<String> {
        self.urls.get(path.trim_start_matches('/')).cloned()
    }

    /// How many posts and pages are not published.
    pub fn unpublished(&self) -> usize {
        self.unpublished.len()
    }

    /// The source path of every post on the site (`breves/x.md`), for "did you mean" hints.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.urls.keys().map(String::as_str)
    }

    /// Why `target` (`breves/x.md`) has no URL: no such file, or a post not published.
    pub fn why(&self, target: &str) -> String {
        match self.unpublished.get(target) {
            Some(why) => format!("it is not published ({why})"),
            None => format!("content/{target} does not exist"),
        }
    }
}

/// The broken internal links of `post` as errors: those of its summary at its `summary:` line,
/// those of its body at their line and column in the file (the body starts at `body_line`).
pub fn report_broken(
    post: &Post,
    in_summary: &[BrokenLink],
    in_body: &[BrokenLink],
    targets: &Targets,
    diagnostics: &mut Diagnostics,
) {
    for link in in_summary {
        let location = post
            .text
            .lines()
            .position(|l| l.trim_start().starts_with("summary:"))
            .map_or(Location::file(&post.path), |i| {
                Location::new(&post.path, i + 1, 1)
            });
        let why = targets.why(&link.target);
        diagnostics.push(
            Diagnostic::error(
                Some(location),
                format!(
                    "broken internal link to @/{} in the summary: {why}",
                    link.target
                ),
            )
            .with_source(&post.text),
        );
    }
    report_broken_body(
        &post.path,
        &post.text,
        &post.body,
        post.body_line,
        in_body,
        targets,
        diagnostics,
    );
}

/// The broken internal links of a body (of the file at `path` whose `text` it is part of, from
/// its line `body_line`) as errors at their line and column.
pub fn report_broken_body(
    path: &Path,
    text: &str,
    body: &str,
    body_line: usize,
    broken: &[BrokenLink],
    targets: &Targets,
    diagnostics: &mut Diagnostics,
) {
    for link in broken {
        let (line, column) = line_col(body, link.offset);
        let why = targets.why(&link.target);
        diagnostics.push(
            Diagnostic::error(
                Some(Location::new(path, line + body_line - 1, column)),
                format!("broken internal link to @/{}: {why}", link.target),
            )
            .with_source(text),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{post, post_with_body};

    fn targets() -> Targets {
        let placed = vec![Placed {
            post: post("breves/la.md", "date: 2020-01-01"),
            preview: false,
            url: "/breves/la/".into(),
            output: "breves/la/index.html".into(),
        }];
        let unpublished = HashMap::from([("breves/brouillon.md".into(), "a draft".into())]);
        Targets::new(&placed, unpublished)
    }

    fn link(offset: usize, target: &str) -> BrokenLink {
        BrokenLink {
            offset,
            target: target.into(),
        }
    }

    #[test]
    fn links_resolve_to_the_urls_of_posts_on_the_site() {
        let t = targets();
        assert_eq!(t.resolve("breves/la.md").as_deref(), Some("/breves/la/"));
        assert_eq!(t.resolve("/breves/la.md").as_deref(), Some("/breves/la/"));
        assert_eq!(t.resolve("breves/brouillon.md"), None);
        assert_eq!(t.unpublished(), 1);
    }

    #[test]
    fn a_broken_body_link_is_an_error_at_its_line_in_the_file() {
        let body = "Premier.\n\nVoir [ici](@/breves/absente.md) et [là](@/breves/brouillon.md).\n";
        let p = post_with_body("breves/x.md", "date: 2020-01-01", body);
        assert_eq!(p.body_line, 5);
        let at = |s: &str| body.find(s).unwrap();
        let broken = [
            link(at("[ici]"), "breves/absente.md"),
            link(at("[là]"), "breves/brouillon.md"),
        ];
        let mut d = Diagnostics::new();
        report_broken(&p, &[], &broken, &targets(), &mut d);
        let lines: Vec<String> = d.errors().map(Diagnostic::headline).collect();
        assert_eq!(
            lines,
            [
                "content/breves/x.md:7:6: broken internal link to @/breves/absente.md: content/breves/absente.md does not exist",
                "content/breves/x.md:7:36: broken internal link to @/breves/brouillon.md: it is not published (a draft)",
            ]
        );
        assert_eq!(
            d.0[0].source_line.as_deref(),
            Some(body.lines().nth(2).unwrap())
        );
    }

    #[test]
    fn a_broken_summary_link_is_an_error_at_the_summary_line() {
        let p = post(
            "breves/x.md",
            "date: 2020-01-01\nsummary: Voir [ça](@/rien.md).",
        );
        let mut d = Diagnostics::new();
        report_broken(&p, &[link(5, "rien.md")], &[], &targets(), &mut d);
        assert_eq!(
            d.0[0].headline(),
            "content/breves/x.md:4:1: broken internal link to @/rien.md in the summary: content/rien.md does not exist"
        );
    }
}
