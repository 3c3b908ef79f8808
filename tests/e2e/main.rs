//! End-to-end tests: the real binaries on the bundled sample corpus (data/posts).
//! One test binary, modules by feature (as in ripgrep).

mod api;
mod browser;
mod browser_explore;
mod browser_follow;
mod browser_pages;
mod browser_typeahead;
mod ci_index;
mod duplicates;
mod explore_api;
mod hostile;
mod lifecycle;
mod limits;
mod lineage;
mod quality;
mod reload;
mod setup;
