//! The instant a test sets instead of the system clock: fixed for reproducible pages, moved
//! by a story that spans days (a dossier submitted on a Friday, accepted on the Monday).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use motcua_core::timestamp::Timestamp;

/// A clock the test holds a handle of; every clone reads and moves the same instant.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(at.as_micros())))
    }

    /// The instant it shows.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_micros(self.0.load(Ordering::SeqCst))
    }

    /// Moves it to `at` (backwards too: it is the test's clock).
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.as_micros(), Ordering::SeqCst);
    }
}
