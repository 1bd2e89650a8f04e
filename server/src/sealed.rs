//! Secrets the server must read back (a rep's mailbox password), sealed with the server's own
//! secret: ChaCha20-Poly1305 under a key drawn from it, a fresh nonce each time, and what the
//! secret belongs to (the rep) as associated data, so a sealed value copied onto another row
//! does not open. A database dump alone gives no password; with the server's secret it does,
//! which is why the secret lives beside the SQLite file, not in it.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use sha2::{Digest, Sha256};

/// The first part of every sealed value: a later scheme can tell its own from these.
const SCHEME: &str = "v1";

fn key(secret: &str) -> LessSafeKey {
    // The server's secret is random (or an operator's long one); a hash with a purpose of its
    // own keeps this key apart from the HMACs made with the same secret.
    let bytes = Sha256::new()
        .chain_update(b"command-center sealed value\0")
        .chain_update(secret.as_bytes())
        .finalize();
    LessSafeKey::new(
        UnboundKey::new(&CHACHA20_POLY1305, &bytes).expect("a 32-byte key fits ChaCha20"),
    )
}

/// `plain` sealed for `owner`: `v1:<hex of nonce and ciphertext>`.
pub fn seal(secret: &str, owner: &str, plain: &str) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).expect("the system's random source works");
    let mut sealed = plain.as_bytes().to_vec();
    key(secret)
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(owner.as_bytes()),
            &mut sealed,
        )
        .expect("a password is far below ChaCha20's length limit");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    format!("{SCHEME}:{}", hex::encode(out))
}

/// What `seal` sealed for `owner` with this secret; `None` for anything else (another secret,
/// another owner, a changed byte).
pub fn open(secret: &str, owner: &str, sealed: &str) -> Option<String> {
    let bytes = hex::decode(sealed.strip_prefix(SCHEME)?.strip_prefix(':')?).ok()?;
    if bytes.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = bytes.split_at(NONCE_LEN);
    let mut body = body.to_vec();
    let plain = key(secret)
        .open_in_place(
            Nonce::try_assume_unique_for_key(nonce).ok()?,
            Aad::from(owner.as_bytes()),
            &mut body,
        )
        .ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_secret_and_owner() {
        let sealed = seal("server secret", "rep:7", "p@ss wörd");
        assert!(!sealed.contains("p@ss"));
        assert_eq!(
            open("server secret", "rep:7", &sealed).as_deref(),
            Some("p@ss wörd")
        );
        assert_eq!(open("another secret", "rep:7", &sealed), None);
        assert_eq!(open("server secret", "rep:8", &sealed), None);
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            open(
                "server secret",
                "rep:7",
                &String::from_utf8(changed).unwrap()
            ),
            None
        );
        assert_eq!(open("server secret", "rep:7", "v1:zz"), None);
        assert_eq!(open("server secret", "rep:7", "plain"), None);
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        assert_ne!(seal("s", "o", "same"), seal("s", "o", "same"));
    }
}
