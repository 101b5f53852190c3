//! The live preview: a small HTTP server on loopback serving the preview (`/`, every slide as
//! SVG), the audience view (`/present`) and the presenter console (`/presenter`), all updated
//! in place from Server-Sent Events (only changed slides are sent).
//!
//! It answers only to its own loopback names (DNS rebinding), reads request heads under a size
//! cap and a deadline, bounds connections, browsers and each browser's queue, and never lets a
//! slow browser hold up a rebuild: messages are shared (`Arc<str>`), sent with `try_send`, and
//! a browser that falls behind is dropped (its `EventSource` reconnects and gets a fresh
//! snapshot).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::http::{self, Request};
use crate::session::Snapshot;

const PAGE: &str = include_str!("preview.html");

/// Open sockets served at once (each has a small thread); more are turned away with a 503.
pub const MAX_CONNECTIONS: usize = 512;
/// Browsers listening for updates at once.
pub const MAX_BROWSERS: usize = 32;
/// Updates waiting for one browser before it counts as fallen behind.
pub const QUEUE_PER_BROWSER: usize = 8;
/// Time a client has to send its whole request head.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(3);
/// Time one write may block on a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// A comment line this often keeps the event stream open and finds browsers that left.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Stack of a connection thread: it parses a head and copies bytes, nothing deep.
const THREAD_STACK: usize = 128 * 1024;

/// Handle to a running preview server.
#[derive(Clone)]
pub struct Preview {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

struct Shared {
    state: Mutex<State>,
    /// Sockets being served now.
    connections: AtomicUsize,
    port: u16,
}

#[derive(Default)]
struct State {
    snapshot: Snapshot,
    browsers: Vec<Browser>,
}

/// A browser's queue, and whether its stream is still being served.
struct Browser {
    queue: SyncSender<Arc<str>>,
    alive: Arc<AtomicBool>,
}

impl State {
    /// Forgets browsers whose streams ended (they may have left between two updates).
    fn prune(&mut self) {
        self.browsers.retain(|b| b.alive.load(Ordering::Acquire));
    }
}

/// Marks a browser's stream as ended however it ends.
struct Alive(Arc<AtomicBool>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Preview {
    /// Starts serving on `127.0.0.1:port` (0 picks a free port).
    pub fn start(port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            connections: AtomicUsize::new(0),
            port: addr.port(),
        });
        let accept_shared = shared.clone();
        std::thread::Builder::new()
            .name("preview-accept".into())
            .spawn(move || accept_loop(&listener, &accept_shared))?;
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
        let mut state = lock(&self.shared.state);
        state.prune();
        state.browsers.len()
    }

    /// Number of sockets being served (browsers, requests in flight, idle connections).
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Sends the change from the previous snapshot to every browser: the changed slides, or
    /// the error overlay. Never blocks on a browser.
    pub fn publish(&self, snapshot: &Snapshot, changed: &[usize]) {
        let mut state = lock(&self.shared.state);
        // The model (notes, steps, titles) travels only when it changed.
        let meta = (!Arc::ptr_eq(&state.snapshot.meta, &snapshot.meta)
            && *state.snapshot.meta != *snapshot.meta)
            .then_some(&*snapshot.meta);
        let message: Arc<str> = update_message(snapshot, changed, meta).into();
        // Slides are `Arc<str>`: this copies pointers, not SVGs.
        state.snapshot = snapshot.clone();
        state
            .browsers
            .retain(|browser| match browser.queue.try_send(message.clone()) {
                Ok(()) => true,
                // Fallen behind or gone: drop it; a live browser reconnects for a snapshot.
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
            });
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn update_message(
    snapshot: &Snapshot,
    changed: &[usize],
    meta: Option<&serde_json::Value>,
) -> String {
    match &snapshot.error {
        Some(error) => json!({"type": "error", "version": snapshot.version, "message": error}),
        None => {
            let slides: Vec<_> = changed
                .iter()
                .filter_map(|&n| {
                    snapshot
                        .svgs
                        .get(n.wrapping_sub(1))
                        .map(|svg| json!({"n": n, "svg": &**svg}))
                })
                .collect();
            json!({
                "type": "update",
                "version": snapshot.version,
                "total": snapshot.svgs.len(),
                "changed": slides,
                "meta": meta,
            })
        }
    }
    .to_string()
}

fn full_message(snapshot: &Snapshot) -> String {
    let svgs: Vec<&str> = snapshot.svgs.iter().map(|s| &**s).collect();
    json!({
        "type": "full",
        "version": snapshot.version,
        "slides": svgs,
        "error": snapshot.error,
        "meta": &*snapshot.meta,
    })
    .to_string()
}

/// Accepts until the process ends. Errors such as running out of file descriptors back off
/// (up to a second) instead of spinning on a failing `accept`.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut backoff = Duration::ZERO;
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                stream
            }
            Err(_) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                std::thread::sleep(backoff);
                continue;
            }
        };
        let Some(slot) = Slot::take(shared) else {
            turn_away(stream);
            continue;
        };
        let shared = shared.clone();
        // If no thread can be made the closure is dropped: the slot is freed, the socket closed.
        let _ = std::thread::Builder::new()
            .name("preview-conn".into())
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let _slot = slot;
                serve(stream, &shared);
            });
    }
}

