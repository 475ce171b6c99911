//! Import of an interchange folder: every file checked whole against what is stored, then
//! written in one transaction, `dossiers.csv` read from the disk twice and never held whole.

use std::path::{Path, PathBuf};

use motcua_core::access::AuditContext;
use motcua_core::interchange::{
    self, DOSSIERS_FILE, Existing, ImportFiles, PROCEDURE_COMPONENTS_FILE, PROCEDURES_FILE,
    UNITS_FILE,
};
use motcua_core::unit::UnitCode;
use motcua_store::{ImportSummary, SqlStore};

use crate::{AppError, calendar};

/// The file `name` of `dir`: `None` when there is no entry of that name. An entry that is
/// there but cannot be read as a file (a dangling link, a folder, no permission) is an error
/// naming it, never taken for an absent file.
fn entry(dir: &Path, name: &str) -> Result<Option<PathBuf>, AppError> {
    let path = dir.join(name);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(AppError::Io { path, error }),
        Ok(_) => {}
    }
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Ok(Some(path)),
        Ok(_) => Err(AppError::NotAFile(path)),
        Err(error) => Err(AppError::Io { path, error }),
    }
}

fn read_optional(dir: &Path, name: &str) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let Some(path) = entry(dir, name)? else {
        return Ok(None);
    };
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some((path.display().to_string(), bytes))),
        Err(error) => Err(AppError::Io { path, error }),
    }
}

/// Imports the interchange files of `dir` (each optional). All or nothing: any invalid row
/// and nothing is written. Re-importing the same files changes nothing and logs nothing. A
/// dossier without `due_at` gets the appointment of the calendar in force; no dossier may
/// record an instant after `ctx.at`. A unit already stored keeps its parent (see
/// [`import_dir_with`]). `dossiers.csv` is read from the disk as it goes, never whole: once to
/// check every row, then again to write.
pub async fn import_dir(
    store: &SqlStore,
    dir: &Path,
    ctx: &AuditContext,
) -> Result<ImportSummary, AppError> {
    import_dir_with(store, dir, ctx, false).await
}

/// [`import_dir`], moving stored units under the parents the file gives them when
/// `allow_moves` (`motcua import --allow-moves`): a move widens the new parent's officers'
/// scope, so it is refused unless asked for.
pub async fn import_dir_with(
    store: &SqlStore,
    dir: &Path,
    ctx: &AuditContext,
    allow_moves: bool,
) -> Result<ImportSummary, AppError> {
    if !dir.is_dir() {
        return Err(AppError::NotADirectory(dir.to_owned()));
    }
    let units = read_optional(dir, UNITS_FILE)?;
    let procedures = read_optional(dir, PROCEDURES_FILE)?;
    let components = read_optional(dir, PROCEDURE_COMPONENTS_FILE)?;
    let dossiers = entry(dir, DOSSIERS_FILE)?
        .map(|path| (path.display().to_string(), DossierInput::File(path)));
    if units.is_none() && procedures.is_none() && components.is_none() && dossiers.is_none() {
        return Err(AppError::NothingToImport(dir.to_owned()));
    }
    fn as_ref(f: &Option<(String, Vec<u8>)>) -> Option<(&str, &[u8])> {
        f.as_ref()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
    }
    import_input(
        store,
        as_ref(&units),
        (as_ref(&procedures), as_ref(&components)),
        dossiers
            .as_ref()
            .map(|(name, input)| (name.as_str(), input)),
        ctx,
        allow_moves,
    )
    .await
}

/// Imports files already in memory (the demo's embedded copy, uploads).
pub async fn import_files(
    store: &SqlStore,
    files: ImportFiles<'_>,
    ctx: &AuditContext,
) -> Result<ImportSummary, AppError> {
    let dossiers = files
        .dossiers
        .map(|(name, bytes)| (name, DossierInput::Bytes(bytes)));
    import_input(
        store,
        files.units,
        (files.procedures, files.procedure_components),
        dossiers.as_ref().map(|(name, input)| (*name, input)),
        ctx,
        false,
    )
    .await
}

/// Where the rows of `dossiers.csv` come from.
enum DossierInput<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

impl DossierInput<'_> {
    fn open(&self) -> Result<Box<dyn std::io::Read + Send + '_>, AppError> {
        match self {
            DossierInput::Bytes(bytes) => Ok(Box::new(*bytes)),
            DossierInput::File(path) => {
                let file = std::fs::File::open(path).map_err(|error| AppError::Io {
                    path: path.clone(),
                    error,
                })?;
                Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
            }
        }
    }
}

