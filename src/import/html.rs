//! A post's HTML made clean Markdown, through html5ever (`scraper`), never regexes over HTML.
//!
//! WordPress stores two kinds of content: classic posts, with no `<p>` at all (WordPress adds
//! them on display: `wpautop`, blank lines between paragraphs), and Gutenberg posts, HTML with
//! `<!-- wp:… -->` block comments. [`to_markdown`] applies `wpautop`'s rule to the first, parses
//! both with a browser's parser (so entities are decoded once, by the parser), and writes the
//! Markdown of each element, keeping as minimal HTML only what Markdown cannot say. Text is
//! escaped so the Markdown renders back to the same text; shortcodes (`[caption …]`) are kept
//! as they are, and their names returned for the report.

use std::collections::BTreeMap;

use ego_tree::NodeRef;

use super::shortcodes::{self, video, video_url};
use scraper::Node;

/// The Markdown of a post's content, the shortcodes it holds (name → count), and the
/// shortcodes and embeds made chronique's (what → count).
pub struct Converted {
    pub markdown: String,
    pub shortcodes: BTreeMap<String, usize>,
    pub converted: BTreeMap<&'static str, usize>,
}

pub use super::links::{Keep, Links};

/// Converts WordPress content to Markdown, its addresses through `links`.
pub fn to_markdown(content: &str, links: &mut dyn Links) -> Converted {
    let gutenberg = content.contains("<!-- wp:");
    let lifted = shortcodes::lift(content, links, !gutenberg);
    let html = match gutenberg {
        true => lifted.content.clone(),
        false => autop(&lifted.content),
    };
    let fragment = super::nesting::parse_fragment(&html);
    let mut writer = Writer {
        shortcodes: BTreeMap::new(),
        converted: BTreeMap::new(),
        depth: 0,
        links,
    };
    let blocks = writer.blocks(fragment.tree.root());
    let mut markdown = lifted.restore(&blocks.join("\n\n"));
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    for name in lifted.converted {
        *writer.converted.entry(name).or_default() += 1;
    }
    Converted {
        markdown,
        shortcodes: writer.shortcodes,
        converted: writer.converted,
    }
}

/// Elements `wpautop` does not wrap in a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dl",
    "div",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "iframe",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// `wpautop`'s rule on classic content: blank lines separate paragraphs, a single line break is
/// a `<br>`; a chunk that starts with a block element is left as it is, and a `<pre>` is never
/// cut at its blank lines.
fn autop(content: &str) -> String {
    let text = content.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 64);
    let mut pending = String::new();
    // `<pre>`s opened minus closed in `pending`, counted chunk by chunk (linear time).
    let mut open_pre = 0isize;
    for chunk in text.split("\n\n") {
        if !pending.is_empty() {
            pending.push_str("\n\n");
        }
        pending.push_str(chunk);
        open_pre += chunk.matches("<pre").count() as isize;
        open_pre -= chunk.matches("</pre>").count() as isize;
        if open_pre > 0 {
            continue;
        }
        open_pre = 0;
        let block = std::mem::take(&mut pending);
        let trimmed = block.trim();
        if trimmed.is_empty() {
            continue;
        }
        if starts_with_block(trimmed) {
            out.push_str(trimmed);
        } else {
            out.push_str("<p>");
            out.push_str(&trimmed.replace('\n', "<br />\n"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
    out.push_str(&pending);
    out
}

fn starts_with_block(chunk: &str) -> bool {
    let Some(rest) = chunk.strip_prefix('<') else {
        return false;
    };
    if rest.starts_with("!--") {
        return true;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
}

/// How inline content is being written: a table cell cannot hold a line break.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inline {
    Flow,
    Cell,
    Heading,
}

struct Writer<'l> {
    shortcodes: BTreeMap<String, usize>,
    converted: BTreeMap<&'static str, usize>,
    /// How many elements deep the writer is: past [`MAX_DEPTH`], an element is written as its
    /// text alone, so hostile nesting cannot overflow the stack.
    depth: usize,
    links: &'l mut dyn Links,
}

/// The deepest element written with its markup.
const MAX_DEPTH: usize = 64;

/// The longest shortcode tag looked for, in bytes: past it, `[` is plain text (a text full of
/// `[` without `]` would otherwise be read again from each one).
const MAX_SHORTCODE: usize = 1024;

/// An element's name, if the node is an element.
fn tag<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

fn attr<'a>(node: &NodeRef<'a, Node>, name: &str) -> Option<&'a str> {
    node.value().as_element().and_then(|e| e.attr(name))
}

