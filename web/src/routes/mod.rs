//! One module per page.

pub mod search;
