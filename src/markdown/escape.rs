//! The one helper of the escapers (HTML here and in highlighting, JSON in rendering): copy a
//! text, replacing some ASCII bytes.

/// Appends `text` to `out` with each byte that `with` maps replaced (only ASCII bytes may be:
/// they never occur inside a multi-byte character), copying the runs between them whole.
pub fn replace_bytes(out: &mut String, text: &str, with: impl Fn(u8) -> Option<&'static str>) {
    let mut done = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(replacement) = with(b) {
            out.push_str(&text[done..i]);
            out.push_str(replacement);
            done = i + 1;
        }
    }
    out.push_str(&text[done..]);
}
