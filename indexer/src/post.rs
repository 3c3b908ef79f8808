//! A post: YAML front matter + markdown body.

use chrono::NaiveDate;
use serde_yaml::Value;

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
    // modification (`last_modified_at`, used by posts that have no `date`).
    let date_field = |key: &str| field(key).and_then(scalar_string).and_then(|s| parse_date(&s));
    let date = date_field("date")
        .or_else(|| date_from_file_name(path))
        .or_else(|| date_field("last_modified_at"))
        .ok_or(PostError::NoDate)?;
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

/// The calendar date a post was published, as the author wrote it (the local date of the
/// given time, not converted to UTC): `2026-01-13 09:44:23 +0900`, `2026-01-13T09:44:23+09:00`,
/// `2026-01-13`, `2026/01/13`, `2026.01.13`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_matches(['"', '\'']);
    let head: String = s.chars().take(10).collect();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&head, fmt) {
            return Some(d);
        }
    }
    // Single-digit months and days: 2026-1-5
    let date_part = s.split([' ', 'T']).next()?;
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, fmt) {
            return Some(d);
        }
    }
    None
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn date_from_file_name(path: &str) -> Option<NaiveDate> {
    let name = file_name(path);
    name.get(..10).and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
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
    fn dates_in_every_seen_format() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 13).unwrap();
        for s in [
            "2026-01-13 09:44:23 +0900",
            "2026-01-13T09:44:23+09:00",
            "2026-01-13",
            "'2026-01-13'",
            "2026/01/13",
            "2026.01.13",
            "2026-1-13 10:00",
            "2026-01-13 09:44 +09:00",
            "'2026-01-13 01:12:54 '",
            "\"2026-01-13 09:44:23 +0900\"",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("yesterday"), None);
    }

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
