//! Files a reviewer cannot read as text: archives bundled in the skill (opened within limits
//! and their files scanned like the skill's own), password-protected archives, and compiled
//! code (Python bytecode, executables, libraries), whose readable strings are scanned and
//! whose presence is a finding of its own, never a pass.

use std::io::Read;

use super::{Category, Finding, Severity};

/// Most entries read from one archive, and bytes in all.
const MAX_ENTRIES: usize = 1000;
const MAX_BYTES: u64 = 16 << 20;
/// Largest single entry read.
const MAX_ENTRY: u64 = 4 << 20;

/// What a binary file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    TarGz,
    Gzip,
    PythonBytecode,
    Executable,
    /// Archives and encrypted files this scanner cannot open (7z, rar, xz, bzip2, zstd,
    /// OpenPGP, age): their content is unchecked.
    Unreadable,
    /// Images, fonts, documents and other data.
    Data,
}

pub fn kind(path: &str, bytes: &[u8]) -> Kind {
    let l = path.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // Office documents and jars are zips too; only archives people unpack count.
        if [
            ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".vsix",
        ]
        .iter()
        .any(|e| l.ends_with(e))
        {
            return Kind::Data;
        }
        return Kind::Zip;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return if l.ends_with(".tar.gz") || l.ends_with(".tgz") {
            Kind::TarGz
        } else {
            Kind::Gzip
        };
    }
    if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
        return Kind::Tar;
    }
    if bytes.starts_with(&[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])
        || bytes.starts_with(b"Rar!\x1a\x07")
        || bytes.starts_with(&[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])
        || (bytes.starts_with(b"BZh") && l.ends_with(".bz2"))
        || bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || bytes.starts_with(b"age-encryption.org/")
        || [
            ".7z", ".rar", ".xz", ".bz2", ".zst", ".gpg", ".pgp", ".age", ".enc",
        ]
        .iter()
        .any(|e| l.ends_with(e))
    {
        return Kind::Unreadable;
    }
    if l.ends_with(".pyc")
        || l.ends_with(".pyo")
        || (bytes.len() > 16 && bytes[2] == b'\r' && bytes[3] == b'\n' && l.contains("__pycache__"))
    {
        return Kind::PythonBytecode;
    }
    if bytes.starts_with(b"\x7fELF")
        || bytes.starts_with(b"MZ")
        || bytes.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
        || bytes.starts_with(&[0xfe, 0xed, 0xfa, 0xcf])
        || bytes.starts_with(&[0xca, 0xfe, 0xba, 0xbe])
        || [
            ".exe", ".dll", ".so", ".dylib", ".bin", ".class", ".jar", ".msi", ".scr", ".com",
        ]
        .iter()
        .any(|e| l.ends_with(e))
    {
        return Kind::Executable;
    }
    Kind::Data
}

fn finding(path: &str, rule: &str, severity: Severity, excerpt: String, why: &str) -> Finding {
    Finding {
        rule: rule.into(),
        category: Category::HiddenContent,
        severity,
        file: path.into(),
        line: 1,
        excerpt,
        explanation: why.into(),
        in_context: false,
    }
}

