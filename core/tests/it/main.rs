//! spm-core's integration tests, one binary: hostile archives, packing, and the safety
//! scanner's evaluation over the shared corpus.

mod hostile_archives;
mod packaging;
mod safety_corpus;
