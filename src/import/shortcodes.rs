//! WordPress's shortcodes and embeds made chronique's: `[caption]` a `figure` with its caption
//! and credit, `[gallery]` one `figure` per image, `[embed]`, Gutenberg's embed blocks and a
//! YouTube or Vimeo address alone in its paragraph a `video`.
//!
//! A shortcode spans HTML (`[caption]<a><img></a> Légende[/caption]`), so the known ones are
//! lifted out of the content before it is parsed: each is replaced by a placeholder (two
//! private-use characters around its number, which neither HTML nor Markdown touches), and the
//! Markdown writer puts the chronique shortcode back in its place ([`Lifted::restore`]). Their
//! names and arguments are those of chronique's shortcodes (issue 23): `{{ figure(src="…",
//! alt="…", caption="…", credit="…") }}` and `{{ video(url="…") }}`. Unknown shortcodes are
//! left in the text, as they are.

use super::links::Links;

/// Around a lifted shortcode's number in the content.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The content with its known shortcodes lifted out, and what each becomes.
pub struct Lifted {
    pub content: String,
    replacements: Vec<String>,
    /// The names of the shortcodes converted (for the report).
    pub converted: Vec<&'static str>,
}

impl Lifted {
    /// `markdown` with each placeholder replaced by its chronique shortcode.
    pub fn restore(&self, markdown: &str) -> String {
        if self.replacements.is_empty() {
            return markdown.to_string();
        }
        let mut out = String::with_capacity(markdown.len());
        let mut rest = markdown;
        while let Some(at) = rest.find(OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + OPEN.len_utf8()..];
            let end = after.find(CLOSE).unwrap_or(after.len());
            let number: Option<usize> = after[..end].parse().ok();
            out.push_str(
                number
                    .and_then(|n| self.replacements.get(n))
                    .map_or("", |s| s),
            );
            rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
        }
        out.push_str(rest);
        out
    }
}

/// Lifts `[caption]`, `[wp_caption]`, `[gallery]` and `[embed]` out of `content`. `block`:
/// classic content, where a blank line around the placeholder makes it a paragraph of its own.
pub fn lift(content: &str, links: &mut dyn Links, block: bool) -> Lifted {
    // Placeholders are ours alone: the private-use characters are dropped from the content.
    let content = content.replace([OPEN, CLOSE], "");
    let mut lifted = Lifted {
        content: String::with_capacity(content.len()),
        replacements: Vec::new(),
        converted: Vec::new(),
    };
    let mut closings = Closings {
        content: &content,
        next: Vec::new(),
    };
    let mut at = 0;
    while let Some(found) = content[at..].find('[') {
        let start = at + found;
        lifted.content.push_str(&content[at..start]);
        let rest = &content[start..];
        match convert(rest, start, &mut closings, links) {
            Some((name, len, Some(text))) => {
                let n = lifted.replacements.len();
                let sep = if block { "\n\n" } else { "" };
                let placeholder = format!("{sep}{OPEN}{n}{CLOSE}{sep}");
                lifted.content.push_str(&placeholder);
                lifted.replacements.push(text);
                lifted.converted.push(name);
                at = start + len;
            }
            // Known but not convertible (a caption without an image): kept as it is, whole.
            Some((_, len, None)) => {
                lifted.content.push_str(&rest[..len]);
                at = start + len;
            }
            None => {
                lifted.content.push('[');
                at = start + 1;
            }
        }
    }
    let rest = &content[at..];
    lifted.content.push_str(rest);
    lifted
}

/// The known shortcode at the start of `text` (at `at` in the content): its name, its length,
/// its chronique form (`None` when it cannot be converted: then kept as it is).
fn convert(
    text: &str,
    at: usize,
    closings: &mut Closings,
    links: &mut dyn Links,
) -> Option<(&'static str, usize, Option<String>)> {
    let written = text[1..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    let name: &'static str = match written {
        "caption" | "wp_caption" => "caption",
        "gallery" => "gallery",
        "embed" => "embed",
        _ => return None,
    };
    // The tag ends at the first `]`, before any `[` (so each byte is looked at once).
    let close = 1 + text[1..]
        .bytes()
        .take(4096)
        .position(|b| b == b']' || b == b'[')?;
    if text.as_bytes()[close] == b'[' {
        return None;
    }
    let attrs = attributes(&text[1 + written.len()..close]);
    let open_len = close + 1;
    if name == "gallery" {
        return Some((name, open_len, gallery(&attrs, links)));
    }
    let end = closings.next(written, at + open_len)? - at;
    let body = &text[open_len..end];
    let len = end + written.len() + 3;
    let out = match name {
        "caption" => caption(&attrs, body, links),
        _ => Some(embed(body.trim())),
    };
    Some((name, len, out))
}

