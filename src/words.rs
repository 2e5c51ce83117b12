//! Search words: text folded to lowercase ASCII (`Réclamations, œuvre` → `reclamations oeuvre`),
//! each word once. The search index holds a post's words in this form, and the search page's
//! script folds the reader's query the same way (deunicode's transliteration, then lowercase).
//!
//! A post's body words are taken while the site is assembled, so the post's plain text need not
//! be kept until the index is written.

use rustc_hash::FxHashSet;

/// Distinct folded words, in order of first appearance.
#[derive(Debug, Default)]
pub struct Distinct {
    /// Words are short and many (~900 a post): FxHash, not SipHash, which cost more than the
    /// folding itself. Nothing here comes from an adversary who could aim at collisions.
    seen: FxHashSet<Box<[u8]>>,
    /// The words so far, space-separated; only ASCII is ever pushed.
    out: Vec<u8>,
    word: Vec<u8>,
}

impl Distinct {
    pub fn new() -> Self {
        Distinct::default()
    }

    /// Adds the words of `text` not seen yet. Words are runs of ASCII letters and digits after
    /// folding; one-letter words are left out.
    pub fn add(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                self.push_byte(b);
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            match deunicode::deunicode_char(c) {
                Some(ascii) => ascii.bytes().for_each(|b| self.push_byte(b)),
                None => self.end_word(),
            }
            i += c.len_utf8();
        }
        self.end_word();
    }

    /// Adds words already folded and distinct among themselves, space-separated (what
    /// [`Distinct::finish`] gives), skipping those seen. They are not remembered: nothing may be
    /// added after them.
    pub fn finish_with(mut self, words: &str) -> String {
        for word in words.split(' ') {
            if word.len() >= 2 && !self.seen.contains(word.as_bytes()) {
                if !self.out.is_empty() {
                    self.out.push(b' ');
                }
                self.out.extend_from_slice(word.as_bytes());
            }
        }
        self.finish()
    }

    /// The words, space-separated.
    pub fn finish(self) -> String {
        // Only ASCII was pushed, so this cannot fail.
        String::from_utf8(self.out).unwrap_or_default()
    }

    fn push_byte(&mut self, b: u8) {
        if b.is_ascii_alphanumeric() {
            self.word.push(b.to_ascii_lowercase());
        } else if !self.word.is_empty() {
            self.end_word();
        }
    }

    fn end_word(&mut self) {
        if self.word.len() >= 2 && !self.seen.contains(self.word.as_slice()) {
            if !self.out.is_empty() {
                self.out.push(b' ');
            }
            self.out.extend_from_slice(&self.word);
            self.seen.insert(self.word.as_slice().into());
        }
        self.word.clear();
    }
}

/// The distinct folded words of some texts, space-separated.
pub fn distinct<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut words = Distinct::new();
    for text in texts {
        words.add(text);
    }
    words.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn folded_words_are_appended_after_the_others() {
        let mut words = Distinct::new();
        words.add("Échéance dépassée");
        let body = distinct(["L'échéance est passée, dépassée depuis longtemps"]);
        assert_eq!(
            words.finish_with(&body),
            distinct(["Échéance dépassée", &body])
        );
    }

    #[test]
    fn words_are_folded_and_distinct() {
        assert_eq!(
            distinct(["Réclamation : la réclamation", "Œuvre d'été"]),
            "reclamation la oeuvre ete"
        );
    }

    /// Words are those of deunicode's transliteration, lowercased and split on anything but
    /// ASCII letters and digits — what the search page's script expects.
    #[test]
    fn the_same_words_as_deunicode() {
        let mut text = String::from("Ça coûte 12,50 € — naïve Straße, ÆSIR œil ½ № 5 Ǆ ﬁn 東京 ");
        // Every character of Latin-1, Latin Extended-A/B, Greek, Cyrillic and punctuation.
        for c in ('\u{80}'..='\u{52f}').chain('\u{2000}'..='\u{206f}') {
            text.push(c);
            if (c as u32).is_multiple_of(7) {
                text.push(' ');
            }
            text.push('a');
        }
        let reference = {
            let folded = deunicode::deunicode(&text).to_lowercase();
            let mut seen = HashSet::new();
            folded
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 2 && seen.insert(*w))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(distinct([text.as_str()]), reference);
    }

    /// deunicode drops ASCII control characters, so folding a whole text with it glued the last
    /// word of a paragraph to the first of the next (`attente\nSans` → `attentesans`).
    #[test]
    fn a_line_break_ends_a_word() {
        assert_eq!(deunicode::deunicode("é\nb"), "eb");
        assert_eq!(
            distinct(["L'attente\nSans surprise"]),
            "attente sans surprise"
        );
    }
}
