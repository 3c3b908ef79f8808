//! One module per page.

pub mod item;
pub mod search;
