//! Tales in several parts: which parts are published, which are only announced, and what is
//! wrong with the numbering.
//!
//! A series is built from its parts (every post with `series` and `part`, published or not) and
//! its optional series file (`title`, `parts`, `planned`). A part that is scheduled after "now",
//! or that exists only in `planned`, is *announced*: its title, date and outline are shown, but
//! nothing of its body is published anywhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::{Post, PostDate, SeriesFile};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};

/// One part of a series, published or announced.
#[derive(Debug, Clone)]
pub struct Part {
    pub number: u32,
    pub title: String,
    pub date: PostDate,
    /// The acts or topics it will cover (from the series file's `planned`).
    pub outline: Vec<String>,
    /// The published post, as an index into `Site::posts`; none when only announced.
    pub post: Option<usize>,
}

/// A series with its parts in order.
#[derive(Debug, Clone)]
pub struct Series {
    pub slug: String,
    pub title: String,
    /// The series file's body, Markdown (rendered with the rest of the site).
    pub description: String,
    /// The planned number of parts.
    pub total: u32,
    pub url: String,
    pub parts: Vec<Part>,
}

impl Series {
    /// Published parts, in order, as post indexes.
    pub fn published(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().filter_map(|p| p.post)
    }
}

/// A part as a post claims it.
struct Claim<'a> {
    post: &'a Post,
    /// Index into `Site::posts` when published.
    index: Option<usize>,
    number: u32,
    location: Location,
}

