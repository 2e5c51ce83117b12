//! Interface strings of the theme, in the site's language.
//!
//! Templates never hard-code French: they print `{{ t.read_more }}`, and this table gives the
//! words. French is the column's first language, English its second.

use std::collections::BTreeMap;

use crate::config::{Config, Language};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;

const FR: &[(&str, &str)] = &[
    ("home", "Accueil"),
    ("sections", "Rubriques"),
    ("skip_to_content", "Aller au contenu"),
    ("main_nav", "Navigation principale"),
    ("footer_nav", "Liens du pied de page"),
    ("published_on", "Publié le"),
    ("scheduled_for", "Programmé pour le"),
    ("status_draft", "Brouillon, pas encore publié"),
    ("updated_on", "Mis à jour le"),
    ("by", "Par"),
    ("and", "et"),
    ("read_more", "Lire la suite"),
    ("newer_posts", "Billets plus récents"),
    ("older_posts", "Billets plus anciens"),
    ("page_n", "Page"),
    ("of", "sur"),
    ("pagination", "Pagination"),
    ("image_credit", "Crédit"),
    ("irritants", "Thèmes d’irritants"),
    ("tags", "Étiquettes"),
    ("no_posts", "Aucun billet pour l’instant."),
    ("not_found_title", "Page introuvable"),
    (
        "not_found_text",
        "Cette page n’existe pas, ou plus. Elle a peut-être changé d’adresse.",
    ),
    ("back_home", "Retour à l’accueil"),
    ("kind_breve", "Brève"),
    ("kind_conte", "Conte"),
    ("kind_irritant", "Décryptage d’irritant"),
    ("kind_article", "Article"),
    ("kind_page", "Page"),
    ("all_posts", "Tous les billets"),
    ("footer_generator", "Site généré par"),
    ("preview", "Aperçu : ce billet n’est pas publié"),
    ("authors", "Auteurs"),
    ("about_author", "À propos de l’auteur"),
    ("about_authors", "À propos des auteurs"),
    ("posts_by", "Billets de"),
    ("posts_count", "billets"),
    ("post_count_one", "billet"),
    ("series", "Séries"),
    ("series_parts", "Les parties"),
    ("series_part", "Partie"),
    ("series_previous", "Partie précédente"),
    ("series_next", "Partie suivante"),
    ("series_upcoming", "À suivre"),
    ("series_read", "Lire la série"),
    ("announced", "annoncée"),
    ("parts", "parties"),
    ("part_one", "partie"),
    ("published_parts", "publiées"),
    ("published_part_one", "publiée"),
    ("related", "Pour en savoir plus"),
    ("toc", "Sommaire"),
    ("reading_time", "min de lecture"),
    ("words", "mots"),
    ("feed", "Flux Atom"),
    ("feeds", "Flux"),
    ("subscribe", "S’abonner"),
    ("search", "Recherche"),
    ("search_label", "Rechercher dans la chronique"),
    ("search_button", "Rechercher"),
    (
        "search_needs_js",
        "La recherche fonctionne dans votre navigateur et demande JavaScript ; tout le reste du site se lit sans.",
    ),
    (
        "search_no_result",
        "Aucun billet ne correspond à votre recherche.",
    ),
    ("search_results", "résultats"),
    ("terms_index", "Tous les thèmes"),
    ("context", "Le contexte"),
    ("journey", "Le parcours"),
    ("step", "Étape"),
    ("findings", "Ce que révèle le parcours"),
    ("basics", "Les promesses de base non tenues"),
    ("remedies", "Réparer, éviter, bien faire"),
    ("efforts", "Efforts du client"),
    ("heading_anchor", "Lien vers cette partie"),
    ("archived_comments", "Commentaires archivés"),
    (
        "archived_comments_note",
        "Publiés sur l’ancien site de la chronique ; conservés en lecture seule.",
    ),
    ("video_play", "Lire la vidéo"),
    ("video_watch_on", "Voir la vidéo sur"),
    ("video_duration", "Durée"),
    (
        "video_privacy",
        "Rien n’est chargé depuis le site de la vidéo avant que vous la lanciez.",
    ),
    ("encadre_bon_reflexe", "Le bon réflexe"),
    ("encadre_a_retenir", "À retenir"),
    ("encadre_attention", "Attention"),
    ("toot_original", "Voir la publication d’origine"),
];

