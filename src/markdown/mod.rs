//! Markdown to HTML, through pulldown-cmark.
//!
//! CommonMark plus tables, footnotes, strikethrough, task lists and heading ids. On top of the
//! parser's events this module:
//! - resolves internal links written by source path (`[texte](@/breves/punition.md)`) with a
//!   function the caller gives, since only the assembled site knows every URL; a link to a
//!   missing file comes back as a [`BrokenLink`] with its byte offset, for a message with line
//!   and column;
//! - gives every heading an id (a French slug, unique in the page), a § anchor and a place in
//!   the table of contents;
//! - marks external links `rel="noopener"` and images `loading="lazy"`, with the `width` and
//!   `height` of a local image that a second function the caller gives has measured
//!   ([`Picture`]); an image it cannot read, and an empty `alt` on an image not marked
//!   decorative (title `"décoratif"` or `"decorative"`), come back with their byte offsets;
//! - sets the prose in the site's typography ([`typography`]): only `Text` events, adjacent ones
//!   merged first, so code, URLs, attributes and raw HTML are never touched;
//! - colours fenced code blocks with [`highlight`] (syntect, CSS classes);
//! - collects the plain text, for word counts and the search index.

mod escape;
pub mod highlight;
pub mod shortcode;
pub mod typography;

pub use escape::replace_bytes;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd, html,
};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::language::Language;
use crate::slug::slugify;
use typography::Typographer;

/// How to render: the site's language, whether to apply its typography and to colour code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub language: Language,
    pub typography: bool,
    pub highlight: bool,
    /// Levels added to every heading of the text (and its notes' heading), up to `h6`: 1 for a
    /// body that sits under a section heading of the page, as a breakdown's does. The table of
    /// contents keeps the levels as written.
    pub heading_shift: u8,
}

/// The HTML of a Markdown text and what went wrong in it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The summary: what comes before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// The text without markup (code included), for word counts and search.
    pub text: String,
    /// Headings of level 2 and 3, for the table of contents.
    pub toc: Vec<Heading>,
    pub broken_links: Vec<BrokenLink>,
    /// Local images that are not images chronique can read.
    pub bad_images: Vec<BadImage>,
    /// Byte offsets of images with an empty `alt` not marked decorative.
    pub unlabelled: Vec<usize>,
    /// Shortcodes that could not be read or expanded ([`render_expanding`]).
    pub shortcode_errors: Vec<shortcode::ShortcodeError>,
}

pub use crate::picture::{ImageFacts, Picture};

/// How the renderer asks about an image: its `src` as written → what the site knows of it.
pub type Measure<'a> = dyn Fn(&str) -> Picture + 'a;

/// A local image that cannot be read as an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadImage {
    /// Byte offset of the image in the Markdown text.
    pub offset: usize,
    /// Its `src` as written.
    pub src: String,
    pub why: String,
}

/// The titles that mark an image decorative: its `alt` stays empty on purpose, and the title
/// is not written (a screen reader skips an image with `alt=""`).
pub const DECORATIVE: [&str; 2] = ["décoratif", "decorative"];

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
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

/// The Markdown extensions of the site, for every parser of a post's text: the renderer's and
/// `chronique check`'s, so that both see the same links, tables, footnotes and headings.
pub fn parser_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES
        | O::ENABLE_FOOTNOTES
        | O::ENABLE_STRIKETHROUGH
        | O::ENABLE_TASKLISTS
        | O::ENABLE_HEADING_ATTRIBUTES
}

/// A short text outside Markdown (a title, a step of a breakdown) in the site's typography.
pub fn typeset(options: &Options, s: &str) -> String {
    if options.typography {
        typography::typeset(options.language, s).into_owned()
    } else {
        s.to_string()
    }
}

/// Renders a post body; `resolve` maps an internal path (`breves/x.md`) to its URL. Images
/// are written without their size: see [`render_with`].
pub fn render(text: &str, options: &Options, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    render_with(text, options, resolve, &|_| Picture::Unknown)
}

/// [`render`], with `measure` telling the size of each image by its `src` as written.
pub fn render_with(
    text: &str,
    options: &Options,
    resolve: &dyn Fn(&str) -> Option<String>,
    measure: &Measure<'_>,
) -> Rendered {
    let mut pass = Pass::new(options, resolve, measure);
    let events = pass.run(text);
    let summary = match text.find(MORE) {
        Some(end) => {
            let mut short = Pass::new(options, resolve, measure);
            to_html(short.run(&text[..end]))
        }
        None => first_paragraph(&events),
    };
    Rendered {
        html: to_html(events),
        summary,
        text: pass.text,
        toc: pass.toc,
        broken_links: pass.broken,
        bad_images: pass.bad_images,
        unlabelled: pass.unlabelled,
        shortcode_errors: Vec::new(),
    }
}

