//! Rendering: the assembled site through the theme's Tera templates, into files in memory.
//!
//! Every page is a job (home pages, section pages, posts, 404); jobs are rendered in parallel
//! and come back as [`OutputFile`]s in a fixed order, so output does not depend on scheduling.
//! Template errors name the template file, its line and column, with the line shown.

pub mod i18n;
pub mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::site::Site;
use crate::source::TemplateSource;
use views::Views;

/// A file of the built site, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder: `breves/punition/index.html`.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The templates every theme must have.
const REQUIRED: &[&str] = &["index.html", "section.html", "page.html", "404.html"];

/// The compiled templates of the theme and the site.
pub struct Theme {
    tera: Tera,
    /// Template name → (file path for messages, text), to show the offending line.
    sources: HashMap<String, (PathBuf, String)>,
}

impl Theme {
    /// Compiles the templates; every syntax error and missing required template is reported.
    pub fn compile(templates: &[TemplateSource]) -> Result<Theme, Diagnostics> {
        let sources: HashMap<String, (PathBuf, String)> = templates
            .iter()
            .map(|t| (t.name.clone(), (t.path.clone(), t.text.clone())))
            .collect();
        let mut diagnostics = Diagnostics::new();
        for name in REQUIRED {
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
        let result = tera.add_raw_templates(templates.iter().map(|t| (&t.name, &t.text)));
        let theme = Theme { tera, sources };
        if let Err(e) = result {
            diagnostics.push(theme.diagnostic(&e, None));
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(theme)
        }
    }

    fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    fn render(&self, name: &str, context: &Context, page: &str) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e, Some((name, page))))
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

/// What one output page is: a template and the values it gets.
enum Job {
    List {
        section: Option<usize>,
        number: usize,
        total: usize,
    },
    Post(usize),
    NotFound,
}

/// Renders every page of the site.
pub fn render_all(site: &Site, theme: &Theme) -> (Vec<OutputFile>, Diagnostics) {
    let views = Views::new(site);
    let mut base = Context::new();
    base.insert("site", &views.site());
    base.insert("t", &i18n::strings(site.config.language));

    let per = site.config.paginate_by;
    let pages_of = |n: usize| n.div_ceil(per).max(1);
    let mut jobs = Vec::new();
    let home_total = pages_of(site.posts.len());
    for number in 1..=home_total {
        jobs.push(Job::List {
            section: None,
            number,
            total: home_total,
        });
    }
    for (i, s) in site.sections.iter().enumerate() {
        let total = pages_of(s.posts.len());
        for number in 1..=total {
            jobs.push(Job::List {
                section: Some(i),
                number,
                total,
            });
        }
    }
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.push(Job::NotFound);

    let all: Vec<usize> = (0..site.posts.len()).collect();
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut ctx = base.clone();
            let (template, url, path) = match *job {
                Job::List {
                    section,
                    number,
                    total,
                } => {
                    let (first_url, posts, template) = match section {
                        Some(i) => {
                            let s = &site.sections[i];
                            ctx.insert("section", &views.section(s));
                            (s.url.as_str(), &s.posts, "section.html")
                        }
                        None => (site.config.base_path.as_str(), &all, "index.html"),
                    };
                    ctx.insert(
                        "paginator",
                        &views.paginator(posts, number, total, first_url),
                    );
                    let url = views::page_url(first_url, number);
                    let path = output_path(&site.config.base_path, &url);
                    (template.to_string(), url, path)
                }
                Job::Post(i) => {
                    let p = &site.posts[i];
                    ctx.insert("page", &views.post(p, true));
                    let own = format!("{}.html", p.post.kind.name());
                    let template = if theme.has(&own) {
                        own
                    } else {
                        "page.html".to_string()
                    };
                    (template, p.url.clone(), p.output.clone())
                }
                Job::NotFound => (
                    "404.html".to_string(),
                    format!("{}404.html", site.config.base_path),
                    PathBuf::from("404.html"),
                ),
            };
            ctx.insert("current_url", &url);
            ctx.insert("template", &template);
            let html = theme.render(&template, &ctx, &url)?;
            Ok(OutputFile {
                path,
                bytes: html.into_bytes(),
            })
        })
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics = Diagnostics::new();
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    for r in results {
        match r {
            Ok(f) => {
                if seen.contains_key(&f.path) {
                    diagnostics.push(Diagnostic::error(
                        None,
                        format!(
                            "two pages would be written to {}: a post's URL collides with a list page",
                            f.path.display()
                        ),
                    ));
                    continue;
                }
                seen.insert(f.path.clone(), files.len());
                files.push(f);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (files, diagnostics)
}

/// The file a root-relative URL is served from: `/x/page/2/` → `x/page/2/index.html`.
fn output_path(base_path: &str, url: &str) -> PathBuf {
    let rel = url.strip_prefix(base_path).unwrap_or(url);
    Path::new(rel).join("index.html")
}
