//! `spm plugin build|check|run` on the plugins we ship.

use std::path::{Path, PathBuf};
use std::process::Command;

fn spm(args: &[&str], target: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(args)
        .env("SPM_PLUGIN_TARGET_DIR", target)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Whether a wasm32 Rust toolchain is here (on CI it must be); says SKIPPED when not.
pub(crate) fn wasm_toolchain() -> bool {
    if spm_client::plugin_build::detect().is_ok() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "no wasm toolchain on CI");
    eprintln!("SKIPPED: no wasm toolchain (rustup wasm32 target or Debian rustc-web)");
    false
}

/// The build folder the plugin tests share with the host's, so plugin builds are incremental.
pub(crate) fn shared_wasm_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("wasm-plugins")
}

#[test]
fn build_check_and_run_plugins_without_a_server() {
    if !wasm_toolchain() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Share the build directory with the host's tests, so the build is incremental.
    let target = shared_wasm_target();
    let out = tempfile::tempdir().unwrap();
    let o = spm(
        &[
            "plugin",
            "build",
            root.join("plugins").to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        &target,
    );
    assert!(o.status.success(), "{}", text(&o));
    let scanner = out.path().join("secrets_scanner.wasm");
    assert!(scanner.is_file());

    let o = spm(&["plugin", "check", scanner.to_str().unwrap()], &target);
    assert!(
        o.status.success() && text(&o).contains("safety-scanner plugin, spm:plugin@0.1.0"),
        "{}",
        text(&o)
    );
    let junk = out.path().join("junk.wasm");
    std::fs::write(&junk, b"\0asm junk").unwrap();
    let o = spm(&["plugin", "check", junk.to_str().unwrap()], &target);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("not a valid WebAssembly component"),
        "{}",
        text(&o)
    );

    let skill = out.path().join("leaky");
    std::fs::create_dir_all(skill.join("scripts")).unwrap();
    std::fs::write(
        skill.join("SKILL.md"),
        "---\nname: leaky\ndescription: d\nversion: 1.0.0\nlicense: GPL-3.0-only\n---\nbody\n",
    )
    .unwrap();
    std::fs::write(
        skill.join("scripts/run.sh"),
        "#!/bin/sh\nexport KEY=AKIAZ7XQ2LMN4PRS5TUV\n",
    )
    .unwrap();
    let o = spm(
        &[
            "plugin",
            "run",
            scanner.to_str().unwrap(),
            skill.to_str().unwrap(),
        ],
        &target,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("scripts/run.sh:2") && text(&o).contains("secrets/aws-access-key"),
        "{}",
        text(&o)
    );
    let policy = out.path().join("license_policy.wasm");
    let o = spm(
        &[
            "plugin",
            "run",
            policy.to_str().unwrap(),
            skill.to_str().unwrap(),
            "--set",
            "allowed_licenses=MIT",
        ],
        &target,
    );
    assert!(
        text(&o).contains("deny: the license `GPL-3.0-only` is not allowed"),
        "{}",
        text(&o)
    );
    let auth = out.path().join("jwt_auth.wasm");
    let o = spm(
        &[
            "plugin",
            "run",
            auth.to_str().unwrap(),
            "--token",
            "not-a-jwt",
            "--set",
            "secret=x",
        ],
        &target,
    );
    assert!(text(&o).contains("not mine"), "{}", text(&o));
}
