//! The column's own structures, recognised in WordPress posts: a series part from its title
//! (« Le guichet (suite – 2#3) »), a « Ça m'agaaaace » breakdown from its headings (Contexte,
//! Étape 1…, findings with « (Étape N) », Back to basics). What looks like one but does not
//! parse is left as it is, with the reason for the report.

/// A title's series mark: `(1#3)`, `(suite – 2#3)`, `(fin – 3#3)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesMark {
    /// The title without its mark: the series' title.
    pub title: String,
    pub part: u32,
    pub parts: u32,
}

/// The series mark at the end of `title`, if it has a well-formed one.
pub fn series_mark(title: &str) -> Option<SeriesMark> {
    let trimmed = title.trim_end();
    let inner = trimmed.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let mark = &inner[open + 1..];
    let numbers = mark.rsplit(['–', '—', '-']).next()?.trim();
    let words = fold(&mark[..mark.len() - numbers.len()]);
    let words = words.trim_end_matches(['-', ' ']).trim();
    if !matches!(words, "" | "suite" | "fin") {
        return None;
    }
    let (part, parts) = numbers.split_once('#')?;
    let part: u32 = part.trim().parse().ok()?;
    let parts: u32 = parts.trim().parse().ok()?;
    let title = inner[..open].trim_end().to_string();
    (part >= 1 && part <= parts && !title.is_empty()).then_some(SeriesMark { title, part, parts })
}

/// Lower case without accents: how headings are compared.
fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// A recognised breakdown: its front matter lines, and the body without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub front: Vec<String>,
    pub body: String,
    pub steps: usize,
    pub findings: usize,
}

/// One finding, as read.
struct Finding {
    kind: &'static str,
    effort: Option<String>,
    title: String,
    detail: Vec<String>,
    steps: Vec<u32>,
}

/// Where the reader is in a breakdown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Context,
    Step,
    Finding,
    Basics,
}

#[derive(Default)]
struct Reading {
    context: Vec<String>,
    steps: Vec<Vec<String>>,
    findings: Vec<Finding>,
    basics: Vec<String>,
}

/// The breakdown in a post's Markdown, if it has a « Contexte » heading followed by « Étape »
/// headings or « Back to basics »; `Err(why)` when it looks like one but does not parse.
/// `efforts`: the site's effort types (`financier`, `contact`…).
pub fn breakdown(markdown: &str, efforts: &[String]) -> Result<Option<Breakdown>, String> {
    let blocks: Vec<&str> = markdown.split("\n\n").collect();
    let heads: Vec<Option<String>> = blocks.iter().map(|b| heading(b)).collect();
    let is = |i: usize, word: &str| {
        heads[i]
            .as_deref()
            .is_some_and(|h| fold(h).starts_with(word))
    };
    let Some(start) = (0..blocks.len()).find(|&i| is(i, "contexte")) else {
        return Ok(None);
    };
    let looks = (start + 1..blocks.len()).any(|i| is(i, "etape") || is(i, "back to basics"));
    if !looks {
        return Ok(None);
    }
    let mut reading = Reading::default();
    let mut part = Part::Context;
    let mut end = blocks.len();
    for i in start + 1..blocks.len() {
        let block = blocks[i];
        match &heads[i] {
            Some(h) => match reading.heading(h, part, efforts)? {
                Some(next) => part = next,
                None => {
                    end = i;
                    break;
                }
            },
            None if part == Part::Basics && !is_list(block) => {
                end = i;
                break;
            }
            None => reading.text(part, block),
        }
    }
    let body = [&blocks[..start], &blocks[end..]].concat().join("\n\n");
    reading.finish(body).map(Some)
}

