//! Timestamps are stored as UTC milliseconds and sent as RFC 3339; the server reads the time
//! from one clock.
//!
//! The clock is the wall clock, except for a server an API test builds with `Clock::driven`:
//! then the test moves it (`advance`), and a step due in three days is due the moment the test
//! says three days have passed, with no waiting. Each server's clock travels with its work (every
//! request, every background task it starts, through `spawn`), so tests running side by side in
//! one process each keep their own time.

use api::Timestamp;
use chrono::{TimeZone, Utc};
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Where a server reads the time.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The wall clock.
    pub fn wall() -> Self {
        Clock(None)
    }

    /// A clock that stands at `ms` until it is moved.
    pub fn driven(ms: i64) -> Self {
        Clock(Some(Arc::new(AtomicI64::new(ms))))
    }

    pub fn is_driven(&self) -> bool {
        self.0.is_some()
    }

    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Some(at) => at.load(Ordering::SeqCst),
            None => Utc::now().timestamp_millis(),
        }
    }

    /// Moves a driven clock on; the wall clock moves by itself.
    pub fn advance(&self, by: std::time::Duration) {
        if let Some(at) = &self.0 {
            let by =
                i64::try_from(by.as_millis()).expect("a test moves the clock by less than an age");
            at.fetch_add(by, Ordering::SeqCst);
        }
    }

    /// Runs `work` reading this clock.
    pub fn run<F: Future>(&self, work: F) -> impl Future<Output = F::Output> {
        CLOCK.scope(self.clone(), work)
    }
}

tokio::task_local! {
    static CLOCK: Clock;
}

/// The clock of the work running now (the wall clock outside any server's work).
pub fn clock() -> Clock {
    CLOCK.try_with(Clock::clone).unwrap_or_default()
}

pub fn now_ms() -> i64 {
    CLOCK
        .try_with(Clock::now_ms)
        .unwrap_or_else(|_| Utc::now().timestamp_millis())
}

/// `tokio::spawn`, the task reading the clock of the work that starts it.
pub fn spawn<F>(work: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(clock().run(work))
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

    #[tokio::test]
    async fn work_reads_its_own_servers_clock_and_what_it_spawns_too() {
        let driven = Clock::driven(1_000);
        let (now, spawned) = driven
            .run(async {
                let spawned = spawn(async { now_ms() }).await.unwrap();
                (now_ms(), spawned)
            })
            .await;
        assert_eq!((now, spawned), (1_000, 1_000));
        driven.advance(std::time::Duration::from_secs(3 * 86_400));
        assert_eq!(driven.run(async { now_ms() }).await, 1_000 + 3 * 86_400_000);
        // Outside it, the wall clock.
        assert!(now_ms() > 1_700_000_000_000);
        assert!(!Clock::wall().is_driven());
    }

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
