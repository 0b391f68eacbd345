//! The allow-listing HTTP(S) proxy a sandboxed shell command's traffic goes through: it
//! listens on a Unix socket in the command's scratch folder (the sandbox forwards its only
//! reachable address, `127.0.0.1:3128` in its own network namespace, to it), and lets a
//! `CONNECT host:port` or an absolute-form `GET http://host/...` through only when the skill
//! declares the host and every address it resolves to passes the same checks as
//! `skill_exec_fetch`. What goes to that address must be for that host too: a plain request
//! is sent with `Host:` set to the URL's host, and a CONNECT tunnel carries only TLS whose
//! ClientHello names no other server (no fronting another site on the same address). Each
//! decision goes to the audit log.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use spm_client::project::Project;
use spm_core::policy::Policy;

/// Largest request head read.
const MAX_HEAD: usize = 16 << 10;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections relayed at once.
const MAX_CONNECTIONS: usize = 64;

/// A running proxy; stops when dropped.
pub struct Proxy {
    pub socket: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Who the proxy acts for, to judge and to record.
#[derive(Clone)]
pub struct Acting {
    pub policy: Arc<Policy>,
    pub project: Project,
}

impl Acting {
    fn log(&self, target: &str, verdict: &str, reason: &str) {
        let tool = "skill_exec_bash (network)";
        crate::exec::record(
            &self.project,
            &self.policy.skill,
            tool,
            target,
            verdict,
            reason,
        );
    }
}

/// Starts the proxy on `dir/proxy.sock`.
pub fn start(dir: &Path, acting: Acting) -> std::io::Result<Proxy> {
    let socket = dir.join("proxy.sock");
    let listener = UnixListener::bind(&socket)?;
    listener.set_nonblocking(true)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let thread = std::thread::spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, _)) => {
                    // A bounded number at once; past it, a refusal instead of a thread.
                    if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        refuse(
                            stream,
                            "503 Service Unavailable",
                            "too many connections at once",
                        );
                        continue;
                    }
                    open.fetch_add(1, Ordering::SeqCst);
                    let (acting, count) = (acting.clone(), open.clone());
                    let spawned = std::thread::Builder::new().spawn(move || {
                        serve(stream, &acting);
                        count.fetch_sub(1, Ordering::SeqCst);
                    });
                    if spawned.is_err() {
                        // No thread: the connection was dropped unserved.
                        open.fetch_sub(1, Ordering::SeqCst);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => break,
            }
        }
    });
    Ok(Proxy {
        socket,
        stop,
        thread: Some(thread),
    })
}

