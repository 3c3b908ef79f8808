//! Blanking what cites rather than reports, so a company named only as a source is not tagged.

/// Line openings that mark a citation rather than content ("Source:", "→ 원문:", "보강:").
const CITATION_LABELS: &[&str] = &[
    "source",
    "sources",
    "source url",
    "출처",
    "원문",
    "원문 기사",
    "링크",
    "관련 링크",
    "참고",
    "참고 자료",
    "보강",
    "교차확인",
    "via",
    "read more",
    "reference",
    "references",
];

/// Blanks the parts of `text` that cite rather than report, so a company named only as a
/// source is not tagged: lines that start with a citation label, the text of the item's source
/// links (`link_texts`) wherever it occurs with a parenthesised publisher right after it
/// ("Source URL (Google Developers Blog)"), and a trailing parenthesis holding a bracketed
/// reference ("… ([Reddit / Hugging Face])"). Blanked text becomes spaces, so nothing joins.
pub fn strip_citations(text: &str, link_texts: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let core = line.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        let is_citation = CITATION_LABELS.iter().any(|label| {
            core.strip_prefix(label).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        });
        if is_citation {
            out.extend(line.chars().map(|_| ' '));
            continue;
        }
        let mut blank = vec![false; line.len()];
        for t in link_texts.iter().map(|t| t.trim()).filter(|t| t.chars().count() >= 4) {
            let mut from = 0;
            while let Some(p) = line[from..].find(t) {
                let (s, mut e) = (from + p, from + p + t.len());
                blank[s..e].iter_mut().for_each(|b| *b = true);
                // a publisher in parentheses right after the link
                let rest = &line[e..];
                let ws = rest.len() - rest.trim_start().len();
                if rest[ws..].starts_with('(') {
                    if let Some(close) = rest[ws..].find(')') {
                        e += ws + close + 1;
                        blank[s..e].iter_mut().for_each(|b| *b = true);
                    }
                }
                from = e;
            }
        }
        if let Some(range) = trailing_reference(line) {
            blank[range].iter_mut().for_each(|b| *b = true);
        }
        for (i, c) in line.char_indices() {
            out.push(if blank[i] { ' ' } else { c });
        }
    }
    out
}

/// The byte range of a trailing "([Reddit / Hugging Face])" on a line.
fn trailing_reference(line: &str) -> Option<std::ops::Range<usize>> {
    let trimmed = line.trim_end();
    if !trimmed.ends_with("])") {
        return None;
    }
    trimmed.rfind("([").map(|open| open..trimmed.len())
}

/// A title with a trailing bracketed reference blanked (the rest of a title is never a
/// citation).
pub(super) fn strip_trailing_reference(title: &str) -> String {
    let mut out = title.to_string();
    if let Some(range) = trailing_reference(title) {
        out.replace_range(range.clone(), &" ".repeat(range.len()));
    }
    out
}
