//! Just enough HTTP/1.1 for the preview: read one request head under a size cap and a
//! deadline, and decide whether its `Host` and `Origin` name this loopback server (a page on
//! another site reaching us through DNS rebinding names its own host).

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Instant;

/// Request line and headers together; browsers send well under 2 KiB to a loopback page.
pub const MAX_HEAD: usize = 8 * 1024;

/// The parts of a request the preview looks at.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path without its query.
    pub path: String,
    pub host: Option<String>,
    pub origin: Option<String>,
}

/// Why a request head could not be read; each maps to the status sent back.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// Over [`MAX_HEAD`] bytes: 431.
    TooLarge,
    /// The deadline passed first: 408.
    Timeout,
    /// Not a request we understand: 400.
    Malformed,
    /// The client closed the connection or the socket failed: nothing to answer.
    Closed,
}

impl HeadError {
    pub fn status(&self) -> Option<&'static str> {
        match self {
            Self::TooLarge => Some("431 Request Header Fields Too Large"),
            Self::Timeout => Some("408 Request Timeout"),
            Self::Malformed => Some("400 Bad Request"),
            Self::Closed => None,
        }
    }
}

/// Reads one request head, giving up at `deadline` however slowly the bytes trickle in (a
/// per-read timeout alone lets a client send one byte every few seconds forever).
pub fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Request, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Timeout);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Closed)?;
        let read = match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(read) => read,
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(HeadError::Timeout);
            }
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(HeadError::Closed),
        };
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = head_end(&head[searched_from..]) {
            let end = searched_from + end;
            if end > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            return parse_head(&head[..end]);
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// Where the blank line ending the head is, counted from the start of `bytes`.
fn head_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Parses a request head (request line and headers, without the body).
pub fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.split('\n').map(|line| line.trim_end_matches('\r'));
    let request_line = lines.next().ok_or(HeadError::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if method.is_empty() || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(HeadError::Malformed);
    }
    let mut host = None;
    let mut origin = None;
    for line in lines.take_while(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(HeadError::Malformed)?;
        let value = value.trim().to_string();
        let slot = if name.eq_ignore_ascii_case("host") {
            &mut host
        } else if name.eq_ignore_ascii_case("origin") {
            &mut origin
        } else {
            continue;
        };
        // Two different answers to "who are you talking to" is a smuggling attempt.
        if slot.is_some() {
            return Err(HeadError::Malformed);
        }
        *slot = Some(value);
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Ok(Request {
        method: method.to_string(),
        path,
        host,
        origin,
    })
}

/// The names this server answers to: loopback by address or by `localhost`, on its port.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

/// A cross-origin page must not read the event stream; a page of our own may.
pub fn origin_allowed(origin: &str, port: u16) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| host_allowed(host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_browser_request() {
        let request = parse_head(
            b"GET /events?x=1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nOrigin: http://localhost:3000\r\nAccept: */*\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            request,
            Request {
                method: "GET".into(),
                path: "/events".into(),
                host: Some("127.0.0.1:3000".into()),
                origin: Some("http://localhost:3000".into()),
            }
        );
    }

    #[test]
    fn rejects_malformed_and_duplicate_hosts() {
        for head in [
            &b"GET\r\n\r\n"[..],
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"GET http://evil/ HTTP/1.1\r\n\r\n",
            b"GET / SPDY/3\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nHost: evil:1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n",
        ] {
            assert_eq!(
                parse_head(head),
                Err(HeadError::Malformed),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn only_loopback_names_on_our_port() {
        for host in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ] {
            assert!(host_allowed(host, 3000), "{host}");
        }
        for host in [
            "evil.example:3000",
            "127.0.0.1:3001",
            "127.0.0.1",
            "localhost",
            "localhost.evil.example:3000",
            "127.0.0.1:3000.evil.example",
            "",
        ] {
            assert!(!host_allowed(host, 3000), "{host}");
        }
        assert!(origin_allowed("http://127.0.0.1:3000", 3000));
        assert!(!origin_allowed("https://127.0.0.1:3000", 3000));
        assert!(!origin_allowed("http://evil.example:3000", 3000));
        assert!(!origin_allowed("null", 3000));
    }

    #[test]
    fn finds_the_end_of_the_head() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nbody"), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\n"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}
