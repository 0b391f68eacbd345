//! Packing: file selection, determinism, limits, and pack → unpack round trips.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use spm_core::package::{ExcludeReason, PackError, PackLimits, UnpackLimits, pack, select, unpack};

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn skill(root: &Path) {
    write(
        root,
        "SKILL.md",
        "---\nname: demo\ndescription: d\nversion: 1.0.0\n---\nbody\n",
    );
    write(root, "scripts/run.sh", "#!/bin/sh\necho hi\n");
    write(root, "references/guide.md", "# Guide\n");
}

fn rels(p: &spm_core::package::Package) -> Vec<&str> {
    p.files.iter().map(|f| f.rel.as_str()).collect()
}

#[test]
fn same_tree_gives_same_bytes_wherever_and_whenever_it_is_packed() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    skill(a.path());
    let first = pack(a.path(), &PackLimits::default()).unwrap();
    let again = pack(a.path(), &PackLimits::default()).unwrap();
    assert_eq!(first.bytes, again.bytes);
    // Written in another order, at another time, in another place.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write(b.path(), "references/guide.md", "# Guide\n");
    write(b.path(), "scripts/run.sh", "#!/bin/sh\necho hi\n");
    write(
        b.path(),
        "SKILL.md",
        "---\nname: demo\ndescription: d\nversion: 1.0.0\n---\nbody\n",
    );
    let other = pack(b.path(), &PackLimits::default()).unwrap();
    assert_eq!(first.integrity, other.integrity);
    assert_eq!(
        rels(&first),
        ["SKILL.md", "references/guide.md", "scripts/run.sh"]
    );
    // Any content change changes the integrity.
    write(b.path(), "references/guide.md", "# Guide!\n");
    assert_ne!(
        pack(b.path(), &PackLimits::default()).unwrap().integrity,
        first.integrity
    );
}

#[cfg(unix)]
#[test]
fn modes_are_normalised_and_the_executable_bit_survives() {
    use std::os::unix::fs::PermissionsExt;
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    let run = a.path().join("scripts/run.sh");
    fs::set_permissions(&run, fs::Permissions::from_mode(0o700)).unwrap();
    let p1 = pack(a.path(), &PackLimits::default()).unwrap();
    fs::set_permissions(&run, fs::Permissions::from_mode(0o775)).unwrap();
    fs::set_permissions(a.path().join("SKILL.md"), fs::Permissions::from_mode(0o600)).unwrap();
    let p2 = pack(a.path(), &PackLimits::default()).unwrap();
    assert_eq!(p1.integrity, p2.integrity);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("x");
    unpack(&p1.bytes, &dest, &UnpackLimits::default()).unwrap();
    let mode = |p: &str| fs::metadata(dest.join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("scripts/run.sh"), 0o755);
    assert_eq!(mode("SKILL.md"), 0o644);
}

#[test]
fn vcs_dependency_and_secret_files_are_left_out_and_reported() {
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    for f in [
        ".git/config",
        "node_modules/x/index.js",
        ".DS_Store",
        ".env",
        ".env.production",
        "certs/server.pem",
        "deploy.key",
        "store.p12",
        "store.pfx",
        "keystore.jks",
        "id_rsa",
        "id_rsa.pub",
        "id_ed25519",
        "id_ecdsa",
        ".npmrc",
        ".aws/credentials",
        ".ssh/known_hosts",
        ".docker/config.json",
        "credentials.json",
        "service-account-prod.json",
        "scripts/.env.local",
    ] {
        write(a.path(), f, "secret");
    }
    let p = pack(a.path(), &PackLimits::default()).unwrap();
    assert_eq!(
        rels(&p),
        ["SKILL.md", "references/guide.md", "scripts/run.sh"]
    );
    let excluded: Vec<(&str, &ExcludeReason)> = p
        .excluded
        .iter()
        .map(|e| (e.rel.as_str(), &e.reason))
        .collect();
    assert!(excluded.contains(&(".git", &ExcludeReason::Always)));
    assert!(excluded.contains(&("node_modules", &ExcludeReason::Always)));
    assert!(excluded.contains(&(
        ".env",
        &ExcludeReason::Secret {
            pattern: ".env*".into()
        }
    )));
    assert!(excluded.contains(&(
        "scripts/.env.local",
        &ExcludeReason::Secret {
            pattern: ".env*".into()
        }
    )));
    assert!(excluded.contains(&(
        ".aws",
        &ExcludeReason::Secret {
            pattern: ".aws/".into()
        }
    )));
    assert_eq!(p.excluded.len(), 21, "{:#?}", p.excluded);
    assert!(p.excluded.iter().all(|e| !e.reason.to_string().is_empty()));
}