fn is_block(node: &NodeRef<'_, Node>) -> bool {
    tag(node).is_some_and(|t| {
        BLOCK_TAGS.contains(&t) || matches!(t, "li" | "figcaption" | "html" | "body")
    })
}

impl Writer<'_> {
    /// The Markdown blocks of `node`'s children: runs of inline content become paragraphs.
    fn blocks(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        if self.depth >= MAX_DEPTH {
            let text = escape(&collapse(&text_of(node)), Inline::Flow);
            return (!text.trim().is_empty())
                .then(|| text.trim().to_string())
                .into_iter()
                .collect();
        }
        self.depth += 1;
        let out = self.blocks_within(node);
        self.depth -= 1;
        out
    }

    fn blocks_within(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        let mut out = Vec::new();
        let mut run = String::new();
        for child in node.children() {
            // WordPress's `<!--more-->` ends the summary, as chronique's `<!-- more -->` does.
            let more = child.value().as_comment();
            if more.is_some_and(|c| c.trim().starts_with("more")) {
                self.flush(&mut run, &mut out);
                out.push("<!-- more -->".into());
            } else if is_block(&child) {
                self.flush(&mut run, &mut out);
                out.extend(self.block(child));
            } else {
                run.push_str(&self.inline(child, Inline::Flow));
            }
        }
        self.flush(&mut run, &mut out);
        out
    }

    /// A paragraph of the inline run, unless it holds nothing but spaces (`&nbsp;` ones too).
    fn flush(&mut self, run: &mut String, out: &mut Vec<String>) {
        let text = std::mem::take(run);
        if text.trim().is_empty() {
            return;
        }
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| escape_line_start(line.trim_matches(' ')))
            .collect();
        out.push(lines.join("\n").trim_matches('\n').to_string());
    }

    /// The Markdown of one block element.
    fn block(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        let name = tag(&node).unwrap_or_default();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = usize::from(name.as_bytes()[1] - b'0');
                let text = self.children_inline(node, Inline::Heading);
                let text = text.trim();
                if text.is_empty() {
                    return Vec::new();
                }
                vec![format!("{} {text}", "#".repeat(level))]
            }
            "ul" | "ol" => vec![self.list(node, name == "ol")],
            "blockquote" => {
                let inner = self.blocks(node).join("\n\n");
                if inner.is_empty() {
                    return Vec::new();
                }
                vec![prefix_lines(&inner, "> ", ">")]
            }
            "pre" => vec![code_block(node)],
            "hr" => vec!["---".into()],
            "table" => self.table(node).into_iter().collect(),
            "iframe" => vec![minimal_html(node)],
            "figure" if has_class(&node, "wp-block-embed") => self.embed(node),
            "figure" if has_class(&node, "wp-block-image") => self.image_block(node),
            "p" if lone_video(node) => {
                *self.converted.entry("video address").or_default() += 1;
                vec![video(&text_of(node))]
            }
            _ => self.blocks(node),
        }
    }

    /// A Gutenberg image block: with a caption, a figure with its caption and credit, as
    /// `[caption]` gives; without, the image.
    fn image_block(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        let img = node.descendants().find(|n| tag(n) == Some("img"));
        let caption = node.descendants().find(|n| tag(n) == Some("figcaption"));
        let (Some(img), Some(caption)) = (img, caption) else {
            return self.blocks(node);
        };
        let src = attr(&img, "src").unwrap_or_default();
        let src = self.links.rewrite(src).unwrap_or_else(|| src.to_string());
        let alt = collapse(attr(&img, "alt").unwrap_or_default());
        let text = collapse(&text_of(caption));
        let (caption, credit) = shortcodes::credit_of(text.trim());
        *self.converted.entry("image block").or_default() += 1;
        vec![shortcodes::figure(&src, alt.trim(), caption, credit)]
    }

    /// A Gutenberg embed block: a video, or a link to what is not one.
    fn embed(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        let text = text_of(node);
        let url = text.split_whitespace().next().unwrap_or_default();
        if video_url(url) {
            *self.converted.entry("embed block").or_default() += 1;
            return vec![video(url)];
        }
        self.blocks(node)
    }

    fn children_inline(&mut self, node: NodeRef<'_, Node>, mode: Inline) -> String {
        node.children().map(|c| self.inline(c, mode)).collect()
    }

    /// A list, nested lists indented under their item.
    fn list(&mut self, node: NodeRef<'_, Node>, ordered: bool) -> String {
        let start: usize = attr(&node, "start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        let mut items = Vec::new();
        for (i, li) in node.children().filter(|c| tag(c) == Some("li")).enumerate() {
            let marker = if ordered {
                format!("{}. ", start + i)
            } else {
                "- ".to_string()
            };
            let body = self.blocks(li).join("\n");
            let indent = " ".repeat(marker.len());
            let body = prefix_lines(&body, &indent, "");
            items.push(format!("{marker}{}", &body[indent.len().min(body.len())..]));
        }
        items.join("\n")
    }

    /// A GFM table: the first row is the header.
    fn table(&mut self, node: NodeRef<'_, Node>) -> Option<String> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        // Its own rows only, not those of a table in a cell (each table's rows once).
        let groups = node
            .children()
            .filter(|c| matches!(tag(c), Some("thead" | "tbody" | "tfoot")));
        let rows_of = std::iter::once(node).chain(groups);
        for row in rows_of.flat_map(|g| g.children().filter(|c| tag(c) == Some("tr"))) {
            let cells = row
                .children()
                .filter(|c| matches!(tag(c), Some("td" | "th")))
                .map(|c| self.children_inline(c, Inline::Cell).trim().to_string())
                .collect();
            rows.push(cells);
        }
        let width = rows.iter().map(Vec::len).max().filter(|w| *w > 0)?;
        let line = |cells: &[String]| {
            let mut all: Vec<&str> = cells.iter().map(String::as_str).collect();
            all.resize(width, "");
            format!("| {} |", all.join(" | "))
        };
        let mut out = vec![line(&rows[0]), format!("|{}", " --- |".repeat(width))];
        out.extend(rows[1..].iter().map(|r| line(r)));
        Some(out.join("\n"))
    }

    /// The Markdown of inline content.
    fn inline(&mut self, node: NodeRef<'_, Node>, mode: Inline) -> String {
        match node.value() {
            Node::Text(text) => self.text(text, mode),
            Node::Element(_) => self.inline_element(node, mode),
            _ => String::new(),
        }
    }

    fn inline_element(&mut self, node: NodeRef<'_, Node>, mode: Inline) -> String {
        if self.depth >= MAX_DEPTH {
            return escape(&collapse(&text_of(node)), mode);
        }
        self.depth += 1;
        let out = self.inline_markup(node, mode);
        self.depth -= 1;
        out
    }

    fn inline_markup(&mut self, node: NodeRef<'_, Node>, mode: Inline) -> String {
        let name = tag(&node).unwrap_or_default();
        let inner = |w: &mut Self| w.children_inline(node, mode);
        match name {
            "strong" | "b" => wrap(&inner(self), "**"),
            "em" | "i" => wrap(&inner(self), "*"),
            "del" | "s" | "strike" => wrap(&inner(self), "~~"),
            "code" => code_span(&text_of(node)),
            "br" => match mode {
                Inline::Flow => "\\\n".into(),
                Inline::Cell => "<br>".into(),
                Inline::Heading => " ".into(),
            },
            "a" => {
                let text = inner(self);
                match attr(&node, "href") {
                    Some(href) => {
                        let href = self.links.rewrite(href).unwrap_or_else(|| href.to_string());
                        format!("[{}]({})", text.trim(), destination(&href))
                    }
                    None => text,
                }
            }
            "img" => self.image(node),
            "sup" | "sub" | "u" | "mark" | "kbd" | "abbr" | "small" | "cite" | "q" => {
                format!("<{name}>{}</{name}>", inner(self))
            }
            "script" | "style" => String::new(),
            _ => inner(self),
        }
    }

    fn image(&mut self, node: NodeRef<'_, Node>) -> String {
        let src = attr(&node, "src").unwrap_or_default();
        let src = self.links.rewrite(src).unwrap_or_else(|| src.to_string());
        let alt = collapse(attr(&node, "alt").unwrap_or_default());
        let alt = escape(&alt, Inline::Flow);
        format!("![{}]({})", alt.trim(), destination(&src))
    }

    /// Text, its spaces collapsed as a browser would, escaped, shortcodes kept as they are.
    fn text(&mut self, text: &str, mode: Inline) -> String {
        let collapsed = collapse(text);
        let mut out = String::with_capacity(collapsed.len());
        let mut rest = collapsed.as_str();
        while let Some(open) = rest.find('[') {
            out.push_str(&escape(&rest[..open], mode));
            rest = &rest[open..];
            match shortcode(rest) {
                Some((name, len)) => {
                    if !name.starts_with('/') {
                        *self.shortcodes.entry(name.to_string()).or_default() += 1;
                    }
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("\\[");
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(&escape(rest, mode));
        out
    }
}

/// `[name …]` or `[/name]` at the start of `text`: the name (with its `/`) and the length.
fn shortcode(text: &str) -> Option<(&str, usize)> {
    let body = &text[1..];
    // Up to the first `]` or `[` (ASCII: a character boundary), so that each byte is looked
    // at once however many `[` the text has: a shortcode's tag holds no `[`.
    let close = (body.bytes().take(MAX_SHORTCODE)).position(|b| b == b']' || b == b'[')?;
    if body.as_bytes()[close] == b'[' {
        return None;
    }
    let inside = &body[..close];
    let name_end = inside.find(' ').unwrap_or(inside.len());
    let name = &inside[..name_end];
    let bare = name.strip_prefix('/').unwrap_or(name);
    let valid = bare.starts_with(|c: char| c.is_ascii_alphabetic())
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    // `[y](z)`, `[y][z]` and `[y]: z` would be links in Markdown: those are escaped instead.
    let after = text[close + 2..].chars().next();
    let link = matches!(after, Some('(' | '[' | ':'));
    (valid && !link).then_some((name, close + 2))
}

/// Runs of HTML white space made one space (a no-break space is not HTML white space).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Text made literal in Markdown: the characters that could start markup, escaped.
fn escape(text: &str, mode: Inline) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' => out.push('\\'),
            '|' if mode == Inline::Cell => out.push('\\'),
            // `&amp;` in text would be read as an entity.
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push('\\')
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A line that would start a list or a heading underline, escaped: `1. `, `- `, `+ `, `=`.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let after = line[digits..].chars().next();
    let marker = match line.chars().next() {
        Some('-' | '+' | '=') => Some(0),
        Some(c) if c.is_ascii_digit() && matches!(after, Some('.' | ')')) => Some(digits),
        _ => None,
    };
    match marker {
        Some(at) => format!("{}\\{}", &line[..at], &line[at..]),
        None => line.to_string(),
    }
}

/// `**text**`, the spaces kept outside the markers (`** x**` would not be emphasis).
fn wrap(inner: &str, marker: &str) -> String {
    let trimmed = inner.trim_matches(' ');
    if trimmed.is_empty() {
        return inner.to_string();
    }
    let lead = if inner.starts_with(' ') { " " } else { "" };
    let tail = if inner.ends_with(' ') { " " } else { "" };
    format!("{lead}{marker}{trimmed}{marker}{tail}")
}

/// An inline code span with enough backticks around it.
fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn has_class(node: &NodeRef<'_, Node>, class: &str) -> bool {
    attr(node, "class").is_some_and(|c| c.split_whitespace().any(|c| c.starts_with(class)))
}

/// A paragraph holding a YouTube or Vimeo address and nothing else (WordPress embeds it).
fn lone_video(node: NodeRef<'_, Node>) -> bool {
    let only_links = node
        .descendants()
        .skip(1)
        .all(|n| n.value().is_text() || tag(&n) == Some("a"));
    only_links && video_url(&text_of(node))
}

/// All the text below `node`.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let texts = node
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| &**t));
    texts.collect()
}

