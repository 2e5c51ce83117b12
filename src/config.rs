//! `site.toml`: read as written (`RawConfig`, serde), then resolved into a [`Config`] the rest of
//! the build can trust (a base URL that ends with `/`, a known language, a positive page size).
//!
//! Unknown keys are errors that name the key and its line, with a hint for near-misses, because a
//! misspelt setting that is silently ignored is worse than a build that stops.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{DeserializeOwned, Visitor};

use crate::diagnostics::{Diagnostic, Location, backticked, did_you_mean, line_col};
pub use crate::language::Language;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default)]
    language: Language,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    /// A template for the footer line: `{authors}`, `{first_year}`, `{last_year}`, `{title}`.
    copyright: Option<String>,
    /// URL segments of the taxonomies.
    #[serde(default)]
    taxonomies: TaxonomyPaths,
    /// The effort types findings may name, with their display names.
    efforts: Option<Vec<EffortType>>,
    /// How many related posts end each post.
    #[serde(default = "default_related")]
    related_posts: usize,
    /// How many posts the site-wide feeds carry.
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    /// Apply French (or English) typography to the text of posts.
    #[serde(default = "default_true")]
    typography: bool,
    /// Colour fenced code blocks with syntect.
    #[serde(default = "default_true")]
    highlight_code: bool,
    /// The author slug `chronique new` signs new posts with, when `--author` is not given.
    default_author: Option<String>,
    /// The folder under `content/` where `chronique new` writes each kind of post.
    #[serde(default)]
    sections: NewSections,
    /// Links the site adds to its navigation (`[[menu.main]]`) and footer (`[[menu.footer]]`).
    #[serde(default)]
    menu: RawMenus,
    /// How photos are published (`[images]`).
    #[serde(default)]
    images: ImageSettings,
}

/// `[images]`: the widths photos are published at, their quality, and which of their metadata
/// is kept (none by default: a phone photo's EXIF says where it was taken, often at home).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct ImageSettings {
    /// The widths, in pixels, of the variants (an image is never enlarged to one). The theme's
    /// column is 672 CSS pixels wide at most (42 rem): 672 and 1 344 fill it on a screen of
    /// 1 and 2 device pixels per CSS pixel, and 672 is also what a 375-pixel phone at 2x
    /// shows (Lighthouse's phone, 412 pixels at 1.75x, needs 651); 960 and 480 fill the others.
    pub widths: Vec<u32>,
    /// The quality of the WebP and JPEG variants, from 1 to 100.
    pub quality: u8,
    /// Keep the camera's EXIF data (make, model, exposure, date) in published photos.
    pub keep_camera: bool,
    /// Keep the GPS position too: only when asked, and only with `keep_camera`.
    pub keep_location: bool,
    /// `chronique check` warns about originals heavier than this many kilobytes.
    pub warn_over_kb: u64,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![480, 672, 960, 1344],
            quality: 80,
            keep_camera: false,
            keep_location: false,
            warn_over_kb: 5_000,
        }
    }
}

/// `[[menu.main]]` and `[[menu.footer]]` as written: each entry with where it is, so that a
/// mistake found later (a page that does not exist) is reported at its line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenus {
    #[serde(default)]
    main: Vec<toml::Spanned<RawMenuEntry>>,
    #[serde(default)]
    footer: Vec<toml::Spanned<RawMenuEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenuEntry {
    name: toml::Spanned<String>,
    page: Option<toml::Spanned<String>>,
    url: Option<toml::Spanned<String>>,
    #[serde(default)]
    weight: i64,
}

/// The folder under `content/` where `chronique new` writes each kind of post; the build itself
/// places posts by the folder they are in, whatever their kind.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct NewSections {
    pub breve: String,
    pub article: String,
    pub conte: String,
    pub irritant: String,
}

impl Default for NewSections {
    fn default() -> Self {
        NewSections {
            breve: "breves".into(),
            article: "articles".into(),
            conte: "contes".into(),
            irritant: "decryptages".into(),
        }
    }
}

/// Where each taxonomy lives: `/irritants/`, `/etiquettes/`, `/efforts/` by default.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct TaxonomyPaths {
    pub irritants: String,
    pub tags: String,
    pub efforts: String,
}

impl Default for TaxonomyPaths {
    fn default() -> Self {
        TaxonomyPaths {
            irritants: "irritants".into(),
            tags: "etiquettes".into(),
            efforts: "efforts".into(),
        }
    }
}

/// An effort a customer had to make, as findings name it (`financier`) and as readers see it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct EffortType {
    pub id: String,
    pub name: String,
}

fn default_efforts(language: Language) -> Vec<EffortType> {
    // Each names what the customer gives, in the same form (issue 25: « Patience » beside
    // « Effort de contact »); the taxonomy's title says they are efforts.
    let fr = [
        ("financier", "Argent"),
        ("contact", "Contacts"),
        ("patience", "Patience"),
        ("temps", "Temps perdu"),
        ("démarche", "Démarches"),
        ("émotionnel", "Charge émotionnelle"),
    ];
    let en = [
        "Money",
        "Contacts",
        "Patience",
        "Time lost",
        "Paperwork",
        "Emotional load",
    ];
    fr.iter()
        .zip(en)
        .map(|((id, name_fr), name_en)| EffortType {
            id: id.to_string(),
            name: match language {
                Language::Fr => name_fr.to_string(),
                Language::En => name_en.to_string(),
            },
        })
        .collect()
}

