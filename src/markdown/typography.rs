//! French (and English) typography for prose: the spaces, quotes, apostrophes, ellipses and dashes
//! an author types on a keyboard, set the way the column is printed.
//!
//! It works on the *text* of a Markdown document only, one pulldown-cmark `Event::Text` at a time:
//! code, URLs, HTML and attributes never come here. A [`Typographer`] carries a little state from
//! one text event to the next inside a block, because markup splits sentences (`"a *b* c"` arrives
//! as `"a `, `b`, ` c"`, and the `?` of `**gras**?` starts an event of its own): the last character
//! written and how many quotation marks are open. The caller says when a block ends.
//!
//! French rules:
//! - a no-break space U+00A0 before `:`; a narrow no-break space U+202F before `;`, `!`, `?`, `»`
//!   and after `«`. An ordinary space the author typed there (or several, or a U+00A0/U+202F) is
//!   replaced; a missing one is added after a word or a closing mark, never at the start of a block
//!   nor between marks of a pair like `?!`.
//! - `:` is only spaced when whitespace or the end of the text follows it, and `;`, `!`, `?` when
//!   whitespace, the end of the text or a closing mark follows: `15h41`, `08:30`, `std::fmt`,
//!   `https://exemple.fr` and `?page=2` are left alone.
//! - straight quotes `"…"` become `« … »` (with narrow no-break spaces inside; `“…”` when nested),
//!   and every `'` becomes the apostrophe `’`.
//! - `...` becomes `…`, `--` an en dash `–`, `---` an em dash `—` (as pulldown-cmark's smart
//!   punctuation does).
//! - numbers: groups of three digits are separated by a narrow no-break space U+202F
//!   (`1 000 000`, the French convention for thousands), and a no-break space U+00A0 goes between a
//!   number and `€`, `%`, `$` or `£` (`50 €`, `15 %`), added when missing; a typed space becomes
//!   a U+00A0 between a number and a unit or counted word (`50 euros`, `10 h 15`, `20 minutes`)
//!   and between an abbreviation and its number (`n° 5`, `p. 12`).
//! - a phone number in groups of two digits (`01 23 45 67 89`, at least four groups, the first
//!   starting with 0) is joined with U+00A0, so that it never breaks across lines.
//! - a dash opening a line (a dialogue's: `— Est-ce`) is followed by a U+00A0; a dash inside a
//!   line with a space on each side (an incise: `client – l'action`) gets a U+00A0 before it, so
//!   that it never starts a line; the `-` of an `e` prefix (`e-réputation`) becomes the
//!   non-breaking hyphen U+2011.
//!
//! English rules: curly quotes `“…”` and `‘…’`, the apostrophe `’`, `…`, the dashes, and any space
//! typed before `: ; ! ?` is removed (French habits in an English text).
//!
//! Typesetting is idempotent (typesetting twice gives what typesetting once gives) and cheap when
//! there is nothing to do: a text with none of the characters the rules look at comes back
//! borrowed after one pass over its bytes, and a text that needs changes costs one allocation.
//!
//! Known limit: an author's space at the very end of one text event cannot be replaced when the
//! punctuation starts the next one (`mot **: gras**`); it is left as typed, and no second space is
//! added. Merging adjacent text events first (pulldown-cmark's `TextMergeStream`) makes this happen
//! only across real markup.

use std::borrow::Cow;

use pulldown_cmark::CowStr;

use crate::language::Language;

/// No-break space, before `:` and between a number and its unit.
const NBSP: &str = "\u{a0}";
/// Narrow no-break space, before `; ! ? »`, after `«`, between groups of digits.
const NNBSP: &str = "\u{202f}";

/// What came last in the block, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Nothing yet: the start of a block.
    Start,
    /// Whitespace (typed, inserted, or a line break).
    Space,
    /// Something that reads as a word but was not text (inline code, an image...).
    Atom,
    /// The last character written.
    Char(char),
}

impl Prev {
    /// After a word or a closing mark, where French wants a space added before `: ; ! ? »`.
    fn is_word(self) -> bool {
        match self {
            Prev::Atom => true,
            Prev::Char(c) => {
                c.is_alphanumeric() || is_closing(c) || matches!(c, '%' | '€' | '$' | '£' | '°')
            }
            Prev::Start | Prev::Space => false,
        }
    }

    /// Where a quotation mark opens rather than closes.
    fn opens_quote(self) -> bool {
        match self {
            Prev::Start | Prev::Space => true,
            Prev::Char(c) => matches!(
                c,
                '(' | '[' | '{' | '«' | '“' | '‘' | '—' | '–' | '-' | '/' | '’'
            ),
            Prev::Atom => false,
        }
    }

    fn is_digit(self) -> bool {
        matches!(self, Prev::Char(c) if c.is_ascii_digit())
    }

    fn is_visible(self) -> bool {
        matches!(self, Prev::Atom | Prev::Char(_))
    }
}

fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '»' | '”' | '’')
}

/// `; ! ?` are spaced only when whitespace, the end of the text or a closing mark follows (not
/// `?page=2`).
fn mark_applies(after: Option<char>) -> bool {
    after.is_none_or(|c| {
        c.is_whitespace()
            || is_closing(c)
            || matches!(c, '!' | '?' | ';' | ':' | '.' | ',' | '…' | '"' | '\'')
    })
}

/// A unit sign ends the number's word: `50 €` but not `1%20` in a URL.
fn unit_applies(after: Option<char>) -> bool {
    after.is_none_or(|c| !c.is_alphanumeric())
}

fn is_unit(c: char) -> bool {
    matches!(c, '€' | '%' | '$' | '£')
}

