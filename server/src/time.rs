//! Timestamps are stored as UTC milliseconds and sent as RFC 3339.

use api::Timestamp;
use chrono::{TimeZone, Utc};

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn from_ms(ms: i64) -> Timestamp {
    Utc.timestamp_millis_opt(ms)
        .single()
        .expect("stored timestamps are in chrono's range")
}

pub fn from_ms_opt(ms: Option<i64>) -> Option<Timestamp> {
    ms.map(from_ms)
}

/// Where a rep's days begin, in UTC milliseconds: their "today" follows their own time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayBounds {
    pub today: i64,
    pub tomorrow: i64,
    pub day_after: i64,
    /// The end of the seven days after today.
    pub next7_end: i64,
}

/// An IANA zone name, or UTC for one this server does not know.
pub fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// The first instant of a local date. Where a zone skips midnight (DST), the first instant that
/// exists that day.
pub fn start_of_day(tz: chrono_tz::Tz, date: chrono::NaiveDate) -> i64 {
    use chrono::TimeZone;
    (0..=3)
        .find_map(|hour| {
            tz.from_local_datetime(&date.and_hms_opt(hour, 0, 0)?)
                .earliest()
        })
        .map(|at| at.timestamp_millis())
        .expect("every day has an hour among its first four")
}

pub fn day_bounds(time_zone: &str, now_ms: i64) -> DayBounds {
    let tz = zone(time_zone);
    let today = from_ms(now_ms).with_timezone(&tz).date_naive();
    let day = |offset: u64| start_of_day(tz, today + chrono::Days::new(offset));
    DayBounds {
        today: day(0),
        tomorrow: day(1),
        day_after: day(2),
        next7_end: day(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn tokyo_days_start_at_tokyo_midnight() {
        // 2026-11-27 23:59 in Tokyo is 14:59 UTC; its day began at 15:00 UTC the day before.
        let bounds = day_bounds("Asia/Tokyo", utc(2026, 11, 27, 14, 59));
        assert_eq!(bounds.today, utc(2026, 11, 26, 15, 0));
        assert_eq!(bounds.tomorrow, utc(2026, 11, 27, 15, 0));
        // One minute later it is already the next day in Tokyo.
        let bounds = day_bounds("Asia/Tokyo", utc(2026, 11, 27, 15, 0));
        assert_eq!(bounds.today, utc(2026, 11, 27, 15, 0));
    }

    #[test]
    fn days_across_a_dst_change_are_23_or_25_hours() {
        // New York springs forward on 2026-03-08.
        let bounds = day_bounds("America/New_York", utc(2026, 3, 8, 12, 0));
        assert_eq!(bounds.tomorrow - bounds.today, 23 * 3_600_000);
        let bounds = day_bounds("America/New_York", utc(2026, 11, 1, 12, 0));
        assert_eq!(bounds.tomorrow - bounds.today, 25 * 3_600_000);
    }

    #[test]
    fn unknown_zones_are_utc() {
        let bounds = day_bounds("Mars/Olympus", utc(2026, 1, 1, 10, 0));
        assert_eq!(bounds.today, utc(2026, 1, 1, 0, 0));
    }
}
