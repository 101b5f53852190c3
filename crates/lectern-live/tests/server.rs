//! The preview server under attack and faults, over raw sockets: forged `Host` and `Origin`,
//! endless and trickling headers, hundreds of idle sockets, a browser that never reads. In
//! each case a normal request must still be answered quickly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use lectern_live::server::{HEAD_DEADLINE, MAX_CONNECTIONS, QUEUE_PER_BROWSER};
use lectern_live::{Preview, Snapshot};

/// "Well under a second".
const PROMPT: Duration = Duration::from_millis(500);

fn connect(preview: &Preview) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", preview.port())).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

/// Sends a raw request and returns the whole response (the server closes after it).
fn raw(preview: &Preview, request: &str) -> String {
    let mut stream = connect(preview);
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn get(preview: &Preview, path: &str) -> String {
    raw(
        preview,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            preview.port()
        ),
    )
}

/// A normal page load, answered in well under a second.
fn assert_prompt_page(preview: &Preview, while_what: &str) {
    let start = Instant::now();
    let response = get(preview, "/");
    let took = start.elapsed();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "page while {while_what}: {response:.80}"
    );
    assert!(took < PROMPT, "page took {took:?} while {while_what}");
}

fn status(response: &str) -> &str {
    response.lines().next().unwrap_or_default()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn snapshot(version: u64, slides: usize, bytes: usize) -> Snapshot {
    let svg: Arc<str> = format!("<svg>{}</svg>", "x".repeat(bytes)).into();
    Snapshot {
        version,
        svgs: vec![svg; slides],
        error: None,
        meta: Default::default(),
    }
}

#[test]
fn answers_only_to_its_own_loopback_names() {
    let preview = Preview::start(0).expect("preview");
    let port = preview.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = raw(&preview, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(status(&response), "HTTP/1.1 200 OK", "{host}");
        assert!(response.contains("nosniff"));
    }
    for (what, request) in [
        (
            "DNS rebinding",
            format!("GET /events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        ),
        ("no Host", "GET / HTTP/1.1\r\n\r\n".to_string()),
        (
            "another port",
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", port + 1),
        ),
        (
            "a cross-origin page",
            format!(
                "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n\r\n"
            ),
        ),
        (
            "a sandboxed frame",
            format!("GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: null\r\n\r\n"),
        ),
    ] {
        let response = raw(&preview, &request);
        assert_eq!(status(&response), "HTTP/1.1 403 Forbidden", "{what}");
        assert!(!response.contains("data:"), "{what} must not get events");
    }
    // Our own page may open the stream with its Origin.
    let mut stream = connect(&preview);
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n\r\n"
    )
    .expect("send");
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).expect("read");
    assert_eq!(line.trim_end(), "HTTP/1.1 200 OK");

    let response = raw(
        &preview,
        &format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(status(&response), "HTTP/1.1 405 Method Not Allowed");
    assert_eq!(
        status(&get(&preview, "/../etc/passwd")),
        "HTTP/1.1 404 Not Found"
    );
    assert_eq!(
        status(&raw(&preview, "GARBAGE\r\n\r\n")),
        "HTTP/1.1 400 Bad Request"
    );
}

#[test]
fn an_endless_header_line_is_cut_off() {
    let preview = Preview::start(0).expect("preview");
    let mut stream = connect(&preview);
    stream
        .write_all(b"GET / HTTP/1.1\r\nX-Endless: ")
        .expect("send");
    let sending = Arc::new(AtomicBool::new(true));
    let mut writer = stream.try_clone().expect("clone");
    let keep_sending = sending.clone();
    let flood = std::thread::spawn(move || {
        let chunk = [b'a'; 4096];
        let mut sent = 0usize;
        while keep_sending.load(Ordering::Relaxed) && writer.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
        sent
    });
    assert_prompt_page(&preview, "a client sends an endless header");
    let mut response = String::new();
    let _ = BufReader::new(&stream).read_line(&mut response);
    assert_eq!(
        response.trim_end(),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    sending.store(false, Ordering::Relaxed);
    let sent = flood.join().expect("flood");
    assert!(
        sent < 64 * 1024 * 1024,
        "the server stopped reading long before {sent} bytes"
    );
    wait_until("the socket to be closed", || preview.connections() == 0);
}

#[test]
fn hundreds_of_idle_sockets_and_a_trickle_do_not_block_a_request() {
    let preview = Preview::start(0).expect("preview");
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(&preview)).collect();
    wait_until("300 idle connections", || preview.connections() >= 300);
    assert_prompt_page(&preview, "300 sockets are idle");

    // A client sending one byte at a time is cut off at the head deadline, not per byte: it
    // trickles until just before the deadline, then waits for the answer.
    let mut trickle = connect(&preview);
    let start = Instant::now();
    for byte in b"GET / HTTP/1.1\r\nX-Slow: ".iter().cycle() {
        if start.elapsed() > HEAD_DEADLINE - Duration::from_millis(500)
            || trickle.write_all(&[*byte]).is_err()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut answer = String::new();
    let _ = BufReader::new(&trickle).read_line(&mut answer);
    assert_eq!(answer.trim_end(), "HTTP/1.1 408 Request Timeout");
    let took = start.elapsed();
    assert!(took < HEAD_DEADLINE + PROMPT, "cut off after {took:?}");

    // The idle sockets were closed by the deadline too.
    wait_until("idle sockets to be dropped", || preview.connections() == 0);
    let mut answer = String::new();
    let _ = BufReader::new(&idle[0]).read_line(&mut answer);
    assert_eq!(answer.trim_end(), "HTTP/1.1 408 Request Timeout");
}

#[test]
fn sockets_over_the_cap_are_turned_away_at_once() {
    let preview = Preview::start(0).expect("preview");
    // Held sockets are cut off at the head deadline: on a loaded machine the first may go
    // before the last is accepted, so try a few times to have them all open at once.
    for _attempt in 0..5 {
        let held: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| connect(&preview)).collect();
        let deadline = Instant::now() + HEAD_DEADLINE / 2;
        while preview.connections() < MAX_CONNECTIONS && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if preview.connections() < MAX_CONNECTIONS {
            drop(held);
            wait_until("the slots to come back", || preview.connections() == 0);
            continue;
        }
        let start = Instant::now();
        let response = get(&preview, "/");
        assert_eq!(status(&response), "HTTP/1.1 503 Service Unavailable");
        assert!(start.elapsed() < PROMPT);
        drop(held);
        wait_until("the slots to come back", || preview.connections() == 0);
        assert_prompt_page(&preview, "the cap was reached a moment ago");
        return;
    }
    eprintln!(
        "could not hold {MAX_CONNECTIONS} sockets open at once on this machine; cap not measured"
    );
}

/// Reads Server-Sent Events `data:` lines as JSON.
struct EventReader(BufReader<TcpStream>);

impl EventReader {
    fn open(preview: &Preview) -> Self {
        let mut stream = connect(preview);
        write!(
            stream,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            preview.port()
        )
        .expect("send");
        Self(BufReader::new(stream))
    }

    fn next(&mut self) -> serde_json::Value {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.0.read_line(&mut line).expect("read event") > 0,
                "stream ended"
            );
            if let Some(json) = line.strip_prefix("data: ") {
                return serde_json::from_str(json).expect("event JSON");
            }
        }
    }
}

