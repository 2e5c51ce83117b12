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

#[cfg(test)]
mod tests {
    use super::slugify;

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
