//! Ctrl-C and SIGTERM, caught so a listing can print what it had and the mock can shut down
//! gracefully.
//!
//! The handler is installed when an [`Interrupt`] is made, not when it is first awaited: a
//! Ctrl-C that comes between starting a listing and waiting for its next page is not lost (and
//! does not kill the process with half a table).

use std::io;

/// A Ctrl-C (SIGINT) listener.
pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
    #[cfg(windows)]
    signal: tokio::signal::windows::CtrlC,
}

impl Interrupt {
    /// Installs the handler; must be called inside the tokio runtime.
    pub fn listen() -> io::Result<Self> {
        #[cfg(unix)]
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        #[cfg(windows)]
        let signal = tokio::signal::windows::ctrl_c()?;
        Ok(Self { signal })
    }

    /// Waits for the next Ctrl-C.
    pub async fn recv(&mut self) {
        self.signal.recv().await;
    }
}

/// What asks a server to stop: Ctrl-C, and on Unix also SIGTERM (what `kill PID` sends).
pub struct Shutdown {
    interrupt: Interrupt,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Shutdown {
    /// Installs the handlers; must be called inside the tokio runtime.
    pub fn listen() -> io::Result<Self> {
        Ok(Self {
            interrupt: Interrupt::listen()?,
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        })
    }

    /// Waits until one of the signals arrives.
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            () = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        self.interrupt.recv().await;
    }
}
