//! Sections: every folder under `content/` with published posts, and every `_index.md`, even
//! of a folder without any (its page then says so).

use std::collections::BTreeMap;

use super::model::{Section, SitePost};
use crate::content::{SectionMeta, section_title};
use crate::layout::{AUTHORS_FOLDER, SERIES_FOLDER};
use crate::markdown;
use crate::slug::slugify;

/// The sections in title order (then name), each at `<base><slug of its folder>/` with its
/// published posts (indexes into `posts`, in site order). A folder without `_index.md` is titled
/// after its name ([`section_title`]); the authors' and series' folders are not sections.
pub fn assemble(
    metas: Vec<SectionMeta>,
    posts: &[SitePost],
    base: &str,
    options: &markdown::Options,
) -> Vec<Section> {
    let mut metas: BTreeMap<String, SectionMeta> = metas
        .into_iter()
        .filter(|s| !s.name.is_empty() && s.name != AUTHORS_FOLDER && s.name != SERIES_FOLDER)
        .map(|s| (s.name.clone(), s))
        .collect();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in posts.iter().enumerate() {
        if let Some(s) = &p.post.section {
            members.entry(s.clone()).or_default().push(i);
        }
    }
    for name in members.keys() {
        metas.entry(name.clone()).or_insert_with(|| SectionMeta {
            name: name.clone(),
            title: section_title(name),
            description: String::new(),
        });
    }
    let mut sections: Vec<Section> = metas
        .into_values()
        .map(|m| Section {
            url: format!("{base}{}/", slugify(&m.name)),
            posts: members.remove(&m.name).unwrap_or_default(),
            name: m.name,
            title: markdown::typeset(options, &m.title),
            description: markdown::typeset(options, &m.description),
        })
        .collect();
    sections.sort_by(|a, b| a.title.cmp(&b.title).then(a.name.cmp(&b.name)));
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::markdown_options;
    use crate::site::testing::{config, post, site_post};

    fn meta(name: &str, title: &str) -> SectionMeta {
        SectionMeta {
            name: name.into(),
            title: title.into(),
            description: "Ce qu'on dit : peu.".into(),
        }
    }

    #[test]
    fn folders_with_posts_and_index_files_make_sections_in_title_order() {
        let posts = vec![
            site_post(post("breves/c.md", "date: 2022-01-01"), "/breves/c/"),
            site_post(post("racine.md", "date: 2021-06-01"), "/racine/"),
            site_post(
                post("Contes Noirs/b.md", "date: 2021-01-01"),
                "/contes-noirs/b/",
            ),
            site_post(post("breves/a.md", "date: 2020-01-01"), "/breves/a/"),
        ];
        let metas = vec![
            meta("breves", "Les brèves"),
            meta("vide", "Bientôt"),
            meta("authors", "Auteurs"),
            meta("series", "Séries"),
        ];
        let options = markdown_options(&config(""));
        let sections = assemble(metas, &posts, "/b/", &options);
        let got: Vec<(&str, &str, &str, Vec<usize>)> = sections
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.title.as_str(),
                    s.url.as_str(),
                    s.posts.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("vide", "Bientôt", "/b/vide/", vec![]),
                ("Contes Noirs", "Contes Noirs", "/b/contes-noirs/", vec![2]),
                ("breves", "Les brèves", "/b/breves/", vec![0, 3]),
            ]
        );
        // Set in French typography: a no-break space before the colon.
        assert_eq!(sections[2].description, "Ce qu’on dit\u{a0}: peu.");
    }

    #[test]
    fn a_folder_without_index_is_titled_after_its_name() {
        let posts = vec![
            site_post(post("breves/a.md", "date: 2020-01-01"), "/breves/a/"),
            site_post(post("humeurs/b.md", "date: 2020-01-01"), "/humeurs/b/"),
        ];
        let options = markdown_options(&config(""));
        let sections = assemble(Vec::new(), &posts, "/", &options);
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        // A column's own folder keeps its accents; another is capitalised.
        assert_eq!(titles, ["Brèves", "Humeurs"]);
        assert_eq!(sections[0].description, "");
    }
}
