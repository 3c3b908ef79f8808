use std::borrow::Cow;
use std::path::Path;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use unicode_normalization::UnicodeNormalization;

use crate::{metadata, KoError};

/// A content morpheme: what sosik indexes and queries with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// Normalised form: NFKC, lower-cased; the stem for inflected verbs and adjectives.
    pub text: String,
    /// Byte span in the analysed text.
    pub byte_start: usize,
    pub byte_end: usize,
    /// Morpheme position (dropped particles and endings leave gaps).
    pub position: usize,
}

/// Part of speech a user-dictionary word is entered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordClass {
    /// Proper noun (company and product names).
    ProperNoun,
    /// Common noun (topic vocabulary such as 데이터센터).
    CommonNoun,
}

/// A word lindera must keep whole (it splits unknown loanwords: 앤트로픽 → 앤트/로/픽).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserWord {
    pub surface: String,
    pub class: WordClass,
}

impl UserWord {
    pub fn proper(surface: impl Into<String>) -> Self {
        UserWord { surface: surface.into(), class: WordClass::ProperNoun }
    }
    pub fn common(surface: impl Into<String>) -> Self {
        UserWord { surface: surface.into(), class: WordClass::CommonNoun }
    }

    /// The row in mecab-ko-dic's detailed user-dictionary format. The 3-column simple format
    /// mis-tags the particle after the word, so we give context ids and the final-consonant flag
    /// (T/F) that mecab-ko-dic uses to pick the following particle (이/가, 은/는 …).
    fn csv_row(&self) -> Result<String, KoError> {
        let s = self.surface.trim();
        if s.is_empty() || s.contains([',', '"', '\n', '\r', ' ', '\t']) {
            return Err(KoError::UserWord {
                word: self.surface.clone(),
                reason: "must be one word without spaces, commas or quotes".into(),
            });
        }
        let batchim = ends_with_final_consonant(s);
        let (pos, left, right) = match (self.class, batchim) {
            (WordClass::ProperNoun, true) => ("NNP", 1786, 3546),
            (WordClass::ProperNoun, false) => ("NNP", 1786, 3545),
            (WordClass::CommonNoun, true) => ("NNG", 1780, 3534),
            (WordClass::CommonNoun, false) => ("NNG", 1780, 3533),
        };
        let tf = if batchim { "T" } else { "F" };
        // Cost 2000 beats the split into known fragments while leaving real compounds alone.
        Ok(format!("{s},{left},{right},2000,{pos},*,{tf},{s},*,*,*,*"))
    }
}

/// Whether the last syllable of `word` has a final consonant (받침). Non-Hangul endings
/// (OpenAI → 오픈AI) are read as vowel endings, which is how Koreans attach particles to them.
fn ends_with_final_consonant(word: &str) -> bool {
    match word.chars().last() {
        Some(c @ '\u{AC00}'..='\u{D7A3}') => !(c as u32 - 0xAC00).is_multiple_of(28),
        _ => false,
    }
}

/// First part-of-speech tags (before any '+') that carry meaning for search.
fn is_content_pos(first_pos: &str) -> bool {
    matches!(first_pos, "NNG" | "NNP" | "NR" | "NP" | "VV" | "VA" | "XR" | "SL" | "SH" | "SN")
}

/// Lindera segmenter plus sosik's content-word filter. Cheap to clone (the dictionary is shared).
#[derive(Clone)]
pub struct Analyzer {
    segmenter: Segmenter,
}

