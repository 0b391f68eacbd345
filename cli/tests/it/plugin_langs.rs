//! Plugins in Python and JavaScript, built with their real toolchains (componentize-py from
//! PyPI, componentize-js from npm) from projects `spm plugin new` writes outside this
//! repository, loaded into a running registry that refuses publishes through each; and a
//! Python plugin that misbehaves (endless loop, huge allocation, trap) stopped by the host.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use crate::e2e::{Registry, User, skill};

/// componentize-js as `.ci/run` installs it (`npm ci` in cli/tests/plugin-toolchains).
fn componentize_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/plugin-toolchains/node_modules/.bin/componentize-js")
}

/// Whether both toolchains are here; on CI they must be.
fn toolchains() -> bool {
    let py = Command::new("componentize-py")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let js = componentize_js().is_file();
    if py && js {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the plugin toolchains are missing on CI"
    );
    eprintln!(
        "SKIPPED: needs componentize-py (`pip install componentize-py`) and componentize-js (`npm ci` in cli/tests/plugin-toolchains)"
    );
    false
}

fn spm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(args)
        .current_dir(dir)
        .env("SPM_COMPONENTIZE_JS", componentize_js())
        .env("SPM_HOME", dir.join(".spm-home"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[track_caller]
fn ok(dir: &Path, args: &[&str]) -> String {
    let o = spm(dir, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "spm {args:?} failed:\n{text}");
    text
}

/// A webhook receiver on loopback: the bodies of the requests it got, each answered 200.
fn receiver() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for mut sock in listener.incoming().flatten() {
            let mut reader = BufReader::new(sock.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    (port, got)
}

/// `spm plugin new NAME --lang LANG --world WORLD` in `dir`, then `spm plugin build . --out
/// dist` inside it, from a folder of its own: the component's path.
fn new_and_build(dir: &Path, name: &str, lang: &str, world: &str) -> PathBuf {
    ok(
        dir,
        &["plugin", "new", name, "--lang", lang, "--world", world],
    );
    let project = dir.join(name);
    let out = ok(&project, &["plugin", "build", ".", "--out", "dist"]);
    let wasm = project
        .join("dist")
        .join(format!("{}.wasm", name.replace('-', "_")));
    assert!(wasm.is_file() && out.contains("dist/"), "{out}");
    let check = ok(dir, &["plugin", "check", wasm.to_str().unwrap()]);
    assert!(
        check.contains("spm:plugin@0.2.0") && check.contains(name),
        "{check}"
    );
    wasm
}

#[test]
fn python_and_javascript_plugins_refuse_publishes_in_a_running_registry() {
    if !toolchains() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let py_scan = new_and_build(dir, "py-scan", "python", "scanner");
    let js_scan = new_and_build(dir, "js-scan", "js", "scanner");
    let py_policy = new_and_build(dir, "py-policy", "python", "policy");
    let py_hook = new_and_build(dir, "py-hook", "python", "hook");
    let js_hook = new_and_build(dir, "js-hook", "js", "hook");
    // Every other template builds and checks as its world too.
    for (name, lang, world) in [
        ("py-auth", "python", "auth"),
        ("js-auth", "js", "auth"),
        ("js-policy", "js", "policy"),
    ] {
        new_and_build(dir, name, lang, world);
    }
    // API 0.2.0 scanners see the previous version: with `only_changed`, a word in a file that
    // did not change is not flagged again, one in a new file is.
    let old = skill(&dir.join("old"), "diffed", "1.0.0", &[]);
    std::fs::write(old.join("notes.md"), "PYBAD JSBAD\n").unwrap();
    let new = skill(&dir.join("new"), "diffed", "1.1.0", &[]);
    std::fs::write(new.join("notes.md"), "PYBAD JSBAD\n").unwrap();
    std::fs::write(new.join("added.md"), "PYBAD JSBAD\n").unwrap();
    for (wasm, word) in [(&py_scan, "PYBAD"), (&js_scan, "JSBAD")] {
        let o = spm(
            dir,
            &[
                "plugin",
                "run",
                wasm.to_str().unwrap(),
                new.to_str().unwrap(),
                "--previous",
                old.to_str().unwrap(),
                "--set",
                &format!("words={word}"),
                "--set",
                "only_changed=true",
                "--timeout-ms",
                "5000",
            ],
        );
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("added.md:1") && !text.contains("notes.md"),
            "{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Without its toolchain, the build says how to get it.
    let o = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["plugin", "build", "."])
        .current_dir(dir.join("py-auth"))
        .env("PATH", "/nonexistent")
        .env_remove("SPM_COMPONENTIZE_PY")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && text.contains("pip install componentize-py"),
        "{text}"
    );
    let (port, told) = receiver();
    let config = dir.join("spm.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[[plugins]]
path = "{}"
kind = "scanner"
timeout_ms = 5000
settings = {{ words = "PYBAD", severity = "critical" }}

[[plugins]]
path = "{}"
kind = "scanner"
timeout_ms = 5000
settings = {{ words = "JSBAD", severity = "critical" }}

[[plugins]]
path = "{}"
kind = "policy"
timeout_ms = 5000
settings = {{ denied_names = "forbidden-*" }}

[[plugins]]
path = "{}"
kind = "hook"
timeout_ms = 5000
settings = {{ url = "http://127.0.0.1:{port}/py", allowed_hosts = "127.0.0.1:{port}" }}

[[plugins]]
path = "{}"
kind = "hook"
timeout_ms = 5000
settings = {{ url = "http://127.0.0.1:{port}/js", allowed_hosts = "127.0.0.1:{port}" }}
"#,
            py_scan.display(),
            js_scan.display(),
            py_policy.display(),
            py_hook.display(),
            js_hook.display(),
        ),
    )
    .unwrap();
    let reg = Registry::start_with_config(&config, Duration::from_secs(300));
    let alice = User::new();
    alice.ok(dir, &["login", &reg.url, "--name", "alice"]);
    // A clean skill goes through all three.
    let clean = skill(&dir.join("s"), "fine-skill", "1.0.0", &[]);
    alice.ok(&clean, &["publish"]);
    // Both hooks are told, after the publish, on their own.
    let mut events = Vec::new();
    for _ in 0..600 {
        events = told.lock().unwrap().clone();
        if events.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(events.len(), 2, "{events:?}");
    for e in &events {
        let e: serde_json::Value = serde_json::from_str(e).unwrap();
        assert_eq!(e["kind"], "published", "{e}");
        assert_eq!(e["name"], "fine-skill", "{e}");
        assert_eq!(e["author"], "alice", "{e}");
        assert_eq!(e["safety_status"], "clean", "{e}");
        assert!(e["at"].as_u64().is_some(), "{e}");
    }
    // Each plugin refuses what it is configured to refuse, and says so.
    let mark = |name: &str, word: &str| {
        let d = skill(&dir.join("s"), name, "1.0.0", &[]);
        let md = d.join("SKILL.md");
        let text = std::fs::read_to_string(&md).unwrap();
        std::fs::write(&md, format!("{text}\nNever write {word} here.\n")).unwrap();
        d
    };
    let out = alice.fails(&mark("py-marked", "PYBAD"), &["publish"]);
    assert!(
        out.contains("py-scan/PYBAD") && out.contains("blocked"),
        "{out}"
    );
    let out = alice.fails(&mark("js-marked", "JSBAD"), &["publish"]);
    assert!(
        out.contains("js-scan/JSBAD") && out.contains("blocked"),
        "{out}"
    );
    let forbidden = skill(&dir.join("s"), "forbidden-thing", "1.0.0", &[]);
    let out = alice.fails(&forbidden, &["publish"]);
    assert!(
        out.contains("names matching `forbidden-*` are not accepted here"),
        "{out}"
    );
}

#[test]
fn a_misbehaving_python_plugin_is_stopped() {
    if !toolchains() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    ok(
        dir,
        &[
            "plugin", "new", "py-bad", "--lang", "python", "--world", "scanner",
        ],
    );
    let project = dir.join("py-bad");
    std::fs::write(
        project.join("app.py"),
        r#"import wit_world
from wit_world.imports import types

import spm_plugin as spm


class WitWorld(wit_world.WitWorld):
    def info(self) -> types.PluginInfo:
        return spm.plugin_info("py-bad", "0.1.0", "misbehaves as told")

    def scan(self, pkg: types.SkillPackage):
        mode = spm.config("mode", "fine")
        if mode == "loop":
            while True:
                pass
        if mode == "sleep":
            # Blocked in a WASI call, not computing: dropped at the deadline all the same.
            import time
            time.sleep(600)
        if mode == "alloc":
            hoard = []
            while True:
                hoard.append(bytearray(16 << 20))
        if mode == "trap":
            raise RuntimeError("boom")
        if mode == "chatty":
            # Far past the 64 KiB kept for the log: printing never fails the call.
            for i in range(20000):
                print("a chatty plugin line", i, "x" * 40)
            return []
        if mode == "probe":
            # WASI is linked closed: none of these may reach anything.
            reached = []
            import os
            if os.environ:
                reached.append("environment")
            for path in ["/etc/passwd", "/", "."]:
                try:
                    os.listdir(path) if path != "/etc/passwd" else open(path).read()
                    reached.append(path)
                except Exception:
                    pass
            try:
                import socket
                socket.create_connection(("127.0.0.1", 80), 1)
                reached.append("socket")
            except Exception:
                pass
            try:
                socket.getaddrinfo("localhost", 80)
                reached.append("name lookup")
            except Exception:
                pass
            print("probed")
            return [spm.finding("probe", "reached: " + (", ".join(reached) or "nothing"))]
        return []
"#,
    )
    .unwrap();
    // Built against API 0.1.0 (one scan argument), the version a project made before 0.2.0
    // names: it imports WASI, which the host links closed for either version.
    let manifest = project.join("spm-plugin.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("api = \"0.2.0\"", "api = \"0.1.0\""),
    )
    .unwrap();
    ok(&project, &["plugin", "build", ".", "--out", "dist"]);
    let wasm = project.join("dist/py_bad.wasm");
    let check = ok(dir, &["plugin", "check", wasm.to_str().unwrap()]);
    assert!(check.contains("spm:plugin@0.1.0"), "{check}");
    let skill_dir = skill(&dir.join("s"), "target-skill", "1.0.0", &[]);
    let run = |mode: &str| {
        let o = spm(
            dir,
            &[
                "plugin",
                "run",
                wasm.to_str().unwrap(),
                skill_dir.to_str().unwrap(),
                "--set",
                &format!("mode={mode}"),
                "--timeout-ms",
                "2000",
                "--memory-mb",
                "48",
            ],
        );
        (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        )
    };
    let (fine, text) = run("fine");
    assert!(fine, "{text}");
    let (done, text) = run("loop");
    assert!(
        !done && text.contains("ran past its 2000 ms deadline"),
        "{text}"
    );
    let (done, text) = run("sleep");
    assert!(
        !done && text.contains("ran past its 2000 ms deadline"),
        "{text}"
    );
    let (done, text) = run("alloc");
    assert!(
        !done && text.contains("exceeded its 48 MiB memory limit"),
        "{text}"
    );
    let (done, text) = run("trap");
    assert!(
        !done && (text.contains("trapped") || text.contains("failed")),
        "{text}"
    );
    let (fine, text) = run("chatty");
    assert!(fine, "{text}");
    // (A run with a high finding exits 1, as `spm scan` does.)
    let (_, text) = run("probe");
    assert!(text.contains("reached: nothing"), "{text}");
}

#[test]
fn rust_plugins_build_from_anywhere_from_a_relative_path_and_as_one_workspace_member() {
    if !crate::plugin::wasm_toolchain() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    // A new crate, outside this repository, built from its parent by a relative path.
    ok(
        dir,
        &[
            "plugin", "new", "rs-scan", "--lang", "rust", "--world", "scanner",
        ],
    );
    assert!(dir.join("rs-scan/spm-plugin-sdk/src/lib.rs").is_file());
    // The SDK carries the WIT of each version inside itself, as its published crate will.
    for v in ["0.1.0", "0.2.0"] {
        assert!(
            dir.join(format!(
                "rs-scan/spm-plugin-sdk/wit/spm-plugin/{v}/plugin.wit"
            ))
            .is_file()
        );
    }
    assert!(!dir.join("rs-scan/wit").exists());
    let out = ok(dir, &["plugin", "build", "rs-scan", "--out", "dist"]);
    assert!(dir.join("dist/rs_scan.wasm").is_file(), "{out}");
    // A copy without the SDK (as the template in this repository is) gets it written back.
    let copy = dir.join("copied");
    std::fs::create_dir_all(copy.join("src")).unwrap();
    // ... and names its library apart from its package: the component is named after it.
    let manifest = std::fs::read_to_string(dir.join("rs-scan/Cargo.toml")).unwrap();
    std::fs::write(
        copy.join("Cargo.toml"),
        manifest.replace("[lib]\n", "[lib]\nname = \"renamed_lib\"\n"),
    )
    .unwrap();
    std::fs::copy(dir.join("rs-scan/src/lib.rs"), copy.join("src/lib.rs")).unwrap();
    ok(&copy, &["plugin", "build", ".", "--out", "dist"]);
    assert!(copy.join("dist/renamed_lib.wasm").is_file());
    // One member of a workspace (this repository's plugins), built from inside it, and the
    // same member by a relative path from elsewhere: only its component, where asked.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = crate::plugin::shared_wasm_target();
    let member = |cwd: &Path, path: &str, out: &Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_spm"))
            .args(["plugin", "build", path, "--out"])
            .arg(out)
            .current_dir(cwd)
            .env("SPM_PLUGIN_TARGET_DIR", &shared)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{text}");
        text
    };
    let one = dir.join("one");
    let out = member(&repo.join("plugins/secrets-scanner"), ".", &one);
    assert!(one.join("secrets_scanner.wasm").is_file(), "{out}");
    assert_eq!(std::fs::read_dir(&one).unwrap().count(), 1, "{out}");
    let rel = dir.join("rel");
    member(&repo, "plugins/license-policy", &rel);
    assert!(rel.join("license_policy.wasm").is_file());
    // Each builds and checks as its world.
    // A publish hook in Rust, and a run of it against a local webhook.
    ok(
        dir,
        &[
            "plugin", "new", "rs-hook", "--lang", "rust", "--world", "hook",
        ],
    );
    ok(dir, &["plugin", "build", "rs-hook", "--out", "dist"]);
    let (port, told) = receiver();
    let hook = dir.join("dist/rs_hook.wasm");
    let out = ok(
        dir,
        &[
            "plugin",
            "run",
            hook.to_str().unwrap(),
            "--event",
            "yanked",
            "--set",
            &format!("url=http://127.0.0.1:{port}/hook"),
            "--set",
            &format!("allowed_hosts=127.0.0.1:{port}"),
        ],
    );
    assert!(out.contains("told: yanked local/example@1.0.0"), "{out}");
    let events = told.lock().unwrap().clone();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].contains(r#""kind":"yanked""#), "{events:?}");
    let o = spm(
        dir,
        &[
            "plugin",
            "run",
            hook.to_str().unwrap(),
            "--event",
            "exploded",
        ],
    );
    let text = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && text.contains("not an event"),
        "{text}"
    );
    for (wasm, world) in [
        (dir.join("dist/rs_scan.wasm"), "safety-scanner"),
        (dir.join("dist/rs_hook.wasm"), "publish-hook"),
        (rel.join("license_policy.wasm"), "storage-policy"),
    ] {
        let check = ok(dir, &["plugin", "check", wasm.to_str().unwrap()]);
        assert!(check.contains(world), "{check}");
    }
}

