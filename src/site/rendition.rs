//! Markdown renditions: each post's body and summary as HTML, with what else is read from them
//! (description, words, table of contents, broken links), rendered in parallel — and kept
//! between the rebuilds of `chronique serve` ([`AssemblyMemo`]) when nothing they depend on
//! changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::links::Targets;
use super::publish::Placed;
use super::related;
use super::shortcodes::{self, ShortcodePage, Shortcodes, Used};
use crate::content::{Body, Breakdown, Kind, Post};
use crate::markdown;

/// How internal links are answered: `breves/x.md` → its URL, or none.
pub type Resolve<'a> = dyn Fn(&str) -> Option<String> + Sync + 'a;

/// How a post's images are answered: the post's URL and an image's `src` as written → what
/// the site knows of it.
pub type Measure<'a> = dyn Fn(&str, &str) -> markdown::Picture + Sync + 'a;

/// What assembling keeps between the rebuilds of `chronique serve`: each post's Markdown as
/// rendered, and the related posts of every post.
///
/// A post's HTML is a function of its body and summary, the rendering options, and the answers
/// to the internal links it asked for (`@/breves/x.md` → its URL, or none) and to the images it
/// asked about (`photo.jpg` → its size, or nothing known). An entry is reused only when all of
/// these are the same, so it is exactly what rendering again would give. The
/// related posts are kept with a hash of everything they are computed from (dates, terms,
/// series, the limit).
#[derive(Default)]
pub struct AssemblyMemo {
    options: Option<markdown::Options>,
    posts: HashMap<PathBuf, Arc<Rendition>>,
    related: related::Memo,
    /// The link targets of the last assembly, for [`super::Site::patch`].
    targets: Option<Targets>,
}

impl AssemblyMemo {
    /// The related posts' part, for [`related::assign`].
    pub(super) fn related(&mut self) -> &mut related::Memo {
        &mut self.related
    }

    /// Keeps the link targets of the site just assembled.
    pub(super) fn keep_targets(&mut self, targets: Targets) {
        self.targets = Some(targets);
    }

    pub(super) fn targets(&self) -> Option<&Targets> {
        self.targets.as_ref()
    }

    /// The Markdown options the renditions were made with.
    pub(super) fn options(&self) -> Option<markdown::Options> {
        self.options
    }

    /// The rendition of the post at `path`, as last assembled.
    pub(super) fn rendition(&self, path: &Path) -> Option<&Rendition> {
        self.posts.get(path).map(|r| &**r)
    }

    /// Remembers `r` as the rendition of the post at `path`.
    pub(super) fn keep_rendition(&mut self, path: &Path, r: Arc<Rendition>) {
        self.posts.insert(path.to_path_buf(), r);
    }
}

/// One post's Markdown, rendered, with what it depended on.
pub struct Rendition {
    body: Body,
    summary: Option<String>,
    /// A hash of the breakdown of an irritant, whose texts are counted and searched, and whose
    /// context makes the summary when the post gives none (a hash, not a copy: a one-shot build
    /// keeps every rendition until it renders).
    breakdown: Option<u64>,
    /// Every internal link looked up while rendering, with the answer.
    asked: Vec<(String, Option<String>)>,
    /// Every image asked about while rendering, by `src` as written, with the answer.
    pictured: Vec<(String, markdown::Picture)>,
    /// The shortcodes expanded, with their digests.
    pub shortcodes: Used,
    /// Shortcodes of the body that could not be read or expanded.
    pub shortcode_errors: Vec<markdown::shortcode::ShortcodeError>,
    /// Those of the summary (the `summary` key).
    pub summary_shortcode_errors: Vec<markdown::shortcode::ShortcodeError>,
    pub html: Arc<str>,
    pub summary_html: Arc<str>,
    pub description: Arc<str>,
    pub words: Arc<str>,
    pub word_count: usize,
    pub toc: Arc<[markdown::Heading]>,
    /// Internal links of the body to no post on the site.
    pub broken: Vec<markdown::BrokenLink>,
    /// Internal links of the summary (the `summary` key) to no post on the site.
    pub summary_broken: Vec<markdown::BrokenLink>,
    /// Images of the body that are not images chronique can read.
    pub bad_images: Vec<markdown::BadImage>,
    /// Images of the body with an empty `alt` not marked decorative (byte offsets).
    pub unlabelled: Vec<usize>,
}