fn default_related() -> usize {
    4
}

fn default_feed_limit() -> usize {
    20
}

fn default_true() -> bool {
    true
}

fn default_theme() -> String {
    "chronique".to_string()
}

fn default_paginate_by() -> usize {
    10
}

/// The line (from 1) where `key = …` is set, or 1 when it is not.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// The line (from 1) where the URL segment of taxonomy `key` is set: in a `[taxonomies]` table
/// or as `taxonomies.<key> = …`; None when it is not set (the default applies).
fn taxonomy_line(text: &str, key: &str) -> Option<usize> {
    table_line(text, "taxonomies", key)
}

/// The line (from 1) where `key` of the table `table` is set: in a `[table]` or as
/// `table.<key> = …`.
fn table_line(text: &str, table: &str, key: &str) -> Option<usize> {
    let mut in_table = false;
    let header = format!("[{table}]");
    let dotted = format!("{table}.");
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('[') {
            in_table = line.trim_end() == header;
            continue;
        }
        let rest = if in_table {
            line.strip_prefix(key)
        } else {
            line.strip_prefix(dotted.as_str())
                .and_then(|l| l.strip_prefix(key))
        };
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(i + 1);
        }
    }
    None
}

/// The resolved site configuration. `Hash`: every value a page may depend on goes into the key
/// of `chronique serve`'s page reuse ([`crate::render::trace`]).
#[derive(Debug, Clone, Hash)]
pub struct Config {
    /// The site's folder (where `site.toml` is).
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, starts and ends with `/`: every root-relative URL starts with it.
    pub base_path: String,
    pub language: Language,
    pub theme: String,
    pub paginate_by: usize,
    pub copyright: String,
    pub taxonomies: TaxonomyPaths,
    pub efforts: Vec<EffortType>,
    pub related_posts: usize,
    pub feed_limit: usize,
    pub typography: bool,
    pub highlight_code: bool,
    /// The author slug `chronique new` signs new posts with (the build does not use it).
    pub default_author: Option<String>,
    /// Where `chronique new` writes each kind of post.
    pub sections: NewSections,
    /// The site's own links in the navigation and the footer, targets not yet resolved.
    pub menus: MenuSettings,
    /// Where the `theme` key is (line 1 when the theme is the default), for messages about it.
    pub theme_line: usize,
    /// The text of `site.toml`, to show the offending line in messages.
    pub text: String,
    /// Interface strings the site overrides (`i18n.toml`): key, text, and where it is set.
    pub strings: Vec<StringOverride>,
    /// How photos are published.
    pub images: ImageSettings,
}

/// The site's own menus, from `[[menu.main]]` and `[[menu.footer]]`, in the order written; the
/// assembly resolves their targets and orders them by weight (`crate::site`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MenuSettings {
    pub main: Vec<MenuItem>,
    pub footer: Vec<MenuItem>,
}

/// One menu entry, checked: a name and exactly one target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MenuItem {
    pub name: String,
    pub target: MenuTarget,
    pub weight: i64,
    /// Where the target is written (the value of `page` or `url`), for later messages.
    pub location: Location,
}

/// Where a menu entry goes, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MenuTarget {
    /// A source file, like an internal link: `@/a-propos.md`.
    Page(String),
    /// Any other address: `https://…`, `mailto:…`, or a path on the site (`/breves/`).
    Url(String),
}

