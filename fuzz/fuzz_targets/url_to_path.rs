//! Fuzz target: the dev server's URL-to-path resolution. Whatever the request path, the
//! segments it yields must stay below the serve folder once joined to it.

#![no_main]

use std::path::{Component, Path};

use chronique::dev::url_to_segments;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    let Ok(segments) = url_to_segments(path) else {
        return;
    };
    let root = Path::new("/srv/site");
    let mut joined = root.to_path_buf();
    for segment in &segments {
        assert!(!segment.is_empty(), "empty segment from {path:?}");
        assert!(
            !segment.contains(['/', '\\', '\0']),
            "separator in segment {segment:?} from {path:?}"
        );
        joined.push(segment);
    }
    assert!(joined.starts_with(root), "{path:?} escapes to {joined:?}");
    assert!(
        joined
            .strip_prefix(root)
            .unwrap()
            .components()
            .all(|c| matches!(c, Component::Normal(_))),
        "{path:?} gives {joined:?}"
    );
});
