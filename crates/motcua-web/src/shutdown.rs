//! [`Shutdown`]: Ctrl-C (SIGINT) and SIGTERM, which systemd and container runtimes send to stop
//! a service, both asking for a clean stop.
//!
//! The signals are listened for from the moment a `Shutdown` is made, not from the first
//! time someone waits on it: once a process listens for a signal at all, the system no longer
//! ends it on that signal, so a signal arriving between two listeners would be lost and the
//! process would never stop. The command line makes one before anything else and keeps it.

/// The stop signals, listened for since [`Shutdown::listen`].
pub struct Shutdown {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Shutdown {
    /// Starts listening for Ctrl-C and SIGTERM (inside a Tokio runtime).
    pub fn listen() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Waits for Ctrl-C or SIGTERM (one received since [`Shutdown::listen`] counts).
    pub async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => tracing::info!("Ctrl-C: stopping"),
            _ = self.terminate.recv() => tracing::info!("SIGTERM: stopping"),
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C: stopping");
        }
    }
}