/// The menus `raw` says, each entry checked ([`menu_item`]).
fn check_menus(raw: RawMenus, text: &str, shown: &Path) -> Result<MenuSettings, Diagnostic> {
    let items = |entries: Vec<toml::Spanned<RawMenuEntry>>, table: &str| {
        (entries.into_iter())
            .map(|e| menu_item(e, table, text, shown))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(MenuSettings {
        main: items(raw.main, "main")?,
        footer: items(raw.footer, "footer")?,
    })
}

/// A menu entry of `[[menu.<table>]]` with a name and exactly one of `page` and `url`, or an
/// error at the offending key.
fn menu_item(
    entry: toml::Spanned<RawMenuEntry>,
    table: &str,
    text: &str,
    shown: &Path,
) -> Result<MenuItem, Diagnostic> {
    let at = |offset: usize| {
        let (line, column) = line_col(text, offset);
        Location::new(shown, line, column)
    };
    let error = |offset: usize, message: String| {
        Diagnostic::error(Some(at(offset)), message).with_source(text)
    };
    let start = entry.span().start;
    let RawMenuEntry {
        name,
        page,
        url,
        weight,
    } = entry.into_inner();
    let name_at = name.span().start;
    let name = name.into_inner().trim().to_string();
    if name.is_empty() {
        return Err(error(
            name_at,
            format!("a [[menu.{table}]] entry has an empty name: it is the text of the link"),
        ));
    }
    let (target, offset) = match (page, url) {
        (Some(page), Some(url)) => {
            let second = page.span().start.max(url.span().start);
            return Err(error(
                second,
                format!(
                    "the [[menu.{table}]] entry \"{name}\" has both `page` and `url`: keep one, `page` for a file of the site (\"@/a-propos.md\"), `url` for any other address"
                ),
            ));
        }
        (Some(page), None) => {
            let offset = page.span().start;
            (MenuTarget::Page(page.into_inner()), offset)
        }
        (None, Some(url)) => {
            let offset = url.span().start;
            (MenuTarget::Url(url.into_inner()), offset)
        }
        (None, None) => {
            return Err(error(
                start,
                format!(
                    "the [[menu.{table}]] entry \"{name}\" goes nowhere: give it `page = \"@/a-propos.md\"` (a file of the site) or `url = \"https://…\"`"
                ),
            ));
        }
    };
    Ok(MenuItem {
        name,
        target,
        weight,
        location: at(offset),
    })
}

/// The file where a site overrides the theme's interface strings.
pub const STRINGS_FILE: &str = "i18n.toml";

/// One interface string from `i18n.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StringOverride {
    pub key: String,
    pub text: String,
    pub location: Location,
    /// The line it is on, for messages.
    pub line: String,
}

/// `i18n.toml`: a flat table of `key = "text"`.
fn parse_strings(text: &str) -> Result<Vec<StringOverride>, Diagnostic> {
    let shown = Path::new(STRINGS_FILE);
    let table: toml::Spanned<toml::Table> = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        Diagnostic::error(
            Some(Location::new(shown, line, column)),
            e.message().trim().to_string(),
        )
        .with_source(text)
    })?;
    let mut out = Vec::new();
    for (key, value) in table.into_inner() {
        let line = key_line(text, &key);
        let location = Location::new(shown, line, 1);
        let Some(s) = value.as_str() else {
            return Err(Diagnostic::error(
                Some(location),
                format!("interface string `{key}` must be a text in quotes"),
            )
            .with_source(text));
        };
        out.push(StringOverride {
            key,
            text: s.to_string(),
            location,
            line: text.lines().nth(line - 1).unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// Why `<root>/site.toml` could not be read, with no location: a file that is not there, or
/// not a file, has no line 1 to point at.
fn unreadable(root: &Path, e: &std::io::Error) -> Diagnostic {
    let path = crate::diagnostics::display_path(&root.join(crate::layout::SITE_FILE));
    if e.kind() == std::io::ErrorKind::NotFound {
        let folder = match crate::diagnostics::display_path(root).as_str() {
            "." | "" => "this folder".to_string(),
            other => other.to_string(),
        };
        return Diagnostic::error(
            None,
            format!(
                "there is no site.toml in {folder}: is it the column's folder? `chronique init` creates a column"
            ),
        );
    }
    Diagnostic::error(None, format!("cannot read {path}: {e}"))
}

impl Config {
    /// Reads `<root>/site.toml`. `base_url` overrides the file's (the `--base-url` flag).
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostic> {
        let path = root.join(crate::layout::SITE_FILE);
        let shown = Path::new(crate::layout::SITE_FILE);
        // Only a regular file is read: a named pipe would keep the build waiting forever.
        let text = crate::fsx::read_to_string(&path).map_err(|e| unreadable(root, &e))?;
        let mut config = Config::parse(root, &text, shown, base_url)?;
        let strings = root.join(STRINGS_FILE);
        if std::fs::symlink_metadata(&strings).is_ok() {
            let text = crate::fsx::read_to_string(&strings).map_err(|e| {
                Diagnostic::error(
                    Some(Location::file(STRINGS_FILE)),
                    format!("cannot read {STRINGS_FILE}: {e}"),
                )
            })?;
            config.strings = parse_strings(&text)?;
        }
        Ok(config)
    }

    /// Parses the text of a `site.toml`; `shown` is the path used in messages.
    pub fn parse(
        root: &Path,
        text: &str,
        shown: &Path,
        base_url: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        let mut raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&e, text, shown))?;
        let at_key = |key: &str| Some(Location::new(shown, key_line(text, key), 1));
        let base_url = base_url.unwrap_or(&raw.base_url);
        let base_url = normalise_base_url(base_url).map_err(|why| {
            Diagnostic::error(at_key("base_url"), format!("base_url \"{base_url}\" {why}"))
                .with_source(text)
        })?;
        if let Some(why) = theme_problem(&raw.theme) {
            return Err(Diagnostic::error(
                at_key("theme"),
                format!("theme = \"{}\" {why}", raw.theme.escape_debug()),
            )
            .with_source(text));
        }
        if raw.paginate_by == 0 {
            return Err(
                Diagnostic::error(at_key("paginate_by"), "paginate_by must be at least 1")
                    .with_source(text),
            );
        }
        check_taxonomies(&raw.taxonomies, raw.language, text, shown)?;
        check_sections(&raw.sections, text, shown)?;
        check_images(&raw.images, text, shown)?;
        let menus = check_menus(std::mem::take(&mut raw.menu), text, shown)?;
        Ok(Config::resolve(root, raw, base_url, menus, text))
    }

    /// The configuration `raw` says, checked, with the defaults that depend on other keys
    /// filled in; `base_url` is already normalised.
    fn resolve(
        root: &Path,
        raw: RawConfig,
        base_url: String,
        menus: MenuSettings,
        text: &str,
    ) -> Config {
        Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description,
            base_path: base_path(&base_url),
            base_url,
            language: raw.language,
            theme: raw.theme,
            paginate_by: raw.paginate_by,
            copyright: raw
                .copyright
                .unwrap_or_else(|| "© {first_year}–{last_year} {title}".to_string()),
            taxonomies: raw.taxonomies,
            efforts: raw.efforts.unwrap_or_else(|| default_efforts(raw.language)),
            related_posts: raw.related_posts,
            feed_limit: raw.feed_limit,
            typography: raw.typography,
            highlight_code: raw.highlight_code,
            default_author: raw.default_author,
            sections: raw.sections,
            menus,
            theme_line: key_line(text, "theme"),
            text: text.to_string(),
            strings: Vec::new(),
            images: raw.images,
        }
    }

    /// The line of `site.toml` where the URL segment of taxonomy `key` (`irritants`, `tags`,
    /// `efforts`) is set, if it is.
    pub fn taxonomy_line(&self, key: &str) -> Option<usize> {
        taxonomy_line(&self.text, key)
    }

    /// A warning at `base_url` when its host is a placeholder ([`placeholder_host`]): the site
    /// would be built for an address that is not its own, and every absolute link to it (the
    /// canonical links, og:url, the sitemap, the feeds) would lead there. Only for site.toml's
    /// own `base_url`: the caller leaves it out when `--base-url` replaced it.
    pub fn placeholder_base_url(&self) -> Option<Diagnostic> {
        let host = placeholder_host(&self.base_url)?;
        let line = key_line(&self.text, "base_url");
        let text = self.text.lines().nth(line - 1).unwrap_or_default();
        // At the address itself, after its opening quote.
        let column = text.find(['"', '\'']).map_or(1, |i| i + 2);
        let at = Location::new(crate::layout::SITE_FILE, line, column);
        let message = format!(
            "base_url \"{}\" is a placeholder: {host} is not where the site is published, yet the canonical links, og:url, the sitemap and the feeds would point there",
            self.base_url
        );
        Some(
            Diagnostic::warning(Some(at), message)
                .with_source(&self.text)
                .with_note("set base_url to the site's address, or build with --base-url URL"),
        )
    }

    /// The absolute URL of a root-relative path (`/breves/x/` → `https://exemple.fr/breves/x/`).
    pub fn permalink(&self, url: &str) -> String {
        let origin_end = self.base_url.len() - self.base_path.len();
        format!("{}{url}", &self.base_url[..origin_end])
    }
}