/// [`render_with`], with the text's shortcodes expanded by `expand` (see [`shortcode`]): each
/// block's body rendered first (innermost first), handed to `expand` as HTML, and every call's
/// HTML put in place of its token. A text without `{{` or `{%` takes [`render_with`]'s path.
pub fn render_expanding(
    text: &str,
    options: &Options,
    resolve: &dyn Fn(&str) -> Option<String>,
    measure: &Measure<'_>,
    expand: &shortcode::Expand<'_>,
) -> Rendered {
    if !shortcode::marked(text) {
        return render_with(text, options, resolve, measure);
    }
    let mut scan = shortcode::scan(text, &code_ranges(text));
    let mut found = Rendered {
        shortcode_errors: scan.take_errors(),
        ..Rendered::default()
    };
    let outputs = expand_all(text, &scan, (options, resolve, measure), expand, &mut found);
    let (source, map) = scan.source(text, None);
    let mut r = render_with(&source, options, resolve, measure);
    back_to_text(&mut r, &map);
    let words: Vec<String> = outputs.iter().map(|o| plain_text(o)).collect();
    r.html = shortcode::substitute(&r.html, &outputs);
    r.summary = shortcode::substitute(&r.summary, &outputs);
    r.text = shortcode::substitute(&r.text, &words);
    for heading in &mut r.toc {
        heading.title = shortcode::substitute(&heading.title, &words);
    }
    r.broken_links.append(&mut found.broken_links);
    r.bad_images.append(&mut found.bad_images);
    r.unlabelled.append(&mut found.unlabelled);
    found.shortcode_errors.sort_by_key(|e| e.offset);
    r.shortcode_errors = found.shortcode_errors;
    r
}

/// How a text is rendered: its options, and the answers about links and images.
type Hooks<'h> = (
    &'h Options,
    &'h dyn Fn(&str) -> Option<String>,
    &'h Measure<'h>,
);

/// The HTML of every call of `scan` (an escape's literal text; nothing for a call refused),
/// innermost first; what went wrong in the bodies and the calls goes to `found`.
fn expand_all(
    text: &str,
    scan: &shortcode::Scan,
    (options, resolve, measure): Hooks<'_>,
    expand: &shortcode::Expand<'_>,
    found: &mut Rendered,
) -> Vec<String> {
    let mut outputs = vec![String::new(); scan.nodes.len()];
    // Children come after their parent: backwards, each body's calls are expanded already.
    for (n, node) in scan.nodes.iter().enumerate().rev() {
        if let Some(literal) = &node.literal {
            outputs[n] = escaped(literal);
            continue;
        }
        if node.refused {
            continue;
        }
        let body = node.body.as_ref().map(|_| {
            let (source, map) = scan.source(text, Some(n));
            let mut r = render_with(&source, options, resolve, measure);
            back_to_text(&mut r, &map);
            found.broken_links.append(&mut r.broken_links);
            found.bad_images.append(&mut r.bad_images);
            found.unlabelled.append(&mut r.unlabelled);
            shortcode::substitute(&r.html, &outputs)
        });
        let call = shortcode::Call {
            name: &node.name,
            args: &node.args,
            body: body.as_deref(),
        };
        match expand(&call) {
            Ok(html) => outputs[n] = html,
            Err(refusal) => found.shortcode_errors.push(shortcode::ShortcodeError {
                offset: (refusal.arg.and_then(|i| node.args.get(i))).map_or(node.at, |a| a.offset),
                message: refusal.message,
                note: refusal.note,
            }),
        }
    }
    outputs
}

/// The offsets of what went wrong in a text made by [`shortcode::Scan::source`], moved back to
/// the author's text.
fn back_to_text(r: &mut Rendered, map: &shortcode::OffsetMap) {
    for link in &mut r.broken_links {
        link.offset = map.original(link.offset);
    }
    for image in &mut r.bad_images {
        image.offset = map.original(image.offset);
    }
    for offset in &mut r.unlabelled {
        *offset = map.original(*offset);
    }
}

/// The byte ranges of the code spans and code blocks of a text, in order: shortcodes there are
/// code, left as written.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    Parser::new_ext(text, parser_options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect()
}

/// Renders a short text (a summary written in the front matter) with the same rules.
pub fn render_fragment(
    text: &str,
    options: &Options,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut pass = Pass::new(options, resolve, &|_| Picture::Unknown);
    to_html(pass.run(text))
}

/// One walk over a document's events.
struct Pass<'r> {
    options: Options,
    resolve: &'r dyn Fn(&str) -> Option<String>,
    measure: &'r Measure<'r>,
    broken: Vec<BrokenLink>,
    bad_images: Vec<BadImage>,
    unlabelled: Vec<usize>,
    toc: Vec<Heading>,
    ids: Ids,
    text: String,
    /// `None` when the site turns typography off.
    typo: Option<Typographer>,
    notes: Notes,
}

/// Footnotes: numbered in the order they are first referred to, gathered at the end of the
/// text in a list with a link back to each reference (as GitHub and Pandoc do), so that a
/// screen reader announces them as notes and can go back and forth.
#[derive(Default)]
struct Notes {
    /// Labels in the order of their first reference.
    order: Vec<String>,
    /// The number of each label (its place in `order`, from 1).
    numbers: std::collections::HashMap<String, usize>,
    /// How many references each label has had so far (for unique ids).
    refs: std::collections::HashMap<String, usize>,
}

impl Notes {
    /// The number of a note and the id of this reference to it.
    fn reference(&mut self, label: &str) -> (usize, String) {
        let number = match self.numbers.get(label) {
            Some(&n) => n,
            None => {
                self.order.push(label.to_string());
                self.numbers.insert(label.to_string(), self.order.len());
                self.order.len()
            }
        };
        let seen = self.refs.entry(label.to_string()).or_default();
        *seen += 1;
        let id = if *seen == 1 {
            format!("fnref-{}", note_id(label))
        } else {
            format!("fnref-{}-{seen}", note_id(label))
        };
        (number, id)
    }
}

