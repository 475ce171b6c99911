//! [`export_dir`]: the interchange files of everything stored.

use std::path::{Path, PathBuf};

use motcua_core::interchange::{
    self, DOSSIERS_FILE, PROCEDURE_COMPONENTS_FILE, PROCEDURES_FILE, UNITS_FILE,
};
use motcua_core::unit::UnitTree;
use motcua_store::SqlStore;

use crate::AppError;

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub units: usize,
    pub procedures: usize,
    pub dossiers: usize,
}

fn create(
    dir: &Path,
    name: &str,
) -> Result<(PathBuf, std::io::BufWriter<std::fs::File>), AppError> {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).map_err(|error| AppError::Io {
        path: path.clone(),
        error,
    })?;
    Ok((path, std::io::BufWriter::new(file)))
}

/// Writes `units.csv`, `procedures.csv`, `procedure_components.csv` and `dossiers.csv` of
/// everything stored into `dir`
/// (created when missing).
pub async fn export_dir(store: &SqlStore, dir: &Path) -> Result<ExportSummary, AppError> {
    std::fs::create_dir_all(dir).map_err(|error| AppError::Io {
        path: dir.to_owned(),
        error,
    })?;
    let tree = UnitTree::new(store.units().await?)?;
    let procedures = store.procedures().await?;
    let dossiers = store.dossiers().await?;

    let (path, out) = create(dir, UNITS_FILE)?;
    interchange::write_units(out, tree.iter_preorder())
        .map_err(|error| AppError::Io { path, error })?;
    let (path, out) = create(dir, PROCEDURES_FILE)?;
    interchange::write_procedures(out, &procedures)
        .map_err(|error| AppError::Io { path, error })?;
    let (path, out) = create(dir, PROCEDURE_COMPONENTS_FILE)?;
    interchange::write_procedure_components(out, &procedures)
        .map_err(|error| AppError::Io { path, error })?;
    let (path, out) = create(dir, DOSSIERS_FILE)?;
    interchange::write_dossiers(out, &dossiers).map_err(|error| AppError::Io { path, error })?;
    Ok(ExportSummary {
        units: tree.iter_preorder().count(),
        procedures: procedures.len(),
        dossiers: dossiers.len(),
    })
}
