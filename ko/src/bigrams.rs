//! Character bigrams: the dictionary-free analysis beside the morphemes.
//!
//! Hangul (and Han) runs become overlapping two-character grams (a one-character run stays a
//! unigram); Latin letters and digits become lower-cased words. This is what Lucene's CJK bigram
//! analyzer does, and what Korean search engines index next to nori's morphemes: a compound that
//! mecab-ko-dic splits one way in the text and another way in the query (인공지능칩 / 인공 지능 칩)
//! still shares its bigrams. Hand-written because tantivy's `NgramTokenizer` cuts grams across
//! spaces and through Latin words, and has no notion of scripts.

use tantivy::tokenizer::Tokenizer;
use unicode_normalization::UnicodeNormalization;

use crate::tokenizer::TermStream;
use crate::Term;

/// Name under which [`BigramTokenizer`] is registered in sosik's tantivy indexes.
pub const BIGRAM_TOKENIZER_NAME: &str = "ko_bigram";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Hangul syllables and jamo, CJK ideographs (Hanja).
    Cjk,
    /// Letters of other scripts and digits.
    Word,
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{4E00}'..='\u{9FFF}' => {
            Script::Cjk
        }
        c if c.is_alphanumeric() => Script::Word,
        _ => Script::Other,
    }
}

/// The grams of `text`, in order, numbered from 0. The text is NFKC-normalised and lower-cased
/// first, so byte spans refer to that form (what the index stores; [`source_bigrams`] gives spans
/// in the text as written).
pub fn bigrams(text: &str) -> Vec<Term> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let chars: Vec<(char, usize, usize)> = norm.char_indices().map(|(i, c)| (c, i, i + c.len_utf8())).collect();
    grams_of(&chars)
}

/// The grams of `text` as [`bigrams`] cuts them, with byte spans in `text` itself, for
/// highlighting. Each character is normalised on its own, so the rare sequences that NFKC
/// composes across characters (conjoining jamo, combining marks) are not joined here: they may
/// go unhighlighted, but a span never falls inside a character.
pub fn source_bigrams(text: &str) -> Vec<Term> {
    let mut chars = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        // Fast path (this runs over every returned hit's body): ASCII only lower-cases, and
        // precomposed Hangul syllables are their own NFKC form and have no case.
        if c.is_ascii() {
            chars.push((c.to_ascii_lowercase(), i, end));
        } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            chars.push((c, i, end));
        } else {
            chars.extend(c.nfkc().flat_map(char::to_lowercase).map(|n| (n, i, end)));
        }
    }
    grams_of(&chars)
}

