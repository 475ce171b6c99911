//! The schema: migrations are frozen, so a database created by an earlier release and then
//! migrated has exactly the schema of a new one; and the list of counts is the stored one.

use motcua_core::aggregate::STORED;
use motcua_core::counts::CountId;
use motcua_store::{SqlStore, schema};
use motcua_testkit::test_databases;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The migrations of release 0.1, the first with a database in the field: up to
/// `m20261128_000011_lean_indexes`.
const RELEASE_0_1: u32 = 11;

#[tokio::test]
async fn an_upgraded_database_has_the_schema_of_a_new_one() -> TestResult {
    assert_eq!(
        schema::migrations()[RELEASE_0_1 as usize - 1],
        "m20261128_000011_lean_indexes"
    );
    for (old, new) in test_databases()
        .await
        .into_iter()
        .zip(test_databases().await)
    {
        // The database as release 0.1 left it: its schema is the one that release created
        // (a snapshot taken then), which fails if any of its migrations is edited since.
        schema::migrate_first(&old.url, RELEASE_0_1).await?;
        insta::assert_snapshot!(
            format!("release_0_1_{}", old.backend),
            schema::describe_url(&old.url).await?
        );
        let upgraded = SqlStore::connect(&old.url).await?;
        let fresh = SqlStore::connect(&new.url).await?;
        assert_eq!(
            schema::describe(&upgraded).await?,
            schema::describe(&fresh).await?,
            "{}: upgraded and new databases differ",
            old.backend
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_stored_columns_are_the_list_of_counts() -> TestResult {
    for db in test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        let described = schema::describe(&store).await?;
        let columns = |table: &str| -> Vec<String> {
            described
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("column {table}.")))
                .filter_map(|l| l.split(' ').next())
                .map(str::to_owned)
                .collect()
        };
        let mut want: Vec<&str> = STORED.iter().map(|c| c.id()).collect();
        want.extend(["month", "unit"]);
        want.sort_unstable();
        assert_eq!(columns("agg_months"), want, "{}: agg_months", db.backend);
        let mut want: Vec<&str> = CountId::ALL.iter().map(|c| c.id()).collect();
        want.extend(["month", "unit_code"]);
        want.sort_unstable();
        assert_eq!(
            columns("closed_counts"),
            want,
            "{}: closed_counts",
            db.backend
        );
    }
    Ok(())
}
