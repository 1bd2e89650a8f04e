//! Timestamps read as the server writes them — RFC 3339, `2026-11-27T15:05:00Z`, with up to nine
//! fraction digits or a `±HH:MM` offset — by hand. The SPA's first download reads its timestamps
//! this way (`#[cfg_attr(target_arch = "wasm32", serde(deserialize_with = …))]` on each field of
//! a type the main module receives: an email row, an account, an invitation): chrono's general
//! parser would be a sizeable part of it. The pages and dialogs fetched later read theirs with
//! chrono's, which comes with them. The server keeps chrono's, which also takes the rarer
//! spellings a client may send.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Deserializer};

/// `text` as a UTC instant, or `None` when it is not in the form above.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| b.get(at) != Some(&c))
        || !matches!(b.get(10), Some(b'T' | b't'))
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(0, 4)? as i32, digits(5, 7)?, digits(8, 10)?)?;
    let mut end = 19;
    let mut nanos = 0;
    if b.get(end) == Some(&b'.') {
        let start = end + 1;
        end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        let places = end - start;
        if !(1..=9).contains(&places) {
            return None;
        }
        nanos = digits(start, end)? * 10u32.pow(9 - places as u32);
    }
    let local = date.and_hms_nano_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?, nanos)?;
    let east_seconds = match &b[end..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(end + 1, end + 3)?, digits(end + 4, end + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let utc = local.checked_sub_signed(TimeDelta::seconds(east_seconds))?;
    Some(utc.and_utc())
}

pub fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| not_a_timestamp(&text))
}

pub fn optional_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        Some(text) => parse(&text).map(Some).ok_or_else(|| not_a_timestamp(&text)),
        None => Ok(None),
    }
}

fn not_a_timestamp<E: serde::de::Error>(text: &str) -> E {
    E::custom(format!("`{text}` is not an RFC 3339 timestamp"))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

    fn chrono_reads(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    }

    #[test]
    fn reads_what_the_server_writes_as_chrono_does() {
        let start = DateTime::parse_from_rfc3339("1999-12-31T23:59:58.5Z").unwrap();
        let mut at = start.with_timezone(&Utc);
        // Instants a few days, hours and odd nanoseconds apart, in every precision serde uses.
        for step in 0..2_000i64 {
            at += TimeDelta::seconds(step * 7_919) + TimeDelta::nanoseconds(step * 104_729);
            for format in [
                SecondsFormat::Secs,
                SecondsFormat::Millis,
                SecondsFormat::Micros,
                SecondsFormat::Nanos,
                SecondsFormat::AutoSi,
            ] {
                let text = at.to_rfc3339_opts(format, true);
                assert_eq!(parse(&text), chrono_reads(&text), "{text}");
                assert!(parse(&text).is_some(), "{text}");
            }
            let serde_text = serde_json::to_string(&at).unwrap();
            assert_eq!(
                parse(serde_text.trim_matches('"')),
                Some(at),
                "{serde_text}"
            );
        }
    }

    #[test]
    fn offsets_are_taken_into_account() {
        for text in [
            "2026-11-28T00:05:00+09:00",
            "2026-11-27T10:05:00.25-05:00",
            "2026-11-27T15:05:00.000000001+00:00",
            "2026-11-27t15:05:00z",
        ] {
            assert_eq!(parse(text), chrono_reads(text), "{text}");
            assert!(parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "2026-11-27",
            "2026-11-27T15:05:00",
            "2026-11-27 15:05:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T15:05:00.Z",
            "2026-11-27T15:05:00.1234567890Z",
            "2026-11-27T15:05:00+0900",
            "2026-11-27T15:05:00+24:00",
            "2026-11-27T15:05:00Zjunk",
            "२०२६-11-27T15:05:00Z",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