impl Rendition {
    pub fn new(
        post: &Post,
        url: &str,
        options: &markdown::Options,
        resolve: &Resolve<'_>,
        measure: &Measure<'_>,
        shortcodes: &dyn Shortcodes,
    ) -> Self {
        let (asked, pictured) = (Mutex::new(Vec::new()), Mutex::new(Vec::new()));
        let ask = recording(&asked, resolve);
        let look = recording(&pictured, |src: &str| measure(url, src));
        let used = Mutex::new(Used::default());
        let page = ShortcodePage {
            path: &post.path,
            url,
            measure: &look,
        };
        let expanding = (shortcodes, &used);
        let breakdown = post
            .breakdown
            .as_ref()
            .filter(|_| post.kind == Kind::Irritant);
        // A breakdown's body sits under the page's « Réparer, éviter, bien faire » (an h2):
        // its own headings go one level down.
        let body_options = markdown::Options {
            heading_shift: u8::from(breakdown.is_some()),
            ..*options
        };
        let r = shortcodes::render(&post.body, &body_options, &ask, &page, expanding);
        let teaser = post
            .summary
            .clone()
            .or_else(|| breakdown.and_then(teaser_of));
        let summary =
            (teaser.as_deref()).map(|s| shortcodes::render(s, options, &ask, &page, expanding));
        let mut words = crate::words::Distinct::new();
        words.add(&r.text);
        for text in breakdown.iter().flat_map(|b| texts_of(b)) {
            words.add(text);
        }
        let word_count = words.tokens();
        let (summary_html, summary_broken, summary_shortcode_errors) = match summary {
            Some(s) => (s.html, s.broken_links, s.shortcode_errors),
            None => (r.summary, Vec::new(), Vec::new()),
        };
        Rendition {
            body: post.body.clone(),
            summary: post.summary.clone(),
            breakdown: breakdown.map(hash_of),
            asked: taken(&asked),
            pictured: taken(&pictured),
            shortcodes: used.into_inner().unwrap_or_default(),
            shortcode_errors: r.shortcode_errors,
            summary_shortcode_errors,
            bad_images: r.bad_images,
            unlabelled: r.unlabelled,
            description: markdown::plain_text(&summary_html).into(),
            summary_html: summary_html.into(),
            html: r.html.into(),
            words: words.finish().into(),
            word_count,
            toc: r.toc.into(),
            broken: r.broken_links,
            summary_broken,
        }
    }

    /// Whether this is what rendering `post` now would give.
    fn holds_for(
        &self,
        post: &Post,
        url: &str,
        resolve: &Resolve<'_>,
        measure: &Measure<'_>,
        shortcodes: &dyn Shortcodes,
    ) -> bool {
        (self.body.same(&post.body) || *self.body == *post.body)
            && self.summary == post.summary
            && self.breakdown
                == (post.breakdown.as_ref())
                    .filter(|_| post.kind == Kind::Irritant)
                    .map(hash_of)
            && self
                .asked
                .iter()
                .all(|(path, answer)| resolve(path) == *answer)
            && (self.pictured.iter()).all(|(src, answer)| measure(url, src) == *answer)
            && self.shortcodes.holds_for(shortcodes)
    }
}

/// What `log` holds, taken out (the closures recording into it may still hold it).
fn taken<T: Default>(log: &Mutex<T>) -> T {
    std::mem::take(&mut *log.lock().unwrap_or_else(|e| e.into_inner()))
}

/// `answer`, noting each question with its answer in `log` (what the memo checks again).
fn recording<'a, A: Clone>(
    log: &'a Mutex<Vec<(String, A)>>,
    answer: impl Fn(&str) -> A + 'a,
) -> impl Fn(&str) -> A + 'a {
    move |question: &str| {
        let a = answer(question);
        if let Ok(mut log) = log.lock() {
            log.push((question.to_string(), a.clone()));
        }
        a
    }
}

/// A breakdown's teaser, when its post gives no `summary`: what the breakdown is about — its
/// context, then its first step — rather than the body's first paragraph, which is usually the
/// good practice it ends with.
fn teaser_of(b: &Breakdown) -> Option<String> {
    let context = b.context.as_deref()?;
    Some(match b.steps.first() {
        Some(step) => format!("{context}\n\n{step}"),
        None => context.to_string(),
    })
}

/// A breakdown's hash, standing for it in the memo.
fn hash_of(b: &Breakdown) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(b, &mut h);
    std::hash::Hasher::finish(&h)
}

/// The prose of a breakdown outside its body: context, steps, findings, basics.
fn texts_of(b: &Breakdown) -> impl Iterator<Item = &str> {
    let findings = (b.findings.iter()).flat_map(|f| [f.title.as_str(), f.detail.as_str()]);
    (b.context.iter().map(String::as_str))
        .chain(b.steps.iter().map(String::as_str))
        .chain(findings)
        .chain(b.basics.iter().map(String::as_str))
}

