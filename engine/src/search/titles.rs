//! Navigational queries: a query that is a post's whole title finds that post first.
//!
//! Digest posts are titled with a series name and a date ("Daily AI News 2026-03-17 (AM)"),
//! words every other post of the series shares, so neither leg can tell that post from its
//! siblings; an exact title lookup can. Titles are compared after NFKC, lower-casing and dropping
//! everything but letters and digits, so spacing and punctuation do not matter.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::fusion::Ranked;
use crate::format::ids::ItemOrd;

/// Shorter keys are not looked up: a two-letter query ("AI") is no title.
const MIN_KEY_CHARS: usize = 6;

/// A title's lookup key: NFKC, lower-cased, letters and digits only.
pub(crate) fn title_key(title: &str) -> String {
    title.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

/// Post title key → the items of the posts with that title, in ord order.
#[derive(Default)]
pub(crate) struct Titles {
    items: HashMap<String, Vec<ItemOrd>>,
    /// The last title added and its key: a post's items come in a row, so its title is
    /// normalised once, not once per item.
    last: Option<(String, String)>,
}

impl Titles {
    pub(crate) fn add(&mut self, post_title: &str, ord: ItemOrd) {
        if self.last.as_ref().is_none_or(|(title, _)| title != post_title) {
            self.last = Some((post_title.to_string(), title_key(post_title)));
        }
        let key = &self.last.as_ref().expect("just set").1;
        if key.chars().count() >= MIN_KEY_CHARS {
            self.items.entry(key.clone()).or_default().push(ord);
        }
    }

    /// The items of the posts whose title is `q`, if any.
    pub(crate) fn lookup(&self, q: &str) -> Option<&[ItemOrd]> {
        self.items.get(&title_key(q)).map(Vec::as_slice)
    }
}

/// Moves `items` (those `keep` accepts) to the front of `ranked`, in their ranked order (items
/// the ranking did not hold come after those it did, in ord order), with the top score.
pub(crate) fn promote(ranked: &mut Ranked, items: &[ItemOrd], keep: &dyn Fn(ItemOrd) -> bool) {
    let top = ranked.first().map_or(0.0, |r| r.1);
    let wanted: std::collections::HashSet<ItemOrd> = items.iter().copied().filter(|&o| keep(o)).collect();
    if wanted.is_empty() {
        return;
    }
    let (mut front, rest): (Ranked, Ranked) = ranked.drain(..).partition(|(o, _)| wanted.contains(o));
    let held: std::collections::HashSet<ItemOrd> = front.iter().map(|r| r.0).collect();
    front.extend(items.iter().filter(|o| wanted.contains(o) && !held.contains(o)).map(|&o| (o, top)));
    for r in &mut front {
        r.1 = top;
    }
    *ranked = front;
    ranked.extend(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_punctuation() {
        assert_eq!(title_key("Daily AI News — 2026-03-17 (AM)"), "dailyainews20260317am");
        assert_eq!(title_key("ＡＩ 뉴스: 2026.03.17"), title_key("ai뉴스 20260317"));
        let mut t = Titles::default();
        t.add("AI", ItemOrd::new(0));
        t.add("Daily AI News 2026-03-17", ItemOrd::new(1));
        t.add("daily ai news 2026.03.17", ItemOrd::new(2));
        assert_eq!(t.lookup("AI"), None, "too short to be a title");
        assert_eq!(t.lookup("Daily AI news, 2026-03-17"), Some(&[ItemOrd::new(1), ItemOrd::new(2)][..]));
        assert_eq!(t.lookup("Daily AI News"), None);
    }

    #[test]
    fn promoted_items_lead_in_their_ranked_order_and_filters_still_apply() {
        let o = ItemOrd::new;
        let mut ranked: Ranked = vec![(o(5), 0.9), (o(7), 0.5), (o(2), 0.4), (o(3), 0.1)];
        promote(&mut ranked, &[o(2), o(3), o(8), o(9)], &|ord| ord != o(9));
        let got: Vec<usize> = ranked.iter().map(|r| r.0.index()).collect();
        assert_eq!(got, [2, 3, 8, 5, 7]);
        assert!(ranked[..3].iter().all(|r| r.1 == 0.9));
    }
}