impl Reading {
    /// A heading inside the breakdown: the part it starts, or `None` when it ends it.
    fn heading(&mut self, h: &str, part: Part, efforts: &[String]) -> Result<Option<Part>, String> {
        let folded = fold(h);
        if let Some(rest) = folded.strip_prefix("etape") {
            let n: Option<u32> = rest
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| !w.is_empty())
                .and_then(|w| w.parse().ok());
            let expected = self.steps.len() as u32 + 1;
            if n != Some(expected) {
                return Err(format!("« {h} » where « Étape {expected} » was expected"));
            }
            // « Étape 2 : le conseiller » : the words after the colon begin the step.
            let words = h.split_once([':', '–', '—']).map(|(_, w)| sentence(w));
            self.steps
                .push(words.filter(|w| !w.is_empty()).into_iter().collect());
            return Ok(Some(Part::Step));
        }
        if folded.starts_with("back to basics") {
            return Ok(Some(Part::Basics));
        }
        let kind = match folded.split_whitespace().next().unwrap_or_default() {
            w if w.starts_with("probleme") => "problem",
            w if w.starts_with("effort") => "effort",
            w if w.starts_with("frustration") => "frustration",
            _ if part == Part::Basics || part == Part::Finding => return Ok(None),
            _ => {
                return Err(format!(
                    "« {h} » is not a step, a finding (Problème, Effort, Frustration) nor « Back to basics »"
                ));
            }
        };
        self.findings.push(finding(h, kind, efforts)?);
        Ok(Some(Part::Finding))
    }

    fn text(&mut self, part: Part, block: &str) {
        let text = plain_markdown(block);
        match part {
            Part::Context => self.context.push(text),
            Part::Step => {
                if let Some(step) = self.steps.last_mut() {
                    step.push(text);
                }
            }
            Part::Finding => {
                if let Some(finding) = self.findings.last_mut() {
                    finding.detail.push(text);
                }
            }
            Part::Basics => self.basics.extend(list_items(block)),
        }
    }

    fn finish(mut self, body: String) -> Result<Breakdown, String> {
        if self.steps.is_empty() {
            return Err("no « Étape 1 » heading: a breakdown needs its steps".into());
        }
        let steps = self.steps.len() as u32;
        for f in &mut self.findings {
            let (detail, refs) = step_refs(&f.detail.join(" "));
            f.detail = vec![detail];
            f.steps.extend(refs);
            f.steps.sort_unstable();
            f.steps.dedup();
            if let Some(bad) = f.steps.iter().find(|&&s| s == 0 || s > steps) {
                return Err(format!(
                    "the finding « {} » names step {bad}, and there are {steps}",
                    f.title
                ));
            }
        }
        let quoted = |t: &str| serde_json::to_string(t).unwrap_or_default();
        let mut front = vec!["kind: irritant".to_string()];
        let context = self.context.join(" ");
        if !context.trim().is_empty() {
            front.push(format!("context: {}", quoted(&context)));
        }
        front.push("steps:".into());
        front.extend(
            self.steps
                .iter()
                .map(|s| format!("  - {}", quoted(&s.join(" ")))),
        );
        if !self.findings.is_empty() {
            front.push("findings:".into());
        }
        for f in &self.findings {
            let effort = f
                .effort
                .as_ref()
                .map(|e| format!(", effort: {}", quoted(e)));
            let steps: Vec<String> = f.steps.iter().map(u32::to_string).collect();
            front.push(format!(
                "  - {{kind: {}{}, title: {}, detail: {}, steps: [{}]}}",
                f.kind,
                effort.unwrap_or_default(),
                quoted(&f.title),
                quoted(&f.detail.join(" ")),
                steps.join(", ")
            ));
        }
        if !self.basics.is_empty() {
            let list: Vec<String> = self.basics.iter().map(|b| quoted(b)).collect();
            front.push(format!("basics: [{}]", list.join(", ")));
        }
        Ok(Breakdown {
            front,
            body,
            steps: steps as usize,
            findings: self.findings.len(),
        })
    }
}

/// A finding from its heading: « Effort financier : payer deux fois (Étapes 1 et 2) ».
fn finding(h: &str, kind: &'static str, efforts: &[String]) -> Result<Finding, String> {
    let (text, steps) = step_refs(h);
    let (head, title) = match text.split_once([':', '–', '—']) {
        Some((head, title)) => (head.trim().to_string(), title.trim().to_string()),
        None => (text.trim().to_string(), text.trim().to_string()),
    };
    let effort = match kind {
        "effort" => {
            // « Effort financier », « Effort de contact »: the word after « Effort (de) ».
            let folded = fold(&head);
            let mut words = folded.split_whitespace().skip(1).filter(|w| *w != "de");
            let Some(word) = words.next() else {
                return Err(format!(
                    "the effort « {h} » does not say which (Effort financier, Effort de contact…)"
                ));
            };
            let found = efforts
                .iter()
                .find(|e| word.starts_with(&fold(e)) || fold(e).starts_with(word));
            match found {
                Some(e) => Some(e.clone()),
                None => {
                    return Err(format!(
                        "the effort « {h} »: « {word} » is none of the site's efforts ({})",
                        efforts.join(", ")
                    ));
                }
            }
        }
        _ => None,
    };
    Ok(Finding {
        kind,
        effort,
        title,
        detail: Vec::new(),
        steps,
    })
}

/// A text without its « (Étape 2) », « (Étapes 1 et 3) », « (Étapes 2 à 4) », and their numbers.
fn step_refs(text: &str) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(text.len());
    let mut steps = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inner = fold(&rest[open + 1..close]);
        if !inner.trim_start().starts_with("etape") {
            out.push_str(&rest[..=close]);
            rest = &rest[close + 1..];
            continue;
        }
        let numbers: Vec<u32> = inner
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        match (numbers.as_slice(), inner.contains(" a ")) {
            ([from, to], true) if from <= to && to - from < 100 => steps.extend(*from..=*to),
            _ => steps.extend(numbers),
        }
        out.push_str(rest[..open].trim_end());
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (out.trim().to_string(), steps)
}

