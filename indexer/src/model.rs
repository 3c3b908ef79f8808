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

/// Link texts that say nothing about the article ("🔗 원문 기사 보기", "link").
fn is_generic_link_text(text: &str) -> bool {
    let t: String = text.chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect::<String>().trim().to_lowercase();
    t.is_empty()
        || [
            "원문 기사 보기",
            "원문 보기",
            "원문",
            "기사 보기",
            "링크",
            "바로가기",
            "link",
            "source",
            "here",
            "read more",
        ]
        .contains(&t.as_str())
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
        assert!(!is_generic_link_text("Introducing OpenAI Frontier"));
    }
}