/// Hosts that stand in for a real one, in examples and on one's own machine: the example
/// domains, the names reserved for that (`.example`, `.invalid`, RFC 2606), and this machine. A
/// subdomain of one is one too (`chronique.example.fr`). Not `.test`, reserved for tests: a site
/// built for one is a test (the fixtures of chronique's own tests are `chronique.test`).
const PLACEHOLDER_HOSTS: [&str; 11] = [
    "exemple.fr",
    "example.fr",
    "example.com",
    "example.org",
    "example.net",
    "example",
    "invalid",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "0.0.0.0",
];

/// The host of `base_url` (an absolute URL) when it is a placeholder ([`PLACEHOLDER_HOSTS`]).
fn placeholder_host(base_url: &str) -> Option<&str> {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // The port goes, not the colons of an IPv6 address (`[::1]:8000`).
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => host,
        _ => host_port,
    };
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    PLACEHOLDER_HOSTS
        .iter()
        .any(|p| name == *p || name.strip_suffix(p).is_some_and(|s| s.ends_with('.')))
        .then_some(host)
}

/// The path part of a normalised base URL, starting and ending with `/`.
fn base_path(base_url: &str) -> String {
    match base_url.find("://") {
        Some(i) => match base_url[i + 3..].find('/') {
            Some(j) => base_url[i + 3 + j..].to_string(),
            None => "/".to_string(),
        },
        None => "/".to_string(),
    }
}

/// Each taxonomy's URL segment must be one plain segment, and none may be taken by another
/// taxonomy or by the site's other folders.
fn check_taxonomies(
    paths: &TaxonomyPaths,
    language: Language,
    text: &str,
    shown: &Path,
) -> Result<(), Diagnostic> {
    let segments = [
        ("irritants", paths.irritants.as_str()),
        ("tags", paths.tags.as_str()),
        ("efforts", paths.efforts.as_str()),
    ];
    for (i, &(key, segment)) in segments.iter().enumerate() {
        if let Some(message) = segment_problem(key, segment, &segments[..i], language) {
            let at = Location::new(shown, taxonomy_line(text, key).unwrap_or(1), 1);
            return Err(Diagnostic::error(Some(at), message).with_source(text));
        }
    }
    Ok(())
}

