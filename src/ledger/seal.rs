//! The keyed seal of the hash chain (封签): each event's chain hash is sealed with
//! HMAC-SHA256 under a secret key kept outside the database, and a signed head (an anchor)
//! can be printed and filed elsewhere.
//!
//! Why: the chain hash (SHA-256 over public fields) can be recomputed by anyone who reads the
//! source, so an insider with the file could append a forged event with a correct hash. The
//! seal `HMAC(key, "wxmod-seal\n" + hash)` of event N covers N and, through the chain, every
//! event before it; without the key it cannot be made. `verify` with the key checks every
//! seal. The key is 32 random bytes written as hex into a key file that `wxmod ledger init`
//! creates with owner-only permissions (0600 on Unix), by default beside the ledger as
//! `ledger.db.key`; its path is configurable (`--key`). The seals live in table `seals`
//! (not a projection: replay cannot rebuild them).
//!
//! Anchors: `wxmod-anchor:SEQ:HASH:MAC` with `MAC = HMAC(key, "wxmod-anchor\nSEQ\nHASH")`.
//! `verify --anchor` checks the MAC, that event SEQ still has HASH, and reports a chain that
//! is shorter than the anchor (events removed after it was filed).
//!
//! HMAC-SHA256 is written out here over the `sha2` crate already used (RFC 2104, 20 lines,
//! checked against the RFC 4231 test vectors below) rather than adding a crate.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A key that seals the chain.
#[derive(Clone, PartialEq, Eq)]
pub struct SealKey {
    bytes: [u8; 32],
    path: PathBuf,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("SealKey").field("path", &self.path).finish()
    }
}

/// Why a key file could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// There is no key file at the path.
    #[error(
        "no seal key at {path}: the ledger's chain is sealed with a key kept outside it; give its file with --key, or create one with `wxmod ledger init`"
    )]
    Missing {
        /// The path looked at.
        path: String,
    },
    /// The file does not hold a key (64 hex digits).
    #[error("{path} is not a wxmod seal key (64 hex digits expected)")]
    Malformed {
        /// The file.
        path: String,
    },
    /// Reading or writing the file failed, or no random bytes were available.
    #[error("seal key {path}: {why}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        why: String,
    },
}

impl SealKey {
    /// The default key file of a ledger: `ledger.db.key` beside `ledger.db`.
    pub fn default_path(ledger: &Path) -> PathBuf {
        let mut name = ledger.as_os_str().to_owned();
        name.push(".key");
        PathBuf::from(name)
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> Result<SealKey, KeyError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyError::Missing { path: shown });
            }
            Err(e) => {
                return Err(KeyError::Io {
                    path: shown,
                    why: e.to_string(),
                });
            }
        };
        let bytes = unhex(text.trim()).ok_or(KeyError::Malformed { path: shown })?;
        Ok(SealKey {
            bytes,
            path: path.to_path_buf(),
        })
    }

    /// Creates a new random key file, readable and writable by its owner only; refuses to
    /// overwrite an existing file.
    pub fn create(path: &Path) -> Result<SealKey, KeyError> {
        let shown = path.display().to_string();
        let io = |e: &dyn std::fmt::Display| KeyError::Io {
            path: shown.clone(),
            why: e.to_string(),
        };
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| io(&e))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| io(&e))?;
        file.write_all(format!("{}\n", hex(&bytes)).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io(&e))?;
        Ok(SealKey {
            bytes,
            path: path.to_path_buf(),
        })
    }

    /// The key file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The seal of an event's chain hash, hex.
    pub fn seal(&self, hash: &str) -> String {
        hex(&hmac_sha256(
            &self.bytes,
            format!("wxmod-seal\n{hash}").as_bytes(),
        ))
    }

    /// A signed head, `wxmod-anchor:SEQ:HASH:MAC`.
    pub fn anchor(&self, seq: i64, hash: &str) -> String {
        format!("wxmod-anchor:{seq}:{hash}:{}", self.anchor_mac(seq, hash))
    }

    fn anchor_mac(&self, seq: i64, hash: &str) -> String {
        hex(&hmac_sha256(
            &self.bytes,
            format!("wxmod-anchor\n{seq}\n{hash}").as_bytes(),
        ))
    }

    /// Reads a signed anchor: `Some((seq, hash))` when its MAC is this key's.
    pub fn check_anchor(&self, text: &str) -> Option<(i64, String)> {
        let mut parts = text.trim().split(':');
        let (Some("wxmod-anchor"), Some(seq), Some(hash), Some(mac), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let seq: i64 = seq.parse().ok()?;
        let hash = hash.to_ascii_lowercase();
        (constant_eq(&self.anchor_mac(seq, &hash), &mac.to_ascii_lowercase()))
            .then_some((seq, hash))
    }
}

/// Compares two MACs in time independent of where they differ.
pub(crate) fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// HMAC-SHA256 (RFC 2104).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner_pad = [0x36u8; 64];
    let mut outer_pad = [0x5cu8; 64];
    for ((i, o), k) in inner_pad.iter_mut().zip(outer_pad.iter_mut()).zip(block) {
        *i ^= k;
        *o ^= k;
    }
    let mut inner = Sha256::new();
    inner.update(inner_pad);
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(outer_pad);
    outer.update(inner);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 1.
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // Test case 2.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn keys_round_trip_are_private_and_anchors_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        let key = SealKey::create(&path).unwrap();
        assert!(SealKey::create(&path).is_err(), "never overwrites");
        assert_eq!(SealKey::read(&path).unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let anchor = key.anchor(7, "ab");
        assert_eq!(key.check_anchor(&anchor), Some((7, "ab".to_string())));
        let forged = anchor.replace(":7:", ":8:");
        assert_eq!(key.check_anchor(&forged), None);
        let other = SealKey::create(&dir.path().join("o.key")).unwrap();
        assert_eq!(other.check_anchor(&anchor), None);
        assert_ne!(key.seal("ab"), other.seal("ab"));
        assert!(!format!("{key:?}").contains(&hex(&key.bytes)));
    }
}
