//! The WordPress export (WXR 1.1/1.2) read safely: a stream of XML events, never a tree.
//!
//! The file comes from elsewhere and may be hostile, so the reader takes no chances: no DTD at
//! all (WordPress writes none; one could declare a "billion laughs" or an external entity),
//! only XML's five entities and character references, no text over [`MAX_TEXT`] bytes (the
//! bytes read for one event are counted as they come, so a 1 GB text node stops at the bound,
//! not at the end of the memory), invalid UTF-8 refused. Every error names the file, line and
//! column. Only what the import uses is kept.
//!
//! The items are handed out one at a time ([`stream`]), so that reading an export of any size
//! holds one item, one event and the channel's lists, never the whole file: the import reads
//! the export twice rather than keep it ([`super`]).

use std::fmt;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// The longest text of one element (a post's content), and the most bytes one XML event may
/// take: 16 MiB, a hundred times a long post.
pub const MAX_TEXT: usize = 16 << 20;

/// The deepest nesting of elements: a WXR file has five levels.
const MAX_DEPTH: usize = 64;

/// What the import needs of the export.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Export {
    pub authors: Vec<WpAuthor>,
    /// `wp:category`: (nicename, name).
    pub categories: Vec<(String, String)>,
    pub items: Vec<Item>,
    /// The blog's own addresses: the channel's `link`, `wp:base_site_url`, `wp:base_blog_url`.
    pub site_links: Vec<String>,
}

/// A `wp:author`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WpAuthor {
    pub login: String,
    pub display_name: String,
}

/// An `item`: a post, a page, an attachment, a revision, a menu item…
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub post_id: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_type: String,
    /// `category` elements: (domain, nicename, name); domain `category` or `post_tag`.
    pub terms: Vec<(String, String, String)>,
    /// `wp:postmeta`: (key, value), e.g. `_thumbnail_id`, `_wp_attachment_image_alt`.
    pub meta: Vec<(String, String)>,
    /// An attachment's file: `https://blog.fr/wp-content/uploads/2018/03/x.jpg`.
    pub attachment_url: String,
    /// `excerpt:encoded`: the summary written by hand, if any.
    pub excerpt: String,
    /// `wp:comment`s, all of them (approved or not: the plan chooses).
    pub comments: Vec<Comment>,
    /// The line of its `<item>`, for the report.
    pub line: usize,
}

/// A `wp:comment`: only what may be published (no e-mail, no IP address, no URL is kept).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    /// `1` for approved; `0` (pending), `spam`, `trash`.
    pub approved: String,
    /// Empty or `comment`; `pingback`, `trackback`.
    pub kind: String,
    pub parent: String,
}

impl Item {
    /// The value of a `wp:postmeta`, if the item has it.
    pub fn meta(&self, key: &str) -> Option<&str> {
        let found = self.meta.iter().find(|(k, _)| k == key);
        found.map(|(_, v)| v.as_str())
    }
}

/// Why the export cannot be read: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WxrError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for WxrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.line {
            0 => write!(f, "{path}: {}", self.message),
            line => write!(f, "{path}:{line}:{}: {}", self.column, self.message),
        }
    }
}

impl std::error::Error for WxrError {}

/// Reads the export at `path` (a regular file only: [`crate::fsx`]'s rule), handing each item
/// to `on_item` as soon as it is read (numbered from 0 in the order of the file); the export
/// returned has the channel's lists and no items. An error of `on_item` stops the reading, at
/// the end of that item.
pub fn read(
    path: &Path,
    on_item: &mut dyn FnMut(usize, Item) -> Result<(), String>,
) -> Result<Export, WxrError> {
    let fail = |e: io::Error| WxrError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read it: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if !meta.is_file() {
        return Err(fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file",
                crate::fsx::special_kind(meta.file_type())
            ),
        )));
    }
    let file = std::fs::File::open(path).map_err(fail)?;
    stream(io::BufReader::new(file), path, MAX_TEXT, on_item)
}

/// A reader that counts what it hands out: the lines (for positions) and the bytes since the
/// last event (for the bound), refusing to read more once one event passes [`MAX_TEXT`].
struct Counted<R> {
    inner: R,
    consumed: u64,
    since_event: usize,
    limit: usize,
    /// The offset of every `\n` read since the start of the current event (and of the bytes
    /// read ahead of it): the ones before are only counted ([`Self::forget_lines_before`]), so
    /// that a file of a million lines does not keep a million offsets.
    newlines: Vec<u64>,
    /// How many `\n` come before `newlines[0]`, and the offset of the last of them.
    lines_before: usize,
    last_before: Option<u64>,
    over: bool,
}

