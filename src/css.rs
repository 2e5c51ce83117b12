//! The theme's stylesheets, published without their comments and the white space CSS does not
//! need: issue 25 gives a post 30 KB for its HTML and every sheet it links, and a fifth of the
//! theme's CSS was comments, indentation and line breaks. The files in `themes/chronique/` stay
//! as they are written; `source` hands the published copy to the writer.
//!
//! Only what is certain to mean the same goes. A comment is white space (`1px/**/2px` keeps a
//! space); a run of white space becomes one space, and goes only where CSS never needs it: after
//! `{`, `}`, `;`, `,`, `:` and `(`, and before `{`, `}`, `;`, `,`, `)` and `!`, plus the last `;`
//! of a block. So a space before `(` (`and (min-width…)`, not the function `and(`) or before `:`
//! (`a :hover`, a descendant) stays. Strings, `url(…)` and escapes are copied byte for byte, and
//! a comment that begins with `/*!` (a licence, by custom) is kept.

/// `css` without its comments and needless white space (see the module's doc).
pub fn minify(css: &[u8]) -> Vec<u8> {
    let mut out = Minified {
        bytes: Vec::with_capacity(css.len()),
        last: None,
        space: false,
    };
    let mut i = 0;
    while i < css.len() {
        let b = css[i];
        i = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {
                out.space = true;
                i + 1
            }
            b'/' if css.get(i + 1) == Some(&b'*') => {
                let end = find(css, i + 2, b"*/").map_or(css.len(), |at| at + 2);
                if css.get(i + 2) == Some(&b'!') {
                    out.copy(&css[i..end]);
                } else {
                    out.space = true;
                }
                end
            }
            b'"' | b'\'' => {
                let end = string_end(css, i);
                out.copy(&css[i..end]);
                end
            }
            b'\\' => {
                let end = (i + 2).min(css.len());
                out.copy(&css[i..end]);
                end
            }
            b'u' | b'U' if out.starts_a_name() && unquoted_url(css, i) => {
                let end = url_end(css, i + 4);
                out.copy(&css[i..end]);
                end
            }
            _ => {
                out.plain(b);
                i + 1
            }
        };
    }
    out.bytes.push(b'\n');
    out.bytes
}

/// The output so far, and what the next byte needs to know of it.
struct Minified {
    bytes: Vec<u8>,
    /// The last byte written, when it was CSS's own (not inside a string, a `url(…)`, an escape
    /// or a kept comment).
    last: Option<u8>,
    /// White space (or a comment) since the last byte written.
    space: bool,
}

impl Minified {
    /// Writes the pending space if CSS may need it between what was written and `next`.
    fn space_before(&mut self, next: u8) {
        let needed = !self.bytes.is_empty()
            && !matches!(self.last, Some(b'{' | b'}' | b';' | b',' | b':' | b'('))
            && !matches!(next, b'{' | b'}' | b';' | b',' | b')' | b'!');
        if self.space && needed {
            self.bytes.push(b' ');
        }
        self.space = false;
    }

    /// Whether a name would start here (`url(` after `no-repeat `, not the end of `myurl(`).
    fn starts_a_name(&self) -> bool {
        self.space || self.last.is_none_or(|l| !is_name(l))
    }

    /// A byte of CSS's own; the `;` that ends a block's last declaration goes.
    fn plain(&mut self, b: u8) {
        self.space_before(b);
        if b == b'}' && self.last == Some(b';') {
            self.bytes.pop();
        }
        self.bytes.push(b);
        self.last = Some(b);
    }

    /// Bytes copied as they are: a string, a `url(…)`, an escape, a kept comment.
    fn copy(&mut self, bytes: &[u8]) {
        self.space_before(bytes[0]);
        self.bytes.extend_from_slice(bytes);
        self.last = None;
    }
}

