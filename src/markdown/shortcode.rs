//! Shortcodes in Markdown, with Zola's syntax: `{{ video(url="…", n=3) }}` inline, and
//! `{% encadre(kind="attention") %}Markdown{% end %}` around a body. This module only reads
//! them: [`scan`] finds every call outside code in one pass (blocks nested with a stack, never
//! by recursion, so any input costs time in proportion to its length), with the author's
//! literal escapes (`{{/* video() */}}` is written `{{ video() }}`). What a call becomes is the
//! caller's business ([`Expand`]): the theme's templates live above Markdown.
//!
//! Calls are replaced in the Markdown by tokens of private-use characters, which the parser,
//! the typography and the HTML writer leave alone; [`substitute`] then puts each call's HTML in
//! place of its token (a token alone in a paragraph takes the paragraph's place).

use std::ops::Range;

/// A shortcode's argument value, as written: `"texte"`, `3`, `-1.5`, `true`, `["a", "b"]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Value>),
}

impl Value {
    /// What the value is, for messages: `a string`, `a number`…
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::List(_) => "a list",
        }
    }
}

/// `name=value`, with the byte offset of `name` in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    pub offset: usize,
}

/// A call, as the caller is asked to expand it.
#[derive(Debug)]
pub struct Call<'a> {
    pub name: &'a str,
    pub args: &'a [Arg],
    /// A block's body, already rendered to HTML; `None` for an inline call.
    pub body: Option<&'a str>,
}

/// Why a call cannot be expanded: the message, a note, and which argument is at fault (its
/// index in [`Call::args`]), else the call itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub note: Option<String>,
    pub arg: Option<usize>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Self {
        Refusal {
            message: message.into(),
            note: None,
            arg: None,
        }
    }
}

/// How the caller expands a call: its HTML, or why not.
pub type Expand<'a> = dyn Fn(&Call<'_>) -> Result<String, Refusal> + 'a;

/// A problem with a shortcode, at a byte offset of the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub offset: usize,
    pub message: String,
    pub note: Option<String>,
}

/// Blocks nested deeper than this are refused (a body is rendered once per level).
pub const MAX_DEPTH: usize = 16;
/// Errors reported for one text at most; the rest are counted in the last.
const MAX_ERRORS: usize = 20;
/// Lists nested deeper than this in an argument are refused.
const MAX_LIST_DEPTH: usize = 4;

/// Whether the text may hold a shortcode at all: the fast path of every post without one.
pub fn marked(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'{', b).any(|i| matches!(b.get(i + 1), Some(b'{' | b'%')))
}

/// A call found in the text, or an escape (`{{/* … */}}`), which stands for its literal text.
#[derive(Debug)]
pub struct Node {
    pub name: String,
    /// Offset of the name.
    pub at: usize,
    pub args: Vec<Arg>,
    /// The whole call, `{% end %}` included.
    pub span: Range<usize>,
    /// A block's body (to the end of the text when it is never closed).
    pub body: Option<Range<usize>>,
    /// The calls and escapes directly in the body (indexes of nodes).
    pub items: Vec<usize>,
    /// Too deep, or never closed: reported, and expanded to nothing.
    pub refused: bool,
    /// An escape's text, written as it is (no typography, no call).
    pub literal: Option<String>,
}

/// Every call and escape of a text, as a tree in opening order (a parent before its
/// children), with the problems met.
#[derive(Debug, Default)]
pub struct Scan {
    pub nodes: Vec<Node>,
    /// The calls and escapes outside any block.
    pub top: Vec<usize>,
    pub errors: Vec<ShortcodeError>,
    dropped: usize,
}

