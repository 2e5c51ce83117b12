//! A series file, `content/series/<slug>.md`: the title of a tale in several parts, how many
//! parts it will have, and the parts announced but not yet published.

use serde::Deserialize;

use super::date::PostDate;
use crate::diagnostics::Diagnostic;
use crate::front_matter::{self, Split};
use crate::language::Language;
use crate::slug::slugify;
use crate::source::SourceFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    title: String,
    parts: Option<u32>,
    planned: Option<Vec<RawPlanned>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanned {
    part: serde_saphyr::Spanned<u32>,
    date: serde_saphyr::Spanned<String>,
    title: String,
    #[serde(default)]
    outline: Vec<String>,
}

/// A part announced with its date, title and outline.
#[derive(Debug, Clone)]
pub struct PlannedPart {
    pub part: u32,
    /// Where its part number is written, for messages about the number.
    pub part_location: crate::diagnostics::Location,
    /// Where its date is written, for messages about the date.
    pub location: crate::diagnostics::Location,
    pub date: PostDate,
    pub title: String,
    pub outline: Vec<String>,
}

/// What a series file says.
#[derive(Debug, Clone)]
pub struct SeriesFile {
    /// `content/series/<slug>.md`, for messages.
    pub path: std::path::PathBuf,
    pub slug: String,
    pub title: String,
    pub parts: Option<u32>,
    pub planned: Vec<PlannedPart>,
    /// The description, Markdown.
    pub body: String,
    /// The whole file, to quote its lines in messages.
    pub text: String,
}

impl SeriesFile {
    pub fn parse(
        file: &SourceFile,
        split: &Split<'_>,
        language: Language,
    ) -> Result<SeriesFile, Diagnostic> {
        let raw: RawSeries = front_matter::parse_yaml(split, &file.text, &file.path, language)?;
        let mut planned = Vec::new();
        for p in raw.planned.unwrap_or_default() {
            let location = front_matter::spanned_location(&p.date.referenced, split, &file.path);
            let date = PostDate::parse(&p.date.value).map_err(|m| {
                Diagnostic::error(Some(location.clone()), m).with_source(&file.text)
            })?;
            planned.push(PlannedPart {
                part: p.part.value,
                part_location: front_matter::spanned_location(
                    &p.part.referenced,
                    split,
                    &file.path,
                ),
                location,
                date,
                title: p.title,
                outline: p.outline,
            });
        }
        let stem = file
            .rel
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(SeriesFile {
            path: file.path.clone(),
            slug: slugify(&stem),
            title: raw.title,
            parts: raw.parts,
            planned,
            body: split.body.to_string(),
            text: file.text.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_keys_are_the_fields_of_raw_series() {
        assert_eq!(
            crate::config::field_names::<RawSeries>(),
            ["title", "parts", "planned"]
        );
    }
}
