//! Date expressions in a query: `2026년 4월 12일`, `4월 둘째 주`, `지난주`, `3월`, `올해 상반기`,
//! `최근 7일`, `2026-04-12`, `4월 말`, and ranges of two (`3월부터 5월까지`, `2026.3.1~2026.3.15`)
//! become an inclusive date range, and the rest of the query is searched within it. A range may
//! also be written around the events that open and close it (`2026년 4월 상장 신청부터 5월 공모가
//! 확정까지`), and a phrase that opens a course of events (`2026년 2월 정책 수정부터 …`, `7월 제소
//! 이후`) with no phrase closing it runs to today.
//!
//! Written by hand: no maintained crate reads Korean calendar phrases (chrono-english and
//! dateparser read English only). One regular expression finds a phrase; the code around it
//! checks that the phrase stands alone (`3월호`, `2026년형` are words, not dates) and turns it
//! into days relative to a reference date, "today".
//!
//! Conventions (also in the README):
//! - A phrase without a year means the latest such period that has begun by today: on
//!   2026-02-10, `3월` is March 2025 and `2월` is February 2026.
//! - Weeks run Monday to Sunday. The n-th week of a month (`4월 둘째 주`, `4월 2주차`) is the
//!   week holding the month's n-th Thursday, so every week belongs to exactly one month (the
//!   rule of ISO 8601 weeks, which Korean calendars follow); `마지막 주` holds the last Thursday.
//! - `최근 N일` / `최근 N주` / `최근 N개월` (also `지난 N주`, `지난 N개월`) end today. `지난 N일` is
//!   left alone: in Korean news it usually means "on the N-th".
//! - Only years in sosik's date range (1990–2100) are dates; `3000년` stays text.
//! - A month's 초 / 중순 / 말 (also 초순, 하순) are its days 1–10, 11–20 and 21 to the end; a
//!   year's 초 / 말 its first and last quarter.
//! - Around events: after the first phrase, a word ending in 부터 (or the word 이후, 이래, 후 or
//!   뒤) in the same clause — before any `,`, `:`, `;`, `.`, `?`, `!` — opens a range. A second
//!   phrase after it, followed in its own clause by a word ending in 까지, closes it; without
//!   one, the range runs to today. The words between stay in the searched query.

use std::sync::LazyLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::{Captures, Regex};
use sosik_corpus::dates::{MAX_DATE, MIN_DATE};

/// A date range read from a query, and the query without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryDates {
    /// The phrase as the query wrote it (`4월 둘째 주`), without a trailing particle.
    pub expression: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The query with the phrase (and its particle) taken out, spaces collapsed; may be empty.
    pub rest: String,
}

/// One phrase: alternatives in the order the regex tries them. Digits are ASCII only (the
/// query arrives NFKC-normalised, which turns full-width digits into ASCII).
static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<iy>[0-9]{4})[-./](?P<im>[0-9]{1,2})(?:[-./](?P<id>[0-9]{1,2}))?
      | (?P<recent>최근|지난)\s*(?P<n>[0-9]{1,3})\s*(?P<unit>일|주|주일|개월|달)
      | (?P<drel>오늘|어제|그제|그저께)
      | (?P<wrel>이번\s*주|금주|지지난\s*주|지난\s*주|저번\s*주)
      | (?P<mrel>이번\s*달|이달|지난\s*달|저번\s*달)
      | (?:(?P<y>[0-9]{4})\s*년|(?P<yrel>올해|금년|재작년|작년|지난\s*해|내년))?\s*
        (?:
          (?P<m>[0-9]{1,2})\s*월
          (?:\s*(?P<d>[0-9]{1,2})\s*일
           | \s*(?P<wk>첫째|첫|둘째|셋째|넷째|다섯째|마지막|[1-5])\s*(?:째\s*)?주\s*(?:차)?)?
        | (?P<half>상반기|하반기)
        | (?P<q>[1-4])\s*분기
        )?
    ",
    )
    .expect("the date phrase pattern compiles")
});

/// Joins two phrases into a range: `A부터 B까지`, `A ~ B`, `A - B`.
static RANGE_JOIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:부터|에서|~|∼|〜|–|—|-)\s*").expect("the range pattern compiles"));

