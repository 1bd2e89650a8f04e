//! Signed portal embedding: a portal's server signs a short-lived token (a JWT) naming its user,
//! and the app embedded in the portal exchanges it for a session of that user here. HS256 with a
//! shared secret, or RS256 / ES256 with keys the portal publishes at a JWKS URL. A token must say
//! who (`email`, or a `sub` that is an address), be for this server (`aud`), expire within ten
//! minutes (`exp`) and carry an id (`jti`) that is used once.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a token may live from now: a portal signs one per page load.
pub const LONGEST_LIFETIME_SECS: i64 = 10 * 60;
/// Clocks differ a little between the portal and here.
/// How late past its expiry a token is still taken (clocks differ); its id is kept this long
/// past its expiry too.
pub const LEEWAY_SECS: u64 = 30;
/// The portal's keys are not read again sooner than this for a key they did not have.
const READ_AGAIN_AFTER: Duration = Duration::from_secs(30);
/// Keys read from a JWKS URL are used this long before they are read again (sooner when a
/// token names a key not among them: the portal rotated its keys).
const KEYS_KEPT: Duration = Duration::from_secs(300);

/// Why a token is not taken (said to the caller as 401, the reason in the log).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("this server takes no portal tokens (no --embed-secret or --embed-jwks-url)")]
    NotConfigured,
    #[error("{0}")]
    Invalid(String),
}

fn invalid(why: impl std::fmt::Display) -> Refused {
    Refused::Invalid(why.to_string())
}

/// What a portal's token says.
#[derive(Debug, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub exp: i64,
    #[serde(default)]
    pub jti: Option<String>,
}

impl Claims {
    /// The user's address, lower-cased: `email`, else a `sub` that is one.
    pub fn address(&self) -> Option<String> {
        [&self.email, &self.sub]
            .into_iter()
            .flatten()
            .map(|a| a.trim().to_lowercase())
            .find(|a| a.parse::<lettre::Address>().is_ok())
    }
}

pub struct Verifier {
    secret: Option<String>,
    jwks_url: Option<String>,
    /// This server's public URL: the only audience taken.
    audience: String,
    keys: Mutex<Option<(Instant, JwkSet)>>,
    client: reqwest::Client,
}

impl Verifier {
    pub fn new(secret: Option<String>, jwks_url: Option<String>, audience: String) -> Self {
        Verifier {
            secret,
            jwks_url,
            audience,
            keys: Mutex::new(None),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("a plain HTTP client builds"),
        }
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Checks a token's signature, audience and lifetime as of `now` (seconds); the caller spends
    /// its `jti`.
    pub async fn verify(&self, token: &str, now: i64) -> Result<Claims, Refused> {
        if self.secret.is_none() && self.jwks_url.is_none() {
            return Err(Refused::NotConfigured);
        }
        let header = jsonwebtoken::decode_header(token).map_err(invalid)?;
        let key = match header.alg {
            Algorithm::HS256 => {
                let secret = self
                    .secret
                    .as_ref()
                    .ok_or_else(|| invalid("HS256 is not taken"))?;
                DecodingKey::from_secret(secret.as_bytes())
            }
            Algorithm::RS256 | Algorithm::ES256 => {
                let kid = header
                    .kid
                    .ok_or_else(|| invalid("the token names no key (kid)"))?;
                self.key(&kid, header.alg).await?
            }
            other => return Err(invalid(format!("{other:?} is not taken"))),
        };
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "aud"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(invalid)?
            .claims;
        if claims.exp > now + LONGEST_LIFETIME_SECS + LEEWAY_SECS as i64 {
            return Err(invalid("the token lives longer than ten minutes"));
        }
        if claims
            .jti
            .as_deref()
            .is_none_or(|jti| jti.trim().is_empty())
        {
            return Err(invalid("the token has no id (jti)"));
        }
        Ok(claims)
    }

    /// The portal's key `kid` (of the algorithm's family), read again when not known.
    async fn key(&self, kid: &str, alg: Algorithm) -> Result<DecodingKey, Refused> {
        let url = self
            .jwks_url
            .as_ref()
            .ok_or_else(|| invalid(format!("{alg:?} needs --embed-jwks-url")))?;
        let known = |keys: &JwkSet| keys.find(kid).cloned();
        let (fresh, just_read) = {
            let kept = self.keys.lock().unwrap_or_else(|e| e.into_inner());
            let kept = kept.as_ref().filter(|(read, _)| read.elapsed() < KEYS_KEPT);
            (
                kept.and_then(|(_, keys)| known(keys)),
                kept.is_some_and(|(read, _)| read.elapsed() < READ_AGAIN_AFTER),
            )
        };
        // A key not among those just read is not read for again at once: tokens naming made-up
        // keys must not make this server fetch the portal's keys at the caller's pace.
        if fresh.is_none() && just_read {
            return Err(invalid(format!("the portal publishes no key `{kid}`")));
        }
        let jwk = match fresh {
            Some(jwk) => jwk,
            None => {
                let keys: JwkSet = self
                    .client
                    .get(url)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| invalid(format!("the portal's keys could not be read: {e}")))?
                    .json()
                    .await
                    .map_err(|e| invalid(format!("the portal's keys are not a JWKS: {e}")))?;
                let jwk = known(&keys);
                *self.keys.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), keys));
                jwk.ok_or_else(|| invalid(format!("the portal publishes no key `{kid}`")))?
            }
        };
        DecodingKey::from_jwk(&jwk).map_err(invalid)
    }
}

/// Marks a portal token's id as used until `kept_until` (ms); false when it was used already.
pub async fn spend_token_id(
    tx: &mut sqlx::AnyConnection,
    jti: &str,
    kept_until: i64,
) -> sqlx::Result<bool> {
    let spent = sqlx::query(
        "INSERT INTO used_token_ids (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
    )
    .bind(jti)
    .bind(kept_until)
    .execute(&mut *tx)
    .await?;
    Ok(spent.rows_affected() > 0)
}

/// Forgets the ids of tokens that have expired anyway.
pub async fn delete_expired_token_ids(db: &crate::db::Db) -> sqlx::Result<u64> {
    let deleted = sqlx::query("DELETE FROM used_token_ids WHERE expires_at <= $1")
        .bind(crate::time::now_ms())
        .execute(db)
        .await?;
    Ok(deleted.rows_affected())
}
