//! A post: YAML front matter + markdown body.

use chrono::NaiveDate;
use serde_yaml::Value;

use crate::dates::{self, DateError, MAX_DATE, MIN_DATE};

/// Why a file was not turned into a post.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    #[error("the file looks binary (it contains NUL bytes)")]
    Binary,
    #[error("the file is {size} bytes, over the {limit}-byte limit for a post")]
    TooLarge { size: u64, limit: u64 },
    #[error("no YAML front matter (a post starts with a line `---`)")]
    NoFrontMatter,
    #[error("the front matter is not closed by a line `---`")]
    UnclosedFrontMatter,
    #[error("invalid YAML front matter: {0}")]
    InvalidYaml(String),
    #[error("no date: the front matter has no parseable `date` and the file name has no YYYY-MM-DD prefix")]
    NoDate,
    /// A date that parses but lies outside the range sosik accepts (a typo like `0206-01-01`):
    /// the post is rejected rather than dated by the next source, so the typo gets fixed.
    #[error("date out of range: {origin} is {date}, outside {MIN_DATE} to {MAX_DATE}")]
    DateOutOfRange { origin: &'static str, date: NaiveDate },
    #[error("no news items or passages found")]
    NoItems,
}

/// Largest post file accepted; real posts are < 100 KB.
pub const MAX_POST_BYTES: u64 = 5 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    /// Path relative to the posts folder, `/`-separated.
    pub path: String,
    pub title: String,
    pub date: NaiveDate,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The markdown after the front matter.
    pub body: String,
    /// Byte offset of `body` in the file (for error positions).
    pub body_offset: usize,
}

/// Decodes and checks raw file bytes: UTF-8 (a BOM is dropped), no NUL bytes, not empty.
pub fn decode(bytes: &[u8]) -> Result<&str, PostError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(PostError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| PostError::NotUtf8(e.valid_up_to()))?;
    if text.trim().is_empty() {
        return Err(PostError::Empty);
    }
    Ok(text)
}

/// Parses a post. `path` is relative to the posts folder and used for the date fallback.
pub fn parse(path: &str, text: &str) -> Result<Post, PostError> {
    let (yaml, body, body_offset) = split_front_matter(text)?;
    let meta: Value = if yaml.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(yaml).map_err(|e| PostError::InvalidYaml(e.to_string()))?
    };
    let field = |key: &str| match &meta {
        Value::Mapping(m) => m.get(key),
        _ => None,
    };
    // The publication date: `date`, else the file name's `YYYY-MM-DD-` prefix, else the last
    // modification (`last_modified_at`, used by posts that have no `date`). A source that is no
    // date gives way to the next; one that is a date out of range rejects the post.
    let date_field = |key: &str| field(key).and_then(scalar_string).map(|s| dates::parse_post_date(&s));
    let sources = [
        ("the front matter `date`", date_field("date")),
        ("the file name's date", date_from_file_name(path)),
        ("the front matter `last_modified_at`", date_field("last_modified_at")),
    ];
    let date = sources
        .into_iter()
        .find_map(|(origin, date)| match date? {
            Ok(d) => Some(Ok(d)),
            Err(DateError::OutOfRange(date)) => Some(Err(PostError::DateOutOfRange { origin, date })),
            Err(DateError::Malformed | DateError::NoSuchDay) => None,
        })
        .ok_or(PostError::NoDate)??;
    let title = field("title")
        .and_then(scalar_string)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| title_from_file_name(path));
    Ok(Post {
        path: path.to_string(),
        title,
        date,
        // the singular spellings (`tag:`, `category:`) are used too
        categories: field("categories").or_else(|| field("category")).map(string_list).unwrap_or_default(),
        tags: field("tags").or_else(|| field("tag")).map(string_list).unwrap_or_default(),
        body: body.to_string(),
        body_offset,
    })
}

/// Splits `---\nYAML\n---\nBODY`. Accepts CRLF and a `...` closing line.
fn split_front_matter(text: &str) -> Result<(&str, &str, usize), PostError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(PostError::NoFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + line.len();
            return Ok((&text[yaml_start..offset], &text[body_start..], body_start));
        }
        offset += line.len();
    }
    Err(PostError::UnclosedFrontMatter)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_string(&t.value),
        Value::Sequence(s) => s.first().and_then(scalar_string),
        _ => None,
    }
}

