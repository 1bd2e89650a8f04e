//! Password hashing (argon2id, salted, PHC strings) and bearer tokens.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sha2::{Digest, Sha256};

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new random bearer token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS has a random source");
    hex::encode(bytes)
}

/// What the sessions table keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let phc = hash("demo");
        assert!(verify("demo", &phc));
        assert!(!verify("Demo", &phc));
        assert!(!verify("demo", "not a phc string"));
    }

    #[test]
    fn tokens_are_unique_and_hashes_stable() {
        assert_ne!(new_token(), new_token());
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_eq!(new_token().len(), 64);
    }
}
