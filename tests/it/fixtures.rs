//! Paths to the real datasets, shared by the test modules.

use std::path::PathBuf;

#[path = "../support/data.rs"]
mod data;
pub use data::*;

/// The `wxmod` binary, ready to run.
pub fn wxmod() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("wxmod").expect("the wxmod binary is built")
}

/// Decodes a PNG (RGB or RGBA, 8 bits): (width, height, RGB bytes, alpha dropped).
pub fn decode_png(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a valid PNG frame");
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, rgb)
}

/// Asserts a decoded picture is not blank: at least `min_drawn` of its pixels are not white
/// and it has more than `min_colours` colours.
pub fn assert_not_blank(name: &str, rgb: &[u8], min_drawn: f64, min_colours: usize) {
    let pixels = rgb.len() / 3;
    let mut colours = std::collections::BTreeSet::new();
    let mut drawn = 0usize;
    for p in rgb.chunks_exact(3) {
        if p != [255, 255, 255] {
            drawn += 1;
        }
        colours.insert((p[0], p[1], p[2]));
    }
    let share = drawn as f64 / pixels as f64;
    assert!(
        share > min_drawn,
        "{name}: only {:.1} % of pixels are drawn",
        share * 100.0
    );
    assert!(
        colours.len() > min_colours,
        "{name}: only {} colours",
        colours.len()
    );
}

/// A ledger in `dir` holding the example 2025 season (`examples/ledger/season_2025.jsonl`),
/// made through the CLI as a bureau would make it.
pub fn season_2025_ledger(dir: &std::path::Path) -> PathBuf {
    let db = dir.join("ledger.db");
    let events =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/ledger/season_2025.jsonl");
    wxmod()
        .args(["ledger", "init", "--db"])
        .arg(&db)
        .assert()
        .success();
    wxmod()
        .args(["ledger", "import", "--db"])
        .arg(&db)
        .arg("--events")
        .arg(&events)
        .assert()
        .success();
    db
}
