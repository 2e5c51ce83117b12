//! HTML parsed with its nesting bounded, so that a hostile post costs linear time.
//!
//! html5ever builds the tree as browsers do, and browsers look through the stack of open
//! elements on most tags ("is a `<p>` in button scope?"): 100 000 nested `<div>`s cost 10¹⁰
//! steps. So the tokens go through [`Bounded`] on their way from html5ever's tokenizer to its
//! tree builder: it keeps its own stack of the elements it let through, at most
//! [`MAX_NESTING`] of them, drops the start tags past that (their text stays: the content is
//! flattened, not lost), closes elements in order (an end tag closes what was opened after its
//! element; an end tag with no open element is dropped), so the tree builder only ever sees
//! well-nested tags a bounded number deep. Each token then costs at most a walk of a bounded
//! stack: linear time in the length of the text, and a bounded depth for the writer's
//! recursion.

use std::cell::{Cell, RefCell};

use html5ever::buffer_queue::BufferQueue;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeSink, create_element};
use html5ever::{LocalName, QualName, TokenizerResult, local_name, ns};
use scraper::{Html, HtmlTreeSink};

/// The most elements open at once that the tree builder is given. A post nests a handful.
pub const MAX_NESTING: usize = 32;

/// Elements that never have content (and so never nest).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements a start tag of the same name closes (`<li>a<li>b`): modelled so a long list of
/// unclosed items does not count as deep nesting.
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "option"];

/// Elements the tree builder closes when it closes their parent ("generate implied end tags").
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rp", "rt", "rtc",
];

/// Elements whose text the tokenizer reads raw: dropped past the bound, their text is too.
const RAW: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// A token sink between the tokenizer and the tree builder that bounds the nesting.
struct Bounded<S: TokenSink> {
    inner: S,
    open: RefCell<Vec<LocalName>>,
    /// Inside a raw-text element dropped past the bound: its text is dropped until its end.
    skipping: Cell<bool>,
}

impl<S: TokenSink> Bounded<S> {
    fn pass(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        self.inner.process_token(token, line)
    }

    fn end_tag(name: LocalName) -> Token {
        TagToken(Tag {
            kind: EndTag,
            name,
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        })
    }

    fn start(&self, tag: Tag, line: u64) -> TokenSinkResult<S::Handle> {
        let name = tag.name.clone();
        if VOID.contains(&&*name) {
            return self.pass(TagToken(tag), line);
        }
        let sibling = SELF_CLOSING_SIBLINGS.contains(&&*name)
            && self.open.borrow().last().is_some_and(|top| *top == name);
        if sibling {
            self.open.borrow_mut().pop();
            let _ = self.pass(Self::end_tag(name.clone()), line);
        }
        if self.open.borrow().len() >= MAX_NESTING {
            if RAW.contains(&&*name) {
                // The tokenizer must still read it raw, or its text would be read as markup.
                self.skipping.set(true);
                return TokenSinkResult::RawData(match &*name {
                    "textarea" | "title" => RawKind::Rcdata,
                    "script" => RawKind::ScriptData,
                    _ => RawKind::Rawtext,
                });
            }
            return TokenSinkResult::Continue;
        }
        self.open.borrow_mut().push(name);
        self.pass(TagToken(tag), line)
    }

    fn end(&self, tag: Tag, line: u64) -> TokenSinkResult<S::Handle> {
        if self.skipping.replace(false) {
            return TokenSinkResult::Continue;
        }
        let at = self.open.borrow().iter().rposition(|n| *n == tag.name);
        let Some(at) = at else {
            return TokenSinkResult::Continue;
        };
        // What was opened after it is closed first, in order: the tree builder sees well-nested tags.
        let above: Vec<LocalName> = self.open.borrow_mut().drain(at + 1..).rev().collect();
        // Those the tree builder closes by itself (`<div><p>a</div>`) are left to it: a `</p>`
        // with no open `<p>` would make an empty one.
        for name in above.into_iter().filter(|n| !IMPLIED_END.contains(&&**n)) {
            let _ = self.pass(Self::end_tag(name), line);
        }
        self.open.borrow_mut().pop();
        self.pass(TagToken(tag), line)
    }
}

