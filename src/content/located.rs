//! What the content files share: values located where the front matter wrote them, and the
//! section a file belongs to.

use std::path::Path;

use crate::diagnostics::Location;
use crate::front_matter::{self, Split};

/// A value from the front matter with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

/// The section of a file: its first folder under `content/`, if any.
pub fn section_of(rel: &Path) -> Option<String> {
    let mut parts = rel.components();
    let first = parts.next()?;
    parts.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

/// Turns a serde-saphyr located value into ours.
pub(crate) fn located<T>(
    s: serde_saphyr::Spanned<T>,
    split: &Split<'_>,
    path: &Path,
) -> Located<T> {
    Located {
        location: front_matter::spanned_location(&s.referenced, split, path),
        value: s.value,
    }
}
