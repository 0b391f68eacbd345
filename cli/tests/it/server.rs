//! `spm server start` as a real process: embedded defaults, readiness, graceful stop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::free_port;

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn server_start_with_embedded_defaults_serves_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["server", "start", "--port", &port.to_string()])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("STORAGE_TYPE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let ready = loop {
        if let Some(r) = get(port, "/readyz") {
            break r;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(ready.contains("\"database\":\"ok\""), "{ready}");
    assert!(
        dir.path().join("spm-data/registry.db").is_file(),
        "the embedded database was not created"
    );
    assert!(dir.path().join("spm-data/blobs").is_dir());
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("listen     http://127.0.0.1:"), "{log}");
    assert!(
        log.contains("storage    local files in spm-data/blobs"),
        "{log}"
    );
    assert!(log.contains("registry stopped"), "{log}");
}

#[test]
fn server_start_explains_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["server", "start"])
        .current_dir(dir.path())
        .env("STORAGE_TYPE", "s3")
        .env_remove("S3_BUCKET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("S3_BUCKET"));
}

#[test]
fn create_admin_prints_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["server", "create-admin", "--name", "root", "--data-dir"])
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout);
    assert!(token.trim().starts_with("spm_"), "{token}");
}

/// `SPM_METRICS_ADDR` serves `/metrics` on its own address (no token; the main port keeps
/// it off), and `SPM_LOG_FORMAT=json` logs one JSON object a line, each request's lines
/// carrying its request id.
#[test]
fn metrics_on_their_own_address_and_json_logs() {
    let dir = tempfile::tempdir().unwrap();
    let (port, mport) = (free_port(), free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_spm"))
        .args(["server", "start", "--port", &port.to_string()])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("STORAGE_TYPE")
        .env_remove("SPM_METRICS_TOKEN")
        .env("SPM_METRICS_ADDR", format!("127.0.0.1:{mport}"))
        .env("SPM_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(port, "/readyz").is_none() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = get(port, "/api/skills/search?q=x");
    let main = get(port, "/metrics").unwrap();
    assert!(main.starts_with("HTTP/1.1 404"), "{main}");
    let m = loop {
        if let Some(r) = get(mport, "/metrics") {
            break r;
        }
        assert!(Instant::now() < deadline, "metrics did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(m.starts_with("HTTP/1.1 200"), "{m}");
    assert!(
        m.contains(
            r#"spm_http_requests_total{route="/api/skills/search",method="GET",status="200"}"#
        ),
        "{m}"
    );
    assert!(m.contains("spm_db_pool_connections"), "{m}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    // The configuration summary is plain text; every log line after it is JSON.
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(
        log.contains(&format!("metrics    http://127.0.0.1:{mport}/metrics")),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "registry listening"),
        "{log}"
    );
    let request = lines
        .iter()
        .find(|l| l["span"]["path"] == "/api/skills/search")
        .unwrap_or_else(|| panic!("no request line in {log}"));
    assert!(
        request["span"]["id"].as_str().unwrap().starts_with("req-"),
        "{request}"
    );
}
