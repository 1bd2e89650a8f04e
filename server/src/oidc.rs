//! OpenID Connect sign-in (authorization code flow with PKCE): the provider's discovery document
//! and keys, the link that sends the user to it, and the check of what comes back — the state
//! (issued here, used once), the code exchanged with the client secret and the PKCE verifier,
//! and the ID token (signature by the provider's published key, issuer, audience = this client,
//! expiry, and the nonce issued with the state).

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a sign-in may take at the provider before its state is forgotten.
pub const STATE_LIFETIME_MS: i64 = 10 * 60 * 1000;
const LEEWAY_SECS: u64 = 30;

#[derive(Clone, Debug)]
pub struct Settings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the user back: `<public URL>/api/v1/auth/oidc/callback`.
    pub redirect_uri: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{0}")]
    Provider(String),
    #[error("{0}")]
    Token(String),
}

#[derive(Clone, Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    userinfo_endpoint: Option<String>,
}

/// What the ID token says of the user.
#[derive(Debug, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
}

/// A sign-in on its way to the provider: the state and nonce to keep (hashed) with the PKCE
/// verifier, and the URL to send the browser to.
pub struct Start {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub url: String,
}

pub struct Client {
    settings: Settings,
    http: reqwest::Client,
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn provider(why: impl std::fmt::Display) -> Refused {
    Refused::Provider(why.to_string())
}

impl Client {
    pub fn new(settings: Settings) -> Self {
        Client {
            settings,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                // The token endpoint answers; it never sends us elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a plain HTTP client builds"),
        }
    }

    /// A JSON document of the provider's, asked for with the access token when one is given.
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<T, Refused> {
        let mut request = self.http.get(url);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(provider)?
            .json()
            .await
            .map_err(provider)
    }

    async fn discovery(&self) -> Result<Discovery, Refused> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let found: Discovery = self.get_json(&url, None).await?;
        if found.issuer.trim_end_matches('/') != self.settings.issuer.trim_end_matches('/') {
            return Err(provider("the provider names another issuer"));
        }
        Ok(found)
    }

    /// A new sign-in: random state, nonce and PKCE verifier (S256), and the authorization URL.
    pub async fn start(&self) -> Result<Start, Refused> {
        let discovery = self.discovery().await?;
        let (state, nonce, verifier) = (
            crate::password::new_token(),
            crate::password::new_token(),
            crate::password::new_token(),
        );
        let challenge = b64url(&Sha256::digest(verifier.as_bytes()));
        let mut url = url::Url::parse(&discovery.authorization_endpoint).map_err(provider)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", &self.settings.redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(Start {
            state,
            nonce,
            verifier,
            url: url.into(),
        })
    }

    /// Exchanges the code for tokens and checks the ID token; `nonce` is the one issued with the
    /// state the provider returned. Answers the token's claims and the issuer that signed it.
    /// Whether the claims name an account (a verified email, a linked subject) is
    /// `accounts::sso`'s to say.
    pub async fn finish(
        &self,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<(IdClaims, String), Refused> {
        let discovery = self.discovery().await?;
        #[derive(Deserialize)]
        struct Tokens {
            id_token: String,
            #[serde(default)]
            access_token: Option<String>,
        }
        let response = self
            .http
            .post(&discovery.token_endpoint)
            .basic_auth(&self.settings.client_id, Some(&self.settings.client_secret))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.settings.redirect_uri),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .map_err(provider)?;
        if !response.status().is_success() {
            let status = response.status();
            let body: String = response
                .text()
                .await
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            return Err(provider(format!(
                "the token endpoint answered {status}: {body}"
            )));
        }
        let tokens: Tokens = response.json().await.map_err(provider)?;
        let header = jsonwebtoken::decode_header(&tokens.id_token)
            .map_err(|e| Refused::Token(e.to_string()))?;
        if !matches!(
            header.alg,
            Algorithm::RS256 | Algorithm::ES256 | Algorithm::PS256 | Algorithm::EdDSA
        ) {
            return Err(Refused::Token(format!("{:?} is not taken", header.alg)));
        }
        let keys: JwkSet = self.get_json(&discovery.jwks_uri, None).await?;
        let jwk = match &header.kid {
            Some(kid) => keys.find(kid),
            None => keys.keys.first(),
        }
        .ok_or_else(|| Refused::Token("the provider publishes no such key".into()))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| Refused::Token(e.to_string()))?;
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[&self.settings.client_id]);
        validation.set_issuer(&[&discovery.issuer]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = LEEWAY_SECS;
        let claims = jsonwebtoken::decode::<IdClaims>(&tokens.id_token, &key, &validation)
            .map_err(|e| Refused::Token(e.to_string()))?
            .claims;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(Refused::Token("the nonce is not the one sent".into()));
        }
        let mut claims = claims;
        // Many providers give the email at the user-info endpoint rather than in the ID token
        // (OpenID Connect Core 5.4): asked for with the access token, and taken only if it
        // speaks of the same subject.
        if claims.email.is_none() {
            if let (Some(endpoint), Some(access)) =
                (&discovery.userinfo_endpoint, &tokens.access_token)
            {
                let info: IdClaims = self.get_json(endpoint, Some(access.as_str())).await?;
                if info.sub == claims.sub {
                    claims.email = info.email;
                    claims.email_verified = info.email_verified;
                    claims.name = claims.name.or(info.name);
                }
            }
        }
        Ok((claims, discovery.issuer))
    }
}