/// The units and counted words a number is kept on the line with (« 50 euros », « 10 h »,
/// « 20 minutes »): the words that make sense only with their number.
const UNIT_WORDS: [&str; 26] = [
    "euros", "euro", "centimes", "dollars", "h", "min", "s", "ms", "km", "m", "cm", "mm", "kg",
    "g", "l", "Mo", "Go", "Ko", "ans", "mois", "semaines", "jours", "heures", "minutes",
    "secondes", "fois",
];

/// Whether `rest` starts with a word of [`UNIT_WORDS`], whole.
fn is_unit_word(rest: &str) -> bool {
    let end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    let after = rest[end..].chars().next();
    end > 0 && UNIT_WORDS.contains(&&rest[..end]) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// The abbreviations a number follows on the same line: « n° 5 », « p. 12 », « chap. 3 »,
/// « art. 6 », « fig. 2 », « vol. 4 ».
const NUMBER_LEADS: [&str; 9] = [
    "n°", "N°", "p.", "pp.", "chap.", "art.", "fig.", "vol.", "t.",
];

/// Whether the text before a space ends with what leads a number: an abbreviation of
/// [`NUMBER_LEADS`] as a word of its own, or the `h` of a time (« 10 h 15 »).
fn leads_a_number(before: &str) -> bool {
    let starts_word = |head: &str| {
        head.chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    let lead = (NUMBER_LEADS.iter()).any(|lead| before.strip_suffix(lead).is_some_and(starts_word));
    // « 10 h 15 »: the `h` alone, after a number and its space.
    let hour = before.strip_suffix('h').is_some_and(|head| {
        let head = head.trim_end_matches([' ', '\u{a0}']);
        head.len() < before.len() - 1 && head.ends_with(|c: char| c.is_ascii_digit())
    });
    lead || hour
}

/// Whether the text before a `-` is the prefix `e` of « e-réputation », « e-mail »: an `e`
/// alone, at the start of a word.
fn e_prefix(before: &str) -> bool {
    before.strip_suffix(['e', 'E']).is_some_and(|head| {
        head.chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether the space between `before` and `rest` sits inside a phone number written in groups of
/// two digits (« 01 23 45 67 89 », « 08 10 12 34 56 »): at least four groups of exactly two
/// digits, each space single (typed, or already a U+00A0), the first group starting with 0.
fn in_phone_number(before: &str, rest: &str) -> bool {
    fn pair(s: &str) -> bool {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())
    }
    let is_space = |c: char| matches!(c, ' ' | '\u{a0}');
    // The groups before the space, back to the first one (which is not preceded by a digit).
    let mut back: Vec<&str> = before.rsplit(is_space).collect();
    let first_back = back.iter().position(|g| !pair(g)).unwrap_or(back.len());
    let starts_clean = back
        .get(first_back)
        .is_none_or(|g| !g.ends_with(|c: char| c.is_ascii_digit()));
    back.truncate(first_back);
    // The groups after it: two digits, then anything but a digit (« 89. », « 89 et »).
    let ahead = rest
        .split(is_space)
        .take_while(|g| {
            let b = g.as_bytes();
            b.len() >= 2
                && b[..2].iter().all(u8::is_ascii_digit)
                && !b.get(2).is_some_and(u8::is_ascii_digit)
        })
        .count();
    let leading = back.last().is_some_and(|g| g.starts_with('0'));
    starts_clean && leading && ahead > 0 && back.len() + ahead >= 4
}

/// Whether what follows a space is a dash standing alone (`– `, `— `, or `--`/`---` typed), the
/// opening or closing dash of an incise.
fn is_incise_dash(rest: &str) -> bool {
    let dash = rest
        .strip_prefix(['–', '—'])
        .or_else(|| rest.strip_prefix("--").map(|r| r.trim_start_matches('-')));
    // A `»` or `"` right after gets its own space: the dash is spaced on both sides then too.
    dash.is_some_and(|after| {
        after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with(['»', '"'])
    })
}

/// Exactly three digits, then no digit: the next group of a number.
fn starts_group(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 3
        && b[..3].iter().all(u8::is_ascii_digit)
        && !b.get(3).is_some_and(u8::is_ascii_digit)
}

/// The dashes for a run of `n >= 2` hyphens, as CommonMark's smart punctuation counts them.
fn dashes(n: usize) -> String {
    let (em, en) = if n.is_multiple_of(3) {
        (n / 3, 0)
    } else if n.is_multiple_of(2) {
        (0, n / 2)
    } else if n % 3 == 2 {
        ((n - 2) / 3, 1)
    } else {
        ((n - 4) / 3, 2)
    };
    let mut s = String::with_capacity(3 * (em + en));
    s.extend(std::iter::repeat_n('—', em));
    s.extend(std::iter::repeat_n('–', en));
    s
}

/// Whether a text may need work: any byte a rule starts from. `.` and `-` count only as `...` and
/// `--`; in French, digits (groups) and the lead bytes of `« » £ €` and of the spaces U+00A0 and
/// U+202F count too.
fn has_trigger(s: &str, lang: Language) -> bool {
    let b = s.as_bytes();
    let french = lang == Language::Fr;
    b.iter().enumerate().any(|(i, &c)| match c {
        b'"' | b'\'' | b':' | b';' | b'!' | b'?' => true,
        b'.' => b[i + 1..].starts_with(b".."),
        b'-' => b.get(i + 1) == Some(&b'-') || (french && i > 0 && b[i - 1] | 0x20 == b'e'),
        b'0'..=b'9' | b'%' | b'$' | 0xC2 | 0xE2 => french,
        _ => false,
    })
}

/// A byte no rule starts from or looks at, other than as the character before: ASCII letters,
/// neutral punctuation, and the bytes of other characters except the lead bytes of `« » £ €`,
/// `’ … – —`, U+00A0, U+202F and the other Unicode spaces (0xC2, 0xE1, 0xE2, 0xE3). The run such
/// bytes make always ends on a character boundary: the bytes that stop it are ASCII or lead bytes.
#[inline]
fn is_inert(b: u8, french: bool) -> bool {
    INERT[french as usize][b as usize]
}

/// [`is_inert`] for every byte, in English (0) and in French (1): the scan over a run of letters
/// is a table lookup per byte.
static INERT: [[bool; 256]; 2] = [inert_table(false), inert_table(true)];

const fn inert_table(french: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => true,
            b'0'..=b'9' => !french,
            b',' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'/' | b'=' | b'+' | b'*' | b'_' => {
                true
            }
            b'#' | b'@' | b'&' | b'<' | b'>' | b'|' | b'~' | b'^' | b'`' | b'\\' => true,
            0xC2 | 0xE1..=0xE3 => false,
            0x80.. => true,
            _ => false,
        };
        b += 1;
    }
    table
}

/// The edited copy of a text, made only when something changes.
struct Edits<'a> {
    src: &'a str,
    buf: String,
    /// Bytes of `src` before this are already in `buf` (or replaced).
    done: usize,
    changed: bool,
}

impl<'a> Edits<'a> {
    fn new(src: &'a str) -> Self {
        Edits {
            src,
            buf: String::new(),
            done: 0,
            changed: false,
        }
    }

    /// Replaces `src[start..end]` with `with`; replacing a text with itself changes nothing.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        if &self.src[start..end] == with {
            return;
        }
        if !self.changed {
            self.changed = true;
            self.buf.reserve(self.src.len() + 16);
        }
        self.buf.push_str(&self.src[self.done..start]);
        self.buf.push_str(with);
        self.done = end;
    }

    fn insert(&mut self, at: usize, what: &str) {
        self.replace(at, at, what);
    }

    fn finish(mut self) -> Cow<'a, str> {
        if self.changed {
            self.buf.push_str(&self.src[self.done..]);
            Cow::Owned(self.buf)
        } else {
            Cow::Borrowed(self.src)
        }
    }
}

