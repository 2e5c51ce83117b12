//! The text of the files `chronique new` writes, in the site's language: the writer reads the
//! comments beside the keys (what each key is for) and replaces the examples, so both are in
//! the column's language; the keys themselves, and the kinds of findings, are the same in every
//! language. One [`Words`] per language: a comment added for one and forgotten in the other
//! does not compile.

use crate::config::Language;
use crate::content::Kind;

/// The comments and examples of new files, in one language.
struct Words {
    date: &'static str,
    draft: &'static str,
    authors: &'static str,
    series: &'static str,
    irritants: &'static str,
    irritant: &'static str,
    tag: &'static str,
    summary: &'static str,
    image_src: &'static str,
    image_alt: &'static str,
    image_credit: &'static str,
    slug: &'static str,
    slug_example: &'static str,
    updated: &'static str,
    aliases: &'static str,
    alias: &'static str,
    body: &'static str,
    // A breakdown's skeleton.
    context: &'static str,
    steps: &'static str,
    step1: &'static str,
    step2: &'static str,
    findings: &'static str,
    problem: &'static str,
    problem_detail: &'static str,
    effort: &'static str,
    one_of: &'static str,
    frustration: &'static str,
    basics: &'static str,
    basic: &'static str,
    irritant_body: &'static str,
    // An author's file.
    role: &'static str,
    under_static: &'static str,
    bio: &'static str,
    // A series file.
    parts: &'static str,
    planned: &'static str,
    part_title: &'static str,
    outline: &'static str,
}

const FR: Words = Words {
    date: "une date à venir programme le billet",
    draft: "supprimez cette ligne pour publier",
    authors: "identifiants des fichiers de content/authors/",
    series: "un conte en plusieurs parties : content/series/<slug>.md",
    irritants: "les irritants dont parle le billet",
    irritant: "Attente",
    tag: "télécoms",
    summary: "Une ou deux phrases pour les listes et les flux (Markdown).",
    image_src: "à côté de ce fichier, ou /img/x.jpg sous static/",
    image_alt: "Ce que montre l'image",
    image_credit: "Photographe",
    slug: "au lieu du nom du fichier",
    slug_example: "autre-adresse",
    updated: "la date de la dernière révision",
    aliases: "anciennes adresses qui redirigent ici",
    alias: "/ancienne/adresse/",
    body: "Le texte commence ici.\n\n<!-- more -->\n\nLa suite.\n",
    context: "Où, quand, qui : la situation du client avant le parcours.",
    steps: "le parcours du client, numéroté à partir de 1",
    step1: "Première étape du parcours.",
    step2: "Deuxième étape.",
    findings: "problem, effort ou frustration, aux étapes concernées :",
    problem: "Ce qui n'a pas marché",
    problem_detail: "Comment ça n'a pas marché",
    effort: "Ce que le client a dû faire",
    one_of: "l'un de :",
    frustration: "Ce que le client a ressenti",
    basics: "les promesses de base non tenues",
    basic: "Faire ce que l'on a promis.",
    irritant_body: "Ce qui aurait dû se passer, comment réparer, comment éviter l'irritant.\n",
    role: "Chroniqueuse",
    under_static: "sous static/",
    bio: "Quelques lignes de présentation.",
    parts: "le nombre de parties prévues",
    planned: "les parties annoncées avant d'être écrites",
    part_title: "Titre de la partie 2",
    outline: "Ce qui s'y passe.",
};

const EN: Words = Words {
    date: "a later date schedules the post",
    draft: "remove this line to publish",
    authors: "slugs of files in content/authors/",
    series: "a tale in several parts: content/series/<slug>.md",
    irritants: "the pain points it is about",
    irritant: "Waiting",
    tag: "telecoms",
    summary: "One or two sentences for lists and feeds (Markdown).",
    image_src: "next to this file, or /img/x.jpg under static/",
    image_alt: "What the image shows",
    image_credit: "Photographer",
    slug: "instead of the file name",
    slug_example: "other-address",
    updated: "the date of the last revision",
    aliases: "old addresses that redirect here",
    alias: "/old/address/",
    body: "The text starts here.\n\n<!-- more -->\n\nThe rest.\n",
    context: "Where, when, who: the customer's situation before the journey.",
    steps: "the customer's journey, numbered from 1",
    step1: "First step of the journey.",
    step2: "Second step.",
    findings: "problem, effort or frustration, at the steps they concern:",
    problem: "What went wrong",
    problem_detail: "How it went wrong",
    effort: "What the customer had to do",
    one_of: "one of:",
    frustration: "How it felt",
    basics: "the basic promises broken",
    basic: "Do what was promised.",
    irritant_body: "What should have happened, how to repair, how to avoid it.\n",
    role: "Columnist",
    under_static: "under static/",
    bio: "A few lines about the author.",
    parts: "how many parts it will have",
    planned: "parts announced before they are written",
    part_title: "Title of part 2",
    outline: "What happens in it.",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Fr => &FR,
        Language::En => &EN,
    }
}

/// A line of YAML with its comment, the comments of a file aligned in one column.
fn commented(code: &str, comment: &str) -> String {
    format!("{code:<26}# {comment}\n")
}

