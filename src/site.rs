//! The assembled site: every published post with its URL and HTML, the sections, the authors.
//!
//! `Site::assemble` is where the whole-site rules live — which posts are published ("now",
//! drafts), where each one goes, whether two posts claim the same URL, whether authors and
//! internal links exist — and where Markdown becomes HTML, since internal links need every URL.
//! The result does not change afterwards: rendering only reads it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Author, Content, Post, SectionMeta, capitalise, link_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown;

/// What the build was asked for, besides the site's own configuration.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    /// Include drafts and scheduled posts (for previews).
    pub drafts: bool,
    /// "Now": the build time, or `SOURCE_DATE_EPOCH`.
    pub now: Timestamp,
}

/// A published post, placed and rendered.
#[derive(Debug, Clone)]
pub struct SitePost {
    pub post: Post,
    /// Root-relative URL: `/breves/punition/`.
    pub url: String,
    /// The file it is written to, inside the output folder.
    pub output: PathBuf,
    pub html: String,
    pub summary_html: String,
    /// A draft or a post dated after "now", shown only because of `--drafts`.
    pub preview: bool,
}

/// A section: a folder under `content/` with its published posts.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub title: String,
    pub description: String,
    pub url: String,
    /// Indexes into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub settings: BuildSettings,
    /// Published posts, newest first (ties broken by source path).
    pub posts: Vec<SitePost>,
    pub sections: Vec<Section>,
    pub authors: BTreeMap<String, Author>,
    /// Posts that exist but are not published (drafts, scheduled), by link key.
    pub unpublished: usize,
}

impl Site {
    /// Places, checks and renders the parsed content.
    pub fn assemble(
        config: Config,
        settings: BuildSettings,
        content: Content,
    ) -> (Site, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let authors: BTreeMap<String, Author> = content
            .authors
            .into_iter()
            .map(|a| (a.slug.clone(), a))
            .collect();

        // Which posts are published.
        let mut unpublished_keys: HashMap<String, String> = HashMap::new();
        let mut published: Vec<(Post, bool)> = Vec::new();
        for post in content.posts {
            let scheduled = post.date.instant > settings.now;
            if (post.draft || scheduled) && !settings.drafts {
                let why = if post.draft {
                    "a draft".to_string()
                } else {
                    format!("scheduled for {}", post.date.datetime)
                };
                unpublished_keys.insert(link_key(&post.rel), why);
            } else {
                let preview = post.draft || scheduled;
                published.push((post, preview));
            }
        }
        published.sort_by(|(a, _), (b, _)| {
            b.date
                .instant
                .cmp(&a.date.instant)
                .then_with(|| a.path.cmp(&b.path))
        });

        // Unknown authors.
        for (post, _) in &published {
            for a in &post.authors {
                if !authors.contains_key(&a.value) {
                    let known: Vec<&str> = authors.keys().map(String::as_str).collect();
                    let note = if known.is_empty() {
                        "there is no author yet: add content/authors/<slug>.md".to_string()
                    } else {
                        format!("known authors: {}", known.join(", "))
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            Some(a.location.clone()),
                            format!("unknown author \"{}\"", a.value),
                        )
                        .with_source(&post.text)
                        .with_note(note),
                    );
                }
            }
        }

        // URLs, and posts claiming the same one.
        let base = &config.base_path;
        let mut by_url: HashMap<String, usize> = HashMap::new();
        let mut urls = Vec::with_capacity(published.len());
        for (i, (post, _)) in published.iter().enumerate() {
            let rel_dir = match &post.section {
                Some(section) => format!("{section}/{}/", post.slug),
                None => format!("{}/", post.slug),
            };
            let url = format!("{base}{rel_dir}");
            if let Some(&first) = by_url.get(&url) {
                let other = &published[first].0;
                diagnostics.push(
                    Diagnostic::error(
                        Some(Location::file(&post.path)),
                        format!(
                            "two posts have the same URL {url}: {} and {}",
                            crate::diagnostics::display_path(&other.path),
                            crate::diagnostics::display_path(&post.path)
                        ),
                    )
                    .with_note("rename one of the files, or give it another `slug`"),
                );
            } else {
                by_url.insert(url.clone(), i);
            }
            urls.push((url, PathBuf::from(format!("{rel_dir}index.html"))));
        }
        let by_key: HashMap<String, String> = published
            .iter()
            .zip(&urls)
            .map(|((p, _), (url, _))| (link_key(&p.rel), url.clone()))
            .collect();

        // Markdown, in parallel; broken internal links become errors at their line.
        let resolve = |path: &str| by_key.get(path.trim_start_matches('/')).cloned();
        let rendered: Vec<(markdown::Rendered, Option<String>)> = published
            .par_iter()
            .map(|(post, _)| {
                let r = markdown::render(&post.body, &resolve);
                let summary = post
                    .summary
                    .as_deref()
                    .map(|s| markdown::render_inline(s, &resolve));
                (r, summary)
            })
            .collect();
        let mut posts = Vec::with_capacity(published.len());
        for (((post, preview), (url, output)), (r, summary)) in
            published.into_iter().zip(urls).zip(rendered)
        {
            for link in &r.broken_links {
                let (line, column) = crate::config::line_col(&post.body, link.offset);
                let why = match unpublished_keys.get(&link.target) {
                    Some(why) => format!("it is not published ({why})"),
                    None => format!("content/{} does not exist", link.target),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Some(Location::new(&post.path, line + post.body_line - 1, column)),
                        format!("broken internal link to @/{}: {why}", link.target),
                    )
                    .with_source(&post.text),
                );
            }
            posts.push(SitePost {
                summary_html: summary.unwrap_or(r.summary),
                html: r.html,
                url,
                output,
                preview,
                post,
            });
        }

        // Sections: every folder with posts, and every `_index.md`.
        let mut metas: BTreeMap<String, SectionMeta> = content
            .sections
            .into_iter()
            .filter(|s| !s.name.is_empty())
            .map(|s| (s.name.clone(), s))
            .collect();
        let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            if let Some(s) = &p.post.section {
                members.entry(s.clone()).or_default().push(i);
            }
        }
        for name in members.keys() {
            metas.entry(name.clone()).or_insert_with(|| SectionMeta {
                name: name.clone(),
                title: capitalise(name),
                description: String::new(),
            });
        }
        let mut sections: Vec<Section> = metas
            .into_values()
            .map(|m| Section {
                url: format!("{base}{}/", m.name),
                posts: members.remove(&m.name).unwrap_or_default(),
                name: m.name,
                title: m.title,
                description: m.description,
            })
            .collect();
        sections.sort_by(|a, b| a.title.cmp(&b.title).then(a.name.cmp(&b.name)));

        let site = Site {
            config,
            settings,
            posts,
            sections,
            authors,
            unpublished: unpublished_keys.len(),
        };
        (site, diagnostics)
    }

    /// The years of the first and last published posts (for the copyright line).
    pub fn years(&self) -> (i16, i16) {
        let now = self
            .settings
            .now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .year();
        let first = self.posts.last().map_or(now, |p| p.post.date.day.year());
        let last = self.posts.first().map_or(now, |p| p.post.date.day.year());
        (first, last)
    }
}
