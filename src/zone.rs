//! The rep's own time zone (the IANA name in their profile) for every time the app shows or
//! reads, so "9:00 tomorrow" means the rep's 9:00 wherever the browser is. The browser's Intl API
//! does the zone arithmetic, so no time zone database ships in the bundle. Until a rep signs in,
//! the browser's own zone is used.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static ZONE: RefCell<Option<(String, Intl::DateTimeFormat)>> = const { RefCell::new(None) };
}

/// Uses `name` (e.g. `Asia/Tokyo`) from now on; `None`, or a zone the browser does not know,
/// means the browser's own zone.
pub fn set_zone(name: Option<&str>) {
    let formatter = name.and_then(|name| formatter(name).map(|f| (name.to_owned(), f)));
    ZONE.with(|zone| *zone.borrow_mut() = formatter);
}

pub fn zone_name() -> Option<String> {
    ZONE.with(|zone| zone.borrow().as_ref().map(|(name, _)| name.clone()))
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
    ZONE.with(|zone| match zone.borrow().as_ref() {
        Some((_, formatter)) => {
            fields(formatter, at).unwrap_or_else(|| at.with_timezone(&Local).naive_local())
        }
        None => at.with_timezone(&Local).naive_local(),
    })
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
