//! What the import would write, decided from the export alone (no file is read; the uploads
//! folder is only looked at for which files it has).
//!
//! In two readings of the export, so that it is never held whole: [`Planner::new`] places
//! every post and page from an index of the export (each item without its content nor its
//! comments: [`indexed`]), which is all that the aliases, the links between posts and the
//! featured images need; then [`Planner::item`] converts the items one by one as the export is
//! read again, their files' texts going to a [`Spool`].
//!
//! The defaults of this first version: each category is a section (a post's first one is its
//! section; none, or WordPress's "Uncategorized", is `articles`), tags are `tags`, each
//! `wp:author` an author file, each post and page's old permalink path an alias.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use super::column::{self, SeriesMark};
use super::files::{Planned, Spool, Written};
use super::html;
use super::links::{self, Internal, percent_decoded};
use super::map::Map;
use super::media::PostMedia;
use super::report::Report;
use super::wxr::{Export, Item};
use crate::config::NewSections;
use crate::slug::{shorten, slugify};

/// The section of posts without a category.
pub const DEFAULT_SECTION: &str = "articles";

/// WordPress's default category, in French and in English: it means "no category".
const UNCATEGORISED: &[&str] = &["non-classe", "uncategorized", "sans-categorie"];

/// A post or page whose place in the site is decided.
struct Placed {
    /// Its number among the export's items, and the line of its `<item>` (to be sure that the
    /// second reading meets the same item).
    item: usize,
    line: usize,
    title: String,
    draft: bool,
    /// RFC 3339.
    date: String,
    page: bool,
    /// The kind of its category, if it has one.
    kind: Option<&'static str>,
    rel: PathBuf,
    url: String,
}

/// What the plan needs of the site and of the command line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The names a section or page may not take (the site's own folders and addresses).
    pub reserved: Vec<String>,
    /// The WordPress uploads folder, where the posts' images are looked for (only which files
    /// exist: nothing is read until they are copied).
    pub uploads: Option<PathBuf>,
    /// Where categories and tags go.
    pub map: Map,
    /// The site's `[sections]`: which section holds which kind.
    pub sections: NewSections,
    /// The site's effort types, for breakdowns' findings.
    pub efforts: Vec<String>,
}

/// A series recognised in the titles: its title and the parts found.
struct FoundSeries {
    title: String,
    parts: u32,
    found: BTreeSet<u32>,
}

/// Everything decided so far: slugs taken, the mapping, the files.
pub struct Planner {
    files: Vec<Planned>,
    /// Their texts.
    spool: Spool,
    /// The first error of the spool, if it failed.
    spooling: Option<std::io::Error>,
    /// The posts and pages to convert, in the order of the export; how many are converted.
    placed: Vec<Placed>,
    converted: usize,
    report: Report,
    /// Category nicename → section.
    sections: HashMap<String, String>,
    /// Author login → slug.
    authors: HashMap<String, String>,
    /// (section or "" for pages, slug) taken.
    taken: HashSet<(String, String)>,
    aliases: HashSet<String>,
    /// The addresses of the posts and pages imported.
    urls: HashSet<String>,
    /// (section, slug) → the next number to try after it.
    suffixes: HashMap<(String, String), usize>,
    settings: Settings,
    attachments: HashMap<String, Attachment>,
    /// Series slug → what was found of it.
    series: BTreeMap<String, FoundSeries>,
    /// The published posts and pages by their old addresses.
    internal: Internal,
    /// Each placed post's path under `content/`, once written (for its `@/` links).
    paths: Vec<String>,
}

/// The files to write, their texts and the report's first half.
pub struct Plan {
    pub files: Vec<Planned>,
    pub spool: Spool,
    pub report: Report,
}

/// An item as the index of the export keeps it: what [`Planner::new`] reads (everything but
/// the content, the comments and most of the `wp:postmeta`; an attachment's excerpt, its
/// caption, stays; of a revision, a menu item…, only its type, status and categories).
pub fn indexed(mut item: Item) -> Item {
    if !matches!(item.post_type.as_str(), "post" | "page" | "attachment") {
        return Item {
            post_type: item.post_type,
            status: item.status,
            terms: item.terms,
            line: item.line,
            ..Item::default()
        };
    }
    item.content = String::new();
    item.comments = Vec::new();
    if item.post_type != "attachment" {
        item.excerpt = String::new();
    }
    item.meta
        .retain(|(key, _)| key == "_wp_attachment_image_alt");
    item
}