/// Particles that may follow a phrase and go with it (`3월에`, `지난주의`, `5월까지`).
const PARTICLES: [&str; 8] = ["에는", "에서", "부터", "까지", "에", "의", "엔", "쯤"];

/// Reads the first date phrase of `q` (or a range of two) relative to `today`. `None` when the
/// query holds no phrase that stands alone, or every phrase names days sosik cannot hold.
pub fn extract(q: &str, today: NaiveDate) -> Option<QueryDates> {
    let Phrase { start, end, from, to } = next_phrase(q, 0, today, None)?;
    let (mut end, (from, mut to)) = part_of(q, end, from, to);
    // the phrases to take out of the query: this one, and the one that closes a range
    let mut cut = vec![(start, end)];
    let mut expression = q[start..end].trim().to_string();
    // a second phrase joined to this one makes a range; without a year, it takes this one's
    let joined = RANGE_JOIN.find(&q[end..]).and_then(|join| {
        let second_at = end + join.end();
        next_phrase(q, second_at, today, Some(from)).filter(|p| p.start == second_at && p.to >= from)
    });
    if let Some(second) = joined {
        let (second_end, (_, second_to)) = part_of(q, second.end, second.from, second.to);
        (to, end) = (second_to, second_end);
        cut = vec![(start, end)];
        expression = q[start..end].trim().to_string();
    } else if let Some(opened) = opens_range(q, end) {
        // `A … 부터 B … 까지` closes at B; `A … 부터` alone runs to today
        let closing = next_phrase(q, opened, today, Some(from))
            .map(|p| {
                let (end, (_, to)) = part_of(q, p.end, p.from, p.to);
                (p.start, end, to)
            })
            .filter(|&(_, end, b_to)| b_to >= from && closes_range(q, end));
        match closing {
            Some((b_start, b_end, b_to)) => {
                to = b_to;
                expression = format!("{} ~ {}", q[start..end].trim(), q[b_start..b_end].trim());
                cut.push((b_start, b_end));
            }
            None if today >= from => {
                to = today.max(to);
                expression = format!("{} 이후", q[start..end].trim());
            }
            None => {}
        }
    }
    let mut rest = q[..cut[0].0].to_string();
    for (i, &(_, cut_end)) in cut.iter().enumerate() {
        let next = cut.get(i + 1).map_or(q.len(), |c| c.0);
        rest.push(' ');
        rest.push_str(strip_particle(&q[cut_end..next]));
    }
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(QueryDates { expression, from, to, rest })
}

/// Characters that end a clause: a range is read only within one clause.
const CLAUSE_END: [char; 6] = [',', ':', ';', '.', '?', '!'];

/// The words of `q` from byte `at` to the end of the clause, each with the byte where it ends
/// (the first may be glued to what precedes `at`: a particle).
fn clause_words(q: &str, at: usize) -> impl Iterator<Item = (&str, usize)> {
    let tail = &q[at..];
    let clause = tail.find(CLAUSE_END).map_or(tail, |i| &tail[..i]);
    let mut words = Vec::new();
    let mut start = None;
    // a space after the clause ends its last word
    for (i, c) in clause.char_indices().chain(std::iter::once((clause.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push((&clause[s..i], at + i));
                start = None;
            }
            _ => {}
        }
    }
    words.into_iter()
}

/// Where the word that opens a range ends, when one follows the phrase ending at `end` in its
/// clause: a word ending in 부터, or 이후 / 이래 / 후 / 뒤 (with a particle).
fn opens_range(q: &str, end: usize) -> Option<usize> {
    const SINCE: [&str; 10] = ["이후", "이후로", "이후의", "이래", "이래로", "후", "후의", "후로", "뒤", "뒤의"];
    clause_words(q, end).find(|(w, _)| w.ends_with("부터") || SINCE.contains(w)).map(|(_, at)| at)
}

/// Whether a word ending in 까지 follows the phrase ending at `end` in its clause.
fn closes_range(q: &str, end: usize) -> bool {
    clause_words(q, end).any(|(w, _)| w.ends_with("까지"))
}

