//! The editorial calendar, `/__chronique/calendar`: what is coming and what is stuck.
//!
//! Editors want to see at a glance what the column has in the pipe without opening every file:
//! drafts, scheduled posts with their dates, series parts announced but not written, series with
//! a gap in their numbering, breakdowns without findings, and the warnings of the last build.
//! The page is made on each request from what the serve session already holds: the settings
//! and the parsed content of the last build (every save is rebuilt, so it is as fresh as the
//! site), placed with [`crate::site::place`] — URLs and series without rendering any Markdown.
//! Nothing is read or parsed again. It exists only in `chronique serve` and is never written by
//! `build`.
//!
//! Each entry links to its preview. Like `zola serve` and `hugo server`, `chronique serve` shows
//! drafts and scheduled posts only with `--drafts`; without it their preview does not exist, so
//! the calendar names the file and says to restart with `--drafts` instead of linking to a 404.
//!
//! It speaks the site's language ([`Words`]), dates in words included; the diagnostics of the
//! last build stay as the terminal prints them.

use std::collections::HashMap;
use std::fmt::Write;

use super::inject::escape;
use super::wording::{Words, words};
use crate::config::{Config, Language};
use crate::content::{Content, Kind, Post, SeriesFile, link_key};
use crate::diagnostics::{Diagnostics, display_path};
use crate::render::i18n::{date_in_words, to_be_published};
use crate::site::{BuildSettings, Series};

/// What the calendar needs to know about the server.
#[derive(Debug, Clone)]
pub struct CalendarSettings {
    /// Whether the server previews drafts and scheduled posts.
    pub drafts: bool,
    pub fixed_now: Option<jiff::Timestamp>,
}

/// The calendar's HTML, in `language` (the site's). `site` holds the settings and content of
/// the last build that read the files (from the serve session); `last` the diagnostics of the
/// last build: its warnings, or everything when it failed.
pub fn page(
    settings: &CalendarSettings,
    language: Language,
    site: Option<(Config, Content)>,
    last: &Diagnostics,
    last_failed: bool,
) -> String {
    let now = settings.fixed_now.unwrap_or_else(jiff::Timestamp::now);
    let w = words(language);
    let mut body = String::new();
    match site {
        None => {
            let _ = writeln!(body, "<p>{}</p>", w.site_unread);
        }
        Some((config, content)) => sections(&mut body, w, &config, &content, settings, now),
    }
    last_build(&mut body, w, last, last_failed);
    let mode = if settings.drafts {
        w.drafts_previewed
    } else {
        w.drafts_not_previewed
    };
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta name=\"robots\" content=\"noindex\">\n",
            "<title>{title} — chronique</title>\n<style>\n",
            "body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#18181b}}\n",
            "h2{{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d4d4d8}}\n",
            "li{{margin:.3rem 0}} .date{{font-variant-numeric:tabular-nums;margin-right:.5rem}}\n",
            ".file,.note{{color:#52525b;font-size:.9em}} .none{{color:#71717a}}\n",
            "pre{{white-space:pre-wrap;background:#f4f4f5;padding:1rem;font-size:.85rem}}\n",
            "</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
            "<p>{intro} {mode} <a href=\"/\">{back}</a>.</p>\n{body}</body>\n</html>\n"
        ),
        lang = w.language.code(),
        title = w.calendar,
        intro = w.calendar_intro,
        mode = mode,
        back = w.back_to_site,
        body = body
    )
}

/// The diagnostics of the last build: its warnings, or its errors when it failed.
fn last_build(body: &mut String, w: &Words, last: &Diagnostics, last_failed: bool) {
    let heading = if last_failed {
        w.last_build_failed
    } else {
        w.last_build_warnings
    };
    let _ = write!(
        body,
        "<section id=\"last-build\">\n<h2>{heading} ({})</h2>\n",
        last.0.len()
    );
    if last.is_empty() {
        let _ = writeln!(body, "<p class=\"none\">{}</p>", w.none);
    } else {
        body.push_str("<pre>");
        for d in &last.0 {
            body.push_str(&escape(&d.to_string()));
            body.push_str("\n\n");
        }
        body.push_str("</pre>\n");
    }
    body.push_str("</section>\n");
}

/// One line of a list: a date, a title (linked when it has a preview), the file, a note.
struct Entry {
    date: Option<jiff::civil::Date>,
    title: String,
    url: Option<String>,
    file: String,
    note: String,
}

