//! Typed views: exactly what templates see, documented in docs/templates.md.
//!
//! Templates never look pages up by themselves; each page gets these values, built from the
//! assembled [`Site`]. They borrow from the site, so building them costs little, and a list page
//! costs in proportion to the posts it shows. What many pages show — a post as a list item, an
//! author, a section, a term's link — is turned into a Tera value once per build and shared.

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use crate::content::{Breakdown, Finding, Image, PostDate};
use crate::language::Language;
use crate::layout::{AUTHORS_PATH, SERIES_PATH, search_path};
use crate::markdown::{self, ImageFacts};
use crate::picture;
use crate::render::i18n;
use crate::site::{
    AuthorPage, FINDING_KINDS, JourneyMap, MenuEntry, Part, Section, Series, Site, SitePost,
    Taxonomy, TaxonomyKind, Term,
};

#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The title and description in the site's typography (`l’expérience`, `irritants\u{a0}:`).
    pub title: String,
    pub description: String,
    pub base_url: &'a str,
    /// `https://chronique.example.fr`: the scheme and host of `base_url`, for the links printed
    /// whole on paper (only the characters a URL has, safe in a CSS string).
    pub origin: String,
    pub root: &'a str,
    pub language: &'static str,
    pub copyright: String,
    pub sections: Vec<SectionView<'a>>,
    /// The pages (`content/a-propos.md`…), by source path.
    pub pages: Vec<PageLink<'a>>,
    pub taxonomies: Vec<TaxonomyLink>,
    pub authors_url: String,
    pub series_url: String,
    pub search_url: String,
    pub feeds: FeedLinks,
    pub generator: &'static str,
    /// The site's own links (site.toml's `[[menu.main]]` and `[[menu.footer]]`), in order.
    pub menus: MenusView<'a>,
}

#[derive(Serialize)]
pub struct MenusView<'a> {
    /// When not empty, the navigation's links after the home page's, instead of the sections.
    pub main: Vec<MenuEntryView<'a>>,
    pub footer: Vec<MenuEntryView<'a>>,
}

#[derive(Serialize)]
pub struct MenuEntryView<'a> {
    pub name: &'a str,
    /// Root-relative on the site, or an outside address.
    pub url: &'a str,
    /// Whether the link leaves the site.
    pub external: bool,
}

#[derive(Serialize)]
pub struct FeedLinks {
    pub atom: String,
    pub rss: String,
    pub json: String,
}

#[derive(Serialize)]
pub struct TaxonomyLink {
    pub name: &'static str,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct SectionView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct DateView {
    pub iso: String,
    pub datetime: String,
    pub display: String,
    pub year: i16,
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct AuthorView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub role: Option<&'a str>,
    /// The avatar's URL as written (resolved), or none.
    pub avatar: Option<String>,
    /// The avatar with its size and variants, for an `<img srcset>`.
    pub avatar_image: Option<ImageView<'a>>,
    pub links: Vec<LinkView<'a>>,
    /// The bio, HTML.
    pub bio: &'a str,
    pub count: usize,
    pub feed: String,
}

/// An image for the theme to show: where it is, its size, and the variants a `<picture>`
/// offers (`sources` in WebP, then `srcset` in its own format, both with `sizes`).
#[derive(Serialize)]
pub struct ImageView<'a> {
    /// What a browser without `srcset` loads: the largest variant in the image's own format.
    pub src: String,
    /// The absolute URL of `src`, for `og:image` and feeds.
    pub permalink: String,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    /// The intrinsic size (EXIF orientation applied) of an image of the site; none for an
    /// address of another site, a missing file or one that is no image.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The variants in the image's own format (`a.480w.jpg 480w, …`); none for an image
    /// published only as it is.
    pub srcset: Option<String>,
    /// The variants in modern formats, each a `<source>`.
    pub sources: Vec<SourceView>,
    /// How wide the theme shows it, for the browser to choose among the variants.
    pub sizes: &'static str,
    /// What paper gets: the largest variant (none without variants).
    pub print: Option<String>,
}

/// A `<source>` of a `<picture>`.
#[derive(Serialize)]
pub struct SourceView {
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub srcset: String,
}

impl<'a> ImageView<'a> {
    /// The view of the image at `src` (as the page writes it) that the site knows as `facts`.
    fn new(src: String, facts: Option<ImageFacts>, alt: &'a str, permalink: String) -> Self {
        let resized = facts.as_ref().filter(|f| !f.widths.is_empty());
        let own = picture::extension(&src);
        let sources = match resized {
            Some(f) if !own.eq_ignore_ascii_case(picture::MODERN) => vec![SourceView {
                mime: "image/webp",
                srcset: picture::srcset(&src, f, picture::MODERN),
            }],
            _ => Vec::new(),
        };
        ImageView {
            srcset: resized.map(|f| picture::srcset(&src, f, own)),
            print: resized.map(|f| picture::print_src(&src, f)),
            sources,
            sizes: picture::LEAD_SIZES,
            width: facts.as_ref().map(|f| f.width),
            height: facts.as_ref().map(|f| f.height),
            src: match resized {
                Some(f) => picture::fallback_src(&src, f),
                None => src,
            },
            permalink,
            alt,
            caption: None,
            credit: None,
        }
    }
}

#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct PartView<'a> {
    pub number: u32,
    pub title: &'a str,
    /// None while the part is announced.
    pub url: Option<&'a str>,
    pub current: bool,
    pub announced: bool,
    pub date: DateView,
    /// "à paraître le 24 décembre 2036" for announced parts, else empty.
    pub announce: String,
    /// Announced for a date now past, and still not published.
    pub overdue: bool,
    pub outline: &'a [String],
    /// The summary of a published part, HTML; empty for announced ones.
    pub summary: &'a str,
}

