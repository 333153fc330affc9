//! Paths to the real datasets, shared by the test modules.

use std::path::PathBuf;

/// A file under the repository's bundled `data/` folder.
pub fn bundled(path: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(path);
    assert!(p.exists(), "bundled data file {} is missing", p.display());
    p
}

/// A file of the shared public datasets beside the repository (`../shared/data`).
pub fn shared(path: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(path);
    assert!(
        p.exists(),
        "shared data file {} is missing (is ../shared beside the repo?)",
        p.display()
    );
    p
}

/// The bundled Shuozhou region, loaded.
pub fn shuozhou() -> wxmod::region::Region {
    wxmod::region::Region::load(&wxmod::region::bundled_region_dir(), None)
        .expect("the bundled region loads")
}

/// The `wxmod` binary, ready to run.
pub fn wxmod() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("wxmod").expect("the wxmod binary is built")
}
