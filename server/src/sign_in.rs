//! Limits on signing in, so that passwords cannot be guessed at speed nor the server worn down by
//! hashing. Each account and each client address keeps a count of recent failures; past a free
//! allowance every further attempt waits twice as long as the last (1 s, 2 s, 4 s … at most 15
//! minutes). A success clears the account's count; an address's count fades an hour after its last
//! failure. Password hashes run at most `HASHES_AT_ONCE` at a time, and an unknown email costs the
//! same hash as a wrong password, so neither the answer nor its timing tells whether it exists.
//!
//! The counts live in this process: several instances each keep their own.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Failures an account may have before each attempt must wait.
pub const ACCOUNT_ALLOWANCE: u32 = 5;
/// Failures a client address may have (across accounts) before each attempt must wait.
pub const ADDRESS_ALLOWANCE: u32 = 20;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
const FORGOTTEN_AFTER: Duration = Duration::from_secs(60 * 60);
/// Argon2 takes ~50 ms and 19 MiB: a few at once keep a small server responsive.
const HASHES_AT_ONCE: usize = 4;
/// How long a sign-in waits for a hashing slot before the server says it is busy.
const HASH_QUEUE_WAIT: Duration = Duration::from_secs(5);
/// Entries kept per table; past it the faded ones are dropped first.
const CAPACITY: usize = 100_000;

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How much longer an attempt must wait, given the allowance.
    fn wait(&self, allowance: u32, now: Instant) -> Option<Duration> {
        let over = self.count.checked_sub(allowance)?;
        let wait = Duration::from_secs(1u64 << over.min(20)).min(LONGEST_WAIT);
        let until = self.last + wait;
        (until > now).then(|| until - now)
    }
}

struct Table<K>(Mutex<HashMap<K, Failures>>);

impl<K> Default for Table<K> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: std::hash::Hash + Eq + Clone> Table<K> {
    fn wait(&self, key: &K, allowance: u32, now: Instant) -> Option<Duration> {
        let table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        table.get(key)?.wait(allowance, now)
    }

    fn failed(&self, key: &K, now: Instant) {
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if table.len() >= CAPACITY {
            table.retain(|_, f| now.duration_since(f.last) < FORGOTTEN_AFTER);
        }
        let entry = table.entry(key.clone()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= FORGOTTEN_AFTER {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
    }

    fn clear(&self, key: &K) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

pub struct SignInLimits {
    accounts: Table<String>,
    addresses: Table<IpAddr>,
    hashing: Arc<Semaphore>,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self {
            accounts: Table::default(),
            addresses: Table::default(),
            hashing: Arc::new(Semaphore::new(HASHES_AT_ONCE)),
        }
    }
}

/// Why a sign-in is not tried now.
#[derive(Debug, PartialEq)]
pub enum NotNow {
    /// Too many recent failures for this account or address: try again after this long.
    Throttled(Duration),
    /// Every hashing slot is taken: the server is busy.
    Busy,
}

impl SignInLimits {
    /// Whether an attempt on `account` from `address` may go ahead now.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), NotNow> {
        let now = Instant::now();
        let by_account = self
            .accounts
            .wait(&account.to_owned(), ACCOUNT_ALLOWANCE, now);
        let by_address = address.and_then(|a| self.addresses.wait(&a, ADDRESS_ALLOWANCE, now));
        match by_account.max(by_address) {
            Some(wait) => Err(NotNow::Throttled(wait)),
            None => Ok(()),
        }
    }

    pub fn failed(&self, account: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        self.accounts.failed(&account.to_owned(), now);
        if let Some(address) = address {
            self.addresses.failed(&address, now);
        }
    }

    pub fn succeeded(&self, account: &str) {
        self.accounts.clear(&account.to_owned());
    }

    /// Verifies a password against a PHC string, or against a stand-in hash when the account is
    /// unknown (same work, always false), on the blocking pool and within the hashing cap.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, NotNow> {
        let _slot = tokio::time::timeout(HASH_QUEUE_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| NotNow::Busy)?
            .map_err(|_| NotNow::Busy)?;
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| stand_in_hash().to_owned());
        let matches = tokio::task::spawn_blocking(move || crate::password::verify(&password, &phc))
            .await
            .unwrap_or(false);
        Ok(known && matches)
    }
}

/// A hash of a random password, made once, verified against when an email has no account.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| crate::password::hash(&crate::password::new_token()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_past_the_allowance_and_fade() {
        let start = Instant::now();
        let mut failures = Failures {
            count: ACCOUNT_ALLOWANCE - 1,
            last: start,
        };
        assert_eq!(failures.wait(ACCOUNT_ALLOWANCE, start), None);
        failures.count = ACCOUNT_ALLOWANCE;
        assert_eq!(
            failures.wait(ACCOUNT_ALLOWANCE, start),
            Some(Duration::from_secs(1))
        );
        failures.count = ACCOUNT_ALLOWANCE + 3;
        assert_eq!(
            failures.wait(ACCOUNT_ALLOWANCE, start),
            Some(Duration::from_secs(8))
        );
        assert_eq!(
            failures.wait(ACCOUNT_ALLOWANCE, start + Duration::from_secs(8)),
            None
        );
        failures.count = ACCOUNT_ALLOWANCE + 40;
        assert_eq!(failures.wait(ACCOUNT_ALLOWANCE, start), Some(LONGEST_WAIT));
    }

    #[test]
    fn an_account_and_an_address_are_counted_apart() {
        let limits = SignInLimits::default();
        let address: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..ACCOUNT_ALLOWANCE {
            assert_eq!(limits.check("a@x", Some(address)), Ok(()));
            limits.failed("a@x", Some(address));
        }
        assert!(matches!(
            limits.check("a@x", None),
            Err(NotNow::Throttled(_))
        ));
        assert_eq!(
            limits.check("b@x", Some(address)),
            Ok(()),
            "another account"
        );
        limits.succeeded("a@x");
        assert_eq!(limits.check("a@x", Some(address)), Ok(()));
        for i in ACCOUNT_ALLOWANCE..ADDRESS_ALLOWANCE {
            limits.failed(&format!("{i}@x"), Some(address));
        }
        assert!(matches!(
            limits.check("new@x", Some(address)),
            Err(NotNow::Throttled(_))
        ));
        assert_eq!(limits.check("new@x", None), Ok(()), "from elsewhere");
    }
}
