//! Markdown to HTML, through pulldown-cmark.
//!
//! CommonMark plus tables, footnotes, strikethrough, task lists and heading ids. Internal links
//! written by source path (`[texte](@/breves/punition.md)`) are resolved here with a function the
//! caller gives, since only the assembled site knows every post's URL; a link to a missing file
//! comes back as a [`BrokenLink`] with its byte offset, for a message with line and column.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The HTML of a Markdown text and what went wrong in it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The summary: what comes before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    pub broken_links: Vec<BrokenLink>,
}

/// An internal link whose target does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Byte offset of the link in the Markdown text.
    pub offset: usize,
    /// The path as written, without `@/`.
    pub target: String,
}

const MORE: &str = "<!-- more -->";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text`; `resolve` maps an internal path (`breves/x.md`) to its URL.
pub fn render(text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let mut broken_links = Vec::new();
    let events = events(text, 0, resolve, &mut broken_links);
    let summary = match text.find(MORE) {
        Some(end) => {
            let mut ignored = Vec::new();
            to_html(events_of(&text[..end], resolve, &mut ignored))
        }
        None => first_paragraph(&events),
    };
    Rendered {
        html: to_html(events),
        summary,
        broken_links,
    }
}

/// Renders a short text (a summary written in the front matter) with the same rules.
pub fn render_inline(text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    let mut ignored = Vec::new();
    to_html(events_of(text, resolve, &mut ignored))
}

fn events_of<'a>(
    text: &'a str,
    resolve: &dyn Fn(&str) -> Option<String>,
    broken: &mut Vec<BrokenLink>,
) -> Vec<Event<'a>> {
    events(text, 0, resolve, broken)
}

fn events<'a>(
    text: &'a str,
    base: usize,
    resolve: &dyn Fn(&str) -> Option<String>,
    broken: &mut Vec<BrokenLink>,
) -> Vec<Event<'a>> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: internal(dest_url, base + range.start, resolve, broken),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: internal(dest_url, base + range.start, resolve, broken),
                title,
                id,
            }),
            other => other,
        })
        .collect()
}

/// Resolves `@/path.md#anchor` links; leaves every other link alone.
fn internal<'a>(
    dest: CowStr<'a>,
    offset: usize,
    resolve: &dyn Fn(&str) -> Option<String>,
    broken: &mut Vec<BrokenLink>,
) -> CowStr<'a> {
    let Some(path) = dest.strip_prefix("@/") else {
        return dest;
    };
    let (path, anchor) = match path.find('#') {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    match resolve(path) {
        Some(url) => CowStr::from(format!("{url}{anchor}")),
        None => {
            broken.push(BrokenLink {
                offset,
                target: path.to_string(),
            });
            dest
        }
    }
}

fn to_html<'a>(events: impl IntoIterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

fn first_paragraph(events: &[Event<'_>]) -> String {
    let Some(start) = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
    else {
        return String::new();
    };
    let end = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .map_or(events.len(), |i| start + i + 1);
    to_html(events[start..end].iter().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Option<String> {
        (path == "breves/punition.md").then(|| "/breves/punition/".to_string())
    }

    #[test]
    fn internal_links_resolve() {
        let r = render("Voir [la brève](@/breves/punition.md#fin).", &resolve);
        assert_eq!(
            r.html,
            "<p>Voir <a href=\"/breves/punition/#fin\">la brève</a>.</p>\n"
        );
        assert!(r.broken_links.is_empty());
    }

    #[test]
    fn broken_links_are_reported_with_offsets() {
        let r = render("Texte.\n\nVoir [ici](@/breves/absente.md).", &resolve);
        assert_eq!(
            r.broken_links,
            vec![BrokenLink {
                offset: 13,
                target: "breves/absente.md".into()
            }]
        );
    }

    #[test]
    fn summary_before_more_else_first_paragraph() {
        let r = render("Un.\n\nDeux.\n\n<!-- more -->\n\nTrois.", &resolve);
        assert_eq!(r.summary, "<p>Un.</p>\n<p>Deux.</p>\n");
        let r = render("# Titre\n\nUn.\n\nDeux.", &resolve);
        assert_eq!(r.summary, "<p>Un.</p>\n");
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~non~~ [^1]\n\n[^1]: note\n\n- [x] fait\n\n## Titre {#ancre}\n",
            &resolve,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>non</del>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<h2 id=\"ancre\">"));
    }
}