/// `categories`/`tags` come as a list, or as one string separated by spaces or commas.
fn string_list(v: &Value) -> Vec<String> {
    let items: Vec<String> = match v {
        Value::Sequence(seq) => seq.iter().filter_map(scalar_string).collect(),
        Value::String(s) => s.split([',', ' ']).map(str::to_string).collect(),
        other => scalar_string(other).into_iter().collect(),
    };
    items.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The `YYYY-MM-DD` a file name starts with, if it starts with one.
fn date_from_file_name(path: &str) -> Option<Result<NaiveDate, DateError>> {
    file_name(path).get(..10).map(dates::parse)
}

fn title_from_file_name(path: &str) -> String {
    let name = file_name(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_variants() {
        let post = parse(
            "x.md",
            "---\ntitle:  \"[2026-02-03] 글로벌 IT 뉴스\"\ndate:   2026-02-03 13:49:53 +0900\ncategories: tech\nmermaid: [True]\ntags: [AI,  Material]\n---\nbody\n",
        )
        .unwrap();
        assert_eq!(post.title, "[2026-02-03] 글로벌 IT 뉴스");
        assert_eq!(post.date, NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
        assert_eq!(post.categories, vec!["tech"]);
        assert_eq!(post.tags, vec!["AI", "Material"]);
        assert_eq!(post.body, "body\n");
    }

    #[test]
    fn quoted_date_with_trailing_space_and_singular_tag() {
        let post = parse(
            "a.md",
            "---\ntitle: t\ndate: '2025-12-11 01:12:54 '\ntag:\n  - \"AI\"\n  - \"Claude Opus 5\"\n---\nx",
        )
        .unwrap();
        assert_eq!(post.date, NaiveDate::from_ymd_opt(2025, 12, 11).unwrap());
        assert_eq!(post.tags, vec!["AI", "Claude Opus 5"]);
    }

    #[test]
    fn date_falls_back_to_file_name_then_last_modified_else_rejected() {
        let post = parse("2025/2025-12-01-news.md", "---\ntitle: t\n---\nx").unwrap();
        assert_eq!(post.date, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        let post = parse("news.md", "---\ntitle: t\nlast_modified_at: 2026-08-04\n---\nx").unwrap();
        assert_eq!(post.date, NaiveDate::from_ymd_opt(2026, 8, 4).unwrap());
        assert_eq!(parse("news.md", "---\ntitle: t\n---\nx"), Err(PostError::NoDate));
    }

    #[test]
    fn a_date_out_of_range_rejects_the_post_naming_the_date() {
        let dated = |date: &str| parse("2026-01-05-news.md", &format!("---\ntitle: t\ndate: {date}\n---\nx"));
        let err = dated("0206-01-01").unwrap_err();
        assert_eq!(
            err,
            PostError::DateOutOfRange {
                origin: "the front matter `date`",
                date: NaiveDate::from_ymd_opt(206, 1, 1).unwrap()
            }
        );
        assert_eq!(
            err.to_string(),
            "date out of range: the front matter `date` is 0206-01-01, outside 1990-01-01 to 2100-12-31"
        );
        assert!(matches!(dated("2101-01-01 10:00:00 +0900"), Err(PostError::DateOutOfRange { .. })));
        assert!(matches!(dated("1989/12/31"), Err(PostError::DateOutOfRange { .. })));
        assert_eq!(dated("1990-01-01").unwrap().date, NaiveDate::from_ymd_opt(1990, 1, 1).unwrap());
        assert_eq!(dated("2100.12.31").unwrap().date, NaiveDate::from_ymd_opt(2100, 12, 31).unwrap());
        // what is no date at all (a signed or six-digit year, no such day) gives way to the file name
        for no_date in ["-262143-01-01", "+262142-12-31", "202601-01-05", "2026-02-30", "yesterday"] {
            assert_eq!(dated(no_date).unwrap().date, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), "{no_date}");
        }
    }

    #[test]
    fn the_file_name_date_is_range_checked_too() {
        let err = parse("old/0206-01-01-news.md", "---\ntitle: t\n---\nx").unwrap_err();
        assert_eq!(
            err,
            PostError::DateOutOfRange {
                origin: "the file name's date",
                date: NaiveDate::from_ymd_opt(206, 1, 1).unwrap()
            }
        );
        let err = parse("2101-01-01-news.md", "---\nlast_modified_at: 2026-01-01\n---\nx").unwrap_err();
        assert!(matches!(err, PostError::DateOutOfRange { origin: "the file name's date", .. }), "{err}");
        let err = parse("news.md", "---\nlast_modified_at: 1989-12-31\n---\nx").unwrap_err();
        assert!(matches!(err, PostError::DateOutOfRange { origin: "the front matter `last_modified_at`", .. }));
        // a file name that only looks numeric is no date
        assert_eq!(parse("1984-review.md", "---\ndate: 2026-01-05\n---\nx").unwrap().date.to_string(), "2026-01-05");
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(decode(b""), Err(PostError::Empty));
        assert_eq!(decode(b"  \n"), Err(PostError::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(PostError::Binary));
        assert_eq!(decode(b"ab\xffcd"), Err(PostError::NotUtf8(2)));
        assert_eq!(parse("a.md", "no front matter"), Err(PostError::NoFrontMatter));
        assert_eq!(parse("a.md", "---\ntitle: x\n"), Err(PostError::UnclosedFrontMatter));
        assert!(matches!(parse("a.md", "---\ntitle: [x\n---\n"), Err(PostError::InvalidYaml(_))));
    }
}