impl Scan {
    fn error(&mut self, offset: usize, message: String, note: Option<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(ShortcodeError {
                offset,
                message,
                note,
            });
        } else {
            self.dropped += 1;
        }
    }

    /// The errors, the last one counting those left out.
    pub fn take_errors(&mut self) -> Vec<ShortcodeError> {
        if self.dropped > 0
            && let Some(last) = self.errors.last_mut()
        {
            last.note = Some(format!(
                "and {} more shortcode problems in this file",
                self.dropped
            ));
        }
        std::mem::take(&mut self.errors)
    }

    /// The items of the text at `region`: the top level's, or a block's body's.
    fn items_at(&self, parent: Option<usize>) -> &[usize] {
        match parent {
            Some(n) => &self.nodes[n].items,
            None => &self.top,
        }
    }

    /// The Markdown of `region` (the whole text when `parent` is `None`, else the body of
    /// `parent`), each call replaced by its token and each escape by its literal, with the map
    /// from its offsets back to the text's.
    pub fn source(&self, text: &str, parent: Option<usize>) -> (String, OffsetMap) {
        let region = match parent {
            Some(n) => self.nodes[n].body.clone().unwrap_or(0..0),
            None => 0..text.len(),
        };
        let mut out = String::with_capacity(region.len());
        let mut map = OffsetMap::default();
        let mut done = region.start;
        for &n in self.items_at(parent) {
            let span = self.nodes[n].span.clone();
            map.piece(out.len(), done);
            out.push_str(&text[done..span.start]);
            map.piece(out.len(), span.start);
            push_token(&mut out, n);
            done = span.end.min(region.end);
        }
        map.piece(out.len(), done);
        out.push_str(&text[done..region.end]);
        (out, map)
    }
}

/// From the offsets of a text made by [`Scan::source`] back to the original's: each piece
/// starts at `(made, original)`; inside a piece copied as it is, offsets move together.
#[derive(Debug, Default)]
pub struct OffsetMap(Vec<(usize, usize)>);

impl OffsetMap {
    fn piece(&mut self, made: usize, original: usize) {
        self.0.push((made, original));
    }

    /// The original offset of `made`.
    pub fn original(&self, made: usize) -> usize {
        let i = self.0.partition_point(|&(m, _)| m <= made);
        match i.checked_sub(1).map(|i| self.0[i]) {
            Some((m, o)) => o + (made - m),
            None => made,
        }
    }
}

const TOKEN_OPEN: char = '\u{E000}';
const TOKEN_CLOSE: char = '\u{E001}';
/// The private-use characters standing for the digits of a token's number.
const TOKEN_ZERO: u32 = 0xE010;

fn push_token(out: &mut String, n: usize) {
    out.push(TOKEN_OPEN);
    for d in n.to_string().bytes() {
        out.push(char::from_u32(TOKEN_ZERO + u32::from(d - b'0')).unwrap_or(TOKEN_CLOSE));
    }
    out.push(TOKEN_CLOSE);
}

/// The token at the start of `s`: its number and length in bytes.
fn read_token(s: &str) -> Option<(usize, usize)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != TOKEN_OPEN {
        return None;
    }
    let mut n: usize = 0;
    for (i, c) in chars {
        if c == TOKEN_CLOSE {
            return Some((n, i + c.len_utf8()));
        }
        let d = (c as u32).checked_sub(TOKEN_ZERO).filter(|d| *d < 10)?;
        n = n.checked_mul(10)?.checked_add(d as usize)?;
    }
    None
}

