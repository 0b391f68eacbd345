//! spm-core's integration tests, one binary: hostile archives, packing, and the safety
//! scanner's evaluation over the shared corpus and its own specimens.

mod hostile_archives;
mod packaging;
mod safety_corpus;
mod safety_robust;
mod safety_specimens;