#[derive(Serialize)]
pub struct PostLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub number: u32,
}

/// Where a post stands in its series.
#[derive(Serialize)]
pub struct SeriesNav<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub part: u32,
    pub total: u32,
    /// "Partie 2 sur 3"
    pub label: String,
    /// "Conte de Noël — partie 2/3"
    pub short: String,
    pub previous: Option<PostLink<'a>>,
    pub next: Option<PostLink<'a>>,
    /// Every part, the current one marked (full posts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<PartView<'a>>>,
    /// The announced parts after this one (full posts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upcoming: Option<Vec<PartView<'a>>>,
}

#[derive(Serialize)]
pub struct StepRef {
    pub number: u32,
    pub url: String,
}

#[derive(Serialize)]
pub struct FindingView<'a> {
    /// The anchor of the finding in its group: `finding-effort-2` (the second effort).
    pub id: String,
    pub kind: &'a str,
    pub kind_label: &'static str,
    pub effort: Option<&'a str>,
    pub effort_url: Option<&'a str>,
    pub title: &'a str,
    pub detail: &'a str,
    /// "Étape 2", "Étapes 1 à 4", "Étapes 1, 3 et 4"
    pub steps_label: String,
    /// The words of `steps_label`, each step number with its link.
    pub steps_words: Vec<StepWord>,
    pub steps: Vec<StepRef>,
    /// Whether its effort type is what its title says already (« Effort financier »): then it
    /// is not repeated beside the title.
    pub effort_in_title: bool,
    /// Whether it has a card below the map: when the map cannot show it (it is on no step).
    pub card: bool,
}

/// A word of a finding's `steps_label`: a step number with the link to the step (and the
/// comma after it, outside the link), or any other word as it is.
#[derive(Serialize)]
pub struct StepWord {
    pub text: String,
    pub url: Option<String>,
    pub comma: bool,
}

/// The words of `label`, the numbers among `steps` linked to their step.
fn step_words(label: &str, steps: &[StepRef]) -> Vec<StepWord> {
    // A label names each step once: look them up by number, not by scanning every step for
    // every word (a finding on 1 000 steps).
    let mut by_number: Vec<(u32, usize)> = (steps.iter().enumerate())
        .map(|(i, s)| (s.number, i))
        .collect();
    by_number.sort_unstable();
    by_number.dedup_by_key(|(n, _)| *n);
    let find = |n: u32| {
        by_number
            .binary_search_by_key(&n, |&(m, _)| m)
            .ok()
            .map(|k| &steps[by_number[k].1])
    };
    label
        .split(' ')
        .map(|word| {
            let number = word.strip_suffix(',').unwrap_or(word);
            let step = number.parse::<u32>().ok().and_then(find);
            match step {
                Some(step) => StepWord {
                    text: number.to_string(),
                    url: Some(step.url.clone()),
                    comma: number.len() < word.len(),
                },
                _ => StepWord {
                    text: word.to_string(),
                    url: None,
                    comma: false,
                },
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct StepView<'a> {
    pub number: u32,
    pub id: String,
    pub text: &'a str,
    /// Its row on a phone and its column on a wide screen, in the journey map's grid.
    pub row: u32,
    pub column: u32,
}

/// The journey map of a breakdown: what [`crate::site::JourneyMap`] computes, as grid lines of
/// the theme's grid (a phone's columns: the step numbers, the steps, then the lanes; a wide
/// screen's: the lanes' names, then a column per step).
#[derive(Serialize)]
pub struct MapView {
    pub rows: u32,
    pub lanes: u32,
    pub wide_rows: u32,
    /// Each finding once, with where it goes.
    pub spans: Vec<SpanView>,
    pub swimlanes: Vec<SwimlaneView>,
}

/// A finding on the map: its label and bar on a phone, its band on a wide screen, and a dot at
/// each of its steps (it may skip some between its first and its last).
#[derive(Serialize)]
pub struct SpanView {
    /// Its [`FindingView`], shared with its group.
    pub finding: tera::Value,
    pub row: u32,
    pub bar: (u32, u32),
    pub bar_to_step: bool,
    pub lane: u32,
    pub column: u32,
    pub column_end: u32,
    pub wide_row: u32,
    pub dots: Vec<DotView>,
}

/// A finding's mark on one of its steps: a phone's row, a wide screen's column.
#[derive(Serialize)]
pub struct DotView {
    pub row: u32,
    pub column: u32,
}

/// The rows of a kind on a wide screen, with its name.
#[derive(Serialize)]
pub struct SwimlaneView {
    pub kind: String,
    pub label: &'static str,
    pub row: u32,
    pub row_end: u32,
}

#[derive(Serialize)]
pub struct FindingGroup {
    pub kind: &'static str,
    pub label: &'static str,
    /// [`FindingView`]s, shared with the map.
    pub findings: Vec<tera::Value>,
}

/// An irritant breakdown, as a customer journey.
#[derive(Serialize)]
pub struct BreakdownView<'a> {
    pub context: Option<&'a str>,
    pub steps: Vec<StepView<'a>>,
    pub map: MapView,
    pub groups: Vec<FindingGroup>,
    pub basics: &'a [String],
}

#[derive(Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
}

/// A post, whole (`content` and the rest set) or as a list item.
#[derive(Serialize)]
pub struct PostView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: String,
    /// Its section's [`SectionView`], shared by the section's posts.
    pub section: Option<tera::Value>,
    pub kind: &'static str,
    pub kind_label: String,
    /// Whether its section's title says its kind already (« Brèves » for a brève): the kicker
    /// then names it once.
    pub section_says_kind: bool,
    pub date: DateView,
    pub updated: Option<DateView>,
    /// Its authors' [`AuthorView`]s (see [`Views::author_value`]).
    pub authors: Vec<tera::Value>,
    pub summary: &'a str,
    pub description: &'a str,
    pub image: Option<ImageView<'a>>,
    /// [`TermLink`]s, each term's shared by the posts that name it.
    pub irritants: Vec<tera::Value>,
    pub tags: Vec<tera::Value>,
    pub series: Option<SeriesNav<'a>>,
    pub draft: bool,
    /// `published`, or for a preview (`--drafts`) `draft` or `scheduled`: what its byline says.
    pub status: &'static str,
    pub word_count: usize,
    pub reading_time: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toc: Option<Vec<TocEntry<'a>>>,
    /// Related posts, as list items (see [`Views::item`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<tera::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<BreakdownView<'a>>,
    /// The names of the shortcodes its body uses (which styles and script it needs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortcodes: Option<Vec<&'a str>>,
    /// JSON-LD of the post (a `BlogPosting`), ready for a `<script type="application/ld+json">`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_ld: Option<String>,
    /// Its archived comments (imported from WordPress), read-only; empty for most posts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentView<'a>>,
}

