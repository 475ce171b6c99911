//! The stored catalogue's unit tree, read once per request and shared until an import changes
//! the catalogue.

use motcua_core::unit::UnitTree;
use motcua_store::SqlStore;

use crate::WebError;

/// The unit tree, as stored: the catalogue's, shared until the catalogue changes.
pub(crate) async fn tree(store: &SqlStore) -> Result<Tree, WebError> {
    let catalogue = store
        .catalogue()
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(Tree(catalogue))
}

/// The unit tree of a shared catalogue.
pub(crate) struct Tree(std::sync::Arc<motcua_core::catalogue::Catalogue>);

impl Tree {
    /// The whole catalogue, for the app calls that take it.
    pub(crate) fn catalogue(&self) -> &motcua_core::catalogue::Catalogue {
        &self.0
    }
}

impl std::ops::Deref for Tree {
    type Target = UnitTree;

    fn deref(&self) -> &UnitTree {
        &self.0.tree
    }
}
