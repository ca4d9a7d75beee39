//! Trust: TLS certificates are always verified (a private CA is trusted only through
//! `OPAL_JIRA_CA_CERT`, and certificate errors say so), and a host clock far from
//! Jira's draws a warning, since expiry is decided by the host's clock.
//!
//! The TLS tests put a real TLS server on 127.0.0.1 in front of the simulator, with a
//! certificate authority and a server certificate made at test time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;

use crate::sim::Flavor;
use crate::support::{ANA, FLAVORS, PROJECT, TestEnv};

/// A CA certificate (PEM) and a server certificate it signed for 127.0.0.1.
struct Pki {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
}

fn make_pki(names: &[&str]) -> Pki {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "opal-jira test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA cert");

    let key = rcgen::KeyPair::generate().expect("server key");
    let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    let params = rcgen::CertificateParams::new(names).expect("server params");
    let cert = params.signed_by(&key, &ca).expect("server cert");
    Pki {
        ca_pem: ca.pem(),
        server_cert: cert.der().clone(),
        server_key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
    }
}

/// A TLS server on 127.0.0.1 that passes each HTTP request on to the simulator and its
/// answer back. Stops when dropped.
struct TlsFront {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl TlsFront {
    fn start(pki: &Pki, backend: &str) -> TlsFront {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![pki.server_cert.clone()], pki.server_key.clone_key())
            .expect("server config");
        let config = Arc::new(config);
        let backend: SocketAddr = backend
            .trim_start_matches("http://")
            .parse()
            .expect("the simulator's address");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let config = Arc::clone(&config);
                std::thread::spawn(move || {
                    // A client that gives up (an untrusted certificate) ends here.
                    let _ = relay(stream, config, backend);
                });
            }
        });
        TlsFront { address, stop }
    }

    fn url(&self) -> String {
        format!("https://{}", self.address)
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
    }
}

/// Serves one TLS connection: request after request, each relayed to `backend`.
fn relay(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    backend: SocketAddr,
) -> std::io::Result<()> {
    let connection = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    while let Some(head) = read_head(&mut tls)? {
        let body = read_body(&mut tls, &head)?;
        let mut upstream = TcpStream::connect(backend)?;
        upstream.write_all(&head)?;
        upstream.write_all(&body)?;
        let answer = read_head(&mut upstream)?.ok_or_else(|| std::io::Error::other("no answer"))?;
        let answer_body = read_body(&mut upstream, &answer)?;
        tls.write_all(&answer)?;
        tls.write_all(&answer_body)?;
        tls.flush()?;
    }
    Ok(())
}

/// The head of an HTTP message, through the blank line; `None` at a clean end.
fn read_head(stream: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(std::io::ErrorKind::UnexpectedEof.into())
            };
        }
        head.push(byte[0]);
    }
    Ok(Some(head))
}

fn read_body(stream: &mut impl Read, head: &[u8]) -> std::io::Result<Vec<u8>> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let length = text
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(body)
}