const EN: &[(&str, &str)] = &[
    ("home", "Home"),
    ("sections", "Sections"),
    ("skip_to_content", "Skip to content"),
    ("main_nav", "Main navigation"),
    ("footer_nav", "Footer links"),
    ("published_on", "Published on"),
    ("scheduled_for", "Scheduled for"),
    ("status_draft", "Draft, not published yet"),
    ("updated_on", "Updated on"),
    ("by", "By"),
    ("and", "and"),
    ("read_more", "Read more"),
    ("newer_posts", "Newer posts"),
    ("older_posts", "Older posts"),
    ("page_n", "Page"),
    ("of", "of"),
    ("pagination", "Pagination"),
    ("image_credit", "Credit"),
    ("irritants", "Irritant themes"),
    ("tags", "Tags"),
    ("no_posts", "No posts yet."),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "This page does not exist, or no longer does. It may have moved.",
    ),
    ("back_home", "Back to the home page"),
    ("kind_breve", "Short"),
    ("kind_conte", "Tale"),
    ("kind_irritant", "Irritant breakdown"),
    ("kind_article", "Article"),
    ("kind_page", "Page"),
    ("all_posts", "All posts"),
    ("footer_generator", "Site generated by"),
    ("preview", "Preview: this post is not published"),
    ("authors", "Authors"),
    ("about_author", "About the author"),
    ("about_authors", "About the authors"),
    ("posts_by", "Posts by"),
    ("posts_count", "posts"),
    ("post_count_one", "post"),
    ("series", "Series"),
    ("series_parts", "The parts"),
    ("series_part", "Part"),
    ("series_previous", "Previous part"),
    ("series_next", "Next part"),
    ("series_upcoming", "Coming next"),
    ("series_read", "Read the series"),
    ("announced", "announced"),
    ("parts", "parts"),
    ("part_one", "part"),
    ("published_parts", "published"),
    ("published_part_one", "published"),
    ("related", "Further reading"),
    ("toc", "Contents"),
    ("reading_time", "min read"),
    ("words", "words"),
    ("feed", "Atom feed"),
    ("feeds", "Feeds"),
    ("subscribe", "Subscribe"),
    ("search", "Search"),
    ("search_label", "Search the column"),
    ("search_button", "Search"),
    (
        "search_needs_js",
        "Search runs in your browser and needs JavaScript; the rest of the site reads without it.",
    ),
    ("search_no_result", "No post matches your search."),
    ("search_results", "results"),
    ("terms_index", "All themes"),
    ("context", "The context"),
    ("journey", "The journey"),
    ("step", "Step"),
    ("findings", "What the journey reveals"),
    ("basics", "Basic promises broken"),
    ("remedies", "Repair, avoid, do well"),
    ("efforts", "Customer efforts"),
    ("heading_anchor", "Link to this part"),
    ("archived_comments", "Archived comments"),
    (
        "archived_comments_note",
        "Published on the column’s former site; kept read-only.",
    ),
    ("video_play", "Play the video"),
    ("video_watch_on", "Watch the video on"),
    ("video_duration", "Length"),
    (
        "video_privacy",
        "Nothing loads from the video’s site until you start it.",
    ),
    ("encadre_bon_reflexe", "The right reflex"),
    ("encadre_a_retenir", "Remember"),
    ("encadre_attention", "Watch out"),
    ("toot_original", "See the original post"),
];

/// The interface strings of a language, by key.
pub fn strings(config: &Config) -> BTreeMap<&str, String> {
    let mut table: BTreeMap<&str, String> = builtin(config.language)
        .iter()
        .map(|&(k, v)| (k, typeset(config.language, v)))
        .collect();
    for o in &config.strings {
        table.insert(o.key.as_str(), o.text.clone());
    }
    table
}

fn builtin(language: Language) -> &'static [(&'static str, &'static str)] {
    match language {
        Language::Fr => FR,
        Language::En => EN,
    }
}

