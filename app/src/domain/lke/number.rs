//! Indonesian number formatting and lenient decimal parsing.

use serde::{Deserialize, Serialize};
use thiserror::Error;

const MAX_DECIMALS: usize = 30;

/// Why a decimal string was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ParseDecimalError {
    #[error("empty input")]
    Empty,
    #[error("unexpected character {0:?}")]
    InvalidCharacter(char),
    #[error("misplaced separator or digit grouping")]
    Malformed,
    #[error("number out of range")]
    OutOfRange,
}

/// Formats a number the Indonesian way: decimal comma, thousands dot
/// (`75,25`, `1.234.567,89`, `-0,5`).
///
/// Rounds like a spreadsheet does for display: the value is first taken to 15
/// significant digits, then rounded half away from zero to `decimals` places
/// (so `1.005` with 2 decimals gives `1,01`). Never prints `-0`. Non-finite values
/// print as Rust does (`NaN`, `inf`). `decimals` is capped at 30.
pub fn format_id(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let digits = rounded_digits(value.abs(), decimals);
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (int_part, frac_part) = padded.split_at(padded.len() - decimals);
    let negative = value < 0.0 && padded.bytes().any(|b| b != b'0');
    let mut out = String::with_capacity(padded.len() + padded.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(int_part));
    if decimals > 0 {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// Decimal digits of `round_half_up(x × 10^decimals)` after taking `x` to 15
/// significant digits.
fn rounded_digits(x: f64, decimals: usize) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    let sci = format!("{x:.14e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let d: u64 = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0, |acc, b| acc * 10 + u64::from(b - b'0'));
    // x ≈ d × 10^(exp − 14); we want d × 10^shift.
    let shift = exp - 14 + i64::try_from(decimals).unwrap_or(0);
    if shift >= 0 {
        let zeros = usize::try_from(shift).unwrap_or(0);
        return format!("{d}{}", "0".repeat(zeros));
    }
    let cut = u32::try_from(-shift).unwrap_or(u32::MAX);
    if cut > 15 {
        return "0".to_owned();
    }
    let p = 10u64.pow(cut);
    let (q, r) = (d / p, d % p);
    let q = if r * 2 >= p { q + 1 } else { q };
    q.to_string()
}

fn group_thousands(int_part: &str) -> String {
    let n = int_part.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Parses a decimal number written either way: `3,45` or `3.45`, with optional sign,
/// surrounding blanks and thousands separators (`1.234.567,89`, `1,234,567.89`).
///
/// A single `.` or `,` is the decimal separator (`1.234` is 1.234). When both appear,
/// the last one is the decimal separator and the other must group digits by three.
/// A separator repeated alone (`1.234.567`) groups thousands.
pub fn parse_decimal(s: &str) -> Result<f64, ParseDecimalError> {
    let t = s.trim();
    let (negative, body) = match t.as_bytes().first() {
        None => return Err(ParseDecimalError::Empty),
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        Some(_) => (false, t),
    };
    if body.is_empty() {
        return Err(ParseDecimalError::Malformed);
    }
    if let Some(c) = body
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != '.' && *c != ',')
    {
        return Err(ParseDecimalError::InvalidCharacter(c));
    }
    let (int_raw, frac) = split_decimal(body)?;
    let int_digits = ungroup(int_raw)?;
    let normalized = match frac {
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(ParseDecimalError::Malformed)
        }
        Some(f) => format!(
            "{}.{f}",
            if int_digits.is_empty() {
                "0"
            } else {
                &int_digits
            }
        ),
        None if int_digits.is_empty() => return Err(ParseDecimalError::Malformed),
        None => int_digits,
    };
    let v: f64 = normalized
        .parse()
        .map_err(|_| ParseDecimalError::Malformed)?;
    if !v.is_finite() {
        return Err(ParseDecimalError::OutOfRange);
    }
    Ok(if negative { -v } else { v })
}

/// Splits into (integer part possibly with group separators, fraction).
fn split_decimal(body: &str) -> Result<(&str, Option<&str>), ParseDecimalError> {
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let last_sep = body.rfind(['.', ',']);
    match (dots, commas, last_sep) {
        (0, 0, _) | (_, _, None) => Ok((body, None)),
        (1, 0, Some(i)) | (0, 1, Some(i)) => Ok((&body[..i], Some(&body[i + 1..]))),
        (_, 0, _) | (0, _, _) => Ok((body, None)), // one separator repeated: grouping only
        (_, _, Some(i)) => {
            let decimal = body.as_bytes()[i];
            let head = &body[..i];
            if head.bytes().any(|b| b == decimal) {
                return Err(ParseDecimalError::Malformed);
            }
            Ok((head, Some(&body[i + 1..])))
        }
    }
}

/// Removes thousands separators, checking groups of three.
fn ungroup(int_raw: &str) -> Result<String, ParseDecimalError> {
    let groups: Vec<&str> = int_raw.split(['.', ',']).collect();
    if groups.len() == 1 {
        return Ok(int_raw.to_owned());
    }
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if first_ok && rest_ok {
        Ok(groups.concat())
    } else {
        Err(ParseDecimalError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_indonesian() {
        assert_eq!(format_id(75.25, 2), "75,25");
        assert_eq!(format_id(1234567.891, 2), "1.234.567,89");
        assert_eq!(format_id(1000.0, 0), "1.000");
        assert_eq!(format_id(999.999, 2), "1.000,00");
        assert_eq!(format_id(0.0, 2), "0,00");
        assert_eq!(format_id(-0.001, 2), "0,00");
        assert_eq!(format_id(-1234.5, 1), "-1.234,5");
        assert_eq!(format_id(95.5761904761905, 2), "95,58");
        assert_eq!(format_id(0.5, 0), "1");
        assert_eq!(format_id(2.5, 0), "3");
        assert_eq!(format_id(1.005, 2), "1,01");
        assert_eq!(format_id(0.1 + 0.2, 17), "0,30000000000000000");
        assert_eq!(format_id(123.0, 3), "123,000");
        assert_eq!(format_id(1e20, 0), "100.000.000.000.000.000.000");
        assert_eq!(format_id(1e-20, 2), "0,00");
        assert_eq!(format_id(f64::NAN, 2), "NaN");
    }

    #[test]
    fn parses_both_separators() {
        assert_eq!(parse_decimal("3,45"), Ok(3.45));
        assert_eq!(parse_decimal("3.45"), Ok(3.45));
        assert_eq!(parse_decimal(" 75 "), Ok(75.0));
        assert_eq!(parse_decimal("-0,5"), Ok(-0.5));
        assert_eq!(parse_decimal("+2"), Ok(2.0));
        assert_eq!(parse_decimal(",5"), Ok(0.5));
        assert_eq!(parse_decimal("1.234"), Ok(1.234));
        assert_eq!(parse_decimal("1.234.567"), Ok(1234567.0));
        assert_eq!(parse_decimal("1.234.567,89"), Ok(1234567.89));
        assert_eq!(parse_decimal("1,234,567.89"), Ok(1234567.89));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_decimal(""), Err(ParseDecimalError::Empty));
        assert_eq!(parse_decimal("   "), Err(ParseDecimalError::Empty));
        assert_eq!(
            parse_decimal("tujuh"),
            Err(ParseDecimalError::InvalidCharacter('t'))
        );
        assert_eq!(
            parse_decimal("1e5"),
            Err(ParseDecimalError::InvalidCharacter('e'))
        );
        assert_eq!(parse_decimal("-"), Err(ParseDecimalError::Malformed));
        assert_eq!(parse_decimal("3,"), Err(ParseDecimalError::Malformed));
        assert_eq!(parse_decimal("1.23.4"), Err(ParseDecimalError::Malformed));
        assert_eq!(parse_decimal("1,2.3,4"), Err(ParseDecimalError::Malformed));
        assert_eq!(parse_decimal("12.34,5"), Err(ParseDecimalError::Malformed));
        assert_eq!(
            parse_decimal("NaN"),
            Err(ParseDecimalError::InvalidCharacter('N'))
        );
    }

    #[test]
    fn format_then_parse_round_trips() {
        for v in [0.0, 1.5, 75.25, 1234.5, 1234567.25, -42.75] {
            assert_eq!(parse_decimal(&format_id(v, 2)), Ok(v));
        }
    }
}
