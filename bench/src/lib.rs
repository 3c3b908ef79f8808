//! sosik's performance benches (issue #6): a seeded corpus generator ([`corpus`]) and the
//! `sosik-bench` binary that measures build throughput, query latency in process and over HTTP,
//! memory, cold start and embedding throughput. Nothing here runs as a test except the
//! generator's own checks.

pub mod corpus;
pub mod stats;
pub mod vectors;
