//! Story titles: cleaning, numbering, and the titles of sections that are not items.

/// Strips list numbering, emoji, rank prefixes, brackets and score suffixes from a title:
/// "## 1. 제목" → "제목", "💥 제목" → "제목", "1️⃣ 제목", "[1. 제목]", "[태그] 제목",
/// "1위 신규 — 제목", "제목 (14pts)" → "제목".
pub fn clean_title(text: &str) -> String {
    let mut t = text.trim().to_string();
    loop {
        let before = t.clone();
        // leading symbols, emoji and markdown marks (opening quotes and brackets stay)
        t = t
            .trim_start_matches(|c: char| {
                !c.is_alphanumeric()
                    && !matches!(c, '[' | '(' | '\'' | '"' | '‘' | '“' | '「' | '『' | '<' | '《' | '$')
            })
            .to_string();
        t = strip_numbering(&t);
        // "[제목]" wrapping the whole title, or a short "[태그] " in front; an unclosed "[" goes
        if let Some(inner) = t.strip_prefix('[').filter(|i| !i.contains(']')) {
            t = inner.to_string();
        } else if let Some(inner) = t.strip_prefix('[') {
            if let Some(close) = inner.find(']') {
                let (tag, after) = (&inner[..close], inner[close + 1..].trim());
                if after.is_empty() {
                    t = tag.trim().to_string();
                } else if after.starts_with('(') || tag.chars().count() > 20 {
                    // "[링크](…)"-like or a long bracket: leave as written
                } else if tag.chars().count() <= 3 || tag.chars().any(|c| c.is_ascii_digit()) {
                    // "[AI] 제목", "[1] 제목", "[새 진입 1위] 제목": a category or rank
                    t = after.to_string();
                } else {
                    // "[VeriEvol] 헤드라인": the tag names the subject
                    t = format!("{}: {after}", tag.trim());
                }
            }
        }
        // trailing "(14pts)", "(396점)", "(⭐ 50,122)"
        if let Some(open) = t.rfind(" (") {
            let inner = t[open + 2..].trim_end_matches(')');
            let inner = inner.trim_start_matches(['⭐', '★', ' ']);
            let digits = inner.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
            if t.ends_with(')')
                && digits.len() < inner.len()
                && ["", "pts", "pt", "points", "point", "점", "stars", " pts", " points", " 점"].contains(&digits)
            {
                t.truncate(open);
            }
        }
        // closing "#"s of a heading, a trailing colon
        t = t.trim().trim_end_matches(['#', ':', '：']).trim().to_string();
        if t == before {
            return t;
        }
    }
}

/// Whether a title starts with a story number ("1. ", "### ## 2. ", "1️⃣ ").
pub(super) fn is_numbered(title: &str) -> bool {
    let t = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    strip_numbering(t) != t
}

/// "1. ", "1) ", "1번. ", "2.1 ", "1️⃣ ", "1위 신규 — " at the start of a title.
pub(super) fn strip_numbering(t: &str) -> String {
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return t.to_string();
    }
    let mut after = &t[digits..];
    // outline numbers: 2.1, 3.2.1, 1-2
    let mut dotted = false;
    while let Some(rest) = after.strip_prefix('.').or_else(|| after.strip_prefix('-')) {
        let d = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if d == 0 || d > 3 {
            break;
        }
        after = &rest[d..];
        dotted = true;
    }
    // keycap emoji 1️⃣
    let keycap = after.trim_start_matches(['\u{FE0F}', '\u{20E3}']);
    if keycap.len() < after.len() {
        return keycap.trim_start().to_string();
    }
    for sep in [". ", ") ", "번. ", "번) ", ": ", ".", ")"] {
        if let Some(rest) = after.strip_prefix(sep) {
            if sep.ends_with(' ') || rest.starts_with(' ') || !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest.trim_start().to_string();
            }
        }
    }
    if dotted && after.starts_with(' ') {
        return after.trim_start().to_string();
    }
    // "1위 신규 — 제목", "3위 — 제목"
    if let Some(rest) = after.strip_prefix('위') {
        if let Some(p) = rest.find(['—', '–']) {
            if rest[..p].chars().count() <= 12 {
                return rest[p..].trim_start_matches(['—', '–', ' ']).to_string();
            }
        }
    }
    t.to_string()
}

