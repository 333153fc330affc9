//! Writes a covering instance (demand.csv, candidates.csv) for a region, made like `../shared/bench/*`.
//!
//! Usage: `cargo run --release --example cover_instance -- BOUNDARIES.geojson OUT_DIR [CELL_M] [SPACING_M]`
//! (defaults 10000 and 2000), e.g. for the province:
//! `cargo run --release --example cover_instance -- ../shared/data/shanxi_counties_wgs84.geojson /tmp/shanxi`
//! then `wxmod cover --demand /tmp/shanxi/demand.csv --candidates /tmp/shanxi/candidates.csv --radius 10km`.

#[allow(dead_code)] // the fixture paths are for the bench
#[path = "../benches/common/cover_instances.rs"]
mod cover_instances;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [boundaries, out, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: cover_instance BOUNDARIES.geojson OUT_DIR [CELL_M] [SPACING_M]");
    };
    let number = |k: usize, default: f64| -> anyhow::Result<f64> {
        rest.get(k).map_or(Ok(default), |t| {
            t.parse().map_err(|e| anyhow::anyhow!("'{t}': {e}"))
        })
    };
    let instance = cover_instances::grid_instance(
        &PathBuf::from(boundaries),
        number(0, 10_000.0)?,
        number(1, 2_000.0)?,
    );
    let out = PathBuf::from(out);
    cover_instances::write_csv(&instance, &out)?;
    println!(
        "{}: {} demand points ({:.1} km²), {} candidates",
        out.display(),
        instance.demand.len(),
        instance.demand.iter().map(|d| d.weight).sum::<f64>(),
        instance.candidates.len()
    );
    Ok(())
}
