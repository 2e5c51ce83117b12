//! Page bundles' files, placed beside their pages.
//!
//! A bundle (`content/articles/mon-billet/index.md` and `ticket.jpg` beside it) is written for
//! `![](ticket.jpg)` to work from its page, so its files go where its page goes, which only the
//! assembly knows (a `slug` moves the page), and nowhere when the page is not published (a
//! draft's photos are not published before it). The reader lists every file of `content/` at
//! its own path; this step, between assembling and writing, turns that list into the files
//! actually written. It makes a new list for each build: a session keeps the reader's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::layout::{BUNDLE_INDEX, CONTENT_DIR};
use crate::site::Site;
use crate::source::StaticFile;

/// The bundles of a build: the path of each bundle's Markdown relative to `content/`
/// (`articles/mon-billet/index.md`), and the folder of its page inside the output
/// (`articles/autre-slug`), `None` when the page is not published.
pub type Bundles = BTreeMap<PathBuf, Option<PathBuf>>;

/// The bundles whose Markdown files are `indexes` (relative to `content/`), each with the
/// folder of its post's or page's page when the site publishes it.
pub fn of_site(site: &Site, indexes: &[PathBuf]) -> Bundles {
    if indexes.is_empty() {
        return Bundles::new();
    }
    let posts = (site.posts.iter()).map(|p| (p.post.rel.as_path(), p.output.as_path()));
    let standalone = (site.pages.iter()).map(|p| (p.page.rel.as_path(), p.output.as_path()));
    let pages: HashMap<&Path, &Path> = (posts.chain(standalone))
        .filter_map(|(rel, output)| Some((rel, output.parent()?)))
        .collect();
    (indexes.iter())
        .map(|rel| {
            let folder = pages.get(rel.as_path()).map(|f| f.to_path_buf());
            (rel.clone(), folder)
        })
        .collect()
}

/// The files to write: `statics` (as read, `content/`'s at their own path) with each file of a
/// bundle moved into its page's folder, or left out when the page is not published. `content`
/// is the content folder the reader listed (`<root>/content`). Two files landing on one path
/// are an error naming both.
pub fn place(
    statics: &[StaticFile],
    content: &Path,
    bundles: &Bundles,
    diagnostics: &mut Diagnostics,
) -> Vec<StaticFile> {
    let mut placed: Vec<StaticFile> = Vec::with_capacity(statics.len());
    for s in statics {
        let in_content = s.source.file().and_then(|f| f.strip_prefix(content).ok());
        let dest = match in_content {
            Some(rel) => match destination(rel, bundles) {
                Some(dest) => dest,
                None => continue,
            },
            None => s.dest.clone(),
        };
        placed.push(StaticFile {
            source: s.source.clone(),
            dest,
        });
    }
    placed.sort_by(|a, b| a.dest.cmp(&b.dest));
    let root = content.parent().unwrap_or(content);
    placed.dedup_by(|later, first| {
        let same = later.dest == first.dest;
        if same {
            diagnostics.push(twice(first, later, root));
        }
        same
    });
    placed
}

/// Where the file `rel` of `content/` is written: beside its bundle's page, nowhere when that
/// page is not published, and at its own path when it is in no bundle. The nearest bundle
/// above it holds it.
fn destination(rel: &Path, bundles: &Bundles) -> Option<PathBuf> {
    for folder in rel.ancestors().skip(1) {
        if let Some(page) = bundles.get(&folder.join(BUNDLE_INDEX)) {
            let inside = rel.strip_prefix(folder).unwrap_or(rel);
            return page.as_ref().map(|page| page.join(inside));
        }
    }
    Some(rel.to_path_buf())
}

/// The error for two files written to one path (a bundle's file and another static file),
/// at the one in `content/` when there is one.
fn twice(first: &StaticFile, later: &StaticFile, root: &Path) -> Diagnostic {
    let shown = |s: &StaticFile| s.source.shown(root);
    let (a, b) = (shown(first), shown(later));
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let at = if b.starts_with(CONTENT_DIR) { &b } else { &a };
    Diagnostic::error(
        Some(Location::file(at)),
        format!(
            "{} and {} would both be published at {}: rename one of them",
            display_path(&a),
            display_path(&b),
            display_path(&first.dest)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::StaticSource;

    fn file(source: &str, dest: &str) -> StaticFile {
        StaticFile {
            source: StaticSource::File(PathBuf::from(source)),
            dest: PathBuf::from(dest),
        }
    }

    fn bundles() -> Bundles {
        [
            ("articles/billet/index.md", Some("articles/autre-slug")),
            ("articles/brouillon/index.md", None),
            ("pages/index.md", Some("pages")),
        ]
        .into_iter()
        .map(|(k, v)| (PathBuf::from(k), v.map(PathBuf::from)))
        .collect()
    }

    #[test]
    fn a_bundles_files_follow_its_page_and_a_drafts_are_left_out() {
        let statics = [
            file(
                "/s/content/articles/billet/ticket.jpg",
                "articles/billet/ticket.jpg",
            ),
            file(
                "/s/content/articles/billet/img/a.png",
                "articles/billet/img/a.png",
            ),
            file(
                "/s/content/articles/brouillon/secret.jpg",
                "articles/brouillon/secret.jpg",
            ),
            file("/s/content/articles/images/x.png", "articles/images/x.png"),
            file("/s/content/pages/plan.pdf", "pages/plan.pdf"),
            file(
                "/s/static/articles/billet/logo.png",
                "articles/billet/logo.png",
            ),
        ];
        let mut d = Diagnostics::new();
        let placed = place(&statics, Path::new("/s/content"), &bundles(), &mut d);
        assert!(d.is_empty(), "{d}");
        let dests: Vec<&Path> = placed.iter().map(|s| s.dest.as_path()).collect();
        assert_eq!(
            dests,
            [
                "articles/autre-slug/img/a.png",
                "articles/autre-slug/ticket.jpg",
                "articles/billet/logo.png",
                "articles/images/x.png",
                "pages/plan.pdf",
            ]
            .map(Path::new)
        );
    }

    #[test]
    fn two_files_on_one_path_are_an_error_naming_both() {
        let statics = [
            file("/s/content/articles/billet/x.png", "articles/billet/x.png"),
            file(
                "/s/content/articles/autre-slug/x.png",
                "articles/autre-slug/x.png",
            ),
        ];
        let mut d = Diagnostics::new();
        let placed = place(&statics, Path::new("/s/content"), &bundles(), &mut d);
        assert_eq!(placed.len(), 1);
        assert_eq!(
            d.0[0].headline(),
            "content/articles/billet/x.png:1:1: content/articles/autre-slug/x.png and content/articles/billet/x.png would both be published at articles/autre-slug/x.png: rename one of them"
        );
    }
}