/// A fenced code block; `class="language-x"` on the `<code>` gives its language.
fn code_block(node: NodeRef<'_, Node>) -> String {
    let text = text_of(node);
    let text = text.trim_end_matches('\n');
    let language = node
        .descendants()
        .filter_map(|n| attr(&n, "class"))
        .flat_map(|c| c.split_whitespace())
        .find_map(|c| c.strip_prefix("language-"))
        .unwrap_or("");
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}{language}\n{text}\n{fence}")
}

/// A link's destination, in `<…>` when it has spaces or parentheses.
fn destination(href: &str) -> String {
    let href = href.trim();
    if href.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", href.replace('<', "%3C").replace('>', "%3E"))
    } else {
        href.to_string()
    }
}

/// An element Markdown has no form for, as HTML with only its `src` attribute.
fn minimal_html(node: NodeRef<'_, Node>) -> String {
    let name = tag(&node).unwrap_or("div");
    let src = attr(&node, "src").map(|s| format!(" src=\"{}\"", s.replace('"', "&quot;")));
    format!("<{name}{}></{name}>", src.unwrap_or_default())
}

/// Each line of `text` prefixed (blank lines with `blank`).
fn prefix_lines(text: &str, prefix: &str, blank: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                blank.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &mut Keep).markdown
    }

    #[test]
    fn classic_content_gets_its_paragraphs() {
        assert_eq!(
            md("Un.\nDeux.\n\n&nbsp;\n\nTrois &amp; <em>quatre</em>"),
            "Un.\\\nDeux.\n\nTrois & *quatre*\n"
        );
        // A <pre> is not cut at its blank lines.
        assert_eq!(md("<pre>a\n\nb</pre>"), "```\na\n\nb\n```\n");
    }

    #[test]
    fn gutenberg_comments_and_empty_paragraphs_are_dropped() {
        let html =
            "<!-- wp:paragraph -->\n<p>Un</p>\n<!-- /wp:paragraph -->\n\n<p>&nbsp;</p><p> </p>";
        assert_eq!(md(html), "Un\n");
    }

    #[test]
    fn the_more_tag_ends_the_summary() {
        assert_eq!(
            md("Début.\n\n<!--more-->\n\nSuite."),
            "Début.\n\n<!-- more -->\n\nSuite.\n"
        );
        assert_eq!(
            md("<p>Début.<!--more--> Suite.</p>"),
            "Début.\n\n<!-- more -->\n\nSuite.\n"
        );
    }

    #[test]
    fn lists_nest_and_number() {
        let html = "<ol start=\"3\"><li>a<ul><li>b</li></ul></li><li><strong>c</strong></li></ol>";
        assert_eq!(md(html), "3. a\n   - b\n4. **c**\n");
    }

    #[test]
    fn text_renders_back_to_itself() {
        let text = "1. * _x_ [y](z) <b> `c` # ~~ &amp; a|b \\ - + =";
        let html = format!("<p>{}</p>", text.replace('&', "&amp;").replace('<', "&lt;"));
        let markdown = md(&html);
        let parser = pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::all());
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, parser);
        let back = scraper::Html::parse_fragment(&out);
        let back: String = back.root_element().text().collect();
        assert_eq!(back.trim(), text, "{markdown}");
    }

    #[test]
    fn shortcodes_are_kept_and_counted() {
        let c = to_markdown(
            "[caption id=\"a_b\"]<img src=\"x.jpg\" alt=\"X\"> Légende[/caption] [b] [gallery]",
            &mut Keep,
        );
        assert_eq!(
            c.markdown,
            "{{ figure(src=\"x.jpg\", alt=\"X\", caption=\"Légende\") }}\n\n[b] [gallery]\n"
        );
        assert_eq!(c.shortcodes.len(), 2);
        assert_eq!(c.converted["caption"], 1);
        assert_eq!(md("[1 2]"), "\\[1 2\\]\n");
    }

    #[test]
    fn hostile_html_takes_linear_time_and_no_deep_stack() {
        // 100 000 levels: the parser flattens what is past its bound (nesting.rs), the writer
        // what is past its own.
        let started = std::time::Instant::now();
        let n = 100_000;
        let deep = "<div><em>".repeat(n) + "fond" + &"</em></div>".repeat(n);
        assert!(md(&deep).contains("fond"));
        let deep_lists = "<ul><li>".repeat(n) + "x";
        assert!(md(&deep_lists).contains('x'));
        let quotes = "<blockquote><table><tr><td>".repeat(n) + "y";
        assert!(md(&quotes).contains('y'));
        assert!(md(&"[".repeat(1 << 20)).starts_with("\\[\\["));
        md(&("<pre>".to_string() + &"a\n\n".repeat(200_000)));
        // Linear, this takes ~10 s in a debug build (20 s on a loaded CI machine); quadratic, it
        // would take hours: the bound only tells the two apart.
        assert!(started.elapsed().as_secs() < 180, "{:?}", started.elapsed());
    }

    #[test]
    fn a_gutenberg_image_with_a_caption_is_a_figure() {
        let block = "<!-- wp:image --><figure class=\"wp-block-image size-large\"><img src=\"a.jpg\" alt=\"Le guichet\"/><figcaption>Le guichet fermé © AFP</figcaption></figure><!-- /wp:image -->";
        let c = to_markdown(block, &mut Keep);
        assert_eq!(
            c.markdown,
            "{{ figure(src=\"a.jpg\", alt=\"Le guichet\", caption=\"Le guichet fermé\", credit=\"AFP\") }}\n"
        );
        assert_eq!(c.converted["image block"], 1);
        let bare = "<!-- wp:image --><figure class=\"wp-block-image\"><img src=\"a.jpg\" alt=\"A\"/></figure>";
        assert_eq!(md(bare), "![A](a.jpg)\n");
    }

    #[test]
    fn tables_code_links_and_what_has_no_markdown_form() {
        let html = "<table><tr><th>a</th><th>b</th></tr><tr><td>1|2</td></tr></table>";
        assert_eq!(md(html), "| a | b |\n| --- | --- |\n| 1\\|2 |  |\n");
        assert_eq!(
            md("<p>x<sup>2</sup> <code>a`b</code></p>"),
            "x<sup>2</sup> ``a`b``\n"
        );
        assert_eq!(
            md("<p><a href=\"/a b\" title=\"t\">l</a></p>"),
            "[l](</a b>)\n"
        );
        assert_eq!(md("<h3>Titre<br>suite</h3>"), "### Titre suite\n");
        assert_eq!(
            md("<blockquote><p>a</p><p>b</p></blockquote>"),
            "> a\n>\n> b\n"
        );
        assert_eq!(
            md("<pre><code class=\"language-rust\">```\nx</code></pre>"),
            "````rust\n```\nx\n````\n"
        );
        assert_eq!(md(""), "");
    }
}
