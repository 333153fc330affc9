//! The real datasets that tests and benches read: the bundled `data/` folder, the shared
//! public data and covering instances beside the repository (`../shared`), the bundled
//! Shuozhou region and its example network. One copy, included by `tests/it` (through its
//! `fixtures` module) and by the benches (`#[path = "../tests/support/data.rs"]`).

#![allow(dead_code)] // each bench uses only some of these

use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under the repository's bundled `data/` folder.
pub fn bundled(path: &str) -> PathBuf {
    let p = repo().join("data").join(path);
    assert!(p.exists(), "bundled data file {} is missing", p.display());
    p
}

/// A file of the shared public datasets beside the repository (`../shared/data`).
pub fn shared(path: &str) -> PathBuf {
    let p = repo().join("../shared/data").join(path);
    assert!(
        p.exists(),
        "shared data file {} is missing (is ../shared beside the repo?)",
        p.display()
    );
    p
}

/// A shared covering instance folder (`../shared/bench/<name>`).
pub fn shared_bench(name: &str) -> PathBuf {
    let p = repo().join("../shared/bench").join(name);
    assert!(
        p.is_dir(),
        "shared instance {} is missing (is ../shared beside the repo?)",
        p.display()
    );
    p
}

/// The example Shuozhou network shipped in `examples/` (existing and planned sites).
pub fn example_network() -> PathBuf {
    repo().join("examples/shuozhou_network.csv")
}

/// The bundled Shuozhou region, loaded.
pub fn shuozhou() -> wxmod::region::Region {
    wxmod::region::Region::load(&wxmod::region::bundled_region_dir(), None)
        .expect("the bundled region loads")
}