/// A whole month or year narrowed to the part the word after it names (`4월 말`, `2025년 초`):
/// the new end of the phrase and its days; the phrase as it was otherwise.
fn part_of(q: &str, end: usize, from: NaiveDate, to: NaiveDate) -> (usize, (NaiveDate, NaiveDate)) {
    let unchanged = (end, (from, to));
    let whole_month = from.day() == 1 && to.month() == from.month() && to.succ_opt().is_none_or(|d| d.day() == 1);
    let whole_year = from.ordinal() == 1 && to.year() == from.year() && to.month() == 12 && to.day() == 31;
    if !(whole_month || whole_year) {
        return unchanged;
    }
    let tail = &q[end..];
    let word_at = tail.len() - tail.trim_start().len();
    if word_at == 0 {
        return unchanged; // the part is a word of its own (`4월말` is not read)
    }
    let word = tail[word_at..].split_whitespace().next().unwrap_or("");
    let (part, rest) = match ["초순", "중순", "하순", "초", "말"].into_iter().find(|p| word.starts_with(p)) {
        Some(p) => (p, &word[p.len()..]),
        None => return unchanged,
    };
    // the part stands alone or takes a particle (`4월 말에`, `4월 말부터`)
    if !(rest.is_empty() || strip_particle(rest).is_empty()) {
        return unchanged;
    }
    let y = from.year();
    let days = if whole_month {
        let m = from.month();
        match part {
            "초" | "초순" => ymd(y, m, 1).zip(ymd(y, m, 10)),
            "중순" => ymd(y, m, 11).zip(ymd(y, m, 20)),
            _ => ymd(y, m, 21).map(|d| (d, to)),
        }
    } else {
        match part {
            "초" => ymd(y, 1, 1).zip(ymd(y, 3, 31)),
            "말" => ymd(y, 10, 1).map(|d| (d, to)),
            _ => None,
        }
    };
    match days {
        Some(days) => (end + word_at + part.len(), days),
        None => unchanged,
    }
}

struct Phrase {
    start: usize,
    end: usize,
    from: NaiveDate,
    to: NaiveDate,
}

