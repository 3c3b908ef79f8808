//! Hangul as it is typed: a syllable as the keys that compose it, and initial consonants.
//!
//! Typeahead has to match what is in the search box *while* an input method composes it:
//! `앤트로` on the way to 앤트로픽, `엔비디ㅇ` (the last syllable's first key), `앤틀` (the IME
//! shows ㄹ as a final until the next vowel moves it), or only the initial consonants `ㅇㅌㄹㅍ`,
//! a common Korean shortcut. Comparing [`keystrokes`] makes every such state a prefix of the
//! word it is heading for; [`initials`] gives the consonant shortcut.
//!
//! Written by hand: it is the Unicode syllable arithmetic (syllable = 0xAC00 + (initial × 21 +
//! vowel) × 28 + final) and three tables, and the crates that decompose Hangul stop at jamo,
//! where a compound vowel (ㅘ) or final (ㄺ) is one letter; typing needs the two keys each
//! is made of.

const SYLLABLE_FIRST: u32 = 0xAC00;
const SYLLABLE_LAST: u32 = 0xD7A3;

/// Initial consonants, in syllable order, as compatibility jamo.
const INITIALS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];
/// Vowels, in syllable order, as the keys typed for them (ㅘ is ㅗ then ㅏ).
const VOWELS: [&str; 21] = [
    "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ", "ㅜ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ",
    "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ",
];
/// Finals, in syllable order (the first is none), as the keys typed for them (ㄺ is ㄹ then ㄱ).
const FINALS: [&str; 28] = [
    "", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ",
    "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
];
/// Compatibility jamo that are two keys (a compound final or vowel typed alone).
const COMPOUND_JAMO: [(char, &str); 18] = [
    ('ㄳ', "ㄱㅅ"),
    ('ㄵ', "ㄴㅈ"),
    ('ㄶ', "ㄴㅎ"),
    ('ㄺ', "ㄹㄱ"),
    ('ㄻ', "ㄹㅁ"),
    ('ㄼ', "ㄹㅂ"),
    ('ㄽ', "ㄹㅅ"),
    ('ㄾ', "ㄹㅌ"),
    ('ㄿ', "ㄹㅍ"),
    ('ㅀ', "ㄹㅎ"),
    ('ㅄ', "ㅂㅅ"),
    ('ㅘ', "ㅗㅏ"),
    ('ㅙ', "ㅗㅐ"),
    ('ㅚ', "ㅗㅣ"),
    ('ㅝ', "ㅜㅓ"),
    ('ㅞ', "ㅜㅔ"),
    ('ㅟ', "ㅜㅣ"),
    ('ㅢ', "ㅡㅣ"),
];

/// A precomposed Hangul syllable's (initial, vowel, final) indexes.
fn syllable(c: char) -> Option<(usize, usize, usize)> {
    let code = c as u32;
    if !(SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&code) {
        return None;
    }
    let index = (code - SYLLABLE_FIRST) as usize;
    Some((index / (21 * 28), index / 28 % 21, index % 28))
}

/// A compatibility consonant (ㄱ … ㅎ, compound finals included).
pub fn is_consonant(c: char) -> bool {
    ('ㄱ'..='ㅎ').contains(&c)
}

/// What matters of a character for matching: letters, digits and Hangul; not spaces or
/// punctuation (`설비 투자` and `설비투자`, `GPT-5` and `gpt5` are typed alike).
fn kept(c: char) -> bool {
    c.is_alphanumeric()
}

/// `s` as the keys typed for it: every Hangul syllable as its jamo, compound vowels and finals
/// as their two keys, Latin lower-cased, spaces and punctuation left out. A prefix of what is
/// being typed is a prefix of this, at every step of the composition.
pub fn keystrokes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if let Some((i, v, f)) = syllable(c) {
            out.push(INITIALS[i]);
            out.push_str(VOWELS[v]);
            out.push_str(FINALS[f]);
        } else if let Some((_, keys)) = COMPOUND_JAMO.iter().find(|(j, _)| *j == c) {
            out.push_str(keys);
        } else if kept(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The initial consonant of every Hangul syllable of `s` (`설비 투자` → `ㅅㅂㅌㅈ`); a
/// consonant typed alone stays, and one an input method merged with the next (`ㅇㅌㄿ` for
/// ㅇㅌㄹㅍ: with no vowel between them, ㄹ and ㅍ compose into ㄿ) is split into its two;
/// everything else is left out.
pub fn initials(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match syllable(c) {
            Some((i, _, _)) => out.push(INITIALS[i]),
            None if is_consonant(c) => match COMPOUND_JAMO.iter().find(|(j, _)| *j == c) {
                Some((_, keys)) => out.push_str(keys),
                None => out.push(c),
            },
            None => {}
        }
    }
    out
}

/// Whether `s` is only initial consonants (ignoring spaces and punctuation), at least one:
/// `ㅇㅌㄹㅍ`, `ㅅㅂ ㅌㅈ`.
pub fn is_initials(s: &str) -> bool {
    let mut any = false;
    for c in s.chars().filter(|&c| kept(c)) {
        if !is_consonant(c) {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_composition_state_is_a_prefix() {
        let word = keystrokes("앤트로픽");
        assert_eq!(word, "ㅇㅐㄴㅌㅡㄹㅗㅍㅣㄱ");
        // what a Korean IME shows while 앤트로픽 is typed, key by key
        for state in ["ㅇ", "애", "앤", "앤ㅌ", "앤트", "앤틀", "앤트로", "앤트롶", "앤트로피", "앤트로픽"]
        {
            assert!(word.starts_with(&keystrokes(state)), "{state}");
        }
        assert!(keystrokes("엔비디아").starts_with(&keystrokes("엔비디ㅇ")));
        assert!(!keystrokes("엔비디아").starts_with(&keystrokes("앤비")));
    }

    #[test]
    fn compound_vowels_and_finals_are_two_keys() {
        assert_eq!(keystrokes("화"), "ㅎㅗㅏ");
        assert_eq!(keystrokes("닭"), "ㄷㅏㄹㄱ");
        // 닭 is on the way to 달기 (the ㄱ moves to the next syllable with its vowel)
        assert!(keystrokes("달기").starts_with(&keystrokes("닭")));
        assert!(keystrokes("과학").starts_with(&keystrokes("고")));
        assert!(keystrokes("과학").starts_with(&keystrokes("ㄱㅘ")));
    }

    #[test]
    fn latin_spaces_and_punctuation() {
        assert_eq!(keystrokes("GPT-5 Pro"), "gpt5pro");
        assert_eq!(keystrokes("설비 투자"), keystrokes("설비투자"));
        assert_eq!(keystrokes("Claude·코드"), format!("claude{}", keystrokes("코드")));
    }

    #[test]
    fn initial_consonants() {
        assert_eq!(initials("앤트로픽"), "ㅇㅌㄹㅍ");
        assert_eq!(initials("설비 투자"), "ㅅㅂㅌㅈ");
        assert_eq!(initials("AI 데이터센터"), "ㄷㅇㅌㅅㅌ");
        // what an IME shows for ㅇ ㅌ ㄹ ㅍ typed without vowels
        assert_eq!(initials("ㅇㅌㄿ"), "ㅇㅌㄹㅍ");
        assert!(is_initials("ㅇㅌㄿ"));
        assert!(is_initials("ㅇㅌㄹㅍ"));
        assert!(is_initials("ㅅㅂ ㅌㅈ"));
        assert!(!is_initials("앤ㅌ"));
        assert!(!is_initials(" "));
        assert!(!is_initials("ㅏ"));
    }
}
