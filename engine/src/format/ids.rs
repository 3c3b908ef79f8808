//! Typed ids for the integers an index stores: an item's ord ([`ItemOrd`]: its row in every
//! per-item file and table), its near-duplicate group ([`GroupId`]) and its story thread
//! ([`ThreadId`]). A group or a thread is named by the ord of a member (the group's first copy,
//! the thread's first item). All are plain numbers on disk (`vector_owners.json`,
//! `duplicates.json`, `stories.json`, the `ord` fast field); the types keep one from being used
//! as another by mistake.

use serde::{Deserialize, Serialize};

/// An item's position in the index (`0..items`): its row in every per-item file and in the
/// engine's per-item tables, which slices and vectors index by it directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemOrd(u32);

impl ItemOrd {
    /// The item at `index` (panics past 2^32 items, which no index holds).
    pub fn new(index: usize) -> ItemOrd {
        ItemOrd(u32::try_from(index).expect("an index holds fewer than 2^32 items"))
    }

    /// As an index into a per-item slice.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Every ord of an index of `items` items, in order.
    pub fn all(items: usize) -> impl DoubleEndedIterator<Item = ItemOrd> + ExactSizeIterator {
        (0..items).map(ItemOrd::new)
    }
}

impl std::fmt::Display for ItemOrd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> std::ops::Index<ItemOrd> for [T] {
    type Output = T;
    fn index(&self, ord: ItemOrd) -> &T {
        &self[ord.index()]
    }
}

impl<T> std::ops::IndexMut<ItemOrd> for [T] {
    fn index_mut(&mut self, ord: ItemOrd) -> &mut T {
        &mut self[ord.index()]
    }
}

impl<T> std::ops::Index<ItemOrd> for Vec<T> {
    type Output = T;
    fn index(&self, ord: ItemOrd) -> &T {
        &self[ord.index()]
    }
}

impl<T> std::ops::IndexMut<ItemOrd> for Vec<T> {
    fn index_mut(&mut self, ord: ItemOrd) -> &mut T {
        &mut self[ord.index()]
    }
}

/// A near-duplicate group: the ord of its first copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupId(u32);

/// A story thread: the ord of its first item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThreadId(u32);

macro_rules! ord_id {
    ($id:ident, $what:literal) => {
        impl $id {
            #[doc = concat!("The ", $what, " whose first member is the item at `ord`.")]
            pub fn of(ord: ItemOrd) -> $id {
                $id(ord.0)
            }

            #[doc = concat!("The ", $what, "'s first member.")]
            pub fn first(self) -> ItemOrd {
                ItemOrd(self.0)
            }
        }

        impl std::fmt::Display for $id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

ord_id!(GroupId, "group");
ord_id!(ThreadId, "thread");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_on_disk() {
        let ord = ItemOrd::new;
        let rows = vec![GroupId::of(ord(0)), GroupId::of(ord(0)), GroupId::of(ord(2))];
        assert_eq!(serde_json::to_string(&rows).unwrap(), "[0,0,2]");
        let threads: Vec<Option<ThreadId>> = serde_json::from_str("[null,1,1]").unwrap();
        assert_eq!(threads, [None, Some(ThreadId::of(ord(1))), Some(ThreadId::of(ord(1)))]);
        assert_eq!(threads[1].unwrap().first(), ord(1));
        assert_eq!(serde_json::to_string(&[ord(7)]).unwrap(), "[7]");
        assert_eq!(["a", "b"][ord(1)], "b");
    }
}
