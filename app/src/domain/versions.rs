//! Optimistic versions: every write of a stored row raises its version by
//! one, and a save names the version it started from, so a save made from an
//! older version is refused instead of overwriting what someone else saved.

/// What one save does to one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowSave {
    /// The row would not change: nothing is written, whatever version was named.
    Unchanged,
    /// Written at this version.
    Write { version: i64 },
    /// Someone else wrote the row since the caller's version; nothing is written.
    Stale,
}

/// Decides one row of a save. `current` is the stored version (0 when there
/// is no row yet); `started_from` is the version the caller's page was loaded
/// at, or `None` for a deliberate overwrite (a workbook import) that bumps the
/// version without checking it.
pub fn decide(changed: bool, current: i64, started_from: Option<i64>) -> RowSave {
    if !changed {
        return RowSave::Unchanged;
    }
    match started_from {
        Some(seen) if seen != current => RowSave::Stale,
        _ => RowSave::Write {
            version: current + 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_from_the_current_version_writes_the_next_one() {
        assert_eq!(decide(true, 0, Some(0)), RowSave::Write { version: 1 });
        assert_eq!(decide(true, 7, Some(7)), RowSave::Write { version: 8 });
    }

    #[test]
    fn a_save_from_an_older_or_unknown_version_is_stale() {
        assert_eq!(decide(true, 3, Some(2)), RowSave::Stale);
        assert_eq!(decide(true, 3, Some(0)), RowSave::Stale);
        assert_eq!(
            decide(true, 3, Some(4)),
            RowSave::Stale,
            "a version from the future"
        );
    }

    #[test]
    fn an_unchanged_row_is_never_written_nor_refused() {
        assert_eq!(decide(false, 3, Some(1)), RowSave::Unchanged);
        assert_eq!(decide(false, 3, None), RowSave::Unchanged);
    }

    #[test]
    fn an_overwrite_bumps_the_version_without_checking_it() {
        assert_eq!(decide(true, 0, None), RowSave::Write { version: 1 });
        assert_eq!(decide(true, 5, None), RowSave::Write { version: 6 });
    }

    #[test]
    fn two_saves_from_one_version_write_once_and_refuse_once() {
        // The second sees the version the first wrote.
        let first = decide(true, 4, Some(4));
        assert_eq!(first, RowSave::Write { version: 5 });
        assert_eq!(decide(true, 5, Some(4)), RowSave::Stale);
    }
}