/// A built-in string in the site's typography (no-break spaces before `:` in French…).
fn typeset(language: Language, s: &str) -> String {
    crate::markdown::typography::typeset(language, s).into_owned()
}

/// An override in `i18n.toml` for a string the theme does not have is an error (a misspelt key
/// would otherwise be silently ignored).
pub fn check_overrides(config: &Config) -> Vec<Diagnostic> {
    let known: Vec<&str> = builtin(config.language).iter().map(|&(k, _)| k).collect();
    config
        .strings
        .iter()
        .filter(|o| !known.contains(&o.key.as_str()))
        .map(|o| {
            let mut d = Diagnostic::error(
                Some(o.location.clone()),
                format!("unknown interface string `{}`", o.key),
            );
            d.source_line = Some(o.line.clone());
            match crate::diagnostics::did_you_mean(&o.key, known.iter().copied()) {
                Some(hint) => d.with_note(format!("did you mean `{hint}`?")),
                None => d.with_note(format!("known strings: {}", known.join(", "))),
            }
        })
        .collect()
}

/// A string of the table by its key: the site's override, else the built-in one in the site's
/// typography (the same as [`strings`] gives templates).
fn string(config: &Config, key: &str) -> String {
    if let Some(o) = config.strings.iter().find(|o| o.key == key) {
        return o.text.clone();
    }
    builtin(config.language)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key.to_string(), |(_, v)| typeset(config.language, v))
}

/// The label of a kind of post, in the site's language, or as the site overrides it.
pub fn kind_label(config: &Config, kind: Kind) -> String {
    string(
        config,
        match kind {
            Kind::Breve => "kind_breve",
            Kind::Conte => "kind_conte",
            Kind::Irritant => "kind_irritant",
            Kind::Article => "kind_article",
        },
    )
}

/// The label of a page (`content/a-propos.md`) where posts show their genre: the search results.
pub fn page_label(config: &Config) -> String {
    string(config, "kind_page")
}

/// The display name of a taxonomy: the table's string of the same key (`irritants`, `tags`,
/// `efforts`), so that a site overriding it in `i18n.toml` gets the same heading everywhere.
pub fn taxonomy_title(config: &Config, kind: crate::site::TaxonomyKind) -> String {
    use crate::site::TaxonomyKind as T;
    string(
        config,
        match kind {
            T::Irritants => "irritants",
            T::Tags => "tags",
            T::Efforts => "efforts",
        },
    )
}

/// « Thèmes d’irritants\u{a0}: Service client »: a term with its taxonomy's title, in the site's
/// typography (the term page's description).
pub fn term_description(config: &Config, kind: crate::site::TaxonomyKind, term: &str) -> String {
    let text = format!("{} : {term}", taxonomy_title(config, kind));
    typeset(config.language, &text)
}

/// "à paraître le 24 décembre 2036"
pub fn to_be_published(language: Language, date: &str) -> String {
    match language {
        Language::Fr => format!("à paraître le {date}"),
        Language::En => format!("to be published on {date}"),
    }
}

/// « annoncée pour le 24 décembre 2019 »: a part announced for a date now past.
pub fn announced_for(language: Language, date: &str) -> String {
    match language {
        Language::Fr => format!("annoncée pour le {date}"),
        Language::En => format!("announced for {date}"),
    }
}

/// "Partie 2 sur 3"
pub fn part_of(language: Language, part: u32, total: u32) -> String {
    match language {
        Language::Fr => format!("Partie {part} sur {total}"),
        Language::En => format!("Part {part} of {total}"),
    }
}

/// "partie 2/3"
pub fn part_short(language: Language, part: u32, total: u32) -> String {
    match language {
        Language::Fr => format!("partie {part}/{total}"),
        Language::En => format!("part {part}/{total}"),
    }
}

/// The label of one finding of a breakdown.
pub fn finding_label(language: Language, kind: &str) -> &'static str {
    match (language, kind) {
        (Language::Fr, "problem") => "Problème",
        (Language::Fr, "effort") => "Effort",
        (Language::Fr, "frustration") => "Frustration",
        (Language::En, "problem") => "Problem",
        (Language::En, "effort") => "Effort",
        (Language::En, "frustration") => "Frustration",
        _ => "",
    }
}

