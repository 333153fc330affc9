//! Build script of wxmod: its only job is to let a machine without a browser say so honestly.
//! With `WXMOD_SKIP_BROWSER=1` in the environment of the build, the tests that open the report
//! in headless Chromium are compiled as ignored, so `cargo test` reports them as ignored (with
//! the reason) instead of passing them; without it a missing browser fails those tests with the
//! way to install one.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(wxmod_skip_browser)");
    println!("cargo::rerun-if-env-changed=WXMOD_SKIP_BROWSER");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("WXMOD_SKIP_BROWSER").as_deref() == Ok("1") {
        println!("cargo::rustc-cfg=wxmod_skip_browser");
    }
}