impl Analyzer {
    /// Loads (memory-maps) the compiled dictionary in `dict_dir` and builds the user dictionary
    /// from `user_words`.
    pub fn open(dict_dir: &Path, user_words: &[UserWord]) -> Result<Analyzer, KoError> {
        for required in ["metadata.json", "dict.trie", "dict.words", "matrix.mtx"] {
            if !dict_dir.join(required).is_file() {
                return Err(KoError::DictionaryMissing { dir: dict_dir.to_path_buf(), missing: required.to_string() });
            }
        }
        let dictionary = lindera::dictionary::load_fs_dictionary_with_options(dict_dir, true)
            .map_err(|source| KoError::DictionaryLoad { dir: dict_dir.to_path_buf(), source })?;
        let user_dictionary = if user_words.is_empty() {
            None
        } else {
            let mut csv = String::new();
            let mut seen = std::collections::HashSet::new();
            for word in user_words {
                if seen.insert(word.surface.trim().to_string()) {
                    csv.push_str(&word.csv_row()?);
                    csv.push('\n');
                }
            }
            let builder = lindera::dictionary::DictionaryBuilder::new(metadata()?);
            Some(builder.build_user_dict_from_reader(csv.as_bytes()).map_err(KoError::UserDictionary)?)
        };
        Ok(Analyzer { segmenter: Segmenter::new(Mode::Normal, dictionary, user_dictionary) })
    }

    /// Content terms of `text` in order.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        let mut out = Vec::new();
        self.terms_into(text, &mut out);
        out
    }

    /// Like [`Analyzer::terms`], appending to `out`.
    pub fn terms_into(&self, text: &str, out: &mut Vec<Term>) {
        // segment() fails only on internal errors; index nothing rather than panic.
        let Ok(tokens) = self.segmenter.segment(Cow::Borrowed(text)) else { return };
        for mut token in tokens {
            let pos = token.get_detail(0).unwrap_or("").to_string();
            let first = pos.split('+').next().unwrap_or("");
            if !is_content_pos(first) {
                continue;
            }
            // Inflected forms (팔린다: VV+EF) carry their morphemes in the expression field
            // "팔리/VV/*+ᆫ다/EF/*"; index the stem so every inflection matches.
            let stem = if pos.contains('+') {
                token
                    .get_detail(7)
                    .and_then(|expr| expr.split('/').next())
                    .filter(|s| !s.is_empty() && *s != "*")
                    .map(str::to_string)
            } else {
                None
            };
            let surface = stem.unwrap_or_else(|| token.surface.to_string());
            let text: String = surface.nfkc().flat_map(char::to_lowercase).collect();
            if text.trim().is_empty() {
                continue;
            }
            out.push(Term { text, byte_start: token.byte_start, byte_end: token.byte_end, position: token.position });
        }
    }
}

/// Model and product names written as one word of Latin letters and digits joined by `-` or `.`
/// (GPT-5.3-Codex, H200, Llama-3.1): lindera splits them (gpt / 5 / 3 / codex), which keeps them
/// findable by part. This adds the whole name as one more term at its first part's position
/// (right after that part), so they are findable whole too. Used for indexing and queries; the
/// tagger matches on the parts only.
pub fn add_compounds(text: &str, terms: &mut Vec<Term>) {
    let latin = |t: &Term| !t.text.is_empty() && t.text.chars().all(|c| c.is_ascii_alphanumeric());
    let joined = |a: &Term, b: &Term| {
        b.byte_start >= a.byte_end
            && text.get(a.byte_end..b.byte_start).is_some_and(|gap| gap.chars().all(|c| c == '-' || c == '.'))
    };
    let mut out = Vec::with_capacity(terms.len());
    let mut i = 0;
    while i < terms.len() {
        let mut j = i + 1;
        while latin(&terms[i]) && j < terms.len() && latin(&terms[j]) && joined(&terms[j - 1], &terms[j]) {
            j += 1;
        }
        out.push(terms[i].clone());
        let run = &terms[i..j];
        let has_letter = run.iter().any(|t| t.text.chars().any(|c| c.is_ascii_alphabetic()));
        if run.len() >= 2 && has_letter {
            let whole = &text[run[0].byte_start..run[run.len() - 1].byte_end];
            out.push(Term {
                text: whole.nfkc().flat_map(char::to_lowercase).collect(),
                byte_start: run[0].byte_start,
                byte_end: run[run.len() - 1].byte_end,
                position: run[0].position,
            });
        }
        out.extend(run[1..].iter().cloned());
        i = j;
    }
    *terms = out;
}
