//! [`citizen_of`]: a citizen's account made the one that submitted a dossier, straight in
//! the database (the online submission that writes `dossiers.citizen_id` is not what these
//! tests are about).

use sea_orm::{ConnectionTrait, Statement};

/// Creates a citizen's account (`full_name`, verified `phone` and `email`) and makes it the
/// one that submitted dossier `code` in the database at `url`; its id.
pub async fn citizen_of(
    url: &str,
    code: &str,
    full_name: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<i64, Box<dyn std::error::Error>> {
    let conn = sea_orm::Database::connect(url).await?;
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO citizens (kind, full_name, phone, email, created_at)
             VALUES ('person', $1, $2, $3, 0) RETURNING id",
            vec![full_name.into(), phone.into(), email.into()],
        ))
        .await?
        .ok_or("no citizen id")?;
    let id: i64 = row.try_get("", "id")?;
    let done = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE dossiers SET citizen_id = $1 WHERE code = $2",
            vec![id.into(), code.into()],
        ))
        .await?;
    conn.close().await?;
    if done.rows_affected() != 1 {
        return Err(format!("no dossier {code}").into());
    }
    Ok(id)
}
