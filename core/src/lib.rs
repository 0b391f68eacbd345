//! `spm-core`: everything the `spm` CLI and the registry server must agree on.
//!
//! - [`skill`]: the skill format: `SKILL.md` frontmatter, its fields and the rules that
//!   validate them, producing [`diagnostic::Diagnostic`]s with file, line and column.
//! - [`package`]: turning a skill directory into a deterministic `.tar.gz`, addressing it by
//!   [`package::Integrity`], and unpacking untrusted archives safely.
//! - [`scaffold`]: the files `spm init` / `spm create` write.
//!
//! The crate does no network I/O and never panics on input that came from outside.

// Diagnostics travel by value on the error path only, where their size does not matter.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod diagnostic;
pub mod package;
pub mod resolve;
pub mod safety;
pub mod scaffold;
pub mod skill;
pub mod spotlight;

pub use diagnostic::{Diagnostic, Severity};
pub use package::{Integrity, PackLimits, UnpackLimits};
pub use skill::{Manifest, Skill};