/// A block's heading text: `## Contexte`, or a paragraph all in bold (`**Étape 1**`).
fn heading(block: &str) -> Option<String> {
    let block = block.trim();
    if block.contains('\n') {
        return None;
    }
    let hashes = block.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && block[hashes..].starts_with(' ') {
        return Some(plain_markdown(&block[hashes..]));
    }
    let bold = block.strip_prefix("**")?.strip_suffix("**")?;
    (!bold.contains("**")).then(|| plain_markdown(bold))
}

/// Words made a sentence: a capital first, a full stop last.
fn sentence(words: &str) -> String {
    let words = words.trim();
    let mut chars = words.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?', '…']) {
        out.push('.');
    }
    out
}

fn is_list(block: &str) -> bool {
    block
        .lines()
        .all(|l| list_item(l).is_some() || l.starts_with(' '))
}

fn list_item(line: &str) -> Option<&str> {
    if let Some(item) = line.strip_prefix("- ") {
        return Some(item);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}

fn list_items(block: &str) -> Vec<String> {
    let items = block.lines().filter_map(list_item);
    let items: Vec<String> = items.map(plain_markdown).collect();
    match items.is_empty() {
        true => vec![plain_markdown(block)],
        false => items,
    }
}

/// The writer's Markdown made plain text: escapes and emphasis markers removed, lines joined.
pub fn plain_text(text: &str) -> String {
    plain_markdown(text)
}

fn plain_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => out.push(' '),
                Some(next) => out.push(next),
            },
            '*' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_marks() {
        let mark = |t: &str| series_mark(t).map(|m| (m.title, m.part, m.parts));
        assert_eq!(mark("Le guichet (1#3)"), Some(("Le guichet".into(), 1, 3)));
        assert_eq!(
            mark("Le guichet (suite – 2#3)"),
            Some(("Le guichet".into(), 2, 3))
        );
        assert_eq!(
            mark("Le guichet (fin - 3#3) "),
            Some(("Le guichet".into(), 3, 3))
        );
        assert_eq!(mark("Le guichet (4#3)"), None);
        assert_eq!(mark("Le guichet (voir 2#3)"), None);
        assert_eq!(mark("Le guichet (2019)"), None);
        assert_eq!(mark("(1#2)"), None);
    }

    fn efforts() -> Vec<String> {
        ["financier", "contact", "temps", "émotionnel"]
            .map(String::from)
            .to_vec()
    }

    const POST: &str = "Avant.\n\n## Contexte\n\nJe paie une facture.\n\n## Étape 1\n\nLe montant est faux.\n\n## Étape 2 : je signale\n\nAu service client.\n\n## Problème : facture fausse (Étape 1)\n\nSomme incorrecte.\n\n### Effort financier : payer deux fois\n\nDeux prélèvements (Étapes 1 et 2).\n\n**Frustration (Étape 2)**\n\nPersonne ne répond.\n\n## Back to basics\n\n- Être remboursé\n- Être écouté\n\n## La suite\n\nFin.\n";

    #[test]
    fn a_breakdown_is_read_from_its_headings() {
        let b = breakdown(POST, &efforts()).unwrap().unwrap();
        assert_eq!(b.body, "Avant.\n\n## La suite\n\nFin.\n");
        assert_eq!((b.steps, b.findings), (2, 3));
        let yaml = b.front.join("\n");
        assert!(yaml.contains("context: \"Je paie une facture.\""), "{yaml}");
        assert!(
            yaml.contains("  - \"Je signale. Au service client.\""),
            "{yaml}"
        );
        assert!(yaml.contains("{kind: problem, title: \"facture fausse\", detail: \"Somme incorrecte.\", steps: [1]}"), "{yaml}");
        assert!(yaml.contains("{kind: effort, effort: \"financier\", title: \"payer deux fois\", detail: \"Deux prélèvements.\", steps: [1, 2]}"), "{yaml}");
        assert!(yaml.contains("{kind: frustration, title: \"Frustration\", detail: \"Personne ne répond.\", steps: [2]}"), "{yaml}");
        assert!(
            yaml.contains("basics: [\"Être remboursé\", \"Être écouté\"]"),
            "{yaml}"
        );
    }

    #[test]
    fn what_looks_like_a_breakdown_but_does_not_parse_says_why() {
        let skipped = POST.replace("## Étape 2 : je signale", "## Étape 3");
        let why = breakdown(&skipped, &efforts()).unwrap_err();
        assert!(why.contains("« Étape 2 » was expected"), "{why}");
        let far = POST.replace("(Étape 1)", "(Étape 7)");
        let why = breakdown(&far, &efforts()).unwrap_err();
        assert!(why.contains("names step 7, and there are 2"), "{why}");
        let unknown = POST.replace("Effort financier", "Effort cosmique");
        let why = breakdown(&unknown, &efforts()).unwrap_err();
        assert!(
            why.contains("« cosmique » is none of the site's efforts"),
            "{why}"
        );
        assert_eq!(
            breakdown("## Contexte\n\nRien d'autre.", &efforts()),
            Ok(None)
        );
        assert_eq!(breakdown("Un billet.", &efforts()), Ok(None));
    }
}