/// Where the next `[/name]` of the content is: found once, reused by the openings before it,
/// so that many unclosed `[caption]`s cost one search, not one each.
struct Closings<'c> {
    content: &'c str,
    /// Name → (searched from, found at).
    next: Vec<(String, usize, Option<usize>)>,
}

impl Closings<'_> {
    fn next(&mut self, name: &str, from: usize) -> Option<usize> {
        let known = self.next.iter().find(|(n, searched, found)| {
            n == name && *searched <= from && found.is_none_or(|f| f >= from)
        });
        if let Some((_, _, found)) = known {
            return *found;
        }
        let closing = format!("[/{name}]");
        let found = self.content[from..].find(&closing).map(|i| from + i);
        self.next.retain(|(n, _, _)| n != name);
        self.next.push((name.to_string(), from, found));
        found
    }
}

/// A shortcode's attributes: `a="b"`, `a='b'`, `a=b`.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '\u{201d}' | '\u{2033}')) => {
                let body = &after[q.len_utf8()..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + q.len_utf8()..).unwrap_or(""))
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        let key = key
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .to_string();
        out.push((key, value.to_string()));
        rest = next.trim_start();
    }
    out
}

fn attribute<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `[caption]<img …> Légende, photo Jean Dupont[/caption]`: a figure with its caption and credit.
fn caption(attrs: &[(String, String)], body: &str, links: &mut dyn Links) -> Option<String> {
    let fragment = super::nesting::parse_fragment(body);
    let img = fragment
        .tree
        .root()
        .descendants()
        .filter_map(|n| n.value().as_element())
        .find(|e| e.name() == "img")?;
    let src = img.attr("src").unwrap_or_default();
    let src = links.rewrite(src).unwrap_or_else(|| src.to_string());
    let alt = img.attr("alt").unwrap_or_default().to_string();
    let text: String = fragment.root_element().text().collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = match attribute(attrs, "caption") {
        Some(c) if text.is_empty() => plain(c),
        _ => text,
    };
    let (caption, credit) = credit_of(&text);
    Some(figure(&src, &alt, caption, credit))
}

/// `{{ figure(…) }}`, the empty arguments left out.
pub fn figure(src: &str, alt: &str, caption: &str, credit: &str) -> String {
    let mut args = vec![format!("src={}", tera_string(src))];
    args.push(format!("alt={}", tera_string(alt)));
    for (key, value) in [("caption", caption), ("credit", credit)] {
        if !value.is_empty() {
            args.push(format!("{key}={}", tera_string(value)));
        }
    }
    format!("{{{{ figure({}) }}}}", args.join(", "))
}

/// A caption's credit line, after « photo », « crédit », « © »…: (caption, credit).
pub fn credit_of(text: &str) -> (&str, &str) {
    let lower = text.to_lowercase();
    // Lower-casing keeps the byte offsets of these ASCII and Latin-1 words, but not of every
    // character: look only when the lengths agree.
    if lower.len() != text.len() {
        return (text.trim(), "");
    }
    let markers = [
        "crédit photo :",
        "crédit photo",
        "crédits :",
        "crédit :",
        "photo :",
        "photo ",
        "©",
        "credit:",
    ];
    let separated = |at: usize| {
        let before = text[..at].trim_end();
        before.is_empty() || before.ends_with([',', '–', '—', '-', '(', '.', '|', '/'])
    };
    let found = markers.iter().filter_map(|m| {
        let at = lower.rfind(m)?;
        // « photo » is a credit's word after a separator only (« Une photo de guichet » is not).
        (!m.starts_with("photo") || separated(at)).then_some((at, m.len()))
    });
    // The last marker; of two at one place, the longer (« crédit photo : » over « crédit photo »).
    let Some((at, len)) = found.max() else {
        return (text.trim(), "");
    };
    let before = text[..at].trim_end_matches([' ', ',', '–', '—', '-', '(', '.']);
    let credit = text[at + len..].trim_matches([' ', ')', '.']);
    if credit.is_empty() {
        return (text.trim(), "");
    }
    (before.trim(), credit)
}

/// `[gallery ids="1,2"]`: one figure per image, its caption the attachment's; `None` when no
/// image is found (a gallery of the post's attachments, without `ids`, is kept as it is).
fn gallery(attrs: &[(String, String)], links: &mut dyn Links) -> Option<String> {
    let ids = attribute(attrs, "ids").unwrap_or_default();
    let ids = ids.split(',').map(str::trim).filter(|i| !i.is_empty());
    let mut figures = Vec::new();
    for (url, alt, caption) in ids
        .filter_map(|id| links.attachment(id))
        .collect::<Vec<_>>()
    {
        let src = links.rewrite(&url).unwrap_or(url);
        let (caption, credit) = credit_of(&caption);
        figures.push(figure(&src, &alt, caption, credit));
    }
    (!figures.is_empty()).then(|| figures.join("\n\n"))
}

