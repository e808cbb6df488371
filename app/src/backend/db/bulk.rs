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
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if j == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for cell in chunk.into_iter().flatten() {
            query = match cell {
                Cell::Text(text) => query.bind(text),
                Cell::Int(int) => query.bind(int),
                Cell::Float(float) => query.bind(float),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
