//! Sessions this server has recently checked, so that most requests cost no query for their
//! bearer token: on a folder page or the counts, that query was a third of the time.
//!
//! This process ends its own sessions (log out) in the cache and the database together, and the
//! other instances on a PostgreSQL database are told at once (`crate::cluster`). A session removed
//! by anything else (an operator) is trusted for at most `RECHECK` after its last check; expiry is
//! always checked against the clock.

use api::{User, UserId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a checked session is believed without asking the database again.
const RECHECK: Duration = Duration::from_secs(30);
/// Sessions remembered at once; past it the oldest checks are dropped (they are re-read).
const CAPACITY: usize = 10_000;

struct Checked {
    user: User,
    expires_at_ms: i64,
    checked_at: Instant,
}

/// What ended, told to the streams opened under it.
#[derive(Clone, Debug)]
pub enum Ended {
    /// One session (its token's hash): signed out.
    Session(String),
    /// Every session of a user: signed out everywhere.
    User(UserId),
    /// Every session of a user but one (its token's hash): their password changed there.
    OthersOf { user: UserId, keep: String },
}

#[derive(Default)]
pub struct SessionCache {
    by_token_hash: Mutex<HashMap<String, Checked>>,
}

impl SessionCache {
    /// The user of a session checked within `RECHECK` and not expired by `now_ms`, and when the
    /// session expires.
    pub fn user(&self, token_hash: &str, now_ms: i64) -> Option<(User, i64)> {
        let sessions = self.by_token_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions
            .get(token_hash)
            .filter(|s| s.expires_at_ms > now_ms && s.checked_at.elapsed() < RECHECK)
            .map(|s| (s.user.clone(), s.expires_at_ms))
    }

    /// Remembers a session the database has just vouched for.
    pub fn checked(&self, token_hash: &str, user: &User, expires_at_ms: i64) {
        let mut sessions = self.by_token_hash.lock().unwrap_or_else(|e| e.into_inner());
        if sessions.len() >= CAPACITY {
            sessions.retain(|_, s| s.checked_at.elapsed() < RECHECK);
            if sessions.len() >= CAPACITY {
                sessions.clear();
            }
        }
        sessions.insert(
            token_hash.to_owned(),
            Checked {
                user: user.clone(),
                expires_at_ms,
                checked_at: Instant::now(),
            },
        );
    }

    /// The user changed: their sessions are read again on their next request.
    pub fn user_changed(&self, user_id: UserId) {
        let mut sessions = self.by_token_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, s| s.user.id != user_id);
    }

    /// A session ended here: no later request may ride on it.
    pub fn ended(&self, token_hash: &str) {
        let mut sessions = self.by_token_hash.lock().unwrap_or_else(|e| e.into_inner());
        sessions.remove(token_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::Role;

    fn rep() -> User {
        User {
            id: UserId(7),
            email: "rep@example.com".into(),
            name: "Rep".into(),
            role: Role::Rep,
            time_zone: "Asia/Tokyo".into(),
            locale: "ja".into(),
            track_opens: true,
            track_links: true,
            team_id: None,
        }
    }

    #[test]
    fn a_checked_session_is_believed_until_it_expires() {
        let cache = SessionCache::default();
        cache.checked("h", &rep(), 1_000);
        assert_eq!(cache.user("h", 999).map(|(u, _)| u.id), Some(UserId(7)));
        assert_eq!(cache.user("h", 1_000), None);
        assert_eq!(cache.user("other", 0), None);
    }

    #[test]
    fn an_ended_session_is_forgotten_at_once() {
        let cache = SessionCache::default();
        cache.checked("h", &rep(), i64::MAX);
        cache.ended("h");
        assert_eq!(cache.user("h", 0), None);
    }

    #[test]
    fn a_full_cache_makes_room_and_keeps_working() {
        let cache = SessionCache::default();
        for i in 0..=CAPACITY {
            cache.checked(&i.to_string(), &rep(), i64::MAX);
        }
        assert!(cache.by_token_hash.lock().unwrap().len() <= CAPACITY);
        assert!(cache.user(&CAPACITY.to_string(), 0).is_some());
    }
}
