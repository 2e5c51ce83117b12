//! Fuzz target: the WordPress export reader, then the HTML-to-Markdown writer on every item's
//! content. Hostile bytes must give an error or an export, never a panic, a hang or runaway
//! memory; the reader's bound is 16 MiB per event, far above libFuzzer's inputs.

#![no_main]

use std::path::Path;

use chronique::import::{html, wxr};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(export) = wxr::parse(data, Path::new("fuzz.xml")) else {
        return;
    };
    for item in &export.items {
        let _ = html::to_markdown(&item.content, &mut html::Keep);
    }
});