/// The request head with `Host:` set to the judged host (`authority`) and `Connection:
/// close`, so the origin answers this one request, for that host, and closes: a later
/// request on the connection, or a `Host:` naming another virtual host, is never relayed
/// unjudged.
fn one_request(head: &[u8], url: &url::Url, authority: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    for (i, line) in text.split("\r\n").filter(|l| !l.is_empty()).enumerate() {
        if i == 0 {
            // The origin form of the judged URL (`GET /path?q HTTP/1.1`): the origin never
            // parses the client's absolute URL, which another parser could read differently.
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("GET");
            let version = parts.nth(1).unwrap_or("HTTP/1.1");
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            out.push_str(&format!(
                "{method} {path} {version}\r\nHost: {authority}\r\n"
            ));
            continue;
        }
        let name = line.split(':').next().unwrap_or_default().trim();
        if ["connection", "proxy-connection", "keep-alive", "host"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

/// Largest ClientHello read before judging a tunnel.
const MAX_HELLO: usize = 16 << 10;

/// Reads the start of a CONNECT tunnel (after `early`, bytes that came with the head) up to
/// a whole TLS ClientHello, and judges it: it must be TLS, and the server it names must be
/// `host` (a tunnel to an IP address may name none). Returns the bytes read, to send on.
fn judge_hello(stream: &mut UnixStream, early: &[u8], host: &str) -> Result<Vec<u8>, String> {
    let mut seen = early.to_vec();
    let mut acceptor = rustls::server::Acceptor::default();
    let mut fed = 0;
    let mut buf = [0u8; 4096];
    loop {
        if seen.len() > fed {
            if seen.first() != Some(&0x16) {
                return Err(format!(
                    "a CONNECT tunnel carries TLS only; send plain requests to http://{host}/ through the proxy"
                ));
            }
            let mut rest = &seen[fed..];
            let n = acceptor
                .read_tls(&mut rest)
                .map_err(|e| format!("cannot read the TLS ClientHello: {e}"))?;
            fed += n;
            match acceptor.accept() {
                Ok(Some(accepted)) => {
                    let named = accepted.client_hello().server_name().map(str::to_string);
                    return match named {
                        Some(name)
                            if !name
                                .trim_end_matches('.')
                                .eq_ignore_ascii_case(host.trim_end_matches('.')) =>
                        {
                            Err(format!(
                                "the TLS ClientHello names {name}, not {host} (CONNECT was judged for {host})"
                            ))
                        }
                        // A tunnel to a name must say which server it wants: without it, the
                        // address's default site answers, which need not be that name's.
                        None if host.parse::<std::net::IpAddr>().is_err() => Err(format!(
                            "the TLS ClientHello names no server (SNI); a tunnel to {host} must name it"
                        )),
                        _ => Ok(seen),
                    };
                }
                Ok(None) => {}
                Err((e, _)) => return Err(format!("not a TLS ClientHello: {e}")),
            }
        }
        if seen.len() > MAX_HELLO {
            return Err("the TLS ClientHello is too large".into());
        }
        let n = stream
            .read(&mut buf)
            .map_err(|e| format!("reading the ClientHello failed: {e}"))?;
        if n == 0 {
            return Err("the tunnel closed before a TLS ClientHello".into());
        }
        seen.extend_from_slice(&buf[..n]);
    }
}

/// `host:port` as a `Host:` header gives it (an IPv6 literal in brackets, the port only
/// when it is not 80).
fn authority(host: &str, port: u16) -> String {
    let host = spm_core::policy::host::spelled(host);
    if port == 80 {
        host
    } else {
        format!("{host}:{port}")
    }
}

fn refuse(mut stream: UnixStream, status: &str, why: &str) {
    let body = format!("denied by spm: {why}\n");
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// One client connection: read the head, judge the target, then relay or refuse.
fn serve(mut stream: UnixStream, acting: &Acting) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let Ok(n) = stream.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if head.len() > MAX_HEAD {
            return refuse(
                stream,
                "431 Request Header Fields Too Large",
                "the request head is too large",
            );
        }
    };
    let first =
        String::from_utf8_lossy(&head[..head.iter().position(|b| *b == b'\r').unwrap_or(0)])
            .to_string();
    let mut parts = first.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return refuse(stream, "400 Bad Request", "not an HTTP request");
    };
    let connect = method.eq_ignore_ascii_case("CONNECT");
    let (host, port, url) = if connect {
        match target
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
        {
            Some((h, p)) => (h.trim_matches(['[', ']']).to_string(), p, None),
            None => return refuse(stream, "400 Bad Request", "CONNECT needs host:port"),
        }
    } else {
        let Ok(url) = url::Url::parse(target) else {
            return refuse(
                stream,
                "400 Bad Request",
                "the proxy takes absolute http:// URLs",
            );
        };
        if url.scheme() != "http" {
            return refuse(
                stream,
                "403 Forbidden",
                "only http (and https through CONNECT)",
            );
        }
        let Some(host) = url.host_str() else {
            return refuse(stream, "400 Bad Request", "no host");
        };
        (
            host.trim_matches(['[', ']']).to_string(),
            url.port_or_known_default().unwrap_or(80),
            Some(url.clone()),
        )
    };
    let label = format!("{host}:{port}");
    let checked = acting
        .policy
        .judge_host(&host, Some(port))
        .map_err(|d| d.to_string())
        .and_then(|()| {
            let addrs: Vec<_> = (host.as_str(), port)
                .to_socket_addrs()
                .map_err(|e| format!("cannot resolve {host}: {e}"))?
                .collect();
            crate::exec::pick_address(&acting.policy, &host, &addrs)
        });
    let addr = match checked {
        Ok(a) => a,
        Err(why) => {
            acting.log(&label, "denied", &why);
            return refuse(stream, "403 Forbidden", &why);
        }
    };
    let Ok(mut upstream) = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) else {
        acting.log(&label, "allowed", "failed: cannot connect");
        return refuse(stream, "502 Bad Gateway", "cannot connect");
    };
    // A tunnel is judged once more by what it carries, before a byte of it is sent on.
    let early = if connect {
        if stream
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .is_err()
        {
            return;
        }
        match judge_hello(&mut stream, &head[end..], &host) {
            Ok(bytes) => bytes,
            Err(why) => {
                acting.log(&label, "denied", &why);
                return;
            }
        }
    } else {
        let Some(url) = &url else { return };
        let mut bytes = one_request(&head[..end], url, &authority(&host, port));
        bytes.extend_from_slice(&head[end..]);
        bytes
    };
    acting.log(&label, "allowed", "");
    if upstream.write_all(&early).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(None);
    let (Ok(mut up2), Ok(mut down2)) = (upstream.try_clone(), stream.try_clone()) else {
        return;
    };
    let t = std::thread::spawn(move || {
        let _ = std::io::copy(&mut stream, &mut up2);
        let _ = up2.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream, &mut down2);
    let _ = down2.shutdown(std::net::Shutdown::Write);
    let _ = t.join();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first flight of a real TLS client for `server` (a name, or an IP address).
    fn client_hello(server: &str) -> Vec<u8> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(server.to_string()).unwrap();
        let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        let mut out = Vec::new();
        conn.write_tls(&mut out).unwrap();
        out
    }

    fn judge(early: &[u8], host: &str) -> Result<Vec<u8>, String> {
        let (mut ours, _theirs) = UnixStream::pair().unwrap();
        judge_hello(&mut ours, early, host)
    }

    #[test]
    fn a_tunnel_carries_tls_for_its_own_host_only() {
        let hello = client_hello("api.example.com");
        assert_eq!(judge(&hello, "api.example.com").unwrap(), hello);
        assert_eq!(judge(&hello, "API.example.com.").unwrap(), hello);
        let e = judge(&client_hello("evil.example.net"), "api.example.com").unwrap_err();
        assert!(e.contains("names evil.example.net"), "{e}");
        // An IP address sends no server name: fine for a tunnel to that address, not to a name.
        let bare = client_hello("93.184.215.14");
        assert!(judge(&bare, "93.184.215.14").is_ok());
        let e = judge(&bare, "api.example.com").unwrap_err();
        assert!(e.contains("names no server"), "{e}");
        let e = judge(b"GET / HTTP/1.1\r\n\r\n", "api.example.com").unwrap_err();
        assert!(e.contains("TLS only"), "{e}");
    }

    #[test]
    fn a_hello_split_across_reads_is_judged_whole() {
        use std::io::Write;
        let hello = client_hello("api.example.com");
        let (mut ours, mut theirs) = UnixStream::pair().unwrap();
        let rest = hello[5..].to_vec();
        let writer = std::thread::spawn(move || theirs.write_all(&rest));
        assert_eq!(
            judge_hello(&mut ours, &hello[..5], "api.example.com").unwrap(),
            hello
        );
        writer.join().unwrap().unwrap();
    }
}