#[test]
fn a_browser_that_never_reads_is_dropped_without_holding_up_others() {
    let preview = Preview::start(0).expect("preview");
    preview.publish(&snapshot(1, 3, 10), &[]);
    // Never reads a byte.
    let mut stuck = connect(&preview);
    write!(
        stuck,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        preview.port()
    )
    .expect("send");
    let mut reader = EventReader::open(&preview);
    assert_eq!(reader.next()["type"], "full");
    wait_until("two browsers", || preview.clients() == 2);

    // Multi-megabyte updates: publishing never waits for the stuck browser.
    let rounds = QUEUE_PER_BROWSER as u64 * 4;
    for version in 2..2 + rounds {
        let start = Instant::now();
        preview.publish(&snapshot(version, 3, 1 << 20), &[1, 2, 3]);
        assert!(
            start.elapsed() < Duration::from_millis(200),
            "publish {version} waited {:?}",
            start.elapsed()
        );
        let update = reader.next();
        assert_eq!(update["type"], "update");
        assert_eq!(update["version"], version);
    }
    wait_until("the stuck browser to be dropped", || preview.clients() == 1);
    assert_prompt_page(&preview, "a browser never reads");

    // A browser that reconnects gets the current state at once.
    let mut again = EventReader::open(&preview);
    let full = again.next();
    assert_eq!(full["type"], "full");
    assert_eq!(full["version"], 1 + rounds);
    drop(stuck);
}
