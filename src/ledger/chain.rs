//! The hash chain over the event log (防篡改): each event's hash is SHA-256 over its own
//! content and the previous event's hash, so changing or removing any stored event breaks
//! every hash after it.
//!
//! The hashed text is the JSON array `[prev_hash, seq, at, recorded_at, actor, type, body]`,
//! with `body` exactly as stored: unambiguous whatever the fields contain. Cost: one SHA-256
//! over a few hundred bytes per event.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one event, lowercase hex.
///
/// # Examples
/// ```
/// use wxmod::ledger::{event_hash, GENESIS};
/// let h = event_hash(GENESIS, 1, "2025-03-01T09:00:00", "2025-03-01T09:00:05", "王", "model", "{}");
/// assert_eq!(h.len(), 64);
/// assert_ne!(h, event_hash(GENESIS, 1, "2025-03-01T09:00:00", "2025-03-01T09:00:05", "李", "model", "{}"));
/// ```
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    recorded_at: &str,
    actor: &str,
    kind: &str,
    body: &str,
) -> String {
    let text = serde_json::json!([prev_hash, seq, at, recorded_at, actor, kind, body]).to_string();
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_matches_a_known_digest() {
        // SHA-256 of the empty string.
        assert_eq!(
            hex(&Sha256::digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn fields_cannot_be_shifted_into_each_other() {
        let a = event_hash(GENESIS, 1, "t", "r", "ab", "c", "{}");
        let b = event_hash(GENESIS, 1, "t", "r", "a", "bc", "{}");
        assert_ne!(a, b);
    }
}
