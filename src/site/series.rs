//! Tales in several parts: which parts are published, which are only announced, and what is
//! wrong with the numbering.
//!
//! A series is built from its parts (every post with `series` and `part`, published or not) and
//! its optional series file (`title`, `parts`, `planned`). A part that is scheduled after "now",
//! or that exists only in `planned`, is *announced*: its title, date and outline are shown, but
//! nothing of its body is published anywhere.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::{PlannedPart, Post, PostDate, SeriesFile};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::markdown;

/// One part of a series, published or announced.
#[derive(Debug, Clone, Hash)]
pub struct Part {
    pub number: u32,
    pub title: String,
    pub date: PostDate,
    /// The acts or topics it will cover (from the series file's `planned`).
    pub outline: Vec<String>,
    /// The published post, as an index into `Site::posts`; none when only announced.
    pub post: Option<usize>,
    /// Announced by the series file for a date now past, and still not published.
    pub overdue: bool,
}

/// A series with its parts in order.
#[derive(Debug, Clone, Hash)]
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

/// The highest part number, and the most parts a series file may announce. The longest serial
/// novels ran to about 150 instalments, and a column publishes a few tales a year: no real
/// series comes near. The bound matters because every part's page lists every part of its
/// series, so a series' pages grow with the square of its size (1 000 parts: a million list
/// items), and a number such as 4 294 967 295 must not cost anything before it is refused.
pub const MAX_PARTS: u32 = 1_000;

