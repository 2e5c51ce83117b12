//! A file of the built site in memory, and where a URL is written: what the renderers (pages,
//! feeds, the search index) hand to the writer.

use std::path::{Path, PathBuf};

/// A file of the built site, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder: `breves/punition/index.html`.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// JSON that is safe anywhere: `<`, `>` and `&` as `\u` escapes (they only occur inside
/// strings), so no `</script>` or `<!--` can appear when it is embedded in a page.
pub(crate) fn html_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    crate::markdown::replace_bytes(&mut out, json, |b| match b {
        b'<' => Some("\\u003c"),
        b'>' => Some("\\u003e"),
        b'&' => Some("\\u0026"),
        _ => None,
    });
    out
}

/// The file a root-relative URL is served from: `/x/page/2/` → `x/page/2/index.html`.
pub fn output_path(base_path: &str, url: &str) -> PathBuf {
    let rel = url.strip_prefix(base_path).unwrap_or(url);
    if rel.ends_with('/') || rel.is_empty() {
        Path::new(rel).join("index.html")
    } else {
        PathBuf::from(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_made_safe_inside_a_script_element() {
        assert_eq!(
            html_safe_json(r#"{"t":"</script><!-- a & b é"}"#),
            r#"{"t":"\u003c/script\u003e\u003c!-- a \u0026 b é"}"#
        );
        assert_eq!(html_safe_json(""), "");
    }
}