fn sections(
    out: &mut String,
    w: &'static Words,
    config: &Config,
    content: &Content,
    settings: &CalendarSettings,
    now: jiff::Timestamp,
) {
    let mut posts: Vec<&Post> = content.posts.iter().collect();
    posts.sort_by(|a, b| {
        a.date
            .instant
            .cmp(&b.date.instant)
            .then(a.path.cmp(&b.path))
    });
    // Placed with every post, for the URLs and the series of drafts and scheduled posts too.
    let placement =
        crate::site::place(config, &BuildSettings { drafts: true, now }, &content.posts);
    let entries = Entries {
        urls: (placement.posts.iter())
            .map(|p| (link_key(&p.post.rel), p.url.clone()))
            .collect(),
        drafts: settings.drafts,
        now,
        w,
    };
    let drafts: Vec<Entry> = (posts.iter().filter(|p| p.draft))
        .map(|p| entries.entry(p, entries.no_preview(p)))
        .collect();
    list(out, w, "drafts", w.drafts, &drafts);
    let scheduled: Vec<Entry> = (posts.iter().filter(|p| entries.is_scheduled(p)))
        .map(|p| {
            let day = date_in_words(w.language, p.date.day);
            let mut note = to_be_published(w.language, &day);
            if !entries.previewable(p) {
                note = format!("{note}{} {}", w.semicolon, w.preview_with_drafts);
            }
            entries.entry(p, note)
        })
        .collect();
    list(out, w, "scheduled", w.scheduled, &scheduled);
    let (series, _) = placement.series(config, content.series.clone());
    series_lists(out, w, &series, &content.series);
    let bare: Vec<Entry> = posts
        .iter()
        .filter(|p| {
            p.kind == Kind::Irritant && p.breakdown.as_ref().is_none_or(|b| b.findings.is_empty())
        })
        .map(|p| entries.entry(p, entries.no_preview(p)))
        .collect();
    list(out, w, "no-findings", w.no_findings, &bare);
}

/// How a post becomes an entry: its preview's URL when the server shows it.
struct Entries {
    urls: HashMap<String, String>,
    /// Whether the server previews drafts and scheduled posts.
    drafts: bool,
    now: jiff::Timestamp,
    w: &'static Words,
}

impl Entries {
    fn is_scheduled(&self, p: &Post) -> bool {
        !p.draft && p.date.instant > self.now
    }

    fn previewable(&self, p: &Post) -> bool {
        self.drafts || !(p.draft || self.is_scheduled(p))
    }

    fn no_preview(&self, p: &Post) -> String {
        if self.previewable(p) {
            String::new()
        } else {
            self.w.preview_with_drafts.to_string()
        }
    }

    fn entry(&self, p: &Post, note: String) -> Entry {
        Entry {
            date: Some(p.date.day),
            title: p.title.clone(),
            url: (self.urls.get(&link_key(&p.rel)))
                .filter(|_| self.previewable(p))
                .cloned(),
            file: display_path(&p.path),
            note,
        }
    }
}

/// The series' parts announced but not written, and the series with gaps in their numbering.
fn series_lists(out: &mut String, w: &Words, series: &[Series], files: &[SeriesFile]) {
    let mut announced = Vec::new();
    let mut gaps = Vec::new();
    for s in series {
        for part in s.parts.iter().filter(|p| p.post.is_none()) {
            let file = (files.iter().find(|f| f.slug == s.slug))
                .map(|f| display_path(&f.path))
                .unwrap_or_default();
            announced.push(Entry {
                date: Some(part.date.day),
                title: format!(
                    "{} — {} {}{} {}",
                    s.title, w.part, part.number, w.colon, part.title
                ),
                url: Some(s.url.clone()),
                file,
                note: format!(
                    "{} chronique new conte \"…\" --series {}",
                    w.write_it_with, s.slug
                ),
            });
        }
        let missing: Vec<String> = (1..=s.total)
            .filter(|n| !s.parts.iter().any(|p| p.number == *n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() {
            gaps.push(Entry {
                date: None,
                title: s.title.clone(),
                url: Some(s.url.clone()),
                file: format!("{} {}", s.total, w.parts),
                note: format!(
                    "{} {}",
                    if missing.len() == 1 {
                        w.no_plan_one
                    } else {
                        w.no_plan_many
                    },
                    missing.join(", ")
                ),
            });
        }
    }
    announced.sort_by_key(|a| a.date);
    list(out, w, "announced", w.announced, &announced);
    list(out, w, "gaps", w.gaps, &gaps);
}

fn list(out: &mut String, w: &Words, id: &str, title: &str, entries: &[Entry]) {
    let _ = write!(
        out,
        "<section id=\"{id}\">\n<h2>{title} ({})</h2>\n",
        entries.len()
    );
    if entries.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>\n</section>", w.none);
        return;
    }
    out.push_str("<ul>\n");
    for e in entries {
        out.push_str("<li>");
        if let Some(day) = e.date {
            let _ = write!(
                out,
                "<time class=\"date\" datetime=\"{day}\">{}</time>",
                date_in_words(w.language, day)
            );
        }
        match &e.url {
            Some(url) => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", escape(url), escape(&e.title));
            }
            None => out.push_str(&escape(&e.title)),
        }
        if !e.file.is_empty() {
            let _ = write!(out, " <span class=\"file\">{}</span>", escape(&e.file));
        }
        if !e.note.is_empty() {
            let _ = write!(out, " <span class=\"note\">({})</span>", escape(&e.note));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}