/// An archived comment as the theme gets it.
#[derive(Serialize)]
pub struct CommentView<'a> {
    pub author: &'a str,
    pub date: DateView,
    /// Its text, paragraph by paragraph (plain text: the template escapes it).
    pub paragraphs: Vec<&'a str>,
    /// A reply to another comment.
    pub reply: bool,
}

/// A page (`content/mentions-legales.md`) as its template gets it, under the name `page` like
/// a post: the values a page has, and `kind` = `"page"`.
#[derive(Serialize)]
pub struct StandaloneView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub kind: &'static str,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    /// Plain text: the `description` key, else the first paragraph.
    pub description: &'a str,
    pub image: Option<ImageView<'a>>,
    pub draft: bool,
    /// `published`, or `draft` for a preview (`--drafts`).
    pub status: &'static str,
    pub word_count: usize,
    pub reading_time: usize,
    /// The HTML of the body.
    pub content: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    /// The names of the shortcodes its body uses.
    pub shortcodes: Vec<&'a str>,
}

/// A link to a page, for navigations and footers: `site.pages`.
#[derive(Serialize)]
pub struct PageLink<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct PaginatorView {
    /// The posts of this page, as list items (see [`Views::item`]).
    pub posts: Vec<tera::Value>,
    pub current: usize,
    pub total: usize,
    pub total_posts: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    /// « Thèmes d’irritants\u{a0}: Service client », for the term page's meta description.
    pub description: String,
    pub slug: &'a str,
    pub url: &'a str,
    pub count: usize,
    pub feed: String,
}

#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'static str,
    pub title: String,
    pub url: &'a str,
    pub terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
pub struct SeriesView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub description: &'a str,
    pub total: u32,
    pub published: usize,
    pub parts: Vec<PartView<'a>>,
    pub feed: String,
}

/// Builds views from the site; one per build, shared by every page.
pub struct Views<'a> {
    /// The site, whose posts only [`Views::post_at`] reaches.
    site: Guarded<'a>,
    /// Every post's index, for the home page's paginator.
    all: Vec<usize>,
    pub language: Language,
    /// Each post as a list item, made once the first time a page shows it: a post appears in
    /// a dozen lists (home, section, terms, author, related posts), and Tera values share
    /// their contents, so the other pages get it for the cost of a clone. With it, the posts
    /// its making read, which every page that shows it reads too (see [`super::trace`]).
    items: Vec<OnceLock<(tera::Value, Box<[u32]>)>>,
    /// Each author's view, made once: every post shows its authors with their bios.
    authors: Vec<OnceLock<tera::Value>>,
    /// Each section's view and each term's link (per taxonomy), made once for the same reason.
    sections: Vec<OnceLock<tera::Value>>,
    terms: Vec<Vec<OnceLock<tera::Value>>>,
}

/// Words read per minute, for reading times.
const WORDS_PER_MINUTE: usize = 230;

