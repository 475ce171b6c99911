//! What the notices need of a citizen's account: the full name and the verified telephone
//! number and e-mail address (`citizens`), read by id.

use motcua_core::citizen::CitizenId;
use sea_orm::ConnectionTrait;

use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// A citizen's name and verified addresses: where the notices of their dossiers go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenContacts {
    pub full_name: String,
    /// The verified telephone number (SMS), if any.
    pub phone: Option<String>,
    /// The verified e-mail address, if any.
    pub email: Option<String>,
}

impl SqlStore {
    /// The name and verified addresses of citizen `id`; `None` for an unknown id.
    pub async fn citizen_contacts(
        &self,
        id: CitizenId,
    ) -> Result<Option<CitizenContacts>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT full_name, phone, email FROM citizens WHERE id = $1",
                vec![id.0.into()],
            ))
            .await?;
        row.map(|row| {
            let r = crate::rows::reader(&row, "citizens", "full_name");
            Ok(CitizenContacts {
                full_name: r.get("full_name")?,
                phone: r.get("phone")?,
                email: r.get("email")?,
            })
        })
        .transpose()
    }
}
