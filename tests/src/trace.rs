//! A capture of everything `tracing` writes, for tests that prove no secret reaches a log.

use std::sync::{Arc, Mutex, PoisonError};

/// Everything tracing writes, at every level, while this lives. The subscriber is the thread's
/// default, so it sees what the test's own thread and current-thread tasks emit.
pub struct TraceCapture {
    written: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl TraceCapture {
    /// Starts capturing on this thread.
    pub fn start() -> Self {
        let written = Arc::new(Mutex::new(Vec::new()));
        let writer = Sink(written.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            // Plain text: tests search it for fields, and colour codes split `name="value"`.
            .with_ansi(false)
            // A span's closing line carries the fields recorded after its work (a request's
            // status, attempts and latency), which no event inside it shows.
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        Self {
            written,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// What was written so far.
    pub fn text(&self) -> String {
        let bytes = self
            .written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