/// What is wrong with `segment`, the URL segment of taxonomy `key`, if anything: it is not
/// one plain segment, or one of the taxonomies `before` it or another folder of the site has
/// it already.
fn segment_problem(
    key: &str,
    segment: &str,
    before: &[(&str, &str)],
    language: Language,
) -> Option<String> {
    // The other folders the site writes pages in.
    let reserved = [
        (crate::layout::AUTHORS_PATH, "the authors' pages"),
        (crate::layout::SERIES_PATH, "the series pages"),
        (crate::layout::search_path(language), "the search page"),
        (crate::layout::PAGE_SEGMENT, "the pages of the home page"),
    ];
    let slug = crate::slug::slugify(segment);
    if segment.is_empty() {
        return Some(format!(
            "taxonomies.{key} = \"\" is empty: the {key} need a URL segment of their own, like \"{key}\""
        ));
    }
    if slug != segment {
        return Some(format!(
            "taxonomies.{key} = \"{segment}\" must be one URL segment in lowercase ASCII, like \"{slug}\""
        ));
    }
    let what = before
        .iter()
        .find(|(_, s)| *s == segment)
        .map(|(other, _)| format!("the {other}"))
        .or_else(|| {
            reserved
                .iter()
                .find(|(r, _)| *r == segment)
                .map(|(_, what)| what.to_string())
        })?;
    Some(format!(
        "taxonomies.{key} = \"{segment}\" would put the {key} at /{segment}/, already taken by {what}"
    ))
}

/// Each `[sections]` folder must be one visible folder name under `content/`, and not one of
/// those that hold authors and series.
fn check_sections(folders: &NewSections, text: &str, shown: &Path) -> Result<(), Diagnostic> {
    for (key, folder) in [
        ("breve", &folders.breve),
        ("article", &folders.article),
        ("conte", &folders.conte),
        ("irritant", &folders.irritant),
    ] {
        let plain = !folder.is_empty()
            && !folder.starts_with('.')
            && !folder.contains(['/', '\\'])
            && folder != crate::layout::AUTHORS_FOLDER
            && folder != crate::layout::SERIES_FOLDER;
        if !plain {
            let line = table_line(text, "sections", key).unwrap_or(1);
            return Err(Diagnostic::error(
                Some(Location::new(shown, line, 1)),
                format!(
                    "sections.{key} = \"{folder}\" must be one folder name under content/ (not authors, series, or a hidden one)"
                ),
            )
            .with_source(text));
        }
    }
    Ok(())
}

/// `[images]` within bounds: a few widths a browser can use, a quality an encoder takes, and no
/// GPS position kept without the camera data it belongs to.
fn check_images(images: &ImageSettings, text: &str, shown: &Path) -> Result<(), Diagnostic> {
    let problem = if images.widths.len() > 8 {
        Some(("widths", "lists at most 8 widths".to_string()))
    } else if let Some(w) = images.widths.iter().find(|&&w| !(16..=8192).contains(&w)) {
        Some((
            "widths",
            format!("has {w}: a width is from 16 to 8192 pixels"),
        ))
    } else if !(1..=100).contains(&images.quality) {
        Some(("quality", "is from 1 to 100".to_string()))
    } else if images.keep_location && !images.keep_camera {
        Some((
            "keep_location",
            "needs keep_camera = true: the position is part of the camera's data".to_string(),
        ))
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some((key, why)) => {
            let line = table_line(text, "images", key).unwrap_or(1);
            Err(Diagnostic::error(
                Some(Location::new(shown, line, 1)),
                format!("images.{key} {why}"),
            )
            .with_source(text))
        }
    }
}

/// The base URL ending with `/`, or what is wrong with it. A query or a fragment is refused:
/// every link is the base URL followed by a path, which would land inside them.
fn normalise_base_url(url: &str) -> Result<String, &'static str> {
    const NOT_ABSOLUTE: &str = "is not an absolute http(s) URL";
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(NOT_ABSOLUTE)?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(NOT_ABSOLUTE);
    }
    if url.contains(['?', '#']) {
        return Err(
            "has a query or a fragment (`?` or `#`): the base URL is the address of the home page, every link is made by adding a path to it",
        );
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// What is wrong with the `theme` key, if anything: it names a folder under `themes/`, not a
/// path (`../../elsewhere` or `/home/x` would publish the static files of any folder).
fn theme_problem(theme: &str) -> Option<&'static str> {
    if theme.is_empty() {
        Some("is empty: name a folder under themes/")
    } else if theme.contains(['/', '\\'])
        || theme.starts_with('.')
        || theme.contains(char::is_control)
        || Path::new(theme).is_absolute()
    {
        Some(
            "is not a theme name: `theme` names one folder under themes/ (like \"chronique\"), not a path; copy the theme into themes/",
        )
    } else {
        None
    }
}

