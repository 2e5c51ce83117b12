//! Slugs: the ASCII, lowercase, hyphenated names that appear in URLs.
//!
//! Accents are transliterated (`Ça m'agaaaace` → `ca-m-agaaaace`), so French titles give readable
//! addresses, and a slug can never contain a path separator or `..`.

/// Makes a slug from any text: ASCII letters and digits, single hyphens between words.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// The longest slug (or path segment of an alias), in bytes: each is a folder or file name in
/// the output, and file systems stop at 255 bytes (less once `.md` or a staging folder's name
/// is added), with a "File name too long" that would name no post.
pub const MAX_LEN: usize = 200;

/// What makes `segment` unfit as a file or folder name of the output, if anything: too long,
/// or a name Windows reserves (`con`, `nul`, `com1`…, with or without an extension), which
/// would make the site's repository impossible to check out there.
pub fn problem(segment: &str) -> Option<String> {
    if segment.len() > MAX_LEN {
        return Some(format!(
            "would be {} bytes long, more than the {MAX_LEN} a file name of the site may have",
            segment.len()
        ));
    }
    let stem = segment.split('.').next().unwrap_or_default();
    let stem = stem.trim_end_matches(' ').to_ascii_lowercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    };
    let reserved = matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || numbered("com")
        || numbered("lpt");
    reserved.then(|| {
        format!(
            "is \"{segment}\", a name Windows reserves (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9, with any extension): the site could not be checked out there"
        )
    })
}

/// `slug` cut to at most `max` bytes, at a hyphen when there is one (slugs are ASCII).
pub fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(i) if i > 0 => &slug[..i],
        _ => &slug[..max],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_reserved_names() {
        assert!(problem(&"a".repeat(MAX_LEN)).is_none());
        assert!(
            problem(&"a".repeat(MAX_LEN + 1))
                .unwrap()
                .contains("201 bytes")
        );
        for name in ["con", "nul", "com1", "LPT9", "aux.html", "Nul"] {
            assert!(problem(name).is_some(), "{name}");
        }
        for name in ["conte", "nul-part", "com10", "com", "console.html"] {
            assert!(problem(name).is_none(), "{name}");
        }
    }

    #[test]
    fn shortened_at_a_hyphen() {
        assert_eq!(shorten("abc-def-ghi", 9), "abc-def");
        assert_eq!(shorten("abc-def-ghi", 7), "abc-def");
        assert_eq!(shorten("abc-def-ghi", 20), "abc-def-ghi");
        assert_eq!(shorten("abcdefghi", 4), "abcd");
    }

    #[test]
    fn french_titles() {
        assert_eq!(slugify("Ça m'agaaaace"), "ca-m-agaaaace");
        assert_eq!(
            slugify("Œuvre : « l'attente » à 50 € !"),
            "oeuvre-l-attente-a-50-eur"
        );
        assert_eq!(slugify("Service client"), "service-client");
    }

    #[test]
    fn no_path_tricks() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..\\x"), "x");
        assert_eq!(slugify("---"), "");
    }
}