/// The minutes it takes to read `words` words (one at least).
fn reading_time(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// The table of contents of a post or a page.
fn toc(headings: &[markdown::Heading]) -> Vec<TocEntry<'_>> {
    (headings.iter())
        .map(|h| TocEntry {
            level: h.level,
            id: &h.id,
            title: &h.title,
        })
        .collect()
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Self {
        Views {
            site: Guarded::new(site),
            all: (0..site.posts.len()).collect(),
            language: site.config.language,
            items: site.posts.iter().map(|_| OnceLock::new()).collect(),
            authors: site.authors.iter().map(|_| OnceLock::new()).collect(),
            sections: site.sections.iter().map(|_| OnceLock::new()).collect(),
            terms: site
                .taxonomies
                .iter()
                .map(|t| t.terms.iter().map(|_| OnceLock::new()).collect())
                .collect(),
        }
    }

    /// Post `i` of the site. Every view reaches other posts through here, so that the page
    /// being rendered records what it read (see [`super::trace`]).
    pub fn post_at(&self, i: usize) -> &'a SitePost {
        self.site.post(i)
    }

    /// Post `i` as the page of its own: its values in full.
    pub fn page(&self, i: usize) -> PostView<'a> {
        self.post(self.post_at(i), true)
    }

    /// Page `i` of the site (`content/a-propos.md`), whole.
    pub fn standalone(&self, i: usize) -> StandaloneView<'a> {
        let p = self.site.page(i);
        let page = &p.page;
        StandaloneView {
            title: &page.title,
            slug: &page.slug,
            url: &p.url,
            permalink: self.site.config().permalink(&p.url),
            kind: "page",
            date: page.date.as_ref().map(|d| self.date(d)),
            updated: page.updated.as_ref().map(|d| self.date(d)),
            description: &p.description,
            image: (page.image.as_ref()).map(|i| self.image(Some(&p.asset_folder()), i)),
            draft: p.preview,
            status: if p.preview { "draft" } else { "published" },
            word_count: p.word_count,
            reading_time: reading_time(p.word_count),
            content: &p.html,
            toc: toc(&p.toc),
            shortcodes: p.shortcodes.names().collect(),
        }
    }

    /// Every post, newest first, as indexes: the home page's list.
    pub fn all_posts(&self) -> &[usize] {
        &self.all
    }

    /// Post `i` as a list item: [`Views::post`] without its body, as a Tera value.
    pub fn item(&self, i: usize) -> tera::Value {
        let (value, reads) = self.items[i].get_or_init(|| {
            super::trace::apart(|| {
                tera::Value::from_serializable(&self.post(self.post_at(i), false))
            })
        });
        for &read in reads.iter() {
            super::trace::record(read as usize);
        }
        value.clone()
    }

    /// Author `i` of the site as a Tera value.
    fn author_value(&self, i: usize) -> tera::Value {
        self.authors[i]
            .get_or_init(|| tera::Value::from_serializable(&self.author(&self.site.authors()[i])))
            .clone()
    }

    /// The site's authors of a post, by their index.
    fn authors_of(&self, post: &crate::content::Post) -> Vec<usize> {
        post.authors
            .iter()
            .filter_map(|a| {
                self.site
                    .authors()
                    .iter()
                    .position(|x| x.author.slug == a.value)
            })
            .collect()
    }

    fn base(&self) -> &'a str {
        &self.site.config().base_path
    }

    pub fn site(&self) -> SiteView<'a> {
        let config = &self.site.config();
        let (first, last) = self.site.years();
        let years = if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        };
        // Like the years, the names come from the posts: an author who has published nothing
        // yet holds no copyright on the column.
        let names: Vec<&str> = (self.site.authors().iter())
            .filter(|a| self.site.credited(a))
            .map(|a| a.author.name.as_str())
            .collect();
        let copyright = config
            .copyright
            .replace("{first_year}–{last_year}", &years)
            .replace("{first_year}", &first.to_string())
            .replace("{last_year}", &last.to_string())
            .replace("{title}", &config.title)
            .replace("{authors}", &join_names(self.language, &names));
        let base = self.base();
        let options = markdown::Options {
            language: config.language,
            typography: config.typography,
            highlight: config.highlight_code,
            heading_shift: 0,
        };
        SiteView {
            title: markdown::typeset(&options, &config.title),
            description: markdown::typeset(&options, &config.description),
            base_url: &config.base_url,
            origin: origin(&config.base_url, base),
            root: base,
            language: config.language.code(),
            copyright,
            sections: self
                .site
                .sections()
                .iter()
                .map(|s| self.section(s))
                .collect(),
            pages: (self.site.page_links())
                .map(|(slug, title, url)| PageLink { slug, title, url })
                .collect(),
            taxonomies: (self.site.taxonomies().iter())
                .map(|t| self.taxonomy_link(t))
                .collect(),
            authors_url: format!("{base}{AUTHORS_PATH}/"),
            series_url: format!("{base}{SERIES_PATH}/"),
            search_url: format!("{base}{}/", search_path(self.language)),
            feeds: FeedLinks {
                atom: format!("{base}atom.xml"),
                rss: format!("{base}rss.xml"),
                json: format!("{base}feed.json"),
            },
            generator: concat!("chronique ", env!("CARGO_PKG_VERSION")),
            menus: self.menus(),
        }
    }

    fn menus(&self) -> MenusView<'a> {
        let entries = |entries: &'a [MenuEntry]| {
            (entries.iter())
                .map(|e| MenuEntryView {
                    name: &e.name,
                    url: &e.url,
                    external: e.external,
                })
                .collect()
        };
        let menus = self.site.menus();
        MenusView {
            main: entries(&menus.main),
            footer: entries(&menus.footer),
        }
    }

    pub fn section(&self, s: &'a Section) -> SectionView<'a> {
        SectionView {
            name: &s.name,
            title: &s.title,
            description: &s.description,
            url: &s.url,
            permalink: self.site.config().permalink(&s.url),
            count: s.posts.len(),
        }
    }

    pub fn date(&self, d: &PostDate) -> DateView {
        DateView {
            iso: d.day.to_string(),
            datetime: d.datetime.clone(),
            display: i18n::date_in_words(self.language, d.day),
            year: d.day.year(),
        }
    }

    pub fn author(&self, a: &'a AuthorPage) -> AuthorView<'a> {
        AuthorView {
            slug: &a.author.slug,
            name: &a.author.name,
            url: &a.url,
            permalink: self.site.config().permalink(&a.url),
            role: a.author.role.as_deref(),
            avatar: a.author.avatar.as_deref().map(|s| self.asset(None, s)),
            avatar_image: (a.author.avatar.as_deref()).map(|s| self.avatar(&a.author.name, s)),
            links: a
                .author
                .links
                .iter()
                .map(|(name, url)| LinkView { name, url })
                .collect(),
            bio: &a.bio_html,
            count: a.posts.len(),
            feed: format!("{}atom.xml", a.url),
        }
    }

    /// The links to the terms `names` of a taxonomy, each term once.
    fn term_links(&self, kind: TaxonomyKind, names: &'a [String]) -> Vec<tera::Value> {
        let Some(ti) = self.site.taxonomies().iter().position(|t| t.kind == kind) else {
            return Vec::new();
        };
        let tax = &self.site.taxonomies()[ti];
        let mut seen: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for i in names.iter().filter_map(|n| tax.term_index(n)) {
            if !seen.contains(&i) {
                seen.push(i);
                let term = &tax.terms[i];
                out.push(
                    self.terms[ti][i]
                        .get_or_init(|| {
                            tera::Value::from_serializable(&TermLink {
                                name: &term.name,
                                url: &term.url,
                            })
                        })
                        .clone(),
                );
            }
        }
        out
    }

    /// A post as a list item, or whole when `full`.
    fn post(&self, p: &'a SitePost, full: bool) -> PostView<'a> {
        let post = &p.post;
        let section = post
            .section
            .as_deref()
            .and_then(|name| self.site.sections().iter().position(|s| s.name == name))
            .map(|i| {
                self.sections[i]
                    .get_or_init(|| {
                        tera::Value::from_serializable(&self.section(&self.site.sections()[i]))
                    })
                    .clone()
            });
        let word_count = p.word_count;
        let authors = self.authors_of(post);
        let kind_label = i18n::kind_label(self.site.config(), post.kind);
        let section_says_kind = (post.section.as_deref())
            .and_then(|name| self.site.sections().iter().find(|s| s.name == name))
            .is_some_and(|s| says_kind(&s.title, &kind_label));
        let mut view = PostView {
            title: &post.title,
            slug: &post.slug,
            url: &p.url,
            permalink: self.site.config().permalink(&p.url),
            section,
            kind: post.kind.name(),
            kind_label,
            section_says_kind,
            date: self.date(&post.date),
            updated: post.updated.as_ref().map(|d| self.date(d)),
            authors: authors.iter().map(|&i| self.author_value(i)).collect(),
            summary: &p.summary_html,
            description: &p.description,
            image: (post.image.as_ref()).map(|i| self.image(Some(&p.asset_folder()), i)),
            irritants: self.term_links(TaxonomyKind::Irritants, &post.irritants),
            tags: self.term_links(TaxonomyKind::Tags, &post.tags),
            series: p
                .series
                .map(|s| self.series_nav(&self.site.series()[s], p, full)),
            draft: p.preview,
            status: match (p.preview, post.draft) {
                (false, _) => "published",
                (true, true) => "draft",
                (true, false) => "scheduled",
            },
            word_count,
            reading_time: reading_time(word_count),
            content: None,
            toc: None,
            related: None,
            breakdown: None,
            shortcodes: None,
            json_ld: None,
            comments: Vec::new(),
        };
        if full {
            view.comments = (post.comments.iter())
                .map(|c| CommentView {
                    author: &c.author,
                    date: self.date(&c.date),
                    paragraphs: c
                        .text
                        .split("\n\n")
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect(),
                    reply: c.reply,
                })
                .collect();
            view.content = Some(&p.html);
            view.toc = Some(toc(&p.toc));
            view.related = Some(p.related.iter().map(|&i| self.item(i)).collect());
            view.breakdown = self.breakdown(p);
            view.shortcodes = Some(p.shortcodes.names().collect());
            view.json_ld = Some(self.json_ld(p, &view, &authors));
        }
        view
    }

    /// `authors`: the post's authors, by their index in the site.
    fn json_ld(&self, p: &SitePost, view: &PostView<'_>, authors: &[usize]) -> String {
        let mut ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": view.title,
            "description": view.description,
            "url": view.permalink,
            "mainEntityOfPage": view.permalink,
            "datePublished": p.post.date.datetime,
            "dateModified": p.post.updated.as_ref().unwrap_or(&p.post.date).datetime,
            "inLanguage": self.site.config().language.code(),
            "author": authors.iter().map(|&i| {
                let a = &self.site.authors()[i];
                serde_json::json!({
                    "@type": "Person",
                    "name": a.author.name,
                    "url": self.site.config().permalink(&a.url),
                })
            }).collect::<Vec<_>>(),
            "publisher": { "@type": "Organization", "name": self.site.config().title },
        });
        if let Some(img) = &view.image {
            ld["image"] = serde_json::Value::from(img.permalink.clone());
        }
        if let Some(s) = p.series.map(|s| &self.site.series()[s]) {
            ld["isPartOf"] = serde_json::json!({
                "@type": "CreativeWorkSeries",
                "name": s.title,
                "url": self.site.config().permalink(&s.url),
            });
        }
        super::file::html_safe_json(&ld.to_string())
    }

    /// A lead image, a bare name of it next to the source in `folder`.
    fn image(&self, folder: Option<&Path>, i: &'a Image) -> ImageView<'a> {
        let src = self.asset(folder, &i.src);
        let facts = self.site.image_facts(&src);
        let shown = match facts.as_ref().filter(|f| !f.widths.is_empty()) {
            Some(f) => picture::fallback_src(&src, f),
            None => src.clone(),
        };
        let permalink = if shown.contains("://") {
            shown
        } else {
            self.site.config().permalink(&shown)
        };
        ImageView {
            caption: i.caption.as_deref(),
            credit: i.credit.as_deref(),
            ..ImageView::new(src, facts, &i.alt, permalink)
        }
    }

    /// An author's avatar at `src` (as written), its `alt` their name.
    fn avatar(&self, name: &'a str, src: &str) -> ImageView<'a> {
        let src = self.asset(None, src);
        let facts = self.site.image_facts(&src);
        let permalink = if src.contains("://") {
            src.clone()
        } else {
            self.site.config().permalink(&src)
        };
        ImageView {
            sizes: picture::AVATAR_SIZES,
            ..ImageView::new(src, facts, name, permalink)
        }
    }

    /// An asset path: absolute URLs stay, `/x.png` is under the site root, and a bare name is
    /// in `folder` of the output (a post's [`SitePost::asset_folder`]; none: the root).
    fn asset(&self, folder: Option<&Path>, src: &str) -> String {
        if src.contains("://") || src.starts_with("data:") {
            src.to_string()
        } else if let Some(rest) = src.strip_prefix('/') {
            format!("{}{rest}", self.base())
        } else {
            let dir = match folder.map(|f| f.to_string_lossy().replace('\\', "/")) {
                Some(f) if !f.is_empty() => format!("{f}/"),
                _ => String::new(),
            };
            format!("{}{dir}{src}", self.base())
        }
    }

    fn part(&self, part: &'a Part, current: Option<u32>) -> PartView<'a> {
        let post = part.post.map(|i| self.post_at(i));
        let announced = post.is_none();
        PartView {
            number: part.number,
            title: &part.title,
            url: post.map(|p| p.url.as_str()),
            current: current == Some(part.number),
            announced,
            date: self.date(&part.date),
            announce: match (announced, part.overdue) {
                (false, _) => String::new(),
                (true, false) => i18n::to_be_published(
                    self.language,
                    &i18n::date_in_words(self.language, part.date.day),
                ),
                (true, true) => i18n::announced_for(
                    self.language,
                    &i18n::date_in_words(self.language, part.date.day),
                ),
            },
            overdue: part.overdue,
            outline: &part.outline,
            summary: post.map_or("", |p| &*p.summary_html),
        }
    }

    fn series_nav(&self, s: &'a Series, p: &'a SitePost, full: bool) -> SeriesNav<'a> {
        let number = p.post.part.as_ref().map_or(0, |x| x.value);
        let published: Vec<(u32, &'a SitePost)> = s
            .parts
            .iter()
            .filter_map(|x| x.post.map(|i| (x.number, self.post_at(i))))
            .collect();
        let link = |(n, sp): (u32, &'a SitePost)| PostLink {
            title: &sp.post.title,
            url: &sp.url,
            number: n,
        };
        let previous = published
            .iter()
            .rev()
            .find(|(n, _)| *n < number)
            .copied()
            .map(link);
        let next = published
            .iter()
            .find(|(n, _)| *n > number)
            .copied()
            .map(link);
        SeriesNav {
            slug: &s.slug,
            title: &s.title,
            url: &s.url,
            part: number,
            total: s.total,
            label: i18n::part_of(self.language, number, s.total),
            short: format!(
                "{} — {}",
                s.title,
                i18n::part_short(self.language, number, s.total)
            ),
            previous,
            next,
            parts: full.then(|| s.parts.iter().map(|x| self.part(x, Some(number))).collect()),
            upcoming: full.then(|| {
                s.parts
                    .iter()
                    .filter(|x| x.number > number && x.post.is_none())
                    .map(|x| self.part(x, Some(number)))
                    .collect()
            }),
        }
    }

    pub fn series(&self, s: &'a Series, html: &'a str) -> SeriesView<'a> {
        SeriesView {
            slug: &s.slug,
            title: &s.title,
            url: &s.url,
            permalink: self.site.config().permalink(&s.url),
            description: html,
            total: s.total,
            // A preview (`--drafts`) is on the site but not out: not counted as published.
            published: (s.published())
                .filter(|&i| !self.post_at(i).preview)
                .count(),
            parts: s.parts.iter().map(|x| self.part(x, None)).collect(),
            feed: format!("{}atom.xml", s.url),
        }
    }

    pub fn taxonomy(&self, t: &'a Taxonomy) -> TaxonomyView<'a> {
        TaxonomyView {
            name: t.kind.name(),
            title: i18n::taxonomy_title(self.site.config(), t.kind),
            url: &t.url,
            terms: t.terms.iter().map(|x| self.term(t.kind, x)).collect(),
        }
    }

    /// A taxonomy's name, title and URL, for the navigation and its terms' pages.
    pub fn taxonomy_link(&self, t: &Taxonomy) -> TaxonomyLink {
        TaxonomyLink {
            name: t.kind.name(),
            title: i18n::taxonomy_title(self.site.config(), t.kind),
            url: t.url.clone(),
        }
    }

    pub fn term(&self, kind: TaxonomyKind, t: &'a Term) -> TermView<'a> {
        TermView {
            name: &t.name,
            description: i18n::term_description(self.site.config(), kind, &t.name),
            slug: &t.slug,
            url: &t.url,
            count: t.posts.len(),
            feed: format!("{}atom.xml", t.url),
        }
    }

    fn breakdown(&self, p: &'a SitePost) -> Option<BreakdownView<'a>> {
        let b = p.post.breakdown.as_ref()?;
        if p.post.kind != crate::content::Kind::Irritant {
            return None;
        }
        let ids = finding_ids(&b.findings);
        let map = JourneyMap::of(b.steps.len(), &b.findings);
        let mut on_map = vec![false; b.findings.len()];
        map.spans.iter().for_each(|s| on_map[s.finding] = true);
        // The map shows a finding with its detail: a card only for one it cannot show (on no step).
        let cards: Vec<bool> = on_map.iter().map(|on_map| !on_map).collect();
        let views: Vec<tera::Value> = (b.findings.iter().zip(&ids).zip(&cards))
            .map(|((f, id), &card)| {
                tera::Value::from_serializable(&FindingView {
                    card,
                    ..self.finding(f, id)
                })
            })
            .collect();
        Some(BreakdownView {
            context: b.context.as_deref(),
            steps: (b.steps.iter().zip(1u32..).zip(&map.step_rows))
                .map(|((text, n), &row)| StepView {
                    number: n,
                    id: step_id(self.language, n),
                    text,
                    row,
                    column: n + 1,
                })
                .collect(),
            map: self.map(&map, b, &views),
            groups: FINDING_KINDS
                .iter()
                .map(|&kind| FindingGroup {
                    kind,
                    label: i18n::finding_group(self.language, kind),
                    findings: (b.findings.iter().zip(&views).zip(&cards))
                        .filter(|((f, _), card)| f.kind == kind && **card)
                        .map(|((_, v), _)| v.clone())
                        .collect(),
                })
                .filter(|g| !g.findings.is_empty())
                .collect(),
            basics: &b.basics,
        })
    }

    /// The journey map's view: grid lines for the theme (see [`MapView`]).
    fn map(&self, map: &JourneyMap, b: &Breakdown, views: &[tera::Value]) -> MapView {
        let spans = (map.spans.iter())
            .map(|s| {
                let mut steps: Vec<u32> = (b.findings[s.finding].steps.iter())
                    .copied()
                    .filter(|n| (s.first..=s.last).contains(n))
                    .collect();
                steps.sort_unstable();
                steps.dedup();
                SpanView {
                    finding: views[s.finding].clone(),
                    row: s.row,
                    bar: s.bar,
                    bar_to_step: s.bar_to_step,
                    lane: s.lane + 3,
                    column: s.first + 1,
                    column_end: s.last + 2,
                    wide_row: s.wide_row,
                    dots: (steps.iter())
                        .map(|&n| DotView {
                            row: map.step_rows[n as usize - 1],
                            column: n + 1,
                        })
                        .collect(),
                }
            })
            .collect();
        MapView {
            rows: map.rows,
            lanes: map.lanes,
            wide_rows: map.wide_rows,
            spans,
            swimlanes: (map.swimlanes.iter())
                .map(|l| SwimlaneView {
                    kind: l.kind.clone(),
                    label: i18n::finding_group(self.language, &l.kind),
                    row: l.row,
                    row_end: l.row_end,
                })
                .collect(),
        }
    }

    /// One finding of a breakdown, with its effort's term page and links to its steps.
    fn finding(&self, f: &'a Finding, id: &str) -> FindingView<'a> {
        let efforts = self.site.taxonomy(TaxonomyKind::Efforts);
        let effort_name = f.effort.as_ref().and_then(|id| {
            (self.site.config().efforts.iter())
                .find(|t| &t.id == id)
                .map(|t| t.name.as_str())
        });
        let steps_label = i18n::steps_label(self.language, &f.steps);
        let steps: Vec<StepRef> = (f.steps.iter())
            .map(|&n| StepRef {
                number: n,
                url: format!("#{}", step_id(self.language, n)),
            })
            .collect();
        FindingView {
            id: id.to_string(),
            kind: &f.kind,
            kind_label: i18n::finding_label(self.language, &f.kind),
            effort: effort_name,
            effort_url: effort_name
                .and_then(|n| efforts.and_then(|t| t.term(n)))
                .map(|t| t.url.as_str()),
            title: &f.title,
            detail: &f.detail,
            steps_words: step_words(&steps_label, &steps),
            steps_label,
            steps,
            effort_in_title: effort_name
                .is_some_and(|n| n.to_lowercase() == f.title.to_lowercase()),
            card: true,
        }
    }

    /// Page `number` (1-based) of a list of posts whose first page is at `base_url`.
    pub fn paginator(
        &self,
        posts: &[usize],
        number: usize,
        total: usize,
        base_url: &str,
    ) -> PaginatorView {
        let per = self.site.config().paginate_by;
        let start = (number - 1) * per;
        let end = (start + per).min(posts.len());
        PaginatorView {
            posts: posts
                .get(start..end)
                .unwrap_or(&[])
                .iter()
                .map(|&i| self.item(i))
                .collect(),
            current: number,
            total,
            total_posts: posts.len(),
            previous: (number > 1).then(|| page_url(base_url, number - 1)),
            next: (number < total).then(|| page_url(base_url, number + 1)),
            first: base_url.to_string(),
            last: page_url(base_url, total),
        }
    }
}

/// The findings' anchors, numbered within each kind in the order of the front matter, so that
/// two findings with the same title still have their own.
fn finding_ids(findings: &[Finding]) -> Vec<String> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    (findings.iter())
        .map(|f| {
            let rank = seen.entry(f.kind.as_str()).or_default();
            *rank += 1;
            format!("finding-{}-{rank}", f.kind)
        })
        .collect()
}

/// The id of a step of a breakdown: `etape-2` (`step-2` in English).
/// The scheme and host of the site's address (`https://x.fr/blog/` with the base path `/blog/`
/// gives `https://x.fr`), keeping only characters safe in a CSS string and an HTML attribute.
fn origin(base_url: &str, base_path: &str) -> String {
    let origin = base_url.strip_suffix(base_path).unwrap_or(base_url);
    origin
        .trim_end_matches('/')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&()*+,;=%".contains(*c))
        .collect()
}

/// Whether a section's title says a kind of post already: it starts with the kind label's
/// first word, accents and case aside (« Brèves » and « Brève », « Décryptages » and
/// « Décryptage d’irritant »).
fn says_kind(section_title: &str, kind_label: &str) -> bool {
    let section = crate::slug::slugify(section_title);
    let kind = crate::slug::slugify(kind_label);
    let first = kind.split('-').next().unwrap_or("");
    !first.is_empty() && section.starts_with(first)
}

pub fn step_id(language: Language, n: u32) -> String {
    match language {
        Language::Fr => format!("etape-{n}"),
        Language::En => format!("step-{n}"),
    }
}

/// The URL of page `n` of a list whose first page is `base_url`.
pub fn page_url(base_url: &str, n: usize) -> String {
    if n <= 1 {
        base_url.to_string()
    } else {
        format!("{base_url}page/{n}/")
    }
}

/// `A`, `A et B`, `A, B et C` (or `and` in English).
pub fn join_names(language: Language, names: &[&str]) -> String {
    let and = if language == Language::Fr {
        "et"
    } else {
        "and"
    };
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// The site as views may read it: its structure freely, its posts only through
/// [`Guarded::post`], which records the read for the page being rendered (see
/// [`super::trace`]). The field is private to this module, so no view can read a post without
/// the page's trace knowing it.
mod guarded {
    use crate::config::Config;
    use crate::site::{
        AuthorPage, Menus, Section, Series, Site, SitePage, SitePost, Taxonomy, TaxonomyKind,
    };

    #[derive(Clone, Copy)]
    pub struct Guarded<'a>(&'a Site);

    impl<'a> Guarded<'a> {
        pub fn new(site: &'a Site) -> Self {
            Guarded(site)
        }

        /// Post `i`, recorded as read by the page being rendered.
        pub fn post(self, i: usize) -> &'a SitePost {
            crate::render::trace::record(i);
            &self.0.posts[i]
        }

        /// Page `i`, recorded as read by the page being rendered.
        pub fn page(self, i: usize) -> &'a SitePage {
            crate::render::trace::record_page(self.0, i);
            &self.0.pages[i]
        }

        /// The links to the pages: their titles and URLs (part of the structure every page's
        /// key holds), not their contents.
        pub fn page_links(self) -> impl Iterator<Item = (&'a str, &'a str, &'a str)> {
            (self.0.pages.iter())
                .map(|p| (p.page.slug.as_str(), p.page.title.as_str(), p.url.as_str()))
        }

        /// The size of the image at `url`, when the site measured it (the images are part of
        /// the structure every page's key holds).
        pub fn image_facts(self, url: &str) -> Option<crate::markdown::ImageFacts> {
            self.0.images.facts(url)
        }

        pub fn config(self) -> &'a Config {
            &self.0.config
        }

        pub fn sections(self) -> &'a [Section] {
            &self.0.sections
        }

        pub fn authors(self) -> &'a [AuthorPage] {
            &self.0.authors
        }

        pub fn series(self) -> &'a [Series] {
            &self.0.series
        }

        pub fn menus(self) -> &'a Menus {
            &self.0.menus
        }

        pub fn taxonomies(self) -> &'a [Taxonomy] {
            &self.0.taxonomies
        }

        pub fn taxonomy(self, kind: TaxonomyKind) -> Option<&'a Taxonomy> {
            self.0.taxonomy(kind)
        }

        /// The copyright years (part of the structure every page's key holds).
        pub fn years(self) -> (i16, i16) {
            self.0.years()
        }

        /// Whether an author has a post out (part of the structure every page's key holds).
        pub fn credited(self, author: &AuthorPage) -> bool {
            self.0.credited(author)
        }
    }
}