fn toml_error(e: &toml::de::Error, text: &str, shown: &Path) -> Diagnostic {
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(Some(Location::new(shown, line, column)), "");
    if let Some(key) = backticked(&message).filter(|_| message.starts_with("unknown field")) {
        d.message = match table_at(text, line) {
            Some(table) => format!("unknown key `{key}` in {table} of site.toml"),
            None => format!("unknown key `{key}` in site.toml"),
        };
        let mut keys = expected_keys(&message);
        if keys.is_empty() {
            keys = field_names::<RawConfig>().to_vec();
        }
        if let Some(hint) = did_you_mean(key, keys.iter().copied()) {
            d = d.with_note(format!("did you mean `{hint}`?"));
        }
        d = d.with_note(format!("known keys: {}", keys.join(", ")));
    } else {
        d.message = message;
    }
    d.with_source(text)
}

/// The keys of the table an unknown key was found in, from serde's message ("unknown field
/// `nme`, expected one of `name`, `page`, `url`, `weight`"): the table's own struct wrote it, so
/// a misspelt key of a menu entry is offered the keys of a menu entry, not the top level's.
fn expected_keys(message: &str) -> Vec<&str> {
    let Some((_, expected)) = message.split_once(", expected ") else {
        return Vec::new();
    };
    expected.split('`').skip(1).step_by(2).collect()
}

/// The header of the table line `line` (from 1) is in, `[taxonomies]` or `[[menu.main]]`, if
/// it is below one.
fn table_at(text: &str, line: usize) -> Option<&str> {
    (text.lines().take(line))
        .map(str::trim)
        .filter(|l| l.starts_with('['))
        .last()
        .map(|l| l.split_once('#').map_or(l, |(h, _)| h).trim_end())
}

/// The keys a serde struct reads, as its derived `Deserialize` names them, in the order of its
/// fields: renames applied, skipped fields left out, and a field with aliases giving its name
/// and its aliases in alphabetical order. The keys that "did you mean" and "known keys" offer
/// come from the struct itself, so they cannot drift from it. Empty for a type that does not
/// read a struct with a list of fields: one with a `#[serde(flatten)]` field reads a map. (It
/// is here, in the lowest module that reads a file through serde, so that the front matter's
/// parsers above can use it too.)
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(FieldRecorder) {
        Err(Recorded(Some(fields))) => fields,
        _ => &[],
    }
}

/// A `Deserializer` that only takes note of the fields a struct asks for, and stops there.
struct FieldRecorder;

/// How a [`FieldRecorder`] stops: with the fields asked for, if a struct asked.
#[derive(Debug)]
struct Recorded(Option<&'static [&'static str]>);

impl fmt::Display for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("only the names of the fields were asked for")
    }
}

impl std::error::Error for Recorded {}

impl serde::de::Error for Recorded {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Recorded(None)
    }
}

impl<'de> serde::Deserializer<'de> for FieldRecorder {
    type Error = Recorded;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Recorded> {
        Err(Recorded(Some(fields)))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Recorded> {
        Err(Recorded(None))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(Path::new("."), text, Path::new("site.toml"), None)
    }

    #[test]
    fn the_known_keys_are_the_fields_of_raw_config() {
        let keys = field_names::<RawConfig>();
        assert_eq!(keys.len(), 17, "{keys:?}");
        assert_eq!(keys.first(), Some(&"title"));
        assert_eq!(keys.last(), Some(&"images"));
        assert_eq!(
            field_names::<ImageSettings>(),
            [
                "widths",
                "quality",
                "keep_camera",
                "keep_location",
                "warn_over_kb"
            ]
        );
        assert_eq!(field_names::<RawMenus>(), ["main", "footer"]);
        assert_eq!(
            field_names::<RawMenuEntry>(),
            ["name", "page", "url", "weight"]
        );
        assert_eq!(
            field_names::<TaxonomyPaths>(),
            ["irritants", "tags", "efforts"]
        );
    }

    #[test]
    fn field_names_follow_renames_aliases_and_skips() {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Renamed {
            #[serde(rename = "titre")]
            title: String,
            #[serde(alias = "auteurs")]
            authors: Vec<String>,
            #[serde(skip)]
            cache: u32,
        }
        assert_eq!(field_names::<Renamed>(), ["titre", "auteurs", "authors"]);
        // With a flattened field serde reads a map: there is no list to give.
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Flat {
            title: String,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, String>,
        }
        assert!(field_names::<Flat>().is_empty());
        assert!(field_names::<String>().is_empty());
    }

    #[test]
    fn defaults_and_base_path() {
        let c = parse("title = \"T\"\nbase_url = \"https://exemple.fr/chronique\"\n").unwrap();
        assert_eq!(c.base_url, "https://exemple.fr/chronique/");
        assert_eq!(c.base_path, "/chronique/");
        assert_eq!(c.language, Language::Fr);
        assert_eq!(c.paginate_by, 10);
        assert_eq!(
            c.permalink("/chronique/breves/"),
            "https://exemple.fr/chronique/breves/"
        );
    }

    #[test]
    fn placeholder_hosts_and_their_subdomains() {
        for url in [
            "https://exemple.fr/",
            "https://chronique.example.fr/",
            "http://EXAMPLE.com./blog/",
            "https://www.example.org/",
            "https://example.net/",
            "https://ma-chronique.invalid/",
            "http://localhost:1111/",
            "http://127.0.0.1:8000/",
            "http://[::1]:8000/",
            "http://moi@localhost/",
        ] {
            assert!(placeholder_host(url).is_some(), "{url}");
        }
        for url in [
            "https://e.fr/",
            "https://chronique.test/",
            "https://exemples.fr/",
            "https://monexemple.fr/",
            "https://example.fr.chronique.eu/",
            "https://chronique.github.io/blog/",
            "http://127.0.0.2/",
        ] {
            assert_eq!(placeholder_host(url), None, "{url}");
        }
        assert_eq!(
            placeholder_host("https://chronique.example.fr/"),
            Some("chronique.example.fr")
        );
    }

    #[test]
    fn a_placeholder_base_url_is_a_warning_at_the_address() {
        let text = "title = \"T\"\n\nbase_url = \"https://exemple.fr/\"   # to set\n";
        let w = parse(text).unwrap().placeholder_base_url().unwrap();
        assert!(!w.is_error());
        assert!(
            w.headline().starts_with(
                "site.toml:3:13: base_url \"https://exemple.fr/\" is a placeholder: exemple.fr is not where the site is published"
            ),
            "{}",
            w.headline()
        );
        assert_eq!(
            w.source_line.as_deref(),
            Some("base_url = \"https://exemple.fr/\"   # to set")
        );
        assert!(parse(HEAD).unwrap().placeholder_base_url().is_none());
    }

    #[test]
    fn unknown_key_names_it_with_a_hint() {
        let e = parse("title = \"T\"\nbase_url = \"https://e.fr\"\npaginateby = 3\n").unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("error: site.toml:3:1: unknown key `paginateby` in site.toml"),
            "{shown}"
        );
        assert!(shown.contains("did you mean `paginate_by`?"), "{shown}");
    }

