//! Fuzzing the post parser with proptest: the functions that turn a file's bytes into a post and
//! its items (`post::decode` → `post::parse` → `markdown::blocks` → `items::split_post` →
//! `NewsItem::from_raw`, the steps of `builder::read_post`), and `builder::parse_posts` itself on
//! folders of such files. Inputs: arbitrary bytes, the layout fixtures with random byte edits,
//! and generated markdown-ish posts (front matter, headings, lists, bold titles, labels, links,
//! raw HTML, tables, code, Korean text). Nothing may panic; a rejection is a typed `PostError`
//! (or a report entry with a reason); what comes out keeps the documented invariants.
//!
//! Bounded for CI: a fixed number of cases per property (`PROPTEST_CASES=n` overrides it, e.g.
//! for a longer local run); the whole file runs in a few seconds.

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use sosik_corpus::dates::{MAX_DATE, MIN_DATE};
use sosik_corpus::post::{self, PostError};
use sosik_corpus::{items, markdown, NewsItem};
use sosik_indexer::build::parse_posts;

fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    // a failure's seed is kept beside this file (tests/fuzz_post.proptest-regressions) and
    // replayed first on the next run
    let failure_persistence = Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions")) as Box<_>);
    Config { cases, failure_persistence, ..Config::default() }
}

/// The parse steps of one post, checking each step's invariants on the way.
fn pipeline(path: &str, bytes: &[u8]) -> Result<Vec<NewsItem>, PostError> {
    let text = post::decode(bytes).inspect_err(|e| check_decode_error(bytes, e))?;
    let unbommed = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    assert!(!text.trim().is_empty(), "decode accepted blank text");
    assert!(!unbommed.iter().take(8192).any(|&b| b == 0), "decode accepted NUL bytes");

    let post = post::parse(path, text)?;
    assert_eq!(&text[post.body_offset..], post.body, "body_offset points at the body");
    assert!(!post.title.trim().is_empty(), "a post always has a title (front matter or file name)");
    assert!(post.categories.iter().chain(&post.tags).all(|c| !c.is_empty() && c.trim() == c));

    let blocks = markdown::blocks(&post.body);
    for b in &blocks {
        let joined: Vec<&str> = b.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(b.text, joined.join("\n"), "a block's text is its lines joined");
        let links: Vec<&markdown::Link> = b.lines.iter().flat_map(|l| &l.links).collect();
        assert_eq!(b.links.iter().collect::<Vec<_>>(), links, "a block's links are its lines' links");
    }
    let raw = items::split_post(&post.title, &blocks);
    if raw.is_empty() {
        return Err(PostError::NoItems);
    }
    let items: Vec<NewsItem> = raw.into_iter().enumerate().map(|(i, r)| NewsItem::from_raw(&post, i, r)).collect();
    let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), items.len(), "item ids are unique within a post");
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item.position, i);
        assert_eq!((item.post_path.as_str(), item.date), (path, post.date));
        assert!(!item.title.trim().is_empty(), "item {i} has a blank title");
        assert!(item.sources.iter().all(|s| !s.url.is_empty()), "item {i} has a source without URL");
    }
    Ok(items)
}

fn check_decode_error(bytes: &[u8], e: &PostError) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match e {
        PostError::Empty => assert!(std::str::from_utf8(bytes).is_ok_and(|t| t.trim().is_empty())),
        PostError::Binary => assert!(bytes.iter().take(8192).any(|&b| b == 0)),
        PostError::NotUtf8(at) => {
            assert!(*at < bytes.len() && std::str::from_utf8(&bytes[..*at]).is_ok());
            assert!(std::str::from_utf8(bytes).is_err());
        }
        other => panic!("decode gave {other:?}, which is about the content"),
    }
    assert!(!e.to_string().is_empty());
}

/// The invented layout fixtures (every layout family the parser knows).
fn fixtures() -> &'static [(String, Vec<u8>)] {
    static FIXTURES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "fixtures in {}", dir.display());
        files
    })
}

