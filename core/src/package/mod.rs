//! Packages: a skill directory as a deterministic `.tar.gz`, addressed by its SHA-256.
//!
//! - [`select`]: which files go in (`.skillignore`, always-excluded and secret files, symlinks
//!   refused), and why each left-out file was left out.
//! - [`pack`]: the deterministic archive and its [`Integrity`].
//! - [`unpack`]: extracting an untrusted archive within [`UnpackLimits`], atomically.
//! - [`integrity`]: `sha256-<hex>` digests.
//! - [`limits`]: the configurable bounds used by all of the above.

pub mod error;
pub mod integrity;
pub mod limits;
pub mod pack;
pub mod select;
pub mod unpack;

pub use integrity::{Integrity, IntegrityError};
pub use limits::{PackLimits, UnpackLimits};
pub use pack::{PackError, Package, pack};
pub use select::{ExcludeReason, Excluded, SelectedFile, Selection, select};
pub use unpack::{Files, UnpackError, Unpacked, read_archive, unpack};