fn behind_tls(flavor: Flavor, pki: &Pki) -> (TestEnv, TlsFront) {
    let mut env = TestEnv::new(flavor);
    let front = TlsFront::start(pki, env.sim.url());
    env.set_env("OPAL_JIRA_URL", &front.url());
    let ca = env.path("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).expect("write the CA");
    (env, front)
}

#[test]
fn a_private_ca_is_trusted_only_through_opal_jira_ca_cert() {
    let pki = make_pki(&["127.0.0.1"]);
    for flavor in FLAVORS {
        let (mut env, _front) = behind_tls(flavor, &pki);
        env.ticket("behind TLS", ANA);

        let run = env.run(&["tickets", "search"]).code(1);
        assert!(
            run.stderr.contains("TLS certificate is not trusted"),
            "{run:?}"
        );
        assert!(run.stderr.contains("UnknownIssuer"), "the cause: {run:?}");
        assert!(
            run.stderr.contains("set OPAL_JIRA_CA_CERT"),
            "the fix: {run:?}"
        );

        let ca = env.path("ca.pem").display().to_string();
        env.set_env("OPAL_JIRA_CA_CERT", &ca);
        let tickets = env.json(&["tickets", "search"]);
        assert_eq!(tickets[0]["summary"], "behind TLS", "{tickets}");
    }
}

#[test]
fn nothing_turns_verification_off() {
    let pki = make_pki(&["127.0.0.1"]);
    let (mut env, _front) = behind_tls(Flavor::DataCenter, &pki);
    // Names people try; none of them means anything to opal-jira.
    for (name, value) in [
        ("OPAL_JIRA_INSECURE", "1"),
        ("OPAL_JIRA_NO_VERIFY", "1"),
        ("OPAL_JIRA_TLS_VERIFY", "false"),
        ("NODE_TLS_REJECT_UNAUTHORIZED", "0"),
        ("PYTHONHTTPSVERIFY", "0"),
        ("GIT_SSL_NO_VERIFY", "1"),
    ] {
        env.set_env(name, value);
    }
    env.run(&["tickets", "search"])
        .code(1)
        .stderr_has("TLS certificate is not trusted");

    // `configure --no-verify` skips the credential checks, not TLS.
    let url = env
        .env
        .iter()
        .find(|(n, _)| n == "OPAL_JIRA_URL")
        .map(|(_, v)| v.clone());
    let url = url.expect("the TLS URL");
    for name in [
        "OPAL_JIRA_TOKEN",
        "OPAL_JIRA_URL",
        "OPAL_JIRA_PROJECT",
        "OPAL_JIRA_DEPLOYMENT",
    ] {
        env.unset_env(name);
    }
    env.run_stdin(
        &[
            "configure",
            "--deployment",
            "datacenter",
            "--url",
            &url,
            "--project",
            PROJECT,
            "--token-stdin",
            "--no-verify",
        ],
        crate::support::ANA_TOKEN,
    )
    .success();
    env.run(&["tickets", "search"])
        .code(1)
        .stderr_has("TLS certificate is not trusted");
}

#[test]
fn a_certificate_for_another_name_is_refused_with_its_cause() {
    let pki = make_pki(&["jira.acme.test"]);
    let (mut env, _front) = behind_tls(Flavor::Cloud, &pki);
    let ca = env.path("ca.pem").display().to_string();
    env.set_env("OPAL_JIRA_CA_CERT", &ca);
    let run = env.run(&["tickets", "search"]).code(1);
    assert!(
        run.stderr
            .contains("TLS certificate is not valid for `127.0.0.1`"),
        "{run:?}"
    );
    assert!(
        !run.stderr.contains("set OPAL_JIRA_CA_CERT"),
        "not the fix here: {run:?}"
    );
}

#[test]
fn a_clock_far_from_jiras_draws_a_warning() {
    for flavor in FLAVORS {
        // The host's real clock: skew is about the clock expiry is decided by.
        let env = TestEnv::new(flavor);
        env.add_resource("db", &[]);
        let (_, key) = env.ticket("t", ANA);
        env.json(&[
            "request",
            "--resource",
            "db",
            "--ticket",
            &key,
            "--indefinite",
        ]);

        env.sim.set_config(json!({"server_time_offset_secs": 30}));
        let run = env.run(&["reconcile"]).success();
        assert!(!run.stderr.contains("clock"), "30 s is fine: {run:?}");

        env.sim
            .set_config(json!({"server_time_offset_secs": 3 * 3600}));
        let run = env.run(&["reconcile"]).success();
        let seconds: i64 = run
            .stderr
            .split("warning: this host's clock is ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("no clock warning: {run:?}"));
        assert!((10_795..=10_805).contains(&seconds), "{run:?}");
        assert!(
            run.stderr
                .contains("s behind Jira's; expiry is decided by this host's clock"),
            "{run:?}"
        );

        env.sim.set_config(json!({"server_time_offset_secs": -600}));
        env.run(&["--quiet", "reconcile"])
            .success()
            .stderr_has("s ahead of Jira's");
    }
}
