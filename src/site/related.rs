//! "Pour en savoir plus": the posts related to each post.
//!
//! Ranked by a shared series first, then shared irritant themes, then shared tags, then closeness
//! in date (the time between the two dates; the newer post first when equal); never the post
//! itself (only published posts are considered). To stay proportional to what it shows rather
//! than to the site, candidates are drawn from the posts nearest in date in each of the post's
//! series, themes and tags — the ones the ranking would prefer anyway — so the cost per post is
//! bounded by its number of terms, not by the number of posts. The price: on a large site, a post
//! sharing more themes but more than `WINDOW` posts away in every list it shares is not seen.

use std::collections::HashMap;

use rayon::prelude::*;

use super::SitePost;
use super::taxonomy::{Taxonomy, TaxonomyKind};

/// How many neighbours in date to take from each shared list, on each side.
const WINDOW: usize = 24;

/// For every post, up to `limit` related posts (indexes into `posts`), best first.
pub fn compute(
    posts: &[SitePost],
    series_of: &[Option<usize>],
    series_parts: &[Vec<usize>],
    taxonomies: &[Taxonomy],
    limit: usize,
) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); posts.len()];
    }
    let irritants = taxonomies
        .iter()
        .find(|t| t.kind == TaxonomyKind::Irritants);
    let tags = taxonomies.iter().find(|t| t.kind == TaxonomyKind::Tags);

    (0..posts.len())
        .into_par_iter()
        .map(|i| {
            let p = &posts[i].post;
            // Lists are in site order (newest first), so index order is date order.
            let series: Vec<&[usize]> = series_of[i]
                .map(|s| vec![series_parts[s].as_slice()])
                .unwrap_or_default();
            let irr = terms(irritants, &p.irritants);
            let tg = terms(tags, &p.tags);
            // score: (series, shared themes, shared tags)
            let mut scores: HashMap<usize, (u8, u8, u8)> = HashMap::new();
            for (lists, which) in [(&series, 0), (&irr, 1), (&tg, 2)] {
                for list in lists {
                    for j in neighbours(list, i) {
                        let s = scores.entry(j).or_default();
                        match which {
                            0 => s.0 = 1,
                            1 => s.1 = s.1.saturating_add(1),
                            _ => s.2 = s.2.saturating_add(1),
                        }
                    }
                }
            }
            let mut ranked: Vec<(usize, (u8, u8, u8))> =
                scores.into_iter().filter(|(j, _)| *j != i).collect();
            // Closeness in date is measured in time, not in places in the list: a post a day
            // older beats one a month newer even when both are next to this one.
            let at = p.date.instant.as_second();
            let distance = |j: usize| posts[j].post.date.instant.as_second().abs_diff(at);
            ranked.sort_by(|(a, sa), (b, sb)| {
                sb.cmp(sa)
                    .then_with(|| distance(*a).cmp(&distance(*b)))
                    .then_with(|| a.cmp(b))
            });
            ranked.truncate(limit);
            ranked.into_iter().map(|(j, _)| j).collect()
        })
        .collect()
}

/// The post lists of the terms a post names in a taxonomy.
fn terms<'t>(tax: Option<&'t Taxonomy>, names: &[String]) -> Vec<&'t [usize]> {
    tax.map(|t| {
        let mut lists: Vec<&[usize]> = names
            .iter()
            .filter_map(|n| t.term(n))
            .map(|term| term.posts.as_slice())
            .collect();
        lists.dedup_by_key(|l| l.as_ptr());
        lists
    })
    .unwrap_or_default()
}

/// The entries of a sorted list nearest to `i`, up to `WINDOW` on each side.
fn neighbours(list: &[usize], i: usize) -> impl Iterator<Item = usize> + '_ {
    let at = list.partition_point(|&x| x < i);
    let start = at.saturating_sub(WINDOW);
    let end = (at + WINDOW + 1).min(list.len());
    list[start..end].iter().copied()
}

#[cfg(test)]
mod tests {
    use super::neighbours;

    #[test]
    fn neighbours_are_a_window_around_the_post() {
        let list: Vec<usize> = (0..100).collect();
        let n: Vec<usize> = neighbours(&list, 50).collect();
        assert_eq!(n.first(), Some(&26));
        assert_eq!(n.last(), Some(&74));
        let n: Vec<usize> = neighbours(&[1, 5, 9], 4).collect();
        assert_eq!(n, vec![1, 5, 9]);
    }
}