/// The words [`bigrams`] cuts grams from: runs of Hangul (or Han) and Latin words, normalised
/// as the grams are (`"오픈AI의 GPT-5"` → `오픈`, `ai`, `의`, `gpt`, `5`).
pub fn words(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut run = String::new();
    let mut kind = Script::Other;
    for c in norm.chars() {
        let k = script(c);
        if k != kind && !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        kind = k;
        if k != Script::Other {
            run.push(c);
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// Cuts normalised characters, each with the span of the source it came from, into grams.
fn grams_of(chars: &[(char, usize, usize)]) -> Vec<Term> {
    let mut out = Vec::new();
    // the gram of chars[from..=to]
    let mut push = |from: usize, to: usize| {
        let text: String = chars[from..=to].iter().map(|c| c.0).collect();
        out.push(Term { text, byte_start: chars[from].1, byte_end: chars[to].2, position: out.len() });
    };
    let mut i = 0;
    while i < chars.len() {
        let kind = script(chars[i].0);
        let mut j = i + 1;
        while j < chars.len() && script(chars[j].0) == kind {
            j += 1;
        }
        match kind {
            Script::Cjk if j - i == 1 => push(i, i),
            Script::Cjk => (i..j - 1).for_each(|k| push(k, k + 1)),
            Script::Word => push(i, j - 1),
            Script::Other => {}
        }
        i = j;
    }
    out
}

/// [`bigrams`] as a tantivy tokenizer (what the index uses), or [`source_bigrams`]
/// ([`BigramTokenizer::with_source_offsets`]: the same grams with offsets in the text as written,
/// which is what a snippet highlights; a pass over the characters instead of a run of the
/// morphological analyzer over every hit's body).
#[derive(Clone)]
pub struct BigramTokenizer {
    buffer: Vec<Term>,
    cut: fn(&str) -> Vec<Term>,
}

impl Default for BigramTokenizer {
    fn default() -> Self {
        BigramTokenizer { buffer: Vec::new(), cut: bigrams }
    }
}

impl BigramTokenizer {
    /// Grams with byte offsets in the text as given ([`source_bigrams`]), for highlighting.
    pub fn with_source_offsets() -> Self {
        BigramTokenizer { buffer: Vec::new(), cut: source_bigrams }
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        self.buffer = (self.cut)(text);
        TermStream::new(&mut self.buffer)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenStream;

    use super::*;

    fn texts(s: &str) -> Vec<String> {
        bigrams(s).into_iter().map(|g| g.text).collect()
    }

    #[test]
    fn hangul_runs_become_overlapping_pairs_and_latin_words_stay_whole() {
        assert_eq!(texts("인공지능 칩"), ["인공", "공지", "지능", "칩"]);
        assert_eq!(texts("오픈AI의 GPT-5.3"), ["오픈", "ai", "의", "gpt", "5", "3"]);
        assert_eq!(texts("ＡＢＣ　엔비디아!"), ["abc", "엔비", "비디", "디아"]);
        assert!(texts(" -- … ").is_empty());
    }

    #[test]
    fn spans_point_at_the_gram_in_the_normalised_text() {
        let g = bigrams("Anthropic 앤트로픽");
        assert_eq!((g[0].byte_start, g[0].byte_end), (0, 9));
        assert_eq!(&"anthropic 앤트로픽"[g[1].byte_start..g[1].byte_end], "앤트");
        assert_eq!(&"anthropic 앤트로픽"[g[3].byte_start..g[3].byte_end], "로픽");
    }

    #[test]
    fn source_spans_point_at_the_text_as_written() {
        let text = "ＡＢＣ　Anthropic의 앤트로픽";
        let g = source_bigrams(text);
        let grams: Vec<&str> = g.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(grams, ["abc", "anthropic", "의", "앤트", "트로", "로픽"]);
        let spans: Vec<&str> = g.iter().map(|g| &text[g.byte_start..g.byte_end]).collect();
        assert_eq!(spans, ["ＡＢＣ", "Anthropic", "의", "앤트", "트로", "로픽"]);
        // the same grams as the index has, wherever NFKC works character by character
        for s in ["인공지능 칩", "오픈AI의 GPT-5.3", "ＡＢＣ　엔비디아!", "Σίσυφος ﬁ ㈜삼성"]
        {
            let a: Vec<String> = bigrams(s).into_iter().map(|g| g.text).collect();
            let b: Vec<String> = source_bigrams(s).into_iter().map(|g| g.text).collect();
            assert_eq!(a, b, "{s}");
        }
        // the fast paths (ASCII, Hangul syllables) normalise as NFKC and lower-casing do
        for c in (0u32..0x80).chain(0xAC00..=0xD7A3).filter_map(char::from_u32) {
            let slow: String = c.nfkc().flat_map(char::to_lowercase).collect();
            let fast: String = source_bigrams(&c.to_string()).into_iter().map(|g| g.text).collect();
            assert!(fast == slow || !slow.chars().any(char::is_alphanumeric), "{c:?}: {fast:?} vs {slow:?}");
        }
        // conjoining jamo stay apart (no highlight), but no span cuts a character
        let jamo = "\u{1100}\u{1161}\u{11A8} 각";
        for g in source_bigrams(jamo) {
            assert!(jamo.is_char_boundary(g.byte_start) && jamo.is_char_boundary(g.byte_end));
        }
    }

    #[test]
    fn words_are_the_runs_grams_are_cut_from() {
        assert_eq!(words("오픈AI의 GPT-5.3, 인공지능 칩"), ["오픈", "ai", "의", "gpt", "5", "3", "인공지능", "칩"]);
        assert!(words(" … ").is_empty());
    }

    #[test]
    fn the_tokenizer_numbers_grams_in_order() {
        let mut t = BigramTokenizer::default();
        let mut stream = t.token_stream("구글 딥마인드");
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position));
        }
        assert_eq!(
            got,
            [("구글".to_string(), 0), ("딥마".to_string(), 1), ("마인".to_string(), 2), ("인드".to_string(), 3)]
        );
    }
}
