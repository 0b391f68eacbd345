//! The container image, built from the repository's `Dockerfile` with podman's
//! docker-compatible CLI exactly as the product documentation writes it
//! (`docker build -t spm-registry .`, `docker run -p 3717:3717 -e DATABASE_URL=… -e
//! STORAGE_TYPE=s3 -e S3_BUCKET=…`), then run against a real PostgreSQL and a real S3
//! (SeaweedFS), and on its embedded defaults with a volume.
//!
//! Base images cannot be pulled here: `deploy/build-local-images.sh` makes a Debian base with
//! debootstrap and a builder from it plus the host's toolchain, and they are tagged with the
//! Dockerfile's default base names, so the build runs with no arguments at all. Where podman
//! is absent it prints SKIPPED (on CI, where `.ci/run` installs it, that is a failure).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::{
    S3_KEY, S3_SECRET, Seaweed, drop_pg_database, free_port, fresh_pg_database, in_ci, pack_skill,
    publish_status,
};

const IMAGE: &str = "spm-registry";

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn podman(args: &[&str]) -> Output {
    Command::new("podman")
        .args(args)
        .current_dir(root())
        // podman's default OCI format drops HEALTHCHECK; docker's format keeps it.
        .env("BUILDAH_FORMAT", "docker")
        .output()
        .expect("podman runs")
}

fn ok(args: &[&str]) -> String {
    let out = podman(args);
    assert!(
        out.status.success(),
        "podman {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Builds the image once per test run; `false` (with a message) where no engine is present.
fn build_image() -> bool {
    if Command::new("podman").arg("--version").output().is_err() {
        assert!(
            !in_ci(),
            "podman is not installed on CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: podman is not installed (deploy/build-local-images.sh --install)");
        return false;
    }
    let out = Command::new("bash")
        .arg("deploy/build-local-images.sh")
        .current_dir(root())
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "build-local-images.sh failed:\n{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if said.contains("SKIPPED") {
        assert!(
            !in_ci(),
            "the local base images cannot be made on CI: {said}"
        );
        eprintln!("{said}");
        return false;
    }
    // The Dockerfile's default bases, served locally: `docker build -t spm-registry .` as written.
    ok(&[
        "tag",
        "localhost/spm-base:bookworm",
        "docker.io/library/debian:bookworm-slim",
    ]);
    ok(&[
        "tag",
        "localhost/spm-builder:1.95",
        "docker.io/library/rust:1.95-slim-bookworm",
    ]);
    ok(&["build", "-t", IMAGE, "."]);
    true
}

async fn ready(url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("{url}/readyz")).await
            && r.status() == 200
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    false
}

