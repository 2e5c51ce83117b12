//! Publication and URLs: which posts are published, scheduled, previewed or drafts, in what
//! order the site lists them, and where each one goes.
//!
//! These are the first decisions of assembling and the only ones the rest depends on for
//! *where* things are, so they are kept apart from rendering: [`place`] makes them alone, for
//! readers such as the editorial calendar of `chronique serve` that want the URLs and series of
//! the posts without paying for their Markdown. The build makes the same decisions with the same
//! functions, on owned posts ([`sort_out`], then [`give_urls`]).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::path::PathBuf;

use super::model::BuildSettings;
use super::series::{self, Series};
use crate::config::Config;
use crate::content::{Post, SeriesFile, link_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::layout::SERIES_PATH;
use crate::slug::slugify;

/// What becomes of a post in a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Dated "now" or before and not a draft: on the site.
    Published,
    /// A draft or a post dated after "now", on the site only because of `--drafts`.
    Preview,
    /// Dated after "now" and not a draft: not on the site, but announced in its series.
    Scheduled,
    /// A draft: not on the site, and not announced.
    Draft,
}

impl Status {
    /// Whether the post has a page in this build.
    pub fn is_on_site(self) -> bool {
        matches!(self, Status::Published | Status::Preview)
    }
}

/// What becomes of `post` in a build with `settings`.
pub fn status(settings: &BuildSettings, post: &Post) -> Status {
    let scheduled = post.date.instant > settings.now;
    match (post.draft || scheduled, settings.drafts) {
        (false, _) => Status::Published,
        (true, true) => Status::Preview,
        (true, false) if post.draft => Status::Draft,
        (true, false) => Status::Scheduled,
    }
}

/// The posts sorted out by [`sort_out`]: only it makes one, so whatever takes one knows the
/// posts are in site order.
pub struct Publication<P> {
    /// The posts on the site (previews included) with whether each is a preview, newest first,
    /// ties broken by source path.
    pub(super) posts: Vec<(P, bool)>,
    /// The scheduled posts not on the site, by source path (their series announce them).
    pub(super) scheduled: Vec<P>,
    /// Why each post not on the site is not (by [`link_key`]): for messages about links to it.
    pub(super) unpublished: HashMap<String, String>,
}

/// Sorts the posts out: which are on the site and in what order, which are scheduled, and why
/// the others are not published.
pub fn sort_out<P: Borrow<Post>>(settings: &BuildSettings, posts: Vec<P>) -> Publication<P> {
    let mut unpublished: HashMap<String, String> = HashMap::new();
    let mut on_site: Vec<(P, bool)> = Vec::with_capacity(posts.len());
    let mut scheduled: Vec<P> = Vec::new();
    for p in posts {
        let post = p.borrow();
        match status(settings, post) {
            Status::Published => on_site.push((p, false)),
            Status::Preview => on_site.push((p, true)),
            Status::Draft => {
                unpublished.insert(link_key(&post.rel), "a draft".to_string());
            }
            Status::Scheduled => {
                let why = format!("scheduled for {}", post.date.datetime);
                unpublished.insert(link_key(&post.rel), why);
                scheduled.push(p);
            }
        }
    }
    // Sorted by index, then put in that order in place: a post is large, and moving 10 000 of
    // them around (a sort's moves, or a second array of them) is slower than sorting numbers
    // and swapping each post about once.
    let mut order: Vec<usize> = (0..on_site.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (on_site[i].0.borrow(), on_site[j].0.borrow());
        b.date
            .instant
            .cmp(&a.date.instant)
            .then_with(|| a.path.cmp(&b.path))
    });
    permute(&mut on_site, order);
    let posts = on_site;
    scheduled.sort_by(|a, b| a.borrow().path.cmp(&b.borrow().path));
    Publication {
        posts,
        scheduled,
        unpublished,
    }
}