impl<S: TokenSink> TokenSink for Bounded<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        match token {
            TagToken(tag) if tag.kind == StartTag => self.start(tag, line),
            TagToken(tag) => self.end(tag, line),
            Token::CharacterTokens(_) | Token::NullCharacterToken if self.skipping.get() => {
                TokenSinkResult::Continue
            }
            other => self.pass(other, line),
        }
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Parses an HTML fragment (as the content of a `<body>`) with its nesting bounded.
pub fn parse_fragment(fragment: &str) -> Html {
    let sink = HtmlTreeSink::new(Html::new_fragment());
    let context = create_element(
        &sink,
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, Default::default());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(
        Bounded {
            inner: builder,
            open: RefCell::new(Vec::new()),
            skipping: Cell::new(false),
        },
        opts,
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    // A `</script>` pauses the tokenizer (for a browser to run it): go on until the end.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    tokenizer.sink.inner.sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn depth(html: &Html) -> usize {
        let deepest = html
            .tree
            .root()
            .descendants()
            .map(|n| n.ancestors().count());
        deepest.max().unwrap_or(0)
    }

    fn quick(input: &str) -> Html {
        let started = Instant::now();
        let html = parse_fragment(input);
        let took = started.elapsed();
        // Without the bound, 100 000 levels are 10¹⁰ steps of html5ever's scope checks; with it,
        // well under a second each in a debug build (the margin is for a loaded machine).
        assert!(took < Duration::from_secs(10), "{took:?}");
        html
    }

    #[test]
    fn a_hundred_thousand_nested_elements_are_flattened_in_linear_time() {
        let n = 100_000;
        for (open, close) in [
            ("<div>", "</div>"),
            ("<em>", "</em>"),
            ("<div><b>", "</b></div>"),
            ("<ul><li>", "</li></ul>"),
            ("<blockquote>", ""),
            ("<table><tr><td>", ""),
            ("<div/>", ""),
            ("<a href=x>", ""),
            ("<p><b class=x><i>", ""),
            ("<span></x>", ""),
            ("<li><table><td></li>", ""),
            ("<b><p>x</b>", ""),
            ("<div><p class=x>", "</div>"),
            ("<i class=x><li>", ""),
        ] {
            let input = open.repeat(n) + "fond" + &close.repeat(n);
            let html = quick(&input);
            let text: String = html.root_element().text().collect();
            assert!(text.contains("fond"), "{open}");
            assert!(depth(&html) < 4 * MAX_NESTING, "{open}: {}", depth(&html));
        }
    }

    #[test]
    fn ordinary_html_parses_as_html5ever_parses_it() {
        for input in [
            "<p>Un <em>deux</em></p><ul><li>a<li>b</ul><table><tr><td>1<td>2</table>",
            "<p>x<script>if (a < b) {}</script><style>p > a {}</style></p><!-- wp:x -->",
            "<div><p>a<div>b</div></div><ol><li>x<p>y</ol>",
            "<pre>\n\nx</pre><svg><path d=\"M0\"/></svg>&amp;&nbsp;&lt;",
        ] {
            assert_eq!(
                parse_fragment(input).html(),
                Html::parse_fragment(input).html(),
                "{input}"
            );
        }
    }

    #[test]
    fn misnested_tags_are_closed_in_order() {
        // A browser would carry the italics over; the bound closes them with their parent.
        let html = parse_fragment("<p><b>gras <i>et</b> italique</i></p>");
        assert_eq!(
            html.html(),
            "<html><p><b>gras <i>et</i></b> italique</p></html>"
        );
    }

    #[test]
    fn raw_text_past_the_bound_is_dropped_not_read_as_markup() {
        let input = "<div>".repeat(MAX_NESTING) + "<script><b>x</b></script>y";
        let html = parse_fragment(&input);
        let text: String = html.root_element().text().collect();
        assert_eq!(text, "y");
    }
}
