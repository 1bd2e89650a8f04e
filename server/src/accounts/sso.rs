//! Single sign-on's bookkeeping: a sign-in on its way through the provider (bound to the browser
//! and the tab that began it), the one-time code that hands the session to that tab, and which
//! account a provider's answer names.
//!
//! Why a code and not the session: the callback's redirect carries what it hands over in the
//! address, and an address travels (a redirect onward keeps its fragment, a link can be sent to
//! someone). A code is worth nothing without the key of the tab that began the sign-in, which
//! never leaves that tab but in a request body; and it works once, for a minute.

use crate::password::{new_token, token_hash};
use crate::time::now_ms;
use api::UserId;
use sqlx::AnyConnection;

/// How long the app has to exchange a hand-off code for a session.
pub const HANDOFF_LIFETIME_MS: i64 = 60 * 1000;

/// A sign-in on its way through the provider, as kept here between start and callback.
pub struct Begun<'a> {
    pub state: &'a str,
    pub nonce: &'a str,
    pub verifier: &'a str,
    pub return_to: &'a str,
    /// The secret of the cookie set in the browser that began it.
    pub browser_key: &'a str,
    /// The secret the tab that began it keeps.
    pub tab_key: &'a str,
}

/// A sign-in the provider sent back, taken (used once) by its state.
#[derive(sqlx::FromRow)]
pub struct Pending {
    pub nonce: String,
    pub verifier: String,
    pub return_to: String,
    browser_hash: String,
    pub tab_hash: String,
}

impl Pending {
    /// Whether `cookie` is the one set in the browser that began this sign-in.
    pub fn began_in(&self, cookie: Option<&str>) -> bool {
        cookie.is_some_and(|key| {
            !self.browser_hash.is_empty() && token_hash(key) == self.browser_hash
        })
    }
}

pub async fn begin(conn: &mut AnyConnection, begun: &Begun<'_>) -> sqlx::Result<()> {
    let now = now_ms();
    sqlx::query("DELETE FROM oidc_states WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO oidc_states (state_hash, nonce, verifier, return_to, expires_at, browser_hash, tab_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash(begun.state))
    .bind(begun.nonce)
    .bind(begun.verifier)
    .bind(begun.return_to)
    .bind(now + crate::oidc::STATE_LIFETIME_MS)
    .bind(token_hash(begun.browser_key))
    .bind(token_hash(begun.tab_key))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the sign-in `state` names, if it is still waiting: one statement, so a state that
/// matches nothing costs no lock and one that matches is used once.
pub async fn take(conn: &mut AnyConnection, state: &str) -> sqlx::Result<Option<Pending>> {
    let taken: Option<(Pending, i64)> = sqlx::query_as::<_, PendingRow>(
        "DELETE FROM oidc_states WHERE state_hash = $1
         RETURNING nonce, verifier, return_to, browser_hash, tab_hash, expires_at",
    )
    .bind(token_hash(state))
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| (row.pending, row.expires_at));
    Ok(taken
        .filter(|(_, expires_at)| *expires_at > now_ms())
        .map(|(pending, _)| pending))
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    #[sqlx(flatten)]
    pending: Pending,
    expires_at: i64,
}

/// A one-time code that hands a session for `user` to the tab whose key hashes to `tab_hash`.
pub async fn hand_off(
    conn: &mut AnyConnection,
    user: UserId,
    tab_hash: &str,
) -> sqlx::Result<String> {
    let now = now_ms();
    sqlx::query("DELETE FROM sso_handoffs WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let code = new_token();
    sqlx::query(
        "INSERT INTO sso_handoffs (code_hash, user_id, tab_hash, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&code))
    .bind(user)
    .bind(tab_hash)
    .bind(now + HANDOFF_LIFETIME_MS)
    .execute(&mut *conn)
    .await?;
    Ok(code)
}

/// The user a hand-off code was made for, if `tab_key` is the key of the tab that began the
/// sign-in and the code is fresh. The code is used up whatever the answer: a code shown to the
/// wrong tab is not tried again.
pub async fn take_hand_off(
    conn: &mut AnyConnection,
    code: &str,
    tab_key: &str,
) -> sqlx::Result<Option<UserId>> {
    let row: Option<(UserId, String, i64)> = sqlx::query_as(
        "DELETE FROM sso_handoffs WHERE code_hash = $1 RETURNING user_id, tab_hash, expires_at",
    )
    .bind(token_hash(code))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .filter(|(_, tab_hash, expires_at)| {
            *expires_at > now_ms() && *tab_hash == token_hash(tab_key)
        })
        .map(|(user, _, _)| user))
}

/// Who may be made an account on first sign-in: a rep in `team`, when their email's domain is
/// one of `domains`, or — where `without_domains` says so and none are listed — anyone.
pub struct Provisioning<'a> {
    pub team: Option<&'a str>,
    pub domains: &'a [String],
    pub without_domains: WithoutDomains,
}

/// Whom an empty list of domains admits.
#[derive(Clone, Copy)]
pub enum WithoutDomains {
    /// A portal vouches for its users: its signed token is the admission.
    Anyone,
    /// Anyone can hold an account at an OpenID provider: a domain must be named.
    NoOne,
}

impl Provisioning<'_> {
    /// The team `email` would be made a rep in, if it may be made one.
    pub fn admits(&self, email: &str) -> Option<&str> {
        let domain = email.rsplit_once('@')?.1;
        let team = self.team?;
        let listed = match (self.domains.is_empty(), self.without_domains) {
            (true, WithoutDomains::Anyone) => true,
            _ => self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)),
        };
        listed.then_some(team)
    }
}

