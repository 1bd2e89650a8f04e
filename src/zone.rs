//! The rep's own time zone (the IANA name in their profile) for every time the app shows or
//! reads, so "9:00 tomorrow" means the rep's 9:00 wherever the browser is. The browser's Intl API
//! does the zone arithmetic, so no time zone database ships in the bundle. Until a rep signs in,
//! the browser's own zone is used.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

const DAY_SECONDS: i64 = 86_400;

struct Zone {
    name: String,
    formatter: Intl::DateTimeFormat,
    /// UTC day number → the zone's offset in seconds throughout that day, or `None` where it
    /// changes that day. Asking Intl costs a trip into JS and back per time shown; a list of
    /// 10,000 emails spans only a few hundred days.
    steady_days: HashMap<i64, Option<i64>>,
}

thread_local! {
    static ZONE: RefCell<Option<Zone>> = const { RefCell::new(None) };
}

/// Uses `name` (e.g. `Asia/Tokyo`) from now on; `None`, or a zone the browser does not know,
/// means the browser's own zone.
pub fn set_zone(name: Option<&str>) {
    let zone = name.and_then(|name| {
        formatter(name).map(|formatter| Zone {
            name: name.to_owned(),
            formatter,
            steady_days: HashMap::new(),
        })
    });
    ZONE.with(|current| *current.borrow_mut() = zone);
}

pub fn zone_name() -> Option<String> {
    ZONE.with(|zone| zone.borrow().as_ref().map(|zone| zone.name.clone()))
}

fn formatter(name: &str) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    for (key, value) in [
        ("timeZone", name),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    // An unknown zone makes the constructor throw: call it through Reflect to catch that.
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args = Array::of2(&Array::of1(&"en-US".into()), &options);
    Reflect::construct(&constructor, &args)
        .ok()?
        .dyn_into()
        .ok()
}

/// The wall-clock time of an instant in the rep's zone.
pub fn to_local(at: DateTime<Utc>) -> NaiveDateTime {
    let browser_local = || at.with_timezone(&Local).naive_local();
    ZONE.with(|zone| match zone.borrow_mut().as_mut() {
        Some(zone) => {
            let day = at.timestamp().div_euclid(DAY_SECONDS);
            let formatter = &zone.formatter;
            let steady = *zone
                .steady_days
                .entry(day)
                .or_insert_with(|| steady_offset(formatter, day));
            match steady {
                Some(seconds) => at.naive_utc() + TimeDelta::seconds(seconds),
                None => fields(formatter, at).unwrap_or_else(browser_local),
            }
        }
        None => browser_local(),
    })
}

/// The zone's offset on UTC day `day`, if the same at its start and at the next day's: zones
/// change their offset at most twice a year, months apart, so then it held all day.
fn steady_offset(formatter: &Intl::DateTimeFormat, day: i64) -> Option<i64> {
    let offset_at = |seconds: i64| {
        let at = DateTime::from_timestamp(seconds, 0)?;
        Some((fields(formatter, at)? - at.naive_utc()).num_seconds())
    };
    let start = day * DAY_SECONDS;
    let offset = offset_at(start)?;
    (offset_at(start + DAY_SECONDS)? == offset).then_some(offset)
}

fn fields(formatter: &Intl::DateTimeFormat, at: DateTime<Utc>) -> Option<NaiveDateTime> {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let parts = formatter.format_to_parts(&date);
    let value = |kind: &str| -> Option<u32> {
        parts.iter().find_map(|part| {
            let part_kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            (part_kind == kind).then(|| {
                Reflect::get(&part, &"value".into())
                    .ok()?
                    .as_string()?
                    .parse()
                    .ok()
            })?
        })
    };
    let date = NaiveDate::from_ymd_opt(value("year")? as i32, value("month")?, value("day")?)?;
    let time = NaiveTime::from_hms_opt(value("hour")?, value("minute")?, value("second")?)?;
    Some(date.and_time(time))
}

/// The instant a wall-clock time in the rep's zone names (the earlier one where clocks repeat an
/// hour; the moment after the gap where they skip one).
pub fn from_local(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    if zone_name().is_none() {
        return Local
            .from_local_datetime(&local)
            .earliest()
            .map(|at| at.with_timezone(&Utc));
    }
    let guess = local.and_utc();
    let offset_at = |at: DateTime<Utc>| to_local(at) - at.naive_utc();
    let first = guess - offset_at(guess);
    let second = guess - offset_at(first);
    // Where the two offsets disagree the earlier reading is the one that round-trips.
    [first.min(second), first.max(second)]
        .into_iter()
        .find(|at| to_local(*at) == local)
        .or(Some(second))
}

/// Today's date for the rep.
pub fn today() -> NaiveDate {
    to_local(Utc::now()).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn naive(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn tokyo_times_shown_and_read_in_tokyo() {
        set_zone(Some("Asia/Tokyo"));
        assert_eq!(
            to_local(utc("2026-11-27T14:59:00Z")),
            naive("2026-11-27 23:59")
        );
        assert_eq!(
            to_local(utc("2026-11-27T15:00:00Z")),
            naive("2026-11-28 00:00")
        );
        assert_eq!(
            from_local(naive("2026-11-28 09:00")),
            Some(utc("2026-11-28T00:00:00Z"))
        );
        set_zone(None);
    }

    #[test]
    fn new_york_across_daylight_saving() {
        set_zone(Some("America/New_York"));
        // The day clocks go forward (read exactly), and a steady day asked twice (remembered).
        assert_eq!(
            to_local(utc("2026-03-08T06:59:00Z")),
            naive("2026-03-08 01:59")
        );
        assert_eq!(
            to_local(utc("2026-03-08T07:00:00Z")),
            naive("2026-03-08 03:00")
        );
        for _ in 0..2 {
            assert_eq!(
                to_local(utc("2026-03-10T12:30:00Z")),
                naive("2026-03-10 08:30")
            );
        }
        assert_eq!(
            from_local(naive("2026-03-07 09:00")),
            Some(utc("2026-03-07T14:00:00Z"))
        );
        assert_eq!(
            from_local(naive("2026-03-09 09:00")),
            Some(utc("2026-03-09T13:00:00Z"))
        );
        // 02:30 does not exist on 2026-03-08: the moment after the gap.
        assert!(from_local(naive("2026-03-08 02:30")).is_some());
        set_zone(None);
    }

    #[test]
    fn unknown_zones_fall_back_to_the_browsers() {
        set_zone(Some("Mars/Olympus"));
        assert_eq!(zone_name(), None);
    }
}
