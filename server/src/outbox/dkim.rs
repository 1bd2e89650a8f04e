//! DKIM signatures (RFC 6376) on every message, so that mailbox providers can tell the mail
//! comes from the sending domain: lettre signs, relaxed/relaxed, over the headers a provider
//! checks. The key is RSA (PKCS#1 PEM, as `openssl genrsa 2048` writes it) or Ed25519 (its 32
//! bytes in base64); its public half, as the DNS TXT record to publish, comes from `dns_record`.

use crate::config::DkimSettings;
use anyhow::Context;
use base64::Engine;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::Message;

/// The headers signed: who, what, when, which message, how it is encoded, and the way out
/// (a changed unsubscribe link would otherwise go unnoticed).
const SIGNED_HEADERS: [&str; 10] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

pub struct Signer(DkimConfig);

enum Key {
    Rsa(String),
    Ed25519(String),
}

fn read_key(path: &std::path::Path) -> anyhow::Result<Key> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the DKIM key {}", path.display()))?;
    if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
        Ok(Key::Rsa(text))
    } else if text.contains("-----BEGIN") {
        anyhow::bail!(
            "{}: an RSA key must be PKCS#1 PEM (BEGIN RSA PRIVATE KEY; `openssl genrsa 2048` writes one, \
             `openssl rsa -traditional` converts one)",
            path.display()
        )
    } else {
        Ok(Key::Ed25519(text.trim().to_owned()))
    }
}

impl Signer {
    pub fn load(settings: &DkimSettings) -> anyhow::Result<Self> {
        let (text, algorithm) = match read_key(&settings.key)? {
            Key::Rsa(pem) => (pem, DkimSigningAlgorithm::Rsa),
            Key::Ed25519(b64) => (b64, DkimSigningAlgorithm::Ed25519),
        };
        let key = DkimSigningKey::new(&text, algorithm).map_err(|e| {
            anyhow::anyhow!("the DKIM key {} is not valid: {e}", settings.key.display())
        })?;
        let relaxed = DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        };
        Ok(Self(DkimConfig::new(
            settings.selector.clone(),
            settings.domain.clone(),
            key,
            SIGNED_HEADERS
                .iter()
                .map(|name| HeaderName::new_from_ascii_str(name))
                .collect(),
            relaxed,
        )))
    }

    pub fn sign(&self, message: &mut Message) {
        message.sign(&self.0);
    }
}

/// The TXT record to publish at `<selector>._domainkey.<domain>`.
pub fn dns_record(settings: &DkimSettings) -> anyhow::Result<String> {
    let (kind, public) = match read_key(&settings.key)? {
        Key::Rsa(pem) => {
            use rsa::pkcs1::DecodeRsaPrivateKey;
            use rsa::pkcs8::EncodePublicKey;
            let private =
                rsa::RsaPrivateKey::from_pkcs1_pem(&pem).context("reading the RSA key")?;
            let der = private
                .to_public_key()
                .to_public_key_der()
                .context("encoding the public key")?;
            ("rsa", der.as_bytes().to_vec())
        }
        Key::Ed25519(b64) => {
            let bytes: [u8; 32] = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .context("an Ed25519 key is its 32 bytes in base64")?
                .try_into()
                .map_err(|_| anyhow::anyhow!("an Ed25519 key is 32 bytes"))?;
            let signing = ed25519_dalek::SigningKey::from_bytes(&bytes);
            ("ed25519", signing.verifying_key().to_bytes().to_vec())
        }
    };
    let p = base64::engine::general_purpose::STANDARD.encode(public);
    Ok(format!(
        "{}._domainkey.{} TXT \"v=DKIM1; k={kind}; p={p}\"",
        settings.selector, settings.domain
    ))
}