/// The whole plan of an export held in memory: the tests' way (the import reads the export
/// twice instead).
/// `progress` is told how many posts and pages are done, of how many.
#[cfg(test)]
pub fn plan(
    export: &Export,
    settings: &Settings,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Plan, String> {
    let spool = Spool::temporary().map_err(|e| e.to_string())?;
    let mut planner = Planner::new(export, settings, spool);
    for (n, item) in export.items.iter().enumerate() {
        planner.item(n, item)?;
        progress(planner.converted(), planner.total());
    }
    planner.finish()
}

impl Planner {
    /// Places every post and page of the export, from its index (its items as [`indexed`]
    /// keeps them, or whole).
    pub fn new(index: &Export, settings: &Settings, spool: Spool) -> Planner {
        let mut planner = Planner {
            files: Vec::new(),
            spool,
            spooling: None,
            placed: Vec::new(),
            converted: 0,
            report: Report {
                default_section: DEFAULT_SECTION,
                ..Report::default()
            },
            sections: HashMap::new(),
            authors: HashMap::new(),
            taken: HashSet::new(),
            aliases: HashSet::new(),
            urls: HashSet::new(),
            suffixes: HashMap::new(),
            settings: settings.clone(),
            attachments: attachments(index),
            series: BTreeMap::new(),
            internal: Internal::new(&index.site_links),
            paths: Vec::new(),
        };
        planner.authors(index);
        planner.sections(index);
        for item in &index.items {
            let status = if item.status.is_empty() {
                "-"
            } else {
                &item.status
            };
            *planner
                .report
                .items
                .entry(item.post_type.clone())
                .or_default()
                .entry(status.to_string())
                .or_default() += 1;
        }
        // Every address first, so that no alias takes the address of a post placed after it.
        let items = index.items.iter().enumerate();
        let items = items.filter(|(_, item)| matches!(item.post_type.as_str(), "post" | "page"));
        let placed: Vec<Placed> = items
            .filter_map(|(n, item)| planner.place(n, item))
            .collect();
        planner.urls = placed.iter().map(|p| p.url.clone()).collect();
        for (n, p) in placed.iter().enumerate() {
            let item = &index.items[p.item];
            if item.status == "publish" {
                planner.internal.add(n, &item.link, &item.post_id);
            }
        }
        planner.paths = vec![String::new(); placed.len()];
        planner.placed = placed;
        planner
    }

    /// How many posts and pages there are to convert.
    pub fn total(&self) -> usize {
        self.placed.len()
    }

    /// How many are converted.
    pub fn converted(&self) -> usize {
        self.converted
    }

    /// The item numbered `n` in the export, read again whole: its files if it is a placed post
    /// or page. An error when it is not the item placed under that number (the export changed
    /// between the two readings).
    pub fn item(&mut self, n: usize, item: &Item) -> Result<(), String> {
        let Some(placed) = self.placed.get(self.converted) else {
            return Ok(());
        };
        if placed.item != n {
            return Ok(());
        }
        if placed.line != item.line || !matches!(item.post_type.as_str(), "post" | "page") {
            return Err(changed());
        }
        let placed = std::mem::take(&mut self.placed);
        self.write_item(self.converted, &placed[self.converted], item);
        self.placed = placed;
        self.converted += 1;
        Ok(())
    }

    /// The plan, once every item has been given; the series files last.
    pub fn finish(mut self) -> Result<Plan, String> {
        if self.converted != self.placed.len() {
            return Err(changed());
        }
        self.series_files();
        if let Some(e) = self.spooling {
            return Err(format!(
                "cannot keep the files to write in a temporary file: {e}"
            ));
        }
        self.spool.set_paths(self.paths);
        Ok(Plan {
            files: self.files,
            spool: self.spool,
            report: self.report,
        })
    }

    /// Plans a file made by the import; `links`: a post's or page's, whose links to others
    /// are resolved once all are converted.
    fn add(&mut self, rel: PathBuf, text: &str, what: Written, keep_existing: bool) {
        let links = matches!(what, Written::Post | Written::Page);
        let contents = match self.spool.put(text, links) {
            Ok(contents) => contents,
            Err(e) => {
                self.spooling.get_or_insert(e);
                return;
            }
        };
        self.files.push(Planned {
            rel,
            contents,
            what,
            keep_existing,
        });
    }
}

/// Why the second reading cannot go on.
fn changed() -> String {
    "the export changed while it was being read (its items are not the ones read first): import it again".into()
}

/// An attachment: (its file's URL, its alt text, its caption).
type Attachment = (String, String, String);

/// Each attachment by its id.
fn attachments(export: &Export) -> HashMap<String, Attachment> {
    let attachments = export.items.iter().filter(|i| i.post_type == "attachment");
    let entries = attachments.map(|a| {
        let alt = a.meta("_wp_attachment_image_alt").map(plain);
        let alt = alt
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| plain(&a.title));
        let found = (a.attachment_url.clone(), alt, plain(&a.excerpt));
        (a.post_id.trim().to_string(), found)
    });
    entries.collect()
}

