//! Every table's rows as JSON objects, out of one consistent snapshot and back
//! into an empty database: the same format on SQLite and PostgreSQL, so a
//! backup of one restores into the other.

use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use sqlx::any::AnyTypeInfoKind;
use sqlx::{AnyConnection, Column, Row, ValueRef};

use super::{is_sqlite, Db};

/// The tables a backup holds, parents before children. Sessions and sign-in
/// failures are left out: a restored server starts with everyone signed out.
pub const TABLES: &[&str] = &[
    "units",
    "users",
    "user_roles",
    "audit_log",
    "periods",
    "rubric_versions",
    "instansi_facts",
    "assessments",
    "answers",
    "blobs",
    "evidence",
    "evidence_links",
    "assignments",
    "reviews",
    "national_stages",
    "score_snapshots",
    "assessment_scores",
    "api_tokens",
    "portalrb_calls",
    "evidence_shares",
    "user_totp",
    "totp_recovery_codes",
];

/// Columns that point into their own table: restored after every row is in,
/// so neither a parent unit nor a replacing file has to come first. Such
/// tables are keyed by `id`.
fn self_references(table: &str) -> &'static [&'static str] {
    match table {
        "units" => &["parent_id"],
        "evidence" => &["replaces", "replaced_by"],
        _ => &[],
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("column {column} of {table} holds a value a backup cannot carry")]
    Unsupported { table: String, column: String },
    #[error("a row of {table} is not an object of column values")]
    BadRow { table: String },
    #[error("the database already holds data ({table} is not empty); restore needs an empty one")]
    NotEmpty { table: String },
    #[error("{0}")]
    Sink(String),
}

/// A read transaction that sees one moment of the whole database while
/// writers go on (WAL on SQLite, `REPEATABLE READ` on PostgreSQL).
pub async fn snapshot(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if is_sqlite(db) {
        db.begin_with("BEGIN DEFERRED").await
    } else {
        db.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
    }
}

/// Streams the rows of `table`, one JSON object each, to `sink`; returns how many.
pub async fn dump_table(
    conn: &mut AnyConnection,
    table: &str,
    mut sink: impl FnMut(Map<String, Value>) -> Result<(), String>,
) -> Result<u64, BackupError> {
    let sql = format!("SELECT * FROM {table}");
    let mut rows = sqlx::query(&sql).fetch(conn);
    let mut count = 0;
    while let Some(row) = rows.try_next().await? {
        let mut object = Map::new();
        for (i, column) in row.columns().iter().enumerate() {
            object.insert(column.name().to_owned(), cell(&row, i, table)?);
        }
        sink(object).map_err(BackupError::Sink)?;
        count += 1;
    }
    Ok(count)
}

fn cell(row: &sqlx::any::AnyRow, i: usize, table: &str) -> Result<Value, BackupError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().kind();
    Ok(match kind {
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
            Value::from(row.try_get::<i64, _>(i)?)
        }
        AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => Value::from(row.try_get::<f64, _>(i)?),
        AnyTypeInfoKind::Bool => Value::from(i64::from(row.try_get::<bool, _>(i)?)),
        AnyTypeInfoKind::Text => Value::from(row.try_get::<String, _>(i)?),
        AnyTypeInfoKind::Null => Value::Null,
        AnyTypeInfoKind::Blob => {
            return Err(BackupError::Unsupported {
                table: table.to_owned(),
                column: row.columns()[i].name().to_owned(),
            })
        }
    })
}

/// Refuses a database that holds any row of the backed-up tables, besides
/// the rubric versions every new database starts with.
pub async fn ensure_empty(conn: &mut AnyConnection) -> Result<(), BackupError> {
    for table in TABLES.iter().filter(|t| **t != "rubric_versions") {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await?;
        if rows > 0 {
            return Err(BackupError::NotEmpty {
                table: (*table).to_owned(),
            });
        }
    }
    Ok(())
}

/// Inserts one dumped row; its self-references wait for [`link_self_references`].
pub async fn insert_row(
    conn: &mut AnyConnection,
    table: &str,
    row: &Value,
) -> Result<(), BackupError> {
    let object = row.as_object().ok_or_else(|| BackupError::BadRow {
        table: table.to_owned(),
    })?;
    let later = self_references(table);
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for (column, value) in object {
        if !column
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(BackupError::BadRow {
                table: table.to_owned(),
            });
        }
        columns.push(column.as_str());
        values.push(if later.contains(&column.as_str()) {
            &Value::Null
        } else {
            value
        });
    }
    let mut placeholders = Vec::new();
    let mut n = 0;
    for value in &values {
        // An untyped NULL fits every column; a bound one would carry a type.
        if value.is_null() {
            placeholders.push("NULL".to_owned());
        } else {
            n += 1;
            placeholders.push(format!("${n}"));
        }
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for value in values.into_iter().filter(|v| !v.is_null()) {
        query = match value {
            Value::Number(number) => match number.as_i64() {
                Some(integer) => query.bind(integer),
                None => query.bind(number.as_f64().unwrap_or_default()),
            },
            Value::String(text) => query.bind(text.clone()),
            Value::Bool(flag) => query.bind(i64::from(*flag)),
            _ => {
                return Err(BackupError::BadRow {
                    table: table.to_owned(),
                })
            }
        };
    }
    query.execute(conn).await?;
    Ok(())
}

/// Sets the self-references [`insert_row`] left empty, once all rows are in.
pub async fn link_self_references(
    conn: &mut AnyConnection,
    table: &str,
    row: &Value,
) -> Result<(), BackupError> {
    let Some(id) = row.get("id").and_then(Value::as_str) else {
        return Ok(());
    };
    for column in self_references(table) {
        if let Some(target) = row.get(*column).and_then(Value::as_str) {
            sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
                .bind(target)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Whether a table has columns that [`link_self_references`] must set.
pub fn has_self_references(table: &str) -> bool {
    !self_references(table).is_empty()
}
