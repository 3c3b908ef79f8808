//! Raw HTML inside markdown: turned into the markdown it stands for, metadata elements dropped.

use super::*;

/// Where the tag starting at `rest[0] == '<'` ends (the index of its `>`), quotes respected;
/// `None` when `<` does not open a tag ("<1 GB") or the tag is not closed.
pub(super) fn tag_end(rest: &str) -> Option<usize> {
    let next = rest[1..].chars().next()?;
    if !(next.is_ascii_alphabetic() || next == '/' || next == '!') {
        return None;
    }
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Inline HTML inside a markdown block: `<br>` breaks the line, `<a href>` is a link, metadata
/// elements (`<span class="meta-pill">196</span>`) are skipped, other tags vanish (their text
/// stays).
pub(super) fn inline_html(b: &mut Builder, html: &str) {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        b.push_text(&decode_entities(&rest[..start]));
        let Some(len) = tag_end(&rest[start..]) else {
            b.push_text("<");
            rest = &rest[start + 1..];
            continue;
        };
        let raw = &rest[start + 1..start + len];
        let tag = Tag_::parse(raw);
        rest = &rest[start + len + 1..];
        let void = VOID_TAGS.contains(&tag.name.as_str()) || raw.trim_end().ends_with('/');
        if let Some((name, depth)) = b.skip_inline.as_mut() {
            if *name == tag.name && !void {
                if tag.closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    b.skip_inline = None;
                }
            }
            continue;
        }
        if !tag.closing && !void && is_metadata_class(&tag.attr("class").unwrap_or_default()) {
            b.skip_inline = Some((tag.name.clone(), 1));
            continue;
        }
        match (tag.name.as_str(), tag.closing) {
            ("br", _) | ("p", _) | ("div", _) | ("li", false) | ("tr", _) => b.push_text("\n"),
            ("a", false) => {
                if let Some(href) = tag.attr("href") {
                    b.open_link(href);
                }
            }
            ("a", true) => b.close_link(),
            _ => {}
        }
    }
    b.push_text(&decode_entities(rest));
}

/// A parsed HTML tag (just what we need).
pub(super) struct Tag_ {
    name: String,
    closing: bool,
    attrs: String,
}

impl Tag_ {
    fn parse(inner: &str) -> Tag_ {
        let inner = inner.trim();
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/');
        let (name, attrs) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        Tag_ { name: name.to_ascii_lowercase(), closing, attrs: attrs.to_string() }
    }

    fn attr(&self, key: &str) -> Option<String> {
        let lower = self.attrs.to_ascii_lowercase();
        let mut from = 0;
        while let Some(p) = lower[from..].find(key) {
            let at = from + p;
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            let rest = self.attrs[at + key.len()..].trim_start();
            if before_ok {
                if let Some(value) = rest.strip_prefix('=') {
                    let value = value.trim_start();
                    let v = match value.chars().next() {
                        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                        _ => value.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
                    };
                    return Some(decode_entities(v));
                }
            }
            from = at + key.len();
        }
        None
    }
}

/// Class names that mark an element as metadata rather than readable text: `categories`,
/// `category-tag`, `sub-tags`, `item-meta`, `meta-pill`, `digest-thumb`, `keywords`, … (state
/// modifiers such as `has-thumb` describe the element itself and do not count).
pub(super) fn is_metadata_class(class: &str) -> bool {
    const WORDS: &[&str] = &[
        "tag",
        "tags",
        "category",
        "categories",
        "meta",
        "keyword",
        "keywords",
        "thumb",
        "thumbnail",
        "badge",
        "badges",
        "pill",
        "pills",
        "toc",
    ];
    class.split_whitespace().any(|token| {
        let token = token.to_ascii_lowercase();
        if ["has-", "is-", "with-", "no-"].iter().any(|p| token.starts_with(p)) {
            return false;
        }
        let parts: Vec<&str> = token.split(['-', '_']).collect();
        parts.first().is_some_and(|p| WORDS.contains(p)) || parts.last().is_some_and(|p| WORDS.contains(p))
    })
}

pub(super) const VOID_TAGS: &[&str] = &["br", "img", "hr", "input", "meta", "link", "source", "wbr"];

/// Converts an HTML fragment to the markdown it stands for, dropping metadata elements.
pub(super) fn html_to_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // (tag name, depth of same-name tags) of an element being skipped
    let mut skipping: Option<(String, usize)> = None;
    let mut hrefs: Vec<Option<String>> = Vec::new();
    while let Some(start) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&rest[..start]);
        }
        let Some(len) = tag_end(&rest[start..]) else {
            // a "<" that opens no tag is text ("with <1 GB VRAM")
            if skipping.is_none() {
                out.push_str("&lt;");
            }
            rest = &rest[start + 1..];
            continue;
        };
        let raw = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        if raw.starts_with('!') {
            continue; // comments, doctype
        }
        let tag = Tag_::parse(raw);
        let name = tag.name.as_str();
        let void = VOID_TAGS.contains(&name) || raw.trim_end().ends_with('/');
        if let Some((skip_name, depth)) = skipping.as_mut() {
            if name == skip_name && !void {
                if tag.closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !tag.closing && !void {
            let class = tag.attr("class").unwrap_or_default();
            if is_metadata_class(&class) || matches!(name, "script" | "style" | "svg" | "noscript") {
                skipping = Some((name.to_string(), 1));
                continue;
            }
        }
        match (name, tag.closing) {
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                let level = name[1..].parse::<usize>().unwrap_or(3);
                out.push_str("\n\n");
                out.push_str(&"#".repeat(level));
                out.push(' ');
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => out.push_str("\n\n"),
            ("a", false) => {
                let href = tag.attr("href").filter(|h| !h.is_empty());
                if href.is_some() {
                    out.push('[');
                }
                hrefs.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = hrefs.pop() {
                    out.push_str("](");
                    out.push_str(&href.replace(' ', "%20").replace(')', "%29"));
                    out.push(')');
                }
            }
            ("br", _) => out.push('\n'),
            ("p" | "div" | "section" | "article" | "table" | "ul" | "ol" | "blockquote" | "details", _) => {
                out.push_str("\n\n")
            }
            ("li", false) => out.push_str("\n- "),
            ("tr", _) => out.push('\n'),
            ("td" | "th", false) => out.push(' '),
            ("strong" | "b", _) => out.push_str("**"),
            _ => {}
        }
    }
    if skipping.is_none() {
        out.push_str(rest);
    }
    // Indentation inside HTML would turn lines into code blocks when parsed again.
    let text = out.lines().map(str::trim).collect::<Vec<_>>().join("\n");
    decode_entities(&text)
}

/// Decodes the named entities that occur in posts and all numeric ones.
pub(super) fn decode_entities(s: &str) -> String {
    sosik_types::decode_entities(s, |name| match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "middot" => Some('·'),
        "hellip" => Some('…'),
        "mdash" => Some('—'),
        "ndash" => Some('–'),
        _ => None,
    })
}