/// A file of an import given in memory: its name (for messages) and its bytes.
type NamedBytes<'a> = Option<(&'a str, &'a [u8])>;

/// Dossiers checked and written per chunk of an import.
const IMPORT_CHUNK: usize = 5_000;

/// The dossiers of an import read a second time, chunk by chunk, for [`SqlStore::import`](motcua_store::SqlStore::import).
struct ReaderChunks<'a> {
    reader: Option<interchange::DossierReader<'a, Box<dyn std::io::Read + Send + 'a>>>,
    /// The units the first reading found, whose locks the import holds.
    units: std::collections::HashSet<UnitCode>,
}

impl motcua_store::DossierChunks for ReaderChunks<'_> {
    fn next_chunk(
        &mut self,
    ) -> Result<Vec<interchange::Located<motcua_core::dossier::Dossier>>, String> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(Vec::new());
        };
        let chunk = reader.next_chunk(IMPORT_CHUNK);
        if reader.has_issues() {
            let first = self
                .reader
                .take()
                .map(|r| r.finish())
                .and_then(|issues| issues.into_iter().next())
                .map(|i| i.to_string())
                .unwrap_or_default();
            return Err(format!("tệp hồ sơ đã thay đổi trong khi nhập ({first})"));
        }
        // A unit the first reading did not see: the file changed, and its lock is not held.
        if let Some(d) = chunk
            .iter()
            .find(|d| !self.units.contains(&d.value.unit_code))
        {
            return Err(format!(
                "tệp hồ sơ đã thay đổi trong khi nhập (dòng {}: đơn vị «{}» không có ở lần đọc đầu)",
                d.line, d.value.unit_code
            ));
        }
        Ok(chunk)
    }
}

/// The second reading of `dossiers.csv` on a thread of its own, at most two chunks ahead.
struct ThreadChunks(
    std::sync::mpsc::Receiver<
        Result<Vec<interchange::Located<motcua_core::dossier::Dossier>>, String>,
    >,
);

impl ThreadChunks {
    fn start(
        name: String,
        path: &Path,
        catalogue: interchange::CataloguePlan,
        calendars: std::sync::Arc<calendar::Calendars>,
        units: std::collections::HashSet<UnitCode>,
    ) -> Result<Self, AppError> {
        // Opened here, so that a file that cannot be read is an error of the import.
        let file = std::fs::File::open(path).map_err(|error| AppError::Io {
            path: path.to_owned(),
            error,
        })?;
        let file: Box<dyn std::io::Read + Send> =
            Box::new(std::io::BufReader::with_capacity(1 << 16, file));
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        std::thread::spawn(move || {
            let due = move |received_at, procedure: &_, unit: &_| {
                calendars.due_at(received_at, procedure, unit)
            };
            let mut chunks = ReaderChunks {
                reader: Some(interchange::DossierReader::new(
                    &name, file, &catalogue, &due,
                )),
                units,
            };
            loop {
                let next = motcua_store::DossierChunks::next_chunk(&mut chunks);
                let last = !matches!(&next, Ok(c) if !c.is_empty());
                // The import stopped listening (an error on its side): stop reading.
                if tx.send(next).is_err() || last {
                    break;
                }
            }
        });
        Ok(ThreadChunks(rx))
    }
}

impl motcua_store::DossierChunks for ThreadChunks {
    fn next_chunk(
        &mut self,
    ) -> Result<Vec<interchange::Located<motcua_core::dossier::Dossier>>, String> {
        self.0
            .recv()
            .unwrap_or_else(|_| Err("việc đọc tệp hồ sơ bị gián đoạn".to_owned()))
    }
}