/// Puts `items` in `order` in place: `items[k]` becomes what was at `order[k]` (`order` a
/// permutation of the indexes), each cycle of the permutation followed once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut to = start;
        while order[to] != DONE {
            let from = std::mem::replace(&mut order[to], DONE);
            if from == start {
                break;
            }
            items.swap(to, from);
            to = from;
        }
    }
}

/// A post on the site with its address.
#[derive(Debug, Clone)]
pub struct Placed<P> {
    pub post: P,
    /// Shown only because of `--drafts`.
    pub preview: bool,
    /// Root-relative URL: `/breves/punition/`.
    pub url: String,
    /// The file it is written to, inside the output folder.
    pub output: PathBuf,
}

/// Gives each post on the site its URL (under `base`, the site's root path). Two posts claiming
/// the same URL are an error, and the later one in site order is left out.
pub fn give_urls<P: Borrow<Post>>(
    base: &str,
    posts: Vec<(P, bool)>,
    diagnostics: &mut Diagnostics,
) -> Vec<Placed<P>> {
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut placed: Vec<Placed<P>> = Vec::with_capacity(posts.len());
    for (p, preview) in posts {
        let post = p.borrow();
        let rel_dir = match &post.section {
            Some(section) => format!("{}/{}/", slugify(section), post.slug),
            None => format!("{}/", post.slug),
        };
        let url = format!("{base}{rel_dir}");
        if let Some(&first) = by_url.get(&url) {
            let other = placed[first].post.borrow();
            let (a, b) = (display_path(&other.path), display_path(&post.path));
            let mut d = Diagnostic::error(
                Some(Location::file(&post.path)),
                format!("two posts have the same URL {url}: {a} and {b}"),
            );
            if let Some(note) = crate::diagnostics::lookalike_note(&a, &b) {
                d = d.with_note(note);
            }
            diagnostics.push(d.with_note("rename one of the files, or give it another `slug`"));
            continue;
        }
        by_url.insert(url.clone(), placed.len());
        placed.push(Placed {
            output: PathBuf::from(format!("{rel_dir}index.html")),
            url,
            preview,
            post: p,
        });
    }
    placed
}

/// Where the posts go, decided without rendering anything: see [`place`].
pub struct Placement<'a> {
    /// The posts on the site (previews included) in site order — newest first, ties broken by
    /// source path — each with its URL. Of two posts claiming the same URL, only the first is
    /// here (the other is an error in `diagnostics`).
    pub posts: Vec<Placed<&'a Post>>,
    /// Posts not on the site because they are dated after "now", by source path.
    pub scheduled: Vec<&'a Post>,
    /// How many posts are not on the site (drafts and scheduled posts).
    pub unpublished: usize,
    /// Posts claiming the same URL.
    pub diagnostics: Diagnostics,
    /// "Now", for the series' overdue parts.
    pub now: jiff::Timestamp,
}

/// Publication and URLs alone: which of `posts` a build with `settings` publishes (and in what
/// order), which it previews, which are scheduled, and the URL of each post on the site — the
/// same decisions as [`super::Site::assemble`], made without parsing Markdown, highlighting
/// code or checking anything else, so that it is cheap enough to run on every request of
/// `chronique serve`.
///
/// What becomes of one post is also [`status`]`(settings, post)`; with `settings.drafts`, every
/// post is on the site and so has a URL. [`Placement::series`] adds the series.
pub fn place<'a>(config: &Config, settings: &BuildSettings, posts: &'a [Post]) -> Placement<'a> {
    let publication = sort_out(settings, posts.iter().collect());
    let mut diagnostics = Diagnostics::new();
    let posts = give_urls(&config.base_path, publication.posts, &mut diagnostics);
    Placement {
        posts,
        scheduled: publication.scheduled,
        unpublished: publication.unpublished.len(),
        diagnostics,
        now: settings.now,
    }
}