/// A string as a double-quoted YAML scalar.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a new post's file is made from.
pub(super) struct PostTemplate<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub date: &'a str,
    pub author: Option<&'a str>,
    pub part: Option<(&'a str, u32)>,
    pub efforts: &'a [&'a str],
    pub language: Language,
}

/// The text of a new post: every key it needs, the optional ones as comments, a breakdown's
/// skeleton for an irritant, and a body to replace.
pub(super) fn post_text(t: &PostTemplate<'_>) -> String {
    let w = words(t.language);
    let mut s = String::from("---\n");
    s.push_str(&format!("title: {}\n", quoted(t.title)));
    s.push_str(&commented(&format!("date: {}", t.date), w.date));
    s.push_str(&format!("kind: {}\n", t.kind.name()));
    s.push_str(&commented("draft: true", w.draft));
    match t.author {
        Some(a) => s.push_str(&format!("authors:\n  - {a}\n")),
        None => s.push_str(&(commented("# authors:", w.authors) + "#   - prenom-nom\n")),
    }
    match t.part {
        Some((series, n)) => s.push_str(&format!("series: {series}\npart: {n}\n")),
        None if t.kind == Kind::Conte => {
            s.push_str(&(commented("# series: conte-de-noel", w.series) + "# part: 1\n"));
        }
        None => {}
    }
    s.push_str(&optional_keys(w));
    if t.kind == Kind::Irritant {
        s.push_str(&breakdown_skeleton(t.efforts, w));
    }
    s.push_str("---\n");
    s.push_str(match t.kind {
        Kind::Irritant => w.irritant_body,
        _ => w.body,
    });
    s
}

/// The keys every post may have, as comments to uncomment.
fn optional_keys(w: &Words) -> String {
    [
        commented("# irritants:", w.irritants),
        format!("#   - {}\n", quoted(w.irritant)),
        format!("# tags:\n#   - {}\n", quoted(w.tag)),
        format!("# summary: {}\n", quoted(w.summary)),
        "# image:\n".to_string(),
        commented("#   src: photo.jpg", w.image_src),
        format!("#   alt: {}\n", quoted(w.image_alt)),
        format!("#   credit: {}\n", quoted(w.image_credit)),
        commented(&format!("# slug: {}", w.slug_example), w.slug),
        commented("# updated: 2026-01-31", w.updated),
        commented("# aliases:", w.aliases),
        format!("#   - {}\n", w.alias),
    ]
    .concat()
}

/// The front matter of an irritant's breakdown: a context and two steps to replace, and the
/// findings as commented examples (the effort one names one of the site's `efforts`).
fn breakdown_skeleton(efforts: &[&str], w: &Words) -> String {
    let effort = efforts.first().copied().unwrap_or("temps");
    [
        format!("context: {}\n", quoted(w.context)),
        commented("steps:", w.steps),
        format!("  - {}\n  - {}\n", quoted(w.step1), quoted(w.step2)),
        commented("findings: []", w.findings),
        "#  - kind: problem\n".to_string(),
        format!("#    title: {}\n", quoted(w.problem)),
        format!("#    detail: {}\n", quoted(w.problem_detail)),
        "#    steps: [1]\n#  - kind: effort\n".to_string(),
        commented(
            &format!("#    effort: {effort}"),
            &format!("{} {}", w.one_of, efforts.join(", ")),
        ),
        format!("#    title: {}\n", quoted(w.effort)),
        "#    detail: \"\"\n#    steps: [1, 2]\n#  - kind: frustration\n".to_string(),
        format!("#    title: {}\n", quoted(w.frustration)),
        "#    detail: \"\"\n#    steps: [2]\n".to_string(),
        commented("# basics:", w.basics),
        format!("#   - {}\n", quoted(w.basic)),
    ]
    .concat()
}

/// The text of a new author's file: the name, the optional keys as comments, a bio to replace.
pub(super) fn author_text(name: &str, language: Language) -> String {
    let w = words(language);
    [
        format!("---\nname: {}\n", quoted(name)),
        format!("# role: {}\n", quoted(w.role)),
        commented("# avatar: /img/portrait.jpg", w.under_static),
        "# links:\n".to_string(),
        "#   site: \"https://exemple.fr\"\n".to_string(),
        "#   email: \"prenom@exemple.fr\"\n".to_string(),
        "#   mastodon: \"@prenom@mastodon.exemple\"\n".to_string(),
        format!("---\n{}\n", w.bio),
    ]
    .concat()
}

/// The text of a new series file: its title, the optional keys as comments.
pub(super) fn series_text(title: &str, language: Language) -> String {
    let w = words(language);
    [
        format!("---\ntitle: {}\n", quoted(title)),
        commented("# parts: 3", w.parts),
        commented("# planned:", w.planned),
        "#   - part: 2\n#     date: 2026-12-24\n".to_string(),
        format!("#     title: {}\n", quoted(w.part_title)),
        format!("#     outline:\n#       - {}\n---\n", quoted(w.outline)),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(quoted("Ça \"marche\""), "\"Ça \\\"marche\\\"\"");
        assert_eq!(quoted("a\\b"), "\"a\\\\b\"");
    }
}
