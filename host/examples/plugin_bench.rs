//! Plugin figures: one scanner call on a ~50 KB skill (fresh instance + scan) against the same
//! rules run natively, and loading three plugins cold (compile) and from the compile cache.
//!
//!   cargo run --release -p spm-host --example plugin_bench -- <dir with the built .wasm files>

use std::path::PathBuf;
use std::time::Instant;

use spm_host::plugins::{Kind, PackageMeta, PluginSpec, Plugins, package_view};

fn spec(dir: &std::path::Path, file: &str, kind: Kind) -> PluginSpec {
    PluginSpec {
        name: None,
        path: dir.join(format!("{file}.wasm")),
        kind,
        timeout_ms: 1000,
        memory_mb: 64,
        fail_open: false,
        settings: Default::default(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: plugin_bench <dir with .wasm files>"),
    );
    let specs = vec![
        spec(&dir, "secrets_scanner", Kind::Scanner),
        spec(&dir, "license_policy", Kind::Policy),
        spec(&dir, "jwt_auth", Kind::Auth),
    ];
    let cache = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let plugins = Plugins::load(&specs, Some(cache.path().to_path_buf()), &dir).unwrap();
    let cold = t.elapsed();
    let t = Instant::now();
    let _again = Plugins::load(&specs, Some(cache.path().to_path_buf()), &dir).unwrap();
    let warm = t.elapsed();
    println!(
        "load 3 plugins: cold (compile) {:.1} ms, from compile cache {:.1} ms",
        cold.as_secs_f64() * 1e3,
        warm.as_secs_f64() * 1e3
    );

    // ~50 KB of realistic text with one secret in it.
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 50_000 {
        text.push_str(&format!(
            "Step {i}: run `cargo test` and read the output carefully before continuing.\n"
        ));
        i += 1;
    }
    text.push_str("export AWS_ACCESS_KEY_ID=AKIAZ7XQ2LMN4PRS5TUV\n");
    let files: spm_core::package::Files =
        [("SKILL.md".to_string(), text.clone().into_bytes())].into();
    let m = spm_core::skill::Manifest {
        name: "bench".into(),
        ..Default::default()
    };
    let meta = PackageMeta {
        author: "a",
        publisher: "a",
        packed_size: 1,
        manifest_json: "{}".into(),
    };
    let view = package_view(&m, meta, &files);

    let runs = 200;
    let (f, _) = plugins.scan(&view, None).await;
    assert_eq!(f.len(), 1);
    let t = Instant::now();
    for _ in 0..runs {
        let (f, failures) = plugins.scan(&view, None).await;
        assert!(failures.is_empty() && f.len() == 1);
    }
    let wasm = t.elapsed() / runs;
    let t = Instant::now();
    for _ in 0..runs {
        let hits = secrets_scanner::find_secrets(std::hint::black_box(&text), 4.0);
        assert_eq!(hits.len(), 1);
    }
    let native = t.elapsed() / runs;
    println!(
        "scan of a {} KB skill: wasm plugin (instantiate + copy in + scan) {:.0} µs/call, same rules native {:.0} µs/call ({:.1}x)",
        text.len() / 1024,
        wasm.as_secs_f64() * 1e6,
        native.as_secs_f64() * 1e6,
        wasm.as_secs_f64() / native.as_secs_f64()
    );
}
