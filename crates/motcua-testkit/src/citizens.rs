//! [`citizen`]: a citizen's account written straight into a migrated test database, for the
//! tests of what citizens do once signed in (the accounts' own sign-up is tested on its own).

use motcua_core::citizen::{Citizen, CitizenId, CitizenKind};
use sea_orm::{ConnectionTrait, Database, Statement};

/// A person's account named `full_name` with the telephone number `phone`, in the database at
/// `url` (migrated already, e.g. by `SqlStore::connect`).
pub async fn citizen(
    url: &str,
    full_name: &str,
    phone: &str,
) -> Result<Citizen, Box<dyn std::error::Error>> {
    let db = Database::connect(url).await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "INSERT INTO citizens (kind, full_name, phone, created_at)
             VALUES ($1, $2, $3, 0) RETURNING id",
            vec![
                CitizenKind::Person.code().into(),
                full_name.into(),
                phone.into(),
            ],
        ))
        .await?
        .ok_or("no citizen id")?;
    let id: i64 = row.try_get("", "id")?;
    db.close().await?;
    Ok(Citizen {
        id: CitizenId(id),
        kind: CitizenKind::Person,
        full_name: full_name.to_owned(),
        phone: Some(phone.to_owned()),
        email: None,
        id_number: None,
        tax_code: None,
    })
}
