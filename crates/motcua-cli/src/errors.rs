//! What the binary says when it fails: one paragraph, in Vietnamese, naming the file.

use anyhow::Result;
use motcua_store::SqlStore;

/// The error and its causes, each once, as one line: an operating system's reason in
/// Vietnamese (`không tồn tại`), a cause its wrapper already quotes left out.
pub fn text(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let own = cause.to_string();
        let said = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => motcua_app::io_text::reason(io),
            None => own.clone(),
        };
        if parts
            .last()
            .is_some_and(|last| last.contains(&own) || last.ends_with(&said))
        {
            continue;
        }
        parts.push(said);
    }
    parts.join(": ")
}

/// Opens the database of `url`; for an SQLite file, a folder that does not exist is named
/// (SQLite itself only says it cannot open the file).
pub async fn open(url: &str) -> Result<SqlStore> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = std::path::Path::new(rest.split('?').next().unwrap_or(rest));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            anyhow::bail!(
                "không mở được tệp cơ sở dữ liệu «{}»: thư mục «{}» không tồn tại",
                path.display(),
                dir.display()
            );
        }
    }
    Ok(SqlStore::connect(url).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_said_once_and_in_vietnamese() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = anyhow::Error::new(io).context("không đọc được «/x/lich.json»");
        assert_eq!(text(&e), "không đọc được «/x/lich.json»: không tồn tại");
    }
}