/// `html` with each token replaced by `outputs[n]` (a token alone in a paragraph takes the
/// paragraph's place when its HTML is an element), in one pass.
pub fn substitute(html: &str, outputs: &[String]) -> String {
    if !html.contains(TOKEN_OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(TOKEN_OPEN) {
        let Some((n, len)) = read_token(&rest[at..]) else {
            out.push_str(&rest[..at + TOKEN_OPEN.len_utf8()]);
            rest = &rest[at + TOKEN_OPEN.len_utf8()..];
            continue;
        };
        let output = outputs.get(n).map_or("", String::as_str);
        let after = &rest[at + len..];
        if rest[..at].ends_with("<p>")
            && after.starts_with("</p>")
            && output.trim_start().starts_with('<')
        {
            out.push_str(&rest[..at - 3]);
            out.push_str(output);
            rest = after.strip_prefix("</p>\n").unwrap_or(&after[4..]);
            if !output.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(&rest[..at]);
            out.push_str(output);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Finds every call and escape of `text` outside `code` (the byte ranges of its code spans and
/// blocks, in order).
pub fn scan(text: &str, code: &[Range<usize>]) -> Scan {
    let mut s = Scanner {
        text,
        at: 0,
        open: Vec::new(),
        scan: Scan::default(),
    };
    let b = text.as_bytes();
    let mut code = code.iter().peekable();
    while let Some(k) = memchr::memchr(b'{', &b[s.at..]) {
        let at = s.at + k;
        while code.next_if(|c| c.end <= at).is_some() {}
        if let Some(c) = code.peek().filter(|c| c.start <= at) {
            s.at = c.end;
            continue;
        }
        s.at = match b.get(at + 1) {
            Some(b'{') => s.inline(at),
            Some(b'%') => s.block(at),
            _ => at + 1,
        };
    }
    s.close_all();
    s.scan
}

/// The state of [`scan`].
struct Scanner<'t> {
    text: &'t str,
    /// Where to look next.
    at: usize,
    /// The blocks open, innermost last, with their bodies' starts.
    open: Vec<(usize, usize)>,
    scan: Scan,
}

impl Scanner<'_> {
    fn add(&mut self, node: usize) {
        match self.open.last() {
            Some(&(n, _)) => self.scan.nodes[n].items.push(node),
            None => self.scan.top.push(node),
        }
    }

    /// An escape `{{/* … */}}` (or `{%/* … */%}`) at `at`: its literal text, or `None`.
    fn escape(&mut self, at: usize, open: &str, close: &str) -> Option<usize> {
        let inner_start = at + 4;
        if !self.text[at + 2..].starts_with("/*") {
            return None;
        }
        let end_mark = format!("*/{close}");
        let len = self.text[inner_start..].find(&end_mark)?;
        let end = inner_start + len + end_mark.len();
        let literal = format!(
            "{open}{}{close}",
            &self.text[inner_start..inner_start + len]
        );
        let node = self.node((String::new(), at), Vec::new(), at..end, None);
        self.scan.nodes[node].literal = Some(literal);
        self.add(node);
        Some(end)
    }

    /// `{{ name(args) }}` at `at`; returns where to look next.
    fn inline(&mut self, at: usize) -> usize {
        if let Some(end) = self.escape(at, "{{", "}}") {
            return end;
        }
        let mut p = Parser::new(self.text, at + 2);
        let Some(name) = p.call_name() else {
            return at + 2;
        };
        match p.args().and_then(|args| p.close("}}").map(|()| args)) {
            Ok(args) => {
                let node = self.node(name, args, at..p.at, None);
                self.add(node);
            }
            Err((offset, message)) => self.scan.error(offset, message, None),
        }
        p.at.max(at + 2)
    }

    /// `{% name(args) %}` or `{% end %}` at `at`; returns where to look next.
    fn block(&mut self, at: usize) -> usize {
        if let Some(end) = self.escape(at, "{%", "%}") {
            return end;
        }
        let mut p = Parser::new(self.text, at + 2);
        if p.end_tag() {
            self.end(at, p.at);
            return p.at;
        }
        let Some(name) = p.call_name() else {
            return at + 2;
        };
        match p.args().and_then(|args| p.close("%}").map(|()| args)) {
            Ok(args) => {
                let node = self.node(name, args, at..p.at, Some(p.at..self.text.len()));
                if self.open.len() >= MAX_DEPTH {
                    self.scan.nodes[node].refused = true;
                    let message = format!(
                        "shortcode `{}` nested too deep: blocks go at most {MAX_DEPTH} levels deep",
                        self.scan.nodes[node].name
                    );
                    self.scan.error(self.scan.nodes[node].at, message, None);
                }
                self.add(node);
                self.open.push((node, p.at));
            }
            Err((offset, message)) => self.scan.error(offset, message, None),
        }
        p.at.max(at + 2)
    }

    fn node(
        &mut self,
        (name, name_at): (String, usize),
        args: Vec<Arg>,
        span: Range<usize>,
        body: Option<Range<usize>>,
    ) -> usize {
        self.scan.nodes.push(Node {
            name,
            at: name_at,
            args,
            span,
            body,
            items: Vec::new(),
            refused: false,
            literal: None,
        });
        self.scan.nodes.len() - 1
    }

    /// `{% end %}` from `at` to `end`: closes the innermost block.
    fn end(&mut self, at: usize, end: usize) {
        match self.open.pop() {
            Some((n, body_start)) => {
                let node = &mut self.scan.nodes[n];
                node.body = Some(body_start..at);
                node.span.end = end;
            }
            None => self.scan.error(
                at,
                "`{% end %}` closes no shortcode: no block is open here".to_string(),
                Some("a block opens with `{% name(…) %}`; an inline shortcode is written `{{ name(…) }}` and needs no end".to_string()),
            ),
        }
    }

    /// Blocks never closed: reported at their opening; their bodies run to the end.
    fn close_all(&mut self) {
        for (n, _) in std::mem::take(&mut self.open) {
            let node = &mut self.scan.nodes[n];
            node.refused = true;
            node.span.end = self.text.len();
            let (at, name) = (node.at, node.name.clone());
            self.scan.error(
                at,
                format!("shortcode `{name}` is never closed: its body has no `{{% end %}}`"),
                Some(format!(
                    "end the block with `{{% end %}}` after its body, or write `{{{{ {name}(…) }}}}` for a shortcode without a body"
                )),
            );
        }
    }
}

/// Reads a call from an offset of the text.
struct Parser<'t> {
    text: &'t str,
    at: usize,
}

type Parsed<T> = Result<T, (usize, String)>;

impl<'t> Parser<'t> {
    fn new(text: &'t str, at: usize) -> Self {
        Parser { text, at }
    }

    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<(String, usize)> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let start = self.at;
        self.at += len;
        Some((rest[..len].to_string(), start))
    }

    /// `name(` after the opening, else `None`: then this is no shortcode but text.
    fn call_name(&mut self) -> Option<(String, usize)> {
        self.spaces();
        let name = self.ident()?;
        self.spaces();
        self.eat("(").then_some(name)
    }

    /// `end %}` after `{%`.
    fn end_tag(&mut self) -> bool {
        let start = self.at;
        self.spaces();
        if self.eat("end") {
            self.spaces();
            if self.eat("%}") {
                return true;
            }
        }
        self.at = start;
        false
    }

    /// The arguments after `(`, through `)`.
    fn args(&mut self) -> Parsed<Vec<Arg>> {
        let mut args: Vec<Arg> = Vec::new();
        loop {
            self.spaces();
            if self.eat(")") {
                return Ok(args);
            }
            let Some((name, offset)) = self.ident() else {
                return Err(self.expected("an argument `name=value` or `)`"));
            };
            self.spaces();
            if !self.eat("=") {
                return Err(self.expected(&format!("`=` after the argument `{name}`")));
            }
            self.spaces();
            let value = self.value(0)?;
            if args.iter().any(|a| a.name == name) {
                return Err((offset, format!("the argument `{name}` is given twice")));
            }
            args.push(Arg {
                name,
                value,
                offset,
            });
            self.spaces();
            if !self.eat(",") {
                self.spaces();
                if self.eat(")") {
                    return Ok(args);
                }
                return Err(self.expected("`,` or `)` after an argument"));
            }
        }
    }

    /// `}}` or `%}` after the arguments.
    fn close(&mut self, mark: &str) -> Parsed<()> {
        self.spaces();
        if self.eat(mark) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{mark}` to end the shortcode")))
        }
    }

    fn value(&mut self, depth: usize) -> Parsed<Value> {
        let rest = self.rest();
        match rest.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => self.string(q),
            Some('[') => self.list(depth),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ if self.eat("true") => Ok(Value::Bool(true)),
            _ if self.eat("false") => Ok(Value::Bool(false)),
            _ => Err(self.expected("a value: a \"string\", a number, true, false or a [list]")),
        }
    }

    /// A quoted string; a backslash keeps the next character as it is (`\"`, `\\`).
    fn string(&mut self, quote: char) -> Parsed<Value> {
        let start = self.at;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, next)) => out.push(next),
                    None => break,
                },
                c if c == quote => {
                    self.at += i + c.len_utf8();
                    return Ok(Value::Str(out));
                }
                c => out.push(c),
            }
        }
        // Nothing after the string can be read: stop looking in this text.
        self.at = self.text.len();
        Err((start, format!("this string has no closing {quote}")))
    }

    fn list(&mut self, depth: usize) -> Parsed<Value> {
        if depth >= MAX_LIST_DEPTH {
            return Err((self.at, format!("lists nest at most {MAX_LIST_DEPTH} deep")));
        }
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.spaces();
            if self.eat("]") {
                return Ok(Value::List(items));
            }
            items.push(self.value(depth + 1)?);
            self.spaces();
            if !self.eat(",") {
                self.spaces();
                if self.eat("]") {
                    return Ok(Value::List(items));
                }
                return Err(self.expected("`,` or `]` in a list"));
            }
        }
    }

    fn number(&mut self) -> Parsed<Value> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let written = &rest[..len];
        let value = if written.contains('.') {
            written.parse().ok().map(Value::Float)
        } else {
            written.parse().ok().map(Value::Int)
        };
        match value {
            Some(v) => {
                self.at += len;
                Ok(v)
            }
            None => Err((self.at, format!("`{written}` is not a number"))),
        }
    }

    fn expected(&self, what: &str) -> (usize, String) {
        let found = match self.rest().chars().next() {
            Some(c) if c.is_whitespace() => "a space".to_string(),
            Some(c) => format!("`{c}`"),
            None => "the end of the text".to_string(),
        };
        (
            self.at,
            format!("expected {what} in the shortcode, found {found}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Scan) -> Vec<&str> {
        s.nodes.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn inline_and_block_calls_with_typed_arguments() {
        let text = "A {{ video(url=\"u\", n=3, x=-1.5, ok=true, l=[\"a\", 'b',]) }} b.\n\n{% encadre(kind=\"attention\") %}\nCorps {{ f() }}\n{% end %}\n";
        let s = scan(text, &[]);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(names(&s), ["video", "encadre", "f"]);
        let args = &s.nodes[0].args;
        assert_eq!(args[1].value, Value::Int(3));
        assert_eq!(args[2].value, Value::Float(-1.5));
        assert_eq!(args[3].value, Value::Bool(true));
        assert_eq!(
            args[4].value,
            Value::List(vec![Value::Str("a".into()), Value::Str("b".into())])
        );
        assert_eq!(&text[args[0].offset..args[0].offset + 3], "url");
        let body = s.nodes[1].body.clone().unwrap();
        assert_eq!(&text[body], "\nCorps {{ f() }}\n");
        assert_eq!(s.top.len(), 2);
        assert_eq!(s.nodes[1].items.len(), 1);
        let (src, map) = s.source(text, None);
        assert!(!src.contains("video") && !src.contains("encadre"), "{src}");
        // An offset after the first call maps back past it.
        let b = src.find(" b.").unwrap();
        assert_eq!(&text[map.original(b)..map.original(b) + 3], " b.");
    }

    #[test]
    fn text_that_is_no_call_and_code_are_left_alone() {
        let text = "{{ pas un appel }} {% if x %} `{{ f() }}` {{";
        let code_at = text.find('`').unwrap();
        let code: Vec<Range<usize>> = std::iter::once(code_at..code_at + 11).collect();
        let s = scan(text, &code);
        assert!(s.nodes.is_empty() && s.errors.is_empty(), "{s:?}");
        assert!(!marked("{ } {x}") && marked("a {{"));
    }

    #[test]
    fn escapes_give_the_call_as_written() {
        let text = "{{/* video(url=\"x\") */}} et {%/* encadre() */%}";
        let s = scan(text, &[]);
        let literals: Vec<&str> = (s.nodes.iter())
            .filter_map(|n| n.literal.as_deref())
            .collect();
        assert_eq!(literals, ["{{ video(url=\"x\") }}", "{% encadre() %}"]);
    }

    #[test]
    fn unclosed_stray_end_and_bad_arguments_are_errors_with_offsets() {
        let text = "{% encadre() %}\nx\n{% end %}\n{% end %}\n{% verbatim() %}\n{{ f(a=) }}";
        let s = scan(text, &[]);
        let messages: Vec<&str> = s.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(s.errors.len(), 3, "{messages:?}");
        assert!(messages[0].contains("closes no shortcode"));
        assert!(
            messages[1].starts_with("expected a value"),
            "{}",
            messages[1]
        );
        assert!(messages[2].contains("`verbatim` is never closed"));
        assert_eq!(s.errors[2].offset, text.find("verbatim").unwrap());
    }

    #[test]
    fn substitute_takes_a_lone_token_s_paragraph() {
        let mut src = String::from("<p>");
        push_token(&mut src, 1);
        src.push_str("</p>\n<p>a ");
        push_token(&mut src, 0);
        src.push_str(" b</p>\n");
        let outputs = ["<b>x</b>".to_string(), "\n<figure>f</figure>".to_string()];
        assert_eq!(
            substitute(&src, &outputs),
            "\n<figure>f</figure>\n<p>a <b>x</b> b</p>\n"
        );
        // Text (an escape's) alone keeps its paragraph.
        let mut src = String::from("<p>");
        push_token(&mut src, 0);
        src.push_str("</p>\n");
        let outputs = ["{{ f() }}".to_string()];
        assert_eq!(substitute(&src, &outputs), "<p>{{ f() }}</p>\n");
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        for text in [
            "{{".repeat(100_000),
            "{% a() %}".repeat(100_000),
            "{{ a(x=\"".repeat(50_000),
            "{{ a(x=[[[[[[".repeat(30_000),
            "{% a() %}{% end %}".repeat(50_000),
        ] {
            let started = std::time::Instant::now();
            let s = scan(&text, &[]);
            assert!(s.errors.len() <= MAX_ERRORS);
            let (src, _) = s.source(&text, None);
            assert!(src.len() <= text.len() * 2);
            assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        }
    }
}
