//! The dev server's own words — the error overlay, the stand-in pages and the editorial
//! calendar — in the site's language (issue 21): a French columnist previewing a French site
//! reads French. They are the tool's words, not the theme's, so they are not in the table of
//! `i18n.toml` and a site does not change them. The diagnostics listed stay as the terminal
//! prints them, like every message of the command line.
//!
//! One struct, one value per language: a word added for one language and forgotten in the
//! other does not compile.

use crate::language::Language;

/// Every word the dev server prints in a page, in one language.
pub struct Words {
    /// The language, for dates in words and the `lang` of the pages the server makes.
    pub language: Language,
    /// "chronique: the site could not be built", first words of the overlay and the stand-in.
    pub not_built: &'static str,
    pub not_built_heading: &'static str,
    pub error_one: &'static str,
    pub error_many: &'static str,
    pub under_last_good: &'static str,
    pub fix_the_file: &'static str,
    pub fix_the_errors: &'static str,
    pub close: &'static str,
    pub not_found: &'static str,
    pub calendar: &'static str,
    pub calendar_intro: &'static str,
    pub drafts_previewed: &'static str,
    pub drafts_not_previewed: &'static str,
    pub back_to_site: &'static str,
    pub site_unread: &'static str,
    pub last_build_failed: &'static str,
    pub last_build_warnings: &'static str,
    pub none: &'static str,
    pub drafts: &'static str,
    pub scheduled: &'static str,
    pub announced: &'static str,
    pub gaps: &'static str,
    pub no_findings: &'static str,
    pub preview_with_drafts: &'static str,
    /// "part", before a part's number.
    pub part: &'static str,
    /// "parts", after a number of parts.
    pub parts: &'static str,
    /// "announced; write it with", before the command.
    pub write_it_with: &'static str,
    /// "no post and no plan for part", before "3".
    pub no_plan_one: &'static str,
    /// "no post and no plan for parts", before "3, 5".
    pub no_plan_many: &'static str,
    /// The colon between a part's number and its title: "part 2: …", « partie 2 : … ».
    pub colon: &'static str,
    /// Between two notes: "; ", « ; ».
    pub semicolon: &'static str,
}

const FR: Words = Words {
    language: Language::Fr,
    not_built: "chronique\u{a0}: le site n’a pas pu être construit",
    not_built_heading: "Le site n’a pas pu être construit",
    error_one: "erreur",
    error_many: "erreurs",
    under_last_good: "Sous ce cadre, la dernière version réussie du site. ",
    fix_the_file: "Corrigez le fichier et enregistrez\u{a0}: la page se recharge d’elle-même.",
    fix_the_errors: "Corrigez les erreurs et enregistrez\u{a0}: cette page se recharge d’elle-même.",
    close: "fermer",
    not_found: "Page introuvable",
    calendar: "Calendrier éditorial",
    calendar_intro: "Ce qui arrive et ce qui bloque, d’après les fichiers tels qu’ils sont.",
    drafts_previewed: "Les brouillons et les billets programmés sont prévisualisés (<code>--drafts</code>).",
    drafts_not_previewed: "Les brouillons et les billets programmés n’ont pas d’aperçu\u{a0}: relancez <code>chronique serve --drafts</code> pour les lire dans le site.",
    back_to_site: "Retour au site",
    site_unread: "Le site n’a pas encore pu être lu\u{a0}: voyez les erreurs de la dernière construction ci-dessous.",
    last_build_failed: "La dernière construction a échoué",
    last_build_warnings: "Avertissements de la dernière construction",
    none: "Aucun.",
    drafts: "Brouillons",
    scheduled: "Billets programmés",
    announced: "Parties de séries annoncées, pas encore écrites",
    gaps: "Séries à trous",
    no_findings: "Décryptages sans constats",
    preview_with_drafts: "aperçu avec --drafts",
    part: "partie",
    parts: "parties",
    write_it_with: "annoncée\u{202f}; écrivez-la avec",
    no_plan_one: "ni billet ni plan pour la partie",
    no_plan_many: "ni billet ni plan pour les parties",
    colon: "\u{a0}:",
    semicolon: "\u{202f};",
};

const EN: Words = Words {
    language: Language::En,
    not_built: "chronique: the site could not be built",
    not_built_heading: "The site could not be built",
    error_one: "error",
    error_many: "errors",
    under_last_good: "Under this box is the last good version of the site. ",
    fix_the_file: "Fix the file and save: the page reloads by itself.",
    fix_the_errors: "Fix the errors and save: this page reloads by itself.",
    close: "close",
    not_found: "Not found",
    calendar: "Editorial calendar",
    calendar_intro: "What is coming and what is stuck, from the files as they are now.",
    drafts_previewed: "Drafts and scheduled posts are previewed (<code>--drafts</code>).",
    drafts_not_previewed: "Drafts and scheduled posts have no preview: restart with <code>chronique serve --drafts</code> to read them in the site.",
    back_to_site: "Back to the site",
    site_unread: "The site could not be read yet: see the errors of the last build below.",
    last_build_failed: "The last build failed",
    last_build_warnings: "Warnings of the last build",
    none: "None.",
    drafts: "Drafts",
    scheduled: "Scheduled posts",
    announced: "Announced series parts not yet written",
    gaps: "Series with gaps",
    no_findings: "Breakdowns without findings",
    preview_with_drafts: "preview with --drafts",
    part: "part",
    parts: "parts",
    write_it_with: "announced; write it with",
    no_plan_one: "no post and no plan for part",
    no_plan_many: "no post and no plan for parts",
    colon: ":",
    semicolon: ";",
};

/// The dev server's words in `language`.
pub fn words(language: Language) -> &'static Words {
    match language {
        Language::Fr => &FR,
        Language::En => &EN,
    }
}

impl Words {
    /// "1 error", "3 errors".
    pub fn errors(&self, n: usize) -> String {
        format!(
            "{n} {}",
            if n == 1 {
                self.error_one
            } else {
                self.error_many
            }
        )
    }
}