/// The first phrase at or after byte `at` that stands alone and names days sosik can hold.
/// `anchor`: the first day of the first phrase of a range, whose year a year-less second
/// phrase takes (`2025년 3월부터 5월까지` is March to May 2025).
fn next_phrase(q: &str, mut at: usize, today: NaiveDate, anchor: Option<NaiveDate>) -> Option<Phrase> {
    while at < q.len() {
        let caps = PHRASE.captures_at(q, at)?;
        let whole = caps.get(0).expect("group 0 is the match");
        // The year-and-period branch may match nothing (all its parts are optional) or only
        // spaces; trailing spaces are not part of the phrase. Every candidate start is tried
        // in turn, so a rejected `2026년형` does not hide a later phrase.
        let (start, end) = (whole.start(), whole.start() + whole.as_str().trim_end().len());
        if end > start && stands_alone(q, start, end) {
            if let Some((from, to)) = resolve(&caps, today, anchor) {
                let (from, to) = (from.max(MIN_DATE), to.min(MAX_DATE));
                if from <= to {
                    return Some(Phrase { start, end, from, to });
                }
            }
        }
        at = start + q[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// No letter or digit glued to either side, except a particle after it.
fn stands_alone(q: &str, start: usize, end: usize) -> bool {
    let glued = |c: char| c.is_alphanumeric();
    if q[..start].chars().next_back().is_some_and(glued) {
        return false;
    }
    let after = &q[end..];
    !after.chars().next().is_some_and(glued) || strip_particle(after).len() < after.len()
}

/// `tail` without a particle that starts it and stands alone.
fn strip_particle(tail: &str) -> &str {
    PARTICLES
        .iter()
        .find_map(|p| tail.strip_prefix(p).filter(|rest| !rest.chars().next().is_some_and(char::is_alphanumeric)))
        .unwrap_or(tail)
}

fn num(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_span(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = ymd(y, m, 1)?;
    Some((first, first.checked_add_months(Months::new(1))?.pred_opt()?))
}

fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
    (monday, monday + Days::new(6))
}

/// The week (Monday to Sunday) holding the n-th Thursday of the month, n = 0 for the last.
fn nth_week(y: i32, m: u32, n: u32) -> Option<(NaiveDate, NaiveDate)> {
    let (first, last) = month_span(y, m)?;
    let thursday = if n == 0 {
        let back = (7 + last.weekday().num_days_from_monday() - Weekday::Thu.num_days_from_monday()) % 7;
        last - Days::new(u64::from(back))
    } else {
        let ahead = (7 + Weekday::Thu.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
        let t = first + Days::new(u64::from(ahead + 7 * (n - 1)));
        if t.month() != m {
            return None; // no fifth Thursday this month
        }
        t
    };
    Some(week_of(thursday))
}

/// The days a matched phrase names.
fn resolve(caps: &Captures, today: NaiveDate, anchor: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(y) = num(caps, "iy") {
        let m = num(caps, "im")?;
        return match num(caps, "id") {
            Some(d) => ymd(y as i32, m, d).map(|d| (d, d)),
            None => month_span(y as i32, m),
        };
    }
    if caps.name("recent").is_some() {
        let n = num(caps, "n")?.max(1);
        let unit = caps.name("unit")?.as_str();
        if caps["recent"].starts_with("지난") && unit == "일" {
            return None; // `지난 3일` is "on the 3rd" in news Korean
        }
        let from = match unit {
            "일" => today.checked_sub_days(Days::new(u64::from(n - 1)))?,
            "주" | "주일" => today.checked_sub_days(Days::new(u64::from(7 * n - 1)))?,
            _ => today.checked_sub_months(Months::new(n))?.succ_opt()?,
        };
        return Some((from, today));
    }
    if let Some(word) = caps.name("drel") {
        let back = match word.as_str() {
            "오늘" => 0,
            "어제" => 1,
            _ => 2,
        };
        let day = today.checked_sub_days(Days::new(back))?;
        return Some((day, day));
    }
    if let Some(word) = caps.name("wrel") {
        let word: String = word.as_str().split_whitespace().collect();
        let back = match word.as_str() {
            "이번주" | "금주" => 0,
            "지지난주" => 2,
            _ => 1,
        };
        return Some(week_of(today.checked_sub_days(Days::new(7 * back))?));
    }
    if let Some(word) = caps.name("mrel") {
        let word: String = word.as_str().split_whitespace().collect();
        let first = ymd(today.year(), today.month(), 1)?;
        let first = if matches!(word.as_str(), "이번달" | "이달") {
            first
        } else {
            first.checked_sub_months(Months::new(1))?
        };
        return month_span(first.year(), first.month());
    }
    let year = if let Some(y) = num(caps, "y") {
        Some(y as i32)
    } else if let Some(word) = caps.name("yrel") {
        let word: String = word.as_str().split_whitespace().collect();
        Some(match word.as_str() {
            "올해" | "금년" => today.year(),
            "작년" | "지난해" => today.year() - 1,
            "재작년" => today.year() - 2,
            _ => today.year() + 1,
        })
    } else {
        anchor.map(|a| a.year())
    };
    // The period within a year; `None` for the whole year.
    let period = |y: i32| -> Option<Option<(NaiveDate, NaiveDate)>> {
        if let Some(m) = num(caps, "m") {
            if let Some(d) = num(caps, "d") {
                return ymd(y, m, d).map(|d| Some((d, d)));
            }
            if let Some(wk) = caps.name("wk") {
                let n = match wk.as_str() {
                    "첫" | "첫째" | "1" => 1,
                    "둘째" | "2" => 2,
                    "셋째" | "3" => 3,
                    "넷째" | "4" => 4,
                    "다섯째" | "5" => 5,
                    _ => 0,
                };
                return nth_week(y, m, n).map(Some);
            }
            return month_span(y, m).map(Some);
        }
        if let Some(half) = caps.name("half") {
            let first = if half.as_str() == "상반기" { 1 } else { 7 };
            return Some(Some((ymd(y, first, 1)?, month_span(y, first + 5)?.1)));
        }
        if let Some(q) = num(caps, "q") {
            let first = 3 * q - 2;
            return Some(Some((ymd(y, first, 1)?, month_span(y, first + 2)?.1)));
        }
        Some(None)
    };
    match year {
        Some(y) if caps.name("y").is_some() || caps.name("yrel").is_some() => {
            if !(MIN_DATE.year()..=MAX_DATE.year()).contains(&y) {
                return None;
            }
            Some(period(y)?.unwrap_or((ymd(y, 1, 1)?, ymd(y, 12, 31)?)))
        }
        Some(y) => {
            // a year-less second phrase of a range: the first one's year, or the next year
            // when that would end the range before it began (`2025년 11월부터 2월까지`)
            let anchor = anchor?;
            let span = period(y)??;
            if span.1 >= anchor {
                Some(span)
            } else {
                period(y + 1)?
            }
        }
        None => {
            // no year: the latest such period that has begun by today
            let span = period(today.year())??;
            if span.0 <= today {
                Some(span)
            } else {
                period(today.year() - 1)?
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 2026-12-05 is a Saturday.
    fn today() -> NaiveDate {
        d(2026, 12, 5)
    }

    fn read(q: &str) -> Option<(String, NaiveDate, NaiveDate, String)> {
        extract(q, today()).map(|x| (x.expression, x.from, x.to, x.rest))
    }

    fn range(q: &str) -> (NaiveDate, NaiveDate) {
        let x = extract(q, today()).unwrap_or_else(|| panic!("no date in {q:?}"));
        (x.from, x.to)
    }

    #[test]
    fn absolute_days_months_years() {
        assert_eq!(
            read("2026년 4월 12일 오픈AI 발표"),
            Some(("2026년 4월 12일".into(), d(2026, 4, 12), d(2026, 4, 12), "오픈AI 발표".into()))
        );
        assert_eq!(range("2026년4월12일"), (d(2026, 4, 12), d(2026, 4, 12)));
        assert_eq!(range("2025년 3월 엔비디아"), (d(2025, 3, 1), d(2025, 3, 31)));
        assert_eq!(range("2024년 앤트로픽"), (d(2024, 1, 1), d(2024, 12, 31)));
        assert_eq!(range("2026-04-12"), (d(2026, 4, 12), d(2026, 4, 12)));
        assert_eq!(range("2026.4.12 발표"), (d(2026, 4, 12), d(2026, 4, 12)));
        assert_eq!(range("2026-02 반도체"), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(range("2028년 2월"), (d(2028, 2, 1), d(2028, 2, 29)));
    }

    #[test]
    fn a_phrase_without_a_year_is_the_latest_that_has_begun() {
        assert_eq!(range("3월 구글"), (d(2026, 3, 1), d(2026, 3, 31)));
        assert_eq!(range("12월"), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(range("12월 6일"), (d(2025, 12, 6), d(2025, 12, 6)));
        assert_eq!(range("12월 5일"), (d(2026, 12, 5), d(2026, 12, 5)));
        let feb = d(2026, 2, 10);
        assert_eq!(extract("3월", feb).map(|x| (x.from, x.to)), Some((d(2025, 3, 1), d(2025, 3, 31))));
        assert_eq!(extract("하반기", feb).map(|x| (x.from, x.to)), Some((d(2025, 7, 1), d(2025, 12, 31))));
    }

    #[test]
    fn weeks_of_a_month_hold_its_thursdays() {
        // April 2026 begins on a Wednesday: its first Thursday is the 2nd
        assert_eq!(range("4월 첫째 주"), (d(2026, 3, 30), d(2026, 4, 5)));
        assert_eq!(range("4월 둘째 주 딥시크"), (d(2026, 4, 6), d(2026, 4, 12)));
        assert_eq!(range("4월 2주차"), (d(2026, 4, 6), d(2026, 4, 12)));
        assert_eq!(range("4월 둘째주"), (d(2026, 4, 6), d(2026, 4, 12)));
        assert_eq!(range("2026년 4월 마지막 주"), (d(2026, 4, 27), d(2026, 5, 3)));
        // April 2026 has five Thursdays, February 2026 four
        assert_eq!(range("4월 다섯째 주"), (d(2026, 4, 27), d(2026, 5, 3)));
        assert_eq!(read("2026년 2월 다섯째 주"), None);
    }

    #[test]
    fn relative_phrases() {
        assert_eq!(range("오늘"), (today(), today()));
        assert_eq!(range("어제 뉴스"), (d(2026, 12, 4), d(2026, 12, 4)));
        assert_eq!(range("이번 주"), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(range("지난주 엔비디아"), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(range("지난 주"), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(range("지지난주"), (d(2026, 11, 16), d(2026, 11, 22)));
        assert_eq!(range("이번 달"), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(range("지난달"), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(range("올해 상반기"), (d(2026, 1, 1), d(2026, 6, 30)));
        assert_eq!(range("작년 3분기"), (d(2025, 7, 1), d(2025, 9, 30)));
        assert_eq!(range("지난해"), (d(2025, 1, 1), d(2025, 12, 31)));
        assert_eq!(range("최근 7일"), (d(2026, 11, 29), today()));
        assert_eq!(range("최근 2주"), (d(2026, 11, 22), today()));
        assert_eq!(range("지난 3개월"), (d(2026, 9, 6), today()));
        // "지난 3일" means "on the 3rd" in news Korean: left as text
        assert_eq!(read("지난 3일 발표"), None);
    }

    #[test]
    fn ranges_of_two_phrases() {
        assert_eq!(range("3월부터 5월까지 HBM"), (d(2026, 3, 1), d(2026, 5, 31)));
        assert_eq!(range("2025년 3월~5월"), (d(2025, 3, 1), d(2025, 5, 31)));
        assert_eq!(range("2025년 11월부터 2월까지"), (d(2025, 11, 1), d(2026, 2, 28)));
        assert_eq!(range("2026-03-01 ~ 2026-03-15"), (d(2026, 3, 1), d(2026, 3, 15)));
        let x = extract("3월부터 5월까지 HBM 가격", today()).unwrap();
        assert_eq!((x.expression.as_str(), x.rest.as_str()), ("3월부터 5월", "HBM 가격"));
        // a second phrase that ends before the first began is not a range
        assert_eq!(range("2026년 5월 - 2025년 3월"), (d(2026, 5, 1), d(2026, 5, 31)));
    }

    #[test]
    fn parts_of_a_month_or_year() {
        assert_eq!(range("4월 초 엔비디아"), (d(2026, 4, 1), d(2026, 4, 10)));
        assert_eq!(range("4월 중순"), (d(2026, 4, 11), d(2026, 4, 20)));
        assert_eq!(range("2026년 2월 말에"), (d(2026, 2, 21), d(2026, 2, 28)));
        assert_eq!(range("2025년 말 인수"), (d(2025, 10, 1), d(2025, 12, 31)));
        assert_eq!(range("2025년 초"), (d(2025, 1, 1), d(2025, 3, 31)));
        let x = extract("4월 말 공개된 취약점", today()).unwrap();
        assert_eq!((x.expression.as_str(), x.rest.as_str()), ("4월 말", "공개된 취약점"));
        // a word that only begins like a part is a word
        let x = extract("4월 말레이시아 데이터센터", today()).unwrap();
        assert_eq!((x.from, x.to, x.rest.as_str()), (d(2026, 4, 1), d(2026, 4, 30), "말레이시아 데이터센터"));
        assert_eq!(range("4월 초거대 모델"), (d(2026, 4, 1), d(2026, 4, 30)));
        // a day or a week has no parts
        assert_eq!(extract("4월 12일 말", today()).unwrap().rest, "말");
    }

    #[test]
    fn ranges_written_around_events() {
        let x = extract("세레브라스 상장 과정: 2026년 4월 상장 신청부터 5월 공모가 확정까지", today()).unwrap();
        assert_eq!((x.from, x.to), (d(2026, 4, 1), d(2026, 5, 31)));
        assert_eq!(x.expression, "2026년 4월 ~ 5월");
        assert_eq!(x.rest, "세레브라스 상장 과정: 상장 신청부터 공모가 확정까지");
        // the closing phrase takes the opening one's year, or the next
        assert_eq!(range("2025년 11월 발표부터 2월 출시까지"), (d(2025, 11, 1), d(2026, 2, 28)));
        assert_eq!(range("2025년 말 인수 발표부터 3월 분리까지"), (d(2025, 10, 1), d(2026, 3, 31)));
        // no closing phrase: to today
        let x = extract("2026년 2월 안전 서약 수정부터 여름 개정까지", today()).unwrap();
        assert_eq!((x.from, x.to, x.expression.as_str()), (d(2026, 2, 1), today(), "2026년 2월 이후"));
        assert_eq!(x.rest, "안전 서약 수정부터 여름 개정까지");
        assert_eq!(range("2026년 7월 애플이 오픈AI를 제소한 뒤 이어진 공방"), (d(2026, 7, 1), today()));
        assert_eq!(range("3월 출시 이후 반응"), (d(2026, 3, 1), today()));
        assert_eq!(range("1월부터 이어진 HBM 공급난"), (d(2026, 1, 1), today()));
        // a phrase that closes nothing (no 까지) does not close the range
        assert_eq!(range("2026년 1월 출시부터 3월 실적 발표"), (d(2026, 1, 1), today()));
        // only within the clause: a 부터 after a colon belongs to another phrase
        assert_eq!(range("2026년 8월 오픈AI 경과: 성과 공개부터 개발 중단까지"), (d(2026, 8, 1), d(2026, 8, 31)));
        // a range that would run backwards is not one
        assert_eq!(range("2026년 5월 출시부터 2025년 3월 리콜까지"), (d(2026, 5, 1), today()));
        // words that merely contain the markers stay a single phrase
        assert_eq!(range("2026년 3월 전후 사정"), (d(2026, 3, 1), d(2026, 3, 31)));
        assert_eq!(range("2026년 3월 후보 모델"), (d(2026, 3, 1), d(2026, 3, 31)));
    }

    #[test]
    fn particles_go_with_the_phrase_and_words_stay_words() {
        let x = extract("3월에 나온 GPT-5 소식", today()).unwrap();
        assert_eq!((x.expression.as_str(), x.rest.as_str()), ("3월", "나온 GPT-5 소식"));
        assert_eq!(extract("지난주의 앤트로픽", today()).unwrap().rest, "앤트로픽");
        for words in [
            "3월호 특집",
            "2026년형 갤럭시",
            "GPT-5 출시 3일 만에",
            "엔비디아 H200 중국 수출",
            "3000년 미래",
            "13월의 월급",
            "최근 AI 동향",
            "Claude 4.5 Sonnet",
            "2월 30일",
        ] {
            assert_eq!(read(words), None, "{words}");
        }
        // a date may also come after the words it qualifies
        assert_eq!(extract("오픈AI 2025년 12월", today()).unwrap().rest, "오픈AI");
    }

    #[test]
    fn extreme_and_malformed_numbers_never_panic_and_stay_in_range() {
        let years = ["", "0000년 ", "1989년 ", "1990년 ", "2100년 ", "2101년 ", "9999년 ", "올해 ", "내년 "];
        let months = ["", "0월", "1월", "2월", "12월", "13월", "99월", "상반기", "0분기", "4분기"];
        let tails = ["", " 0일", " 1일", " 29일", " 31일", " 32일", " 99일", " 첫째 주", " 5주차", " 마지막 주"];
        let joins = ["", "부터 12월까지", "~", " - 2100-12-31", "~1990.1.1"];
        let far = [d(1990, 1, 1), d(2100, 12, 31), today()];
        let mut read = 0;
        for y in years {
            for m in months {
                for t in tails {
                    for j in joins {
                        let q = format!("{y}{m}{t}{j} 엔비디아");
                        for day in far {
                            if let Some(x) = extract(&q, day) {
                                assert!(MIN_DATE <= x.from && x.from <= x.to && x.to <= MAX_DATE, "{q}: {x:?}");
                                assert!(x.rest.contains("엔비디아"), "{q}: {x:?}");
                                read += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(read > 1000, "only {read} phrases read");
        for q in
            ["최근 999개월", "최근 0일", "2026-99-99", "9999-12-31", "1990-01-01~2100-12-31", "년 월 일", "~~~", ""]
        {
            if let Some(x) = extract(q, d(1990, 1, 1)) {
                assert!(MIN_DATE <= x.from && x.from <= x.to && x.to <= MAX_DATE, "{q}: {x:?}");
            }
        }
    }

    #[test]
    fn every_phrase_the_docs_list_is_read_whole() {
        for phrase in [
            "2026년 4월 12일",
            "2026-04-12",
            "2026.4.12",
            "2026년 3월",
            "2026-03",
            "2025년",
            "3월",
            "4월 12일",
            "4월 둘째 주",
            "4월 2주차",
            "4월 마지막 주",
            "올해 상반기",
            "작년 3분기",
            "오늘",
            "어제",
            "이번 주",
            "지난주",
            "지지난주",
            "이번 달",
            "지난달",
            "최근 7일",
            "최근 2주",
            "지난 3개월",
            "3월부터 5월",
            "2026.3.1~2026.3.15",
        ] {
            let x = extract(&format!("{phrase} 오픈AI"), today()).unwrap_or_else(|| panic!("{phrase} not read"));
            assert_eq!((x.expression.as_str(), x.rest.as_str()), (phrase, "오픈AI"));
        }
    }
}
