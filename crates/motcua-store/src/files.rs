//! Scans on disk, content-addressed: a file is stored once under its SHA-256
//! (`ROOT/ab/cd/abcd…`), whatever its name and however many dossiers refer to it.
//!
//! A file is checked (size, type by its first bytes) before anything is written; it is
//! written to a temporary file in `ROOT/tmp` and renamed into place, so a reader never sees
//! half a file and a refused or failed upload leaves nothing behind. Where app nodes are
//! several, `ROOT` is a shared volume: the same content gives the same path on every node.

use std::path::{Path, PathBuf};

use motcua_core::details::{Scan, ScanType, clean_file_name};
use sha2::{Digest, Sha256};

/// The default size limit of one scan: 10 MiB.
pub const DEFAULT_MAX_SCAN_BYTES: u64 = 10 * 1024 * 1024;

/// Makes temporary names unique within the process.
static TEMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A size as people read it: `11,4 MB`, `10 MB` (one decimal, dropped when it is zero).
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    match tenths % 10 {
        0 => format!("{} MB", tenths / 10),
        d => format!("{},{d} MB", tenths / 10),
    }
}

/// Why a file was not stored.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("tệp «{name}» nặng {}, vượt giới hạn {} cho một tệp", megabytes(*size), megabytes(*limit))]
    TooLarge { name: String, size: u64, limit: u64 },
    #[error("tệp «{0}» rỗng")]
    Empty(String),
    #[error("tệp «{0}» không phải loại được nhận ({accepted}); chỉ nhận bản quét dạng PDF hoặc ảnh", accepted = ScanType::ACCEPTED)]
    Forbidden(String),
    #[error("không ghi/đọc được tệp lưu trữ «{path}»: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The scan store.
#[derive(Debug, Clone)]
pub struct Files {
    root: PathBuf,
    max_bytes: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_owned(),
        source,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Files {
    pub fn new(root: impl Into<PathBuf>, max_bytes: u64) -> Self {
        Files {
            root: root.into(),
            max_bytes,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Refuses a file over the limit before it is read whole (`size` so far).
    pub fn check_size(&self, file_name: &str, size: u64) -> Result<(), FileError> {
        if size > self.max_bytes {
            return Err(FileError::TooLarge {
                name: clean_file_name(file_name),
                size,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    /// Checks a whole file: its size and its type. Writes nothing.
    pub fn check(&self, file_name: &str, bytes: &[u8]) -> Result<ScanType, FileError> {
        self.check_size(file_name, bytes.len() as u64)?;
        if bytes.is_empty() {
            return Err(FileError::Empty(clean_file_name(file_name)));
        }
        ScanType::sniff(bytes).ok_or_else(|| FileError::Forbidden(clean_file_name(file_name)))
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.root
            .join(&sha256[0..2])
            .join(&sha256[2..4])
            .join(sha256)
    }

    /// Checks and stores a file; stores nothing when the check fails.
    pub async fn put(&self, file_name: &str, bytes: &[u8]) -> Result<Scan, FileError> {
        let kind = self.check(file_name, bytes)?;
        let sha256 = hex(&Sha256::digest(bytes));
        let path = self.path_of(&sha256);
        if tokio::fs::try_exists(&path).await.map_err(io(&path))? {
            return Ok(self.scan(sha256, bytes, kind, file_name));
        }
        let dir = path.parent().unwrap_or(&self.root).to_owned();
        tokio::fs::create_dir_all(&dir).await.map_err(io(&dir))?;
        let tmp_dir = self.root.join("tmp");
        tokio::fs::create_dir_all(&tmp_dir)
            .await
            .map_err(io(&tmp_dir))?;
        let tmp = tmp_dir.join(format!(
            "{sha256}.{}.{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let written = async {
            tokio::fs::write(&tmp, bytes).await.map_err(io(&tmp))?;
            let file = tokio::fs::File::open(&tmp).await.map_err(io(&tmp))?;
            file.sync_all().await.map_err(io(&tmp))?;
            tokio::fs::rename(&tmp, &path).await.map_err(io(&path))
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
        written?;
        Ok(self.scan(sha256, bytes, kind, file_name))
    }

    fn scan(&self, sha256: String, bytes: &[u8], kind: ScanType, file_name: &str) -> Scan {
        Scan {
            sha256,
            size: bytes.len() as u64,
            media_type: kind.media_type().to_owned(),
            file_name: clean_file_name(file_name),
        }
    }

    /// Whether a file is stored under `sha256`, whole (its content has that hash) and of an
    /// accepted type: what a hash sent back by a client must pass before anything refers to it.
    pub async fn verify(&self, sha256: &str) -> Result<bool, FileError> {
        Ok(match self.get(sha256).await? {
            Some(bytes) => {
                hex(&Sha256::digest(&bytes)) == sha256 && self.check(sha256, &bytes).is_ok()
            }
            None => false,
        })
    }

    /// The content of a stored file; `None` when there is none with that hash.
    pub async fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>, FileError> {
        if !is_sha256_hex(sha256) {
            return Ok(None);
        }
        let path = self.path_of(sha256);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out
    }

    #[tokio::test]
    async fn files_are_stored_once_under_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::new(dir.path(), 1024);
        let pdf = b"%PDF-1.7\nhello";
        let a = files.put("C:\\scans\\to khai.pdf", pdf).await.unwrap();
        let b = files.put("other.pdf", pdf).await.unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256.len(), 64);
        assert_eq!(a.file_name, "to khai.pdf");
        assert_eq!(a.media_type, "application/pdf");
        assert_eq!(
            files_in(dir.path()).len(),
            1,
            "one copy, no temporary file left"
        );
        assert_eq!(files.get(&a.sha256).await.unwrap().unwrap(), pdf);
        assert!(files.get(&"0".repeat(64)).await.unwrap().is_none());
        assert!(files.get("../../etc/passwd").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn refused_files_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::new(dir.path(), 16);
        let big = [b"%PDF-".as_slice(), &[b'x'; 20]].concat();
        let e = files.put("lon.pdf", &big).await.unwrap_err();
        assert!(e.to_string().contains("vượt giới hạn"), "{e}");
        let e = files.put("virus.exe", b"MZ\x90\x00").await.unwrap_err();
        assert!(e.to_string().contains("không phải loại được nhận"), "{e}");
        let e = files.put("rong.pdf", b"").await.unwrap_err();
        assert!(e.to_string().contains("rỗng"), "{e}");
        assert!(files_in(dir.path()).is_empty());
    }
}
