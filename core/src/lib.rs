//! `spm-core`: everything the `spm` client and the registry server must agree on. Pure: no
//! network I/O, no async runtime, and no panics on input that came from outside.
//!
//! - [`skill`]: the skill format: `SKILL.md` frontmatter, its fields and the rules that
//!   validate them; names and `author/name` ids ([`skill::SkillId`]); declared permissions.
//! - [`diagnostic`]: what validation reports, with file, line, column and help.
//! - [`package`]: turning a skill directory into a deterministic `.tar.gz` (file selection,
//!   limits), addressing it by [`package::Integrity`], and unpacking untrusted archives safely.
//! - [`resolve`]: dependency resolution (PubGrub) with conflicts explained in the manifests'
//!   words.
//! - [`safety`]: the built-in content-safety scanner, its findings, scores and the
//!   [`safety::SafetyStatus`] of a version; corpus evaluation.
//! - [`spotlight`]: Spotlighting, marking skill text as data when it is handed to an agent.
//! - [`policy`]: runtime permissions: one skill's declaration judging file, network and shell
//!   requests; host patterns; the addresses network access never reaches unless named.
//! - [`api`]: the registry's JSON request and response types, shared by client and server.
//! - [`scaffold`]: the files `spm init` / `spm create` write.

// Diagnostics travel by value on the error path only, where their size does not matter.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod diagnostic;
pub mod package;
pub mod policy;
pub mod resolve;
pub mod safety;
pub mod scaffold;
pub mod skill;
pub mod spotlight;

pub use diagnostic::{Diagnostic, Severity};
pub use package::{Integrity, PackLimits, UnpackLimits};
pub use skill::{Manifest, Skill};
