//! A tantivy tokenizer over [`Analyzer`]. Hand-written because lindera-tantivy pins older
//! tantivy and lindera releases (whose dictionary build downloads from the network).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::Analyzer;

#[derive(Clone)]
pub struct KoTokenizer {
    analyzer: Analyzer,
    buffer: Vec<crate::Term>,
}

impl KoTokenizer {
    pub fn new(analyzer: Analyzer) -> Self {
        KoTokenizer { analyzer, buffer: Vec::new() }
    }
}

/// The tokens of a list of [`crate::Term`]s (what both of sosik's tokenizers produce).
pub struct TermStream<'a> {
    terms: std::vec::Drain<'a, crate::Term>,
    token: Token,
}

impl<'a> TermStream<'a> {
    pub(crate) fn new(terms: &'a mut Vec<crate::Term>) -> Self {
        TermStream { terms: terms.drain(..), token: Token::default() }
    }
}

impl Tokenizer for KoTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        self.buffer.clear();
        self.analyzer.terms_into(text, &mut self.buffer);
        crate::add_compounds(text, &mut self.buffer);
        TermStream::new(&mut self.buffer)
    }
}

impl TokenStream for TermStream<'_> {
    fn advance(&mut self) -> bool {
        match self.terms.next() {
            Some(term) => {
                self.token = Token {
                    offset_from: term.byte_start,
                    offset_to: term.byte_end,
                    position: term.position,
                    text: term.text,
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