/// A random edit of a post. Most keep the text UTF-8 (so the markdown and item steps see it);
/// `Byte` edits are raw.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace the character at (position mod length).
    Char(usize, char),
    Insert(usize, String),
    /// Remove up to n bytes (whole characters).
    Remove(usize, usize),
    /// Copy a span elsewhere (repeats markers and labels).
    Duplicate(usize, usize, usize),
    Byte(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let snippet = prop_oneof![
        Just("\n---\n"),
        Just("**"),
        Just("\n### "),
        Just("\n- "),
        Just("\n1. "),
        Just("요약: "),
        Just("왜 중요한가: "),
        Just("<div class=\"digest-item\">"),
        Just("</div>"),
        Just("]("),
        Just("\n```"),
        Just("<!--"),
        Just("\r\n"),
        Just("|"),
    ]
    .prop_map(str::to_string);
    let any_text = any::<String>().prop_map(|s| s.chars().take(6).collect::<String>());
    prop_oneof![
        4 => (any::<usize>(), any::<char>()).prop_map(|(p, c)| Edit::Char(p, c)),
        4 => (any::<usize>(), prop_oneof![snippet, any_text]).prop_map(|(p, s)| Edit::Insert(p, s)),
        3 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Remove(p, n)),
        3 => (any::<usize>(), 1usize..200, any::<usize>()).prop_map(|(p, n, to)| Edit::Duplicate(p, n, to)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Byte(p, b)),
    ]
}

fn apply(bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    let Ok(mut text) = String::from_utf8(bytes.clone()) else { return bytes };
    let floor = |text: &str, p: usize| {
        let mut at = p % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    for e in edits {
        match e {
            Edit::Char(p, c) => {
                let at = floor(&text, *p);
                if let Some(old) = text[at..].chars().next() {
                    text.replace_range(at..at + old.len_utf8(), c.encode_utf8(&mut [0; 4]));
                }
            }
            Edit::Insert(p, s) => {
                let at = floor(&text, *p);
                text.insert_str(at, s);
            }
            Edit::Remove(p, n) => {
                let at = floor(&text, *p);
                let end = floor(&text, (at + n).min(text.len()));
                text.replace_range(at..end.max(at), "");
            }
            Edit::Duplicate(p, n, to) => {
                let at = floor(&text, *p);
                let end = floor(&text, (at + n).min(text.len())).max(at);
                let span = text[at..end].to_string();
                let to = floor(&text, *to);
                text.insert_str(to, &span);
            }
            Edit::Byte(..) => {}
        }
    }
    let mut bytes = text.into_bytes();
    for e in edits {
        if let Edit::Byte(p, b) = e {
            if !bytes.is_empty() {
                let at = p % bytes.len();
                bytes[at] = *b;
            }
        }
    }
    bytes
}

/// Text with Korean, Latin, digits, punctuation and markdown/HTML metacharacters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[가-힣 ]{1,30}",
        "[a-zA-Z0-9 ]{1,30}",
        "[가-힣a-zA-Z0-9 .,!?()\\[\\]*_`#<>&;:/'\"|~\\\\-]{0,40}",
        "[\u{1F4CC}\u{1F4A1}\u{1F517}\u{00A0}\u{200B}\u{3000}가-힣 ]{1,12}",
        any::<String>().prop_map(|s| s.chars().filter(|c| *c != '\0').take(40).collect()),
    ]
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        "https://(example\\.com|techcrunch\\.com|openai\\.com)/[a-z0-9/-]{0,30}",
        "[a-z]{0,10}:?/{0,2}[^ )\\n\\x00]{0,20}",
        Just(String::new()),
    ]
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..7, text()).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        (2usize..4, 0u32..30, text()).prop_map(|(n, i, t)| format!("{} {i}. {t}", "#".repeat(n))),
        (text(), text()).prop_map(|(t, rest)| format!("**{t}** {rest}")),
        (text(), text(), url()).prop_map(|(t, s, u)| format!("- **{t}**: {s} [원문]({u})")),
        (text(), url()).prop_map(|(t, u)| format!("* [{t}]({u})")),
        (0u32..20, text()).prop_map(|(i, t)| format!("{i}. {t}")),
        text().prop_map(|t| format!("요약: {t}")),
        text().prop_map(|t| format!("**왜 중요한가**: {t}")),
        (text(), url()).prop_map(|(t, u)| format!("Source: [{t}]({u})")),
        text().prop_map(|t| format!("📌 요약\n{t}\n\n💡 시사점\n{t}")),
        url().prop_map(|u| format!("🔗 원문: {u}")),
        (text(), url(), text()).prop_map(|(t, u, p)| format!(
            "<div class=\"digest-item\"><h3><a href=\"{u}\">{t}</a></h3><p>{p}<br>{p}</p></div>"
        )),
        text().prop_map(|t| format!("<span class=\"tags\">{t}</span><script>{t}</script><p>{t}")),
        text().prop_map(|t| format!("&amp; &#39;{t}&quot; &#xZZ; &nbsp;")),
        (text(), text()).prop_map(|(a, b)| format!("| {a} | {b} |\n|---|---|\n| {b} | {a} |")),
        text().prop_map(|t| format!("```mermaid\n{t}\n```")),
        text().prop_map(|t| format!("```\n{t}")),
        text().prop_map(|t| format!("> {t}\n> - {t}")),
        Just("---".to_string()),
        text().prop_map(|t| format!("  - 중첩 {t}\n    - {t}")),
        text().prop_map(|t| format!("(cite index=\"1\">{t}")),
        text(),
    ]
}

