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
/// first, so byte spans refer to that form (snippets use the morpheme fields, never these spans).
pub fn bigrams(text: &str) -> Vec<Term> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(norm.len(), |c| c.0);
    // the gram of chars[from..=to]
    let mut push = |from: usize, to: usize| {
        let (byte_start, byte_end) = (chars[from].0, end_of(to));
        out.push(Term { text: norm[byte_start..byte_end].to_string(), byte_start, byte_end, position: out.len() });
    };
    let mut i = 0;
    while i < chars.len() {
        let kind = script(chars[i].1);
        let mut j = i + 1;
        while j < chars.len() && script(chars[j].1) == kind {
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

/// [`bigrams`] as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    buffer: Vec<Term>,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        self.buffer = bigrams(text);
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