/// The error for a part number or a count of parts over [`MAX_PARTS`].
fn too_many(what: String) -> String {
    format!(
        "{what} is over the limit of {MAX_PARTS} parts per series: is it a typo? (a series' pages list all its parts)"
    )
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
/// because their date is after "now" (drafts are not announced). Titles are as written
/// ([`typeset`] sets them in the site's typography).
pub fn assemble(
    files: Vec<SeriesFile>,
    published: &[&Post],
    scheduled: &[&Post],
    series_root: &str,
    now: jiff::Timestamp,
    diagnostics: &mut Diagnostics,
) -> Vec<Series> {
    let mut files: BTreeMap<String, SeriesFile> = files
        .into_iter()
        .map(|f| (f.slug.clone(), bound_parts(f, diagnostics)))
        .collect();
    let mut claims = gather_claims(&files, published, scheduled, diagnostics);

    let mut slugs: Vec<String> = claims.keys().cloned().collect();
    slugs.extend(files.keys().filter(|k| !claims.contains_key(*k)).cloned());
    slugs.sort();

    let mut all = Vec::new();
    for slug in slugs {
        let file = files.remove(&slug);
        let claims = claims.remove(&slug).unwrap_or_default();
        let mut numbering = number_parts(&slug, claims, diagnostics);
        if let Some(f) = &file {
            add_planned(&slug, f, &mut numbering, now, diagnostics);
        }
        let parts: Vec<Part> = numbering.parts.into_values().collect();
        if parts.is_empty() && file.is_none() {
            continue;
        }
        report_gaps(&slug, &parts, &numbering.numbered_at, diagnostics);
        let highest = parts.last().map_or(0, |p| p.number);
        let total = file.as_ref().and_then(|f| f.parts).unwrap_or(highest);
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

/// The series' own texts outside Markdown (titles, outlines) in the site's typography.
pub fn typeset(series: &mut [Series], options: &markdown::Options) {
    for s in series {
        s.title = markdown::typeset(options, &s.title);
        for part in &mut s.parts {
            part.title = markdown::typeset(options, &part.title);
            for line in &mut part.outline {
                *line = markdown::typeset(options, line);
            }
        }
    }
}

/// A series file announcing more than [`MAX_PARTS`] parts: an error at its `parts`, which is
/// then left out.
fn bound_parts(mut f: SeriesFile, diagnostics: &mut Diagnostics) -> SeriesFile {
    if let Some(n) = f.parts.filter(|&n| n > MAX_PARTS) {
        let at = parts_location(&f);
        diagnostics.push(
            Diagnostic::error(Some(at), too_many(format!("`parts: {n}`"))).with_source(&f.text),
        );
        f.parts = None;
    }
    f
}

/// Where a series file's `parts` value is written (the file's start if it cannot be found).
fn parts_location(f: &SeriesFile) -> Location {
    let front_matter = f.text.lines().enumerate().skip(1);
    let found = front_matter
        .take_while(|(_, line)| line.trim_end() != "---")
        .find_map(|(i, line)| {
            let rest = line.strip_prefix("parts")?.strip_prefix(':')?;
            let value = rest.trim_start();
            Some(Location::new(&f.path, i + 1, 7 + rest.len() - value.len()))
        });
    found.unwrap_or_else(|| Location::file(&f.path))
}

/// Every well-formed claim of a part, by series slug (published posts first, in site order,
/// then scheduled ones); the others are errors.
fn gather_claims<'a>(
    files: &BTreeMap<String, SeriesFile>,
    published: &[&'a Post],
    scheduled: &[&'a Post],
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Vec<Claim<'a>>> {
    let mut claims: BTreeMap<String, Vec<Claim<'a>>> = BTreeMap::new();
    let candidates = published
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, Some(i)))
        .chain(scheduled.iter().map(|p| (*p, None)));
    for (post, index) in candidates {
        if let Some((slug, claim)) = claim(post, index, files, diagnostics) {
            claims.entry(slug).or_default().push(claim);
        }
    }
    claims
}

/// The part `post` claims, with its series' slug, checked on its own: `series` and `part` go
/// together, parts start at 1 and stay within what the series file announces.
fn claim<'a>(
    post: &'a Post,
    index: Option<usize>,
    files: &BTreeMap<String, SeriesFile>,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Claim<'a>)> {
    let error = |at: &Location, message: String| {
        Diagnostic::error(Some(at.clone()), message).with_source(&post.text)
    };
    match (&post.series, &post.part) {
        (None, None) => None,
        (Some(s), None) => {
            let message = format!("`series: {}` needs a `part` number", s.value);
            diagnostics.push(error(&s.location, message));
            None
        }
        (None, Some(p)) => {
            let message = "`part` needs a `series`: which series is this a part of?";
            diagnostics.push(error(&p.location, message.to_string()));
            None
        }
        (Some(s), Some(p)) => {
            let slug = crate::slug::slugify(&s.value);
            if p.value == 0 {
                diagnostics.push(error(&p.location, "part numbers start at 1".to_string()));
                return None;
            }
            if p.value > MAX_PARTS {
                diagnostics.push(error(&p.location, too_many(format!("part {}", p.value))));
                return None;
            }
            if let Some(parts) = files.get(&slug).and_then(|f| f.parts)
                && p.value > parts
            {
                let message = format!(
                    "part {} of series \"{slug}\", but its series file announces {parts} parts",
                    p.value
                );
                diagnostics.push(error(&p.location, message));
                return None;
            }
            let claim = Claim {
                post,
                index,
                number: p.value,
                location: p.location.clone(),
            };
            Some((slug, claim))
        }
    }
}

/// The parts of one series as its posts claim them, and where each number is claimed.
#[derive(Default)]
struct Numbering {
    parts: BTreeMap<u32, Part>,
    /// The post that claims each part.
    claimed_by: BTreeMap<u32, PathBuf>,
    /// Where each part's number is written, for messages about the numbering.
    numbered_at: BTreeMap<u32, Location>,
}

/// Numbers the parts of series `slug` from its claims: of two posts claiming the same part,
/// the first by path keeps it and the other is an error.
fn number_parts(
    slug: &str,
    mut claims: Vec<Claim<'_>>,
    diagnostics: &mut Diagnostics,
) -> Numbering {
    let mut n = Numbering::default();
    claims.sort_by(|a, b| (a.number, &a.post.path).cmp(&(b.number, &b.post.path)));
    for c in claims {
        if let Some(first) = n.claimed_by.get(&c.number) {
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
        n.claimed_by.insert(c.number, c.post.path.clone());
        n.numbered_at.insert(c.number, c.location.clone());
        let part = Part {
            number: c.number,
            title: c.post.title.clone(),
            date: c.post.date.clone(),
            outline: Vec::new(),
            post: c.index,
            overdue: false,
        };
        n.parts.insert(c.number, part);
    }
    n
}

/// The planned parts of series file `f`: announces the ones no post claims and lends their
/// outline to the others (warning when the dates disagree). Numbers out of range or planned
/// twice are errors. A part announced for a date already past (`now`) that no post claims is
/// *overdue*: a warning, since readers are told it is coming.
fn add_planned(
    slug: &str,
    f: &SeriesFile,
    n: &mut Numbering,
    now: jiff::Timestamp,
    diagnostics: &mut Diagnostics,
) {
    let mut planned_at: BTreeMap<u32, &Location> = BTreeMap::new();
    for planned in &f.planned {
        if let Err(message) = check_planned(slug, f, planned, &planned_at) {
            diagnostics.push(
                Diagnostic::error(Some(planned.part_location.clone()), message)
                    .with_source(&f.text),
            );
            continue;
        }
        planned_at.insert(planned.part, &planned.part_location);
        let Some(part) = n.parts.get_mut(&planned.part) else {
            let overdue = planned.date.instant < now;
            if overdue {
                diagnostics.push(overdue_warning(slug, f, planned));
            }
            let part = Part {
                number: planned.part,
                title: planned.title.clone(),
                date: planned.date.clone(),
                outline: planned.outline.clone(),
                post: None,
                overdue,
            };
            n.parts.insert(planned.part, part);
            continue;
        };
        if part.date.day != planned.date.day {
            let post = n
                .claimed_by
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
}

/// A planned part whose date has passed with no post for it.
fn overdue_warning(slug: &str, f: &SeriesFile, planned: &PlannedPart) -> Diagnostic {
    Diagnostic::warning(
        Some(planned.location.clone()),
        format!(
            "part {} of the series \"{slug}\" was announced for {}, which has passed, and no post publishes it",
            planned.part, planned.date.day
        ),
    )
    .with_source(&f.text)
    .with_note("write the part (its post gives `series` and `part`), or move its date here: its page says « annoncée pour le … » meanwhile")
}

/// Why a planned part cannot be taken: its number is out of the series' range, or planned
/// already (`planned_at`: the numbers planned before it).
fn check_planned(
    slug: &str,
    f: &SeriesFile,
    planned: &PlannedPart,
    planned_at: &BTreeMap<u32, &Location>,
) -> Result<(), String> {
    if planned.part == 0 {
        return Err("part numbers start at 1".to_string());
    }
    if planned.part > MAX_PARTS {
        return Err(too_many(format!("part {}", planned.part)));
    }
    if let Some(n) = f.parts.filter(|&n| planned.part > n) {
        return Err(format!(
            "planned part {} of series \"{slug}\", but the series file announces {n} parts",
            planned.part
        ));
    }
    if let Some(first) = planned_at.get(&planned.part) {
        return Err(format!(
            "part {} is planned twice, here and on line {}",
            planned.part, first.line
        ));
    }
    Ok(())
}

/// A gap among published parts: numbers below the last published one that are neither
/// published nor announced. One warning per run of missing numbers, at the number of the first
/// published part after it; the work follows the parts that exist, not their numbers.
fn report_gaps(
    slug: &str,
    parts: &[Part],
    numbered_at: &BTreeMap<u32, Location>,
    diagnostics: &mut Diagnostics,
) {
    let last_published = parts
        .iter()
        .filter(|p| p.post.is_some())
        .map(|p| p.number)
        .max()
        .unwrap_or(0);
    // `parts` are in order of their numbers.
    let mut expected = 1;
    for (i, part) in parts.iter().enumerate() {
        if part.number > last_published {
            break;
        }
        if part.number > expected {
            let at = parts[i..]
                .iter()
                .filter(|p| p.post.is_some())
                .find_map(|p| numbered_at.get(&p.number).cloned());
            let missing = if part.number - expected == 1 {
                format!("part {expected}")
            } else {
                format!("parts {expected} to {}", part.number - 1)
            };
            diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "series \"{slug}\" has no {missing}: {} neither published nor planned",
                    if part.number - expected == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                ),
            ));
        }
        expected = part.number + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::markdown_options;
    use crate::site::testing::{config, post, series_file};

    fn part(rel: &str, date: &str, series: &str, number: u32) -> Post {
        post(
            rel,
            &format!("date: {date}\nseries: {series}\npart: {number}"),
        )
    }

    fn run(
        files: Vec<SeriesFile>,
        published: &[Post],
        scheduled: &[Post],
    ) -> (Vec<Series>, Vec<String>) {
        let published: Vec<&Post> = published.iter().collect();
        let scheduled: Vec<&Post> = scheduled.iter().collect();
        let mut d = Diagnostics::new();
        // Long ago: no planned part is overdue (see the test of overdue parts).
        let series = assemble(
            files,
            &published,
            &scheduled,
            "/series/",
            jiff::Timestamp::MIN,
            &mut d,
        );
        let shown =
            d.0.iter()
                .map(|x| {
                    format!(
                        "{}: {}",
                        if x.is_error() { "error" } else { "warning" },
                        x.headline()
                    )
                })
                .collect();
        (series, shown)
    }

    fn numbers(s: &Series) -> Vec<(u32, Option<usize>)> {
        s.parts.iter().map(|p| (p.number, p.post)).collect()
    }

    #[test]
    fn parts_from_posts_make_a_series_titled_after_its_first_part() {
        let published = [
            post(
                "contes/deux.md",
                "title: Deux\ndate: 2020-02-01\nseries: Le Guichet\npart: 2",
            ),
            post(
                "contes/un.md",
                "title: Un\ndate: 2020-01-01\nseries: le guichet\npart: 1",
            ),
        ];
        let scheduled = [post(
            "contes/trois.md",
            "title: Trois\ndate: 2030-01-01\nseries: Le Guichet\npart: 3",
        )];
        let (series, d) = run(Vec::new(), &published, &scheduled);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(series.len(), 1);
        let s = &series[0];
        assert_eq!(
            (s.slug.as_str(), s.url.as_str()),
            ("le-guichet", "/series/le-guichet/")
        );
        assert_eq!((s.title.as_str(), s.total), ("Un", 3));
        assert_eq!(numbers(s), [(1, Some(1)), (2, Some(0)), (3, None)]);
        assert_eq!(s.published().collect::<Vec<_>>(), [1, 0]);
    }

    #[test]
    fn a_bad_claim_is_an_error_at_its_key_and_left_out() {
        let file = series_file("s", "title: S\nparts: 2", "");
        let published = [
            post("a.md", "date: 2020-01-01\nseries: s"),
            post("b.md", "date: 2020-01-01\npart: 1"),
            part("c.md", "2020-01-01", "s", 0),
            part("d.md", "2020-01-01", "s", 3),
            part("e.md", "2020-01-01", "s", 1),
        ];
        let (series, d) = run(vec![file], &published, &[]);
        assert_eq!(
            d,
            [
                "error: content/a.md:4:9: `series: s` needs a `part` number",
                "error: content/b.md:4:7: `part` needs a `series`: which series is this a part of?",
                "error: content/c.md:5:7: part numbers start at 1",
                "error: content/d.md:5:7: part 3 of series \"s\", but its series file announces 2 parts",
            ]
        );
        assert_eq!(numbers(&series[0]), [(1, Some(4))]);
        assert_eq!((series[0].title.as_str(), series[0].total), ("S", 2));
    }

    #[test]
    fn of_two_posts_claiming_a_part_the_first_by_path_keeps_it() {
        let published = [
            part("b.md", "2020-01-02", "s", 1),
            part("a.md", "2020-01-01", "s", 1),
        ];
        let (series, d) = run(Vec::new(), &published, &[]);
        assert_eq!(
            d,
            [
                "error: content/b.md:5:7: two posts claim part 1 of series \"s\": content/a.md and content/b.md"
            ]
        );
        assert_eq!(numbers(&series[0]), [(1, Some(1))]);
    }

    #[test]
    fn planned_parts_are_announced_or_lend_their_outline() {
        let file = series_file(
            "s",
            "title: S\nparts: 3\nplanned:\n  - {part: 1, date: 2020-01-05, title: P1, outline: [a, b]}\n  - {part: 3, date: 2030-01-01, title: Fin}",
            "La *description*.",
        );
        let (series, d) = run(vec![file], &[part("un.md", "2020-01-01", "s", 1)], &[]);
        assert_eq!(
            d,
            [
                "warning: content/series/s.md:5:21: part 1 is planned for 2020-01-05 here, but content/un.md is dated 2020-01-01"
            ]
        );
        let s = &series[0];
        assert_eq!(numbers(s), [(1, Some(0)), (3, None)]);
        assert_eq!(s.parts[0].title, "T");
        assert_eq!(s.parts[0].outline, ["a", "b"]);
        assert_eq!(s.parts[1].title, "Fin");
        assert_eq!(s.description, "La *description*.");
    }

    #[test]
    fn a_planned_part_whose_date_has_passed_without_a_post_is_overdue() {
        let file = series_file(
            "s",
            "title: S\nplanned:\n  - {part: 1, date: 2020-01-05, title: P1}\n  - {part: 2, date: 2019-12-24, title: P2}\n  - {part: 3, date: 2030-01-01, title: P3}",
            "",
        );
        let posts = [part("un.md", "2020-01-01", "s", 1)];
        let published: Vec<&Post> = posts.iter().collect();
        let now = "2025-01-01T00:00:00Z".parse().unwrap();
        let mut d = Diagnostics::new();
        let series = assemble(vec![file], &published, &[], "/series/", now, &mut d);
        let overdue: Vec<(u32, bool)> = series[0]
            .parts
            .iter()
            .map(|p| (p.number, p.overdue))
            .collect();
        assert_eq!(overdue, [(1, false), (2, true), (3, false)]);
        let warnings: Vec<String> = d.warnings().map(Diagnostic::headline).collect();
        assert!(
            warnings.contains(&"content/series/s.md:5:21: part 2 of the series \"s\" was announced for 2019-12-24, which has passed, and no post publishes it".to_string()),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_planned_part_out_of_range_or_twice_is_an_error_at_its_number() {
        let file = series_file(
            "s",
            "title: S\nparts: 2\nplanned:\n  - {part: 0, date: 2030-01-01, title: Z}\n  - {part: 3, date: 2030-01-01, title: T}\n  - {part: 2, date: 2030-01-01, title: A}\n  - {part: 2, date: 2030-01-02, title: B}",
            "",
        );
        let (series, d) = run(vec![file], &[], &[]);
        assert_eq!(
            d,
            [
                "error: content/series/s.md:5:12: part numbers start at 1",
                "error: content/series/s.md:6:12: planned part 3 of series \"s\", but the series file announces 2 parts",
                "error: content/series/s.md:8:12: part 2 is planned twice, here and on line 7",
            ]
        );
        assert_eq!(numbers(&series[0]), [(2, None)]);
        assert_eq!(series[0].parts[0].title, "A");
    }

    #[test]
    fn a_gap_before_the_last_published_part_is_a_warning_at_the_part_after_it() {
        let published = [
            part("un.md", "2020-01-01", "s", 1),
            part("quatre.md", "2020-01-04", "s", 4),
        ];
        let (series, d) = run(
            Vec::new(),
            &published,
            &[part("cinq.md", "2030-01-01", "s", 6)],
        );
        assert_eq!(
            d,
            [
                "warning: content/quatre.md:5:7: series \"s\" has no parts 2 to 3: they are neither published nor planned",
            ]
        );
        assert_eq!(series[0].total, 6);
    }

    #[test]
    fn part_numbers_and_sizes_are_bounded_and_gaps_are_one_warning_per_run() {
        // `part: 4294967295` exhausted memory and `part: 100000` printed 99 999 warnings.
        let file = series_file(
            "s",
            "title: S\nparts: 4294967295\nplanned:\n  - {part: 1001, date: 2030-01-01, title: Z}",
            "",
        );
        let published = [
            part("a.md", "2020-01-01", "s", 1),
            part("b.md", "2020-01-02", "s", 4_294_967_295),
            part("c.md", "2020-01-02", "s", 1_000),
            part("d.md", "2020-01-02", "s", 3),
        ];
        let (series, d) = run(vec![file], &published, &[]);
        let limit = "is over the limit of 1000 parts per series: is it a typo? (a series' pages list all its parts)";
        assert_eq!(
            d,
            [
                format!("error: content/series/s.md:3:8: `parts: 4294967295` {limit}"),
                format!("error: content/b.md:5:7: part 4294967295 {limit}"),
                format!("error: content/series/s.md:5:12: part 1001 {limit}"),
                "warning: content/d.md:5:7: series \"s\" has no part 2: it is neither published nor planned".to_string(),
                "warning: content/c.md:5:7: series \"s\" has no parts 4 to 999: they are neither published nor planned".to_string(),
            ]
        );
        assert_eq!(
            numbers(&series[0]),
            [(1, Some(0)), (3, Some(3)), (1_000, Some(2))]
        );
        assert_eq!(series[0].total, 1_000);
    }

    #[test]
    fn a_series_file_without_parts_is_a_series_still() {
        let (series, d) = run(vec![series_file("vide", "title: Bientôt", "")], &[], &[]);
        assert!(d.is_empty());
        assert_eq!((series[0].title.as_str(), series[0].total), ("Bientôt", 0));
        assert!(series[0].parts.is_empty());
    }

    #[test]
    fn typesetting_sets_titles_and_outlines() {
        let file = series_file(
            "s",
            "title: 'Le guichet : suite'\nplanned:\n  - {part: 1, date: 2030-01-01, title: 'Un ?', outline: ['Quoi ?']}",
            "",
        );
        let (mut series, _) = run(vec![file], &[], &[]);
        typeset(&mut series, &markdown_options(&config("")));
        assert_eq!(series[0].title, "Le guichet\u{a0}: suite");
        assert_eq!(series[0].parts[0].title, "Un\u{202f}?");
        assert_eq!(series[0].parts[0].outline, ["Quoi\u{202f}?"]);
    }
}