/// The heading of a group of findings.
pub fn finding_group(language: Language, kind: &str) -> &'static str {
    match (language, kind) {
        (Language::Fr, "problem") => "Les problèmes",
        (Language::Fr, "effort") => "Les efforts du client",
        (Language::Fr, "frustration") => "Les frustrations",
        (Language::En, "problem") => "Problems",
        (Language::En, "effort") => "Customer efforts",
        (Language::En, "frustration") => "Frustrations",
        _ => "",
    }
}

/// "Étape 2", "Étapes 1 à 4", "Étapes 1, 3 et 4" (English: "Step 2", "Steps 1 to 4"…).
pub fn steps_label(language: Language, steps: &[u32]) -> String {
    let mut steps = steps.to_vec();
    steps.sort_unstable();
    steps.dedup();
    let (one, many, to, and) = match language {
        Language::Fr => ("Étape", "Étapes", "à", "et"),
        Language::En => ("Step", "Steps", "to", "and"),
    };
    match steps.as_slice() {
        [] => String::new(),
        [n] => format!("{one} {n}"),
        [first, .., last] if (last - first) as usize + 1 == steps.len() && steps.len() > 2 => {
            format!("{many} {first} {to} {last}")
        }
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(u32::to_string).collect();
            format!("{many} {} {and} {last}", init.join(", "))
        }
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in words: `17 décembre 2019`, `1er mars 2020`, `December 17, 2019`.
pub fn date_in_words(language: Language, day: jiff::civil::Date) -> String {
    let month = (day.month() as usize).clamp(1, 12) - 1;
    match language {
        Language::Fr => {
            let d = if day.day() == 1 {
                "1er".to_string()
            } else {
                day.day().to_string()
            };
            format!("{d}\u{a0}{} {}", MONTHS_FR[month], day.year())
        }
        Language::En => format!("{} {}, {}", MONTHS_EN[month], day.day(), day.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn french_dates() {
        assert_eq!(
            date_in_words(Language::Fr, date(2019, 12, 17)),
            "17\u{a0}décembre 2019"
        );
        assert_eq!(
            date_in_words(Language::Fr, date(2020, 3, 1)),
            "1er\u{a0}mars 2020"
        );
        assert_eq!(
            date_in_words(Language::En, date(2019, 12, 17)),
            "December 17, 2019"
        );
    }

    #[test]
    fn step_ranges_in_french() {
        assert_eq!(steps_label(Language::Fr, &[2]), "Étape 2");
        assert_eq!(steps_label(Language::Fr, &[1, 2, 3, 4]), "Étapes 1 à 4");
        assert_eq!(steps_label(Language::Fr, &[1, 3, 4]), "Étapes 1, 3 et 4");
        assert_eq!(steps_label(Language::Fr, &[4, 1]), "Étapes 1 et 4");
        assert_eq!(steps_label(Language::Fr, &[1, 2]), "Étapes 1 et 2");
        assert_eq!(steps_label(Language::En, &[2, 3, 4]), "Steps 2 to 4");
    }

    #[test]
    fn step_ranges_are_sorted_and_counted_once() {
        assert_eq!(steps_label(Language::Fr, &[3, 1, 2]), "Étapes 1 à 3");
        assert_eq!(steps_label(Language::Fr, &[2, 2]), "Étape 2");
        assert_eq!(steps_label(Language::Fr, &[4, 2, 4, 3]), "Étapes 2 à 4");
        assert_eq!(steps_label(Language::Fr, &[2, 3]), "Étapes 2 et 3");
        assert_eq!(
            steps_label(Language::Fr, &[1, 2, 3, 5]),
            "Étapes 1, 2, 3 et 5"
        );
        assert_eq!(steps_label(Language::Fr, &[]), "");
        assert_eq!(steps_label(Language::En, &[1, 3, 4]), "Steps 1, 3 and 4");
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let keys = |l| {
            let mut k: Vec<&str> = builtin(l).iter().map(|&(k, _)| k).collect();
            k.sort_unstable();
            k
        };
        assert_eq!(keys(Language::Fr), keys(Language::En));
    }
}