/// Whether `b` can be part of a name (`myurl(` is not `url(`).
fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// Whether `url(` starts at `at`, followed by an address without quotes (a quoted one is a
/// string, copied as such).
fn unquoted_url(css: &[u8], at: usize) -> bool {
    let Some(head) = css.get(at..at + 4) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(b"url(") {
        return false;
    }
    let first = css[at + 4..].iter().find(|b| !b.is_ascii_whitespace());
    !matches!(first, Some(b'"' | b'\''))
}

/// Where the unquoted `url(` whose address starts at `from` ends: after its `)`.
fn url_end(css: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < css.len() {
        match css[i] {
            b'\\' => i += 2,
            b')' => return i + 1,
            _ => i += 1,
        }
    }
    css.len()
}

/// Where the string that starts at `at` (with its quote) ends: after its closing quote, or at
/// the line break or the end that cuts it short.
fn string_end(css: &[u8], at: usize) -> usize {
    let quote = css[at];
    let mut i = at + 1;
    while i < css.len() {
        match css[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    css.len()
}

/// The first `needle` in `css` from `from` on.
fn find(css: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    css.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::minify;

    fn min(css: &str) -> String {
        String::from_utf8(minify(css.as_bytes())).unwrap()
    }

    #[test]
    fn comments_and_spare_white_space_go() {
        assert_eq!(
            min("/* the theme */\n\n:root {\n  --bg: #fff;\n  color: var(--fg, #000) ;\n}\n"),
            ":root{--bg:#fff;color:var(--fg,#000)}\n"
        );
        assert_eq!(
            min("h1, h2 ,h3 { margin: 0 0 1rem; }\n@media (max-width: 40rem) { a { b: c } }"),
            "h1,h2,h3{margin:0 0 1rem}@media (max-width:40rem){a{b:c}}\n"
        );
    }

    #[test]
    fn a_space_that_means_something_stays() {
        // A descendant before a pseudo-class; `and (`, not a function `and(`; calc's operators.
        assert_eq!(min(".a :hover { x: y }"), ".a :hover{x:y}\n");
        assert_eq!(
            min("@media screen and (min-width: 1px) { }"),
            "@media screen and (min-width:1px){}\n"
        );
        assert_eq!(
            min("a { width: calc(100% - 2.5rem); }"),
            "a{width:calc(100% - 2.5rem)}\n"
        );
        assert_eq!(min("a { margin: 1px/**/2px }"), "a{margin:1px 2px}\n");
        assert_eq!(min("a { b: c !important; }"), "a{b:c!important}\n");
        assert_eq!(
            min(".a > .b + .c ~ .d { }"),
            ".a > .b + .c ~ .d{}\n",
            "combinators keep their spaces"
        );
    }

    #[test]
    fn strings_urls_escapes_and_licences_are_copied_as_they_are() {
        assert_eq!(
            min("a::after { content: \" /* not a comment */  ;} \"; }"),
            "a::after{content:\" /* not a comment */  ;} \"}\n"
        );
        assert_eq!(
            min("a { content: 'it\\'s ; }' }"),
            "a{content:'it\\'s ; }'}\n"
        );
        assert_eq!(
            min("a { background: url( data:image/svg+xml;a/*b*/c ) no-repeat; }"),
            "a{background:url( data:image/svg+xml;a/*b*/c ) no-repeat}\n"
        );
        assert_eq!(min("a { b: URL(\"x ; y\") }"), "a{b:URL(\"x ; y\")}\n");
        assert_eq!(
            min("a { background: no-repeat url(http://x/*y*/) }"),
            "a{background:no-repeat url(http://x/*y*/)}\n"
        );
        assert_eq!(min("a { b: myurl(c /* d */) }"), "a{b:myurl(c)}\n");
        // `\:` is part of the class name: the space after it is a descendant.
        assert_eq!(min(".sm\\: .b { }"), ".sm\\: .b{}\n");
        assert_eq!(min(".a\\31 23 { }"), ".a\\31 23{}\n");
        assert_eq!(min("/*! MIT licence */\na { }"), "/*! MIT licence */ a{}\n");
        assert_eq!(min("x { } /* cut"), "x{}\n");
    }

    /// The tokens of `css` as Servo's tokenizer reads them, nested blocks flattened between
    /// markers, white space and comments as one " ".
    fn tokens(css: &str) -> Vec<String> {
        fn walk(p: &mut cssparser::Parser<'_>, out: &mut Vec<String>) {
            while let Ok(t) = p.next_including_whitespace_and_comments() {
                let t = t.clone();
                if let cssparser::Token::WhiteSpace(_) | cssparser::Token::Comment(_) = t {
                    if out.last().is_none_or(|l| l != " ") {
                        out.push(" ".into());
                    }
                    continue;
                }
                out.push(format!("{t:?}"));
                let end = match t {
                    cssparser::Token::CurlyBracketBlock => "}",
                    cssparser::Token::SquareBracketBlock => "]",
                    cssparser::Token::Function(_) | cssparser::Token::ParenthesisBlock => ")",
                    _ => continue,
                };
                let _: Result<(), cssparser::ParseError<()>> = p.parse_nested_block(|p| {
                    walk(p, out);
                    Ok(())
                });
                out.push(end.into());
            }
        }
        let mut out = Vec::new();
        walk(&mut cssparser::Parser::new(css), &mut out);
        out
    }

    /// What must stay the same when `css` is minified: its tokens without white space (a
    /// block's last `;` may go), and the white space before each `:` that follows something
    /// other than `{`, `}`, `;` or `,` (a descendant: `a :hover`).
    fn meaning(css: &str) -> (Vec<String>, usize) {
        let all = tokens(css);
        let seen: Vec<&String> = all.iter().filter(|t| *t != " ").collect();
        let kept = (seen.iter().enumerate())
            .filter(|(i, t)| !(**t == "Semicolon" && seen.get(i + 1).is_some_and(|n| *n == "}")))
            .map(|(_, t)| t.to_string())
            .collect();
        let boundary = ["CurlyBracketBlock", "}", "Semicolon", "Comma"];
        let descendants = (all.windows(3))
            .filter(|w| w[1] == " " && w[2] == "Colon" && !boundary.contains(&w[0].as_str()))
            .count();
        (kept, descendants)
    }

    /// Every stylesheet of the built-in theme, minified, holds the same tokens, and keeps the
    /// spaces that are descendants; and it is a fifth smaller or more.
    #[test]
    fn the_themes_sheets_keep_every_token() {
        let sheets: Vec<_> = crate::builtin::statics()
            .filter(|f| f.rel.ends_with(".css"))
            .collect();
        assert!(sheets.len() >= 10);
        let (mut before, mut after, mut descendants) = (0, 0, 0);
        for sheet in sheets {
            let text = std::str::from_utf8(sheet.bytes).unwrap();
            let minified = min(text);
            let (a, b) = (meaning(text), meaning(&minified));
            let differ = (a.0.iter().zip(&b.0)).position(|(x, y)| x != y);
            assert_eq!(
                differ,
                None,
                "{}: {:?}",
                sheet.rel,
                differ.map(|i| &b.0[i..])
            );
            assert_eq!((a.0.len(), a.1), (b.0.len(), b.1), "{}", sheet.rel);
            assert!(a.0.len() > 10, "{}", sheet.rel);
            descendants += a.1;
            before += text.len();
            after += minified.len();
        }
        assert!(descendants > 0, "`:lang(fr) :is(…)` is one");
        assert!(after * 5 <= before * 4, "{before} -> {after} bytes");
    }

    #[test]
    fn a_minified_sheet_stays_the_same() {
        let once = minify(b"a { b: c; }\n/* d */ e , f { g: h }");
        assert_eq!(minify(&once), once);
    }
}
