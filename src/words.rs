//! Search words: text folded to lowercase ASCII (`Réclamations, œuvre` → `reclamations oeuvre`),
//! each word once. The search index holds a post's words in this form, and the search page's
//! script folds the reader's query the same way (deunicode's transliteration, then lowercase).
//!
//! A post's body words are taken while the site is assembled, so the post's plain text need not
//! be kept until the index is written.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// What a byte of text is to [`Distinct`]: ASCII letters and digits map to their lowercase,
/// other ASCII to [`SEPARATOR`], the bytes of other characters to [`NOT_ASCII`].
static FOLD: [u8; 256] = {
    let mut table = [NOT_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            byte.to_ascii_lowercase()
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};
const SEPARATOR: u8 = 0;
const NOT_ASCII: u8 = 0x80;

/// Distinct folded words, in order of first appearance.
///
/// Each word is written once, straight into the output; the set of words seen holds where they
/// are in it, not copies. A word already seen is written tentatively and taken back.
#[derive(Debug, Default)]
pub struct Distinct {
    /// The words so far, space-separated; only ASCII is ever pushed.
    out: Vec<u8>,
    /// Where the word being read starts in `out` (after its separating space).
    word: usize,
    /// The words kept, as ranges of `out`. Words are short and many (~900 a post): FxHash,
    /// not SipHash, which cost more than the folding itself. Nothing here comes from an
    /// adversary who could aim at collisions.
    seen: HashTable<(u32, u32)>,
    /// The white-space-separated words of the texts added, as `split_whitespace` counts them
    /// (a post's word count), and whether the last byte read was inside one.
    tokens: usize,
    in_token: bool,
}

impl Distinct {
    pub fn new() -> Self {
        Distinct::default()
    }

    /// Adds the words of `text` not seen yet. Words are runs of ASCII letters and digits after
    /// folding; one-letter words are left out.
    pub fn add(&mut self, text: &str) {
        self.begin_word();
        // At most one byte out per byte in, but for transliterations (`œ` → `oe`); about one
        // new word per 16 bytes of a French text.
        self.out.reserve(text.len() + 1);
        self.seen.reserve(text.len() / 16, |range| {
            FxBuildHasher.hash_one(at(&self.out, range))
        });
        let bytes = text.as_bytes();
        let mut i = 0;
        self.in_token = false;
        while let Some(&b) = bytes.get(i) {
            match FOLD[b as usize] {
                SEPARATOR => {
                    self.end_word();
                    self.token_byte(!is_ascii_space(b));
                    i += 1;
                }
                NOT_ASCII => {
                    let Some(c) = text[i..].chars().next() else {
                        break;
                    };
                    self.token_byte(!c.is_whitespace());
                    match deunicode::deunicode_char(c) {
                        Some(ascii) => {
                            for b in ascii.bytes() {
                                match FOLD[b as usize] {
                                    SEPARATOR | NOT_ASCII => self.end_word(),
                                    folded => self.out.push(folded),
                                }
                            }
                        }
                        None => self.end_word(),
                    }
                    i += c.len_utf8();
                }
                folded => {
                    self.out.push(folded);
                    self.token_byte(true);
                    i += 1;
                }
            }
        }
        self.end_word();
        self.out.truncate(self.word.saturating_sub(1));
    }

    /// How many white-space-separated words the texts added had (each text counted apart).
    pub fn tokens(&self) -> usize {
        self.tokens
    }

    /// Counts a character of the text: one that is not white space starts or continues a token.
    #[inline]
    fn token_byte(&mut self, visible: bool) {
        self.tokens += usize::from(visible && !self.in_token);
        self.in_token = visible;
    }

    /// Adds words already folded and distinct among themselves, space-separated (what
    /// [`Distinct::finish`] gives), skipping those seen. They are not remembered: nothing may be
    /// added after them.
    pub fn finish_with(mut self, words: &str) -> String {
        // The words seen are few (a title, a summary) and the words added many (a body): a
        // word that cannot be among the seen ones, by its length and ends, skips the lookup.
        let mut filter = Filter::default();
        for range in self.seen.iter() {
            filter.insert(at(&self.out, range));
        }
        self.out.reserve(words.len() + 1);
        for word in words.as_bytes().split(|&b| b == b' ') {
            if word.len() >= 2 && !(filter.may_hold(word) && self.find(word).is_some()) {
                if !self.out.is_empty() {
                    self.out.push(b' ');
                }
                self.out.extend_from_slice(word);
            }
        }
        self.finish()
    }

    /// The words, space-separated.
    pub fn finish(self) -> String {
        // Only ASCII was pushed, so this cannot fail.
        String::from_utf8(self.out).unwrap_or_default()
    }

    /// Starts a word at the end of the output, after a space when there are words before.
    fn begin_word(&mut self) {
        if !self.out.is_empty() {
            self.out.push(b' ');
        }
        self.word = self.out.len();
    }

    fn find(&self, word: &[u8]) -> Option<&(u32, u32)> {
        self.seen.find(FxBuildHasher.hash_one(word), |range| {
            at(&self.out, range) == word
        })
    }

    /// Ends the word being read: kept if it is new and long enough, taken back otherwise.
    fn end_word(&mut self) {
        let len = self.out.len() - self.word;
        if len == 0 {
            return;
        }
        if len >= 2 {
            let Distinct {
                out, word, seen, ..
            } = self;
            let new = &out[*word..];
            let entry = seen.entry(
                FxBuildHasher.hash_one(new),
                |range| at(out, range) == new,
                |range| FxBuildHasher.hash_one(at(out, range)),
            );
            if let hashbrown::hash_table::Entry::Vacant(slot) = entry {
                slot.insert((*word as u32, len as u32));
                self.begin_word();
                return;
            }
        }
        self.out.truncate(self.word);
    }
}

/// The word kept at `range` (start, length) of a [`Distinct`]'s output.
fn at<'o>(out: &'o [u8], &(start, len): &(u32, u32)) -> &'o [u8] {
    &out[start as usize..(start + len) as usize]
}