use guarded::Guarded;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined_in_french() {
        assert_eq!(join_names(Language::Fr, &["A", "B", "C"]), "A, B et C");
        assert_eq!(join_names(Language::En, &["A", "B"]), "A and B");
        assert_eq!(join_names(Language::Fr, &["A"]), "A");
    }

    fn finding(kind: &str, steps: &[u32]) -> Finding {
        Finding {
            kind: kind.into(),
            effort: None,
            title: String::new(),
            detail: String::new(),
            steps: steps.to_vec(),
            at: crate::content::FindingLocations {
                kind: crate::diagnostics::Location::file("x.md"),
                effort: None,
                steps: Vec::new(),
            },
        }
    }

    #[test]
    fn the_origin_is_the_address_without_its_path() {
        assert_eq!(origin("https://x.fr/", "/"), "https://x.fr");
        assert_eq!(origin("https://x.fr/blog/", "/blog/"), "https://x.fr");
        assert_eq!(origin("https://x.fr/\"<b>/", "/"), "https://x.fr/b");
    }

    #[test]
    fn a_section_says_a_kind_when_it_is_named_after_it() {
        assert!(says_kind("Brèves", "Brève"));
        assert!(says_kind("Décryptages", "Décryptage d’irritant"));
        assert!(says_kind("Contes", "Conte"));
        assert!(!says_kind("Humeurs", "Brève"));
        assert!(!says_kind("Chroniques", "Article"));
        assert!(!says_kind("Brèves", ""));
    }

    #[test]
    fn findings_have_an_anchor_per_kind() {
        let findings = [
            finding("frustration", &[2, 1]),
            finding("problem", &[1, 1, 9, 0]),
            finding("oops", &[1]),
            finding("effort", &[2, 1]),
            finding("problem", &[2]),
        ];
        assert_eq!(
            finding_ids(&findings),
            [
                "finding-frustration-1",
                "finding-problem-1",
                "finding-oops-1",
                "finding-effort-1",
                "finding-problem-2"
            ]
        );
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("/breves/", 1), "/breves/");
        assert_eq!(page_url("/breves/", 3), "/breves/page/3/");
    }
}