async fn import_input(
    store: &SqlStore,
    units: Option<(&str, &[u8])>,
    (procedures, components): (NamedBytes<'_>, NamedBytes<'_>),
    dossiers: Option<(&str, &DossierInput<'_>)>,
    ctx: &AuditContext,
    allow_moves: bool,
) -> Result<ImportSummary, AppError> {
    let calendars = std::sync::Arc::new(calendar::load(store).await?);
    let stored_units = store.units().await?;
    let stored_procedures = store.procedures().await?;
    let (mut catalogue, mut issues) = interchange::plan_catalogue(
        units,
        procedures,
        Existing {
            units: &stored_units,
            procedures: &stored_procedures,
        },
        interchange::ImportOptions {
            now: ctx.at,
            allow_moves,
        },
    );
    issues.extend(interchange::plan_components(
        &mut catalogue,
        components,
        &stored_procedures,
    ));
    let due = |received_at, procedure: &_, unit: &_| calendars.due_at(received_at, procedure, unit);
    // First reading: every row checked, nothing written, no lock taken.
    let mut dossier_units = Vec::new();
    let mut dossier_count = 0;
    if let Some((name, input)) = dossiers {
        let mut reader = interchange::DossierReader::new(name, input.open()?, &catalogue, &due);
        loop {
            let n = reader.next_chunk(IMPORT_CHUNK).len();
            if n == 0 {
                break;
            }
            dossier_count += n;
        }
        dossier_units = reader.units().iter().cloned().collect();
        issues.extend(reader.finish());
    }
    if !issues.is_empty() {
        issues.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(AppError::Invalid(issues));
    }
    // Second reading: written chunk by chunk in one transaction. A file is read and checked
    // on a thread of its own, one chunk ahead of the writes, so that both cores work.
    let units: std::collections::HashSet<UnitCode> = dossier_units.iter().cloned().collect();
    let mut chunks: Box<dyn motcua_store::DossierChunks + '_> = match dossiers {
        Some((name, DossierInput::File(path))) => Box::new(ThreadChunks::start(
            name.to_owned(),
            path,
            catalogue.clone(),
            calendars.clone(),
            units,
        )?),
        Some((name, input)) => Box::new(ReaderChunks {
            reader: Some(interchange::DossierReader::new(
                name,
                input.open()?,
                &catalogue,
                &due,
            )),
            units,
        }),
        None => Box::new(ReaderChunks {
            reader: None,
            units,
        }),
    };
    let batch = motcua_store::ImportBatch {
        units: &catalogue.units,
        procedures: &catalogue.procedures,
        dossier_units,
        dossier_count,
        dossiers: &mut *chunks,
    };
    Ok(store.import(batch, ctx).await?)
}

#[cfg(test)]
mod tests {
    use motcua_store::DossierChunks;

    use super::*;

    /// The second reading of an import refuses a row whose unit the first reading did not
    /// see (the file changed in between): that unit's lock is not held.
    #[test]
    fn a_unit_unseen_by_the_first_reading_stops_the_import() {
        let units = "code,name,short_name,kind,label,parent_code\n\
            d,Huyện D,D,district,huyện D,\n\
            x,Xã X,X,commune,xã X,d\n\
            y,Xã Y,Y,commune,xã Y,d\n";
        let procedures = "code,name,field,offered_by,online_level,processing_days,fee_vnd,components\n\
            1.000001,Thủ tục,Lĩnh vực,commune,full,1,0,1\n";
        let (catalogue, issues) = interchange::plan_catalogue(
            Some(("units.csv", units.as_bytes())),
            Some(("procedures.csv", procedures.as_bytes())),
            Existing::default(),
            interchange::ImportOptions::at(motcua_core::Timestamp::from_micros(i64::MAX)),
        );
        assert!(issues.is_empty(), "{issues:?}");
        let due = |_, _: &_, _: &_| Err("unused".to_owned());
        let mut file = format!("{}\n", interchange::DOSSIER_COLUMNS.join(","));
        for (i, unit) in ["x", "x", "y"].iter().enumerate() {
            file.push_str(&format!(
                "HS-{i},1.000001,{unit},direct,,2024-05-02T08:00:00+07:00,2024-05-03T08:00:00+07:00,,,,1,1,,0,,,,new,\n"
            ));
        }
        let open = || -> Box<dyn std::io::Read + Send + '_> { Box::new(file.as_bytes()) };
        let x = UnitCode::parse("x").unwrap_or_else(|_| unreachable!());
        let y = UnitCode::parse("y").unwrap_or_else(|_| unreachable!());

        let mut seen = ReaderChunks {
            reader: Some(interchange::DossierReader::new(
                "dossiers.csv",
                open(),
                &catalogue,
                &due,
            )),
            units: [x.clone(), y].into_iter().collect(),
        };
        assert_eq!(seen.next_chunk().map(|c| c.len()), Ok(3));

        let mut changed = ReaderChunks {
            reader: Some(interchange::DossierReader::new(
                "dossiers.csv",
                open(),
                &catalogue,
                &due,
            )),
            units: [x].into_iter().collect(),
        };
        let refused = changed.next_chunk().err().unwrap_or_default();
        assert!(
            refused.contains("dòng 4") && refused.contains("«y»"),
            "{refused}"
        );
    }
}
