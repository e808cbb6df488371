//! Many rows in a few statements, for the load generator (`zi demo seed`):
//! one multi-row `INSERT` per chunk, under PostgreSQL's limit of bind
//! parameters per statement.

use sqlx::AnyConnection;

/// One cell of a row to insert.
pub enum Cell {
    Text(Option<String>),
    Int(i64),
    Float(Option<f64>),
}

impl Cell {
    fn is_null(&self) -> bool {
        matches!(self, Cell::Text(None) | Cell::Float(None))
    }
}

/// Inserts `rows` (each with one cell per column) into `table`.
pub async fn insert(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<(), sqlx::Error> {
    const MAX_PARAMETERS: usize = 30_000;
    let per_chunk = (MAX_PARAMETERS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Cell>> = rows.by_ref().take(per_chunk).collect();
        // A missing value is a literal NULL, not a bound one: PostgreSQL
        // keeps the parameter types of a statement's first use.
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for (j, cell) in row.iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                if cell.is_null() {
                    sql.push_str("NULL");
                } else {
                    n += 1;
                    sql.push_str(&format!("${n}"));
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for cell in chunk.into_iter().flatten() {
            query = match cell {
                Cell::Text(Some(text)) => query.bind(text),
                Cell::Int(int) => query.bind(int),
                Cell::Float(Some(float)) => query.bind(float),
                Cell::Text(None) | Cell::Float(None) => query,
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