    #[test]
    fn taxonomy_segments_are_found_in_their_table() {
        let text = "title = \"T\"\nbase_url = \"https://e.fr\"\nefforts = [\n  { id = \"a\", name = \"A\" },\n]\n\n[taxonomies]\nefforts = \"Peines\"\n";
        let e = parse(text).unwrap_err();
        assert!(
            e.headline().starts_with(
                "site.toml:8:1: taxonomies.efforts = \"Peines\" must be one URL segment"
            ),
            "{}",
            e.headline()
        );
        assert_eq!(taxonomy_line("taxonomies.tags = \"x\"\n", "tags"), Some(1));
        assert_eq!(taxonomy_line("tags = \"x\"\n", "tags"), None);
    }

    #[test]
    fn taxonomy_segments_must_not_clash() {
        let head = "title = \"T\"\nbase_url = \"https://e.fr\"\n[taxonomies]\n";
        let e = parse(&format!("{head}tags = \"irritants\"\n")).unwrap_err();
        assert_eq!(
            e.headline(),
            "site.toml:4:1: taxonomies.tags = \"irritants\" would put the tags at /irritants/, already taken by the irritants"
        );
        for taken in ["auteurs", "series", "recherche", "page"] {
            let e = parse(&format!("{head}efforts = \"{taken}\"\n")).unwrap_err();
            assert!(e.headline().starts_with("site.toml:4:1: "), "{taken}");
        }
        assert!(parse(&format!("{head}efforts = \"peines\"\n")).is_ok());
    }

    #[test]
    fn the_theme_is_a_name_not_a_path() {
        let head = "title = \"T\"\nbase_url = \"https://e.fr\"\n";
        for theme in [
            "../../elsewhere",
            "/etc",
            "a/b",
            "..",
            ".cache",
            "",
            "a\\\\b",
        ] {
            let e = parse(&format!("{head}theme = \"{theme}\"\n")).unwrap_err();
            assert!(
                e.headline().starts_with("site.toml:3:1: theme = "),
                "{theme}: {}",
                e.headline()
            );
        }
        assert_eq!(
            parse(&format!("{head}theme = \"mon-theme\"\n"))
                .unwrap()
                .theme,
            "mon-theme"
        );
    }

    #[test]
    fn a_base_url_with_a_query_or_a_fragment_is_refused() {
        for url in ["https://e.fr/?x=1", "https://e.fr/#haut", "https://e.fr/a?"] {
            let e = parse(&format!("title = \"T\"\nbase_url = \"{url}\"\n")).unwrap_err();
            assert!(
                e.headline().starts_with(&format!(
                    "site.toml:2:1: base_url \"{url}\" has a query or a fragment"
                )),
                "{}",
                e.headline()
            );
        }
    }

    #[test]
    fn an_empty_taxonomy_segment_is_an_error_at_its_line() {
        let e =
            parse("title = \"T\"\nbase_url = \"https://e.fr\"\n[taxonomies]\nirritants = \"\"\n")
                .unwrap_err();
        assert_eq!(
            e.headline(),
            "site.toml:4:1: taxonomies.irritants = \"\" is empty: the irritants need a URL segment of their own, like \"irritants\""
        );
    }