/// One of [`MAX_CONNECTIONS`], given back when dropped.
struct Slot(Arc<Shared>);

impl Slot {
    fn take(shared: &Arc<Shared>) -> Option<Self> {
        let taken = shared
            .connections
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_CONNECTIONS).then_some(n + 1)
            });
        taken.ok().map(|_| Self(shared.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answers a connection over the cap without a thread and without waiting on the client.
fn turn_away(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
    );
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let request = match http::read_head(&mut stream, Instant::now() + HEAD_DEADLINE) {
        Ok(request) => request,
        Err(err) => {
            if let Some(status) = err.status() {
                let _ = respond(&mut stream, status, "text/plain", status.as_bytes(), false);
            }
            return;
        }
    };
    let _ = route(stream, &request, shared);
}

fn route(mut stream: TcpStream, request: &Request, shared: &Shared) -> std::io::Result<()> {
    let port = shared.port;
    let ours = request
        .host
        .as_deref()
        .is_some_and(|host| http::host_allowed(host, port))
        && request
            .origin
            .as_deref()
            .is_none_or(|origin| http::origin_allowed(origin, port));
    if !ours {
        let body = b"this preview answers only to 127.0.0.1, localhost and [::1] on its port";
        return respond(&mut stream, "403 Forbidden", "text/plain", body, false);
    }
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return respond(
                &mut stream,
                "405 Method Not Allowed",
                "text/plain",
                b"only GET",
                false,
            );
        }
    };
    match request.path.as_str() {
        "/" | "/index.html" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            PAGE.as_bytes(),
            head_only,
        ),
        "/present" | "/presenter" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            crate::standalone::PAGE.as_bytes(),
            head_only,
        ),
        "/events" if !head_only => events(stream, shared),
        _ => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found",
            head_only,
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: frame-ancestors 'self'\r\nReferrer-Policy: no-referrer\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A Server-Sent Events stream: the full state first, then every change.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (sender, receiver) = sync_channel(QUEUE_PER_BROWSER);
    // Registering and copying the snapshot under one lock: no update falls between them.
    let snapshot = {
        let mut state = lock(&shared.state);
        state.prune();
        if state.browsers.len() >= MAX_BROWSERS {
            None
        } else {
            let alive = Arc::new(AtomicBool::new(true));
            state.browsers.push(Browser {
                queue: sender,
                alive: alive.clone(),
            });
            Some((state.snapshot.clone(), Alive(alive)))
        }
    };
    let Some((snapshot, _alive)) = snapshot else {
        return respond(
            &mut stream,
            "503 Service Unavailable",
            "text/plain",
            b"too many preview tabs",
            false,
        );
    };
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    send(&mut stream, &full_message(&snapshot))?;
    drop(snapshot);
    stream_updates(&mut stream, &receiver)
}

fn stream_updates(stream: &mut TcpStream, receiver: &Receiver<Arc<str>>) -> std::io::Result<()> {
    loop {
        match receiver.recv_timeout(KEEP_ALIVE) {
            Ok(message) => send(stream, &message)?,
            // A failed write means the browser left.
            Err(RecvTimeoutError::Timeout) => {
                stream.write_all(b": keep-alive\n\n")?;
                stream.flush()?;
            }
            // Dropped for falling behind: closing makes the browser reconnect.
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

fn send(stream: &mut TcpStream, json: &str) -> std::io::Result<()> {
    // Compact JSON has no raw newlines, so one `data:` line carries the whole message.
    stream.write_all(b"data: ")?;
    stream.write_all(json.as_bytes())?;
    stream.write_all(b"\n\n")?;
    stream.flush()
}
