//! Limits on signing in, so that passwords cannot be guessed at speed nor the server worn down by
//! hashing. Each account and each client address keeps a count of recent failures; past a free
//! allowance every further attempt waits twice as long as the last (1 s, 2 s, 4 s … at most 15
//! minutes). An attempt is counted as a failure when it begins, before its password is checked,
//! so that guesses sent in parallel cannot all pass the limit before the first one fails; a
//! success takes its count back and clears the account's. An address's count fades an hour after
//! its last failure. Accounts are kept by a hash of the address typed (at most 254 characters),
//! so the table's size does not depend on what strangers send. Password hashes run at most `HASHES_AT_ONCE` at a time, and an unknown email costs the
//! same hash as a wrong password, so neither the answer nor its timing tells whether it exists.
//!
//! The counts live in this process: several instances each keep their own.

use sha2::{Digest, Sha256};
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
    fn count(table: &mut HashMap<K, Failures>, key: &K, now: Instant) {
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

    /// Takes back one failure counted when an attempt began.
    fn uncount(&self, key: &K) {
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = table.get_mut(key) {
            entry.count = entry.count.saturating_sub(1);
        }
    }
}

/// An account as the limits know it: a hash of the address typed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccountKey([u8; 32]);

impl AccountKey {
    pub fn of(email: &str) -> Self {
        AccountKey(Sha256::digest(email.as_bytes()).into())
    }
}

pub struct SignInLimits {
    accounts: Table<AccountKey>,
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
    /// Begins an attempt on `account` from `address`, if one may go ahead now: it is counted as
    /// a failure at once (both tables are held while checking and counting, so parallel attempts
    /// are counted one after another); `succeeded` takes it back.
    pub fn begin(&self, account: &AccountKey, address: Option<IpAddr>) -> Result<(), NotNow> {
        let now = Instant::now();
        let mut accounts = self.accounts.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut addresses = self.addresses.0.lock().unwrap_or_else(|e| e.into_inner());
        let by_account = accounts
            .get(account)
            .and_then(|f| f.wait(ACCOUNT_ALLOWANCE, now));
        let by_address = address
            .and_then(|a| addresses.get(&a))
            .and_then(|f| f.wait(ADDRESS_ALLOWANCE, now));
        if let Some(wait) = by_account.max(by_address) {
            return Err(NotNow::Throttled(wait));
        }
        Table::count(&mut accounts, account, now);
        if let Some(address) = address {
            Table::count(&mut addresses, &address, now);
        }
        Ok(())
    }

    /// The attempt begun was right: the account's count is cleared, the address's taken back.
    pub fn succeeded(&self, account: &AccountKey, address: Option<IpAddr>) {
        self.accounts.clear(account);
        if let Some(address) = address {
            self.addresses.uncount(&address);
        }
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
        let (a, b) = (AccountKey::of("a@x"), AccountKey::of("b@x"));
        for _ in 0..ACCOUNT_ALLOWANCE {
            assert_eq!(limits.begin(&a, Some(address)), Ok(()));
        }
        assert!(matches!(limits.begin(&a, None), Err(NotNow::Throttled(_))));
        assert_eq!(limits.begin(&b, Some(address)), Ok(()), "another account");
        limits.succeeded(&b, Some(address));
        assert_eq!(
            limits.begin(&b, Some(address)),
            Ok(()),
            "a success took its count back"
        );
        limits.succeeded(&b, Some(address));
        // A sixth attempt on `a` was refused, not counted: five from this address so far.
        for i in ACCOUNT_ALLOWANCE..ADDRESS_ALLOWANCE {
            let other = AccountKey::of(&format!("{i}@x"));
            assert_eq!(limits.begin(&other, Some(address)), Ok(()));
        }
        assert!(matches!(
            limits.begin(&AccountKey::of("new@x"), Some(address)),
            Err(NotNow::Throttled(_))
        ));
        assert_eq!(
            limits.begin(&AccountKey::of("new@x"), None),
            Ok(()),
            "from elsewhere"
        );
    }

    #[test]
    fn attempts_begun_at_once_are_counted_before_any_is_checked() {
        let limits = std::sync::Arc::new(SignInLimits::default());
        let account = AccountKey::of("target@x");
        let admitted: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..64)
                .map(|_| scope.spawn(|| limits.begin(&account, None).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| usize::from(h.join().unwrap()))
                .sum()
        });
        assert_eq!(admitted, ACCOUNT_ALLOWANCE as usize);
    }
}
