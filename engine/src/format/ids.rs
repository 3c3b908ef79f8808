//! Typed ids for the integers an index stores beside the item ords: an item's near-duplicate
//! group ([`GroupId`]) and its story thread ([`ThreadId`]). Both are the ord of a member (the
//! group's first copy, the thread's first item), a plain number on disk (`duplicates.json`,
//! `stories.json`); the types keep one from being used as the other, or as an item, by mistake.

use serde::{Deserialize, Serialize};

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
            pub fn of(ord: usize) -> $id {
                $id(u32::try_from(ord).expect("an index holds fewer than 2^32 items"))
            }

            #[doc = concat!("The ord of the ", $what, "'s first member.")]
            pub fn first(self) -> usize {
                self.0 as usize
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
        let rows = vec![GroupId::of(0), GroupId::of(0), GroupId::of(2)];
        assert_eq!(serde_json::to_string(&rows).unwrap(), "[0,0,2]");
        let threads: Vec<Option<ThreadId>> = serde_json::from_str("[null,1,1]").unwrap();
        assert_eq!(threads, [None, Some(ThreadId::of(1)), Some(ThreadId::of(1))]);
        assert_eq!(threads[1].unwrap().first(), 1);
    }
}
