//! Character bigrams: the dictionary-free analysis beside the morphemes.
//!
//! Hangul (and Han) runs become overlapping two-character grams (a one-character run stays a
//! unigram); Latin letters and digits become lower-cased words. This is what Lucene's CJK bigram
//! analyzer does, and what Korean search engines index next to nori's morphemes: a compound that
//! mecab-ko-dic splits one way in the text and another way in the query (인공지능칩 / 인공 지능 칩)
//! still shares its bigrams. Hand-written because tantivy's `NgramTokenizer` cuts grams across
//! spaces and through Latin words, and has no notion of scripts.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

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

/// One gram: its text and byte span in the (NFKC-normalised, lower-cased) text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gram {
    pub text: String,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// The grams of `text`, in order. The text is NFKC-normalised and lower-cased first, so byte
/// spans refer to that form (snippets use the morpheme field, never these spans).
pub fn bigrams(text: &str) -> Vec<Gram> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(norm.len(), |c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let kind = script(chars[i].1);
        let mut j = i + 1;
        while j < chars.len() && script(chars[j].1) == kind {
            j += 1;
        }
        match kind {
            Script::Cjk if j - i == 1 => {
                out.push(Gram { text: chars[i].1.to_string(), byte_start: chars[i].0, byte_end: end_of(i) })
            }
            Script::Cjk => {
                for k in i..j - 1 {
                    out.push(Gram {
                        text: norm[chars[k].0..end_of(k + 1)].to_string(),
                        byte_start: chars[k].0,
                        byte_end: end_of(k + 1),
                    });
                }
            }
            Script::Word => out.push(Gram {
                text: norm[chars[i].0..end_of(j - 1)].to_string(),
                byte_start: chars[i].0,
                byte_end: end_of(j - 1),
            }),
            Script::Other => {}
        }
        i = j;
    }
    out
}

/// [`bigrams`] as a tantivy tokenizer (positions count grams).
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    buffer: Vec<Gram>,
}

pub struct BigramStream<'a> {
    grams: std::iter::Enumerate<std::vec::Drain<'a, Gram>>,
    token: Token,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        self.buffer = bigrams(text);
        BigramStream { grams: self.buffer.drain(..).enumerate(), token: Token::default() }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        match self.grams.next() {
            Some((position, gram)) => {
                self.token = Token {
                    offset_from: gram.byte_start,
                    offset_to: gram.byte_end,
                    position,
                    text: gram.text,
                    position_length: 1,
                };
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
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
