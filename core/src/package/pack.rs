//! Building the deterministic `.tar.gz` of a skill.
//!
//! The same tree always gives the same bytes: entries sorted by path, regular files only,
//! modes normalised to 0644/0755, times, owners and names zeroed, and a gzip header with no
//! file name, no time and a fixed OS byte. So the archive's SHA-256 ([`Integrity`]) names its
//! content, whoever packs it and wherever.

use std::io::Write;
use std::path::Path;

use flate2::{Compression, GzBuilder};

pub use super::error::PackError;
use super::integrity::Integrity;
use super::limits::{PackLimits, human_bytes};
use super::select::{Excluded, SelectedFile, select};

/// A packed skill.
#[derive(Debug, Clone)]
pub struct Package {
    /// The `.tar.gz` bytes.
    pub bytes: Vec<u8>,
    pub integrity: Integrity,
    /// What went in, sorted by path.
    pub files: Vec<SelectedFile>,
    /// What was left out, and why.
    pub excluded: Vec<Excluded>,
    /// Files hard-linked to a file outside the skill (see [`Selection::linked_outside`]).
    pub linked_outside: Vec<String>,
}

impl Package {
    /// Sum of the file sizes before compression.
    pub fn unpacked_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Packs the skill in `dir`.
pub fn pack(dir: &Path, limits: &PackLimits) -> Result<Package, PackError> {
    let selection = select(dir, limits)?;
    let gz = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for file in &selection.files {
        let data = std::fs::read(&file.path).map_err(|e| PackError::io(&file.path, e))?;
        if data.len() as u64 != file.size {
            return Err(PackError::Changed(file.path.clone()));
        }
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(file.size);
        header.set_mode(if file.executable { 0o755 } else { 0o644 });
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, &file.rel, data.as_slice())
            .map_err(|e| PackError::io(&file.path, e))?;
    }
    let gz = tar.into_inner().map_err(|e| PackError::io(dir, e))?;
    let bytes = finish(gz).map_err(|e| PackError::io(dir, e))?;
    if bytes.len() as u64 > limits.max_packed_bytes {
        return Err(PackError::PackedTooLarge {
            size: human_bytes(bytes.len() as u64),
            limit: human_bytes(limits.max_packed_bytes),
        });
    }
    Ok(Package {
        integrity: Integrity::of(&bytes),
        bytes,
        files: selection.files,
        excluded: selection.excluded,
        linked_outside: selection.linked_outside,
    })
}

fn finish(mut gz: flate2::write::GzEncoder<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    gz.flush()?;
    gz.finish()
}