#[derive(Clone, Debug)]
struct FrontMatter {
    title: Option<String>,
    date: chrono::NaiveDate,
    date_format: usize,
    categories: Vec<String>,
    as_list: bool,
}

fn front_matter() -> impl Strategy<Value = FrontMatter> {
    // the whole range sosik accepts, its edges included
    let date = prop_oneof![
        (1990i32..=2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        Just(MIN_DATE),
        Just(MAX_DATE),
    ];
    let title = prop::option::of("[가-힣a-zA-Z0-9 \\[\\]:#,.!?'\"-]{0,40}");
    (title, date, 0usize..5, prop::collection::vec("[a-zA-Z가-힣]{1,8}", 0..4), any::<bool>()).prop_map(
        |(title, date, date_format, categories, as_list)| FrontMatter { title, date, date_format, categories, as_list },
    )
}

impl FrontMatter {
    fn render(&self) -> String {
        let mut out = String::from("---\n");
        if let Some(t) = &self.title {
            // a YAML double-quoted string
            out += &format!("title: \"{}\"\n", t.replace('\\', "\\\\").replace('"', "\\\""));
        }
        let d = self.date;
        let date = match self.date_format {
            0 => d.format("%Y-%m-%d").to_string(),
            1 => format!("{} 09:44:23 +0900", d.format("%Y-%m-%d")),
            2 => format!("{}T09:44:23+09:00", d.format("%Y-%m-%d")),
            3 => d.format("%Y/%m/%d").to_string(),
            _ => format!("\"{}\"", d.format("%Y.%m.%d")),
        };
        out += &format!("date: {date}\n");
        if self.as_list {
            out += &format!("categories: [{}]\n", self.categories.join(", "));
        } else if !self.categories.is_empty() {
            out += &format!("tags: {}\n", self.categories.join(" "));
        }
        out + "---\n"
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = pipeline("fuzz.md", &bytes);
        // the same bytes behind a valid front matter reach the markdown and item steps
        let mut post = b"---\ndate: 2026-01-13\n---\n".to_vec();
        post.extend(&bytes);
        let _ = pipeline("fuzz.md", &post);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn fixtures_with_random_edits(which in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..12)) {
        let (name, bytes) = which.get(fixtures());
        let _ = pipeline(name, &apply(bytes.clone(), &edits));
    }

    #[test]
    fn generated_posts(fm in front_matter(), blocks in prop::collection::vec(block(), 0..24), crlf in any::<bool>()) {
        let mut text = fm.render() + &blocks.join("\n\n") + "\n";
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        // a well-formed front matter always parses, with the date and title it gives
        let post = post::parse("2026-12-31-generated.md", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(post.date, fm.date);
        match fm.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => prop_assert_eq!(post.title.as_str(), t),
            None => prop_assert_eq!(post.title.as_str(), "2026-12-31-generated"),
        }
        match pipeline("2026-12-31-generated.md", text.as_bytes()) {
            Ok(_) | Err(PostError::NoItems) => {}
            Err(e) => panic!("a generated post was rejected: {e}\n{text}"),
        }
    }
}

/// A date as a post might give it: mostly fine, and every kind the date parser must refuse or
/// pass over — the edges of the range and just past them, years chrono's `%Y` reads (signed,
/// five and six digits, its calendar's edges), days that do not exist, other shapes — in each
/// format posts use.
fn post_date() -> impl Strategy<Value = String> {
    let sign = prop_oneof![Just(""), Just("+"), Just("-")];
    let ymd = prop_oneof![
        2 => (1990i32..=2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| (y.to_string(), m, d)),
        2 => (sign, any::<i32>(), 0u32..14, 0u32..33).prop_map(|(s, y, m, d)| (format!("{s}{y}"), m, d)),
        2 => (0i32..10000, 1u32..13, 1u32..32).prop_map(|(y, m, d)| (format!("{y:04}"), m, d)),
        1 => prop::sample::select(vec![
            ("1990", 1, 1), ("2100", 12, 31), ("1989", 12, 31), ("2101", 1, 1), ("0206", 1, 1), ("-262143", 1, 1),
            ("+262142", 12, 31), ("262142", 12, 31), ("02026", 1, 13), ("2026", 2, 30),
        ])
        .prop_map(|(y, m, d)| (y.to_string(), m, d)),
    ];
    prop_oneof![
        6 => (ymd, 0usize..6).prop_map(|((y, m, d), format)| match format {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}-{m:02}-{d:02} 09:44:23 +0900"),
            2 => format!("{y}-{m:02}-{d:02}T09:44:23+09:00"),
            3 => format!("{y}/{m:02}/{d:02}"),
            4 => format!("'{y}.{m:02}.{d:02}'"),
            _ => format!("{y}-{m}-{d} 10:00"),
        }),
        1 => "[0-9+./ T:-]{0,20}",
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// Every date a post takes — front matter `date`, the file name, `last_modified_at` — with
    /// dates of every kind: never a panic; a post is dated in the range, or rejected as out of
    /// range naming a date outside it, or rejected for having no date.
    #[test]
    fn post_dates_of_every_kind(
        date in prop::option::of(post_date()),
        name in prop::option::of(post_date()),
        modified in prop::option::of(post_date()),
    ) {
        let mut text = String::from("---\ntitle: t\n");
        if let Some(d) = &date {
            text += &format!("date: {d}\n");
        }
        if let Some(d) = &modified {
            text += &format!("last_modified_at: {d}\n");
        }
        text += "---\n- [가상 모델 HH 출시](https://example.com/hh)\n";
        let path = format!("posts/{}-news.md", name.as_deref().unwrap_or("news").replace('/', "-"));
        let parsed = post::parse(&path, &text);
        match parsed.clone() {
            Ok(post) => prop_assert!((MIN_DATE..=MAX_DATE).contains(&post.date), "{} from {text}", post.date),
            Err(e @ PostError::DateOutOfRange { date, .. }) => {
                prop_assert!(!(MIN_DATE..=MAX_DATE).contains(&date));
                prop_assert!(e.to_string().contains(&date.to_string()), "{e}");
            }
            Err(PostError::NoDate | PostError::InvalidYaml(_)) => {}
            Err(e) => panic!("{e} for {path}\n{text}"),
        }
        // a date in the range in the front matter is the post's date, whatever else it has
        let strict = date.as_deref().filter(|d| d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        if let Some(day) = strict.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
            if (MIN_DATE..=MAX_DATE).contains(&day) && !matches!(parsed, Err(PostError::InvalidYaml(_))) {
                prop_assert_eq!(parsed.map(|p| p.date), Ok(day));
            }
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// The builder's own entry point over a folder of such files: each file is indexed or
    /// rejected with a reason, never lost, never a panic or an error for the whole folder.
    #[test]
    fn a_folder_of_fuzzed_posts(
        files in prop::collection::vec((front_matter(), prop::collection::vec(block(), 0..8), prop::collection::vec(edit(), 0..4)), 1..6)
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, (fm, blocks, edits)) in files.iter().enumerate() {
            let text = fm.render() + &blocks.join("\n\n");
            std::fs::write(dir.path().join(format!("{i:02}.md")), apply(text.into_bytes(), edits)).unwrap();
        }
        let (items, report) = parse_posts(dir.path()).unwrap();
        prop_assert_eq!(report.files_seen, files.len());
        prop_assert_eq!(report.posts_indexed + report.rejected.len(), files.len());
        prop_assert_eq!(report.items, items.len());
        prop_assert!(report.rejected.iter().all(|r| !r.reason.is_empty()));
        prop_assert!(items.iter().all(|i| !report.rejected.iter().any(|r| r.path == i.post_path)));
    }
}