#[test]
fn sighup_reloads_plugins_without_a_restart() {
    if !crate::plugin::wasm_toolchain() {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = crate::plugin::shared_wasm_target();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let o = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["plugin", "build", "plugins/license-policy", "--out"])
        .arg(dir.join("dist"))
        .current_dir(&repo)
        .env("SPM_PLUGIN_TARGET_DIR", &shared)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let config = dir.join("spm.toml");
    let write = |reserved: &str| {
        std::fs::write(
            &config,
            format!("[[plugins]]\npath = \"dist/license_policy.wasm\"\nkind = \"policy\"\ntimeout_ms = 1000\nsettings = {{ reserved_names = \"{reserved}\", reserved_for = \"admin\" }}\n"),
        )
        .unwrap();
    };
    write("first-*");
    let reg = Registry::start_with_config(&config, Duration::from_secs(120));
    let alice = User::new();
    alice.ok(dir, &["login", &reg.url, "--name", "alice"]);
    let first = skill(&dir.join("s"), "first-one", "1.0.0", &[]);
    let out = alice.fails(&first, &["publish"]);
    assert!(out.contains("first-*") || out.contains("reserved"), "{out}");
    write("second-*");
    let killed = Command::new("kill")
        .args(["-HUP", &reg.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // The new set is in place once the reload finishes (it compiles nothing new: cached).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    for i in 0.. {
        let second = skill(&dir.join("s"), &format!("second-{i}"), "1.0.0", &[]);
        let o = alice.spm_with(&second, &["publish"], &[]);
        let text =
            String::from_utf8_lossy(&o.stderr).to_string() + &String::from_utf8_lossy(&o.stdout);
        if !o.status.success() {
            assert!(text.contains("reserved"), "{text}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "SIGHUP did not reload the plugins"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    alice.ok(&first, &["publish"]);
}
