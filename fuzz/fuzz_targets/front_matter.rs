//! Fuzz target: a content file's bytes through decoding (UTF-8, BOM, CRLF), the front-matter
//! split and the YAML parsing of every kind of content file (post, section, author, series).
//! Any panic, stack overflow or runaway allocation is a bug: bad input must be a diagnostic.

#![no_main]

use std::path::PathBuf;

use chronique::content::parse_all;
use chronique::source::{ContentKind, SourceFile, Sources, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let (kind, rel) = match selector % 4 {
        0 => (ContentKind::Post, "breves/x.md"),
        1 => (ContentKind::SectionIndex, "breves/_index.md"),
        2 => (ContentKind::Author, "authors/x.md"),
        _ => (ContentKind::Series, "series/x.md"),
    };
    let path = PathBuf::from("content").join(rel);
    let Ok(text) = decode(bytes.to_vec(), &path) else {
        return;
    };
    let sources = Sources {
        content: vec![SourceFile {
            path,
            rel: PathBuf::from(rel),
            kind,
            text: text.into(),
        }],
        ..Sources::default()
    };
    let (_content, diagnostics) = parse_all(&sources, chronique::language::Language::Fr);
    // Every diagnostic must render (this is what the user sees).
    for d in diagnostics.0.iter() {
        let _ = d.to_string();
    }
});
