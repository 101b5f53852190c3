//! A headless Chromium driven over the DevTools protocol, for the browser tests: pages opened
//! by URL, JavaScript evaluated in them, bounded waits.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(30);

/// A headless Chromium with the DevTools protocol on a local port, and its first page.
pub struct Browser {
    child: std::process::Child,
    port: u16,
    first: Page,
    _profile: tempfile::TempDir,
}

/// One tab, reached over its own DevTools websocket.
pub struct Page {
    socket: Mutex<tungstenite::WebSocket<TcpStream>>,
    next_id: Mutex<u64>,
}

impl Browser {
    pub fn open(url: &str) -> Self {
        let install =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser/install-chromium.sh");
        let status = std::process::Command::new("bash")
            .arg(&install)
            .status()
            .expect("run install-chromium.sh");
        assert!(
            status.success(),
            "Chromium is needed for the browser tests; see {}",
            install.display()
        );
        let port = free_port();
        let profile = tempfile::tempdir().expect("profile dir");
        let child = std::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-popup-blocking",
                "--window-size=1280,800",
                &format!("--user-data-dir={}", profile.path().display()),
                &format!("--remote-debugging-port={port}"),
                url,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start chromium");
        let ws_url = wait_for(
            || {
                let targets = devtools(port, "GET", "/json/list")?;
                targets.as_array()?.iter().find(|t| t["type"] == "page")?["webSocketDebuggerUrl"]
                    .as_str()
                    .map(str::to_string)
            },
            "Chromium's DevTools endpoint",
        );
        Self {
            child,
            port,
            first: Page::connect(port, &ws_url),
            _profile: profile,
        }
    }

    /// A second tab on `url`.
    pub fn open_page(&self, url: &str) -> Page {
        let target = wait_for(
            || devtools(self.port, "PUT", &format!("/json/new?{url}")),
            "a new tab",
        );
        let ws_url = target["webSocketDebuggerUrl"].as_str().expect("tab socket");
        Page::connect(self.port, ws_url)
    }

    pub fn eval(&self, expression: &str) -> serde_json::Value {
        self.first.eval(expression)
    }

    pub fn wait_until(&self, expression: &str, what: &str) {
        self.first.wait_until(expression, what);
    }

    pub fn page(&self) -> &Page {
        &self.first
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Page {
    fn connect(port: u16, ws_url: &str) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect devtools");
        let (socket, _) = tungstenite::client(ws_url, stream).expect("websocket handshake");
        Self {
            socket: Mutex::new(socket),
            next_id: Mutex::new(1),
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its JSON value.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        let id = {
            let mut next = self.next_id.lock().expect("id");
            *next += 1;
            *next
        };
        let request = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true},
        });
        let mut socket = self.socket.lock().expect("socket");
        socket
            .send(tungstenite::Message::text(request.to_string()))
            .expect("send");
        loop {
            let message = socket.read().expect("devtools reply");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let reply: serde_json::Value = serde_json::from_str(text).expect("json");
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    pub fn wait_until(&self, expression: &str, what: &str) {
        wait_for(
            || (self.eval(expression) == serde_json::Value::Bool(true)).then_some(()),
            what,
        );
    }

    /// Presses a key as the page's keyboard listener sees it (`key` as in `KeyboardEvent.key`).
    pub fn press(&self, key: &str) {
        let key = serde_json::to_string(key).expect("key");
        self.eval(&format!(
            "document.dispatchEvent(new KeyboardEvent('keydown', {{key: {key}, bubbles: true, cancelable: true}})); true"
        ));
    }

    /// Types digits, or any text, one key at a time.
    pub fn type_keys(&self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }

    /// A `document.body.dataset` field.
    pub fn data(&self, field: &str) -> String {
        self.eval(&format!("document.body.dataset.{field}"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the body's `field` reads `value`.
    pub fn wait_data(&self, field: &str, value: &str) {
        let expected = serde_json::to_string(value).expect("value");
        wait_for(
            || {
                (self.eval(&format!("document.body.dataset.{field} === {expected}"))
                    == serde_json::Value::Bool(true))
                .then_some(())
            },
            &format!("{field} = {value} (is {})", self.data(field)),
        );
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub fn wait_for<T>(mut probe: impl FnMut() -> Option<T>, what: &str) -> T {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if let Some(value) = probe() {
            return value;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

/// One request to Chromium's DevTools HTTP endpoint, its JSON answer.
fn devtools(port: u16, method: &str, path: &str) -> Option<serde_json::Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    // Chromium answers HTTP/1.1 only and keeps the connection open: read by Content-Length.
    stream
        .write_all(
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .ok()?;
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        let Some(head_end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length: usize = text[..head_end].lines().find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().ok())
        })??;
        if response.len() >= head_end + 4 + length {
            return serde_json::from_slice(&response[head_end + 4..head_end + 4 + length]).ok();
        }
    }
}
