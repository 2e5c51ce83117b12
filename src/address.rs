//! Addresses as a browser reads them: a reference resolved against the URL of the page it is
//! written in, and the scheme of an absolute URL. `check` looks references up this way, and the
//! feeds make them absolute the same way, so that both agree with the browser and each other.

/// The scheme of an absolute URL (`https`, `mailto`), if it has one.
pub fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// A reference resolved against a page's URL (both root-relative), `..` and `.` removed.
pub fn resolve(page: &str, reference: &str) -> String {
    let joined = if reference.starts_with('/') {
        reference.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{reference}")
    };
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if trailing && url != "/" {
        url.push('/');
    }
    url
}

/// `%XX` escapes decoded (invalid ones left as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_like_a_browser() {
        assert_eq!(resolve("/breves/x/", "photo.jpg"), "/breves/x/photo.jpg");
        assert_eq!(resolve("/breves/x/", "../photo.jpg"), "/breves/photo.jpg");
        assert_eq!(resolve("/breves/x/", "/img/a.png"), "/img/a.png");
        assert_eq!(resolve("/breves/x/", "../../"), "/");
        assert_eq!(resolve("/breves/x/", "../"), "/breves/");
        assert_eq!(resolve("/breves/x/", "../../../../etc"), "/etc");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://e.fr").as_deref(), Some("https"));
        assert_eq!(scheme("mailto:a@b.fr").as_deref(), Some("mailto"));
        assert_eq!(scheme("photo.jpg"), None);
        assert_eq!(scheme("/a:b"), None);
    }
}
