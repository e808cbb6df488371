//! Periods (one evaluation year) and their windows: when units fill in the
//! LKE, when the TPI reviews, and the deadline for proposals to the TPN.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

/// A calendar day, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day(Date);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("not a date (YYYY-MM-DD)")]
pub struct BadDate;

/// Western Indonesia Time: windows open and close on WIB calendar days.
const WIB: i8 = 7;

impl Day {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Day, BadDate> {
        let month = Month::try_from(month).map_err(|_| BadDate)?;
        Date::from_calendar_date(year, month, day)
            .map(Day)
            .map_err(|_| BadDate)
    }

    /// The WIB calendar day of a Unix time in milliseconds.
    pub fn from_unix_ms(ms: i64) -> Day {
        let offset = UtcOffset::from_hms(WIB, 0, 0).unwrap_or(UtcOffset::UTC);
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Day(at.to_offset(offset).date())
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// 1 for January … 12 for December.
    pub fn month(self) -> u8 {
        u8::from(self.0.month())
    }

    pub fn day_of_month(self) -> u8 {
        self.0.day()
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        (later.0 - self.0).whole_days()
    }

    /// The same day in another year; 29 February becomes the 28th.
    pub fn in_year(self, year: i32) -> Day {
        let (month, day) = (self.0.month(), self.0.day());
        Date::from_calendar_date(year, month, day)
            .or_else(|_| Date::from_calendar_date(year, month, day - 1))
            .map(Day)
            .unwrap_or(self)
    }

    pub fn next(self) -> Day {
        self.plus_days(1)
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0.saturating_add(Duration::days(days)))
    }
}

impl FromStr for Day {
    type Err = BadDate;
    fn from_str(s: &str) -> Result<Day, BadDate> {
        let mut parts = s.trim().splitn(3, '-');
        let mut number = |len: usize| {
            parts
                .next()
                .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<i32>().ok())
                .ok_or(BadDate)
        };
        let (year, month, day) = (number(4)?, number(2)?, number(2)?);
        Day::new(
            year,
            u8::try_from(month).map_err(|_| BadDate)?,
            u8::try_from(day).map_err(|_| BadDate)?,
        )
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl TryFrom<String> for Day {
    type Error = BadDate;
    fn try_from(s: String) -> Result<Day, BadDate> {
        s.parse()
    }
}

impl From<Day> for String {
    fn from(day: Day) -> String {
        day.to_string()
    }
}

/// The evaluation year of a period, e.g. 2026.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Year(i32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a year between 2000 and 2100")]
pub struct BadYear;

impl Year {
    pub fn new(year: i64) -> Result<Year, BadYear> {
        i32::try_from(year)
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .map(Year)
            .ok_or(BadYear)
    }

    pub fn parse(s: &str) -> Result<Year, BadYear> {
        s.trim()
            .parse::<i64>()
            .map_err(|_| BadYear)
            .and_then(Year::new)
    }

    pub fn value(self) -> i32 {
        self.0
    }
}

impl TryFrom<i64> for Year {
    type Error = BadYear;
    fn try_from(year: i64) -> Result<Year, BadYear> {
        Year::new(year)
    }
}

impl From<Year> for i64 {
    fn from(year: Year) -> i64 {
        i64::from(year.0)
    }
}

/// The dates of a period, in order: self-assessment, TPI review, proposal deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDates {
    pub self_start: Day,
    pub self_end: Day,
    pub review_start: Day,
    pub review_end: Day,
    pub proposal_deadline: Day,
}

/// Which date of a period is out of order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatesError {
    #[error("the self-assessment window ends before it starts")]
    SelfWindow,
    #[error("the review window ends before it starts, or starts before the self-assessment")]
    ReviewWindow,
    #[error("the proposal deadline is before the end of the review")]
    Deadline,
}

impl PeriodDates {
    pub fn new(
        self_start: Day,
        self_end: Day,
        review_start: Day,
        review_end: Day,
        proposal_deadline: Day,
    ) -> Result<PeriodDates, DatesError> {
        if self_end < self_start {
            return Err(DatesError::SelfWindow);
        }
        if review_end < review_start || review_start < self_start {
            return Err(DatesError::ReviewWindow);
        }
        if proposal_deadline < review_end {
            return Err(DatesError::Deadline);
        }
        Ok(PeriodDates {
            self_start,
            self_end,
            review_start,
            review_end,
            proposal_deadline,
        })
    }

    /// The usual calendar: self-assessment January–March, review 1 April–15 May,
    /// proposals to the national team by 31 May.
    pub fn usual(year: Year) -> PeriodDates {
        let day = |month, day| Day::new(year.0, month, day).unwrap_or(Day(Date::MIN));
        PeriodDates {
            self_start: day(1, 1),
            self_end: day(3, 31),
            review_start: day(4, 1),
            review_end: day(5, 15),
            proposal_deadline: day(5, 31),
        }
    }

    /// The same calendar moved to another year (copying last year's period).
    pub fn moved_to(self, year: Year) -> PeriodDates {
        let shift = |day: Day| day.in_year(day.year() + (year.0 - self.self_start.year()));
        PeriodDates {
            self_start: shift(self.self_start),
            self_end: shift(self.self_end),
            review_start: shift(self.review_start),
            review_end: shift(self.review_end),
            proposal_deadline: shift(self.proposal_deadline),
        }
    }
}