impl<R> Counted<R> {
    /// Counts the newlines before `at` instead of keeping their offsets: no position asked
    /// for afterwards is before it (an event's start, or a place inside or after it).
    fn forget_lines_before(&mut self, at: u64) {
        let k = self.newlines.partition_point(|&nl| nl < at);
        if k > 0 {
            self.last_before = Some(self.newlines[k - 1]);
            self.lines_before += k;
            self.newlines.drain(..k);
        }
    }

    /// The 1-based line and column (in bytes) of the byte offset `at`.
    fn line_of(&self, at: u64) -> (usize, usize) {
        let (line, column) = line_of(&self.newlines, at);
        let Some(last_before) = self.last_before else {
            return (line, column);
        };
        let column = match line {
            1 => (at.saturating_sub(last_before + 1) + 1) as usize,
            _ => column,
        };
        (self.lines_before + line, column)
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_event > self.limit {
            self.over = true;
            return Err(io::Error::other("too long"));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let at = self.consumed;
            let found = buf[..amt.min(buf.len())].iter().enumerate();
            let lines = found.filter(|(_, b)| **b == b'\n');
            self.newlines.extend(lines.map(|(i, _)| at + i as u64));
        }
        self.consumed += amt as u64;
        self.since_event += amt;
        self.inner.consume(amt);
    }
}

/// The element being read, and the item or channel entry it belongs to.
struct State<'f> {
    stack: Vec<String>,
    text: String,
    export: Export,
    item: Option<Item>,
    author: Option<WpAuthor>,
    category: Option<(String, String)>,
    /// The attributes of the `category` element being read: (domain, nicename).
    term: Option<(String, String)>,
    seen_channel: bool,
    /// The `wp:postmeta` being read: (key, value).
    meta: Option<(String, String)>,
    /// The `wp:comment` being read.
    comment: Option<Comment>,
    /// Items read so far; where each goes once read.
    items: usize,
    on_item: &'f mut dyn FnMut(usize, Item) -> Result<(), String>,
}

/// Parses a whole export from any reader, its items in memory; `path` names it in errors.
pub fn parse<R: BufRead>(input: R, path: &Path) -> Result<Export, WxrError> {
    parse_with_limit(input, path, MAX_TEXT)
}

fn parse_with_limit<R: BufRead>(input: R, path: &Path, limit: usize) -> Result<Export, WxrError> {
    let mut items = Vec::new();
    let mut export = stream(input, path, limit, &mut |_, item| {
        items.push(item);
        Ok(())
    })?;
    export.items = items;
    Ok(export)
}

/// Reads an export from any reader, handing out each item as it is read: see [`read`].
pub fn stream<R: BufRead>(
    input: R,
    path: &Path,
    limit: usize,
    on_item: &mut dyn FnMut(usize, Item) -> Result<(), String>,
) -> Result<Export, WxrError> {
    let counted = Counted {
        inner: input,
        consumed: 0,
        since_event: 0,
        limit,
        newlines: Vec::new(),
        lines_before: 0,
        last_before: None,
        over: false,
    };
    let mut reader = Reader::from_reader(counted);
    let mut state = State {
        stack: Vec::new(),
        text: String::new(),
        export: Export::default(),
        item: None,
        author: None,
        category: None,
        term: None,
        seen_channel: false,
        meta: None,
        comment: None,
        items: 0,
        on_item,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        reader.get_mut().since_event = 0;
        let at = reader.buffer_position();
        reader.get_mut().forget_lines_before(at);
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let (at, message) = match e {
                    _ if reader.get_ref().over => (
                        at,
                        format!("a piece of text or markup longer than {} MiB", limit >> 20),
                    ),
                    quick_xml::Error::Encoding(_) => {
                        let valid =
                            std::str::from_utf8(&buf).map_or_else(|e| e.valid_up_to(), |s| s.len());
                        (
                            at + valid as u64,
                            "invalid UTF-8 (the export must be UTF-8, as WordPress writes it)"
                                .into(),
                        )
                    }
                    e => (
                        reader.error_position().max(at),
                        format!("not well-formed XML: {e}"),
                    ),
                };
                return Err(error(path, reader.get_ref(), at, message));
            }
        };
        let done = matches!(event, Event::Eof);
        // An element's line is its `<`'s, not the line of the white space before it.
        let line = reader.get_ref().line_of(at).0;
        state
            .on(event, line, limit)
            .map_err(|message| error(path, reader.get_ref(), at, message))?;
        if done {
            break;
        }
    }
    let end = reader.buffer_position();
    state
        .finish()
        .map_err(|m| error(path, reader.get_ref(), end, m))
}

