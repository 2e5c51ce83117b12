//! The theme: the templates of the theme and of the site, compiled once per build, with the
//! filters and functions chronique adds to Tera, and template errors turned into diagnostics on
//! the template's file, line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use super::{cached, i18n, limits};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::source::TemplateSource;

/// The templates every theme must have.
pub(super) const REQUIRED: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "404.html",
    "series.html",
    "series_index.html",
    "taxonomy.html",
    "taxonomy_term.html",
    "author.html",
    "authors.html",
    "search.html",
];

/// The compiled templates of the theme and the site.
pub struct Theme {
    /// Shared with the `include_cached` function, which renders partials with it.
    tera: std::sync::Arc<Tera>,
    /// The state of `include_cached`.
    pub(super) cache: std::sync::Arc<cached::Cache>,
    /// Template name → (file path for messages, text), to show the offending line.
    sources: HashMap<String, (PathBuf, String)>,
}

impl Theme {
    /// Compiles the templates; every syntax error and missing required template is reported.
    pub fn compile(
        templates: &[TemplateSource],
        language: crate::language::Language,
    ) -> Result<Theme, Diagnostics> {
        // The shortcodes' templates are compiled apart (`super::shortcodes`), before the
        // Markdown: their changes reach the pages through the posts that use them.
        let templates: Vec<&TemplateSource> = (templates.iter())
            .filter(|t| !t.name.starts_with(super::shortcodes::FOLDER))
            .collect();
        let sources: HashMap<String, (PathBuf, String)> = templates
            .iter()
            .map(|t| (t.name.clone(), (t.path.clone(), t.text.clone())))
            .collect();
        let mut diagnostics = Diagnostics::new();
        // With no template at all, the missing theme was already reported.
        for name in REQUIRED.iter().filter(|_| !templates.is_empty()) {
            if !sources.contains_key(*name) {
                diagnostics.push(Diagnostic::error(
                    Some(Location::file("site.toml")),
                    format!(
                        "the theme has no template {name}: add themes/<theme>/templates/{name} or templates/{name}"
                    ),
                ));
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // `{{ page.date.iso | date_in_words }}` → « 17 décembre 2019 », « 1er mars 2020 ».
        tera.register_filter(
            "date_in_words",
            move |value: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let day = value
                    .get(..10)
                    .and_then(|d| d.parse::<jiff::civil::Date>().ok());
                match day {
                    Some(day) => Ok(i18n::date_in_words(language, day)),
                    None => Err(tera::Error::message(format!(
                        "date_in_words: \"{value}\" is not a date like 2019-12-17"
                    ))),
                }
            },
        );
        let cache = cached::Cache::register(&mut tera);
        let result = tera.add_raw_templates(templates.iter().map(|t| (&t.name, &t.text)));
        let tera = std::sync::Arc::new(tera);
        cache.attach(&tera);
        let theme = Theme {
            tera,
            cache,
            sources,
        };
        if let Err(e) = result {
            diagnostics.push(theme.diagnostic(&e, None));
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(theme)
        }
    }

    /// A hash of every template's name and text.
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut names: Vec<(&String, &String)> = self
            .sources
            .iter()
            .map(|(n, (_, text))| (n, text))
            .collect();
        names.sort();
        let mut h = std::hash::DefaultHasher::new();
        names.hash(&mut h);
        h.finish()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The page's bytes. Tera writes them straight into a buffer: its `render` would check the
    /// whole page is UTF-8 (it is: Tera only writes strings) to make a `String` of it. The
    /// buffer refuses a page too large or too slow, and the watchdog watches the page while it
    /// renders (see [`limits`]).
    pub(super) fn render(
        &self,
        name: &str,
        context: &Context,
        page: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = limits::Capped::new(32 * 1024);
        let ticket = limits::watchdog().begin(name, page);
        let rendered = self.tera.render_to(name, context, &mut html);
        drop(ticket);
        match (rendered, html.exceeded) {
            (Ok(()), _) => Ok(html.bytes),
            (Err(_), Some(why)) => {
                let message = match why {
                    limits::Exceeded::Size => format!(
                        "template error: the page is over the limit of {} MiB: stopped. Does the template (or one it includes) print in a loop without end, or grow a string in a loop?",
                        limits::MAX_PAGE_BYTES >> 20
                    ),
                    limits::Exceeded::Time => format!(
                        "template error: the page took more than {} s: stopped. Does the template (or one it includes) loop without end, such as two nested `range` loops?",
                        limits::deadline().as_secs_f64()
                    ),
                };
                let path = self.sources.get(name).map(|(p, _)| p.clone());
                Err(Diagnostic::error(path.map(Location::file), message)
                    .with_note(format!("while rendering {page}")))
            }
            (Err(e), None) => Err(self.diagnostic(&e, Some((name, page)))),
        }
    }

    /// `current` extends `parent`, which no folder has: an error at the `extends` line of
    /// `current`, naming the theme's folder it was looked for in.
    fn missing_parent(&self, current: &str, parent: &str) -> Diagnostic {
        let (path, text) = self
            .sources
            .get(current)
            .map(|(p, t)| (p.clone(), t.as_str()))
            .unwrap_or_else(|| (PathBuf::from(current), ""));
        let quoted = [format!("\"{parent}\""), format!("'{parent}'")];
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                let at = quoted.iter().find_map(|q| l.find(q.as_str()))?;
                l.contains("extends")
                    .then(|| (i + 1, l[..at].chars().count() + 1))
            })
            .unwrap_or((1, 1));
        // `themes/<name>/templates`, where the theme's templates are.
        let theme = path
            .ancestors()
            .find(|a| a.parent() == Some(Path::new("themes")))
            .map(|t| crate::diagnostics::display_path(&t.join("templates")));
        let place = match theme {
            Some(dir) => format!("add {dir}/{parent} or templates/{parent}"),
            None => format!("add templates/{parent} or the theme's templates/{parent}"),
        };
        Diagnostic::error(
            Some(Location::new(&path, line, column)),
            format!("template error: {current} extends \"{parent}\", which the theme does not have: {place}"),
        )
        .with_source(text)
    }

    /// A Tera error as a diagnostic on the template file, line and column.
    fn diagnostic(&self, e: &tera::Error, rendering: Option<(&str, &str)>) -> Diagnostic {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut d = match report {
            Some(r) => {
                let name = if r.filename().is_empty() {
                    rendering.map_or("", |(n, _)| n)
                } else {
                    r.filename()
                };
                let (path, text) = self
                    .sources
                    .get(name)
                    .map(|(p, t)| (p.clone(), t.as_str()))
                    .unwrap_or_else(|| (PathBuf::from(name), ""));
                let span = r.span();
                Diagnostic::error(
                    Some(Location::new(path, span.start_line, span.start_col + 1)),
                    format!("template error: {}", r.message()),
                )
                .with_source(text)
            }
            None if let tera::ErrorKind::MissingParent { current, parent } = e.kind() => {
                self.missing_parent(current, parent)
            }
            None => {
                let path = rendering
                    .and_then(|(n, _)| self.sources.get(n))
                    .map(|(p, _)| p.clone());
                Diagnostic::error(path.map(Location::file), format!("template error: {e}"))
            }
        };
        if let Some((_, page)) = rendering {
            d = d.with_note(format!("while rendering {page}"));
        }
        d
    }
}
