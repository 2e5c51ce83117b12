//! Typed views: exactly what templates see, documented in `docs/templates.md`.
//!
//! Templates never look pages up by themselves; each page gets these values, built from the
//! assembled [`Site`]. They borrow from the site, so building them costs little.

use serde::Serialize;

use crate::config::Language;
use crate::content::PostDate;
use crate::render::i18n;
use crate::site::{Section, Site, SitePost};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub root: &'a str,
    pub language: &'static str,
    pub copyright: String,
    pub sections: Vec<SectionView<'a>>,
    pub generator: &'static str,
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
pub struct AuthorRef<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    pub alt: &'a str,
    pub credit: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SeriesRef<'a> {
    pub slug: &'a str,
    pub part: u32,
}

/// A post, whole (`content` set) or as a list item (`content` absent).
#[derive(Serialize)]
pub struct PostView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub section: Option<SectionView<'a>>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub authors: Vec<AuthorRef<'a>>,
    pub summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
    pub image: Option<ImageView<'a>>,
    pub irritants: &'a [String],
    pub tags: &'a [String],
    pub series: Option<SeriesRef<'a>>,
    pub draft: bool,
}

#[derive(Serialize)]
pub struct PaginatorView<'a> {
    pub posts: Vec<PostView<'a>>,
    pub current: usize,
    pub total: usize,
    pub total_posts: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

/// Builds views from the site; one per build, shared by every page.
pub struct Views<'a> {
    pub site: &'a Site,
    pub language: Language,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Self {
        Views {
            site,
            language: site.config.language,
        }
    }

    pub fn site(&self) -> SiteView<'a> {
        let config = &self.site.config;
        let (first, last) = self.site.years();
        let years = if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        };
        let copyright = config
            .copyright
            .replace("{first_year}–{last_year}", &years)
            .replace("{first_year}", &first.to_string())
            .replace("{last_year}", &last.to_string())
            .replace("{title}", &config.title)
            .replace("{authors}", &self.author_names());
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            root: &config.base_path,
            language: config.language.code(),
            copyright,
            sections: self.site.sections.iter().map(|s| self.section(s)).collect(),
            generator: concat!("chronique ", env!("CARGO_PKG_VERSION")),
        }
    }

    fn author_names(&self) -> String {
        let names: Vec<&str> = self
            .site
            .authors
            .values()
            .map(|a| a.name.as_str())
            .collect();
        join_names(self.language, &names)
    }

    pub fn section(&self, s: &'a Section) -> SectionView<'a> {
        SectionView {
            name: &s.name,
            title: &s.title,
            description: &s.description,
            url: &s.url,
            permalink: self.site.config.permalink(&s.url),
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

    /// A post as a list item, or whole when `full`.
    pub fn post(&self, p: &'a SitePost, full: bool) -> PostView<'a> {
        let post = &p.post;
        let section = post
            .section
            .as_deref()
            .and_then(|name| self.site.sections.iter().find(|s| s.name == name))
            .map(|s| self.section(s));
        PostView {
            title: &post.title,
            slug: &post.slug,
            url: &p.url,
            permalink: self.site.config.permalink(&p.url),
            section,
            kind: post.kind.name(),
            kind_label: i18n::kind_label(self.language, post.kind),
            date: self.date(&post.date),
            updated: post.updated.as_ref().map(|d| self.date(d)),
            authors: post
                .authors
                .iter()
                .map(|a| AuthorRef {
                    slug: &a.value,
                    name: self
                        .site
                        .authors
                        .get(&a.value)
                        .map_or(a.value.as_str(), |x| x.name.as_str()),
                })
                .collect(),
            summary: &p.summary_html,
            content: full.then_some(p.html.as_str()),
            image: post.image.as_ref().map(|i| ImageView {
                src: self.asset_url(p, &i.src),
                alt: &i.alt,
                credit: i.credit.as_deref(),
            }),
            irritants: &post.irritants,
            tags: &post.tags,
            series: post
                .series
                .as_ref()
                .zip(post.part.as_ref())
                .map(|(s, part)| SeriesRef {
                    slug: &s.value,
                    part: part.value,
                }),
            draft: p.preview,
        }
    }

    /// An image path from the front matter: absolute URLs stay, `/x.png` is under the site root,
    /// and a bare name is next to the post's source in its section folder.
    fn asset_url(&self, p: &SitePost, src: &str) -> String {
        if src.contains("://") || src.starts_with("data:") {
            src.to_string()
        } else if let Some(rest) = src.strip_prefix('/') {
            format!("{}{rest}", self.site.config.base_path)
        } else {
            let dir = p
                .post
                .section
                .as_deref()
                .map_or(String::new(), |s| format!("{s}/"));
            format!("{}{dir}{src}", self.site.config.base_path)
        }
    }

    /// Page `number` (1-based) of a list of posts whose first page is at `base_url`.
    pub fn paginator(
        &self,
        posts: &[usize],
        number: usize,
        total: usize,
        base_url: &str,
    ) -> PaginatorView<'a> {
        let per = self.site.config.paginate_by;
        let start = (number - 1) * per;
        let end = (start + per).min(posts.len());
        PaginatorView {
            posts: posts
                .get(start..end)
                .unwrap_or(&[])
                .iter()
                .map(|&i| self.post(&self.site.posts[i], false))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined_in_french() {
        assert_eq!(join_names(Language::Fr, &["A", "B", "C"]), "A, B et C");
        assert_eq!(join_names(Language::En, &["A", "B"]), "A and B");
        assert_eq!(join_names(Language::Fr, &["A"]), "A");
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("/breves/", 1), "/breves/");
        assert_eq!(page_url("/breves/", 3), "/breves/page/3/");
    }
}
