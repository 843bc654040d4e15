//! Naming what went wrong on the wire: the kind of a transport failure, read
//! from the chain of errors reqwest, hyper and the operating system report,
//! and the host it happened with.

use std::error::Error as _;
use std::io;

use reqwest::Url;

use super::error::TransportKind;

/// The kind of the failure `err`, raised while connecting or while sending
/// and waiting for the answer (not while reading a body). `https` says
/// whether the URL asked for TLS.
pub(crate) fn kind(err: &reqwest::Error, https: bool) -> TransportKind {
    // Whether hyper-util's TCP connector reported the failure ("tcp connect
    // error"), which rules out TLS.
    let mut tcp = false;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = err.source();
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => return TransportKind::ConnectionRefused,
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe => return TransportKind::ConnectionReset,
                io::ErrorKind::TimedOut if err.is_connect() => {
                    return TransportKind::ConnectTimeout;
                }
                io::ErrorKind::UnexpectedEof => return TransportKind::ConnectionClosed,
                // rustls reports a failed handshake as invalid data.
                io::ErrorKind::InvalidData if err.is_connect() && !tcp => {
                    return TransportKind::Tls;
                }
                _ => {}
            }
        }
        // The connectors and hyper have no public error kinds for these; their
        // texts are stable ("dns error", "tcp connect error", "connection
        // closed before message completed").
        let text = error.to_string();
        if text.starts_with("dns error") || text.contains("failed to lookup address") {
            return TransportKind::Dns;
        }
        if text.starts_with("tcp ") {
            tcp = true;
        }
        if text.starts_with("connection closed before message completed") {
            return TransportKind::ConnectionClosed;
        }
        cause = error.source();
    }
    if err.is_connect() {
        if err.is_timeout() {
            TransportKind::ConnectTimeout
        } else if https && !tcp {
            // The TCP connection was made; what failed is the layer above it.
            TransportKind::Tls
        } else {
            TransportKind::Connect
        }
    } else {
        TransportKind::Other
    }
}

/// `host:port` of `url` (`api.example.com:443`, `[::1]:8080`): never its
/// user name, password, path or query.
pub(crate) fn host(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => "the API".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_keep_only_host_and_port() {
        let host = |url: &str| host(&Url::parse(url).unwrap());
        assert_eq!(
            host("https://user:secret@api.example.com/x?key=1"),
            "api.example.com:443"
        );
        assert_eq!(host("http://127.0.0.1:8080/a/b"), "127.0.0.1:8080");
        assert_eq!(host("http://[::1]:9/"), "[::1]:9");
        assert_eq!(host("http://example.com"), "example.com:80");
    }
}