    #[test]
    fn sections_of_new_posts() {
        let head = "title = \"T\"\nbase_url = \"https://e.fr\"\n";
        let c = parse(head).unwrap();
        assert_eq!(c.sections.irritant, "decryptages");
        let c = parse(&format!("{head}[sections]\nconte = \"tales\"\n")).unwrap();
        assert_eq!(
            (c.sections.conte.as_str(), c.sections.breve.as_str()),
            ("tales", "breves")
        );
        let e = parse(&format!("{head}[sections]\nbreve = \"a/b\"\n")).unwrap_err();
        assert!(
            e.headline()
                .starts_with("site.toml:4:1: sections.breve = \"a/b\" must be one folder name"),
            "{}",
            e.headline()
        );
        assert!(parse(&format!("{head}sections.article = \"authors\"\n")).is_err());
    }

    const HEAD: &str = "title = \"T\"\nbase_url = \"https://e.fr\"\n";

    #[test]
    fn menus_keep_their_entries_in_written_order_with_their_targets_and_lines() {
        let text = format!(
            "{HEAD}\n[[menu.main]]\nname = \"Le livre\"\nurl = \"https://editions.example.fr/livre\"\nweight = 20\n\n[[menu.main]]\nname = \"À propos\"\npage = \"@/a-propos.md\"\nweight = -1\n\n[[menu.footer]]\nname = \"Mentions\"\n  page = \"@/mentions.md\"\n"
        );
        let c = parse(&text).unwrap();
        let main: Vec<(&str, &MenuTarget, i64, usize, usize)> = (c.menus.main.iter())
            .map(|m| {
                let at = &m.location;
                (m.name.as_str(), &m.target, m.weight, at.line, at.column)
            })
            .collect();
        assert_eq!(
            main,
            [
                (
                    "Le livre",
                    &MenuTarget::Url("https://editions.example.fr/livre".into()),
                    20,
                    6,
                    7
                ),
                (
                    "À propos",
                    &MenuTarget::Page("@/a-propos.md".into()),
                    -1,
                    11,
                    8
                ),
            ]
        );
        let footer = &c.menus.footer[0];
        assert_eq!(footer.weight, 0);
        assert_eq!((footer.location.line, footer.location.column), (16, 10));
        assert_eq!(parse(HEAD).unwrap().menus, MenuSettings::default());
    }

    #[test]
    fn a_menu_entry_with_both_page_and_url_is_an_error_at_the_second() {
        let text = format!(
            "{HEAD}[[menu.main]]\nname = \"Livre\"\npage = \"@/livre.md\"\nurl = \"https://e.fr/livre\"\n"
        );
        let e = parse(&text).unwrap_err();
        assert_eq!(
            e.headline(),
            "site.toml:6:7: the [[menu.main]] entry \"Livre\" has both `page` and `url`: keep one, `page` for a file of the site (\"@/a-propos.md\"), `url` for any other address"
        );
        assert_eq!(
            e.source_line.as_deref(),
            Some("url = \"https://e.fr/livre\"")
        );
    }

    #[test]
    fn a_menu_entry_needs_a_target_and_a_name() {
        let e = parse(&format!("{HEAD}[[menu.footer]]\nname = \"Rien\"\n")).unwrap_err();
        assert!(
            e.headline().starts_with(
                "site.toml:3:1: the [[menu.footer]] entry \"Rien\" goes nowhere: give it `page = "
            ),
            "{}",
            e.headline()
        );
        let e = parse(&format!(
            "{HEAD}[[menu.main]]\nname = \" \"\nurl = \"/x/\"\n"
        ))
        .unwrap_err();
        assert_eq!(
            e.headline(),
            "site.toml:4:8: a [[menu.main]] entry has an empty name: it is the text of the link"
        );
        let e = parse(&format!("{HEAD}[[menu.main]]\nurl = \"/x/\"\n")).unwrap_err();
        assert!(e.headline().starts_with("site.toml:3:"), "{}", e.headline());
        assert!(
            e.headline().contains("missing field `name`"),
            "{}",
            e.headline()
        );
    }

    #[test]
    fn an_unknown_key_of_a_menu_entry_is_offered_the_keys_of_an_entry() {
        let text = format!("{HEAD}[[menu.main]]\nname = \"A\"\nurl = \"/a/\"\nwieght = 3\n");
        let e = parse(&text).unwrap_err();
        assert_eq!(
            e.headline(),
            "site.toml:6:1: unknown key `wieght` in [[menu.main]] of site.toml"
        );
        assert_eq!(
            e.notes,
            [
                "did you mean `weight`?",
                "known keys: name, page, url, weight"
            ]
        );
        let e = parse(&format!("{HEAD}[[menu.side]]\nname = \"A\"\n")).unwrap_err();
        assert!(
            e.headline()
                .starts_with("site.toml:3:8: unknown key `side` in [[menu.side]] of site.toml"),
            "{}",
            e.headline()
        );
        assert_eq!(e.notes, ["known keys: main, footer"]);
    }
}