/// Builds every series from the posts that claim parts and from the series files.
///
/// `series_root` is the URL of the series index (`/series/`); a series is at `<series_root><slug>/`.
/// `published` are the published posts in site order; `scheduled` the posts not published
/// because their date is after "now" (drafts are not announced).
pub fn assemble(
    files: Vec<SeriesFile>,
    published: &[&Post],
    scheduled: &[&Post],
    series_root: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Series> {
    let mut files: BTreeMap<String, SeriesFile> =
        files.into_iter().map(|f| (f.slug.clone(), f)).collect();

    // Every claim, checked on its own first.
    let mut claims: BTreeMap<String, Vec<Claim<'_>>> = BTreeMap::new();
    let candidates = published
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, Some(i)))
        .chain(scheduled.iter().map(|p| (*p, None)));
    for (post, index) in candidates {
        match (&post.series, &post.part) {
            (None, None) => {}
            (Some(s), None) => diagnostics.push(
                Diagnostic::error(
                    Some(s.location.clone()),
                    format!("`series: {}` needs a `part` number", s.value),
                )
                .with_source(&post.text),
            ),
            (None, Some(p)) => diagnostics.push(
                Diagnostic::error(
                    Some(p.location.clone()),
                    "`part` needs a `series`: which series is this a part of?",
                )
                .with_source(&post.text),
            ),
            (Some(s), Some(p)) => {
                let slug = crate::slug::slugify(&s.value);
                if p.value == 0 {
                    diagnostics.push(
                        Diagnostic::error(Some(p.location.clone()), "part numbers start at 1")
                            .with_source(&post.text),
                    );
                    continue;
                }
                if let Some(parts) = files.get(&slug).and_then(|f| f.parts)
                    && p.value > parts
                {
                    diagnostics.push(
                        Diagnostic::error(
                            Some(p.location.clone()),
                            format!(
                                "part {} of series \"{slug}\", but its series file announces {parts} parts",
                                p.value
                            ),
                        )
                        .with_source(&post.text),
                    );
                    continue;
                }
                claims.entry(slug).or_default().push(Claim {
                    post,
                    index,
                    number: p.value,
                    location: p.location.clone(),
                });
            }
        }
    }

    let mut slugs: Vec<String> = claims.keys().cloned().collect();
    slugs.extend(files.keys().filter(|k| !claims.contains_key(*k)).cloned());
    slugs.sort();

    let mut all = Vec::new();
    for slug in slugs {
        let file = files.remove(&slug);
        let mut parts: BTreeMap<u32, Part> = BTreeMap::new();
        let mut claimed_by: BTreeMap<u32, PathBuf> = BTreeMap::new();
        // Where each part's number is written, for messages about the numbering.
        let mut numbered_at: BTreeMap<u32, Location> = BTreeMap::new();
        let mut claims = claims.remove(&slug).unwrap_or_default();
        claims.sort_by(|a, b| (a.number, &a.post.path).cmp(&(b.number, &b.post.path)));
        for c in claims {
            if let Some(first) = claimed_by.get(&c.number) {
                diagnostics.push(
                    Diagnostic::error(
                        Some(c.location.clone()),
                        format!(
                            "two posts claim part {} of series \"{slug}\": {} and {}",
                            c.number,
                            display_path(first),
                            display_path(&c.post.path)
                        ),
                    )
                    .with_source(&c.post.text),
                );
                continue;
            }
            claimed_by.insert(c.number, c.post.path.clone());
            numbered_at.insert(c.number, c.location.clone());
            parts.insert(
                c.number,
                Part {
                    number: c.number,
                    title: c.post.title.clone(),
                    date: c.post.date.clone(),
                    outline: Vec::new(),
                    post: c.index,
                },
            );
        }

        // Planned parts: announce the ones no post claims; lend their outline to the others.
        if let Some(f) = &file {
            let mut planned_at: BTreeMap<u32, &Location> = BTreeMap::new();
            for planned in &f.planned {
                let outside = if planned.part == 0 {
                    Some("part numbers start at 1".to_string())
                } else {
                    f.parts.filter(|&n| planned.part > n).map(|n| {
                        format!(
                            "planned part {} of series \"{slug}\", but the series file announces {n} parts",
                            planned.part
                        )
                    })
                };
                if let Some(message) = outside {
                    diagnostics.push(
                        Diagnostic::error(Some(planned.part_location.clone()), message)
                            .with_source(&f.text),
                    );
                    continue;
                }
                if let Some(first) = planned_at.get(&planned.part) {
                    diagnostics.push(
                        Diagnostic::error(
                            Some(planned.part_location.clone()),
                            format!(
                                "part {} is planned twice, here and on line {}",
                                planned.part, first.line
                            ),
                        )
                        .with_source(&f.text),
                    );
                    continue;
                }
                planned_at.insert(planned.part, &planned.part_location);
                match parts.get_mut(&planned.part) {
                    Some(part) => {
                        if part.date.day != planned.date.day {
                            let post = claimed_by
                                .get(&planned.part)
                                .map(|p| display_path(p))
                                .unwrap_or_default();
                            diagnostics.push(
                                Diagnostic::warning(
                                    Some(planned.location.clone()),
                                    format!(
                                        "part {} is planned for {} here, but {post} is dated {}",
                                        planned.part, planned.date.day, part.date.day
                                    ),
                                )
                                .with_source(&f.text)
                                .with_note("the post's date wins; update the series file"),
                            );
                        }
                        part.outline = planned.outline.clone();
                    }
                    None => {
                        parts.insert(
                            planned.part,
                            Part {
                                number: planned.part,
                                title: planned.title.clone(),
                                date: planned.date.clone(),
                                outline: planned.outline.clone(),
                                post: None,
                            },
                        );
                    }
                }
            }
        }

        let parts: Vec<Part> = parts.into_values().collect();
        if parts.is_empty() && file.is_none() {
            continue;
        }
        let highest = parts.last().map_or(0, |p| p.number);
        let total = file.as_ref().and_then(|f| f.parts).unwrap_or(highest);

        // A gap among published parts: a number below the last published one that is neither
        // published nor announced.
        let last_published = parts
            .iter()
            .filter(|p| p.post.is_some())
            .map(|p| p.number)
            .max()
            .unwrap_or(0);
        for n in 1..last_published {
            if !parts.iter().any(|p| p.number == n) {
                // Point at the number of the first published part after the gap.
                let at = parts
                    .iter()
                    .filter(|p| p.number > n && p.post.is_some())
                    .find_map(|p| numbered_at.get(&p.number).cloned());
                diagnostics.push(Diagnostic::warning(
                    at,
                    format!(
                        "series \"{slug}\" has no part {n}: it is neither published nor planned"
                    ),
                ));
            }
        }

        let title = match &file {
            Some(f) => f.title.clone(),
            None => parts.first().map(|p| p.title.clone()).unwrap_or_default(),
        };
        all.push(Series {
            url: format!("{series_root}{slug}/"),
            description: file.map(|f| f.body).unwrap_or_default(),
            slug,
            title,
            total,
            parts,
        });
    }
    all
}
