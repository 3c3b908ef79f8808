//! Calendar dates: the one parser for every date sosik reads — the API's date parameters and
//! the dates of posts — and the range of dates it accepts.
//!
//! chrono's `%Y` reads signed and longer years (`-262143`, `+262142`): dates that far out made
//! the date arithmetic of the explore views overflow, and a typo like `0206-01-01` in a post
//! stretched every sparkline over centuries. Here a date has a four-digit year and falls in
//! [`MIN_DATE`]`..=`[`MAX_DATE`]; anything else is a [`DateError`].

use chrono::NaiveDate;

/// The first year of a date sosik accepts (the news it indexes is younger).
pub const MIN_YEAR: i32 = 1990;
/// The last year of a date sosik accepts.
pub const MAX_YEAR: i32 = 2100;
/// The first day sosik accepts: January 1st of [`MIN_YEAR`].
pub const MIN_DATE: NaiveDate = match NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1) {
    Some(d) => d,
    None => panic!("MIN_YEAR is a year"),
};
/// The last day sosik accepts: December 31st of [`MAX_YEAR`].
pub const MAX_DATE: NaiveDate = match NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31) {
    Some(d) => d,
    None => panic!("MAX_YEAR is a year"),
};

/// Why a text is not a date sosik accepts. The messages complete "parameter `to` …".
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not `YYYY-MM-DD` with a four-digit year: a signed or longer year, another shape.
    #[error("must be a date YYYY-MM-DD with a four-digit year")]
    Malformed,
    /// The shape of a date, but the month or the day does not exist (`2026-02-30`).
    #[error("must be a date YYYY-MM-DD, and that month or day does not exist")]
    NoSuchDay,
    /// A real day outside [`MIN_DATE`]`..=`[`MAX_DATE`].
    #[error("must be a date between {MIN_DATE} and {MAX_DATE}")]
    OutOfRange(NaiveDate),
}

/// A date as the API takes it: exactly `YYYY-MM-DD`.
pub fn parse(s: &str) -> Result<NaiveDate, DateError> {
    split(s, '-', 2..=2).map_or(Err(DateError::Malformed), from_parts)
}

/// A post's date, in the ways authors write it: `2026-01-13`, `2026/01/13`, `2026.01.13` (as
/// the first ten characters; a time or zone may follow), or with one-digit months and days
/// (`2026-1-5`, up to a space or `T`). Quotes and spaces around it are ignored. The local date
/// of the time given, never converted to UTC.
pub fn parse_post_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim().trim_matches(['"', '\'']);
    let head = s.get(..10).map(|head| (head, 2..=2));
    let date_part = s.split([' ', 'T']).next().map(|part| (part, 1..=2));
    for (candidate, digits) in head.into_iter().chain(date_part) {
        for sep in ['-', '/', '.'] {
            if let Some(parts) = split(candidate, sep, digits.clone()) {
                return from_parts(parts);
            }
        }
    }
    Err(DateError::Malformed)
}

/// `date` itself when sosik accepts it.
pub fn check(date: NaiveDate) -> Result<NaiveDate, DateError> {
    if (MIN_DATE..=MAX_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange(date))
    }
}

/// Year, month and day of `y{sep}m{sep}d`: a four-digit year, months and days of `digits` digits.
fn split(s: &str, sep: char, digits: std::ops::RangeInclusive<usize>) -> Option<(u32, u32, u32)> {
    let number = |part: &str, len: &std::ops::RangeInclusive<usize>| {
        (len.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
    };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((number(y, &(4..=4))?, number(m, &digits)?, number(d, &digits)?))
}

fn from_parts((year, month, day): (u32, u32, u32)) -> Result<NaiveDate, DateError> {
    // a four-digit year fits an i32
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(DateError::NoSuchDay).and_then(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_range_is_1990_to_2100_inclusive() {
        assert_eq!(parse("1990-01-01"), Ok(d(1990, 1, 1)));
        assert_eq!(parse("2100-12-31"), Ok(d(2100, 12, 31)));
        assert_eq!(parse("1989-12-31"), Err(DateError::OutOfRange(d(1989, 12, 31))));
        assert_eq!(parse("2101-01-01"), Err(DateError::OutOfRange(d(2101, 1, 1))));
        assert_eq!(parse("0206-01-01"), Err(DateError::OutOfRange(d(206, 1, 1))));
        assert_eq!(DateError::OutOfRange(d(206, 1, 1)).to_string(), "must be a date between 1990-01-01 and 2100-12-31");
    }

    #[test]
    fn only_four_digit_years_and_the_exact_shape() {
        for s in [
            "-262143-01-01",
            "+262142-12-31",
            "+2026-01-01",
            "-2026-01-01",
            "02026-01-01",
            "262142-12-31",
            "26-01-01",
            "2026-1-1",
            "2026-01-1",
            "2026/01/13",
            "2026-01-13 ",
            " 2026-01-13",
            "2026-01-13T00:00",
            "2026-01--1",
            "2026-+1-01",
            "２０２６-01-01",
            "",
            "yesterday",
        ] {
            assert_eq!(parse(s), Err(DateError::Malformed), "{s:?}");
        }
        assert_eq!(parse("2026-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(parse("2026-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse("2026-00-10"), Err(DateError::NoSuchDay));
        assert_eq!(parse("2028-02-29"), Ok(d(2028, 2, 29)));
    }

    #[test]
    fn post_dates_in_every_seen_format_and_only_four_digit_years() {
        let day = d(2026, 1, 13);
        for s in [
            "2026-01-13 09:44:23 +0900",
            "2026-01-13T09:44:23+09:00",
            "2026-01-13",
            "'2026-01-13'",
            "2026/01/13",
            "2026.01.13",
            "2026-1-13 10:00",
            "2026-01-13 09:44 +09:00",
            "'2026-01-13 01:12:54 '",
            "\"2026-01-13 09:44:23 +0900\"",
        ] {
            assert_eq!(parse_post_date(s), Ok(day), "{s}");
        }
        assert_eq!(parse_post_date("2026-1-5"), Ok(d(2026, 1, 5)));
        // anything may follow a full date (as before: a time, a zone, a stray character)
        assert_eq!(parse_post_date("2026-01-13x"), Ok(day));
        for s in ["yesterday", "-262143-01-01", "+262142-12-31 10:00", "20260-01-13", "2026-01"] {
            assert_eq!(parse_post_date(s), Err(DateError::Malformed), "{s}");
        }
        assert_eq!(parse_post_date("0206-01-01"), Err(DateError::OutOfRange(d(206, 1, 1))));
        assert_eq!(parse_post_date("2101-1-1 10:00"), Err(DateError::OutOfRange(d(2101, 1, 1))));
        assert_eq!(parse_post_date("2026/02/30"), Err(DateError::NoSuchDay));
    }
}
