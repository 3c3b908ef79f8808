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

pub struct KoTokenStream<'a> {
    terms: std::vec::Drain<'a, crate::Term>,
    token: Token,
}

impl Tokenizer for KoTokenizer {
    type TokenStream<'a> = KoTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KoTokenStream<'a> {
        self.buffer.clear();
        self.analyzer.terms_into(text, &mut self.buffer);
        crate::add_compounds(text, &mut self.buffer);
        KoTokenStream { terms: self.buffer.drain(..), token: Token::default() }
    }
}

impl TokenStream for KoTokenStream<'_> {
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