/// The 1-based line and column (in bytes) of the byte offset `at`.
fn line_of(newlines: &[u64], at: u64) -> (usize, usize) {
    let before = newlines.partition_point(|&nl| nl < at);
    let start = if before == 0 {
        0
    } else {
        newlines[before - 1] + 1
    };
    (before + 1, (at.saturating_sub(start) + 1) as usize)
}

fn error<R>(path: &Path, counted: &Counted<R>, at: u64, message: String) -> WxrError {
    let (line, column) = counted.line_of(at);
    WxrError {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// The character an entity reference stands for: XML's five, or a character reference.
fn resolve(reference: &BytesRef<'_>) -> Result<char, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c);
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!(
            "unknown entity &{other}; (a WordPress export uses only XML's own: &lt; &gt; &amp; &apos; &quot;)"
        )),
    }
}

impl State<'_> {
    fn on(&mut self, event: Event<'_>, line: usize, limit: usize) -> Result<(), String> {
        match event {
            Event::DocType(_) => Err(
                "a DOCTYPE: WordPress exports have none, and one could declare entities (an entity bomb, an external file), so it is refused".into(),
            ),
            Event::Start(start) => self.start(&start, line),
            Event::Empty(start) => {
                self.start(&start, line)?;
                self.end()
            }
            Event::End(_) => self.end(),
            Event::Text(text) => self.push(&text.xml10_content(), limit),
            Event::CData(data) => {
                self.push(&data.replace("\r\n", "\n"), limit)
            }
            Event::GeneralRef(reference) => {
                let c = resolve(&reference)?;
                self.push(c.encode_utf8(&mut [0; 4]), limit)
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::Eof => Ok(()),
        }
    }

    fn push(&mut self, text: &str, limit: usize) -> Result<(), String> {
        if self.text.len() + text.len() > limit {
            let name = self.stack.last().map_or("", String::as_str);
            return Err(format!(
                "the text of <{name}> is longer than {} MiB",
                limit >> 20
            ));
        }
        // Only leaf elements' text is kept: the whitespace between elements is dropped on
        // every start tag.
        self.text.push_str(text);
        Ok(())
    }

    fn start(&mut self, start: &BytesStart<'_>, line: usize) -> Result<(), String> {
        let name = start.name().as_ref().to_string();
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
        }
        if self.stack.is_empty() && name != "rss" {
            return Err(format!(
                "not a WordPress export: its root element is <{name}>, not <rss>"
            ));
        }
        self.text.clear();
        let parent = self.stack.last().map(String::as_str);
        match (parent, name.as_str()) {
            (Some("rss"), "channel") => self.seen_channel = true,
            (Some("channel"), "item") => {
                self.item = Some(Item {
                    line,
                    ..Item::default()
                })
            }
            (Some("channel"), "wp:author") => self.author = Some(WpAuthor::default()),
            (Some("channel"), "wp:category") => self.category = Some(Default::default()),
            (Some("item"), "category") => self.term = Some(term_attributes(start)?),
            (Some("item"), "wp:postmeta") => self.meta = Some(Default::default()),
            (Some("item"), "wp:comment") => self.comment = Some(Comment::default()),
            _ => {}
        }
        self.stack.push(name);
        Ok(())
    }

    fn end(&mut self) -> Result<(), String> {
        let name = self.stack.pop().unwrap_or_default();
        let text = std::mem::take(&mut self.text);
        let parent = self.stack.last().map(String::as_str);
        match (parent, name.as_str()) {
            (Some("channel"), "item") => {
                if let Some(item) = self.item.take() {
                    self.items += 1;
                    (self.on_item)(self.items - 1, item)?;
                }
            }
            (Some("channel"), "wp:author") => self.export.authors.extend(self.author.take()),
            (Some("channel"), "wp:category") => self.export.categories.extend(self.category.take()),
            (Some("channel"), "link" | "wp:base_site_url" | "wp:base_blog_url") => {
                self.export.site_links.push(text)
            }
            (Some("item"), "wp:postmeta") => {
                if let (Some(item), Some(meta)) = (&mut self.item, self.meta.take()) {
                    item.meta.push(meta);
                }
            }
            (Some("item"), "wp:comment") => {
                if let (Some(item), Some(comment)) = (&mut self.item, self.comment.take()) {
                    item.comments.push(comment);
                }
            }
            (Some("wp:comment"), field) => self.comment_field(field, text),
            (Some("item"), field) => self.item_field(field, text),
            (Some(parent), field) => {
                let parent = parent.to_string();
                self.pair_field(&parent, field, text)
            }
            _ => {}
        }
        Ok(())
    }

    /// A field of a `wp:postmeta`, a `wp:author` or a `wp:category`.
    fn pair_field(&mut self, parent: &str, field: &str, text: String) {
        let slot = match (parent, field) {
            ("wp:postmeta", "wp:meta_key") => self.meta.as_mut().map(|m| &mut m.0),
            ("wp:postmeta", "wp:meta_value") => self.meta.as_mut().map(|m| &mut m.1),
            ("wp:author", "wp:author_login") => self.author.as_mut().map(|a| &mut a.login),
            ("wp:author", "wp:author_display_name") => {
                self.author.as_mut().map(|a| &mut a.display_name)
            }
            ("wp:category", "wp:category_nicename") => self.category.as_mut().map(|c| &mut c.0),
            ("wp:category", "wp:cat_name") => self.category.as_mut().map(|c| &mut c.1),
            _ => None,
        };
        if let Some(slot) = slot {
            *slot = text;
        }
    }

    fn comment_field(&mut self, field: &str, text: String) {
        let Some(comment) = &mut self.comment else {
            return;
        };
        let slot = match field {
            "wp:comment_id" => &mut comment.id,
            "wp:comment_author" => &mut comment.author,
            "wp:comment_date" => &mut comment.date,
            "wp:comment_date_gmt" => &mut comment.date_gmt,
            "wp:comment_content" => &mut comment.content,
            "wp:comment_approved" => &mut comment.approved,
            "wp:comment_type" => &mut comment.kind,
            "wp:comment_parent" => &mut comment.parent,
            _ => return,
        };
        *slot = text;
    }

    fn item_field(&mut self, field: &str, text: String) {
        let Some(item) = &mut self.item else { return };
        let slot = match field {
            "title" => &mut item.title,
            "link" => &mut item.link,
            "dc:creator" => &mut item.creator,
            "content:encoded" => &mut item.content,
            "wp:post_id" => &mut item.post_id,
            "wp:post_date" => &mut item.post_date,
            "wp:post_date_gmt" => &mut item.post_date_gmt,
            "wp:post_name" => &mut item.post_name,
            "wp:status" => &mut item.status,
            "wp:post_type" => &mut item.post_type,
            "wp:attachment_url" => &mut item.attachment_url,
            "excerpt:encoded" => &mut item.excerpt,
            "category" => {
                if let Some((domain, nicename)) = self.term.take() {
                    item.terms.push((domain, nicename, text));
                }
                return;
            }
            _ => return,
        };
        *slot = text;
    }

    fn finish(self) -> Result<Export, String> {
        if let Some(open) = self.stack.last() {
            return Err(format!(
                "the file ends inside <{open}>: it is cut short (an export interrupted?)"
            ));
        }
        if !self.seen_channel {
            return Err("not a WordPress export: no <rss><channel>".into());
        }
        Ok(self.export)
    }
}