/// `[embed]URL[/embed]`: a video, or a link to what is not one.
fn embed(url: &str) -> String {
    match video_url(url) {
        true => video(url),
        false => format!("<{}>", url.replace(['<', '>', ' '], "")),
    }
}

/// `{{ video(url="…") }}`.
pub fn video(url: &str) -> String {
    format!("{{{{ video(url={}) }}}}", tera_string(url.trim()))
}

/// Whether `url` is a YouTube or Vimeo video's address (what WordPress embeds from a bare line).
pub fn video_url(url: &str) -> bool {
    let url = url.trim();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    if url.contains(char::is_whitespace) || url.contains(['<', '>', '"']) {
        return false;
    }
    let host = rest.split('/').next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    matches!(
        host,
        "youtube.com" | "youtu.be" | "vimeo.com" | "player.vimeo.com"
    ) && rest.len() > host.len() + 1
}

/// A Tera string literal of `text`: Tera strings have no escapes, so the quote is one the text
/// does not hold (`"`, `'`, then a backtick); a text with all three has its `"` made `”`.
fn tera_string(text: &str) -> String {
    for quote in ['"', '\'', '`'] {
        if !text.contains(quote) {
            return format!("{quote}{text}{quote}");
        }
    }
    format!("\"{}\"", text.replace('"', "\u{201d}"))
}

/// Text that may hold entities or tags: its plain text.
fn plain(text: &str) -> String {
    let fragment = super::nesting::parse_fragment(text);
    let words: String = fragment.root_element().text().collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::links::Keep;

    fn lifted(content: &str) -> String {
        let lifted = lift(content, &mut Keep, false);
        lifted.restore(&lifted.content)
    }

    #[test]
    fn a_caption_becomes_a_figure_with_its_credit() {
        let content = "[caption id=\"a_7\" align=\"aligncenter\"]<a href=\"b.jpg\"><img src=\"x.jpg\" alt=\"La file\" /></a> La file d'attente, photo Jean Dupont[/caption]";
        assert_eq!(
            lifted(content),
            "{{ figure(src=\"x.jpg\", alt=\"La file\", caption=\"La file d'attente\", credit=\"Jean Dupont\") }}"
        );
        // The old form: the caption in an attribute.
        let old = "[caption caption=\"Le guichet &amp; la file\"]<img src=\"y.jpg\">[/caption]";
        assert_eq!(
            lifted(old),
            "{{ figure(src=\"y.jpg\", alt=\"\", caption=\"Le guichet & la file\") }}"
        );
        // Unclosed, or without an image: kept as it is.
        assert_eq!(lifted("[caption]x"), "[caption]x");
        assert_eq!(lifted("[caption]x[/caption]"), "[caption]x[/caption]");
        let many = "[caption]".repeat(100_000) + "[/caption]";
        assert_eq!(lifted(&many), many);
        let many = "[caption]x[/caption]".repeat(100_000);
        assert_eq!(lifted(&many), many);
    }

    #[test]
    fn credits_are_found_after_their_word() {
        assert_eq!(credit_of("Le guichet © AFP"), ("Le guichet", "AFP"));
        assert_eq!(
            credit_of("Le guichet (crédit photo : Marie L.)"),
            ("Le guichet", "Marie L")
        );
        assert_eq!(
            credit_of("Une photo de guichet"),
            ("Une photo de guichet", "")
        );
        assert_eq!(credit_of("Sans crédit"), ("Sans crédit", ""));
    }

    #[test]
    fn embeds_become_videos_and_quotes_never_break_the_argument() {
        assert_eq!(
            lifted("[embed]https://www.youtube.com/watch?v=abc[/embed]"),
            "{{ video(url=\"https://www.youtube.com/watch?v=abc\") }}"
        );
        assert_eq!(lifted("[embed]https://x.fr/a[/embed]"), "<https://x.fr/a>");
        assert!(video_url("https://vimeo.com/123"));
        assert!(video_url("https://youtu.be/abc"));
        assert!(!video_url("https://youtube.com/"));
        assert!(!video_url("https://example.com/watch?v=1"));
        assert_eq!(tera_string("l'a dit \"x\""), "`l'a dit \"x\"`");
        assert_eq!(tera_string("'\"`"), "\"'\u{201d}`\"");
    }

    #[test]
    fn unknown_shortcodes_and_our_placeholders_stay_text() {
        assert_eq!(lifted("[sondage id=3] [b]"), "[sondage id=3] [b]");
        assert_eq!(lifted("a\u{E000}0\u{E001}b"), "a0b");
    }
}
