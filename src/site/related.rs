//! "Pour en savoir plus": the posts related to each post.
//!
//! Ranked by a shared series first, then shared irritant themes, then shared tags, then closeness
//! in date (the time between the two dates; the newer post first when equal); never the post
//! itself (only published posts are considered). To stay proportional to what it shows rather
//! than to the site, candidates are drawn from the posts nearest in date in each of the post's
//! series, themes and tags — the ones the ranking would prefer anyway — so the cost per post is
//! bounded by its number of terms, not by the number of posts. The price: on a large site, a post
//! sharing more themes but more than `WINDOW` posts away in every list it shares is not seen.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::model::SitePost;
use super::taxonomy::{Taxonomy, TaxonomyKind};

/// How many neighbours in date to take from each shared list, on each side.
const WINDOW: usize = 24;

/// What related posts are computed from.
pub struct Inputs<'a> {
    pub posts: &'a [SitePost],
    /// The series of each post (index into the site's series).
    pub series_of: &'a [Option<usize>],
    /// The published parts of each series, in site order.
    pub series_parts: &'a [Vec<usize>],
    pub taxonomies: &'a [Taxonomy],
    /// How many related posts each post gets.
    pub limit: usize,
}

impl Inputs<'_> {
    /// For every post, up to `limit` related posts (indexes into `posts`), best first.
    pub fn compute(&self) -> Vec<Vec<usize>> {
        compute(self)
    }

    /// A hash of everything [`Inputs::compute`] reads, to reuse its result while they stay the
    /// same.
    pub fn hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (self.series_of, self.series_parts, self.limit).hash(&mut h);
        for p in self.posts {
            (p.post.date.instant, &p.post.irritants, &p.post.tags).hash(&mut h);
        }
        for t in self.taxonomies {
            t.kind.hash(&mut h);
            for term in &t.terms {
                (&term.slug, &term.posts).hash(&mut h);
            }
        }
        h.finish()
    }
}

fn compute(inputs: &Inputs<'_>) -> Vec<Vec<usize>> {
    let Inputs {
        posts,
        series_of,
        series_parts,
        taxonomies,
        limit,
    } = *inputs;
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
            // Every (candidate, which list) pair, then grouped by candidate into its score:
            // (series, shared themes, shared tags). Sorting a vector beats hashing here.
            let mut seen: Vec<(usize, u8)> = Vec::new();
            for (lists, which) in [(&series, 0u8), (&irr, 1), (&tg, 2)] {
                for list in lists {
                    seen.extend(neighbours(list, i).filter(|&j| j != i).map(|j| (j, which)));
                }
            }
            seen.sort_unstable();
            let mut ranked: Vec<(usize, (u8, u8, u8))> = Vec::new();
            for (j, which) in seen {
                if ranked.last().is_none_or(|(last, _)| *last != j) {
                    ranked.push((j, (0, 0, 0)));
                }
                if let Some((_, s)) = ranked.last_mut() {
                    match which {
                        0 => s.0 = 1,
                        1 => s.1 = s.1.saturating_add(1),
                        _ => s.2 = s.2.saturating_add(1),
                    }
                }
            }
            // Closeness in date is measured in time, not in places in the list: a post a day
            // older beats one a month newer even when both are next to this one.
            let at = p.date.instant.as_second();
            let distance = |j: usize| posts[j].post.date.instant.as_second().abs_diff(at);
            // A total order (the index breaks ties), so the result does not depend on the
            // sorting algorithm: only the best `limit` are sorted.
            let order = |(a, sa): &(usize, (u8, u8, u8)), (b, sb): &(usize, (u8, u8, u8))| {
                sb.cmp(sa)
                    .then_with(|| distance(*a).cmp(&distance(*b)))
                    .then_with(|| a.cmp(b))
            };
            if ranked.len() > limit {
                ranked.select_nth_unstable_by(limit, order);
                ranked.truncate(limit);
            }
            ranked.sort_unstable_by(order);
            // Collected from a borrow: `into_iter` would reuse `ranked`'s allocation, sized for
            // every candidate, and the site would keep it for the whole build.
            ranked.iter().map(|&(j, _)| j).collect()
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
