//! What a build reports while it runs, for whoever shows it: the CLI draws progress bars on a
//! terminal and writes plain lines elsewhere (`src/cli_progress.rs`); tests and benches ignore it.
//!
//! A build is a sequence of [`Phase`]s. Each phase that has countable work announces its total
//! first ([`Event::Start`]), then how much is done ([`Event::Advance`]; several threads may report
//! at once, so counts can arrive out of order: a viewer keeps the largest), and ends with a one-line
//! summary ([`Event::Finish`]).

/// The steps of a build, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading and splitting posts (unit: posts).
    Parse,
    /// Embedding the passages the cache does not have (unit: passages).
    Embed,
    /// Tagging companies and topics (no count).
    Tag,
    /// Tokenising and writing the BM25 index, grouping near-duplicates and threads (unit: items).
    Write,
    /// Publishing the new version (no count).
    Publish,
}

impl Phase {
    /// A short lowercase name, for log lines and bar prefixes.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Embed => "embed",
            Phase::Tag => "tag",
            Phase::Write => "write",
            Phase::Publish => "publish",
        }
    }

    /// What the phase counts.
    pub fn unit(self) -> &'static str {
        match self {
            Phase::Parse => "posts",
            Phase::Embed => "passages",
            Phase::Tag | Phase::Publish => "",
            Phase::Write => "items",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `phase` begins with `total` units of work (0 when there is nothing to count or do).
    Start { phase: Phase, total: u64 },
    /// `done` of the phase's `total` units are finished.
    Advance { phase: Phase, done: u64 },
    /// The phase is over; `summary` says what it did ("2017 posts, 23954 items").
    Finish { phase: Phase, summary: String },
}

/// Receives a build's [`Event`]s. Called from the build's worker threads, hence `Sync`.
pub trait Progress: Sync {
    fn event(&self, event: Event);
}

impl<F: Fn(Event) + Sync> Progress for F {
    fn event(&self, event: Event) {
        self(event)
    }
}

/// Shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn event(&self, _: Event) {}
}