impl Placement<'_> {
    /// The URL of the post at `rel` (`breves/x.md`, relative to `content/`), if it is on the site.
    pub fn url(&self, rel: &std::path::Path) -> Option<&str> {
        self.posts
            .iter()
            .find(|p| p.post.rel == rel)
            .map(|p| p.url.as_str())
    }

    /// The series, as [`super::Site::series`] has them (titles typeset, a part's `post` an
    /// index into [`Placement::posts`]), with the problems of their numbering. Their
    /// descriptions are left as Markdown.
    pub fn series(&self, config: &Config, files: Vec<SeriesFile>) -> (Vec<Series>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let posts: Vec<&Post> = self.posts.iter().map(|p| p.post).collect();
        let root = format!("{}{SERIES_PATH}/", config.base_path);
        let mut all = series::assemble(
            files,
            &posts,
            &self.scheduled,
            &root,
            self.now,
            &mut diagnostics,
        );
        series::typeset(&mut all, &super::model::markdown_options(config));
        (all, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{config, post};

    fn settings(drafts: bool) -> BuildSettings {
        BuildSettings {
            drafts,
            now: "2024-06-01T00:00:00Z".parse().unwrap(),
        }
    }

    /// Every permutation of up to 6 items, and a long pseudo-random one: what indexing by the
    /// order would give.
    #[test]
    fn permute_puts_items_in_the_order_given() {
        fn check(order: Vec<usize>) {
            let items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            let mut permuted = items;
            permute(&mut permuted, order.clone());
            assert_eq!(permuted, expected, "order {order:?}");
        }
        fn all(prefix: Vec<usize>, n: usize) {
            if prefix.len() == n {
                return check(prefix);
            }
            for i in (0..n).filter(|i| !prefix.contains(i)) {
                let mut next = prefix.clone();
                next.push(i);
                all(next, n);
            }
        }
        for n in 0..=6 {
            all(Vec::new(), n);
        }
        let n = 10_007;
        check((0..n).map(|i| (i * 7_919 + 13) % n).collect());
    }

    fn posts() -> Vec<Post> {
        vec![
            post("breves/old.md", "date: 2020-01-01"),
            post("breves/b.md", "date: 2023-05-05"),
            post("breves/a.md", "date: 2023-05-05"),
            post("breves/draft.md", "date: 2021-01-01\ndraft: true"),
            post("breves/later.md", "date: 2030-01-01"),
            post("contes/later.md", "date: 2029-01-01"),
        ]
    }

    fn rels<P: Borrow<Post>>(posts: impl IntoIterator<Item = P>) -> Vec<String> {
        posts
            .into_iter()
            .map(|p| link_key(&p.borrow().rel))
            .collect()
    }

    #[test]
    fn status_follows_draft_date_and_previews() {
        let p = posts();
        let of = |drafts: bool| -> Vec<Status> {
            p.iter().map(|x| status(&settings(drafts), x)).collect()
        };
        use Status::*;
        assert_eq!(
            of(false),
            [Published, Published, Published, Draft, Scheduled, Scheduled]
        );
        assert_eq!(
            of(true),
            [Published, Published, Published, Preview, Preview, Preview]
        );
        // A post dated exactly "now" is published.
        let now = post("x.md", "date: 2024-06-01");
        assert_eq!(status(&settings(false), &now), Published);
    }

    #[test]
    fn published_posts_are_newest_first_with_ties_by_path() {
        let p = sort_out(&settings(false), posts());
        let order: Vec<(String, bool)> = p
            .posts
            .iter()
            .map(|(x, preview)| (link_key(&x.rel), *preview))
            .collect();
        assert_eq!(
            order,
            [
                ("breves/a.md".to_string(), false),
                ("breves/b.md".to_string(), false),
                ("breves/old.md".to_string(), false),
            ]
        );
        assert_eq!(rels(&p.scheduled), ["breves/later.md", "contes/later.md"]);
        assert_eq!(p.unpublished.len(), 3);
        assert_eq!(p.unpublished["breves/draft.md"], "a draft");
        assert_eq!(p.unpublished["contes/later.md"], "scheduled for 2029-01-01");
    }

    #[test]
    fn drafts_setting_previews_every_post_in_order() {
        let p = sort_out(&settings(true), posts());
        let order: Vec<(String, bool)> = p
            .posts
            .iter()
            .map(|(x, preview)| (link_key(&x.rel), *preview))
            .collect();
        assert_eq!(order[0], ("breves/later.md".to_string(), true));
        assert_eq!(order[1], ("contes/later.md".to_string(), true));
        assert_eq!(order[2], ("breves/a.md".to_string(), false));
        assert_eq!(order[5], ("breves/old.md".to_string(), false));
        assert_eq!(order[4], ("breves/draft.md".to_string(), true));
        assert!(p.scheduled.is_empty() && p.unpublished.is_empty());
    }

    #[test]
    fn urls_follow_section_and_slug_under_the_base() {
        let posts = vec![
            (
                post("Brèves Vives/x.md", "date: 2020-01-01\nslug: autre"),
                false,
            ),
            (post("racine.md", "date: 2020-01-01"), true),
        ];
        let mut d = Diagnostics::new();
        let placed = give_urls("/chronique/", posts, &mut d);
        assert!(d.is_empty());
        assert_eq!(placed[0].url, "/chronique/breves-vives/autre/");
        assert_eq!(
            placed[0].output,
            PathBuf::from("breves-vives/autre/index.html")
        );
        assert_eq!(placed[1].url, "/chronique/racine/");
        assert_eq!(placed[1].output, PathBuf::from("racine/index.html"));
        assert!(placed[1].preview && !placed[0].preview);
    }

    #[test]
    fn a_second_post_on_the_same_url_is_an_error_and_left_out() {
        let posts = vec![
            (post("breves/x.md", "date: 2021-01-01"), false),
            (post("breves/y.md", "date: 2020-01-01\nslug: x"), false),
            (post("breves/z.md", "date: 2019-01-01"), false),
        ];
        let mut d = Diagnostics::new();
        let placed = give_urls("/", posts, &mut d);
        assert_eq!(
            rels(placed.iter().map(|p| &p.post)),
            ["breves/x.md", "breves/z.md"]
        );
        let errors: Vec<String> = d.errors().map(Diagnostic::headline).collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("content/breves/y.md")
                && errors[0].contains(
                    "two posts have the same URL /breves/x/: content/breves/x.md and content/breves/y.md"
                ),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn place_gives_urls_without_rendering() {
        let posts = posts();
        let c = config("");
        let p = place(&c, &settings(false), &posts);
        assert_eq!(
            rels(p.posts.iter().map(|x| x.post)),
            ["breves/a.md", "breves/b.md", "breves/old.md"]
        );
        assert_eq!(
            p.url(std::path::Path::new("breves/b.md")),
            Some("/breves/b/")
        );
        assert_eq!(p.url(std::path::Path::new("breves/draft.md")), None);
        assert_eq!(p.unpublished, 3);
        let all = place(&c, &settings(true), &posts);
        assert_eq!(
            all.url(std::path::Path::new("breves/draft.md")),
            Some("/breves/draft/")
        );
        assert_eq!(all.posts.len(), 6);
    }

    #[test]
    fn place_gives_the_series_with_announced_parts() {
        let posts = vec![
            post(
                "contes/un.md",
                "date: 2020-01-01\nseries: Le guichet\npart: 1",
            ),
            post(
                "contes/deux.md",
                "date: 2030-01-01\nseries: Le guichet\npart: 2",
            ),
            post(
                "contes/trois.md",
                "date: 2020-02-01\nseries: Le guichet\npart: 3\ndraft: true",
            ),
        ];
        let c = config("");
        let p = place(&c, &settings(false), &posts);
        let (series, d) = p.series(&c, Vec::new());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].url, "/series/le-guichet/");
        let parts: Vec<(u32, Option<usize>)> =
            series[0].parts.iter().map(|x| (x.number, x.post)).collect();
        // The draft is not announced; the scheduled part is, without a page.
        assert_eq!(parts, [(1, Some(0)), (2, None)]);
    }
}