/// The `domain` and `nicename` of an item's `category` element.
fn term_attributes(start: &BytesStart<'_>) -> Result<(String, String), String> {
    let mut domain = String::new();
    let mut nicename = String::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("a bad attribute: {e}"))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
            .map_err(|e| format!("a bad attribute value: {e}"))?
            .into_owned();
        match attribute.key.as_ref() {
            "domain" => domain = value,
            "nicename" => nicename = value,
            _ => {}
        }
    }
    Ok((domain, nicename))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &[u8]) -> Result<Export, WxrError> {
        parse(text, Path::new("export.xml"))
    }

    const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="c" xmlns:dc="d">
<channel>
<wp:author><wp:author_login><![CDATA[claire]]></wp:author_login><wp:author_display_name>Claire</wp:author_display_name></wp:author>
<item><title>L&#8217;attente &amp; la &lt;file&gt;</title>
<content:encoded><![CDATA[<p>x &nbsp;</p>]]></content:encoded>
<wp:post_type>post</wp:post_type>
<category domain="post_tag" nicename="a&amp;b">A &amp; B</category>
</item></channel></rss>"#;

    #[test]
    fn reads_items_authors_and_entities_once() {
        let export = parse_str(MINIMAL.as_bytes()).unwrap();
        assert_eq!(export.authors[0].login, "claire");
        let item = &export.items[0];
        assert_eq!(item.title, "L’attente & la <file>");
        // CDATA is not decoded: `&nbsp;` is left for the HTML parser.
        assert_eq!(item.content, "<p>x &nbsp;</p>");
        assert_eq!(item.line, 5);
        assert_eq!(
            item.terms,
            [("post_tag".into(), "a&b".into(), "A & B".into())]
        );
    }

    #[track_caller]
    fn refused(text: &[u8], line: usize, words: &str) {
        let e = parse_str(text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(e.to_string().contains(words), "{e}");
        assert!(e.to_string().starts_with("export.xml:"), "{e}");
    }

    #[test]
    fn an_entity_bomb_or_an_external_entity_is_refused() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<rss><channel><title>&lol2;</title></channel></rss>"#;
        refused(bomb.as_bytes(), 2, "DOCTYPE");
        let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss>&x;</rss>";
        refused(external.as_bytes(), 2, "DOCTYPE");
        // An undeclared entity: only XML's five are known.
        refused(
            b"<rss><channel>\n<title>&nbsp;</title></channel></rss>",
            2,
            "unknown entity &nbsp;",
        );
    }

    #[test]
    fn a_huge_text_node_stops_at_the_bound() {
        let mut text = b"<rss><channel>\n<item><title>".to_vec();
        text.extend(std::iter::repeat_n(b'a', 3 << 20));
        text.extend(b"</title></item></channel></rss>");
        let e = parse_with_limit(&text[..], Path::new("x.xml"), 1 << 20).unwrap_err();
        assert!(e.message.contains("longer than 1 MiB"), "{e}");
        assert_eq!(e.line, 2);
        // In CDATA, and spread over pieces: the element's text is bounded too.
        let mut text = b"<rss><channel><item><title>".to_vec();
        for _ in 0..40 {
            text.extend(b"<![CDATA[");
            text.extend(std::iter::repeat_n(b'<', 64 << 10));
            text.extend(b"]]>&amp;");
        }
        let e = parse_with_limit(&text[..], Path::new("x.xml"), 1 << 20).unwrap_err();
        assert!(e.message.contains("longer than 1 MiB"), "{e}");
    }

    #[test]
    fn bad_files_are_errors_with_their_line() {
        refused(
            b"<rss><channel>\n<title>caf\xe9</title></channel></rss>",
            2,
            "",
        );
        refused(b"<rss><channel>\n<item><title>x</title>", 2, "cut short");
        refused(
            b"Bonjour, ceci n'est pas du XML",
            1,
            "not a WordPress export",
        );
        refused(b"{\"json\": true}", 1, "not a WordPress export");
        refused(b"<html><body/></html>", 1, "not <rss>");
        refused(b"<rss>\n<channel></item></rss>", 2, "not well-formed");
        refused(b"", 1, "not a WordPress export");
        let deep = "<rss>".to_string() + &"<a>".repeat(100);
        refused(deep.as_bytes(), 1, "deeper");
    }

    #[test]
    fn items_are_handed_out_one_by_one_and_lines_counted_without_keeping_them() {
        let mut text = "<rss><channel>\n".to_string();
        for n in 0..3000 {
            text.push_str(&format!("<item>\n<title>{n}</title>\n</item>\n"));
        }
        text.push_str("  <item><title>x</title></oops>");
        let mut seen = Vec::new();
        let e = stream(
            text.as_bytes(),
            Path::new("x.xml"),
            MAX_TEXT,
            &mut |n, item| {
                seen.push((n, item.title, item.line));
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(seen.len(), 3000);
        assert_eq!(seen[2999], (2999, "2999".to_string(), 2 + 3 * 2999));
        // The error's line and column, after 9 000 lines forgotten.
        assert_eq!((e.line, e.column), (9002, 25), "{e}");
        // An error of the receiver stops the reading at its item.
        let e = stream(
            MINIMAL.as_bytes(),
            Path::new("x.xml"),
            MAX_TEXT,
            &mut |_, _| Err("no".into()),
        )
        .unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (9, "no"), "{e}");
    }

    #[test]
    fn lines_and_columns() {
        assert_eq!(line_of(&[], 0), (1, 1));
        assert_eq!(line_of(&[3, 7], 3), (1, 4));
        assert_eq!(line_of(&[3, 7], 4), (2, 1));
        assert_eq!(line_of(&[3, 7], 9), (3, 2));
    }
}
