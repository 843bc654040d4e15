//! Peak memory while a server sends a huge or endless body: at most the
//! response limit plus a small constant. One test in its own process, so
//! the process's peak resident set measures this scenario alone.
//!
//! Run with `--nocapture` to see the figures:
//! `cargo test -p flagright-api --test body_memory -- --nocapture`.

mod support;

use std::time::Duration;

use flagright_api::{Client, Error};
use support::{Action, RawServer};

const LIMIT: u64 = 16 * 1024 * 1024;
/// Allowance for buffers that are not the body: the runtime's, hyper's and
/// the test server's own.
const SLACK: u64 = 8 * 1024 * 1024;

/// `VmHWM` or `VmRSS` of this process, in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Resets the peak to the current resident set (Linux `clear_refs` 5).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::test(flavor = "current_thread")]
async fn peak_memory_stays_within_the_limit_plus_a_small_constant() {
    if status_bytes("VmHWM:").is_none() || !reset_peak() {
        eprintln!("no /proc/self/status or clear_refs here; nothing to measure");
        return;
    }
    let piece = vec![b' '; 64 * 1024];
    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
    chunk.extend_from_slice(&piece);
    chunk.extend_from_slice(b"\r\n");
    let server = RawServer::start(move |n, _| Action::Drip {
        head: if n == 0 {
            b"HTTP/1.1 200 OK\r\ncontent-length: 2147483648\r\n\r\n".to_vec()
        } else {
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec()
        },
        chunk: if n == 0 { piece.clone() } else { chunk.clone() },
        every: Duration::from_micros(50),
    })
    .await;
    let client = Client::builder()
        .api_key("sk-memory-check-0001")
        .base_url(&server.url)
        .max_response_bytes(LIMIT)
        .max_retries(0)
        .build()
        .unwrap();

    let mut figures = Vec::new();
    for name in ["2 GiB announced", "endless chunked"] {
        assert!(reset_peak());
        let before = status_bytes("VmRSS:").unwrap();
        let err = client.transactions().get("t-1").await.unwrap_err();
        assert!(
            matches!(err, Error::ResponseTooLarge { .. }),
            "{name}: {err:?}"
        );
        let peak = status_bytes("VmHWM:").unwrap();
        let grew = peak.saturating_sub(before);
        println!(
            "{name}: peak resident set grew by {:.1} MiB (limit {:.0} MiB, start {:.1} MiB, peak {:.1} MiB)",
            mib(grew),
            mib(LIMIT),
            mib(before),
            mib(peak)
        );
        figures.push((name, grew));
    }
    for (name, grew) in figures {
        assert!(
            grew <= LIMIT + SLACK,
            "{name}: grew by {:.1} MiB, more than the {:.0} MiB limit plus {:.0} MiB",
            mib(grew),
            mib(LIMIT),
            mib(SLACK)
        );
    }
}
