//! Every bound and default of the API, defined once. The engine enforces them
//! (`sosik_engine::search::request`), the server's OpenAPI document states them (its parameter
//! schemas are built from these constants) and the web UI stays inside them.

/// Largest page (`limit`) of search hits, similar items and story threads.
pub const MAX_LIMIT: usize = 100;
/// Deepest page (`offset`) of search hits and story threads.
pub const MAX_OFFSET: usize = 1000;
/// Longest query, in characters (search, timeline, search feed).
pub const MAX_QUERY_CHARS: usize = 500;
/// Most buckets a timeline returns (a day-by-day timeline of about five years).
pub const MAX_BUCKETS: usize = 2000;
/// Most items listed per timeline bucket (`top`).
pub const MAX_TOP: usize = 10;
/// Longest trending window (`window`), in days.
pub const MAX_WINDOW_DAYS: u32 = 365;

/// Hits (or threads) per page when `limit` is not given: search and story lists.
pub const DEFAULT_LIMIT: usize = 20;
/// Similar items when `limit` is not given.
pub const DEFAULT_SIMILAR: usize = 10;
/// Items per timeline bucket when `top` is not given.
pub const DEFAULT_TOP: usize = 3;
/// Trending window when `window` is not given, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 7;

/// Longest typeahead prefix (`q` of `/api/suggest`), in characters.
pub const MAX_SUGGEST_CHARS: usize = 100;
/// Most suggestions one typeahead answer lists (`limit`).
pub const MAX_SUGGESTIONS: usize = 20;
/// Suggestions when `limit` is not given.
pub const DEFAULT_SUGGESTIONS: usize = 8;

/// Most values one filter field takes (`company=…&company=…`).
pub const MAX_FILTER_VALUES: usize = 20;