/// Typesets the text events of a document, one block at a time.
#[derive(Debug, Clone)]
pub struct Typographer {
    lang: Language,
    prev: Prev,
    /// Quotation marks open in this block.
    quotes: u8,
    /// Digits at the end of what was written (for groups of thousands).
    digits: u8,
    /// Nothing written yet on this line (a block's start, or after a line break).
    line_start: bool,
    /// The last thing written is a dash that opens a line: a dialogue's (« — Est-ce… »).
    dialogue: bool,
}

impl Typographer {
    pub fn new(lang: Language) -> Self {
        Typographer {
            lang,
            prev: Prev::Start,
            quotes: 0,
            digits: 0,
            line_start: true,
            dialogue: false,
        }
    }

    /// Something that reads as a word but is not text came in between: inline code, an image,
    /// a footnote reference, inline math. A `?` right after it gets its space.
    pub fn word(&mut self) {
        self.prev = Prev::Atom;
        self.digits = 0;
        self.line_start = false;
        self.dialogue = false;
    }

    /// A soft or hard line break: whitespace the typographer cannot edit.
    pub fn line_break(&mut self) {
        self.prev = Prev::Space;
        self.digits = 0;
        self.line_start = true;
        self.dialogue = false;
    }

    /// A block (paragraph, heading, list item, table cell...) starts or ends: forget the context,
    /// close any quotation left open.
    pub fn end_block(&mut self) {
        self.prev = Prev::Start;
        self.quotes = 0;
        self.digits = 0;
        self.line_start = true;
        self.dialogue = false;
    }