/// A footnote label as an id: `1`, `source`, `note-2`.
fn note_id(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() {
        "note".to_string()
    } else {
        slug
    }
}

impl<'r> Pass<'r> {
    fn new(
        options: &Options,
        resolve: &'r dyn Fn(&str) -> Option<String>,
        measure: &'r Measure<'r>,
    ) -> Self {
        Pass {
            options: *options,
            resolve,
            measure,
            broken: Vec::new(),
            bad_images: Vec::new(),
            unlabelled: Vec::new(),
            toc: Vec::new(),
            ids: Ids::default(),
            text: String::new(),
            typo: options
                .typography
                .then(|| Typographer::new(options.language)),
            notes: Notes::default(),
        }
    }

    /// Tells the typographer that a block starts or ends.
    fn end_block(&mut self) {
        if let Some(t) = &mut self.typo {
            t.end_block();
        }
    }

    /// Tells the typographer that something word-like that is not text came in.
    fn word(&mut self) {
        if let Some(t) = &mut self.typo {
            t.word();
        }
    }

    fn run<'a>(&mut self, source: &'a str) -> Vec<Event<'a>> {
        let raw = merge_texts(Parser::new_ext(source, parser_options()).into_offset_iter());
        let mut out: Vec<Event<'a>> = Vec::with_capacity(raw.len());
        // Footnote definitions are rendered where they are, then moved to the end.
        let mut open_notes: Vec<(String, usize)> = Vec::new();
        let mut definitions: Vec<(String, Vec<Event<'a>>)> = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            i = match &raw[i].0 {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    open_notes.push((label.to_string(), out.len()));
                    self.end_block();
                    i + 1
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((label, at)) = open_notes.pop() {
                        let body = out.split_off(at);
                        definitions.push((label, body));
                    }
                    self.end_block();
                    i + 1
                }
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }) => self.heading(&raw, i, *level, id.as_deref(), classes, &mut out),
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(&raw, i, kind, &mut out),
                _ => i + self.transform_one(&raw, i, &mut out),
            };
        }
        self.append_notes(&mut out, definitions);
        out
    }

    /// A heading, from its start at `i`: its id (written or a unique slug of its text), its place
    /// in the table of contents (levels 2 and 3), its inside transformed like any text, and its
    /// § anchor. Returns the index after its end.
    fn heading<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        level: HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr<'a>],
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let end = find_end(raw, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
        let inner: Vec<Event<'a>> = raw[i + 1..end].iter().map(|(e, _)| e.clone()).collect();
        let title = plain_of(&inner);
        let id = self.unique_id(match id {
            Some(id) => id.to_string(),
            None => slugify(&title),
        });
        let n = heading_number(level);
        let tag = (n + self.options.heading_shift).min(6);
        if n == 2 || n == 3 {
            self.toc.push(Heading {
                level: n,
                id: id.clone(),
                title: typeset(&self.options, &title),
            });
        }
        let class = if classes.is_empty() {
            String::new()
        } else {
            let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escaped(&joined.join(" ")))
        };
        let id = escaped(&id);
        out.push(Event::Html(format!("<h{tag} id=\"{id}\"{class}>").into()));
        // The heading's own events go through the same pass (links, text).
        let mut sub = Pass::new(&self.options, self.resolve, self.measure);
        sub.ids = std::mem::take(&mut self.ids);
        sub.notes = std::mem::take(&mut self.notes);
        let sub_events = sub.transform_inline(&raw[i + 1..end]);
        self.ids = sub.ids;
        self.notes = sub.notes;
        self.broken.extend(sub.broken);
        self.bad_images.extend(sub.bad_images);
        self.unlabelled.extend(sub.unlabelled);
        out.extend(sub_events);
        out.push(Event::Html(
            format!(
                "<a class=\"heading-anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">§</a></h{tag}>\n"
            )
            .into(),
        ));
        self.push_text(&title);
        self.text.push('\n');
        self.end_block();
        end + 1
    }

    /// A code block, from its start at `i`: its code in the plain text, and the block coloured
    /// by [`highlight`] (or only labelled, when the site turns colouring off). Returns the index
    /// after its end.
    fn code_block<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        kind: &CodeBlockKind<'a>,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let end = find_end(raw, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
        let mut code = String::new();
        for (e, _) in &raw[i + 1..end] {
            if let Event::Text(t) = e {
                code.push_str(t);
            }
        }
        self.push_text(&code);
        if !code.ends_with('\n') {
            self.text.push('\n');
        }
        let info = match kind {
            CodeBlockKind::Fenced(info) if !info.trim().is_empty() => Some(info.trim()),
            _ => None,
        };
        let mut block = if self.options.highlight {
            highlight::highlight(&code, info)
        } else {
            highlight::plain(&code, info)
        };
        block.push('\n');
        out.push(Event::Html(block.into()));
        self.end_block();
        end + 1
    }

    /// The footnotes, in the order of their first reference (unreferenced ones after), as an
    /// ordered list at the end of the text.
    fn append_notes<'a>(
        &mut self,
        out: &mut Vec<Event<'a>>,
        mut defs: Vec<(String, Vec<Event<'a>>)>,
    ) {
        if defs.is_empty() {
            return;
        }
        let rank = |label: &str| self.notes.numbers.get(label).copied().unwrap_or(usize::MAX);
        defs.sort_by_key(|(label, _)| rank(label));
        let (title, back) = match self.options.language {
            Language::Fr => ("Notes", "Retour au texte"),
            Language::En => ("Notes", "Back to the text"),
        };
        let h = (2 + self.options.heading_shift).min(6);
        out.push(Event::Html(
            format!(
                "<section class=\"footnotes\" aria-labelledby=\"footnotes-title\">\n<h{h} class=\"footnotes-title\" id=\"footnotes-title\">{title}</h{h}>\n<ol>\n"
            )
            .into(),
        ));
        for (label, body) in defs {
            let id = note_id(&label);
            out.push(Event::Html(format!("<li id=\"fn-{id}\">\n").into()));
            out.extend(body);
            if rank(&label) != usize::MAX {
                out.push(Event::Html(
                    format!(
                        "<a class=\"footnote-back\" href=\"#fnref-{id}\" aria-label=\"{back}\">↩</a>\n"
                    )
                    .into(),
                ));
            }
            out.push(Event::Html("</li>\n".into()));
        }
        out.push(Event::Html("</ol>\n</section>\n".into()));
    }

    /// Transforms a run of inline events (the inside of a heading).
    fn transform_inline<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
    ) -> Vec<Event<'a>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            i += self.transform_one(raw, i, &mut out);
        }
        out
    }

    /// Transforms the event at `i`, pushing to `out`; returns how many events it consumed.
    fn transform_one<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let event = &raw[i].0;
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.link(raw, i, *link_type, dest_url, title, out),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.image(raw, i, dest_url, title, out),
            Event::Start(Tag::Paragraph) => self.figure(raw, i, out).unwrap_or_else(|| {
                out.push(event.clone());
                1
            }),
            Event::Text(t) => {
                self.push_text(t);
                let t = match &mut self.typo {
                    Some(typo) => typo.text_event(t.clone()),
                    None => t.clone(),
                };
                out.push(Event::Text(t));
                1
            }
            Event::Code(c) => {
                self.push_text(c);
                self.word();
                out.push(event.clone());
                1
            }
            Event::FootnoteReference(label) => {
                self.footnote_reference(label, out);
                1
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.text.push('\n');
                self.end_block();
                out.push(event.clone());
                1
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                if let Some(t) = &mut self.typo {
                    t.line_break();
                }
                out.push(event.clone());
                1
            }
            Event::Start(tag) if is_block(tag) => {
                self.end_block();
                out.push(event.clone());
                1
            }
            Event::End(tag) if is_block_end(tag) => {
                self.end_block();
                out.push(event.clone());
                1
            }
            _ => {
                out.push(event.clone());
                1
            }
        }
    }

    /// A link, from its start at `i`: `@/` paths resolved, `rel="noopener"` on external links,
    /// an autolink's text kept as it is. Returns how many events it consumed.
    fn link<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        link_type: LinkType,
        dest_url: &CowStr<'_>,
        title: &str,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let href = self.internal(dest_url.clone(), raw[i].1.start);
        let external = href.starts_with("http://") || href.starts_with("https://");
        let mut tag = format!("<a href=\"{}\"", escaped_href(&href));
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escaped(title)));
        }
        if external {
            tag.push_str(" rel=\"noopener\"");
        }
        tag.push('>');
        out.push(Event::InlineHtml(tag.into()));
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            // The text of an autolink is the URL itself: keep it as it is.
            let end = find_end(raw, i, |e| matches!(e, Event::End(TagEnd::Link)));
            for (e, _) in &raw[i + 1..end] {
                if let Event::Text(t) = e {
                    out.push(Event::InlineHtml(escaped(t).into()));
                }
            }
            out.push(Event::InlineHtml("</a>".into()));
            return end + 1 - i;
        }
        1
    }

    /// An image, from its start at `i` to its end: `@/` paths resolved, its text as `alt`, its
    /// size when the caller measured it, `loading="lazy"`; the title `"décoratif"` marks an
    /// empty `alt` as meant. Returns how many events it consumed.
    fn image<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        dest_url: &CowStr<'_>,
        title: &str,
        out: &mut Vec<Event<'a>>,
    ) -> usize {
        let end = find_end(raw, i, |e| matches!(e, Event::End(TagEnd::Image)));
        let inner: Vec<Event<'a>> = raw[i + 1..end].iter().map(|(e, _)| e.clone()).collect();
        let alt = plain_of(&inner);
        let offset = raw[i].1.start;
        let decorative = DECORATIVE
            .iter()
            .any(|d| title.trim().eq_ignore_ascii_case(d));
        let alt = if decorative { String::new() } else { alt };
        if alt.trim().is_empty() && !decorative {
            self.unlabelled.push(offset);
        }
        let src = self.internal(dest_url.clone(), offset);
        let picture = (self.measure)(&src);
        if let Picture::Unreadable(why) = &picture {
            self.bad_images.push(BadImage {
                offset,
                src: src.clone(),
                why: why.clone(),
            });
        }
        let (src, alt) = (escaped_href(&src), escaped(&alt));
        let title = if decorative {
            String::new()
        } else {
            escaped(title)
        };
        let tag = crate::picture::Tag {
            src: &src,
            alt: &alt,
            title: &title,
            sizes: crate::picture::BODY_SIZES,
            eager: false,
        };
        let tag = crate::picture::html(&tag, &picture);
        out.push(Event::InlineHtml(tag.into()));
        self.word();
        end + 1 - i
    }

    /// A paragraph that is only an image with a title (not "décoratif"), from its start at `i`:
    /// a `<figure>` whose caption is the title. Returns how many events it consumed, or `None`
    /// for any other paragraph.
    fn figure<'a>(
        &mut self,
        raw: &[(Event<'a>, std::ops::Range<usize>)],
        i: usize,
        out: &mut Vec<Event<'a>>,
    ) -> Option<usize> {
        let Some((
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            _,
        )) = raw.get(i + 1)
        else {
            return None;
        };
        let caption = title.trim();
        if caption.is_empty() || DECORATIVE.iter().any(|d| caption.eq_ignore_ascii_case(d)) {
            return None;
        }
        let end = find_end(raw, i + 1, |e| matches!(e, Event::End(TagEnd::Image)));
        if !matches!(raw.get(end + 1), Some((Event::End(TagEnd::Paragraph), _))) {
            return None;
        }
        let mut img = Vec::new();
        self.image(raw, i + 1, &dest_url.clone(), "", &mut img);
        let mut html = String::from("<figure>");
        for e in img {
            if let Event::InlineHtml(h) = e {
                html.push_str(&h);
            }
        }
        self.text.push(' ');
        self.push_text(caption);
        self.word();
        let caption = escaped(&typeset(&self.options, caption));
        html.push_str(&format!("<figcaption>{caption}</figcaption></figure>\n"));
        self.text.push('\n');
        self.end_block();
        out.push(Event::Html(html.into()));
        Some(end + 2 - i)
    }

    /// A footnote reference: a superscript number linking to the note, with an id the note
    /// links back to.
    fn footnote_reference(&mut self, label: &str, out: &mut Vec<Event<'_>>) {
        self.word();
        let (number, ref_id) = self.notes.reference(label);
        out.push(Event::InlineHtml(
            format!(
                "<sup class=\"footnote-ref\"><a href=\"#fn-{}\" id=\"{ref_id}\" aria-describedby=\"footnotes-title\">{number}</a></sup>",
                note_id(label)
            )
            .into(),
        ));
    }

    fn push_text(&mut self, t: &str) {
        self.text.push_str(t);
    }

    /// Resolves `@/path.md#anchor` links; leaves every other link alone.
    fn internal(&mut self, dest: CowStr<'_>, offset: usize) -> String {
        let Some(path) = dest.strip_prefix("@/") else {
            return dest.to_string();
        };
        let (path, anchor) = match path.find('#') {
            Some(i) => (&path[..i], &path[i..]),
            None => (path, ""),
        };
        match (self.resolve)(path) {
            Some(url) => format!("{url}{anchor}"),
            None => {
                self.broken.push(BrokenLink {
                    offset,
                    target: path.to_string(),
                });
                dest.to_string()
            }
        }
    }

    /// An id not used yet in this page: `titre`, `titre-1`, `titre-2`…
    fn unique_id(&mut self, base: String) -> String {
        self.ids.unique(base)
    }
}