/// The evaluation year to show first on `today`: this year's, else the latest
/// past one, else the nearest future one (a period opened for next year is
/// not where the work is).
pub fn current_year(years: impl IntoIterator<Item = Year>, today: Day) -> Option<Year> {
    let this = today.year();
    let years: Vec<Year> = years.into_iter().collect();
    years
        .iter()
        .copied()
        .filter(|y| y.value() <= this)
        .max()
        .or_else(|| years.iter().copied().min())
}

/// Where today stands against a window of days (both ends included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Window {
    NotYetOpen {
        opens_in_days: i64,
    },
    /// `days_left` is 0 on the last day.
    Open {
        days_left: i64,
    },
    Closed {
        closed_days_ago: i64,
    },
}

impl Window {
    pub fn at(today: Day, start: Day, end: Day) -> Window {
        if today < start {
            Window::NotYetOpen {
                opens_in_days: today.days_until(start),
            }
        } else if today <= end {
            Window::Open {
                days_left: today.days_until(end),
            }
        } else {
            Window::Closed {
                closed_days_ago: end.days_until(today),
            }
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Window::Open { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_year_comes_before_next_years_period() {
        let today: Day = "2026-12-01".parse().unwrap();
        let years = |list: &[i64]| {
            list.iter()
                .map(|y| Year::new(*y).unwrap())
                .collect::<Vec<_>>()
        };
        let pick = |list: &[i64]| current_year(years(list), today).map(Year::value);
        assert_eq!(pick(&[2025, 2026, 2027, 2028]), Some(2026));
        assert_eq!(pick(&[2024, 2025, 2028]), Some(2025));
        assert_eq!(pick(&[2028, 2027]), Some(2027));
        assert_eq!(pick(&[]), None);
    }

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn days_parse_strictly_and_print_back() {
        assert_eq!(day("2026-05-31").to_string(), "2026-05-31");
        for bad in [
            "2026-02-30",
            "2026-5-31",
            "31-05-2026",
            "",
            "2026-05-31x",
            "abcd-ef-gh",
        ] {
            assert_eq!(bad.parse::<Day>(), Err(BadDate), "{bad}");
        }
    }

    #[test]
    fn wib_day_of_a_timestamp() {
        // 2026-03-31 17:30 UTC is already 1 April in Jakarta.
        let ms = 1_774_978_200_000;
        assert_eq!(Day::from_unix_ms(ms), day("2026-04-01"));
    }

    #[test]
    fn windows_include_both_ends() {
        let (start, end) = (day("2026-01-01"), day("2026-03-31"));
        assert_eq!(
            Window::at(day("2025-12-30"), start, end),
            Window::NotYetOpen { opens_in_days: 2 }
        );
        assert_eq!(
            Window::at(start, start, end),
            Window::Open { days_left: 89 }
        );
        assert_eq!(Window::at(end, start, end), Window::Open { days_left: 0 });
        assert_eq!(
            Window::at(day("2026-04-02"), start, end),
            Window::Closed { closed_days_ago: 2 }
        );
    }

    #[test]
    fn dates_must_be_in_order() {
        let usual = PeriodDates::usual(Year::new(2026).unwrap());
        assert_eq!(usual.proposal_deadline, day("2026-05-31"));
        let PeriodDates {
            self_start,
            self_end,
            review_start,
            review_end,
            proposal_deadline,
        } = usual;
        assert!(PeriodDates::new(
            self_start,
            self_end,
            review_start,
            review_end,
            proposal_deadline
        )
        .is_ok());
        assert_eq!(
            PeriodDates::new(
                self_end,
                self_start,
                review_start,
                review_end,
                proposal_deadline
            ),
            Err(DatesError::SelfWindow)
        );
        assert_eq!(
            PeriodDates::new(
                self_start,
                self_end,
                review_end,
                review_start,
                proposal_deadline
            ),
            Err(DatesError::ReviewWindow)
        );
        assert_eq!(
            PeriodDates::new(
                self_start,
                self_end,
                review_start,
                proposal_deadline,
                review_end
            ),
            Err(DatesError::Deadline)
        );
    }

    #[test]
    fn copying_a_period_keeps_its_calendar_in_the_new_year() {
        let leap = PeriodDates {
            self_start: day("2028-01-15"),
            self_end: day("2028-02-29"),
            review_start: day("2028-03-01"),
            review_end: day("2028-05-15"),
            proposal_deadline: day("2028-05-31"),
        };
        let next = leap.moved_to(Year::new(2029).unwrap());
        assert_eq!(next.self_start, day("2029-01-15"));
        assert_eq!(next.self_end, day("2029-02-28"));
        assert_eq!(next.proposal_deadline, day("2029-05-31"));
    }

    #[test]
    fn years_are_bounded() {
        assert!(Year::parse("2026").is_ok());
        assert_eq!(Year::parse("26"), Err(BadYear));
        assert_eq!(Year::parse("dua ribu"), Err(BadYear));
    }
}