#[test]
fn skillignore_has_gitignore_semantics_but_cannot_bring_back_secrets() {
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    write(
        a.path(),
        ".skillignore",
        "# comment\n*.log\nbuild/\n!keep.log\n!.env\n",
    );
    write(a.path(), "debug.log", "x");
    write(a.path(), "keep.log", "x");
    write(a.path(), "build/out.txt", "x");
    write(a.path(), ".env", "x");
    write(a.path(), "references/.skillignore", "draft-*\n");
    write(a.path(), "references/draft-1.md", "x");
    write(a.path(), "draft-2.md", "x");
    let sel = select(a.path(), &PackLimits::default()).unwrap();
    let files: Vec<&str> = sel.files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(
        files,
        [
            ".skillignore",
            "SKILL.md",
            "draft-2.md",
            "keep.log",
            "references/.skillignore",
            "references/guide.md",
            "scripts/run.sh"
        ]
    );
    let reason = |rel: &str| {
        sel.excluded
            .iter()
            .find(|e| e.rel == rel)
            .map(|e| e.reason.clone())
    };
    assert_eq!(
        reason("debug.log"),
        Some(ExcludeReason::Ignored {
            file: ".skillignore".into(),
            line: 2,
            pattern: "*.log".into()
        })
    );
    assert_eq!(
        reason("references/draft-1.md"),
        Some(ExcludeReason::Ignored {
            file: "references/.skillignore".into(),
            line: 1,
            pattern: "draft-*".into()
        })
    );
    assert!(matches!(
        reason("build"),
        Some(ExcludeReason::Ignored { .. })
    ));
    assert!(matches!(reason(".env"), Some(ExcludeReason::Secret { .. })));
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_not_followed() {
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    std::os::unix::fs::symlink("/etc/passwd", a.path().join("references/passwd")).unwrap();
    let err = pack(a.path(), &PackLimits::default()).unwrap_err();
    assert!(
        matches!(err, PackError::Symlink { ref path, .. } if path == "references/passwd"),
        "{err}"
    );
    assert!(err.to_string().contains("/etc/passwd"));
    // An ignored link is simply left out.
    write(a.path(), ".skillignore", "references/passwd\n");
    pack(a.path(), &PackLimits::default()).unwrap();
}

#[test]
fn limits_are_enforced_with_clear_errors() {
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    write(a.path(), "assets/big.txt", &"x".repeat(2000));
    let small_file = PackLimits {
        max_file_bytes: 1000,
        ..PackLimits::default()
    };
    let err = pack(a.path(), &small_file).unwrap_err();
    assert!(
        matches!(err, PackError::FileTooLarge { ref path, .. } if path == "assets/big.txt"),
        "{err}"
    );
    let few = PackLimits {
        max_files: 3,
        ..PackLimits::default()
    };
    assert!(matches!(
        pack(a.path(), &few).unwrap_err(),
        PackError::TooManyFiles { limit: 3 }
    ));
    let tiny = PackLimits {
        max_packed_bytes: 100,
        ..PackLimits::default()
    };
    let err = pack(a.path(), &tiny).unwrap_err();
    assert!(matches!(err, PackError::PackedTooLarge { .. }));
    assert!(err.to_string().contains("limit"));
}

#[test]
fn default_limits_fit_real_multi_megabyte_skills() {
    let a = tempfile::tempdir().unwrap();
    skill(a.path());
    // 5 MB of varied text, like the larger public skills.
    let text: String = (0..120_000)
        .map(|i| format!("line {i} of reference material\n"))
        .collect();
    assert!(text.len() > 3_000_000);
    write(a.path(), "references/big.md", &text);
    let p = pack(a.path(), &PackLimits::default()).unwrap();
    let out = tempfile::tempdir().unwrap();
    unpack(&p.bytes, &out.path().join("s"), &UnpackLimits::default()).unwrap();
}

#[test]
fn pack_of_missing_directory_is_an_error() {
    let err = pack(Path::new("/definitely/not/here"), &PackLimits::default()).unwrap_err();
    assert!(err.to_string().contains("/definitely/not/here"));
}

fn tree_strategy() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let segment = "[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,12}".prop_filter("no secret-looking names", |s| {
        !s.starts_with(".env")
            && !s.starts_with("id_")
            && !s.ends_with(".key")
            && !s.ends_with(".pem")
            && !matches!(s.as_str(), "node_modules" | ".git" | ".DS_Store")
    });
    let path = prop::collection::vec(segment, 1..4).prop_map(|parts| parts.join("/"));
    prop::collection::btree_map(path, prop::collection::vec(any::<u8>(), 0..2048), 1..12).prop_map(
        |m| {
            // Drop paths that are a prefix directory of another path (a file cannot also be a directory).
            let keys: Vec<String> = m.keys().cloned().collect();
            m.into_iter()
                .filter(|(k, _)| !keys.iter().any(|o| o.starts_with(&format!("{k}/"))))
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn pack_unpack_round_trips_and_repacks_identically(tree in tree_strategy()) {
        let src = tempfile::tempdir().unwrap();
        for (rel, bytes) in &tree {
            let p = src.path().join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        let packed = pack(src.path(), &PackLimits::default()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("unpacked");
        let un = unpack(&packed.bytes, &dest, &UnpackLimits::default()).unwrap();
        let mut expected: Vec<&String> = tree.iter().map(|(k, _)| k).collect();
        expected.sort();
        let got: Vec<&String> = un.files.iter().collect();
        prop_assert_eq!(got, expected);
        for (rel, bytes) in &tree {
            prop_assert_eq!(&fs::read(dest.join(rel)).unwrap(), bytes);
        }
        let repacked = pack(&dest, &PackLimits::default()).unwrap();
        prop_assert_eq!(repacked.integrity, packed.integrity);
    }
}

#[cfg(unix)]
#[test]
fn files_hard_linked_outside_the_skill_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("skill");
    skill(&root);
    let outside = dir.path().join("secret-notes.txt");
    fs::write(&outside, "shared").unwrap();
    fs::hard_link(&outside, root.join("notes.txt")).unwrap();
    // Two links that both sit inside the skill (one packed, one left out) are not reported.
    write(&root, "a.md", "inside");
    fs::hard_link(root.join("a.md"), root.join(".env")).unwrap();
    let p = pack(&root, &PackLimits::default()).unwrap();
    assert_eq!(p.linked_outside, vec!["notes.txt".to_string()]);
}