    /// Typesets one text event. Borrowed when nothing changes.
    //
    // The loop every character of every post's prose goes through: runs of letters are skipped
    // whole, the space between two words is kept as it is, and only spaces and marks go to
    // their steps (`spaces`, `mark`), each of which says where the loop goes on.
    pub fn text<'a>(&mut self, s: &'a str) -> Cow<'a, str> {
        if !has_trigger(s, self.lang) {
            if let Some(last) = s.chars().next_back() {
                self.prev = if last.is_whitespace() {
                    Prev::Space
                } else {
                    Prev::Char(last)
                };
                self.digits = 0;
            }
            return Cow::Borrowed(s);
        }
        let french = self.lang == Language::Fr;
        let mut out = Edits::new(s);
        let bytes = s.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if is_inert(b, french) {
                // Letters and the like: only the last one matters, as what came before.
                let end = bytes[i..]
                    .iter()
                    .position(|&b| !is_inert(b, french))
                    .map_or(s.len(), |n| i + n);
                if let Some(last) = s[i..end].chars().next_back() {
                    self.wrote(last);
                }
                i = end;
                continue;
            }
            // The space between two words, the most common of all: kept as it is (what
            // `french_space` and `english_space` say of one space before a letter, unless it
            // follows `«`).
            if b == b' '
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                && self.prev != Prev::Char('«')
                && !(french && (self.prev.is_digit() || self.dialogue))
            {
                self.prev = Prev::Space;
                self.digits = 0;
                i += 1;
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            i = if c.is_whitespace() {
                self.spaces(&mut out, s, i, french)
            } else {
                self.mark(&mut out, s, i, c, french)
            };
        }
        out.finish()
    }

    /// The run of whitespace at `i`, as the language wants it before what follows; gives where
    /// the run ends.
    #[inline]
    fn spaces(&mut self, out: &mut Edits<'_>, s: &str, i: usize, french: bool) -> usize {
        let end = s[i..]
            .find(|c: char| !c.is_whitespace())
            .map_or(s.len(), |n| i + n);
        let with = if french {
            self.french_space(&s[..i], &s[i..end], &s[end..])
        } else {
            self.english_space(&s[end..])
        };
        match with {
            Some("") => out.replace(i, end, ""),
            Some(with) => {
                out.replace(i, end, with);
                self.prev = Prev::Space;
            }
            None => self.prev = Prev::Space,
        }
        self.digits = 0;
        self.line_start = false;
        self.dialogue = false;
        end
    }

    /// The character `c` at `i` (not a letter, not whitespace): an ellipsis, dashes, quotes,
    /// high punctuation, guillemets, units; gives where the loop goes on.
    #[inline]
    fn mark(&mut self, out: &mut Edits<'_>, s: &str, i: usize, c: char, french: bool) -> usize {
        let next_i = i + c.len_utf8();
        let mut rest = s[next_i..].chars();
        let next = rest.next();
        match c {
            '.' if s[next_i..].starts_with("..") => {
                out.replace(i, i + 3, "…");
                self.wrote('…');
                return i + 3;
            }
            '-' if next == Some('-') => {
                let n = s[i..].bytes().take_while(|&b| b == b'-').count();
                let with = dashes(n);
                out.replace(i, i + n, &with);
                let opens_line = self.line_start;
                self.wrote(with.chars().next_back().unwrap_or('–'));
                self.dialogue = french && opens_line;
                return i + n;
            }
            '-' if french && next.is_some_and(char::is_alphabetic) && e_prefix(&s[..i]) => {
                // « e-réputation »: the prefix does not end a line.
                out.replace(i, next_i, "\u{2011}");
                self.wrote('\u{2011}');
            }
            '—' | '–' if french => {
                let opens_line = self.line_start;
                self.wrote(c);
                self.dialogue = opens_line;
            }
            '\'' => {
                let mark = if !french
                    && self.prev.opens_quote()
                    && next.is_some_and(char::is_alphabetic)
                {
                    '‘'
                } else {
                    '’'
                };
                out.replace(i, next_i, if mark == '‘' { "‘" } else { "’" });
                self.wrote(mark);
            }
            '"' => self.double_quote(out, i, next_i, next),
            ':' if french => {
                if self.colon_applies(next, rest.next()) && self.prev.is_word() {
                    out.insert(i, NBSP);
                }
                self.wrote(c);
            }
            ';' | '!' | '?' if french => {
                if mark_applies(next) && self.prev.is_word() {
                    out.insert(i, NNBSP);
                }
                self.wrote(c);
            }
            '»' if french => {
                if self.prev.is_visible() {
                    out.insert(i, NNBSP);
                }
                self.wrote(c);
            }
            '«' if french => {
                if next.is_none_or(|n| !n.is_whitespace()) {
                    out.insert(next_i, NNBSP);
                    self.prev = Prev::Space;
                    self.digits = 0;
                } else {
                    self.wrote(c);
                }
            }
            c if french && is_unit(c) => {
                if self.prev.is_digit() && unit_applies(next) {
                    out.insert(i, NBSP);
                }
                self.wrote(c);
            }
            c => self.wrote(c),
        }
        next_i
    }

    /// [`Typographer::text`] for a pulldown-cmark text: the same `CowStr` back when nothing
    /// changes, so the common case allocates nothing.
    pub fn text_event<'a>(&mut self, text: CowStr<'a>) -> CowStr<'a> {
        if let Cow::Owned(changed) = self.text(&text) {
            return CowStr::from(changed);
        }
        text
    }

    fn wrote(&mut self, c: char) {
        self.prev = Prev::Char(c);
        self.line_start = false;
        self.dialogue = false;
        self.digits = if c.is_ascii_digit() {
            self.digits.saturating_add(1)
        } else {
            0
        };
    }

    /// `:` is spaced only when whitespace or the end of the text follows (not `08:30`, `std::fmt`,
    /// `https://`) — or, in French, a closing mark that will bring its own space (`:»`), so that
    /// typesetting twice changes nothing more.
    fn colon_applies(&self, after: Option<char>, after2: Option<char>) -> bool {
        match after {
            None => true,
            Some(c) if c.is_whitespace() => true,
            Some('»') => self.lang == Language::Fr,
            Some('"') => {
                self.lang == Language::Fr
                    && self.quotes <= 1
                    && !self.quote_opens(Prev::Char(':'), after2)
            }
            _ => false,
        }
    }

    /// Whether a `"` opens a quotation, given what was written before it and what follows it.
    fn quote_opens(&self, prev: Prev, next: Option<char>) -> bool {
        if prev.opens_quote() {
            let ends_word = next.is_none_or(|c| !c.is_alphanumeric() && !matches!(c, '(' | '['));
            !(self.quotes > 0 && ends_word)
        } else {
            self.quotes == 0 && next.is_some_and(char::is_alphanumeric)
        }
    }

    fn double_quote(&mut self, out: &mut Edits<'_>, i: usize, next_i: usize, next: Option<char>) {
        let opens = self.quote_opens(self.prev, next);
        let french = self.lang == Language::Fr;
        if opens {
            let with = match (french, self.quotes) {
                (true, 0) if next.is_none_or(|n| !n.is_whitespace()) => "«\u{202f}",
                (true, 0) => "«",
                _ => "“",
            };
            out.replace(i, next_i, with);
            self.quotes = self.quotes.saturating_add(1);
            if with.ends_with(NNBSP) {
                self.prev = Prev::Space;
                self.digits = 0;
            } else {
                self.wrote(with.chars().next().unwrap_or('“'));
            }
        } else {
            let with = match (french, self.quotes) {
                (true, 0 | 1) if self.prev.is_visible() => "\u{202f}»",
                (true, 0 | 1) => "»",
                _ => "”",
            };
            out.replace(i, next_i, with);
            self.quotes = self.quotes.saturating_sub(1);
            self.wrote(with.chars().next_back().unwrap_or('”'));
        }
    }

    /// What a run of whitespace becomes in French, given what precedes it in the text event
    /// (`before`) and what follows it: `None` to keep it, `Some("")` to remove it.
    fn french_space(&self, before: &str, run: &str, rest: &str) -> Option<&'static str> {
        if !self.prev.is_visible() {
            return None;
        }
        let mut chars = rest.chars();
        let next = chars.next();
        let after = chars.next();
        // The space after `«` comes first: `« :` keeps its narrow space.
        if self.prev == Prev::Char('«') {
            return Some(NNBSP);
        }
        match next {
            Some(':') if self.colon_applies(after, chars.next()) => return Some(NBSP),
            Some(mark @ (';' | '!' | '?')) if mark_applies(after) => {
                let pair = matches!(self.prev, Prev::Char('!' | '?')) && mark != ';';
                return Some(if pair { "" } else { NNBSP });
            }
            Some('»') => return Some(NNBSP),
            Some('"') if self.quotes == 1 && !self.quote_opens(Prev::Space, after) => {
                return Some(NNBSP);
            }
            _ => {}
        }
        if self.dialogue {
            return Some(NBSP);
        }
        if is_incise_dash(rest) {
            return Some(NBSP);
        }
        if self.prev.is_digit() {
            let single = matches!(run, " " | "\u{a0}" | "\u{202f}");
            if single && (1..=3).contains(&self.digits) && starts_group(rest) {
                return Some(NNBSP);
            }
            if next.is_some_and(is_unit) && unit_applies(after) {
                return Some(NBSP);
            }
            if single && is_unit_word(rest) {
                return Some(NBSP);
            }
            if single && self.digits == 2 && in_phone_number(before, rest) {
                return Some(NBSP);
            }
        }
        if next.is_some_and(|c| c.is_ascii_digit()) && leads_a_number(before) {
            return Some(NBSP);
        }
        None
    }

    /// English: a space typed before `: ; ! ?` goes.
    fn english_space(&self, rest: &str) -> Option<&'static str> {
        if !self.prev.is_visible() {
            return None;
        }
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some(':'), after) if self.colon_applies(after, chars.next()) => Some(""),
            (Some(';' | '!' | '?'), after) if mark_applies(after) => Some(""),
            _ => None,
        }
    }
}

