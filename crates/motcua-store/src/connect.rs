//! Opening the store: the pool, the migrations, then the aggregates built once from the
//! dossiers of a database that has none yet.

use sea_orm_migration::MigratorTrait;

use crate::StoreError;
use crate::migration::Migrator;
use crate::recount::AGGREGATES_BUILT;
use crate::sql::{SqlStore, revision};

impl SqlStore {
    /// Connects to `sqlite://PATH` (created when missing) or `postgres://…` and applies the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let db = Self::open(url).await?;
        Migrator::up(&db, None).await?;
        let store = Self::new(db);
        if revision(&store.db, AGGREGATES_BUILT).await?.is_none() {
            // A database from before the aggregates (or a new one): build them once.
            store.rebuild_aggregates().await?;
        }
        Ok(store)
    }
}
