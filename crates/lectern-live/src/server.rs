//! The live preview: a tiny HTTP server on loopback serving one page that shows the slides as
//! SVG and updates them in place from Server-Sent Events (only changed slides are sent).

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::session::Snapshot;

const PAGE: &str = include_str!("preview.html");

/// Handle to a running preview server.
#[derive(Clone)]
pub struct Preview {
    shared: Arc<Mutex<Shared>>,
    addr: SocketAddr,
}

#[derive(Default)]
struct Shared {
    snapshot: Snapshot,
    clients: Vec<Sender<String>>,
}

impl Preview {
    /// Starts serving on `127.0.0.1:port` (0 picks a free port).
    pub fn start(port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let accept_shared = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = accept_shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        Ok(Self { shared, addr })
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Number of browsers listening for updates.
    pub fn clients(&self) -> usize {
        lock(&self.shared).clients.len()
    }

    /// Sends the change from the previous snapshot to every browser: the changed slides, or
    /// the error overlay.
    pub fn publish(&self, snapshot: &Snapshot, changed: &[usize]) {
        let message = match &snapshot.error {
            Some(error) => json!({"type": "error", "version": snapshot.version, "message": error}),
            None => {
                let slides: Vec<_> = changed
                    .iter()
                    .filter_map(|&n| {
                        snapshot
                            .svgs
                            .get(n - 1)
                            .map(|svg| json!({"n": n, "svg": &**svg}))
                    })
                    .collect();
                json!({
                    "type": "update",
                    "version": snapshot.version,
                    "total": snapshot.svgs.len(),
                    "changed": slides,
                })
            }
        }
        .to_string();
        let mut shared = lock(&self.shared);
        shared.snapshot = snapshot.clone();
        shared
            .clients
            .retain(|client| client.send(message.clone()).is_ok());
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

fn full_message(snapshot: &Snapshot) -> String {
    let svgs: Vec<&str> = snapshot.svgs.iter().map(|s| &**s).collect();
    json!({"type": "full", "version": snapshot.version, "slides": svgs, "error": snapshot.error})
        .to_string()
}

fn serve(mut stream: TcpStream, shared: &Mutex<Shared>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Skip the headers; nothing in them matters here.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    match path {
        "/" | "/index.html" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            PAGE.as_bytes(),
        ),
        "/events" => events(stream, shared),
        _ => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

/// A Server-Sent Events stream: the full state first, then every change.
fn events(mut stream: TcpStream, shared: &Mutex<Shared>) -> std::io::Result<()> {
    let (sender, receiver): (Sender<String>, Receiver<String>) = channel();
    let first = {
        let mut shared = lock(shared);
        shared.clients.push(sender);
        full_message(&shared.snapshot)
    };
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    send(&mut stream, &first)?;
    loop {
        match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => send(&mut stream, &message)?,
            // A comment line keeps proxies and the browser from timing out; a failed write
            // means the browser left.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                stream.write_all(b": keep-alive\n\n")?;
                stream.flush()?;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

fn send(stream: &mut TcpStream, json: &str) -> std::io::Result<()> {
    // Compact JSON has no raw newlines, so one `data:` line carries the whole message.
    write!(stream, "data: {json}\n\n")?;
    stream.flush()
}