/// The ids of a page's headings so far, and for each base the next suffix to try: the n-th
/// `## Note` takes `note-n` at once instead of trying `note`, `note-1`… again (4 000 of them
/// took 18 s when each try scanned the list).
#[derive(Default)]
struct Ids {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
    /// How many candidates were tried, to check that the work stays linear.
    #[cfg(test)]
    tries: usize,
}

impl Ids {
    /// `base` if unused (`section` for an empty one), else `base-n` for the smallest free n.
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        #[cfg(test)]
        {
            self.tries += 1;
        }
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        // Every `base-k` below `next` is taken already: the set only grows.
        let n = self.next.entry(base.clone()).or_insert(1);
        let mut id = format!("{base}-{n}");
        while self.used.contains(&id) {
            #[cfg(test)]
            {
                self.tries += 1;
            }
            *n += 1;
            id = format!("{base}-{n}");
        }
        *n += 1;
        self.used.insert(id.clone());
        id
    }
}

/// The parser's events with adjacent texts merged (pulldown-cmark splits a sentence at `'`, `[`
/// and entities), so the typographer sees whole sentences. A merged text keeps the first one's
/// offset.
fn merge_texts<'a>(
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::new();
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            let mut joined = String::with_capacity(prev.len() + next.len());
            joined.push_str(prev);
            joined.push_str(next);
            *prev = joined.into();
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// Tags that open a block: the typographer starts afresh in them (no quote stays open across).
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::HtmlBlock
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The index of the event closing the one at `start` (the same nesting level).
fn find_end(
    raw: &[(Event<'_>, std::ops::Range<usize>)],
    start: usize,
    is_end: impl Fn(&Event<'_>) -> bool,
) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in raw.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && is_end(e) {
                    return j;
                }
            }
            _ => {}
        }
    }
    raw.len().saturating_sub(1)
}

