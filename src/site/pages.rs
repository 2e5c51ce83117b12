//! Pages: where each goes (`/<slug>/`), which are published (all but drafts: a page's date
//! is only shown), their Markdown as HTML, and the addresses they may not take — another
//! page's, a section's, a taxonomy's, the authors', the series', the search page's, the home
//! page's later pages — each an error naming both files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::links::{self, Targets};
use super::model::{BuildSettings, Section, SitePage};
use super::rendition::{Measure, Resolve};
use super::shortcodes::{ShortcodePage, Shortcodes, Used};
use super::taxonomy::Taxonomy;
use crate::config::Config;
use crate::content::{Page, link_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::layout::{AUTHORS_PATH, PAGE_SEGMENT, SERIES_PATH, SITE_FILE, search_path};
use crate::markdown;

/// A page on the site with its address, before its Markdown is rendered.
pub struct Placed {
    pub page: Page,
    pub preview: bool,
    pub url: String,
    pub output: PathBuf,
}

/// The pages on the site (drafts only with `--drafts`), by source path, each at
/// `<base><slug>/`; and why each other page is not there, by link key. Of two pages with the
/// same slug, the second is an error naming both and is left out.
pub fn place(
    base: &str,
    settings: &BuildSettings,
    pages: Vec<Page>,
    diagnostics: &mut Diagnostics,
) -> (Vec<Placed>, HashMap<String, String>) {
    let mut unpublished = HashMap::new();
    let mut placed: Vec<Placed> = Vec::with_capacity(pages.len());
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut pages = pages;
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for page in pages {
        if page.draft && !settings.drafts {
            unpublished.insert(link_key(&page.rel), "a draft".to_string());
            continue;
        }
        if let Some(&first) = by_slug.get(&page.slug) {
            let url = &placed[first].url;
            let other = display_path(&placed[first].page.path);
            diagnostics.push(
                Diagnostic::error(
                    Some(Location::file(&page.path)),
                    format!(
                        "two pages have the same URL {url}: {other} and {}",
                        display_path(&page.path)
                    ),
                )
                .with_note("rename one of the files, or give it another `slug`"),
            );
            continue;
        }
        by_slug.insert(page.slug.clone(), placed.len());
        placed.push(Placed {
            url: format!("{base}{}/", page.slug),
            output: PathBuf::from(&page.slug).join("index.html"),
            preview: page.draft,
            page,
        });
    }
    (placed, unpublished)
}

/// Each page's Markdown as HTML, with its description, words and table of contents; its broken
/// internal links and bad aliases reported.
pub fn render(
    placed: Vec<Placed>,
    options: &markdown::Options,
    (resolve, measure): (&Resolve<'_>, &Measure<'_>),
    shortcodes: &dyn Shortcodes,
    targets: &Targets,
    diagnostics: &mut Diagnostics,
) -> Vec<SitePage> {
    let mut pages = Vec::with_capacity(placed.len());
    for p in placed {
        let page = p.page;
        let look = |src: &str| measure(&p.url, src);
        let used = std::sync::Mutex::new(Used::default());
        let at = ShortcodePage {
            path: &page.path,
            url: &p.url,
            measure: &look,
        };
        let r = super::shortcodes::render(&page.body, options, resolve, &at, (shortcodes, &used));
        let body = (
            page.path.as_path(),
            &*page.text,
            &*page.body,
            page.body_line,
        );
        super::images::report(body, &r.bad_images, &r.unlabelled, diagnostics);
        super::shortcodes::report(body, &r.shortcode_errors, diagnostics);
        links::report_broken_body(
            &page.path,
            &page.text,
            &page.body,
            page.body_line,
            &r.broken_links,
            targets,
            diagnostics,
        );
        let description = match &page.description {
            Some(d) => markdown::typeset(options, d),
            None => markdown::plain_text(&r.summary),
        };
        let mut words = crate::words::Distinct::new();
        words.add(&r.text);
        let word_count = words.tokens();
        let aliases = super::aliases::of(&page.aliases, &page.text, diagnostics);
        pages.push(SitePage {
            url: p.url,
            output: p.output,
            html: r.html.into(),
            description: description.into(),
            words: words.finish().into(),
            word_count,
            toc: r.toc.into(),
            shortcodes: used.into_inner().unwrap_or_default(),
            preview: p.preview,
            aliases,
            page,
        });
    }
    pages
}

/// A page whose address is a section's, a taxonomy's, or one of the site's own folders: an
/// error at the page naming what is there; the page is left out.
pub fn check_paths(
    pages: &mut Vec<SitePage>,
    sections: &[Section],
    taxonomies: &[Taxonomy],
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    let base = config.base_path.as_str();
    let mut taken: HashMap<String, String> = HashMap::new();
    for s in sections {
        let what = format!("the section content/{}/", s.name);
        taken.insert(s.url.clone(), what);
    }
    for t in taxonomies {
        let what = match config.taxonomy_line(t.kind.name()) {
            Some(line) => format!(
                "the {} index (its address is set in {SITE_FILE}:{line})",
                t.kind.name()
            ),
            None => format!("the {} index", t.kind.name()),
        };
        taken.entry(t.url.clone()).or_insert(what);
    }
    let own = [
        (AUTHORS_PATH, "the authors' index"),
        (SERIES_PATH, "the series index"),
        (search_path(config.language), "the search page"),
        (PAGE_SEGMENT, "the home page's later pages (/page/2/…)"),
    ];
    for (segment, what) in own {
        taken
            .entry(format!("{base}{segment}/"))
            .or_insert_with(|| what.to_string());
    }
    pages.retain(|p| {
        let Some(what) = taken.get(&p.url) else {
            return true;
        };
        {
            diagnostics.push(
                Diagnostic::error(
                    Some(Location::file(&p.page.path)),
                    format!(
                        "page {} would be published at {}, the address of {what}",
                        display_path(&p.page.path),
                        p.url
                    ),
                )
                .with_note(slug_note(&p.page.path)),
            );
        }
        false
    });
}

/// How to move a page elsewhere.
fn slug_note(path: &Path) -> String {
    format!(
        "rename {} or give the page another `slug`",
        display_path(path)
    )
}
