//! How often strangers may call: the tracking endpoints, and the other endpoints anyone may call
//! (`AddressBuckets`, per client address), with the seconds a refusal asks them to wait.
//!
//! What the tracking endpoints record, and how often. A mail client loads a pixel each time an
//! email is opened and a scanner may fetch every link; counting each would inflate engagement and
//! let anyone flood the events table. So:
//! - a view counts at most once per email per viewer (address and browser) per minute, and a click
//!   once per link per minute; the others are answered and not stored;
//! - each client address may make `BURST` hits at once, refilled at `PER_SECOND`; past that, 429;
//! - a `HEAD` request is never a click, and a click within the configured window after delivery on
//!   an email nobody has viewed is a mail scanner checking the link (a person opens, then clicks).
//!
//! The memory is this process's: several instances each keep their own.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The whole seconds of `wait`, at least one: a `Retry-After` value, and what a refusal says.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

/// Hits a client address may make at once.
pub const BURST: f64 = 300.0;
/// Hits per second an address earns back.
pub const PER_SECOND: f64 = 5.0;
/// A repeat within this is the same view or click.
const REPEAT_WINDOW: Duration = Duration::from_secs(60);
/// Entries kept per table before the stale ones are dropped.
const CAPACITY: usize = 100_000;

/// A token bucket per client address: `burst` requests at once, `per_second` earned back.
pub struct AddressBuckets {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl AddressBuckets {
    pub fn new(burst: f64, per_second: f64) -> Self {
        AddressBuckets {
            burst,
            per_second,
            buckets: Mutex::default(),
        }
    }

    /// Takes one request from the address's allowance, or says how long until one is free. A
    /// request whose address is unknown (not over TCP) is let through.
    pub fn admit(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let Some(address) = address else {
            return Ok(());
        };
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= CAPACITY {
            // A bucket idle long enough to be full again is the same as none.
            let refill = Duration::from_secs_f64(self.burst / self.per_second);
            buckets.retain(|_, b| now.duration_since(b.at) < refill);
        }
        let bucket = buckets.entry(address).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        bucket.tokens = (bucket.tokens
            + now.duration_since(bucket.at).as_secs_f64() * self.per_second)
            .min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

pub struct TrackingLimits {
    buckets: AddressBuckets,
    recent: Mutex<HashMap<u64, Instant>>,
}

impl Default for TrackingLimits {
    fn default() -> Self {
        TrackingLimits {
            buckets: AddressBuckets::new(BURST, PER_SECOND),
            recent: Mutex::default(),
        }
    }
}

impl TrackingLimits {
    /// Takes one hit from the address's allowance, or says how long until one is free.
    pub fn admit(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        self.buckets.admit(address)
    }

    /// Whether this is the first hit of `what` within the last minute (and remembers it).
    pub fn first_in_a_minute(&self, what: impl Hash) -> bool {
        let mut hasher = DefaultHasher::new();
        what.hash(&mut hasher);
        let key = hasher.finish();
        let now = Instant::now();
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() >= CAPACITY {
            recent.retain(|_, at| now.duration_since(*at) < REPEAT_WINDOW);
        }
        match recent.get(&key) {
            Some(at) if now.duration_since(*at) < REPEAT_WINDOW => false,
            _ => {
                recent.insert(key, now);
                true
            }
        }
    }
}

/// Whether a click is a scanner following links: within `window` of delivery, nothing viewed.
pub fn looks_like_a_scanner(
    sent_at_ms: Option<i64>,
    views: i64,
    now_ms: i64,
    window: Duration,
) -> bool {
    let window_ms = window.as_millis() as i64;
    views == 0 && sent_at_ms.is_some_and(|sent| now_ms - sent < window_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_a_burst_then_waits() {
        let limits = TrackingLimits::default();
        let address: IpAddr = "198.51.100.7".parse().unwrap();
        for _ in 0..BURST as usize {
            assert!(limits.admit(Some(address)).is_ok());
        }
        let wait = limits.admit(Some(address)).unwrap_err();
        assert!(wait <= Duration::from_secs_f64(1.0 / PER_SECOND));
        assert!(limits.admit(Some("198.51.100.8".parse().unwrap())).is_ok());
    }

    #[test]
    fn a_repeat_within_a_minute_is_not_new() {
        let limits = TrackingLimits::default();
        assert!(limits.first_in_a_minute(("view", 1, "a")));
        assert!(!limits.first_in_a_minute(("view", 1, "a")));
        assert!(limits.first_in_a_minute(("view", 1, "b")));
        assert!(limits.first_in_a_minute(("view", 2, "a")));
    }

    #[test]
    fn a_click_right_after_delivery_with_no_view_is_a_scanners() {
        let window = Duration::from_secs(10);
        assert!(looks_like_a_scanner(Some(1_000), 0, 5_000, window));
        assert!(
            !looks_like_a_scanner(Some(1_000), 1, 5_000, window),
            "viewed"
        );
        assert!(
            !looks_like_a_scanner(Some(1_000), 0, 11_000, window),
            "later"
        );
        assert!(
            !looks_like_a_scanner(Some(1_000), 0, 5_000, Duration::ZERO),
            "rule off"
        );
    }
}