/// The plain text of some inline events.
fn plain_of(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

fn escaped_href(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_href(&mut out, s);
    out
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

/// The text of an HTML fragment without its tags, entities decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if in_tag {
            if c == '>' {
                in_tag = false;
                out.push(' ');
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '<' {
            in_tag = true;
            rest = &rest[1..];
            continue;
        }
        if c == '&'
            && let Some(end) = rest.find(';').filter(|&e| e <= 8)
        {
            let decoded = match &rest[..=end] {
                "&amp;" => Some('&'),
                "&lt;" => Some('<'),
                "&gt;" => Some('>'),
                "&quot;" => Some('"'),
                "&#39;" | "&#x27;" | "&apos;" => Some('\''),
                "&nbsp;" => Some('\u{a0}'),
                _ => None,
            };
            if let Some(d) = decoded {
                out.push(d);
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let collapsed: Vec<&str> = out
        .split([' ', '\n', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    collapsed.join(" ")
}

/// `CodeBlockKind` → the fence's language, if any.
pub fn fence_language<'a>(kind: &'a CodeBlockKind<'_>) -> Option<&'a str> {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().filter(|l| !l.is_empty()),
        CodeBlockKind::Indented => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: Options = Options {
        language: Language::Fr,
        typography: false,
        highlight: true,
        heading_shift: 0,
    };

    fn resolve(path: &str) -> Option<String> {
        (path == "breves/punition.md").then(|| "/breves/punition/".to_string())
    }

    fn html(text: &str) -> String {
        render(text, &OPTIONS, &resolve).html
    }

    #[test]
    fn internal_links_resolve() {
        let r = render(
            "Voir [la brève](@/breves/punition.md#fin).",
            &OPTIONS,
            &resolve,
        );
        assert_eq!(
            r.html,
            "<p>Voir <a href=\"/breves/punition/#fin\">la brève</a>.</p>\n"
        );
        assert!(r.broken_links.is_empty());
    }

    #[test]
    fn broken_links_are_reported_with_offsets() {
        let r = render(
            "Texte.\n\nVoir [ici](@/breves/absente.md).",
            &OPTIONS,
            &resolve,
        );
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
        let r = render(
            "Un.\n\nDeux.\n\n<!-- more -->\n\nTrois.",
            &OPTIONS,
            &resolve,
        );
        assert_eq!(r.summary, "<p>Un.</p>\n<p>Deux.</p>\n");
        let r = render("# Titre\n\nUn.\n\nDeux.", &OPTIONS, &resolve);
        assert_eq!(r.summary, "<p>Un.</p>\n");
    }

    #[test]
    fn extensions_are_on() {
        let h = html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~non~~ [^1]\n\n[^1]: note\n\n- [x] fait\n\n## Titre {#ancre}\n",
        );
        assert!(h.contains("<table>"));
        assert!(h.contains("<del>non</del>"));
        assert!(h.contains("<li id=\"fn-1\">"));
        assert!(h.contains("type=\"checkbox\""));
        assert!(h.contains("<h2 id=\"ancre\">"));
    }

    #[test]
    fn headings_get_unique_french_ids_and_a_toc() {
        let r = render(
            "## Ça m'agace\n\n### Détails\n\n## Ça m'agace\n\n#### Profond\n",
            &OPTIONS,
            &resolve,
        );
        assert!(
            r.html.contains(
                "<h2 id=\"ca-m-agace\">Ça m'agace<a class=\"heading-anchor\" href=\"#ca-m-agace\""
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"ca-m-agace-1\">"));
        let ids: Vec<(u8, &str)> = r.toc.iter().map(|h| (h.level, h.id.as_str())).collect();
        assert_eq!(
            ids,
            vec![(2, "ca-m-agace"), (3, "details"), (2, "ca-m-agace-1")]
        );
    }

    #[test]
    fn identical_headings_take_linear_work() {
        // `## Note` 4 000 times in one post took 18 s: every id tried `note`, `note-1`… again,
        // each try scanning every id so far.
        let mut ids = Ids::default();
        let n = 20_000;
        assert_eq!(ids.unique("note-3".into()), "note-3");
        let got: Vec<String> = (0..n).map(|_| ids.unique("note".into())).collect();
        assert_eq!(got[..5], ["note", "note-1", "note-2", "note-4", "note-5"]);
        assert_eq!(got[n - 1], format!("note-{n}"));
        assert_eq!(ids.unique(String::new()), "section");
        assert_eq!(ids.unique(String::new()), "section-1");
        assert!(ids.tries <= 2 * n + 10, "{} tries for {n} ids", ids.tries);
        let text = "## Note\n\n".repeat(4_000);
        let r = render(&text, &OPTIONS, &resolve);
        assert_eq!(r.toc.len(), 4_000);
        assert_eq!(r.toc[3_999].id, "note-3999");
    }

    #[test]
    fn external_links_and_images() {
        let h = html("[a](https://exemple.fr \"t\") [b](/local/) ![Une \"photo\" & co](x.png)");
        assert!(
            h.contains("<a href=\"https://exemple.fr\" title=\"t\" rel=\"noopener\">a</a>"),
            "{h}"
        );
        assert!(h.contains("<a href=\"/local/\">b</a>"), "{h}");
        assert!(
            h.contains(
                "<img src=\"x.png\" alt=\"Une &quot;photo&quot; &amp; co\" loading=\"lazy\" decoding=\"async\">"
            ),
            "{h}"
        );
    }

    #[test]
    fn a_titled_image_alone_in_its_paragraph_is_a_figure_with_its_caption() {
        let typeset = Options {
            typography: true,
            ..OPTIONS
        };
        let text = "![La file](file.jpg \"La file, à 10 h 15 : 40 personnes.\")\n\nTexte ![en ligne](a.jpg \"titre\") ici.\n\n![](d.svg \"décoratif\")";
        let h = render(text, &typeset, &resolve).html;
        assert!(
            h.starts_with(
                "<figure><img src=\"file.jpg\" alt=\"La file\" loading=\"lazy\" decoding=\"async\"><figcaption>La file, à 10\u{a0}h\u{a0}15\u{a0}: 40 personnes.</figcaption></figure>\n"
            ),
            "{}",
            h.escape_debug()
        );
        assert!(
            h.contains("<p>Texte <img src=\"a.jpg\" alt=\"en ligne\" loading=\"lazy\" decoding=\"async\" title=\"titre\"> ici.</p>"),
            "{h}"
        );
        assert!(h.contains("<p><img src=\"d.svg\" alt=\"\""), "{h}");
        let r = render(
            "![La file](f.jpg \"Une légende\")\n\nLe texte.",
            &OPTIONS,
            &resolve,
        );
        assert_eq!(r.summary, "<p>Le texte.</p>\n");
        assert!(r.text.contains("Une légende"), "{:?}", r.text);
    }

    #[test]
    fn images_get_the_size_the_caller_measured_and_report_what_is_wrong() {
        let measure = |src: &str| match src {
            "a.png" => Picture::Measured(ImageFacts::sized(40, 30)),
            "b.jpg" => Picture::Unreadable("its header is damaged".into()),
            _ => Picture::Unknown,
        };
        let text = "![A](a.png) ![B](b.jpg)\n\n![](c.png)\n\n![](d.svg \"décoratif\") ![Non](e.svg \"Decorative\")";
        let r = render_with(text, &OPTIONS, &resolve, &measure);
        assert!(
            r.html.contains(
                "<img src=\"a.png\" alt=\"A\" width=\"40\" height=\"30\" loading=\"lazy\" decoding=\"async\">"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<img src=\"b.jpg\" alt=\"B\" loading=\"lazy\" decoding=\"async\">")
        );
        assert!(
            r.html
                .contains("<img src=\"d.svg\" alt=\"\" loading=\"lazy\" decoding=\"async\">")
        );
        assert!(
            r.html
                .contains("<img src=\"e.svg\" alt=\"\" loading=\"lazy\" decoding=\"async\">")
        );
        assert_eq!(r.bad_images.len(), 1);
        assert_eq!(
            (r.bad_images[0].offset, r.bad_images[0].src.as_str()),
            (12, "b.jpg")
        );
        assert_eq!(r.unlabelled, vec![25]);
    }

    #[test]
    fn autolinks_keep_their_text() {
        let h = html("<https://exemple.fr/a?b=1>");
        assert_eq!(
            h,
            "<p><a href=\"https://exemple.fr/a?b=1\" rel=\"noopener\">https://exemple.fr/a?b=1</a></p>\n"
        );
    }

    #[test]
    fn plain_text_strips_tags_and_entities() {
        assert_eq!(
            plain_text("<p>Un &amp; <em>deux</em>\n&lt;trois&gt;</p>"),
            "Un & deux <trois>"
        );
        let r = render("## T\n\nUn *deux*.\n\n```\ncode\n```\n", &OPTIONS, &resolve);
        assert_eq!(r.text, "T\nUn deux.\ncode\n");
    }

    const FR: Options = Options {
        language: Language::Fr,
        typography: true,
        highlight: true,
        heading_shift: 0,
    };

    #[test]
    fn headings_can_go_down_a_level_with_their_notes_and_keep_their_toc_level() {
        // Issue 25: a breakdown's body sits under an h2 of the page.
        let shifted = Options {
            heading_shift: 1,
            ..OPTIONS
        };
        let r = render(
            "## Réparer\n\n### Détail\n\nTexte[^1]\n\n[^1]: Note.\n###### Six\n",
            &shifted,
            &resolve,
        );
        assert!(r.html.contains("<h3 id=\"reparer\">"), "{}", r.html);
        assert!(r.html.contains("<h4 id=\"detail\">"), "{}", r.html);
        assert!(r.html.contains("<h6 id=\"six\">"), "{}", r.html);
        assert!(
            r.html.contains("<h3 class=\"footnotes-title\""),
            "{}",
            r.html
        );
        let levels: Vec<u8> = r.toc.iter().map(|h| h.level).collect();
        assert_eq!(levels, [2, 3]);
    }

    fn fr(text: &str) -> String {
        render(text, &FR, &resolve).html
    }

    #[test]
    fn typography_sets_prose_across_markup() {
        assert_eq!(
            fr("Vraiment ? Il a dit : \"non\" ; l'*affaire* est close !"),
            "<p>Vraiment\u{202f}? Il a dit\u{a0}: «\u{202f}non\u{202f}»\u{202f}; l’<em>affaire</em> est close\u{202f}!</p>\n"
        );
        // Markup between a word and its mark: the space still goes in.
        assert_eq!(
            fr("Du **gras**?"),
            "<p>Du <strong>gras</strong>\u{202f}?</p>\n"
        );
        assert_eq!(fr("Le `code`?"), "<p>Le <code>code</code>\u{202f}?</p>\n");
    }

    #[test]
    fn typography_leaves_code_urls_attributes_and_html_alone() {
        let h = fr("Un `a : b ; c'd` et [lien : ici](https://exemple.fr/?q=a:b \"titre : x\").");
        assert!(
            h.contains("<code>a : b ; c&#39;d</code>") || h.contains("<code>a : b ; c'd</code>"),
            "{h}"
        );
        assert!(h.contains("href=\"https://exemple.fr/?q=a:b\""), "{h}");
        assert!(h.contains("title=\"titre : x\""), "{h}");
        assert!(h.contains(">lien\u{a0}: ici</a>"), "{h}");
        let h = fr("![Une image : l'alt](x.png)");
        assert!(
            h.contains("alt=\"Une image : l&#39;alt\"") || h.contains("alt=\"Une image : l'alt\""),
            "{h}"
        );
        let h = fr(
            "<span title=\"a : b\">x : y</span>\n\n```\nlet x = \"a\" ; // l'heure : 08:30\n```\n",
        );
        assert!(h.contains("<span title=\"a : b\">"), "{h}");
        assert!(
            h.contains("l&#39;heure : 08:30") || h.contains("l'heure : 08:30"),
            "{h}"
        );
        assert_eq!(
            fr("Rendez-vous à 08:30, ou 15h41."),
            "<p>Rendez-vous à 08:30, ou 15h41.</p>\n"
        );
        assert_eq!(
            fr("<https://exemple.fr/a?b=1>"),
            html("<https://exemple.fr/a?b=1>")
        );
    }

    #[test]
    fn typography_is_off_when_the_site_says_so() {
        assert_eq!(html("Vraiment ? l'air"), "<p>Vraiment ? l'air</p>\n");
        assert_eq!(typeset(&OPTIONS, "Vraiment ? l'air"), "Vraiment ? l'air");
        assert_eq!(typeset(&FR, "Vraiment ? l'air"), "Vraiment\u{202f}? l’air");
    }

    #[test]
    fn headings_are_typeset_but_keep_their_slug() {
        let r = render("## Pourquoi ? L'attente\n\nx\n", &FR, &resolve);
        assert!(
            r.html
                .starts_with("<h2 id=\"pourquoi-l-attente\">Pourquoi\u{202f}? L’attente<a"),
            "{}",
            r.html
        );
        assert_eq!(r.toc[0].title, "Pourquoi\u{202f}? L’attente");
    }

    #[test]
    fn fenced_code_is_highlighted_and_unknown_languages_stay_plain() {
        let h = html("```rust\nfn main() {}\n```\n");
        assert!(
            h.starts_with(
                "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\">"
            ),
            "{h}"
        );
        assert!(h.contains("<span class=\"hl-"), "{h}");
        let h = html("```klingon\nqapla'\n```\n");
        assert_eq!(
            h,
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"klingon\"><code class=\"language-klingon\">qapla&#39;</code></pre>\n"
        );
        let h = html("```\"><script>\nx\n```\n");
        assert!(!h.contains("<script>"), "{h}");
        let h = html("    indenté\n");
        assert_eq!(
            h,
            "<pre class=\"code\" tabindex=\"0\"><code>indenté</code></pre>\n"
        );
    }

    #[test]
    fn highlighting_can_be_turned_off_keeping_the_language_label() {
        let off = Options {
            highlight: false,
            ..OPTIONS
        };
        let h = render("```rust\nfn main() {}\n```\n", &off, &resolve).html;
        assert_eq!(
            h,
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\">fn main() {}</code></pre>\n"
        );
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_link_both_ways() {
        let h = html(
            "B[^b] puis A[^a] et B encore[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n\n[^z]: Orpheline.\n",
        );
        assert!(
            h.starts_with("<p>B<sup class=\"footnote-ref\"><a href=\"#fn-b\" id=\"fnref-b\" aria-describedby=\"footnotes-title\">1</a></sup> puis A<sup class=\"footnote-ref\"><a href=\"#fn-a\" id=\"fnref-a\" aria-describedby=\"footnotes-title\">2</a></sup>"),
            "{h}"
        );
        // A second reference to the same note has an id of its own, and the same number.
        assert!(
            h.contains("id=\"fnref-b-2\" aria-describedby=\"footnotes-title\">1</a>"),
            "{h}"
        );
        // The list: b first (referred to first), then a, then the orphan, without a way back.
        let b = h.find("<li id=\"fn-b\">").unwrap();
        let a = h.find("<li id=\"fn-a\">").unwrap();
        let z = h.find("<li id=\"fn-z\">").unwrap();
        assert!(b < a && a < z, "{h}");
        assert!(
            h.contains("href=\"#fnref-b\" aria-label=\"Retour au texte\""),
            "{h}"
        );
        assert!(!h.contains("#fnref-z"), "{h}");
        assert_eq!(h.matches("<section class=\"footnotes\"").count(), 1);
    }
}
