//! Size and count bounds for packing and unpacking. All are configurable; the defaults fit
//! real public skills (which reach several MB) while refusing abuse.

const MIB: u64 = 1024 * 1024;

/// Bounds applied when packing a local skill directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackLimits {
    /// Largest compressed archive.
    pub max_packed_bytes: u64,
    /// Most files in one package.
    pub max_files: usize,
    /// Largest single file.
    pub max_file_bytes: u64,
}

impl Default for PackLimits {
    fn default() -> Self {
        PackLimits {
            max_packed_bytes: 10 * MIB,
            max_files: 1000,
            max_file_bytes: 10 * MIB,
        }
    }
}

/// Bounds applied when unpacking an archive that came from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnpackLimits {
    /// Largest compressed archive accepted at all.
    pub max_packed_bytes: u64,
    /// Most entries.
    pub max_files: usize,
    /// Largest single file.
    pub max_file_bytes: u64,
    /// Most bytes the archive may inflate to (tar headers included).
    pub max_unpacked_bytes: u64,
    /// Largest inflated/compressed ratio, checked once [`Self::ratio_grace_bytes`] are inflated.
    pub max_ratio: u64,
    /// Small archives compress well legitimately; the ratio is only judged past this size.
    pub ratio_grace_bytes: u64,
}

impl Default for UnpackLimits {
    fn default() -> Self {
        let pack = PackLimits::default();
        UnpackLimits {
            max_packed_bytes: pack.max_packed_bytes,
            max_files: pack.max_files,
            max_file_bytes: pack.max_file_bytes,
            max_unpacked_bytes: 100 * MIB,
            max_ratio: 100,
            ratio_grace_bytes: MIB,
        }
    }
}

impl From<PackLimits> for UnpackLimits {
    /// Unpack limits that accept exactly what packing with `limits` can produce.
    fn from(limits: PackLimits) -> Self {
        UnpackLimits {
            max_packed_bytes: limits.max_packed_bytes,
            max_files: limits.max_files,
            max_file_bytes: limits.max_file_bytes,
            ..UnpackLimits::default()
        }
    }
}

/// `1536` → `1.5 KiB`, for messages.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn human_bytes_picks_a_unit() {
        assert_eq!(super::human_bytes(12), "12 B");
        assert_eq!(super::human_bytes(1536), "1.5 KiB");
        assert_eq!(super::human_bytes(10 * 1024 * 1024), "10.0 MiB");
    }
}
