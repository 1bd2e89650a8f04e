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