/// Lower-cased title without the bits that vary ("(AI)", "— Qiita 트렌드").
pub(super) fn title_key(title: &str) -> String {
    let t = clean_title(title).to_lowercase();
    // "미스 김의 인사이트 — 개발도구 / 에이전트", "미스 김의 인사이트 (AI)": the name is the first part
    let end = [" — ", " – ", " - ", " (", " |", ": "].iter().filter_map(|sep| t.find(sep)).min().unwrap_or(t.len());
    t[..end].trim().to_string()
}

/// Section titles that are never stories, in any post (tables of contents).
pub(super) fn is_toc_title(title: &str) -> bool {
    let t = title_key(title);
    ["목차", "table of contents", "contents", "toc", "index"].contains(&t.as_str())
}

/// "참고 자료", "References": a list of references.
pub(super) fn is_reference_title(title: &str) -> bool {
    let t = title_key(title);
    [
        "참고 자료",
        "참고자료",
        "참고 문헌",
        "참고문헌",
        "references",
        "reference",
        "출처",
        "sources",
        "관련 링크",
        "참고 링크",
        "관련글",
        "관련 글",
    ]
    .contains(&t.as_str())
}

/// Section titles that are not news items in a digest: summaries of the whole post, the
/// author's commentary, reference lists, closing notes.
pub(super) fn is_non_item_title(title: &str) -> bool {
    const EXACT: &[&str] = &[
        "결론",
        "정리",
        "개요",
        "출처",
        "참고",
        "요약",
        "마무리",
        "들어가며",
        "마치며",
        "맺음말",
        "전망",
        "한눈에 보기",
        "오늘의 결론",
        "오늘의 정리",
        "관련글",
        "관련 글",
        "references",
        "sources",
        "summary",
        "conclusion",
        "overview",
        "introduction",
        "keywords",
    ];
    const CONTAINS: &[&str] = &[
        "executive summary",
        "미스 김",
        "source ledger",
        "오늘의 키워드",
        "핵심 트렌드",
        "트렌드 종합",
        "jay에게",
        "주 전망",
        "향후 전망",
        "closing note",
        "참고 자료",
        "참고자료",
        "참고 링크",
        "관련 링크",
        "한눈에",
        "한 줄 요약",
        "한줄 요약",
        "red team",
        "체크리스트",
        "액션 포인트",
        "액션 아이템",
        "액션 플랜",
        "액션 제안",
        "유효한 액션",
        "위험 신호",
        "기회 신호",
        "메가 트렌드",
        "핵심 요약",
        "disclaimer",
        "면책",
        "jay께",
        "주인님",
        "종합 결론",
        "한 줄 결론",
    ];
    let t = title_key(title);
    if is_toc_title(&t) || EXACT.contains(&t.as_str()) {
        return true;
    }
    // "Top 5", "TOP 10 뉴스", "핵심 Top 3"
    if let Some(p) = t.find("top") {
        if t[p + 3..].trim_start().starts_with(|c: char| c.is_ascii_digit()) && t.chars().count() <= 14 {
            return true;
        }
    }
    let n = t.chars().count();
    CONTAINS.iter().any(|p| t.contains(p) && n <= p.chars().count() + 22)
}

/// "항목 3", "3", "Item 3": a heading that only numbers what follows.
pub(super) fn is_placeholder_title(title: &str) -> bool {
    let t = title_key(title);
    let word = t.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '#' || c == '.');
    ["", "항목", "item", "news", "뉴스", "no", "기사", "story"].contains(&word)
}

// ---------------------------------------------------------------------------------------------
// The outline
