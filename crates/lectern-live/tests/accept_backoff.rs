//! Out of file descriptors, the preview's `accept` fails until one is free: it must back off
//! rather than spin a core, and serve the waiting browser once descriptors are back. (Its
//! own test binary: it lowers this process's descriptor limit.)

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use lectern_live::Preview;
use nix::sys::resource::{Resource, UsageWho, getrlimit, getrusage, setrlimit};

fn cpu_time() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
    let micros = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
    };
    micros(usage.user_time()) + micros(usage.system_time())
}

fn highest_open_fd() -> u64 {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .max()
        .unwrap_or(2)
}

#[test]
fn accept_backs_off_when_out_of_descriptors_and_recovers() {
    let preview = Preview::start(0).expect("preview");
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("getrlimit");

    // Leave exactly one free descriptor: take every free number below a limit just above
    // the highest open one, then give the last back.
    let limit = highest_open_fd() + 2;
    setrlimit(Resource::RLIMIT_NOFILE, limit, hard).expect("setrlimit");
    let mut fillers = Vec::new();
    while let Ok(file) = File::open("/dev/null") {
        fillers.push(file);
    }
    fillers.pop();
    // The client takes the last descriptor; the server's `accept` for it has none.
    let mut client = TcpStream::connect(("127.0.0.1", preview.port())).expect("connect");

    let cpu_before = cpu_time();
    std::thread::sleep(Duration::from_secs(1));
    let spent = cpu_time() - cpu_before;
    setrlimit(Resource::RLIMIT_NOFILE, soft, hard).expect("restore the limit");
    drop(fillers);
    assert!(
        spent < Duration::from_millis(200),
        "a failing accept loop used {spent:?} of CPU in one second"
    );

    // Descriptors are back: the waiting connection is served within the longest back-off.
    let start = Instant::now();
    write!(
        client,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        preview.port()
    )
    .expect("send");
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut status = String::new();
    BufReader::new(&client)
        .read_line(&mut status)
        .expect("an answer");
    assert_eq!(status.trim_end(), "HTTP/1.1 200 OK");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}
