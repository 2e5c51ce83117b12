//! Fuzz target: shortcodes in Markdown (the one-pass reader of calls, blocks, escapes and
//! arguments, tokens put back into the HTML), with an expander that echoes the call.

#![no_main]

use chronique::markdown::shortcode::{Call, Refusal};
use chronique::markdown::{Options, Picture, render_expanding};
use chronique::language::Language;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options {
        language: Language::Fr,
        typography: true,
        highlight: false,
        heading_shift: 0,
    };
    // Calls named `x` are refused, others echo their name, arguments and body.
    let expand = |call: &Call<'_>| {
        if call.name == "x" {
            return Err(Refusal::new("refused"));
        }
        Ok(format!("<div>{}:{}{}</div>", call.name, call.args.len(), call.body.unwrap_or("")))
    };
    let r = render_expanding(text, &options, &|_| None, &|_| Picture::Unknown, &expand);
    for e in &r.shortcode_errors {
        assert!(e.offset <= text.len(), "error offset past the end");
    }
    for link in &r.broken_links {
        assert!(link.offset <= text.len(), "broken link offset past the end");
    }
    assert!(!r.html.contains('\u{E000}') || text.contains('\u{E000}'), "a token left");
});
