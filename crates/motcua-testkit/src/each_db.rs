//! [`for_each_db`]: one test case run on every test database, saying which one failed.

use std::fmt;

use crate::{TestDb, test_databases};

/// What a test case returns.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The error of a case on one backend, named in its message.
pub struct OnBackend {
    pub backend: &'static str,
    pub source: Box<dyn std::error::Error>,
}

impl fmt::Display for OnBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "on {}: {}", self.backend, self.source)
    }
}

// The test harness prints a failed test's error with `Debug`: the backend comes first.
impl fmt::Debug for OnBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "on {}: {:?}", self.backend, self.source)
    }
}

impl std::error::Error for OnBackend {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Says on which backend a case panicked (a failed assertion): the harness shows what a
/// failed test wrote to stderr.
struct Running(&'static str);

impl Drop for Running {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("for_each_db: the case failed on {}", self.0);
        }
    }
}

/// Runs `case` on a fresh SQLite database and, when `TEST_DATABASE_URL` names a server, on a
/// fresh PostgreSQL database (see [`test_databases`]), one after the other. The first failure
/// stops the run; an error comes back as [`OnBackend`], a panic is preceded on stderr by the
/// backend's name.
///
/// ```text
/// #[tokio::test]
/// async fn a_case() -> TestResult {
///     for_each_db(async |db| {
///         let store = SqlStore::connect(&db.url).await?;
///         assert!(store.units().await?.is_empty(), "{}", db.backend);
///         Ok(())
///     })
///     .await
/// }
/// ```
pub async fn for_each_db(mut case: impl AsyncFnMut(&TestDb) -> TestResult) -> TestResult {
    for db in test_databases().await {
        let running = Running(db.backend);
        if let Err(source) = case(&db).await {
            return Err(Box::new(OnBackend {
                backend: db.backend,
                source,
            }));
        }
        drop(running);
    }
    Ok(())
}
