//! The corpus model: posts → news items.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::items::RawItem;
use crate::post::Post;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    pub title: String,
    pub url: String,
    pub domain: String,
}

/// A news item (or an essay passage) with everything search and explore need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    /// Stable id: hash of post path, position and title (same input → same id).
    pub id: String,
    pub post_path: String,
    pub post_title: String,
    pub date: NaiveDate,
    /// 0-based position of the item in its post.
    pub position: usize,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub body: String,
    pub sources: Vec<SourceLink>,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
}

impl NewsItem {
    pub fn from_raw(post: &Post, position: usize, raw: RawItem) -> NewsItem {
        let title = if raw.title.is_empty() { post.title.clone() } else { raw.title };
        let mut h = Sha256::new();
        h.update(post.path.as_bytes());
        h.update([0]);
        h.update(position.to_le_bytes());
        h.update(title.as_bytes());
        let id = h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
        let sources = raw
            .sources
            .into_iter()
            .map(|l| {
                let domain = domain_of(&l.url);
                let generic = is_generic_link_text(&l.text);
                SourceLink { title: if generic { domain.clone() } else { l.text }, url: l.url, domain }
            })
            .collect();
        NewsItem {
            id,
            post_path: post.path.clone(),
            post_title: post.title.clone(),
            date: post.date,
            position,
            title,
            summary: raw.summary,
            why: raw.why,
            body: raw.body,
            sources,
            companies: Vec::new(),
            topics: Vec::new(),
        }
    }

    /// Text the embedding model sees: title, then summary and why-it-matters (or the body).
    pub fn embedding_text(&self) -> String {
        let lead = [self.summary.as_str(), self.why.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let rest = if lead.is_empty() { self.body.as_str() } else { lead.as_str() };
        format!("{}\n{}", self.title, rest)
    }
}

/// `https://www.techcrunch.com/a` → `techcrunch.com`.
pub fn domain_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    host.trim_start_matches("www.").to_ascii_lowercase()
}

/// Link texts that say nothing about the article ("🔗 원문 기사 보기", "Source URL", "Link to
/// Article", a bare URL or domain, "링크: https://…").
fn is_generic_link_text(text: &str) -> bool {
    let t = text.trim();
    // "링크: https://…", "원문 - example.com/a": the label says nothing, the rest decides
    let t = match t.split_once([':', '：']) {
        Some((label, rest)) if label.chars().count() <= 8 && !rest.starts_with("//") => rest.trim(),
        _ => t,
    };
    let lower = t.to_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    // "openai.com/index/x", "news.hada.io": a domain (with a path), no spaces
    if !lower.contains(' ')
        && lower.split('/').next().is_some_and(|host| {
            const TLDS: &[&str] = &[
                "com", "org", "net", "io", "ai", "dev", "co", "kr", "jp", "cn", "uk", "de", "fr", "app", "blog",
                "news", "tech", "me", "xyz", "info", "gg", "tv", "so", "sh", "edu", "gov",
            ];
            host.contains('.') && host.rsplit('.').next().is_some_and(|tld| TLDS.contains(&tld))
        })
    {
        return true;
    }
    let words: String = lower.chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect::<String>();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    words.is_empty()
        || [
            "원문 기사 보기",
            "원문 보기",
            "원문",
            "원문 링크",
            "기사 보기",
            "기사 원문",
            "기사",
            "링크",
            "바로가기",
            "자세히 보기",
            "더 보기",
            "출처",
            "소스",
            "link",
            "link to article",
            "article",
            "source",
            "source url",
            "url",
            "here",
            "read more",
            "more",
        ]
        .contains(&words.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(domain_of("https://www.TechCrunch.com/2026/01/x"), "techcrunch.com");
        assert_eq!(domain_of("https://news.hada.io/topic?id=1"), "news.hada.io");
        assert_eq!(domain_of("http://user@host.org:8080/p"), "host.org");
    }

    #[test]
    fn generic_link_texts() {
        assert!(is_generic_link_text("🔗 원문 기사 보기"));
        assert!(is_generic_link_text("Source URL"));
        assert!(is_generic_link_text("Link to Article"));
        assert!(is_generic_link_text("https://example.com/a"));
        assert!(is_generic_link_text("링크: https://example.com/a"));
        assert!(is_generic_link_text("openai.com/index/introducing-gpt-5-4/"));
        assert!(!is_generic_link_text("Introducing OpenAI Frontier"));
        assert!(!is_generic_link_text("GPT-5.4 출시"));
        assert!(!is_generic_link_text("Node.js 24 released"));
        assert!(!is_generic_link_text("Node.js"));
    }
}
