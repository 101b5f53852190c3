//! Time per compile phase, for `LECTERN_TIMINGS=1`.

use super::*;

/// Time per compile phase, printed to stderr when `LECTERN_TIMINGS` is set (for profiling).
pub(super) struct Phases {
    enabled: bool,
    last: Instant,
    marks: Vec<(&'static str, Duration)>,
}

impl Phases {
    pub(super) fn new() -> Self {
        Self {
            enabled: std::env::var_os("LECTERN_TIMINGS").is_some(),
            last: Instant::now(),
            marks: Vec::new(),
        }
    }

    pub(super) fn mark(&mut self, phase: &'static str) {
        if self.enabled {
            self.marks.push((phase, self.last.elapsed()));
            self.last = Instant::now();
        }
    }

    pub(super) fn report(&self) {
        if self.enabled {
            let parts: Vec<String> = self
                .marks
                .iter()
                .map(|(p, d)| format!("{p} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("timings: {}", parts.join(" · "));
        }
    }
}