/// The files inside an archive, `(name, bytes)`, within the limits; findings about the
/// archive itself (password, corruption, limits) go to `out`.
pub fn unpack(
    path: &str,
    bytes: &[u8],
    kind: Kind,
    out: &mut Vec<Finding>,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut total = 0u64;
    match kind {
        Kind::Zip => {
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                out.push(finding(
                    path,
                    "hidden/unreadable",
                    Severity::Medium,
                    "a zip archive that does not open".into(),
                    "a bundled archive that cannot be opened, so its content cannot be checked",
                ));
                return files;
            };
            for i in 0..zip.len().min(MAX_ENTRIES) {
                let Ok(mut entry) = zip.by_index(i) else {
                    out.push(finding(
                        path,
                        "hidden/password-archive",
                        Severity::High,
                        "an encrypted zip entry".into(),
                        "a password-protected archive: its content cannot be checked",
                    ));
                    return files;
                };
                if entry.encrypted() {
                    out.push(finding(
                        path,
                        "hidden/password-archive",
                        Severity::High,
                        format!("{} is encrypted", entry.name()),
                        "a password-protected archive: its content cannot be checked",
                    ));
                    return files;
                }
                if entry.is_dir() || entry.size() > MAX_ENTRY {
                    continue;
                }
                let mut buf = Vec::new();
                if (&mut entry).take(MAX_ENTRY).read_to_end(&mut buf).is_err() {
                    out.push(finding(
                        path,
                        "hidden/password-archive",
                        Severity::High,
                        format!("{} cannot be read", entry.name()),
                        "a password-protected or damaged archive: its content cannot be checked",
                    ));
                    return files;
                }
                total += buf.len() as u64;
                files.push((entry.name().to_string(), buf));
                if total > MAX_BYTES {
                    break;
                }
            }
        }
        Kind::Tar | Kind::TarGz => {
            let reader: Box<dyn Read> = if kind == Kind::TarGz {
                Box::new(flate2::read::GzDecoder::new(bytes).take(MAX_BYTES * 4))
            } else {
                Box::new(bytes)
            };
            let mut ar = tar::Archive::new(reader);
            let Ok(entries) = ar.entries() else {
                out.push(finding(
                    path,
                    "hidden/unreadable",
                    Severity::Medium,
                    "a tar archive that does not open".into(),
                    "a bundled archive that cannot be opened, so its content cannot be checked",
                ));
                return files;
            };
            for e in entries.take(MAX_ENTRIES) {
                let Ok(mut e) = e else {
                    break;
                };
                if !e.header().entry_type().is_file() || e.size() > MAX_ENTRY {
                    continue;
                }
                let name = e
                    .path()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut buf = Vec::new();
                if e.read_to_end(&mut buf).is_err() {
                    break;
                }
                total += buf.len() as u64;
                files.push((name, buf));
                if total > MAX_BYTES {
                    break;
                }
            }
        }
        Kind::Gzip => {
            let mut buf = Vec::new();
            if flate2::read::GzDecoder::new(bytes)
                .take(MAX_ENTRY)
                .read_to_end(&mut buf)
                .is_ok()
            {
                let name = path
                    .trim_end_matches(".gz")
                    .rsplit('/')
                    .next()
                    .unwrap_or(path)
                    .to_string();
                files.push((name, buf));
            }
        }
        _ => {}
    }
    files
}

/// Printable runs of at least 6 characters, one per line: what compiled code says.
pub fn strings(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for &b in bytes.iter().take(8 << 20) {
        if (0x20..0x7f).contains(&b) || b == b'\t' {
            run.push(b as char);
        } else {
            if run.len() >= 6 {
                out.push_str(&run);
                out.push('\n');
            }
            run.clear();
        }
    }
    if run.len() >= 6 {
        out.push_str(&run);
    }
    out
}

/// The finding for compiled code bundled without its source.
pub fn compiled(path: &str, kind: Kind) -> Finding {
    match kind {
        Kind::Unreadable => finding(
            path,
            "hidden/unreadable-archive",
            Severity::Medium,
            "an archive or encrypted file this scanner cannot open".into(),
            "a bundled file that cannot be read (7z, rar, xz, encrypted…): what it holds is unchecked",
        ),
        Kind::PythonBytecode => finding(
            path,
            "hidden/compiled-code",
            Severity::High,
            "Python bytecode".into(),
            "compiled Python shipped in the skill: what it does cannot be read (ship the source instead)",
        ),
        _ => finding(
            path,
            "hidden/compiled-code",
            Severity::Medium,
            "an executable or library".into(),
            "a compiled program shipped in the skill: what it does cannot be read",
        ),
    }
}