/// A set of words that may answer "perhaps" for a word it does not hold, never "no" for one it
/// does: one bit of 256 per word, from its length and its first and last bytes.
#[derive(Default)]
struct Filter([u64; 4]);

impl Filter {
    fn bit(word: &[u8]) -> usize {
        let (first, last) = (word.first().copied(), word.last().copied());
        (word.len() * 31 + usize::from(first.unwrap_or(0)) * 7 + usize::from(last.unwrap_or(0)))
            & 255
    }

    fn insert(&mut self, word: &[u8]) {
        let bit = Filter::bit(word);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn may_hold(&self, word: &[u8]) -> bool {
        let bit = Filter::bit(word);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// `char::is_whitespace` for an ASCII byte: space, \t, \n, \x0b, \x0c and \r (not
/// `is_ascii_whitespace`'s set), as a mask of their values.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    const SPACES: u64 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << 0x0b | 1 << 0x0c | 1 << b'\r';
    b <= b' ' && SPACES >> b & 1 == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The distinct folded words of some texts, space-separated.
    fn distinct<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
        let mut words = Distinct::new();
        for text in texts {
            words.add(text);
        }
        words.finish()
    }

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
    fn tokens_are_counted_as_split_whitespace_counts() {
        let mut all = String::new();
        for c in ('\0'..='\u{52f}').chain('\u{1680}'..='\u{3000}') {
            all.push_str(&format!("{c}a{c}b {c} "));
        }
        let texts = [
            "",
            "  ",
            "un deux\ttrois\n\nquatre",
            "Bonjour\u{202f}! Ça\u{a0}va ? — oui\u{3000}東京\u{85}x\u{b}y\u{c}z\u{1c}w",
            " début et fin ",
            "l'œuvre, « ½ » : 12,50 € !",
            &all,
        ];
        let mut together = Distinct::new();
        for text in texts {
            let mut words = Distinct::new();
            words.add(text);
            assert_eq!(words.tokens(), text.split_whitespace().count(), "{text:?}");
            together.add(text);
        }
        // Each text counted apart: "fin " then "l'œuvre" are two words, as are "a" + "b".
        let sum: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
        assert_eq!(together.tokens(), sum);
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
