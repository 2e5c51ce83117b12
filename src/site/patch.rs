//! Patching the kept site of `chronique serve` when an edit leaves its structure as it was: a
//! saved post whose front matter is the same, byte for byte, gets its new body rendered and put
//! in place, without assembling the other 9 999 posts again.
//!
//! Why that is exact: everything that places, orders, groups or relates posts (publication,
//! URLs, series, terms, authors, related posts, sections, menus) is read from front matters, the
//! site's settings and "now"; a body only makes its own post's HTML, summary, words and table of
//! contents ([`Rendition`]). So when the front matters are the same, the settings are, and no
//! date a scheduled post or an announced part waits for has come, assembling again would give
//! the same site but for the renditions of the edited posts — which are what the patch redoes,
//! with the same link targets and image sizes ([`super::Site::patch`]). Anything else (a new or
//! deleted post, a changed title or date, a post that is not on the site, an error in the new
//! body) is not patched: the build assembles the whole site again, as it always did.

use std::sync::Arc;

use super::images::{self, Images};
use super::links::{self, Targets};
use super::model::SitePost;
use super::rendition::{AssemblyMemo, Rendition};
use super::series::Series;
use super::shortcodes::{self, Shortcodes};
use crate::content::Post;
use crate::diagnostics::Diagnostics;
use crate::markdown;
use crate::source::SourceFile;

/// What [`super::Site::patch`] changed.
#[derive(Debug, Default)]
pub struct Patch {
    /// The posts patched, as indexes into [`Site::posts`].
    pub posts: Vec<usize>,
    /// The problems their Markdown had before the patch (to take out of the last build's)…
    pub before: Diagnostics,
    /// …and has now (warnings only: a patch with an error is not made).
    pub after: Diagnostics,
}

/// Whether assembling at `now` would publish and announce what it did at `then` (the site's
/// "now"): no earlier, and before the first date a scheduled post (`next`), a preview or an
/// announced part waits for. (A site without a post out takes its copyright year from "now":
/// never.)
pub(super) fn same_at(
    (now, then): (jiff::Timestamp, jiff::Timestamp),
    posts: &[SitePost],
    next: Option<jiff::Timestamp>,
    series: &[Series],
) -> bool {
    let waiting = posts.iter().filter(|p| p.preview && !p.post.draft);
    let announced = series.iter().flat_map(|s| {
        (s.parts.iter())
            .filter(|p| p.post.is_none() && !p.overdue)
            .map(|p| p.date.instant)
    });
    let first = (waiting.map(|p| p.post.date.instant))
        .chain(next)
        .chain(announced)
        .min();
    now >= then && first.is_none_or(|first| now < first) && posts.iter().any(|p| !p.preview)
}

/// Puts the new bodies of `files` (posts among `posts`, each with the same front matter as when
/// they were assembled) into `posts`, rendered with `options`, the site's `images` and
/// shortcodes; `memo` is the one the posts were assembled with. `None`, with `posts` and `memo`
/// untouched, when a file is not such a post or its new Markdown has an error.
pub(super) fn rebody(
    posts: &mut [SitePost],
    files: &[&SourceFile],
    (options, images): (&markdown::Options, &Images),
    shortcodes: &dyn Shortcodes,
    memo: &mut AssemblyMemo,
) -> Option<Patch> {
    let targets = memo.targets()?;
    if files.is_empty() || memo.options() != Some(*options) {
        return None;
    }
    let resolve = |path: &str| targets.resolve(path);
    let measure = |url: &str, src: &str| images.from_page(url, src);
    let mut patch = Patch::default();
    let mut made = Vec::with_capacity(files.len());
    for file in files {
        let i = posts.iter().position(|p| p.post.path == file.path)?;
        let old = &posts[i];
        let post = old.post.with_body_of(file)?;
        let rendition = Rendition::new(&post, &old.url, options, &resolve, &measure, shortcodes);
        report(
            &old.post,
            memo.rendition(&old.post.path)?,
            targets,
            &mut patch.before,
        );
        report(&post, &rendition, targets, &mut patch.after);
        if patch.after.has_errors() || patch.posts.contains(&i) {
            return None;
        }
        patch.posts.push(i);
        made.push((i, post, Arc::new(rendition)));
    }
    for (i, post, rendition) in made {
        memo.keep_rendition(&post.path, Arc::clone(&rendition));
        posts[i].rebody(post, &rendition);
    }
    Some(patch)
}

impl SitePost {
    /// This post with a new body and its rendition; where it goes and what it is with is kept.
    fn rebody(&mut self, post: Post, r: &Rendition) {
        self.post = post;
        self.description = Arc::clone(&r.description);
        self.summary_html = Arc::clone(&r.summary_html);
        self.html = Arc::clone(&r.html);
        self.words = Arc::clone(&r.words);
        self.word_count = r.word_count;
        self.toc = Arc::clone(&r.toc);
        self.shortcodes = r.shortcodes.clone();
    }
}

/// The problems of a post's Markdown, as rendered into `r`: broken internal links, images that
/// cannot be read or lack a text alternative, shortcodes in error. (Assembling reports them from
/// here too: the patch takes out exactly what the last build reported.)
pub(super) fn report(post: &Post, r: &Rendition, targets: &Targets, diagnostics: &mut Diagnostics) {
    links::report_broken(post, &r.summary_broken, &r.broken, targets, diagnostics);
    let body = (
        post.path.as_path(),
        &*post.text,
        &*post.body,
        post.body_line,
    );
    images::report(body, &r.bad_images, &r.unlabelled, diagnostics);
    shortcodes::report(body, &r.shortcode_errors, diagnostics);
    shortcodes::report_summary(&post.path, &r.summary_shortcode_errors, diagnostics);
}
