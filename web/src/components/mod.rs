//! Widgets more than one page shows. Pages (`routes/`) import from here and never from each
//! other's widgets, so no two pages depend on each other in a circle.
//!
//! - [`hit`]: a hit in a list, company/topic chips, a source link, an item's URL.
//! - [`lineage`]: 출처 계보, a story's source and the posts that relayed it.
//! - [`story`]: story cards and lists.
//! - [`status`]: the status line while a page's data loads, or why it failed.
//! - [`suggest`]: typeahead under the search box.

mod hit;
mod lineage;
mod status;
mod story;
mod suggest;

pub use hit::{item_url, Chips, HitItem, SourceLink};
pub use lineage::{blog_label, post_name, LineageView};
pub use status::{failed, loading};
pub use story::{StoryList, StoryOffer};
pub use suggest::{suggestion_url, SuggestList, Typeahead};
