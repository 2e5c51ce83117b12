//! Fuzz target: the Markdown pipeline (pulldown-cmark events, heading ids, internal links,
//! typography in both languages, syntect highlighting of fenced code, summary and plain text).

#![no_main]

use chronique::language::Language;
use chronique::markdown::{Options, plain_text, render, render_fragment, typeset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let options = Options {
        language: if selector & 1 == 0 {
            Language::Fr
        } else {
            Language::En
        },
        typography: selector & 2 == 0,
        highlight: selector & 4 == 0,
        heading_shift: (selector >> 3) & 1,
    };
    // Half the internal links resolve, so both paths are taken.
    let resolve = |target: &str| (target.len() % 2 == 0).then(|| format!("/{target}/"));
    let rendered = render(text, &options, &resolve);
    for link in &rendered.broken_links {
        assert!(link.offset <= text.len(), "broken link offset past the end");
    }
    let _ = plain_text(&rendered.html);
    let _ = render_fragment(text, &options, &resolve);
    let _ = typeset(&options, text);
});
