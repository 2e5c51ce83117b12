//! The site's language: the one setting every layer needs (typography and slugs in Markdown,
//! interface strings and dates in rendering), so it sits at the bottom of the ladder.

use serde::Deserialize;

/// The site's language: it picks the interface strings, date format and typography rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}