/// Registers `alice`, publishes a skill and downloads it back: the bytes match the integrity.
async fn publish_and_download(url: &str, name: &str) -> spm_core::package::Integrity {
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{url}/api/auth/register"))
        .json(&serde_json::json!({ "name": "alice" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let archive = pack_skill(name, "1.0.0", "");
    let integrity = spm_core::package::Integrity::of(&archive);
    let status = publish_status(
        http.clone(),
        format!("{url}/api/skills"),
        token,
        archive,
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 201);
    let dl: serde_json::Value = http
        .get(format!("{url}/api/skills/alice/{name}/download"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bytes = http
        .get(dl["download_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(spm_core::package::Integrity::of(&bytes), integrity);
    integrity
}

/// Stops and removes a container when the test ends, however it ends.
struct Running(String);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = podman(&["rm", "-f", "-t", "2", &self.0]);
    }
}

fn unique(what: &str) -> String {
    format!("spm-test-{what}-{}-{}", std::process::id(), free_port())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_image_builds_and_runs_on_postgres_and_s3_and_on_its_defaults() {
    if !build_image() {
        return;
    }
    // What the image is: a non-root user, a health check on /healthz, port 3717, /data.
    let config = ok(&[
        "image",
        "inspect",
        IMAGE,
        "--format",
        "{{.Config.User}}@@{{json .Config.Healthcheck}}@@{{json .Config.ExposedPorts}}@@{{json .Config.Volumes}}",
    ]);
    let parts: Vec<&str> = config.split("@@").collect();
    assert_eq!(parts[0], "spm", "{config}");
    assert!(parts[1].contains("/healthz"), "{config}");
    assert!(parts[2].contains("3717/tcp"), "{config}");
    assert!(parts[3].contains("/data"), "{config}");

    // At scale: PostgreSQL and S3 (the host's, so the host network), configured only by the
    // environment variables the documentation lists.
    let Some(s3) = Seaweed::start().await else {
        return;
    };
    let Some((db_url, db_name)) = fresh_pg_database().await else {
        return;
    };
    let port = free_port();
    let prefix = format!("/{}/", unique("blobs"));
    let name = unique("scale");
    let env = [
        format!("PORT={port}"),
        format!("DATABASE_URL={db_url}"),
        "STORAGE_TYPE=s3".into(),
        format!("S3_BUCKET={}", s3.bucket),
        "S3_REGION=us-east-1".into(),
        format!("S3_ENDPOINT={}", s3.endpoint),
        format!("S3_ACCESS_KEY_ID={S3_KEY}"),
        format!("S3_SECRET_ACCESS_KEY={S3_SECRET}"),
        format!("S3_PREFIX={prefix}"),
    ];
    let mut args = vec!["run", "-d", "--name", &name, "--network", "host"];
    for e in &env {
        args.extend(["-e", e.as_str()]);
    }
    // On the host network it listens on loopback only.
    args.extend([IMAGE, "server", "start", "--bind", "127.0.0.1"]);
    ok(&args);
    let running = Running(name.clone());
    let url = format!("http://127.0.0.1:{port}");
    assert!(ready(&url).await, "{}", ok(&["logs", &name]));
    let integrity = publish_and_download(&url, "from-container").await;
    // The archive is in the bucket, under the prefix; the database is PostgreSQL's.
    let blobs = spm_host::storage::Blobs::open(&spm_host::config::StorageConfig::S3 {
        bucket: s3.bucket.clone(),
        region: "us-east-1".into(),
        endpoint: Some(s3.endpoint.clone()),
        access_key_id: Some(S3_KEY.into()),
        secret_access_key: Some(S3_SECRET.into()),
        prefix: Some(prefix.clone()),
        presign: false,
    })
    .unwrap();
    assert!(blobs.size(&integrity).await.unwrap().is_some());
    let db = spm_host::db::Db::connect(&db_url).await.unwrap();
    assert!(
        db.skill_id(
            "alice",
            "from-container",
            &spm_host::db::orgs::Viewer::everything()
        )
        .await
        .unwrap()
        .is_some()
    );
    // It runs as the image's user, and its health check passes.
    assert_eq!(ok(&["exec", &name, "id", "-u"]), "10001");
    ok(&["healthcheck", "run", &name]);
    let data = ok(&["exec", &name, "ls", "-A", "/data"]);
    assert!(
        !data.contains("registry.db"),
        "nothing stored in /data: {data}"
    );
    drop(running);
    drop(db);
    drop_pg_database(&db_name).await;

    // Embedded defaults, as the documentation's `docker run -p 3717:3717` (another host port):
    // SQLite and files in the volume, which keep them across a restart.
    let volume = unique("data");
    let name = unique("embedded");
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:3717");
    let mount = format!("{volume}:/data");
    ok(&[
        "run", "-d", "--name", &name, "-p", &publish, "-v", &mount, IMAGE,
    ]);
    let running = Running(name.clone());
    let url = format!("http://127.0.0.1:{port}");
    assert!(ready(&url).await, "{}", ok(&["logs", &name]));
    publish_and_download(&url, "embedded").await;
    let data = ok(&["exec", &name, "ls", "-A", "/data"]);
    assert!(
        data.contains("registry.db") && data.contains("blobs"),
        "{data}"
    );
    ok(&["restart", "-t", "2", &name]);
    assert!(ready(&url).await, "{}", ok(&["logs", &name]));
    let r = reqwest::get(format!("{url}/api/skills/alice/embedded"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the volume kept the registry");
    drop(running);
    let _ = podman(&["volume", "rm", "-f", &volume]);
}
