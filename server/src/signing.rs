//! HMAC-SHA256 with the server's secrets: the rep's viewer cookie and the delivery webhook's
//! signature. One place, so that neither HTTP module imports the other for it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(secret: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// The lowercase hex HMAC of the parts, in order.
pub fn hex_mac(secret: &str, parts: &[&[u8]]) -> String {
    hex::encode(mac(secret, parts).finalize().into_bytes())
}

/// Whether `signature` (hex) is the HMAC of the parts; compared in constant time.
pub fn verify_hex(secret: &str, parts: &[&[u8]], signature: &str) -> bool {
    hex::decode(signature).is_ok_and(|bytes| mac(secret, parts).verify_slice(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_verifies_only_with_its_secret_and_parts() {
        let signature = hex_mac("k", &[b"12", b".", b"body"]);
        assert!(
            verify_hex("k", &[b"12.body"], &signature),
            "parts concatenate"
        );
        assert!(!verify_hex("other", &[b"12.body"], &signature));
        assert!(!verify_hex("k", &[b"12.bodx"], &signature));
        assert!(!verify_hex("k", &[b"12.body"], "not hex"));
    }
}