/// Typesets a short standalone text (a title, a description) as one block.
pub fn typeset(lang: Language, s: &str) -> Cow<'_, str> {
    Typographer::new(lang).text(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeStream, html};

    fn fr(s: &str) -> String {
        typeset(Language::Fr, s).into_owned()
    }

    fn en(s: &str) -> String {
        typeset(Language::En, s).into_owned()
    }

    /// Feeds several text events of one block, as markup would split them.
    fn events(lang: Language, parts: &[&str]) -> Vec<String> {
        let mut t = Typographer::new(lang);
        parts.iter().map(|p| t.text(p).into_owned()).collect()
    }

    /// The wiring the pipeline is expected to use, to check the rules through real Markdown.
    fn markdown(lang: Language, md: &str) -> String {
        let mut t = Typographer::new(lang);
        let mut in_code = false;
        let events = TextMergeStream::new(Parser::new(md)).map(|event| match event {
            Event::Text(text) if !in_code => Event::Text(t.text_event(text)),
            Event::Code(_) | Event::InlineMath(_) | Event::FootnoteReference(_) => {
                t.word();
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                t.line_break();
                event
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                event
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => {
                t.end_block();
                event
            }
            other => other,
        });
        let mut out = String::new();
        html::push_html(&mut out, events);
        out
    }

    fn assert_idempotent(lang: Language, s: &str) {
        let once = typeset(lang, s).into_owned();
        let twice = typeset(lang, &once).into_owned();
        assert_eq!(twice, once, "typesetting {s:?} twice");
        assert!(matches!(typeset(lang, &once), Cow::Borrowed(_)));
    }

    // French spaces before punctuation.

    #[test]
    fn colon_gets_a_no_break_space() {
        assert_eq!(fr("Note : voici"), "Note\u{a0}: voici");
        assert_eq!(fr("Note: voici"), "Note\u{a0}: voici");
        assert_eq!(fr("Note :"), "Note\u{a0}:");
    }

    #[test]
    fn semicolon_bang_question_get_a_narrow_space() {
        assert_eq!(fr("Oui ; non"), "Oui\u{202f}; non");
        assert_eq!(fr("Oui; non"), "Oui\u{202f}; non");
        assert_eq!(fr("Vraiment !"), "Vraiment\u{202f}!");
        assert_eq!(fr("Vraiment!"), "Vraiment\u{202f}!");
        assert_eq!(fr("Pourquoi ?"), "Pourquoi\u{202f}?");
        assert_eq!(fr("Pourquoi?"), "Pourquoi\u{202f}?");
    }

    #[test]
    fn typed_spaces_are_replaced() {
        assert_eq!(fr("Note   : voici"), "Note\u{a0}: voici");
        assert_eq!(fr("Note\u{202f}: voici"), "Note\u{a0}: voici");
        assert_eq!(fr("Quoi\u{a0}?"), "Quoi\u{202f}?");
        assert_eq!(fr("Quoi \t ?"), "Quoi\u{202f}?");
    }

    #[test]
    fn spaces_after_closing_marks() {
        assert_eq!(fr("(vraiment)?"), "(vraiment)\u{202f}?");
        assert_eq!(fr("« Viens »!"), "«\u{202f}Viens\u{202f}»\u{202f}!");
        assert_eq!(fr("15 %?"), "15\u{a0}%\u{202f}?");
    }

    #[test]
    fn nothing_added_at_the_start_of_a_block() {
        assert_eq!(fr("? Non."), "? Non.");
        assert_eq!(fr(": liste"), ": liste");
        assert_eq!(fr(" ? Non."), " ? Non.");
    }

    #[test]
    fn doubled_marks_get_one_space_before_the_first() {
        assert_eq!(fr("Quoi?!"), "Quoi\u{202f}?!");
        assert_eq!(fr("Quoi ?!"), "Quoi\u{202f}?!");
        assert_eq!(fr("Quoi ? !"), "Quoi\u{202f}?!");
        assert_eq!(fr("Non!!"), "Non\u{202f}!!");
        assert_eq!(fr("Hein?!? Bon."), "Hein\u{202f}?!? Bon.");
    }

    #[test]
    fn marks_after_ellipsis_or_dot_are_not_spaced() {
        assert_eq!(fr("Et alors...?"), "Et alors…?");
        assert_eq!(fr("etc.:"), "etc.:");
        assert_eq!(fr("etc. : la suite"), "etc.\u{a0}: la suite");
    }

    // Exceptions.

    #[test]
    fn times_and_ratios_are_left_alone() {
        assert_eq!(
            fr("Arrivé à 15h41, parti à 08:30"),
            "Arrivé à 15h41, parti à 08:30"
        );
        assert_eq!(fr("un écran 3:2"), "un écran 3:2");
    }

    #[test]
    fn urls_are_left_alone() {
        assert_eq!(
            fr("Voir https://exemple.fr/liste?page=2 pour le reste"),
            "Voir https://exemple.fr/liste?page=2 pour le reste"
        );
        assert_eq!(fr("mailto:moi@exemple.fr"), "mailto:moi@exemple.fr");
        assert_eq!(fr("a%20b et 1%20"), "a%20b et 1%20");
    }

    #[test]
    fn paths_are_left_alone() {
        assert_eq!(fr("le module std::fmt"), "le module std::fmt");
        assert_eq!(fr("a?b!c;d"), "a?b!c;d");
    }

    #[test]
    fn a_url_then_a_question_still_gets_its_space() {
        assert_eq!(
            fr("Vous connaissez https://exemple.fr ?"),
            "Vous connaissez https://exemple.fr\u{202f}?"
        );
    }

    // Quotes and apostrophes.

    #[test]
    fn straight_quotes_become_guillemets() {
        assert_eq!(fr("Il a dit \"non\"."), "Il a dit «\u{202f}non\u{202f}».");
        assert_eq!(fr("\"Oui\", dit-il."), "«\u{202f}Oui\u{202f}», dit-il.");
        assert_eq!(fr("\" espacé \""), "«\u{202f}espacé\u{202f}»");
    }

    #[test]
    fn quotes_after_colon_and_with_marks() {
        assert_eq!(
            fr("Il a dit : \"Quoi ?\""),
            "Il a dit\u{a0}: «\u{202f}Quoi\u{202f}?\u{202f}»"
        );
        assert_eq!(fr("(\"entre\")"), "(«\u{202f}entre\u{202f}»)");
    }

    #[test]
    fn nested_quotes_are_english_style_inside() {
        assert_eq!(
            fr("\"Il a dit \"non\" hier\""),
            "«\u{202f}Il a dit “non” hier\u{202f}»"
        );
    }

    #[test]
    fn typed_guillemets_get_their_spaces() {
        assert_eq!(fr("«Bonjour»"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(fr("« Bonjour »"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(fr("«\u{a0}Bonjour\u{a0}»"), "«\u{202f}Bonjour\u{202f}»");
    }

    #[test]
    fn apostrophes_are_curly() {
        assert_eq!(fr("l'ami d'aujourd'hui"), "l’ami d’aujourd’hui");
        assert_eq!(fr("'tis"), "’tis");
        assert_eq!(fr("l'\"objet\""), "l’«\u{202f}objet\u{202f}»");
    }

    // Ellipsis and dashes.

    #[test]
    fn ellipsis_and_dashes() {
        assert_eq!(fr("Et puis... rien"), "Et puis… rien");
        assert_eq!(fr("Fin...."), "Fin….");
        assert_eq!(fr("1914--1918"), "1914–1918");
        assert_eq!(fr("Lui --- enfin --- rien"), "Lui\u{a0}— enfin\u{a0}— rien");
        assert_eq!(fr("a----b a-----b a------b"), "a––b a—–b a——b");
        assert_eq!(fr("porte-monnaie"), "porte-monnaie");
    }

    // Numbers.

    #[test]
    fn units_get_a_no_break_space() {
        assert_eq!(fr("50 €"), "50\u{a0}€");
        assert_eq!(
            fr("50€ et 15% et 3$ ou 2 £"),
            "50\u{a0}€ et 15\u{a0}% et 3\u{a0}$ ou 2\u{a0}£"
        );
        assert_eq!(fr("le € et le $HOME"), "le € et le $HOME");
    }

    #[test]
    fn a_number_stays_with_its_unit_word_and_its_abbreviation() {
        // Issue 25: « 50 euros », « 10 h 15 », « n° 5 », « p. 12 » do not break.
        assert_eq!(fr("50 euros"), "50\u{a0}euros");
        assert_eq!(fr("à 10 h 15 précises"), "à 10\u{a0}h\u{a0}15 précises");
        assert_eq!(fr("au n° 5 et p. 12"), "au n°\u{a0}5 et p.\u{a0}12");
        assert_eq!(fr("chap. 3, art. 6"), "chap.\u{a0}3, art.\u{a0}6");
        assert_eq!(fr("quarante minutes"), "quarante minutes");
        assert_eq!(fr("20 minutes d'attente"), "20\u{a0}minutes d’attente");
        // Not a unit on its own, nor the middle of a word.
        assert_eq!(fr("3 hommes et 2 smartphones"), "3 hommes et 2 smartphones");
        assert_eq!(fr("cap. 12"), "cap. 12");
        assert_eq!(fr("Chloé h 12"), "Chloé h 12");
        for s in ["50 euros", "à 10 h 15", "n° 5", "p. 12"] {
            assert_idempotent(Language::Fr, s);
        }
        // English texts are left alone.
        assert_eq!(en("50 euros"), "50 euros");
    }

    #[test]
    fn a_dialogue_dash_keeps_its_words_and_e_prefixes_do_not_break() {
        // Issue 25: « — Est-ce » does not leave its dash alone at the end of a line.
        assert_eq!(fr("— Est-ce fini ?"), "—\u{a0}Est-ce fini\u{202f}?");
        assert_eq!(fr("--- Oui."), "—\u{a0}Oui.");
        let html = markdown(Language::Fr, "Moi : bonjour\n— Non.");
        assert!(
            html.contains("<br />\n—\u{a0}Non.") || html.contains("\n—\u{a0}Non."),
            "{html:?}"
        );
        // A dash inside a sentence is not a dialogue's: it is an incise's, which does not start
        // a line (issue 25).
        assert_eq!(fr("client — l'action"), "client\u{a0}— l’action");
        // « e-réputation », « E-mail »: a non-breaking hyphen; other hyphens stay.
        assert_eq!(
            fr("l'e-réputation et l'E-mail"),
            "l’e\u{2011}réputation et l’E\u{2011}mail"
        );
        assert_eq!(
            fr("porte-monnaie, une-deux, de-ci"),
            "porte-monnaie, une-deux, de-ci"
        );
        for s in ["— Est-ce fini ?", "l'e-réputation"] {
            assert_idempotent(Language::Fr, s);
        }
        assert_eq!(en("e-mail"), "e-mail");
    }

    #[test]
    fn phone_numbers_in_groups_do_not_break() {
        // Issue 25: « 08 10 12 34 56 » stays on one line.
        assert_eq!(
            fr("Appelez le 08 10 12 34 56."),
            "Appelez le 08\u{a0}10\u{a0}12\u{a0}34\u{a0}56."
        );
        assert_eq!(
            fr("01 23 45 67 89 ou 06 12 34 56 78 !"),
            "01\u{a0}23\u{a0}45\u{a0}67\u{a0}89 ou 06\u{a0}12\u{a0}34\u{a0}56\u{a0}78\u{202f}!"
        );
        // Not a phone number: too few groups, a group of another length, no leading 0.
        assert_eq!(fr("les 10 12 ans"), "les 10 12\u{a0}ans");
        assert_eq!(fr("entre 12 34 56 78 90"), "entre 12 34 56 78 90");
        assert_eq!(fr("01 23 456 78"), "01 23\u{202f}456 78");
        assert_eq!(fr("de 08 à 10 12 14"), "de 08 à 10 12 14");
        for s in ["le 08 10 12 34 56.", "01 23 45 67 89"] {
            assert_idempotent(Language::Fr, s);
        }
        // Never inside code or a URL.
        assert_eq!(
            markdown(
                Language::Fr,
                "`01 23 45 67 89` <https://x.fr/01 23 45 67 89>"
            ),
            "<p><code>01 23 45 67 89</code> &lt;https://x.fr/01 23 45 67 89&gt;</p>\n"
        );
        assert_eq!(en("01 23 45 67 89"), "01 23 45 67 89");
    }

    #[test]
    fn an_incise_dash_does_not_start_a_line() {
        // Issue 25: « client – L'action »: a no-break space before the dash, an ordinary one after.
        assert_eq!(
            fr("le client – l'action suit – enfin"),
            "le client\u{a0}– l’action suit\u{a0}– enfin"
        );
        assert_eq!(fr("le client -- l'action"), "le client\u{a0}– l’action");
        assert_eq!(fr("le client --- l'action"), "le client\u{a0}— l’action");
        // Not an incise: a range, a hyphen, a dash glued to a word.
        assert_eq!(
            fr("1914–1918, porte - monnaie"),
            "1914–1918, porte - monnaie"
        );
        assert_eq!(fr("mot –suite"), "mot –suite");
        for s in ["le client – l'action", "a -- b --- c"] {
            assert_idempotent(Language::Fr, s);
        }
        assert_eq!(
            markdown(Language::Fr, "`a – b` et [x -- y](<https://x.fr/a -- b>)"),
            "<p><code>a – b</code> et <a href=\"https://x.fr/a%20--%20b\">x\u{a0}– y</a></p>\n"
        );
        assert_eq!(en("client – action"), "client – action");
    }

    #[test]
    fn thousands_are_grouped_with_narrow_spaces() {
        assert_eq!(fr("1 000 000 clients"), "1\u{202f}000\u{202f}000 clients");
        assert_eq!(fr("12 500 € par an"), "12\u{202f}500\u{a0}€ par an");
        assert_eq!(fr("3\u{a0}000,50"), "3\u{202f}000,50");
    }

    #[test]
    fn numbers_that_are_not_groups_are_left_alone() {
        assert_eq!(fr("en 2023 123 plaintes"), "en 2023 123 plaintes");
        // (Phone numbers, in groups of two, are joined: see `phone_numbers_in_groups_do_not_break`.)
        assert_eq!(fr("12 34"), "12 34");
        assert_eq!(fr("1 0000"), "1 0000");
        assert_eq!(fr("le 14 juillet"), "le 14 juillet");
    }

    // Across events.

    #[test]
    fn quotes_split_across_events() {
        assert_eq!(
            events(Language::Fr, &["\"a ", "b", " c\""]),
            ["«\u{202f}a ", "b", " c\u{202f}»"]
        );
        assert_eq!(
            events(Language::Fr, &["\"", "b", "\""]),
            ["«\u{202f}", "b", "\u{202f}»"]
        );
    }

    #[test]
    fn a_mark_starting_an_event_gets_its_space() {
        assert_eq!(events(Language::Fr, &["gras", "?"]), ["gras", "\u{202f}?"]);
        assert_eq!(
            events(Language::Fr, &["mot", " : suite"]),
            ["mot", "\u{a0}: suite"]
        );
    }

    #[test]
    fn a_space_ending_an_event_is_not_doubled() {
        assert_eq!(
            events(Language::Fr, &["mot ", ": suite"]),
            ["mot ", ": suite"]
        );
    }

    #[test]
    fn atoms_and_breaks_between_events() {
        let mut t = Typographer::new(Language::Fr);
        assert_eq!(t.text("Voir "), "Voir ");
        t.word();
        assert_eq!(t.text("?"), "\u{202f}?");
        t.line_break();
        assert_eq!(t.text("? non"), "? non");
    }

    #[test]
    fn text_events_keep_their_cow_when_unchanged() {
        let mut t = Typographer::new(Language::Fr);
        assert!(matches!(
            t.text_event(CowStr::Borrowed("rien")),
            CowStr::Borrowed("rien")
        ));
        assert_eq!(&*t.text_event(CowStr::Borrowed(" ?")), "\u{202f}?");
    }

    #[test]
    fn blocks_reset_the_context() {
        let mut t = Typographer::new(Language::Fr);
        assert_eq!(t.text("\"ouvert"), "«\u{202f}ouvert");
        t.end_block();
        assert_eq!(t.text("? et \"nouveau\""), "? et «\u{202f}nouveau\u{202f}»");
    }

    #[test]
    fn through_markdown() {
        assert_eq!(
            markdown(
                Language::Fr,
                "\"a *b* c\" et *mot* : **gras**? `a:b` ? [lien](https://x.fr?p=1) !"
            ),
            "<p>«\u{202f}a <em>b</em> c\u{202f}» et <em>mot</em>\u{a0}: <strong>gras</strong>\u{202f}? \
             <code>a:b</code>\u{202f}? <a href=\"https://x.fr?p=1\">lien</a>\u{202f}!</p>\n"
        );
        assert_eq!(
            markdown(
                Language::Fr,
                "Texte [crochet] ?\n\n```\nlet x = \"a\" ?\n```\n"
            ),
            "<p>Texte [crochet]\u{202f}?</p>\n<pre><code>let x = \"a\" ?\n</code></pre>\n"
        );
    }

    // Performance contract.

    #[test]
    fn untouched_text_is_borrowed() {
        for s in [
            "Bonjour le monde",
            "Déjà vu, à l’œil",
            "«\u{202f}ok\u{202f}»",
            "a?b",
        ] {
            assert!(
                matches!(typeset(Language::Fr, s), Cow::Borrowed(_)),
                "{s:?}"
            );
        }
        assert!(matches!(
            typeset(Language::En, "It’s 1 000 €"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn typesetting_is_idempotent() {
        for s in [
            "Note : voici ; alors ! Pourquoi ? « Bien » dit-il",
            "\"Quoi ?!\" l'ami... 1914--1918 --- 1 000 000 € et 15 %",
            "Il a dit : \"Quoi ?\"",
            "std::fmt 08:30 https://exemple.fr?page=2",
        ] {
            assert_idempotent(Language::Fr, s);
        }
        for s in ["He said \"hi\" -- it's 'fine' ... What ?!", "Note : yes"] {
            assert_idempotent(Language::En, s);
        }
    }

    #[test]
    fn typesetting_is_idempotent_on_odd_mixtures() {
        // Everything the rules look at, shuffled (xorshift, so the run is repeatable).
        let pieces = [
            "a",
            "é",
            "1",
            "0",
            " ",
            "\u{a0}",
            "\u{202f}",
            ":",
            ";",
            "!",
            "?",
            "«",
            "»",
            "\"",
            "'",
            ".",
            "...",
            "-",
            "--",
            "€",
            "%",
            "$",
            "(",
            ")",
            "’",
            "08:30",
            "1 000",
            "https://a.fr?p=2",
        ];
        let mut seed: u32 = 0x9e37_79b9;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for _ in 0..5_000 {
            let s: String = (0..1 + next() % 10)
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            for lang in [Language::Fr, Language::En] {
                let once = typeset(lang, &s).into_owned();
                assert_eq!(typeset(lang, &once), once, "{lang:?} {s:?}");
            }
        }
    }

    // English.

    #[test]
    fn english_quotes() {
        assert_eq!(en("He said \"hi\"."), "He said “hi”.");
        assert_eq!(en("a 'quoted' word"), "a ‘quoted’ word");
        assert_eq!(en("It's the '90s"), "It’s the ’90s");
    }

    #[test]
    fn english_removes_spaces_before_marks() {
        assert_eq!(en("Note : yes ; no ! Why ?"), "Note: yes; no! Why?");
        assert_eq!(en("What ? !"), "What?!");
        assert_eq!(en("Why\u{202f}?"), "Why?");
        assert_eq!(en("? Start"), "? Start");
    }

    #[test]
    fn english_leaves_french_spacing_rules_out() {
        assert_eq!(en("Why? 50€ 1 000 «x»"), "Why? 50€ 1 000 «x»");
        assert_eq!(en("Wait... 1914--1918 --- done"), "Wait… 1914–1918 — done");
        assert_eq!(
            en("at 08:30, see https://x.org?a=1"),
            "at 08:30, see https://x.org?a=1"
        );
    }
}