/// What the provider said of the person signing in.
pub struct Claimed<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub email: Option<&'a str>,
    pub email_verified: Option<bool>,
    pub name: Option<&'a str>,
}

/// The account a provider's answer names, or why there is none. An account is found by the
/// provider's issuer and subject once linked; before that only by an email the provider says it
/// has verified (a missing `email_verified` is not a yes), which then links it. Someone unknown
/// is created only as `provisioning` admits.
pub async fn identify(
    conn: &mut AnyConnection,
    claimed: &Claimed<'_>,
    provisioning: &Provisioning<'_>,
) -> Result<Result<UserId, String>, super::Error> {
    let linked: Option<(UserId,)> =
        sqlx::query_as("SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2")
            .bind(claimed.issuer)
            .bind(claimed.subject)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((id,)) = linked {
        return Ok(Ok(id));
    }
    let Some(email) = claimed
        .email
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.len() <= 254 && a.parse::<lettre::Address>().is_ok())
    else {
        return Ok(Err(format!("{}: no email address", claimed.subject)));
    };
    if claimed.email_verified != Some(true) {
        return Ok(Err(format!("the provider has not verified {email}")));
    }
    let now = now_ms();
    let found =
        super::find_or_provision(conn, &email, claimed.name, provisioning.admits(&email), now)
            .await?;
    let Some(id) = found else {
        return Ok(Err(format!("{email} has no account here")));
    };
    sqlx::query(
        "INSERT INTO sso_identities (issuer, subject, user_id, linked_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (issuer, subject) DO NOTHING",
    )
    .bind(claimed.issuer)
    .bind(claimed.subject)
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Ok(id))
}

#[cfg(test)]
mod tests {
    use super::{Provisioning, WithoutDomains};

    #[test]
    fn only_a_listed_domain_is_provisioned() {
        let domains = ["example.com".to_owned()];
        let provisioning = Provisioning {
            team: Some("Sales"),
            domains: &domains,
            without_domains: WithoutDomains::NoOne,
        };
        assert_eq!(provisioning.admits("new@Example.com"), Some("Sales"));
        assert_eq!(provisioning.admits("new@example.com.evil.test"), None);
        assert_eq!(provisioning.admits("new@sub.example.com"), None);
        let nowhere = Provisioning {
            team: None,
            domains: &domains,
            without_domains: WithoutDomains::Anyone,
        };
        assert_eq!(nowhere.admits("new@example.com"), None);
        for (without_domains, admitted) in [
            (WithoutDomains::Anyone, Some("Sales")),
            (WithoutDomains::NoOne, None),
        ] {
            let unlisted = Provisioning {
                team: Some("Sales"),
                domains: &[],
                without_domains,
            };
            assert_eq!(unlisted.admits("new@anywhere.test"), admitted);
        }
    }
}