/// What a post's addresses become: its uploads, copied beside it; its galleries' images.
struct PostLinks<'m, 'a> {
    media: PostMedia<'m>,
    attachments: &'a HashMap<String, Attachment>,
    internal: &'a Internal,
    internal_links: usize,
    anchors_dropped: usize,
}

impl links::Links for PostLinks<'_, '_> {
    fn rewrite(&mut self, url: &str) -> Option<String> {
        if let Some(name) = self.media.take(url) {
            return Some(name);
        }
        let (link, anchor) = self.internal.rewrite(url)?;
        self.internal_links += 1;
        self.anchors_dropped += usize::from(anchor);
        Some(link)
    }

    fn attachment(&mut self, id: &str) -> Option<Attachment> {
        self.attachments.get(id).cloned()
    }
}

/// Text that may hold HTML entities or tags (WordPress titles, names): its plain text.
fn plain(text: &str) -> String {
    let fragment = super::nesting::parse_fragment(text);
    let words: String = fragment.root_element().text().collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A JSON string is a YAML double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// A slug of the site made from a WordPress slug (or the title when it has none).
fn site_slug(wordpress: &str, fallback: &str) -> String {
    let slug = shorten(&slugify(&percent_decoded(wordpress)), crate::new::MAX_SLUG).to_string();
    if slug.is_empty() {
        return shorten(&slugify(fallback), crate::new::MAX_SLUG).to_string();
    }
    slug
}

impl Planner {
    fn authors(&mut self, export: &Export) {
        for author in &export.authors {
            let name = plain(&author.display_name);
            let name = if name.is_empty() {
                author.login.clone()
            } else {
                name
            };
            let slug = site_slug(&author.login, &name);
            if slug.is_empty() || self.authors.values().any(|s| *s == slug) {
                continue;
            }
            self.add_author(&author.login, &slug, &name);
        }
    }

    fn add_author(&mut self, login: &str, slug: &str, name: &str) {
        self.authors.insert(login.to_string(), slug.to_string());
        self.report
            .authors
            .push((name.to_string(), slug.to_string()));
        self.add(
            PathBuf::from(format!("content/authors/{slug}.md")),
            &format!("---\nname: {}\n---\n", quoted(name)),
            Written::Author,
            false,
        );
    }

    fn sections(&mut self, export: &Export) {
        let mut made: BTreeMap<String, String> = BTreeMap::new();
        for (nicename, name) in &export.categories {
            let name = plain(name);
            let section = self.section_name(nicename, &name);
            self.sections.insert(nicename.clone(), section.clone());
            let kind = self.kind_of(nicename, &section);
            let entry = (name.clone(), nicename.clone(), section.clone(), kind);
            self.report.sections.push(entry);
            made.entry(section).or_insert(name);
        }
        made.entry(DEFAULT_SECTION.to_string())
            .or_insert_with(|| "Articles".to_string());
        for (section, name) in made {
            self.add(
                PathBuf::from(format!("content/{section}/_index.md")),
                &format!("---\ntitle: {}\n---\n", quoted(&name)),
                Written::Section,
                true,
            );
        }
    }

    /// Where a post or a page goes (its section, slug and address), or the reason it has none,
    /// in the report.
    fn place(&mut self, n: usize, item: &Item) -> Option<Placed> {
        let title = plain(&item.title);
        let title = if title.is_empty() {
            "Sans titre".to_string()
        } else {
            title
        };
        let draft = match item.status.as_str() {
            "publish" | "future" => false,
            "draft" | "pending" | "private" => true,
            other => {
                let why =
                    format!("status \"{other}\" (not publish, future, draft, pending or private)");
                self.report.not_imported.push((title, why));
                return None;
            }
        };
        let Some(date) = date(item) else {
            let why = "no date in wp:post_date_gmt nor wp:post_date".to_string();
            self.report.not_imported.push((title, why));
            return None;
        };
        let page = item.post_type == "page";
        let (section, kind) = match page {
            true => (String::new(), None),
            false => self.section_of(item),
        };
        let slug = self.free_slug(&section, &site_slug(&item.post_name, &title), &item.post_id);
        let (rel, url) = match page {
            true => (format!("content/{slug}.md"), format!("/{slug}/")),
            false => (
                format!("content/{section}/{slug}.md"),
                format!("/{section}/{slug}/"),
            ),
        };
        Some(Placed {
            item: n,
            line: item.line,
            title,
            draft,
            date,
            page,
            kind,
            rel: PathBuf::from(rel),
            url,
        })
    }

    /// The file of a placed post or page: front matter, then its content in Markdown; a
    /// bundle, with its uploads beside it, when it has some.
    fn write_item(&mut self, n: usize, placed: &Placed, item: &Item) {
        let aliases = self.aliases(item, &placed.url);
        let uploads = self.settings.uploads.clone();
        let (mut body, mut media) = self.convert(placed, item, PostMedia::new(uploads.as_deref()));
        let mut front = vec![];
        if placed.page {
            front.push(format!("title: {}", quoted(&placed.title)));
            front.push(format!("date: {}", placed.date));
        } else {
            front.extend(self.series_keys(placed));
            front.push(format!("date: {}", placed.date));
            front.extend(self.kind_keys(placed, &mut body));
            front.extend(Self::summary(item));
            front.extend(self.post_keys(item));
            front.extend(self.featured(item, &placed.title, &mut media));
        }
        if placed.draft {
            front.push("draft: true".into());
        }
        if !aliases.is_empty() {
            let list: Vec<String> = aliases.iter().map(|a| quoted(a)).collect();
            front.push(format!("aliases: [{}]", list.join(", ")));
        }
        let text = format!("---\n{}\n---\n{}", front.join("\n"), body);
        let rel = self.media_files(placed, media);
        let under_content = rel.strip_prefix("content").unwrap_or(&rel);
        self.paths[n] = under_content.to_string_lossy().replace('\\', "/");
        self.comments(item, &placed.title, &self.paths[n].clone());
        let what = if placed.page {
            Written::Page
        } else {
            Written::Post
        };
        self.add(rel, &text, what, false);
    }

    /// A post's content made Markdown, its uploads found, its links made `@/`; the report told.
    fn convert<'m>(
        &mut self,
        placed: &Placed,
        item: &Item,
        media: PostMedia<'m>,
    ) -> (String, PostMedia<'m>) {
        let mut links = PostLinks {
            media,
            attachments: &self.attachments,
            internal: &self.internal,
            internal_links: 0,
            anchors_dropped: 0,
        };
        let converted = html::to_markdown(&item.content, &mut links);
        self.report.internal_links += links.internal_links;
        let dropped = links.anchors_dropped;
        if dropped > 0 {
            let s = if dropped == 1 { "" } else { "s" };
            let why = format!(
                "{dropped} link{s} to other posts had an anchor (#…), dropped: the imported posts have other headings"
            );
            self.report.look_at.push((placed.title.clone(), why));
        }
        for (name, n) in converted.shortcodes {
            *self.report.shortcodes.entry(name).or_default() += n;
        }
        for (name, n) in converted.converted {
            *self.report.converted.entry(name).or_default() += n;
        }
        (converted.markdown, links.media)
    }

    /// The approved comments of a post, in their data file: `comments/breves/x.yaml` for
    /// `content/breves/x.md` (or its bundle), with no e-mail, IP address nor URL.
    fn comments(&mut self, item: &Item, title: &str, path: &str) {
        let (approved, dropped): (Vec<_>, Vec<_>) = (item.comments.iter())
            .partition(|c| c.approved == "1" && matches!(c.kind.as_str(), "" | "comment"));
        self.report.comments_dropped += dropped.len();
        if approved.is_empty() {
            return;
        }
        let mut text = format!(
            "# Commentaires archivés de « {} », importés de WordPress (approuvés seulement).\ncomments:\n",
            title.replace('\n', " ")
        );
        for c in &approved {
            let date = date_of(&c.date_gmt, &c.date).unwrap_or_default();
            let author = plain(&c.author);
            let author = if author.is_empty() {
                "Anonyme".to_string()
            } else {
                author
            };
            text.push_str(&format!("  - id: {}\n", quoted(c.id.trim())));
            text.push_str(&format!(
                "    author: {}\n    date: {date}\n",
                quoted(&author)
            ));
            let parent = c.parent.trim();
            if !parent.is_empty() && parent != "0" {
                text.push_str(&format!("    parent: {}\n", quoted(parent)));
            }
            text.push_str(&format!(
                "    text: {}\n",
                quoted(&comment_text(&c.content))
            ));
        }
        self.report.comments += approved.len();
        let file = path
            .strip_suffix("/index.md")
            .or_else(|| path.strip_suffix(".md"));
        let rel = PathBuf::from(format!("comments/{}.yaml", file.unwrap_or(path)));
        self.add(rel, &text, Written::Comments, false);
    }

    /// The `image` of a post with a featured image (`_thumbnail_id`) found in the uploads.
    fn featured(&mut self, item: &Item, title: &str, media: &mut PostMedia<'_>) -> Option<String> {
        let id = item.meta("_thumbnail_id")?;
        let Some((url, alt, _)) = self.attachments.get(id.trim()) else {
            let why = format!("its featured image (attachment {id}) is not in the export");
            self.report.look_at.push((title.to_string(), why));
            return None;
        };
        let Some(name) = media.take(url) else {
            let why = format!("its featured image {url} is not in the uploads folder: no `image`");
            self.report.look_at.push((title.to_string(), why));
            return None;
        };
        Some(format!(
            "image: {{src: {}, alt: {}}}",
            quoted(&name),
            quoted(alt)
        ))
    }

    /// Plans the copies of a post's uploads, lists the missing ones, and gives the post's file:
    /// `index.md` in a folder of its own (a bundle) when it has uploads.
    fn media_files(&mut self, placed: &Placed, media: PostMedia<'_>) -> PathBuf {
        for url in media.missing {
            (self.report.missing_media).push((placed.title.clone(), url));
        }
        if media.files.is_empty() {
            return placed.rel.clone();
        }
        let folder = placed.rel.with_extension("");
        for (name, from) in media.files {
            self.files.push(Planned {
                rel: folder.join(name),
                contents: super::files::Contents::Copy(from),
                what: Written::Media,
                keep_existing: false,
            });
        }
        folder.join(crate::layout::BUNDLE_INDEX)
    }

    /// A post's `title`, and its `series` and `part` when its title ends with a series mark
    /// (`(suite – 2#3)`), then written `(2/3)`.
    fn series_keys(&mut self, placed: &Placed) -> Vec<String> {
        let title = &placed.title;
        let Some(SeriesMark {
            title: name,
            part,
            parts,
        }) = column::series_mark(title)
        else {
            return vec![format!("title: {}", quoted(title))];
        };
        let slug = site_slug("", &name);
        let series = self.series.entry(slug.clone()).or_insert(FoundSeries {
            title: name.clone(),
            parts,
            found: BTreeSet::new(),
        });
        if !series.found.insert(part) {
            let why =
                format!("part {part} of the series « {name} » a second time: not made a part");
            self.report.look_at.push((title.clone(), why));
            return vec![format!("title: {}", quoted(title))];
        }
        series.parts = series.parts.max(parts);
        vec![
            format!("title: {}", quoted(&format!("{name} ({part}/{parts})"))),
            format!("series: {}", quoted(&slug)),
            format!("part: {part}"),
        ]
    }

    /// A post's `kind`: `irritant` with its breakdown's keys when its body holds one (taken
    /// out of `body`), else its category's kind; the report says what was recognised.
    fn kind_keys(&mut self, placed: &Placed, body: &mut String) -> Vec<String> {
        let title = placed.title.clone();
        match column::breakdown(body, &self.settings.efforts) {
            Ok(Some(found)) => {
                *body = found.body;
                if !body.is_empty() && !body.ends_with('\n') {
                    body.push('\n');
                }
                let entry = (title, found.steps, found.findings);
                self.report.breakdowns.push(entry);
                return found.front;
            }
            Ok(None) => {}
            Err(why) => {
                let why = format!(
                    "it looks like a breakdown, but {why}: left in the body, imported as an article"
                );
                self.report.look_at.push((title, why));
                return Vec::new();
            }
        }
        match placed.kind {
            // A breakdown needs its steps: without them the post is an article.
            Some("irritant") => {
                let why = "in a category of breakdowns, but with no breakdown found (Contexte, Étape 1…): imported as an article".to_string();
                self.report.look_at.push((title, why));
                Vec::new()
            }
            Some(kind) => vec![format!("kind: {kind}")],
            None => Vec::new(),
        }
    }

    /// The series files of the series recognised: their title and number of parts.
    fn series_files(&mut self) {
        for (slug, series) in std::mem::take(&mut self.series) {
            let text = format!(
                "---\ntitle: {}\nparts: {}\n---\n",
                quoted(&series.title),
                series.parts
            );
            let rel = PathBuf::from(format!("content/series/{slug}.md"));
            self.add(rel, &text, Written::Series, true);
            let found = series.found.iter().map(u32::to_string).collect();
            (self.report.series).push((series.title.clone(), slug.clone(), found, series.parts));
        }
    }

    /// A post's `summary`: its excerpt written by hand, as plain text.
    fn summary(item: &Item) -> Option<String> {
        let text = comment_text(&item.excerpt).replace("\n\n", " ");
        (!text.trim().is_empty()).then(|| format!("summary: {}", quoted(text.trim())))
    }

    /// A post's `authors`, `irritants` and `tags`.
    fn post_keys(&mut self, item: &Item) -> Vec<String> {
        let mut keys = Vec::new();
        if !item.creator.is_empty() {
            let slug = match self.authors.get(&item.creator) {
                Some(slug) => Some(slug.clone()),
                None => {
                    let slug = site_slug(&item.creator, "");
                    (!slug.is_empty()).then(|| {
                        self.add_author(&item.creator, &slug, &item.creator);
                        slug
                    })
                }
            };
            keys.extend(slug.map(|s| format!("authors: [{}]", quoted(&s))));
        }
        let (mut irritants, mut tags) = (Vec::new(), Vec::new());
        for (domain, nicename, name) in &item.terms {
            if domain != "post_tag" {
                continue;
            }
            match self.settings.map.irritant_tags.contains(nicename) {
                true => irritants.push(quoted(&plain(name))),
                false => tags.push(quoted(&plain(name))),
            }
        }
        for (key, list) in [("irritants", irritants), ("tags", tags)] {
            if !list.is_empty() {
                keys.push(format!("{key}: [{}]", list.join(", ")));
            }
        }
        keys
    }

    /// The section a category becomes: its slug; [`DEFAULT_SECTION`] for none or WordPress's
    /// "Uncategorized"; `categorie-<slug>` for a name the site uses already (`series`,
    /// `auteurs`, a taxonomy's segment…).
    fn section_name(&self, nicename: &str, name: &str) -> String {
        let section = match self.settings.map.section(nicename) {
            Some(mapped) => mapped.to_string(),
            None => site_slug(nicename, name),
        };
        if section.is_empty() || UNCATEGORISED.contains(&section.as_str()) {
            return DEFAULT_SECTION.to_string();
        }
        match self.settings.reserved.contains(&section) {
            true => format!("categorie-{section}"),
            false => section,
        }
    }

    /// The kind of a category's posts: the map's, or the one `[sections]` files in its section.
    fn kind_of(&self, nicename: &str, section: &str) -> Option<&'static str> {
        (self.settings.map).kind(nicename, section, &self.settings.sections)
    }

    /// The section of a post and its kind: its first category's, else [`DEFAULT_SECTION`].
    fn section_of(&mut self, item: &Item) -> (String, Option<&'static str>) {
        let first = item
            .terms
            .iter()
            .find(|(domain, _, _)| domain == "category");
        let Some((_, nicename, name)) = first else {
            let section = DEFAULT_SECTION.to_string();
            let kind = self.kind_of("", &section);
            return (section, kind);
        };
        if let Some(section) = self.sections.get(nicename) {
            return (section.clone(), self.kind_of(nicename, section));
        }
        // A category used by a post but missing from the channel's list.
        let section = self.section_name(nicename, name);
        let kind = self.kind_of(nicename, &section);
        self.sections.insert(nicename.clone(), section.clone());
        let entry = (plain(name), nicename.clone(), section.clone(), kind);
        self.report.sections.push(entry);
        self.add(
            PathBuf::from(format!("content/{section}/_index.md")),
            &format!("---\ntitle: {}\n---\n", quoted(&plain(name))),
            Written::Section,
            true,
        );
        (section, kind)
    }

    /// `slug`, or `slug-2`, `slug-3`… when it is taken in the section (or by a section, for a
    /// page); `post-<id>` when there is no slug at all.
    fn free_slug(&mut self, section: &str, slug: &str, id: &str) -> String {
        let base = if slug.is_empty() {
            format!("post-{}", slugify(id))
        } else {
            slug.to_string()
        };
        let base = match crate::slug::problem(&base) {
            Some(_) => format!("{base}-wp"),
            None => base,
        };
        let clashes = |s: &str| {
            self.taken.contains(&(section.to_string(), s.to_string()))
                || (section.is_empty() && self.settings.reserved.iter().any(|x| x == s))
                || (section.is_empty() && self.sections.values().any(|x| x == s))
        };
        // Where the last search for this base stopped: many posts with one slug stay linear.
        let key = (section.to_string(), base.clone());
        let mut n = self.suffixes.get(&key).copied().unwrap_or(2);
        let mut slug = base.clone();
        while clashes(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.suffixes.insert(key, n);
        self.taken.insert((section.to_string(), slug.clone()));
        slug
    }

    /// The old addresses of an item that can be aliases; the others in the report.
    fn aliases(&mut self, item: &Item, url: &str) -> Vec<String> {
        let mut out = Vec::new();
        match link_path(&item.link) {
            Ok(path) if path == url => {}
            Ok(path) if self.urls.contains(&path) => {
                let why = "it is the address of another imported post or page".to_string();
                self.report.skipped_aliases.push((item.link.clone(), why));
            }
            Ok(path) if !self.aliases.insert(path.clone()) => {
                let why = "another post already has it".to_string();
                self.report.skipped_aliases.push((item.link.clone(), why));
            }
            Ok(path) => out.push(path),
            Err(why) => self.report.skipped_aliases.push((item.link.clone(), why)),
        }
        // `/?p=14` asks for the home page's file (a static host ignores the query): the post
        // answers at `/p/14/`, which one rule of the host's can send `/?p=14` to.
        let id = item.post_id.trim();
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            let path = format!("/p/{id}/");
            if !self.urls.contains(&path) && self.aliases.insert(path.clone()) {
                out.push(path);
                self.report.query_links += 1;
            }
        }
        out
    }
}

