//! Calendar dates as the API writes them (`YYYY-MM-DD`): bucket arithmetic for the charts and
//! Korean labels. Proleptic Gregorian days, no time zones (the API's dates are already local days).

use sosik_types::Interval;

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    /// `2026-03-02` → a date; `None` for anything else (wrong shape or no such day).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.get(..10)?;
        let mut parts = s.splitn(3, '-');
        let y = parts.next()?.parse::<i32>().ok()?;
        let m = parts.next()?.parse::<u32>().ok()?;
        let d = parts.next()?.parse::<u32>().ok()?;
        ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some(Date { y, m, d })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Date { y, m, d }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// The same day `n` months later, clamped to the month's end.
    pub fn add_months(self, n: i32) -> Date {
        let total = self.y * 12 + self.m as i32 - 1 + n;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Date { y, m, d: self.d.min(days_in_month(y, m)) }
    }

    /// The first day of the `i`-th bucket of a series starting on `self`.
    pub fn bucket(self, interval: Interval, i: usize) -> Date {
        match interval {
            Interval::Day => self.add_days(i as i64),
            Interval::Week => self.add_days(7 * i as i64),
            Interval::Month => self.add_months(i as i32),
        }
    }

    /// The first day of the bucket `self` falls in (weeks start on Monday).
    pub fn bucket_start(self, interval: Interval) -> Date {
        match interval {
            Interval::Day => self,
            // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
            Interval::Week => self.add_days(-(self.days() + 3).rem_euclid(7)),
            Interval::Month => Date { d: 1, ..self },
        }
    }

    /// The last day of the bucket that starts on `self`.
    pub fn bucket_end(self, interval: Interval) -> Date {
        self.bucket(interval, 1).add_days(-1)
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2026-11-21` → `2026년 11월 21일`; anything else is shown as it is.
pub fn korean_date(date: &str) -> String {
    let mut parts = date.splitn(3, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => format!("{y}년 {m}월 {d}일"),
        _ => date.to_owned(),
    }
}

/// `2026-02` → `2026년 2월`; anything else is shown as it is.
pub fn korean_month(month: &str) -> String {
    let mut parts = month.splitn(2, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m))) => format!("{y}년 {m}월"),
        _ => month.to_owned(),
    }
}

/// `2026-02` → (`2026-02-01`, `2026-02-28`): the first and last day of a month facet's value;
/// two empty strings for anything else.
pub fn month_range(month: &str) -> (String, String) {
    let mut parts = month.splitn(2, '-');
    let y = parts.next().and_then(|y| y.parse::<i32>().ok());
    let m = parts.next().and_then(|m| m.parse::<u32>().ok());
    match (y, m) {
        (Some(y), Some(m)) if (1..=12).contains(&m) => {
            (format!("{y:04}-{m:02}-01"), format!("{y:04}-{m:02}-{:02}", days_in_month(y, m)))
        }
        _ => (String::new(), String::new()),
    }
}

/// A bucket as a reader names it: `2026년 3월 2일` (day), `2026년 3월 2일 주` (week), `2026년 3월` (month).
pub fn bucket_label(start: &str, interval: Interval) -> String {
    match Date::parse(start) {
        Some(Date { y, m, d }) => match interval {
            Interval::Day => format!("{y}년 {m}월 {d}일"),
            Interval::Week => format!("{y}년 {m}월 {d}일 주"),
            Interval::Month => format!("{y}년 {m}월"),
        },
        None => start.to_owned(),
    }
}

/// `2026-03-02`..`2026-03-08` → `2026년 3월 2일 ~ 3월 8일` (the year once when it does not change).
pub fn range_label(from: &str, to: &str) -> String {
    match (Date::parse(from), Date::parse(to)) {
        (Some(a), Some(b)) if a == b => format!("{}년 {}월 {}일", a.y, a.m, a.d),
        (Some(a), Some(b)) if a.y == b.y => format!("{}년 {}월 {}일 ~ {}월 {}일", a.y, a.m, a.d, b.m, b.d),
        (Some(a), Some(b)) => format!("{}년 {}월 {}일 ~ {}년 {}월 {}일", a.y, a.m, a.d, b.y, b.m, b.d),
        _ => format!("{from} ~ {to}"),
    }
}
