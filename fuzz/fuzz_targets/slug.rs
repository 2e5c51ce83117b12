//! Fuzz target: slug making. A slug must be ASCII lowercase letters, digits and single inner
//! hyphens, so it can never climb out of a folder, and slugifying it again must not change it.

#![no_main]

use chronique::slug::slugify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "bad byte in slug {slug:?}"
    );
    assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
    assert!(!slug.contains("--"), "{slug:?}");
    assert_eq!(slugify(&slug), slug, "slugify is not idempotent");
});