/// The path of a WordPress permalink, as an alias: `https://x.fr/2018/03/12/y/` → `/2018/03/12/y/`.
fn link_path(link: &str) -> Result<String, String> {
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(i) => &after_scheme[i..],
        None => "/",
    };
    if path.contains("?p=") || path.contains("?page_id=") {
        return Err("a query (?p=): see the list of query links".into());
    }
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decoded(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("the home page's address".into());
    }
    let bad = segments.iter().find(|s| {
        **s == "." || **s == ".." || s.contains(['\\', '%']) || s.contains(char::is_control)
    });
    if let Some(bad) = bad {
        return Err(format!("\"{bad}\" cannot be a folder of the site"));
    }
    if let Some(why) = segments.iter().find_map(|s| crate::slug::problem(s)) {
        return Err(format!("a part of it {why}"));
    }
    Ok(path)
}

/// The date of an item as RFC 3339, in the blog's time zone: see [`date_of`].
fn date(item: &Item) -> Option<String> {
    date_of(&item.post_date_gmt, &item.post_date)
}

/// A WordPress date in the blog's own time zone: its local time (`wp:post_date`) with the
/// offset it had then, which is the difference from the GMT one (`+01:00` in winter in Paris,
/// `+02:00` in summer), so that a post shows the day its author saw. Without a GMT date (a
/// draft: `0000-00-00`) the local time alone, which the site reads as UTC, keeping its day;
/// without a usable local one, the GMT one in UTC.
fn date_of(gmt: &str, local: &str) -> Option<String> {
    use jiff::civil::DateTime;
    let parse = |s: &str| DateTime::strptime("%Y-%m-%d %H:%M:%S", s.trim()).ok();
    let format = |d: DateTime| d.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    match (parse(gmt), parse(local)) {
        (Some(gmt), Some(local)) => {
            let seconds = gmt.until(local).ok()?.total(jiff::Unit::Second).ok()? as i64;
            // A real offset: within ±14 h, in quarters of an hour.
            if seconds.abs() > 14 * 3600 || seconds % 900 != 0 {
                return Some(format!("{}Z", format(gmt)));
            }
            if seconds == 0 {
                return Some(format!("{}Z", format(local)));
            }
            let sign = if seconds < 0 { '-' } else { '+' };
            let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
            Some(format!("{}{sign}{h:02}:{m:02}", format(local)))
        }
        (None, Some(local)) => Some(format(local)),
        (Some(gmt), None) => Some(format!("{}Z", format(gmt))),
        (None, None) => None,
    }
}

