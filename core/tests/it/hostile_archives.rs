//! Every kind of hostile archive is refused with a clear error and leaves nothing on disk.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use spm_core::package::{UnpackError, UnpackLimits, unpack};

/// One raw tar entry; the name is written byte for byte, bypassing the tar crate's checks.
struct Raw<'a> {
    name: &'a [u8],
    kind: tar::EntryType,
    data: &'a [u8],
    link: Option<&'a str>,
    declared_size: Option<u64>,
}

fn entry(name: &'static [u8], data: &'static [u8]) -> Raw<'static> {
    Raw {
        name,
        kind: tar::EntryType::Regular,
        data,
        link: None,
        declared_size: None,
    }
}

fn tar_bytes(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.as_gnu_mut().unwrap().name[..e.name.len()].copy_from_slice(e.name);
        h.set_entry_type(e.kind);
        h.set_mode(0o644);
        h.set_size(e.declared_size.unwrap_or(e.data.len() as u64));
        if let Some(l) = e.link {
            h.set_link_name(l).unwrap();
        }
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(e.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn archive(entries: &[Raw]) -> Vec<u8> {
    gz(&tar_bytes(entries))
}

/// Unpacks into a fresh directory and checks that a failure left nothing behind.
fn try_unpack(bytes: &[u8], limits: &UnpackLimits) -> Result<(), UnpackError> {
    let parent = tempfile::tempdir().unwrap();
    let dest = parent.path().join("skill");
    let result = unpack(bytes, &dest, limits).map(|_| ());
    if result.is_err() {
        assert!(!dest.exists(), "destination left behind");
        assert_eq!(leftovers(parent.path()), 0, "temporary files left behind");
    }
    result
}

fn leftovers(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

fn refused(bytes: &[u8]) -> UnpackError {
    let err =
        try_unpack(bytes, &UnpackLimits::default()).expect_err("hostile archive was accepted");
    assert!(!err.to_string().is_empty());
    err
}

const OK: Raw<'static> = Raw {
    name: b"SKILL.md",
    kind: tar::EntryType::Regular,
    data: b"---\n",
    link: None,
    declared_size: None,
};

#[test]
fn a_plain_archive_unpacks() {
    try_unpack(
        &archive(&[OK, entry(b"./scripts/a.sh", b"x")]),
        &UnpackLimits::default(),
    )
    .unwrap();
}

#[test]
fn absolute_paths_are_refused() {
    let e = refused(&archive(&[OK, entry(b"/etc/cron.d/evil", b"x")]));
    assert!(
        matches!(e, UnpackError::AbsolutePath(ref p) if p == "/etc/cron.d/evil"),
        "{e}"
    );
}

#[test]
fn parent_directory_escapes_are_refused() {
    for name in [&b"../evil"[..], b"a/../../evil", b"a/.."] {
        let e = refused(&archive(&[
            OK,
            Raw {
                name,
                ..entry(b"", b"x")
            },
        ]));
        assert!(matches!(e, UnpackError::ParentDir(_)), "{e}");
    }
}

#[test]
fn odd_paths_are_refused() {
    for name in [&b"a\\..\\evil"[..], b"C:evil", b"bad\xff.md"] {
        let e = refused(&archive(&[
            OK,
            Raw {
                name,
                ..entry(b"", b"x")
            },
        ]));
        assert!(matches!(e, UnpackError::BadPath(_)), "{e}");
    }
}

#[test]
fn links_and_special_files_are_refused() {
    let cases = [
        (
            tar::EntryType::Symlink,
            Some("/etc/passwd"),
            "symbolic link",
        ),
        (tar::EntryType::Link, Some("SKILL.md"), "hard link"),
        (tar::EntryType::Char, None, "character device"),
        (tar::EntryType::Block, None, "block device"),
        (tar::EntryType::Fifo, None, "named pipe"),
    ];
    for (kind, link, word) in cases {
        let e = refused(&archive(&[
            OK,
            Raw {
                name: b"thing",
                kind,
                data: b"",
                link,
                declared_size: None,
            },
        ]));
        assert!(matches!(e, UnpackError::NotAFile { .. }), "{e}");
        assert!(e.to_string().contains(word), "{e}");
    }
}

#[test]
fn a_symlink_then_a_write_through_it_is_refused_before_anything_is_written() {
    let e = refused(&archive(&[
        Raw {
            name: b"dir",
            kind: tar::EntryType::Symlink,
            data: b"",
            link: Some("/tmp"),
            declared_size: None,
        },
        entry(b"dir/evil", b"x"),
    ]));
    assert!(matches!(e, UnpackError::NotAFile { .. }));
}

#[test]
fn duplicate_entries_are_refused() {
    let e = refused(&archive(&[
        OK,
        entry(b"a.md", b"1"),
        entry(b"./a.md", b"2"),
    ]));
    assert!(
        matches!(e, UnpackError::Duplicate(ref p) if p == "a.md"),
        "{e}"
    );
}

#[test]
fn entries_over_the_file_limit_are_refused() {
    let limits = UnpackLimits {
        max_file_bytes: 10,
        ..UnpackLimits::default()
    };
    let e = try_unpack(&archive(&[OK, entry(b"big", &[b'x'; 11])]), &limits).unwrap_err();
    assert!(matches!(e, UnpackError::FileTooLarge { .. }), "{e}");
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
    let entries: Vec<Raw> = names
        .iter()
        .map(|n| Raw {
            name: n.as_bytes(),
            ..entry(b"", b"x")
        })
        .collect();
    let limits = UnpackLimits {
        max_files: 10,
        ..UnpackLimits::default()
    };
    let e = try_unpack(&archive(&entries), &limits).unwrap_err();
    assert!(matches!(e, UnpackError::TooManyEntries(10)), "{e}");
}

#[test]
fn gzip_bombs_are_refused_by_ratio() {
    // 8 MiB of zeros (under the per-file limit) compresses to ~8 KiB: a 1000x ratio.
    let zeros = vec![0u8; 8 << 20];
    let bomb = archive(&[OK, entry(b"zeros", Box::leak(zeros.into_boxed_slice()))]);
    assert!(bomb.len() < 64 << 10);
    let e = refused(&bomb);
    assert!(matches!(e, UnpackError::RatioTooHigh { .. }), "{e}");
}

#[test]
fn archives_inflating_past_the_total_bound_are_refused() {
    let limits = UnpackLimits {
        max_unpacked_bytes: 64 << 10,
        max_ratio: u64::MAX / 2,
        ..UnpackLimits::default()
    };
    let names: Vec<String> = (0..8).map(|i| format!("f{i}")).collect();
    let data = vec![7u8; 16 << 10];
    let entries: Vec<Raw> = names
        .iter()
        .map(|n| Raw {
            name: n.as_bytes(),
            ..entry(b"", b"")
        })
        .map(|r| Raw { data: &data, ..r })
        .collect();
    let e = try_unpack(&archive(&entries), &limits).unwrap_err();
    assert!(matches!(e, UnpackError::UnpackedTooLarge { .. }), "{e}");
}

#[test]
fn oversized_compressed_archives_are_refused_unread() {
    let limits = UnpackLimits {
        max_packed_bytes: 10,
        ..UnpackLimits::default()
    };
    let e = try_unpack(&archive(&[OK]), &limits).unwrap_err();
    assert!(matches!(e, UnpackError::ArchiveTooLarge { .. }), "{e}");
}

#[test]
fn corrupt_and_truncated_archives_are_refused() {
    let e = refused(b"this is not gzip at all");
    assert!(matches!(e, UnpackError::Corrupt(_)), "{e}");
    let good = archive(&[OK, entry(b"b.md", &[b'y'; 5000])]);
    let e = refused(&good[..good.len() / 2]);
    assert!(
        matches!(e, UnpackError::Corrupt(_) | UnpackError::Io { .. }),
        "{e}"
    );
    // An entry whose declared size runs past the end of the data.
    let e = refused(&archive(&[Raw {
        declared_size: Some(4096),
        ..entry(b"short", b"abc")
    }]));
    assert!(
        matches!(e, UnpackError::Corrupt(_) | UnpackError::Io { .. }),
        "{e}"
    );
}

#[test]
fn an_existing_destination_is_never_touched() {
    let parent = tempfile::tempdir().unwrap();
    let dest = parent.path().join("skill");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("mine.txt"), "keep").unwrap();
    let e = unpack(&archive(&[OK]), &dest, &UnpackLimits::default()).unwrap_err();
    assert!(matches!(e, UnpackError::DestinationExists(_)));
    assert_eq!(
        std::fs::read_to_string(dest.join("mine.txt")).unwrap(),
        "keep"
    );
    assert_eq!(leftovers(parent.path()), 1);
}

#[test]
fn in_memory_reads_apply_the_same_checks() {
    use spm_core::package::read_archive;
    let files = read_archive(
        &archive(&[OK, entry(b"./a/b.md", b"hi")]),
        &UnpackLimits::default(),
    )
    .unwrap();
    assert_eq!(files["a/b.md"], b"hi");
    assert!(matches!(
        read_archive(&archive(&[entry(b"../x", b"")]), &UnpackLimits::default()),
        Err(UnpackError::ParentDir(_))
    ));
    let bomb = archive(&[entry(
        b"z",
        Box::leak(vec![0u8; 8 << 20].into_boxed_slice()),
    )]);
    assert!(matches!(
        read_archive(&bomb, &UnpackLimits::default()),
        Err(UnpackError::RatioTooHigh { .. })
    ));
}