/// Every post's rendition, same order as `posts`, in parallel: reused from `memo` when it holds
/// (and `memo` then refreshed to hold exactly these posts' renditions), rendered otherwise.
pub fn render_all(
    posts: &[Placed<Post>],
    options: &markdown::Options,
    (resolve, measure): (&Resolve<'_>, &Measure<'_>),
    shortcodes: &dyn Shortcodes,
    memo: Option<&mut AssemblyMemo>,
) -> Vec<Arc<Rendition>> {
    let new = |p: &Placed<Post>| {
        Arc::new(Rendition::new(
            &p.post, &p.url, options, resolve, measure, shortcodes,
        ))
    };
    let Some(memo) = memo else {
        return posts.par_iter().map(new).collect();
    };
    if memo.options != Some(*options) {
        memo.posts.clear();
        memo.options = Some(*options);
    }
    let rendered: Vec<Arc<Rendition>> = posts
        .par_iter()
        .map(|p| match memo.posts.get(&p.post.path) {
            Some(r) if r.holds_for(&p.post, &p.url, resolve, measure, shortcodes) => Arc::clone(r),
            _ => new(p),
        })
        .collect();
    remember(memo, posts, &rendered);
    rendered
}

/// Makes `memo` hold the renditions of `posts` and no others, replacing only the ones that
/// changed.
fn remember(memo: &mut AssemblyMemo, posts: &[Placed<Post>], rendered: &[Arc<Rendition>]) {
    let present: HashMap<&Path, &Arc<Rendition>> = posts
        .iter()
        .zip(rendered)
        .map(|(p, r)| (p.post.path.as_path(), r))
        .collect();
    memo.posts
        .retain(|path, _| present.contains_key(path.as_path()));
    for (path, r) in present {
        match memo.posts.get_mut(path) {
            Some(known) => {
                if !Arc::ptr_eq(known, r) {
                    *known = Arc::clone(r);
                }
            }
            None => {
                memo.posts.insert(path.to_path_buf(), Arc::clone(r));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::markdown_options;
    use crate::site::shortcodes::NoShortcodes;
    use crate::site::testing::{config, post_with_body};

    fn placed(rel: &str, body: &str) -> Placed<Post> {
        Placed {
            post: post_with_body(rel, "date: 2020-01-01", body),
            preview: false,
            url: String::new(),
            output: PathBuf::new(),
        }
    }

    fn unknown(_: &str, _: &str) -> markdown::Picture {
        markdown::Picture::Unknown
    }

    fn resolve_la(path: &str) -> Option<String> {
        (path == "la.md").then(|| "/la/".to_string())
    }

    #[test]
    fn a_rendition_has_html_summary_words_and_broken_links() {
        let posts = [placed(
            "x.md",
            "Un [lien](@/la.md) et [un autre](@/absent.md).\n\n## Titre\n\nSuite.\n",
        )];
        let options = markdown_options(&config(""));
        let r = &render_all(
            &posts,
            &options,
            (&resolve_la, &unknown),
            &NoShortcodes,
            None,
        )[0];
        assert!(r.html.contains("href=\"/la/\""), "{}", r.html);
        assert!(r.summary_html.starts_with("<p>Un "), "{}", r.summary_html);
        assert!(
            r.description.starts_with("Un lien et un autre"),
            "{}",
            r.description
        );
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.word_count, 7);
        assert_eq!(r.broken.len(), 1);
        assert_eq!(r.broken[0].target, "absent.md");
        assert!(r.summary_broken.is_empty());
    }

    #[test]
    fn the_memo_reuses_a_rendition_only_while_its_inputs_hold() {
        let options = markdown_options(&config(""));
        let mut memo = AssemblyMemo::default();
        let first = [placed("a.md", "[Lien](@/la.md)"), placed("b.md", "B.")];
        let r1 = render_all(
            &first,
            &options,
            (&resolve_la, &unknown),
            &NoShortcodes,
            Some(&mut memo),
        );
        // Same posts, same answers: the very same renditions.
        let r2 = render_all(
            &first,
            &options,
            (&resolve_la, &unknown),
            &NoShortcodes,
            Some(&mut memo),
        );
        assert!(Arc::ptr_eq(&r1[0], &r2[0]) && Arc::ptr_eq(&r1[1], &r2[1]));
        // The link's target moved: a.md is rendered again, b.md is not.
        let moved = |path: &str| (path == "la.md").then(|| "/ailleurs/".to_string());
        let r3 = render_all(
            &first,
            &options,
            (&moved, &unknown),
            &NoShortcodes,
            Some(&mut memo),
        );
        assert!(!Arc::ptr_eq(&r2[0], &r3[0]) && Arc::ptr_eq(&r2[1], &r3[1]));
        assert!(r3[0].html.contains("/ailleurs/"));
        // b.md's body changed: rendered again. a.md gone: forgotten.
        let second = [placed("b.md", "Autre.")];
        let r4 = render_all(
            &second,
            &options,
            (&moved, &unknown),
            &NoShortcodes,
            Some(&mut memo),
        );
        assert!(!Arc::ptr_eq(&r3[1], &r4[0]));
        assert_eq!(memo.posts.len(), 1);
        // Other options: nothing is reused.
        let plain = markdown::Options {
            typography: !options.typography,
            ..options
        };
        let r5 = render_all(
            &second,
            &plain,
            (&moved, &unknown),
            &NoShortcodes,
            Some(&mut memo),
        );
        assert!(!Arc::ptr_eq(&r4[0], &r5[0]));
    }
}