/// A comment's HTML made plain text, its paragraphs separated by a blank line.
fn comment_text(html_text: &str) -> String {
    let markdown = html::to_markdown(html_text, &mut links::Keep).markdown;
    let paragraphs = markdown.split("\n\n").map(column::plain_text);
    let paragraphs: Vec<String> = paragraphs.filter(|p| !p.is_empty()).collect();
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn permalinks_become_paths() {
        assert_eq!(
            link_path("https://blog.fr/2018/03/12/la-punition/").unwrap(),
            "/2018/03/12/la-punition/"
        );
        assert_eq!(link_path("https://blog.fr/a/b?x=1#y").unwrap(), "/a/b");
        assert_eq!(link_path("https://blog.fr/%c3%a7a/").unwrap(), "/ça/");
        assert!(link_path("https://blog.fr/?p=14").is_err());
        assert!(link_path("https://blog.fr/").is_err());
        assert!(link_path("https://blog.fr/a/../b/").is_err());
    }

    #[test]
    fn dates_fall_back_to_the_local_one() {
        let item = |gmt: &str, local: &str| Item {
            post_date_gmt: gmt.into(),
            post_date: local.into(),
            ..Item::default()
        };
        let d = date(&item("2019-12-17 07:30:00", "2019-12-17 08:30:00"));
        assert_eq!(d.as_deref(), Some("2019-12-17T08:30:00+01:00"));
        // Just after midnight in Paris, the day before in UTC: the author's day is kept.
        let d = date(&item("2019-06-30 22:30:00", "2019-07-01 00:30:00"));
        assert_eq!(d.as_deref(), Some("2019-07-01T00:30:00+02:00"));
        let d = date(&item("2019-12-17 12:00:00", "2019-12-17 07:00:00"));
        assert_eq!(d.as_deref(), Some("2019-12-17T07:00:00-05:00"));
        let d = date(&item("2019-12-17 08:30:00", "2019-12-17 08:30:00"));
        assert_eq!(d.as_deref(), Some("2019-12-17T08:30:00Z"));
        let d = date(&item("0000-00-00 00:00:00", "2019-12-17 08:30:00"));
        assert_eq!(d.as_deref(), Some("2019-12-17T08:30:00"));
        assert_eq!(date(&item("", "")), None);
        assert_eq!(site_slug("%c3%a7a-m-agace", "x"), "ca-m-agace");
    }

    #[test]
    fn no_alias_takes_the_address_of_an_imported_post() {
        let post = |name: &str, link: &str, terms| Item {
            title: name.into(),
            post_name: name.into(),
            link: link.into(),
            post_date_gmt: "2020-01-01 00:00:00".into(),
            status: "publish".into(),
            post_type: "post".into(),
            terms,
            ..Item::default()
        };
        let breves = vec![("category".into(), "breves".into(), "Brèves".into())];
        let export = Export {
            items: vec![
                post("x", "https://b.fr/breves/y/", vec![]),
                post("y", "https://b.fr/2020/y/", breves),
            ],
            ..Export::default()
        };
        let Plan {
            files,
            mut spool,
            report,
        } = plan(&export, &Settings::default(), &mut |_, _| {}).unwrap();
        let mut text = |i: usize| spool.text(&files[i].contents).unwrap();
        assert!(!text(2).contains("aliases"), "{}", text(2));
        assert!(text(3).contains("aliases: [\"/2020/y/\"]"));
        assert_eq!(report.skipped_aliases.len(), 1);
    }

    #[test]
    fn an_export_changed_between_the_two_readings_is_an_error() {
        let post = |line| Item {
            title: "x".into(),
            post_date_gmt: "2020-01-01 00:00:00".into(),
            status: "publish".into(),
            post_type: "post".into(),
            line,
            ..Item::default()
        };
        let export = Export {
            items: vec![post(3), post(9)],
            ..Export::default()
        };
        let index = Export {
            items: export.items.iter().cloned().map(indexed).collect(),
            ..Export::default()
        };
        let mut planner = Planner::new(&index, &Settings::default(), Spool::temporary().unwrap());
        planner.item(0, &export.items[0]).unwrap();
        // Another item where the second was: a line of its own.
        assert!(planner.item(1, &post(12)).unwrap_err().contains("changed"));
        // An item missing at the end.
        let planner = Planner::new(&index, &Settings::default(), Spool::temporary().unwrap());
        assert!(planner.finish().err().unwrap().contains("changed"));
    }

    #[test]
    fn a_taken_slug_gets_a_number() {
        let mut export = Export::default();
        for id in 0..4 {
            export.items.push(Item {
                title: "Même titre".into(),
                post_id: id.to_string(),
                post_date_gmt: "2020-01-01 00:00:00".into(),
                status: "publish".into(),
                post_type: "post".into(),
                ..Item::default()
            });
        }
        export.items[3].post_type = "page".into();
        export.items[3].post_name = "auteurs".into();
        export.categories.push(("series".into(), "Séries".into()));
        export.items[2]
            .terms
            .push(("category".into(), "series".into(), "Séries".into()));
        let settings = Settings {
            reserved: vec!["auteurs".into(), "series".into()],
            ..Settings::default()
        };
        let files = plan(&export, &settings, &mut |_, _| {}).unwrap().files;
        let page = files.iter().find(|f| f.what == Written::Page).unwrap();
        assert_eq!(page.rel, Path::new("content/auteurs-2.md"));
        let posts: Vec<String> = (files.iter())
            .filter(|f| f.what == Written::Post)
            .map(|f| f.rel.display().to_string())
            .collect();
        assert_eq!(
            posts,
            [
                "content/articles/meme-titre.md",
                "content/articles/meme-titre-2.md",
                "content/categorie-series/meme-titre.md",
            ]
        );
    }
}
